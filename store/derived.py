"""The derived tables, kept current by every write: attributions, the rollup, the timeline.

Three things are computed from what people enter, so that reports stay cheap:

- which root convention each consumption line counts against
  (``consumption_line.counted_convention_id``, ``store.rules.budget.attribute``);
- the consumption rollup (``consumption_month``, ``store.rules.rollup``);
- the startup timeline (``startup_state``, ``store.rules.timeline``), which reads the
  committees reviewing each startup too.

``reattribute`` rebuilds the three for one startup; ``DerivedHook`` (a write hook of
every ``Store.session()``) remembers the startups a session wrote to (ORM objects and
bulk statements alike) and refreshes their timeline before it commits.  Everything
runs inside the caller's transaction; nothing here commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.orm.attributes import set_committed_value

from store.db import SessionRows
from store.facts import load_conventions, timeline_inputs
from store.models import (
    Committee,
    CommitteeReview,
    ConsumptionLine,
    Convention,
    ConventionParty,
    Deadline,
    Phase,
    PurchaseOrder,
    ScheduleLine,
    Startup,
)
from store.reader import as_date
from store.rules import rollup, timeline
from store.rules.budget import attribute, budgets
from store.rules.vocab import OrderStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from store.db import BulkWrite

# A startup's lines as plain rows, a page at a time: a startup with tens of thousands of
# lines is re-read at each change, and loading them as ORM objects cost a second per 40,000.
SQL_LINES_PAGE = """
SELECT id, date, convention_id, counted_convention_id, amount_cents, kind, order_id
FROM consumption_line WHERE startup_id = :startup_id AND id > :after
ORDER BY id LIMIT :size
"""
# A startup's purchase orders (a few hundred at most: read at once).
SQL_ORDERS = """
SELECT id, date, convention_id, counted_convention_id, amount_cents, status
FROM purchase_order WHERE startup_id = :startup_id ORDER BY id
"""
SQL_SET_ORDER_COUNTED = """
UPDATE purchase_order SET counted_convention_id = :counted, version = version + 1
WHERE id = :id
"""
PAGE = 20_000
SQL_SET_COUNTED = """
UPDATE consumption_line SET counted_convention_id = :counted, version = version + 1
WHERE id = :id
"""


def _statements(table: str, columns: tuple[str, ...], order: str) -> tuple[str, str, str]:
    """Read, delete and insert one startup's rows of a derived table."""
    names = ", ".join(columns)
    return (
        f"SELECT {names} FROM {table} WHERE startup_id = :startup_id{order}",
        f"DELETE FROM {table} WHERE startup_id = :startup_id",
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(f':{c}' for c in columns)})",
    )


SQL_ROLLUP_CURRENT, SQL_ROLLUP_DELETE, SQL_ROLLUP_INSERT = _statements(
    "consumption_month", rollup.COLUMNS, ""
)
SQL_STATE_CURRENT, SQL_STATE_DELETE, SQL_STATE_INSERT = _statements(
    "startup_state", timeline.COLUMNS, " ORDER BY valid_from"
)


