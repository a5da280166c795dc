"""Euros for the portfolio's cells, written without babel.

``store.fmt.eur`` formats with babel; importing it and loading the fr_FR locale data
costs about 50 ms and 3.5 MiB, and each call about 80 µs, which the portfolio would
pay before its first paint (its totals and its visible rows) and on every keystroke.
``eur`` here writes the same strings for the same amounts (whole euros, the same
rounding, U+202F between thousands and U+00A0 before ``€``); tests/test_tui.py checks it
against ``store.fmt.eur``.  The other screens keep ``store.fmt.eur``.
"""

from __future__ import annotations

from decimal import Decimal

GROUP = "\u202f"  # fr_FR's thousands separator (narrow no-break space)
SUFFIX = "\u00a0€"
_UNIT = Decimal(1)


def eur(cents: int | float | None, *, unknown: str = "inconnu") -> str:
    """``26970000`` → ``269 700 €``, as ``store.fmt.eur(cents, unknown=…)`` writes it."""
    if cents is None:
        return unknown
    # As babel does: the euros' decimal string, rounded with the decimal context's
    # rounding (half to even), the sign kept even when the amount rounds to 0.
    value = Decimal(str(cents / 100))
    whole = int(abs(value).quantize(_UNIT))
    sign = "-" if value.is_signed() else ""
    return f"{sign}{whole:,}".replace(",", GROUP) + SUFFIX
