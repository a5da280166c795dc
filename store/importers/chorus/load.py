"""A Chorus INF-BUD-53 export into the store: each EJ as a purchase order, with what Chorus
says was delivered (service fait) and paid of it.

Two steps, so that ``--dry-run`` shows exactly what would be written:

- :func:`plan_chorus` reads the store and says, for each EJ of the export, where it goes
  and what it would add or change; the EJs it cannot place are *unmatched*, with the
  reason (no convention matches, several do: the candidates named), never guessed;
- :func:`apply_plan` writes the plan in the caller's transaction.

Where an EJ goes: to the order the store already has under that number; else to the
startup ``--startup`` names (and to the one convention of it whose codes match, if one
does); else to the one convention whose imputation codes match the line on its date
(``store.rules.imputation``).

Idempotent: Chorus's amounts at the export date are kept as one service fait and one
payment per order (``dedup_key`` ``chorus:<EJ>``), each the export's total less what the
store records otherwise (by hand); the same export again changes nothing, a newer one
updates the amounts and the plan says what changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import insert, text

import i18n
from store.db import SessionRows
from store.derived import reattribute
from store.errors import BadInput
from store.facts import chunks, load_conventions
from store.fmt import day as shown_day
from store.importers.chorus.records import ChorusFile, EjLine
from store.models import (
    ChorusExport,
    ChorusExportCentre,
    ChorusExportMissing,
    ChorusUnplaced,
    ConsumptionLine,
    PurchaseOrder,
    ServiceFait,
)
from store.ops.ledger import startup_by_slug
from store.reader import as_date
from store.rules.budget import attribute, budgets
from store.rules.imputation import Candidate, Codes, match, with_code
from store.rules.vocab import LineKind, OrderStatus

_ = i18n.Domain("store").gettext

SCHEMA = "startups.chorus/1"

SQL_STARTUPS = "SELECT id, slug FROM startup"
SQL_CODES = """
SELECT id, startup_id, programme, bop, uo, activite, domaine_fonctionnel, centre_couts
FROM convention
"""
SQL_ORDERS = """
SELECT o.id, o.ej, o.startup_id, o.convention_id, o.amount_cents, o.supplier, o.date
FROM purchase_order o WHERE o.ej IN ({ejs})
"""
# What the store records of each order besides Chorus (by hand), and Chorus's own rows.
SQL_DONE = """
SELECT f.order_id, f.dedup_key, f.id, f.amount_cents, f.date
FROM service_fait f WHERE f.order_id IN ({ids})
"""
SQL_PAID = """
SELECT l.order_id, l.dedup_key, l.id, l.amount_cents, l.date
FROM consumption_line l WHERE l.order_id IN ({ids})
"""
SQL_UPDATE_ORDER = """
UPDATE purchase_order SET amount_cents = :amount, supplier = :supplier,
  centre_financier = :centre_financier, version = version + 1
