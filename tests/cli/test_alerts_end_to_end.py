"""The orders' and the committees' alerts, end to end: `startups report --format json`,
`startups show`, the report's fast path, its reference and the card say the same on
16 December 2024 (past the order cut-off of 15 December).

Every startup is in construction since 1 June 2023 with one convention signed on
1 January 2024, ceiling 100 000 €.
"""

from __future__ import annotations

import datetime as dt

import pytest

from store import models as m
from store.derived import reattribute
from store.ops.committee import add_committee, decide
from store.ops.orders import add_order, add_payment, add_service_fait
from store.queries.card import build_card
from store.queries.report import build, build_reference

D = dt.date
DAY = "2024-12-16"


def _startup(s, slug: str, ends_on: dt.date) -> int:
    startup = m.Startup(slug=slug, title=slug.title())
    s.add(startup)
    s.flush()
    s.add(m.Phase(startup_id=startup.id, name="construction", start=D(2023, 6, 1)))
    convention = m.Convention(
        startup_id=startup.id,
        title="Convention de service",
        signed_on=D(2024, 1, 1),
        ends_on=ends_on,
        ceiling_cents=10_000_000,
    )
    s.add(convention)
    s.flush()
    return startup.id


@pytest.fixture
def alerts_db(store, db_path):
    """Three startups:

    - ``commandes`` (convention to 31 December 2025): order 1300000001 of 10 000 € on
      1 February, expected 31 March, nothing delivered (ORDER_LATE); order 1300000002 of
      5 000 € on 1 March, 4 000 € delivered on 1 April and 4 500 € paid on 1 May: 500 €
      paid beyond the services faits (PAID_BEYOND_SF).
    - ``janvier`` (convention to 31 December 2025): one developer at 500 € a day from
      1 January 2024 to 30 June 2025, so January 2025 costs 23 working days × 500 € =
      11 500 €; its only open order, 12 000 € on 1 November with 2 000 € delivered on
      30 November, has 10 000 € left to deliver: January is not ordered (ORDER_NOT_PLACED).
    - ``comite`` (convention to 31 March 2025, 105 days after D): 30 000 € engaged on
      each of 1 October, 1 November and 1 December (90 000 €: 30 000 € a month, 10 000 €
      left: a third of a month, 10 days, the money runs out on 26 December); the
      committee of 1 November decided six months and nothing was signed since (45 days:
      FUNDING_UNSIGNED); no committee is scheduled before the money runs out
      (NO_COMMITTEE_BEFORE_EXHAUSTION) nor before the end, and no successor is signed
      (ENDS_BEFORE_COMMITTEE).
    """
    with store.session() as s:
        _startup(s, "commandes", D(2025, 12, 31))
        add_order(s, "commandes", date=D(2024, 2, 1), ej="1300000001", amount_cents=1_000_000,
                  expected_on=D(2024, 3, 31))  # fmt: skip
        add_order(s, "commandes", date=D(2024, 3, 1), ej="1300000002", amount_cents=500_000)
        add_service_fait(s, "1300000002", date=D(2024, 4, 1), amount_cents=400_000)
        add_payment(s, None, date=D(2024, 5, 1), amount_cents=450_000, label="facture",
                    order="1300000002")  # fmt: skip
        sid = _startup(s, "janvier", D(2025, 12, 31))
        s.add(m.StaffingLine(startup_id=sid, role="Développeur", headcount=1.0,
                             starts_on=D(2024, 1, 1), ends_on=D(2025, 6, 30),
                             daily_rate_cents=50_000))  # fmt: skip
        add_order(s, "janvier", date=D(2024, 11, 1), ej="1300000003", amount_cents=1_200_000)
        add_service_fait(s, "1300000003", date=D(2024, 11, 30), amount_cents=200_000)
        sid = _startup(s, "comite", D(2025, 3, 31))
        for month in (10, 11, 12):
            s.add(m.ConsumptionLine(startup_id=sid, date=D(2024, month, 1),
                                    amount_cents=3_000_000, kind="engagement", label="bon"))  # fmt: skip
        reattribute(s, sid)  # the lines count against the convention of their date
    with store.session() as s:
        add_committee(s, D(2024, 11, 1), ["comite"])
        decide(s, D(2024, 11, 1), "comite", decision="six_months")
    return db_path


def test_the_alerts_of_orders_and_committees_everywhere(run, alerts_db):
    report = run("report", "--db", alerts_db, "--as-of", DAY, "--format", "json")
    assert report.code == 0, report.err
    rows = {r["slug"]: r["alerts"] for r in report.json()["startups"]}
    # (UNDERSPEND too: 85 000 € of 100 000 € left, nothing engaged in the last 90 days.)
    assert rows["commandes"] == ["PAID_BEYOND_SF", "ORDER_LATE", "UNDERSPEND"]
    assert "ORDER_NOT_PLACED" in rows["janvier"]
    assert rows["comite"][:3] == [
        "NO_COMMITTEE_BEFORE_EXHAUSTION",
        "ENDS_BEFORE_COMMITTEE",
        "FUNDING_UNSIGNED",
    ]
    for slug, alerts in rows.items():
        shown = run("show", slug, "--db", alerts_db, "--as-of", DAY, "--format", "json")
        assert shown.json()["assessment"]["alerts"] == alerts, slug
    # The fast path, its reference and the card: one assessment.
    from store.open import open_reader

    with open_reader(str(alerts_db)) as reader:
        fast = {r.slug: r.assessment for r in build(reader, D(2024, 12, 16)).rows}
        reference = {r.slug: r.assessment for r in build_reference(reader, D(2024, 12, 16)).rows}
        assert fast == reference
        for slug, a in fast.items():
            assert build_card(reader, slug, D(2024, 12, 16)).assessment == a
    # In words, in French: the table and the card.
    table = run("report", "--db", alerts_db, "--as-of", DAY)
    assert "janvier non commandé" in table.out
    card = run("show", "comite", "--db", alerts_db, "--as-of", DAY)
    assert "financement non signé" in card.out


def test_the_order_cut_off_is_the_stores(run, alerts_db):
    """With an order cut-off of 20 December, on 16 December January can still be ordered."""
    assert run("settings", "--order-cutoff", "20/12", "--db", alerts_db).code == 0
    report = run("report", "--db", alerts_db, "--as-of", DAY, "--format", "json")
    rows = {r["slug"]: r["alerts"] for r in report.json()["startups"]}
    assert "ORDER_NOT_PLACED" not in rows["janvier"]
    shown = run("settings", "--db", alerts_db, "--format", "json")
    assert shown.json() == {"payment_cutoff": "11-30", "order_cutoff": "12-20"}


def test_a_bad_cut_off_is_one_line_and_changes_nothing(run, alerts_db):
    bad = run("settings", "--payment-cutoff", "25/11", "--order-cutoff", "31/11", "--db", alerts_db)
    assert bad.code == 2
    assert len(bad.err.strip().splitlines()) == 1 and "--order-cutoff" in bad.err
    shown = run("settings", "--db", alerts_db, "--format", "json")
    assert shown.json() == {"payment_cutoff": "11-30", "order_cutoff": "12-15"}
