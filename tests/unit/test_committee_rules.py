"""The committee's lead-time alerts (store.rules.committee), each on figures computed by hand."""

from __future__ import annotations

import datetime as dt

from store.rules.budget import ConventionFacts, StaffingFacts, StartupFacts, assess, budgets
from store.rules.committee import ReviewFacts, lead_time_alerts, next_committee, runs_out_on

D = dt.date
ON = D(2024, 6, 30)  # a Sunday
# 100 000 € signed on 1 January 2024, to 31 December 2024.
YEAR = ConventionFacts(
    id=1, signed_on=D(2024, 1, 1), starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31),
    ceiling_cents=10_000_000,
)  # fmt: skip


def _alerts(conventions, reviews, exhausts_on, on=ON):
    return lead_time_alerts(budgets(conventions), conventions, reviews, exhausts_on, on)


def _runs_out(facts: StartupFacts, on=ON):
    a = assess(facts, on)
    staffing = min(
        (p.staffing_exhausts_on for p in a.projections if p.staffing_exhausts_on), default=None
    )
    return runs_out_on(a.exhausts_on, staffing)


# --- NO_COMMITTEE_BEFORE_EXHAUSTION ------------------------------------------------------------


def test_money_runs_out_at_the_rate_of_engagement_with_no_committee_before():
    # 88 000 € engaged, 30 000 € of it in the 90 days before D: 10 000 € a month; 12 000 €
    # left last 1.2 months = 36 days: the money runs out on 30 June + 36 days = 5 August.
    facts = StartupFacts(
        conventions=(YEAR,), consumed_cents={1: 8_800_000}, burn_window_cents=3_000_000
    )
    day = _runs_out(facts)
    assert day == D(2024, 8, 5)
    assert _alerts([YEAR], [], day) == ("NO_COMMITTEE_BEFORE_EXHAUSTION",)
    # A committee on the day itself is too late; the day before is in time.
    assert _alerts([YEAR], [ReviewFacts(D(2024, 8, 5))], day) == ("NO_COMMITTEE_BEFORE_EXHAUSTION",)
    assert _alerts([YEAR], [ReviewFacts(D(2024, 8, 4))], day) == ()
    # A committee already held (before D) does not count.
    assert _alerts([YEAR], [ReviewFacts(D(2024, 6, 1))], day) == ("NO_COMMITTEE_BEFORE_EXHAUSTION",)


def test_money_runs_out_at_the_staffing_plans_rate():
    # No engagement in the last 90 days (no rate), but one person at 500 € a working day:
    # 12 000 € are 24 working days from Monday 1 July: 1–5, 8–12, 15–19, 22–26 July (20),
    # then 29, 30, 31 July and 1 August: the cost reaches 12 000 € on 1 August, the money
    # lasts to 31 July, 31 days after D (within 45).
    plan = StaffingFacts(
        headcount=1, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), daily_rate_cents=50_000
    )
    facts = StartupFacts(conventions=(YEAR,), consumed_cents={1: 8_800_000}, staffing=(plan,))
    day = _runs_out(facts)
    assert day == D(2024, 7, 31)
    assert _alerts([YEAR], [], day) == ("NO_COMMITTEE_BEFORE_EXHAUSTION",)
    assert _alerts([YEAR], [ReviewFacts(D(2024, 7, 15))], day) == ()


def test_money_lasting_more_than_45_days_is_not_yet_urgent():
    # 40 000 € left at 10 000 € a month: 4 months, 120 days.
    facts = StartupFacts(
        conventions=(YEAR,), consumed_cents={1: 6_000_000}, burn_window_cents=3_000_000
    )
    day = _runs_out(facts)
    assert day == D(2024, 10, 28)
    assert _alerts([YEAR], [], day) == ()
    # 45 days exactly is within the lead time.
    assert _alerts([YEAR], [], ON + dt.timedelta(days=45)) == ("NO_COMMITTEE_BEFORE_EXHAUSTION",)
    assert _alerts([YEAR], [], ON + dt.timedelta(days=46)) == ()


# --- ENDS_BEFORE_COMMITTEE ---------------------------------------------------------------------

ENDS_SEPTEMBER = ConventionFacts(
    id=2, signed_on=D(2024, 1, 1), starts_on=D(2024, 1, 1), ends_on=D(2024, 9, 30),
    ceiling_cents=10_000_000,
)  # fmt: skip