WHERE id = :id
"""
SQL_UPDATE_DONE = """
UPDATE service_fait SET amount_cents = :amount, date = :date, version = version + 1 WHERE id = :id
"""
SQL_UPDATE_PAID = """
UPDATE consumption_line SET amount_cents = :amount, date = :date, version = version + 1
WHERE id = :id
"""
SQL_DELETE_DONE = "DELETE FROM service_fait WHERE id = :id"
SQL_DELETE_PAID = "DELETE FROM consumption_line WHERE id = :id"

ADD, UPDATE, SAME = "add", "update", "same"
OPEN, PAYMENT = OrderStatus.OPEN.value, LineKind.PAYMENT.value


def chorus_key(ej: str) -> str:
    return f"chorus:{ej}"


@dataclass(slots=True)
class EjTotal:
    """One EJ of the export: its lines added up (every poste), with its codes and dates."""

    ej: str
    lines: list[int]
    engaged: int = 0
    service_fait: int = 0
    paid: int = 0
    supplier: str | None = None
    centre_financier: str | None = None
    codes: Codes | None = None
    first_on: dt.date | None = None
    done_on: dt.date | None = None
    paid_on: dt.date | None = None


def _codes(r: EjLine) -> Codes:
    return Codes(
        programme=r.programme,
        bop=r.bop,
        uo=r.uo,
        activite=r.activity_code or r.activity,
        domaine_fonctionnel=r.functional_domain,
        centre_couts=r.cost_centre,
    )


def _latest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def ej_totals(records: Iterable[EjLine]) -> list[EjTotal]:
    """The export's lines added up per EJ, in the order each EJ first appears.

    Service fait: ``Montant réceptionné`` where the layout has it, else what is past the
    service fait (certifié non soldé, pré-enregistré, facturé, payé).  The codes are the
    first line's that gives any."""
    by_ej: dict[str, EjTotal] = {}
    for r in records:
        t = by_ej.get(r.ej)
        if t is None:
            t = by_ej[r.ej] = EjTotal(r.ej, [])
        t.lines.append(r.line)
        if r.engaged is not None:
            t.engaged += r.engaged
        if r.received is not None:
            t.service_fait += r.received
        else:
            for v in (r.certified_unsettled, r.pre_recorded, r.invoiced, r.paid):
                if v is not None:
                    t.service_fait += v
        if r.paid is not None:
            t.paid += r.paid
        if t.supplier is None:
            t.supplier = r.supplier
        if t.centre_financier is None:
            t.centre_financier = r.centre_financier
        if t.codes is None and (
            r.centre_financier or r.activity or r.functional_domain or r.cost_centre
        ):
            t.codes = _codes(r)
        sf, dp = r.sf_date, r.dp_date
        if sf is not None:
            if t.first_on is None or sf < t.first_on:
                t.first_on = sf
            if t.done_on is None or sf > t.done_on:
                t.done_on = sf
        if dp is not None:
            if t.first_on is None or dp < t.first_on:
                t.first_on = dp
            if t.paid_on is None or dp > t.paid_on:
                t.paid_on = dp
    return list(by_ej.values())


@dataclass(slots=True)
class OrderPlan:
    ej: str
    lines: list[int]
    action: str  # add | update | same
    slug: str
    startup_id: int
    convention_id: int | None  # the convention it names (None: the budget rules decide)
    date: dt.date
    supplier: str | None
    centre_financier: str | None
    engaged: int
    service_fait: int  # Chorus's total
    paid: int  # Chorus's total
    order_id: int | None = None
    # What Chorus's own rows hold (the totals less what the store records by hand).
    own_done: int = 0
    own_paid: int = 0
    done_on: dt.date | None = None
    paid_on: dt.date | None = None
    # Existing Chorus rows of the order: (id, amount, date) or None.
    done_row: tuple[int, int, dt.date] | None = None
    paid_row: tuple[int, int, dt.date] | None = None
    changes: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ej": self.ej,
            "action": self.action,
            "startup": self.slug,
            "convention_id": self.convention_id,
            "date": self.date.isoformat(),
            "supplier": self.supplier,
            "engaged_eur": self.engaged / 100,
            "service_fait_eur": self.service_fait / 100,
            "paid_eur": self.paid / 100,
            "changes": {k: {"before": b, "after": a} for k, (b, a) in self.changes.items()},
            "lines": self.lines,
        }


@dataclass(slots=True)
class Unmatched:
    ej: str
    lines: list[int]
    reason: str
    candidates: tuple[int, ...] = ()
    engaged: int | None = None  # what the export says it engaged (cents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ej": self.ej,
            "lines": self.lines,
            "reason": self.reason,
            "candidates": list(self.candidates),
        }


