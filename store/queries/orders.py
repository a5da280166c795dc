"""One startup's purchase orders on a date, with what was delivered and paid of each
(``startups orders``, the app's Orders tab).

Read with plain SQL through ``store.facts.Rows``; rendering is the caller's job.  As of
D: the orders dated on or before D, their services faits and payments dated on or
before D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import i18n
from store.errors import NotFound
from store.facts import Rows
from store.reader import as_date
from store.rules.budget import OrderFacts, order_alerts
from store.rules.vocab import OrderStatus

_ = i18n.Domain("store").gettext

SQL_STARTUP_ID = "SELECT id FROM startup WHERE slug = :slug"
SQL_ORDERS = """
SELECT o.id, o.ej, o.supplier, o.date, o.convention_id, o.counted_convention_id,
       o.amount_cents, o.expected_on, o.status, o.label,
       (SELECT SUM(f.amount_cents) FROM service_fait f
        WHERE f.order_id = o.id AND f.date <= :as_of),
       (SELECT SUM(l.amount_cents) FROM consumption_line l
        WHERE l.order_id = o.id AND l.date <= :as_of),
       (SELECT MIN(f.date) FROM service_fait f WHERE f.order_id = o.id AND f.date <= :as_of),
       (SELECT CASE WHEN m.ej IS NULL THEN 0 ELSE 1 END
        FROM chorus_export e
        JOIN chorus_export_centre ec ON ec.export_id = e.id
        LEFT JOIN chorus_export_missing m ON m.export_id = e.id AND m.ej = o.ej
        WHERE ec.centre_financier = o.centre_financier AND e.day <= :as_of
        ORDER BY e.day DESC, e.id DESC LIMIT 1)
FROM purchase_order o
WHERE o.startup_id = :sid AND o.date <= :as_of
ORDER BY o.date, o.id
"""

# What an order's amounts say of it (beside what a coach says: closed, cancelled).
PARTLY_DELIVERED = "partly_delivered"
DELIVERED = "delivered"
PAID = "paid"
STATUS_LABELS = {
    OrderStatus.OPEN.value: i18n.N_("open"),
    PARTLY_DELIVERED: i18n.N_("partly delivered"),
    DELIVERED: i18n.N_("delivered"),
    PAID: i18n.N_("paid"),
    OrderStatus.CLOSED.value: i18n.N_("closed"),
    OrderStatus.CANCELLED.value: i18n.N_("cancelled"),
}


def status_label(code: str) -> str:
    return _(STATUS_LABELS.get(code, code))


@dataclass(slots=True)
class OrderRow:
    id: int
    ej: str | None
    supplier: str | None
    date: dt.date
    # The convention it counts against (``None``: unattributed); ``named``: the one it names.
    convention_id: int | None
    named_convention_id: int | None
    amount_cents: int
    expected_on: dt.date | None
    stored_status: str
    label: str
    service_fait_cents: int
    paid_cents: int
    first_service_fait_on: dt.date | None
    as_of: dt.date
    # The latest Chorus export covering its centre financier did not list it.
    missing_from_chorus: bool = False

    @property
    def engaged_cents(self) -> int:
        """What it engages (AE): its amount; a cancelled order engages nothing."""
        return 0 if self.stored_status == OrderStatus.CANCELLED.value else self.amount_cents

    @property
    def to_pay_cents(self) -> int:
        return self.engaged_cents - self.paid_cents

    @property
    def status(self) -> str:
        """Closed or cancelled as recorded; else what its amounts say."""
        if self.stored_status != OrderStatus.OPEN.value:
            return self.stored_status
        if self.engaged_cents and self.paid_cents >= self.engaged_cents:
            return PAID
        if self.engaged_cents and self.service_fait_cents >= self.engaged_cents:
            return DELIVERED
        if self.service_fait_cents:
            return PARTLY_DELIVERED
        return OrderStatus.OPEN.value

    def facts(self) -> OrderFacts:
        """The order as the budget rules read it (the startup's assessment reads the same)."""
        return OrderFacts(
            self.id,
            self.date,
            self.amount_cents,
            self.stored_status,
            self.expected_on,
            self.service_fait_cents,
            self.paid_cents,
            self.missing_from_chorus,
        )

    def alerts(self, on: dt.date) -> list[str]:
        """The reconciliation alerts of the order on D (``store.rules.budget.order_alerts``:
        PAID_BEYOND_SF, ORDER_LATE, ORDER_NOT_IN_CHORUS)."""
        return order_alerts(self.facts(), on)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ej": self.ej,
            "supplier": self.supplier,
            "date": self.date.isoformat(),
            "convention_id": self.convention_id,
            "engaged_eur": self.engaged_cents / 100,
            "service_fait_eur": self.service_fait_cents / 100,
            "paid_eur": self.paid_cents / 100,
            "to_pay_eur": self.to_pay_cents / 100,
            "status": self.status,
            "id": self.id,
            "label": self.label,
            "expected_on": None if self.expected_on is None else self.expected_on.isoformat(),
            "alerts": self.alerts(self.as_of),
        }


