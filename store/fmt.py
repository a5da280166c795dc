"""Formatting for people: euros and dates the French way (babel), shared by the CLI and the app."""

from __future__ import annotations

import datetime as dt

LOCALE = "fr_FR"


def eur(cents: int | float | None, *, unknown: str = "inconnu", decimals: bool = False) -> str:
    """``26970000`` → ``269 700 €``; ``None`` → ``inconnu`` (never 0)."""
    if cents is None:
        return unknown
    from babel.numbers import format_currency

    pattern = None if decimals else "#,##0\u00a0¤"
    return format_currency(
        cents / 100, "EUR", format=pattern, locale=LOCALE, currency_digits=decimals
    )


def months(value: float | None) -> str:
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    return f"{format_decimal(round(value, 1), format='#,##0.0', locale=LOCALE)} mois"


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
