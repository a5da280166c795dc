"""The orders' and the committees' alerts in a startup's one assessment (``assess``).

Every figure is worked out by hand in the test's docstring.  The same convention runs
through them: signed 1 January 2024, ending 31 December 2024, ceiling 100 000 €.
"""

from __future__ import annotations

import datetime as dt

from store.rules.budget import (
    ALERT_CODES,
    ConventionFacts,
    OrderFacts,
    PhaseFacts,
    ReviewFacts,
    StaffingFacts,
    StartupFacts,
    assess,
)
from store.rules.vocab import ALERT_LABELS

D = dt.date
YEAR = ConventionFacts(
    id=1, signed_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), ceiling_cents=10_000_000
)
BUILDING = (PhaseFacts("construction", D(2023, 6, 1)),)


def _facts(**kw) -> StartupFacts:
    return StartupFacts(conventions=(YEAR,), phases=BUILDING, **kw)


def _order(**kw) -> OrderFacts:
    return OrderFacts(**{"id": 1, "date": D(2024, 2, 1), "amount_cents": 1_000_000, **kw})


def test_every_code_has_its_words_and_its_place():
    assert set(ALERT_LABELS) == set(ALERT_CODES)


def test_an_order_late_past_its_expected_delivery():
    """An order of 10 000 € dated 1 February 2024, expected 31 March, nothing delivered:
    on 31 March it is not late yet; on 1 April it is (ORDER_LATE).  With a service fait
    of 1 000 € by then, or once closed, it is not."""
    late = _order(expected_on=D(2024, 3, 31))
    assert "ORDER_LATE" not in assess(_facts(orders=(late,)), D(2024, 3, 31)).alerts
    assert "ORDER_LATE" in assess(_facts(orders=(late,)), D(2024, 4, 1)).alerts
    delivered = _order(expected_on=D(2024, 3, 31), service_fait_cents=100_000)
    assert "ORDER_LATE" not in assess(_facts(orders=(delivered,)), D(2024, 4, 1)).alerts
    closed = _order(expected_on=D(2024, 3, 31), status="closed")
    assert "ORDER_LATE" not in assess(_facts(orders=(closed,)), D(2024, 4, 1)).alerts


def test_a_payment_beyond_the_services_faits():
    """Delivered 5 000 €, paid 6 000 €: 1 000 € paid for nothing delivered yet
    (PAID_BEYOND_SF, critical); paid 5 000 €: nothing to say."""
    over = _order(service_fait_cents=500_000, paid_cents=600_000)
    alerts = assess(_facts(orders=(over,)), D(2024, 6, 1)).alerts
    assert alerts[0] == "PAID_BEYOND_SF"  # the most urgent after GAP and OVERSPENT
    even = _order(service_fait_cents=500_000, paid_cents=500_000)
    assert "PAID_BEYOND_SF" not in assess(_facts(orders=(even,)), D(2024, 6, 1)).alerts


def test_an_order_the_latest_chorus_export_does_not_list():
    """The latest export covering the order's centre financier does not list its EJ:
    ORDER_NOT_IN_CHORUS; a cancelled order is not expected in Chorus."""
    missing = _order(missing_from_chorus=True)
    assert "ORDER_NOT_IN_CHORUS" in assess(_facts(orders=(missing,)), D(2024, 6, 1)).alerts
    gone = _order(missing_from_chorus=True, status="cancelled")
    assert "ORDER_NOT_IN_CHORUS" not in assess(_facts(orders=(gone,)), D(2024, 6, 1)).alerts


def test_january_not_ordered_by_the_order_cut_off_at_the_staffing_plans_cost():
    """One developer at 500 € a day, from 1 January 2024 to 30 June 2025.  January 2025
    has 23 working days (1 January is a Wednesday: four whole weeks, 20 days, then
    Wednesday 29 to Friday 31), so it costs 23 × 500 = 11 500 €.  The open order of
    12 000 € with 2 000 € delivered has 10 000 € left to deliver: less than January
    needs.  From the order cut-off (15 December) on: ORDER_NOT_PLACED; on 14 December not
    yet; with a store's cut-off of 10 December, from the 10th.  An order of 14 000 €
    (12 000 € left to deliver) covers January."""
    plan = (StaffingFacts(1.0, D(2024, 1, 1), D(2025, 6, 30), 50_000),)
    order = _order(date=D(2024, 11, 1), amount_cents=1_200_000, service_fait_cents=200_000)
    facts = _facts(orders=(order,), staffing=plan)
    assert "ORDER_NOT_PLACED" not in assess(facts, D(2024, 12, 14)).alerts
    assert "ORDER_NOT_PLACED" in assess(facts, D(2024, 12, 15)).alerts
    assert "ORDER_NOT_PLACED" in assess(facts, D(2024, 12, 31)).alerts
    assert "ORDER_NOT_PLACED" in assess(facts, D(2024, 12, 10), order_cutoff=(12, 10)).alerts
    enough = _order(date=D(2024, 11, 1), amount_cents=1_400_000, service_fait_cents=200_000)
    assert (
        "ORDER_NOT_PLACED"
        not in assess(_facts(orders=(enough,), staffing=plan), D(2024, 12, 15)).alerts
    )


