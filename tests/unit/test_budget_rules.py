"""Each budget rule and alert on small hand-built portfolios; expected values by hand."""

from __future__ import annotations

import datetime as dt

from store.rules.budget import (
    Budget,
    ConventionFacts,
    DeadlineFacts,
    PhaseFacts,
    StaffingFacts,
    StartupFacts,
    assess,
    attribute,
    budgets,
    envelope,
    exhaustion_date,
    funding_gaps,
    pending_cents,
    runway,
    staffing_cost_cents,
    working_days,
)

D = dt.date
K = 100_000  # 1 000 € in cents
ACTIVE = (PhaseFacts("construction", D(2019, 1, 1)),)


def conv(id, signed=None, start=None, end=None, ceiling=None, **kw) -> ConventionFacts:
    return ConventionFacts(
        id=id, signed_on=signed, starts_on=start, ends_on=end, ceiling_cents=ceiling, **kw
    )


def one(*conventions: ConventionFacts) -> Budget:
    (b,) = budgets(conventions)
    return b


def test_an_avenant_replaces_the_ceiling_and_the_end_from_its_conclusion():
    root = conv(1, signed=D(2020, 1, 10), end=D(2020, 12, 31), ceiling=100 * K)
    avenant = conv(
        2,
        kind="avenant",
        parent_id=1,
        end=D(2021, 6, 30),
        ceiling=150 * K,
        party_signatures=(D(2020, 6, 10), D(2020, 6, 15)),  # concluded on the later one
    )
    b = one(root, avenant)
    assert (b.ceiling_cents(D(2020, 6, 14)), b.ends_on(D(2020, 6, 14))) == (
        100 * K,
        D(2020, 12, 31),
    )
    assert (b.ceiling_cents(D(2020, 6, 15)), b.ends_on(D(2020, 6, 15))) == (150 * K, D(2021, 6, 30))
    # In force on 2021-03-01 only because the avenant moved the end.
    assert envelope([b], D(2021, 3, 1)).cents == 150 * K


def test_a_convention_with_no_signature_is_pending_never_counted():
    pending = conv(1, start=D(2020, 1, 1), end=D(2020, 12, 31), ceiling=50 * K)
    facts = StartupFacts(conventions=(pending,), phases=ACTIVE)
    a = assess(facts, D(2020, 3, 1))
    assert (a.envelope_cents, a.pending_cents, a.conventions_in_force) == (None, 50 * K, 0)
    assert a.alerts == ("GAP", "UNSIGNED")
    # Its period comes from its schedule when it has no start: 1 January of the first year.
    scheduled = conv(1, end=D(2021, 12, 31), ceiling=50 * K, schedule=((2020, 50 * K, 50 * K),))
    assert pending_cents(budgets([scheduled]), D(2019, 12, 31)) == 0
    assert pending_cents(budgets([scheduled]), D(2020, 1, 1)) == 50 * K


def test_an_unknown_ceiling_stays_unknown():
    a = assess(StartupFacts(conventions=(conv(1, signed=D(2020, 1, 1)),)), D(2020, 2, 1))
    assert a.envelope_cents is None and a.remaining_cents is None
    assert a.alerts == ("AMOUNT_UNKNOWN", "END_UNKNOWN")  # no end date either
    # An unknown pending ceiling is flagged too (never counted as 0 silently).
    a = assess(StartupFacts(conventions=(conv(1, start=D(2020, 1, 1)),)), D(2020, 2, 1))
    assert "AMOUNT_UNKNOWN" in a.alerts


def test_overlapping_conventions_add_up_and_lines_go_to_the_first_concluded():
    a = conv(1, signed=D(2020, 1, 1), end=D(2020, 12, 31), ceiling=100 * K)
    b = conv(2, signed=D(2020, 3, 1), end=D(2021, 3, 1), ceiling=50 * K)
    all_budgets = budgets([b, a])
    assert envelope(all_budgets, D(2020, 6, 1)).cents == 150 * K
    assert attribute(D(2020, 6, 1), None, all_budgets) == 1
    assert attribute(D(2021, 1, 15), None, all_budgets) == 2
    assert attribute(D(2020, 6, 1), 2, all_budgets) == 2  # the one it names


def test_consumption_before_the_first_convention_is_unattributed():
    all_budgets = budgets([conv(1, signed=D(2020, 4, 1), end=D(2020, 12, 31), ceiling=K)])
    assert attribute(D(2020, 3, 31), None, all_budgets) is None
    facts = StartupFacts(conventions=tuple(b.root for b in all_budgets), unattributed_cents=500)
    a = assess(facts, D(2020, 5, 1))
    assert a.unattributed_cents == 500 and "UNATTRIBUTED" in a.alerts