@dataclass
class ChorusPlan:
    file: str
    layout: str
    lines: int
    exported_on: dt.date | None
    orders: list[OrderPlan] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    without_ej: tuple[int, ...] = ()
    # Reconciliation: the store's orders on a centre financier this export covers that it
    # does not list, as (EJ, startup slug).
    missing: list[tuple[str, str]] = field(default_factory=list)
    # The centres financiers the export covers (it lists a line on each).
    centres: list[str] = field(default_factory=list)
    # The export's day: the export date it gives, else the day it is imported.
    day: dt.date | None = None

    @property
    def unknown(self) -> list[str]:
        """The EJs of the export the store did not know (added now, or unmatched)."""
        return [o.ej for o in self.orders if o.action == ADD] + [u.ej for u in self.unmatched]

    def count(self, action: str) -> int:
        return sum(1 for o in self.orders if o.action == action)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "file": self.file,
            "layout": self.layout,
            "lines": self.lines,
            "exported_on": None if self.exported_on is None else self.exported_on.isoformat(),
            "added": self.count(ADD),
            "updated": self.count(UPDATE),
            "unchanged": self.count(SAME),
            "orders": [o.to_dict() for o in self.orders if o.action != SAME],
            "unmatched": [u.to_dict() for u in self.unmatched],
            "without_ej": list(self.without_ej),
            "unknown_to_store": self.unknown,
            "missing_from_export": [{"ej": ej, "startup": slug} for ej, slug in self.missing],
        }


class BadLines(BadInput):
    """The export has lines that cannot be read: nothing is imported, each line is named."""

    def __init__(self, found: ChorusFile):
        self.found = found
        super().__init__(
            _("{file}: {count} lines cannot be read: nothing imported").format(
                file=found.name, count=len(found.problems) + found.more_problems
            )
        )

    def lines(self) -> list[str]:
        return self.found.messages()


def candidates_of(session) -> list[Candidate]:
    """Every convention text that gives a code, as a candidate of its root's period."""
    source = SessionRows(session)
    roots: dict[int, tuple[int, dt.date | None, dt.date | None]] = {}
    for conventions in load_conventions(source).values():
        for b in budgets(conventions):
            start = None if b.pending else b.start
            for c in (b.root, *b.avenants):
                roots[c.id] = (b.id, start, b.final_end())
    result = []
    for cid, startup_id, *codes in source.rows(SQL_CODES):
        root, start, end = roots.get(cid, (cid, None, None))
        result.append(Candidate(root, startup_id, Codes(*codes), start, end))
    return with_code(result)


def plan_chorus(session, found: ChorusFile, *, startup: str | None = None) -> ChorusPlan:
    """What importing the export would do (nothing written).  Its unreadable lines:
    ``BadLines`` (nothing is imported)."""
    if found.problems:
        raise BadLines(found)
    plan = ChorusPlan(
        file=found.name,
        layout=found.layout.value,
        lines=len(found.records),
        exported_on=found.exported_on,
        without_ej=found.without_ej,
        day=found.exported_on or dt.date.today(),
    )
    forced = startup_by_slug(session, startup) if startup is not None else None
    slugs = dict(session.execute(text(SQL_STARTUPS)).all())
    candidates = candidates_of(session)
    own = [c for c in candidates if forced is not None and c.startup_id == forced.id]
    totals = ej_totals(found.records)
    known: dict[str, tuple] = {}
    for ejs in _quoted_chunks([t.ej for t in totals]):
        for row in session.execute(text(SQL_ORDERS.format(ejs=ejs))).all():
            known[row[1]] = row
    by_order = _recorded(session, [row[0] for row in known.values()])
    cache: dict[tuple, Any] = {}
    for t in totals:
        day = t.first_on or found.exported_on
        row = known.get(t.ej)
        if row is not None:
            oid, _ej, sid, named, amount, supplier, ordered_on = row
            entry = OrderPlan(
                t.ej,
                t.lines,
                SAME,
                slugs[sid],
                sid,
                named,
                as_date(ordered_on),
                t.supplier or supplier,
                t.centre_financier,
                t.engaged,
                t.service_fait,
                t.paid,
                order_id=oid,
            )
            _reconcile(entry, amount, supplier, by_order.get(oid), found.exported_on, t)
            plan.orders.append(entry)
            continue
        if day is None:
            plan.unmatched.append(
                Unmatched(
                    t.ej,
                    t.lines,
                    _("no date in the export: the order's date is unknown"),
                    engaged=t.engaged,
                )
            )
            continue
        if t.engaged <= 0:
            plan.unmatched.append(Unmatched(t.ej, t.lines, _("nothing engaged"), engaged=t.engaged))
            continue
        key = (t.codes, day, forced is not None)
        found_match = cache.get(key)
        if found_match is None:
            found_match = cache[key] = match(t.codes or Codes(), day, own if forced else candidates)
        if forced is not None:
            sid, convention = forced.id, found_match.convention_id
        elif found_match.convention_id is not None:
            sid, convention = found_match.startup_id, found_match.convention_id
        else:
            reason = (
                _("no convention's codes match on {day}").format(day=shown_day(day))
                if not found_match.candidates
                else _("{count} conventions match on {day}: none chosen").format(
                    count=len(found_match.candidates), day=shown_day(day)
                )
            )
            plan.unmatched.append(
                Unmatched(t.ej, t.lines, reason, found_match.candidates, t.engaged)
            )
            continue
        entry = OrderPlan(
            t.ej,
            t.lines,
            ADD,
            slugs[sid],
            sid,
            convention,
            day,
            t.supplier,
            t.centre_financier,
            t.engaged,
            t.service_fait,
            t.paid,
            own_done=t.service_fait,
            own_paid=t.paid,
            done_on=_latest(t.done_on, day) if t.done_on else found.exported_on or day,
            paid_on=_latest(t.paid_on, day) if t.paid_on else found.exported_on or day,
        )
        plan.orders.append(entry)
    plan.centres = sorted({r.centre_financier for r in found.records if r.centre_financier})
    plan.missing = _missing(session, plan, {t.ej for t in totals}, slugs)
    return plan


