"""One parser for the days people type, with the same bounds at every entry point."""

from __future__ import annotations

import datetime as dt

import pytest

import i18n
from store.errors import InvalidField
from store.importers.betagouv.read import FileError
from store.importers.betagouv.read import parse_date as betagouv_date
from store.importers.chorus.values import day as chorus_day
from store.ops.edit import parse_date as form_date
from store.rules.dates import PLAUSIBLE_YEARS, check_plausible, parse_day

SEPT_15 = dt.date(2018, 9, 15)


@pytest.mark.parametrize(
    "text", ["2018-09-15", "15/09/2018", "15.09.2018", "15-09-2018", " 2018-09-15 00:00:00"]
)
def test_iso_and_french_days_everywhere(text):
    assert parse_day(text) == SEPT_15
    assert betagouv_date(text, "start") == SEPT_15
    assert chorus_day(text) == SEPT_15
    assert form_date("date", text) == SEPT_15


@pytest.mark.parametrize("text", ["0001-03-15", "15/03/0001", "31/12/1899", "2200-01-01"])
def test_the_same_bounds_everywhere(text):
    with pytest.raises(ValueError, match="n'est pas un jour plausible"):
        parse_day(text)
    with pytest.raises(FileError, match="n'est pas un jour plausible"):
        betagouv_date(text, "start")
    with pytest.raises(ValueError, match="n'est pas un jour plausible"):
        chorus_day(text)
    with pytest.raises(InvalidField, match="n'est pas un jour plausible"):
        form_date("date", text)
    with pytest.raises(FileError, match="n'est pas un jour plausible"):
        betagouv_date(dt.date(1, 3, 15), "start")  # a date YAML already read
    assert PLAUSIBLE_YEARS[0] == 1900 and check_plausible(dt.date(1900, 1, 1))


def test_the_reasons_in_both_languages():
    with pytest.raises(ValueError, match=r"^n'existe pas$"):
        parse_day("31/02/2019")
    with pytest.raises(ValueError, match=r"^n'est pas une date"):
        parse_day("demain")
    i18n.use("en")
    with pytest.raises(ValueError, match=r"^is not a real day$"):
        parse_day("31/02/2019")
    with pytest.raises(ValueError, match=r"^is not a date \(expected dd/mm/yyyy or yyyy-mm-dd\)$"):
        parse_day("demain")
    with pytest.raises(ValueError, match="years 1900–2199"):
        parse_day("0001-01-01")
