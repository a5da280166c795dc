"""The startup timeline: the structural half of the budget rules, precomputed per stretch.

Everything a report says of a startup on D that does not depend on the amounts
consumed (phase, envelope, pending money, the conventions in force with their
ceilings and ends, the next deadline, and the alerts GAP, EXPIRING, UNSIGNED,
AMOUNT_UNKNOWN, ENGAGED_AFTER_END, OVERDUE, ENDS_BEFORE_COMMITTEE, FUNDING_UNSIGNED) can only change on a few days: a
signature, a period's start, the day after an end, 90 days before an end, a phase's
start, the day after a deadline, 1 January of a schedule year, an engagement dated
after an end, six months before an end, the day after a committee reviewing the startup
and 30 days after it (ENDS_BEFORE_COMMITTEE, FUNDING_UNSIGNED).  ``state_rows`` asks ``store.rules.budget.structure`` (the same function
``assess`` uses) once on each such day and stores one row per stretch in
``startup_state``; a report then reads the row valid on D with one index seek per
startup and only applies the consumption-dependent rules (``store.rules.budget.finish``).

The rows are derived data, rebuilt by ``store.derived.refresh`` whenever a startup's
conventions, phases, deadlines or lines change (``store.derived`` follows every session's
writes), and by ``bench/generate.py`` with the same function.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterable, Sequence

from store.rules.budget import (
    EXPIRING_WITHIN_DAYS,
    HORIZON_DAYS,
    SIGNATURE_DAYS,
    Budget,
    ConventionFacts,
    DeadlineFacts,
    PhaseFacts,
    ReviewFacts,
    RootState,
    Structure,
    budgets,
    concluded_on,
    structure,
)

# Open ends of the first and last stretch (valid in both SQLite and PostgreSQL).
FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)

COLUMNS = (
    "startup_id",
    "valid_from",
    "valid_to",
    "phase",
    "envelope_cents",
    "pending_cents",
    "roots",
    "alerts",
    "next_deadline_on",
    "next_deadline_title",
    "next_deadline_kind",
    "next_deadline_id",
    "next_deadline_convention_id",
    "next_deadline_derived",
)


def _shift(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def breakpoints(
    all_budgets: Sequence[Budget],
    phases: Iterable[PhaseFacts],
    deadlines: Iterable[DeadlineFacts],
    engagements: dict[int, Sequence[dt.date]],
    reviews: Sequence[ReviewFacts] = (),
) -> list[dt.date]:
    """The days on which ``structure`` may change, from FIRST_DAY on, sorted."""
    days: set[dt.date | None] = {FIRST_DAY}
    days.update(p.start for p in phases)
    for r in reviews:
        days.add(_shift(r.date, 1))  # no longer scheduled (ENDS_BEFORE_COMMITTEE)
        days.add(_shift(r.date, SIGNATURE_DAYS))  # FUNDING_UNSIGNED
    for d in deadlines:
        if not d.done:
            days.add(_shift(d.date, 1))  # next deadline and OVERDUE change the day after
    for b in all_budgets:
        days.add(b.start)
        ends = []
        for c in (b.root, *b.avenants):
            days.add(concluded_on(c))  # in force, ceilings and ends replaced
            days.add(c.starts_on)
            if c.ends_on is not None:
                ends.append(c.ends_on)
                days.add(_shift(c.ends_on, 1))  # out of force
                days.add(_shift(c.ends_on, -EXPIRING_WITHIN_DAYS))  # EXPIRING
                if reviews:
                    days.add(_shift(c.ends_on, -HORIZON_DAYS))  # ENDS_BEFORE_COMMITTEE
            for year, _ae, _cp in c.schedule:  # the year's CP
                days.update((dt.date(year, 1, 1), _shift(dt.date(year, 12, 31), 1)))
            for year in c.schedule_years:
                days.update((dt.date(year, 1, 1), _shift(dt.date(year, 12, 31), 1)))
        if ends:
            # ENGAGED_AFTER_END can only turn on with an engagement after an end.
            earliest = min(ends)
            days.update(e for e in engagements.get(b.id, ()) if e > earliest)
    days.discard(None)
    return sorted(d for d in days if d >= FIRST_DAY)


def timeline(
    conventions: Iterable[ConventionFacts],
    phases: Iterable[PhaseFacts],
    deadlines: Iterable[DeadlineFacts],
    engagements: dict[int, Iterable[dt.date]],
    reviews: Iterable[ReviewFacts] = (),
) -> list[tuple[dt.date, dt.date, Structure]]:
    """``(valid_from, valid_to, structure)`` stretches covering every day, merged when equal.

    ``engagements``: the dates of the engagement lines, per root convention they count
    against; ``reviews``: the committees reviewing the startup.
    """
    all_budgets = budgets(conventions)
    phases = tuple(phases)
    deadlines = tuple(d for d in deadlines if not d.done)
    engaged = {root: sorted(days) for root, days in engagements.items()}
    reviews = tuple(reviews)
    days = breakpoints(all_budgets, phases, deadlines, engaged, reviews)
    result: list[tuple[dt.date, dt.date, Structure]] = []
    for i, day in enumerate(days):
        last = {}
        for root, dates in engaged.items():
            k = bisect.bisect_right(dates, day)
            if k:
                last[root] = dates[k - 1]
        s = structure(all_budgets, phases, deadlines, last, day, reviews)
        until = days[i + 1] - dt.timedelta(days=1) if i + 1 < len(days) else LAST_DAY
        if result and result[-1][2] == s:
            result[-1] = (result[-1][0], until, s)
        else:
            result.append((day, until, s))
    return result


def encode_roots(roots: Sequence[RootState]) -> str | None:
    if not roots:
        return None
    return json.dumps(
        [
            [
                r.id,
                r.ceiling_cents,
                r.start.isoformat() if r.start else None,
                r.ends_on.isoformat() if r.ends_on else None,
                r.cp_cents,
            ]
            for r in roots
        ],
        separators=(",", ":"),
    )


def decode_roots(text: str | None) -> tuple[RootState, ...]:
    return roots_from_json(json.loads(text)) if text else ()


def roots_from_json(items) -> tuple[RootState, ...]:
    """``RootState`` records from the decoded ``roots`` column."""
    fromiso = dt.date.fromisoformat
    return tuple(
        RootState(  # id, ceiling, start, end, CP of D's year
            i, ceiling, fromiso(start) if start else None, fromiso(end) if end else None, cp
        )
        for i, ceiling, start, end, cp in items
    )


def encode_alerts(alerts: Iterable[str]) -> str:
    return " ".join(sorted(alerts))


def state_rows(
    startup_id: int,
    conventions: Iterable[ConventionFacts],
    phases: Iterable[PhaseFacts],
    deadlines: Iterable[DeadlineFacts],
    engagements: dict[int, Iterable[dt.date]],
    reviews: Iterable[ReviewFacts] = (),
) -> list[dict]:
    """The ``startup_state`` rows of one startup (dates as ``datetime.date``)."""
    rows = []
    for valid_from, valid_to, s in timeline(conventions, phases, deadlines, engagements, reviews):
        nd = s.next_deadline
        row = {
            "startup_id": startup_id,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "phase": s.phase,
            "envelope_cents": s.envelope_cents,
            "pending_cents": s.pending_cents,
            "roots": encode_roots(s.roots),
            "alerts": encode_alerts(s.alerts),
            "next_deadline_on": nd.date if nd else None,
            "next_deadline_title": nd.title if nd else None,
            "next_deadline_kind": nd.kind if nd else None,
            "next_deadline_id": nd.id if nd else None,
            "next_deadline_convention_id": nd.convention_id if nd else None,
            "next_deadline_derived": nd.derived if nd else None,
        }
        if rows and all(rows[-1][c] == row[c] for c in COLUMNS[3:]):
            rows[-1]["valid_to"] = valid_to  # same as stored: one stretch
        else:
            rows.append(row)
    return rows
