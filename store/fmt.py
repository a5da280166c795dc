"""Formatting for people, in the language of the run: euros, numbers, months and dates.

French (the default): ``269 700 €``, ``1 500,5``, ``3,6 mois``, ``15/09/2018`` or, where
there is room, ``15 sept. 2018``.  English (``--lang en``): ``€269,700``, ``1,500.5``,
``3.6 months``, ISO ``2018-09-15`` or ``15 Sep 2018``.  The English amount puts the
euro sign first, as English writes it (CLDR's ``en``).  Machine formats (JSON, CSV,
ICS) never come here: they keep ISO dates and cents.

Babel (CLDR) says how each language writes numbers; its formatting costs about 80 µs a
call, so the amounts of a report (three a row, 2,000 for the real portfolio) would cost
more than the rest of the report.  The whole euros and the months are therefore written
here with babel's own symbols and rounding (half to even), one table per language read
once a call (no gettext call a row), and a test holds them equal to
``babel.numbers.format_currency`` and ``format_decimal`` on any value, in both languages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import i18n

_ = i18n.Domain("store").gettext


@dataclass(frozen=True)
class Style:
    """How one language writes numbers (from CLDR: babel.numbers.get_group_symbol,
    get_decimal_symbol, get_minus_sign_symbol, get_currency_symbol)."""

    locale: str  # babel's name of the locale
    group: str  # between thousands
    decimal: str
    minus: str
    euro_before: str  # written before the digits (after the minus sign)
    euro_after: str  # written after the digits


STYLES = {
    # fr_FR: a narrow no-break space between thousands, a decimal comma, a no-break
    # space before the euro sign.
    "fr": Style("fr_FR", "\u202f", ",", "-", "", "\u00a0€"),
    # en: a comma between thousands, a decimal point, the euro sign first.
    "en": Style("en", ",", ".", "-", "€", ""),
}
# Kept for the callers of the French-only module: the French locale and its symbols.
LOCALE = STYLES["fr"].locale
GROUP, DECIMAL, MINUS, EURO = "\u202f", ",", "-", "\u00a0€"
# The word for an amount nobody knows (never 0).
UNKNOWN = i18n.N_("unknown")
# What stands for a missing value in a table.
NONE = "—"


def style() -> Style:
    """How the language of the moment writes numbers."""
    return STYLES[i18n.current()]


def locale() -> str:
    """Babel's name of the locale of the moment (``fr_FR``, ``en``)."""
    return style().locale


def _whole_euros(cents: int | float, s: Style) -> tuple[str, bool]:
    """Whole euros, grouped, and whether negative, rounded half to even as babel rounds
    them (a negative amount that rounds to nothing keeps its sign, as babel writes it:
    ``-0 €``)."""
    if type(cents) is int:
        euros, rest = divmod(abs(cents), 100)
        if rest > 50 or (rest == 50 and euros % 2):
            euros += 1
        negative = cents < 0
    else:
        value = Decimal(str(cents / 100)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        euros, negative = int(abs(value)), value.is_signed()
    text = f"{euros:,}"
    return (text if s.group == "," else text.replace(",", s.group)), negative


def eur(cents: int | float | None, *, unknown: str | None = None, decimals: bool = False) -> str:
    """``26970000`` → ``269 700 €`` (English ``€269,700``); ``None`` → ``unknown``,
    by default the word "inconnu" / "unknown" (never 0); ``decimals``: to the cent."""
    if cents is None:
        return _(UNKNOWN) if unknown is None else unknown
    s = style()
    if not decimals:
        digits, negative = _whole_euros(cents, s)
        return (s.minus if negative else "") + s.euro_before + digits + s.euro_after
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=s.locale, currency_digits=True)


def months(value: float | None, *, unknown: str = NONE) -> str:
    """``3.64`` → ``3,6 mois`` (English ``3.6 months``); ``None`` → ``—``."""
    if value is None:
        return unknown
    s = style()
    text = f"{round(value, 1):,.1f}"
    whole, _dot, tenth = text.partition(".")
    if s.group != ",":
        whole = whole.replace(",", s.group)
    return whole + s.decimal + tenth + (" mois" if i18n.current() == "fr" else " months")


def day(value: dt.date | None, *, unknown: str = NONE) -> str:
    """``15/09/2018`` (English: ISO ``2018-09-15``); ``None`` → ``—``."""
    if value is None:
        return unknown
    if i18n.current() == "fr":
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return value.isoformat()


def long_day(value: dt.date | None, *, unknown: str = NONE) -> str:
    """Where there is room: ``15 sept. 2018`` (English ``15 Sep 2018``); ``None`` → ``—``."""
    if value is None:
        return unknown
    from babel.dates import format_date

    return format_date(value, "d MMM y", locale=locale())


def number(value: float | None, *, unknown: str = NONE) -> str:
    """``1500.5`` → ``1 500,5`` (English ``1,500.5``); ``None`` → ``—``."""
    if value is None:
        return unknown
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale())


def staffing_outlook(p) -> str | None:
    """What a convention's staffing plan says of its money (``store.rules.budget.Projection``):
    ``"plan d'équipe : 38 000 € d'ici le 20/09/2018 → l'argent dure jusqu'au 15/08/2018"``,
    or what the plan would leave at the end; ``None`` without a plan."""
    if p.staffing_cost_cents is None:
        return None
    head = _("staffing plan: {cost} by {end}").format(
        cost=eur(p.staffing_cost_cents), end=day(p.ends_on)
    )
    if p.staffing_exhausts_on is not None:
        return _("{head} → the money lasts until {day}").format(
            head=head, day=day(p.staffing_exhausts_on)
        )
    if p.staffing_leftover_cents is None:
        return _("{head} (ceiling unknown)").format(head=head)
    return _("{head} → {left} left at the end").format(
        head=head, left=eur(p.staffing_leftover_cents)
    )