def test_the_next_convention_starts_from_zero():
    # A: 100 000 €, 120 000 € spent (overspent); B from 1 July: 50 000 €, 10 000 € spent.
    a = conv(1, signed=D(2020, 1, 1), end=D(2020, 6, 30), ceiling=100 * K)
    b = conv(2, signed=D(2020, 6, 20), start=D(2020, 7, 1), end=D(2021, 6, 30), ceiling=50 * K)
    spent = {1: 120 * K, 2: 10 * K}
    facts = StartupFacts(conventions=(a, b), phases=ACTIVE, consumed_cents=spent)
    on_15_july = assess(facts, D(2020, 7, 15))
    assert on_15_july.envelope_cents == 50 * K
    assert on_15_july.consumed_cents == 10 * K  # not 130 000 €
    assert on_15_july.remaining_cents == 40 * K
    assert "OVERSPENT" not in on_15_july.alerts
    # Before B was signed, A was overspent and expiring with nothing after it…
    before = assess(facts, D(2020, 6, 15))
    assert {"OVERSPENT", "EXPIRING"} <= set(before.alerts)
    # …and once B is concluded (20 June) the day after A's end is covered.
    assert "EXPIRING" not in assess(facts, D(2020, 6, 25)).alerts


def test_burn_rate_runway_and_exhaustion():
    # 30 000 € in the 90 days: 10 000 € a month; 90 000 € left: 9 months, 270 days.
    facts = StartupFacts(
        conventions=(conv(1, signed=D(2020, 1, 1), end=D(2022, 12, 31), ceiling=120 * K),),
        consumed_cents={1: 30 * K},
        burn_window_cents=30 * K,
    )
    a = assess(facts, D(2020, 6, 1))
    assert a.burn_rate_cents_per_month == 10 * K
    assert a.runway_months == 9.0
    assert a.exhausts_on == D(2020, 6, 1) + dt.timedelta(days=270)
    assert runway(None, 10.0) is None and runway(5, 0) is None and runway(-5, 1) == 0.0
    assert exhaustion_date(D(2020, 1, 1), 100, 0) is None


def _projected(window: int, **extra) -> tuple[str, ...]:
    # 120 000 € from 1 Jan to 31 Dec 2020, 60 000 € spent by 30 June.
    c = conv(1, signed=D(2020, 1, 1), end=D(2020, 12, 31), ceiling=120 * K, **extra)
    facts = StartupFacts(
        conventions=(c,),
        consumed_cents={1: 60 * K},
        window_cents_by_root={1: window},
        paid_this_year_cents={1: 60 * K},
    )
    return assess(facts, D(2020, 6, 30)).alerts


def test_exhausts_before_end():
    # 10 000 €/month: 60 000 € last 180 days, to 27 Dec, before the 31 Dec end
    # (leftover 60 000 − 10 000 × 184 / 30 = −1 333 €).
    assert _projected(30 * K) == ("EXHAUSTS_BEFORE_END",)


def test_underspend_at_the_end():
    # 1 000 €/month: leftover 60 000 − 1 000 × 184 / 30 = 53 867 € > 20 % of 120 000 €.
    assert _projected(3 * K) == ("UNDERSPEND",)
    # 8 000 €/month: leftover 60 000 − 8 000 × 184 / 30 = 10 933 € < 24 000 €: fine.
    assert _projected(24 * K) == ()


def test_no_rate_yet_means_no_projection_alert():
    c = conv(1, signed=D(2020, 5, 1), end=D(2020, 12, 31), ceiling=100 * K)
    facts = StartupFacts(conventions=(c,))
    assert assess(facts, D(2020, 6, 1)).alerts == ()  # 31 days in, nothing spent yet
    # 92 days in with nothing spent: the rate really is 0, everything would be left.
    assert assess(facts, D(2020, 8, 1)).alerts == ("UNDERSPEND",)


def test_underspend_of_the_years_cp():
    # 100 000 € over 2020–2021, CP 50 000 € each year; 20 000 € paid in 2020 by 1 Oct.
    c = conv(
        1,
        signed=D(2020, 2, 1),
        end=D(2021, 12, 31),
        ceiling=100 * K,
        schedule=((2020, 50 * K, 50 * K), (2021, 50 * K, 50 * K)),
    )

    def alerts(window: int) -> tuple[str, ...]:
        facts = StartupFacts(
            conventions=(c,),
            consumed_cents={1: 20 * K},
            window_cents_by_root={1: window},
            paid_this_year_cents={1: 20 * K},
        )
        return assess(facts, D(2020, 10, 1)).alerts

    # 5 000 €/month: 20 000 + 5 000 × 91 / 30 = 35 167 € paid by 31 Dec < 50 000 €; at the
    # end 80 000 − 5 000 × 821 / 30 < 0 would not be left over, so only the CP rule fires…
    assert "UNDERSPEND" in alerts(15 * K)
    # …10 000 €/month pays 50 333 € by 31 Dec: the CP is spent (the money then runs out).
    assert alerts(30 * K) == ("EXHAUSTS_BEFORE_END",)