def hold(session: Session, startup_id: int) -> None:
    """Serialise the upkeep of one startup's derived rows: a lock held until the
    transaction ends, taken before they are read.  Two writers of the same startup on
    PostgreSQL would otherwise each rebuild its rollup from what they saw (a DELETE then an
    INSERT each), and the last to commit would leave stale figures.  An advisory lock,
    not a row lock: each writer already holds a share lock on the startup's row (the
    foreign key of the line it inserted), and asking for the row itself deadlocked.
    SQLite has one writer at a time already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(SQL_HOLD), {"startup_id": startup_id})


# (class, object) advisory keys: the class says "a startup's derived rows".
DERIVED_LOCK_CLASS = 0x5D0E
SQL_HOLD = f"SELECT pg_advisory_xact_lock({DERIVED_LOCK_CLASS}, :startup_id)"


def reattribute(session: Session, startup_id: int) -> int:
    """Recompute which convention each of the startup's orders and lines counts against,
    then its rollup and timeline.

    An order counts as its lines do (the convention it names, else by its date); a
    payment of an order counts against the order's convention, whatever its own date.
    Called after any change to the startup's conventions, orders or consumption lines;
    returns how many lines (and orders) changed attribution.  Written by one UPDATE per changed line
    (a change of the row: its version moves on, as an ORM update's would), and the
    session's loaded lines are told their new values.  The lines are read a page at a
    time and the rollup is summed as they come: a startup with a million lines is
    re-attributed in bounded memory.
    """
    session.flush()
    hold(session, startup_id)
    all_budgets = budgets(load_conventions(SessionRows(session), [startup_id]).get(startup_id, []))
    counted_for: dict[tuple, int | None] = {}  # (day, named convention) → counted against
    changes: list[dict] = []
    changed = 0
    # The orders first: their payments count where they do.
    order_counted: dict[int, int | None] = {}
    order_changes: list[dict] = []
    money: list[tuple] = []
    for order_id, day, named, counted, amount, status in session.execute(
        text(SQL_ORDERS), {"startup_id": startup_id}
    ).all():
        day = as_date(day)
        now = order_counted[order_id] = attribute(day, named, all_budgets)
        if now != counted:
            order_changes.append({"id": order_id, "counted": now})
        if status != OrderStatus.CANCELLED.value:
            money.append((now, day, amount, rollup.ENGAGEMENT))
    if order_changes:
        session.execute(text(SQL_SET_ORDER_COUNTED), order_changes)
        now_of = {c["id"]: c["counted"] for c in order_changes}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, PurchaseOrder) and obj.id in now_of:
                set_committed_value(obj, "counted_convention_id", now_of[obj.id])
                set_committed_value(obj, "version", obj.version + 1)
        changed += len(order_changes)

    def write_changes() -> None:
        nonlocal changed
        if not changes:
            return
        session.execute(text(SQL_SET_COUNTED), changes)
        now = {c["id"]: c["counted"] for c in changes}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, ConsumptionLine) and obj.id in now:
                set_committed_value(obj, "counted_convention_id", now[obj.id])
                set_committed_value(obj, "version", obj.version + 1)
        changed += len(changes)
        changes.clear()

    def lines():
        yield from money
        after = 0
        while True:
            page = session.execute(
                text(SQL_LINES_PAGE), {"startup_id": startup_id, "after": after, "size": PAGE}
            ).all()
            for line_id, day, named, counted, amount, kind, order_id in page:
                day = as_date(day)
                if order_id is not None:
                    now = order_counted.get(order_id)
                    kind = rollup.SETTLEMENT
                else:
                    key = (day, named)
                    if key not in counted_for:
                        counted_for[key] = attribute(day, named, all_budgets)
                    now = counted_for[key]
                if now != counted:
                    changes.append({"id": line_id, "counted": now})
                yield now, day, amount, kind
            write_changes()
            if len(page) < PAGE:
                return
            after = page[-1][0]

    refresh_rollup(session, startup_id, lines())
    refresh(session, startup_id)
    return changed


def refresh_rollup(session: Session, startup_id: int, lines) -> None:
    """Rebuild the startup's rows of the consumption rollup from its lines
    ``(counted convention, date, cents, kind)``."""
    rows = rollup.month_rows(startup_id, lines)
    # Rewrite only when something changed: reloading the demo or re-importing the same
    # data must leave the store exactly as it was.
    stored = session.execute(text(SQL_ROLLUP_CURRENT), {"startup_id": startup_id}).all()
    if _rollup_key(tuple(r) for r in stored) == _rollup_key(
        tuple(row[c] for c in rollup.COLUMNS) for row in rows
    ):
        return
    session.execute(text(SQL_ROLLUP_DELETE), {"startup_id": startup_id})
    if rows:
        session.execute(text(SQL_ROLLUP_INSERT), rows)


def _rollup_key(rows) -> list[tuple]:
    return sorted(
        (
            (s, c if c is not None else -1, as_date(m), a, p, cum, as_date(e), cp)
            for s, c, m, a, p, cum, e, cp in rows
        ),
        key=repr,
    )


def reattribute_all(session: Session) -> int:
    """Re-attribute every startup's lines and rebuild its derived rows (after an upgrade,
    or a bulk load)."""
    startup_ids = session.execute(select(Startup.id).order_by(Startup.id)).scalars().all()
    return sum(reattribute(session, startup_id) for startup_id in startup_ids)


DATE_COLUMNS = frozenset({"valid_from", "valid_to", "next_deadline_on"})
BOOLEAN_COLUMNS = frozenset({"next_deadline_derived"})
TOUCHED = "startups.touched_startups"
ALL = -1  # in TOUCHED: every startup


def state_rows_of(session: Session, startup_id: int) -> list[dict]:
    """The ``startup_state`` rows the startup should have, from what the store holds."""
    return timeline.state_rows(startup_id, *timeline_inputs(SessionRows(session), startup_id))


def _stored_value(column: str, value):
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return as_date(value)
    if column in BOOLEAN_COLUMNS:
        return bool(value)
    return value


def refresh(session: Session, startup_id: int) -> bool:
    """Rebuild the startup's timeline (``startup_state``, see ``store.rules.timeline``).

    Every writer gets it for free: ``reattribute`` calls it, and ``DerivedHook`` calls
    it before committing for every startup whose conventions, signatures, schedules,
    phases, deadlines or lines were written in the session.  Returns whether the stored
    rows changed.
    """
    session.flush()
    hold(session, startup_id)
    rows = state_rows_of(session, startup_id)
    touched = session.info.get(TOUCHED)
    if touched is not None:
        touched.discard(startup_id)
    # Rewrite only when something changed (a reload leaves the store as it was).
    stored = [
        tuple(_stored_value(c, v) for c, v in zip(timeline.COLUMNS, r, strict=True))
        for r in session.execute(text(SQL_STATE_CURRENT), {"startup_id": startup_id})
    ]
    if stored == [tuple(row[c] for c in timeline.COLUMNS) for row in rows]:
        return False
    session.execute(text(SQL_STATE_DELETE), {"startup_id": startup_id})
    if rows:
        session.execute(text(SQL_STATE_INSERT), rows)
    return True


# The tables whose rows change a startup's timeline, and how a row names its startup.
TRACKED = {
    m.__tablename__: m
    for m in (
        Convention,
        ConventionParty,
        ScheduleLine,
        Phase,
        Deadline,
        ConsumptionLine,
        PurchaseOrder,
        CommitteeReview,
        Committee,
    )
}
OF_CONVENTION = (ConventionParty, ScheduleLine)
SQL_REVIEWED_BY = "SELECT startup_id FROM committee_review WHERE committee_id = :committee_id"


def _startup_ids_of(session: Session, objects) -> set[int]:
    """The startups whose timeline the written ``objects`` may change."""
    ids: set[int] = set()
    conventions: set[int] = set()
    for obj in objects:
        if isinstance(
            obj, (Convention, Phase, Deadline, ConsumptionLine, PurchaseOrder, CommitteeReview)
        ):
            ids.add(obj.startup_id)
        elif isinstance(obj, OF_CONVENTION):
            conventions.add(obj.convention_id)
        elif isinstance(obj, Committee) and obj.id is not None:
            # Its date moved: the startups it reviews (its reviews' own changes add theirs).
            with session.no_autoflush:
                ids.update(
                    session.execute(text(SQL_REVIEWED_BY), {"committee_id": obj.id}).scalars()
                )
    for cid in conventions:
        with session.no_autoflush:
            convention = session.get(Convention, cid)
        if convention is not None:
            ids.add(convention.startup_id)
    ids.discard(None)
    return ids


class DerivedHook:
    """Keeps the timeline current whatever wrote (a ``store.db.WriteHook``): remembers the
    startups touched in the session and refreshes them before the transaction commits."""

    def install(self, session: Session) -> None:
        session.info[TOUCHED] = set()

    def before_flush(self, session: Session) -> None:
        session.info[TOUCHED] |= _startup_ids_of(
            session, (*session.new, *session.dirty, *session.deleted)
        )

    def after_flush(self, session: Session) -> None:
        pass

    def bulk(self, session: Session, write: BulkWrite) -> None:
        model = TRACKED.get(write.table.name)
        if model is None:
            return
        touched = session.info[TOUCHED]
        if model is Committee:
            if write.action != "insert":  # a committee moved or gone: its startups
                touched.add(ALL)
            return
        key = "convention_id" if model in OF_CONVENTION else "startup_id"
        table = write.table
        if write.action != "insert":
            if write.many:  # one statement, many parameter sets
                touched.add(ALL)
                return
            # The rows it is about to change, asked with the statement's own condition.
            query = select(table.c[key])
            if write.where is not None:
                query = query.where(write.where)
            values = [v for (v,) in session.execute(query, write.state.parameters or {}).all()]
        else:
            values = [row.get(key) for row in write.rows]
        if None in values:
            touched.add(ALL)  # a statement whose startups cannot be told: all of them
            return
        if model in OF_CONVENTION:
            with session.no_autoflush:
                values = [
                    c.startup_id for v in values if (c := session.get(Convention, v)) is not None
                ]
        touched.update(values)

    def before_commit(self, session: Session) -> None:
        session.flush()  # the last writes are flushed only now: they may touch startups
        touched = session.info.get(TOUCHED)
        if not touched:
            return
        if ALL in touched:
            ids = session.execute(select(Startup.id)).scalars().all()
        else:
            ids = sorted(touched)
        for startup_id in ids:
            refresh(session, startup_id)
        touched.clear()
