"""Write-side helpers shared by the importers, the demo, the CLI and the app's forms.

Everything here runs inside a caller's session (one transaction); nothing commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from sqlmodel import Session, select

from store.budget import Budget, ConventionFacts, attribute, budgets
from store.errors import BadInput, NotFound
from store.models import (
    ConsumptionLine,
    Convention,
    ConventionParty,
    Deadline,
    LineKind,
    ScheduleLine,
    Startup,
)


def startup_by_slug(session: Session, slug: str) -> Startup:
    startup = session.exec(select(Startup).where(Startup.slug == slug)).first()
    if startup is None:
        raise NotFound(f"no startup {slug!r} in the store")
    return startup


def convention_facts(session: Session, startup_id: int) -> list[ConventionFacts]:
    """The startup's conventions as the budget rules see them."""
    conventions = session.exec(select(Convention).where(Convention.startup_id == startup_id)).all()
    ids = [c.id for c in conventions]
    signatures: dict[int, list[dt.date | None]] = defaultdict(list)
    years: dict[int, list[int]] = defaultdict(list)
    if ids:
        for party in session.exec(
            select(ConventionParty).where(ConventionParty.convention_id.in_(ids))
        ):
            signatures[party.convention_id].append(party.signed_on)
        for line in session.exec(select(ScheduleLine).where(ScheduleLine.convention_id.in_(ids))):
            years[line.convention_id].append(line.year)
    return [
        ConventionFacts(
            id=c.id,
            kind=c.kind,
            parent_id=c.parent_id,
            number=c.number,
            title=c.title,
            signed_on=c.signed_on,
            party_signatures=tuple(signatures.get(c.id, ())),
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            ceiling_cents=c.ceiling_cents,
            schedule_years=tuple(sorted(years.get(c.id, ()))),
        )
        for c in conventions
    ]


def startup_budgets(session: Session, startup_id: int) -> list[Budget]:
    return budgets(convention_facts(session, startup_id))


# A startup's lines as plain rows: a startup with tens of thousands of lines is re-read
# at each change, and loading them as ORM objects cost a second per 40,000.
SQL_LINES_OF = """
SELECT id, date, convention_id, counted_convention_id, amount_cents, kind
FROM consumption_line WHERE startup_id = :startup_id
"""
SQL_SET_COUNTED = """
UPDATE consumption_line SET counted_convention_id = :counted, version = version + 1
WHERE id = :id
"""


def reattribute(session: Session, startup_id: int) -> int:
    """Recompute which convention each of the startup's lines counts against.

    Called after any change to the startup's conventions or consumption lines;
    returns how many lines changed attribution.  Written by one UPDATE per changed line
    (a change of the row: its version moves on, as an ORM update's would), and the
    session's loaded lines are told their new values.
    """
    from sqlalchemy import text
    from sqlalchemy.orm.attributes import set_committed_value

    from store.read import as_date

    session.flush()
    all_budgets = startup_budgets(session, startup_id)
    rows = session.execute(text(SQL_LINES_OF), {"startup_id": startup_id}).all()
    counted_for: dict[tuple, int | None] = {}  # (day, named convention) → counted against
    changes: list[dict] = []
    lines = []
    for line_id, day, named, counted, amount, kind in rows:
        day = as_date(day)
        key = (day, named)
        if key not in counted_for:
            counted_for[key] = attribute(day, named, all_budgets)
        now = counted_for[key]
        if now != counted:
            changes.append({"id": line_id, "counted": now})
        lines.append((now, day, amount, kind))
    if changes:
        session.execute(text(SQL_SET_COUNTED), changes)
        changed = {c["id"]: c["counted"] for c in changes}
        for obj in list(session.identity_map.values()):
            if isinstance(obj, ConsumptionLine) and obj.id in changed:
                set_committed_value(obj, "counted_convention_id", changed[obj.id])
                set_committed_value(obj, "version", obj.version + 1)
    refresh_rollup(session, startup_id, lines)
    refresh(session, startup_id)
    return len(changes)


