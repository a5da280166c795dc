"""One startup's burn-down series, read from the store (``startups burn``, the app)."""

from __future__ import annotations

import datetime as dt

import i18n
from store.errors import NotFound
from store.facts import Rows, load_conventions
from store.reader import as_date
from store.rules.burn import Point, series
from store.rules.vocab import LineKind, OrderStatus

_ = i18n.Domain("store").gettext

SQL_STARTUP = "SELECT id FROM startup WHERE slug = :slug"
# What is engaged (AE): the lines that are no order's payment, and the orders…
SQL_LINES = """
SELECT counted_convention_id, date, SUM(amount_cents)
FROM consumption_line WHERE startup_id = :startup_id AND date <= :as_of AND order_id IS NULL
GROUP BY counted_convention_id, date
UNION ALL
SELECT counted_convention_id, date, SUM(amount_cents)
FROM purchase_order WHERE startup_id = :startup_id AND date <= :as_of AND status <> :cancelled
GROUP BY counted_convention_id, date
"""
# …and what is paid (CP): every payment, direct or of an order.
SQL_PAYMENTS = """
SELECT counted_convention_id, date, SUM(amount_cents)
FROM consumption_line WHERE startup_id = :startup_id AND date <= :as_of AND kind = :payment
GROUP BY counted_convention_id, date
"""


def startup_id(source: Rows, slug: str) -> int:
    """The id of the startup ``slug`` (``NotFound`` when there is none)."""
    found = source.rows(SQL_STARTUP, slug=slug)
    if not found:
        raise NotFound(_("no startup {slug!r} in the store").format(slug=slug))
    return found[0][0]


def load(source: Rows, slug: str, on: dt.date, *, whole_history: bool = False) -> list[Point]:
    """The series of the startup ``slug`` (``NotFound`` when there is none)."""
    sid = startup_id(source, slug)
    own = load_conventions(source, [sid]).get(sid, [])
    lines = [
        (cid, as_date(day), int(total))
        for cid, day, total in source.rows(
            SQL_LINES, startup_id=sid, as_of=on, cancelled=OrderStatus.CANCELLED.value
        )
    ]
    payments = [
        (cid, as_date(day), int(total))
        for cid, day, total in source.rows(
            SQL_PAYMENTS, startup_id=sid, as_of=on, payment=LineKind.PAYMENT.value
        )
    ]
    return series(own, lines, on, whole_history=whole_history, payments=payments)