def test_a_convention_ending_before_the_next_committee():
    # Ends on 30 September, 92 days after D; the next committee is on 15 October.
    assert _alerts([ENDS_SEPTEMBER], [ReviewFacts(D(2024, 10, 15))], None) == (
        "ENDS_BEFORE_COMMITTEE",
    )
    assert _alerts([ENDS_SEPTEMBER], [], None) == ("ENDS_BEFORE_COMMITTEE",)
    # A committee on the last day, or before it, is in time.
    assert _alerts([ENDS_SEPTEMBER], [ReviewFacts(D(2024, 9, 30))], None) == ()
    assert next_committee([ReviewFacts(D(2024, 10, 15)), ReviewFacts(D(2024, 9, 1))], ON) == D(
        2024, 9, 1
    )


def test_a_signed_successor_covers_the_end():
    successor = ConventionFacts(
        id=3, signed_on=D(2024, 6, 1), starts_on=D(2024, 10, 1), ends_on=D(2025, 3, 31),
        ceiling_cents=5_000_000,
    )  # fmt: skip
    assert _alerts([ENDS_SEPTEMBER, successor], [], None) == ()
    # Signed after D: not yet.
    later = ConventionFacts(
        id=3, signed_on=D(2024, 7, 10), starts_on=D(2024, 10, 1), ends_on=D(2025, 3, 31),
        ceiling_cents=5_000_000,
    )  # fmt: skip
    assert _alerts([ENDS_SEPTEMBER, later], [], None) == ("ENDS_BEFORE_COMMITTEE",)


def test_an_end_more_than_six_months_away_is_not_yet_due():
    # 31 December is 184 days after 30 June: beyond the six months (183 days).
    assert _alerts([YEAR], [], None) == ()
    assert _alerts([YEAR], [], None, on=D(2024, 7, 1)) == ("ENDS_BEFORE_COMMITTEE",)


# --- FUNDING_UNSIGNED --------------------------------------------------------------------------


def test_a_decision_to_fund_with_nothing_signed_30_days_later():
    funded = ReviewFacts(D(2024, 5, 1), "six_months")
    # 30 May is 29 days after the committee, 31 May 30 days.
    assert _alerts([YEAR], [funded], None, on=D(2024, 5, 30)) == ()
    assert _alerts([YEAR], [funded], None, on=D(2024, 5, 31)) == ("FUNDING_UNSIGNED",)
    provisional = ReviewFacts(D(2024, 5, 1), "provisional")
    assert _alerts([YEAR], [provisional], None, on=D(2024, 5, 31)) == ("FUNDING_UNSIGNED",)
    # To stop, or not decided yet: nothing to sign.
    for decision in ("stop", "undecided"):
        assert _alerts([YEAR], [ReviewFacts(D(2024, 5, 1), decision)], None, D(2024, 6, 15)) == ()


def test_an_avenant_signed_after_the_committee_carries_it():
    avenant = ConventionFacts(
        id=4, kind="avenant", parent_id=1, number=1, signed_on=D(2024, 5, 20),
        ceiling_cents=15_000_000,
    )  # fmt: skip
    funded = ReviewFacts(D(2024, 5, 1), "six_months")
    assert _alerts([YEAR, avenant], [funded], None, on=D(2024, 6, 15)) == ()


def test_the_linked_convention_must_be_signed():
    renewal = ConventionFacts(
        id=5, signed_on=D(2024, 6, 10), starts_on=D(2025, 1, 1), ends_on=D(2025, 6, 30),
        ceiling_cents=10_000_000,
    )  # fmt: skip
    funded = ReviewFacts(D(2024, 5, 1), "six_months", convention_id=5)
    assert _alerts([YEAR, renewal], [funded], None, on=D(2024, 6, 5)) == ("FUNDING_UNSIGNED",)
    assert _alerts([YEAR, renewal], [funded], None, on=D(2024, 6, 10)) == ()
    unsigned = ConventionFacts(id=5, starts_on=D(2025, 1, 1), ceiling_cents=10_000_000)
    assert _alerts([YEAR, unsigned], [funded], None, on=D(2024, 6, 10)) == ("FUNDING_UNSIGNED",)