def refresh_rollup(session: Session, startup_id: int, lines) -> None:
    """Rebuild the startup's rows of the consumption rollup (``store.rollup``) from its lines."""
    from sqlalchemy import text

    from store.rollup import COLUMNS, SQL_CURRENT, SQL_DELETE, SQL_INSERT, month_rows

    rows = month_rows(startup_id, lines)
    # Rewrite only when something changed: reloading the demo or re-importing the same
    # data must leave the store exactly as it was.
    stored = session.execute(text(SQL_CURRENT), {"startup_id": startup_id}).all()
    if _rollup_key(tuple(r) for r in stored) == _rollup_key(
        tuple(row[c] for c in COLUMNS) for row in rows
    ):
        return
    session.execute(text(SQL_DELETE), {"startup_id": startup_id})
    if rows:
        session.execute(text(SQL_INSERT), rows)


def _rollup_key(rows) -> list[tuple]:
    from store.read import as_date

    return sorted(
        (
            (s, c if c is not None else -1, as_date(m), a, p, cum, as_date(e))
            for s, c, m, a, p, cum, e in rows
        ),
        key=repr,
    )


def reattribute_all(session: Session) -> int:
    """Re-attribute every startup's lines and rebuild its derived rows (after an upgrade,
    or a bulk load)."""
    startup_ids = session.exec(select(Startup.id).order_by(Startup.id)).all()
    return sum(reattribute(session, startup_id) for startup_id in startup_ids)


# --- the startup timeline (store.timeline) ------------------------------------------------

SQL_PHASES = 'SELECT name, start, "end" FROM phase WHERE startup_id = :startup_id'
SQL_OPEN_DEADLINES = """
SELECT id, convention_id, date, title, kind FROM deadline
WHERE startup_id = :startup_id AND done = :no
"""
SQL_ENGAGEMENTS = """
SELECT DISTINCT counted_convention_id, date FROM consumption_line
WHERE startup_id = :startup_id AND kind = :engagement AND counted_convention_id IS NOT NULL
"""


def state_rows_of(session: Session, startup_id: int) -> list[dict]:
    """The ``startup_state`` rows the startup should have, from what the store holds."""
    from sqlalchemy import text

    from store.budget import DeadlineFacts, PhaseFacts
    from store.read import as_date
    from store.report import SQL_CONVENTIONS_OF, SQL_SCHEDULE_OF, conventions_from_rows
    from store.timeline import state_rows

    params = {"startup_id": startup_id}
    conventions = [
        c
        for _sid, c in conventions_from_rows(
            session.execute(text(SQL_CONVENTIONS_OF), params),
            session.execute(text(SQL_SCHEDULE_OF), params),
        )
    ]
    phases = [
        PhaseFacts(name=name, start=as_date(start), end=as_date(end))
        for name, start, end in session.execute(text(SQL_PHASES), params)
    ]
    deadlines = [
        DeadlineFacts(id=i, convention_id=c, date=as_date(d), title=title, kind=kind)
        for i, c, d, title, kind in session.execute(
            text(SQL_OPEN_DEADLINES), {**params, "no": False}
        )
    ]
    engagements: dict[int, list[dt.date]] = defaultdict(list)
    for root, day in session.execute(
        text(SQL_ENGAGEMENTS), {**params, "engagement": LineKind.ENGAGEMENT.value}
    ):
        engagements[root].append(as_date(day))
    return state_rows(startup_id, conventions, phases, deadlines, engagements)


