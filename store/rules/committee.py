"""The investment committee's lead times (pure rules).

The committee (comité d'investissement) meets at least every six months; the sponsor
decides to fund six more months, one or two provisional months, or to stop.  It should
meet 30 to 45 days before the money in force runs out, because a convention renewal and
its orders take weeks; a decision to fund is worth nothing until the convention or
avenant that carries it is signed (what stopped DossierSco twice).

The alerts, each a stable code (documented in DESIGN.md and the README):

- ``NO_COMMITTEE_BEFORE_EXHAUSTION``: the money in force runs out within 45 days of D,
  at the current rate of engagement or at the staffing plan's, and no committee
  reviewing the startup is scheduled from D to the day before it runs out;
- ``ENDS_BEFORE_COMMITTEE``: a convention in force ends within six months of D, no
  successor concluded on or before D covers the day after its end, and no committee
  reviewing the startup is scheduled from D to its end;
- ``FUNDING_UNSIGNED``: a committee decided to fund (six months or provisional months)
  30 days or more before D, and no convention or avenant carrying it is concluded on D
  (the one the decision links to, or else any of the startup's concluded from the
  committee's day to D).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from store.rules.budget import Budget, ConventionFacts, concluded_on, covered_after, in_force


class Decision(StrEnum):
    SIX_MONTHS = "six_months"
    PROVISIONAL = "provisional"
    STOP = "stop"
    UNDECIDED = "undecided"


DECISIONS = tuple(d.value for d in Decision)
FUNDING_DECISIONS = frozenset({Decision.SIX_MONTHS.value, Decision.PROVISIONAL.value})
# Provisional funding: "about one or two months" (the sponsor's guide); more is a period.
PROVISIONAL_MONTHS = (1, 2)
# The committee meets 30 to 45 days before the money runs out.
LEAD_DAYS = 45
# A decision to fund should be carried by a signed convention or avenant within this.
SIGNATURE_DAYS = 30
# A committee at least every six months: a convention ending further away is not yet due.
HORIZON_DAYS = 183
# The period a committee decides on, in months.
PERIOD_MONTHS = 6

LEAD_TIME_ALERTS = (
    "NO_COMMITTEE_BEFORE_EXHAUSTION",
    "ENDS_BEFORE_COMMITTEE",
    "FUNDING_UNSIGNED",
)


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """One startup's review by a committee on ``date``."""

    date: dt.date
    decision: str = Decision.UNDECIDED.value
    convention_id: int | None = None


def next_committee(reviews: Iterable[ReviewFacts], on: dt.date) -> dt.date | None:
    """The first committee reviewing the startup on or after D."""
    return min((r.date for r in reviews if r.date >= on), default=None)


def _scheduled(reviews: Sequence[ReviewFacts], first: dt.date, last: dt.date) -> bool:
    return any(first <= r.date <= last for r in reviews)


def runs_out_on(*days: dt.date | None) -> dt.date | None:
    """The earliest of the days the money runs out (at the burn rate, at the staffing
    plan's); ``None`` when none is known."""
    return min((d for d in days if d is not None), default=None)


def lead_time_alerts(
    all_budgets: Sequence[Budget],
    conventions: Iterable[ConventionFacts],
    reviews: Sequence[ReviewFacts],
    exhausts_on: dt.date | None,
    on: dt.date,
) -> tuple[str, ...]:
    """The lead-time alerts of one startup on D, in LEAD_TIME_ALERTS order.

    ``exhausts_on``: the day the money in force runs out (``runs_out_on`` of the burn
    rate's and the staffing plan's days), ``None`` when unknown or never.
    """
    alerts: set[str] = set()
    if (
        exhausts_on is not None
        and (exhausts_on - on).days <= LEAD_DAYS
        and not _scheduled(reviews, on, exhausts_on - dt.timedelta(days=1))
    ):
        alerts.add("NO_COMMITTEE_BEFORE_EXHAUSTION")
    for b in in_force(all_budgets, on):
        end = b.ends_on(on)
        if end is None or (end - on).days > HORIZON_DAYS:
            continue
        if not covered_after(all_budgets, b, end, on) and not _scheduled(reviews, on, end):
            alerts.add("ENDS_BEFORE_COMMITTEE")
    concluded = {c.id: concluded_on(c) for c in conventions}
    for r in reviews:
        if r.decision not in FUNDING_DECISIONS or (on - r.date).days < SIGNATURE_DAYS:
            continue
        if r.convention_id is not None:
            day = concluded.get(r.convention_id)
            carried = day is not None and day <= on
        else:
            carried = any(d is not None and r.date <= d <= on for d in concluded.values())
        if not carried:
            alerts.add("FUNDING_UNSIGNED")
    return tuple(code for code in LEAD_TIME_ALERTS if code in alerts)
