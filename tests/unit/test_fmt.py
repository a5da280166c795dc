"""The amounts, numbers, months and days people read, in French and in English; the
fast amounts say exactly what babel says in both languages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

import i18n
from store.fmt import STYLES, day, eur, long_day, months, number, staffing_outlook

cents = st.integers(min_value=-(10**13), max_value=10**13)
# The whole-euro pattern of each language, as CLDR writes its currency.
PATTERN = {"fr": "#,##0\u00a0¤", "en": "¤#,##0"}


def _babel_eur(value, language):
    return format_currency(
        value / 100,
        "EUR",
        format=PATTERN[language],
        locale=STYLES[language].locale,
        currency_digits=False,
    )


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@given(value=cents)
def test_whole_euros_are_babel_s(language, value):
    i18n.use(language)
    assert eur(value) == _babel_eur(value, language)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@given(value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_fractional_cents_round_as_babel_rounds(language, value):
    i18n.use(language)
    assert eur(value) == _babel_eur(value, language)


@pytest.mark.parametrize(("language", "word"), [("fr", "mois"), ("en", "months")])
@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_months_are_babel_s(language, word, value):
    i18n.use(language)
    expected = format_decimal(round(value, 1), format="#,##0.0", locale=STYLES[language].locale)
    assert months(value) == f"{expected} {word}"


def test_french_forms():
    assert eur(26970000) == "269\u202f700\u00a0€"
    assert eur(-150) == "-2\u00a0€"
    assert eur(123456, decimals=True) == "1\u202f234,56\u00a0€"
    assert number(1500.5) == "1\u202f500,5" and number(38000) == "38\u202f000"
    assert months(3.64) == "3,6 mois"
    assert day(dt.date(2018, 9, 15)) == "15/09/2018"
    assert long_day(dt.date(2018, 9, 15)) == "15 sept. 2018"


def test_english_forms():
    i18n.use("en")
    assert eur(26970000) == "€269,700"
    assert eur(-150) == "-€2"
    assert eur(123456, decimals=True) == "€1,234.56"
    assert number(1500.5) == "1,500.5" and number(38000) == "38,000"
    assert months(3.64) == "3.6 months"
    assert day(dt.date(2018, 9, 15)) == "2018-09-15"
    assert long_day(dt.date(2018, 9, 15)) == "15 Sep 2018"


def test_unknown_is_never_zero_in_either_language():
    assert eur(None) == "inconnu" and months(None) == "—" and day(None) == "—"
    assert number(None) == "—" and long_day(None) == "—"
    assert eur(None, unknown="?") == "?"
    i18n.use("en")
    assert eur(None) == "unknown" and months(None) == "—"


def test_staffing_outlook_in_both_languages():
    plan = SimpleNamespace(
        staffing_cost_cents=3_800_000,
        ends_on=dt.date(2018, 9, 20),
        staffing_exhausts_on=None,
        staffing_leftover_cents=None,
    )
    assert staffing_outlook(plan) == (
        "plan d'équipe : 38\u202f000\u00a0€ d'ici le 20/09/2018 (plafond inconnu)"
    )
    i18n.use("en")
    assert staffing_outlook(plan) == "staffing plan: €38,000 by 2018-09-20 (ceiling unknown)"
    plan.staffing_exhausts_on = dt.date(2018, 8, 15)
    assert staffing_outlook(plan).endswith("→ the money lasts until 2018-08-15")
    assert staffing_outlook(SimpleNamespace(staffing_cost_cents=None)) is None
