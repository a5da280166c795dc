"""Reading what people type or export: amounts in euros, days, kinds of consumption line.

Shared by ``startups expense add``, the CSV importer and the app's forms, so that a
value accepted in one place is accepted everywhere.  Each parser returns a plain
value or raises ``ValueError`` whose message is the reason, phrased to follow the
field's name and value (``montant "12,3,4" is not an amount``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

# Spaces that exports put between thousands: plain, no-break (U+00A0), narrow no-break
# (U+202F, what babel and recent spreadsheets write for fr_FR), thin (U+2009).
THOUSANDS_SPACES = " \u00a0\u202f\u2009"
_SPACE_CLASS = "[" + THOUSANDS_SPACES + "]"
_MINUS = "-\u2212\u2013"

# An amount, once the sign and the currency are gone.  The groups are strict (three
# digits after the first) so that "12,3,4" or "1 23,4" are refused rather than guessed.
_AMOUNT_FORMS = (
    # 12345 / 12345,67 / 12345.67
    re.compile(r"(?P<int>[0-9]+)(?:[.,](?P<dec>[0-9]{1,2}))?"),
    # 12 345,67 (spaces of any kind between thousands), decimal comma or point
    re.compile(
        rf"(?P<int>\d{{1,3}}(?:{_SPACE_CLASS}\d{{3}})+)(?:[.,](?P<dec>\d{{1,2}}))?", re.ASCII
    ),
    # 12.345,67 / 1.234.567 (dots between thousands, decimal comma)
    re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+),(?P<dec>\d{1,2})", re.ASCII),
    re.compile(r"(?P<int>\d{1,3}(?:\.\d{3}){2,})", re.ASCII),
    # 12,345.67 / 1,234,567 (commas between thousands, decimal point)
    re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+)\.(?P<dec>\d{1,2})", re.ASCII),
    re.compile(r"(?P<int>\d{1,3}(?:,\d{3}){2,})", re.ASCII),
)
_CURRENCY = re.compile(r"(?:€|eur|euros?)$", re.IGNORECASE)


# The combining marks NFKD leaves after Latin, Greek and Cyrillic letters (é → e + U+0301),
# deleted by str.translate: about 10× faster than testing each character in Python, which
# matters when the app folds 10,000 startups' names for its filter.
_COMBINING = {
    code: None
    for start, end in ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100))
    for code in range(start, end)
    if unicodedata.combining(chr(code))
} | {code: None for code in range(0xFE20, 0xFE30)}


def fold(text: str) -> str:
    """Lower case, no accents, no surrounding spaces: how names and values are compared."""
    return unicodedata.normalize("NFKD", text.strip().casefold()).translate(_COMBINING)


def read_amount_cents(text: str) -> int:
    """``"12 345,67"`` → ``1234567``: an amount in euros as people type it, in cents.

    Read: ``1234.5``, ``1234,5``, ``1 234,56`` (any space between thousands),
    ``1.234,56``, ``1,234.56``, with an optional ``€``/``EUR`` and sign (``-12``,
    ``(12,00)``).  Anything else, or more than two decimals, is refused with the reason.
    The app's forms (ceilings, amounts) and the consumption lines read amounts with it.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("is empty")
    value = _CURRENCY.sub("", raw).strip(THOUSANDS_SPACES)
    negative = False
    if value and (value[0] in _MINUS or value[-1] in _MINUS):
        negative = True
        value = value.strip(_MINUS).strip(THOUSANDS_SPACES)
    elif value.startswith("(") and value.endswith(")"):  # accounting negative: (120,00)
        negative = True
        value = value[1:-1].strip(THOUSANDS_SPACES)
    elif value.startswith("+"):
        value = value[1:].strip(THOUSANDS_SPACES)
    for form in _AMOUNT_FORMS:
        match = form.fullmatch(value)
        if match:
            break
    else:
        raise ValueError("is not an amount")
    digits = re.sub(r"[^0-9]", "", match["int"])
    cents = int(Decimal(f"{digits}.{match.groupdict().get('dec') or '0'}") * 100)
    return -cents if negative else cents


def parse_amount_cents(text: str) -> int:
    """A consumption line's amount: as ``read_amount_cents`` reads it, and more than 0.

    Zero and negative amounts are refused (a consumption line records money going
    out; a refund is not one).
    """
    cents = read_amount_cents(text)
    if cents < 0:
        raise ValueError("is negative (a consumption line is money spent or committed)")
    if cents == 0:
        raise ValueError("is zero")
    return cents


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_FRENCH = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)


def parse_day(text: str) -> dt.date:
    """``2018-06-15`` or ``15/06/2018`` (also ``15.06.2018``, ``15-06-2018``) → a date.

    A time part after the day (``2018-06-15 00:00:00``, as spreadsheets write) is
    ignored.  An impossible day (31/02/2019) is refused as such.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("is empty")
    head = raw.split()[0] if " " in raw else raw.split("T")[0]
    if match := _ISO.fullmatch(head):
        year, month, day = (int(g) for g in match.groups())
    elif match := _FRENCH.fullmatch(head):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError("is not a date (expected dd/mm/yyyy or yyyy-mm-dd)")
    try:
        found = dt.date(year, month, day)
    except ValueError:
        raise ValueError("is not a real day") from None
    return check_plausible(found)


# The days a convention, a line or a deadline can be on: a year outside is a typo (and a
# burn-down from year 1 would have 24,000 months).
PLAUSIBLE_YEARS = range(1900, 2200)


def check_plausible(day: dt.date) -> dt.date:
    """``day`` if its year is in PLAUSIBLE_YEARS, else ValueError."""
    if day.year not in PLAUSIBLE_YEARS:
        raise ValueError(
            f"is not a plausible day (years {PLAUSIBLE_YEARS[0]}–{PLAUSIBLE_YEARS[-1]})"
        )
    return day


KINDS = {
    "engagement": "engagement",
    "engagements": "engagement",
    "engage": "engagement",
    "paiement": "payment",
    "paiements": "payment",
    "payment": "payment",
    "payments": "payment",
}


def parse_kind(text: str) -> str:
    """``Paiement`` / ``payment`` / ``ENGAGEMENT`` → ``payment`` or ``engagement``."""
    kind = KINDS.get(fold(text))
    if kind is None:
        if not text.strip():
            raise ValueError("is empty (expected engagement or paiement)")
        raise ValueError("is neither engagement nor paiement")
    return kind