SQL_ON_CENTRES = """
SELECT ej, startup_id FROM purchase_order
WHERE ej IS NOT NULL AND status <> :cancelled AND centre_financier IN ({centres})
  AND date <= :day
ORDER BY ej
"""


def _missing(session, plan: ChorusPlan, listed: set[str], slugs: dict) -> list[tuple[str, str]]:
    """The store's orders on the centres financiers of the export, dated on or before its
    day, that it does not list."""
    result = []
    for chunk in _quoted_chunks(plan.centres):
        for ej, sid in session.execute(
            text(SQL_ON_CENTRES.format(centres=chunk)),
            {"cancelled": OrderStatus.CANCELLED.value, "day": plan.day},
        ):
            if ej not in listed:
                result.append((ej, slugs[sid]))
    return result


def _quoted_chunks(values: list[str]) -> Iterable[str]:
    for i in range(0, len(values), 1000):
        yield ",".join("'" + v.replace("'", "''") + "'" for v in values[i : i + 1000])


def _recorded(session, order_ids: list[int]) -> dict[int, dict[str, Any]]:
    """By order: what the store records by hand (services faits, payments) and Chorus's rows."""
    result: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"done": 0, "paid": 0, "done_row": None, "paid_row": None}
    )
    for ids in chunks(order_ids):
        for sql, what in ((SQL_DONE, "done"), (SQL_PAID, "paid")):
            for oid, key, rid, amount, day in session.execute(text(sql.format(ids=ids))).all():
                if key is not None and key.startswith("chorus:"):
                    result[oid][f"{what}_row"] = (rid, int(amount), as_date(day))
                else:
                    result[oid][what] += int(amount)
    return result


