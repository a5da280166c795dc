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
