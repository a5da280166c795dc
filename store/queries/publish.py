"""A startup's published budget for one year (``startups publish``), read from the store.

The rules are ``store.rules.publish``; this reads their inputs with plain SQL: the
consumption lines (a payment of an order carries its order's text and counts CP only),
the purchase orders not cancelled (AE), the staffing plan and the year's schedule.
"""

from __future__ import annotations

import datetime as dt

from store.facts import Rows
from store.queries.burn import startup_id
from store.reader import as_date
from store.rules.budget import StaffingFacts
from store.rules.publish import (
    ORDER,
    ORDER_PAYMENT,
    PublishedLine,
    ScheduleFacts,
    SpendLine,
    published_lines,
)
from store.rules.vocab import OrderStatus

SQL_LINES = """
SELECT l.date, l.amount_cents, l.kind, l.order_id, COALESCE(l.category, ''), l.label,
       COALESCE(o.label, ''), COALESCE(o.supplier, ''), l.counted_convention_id
FROM consumption_line l LEFT JOIN purchase_order o ON o.id = l.order_id
WHERE l.startup_id = :sid AND l.date >= :first AND l.date <= :last
ORDER BY l.date, l.id
"""
SQL_ORDERS = """
SELECT date, amount_cents, label, COALESCE(supplier, ''), counted_convention_id
FROM purchase_order
WHERE startup_id = :sid AND date >= :first AND date <= :last AND status <> :cancelled
ORDER BY date, id
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
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    lines = []
    for day, cents, kind, order_id, category, label, o_label, o_supplier, cid in source.rows(
        SQL_LINES, sid=sid, first=first, last=last
    ):
        if order_id is not None:
            kind, text = ORDER_PAYMENT, _order_text(o_label, o_supplier) or f"{category} {label}"
        else:
            text = f"{category} {label}"
        lines.append(SpendLine(as_date(day), int(cents), kind, text, cid))
    for day, cents, o_label, o_supplier, cid in source.rows(
        SQL_ORDERS, sid=sid, first=first, last=last, cancelled=OrderStatus.CANCELLED.value
    ):
        lines.append(
            SpendLine(as_date(day), int(cents), ORDER, _order_text(o_label, o_supplier), cid)
        )
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


def _order_text(label: str, supplier: str) -> str:
    """What an order says of itself (its label and its supplier: a supplier such as
    Scalingo names a resource)."""
    return " ".join(t for t in (label, supplier) if t)
