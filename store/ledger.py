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


def reattribute(session: Session, startup_id: int) -> int:
    """Recompute which convention each of the startup's lines counts against.

    Called after any change to the startup's conventions or consumption lines;
    returns how many lines changed attribution.
    """
    session.flush()
    all_budgets = startup_budgets(session, startup_id)
    changed = 0
    lines = session.exec(
        select(ConsumptionLine).where(ConsumptionLine.startup_id == startup_id)
    ).all()
    for line in lines:
        counted = attribute(line.date, line.convention_id, all_budgets)
        if counted != line.counted_convention_id:
            line.counted_convention_id = counted
            session.add(line)
            changed += 1
    session.flush()
    refresh_rollup(
        session,
        startup_id,
        ((x.counted_convention_id, x.date, x.amount_cents, x.kind) for x in lines),
    )
    return changed


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
    """Re-attribute every startup's lines (after an upgrade, or a bulk load)."""
    startup_ids = session.exec(select(ConsumptionLine.startup_id).distinct()).all()
    return sum(reattribute(session, startup_id) for startup_id in startup_ids)


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