def startup_id_of(reader: Rows, slug: str) -> int:
    found = reader.rows(SQL_STARTUP_ID, slug=slug)
    if not found:
        raise NotFound(_("no startup {slug!r} in the store").format(slug=slug))
    return found[0][0]


def orders_of(reader: Rows, slug: str, on: dt.date) -> list[OrderRow]:
    """The startup's orders dated on or before D, oldest first."""
    sid = startup_id_of(reader, slug)
    return [
        OrderRow(
            id=oid,
            ej=ej,
            supplier=supplier,
            date=as_date(day),
            convention_id=counted,
            named_convention_id=named,
            amount_cents=int(amount),
            expected_on=as_date(expected),
            stored_status=status,
            label=label or "",
            service_fait_cents=int(done or 0),
            paid_cents=int(paid or 0),
            first_service_fait_on=as_date(first_done),
            as_of=on,
            missing_from_chorus=bool(missing),
        )
        for (
            oid,
            ej,
            supplier,
            day,
            named,
            counted,
            amount,
            expected,
            status,
            label,
            done,
            paid,
            first_done,
            missing,
        ) in reader.rows(SQL_ORDERS, sid=sid, as_of=on)
    ]


# --- the EJs of the Chorus exports placed nowhere ------------------------------------------

# The EJs an export dated on or before D listed and the store could not place, that are
# still no order of the store (one placed since, by ``--startup``, is no longer listed);
# the latest export of each first.
SQL_UNPLACED = """
SELECT u.ej, e.file, e.day, u.reason, u.lines, u.engaged_cents
FROM chorus_unplaced u JOIN chorus_export e ON e.id = u.export_id
WHERE e.day <= :as_of
  AND NOT EXISTS (SELECT 1 FROM purchase_order o WHERE o.ej = u.ej)
ORDER BY u.ej, e.day DESC, e.id DESC
"""
SQL_ANY_EXPORT = "SELECT COUNT(*) FROM (SELECT 1 FROM chorus_export LIMIT 1) x"
SQL_UNPLACED_COUNT = """
SELECT COUNT(DISTINCT u.ej)
FROM chorus_unplaced u JOIN chorus_export e ON e.id = u.export_id
WHERE e.day <= :as_of
  AND NOT EXISTS (SELECT 1 FROM purchase_order o WHERE o.ej = u.ej)
"""


@dataclass(slots=True)
class UnplacedEj:
    """An EJ of a Chorus export that the store could place nowhere (no order of its, no
    single convention whose codes match): listed, never guessed."""

    ej: str
    file: str
    day: dt.date
    reason: str
    lines: list[int]
    engaged_cents: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ej": self.ej,
            "file": self.file,
            "day": self.day.isoformat(),
            "reason": self.reason,
            "lines": self.lines,
            "engaged_eur": None if self.engaged_cents is None else self.engaged_cents / 100,
        }


def unplaced(reader: Rows, on: dt.date) -> list[UnplacedEj]:
    """The EJs of the exports dated on or before D placed nowhere, by EJ (each from the
    latest export that listed it)."""
    result: dict[str, UnplacedEj] = {}
    for ej, file, day, reason, lines, engaged in reader.rows(SQL_UNPLACED, as_of=on):
        if ej in result:
            continue
        result[ej] = UnplacedEj(
            ej,
            file,
            as_date(day),
            reason,
            [int(n) for n in (lines or "").split(",") if n],
            None if engaged is None else int(engaged),
        )
    return list(result.values())


def unplaced_count(reader: Rows, on: dt.date) -> int | None:
    """How many EJs ``unplaced`` lists (the portfolio's count); ``None`` in a store that
    never imported a Chorus export (it has nothing to say of Chorus)."""
    if not reader.rows(SQL_ANY_EXPORT)[0][0]:
        return None
    return int(reader.rows(SQL_UNPLACED_COUNT, as_of=on)[0][0] or 0)
