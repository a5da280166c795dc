"""The fast French amounts say exactly what babel says."""

from __future__ import annotations

from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from store.fmt import LOCALE, eur, months

cents = st.integers(min_value=-(10**13), max_value=10**13)


@given(cents)
def test_whole_euros_are_babel_s(value):
    assert eur(value) == format_currency(
        value / 100, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False
    )


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_fractional_cents_round_as_babel_rounds(value):
    assert eur(value) == format_currency(
        value / 100, "EUR", format="#,##0\u00a0¤", locale=LOCALE, currency_digits=False
    )


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_months_are_babel_s(value):
    expected = format_decimal(round(value, 1), format="#,##0.0", locale=LOCALE)
    assert months(value) == f"{expected} mois"


def test_unknown_is_never_zero():
    assert eur(None) == "inconnu" and months(None) == "—"
    assert eur(123456, decimals=True) == "1\u202f234,56\u00a0€"
