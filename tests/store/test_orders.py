"""Purchase orders, services faits and payments: AE and CP counted apart, by hand.

One convention of 100 000 € (signed 2 January 2020, to 31 December 2020, CP 2020
planned 60 000 €), an order of 30 000 € on 1 March, delivered 10 000 € on 1 April,
paid 10 000 € on 1 May; a direct payment of 5 000 € on 15 May.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import select

import i18n
from store import models as m
from store.engine import alembic_config
from store.errors import BadInput, NotFound
from store.open import open_reader, open_store
from store.ops.orders import OrderItem, add_order, add_payment, add_service_fait
from store.queries.card import build_card
from store.queries.orders import orders_of
from store.queries.report import build, build_reference

D = dt.date


def _setup(store) -> int:
    with store.session() as s:
        startup = m.Startup(slug="classe", title="Classe")
        s.add(startup)
        s.flush()
        c = m.Convention(
            startup_id=startup.id,
            title="Convention de service",
            signed_on=D(2020, 1, 2),
            ends_on=D(2020, 12, 31),
            ceiling_cents=10_000_000,
        )
        s.add(c)
        s.flush()
        s.add(
            m.ScheduleLine(convention_id=c.id, year=2020, ae_cents=10_000_000, cp_cents=6_000_000)
        )
        cid = c.id
    return cid


def _row(db_path, day):
    with open_reader(str(db_path)) as reader:
        fast = build(reader, day).to_dict()["startups"][0]
        assert build_reference(reader, day).to_dict()["startups"][0] == fast
        card = build_card(reader, "classe", day)
        assert card.assessment.paid_cents * 1 == round(fast["paid_eur"] * 100)
        assert card.to_dict()["cp_left_this_year_eur"] == fast["cp_left_this_year_eur"]
        return fast, card


def test_an_order_then_its_payment_moves_engaged_once_and_paid_once(store, db_path):
    cid = _setup(store)
    with store.session() as s:
        add_order(
            s,
            "classe",
            date=D(2020, 3, 1),
            ej="1300012345",
            supplier="Octo",
            items=[OrderItem("Développement", 20, 150_000)],
            expected_on=D(2020, 3, 31),
        )
    before, _ = _row(db_path, D(2020, 3, 15))
    assert before["engaged_eur"] == before["consumed_eur"] == 30_000.0
    assert before["paid_eur"] == 0.0
    assert before["to_pay_eur"] == 30_000.0
    assert before["remaining_eur"] == 70_000.0  # reste à engager
    assert before["cp_left_this_year_eur"] == 60_000.0
    with store.session() as s:
        add_service_fait(s, "1300012345", date=D(2020, 4, 1), amount_cents=1_000_000)
        add_payment(
            s, None, order="1300012345", date=D(2020, 5, 1), amount_cents=1_000_000, label=""
        )
        add_payment(s, "classe", date=D(2020, 5, 15), amount_cents=500_000, label="Licence")
    after, card = _row(db_path, D(2020, 6, 1))
    # The order's payment is CP only; the direct payment is AE and CP.
    assert after["engaged_eur"] == after["consumed_eur"] == 35_000.0
    assert after["paid_eur"] == 15_000.0
    assert after["to_pay_eur"] == 20_000.0
    assert after["remaining_eur"] == 65_000.0
    assert after["cp_left_this_year_eur"] == 45_000.0
    root = card.conventions[0]
    assert (root.consumed_cents, root.paid_cents, root.service_fait_cents) == (
        3_500_000,
        1_500_000,
        1_000_000,
    )
    assert root.to_engage_cents == 6_500_000 and root.to_pay_cents == 2_000_000
    [year] = root.years
    assert (year.year, year.cp_cents, year.engaged_cents, year.paid_cents) == (
        2020,
        6_000_000,
        3_500_000,
        1_500_000,
    )
    with open_reader(str(db_path)) as reader:
        [order] = orders_of(reader, "classe", D(2020, 6, 1))
        assert order.convention_id == cid
        assert order.to_dict() | {"id": 0} == {
            "ej": "1300012345",
            "supplier": "Octo",
            "date": "2020-03-01",
            "convention_id": cid,
            "engaged_eur": 30_000.0,
            "service_fait_eur": 10_000.0,
            "paid_eur": 10_000.0,
            "to_pay_eur": 20_000.0,
            "status": "partly_delivered",
            "id": 0,
            "label": "",
            "expected_on": "2020-03-31",
            "alerts": [],
        }
        # As of a day before the delivery, nothing delivered nor paid yet.
        [early] = orders_of(reader, "classe", D(2020, 3, 20))
        assert (early.service_fait_cents, early.paid_cents, early.status) == (0, 0, "open")


def test_the_burn_rate_reads_engagements_not_payments(store, db_path):
    _setup(store)
    with store.session() as s:
        add_order(s, "classe", date=D(2020, 3, 1), ej="A1", amount_cents=900_000)
        add_payment(s, None, order="A1", date=D(2020, 3, 20), amount_cents=900_000, label="")
    row, _ = _row(db_path, D(2020, 4, 1))
    assert row["burn_rate_eur_per_month"] == 3_000.0  # 9 000 € engaged over 3 months, once


def test_a_cancelled_order_engages_nothing(store, db_path):
    _setup(store)
    with store.session() as s:
        add_order(
            s, "classe", date=D(2020, 3, 1), ej="X1", amount_cents=900_000, status="cancelled"
        )
    row, _ = _row(db_path, D(2020, 4, 1))
    assert row["engaged_eur"] == 0.0


def test_bad_orders_are_refused_whole(store):
    i18n.use("en")
    _setup(store)
    with store.session() as s:
        add_order(s, "classe", date=D(2020, 3, 1), ej="1300000001", amount_cents=100)
    for kwargs, message in (
        ({"ej": "1300000001", "amount_cents": 100}, "already recorded"),
        ({"amount_cents": 0}, "positive"),
        ({}, "an amount or lines"),
        ({"amount_cents": 100, "items": [OrderItem("x", 1, 50)]}, "add up to 50"),
        ({"amount_cents": 100, "expected_on": D(2020, 2, 1)}, "before"),
    ):
        with pytest.raises(BadInput, match=message), store.session() as s:
            add_order(s, "classe", date=D(2020, 3, 1), **kwargs)
    with pytest.raises(NotFound), store.session() as s:
        add_payment(s, None, order="999", date=D(2020, 3, 1), amount_cents=100, label="x")
    with pytest.raises(BadInput, match="before the order"), store.session() as s:
        add_payment(s, None, order="1300000001", date=D(2020, 2, 1), amount_cents=100, label="x")
    with store.session() as s:
        assert len(s.exec(select(m.PurchaseOrder)).all()) == 1
        assert s.exec(select(m.ConsumptionLine)).all() == []


def test_the_upgrade_keeps_every_line_as_a_direct_payment_or_an_engagement(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0009_cents_bigint")
        connection.execute(
            text(
                "INSERT INTO startup (id, slug, title, upstream_missing, version) VALUES (1, 'old', 'Old', 0, 1)"
            )
        )
        for i, (kind, cents) in enumerate((("payment", 1000), ("engagement", 2500)), start=1):
            connection.execute(
                text(
                    "INSERT INTO consumption_line (id, startup_id, date, amount_cents, kind, label, version)"
                    " VALUES (:id, 1, '2020-03-01', :cents, :kind, 'x', 1)"
                ),
                {"id": i, "cents": cents, "kind": kind},
            )
    engine.dispose()
    store = open_store(str(path))
    store.dispose()
    with open_reader(str(path)) as reader:
        assert reader.rows(
            "SELECT id, kind, amount_cents, order_id FROM consumption_line ORDER BY id"
        ) == [
            (1, "payment", 1000, None),
            (2, "engagement", 2500, None),
        ]
        # Unattributed (no convention): both engaged, the payment paid.
        assert reader.rows(
            "SELECT amount_cents, paid_cents, cum_paid_cents FROM consumption_month"
        ) == [(3500, 1000, 1000)]


def test_cp_not_paid_by_the_payment_cut_off_is_an_alert(store, db_path):
    # CP 2020 planned 60 000 €; 15 000 € paid by 30 November (10 000 of the order, 5 000
    # direct): 45 000 € would be lost.  Silent up to the cut-off, on from 1 December; with
    # the store's own cut-off of 15 December, silent until then.
    _setup(store)
    with store.session() as s:
        add_order(s, "classe", date=D(2020, 3, 1), ej="E1", amount_cents=3_000_000)
        add_payment(s, None, order="E1", date=D(2020, 5, 1), amount_cents=1_000_000, label="")
        add_payment(s, "classe", date=D(2020, 5, 15), amount_cents=500_000, label="Licence")
    on_cutoff, _ = _row(db_path, D(2020, 11, 30))
    assert "CP_UNPAID" not in on_cutoff["alerts"]
    after, _ = _row(db_path, D(2020, 12, 1))
    assert "CP_UNPAID" in after["alerts"] and after["cp_left_this_year_eur"] == 45_000.0
    with store.session() as s:
        s.add(m.Meta(key="payment_cutoff", value="12-15"))
    later, _ = _row(db_path, D(2020, 12, 1))
    assert "CP_UNPAID" not in later["alerts"]
    past, _ = _row(db_path, D(2020, 12, 16))
    assert "CP_UNPAID" in past["alerts"]
    with store.session() as s:
        add_payment(s, "classe", date=D(2020, 12, 16), amount_cents=4_500_000, label="Solde")
    paid, _ = _row(db_path, D(2020, 12, 20))
    assert "CP_UNPAID" not in paid["alerts"] and paid["cp_left_this_year_eur"] == 0.0


def test_an_order_not_delivered_in_time_and_one_paid_beyond_its_service_fait(store, db_path):
    # Order A (expected 31 March) has no service fait on 1 April: ORDER_LATE; delivered on
    # 2 April, it is not late any more.  Order B: 4 000 € delivered, 5 000 € paid on
    # 10 May: PAID_BEYOND_SF from that day.
    _setup(store)
    with store.session() as s:
        add_order(
            s,
            "classe",
            date=D(2020, 3, 1),
            ej="A",
            amount_cents=500_000,
            expected_on=D(2020, 3, 31),
        )
        add_order(s, "classe", date=D(2020, 3, 1), ej="B", amount_cents=900_000)
        add_service_fait(s, "B", date=D(2020, 4, 1), amount_cents=400_000)
        add_payment(s, None, order="B", date=D(2020, 5, 10), amount_cents=500_000, label="")
        add_service_fait(s, "A", date=D(2020, 4, 2), amount_cents=500_000)

    def alerts(day):
        with open_reader(str(db_path)) as reader:
            return {o.ej: o.to_dict()["alerts"] for o in orders_of(reader, "classe", day)}

    assert alerts(D(2020, 3, 31)) == {"A": [], "B": []}
    assert alerts(D(2020, 4, 1)) == {"A": ["ORDER_LATE"], "B": []}
    assert alerts(D(2020, 4, 2)) == {"A": [], "B": []}
    assert alerts(D(2020, 5, 9)) == {"A": [], "B": []}
    assert alerts(D(2020, 5, 10)) == {"A": [], "B": ["PAID_BEYOND_SF"]}


def test_the_burn_down_draws_engaged_and_paid_each_once(store, db_path):
    _setup(store)
    with store.session() as s:
        add_order(s, "classe", date=D(2020, 3, 1), ej="B1", amount_cents=3_000_000)
        add_payment(s, None, order="B1", date=D(2020, 5, 1), amount_cents=1_000_000, label="")
        add_payment(s, "classe", date=D(2020, 5, 15), amount_cents=500_000, label="Licence")
    from store.queries.burn import load

    with open_reader(str(db_path)) as reader:
        points = {p.month: p.to_dict() for p in load(reader, "classe", D(2020, 6, 1))}
    assert (points["2020-03"]["engaged_eur"], points["2020-03"]["paid_eur"]) == (30_000.0, 0.0)
    assert (points["2020-05"]["engaged_eur"], points["2020-05"]["paid_eur"]) == (35_000.0, 15_000.0)
    assert points["2020-05"]["consumed_eur"] == 35_000.0
    assert points["2020-05"]["remaining_eur"] == 65_000.0