def _reconcile(
    entry: OrderPlan,
    amount: int,
    supplier: str | None,
    recorded: dict[str, Any] | None,
    exported_on: dt.date | None,
    t: EjTotal,
) -> None:
    """Fill an update's own rows and changes from what the store holds of the order."""
    recorded = recorded or {"done": 0, "paid": 0, "done_row": None, "paid_row": None}
    entry.own_done = max(0, entry.service_fait - recorded["done"])
    entry.own_paid = max(0, entry.paid - recorded["paid"])
    entry.done_row, entry.paid_row = recorded["done_row"], recorded["paid_row"]
    entry.done_on = t.done_on or exported_on or entry.date
    entry.paid_on = t.paid_on or exported_on or entry.date
    if entry.engaged != amount and entry.engaged > 0:
        entry.changes["engaged_eur"] = (amount / 100, entry.engaged / 100)
    before_done = recorded["done"] + (entry.done_row[1] if entry.done_row else 0)
    if entry.own_done + recorded["done"] != before_done:
        entry.changes["service_fait_eur"] = (before_done / 100, entry.service_fait / 100)
    before_paid = recorded["paid"] + (entry.paid_row[1] if entry.paid_row else 0)
    if entry.own_paid + recorded["paid"] != before_paid:
        entry.changes["paid_eur"] = (before_paid / 100, entry.paid / 100)
    if entry.changes:
        entry.action = UPDATE


def _insert(session, table, rows: list[dict]) -> None:
    """Core inserts through the session, a batch at a time (the write hooks see each: the
    audit log says how many rows, from where)."""
    for i in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[i : i + BATCH])


BATCH = 10_000


def apply_plan(session, plan: ChorusPlan, *, source: str) -> None:
    """Write the plan (one transaction: the caller's), then re-attribute each startup."""
    touched: set[int] = set()
    new = [o for o in plan.orders if o.action == ADD]
    # Each new order (and its payment) written with the convention it counts against, as
    # ``reattribute`` would find it: it then has nothing to change, line by line.
    counted: dict[str, int | None] = {}
    all_budgets = {
        sid: budgets(conventions)
        for sid, conventions in load_conventions(
            SessionRows(session), sorted({o.startup_id for o in new})
        ).items()
    }
    answers: dict[tuple, int | None] = {}
    for o in new:
        key = (o.startup_id, o.date, o.convention_id)
        if key not in answers:
            answers[key] = attribute(o.date, o.convention_id, all_budgets.get(o.startup_id, []))
        counted[o.ej] = answers[key]
    if new:
        _insert(
            session,
            PurchaseOrder.__table__,
            [
                {
                    "startup_id": o.startup_id,
                    "convention_id": o.convention_id,
                    "ej": o.ej,
                    "supplier": o.supplier,
                    "date": o.date,
                    "amount_cents": o.engaged,
                    "status": OPEN,
                    "label": "",
                    "centre_financier": o.centre_financier,
                    "source": source,
                    "version": 1,
                    "counted_convention_id": counted[o.ej],
                }
                for o in new
            ],
        )
        ids: dict[str, int] = {}
        for ejs in _quoted_chunks([o.ej for o in new]):
            ids.update(
                {ej: oid for oid, ej, *_ in session.execute(text(SQL_ORDERS.format(ejs=ejs)))}
            )
        for o in new:
            o.order_id = ids[o.ej]
    done_new, paid_new = [], []
    for o in plan.orders:
        if o.action == SAME:
            continue
        touched.add(o.startup_id)
        if o.action == UPDATE and "engaged_eur" in o.changes:
            session.execute(
                text(SQL_UPDATE_ORDER),
                {
                    "id": o.order_id,
                    "amount": o.engaged,
                    "supplier": o.supplier,
                    "centre_financier": o.centre_financier,
                },
            )
        _own_row(session, o, done_new, paid_new, counted)
    _insert(session, ServiceFait.__table__, done_new)
    _insert(session, ConsumptionLine.__table__, paid_new)
    for sid in sorted(touched):
        reattribute(session, sid)
    record_export(session, plan)


SQL_EXPORT = "SELECT id FROM chorus_export WHERE file = :file AND day = :day"
SQL_EXPORT_CENTRES = "SELECT centre_financier FROM chorus_export_centre WHERE export_id = :id"
SQL_EXPORT_MISSING = "SELECT ej FROM chorus_export_missing WHERE export_id = :id"
SQL_EXPORT_UNPLACED = """
SELECT ej, reason, lines, engaged_cents FROM chorus_unplaced WHERE export_id = :id
"""
SQL_EXPORT_CLEAR = (
    "DELETE FROM chorus_export_centre WHERE export_id = :id",
    "DELETE FROM chorus_export_missing WHERE export_id = :id",
    "DELETE FROM chorus_unplaced WHERE export_id = :id",
)


