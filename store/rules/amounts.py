"""Amounts in euros as people type them or exports write them, read as integer cents.

Shared by ``startups expense add``, the CSV importers and the app's forms, so that an
amount accepted in one place is accepted everywhere.  Each parser returns cents or
raises ``ValueError`` whose message is the reason, phrased to follow the field's name
and value (``montant "12,3,4" n'est pas un montant``), in the language of the run.
"""

from __future__ import annotations

import re

import i18n

_ = i18n.Domain("store").gettext
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
# No budget here comes near 10^11 € (a hundred billion): an amount beyond is a typo or a
# forged value, refused rather than stored (and 64-bit integers never overflow).
MAX_CENTS = 10**13

_CURRENCY = re.compile(r"(?:€|eur|euros?)$", re.IGNORECASE)


def read_amount_cents(text: str) -> int:
    """``"12 345,67"`` → ``1234567``: an amount in euros as people type it, in cents.

    Read: ``1234.5``, ``1234,5``, ``1 234,56`` (any space between thousands),
    ``1.234,56``, ``1,234.56``, with an optional ``€``/``EUR`` and sign (``-12``,
    ``(12,00)``).  Anything else, or more than two decimals, is refused with the reason.
    The app's forms (ceilings, amounts) and the consumption lines read amounts with it.
    """
    raw = text.strip()
    if not raw:
        raise ValueError(_("is empty"))
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
        raise ValueError(_("is not an amount"))
    digits = re.sub(r"[^0-9]", "", match["int"])
    if len(digits) > 14:  # beyond MAX_CENTS whatever the decimals: never a huge number
        raise ValueError(_("is more than 100 000 000 000 €"))
    cents = int(digits) * 100 + int((match.groupdict().get("dec") or "0").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise ValueError(_("is more than 100 000 000 000 €"))
    return -cents if negative else cents


def parse_amount_cents(text: str) -> int:
    """A consumption line's amount: as ``read_amount_cents`` reads it, and more than 0.

    Zero and negative amounts are refused (a consumption line records money going
    out; a refund is not one).
    """
    cents = read_amount_cents(text)
    if cents < 0:
        raise ValueError(_("is negative (a consumption line is money spent or committed)"))
    if cents == 0:
        raise ValueError(_("is zero"))
    return cents
