"""A startup's published budget for one year (``startups publish``), read from the store.

The rules are ``store.rules.publish``; this reads their inputs with plain SQL.
"""

from __future__ import annotations

import datetime as dt

from store.facts import Rows
from store.queries.burn import startup_id
from store.reader import as_date
from store.rules.budget import StaffingFacts
from store.rules.publish import PublishedLine, ScheduleFacts, SpendLine, published_lines

SQL_LINES = """
SELECT date, amount_cents, kind, category, label, counted_convention_id
FROM consumption_line WHERE startup_id = :sid AND date >= :first AND date <= :last
"""
SQL_STAFFING = """
SELECT role, headcount, starts_on, ends_on, daily_rate_cents, convention_id
FROM staffing_line WHERE startup_id = :sid ORDER BY id
"""
SQL_SCHEDULE = """
SELECT c.id, l.ae_cents, l.cp_cents
FROM schedule_line l JOIN convention c ON c.id = l.convention_id
WHERE c.startup_id = :sid AND l.year = :year ORDER BY c.id
"""


def published(source: Rows, slug: str, year: int, on: dt.date) -> list[PublishedLine]:
    """The "Dépenses numériques" lines of the startup ``slug`` for ``year``, as of D."""
    sid = startup_id(source, slug)
    lines = [
        SpendLine(as_date(day), int(cents), kind, category or label or "", cid)
        for day, cents, kind, category, label, cid in source.rows(
            SQL_LINES, sid=sid, first=dt.date(year, 1, 1), last=dt.date(year, 12, 31)
        )
    ]
    staffing = [
        StaffingFacts(
            headcount=float(headcount),
            starts_on=as_date(starts),
            ends_on=as_date(ends),
            daily_rate_cents=rate,
            convention_id=cid,
            role=role,
        )
        for role, headcount, starts, ends, rate, cid in source.rows(SQL_STAFFING, sid=sid)
    ]
    schedule = [
        ScheduleFacts(cid, ae, cp) for cid, ae, cp in source.rows(SQL_SCHEDULE, sid=sid, year=year)
    ]
    return published_lines(year, on, lines, staffing, schedule)
