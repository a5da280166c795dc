"""Purchase orders in the app at 80×24: the Orders tab (key 6), a new order (``o``), a
service fait (``f``) and a payment (``p``) of the order chosen there, each opened with the
key the footer names, typed, saved with ctrl+s, then found in the store (through the
store's own query) and on the tab; recording an order then its payment moves engagé once
and payé once.  A bad value is shown under its field and nothing is written."""

from __future__ import annotations

import datetime as dt

from test_forms import (
    AS_OF,
    SMALL,
    check_form_fits,
    clear,
    error_shown,
    focused,
    line_with,
    lines,
    rows,
    save,
    start,
    type_text,
)
from textual.widgets import DataTable
from tui_support import settle

from store.open import open_reader, open_store
from store.ops.orders import add_order
from store.queries.burn import load as burn_series
from store.queries.orders import orders_of
from store.queries.report import build as portfolio_report
from tui.app import StartupsApp
from tui.screens.order_forms import OrderForm, PaymentForm, ServiceFaitForm
from tui.screens.startup import StartupScreen


def orders(db, slug: str = "classe-a-12", on: dt.date = AS_OF):
    with open_reader(str(db)) as reader:
        return orders_of(reader, slug, on)


def money(db, slug: str = "classe-a-12"):
    """engagé and payé of the startup on the app's date, as ``report`` counts them."""
    with open_reader(str(db)) as reader:
        report = portfolio_report(reader, AS_OF)
    a = next(r.assessment for r in report.rows if r.slug == slug)
    return a.engaged_cents, a.paid_cents