def test_engaged_after_end_and_overdue():
    c = conv(1, signed=D(2020, 1, 1), end=D(2020, 6, 30), ceiling=100 * K)
    late = DeadlineFacts(date=D(2020, 7, 1), title="Bilan")
    facts = StartupFacts(conventions=(c,), last_engagement_on={1: D(2020, 7, 5)}, deadlines=(late,))
    assert assess(facts, D(2020, 7, 10)).alerts == ("ENGAGED_AFTER_END", "OVERDUE")
    done = DeadlineFacts(date=D(2020, 7, 1), title="Bilan", done=True)
    facts = StartupFacts(conventions=(c,), last_engagement_on={1: D(2020, 6, 5)}, deadlines=(done,))
    assert assess(facts, D(2020, 7, 10)).alerts == ()


def test_funding_gaps_as_periods_across_a_leap_year():
    a = conv(1, signed=D(2019, 3, 1), end=D(2019, 12, 31), ceiling=K)
    b = conv(2, signed=D(2020, 2, 10), end=D(2020, 12, 31), ceiling=K)
    gaps = funding_gaps(budgets([a, b]), ACTIVE, until=D(2021, 1, 31))
    assert gaps == [
        (D(2019, 1, 1), D(2019, 2, 28)),
        (D(2020, 1, 1), D(2020, 2, 9)),
        (D(2021, 1, 1), D(2021, 1, 31)),
    ]
    # A gap ends when the startup reaches an end state.
    ended = (*ACTIVE, PhaseFacts("abandon", D(2021, 1, 10)))
    assert funding_gaps(budgets([a, b]), ended, until=D(2021, 1, 31))[-1] == (
        D(2021, 1, 1),
        D(2021, 1, 9),
    )


def test_leap_day_counts():
    b = one(conv(1, signed=D(2024, 1, 1), end=D(2024, 2, 29), ceiling=K))
    assert b.in_force(D(2024, 2, 29)) and not b.in_force(D(2024, 3, 1))
    # Mon 26 Feb to Sun 3 Mar 2024: 26, 27, 28, 29 Feb and 1 Mar.
    assert working_days(D(2024, 2, 26), D(2024, 3, 3)) == 5
    assert working_days(D(2023, 2, 27), D(2023, 3, 5)) == 5  # no 29th: 27, 28, 1, 2, 3


def test_staffing_plan_projection():
    # 2 developers at 600 € a day, 1–31 Jan 2022 (21 working days): 25 200 €.
    dev = StaffingFacts(
        headcount=2, starts_on=D(2022, 1, 1), ends_on=D(2022, 1, 31), daily_rate_cents=600_00
    )
    assert staffing_cost_cents([dev], D(2022, 1, 1), D(2022, 12, 31)) == 25_200_00
    unknown = StaffingFacts(
        headcount=1, starts_on=D(2022, 1, 1), ends_on=D(2022, 3, 1), daily_rate_cents=None
    )
    assert staffing_cost_cents([dev, unknown], D(2022, 1, 1), D(2022, 12, 31)) is None
    c = conv(1, signed=D(2021, 12, 1), end=D(2022, 1, 31), ceiling=30_000_00)
    facts = StartupFacts(conventions=(c,), staffing=(dev,), consumed_cents={1: 1_000_00})
    (p,) = assess(facts, D(2021, 12, 31)).projections
    # From 1 Jan (the day after D) to the end: 25 200 €; 29 000 € left: 3 800 € leftover.
    assert (p.staffing_cost_cents, p.staffing_leftover_cents) == (25_200_00, 3_800_00)
    # At the burn rate (something spent, none of it in the window: a real 0), all 29 000 €.
    assert p.leftover_cents == 29_000_00


def test_a_convention_in_force_with_no_known_end():
    """Signed 2018-06-01 with no end date: in force for ever until someone fills in the
    end, so it says so (END_UNKNOWN) on every day from its conclusion, and only then."""
    open_ended = conv(1, signed=D(2018, 6, 1), ceiling=200 * K)
    facts = StartupFacts(conventions=(open_ended,), phases=ACTIVE)
    assert assess(facts, D(2018, 5, 31)).alerts == ()  # not concluded yet
    for day in (D(2018, 6, 1), D(2026, 12, 2)):
        a = assess(facts, day)
        assert a.envelope_cents == 200 * K and a.conventions_in_force == 1
        assert a.alerts == ("END_UNKNOWN",)
    # An avenant that gives it an end ends the alert from its conclusion.
    avenant = conv(2, kind="avenant", parent_id=1, signed=D(2019, 3, 1), end=D(2019, 12, 31))
    facts = StartupFacts(conventions=(open_ended, avenant), phases=ACTIVE)
    assert assess(facts, D(2019, 2, 28)).alerts == ("END_UNKNOWN",)
    assert "END_UNKNOWN" not in assess(facts, D(2019, 3, 1)).alerts
    # Ended: no convention in force, no envelope (unknown, never 0).
    ended = assess(facts, D(2020, 1, 1))
    assert ended.alerts == ("GAP",) and ended.envelope_cents is None
    assert ended.remaining_cents is None and ended.runway_months is None
