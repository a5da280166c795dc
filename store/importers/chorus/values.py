"""The cells of a Chorus export, one rule per kind of value.

A cell is text (a CSV field, a text cell of a workbook) or what a workbook stores: int,
float, bool or datetime.  Each reader returns the value, None for an empty cell or Chorus's
``#``, or raises ``ValueError`` whose message is the reason, phrased to follow the column's
name and the value (``Montant payé "12,3,4" is not an amount``).  A value that nearly has a
shape (a centre financier without its UO) gives None for the parts, never a guess.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import i18n
from store.rules.amounts import THOUSANDS_SPACES, read_amount_cents
from store.rules.dates import PLAUSIBLE_YEARS, check_plausible, parse_day
from store.rules.text import fold, fold_compact

_ = i18n.Domain("store").gettext

NA = "#"  # SAP BW's "non affecté": no value
# SAP's initial date, what it writes for a date that was never set.
SAP_NO_DATE = "00.00.0000"
MAX_EUROS = 10**11
MAX_CENTS = MAX_EUROS * 100
MAX_TEXT = "100 000 000 000 €"

Cell = str | int | float | bool | dt.datetime | dt.date | None


def show(value: object, limit: int = 40) -> str:
    """A value quoted for a message: control characters escaped, long values cut."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    escaped = "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )
    return f'"{escaped}"'


# --- text ------------------------------------------------------------------------------


def text(cell: Cell) -> str | None:
    """A code or a label: stripped, NFC, None for empty or ``#``; numbers without ``.0``."""
    if cell is None:
        return None
    kind = type(cell)
    if kind is str:
        value = cell.strip()
        if not value or value == NA:
            return None
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        return value
    if kind is int:
        return str(cell)
    if kind is float:
        if math.isfinite(cell) and cell == int(cell):
            return str(int(cell))
        return repr(cell)
    if kind is bool:
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


# --- identities ------------------------------------------------------------------------

_EJ = re.compile(r"[0-9]{10}", re.ASCII)
_LINE_NUMBER = re.compile(r"[0-9]{1,6}", re.ASCII)


def _integral(cell: float) -> int | None:
    return int(cell) if math.isfinite(cell) and cell == int(cell) else None


def ej_number(cell: Cell) -> str | None:
    """N° EJ: ten digits (``1400000101``), from text or from a workbook's number."""
    if cell is None:
        return None
    kind = type(cell)
    if kind is str:
        value = cell.strip()
        if not value or value == NA:
            return None
    elif kind is int:
        value = str(cell)
    elif kind is float:
        whole = _integral(cell)
        value = str(whole) if whole is not None else repr(cell)
    else:
        raise ValueError(_("is not an EJ number (10 digits)"))
    if _EJ.fullmatch(value) is None:
        raise ValueError(_("is not an EJ number (10 digits)"))
    return value


def line_number(cell: Cell) -> int | None:
    """N° poste EJ: a whole number from 1 to 999999."""
    if cell is None:
        return None
    kind = type(cell)
    number: int | None = None
    if kind is str:
        value = cell.strip()
        if not value or value == NA:
            return None
        if _LINE_NUMBER.fullmatch(value):
            number = int(value)
    elif kind is int:
        number = cell
    elif kind is float:
        number = _integral(cell)
    if number is None or not 0 < number <= 999_999:
        raise ValueError(_("is not a line number"))
    return number


# --- amounts ---------------------------------------------------------------------------

# What exports write most (``24 000,00``, ``-12,5``, ``8000``): read here without the
# general parser, with the same result (a property test holds them equal).
_PLAIN_AMOUNT = re.compile(
    "(-?)([0-9]{1,3}(?:[" + THOUSANDS_SPACES + "][0-9]{3})+|[0-9]+)(?:,([0-9]{1,2}))?"
)


def amount_text_cents(value: str) -> int | None:
    """Cents from an amount written as text (``1 234,56``, ``(12,00)``, ``1.234,56-``).

    Empty and ``#`` are None; anything ``store.rules.amounts.read_amount_cents`` refuses
    is refused with its reason; so is an amount beyond 100 000 000 000 €.
    """
    raw = value.strip()
    if not raw or raw == NA:
        return None
    match = _PLAIN_AMOUNT.fullmatch(raw)
    if match is not None:
        sign, whole, decimals = match.groups()
        if len(whole) > 3 and not whole.isdigit():
            whole = "".join(c for c in whole if c.isdigit())
        cents = int(whole) * 100 + (int(decimals.ljust(2, "0")) if decimals else 0)
        if sign:
            cents = -cents
    else:
        cents = read_amount_cents(raw)
    if abs(cents) > MAX_CENTS:
        raise ValueError(_("is beyond {max}").format(max=MAX_TEXT))
    return cents