def flat(text: str) -> str:
    """Amounts as typed here: the narrow and the plain no-break spaces as spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def footer(app) -> str:
    return lines(app)[-1]


def order_row(screen: StartupScreen, ej: str) -> list[str]:
    table = screen.query_one("#order-table", DataTable)
    for key in table.rows:
        cells = [flat(str(getattr(c, "plain", c))) for c in table.get_row(key)]
        if cells[0] == ej:
            return cells
    raise AssertionError(f"no row {ej} on the Orders tab")


async def test_an_order_then_its_service_fait_and_payment_at_80x24(demo_db):
    engaged0, paid0 = money(demo_db)
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "classe-a-12")
        assert "o Commande" in footer(app)  # named on the overview with the other creations
        await pilot.press("6")
        await settle(pilot)
        assert screen.active_tab == "orders"
        assert any("aucun bon de commande : « o » en ajoute un" in row for row in lines(app))
        assert "o Commande" in footer(app)

        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrderForm)
        check_form_fits(form)
        focused(form, "ej")
        assert "Convention de service" in line_with(app, "Convention")  # the default shown
        await type_text(pilot, "1300012345")
        await pilot.press("tab")
        await type_text(pilot, "Octo Technology")
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "10/09/2018")
        await pilot.press("tab")
        await type_text(pilot, "24 000")
        await pilot.press("tab", "tab")
        await type_text(pilot, "30/09/2018")
        assert "24 000" in line_with(app, "Montant (€)")
        await save(pilot, form)
        assert app.screen is screen

        [order] = orders(demo_db)
        assert (order.ej, order.supplier, order.date, order.amount_cents) == (
            "1300012345",
            "Octo Technology",
            dt.date(2018, 9, 10),
            2_400_000,
        )
        assert order.expected_on == dt.date(2018, 9, 30)
        assert order.convention_id is not None
        assert money(demo_db) == (engaged0 + 2_400_000, paid0)  # engagé once, payé not yet
        row = order_row(screen, "1300012345")
        assert row[3:7] == ["24 000 €", "0 €", "0 €", "24 000 €"], row
        assert "f Service fait" in footer(app) and "p Paiement" in footer(app)

        await pilot.press("f")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ServiceFaitForm)
        check_form_fits(form)
        focused(form, "date")
        assert "24 000" in flat(line_with(app, "Montant (€)"))  # what is not delivered yet
        await clear(pilot)
        await type_text(pilot, "2018-09-14")
        await pilot.press("tab")
        await clear(pilot)
        await type_text(pilot, "12 000,50")
        await save(pilot, form)
        assert app.screen is screen
        [order] = orders(demo_db)
        assert order.service_fait_cents == 1_200_050 and order.first_service_fait_on == dt.date(
            2018, 9, 14
        )
        assert money(demo_db) == (engaged0 + 2_400_000, paid0)  # a service fait moves neither

        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PaymentForm)
        check_form_fits(form)
        assert "12 000,50" in flat(line_with(app, "Montant (€)"))  # delivered, not paid yet
        await save(pilot, form)
        assert app.screen is screen
        [order] = orders(demo_db)
        assert order.paid_cents == 1_200_050
        # The payment of an order pays (CP) what it engaged: engagé does not move again.
        assert money(demo_db) == (engaged0 + 2_400_000, paid0 + 1_200_050)
        row = order_row(screen, "1300012345")
        assert row[3:7] == ["24 000 €", "12 000,50 €", "12 000,50 €", "11 999,50 €"], row
        assert any("engagé 24 000 € · service fait 12 000,50 €" in flat(r) for r in lines(app))
    assert rows(
        demo_db,
        "SELECT kind, amount_cents, label FROM consumption_line WHERE order_id = ?",
        order.id,
    ) == [("payment", 1_200_050, "EJ 1300012345")]


async def test_a_bad_amount_or_date_is_shown_at_its_field_and_saves_nothing(demo_db):
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "classe-a-12", tab="6")
        await pilot.press("o")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrderForm)
        await pilot.press("tab", "tab")
        await clear(pilot)
        await type_text(pilot, "31/02/2019")
        await pilot.press("tab")
        await type_text(pilot, "abc")
        await save(pilot, form)
        assert app.screen is form
        await error_shown(pilot, form, "date", "31/02/2019")
        await clear(pilot)
        await type_text(pilot, "15/09/2018")
        await save(pilot, form)
        await error_shown(pilot, form, "amount", "abc")
        assert "abc" in line_with(app, "Montant (€)")
        check_form_fits(form)
        await pilot.press("escape")
        await settle(pilot)
    assert orders(demo_db) == []
    assert rows(demo_db, "SELECT COUNT(*) FROM purchase_order") == [(0,)]


async def test_a_payment_dated_before_its_order_is_refused_at_its_date(demo_db):
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        add_order(session, "classe-a-12", date=dt.date(2018, 9, 1), amount_cents=500_000, ej="42")
    store.dispose()
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "classe-a-12", tab="6")
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PaymentForm)
        await clear(pilot)
        await type_text(pilot, "31/08/2018")
        await save(pilot, form)
        await error_shown(pilot, form, "date", "le paiement d'un bon de commande")
        await pilot.press("escape")
        await settle(pilot)
    assert rows(demo_db, "SELECT COUNT(*) FROM consumption_line WHERE order_id IS NOT NULL") == [
        (0,)
    ]


async def test_the_burn_down_draws_engaged_and_paid(demo_db):
    """The budget tab's series are ``startups burn``'s: engagé and payé, legend in French."""
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        add_order(session, "classe-a-12", date=dt.date(2018, 9, 1), amount_cents=500_000, ej="7")
    store.dispose()
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "classe-a-12", tab="3")
        names = [s.name for s in screen._chart.series]
        assert "engagé (AE)" in names and "payé (CP)" in names
        with open_reader(str(demo_db)) as reader:
            points = burn_series(reader, "classe-a-12", AS_OF)
        engaged = next(s for s in screen._chart.series if s.name == "engagé (AE)")
        paid = next(s for s in screen._chart.series if s.name == "payé (CP)")
        assert engaged.values == [p.consumed_cents for p in points]
        assert paid.values == [p.paid_cents for p in points]
        september = next(p for p in points if p.month == "2018-09")
        assert september.consumed_cents - september.paid_cents == 500_000  # ordered, not paid
        assert any("engagé (AE)" in row for row in lines(app))
        assert any("payé (CP)" in row for row in lines(app))


async def test_an_order_s_words_are_shown_as_text(demo_db):
    """A supplier or label holding markup or control characters is text on the tab."""
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        add_order(
            session,
            "classe-a-12",
            date=dt.date(2018, 9, 1),
            amount_cents=100_000,
            ej="99",
            supplier="[b]Acme[/b] [@click=app.quit]",
            label="Lot\x1b[2J 1",
        )
    store.dispose()
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "classe-a-12", tab="6")
        shown = "\n".join(lines(app))
        assert "[b]Acme[/b] [@click=app.quit]" in shown
        assert "\x1b" not in shown and "Lot" in shown
        assert app.is_running
