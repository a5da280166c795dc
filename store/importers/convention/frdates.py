"""French dates as they appear in OCR'd administrative texts.

Forms read: ``12 AVR. 2018``, ``le 30 novembre 2018``, ``05/12/2018``, ``1er octobre 2018``,
``1^{er} septembre 2018``, ``décembre 2021`` (month precision), with or without accents, in
any case, with the usual abbreviations and with OCR's stray spaces (``1 er``, ``12 AVR . 2018``).

A month-precision date ("décembre 2021") is returned as the *last* day of that month: the
texts use it for end dates ("prendra fin en décembre 2021"); the precision is reported so a
caller that wants the first day can use ``d.replace(day=1)``.

Nothing here raises on bad input: an impossible date (31/02/2018) is simply not a date.
"""

from __future__ import annotations

import calendar
import datetime
import re

from store.rules.dates import PLAUSIBLE_YEARS
from store.rules.text import fold
from store.rules.vocab import MONTH_WORDS

__all__ = ["find_french_dates", "parse_french_date"]


_E = "[eéèêEÉÈÊ]"
_U = "[uûùUÛÙ]"
# Longest spellings first so that "décembre" is not read as "déc" + "embre".
_MONTH_RE = (
    r"(?:janvier|janv|jan"
    rf"|f{_E}vrier|f{_E}vr|f{_E}v"
    r"|mars|avril|avr|mai|juin|juillet|juil"
    rf"|ao{_U}t"
    r"|septembre|sept|sep|octobre|oct|novembre|nov"
    rf"|d{_E}cembre|d{_E}c)"
)

# "1er", "1^{er}" (a superscript as text), "1 {er}" (that superscript through OCR), "1ᵉʳ", "1°".
_ORDINAL = r"(?:\s*(?:\^?\s*\{\s*er\s*\}|\^\s*er|er|ᵉʳ|°(?:\s*\{\s*er\s*\})?))?"

_TEXT_DATE = re.compile(
    r"(?<![\w])"
    rf"(?:(?P<day>\d{{1,2}}){_ORDINAL}\s*)?"
    rf"(?P<month>{_MONTH_RE})(?![a-zà-ÿ])"
    r"\s*\.?\s*"
    r"(?P<year>\d{4})(?!\d)",
    re.IGNORECASE,
)

_NUM_DATE = re.compile(
    r"(?<![\w/.-])"
    r"(?P<day>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<month>\d{1,2})\s*(?P=sep)\s*(?P<year>\d{4})"
    r"(?![\w/-])"
)


def _make_date(year: int, month: int, day: int | None) -> tuple[datetime.date, str] | None:
    if year not in PLAUSIBLE_YEARS or not (1 <= month <= 12):
        return None
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, last), "month"
    try:
        return datetime.date(year, month, day), "day"
    except ValueError:
        return None


def find_french_dates(text: str) -> list[tuple[int, int, datetime.date, str]]:
    """Every date found in ``text``, in order: ``(start, end, date, precision)``.

    ``precision`` is ``"day"`` or ``"month"``; a month-precision date is the last day of the
    month. Impossible dates are skipped. Never raises on a string.
    """
    if not isinstance(text, str) or not text:
        return []
    found: list[tuple[int, int, datetime.date, str]] = []
    for m in _TEXT_DATE.finditer(text):
        month = MONTH_WORDS.get(fold(m["month"]))
        if month is None:
            continue
        day = int(m["day"]) if m["day"] else None
        if day is not None and day != 1 and "er" in fold(m[0][: m.start("month") - m.start()]):
            continue  # "17 {er} septembre": only the 1st is "1er"; an OCR misreading, not a date
        made = _make_date(int(m["year"]), month, day)
        if made is None and day is not None:
            continue  # "31 février 2018": impossible, not a month-precision date
        if made is not None:
            found.append((m.start(), m.end(), made[0], made[1]))
    for m in _NUM_DATE.finditer(text):
        made = _make_date(int(m["year"]), int(m["month"]), int(m["day"]))
        if made is not None:
            found.append((m.start(), m.end(), made[0], made[1]))
    found.sort(key=lambda t: t[0])
    # Drop overlaps (keep the earliest, longest match).
    result: list[tuple[int, int, datetime.date, str]] = []
    for item in found:
        if result and item[0] < result[-1][1]:
            continue
        result.append(item)
    return result


def parse_french_date(text: str) -> datetime.date | None:
    """The date written in ``text`` (the first one if several), or None.

    A month-precision expression ("décembre 2021") gives the last day of the month.
    """
    dates = find_french_dates(text)
    return dates[0][2] if dates else None