def amount_cents(cell: Cell) -> int | None:
    """Cents from an amount cell: a workbook's number (at most two decimals) or text."""
    if cell is None:
        return None
    kind = type(cell)
    if kind is str:
        return amount_text_cents(cell)
    if kind is float:
        if not math.isfinite(cell):
            raise ValueError(_("is not an amount"))
        if abs(cell) > MAX_EUROS:
            raise ValueError(_("is beyond {max}").format(max=MAX_TEXT))
        scaled = cell * 100
        cents = round(scaled)
        # A float's own error (0.1 + 0.2) is not a third decimal; 0.125 is.
        if abs(scaled - cents) > 1e-6 * max(1.0, abs(scaled)):
            raise ValueError(_("has more than two decimals"))
        return cents
    if kind is int:
        if abs(cell) > MAX_EUROS:
            raise ValueError(_("is beyond {max}").format(max=MAX_TEXT))
        return cell * 100
    raise ValueError(_("is not an amount"))


# --- dates -----------------------------------------------------------------------------


def day(cell: Cell) -> dt.date | None:
    """A date: a workbook's date cell, or ``dd.mm.yyyy``, ``dd/mm/yyyy``, ISO text.

    A number is refused (a date cell would have come as a date: a bare number is not one
    for sure); so is an impossible day, or a year outside 1900–2199.
    """
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return check_plausible(cell.date())
    if isinstance(cell, dt.date):
        return check_plausible(cell)
    if type(cell) is str:
        value = cell.strip()
        if not value or value in (NA, SAP_NO_DATE):
            return None
        return parse_day(value)
    if type(cell) in (int, float):
        raise ValueError(_("is a number, not a date"))
    raise ValueError(_("is not a date"))


# --- codes with a shape ----------------------------------------------------------------

# [périmètre/]programme-BOP-UO: BG00/0129-CAHC-DISI, 0352-CDBR-DINU.
_CENTRE_FINANCIER = re.compile(
    r"(?:[A-Z0-9]{4}/)?(?P<programme>[0-9]{4})-(?P<bop>[A-Z0-9]{4})-(?P<uo>[A-Z0-9]{4})", re.ASCII
)
# [périmètre/]12 digits, the first four the programme: BG00/035201010001.
_ACTIVITY = re.compile(r"(?:[A-Z0-9]{4}/)?(?P<code>[0-9]{12})", re.ASCII)


def centre_financier_codes(raw: str | None) -> tuple[str | None, str | None, str | None]:
    """``BG00/0129-CAHC-DISI`` → ``("0129", "0129-CAHC", "0129-CAHC-DISI")``.

    Programme, BOP and UO as Chorus codes them; (None, None, None) for any other shape.
    """
    match = _CENTRE_FINANCIER.fullmatch(raw) if raw else None
    if match is None:
        return None, None, None
    programme = match["programme"]
    bop = f"{programme}-{match['bop']}"
    return programme, bop, f"{bop}-{match['uo']}"


def activity_code(raw: str | None) -> str | None:
    """``BG00/035201010001`` → ``035201010001``; None for any other shape."""
    match = _ACTIVITY.fullmatch(raw) if raw else None
    return match["code"] if match else None


# --- the lines above the header ---------------------------------------------------------

_DAY_IN_TEXT = re.compile(
    r"(?<![0-9])(?:[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])",
    re.ASCII,
)
_EXERCICE = re.compile(r"\bexercice(?: comptable)?\s*:?\s*([0-9]{4})(?![0-9])", re.ASCII)


def days_in(cell: Cell) -> set[dt.date]:
    """The real days a preamble cell gives (a date cell, or dates written in its text)."""
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return {cell} if cell.year in PLAUSIBLE_YEARS else set()
    if type(cell) is not str:
        return set()
    found = set()
    for match in _DAY_IN_TEXT.finditer(cell):
        try:
            found.add(parse_day(match.group()))
        except ValueError:
            continue
    return found


def exercice_in(cell: Cell) -> int | None:
    """The year an ``Exercice (comptable) : 2019`` cell gives, else None."""
    if type(cell) is not str:
        return None
    match = _EXERCICE.search(fold(cell))
    if match is None:
        return None
    year = int(match[1])
    return year if year in PLAUSIBLE_YEARS else None


def year_heading(cell: Cell) -> int | None:
    """A header cell that is a year (the long CSV heads its amount column ``2025``)."""
    if type(cell) is int and not isinstance(cell, bool):
        year = cell
    elif type(cell) is str and re.fullmatch(r"\s*[0-9]{4}\s*", cell, re.ASCII):
        year = int(cell)
    else:
        return None
    return year if year in PLAUSIBLE_YEARS else None


# --- column names ----------------------------------------------------------------------

_PARENTHESES = re.compile(r"\([^()]*\)")


def column_key(cell: Cell) -> str:
    """A header's name as compared: no case, accents, spaces, punctuation, ``°``, or what
    is in parentheses.  ``N°EJ (Bon de commande / …)`` and ``N° EJ`` are both ``nej``."""
    name = text(cell)
    if name is None:
        return ""
    while "(" in name:
        cut = _PARENTHESES.sub(" ", name)
        if cut == name:  # an unclosed parenthesis: what follows it goes too
            cut = name[: name.index("(")]
        name = cut
    return fold_compact(name.replace("°", " ").replace("º", " "))


def is_subtotal(cell: Cell) -> bool:
    """Chorus's subtotal lines: a dimension cell that says ``Résultat`` (BW's words)."""
    return type(cell) is str and " ".join(fold(cell).split()) in _SUBTOTAL_WORDS


_SUBTOTAL_WORDS = frozenset({"resultat", "resultat global", "result", "overall result"})