def test_january_not_ordered_at_the_burn_rate_without_a_plan():
    """No staffing plan: January is worth a month at the burn rate.  12 000 € engaged in
    the 90 days before 16 December 2024 make 4 000 € a month; the open order of 3 000 €
    with nothing delivered covers less: ORDER_NOT_PLACED.  A startup that stopped
    (abandon) needs no January."""
    order = _order(date=D(2024, 11, 1), amount_cents=300_000)
    facts = _facts(orders=(order,), burn_window_cents=1_200_000)
    assert "ORDER_NOT_PLACED" in assess(facts, D(2024, 12, 16)).alerts
    stopped = StartupFacts(
        conventions=(YEAR,),
        phases=(PhaseFacts("abandon", D(2024, 10, 1)),),
        orders=(order,),
        burn_window_cents=1_200_000,
    )
    assert "ORDER_NOT_PLACED" not in assess(stopped, D(2024, 12, 16)).alerts


def test_no_committee_before_the_money_runs_out():
    """Ceiling 30 000 €, 24 000 € engaged in the 90 days before 1 June 2024: 8 000 € a
    month, 6 000 € left, 0.75 month = 22.5 days: the money runs out on 23 June, within
    45 days.  The startup's last committee was on 15 January: no committee before the
    money runs out (NO_COMMITTEE_BEFORE_EXHAUSTION).  A committee on 20 June is in time;
    a startup with no committee recorded at all is not followed through committees."""
    small = ConventionFacts(
        id=1, signed_on=D(2024, 1, 1), ends_on=D(2024, 12, 31), ceiling_cents=3_000_000
    )

    def facts(*reviews):
        return StartupFacts(
            conventions=(small,),
            phases=BUILDING,
            consumed_cents={1: 2_400_000},
            burn_window_cents=2_400_000,
            window_cents_by_root={1: 2_400_000},
            reviews=reviews,
        )

    a = assess(facts(ReviewFacts(D(2024, 1, 15))), D(2024, 6, 1))
    assert a.exhausts_on == D(2024, 6, 23)
    assert "NO_COMMITTEE_BEFORE_EXHAUSTION" in a.alerts
    in_time = facts(ReviewFacts(D(2024, 1, 15)), ReviewFacts(D(2024, 6, 20)))
    assert "NO_COMMITTEE_BEFORE_EXHAUSTION" not in assess(in_time, D(2024, 6, 1)).alerts
    assert "NO_COMMITTEE_BEFORE_EXHAUSTION" not in assess(facts(), D(2024, 6, 1)).alerts


def test_a_convention_ends_before_the_next_committee():
    """The convention ends 30 September 2024: on 1 June that is 121 days away (within
    six months), no successor is signed and the only committee was on 15 January:
    ENDS_BEFORE_COMMITTEE.  A committee on 15 September comes before the end."""
    ending = ConventionFacts(
        id=1, signed_on=D(2024, 1, 1), ends_on=D(2024, 9, 30), ceiling_cents=10_000_000
    )

    def alerts(on, *reviews):
        facts = StartupFacts(conventions=(ending,), phases=BUILDING, reviews=reviews)
        return assess(facts, on).alerts

    assert "ENDS_BEFORE_COMMITTEE" in alerts(D(2024, 6, 1), ReviewFacts(D(2024, 1, 15)))
    later = ReviewFacts(D(2024, 9, 15))
    assert "ENDS_BEFORE_COMMITTEE" not in alerts(D(2024, 6, 1), ReviewFacts(D(2024, 1, 15)), later)
    # 1 March: 213 days before the end, not yet due; 31 March: 183 days, due.
    assert "ENDS_BEFORE_COMMITTEE" not in alerts(D(2024, 3, 1), ReviewFacts(D(2024, 1, 15)))
    assert "ENDS_BEFORE_COMMITTEE" in alerts(D(2024, 3, 31), ReviewFacts(D(2024, 1, 15)))


def test_a_decision_to_fund_with_no_convention_signed_30_days_later():
    """The committee of 1 May 2024 decided six months; nothing was signed since.  On 30
    May (29 days) it is not yet late; on 31 May (30 days) FUNDING_UNSIGNED.  An avenant
    signed on 20 May carries it."""
    funded = ReviewFacts(D(2024, 5, 1), "six_months")
    facts = _facts(reviews=(funded,))
    assert "FUNDING_UNSIGNED" not in assess(facts, D(2024, 5, 30)).alerts
    assert "FUNDING_UNSIGNED" in assess(facts, D(2024, 5, 31)).alerts
    avenant = ConventionFacts(id=2, kind="avenant", parent_id=1, signed_on=D(2024, 5, 20))
    carried = StartupFacts(conventions=(YEAR, avenant), phases=BUILDING, reviews=(funded,))
    assert "FUNDING_UNSIGNED" not in assess(carried, D(2024, 5, 31)).alerts
