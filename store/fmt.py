"""Formatting for people: euros and dates the French way, shared by the CLI and the app.

Babel (CLDR) says how French writes numbers; its formatting costs about 80 µs a call,
so the amounts of a report (three a row, 2,000 for the real portfolio) would cost more
than the rest of the report.  The whole euros and the months are therefore written here
with babel's own symbols and rounding (half to even), and a test holds them equal to
``babel.numbers.format_currency`` and ``format_decimal`` on any value.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

LOCALE = "fr_FR"
# fr_FR in CLDR (babel.numbers.get_group_symbol, get_decimal_symbol, get_minus_sign_symbol,
# get_currency_symbol): a narrow no-break space between thousands, a decimal comma, a
# no-break space before the euro sign.
GROUP, DECIMAL, MINUS, EURO = "\u202f", ",", "-", "\u00a0€"


def _whole_euros(cents: int | float) -> str:
    """Whole euros, grouped, rounded half to even as babel rounds them (a negative amount
    that rounds to nothing keeps its sign, as babel writes it: ``-0 €``)."""
    if type(cents) is int:
        euros, rest = divmod(abs(cents), 100)
        if rest > 50 or (rest == 50 and euros % 2):
            euros += 1
        negative = cents < 0
    else:
        value = Decimal(str(cents / 100)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        euros, negative = int(abs(value)), value.is_signed()
    text = f"{euros:,}".replace(",", GROUP)
    return MINUS + text if negative else text


def eur(cents: int | float | None, *, unknown: str = "inconnu", decimals: bool = False) -> str:
    """``26970000`` → ``269 700 €``; ``None`` → ``inconnu`` (never 0); ``decimals``: to the cent."""
    if cents is None:
        return unknown
    if not decimals:
        return _whole_euros(cents) + EURO
    from babel.numbers import format_currency

    return format_currency(cents / 100, "EUR", locale=LOCALE, currency_digits=True)


def months(value: float | None) -> str:
    """``3.64`` → ``3,6 mois``."""
    if value is None:
        return "—"
    text = f"{round(value, 1):,.1f}"
    whole, _, tenth = text.partition(".")
    return whole.replace(",", GROUP) + DECIMAL + tenth + " mois"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def number(value: float | None) -> str:
    """``1500.5`` → ``1 500,5``; ``None`` → ``—``."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return format_decimal(value, locale=LOCALE)


def staffing_outlook(p) -> str | None:
    """What a convention's staffing plan says of its money (``store.rules.budget.Projection``):
    ``"au rythme du plan d'équipe, l'argent dure jusqu'au 2018-09-20"``, or what the plan
    would leave at the end; ``None`` without a plan."""
    if p.staffing_cost_cents is None:
        return None
    head = f"plan d'équipe : {eur(p.staffing_cost_cents)} d'ici le {day(p.ends_on)}"
    if p.staffing_exhausts_on is not None:
        return f"{head} → l'argent dure jusqu'au {day(p.staffing_exhausts_on)}"
    if p.staffing_leftover_cents is None:
        return f"{head} (plafond inconnu)"
    return f"{head} → reste {eur(p.staffing_leftover_cents)} à la fin"