def record_export(session, plan: ChorusPlan) -> None:
    """Keep the export's reconciliation in the store (``chorus_export`` and its children):
    the centres financiers it covers, the store's orders on them it does not list
    (ORDER_NOT_IN_CHORUS reads them) and the EJs it could not place (``startups orders
    --unplaced``, the report's count).  The same export again (same file name, same day)
    changes nothing; one whose reconciliation differs replaces what was kept of it."""
    name = PurePath(plan.file).name
    day = plan.day or dt.date.today()
    centres = sorted(set(plan.centres))
    missing = sorted({ej for ej, _slug in plan.missing})
    unplaced = sorted(
        {
            (u.ej, u.reason, ",".join(str(n) for n in u.lines[:20]), u.engaged)
            for u in plan.unmatched
        }
    )
    found = session.execute(text(SQL_EXPORT), {"file": name, "day": day}).scalar()
    if found is not None:
        same = (
            sorted(session.execute(text(SQL_EXPORT_CENTRES), {"id": found}).scalars()) == centres
            and sorted(session.execute(text(SQL_EXPORT_MISSING), {"id": found}).scalars())
            == missing
            and sorted(tuple(r) for r in session.execute(text(SQL_EXPORT_UNPLACED), {"id": found}))
            == unplaced
        )
        if same:
            return
        for sql in SQL_EXPORT_CLEAR:
            session.execute(text(sql), {"id": found})
        export_id = found
    else:
        session.execute(
            insert(ChorusExport.__table__),
            [
                {
                    "file": name,
                    "day": day,
                    "exported_on": plan.exported_on,
                    "layout": plan.layout,
                    "lines": plan.lines,
                    "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
            ],
        )
        export_id = session.execute(text(SQL_EXPORT), {"file": name, "day": day}).scalar()
    if centres:
        _insert(
            session,
            ChorusExportCentre.__table__,
            [{"export_id": export_id, "centre_financier": c} for c in centres],
        )
    if missing:
        _insert(
            session,
            ChorusExportMissing.__table__,
            [{"export_id": export_id, "ej": ej} for ej in missing],
        )
    if unplaced:
        _insert(
            session,
            ChorusUnplaced.__table__,
            [
                {
                    "export_id": export_id,
                    "ej": ej,
                    "reason": reason,
                    "lines": lines,
                    "engaged_cents": cents,
                }
                for ej, reason, lines, cents in unplaced
            ],
        )


def _own_row(session, o: OrderPlan, done_new: list, paid_new: list, counted: dict) -> None:
    """Chorus's service fait and payment of the order: added, updated or removed."""
    for amount, day, row, new, update, delete, values in (
        (
            o.own_done,
            o.done_on,
            o.done_row,
            done_new,
            SQL_UPDATE_DONE,
            SQL_DELETE_DONE,
            {
                "order_id": o.order_id,
                "label": "Chorus",
                "dedup_key": chorus_key(o.ej),
                "version": 1,
            },
        ),
        (
            o.own_paid,
            o.paid_on,
            o.paid_row,
            paid_new,
            SQL_UPDATE_PAID,
            SQL_DELETE_PAID,
            {
                "startup_id": o.startup_id,
                "order_id": o.order_id,
                "kind": PAYMENT,
                "label": f"EJ {o.ej}",
                "dedup_key": chorus_key(o.ej),
                "version": 1,
                "counted_convention_id": counted.get(o.ej),
            },
        ),
    ):
        if row is None:
            if amount > 0:
                new.append({**values, "date": day, "amount_cents": amount, "source": "chorus"})
        elif amount <= 0:
            session.execute(text(delete), {"id": row[0]})
        elif (amount, day) != (row[1], row[2]):
            session.execute(text(update), {"id": row[0], "amount": amount, "date": day})
