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

from store.rules.budget import (
    FUNDING_DECISIONS,
    HORIZON_DAYS,
    LEAD_DAYS,
    SIGNATURE_DAYS,
    Budget,
    ConventionFacts,
    Decision,
    ReviewFacts,
    ends_before_committee,
    funding_unsigned,
    in_force,
    no_committee_before,
)

# The rules and their records live in ``store.rules.budget`` (the report's assessment
# decides them too); they are named here as well, for the committee's readers.
__all__ = [
    "DECISIONS",
    "FUNDING_DECISIONS",
    "HORIZON_DAYS",
    "LEAD_DAYS",
    "LEAD_TIME_ALERTS",
    "PERIOD_MONTHS",
    "PROVISIONAL_MONTHS",
    "SIGNATURE_DAYS",
    "Decision",
    "ReviewFacts",
    "lead_time_alerts",
    "next_committee",
    "runs_out_on",
]

DECISIONS = tuple(d.value for d in Decision)
# Provisional funding: "about one or two months" (the sponsor's guide); more is a period.
PROVISIONAL_MONTHS = (1, 2)
# The period a committee decides on, in months.
PERIOD_MONTHS = 6

LEAD_TIME_ALERTS = (
    "NO_COMMITTEE_BEFORE_EXHAUSTION",
    "ENDS_BEFORE_COMMITTEE",
    "FUNDING_UNSIGNED",
)


def next_committee(reviews: Iterable[ReviewFacts], on: dt.date) -> dt.date | None:
    """The first committee reviewing the startup on or after D."""
    return min((r.date for r in reviews if r.date >= on), default=None)


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
    if no_committee_before(reviews, exhausts_on, on):
        alerts.add("NO_COMMITTEE_BEFORE_EXHAUSTION")
    if ends_before_committee(all_budgets, in_force(all_budgets, on), reviews, on):
        alerts.add("ENDS_BEFORE_COMMITTEE")
    if funding_unsigned(conventions, reviews, on):
        alerts.add("FUNDING_UNSIGNED")
    return tuple(code for code in LEAD_TIME_ALERTS if code in alerts)