def refresh(session: Session, startup_id: int) -> bool:
    """Rebuild the startup's timeline (``startup_state``, see ``store.timeline``).

    Every writer gets it for free: ``reattribute`` calls it, and the sessions of
    ``Store.session()`` call it before committing for every startup whose conventions,
    signatures, schedules, phases, deadlines or lines were written in the session
    (``track_writes``).  Returns whether the stored rows changed.
    """
    from sqlalchemy import text

    from store.read import as_date
    from store.timeline import COLUMNS, SQL_CURRENT, SQL_DELETE, SQL_INSERT

    session.flush()
    rows = state_rows_of(session, startup_id)
    touched = session.info.get(TOUCHED)
    if touched is not None:
        touched.discard(startup_id)
    # Rewrite only when something changed (a reload leaves the store as it was).
    stored = [
        tuple(as_date(v) if c in DATE_COLUMNS else v for c, v in zip(COLUMNS, r, strict=True))
        for r in session.execute(text(SQL_CURRENT), {"startup_id": startup_id})
    ]
    if stored == [tuple(row[c] for c in COLUMNS) for row in rows]:
        return False
    session.execute(text(SQL_DELETE), {"startup_id": startup_id})
    if rows:
        session.execute(text(SQL_INSERT), rows)
    return True


DATE_COLUMNS = frozenset({"valid_from", "valid_to", "next_deadline_on"})
TOUCHED = "startups.touched_startups"


def _startup_ids_of(session: Session, objects) -> set[int]:
    """The startups whose timeline the written ``objects`` may change."""
    from store.models import Phase

    ids: set[int] = set()
    conventions: set[int] = set()
    for obj in objects:
        if isinstance(obj, (Convention, Phase, Deadline, ConsumptionLine)):
            ids.add(obj.startup_id)
        elif isinstance(obj, (ConventionParty, ScheduleLine)):
            conventions.add(obj.convention_id)
    for cid in conventions:
        with session.no_autoflush:
            convention = session.get(Convention, cid)
        if convention is not None:
            ids.add(convention.startup_id)
    ids.discard(None)
    return ids


def track_writes(session: Session) -> None:
    """Keep the timeline current whatever wrote: remember the startups touched in this
    session (ORM objects, and bulk ``insert(Model)`` statements) and ``refresh`` them
    before the transaction commits.  Installed by ``Store.session()``."""
    from sqlalchemy import event

    from store.models import Phase

    tracked = {
        m.__tablename__: m
        for m in (Convention, ConventionParty, ScheduleLine, Phase, Deadline, ConsumptionLine)
    }
    session.info[TOUCHED] = set()

    @event.listens_for(session, "before_flush")
    def _before_flush(session, _context, _instances):
        session.info[TOUCHED] |= _startup_ids_of(
            session, (*session.new, *session.dirty, *session.deleted)
        )

    @event.listens_for(session, "do_orm_execute")
    def _bulk(state):
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        model = tracked.get(getattr(table, "name", None))
        if model is None:
            return
        params = state.parameters
        rows = params if isinstance(params, list) else [params or {}]
        of_convention = model in (ConventionParty, ScheduleLine)
        key = "convention_id" if of_convention else "startup_id"
        if state.is_update or state.is_delete:
            if isinstance(params, list):  # one statement, many parameter sets
                session.info[TOUCHED].add(ALL)
                return
            # The rows it is about to change, asked with the statement's own condition.
            where = state.statement.whereclause
            query = select(table.c[key]) if where is None else select(table.c[key]).where(where)
            values = [v for (v,) in session.execute(query, params or {}).all()]
        else:
            values = [row.get(key) for row in rows]
        if None in values:
            # A statement whose startups cannot be told: all of them.
            session.info[TOUCHED].add(ALL)
            return
        if of_convention:
            with session.no_autoflush:
                values = [
                    c.startup_id for v in values if (c := session.get(Convention, v)) is not None
                ]
        session.info[TOUCHED].update(values)

    @event.listens_for(session, "before_commit")
    def _before_commit(session):
        session.flush()  # the last writes are flushed only now: they may touch startups
        touched = session.info.get(TOUCHED)
        if not touched:
            return
        ids = session.exec(select(Startup.id)).all() if ALL in touched else sorted(touched)
        for startup_id in ids:
            refresh(session, startup_id)
        touched.clear()


