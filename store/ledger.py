"""Write-side helpers shared by the importers, the demo, the CLI and the app's forms.

Everything here runs inside a caller's session (one transaction); nothing commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlmodel import Session, select

from store.budget import Budget, ConventionFacts, attribute, budgets
from store.errors import NotFound
from store.models import ConsumptionLine, Convention, ConventionParty, ScheduleLine, Startup


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