ALL = -1  # in TOUCHED: every startup


# --- consumption lines and deadlines, as the CLI and the app's forms write them ----------


def new_line(
    session: Session,
    startup: Startup,
    *,
    date: dt.date,
    amount_cents: int,
    label: str,
    kind: str = LineKind.PAYMENT.value,
    convention_id: int | None = None,
    source: str | None = None,
    dedup_key: str | None = None,
) -> ConsumptionLine:
    """A checked, unsaved consumption line of ``startup`` (the caller adds it and reattributes).

    Refused (``BadInput``): an amount that is not a positive number of cents, a kind
    other than engagement/payment, a convention that is not the startup's.
    """
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise BadInput(f"amount {amount_cents!r}: a consumption line needs a positive amount")
    if kind not in (LineKind.PAYMENT.value, LineKind.ENGAGEMENT.value):
        raise BadInput(f"kind {kind!r}: expected engagement or payment")
    if convention_id is not None:
        convention = session.get(Convention, convention_id)
        if convention is None:
            raise NotFound(f"no convention {convention_id} in the store")
        if convention.startup_id != startup.id:
            owner = session.get(Startup, convention.startup_id)
            raise BadInput(
                f"convention {convention_id} belongs to {owner.slug if owner else '?'}, "
                f"not to {startup.slug}"
            )
    return ConsumptionLine(
        startup_id=startup.id,
        convention_id=convention_id,
        date=date,
        amount_cents=amount_cents,
        kind=kind,
        label=label.strip(),
        source=source,
        dedup_key=dedup_key,
    )


def add_expense(
    session: Session,
    slug: str,
    *,
    date: dt.date,
    amount_cents: int,
    label: str,
    kind: str = LineKind.PAYMENT.value,
    convention_id: int | None = None,
    source: str = "manual",
) -> ConsumptionLine:
    """Record one consumption line for the startup ``slug`` and re-attribute its lines.

    Returns the stored line, whose ``counted_convention_id`` says which convention it
    counts against (``None``: unattributed).
    """
    startup = startup_by_slug(session, slug)
    if not label.strip():
        raise BadInput("label: a consumption line needs a label")
    line = new_line(
        session,
        startup,
        date=date,
        amount_cents=amount_cents,
        label=label,
        kind=kind,
        convention_id=convention_id,
        source=source,
    )
    session.add(line)
    reattribute(session, startup.id)
    session.refresh(line)
    return line


DERIVED_REF = re.compile(r"convention-(\d+)-(end|renewal)")


def mark_deadline_done(session: Session, ref: str, on: dt.date) -> tuple[Deadline, bool]:
    """Mark the explicit deadline ``ref`` (``12`` or ``deadline-12``) done on ``on``.

    Returns the deadline and whether it changed (``False``: it was already done, and
    keeps its first date).  A derived deadline (``convention-3-end``,
    ``convention-3-renewal``) cannot be marked done: it goes away when the convention
    is renewed or its end moves.
    """
    text = ref.strip()
    if derived := DERIVED_REF.fullmatch(text):
        what = "end" if derived[2] == "end" else "renewal reminder"
        raise BadInput(
            f"{text} is derived from convention {derived[1]}'s {what}: it cannot be marked "
            "done (record an avenant or a new convention instead)"
        )
    if re.fullmatch(r"event-\d+", text):
        raise BadInput(
            f"{text} is a committee from beta.gouv.fr: an event, not a task to mark done"
        )
    match = re.fullmatch(r"(?:deadline-)?(\d+)", text)
    if match is None:
        raise BadInput(f"{text!r} is not a deadline id (a number, as `startups deadlines` lists)")
    deadline = session.get(Deadline, int(match[1]))
    if deadline is None:
        raise NotFound(f"no deadline {match[1]} in the store")
    if deadline.done:
        return deadline, False
    deadline.done = True
    deadline.done_on = on
    session.add(deadline)
    session.flush()
    return deadline, True
