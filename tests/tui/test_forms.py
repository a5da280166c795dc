"""The forms at 80×24, driven by the keyboard as a coach types: each one opens with the
focus on its first field, shows its buttons and names its keys in its footer, shows what
is typed and each error where it is typed, and saves with the key its footer names; the
row is then in the store, and ``startups show`` / ``report`` find it."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from textual.widgets import Button, DataTable, Input, Select
from tui_support import settle, wait_until

from store.errors import InvalidField, NotFound
from store.open import open_store
from store.ops.edit import ObjectiveInput, save_objective
from store.ops.orders import add_order
from tui.app import StartupsApp
from tui.screens.committee_form import CommitteeForm, DecisionForm
from tui.screens.forms import (
    ConventionForm,
    DeadlineForm,
    FormScreen,
    KpiForm,
    LineForm,
    MeasurementForm,
)
from tui.screens.order_forms import OrderForm, PaymentForm, ServiceFaitForm
from tui.screens.startup import StartupScreen

AS_OF = dt.date(2018, 9, 15)
SMALL = (80, 24)


def rows(path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def lines(app) -> list[str]:
    """The screen as text, one string a row (what a coach sees, without colours)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_with(app, label: str) -> str:
    """The row of the form that starts with this label (its field's value is on it), or
    the one row showing this text."""
    rows_ = lines(app)
    found = [row for row in rows_ if re.search(rf"█ {re.escape(label)}(\s|$)", row)]
    if not found:
        found = [row for row in rows_ if label in row]
    assert len(found) == 1, (label, rows_)
    return found[0]


def save_key(form: FormScreen) -> str:
    """The key the form's footer names for saving (and the footer does show it)."""
    shown = [
        b.binding
        for b in form.active_bindings.values()
        if b.binding.action == "save" and b.binding.show
    ]
    assert len(shown) == 1, shown
    binding = shown[0]
    footer = lines(form.app)[-1]
    assert f"{binding.key_display} {binding.description}" in footer, footer
    assert "Échap Annuler" in footer
    return binding.key


def field_id(name: str) -> str:
    return f"f-{name.replace('.', '-').replace('_', '-')}"


def check_form_fits(form: FormScreen, size=SMALL) -> None:
    """Buttons on screen above the footer, every input at its normal height."""
    width, height = size
    for button in form.query(Button):
        region = button.region
        assert region.height == 3 and region.y >= 0 and region.bottom <= height - 1, button
        assert region.right <= width, button
    for widget in form.query("Input, Select"):
        if shown(widget):
            assert widget.outer_size.height == 3, widget


def shown(widget) -> bool:
    """The field is part of the form as it stands (an avenant's fields hide for a
    convention)."""
    return all(node.display for node in widget.ancestors_with_self if hasattr(node, "display"))


def focused(form: FormScreen, name: str) -> None:
    widget = form.focused
    assert widget is not None and widget.id == field_id(name), widget
    assert form.can_view_entire(widget), f"{name} is focused but not in view"


async def error_shown(pilot, form: FormScreen, name: str, words: str) -> None:
    """The error is under its field, in view (once the form has scrolled to it, a frame
    or two after it is laid out), and the field has the focus."""
    error = form.query_one(f"#error-{field_id(name)[2:]}")
    assert "-hidden" not in error.classes
    body = form.query_one(".dialog-body")
    await wait_until(
        pilot,
        lambda: form.can_view_entire(error),
        f"the error of {name} in view ({error.region} {body.region} {body.scroll_y} {form.focused})",
    )
    assert words in line_with(form.app, "⚠")
    focused(form, name)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def clear(pilot) -> None:
    await pilot.press("end", "ctrl+u")


async def start(pilot, slug: str, tab: str | None = None) -> StartupScreen:
    await settle(pilot)
    pilot.app.action_open_startup(slug)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StartupScreen)
    if tab:
        await pilot.press(tab)
        await settle(pilot)
    return screen


async def open_form(pilot, key: str, kind: type) -> FormScreen:
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, kind)
    check_form_fits(form)
    return form


async def save(pilot, form: FormScreen) -> None:
    await pilot.press(save_key(form))
    await settle(pilot)


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF)


# --- one test a form ------------------------------------------------------------------


async def test_new_convention_typed_at_80x24(app, demo_db, run):
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "dossiersco")
        form = await open_form(pilot, "c", ConventionForm)
        focused(form, "kind")  # the first field shown (not the hidden avenant number)
        assert "convention" in line_with(app, "Nature")
        await pilot.press("tab")
        await type_text(pilot, "Convention 2019")
        await pilot.press("tab", "tab")
        await type_text(pilot, "20/09/2018")
        await pilot.press("tab", "tab")
        await type_text(pilot, "01/08/2018")
        await pilot.press("tab")
        await type_text(pilot, "120 000")
        focused(form, "ceiling")
        assert "120 000" in line_with(app, "Plafond")
        await save(pilot, form)
        assert app.screen is form
        await error_shown(pilot, form, "ends_on", "la fin (01/08/2018) précède la signature")
        assert "01/08/2018" in line_with(app, "Fin")
        check_form_fits(form)
        await clear(pilot)
        await type_text(pilot, "31/12/2019")
        await pilot.press("tab", "tab")
        focused(form, "parties.0.name")
        await type_text(pilot, "MENJ")
        await pilot.press("tab")
        focused(form, "parties.0.role")
        assert "délégant" in line_with(app, "Rôle")  # the default, shown
        await save(pilot, form)
        assert isinstance(app.screen, StartupScreen)
    [(cid, signed, ends, ceiling)] = rows(
        demo_db,
        "SELECT id, signed_on, ends_on, ceiling_cents FROM convention WHERE title = ?",
        "Convention 2019",
    )
    assert (signed, ends, ceiling) == ("2018-09-20", "2019-12-31", 12_000_000)
    assert rows(
        demo_db, "SELECT name, role FROM convention_party WHERE convention_id = ?", cid
    ) == [("MENJ", "délégant")]
    shown = run("show", "dossiersco", "--db", demo_db, "--as-of", "2018-10-01", "--format", "json")
    new = next(c for c in shown.json()["conventions"] if c["id"] == cid)
    assert new["status"] == "in_force" and new["ends_on"] == "2019-12-31"


async def test_new_avenant_typed_at_80x24(app, demo_db, run):
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "classe-a-12", tab="2")
        form = await open_form(pilot, "v", ConventionForm)
        focused(form, "kind")
        assert "avenant" in line_with(app, "Nature")
        # The convention chosen in the tree is the default, and it is shown.
        assert "Convention de service" in line_with(app, "Modifie la convention")
        await pilot.press("tab", "tab")
        focused(form, "number")
        await type_text(pilot, "2")
        await pilot.press("tab")
        await type_text(pilot, "Avenant 2")
        await pilot.press("tab", "tab")
        await type_text(pilot, "25/09/2018")
        await pilot.press("tab", "tab")
        await type_text(pilot, "2019-06-30")
        await pilot.press("tab")
        await type_text(pilot, "-5")
        await save(pilot, form)
        await error_shown(pilot, form, "ceiling", "négatif")
        assert "-5" in line_with(app, "Plafond")
        await clear(pilot)
        await type_text(pilot, "300 000")
        await save(pilot, form)
        assert isinstance(app.screen, StartupScreen)
    [(parent, number, ends, ceiling)] = rows(
        demo_db,
        "SELECT parent_id, number, ends_on, ceiling_cents FROM convention WHERE title = ?",
        "Avenant 2",
    )
    assert (parent, number, ends, ceiling) == (1, 2, "2019-06-30", 30_000_000)
    shown = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2018-10-01", "--format", "json")
    root = next(c for c in shown.json()["conventions"] if c["id"] == 1)
    assert "Avenant 2" in [a["title"] for a in root["avenants"]]
    assert root["ceiling_on_cents"] == 30_000_000 and root["ends_on_effective"] == "2019-06-30"


async def test_new_line_typed_at_80x24(app, demo_db, run):
    before = run("report", "--db", demo_db, "--as-of", "2018-09-15", "--format", "json").json()
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "classe-a-12")
        form = await open_form(pilot, "l", LineForm)
        focused(form, "date")
        assert "15/09/2018" in line_with(app, "Date")  # the as-of date, the French way
        assert "paiement" in line_with(app, "Nature")
        await pilot.press("tab")
        await type_text(pilot, "-100")
        await pilot.press("tab")
        await type_text(pilot, "Hébergement")
        await save(pilot, form)
        await error_shown(pilot, form, "amount", "négatif")
        await clear(pilot)
        await type_text(pilot, "1 200,50")
        await save(pilot, form)
        assert isinstance(app.screen, StartupScreen)
    assert rows(
        demo_db, "SELECT date, amount_cents, kind FROM consumption_line WHERE label = 'Hébergement'"
    ) == [("2018-09-15", 120_050, "payment")]
    after = run("report", "--db", demo_db, "--as-of", "2018-09-15", "--format", "json").json()
    consumed = {s["slug"]: s["consumed_eur"] for s in after["startups"]}
    was = {s["slug"]: s["consumed_eur"] for s in before["startups"]}
    assert consumed["classe-a-12"] == pytest.approx(was["classe-a-12"] + 1200.50)


async def test_new_deadline_typed_at_80x24_keeps_its_shown_nature(app, demo_db, run):
    async with app.run_test(size=SMALL) as pilot:
        await start(pilot, "dossiersco")
        form = await open_form(pilot, "n", DeadlineForm)
        focused(form, "date")
        assert "livrable" in line_with(app, "Nature")  # the default is shown, not "—"
        await type_text(pilot, "30/02/2019")
        await pilot.press("tab")
        await type_text(pilot, "Comité d'investissement")
        await save(pilot, form)
        await error_shown(pilot, form, "date", "'30/02/2019' n'existe pas")
        await clear(pilot)
        await type_text(pilot, "01/03/2019")
        await save(pilot, form)
        assert isinstance(app.screen, StartupScreen)
    assert rows(
        demo_db, "SELECT date, kind FROM deadline WHERE title = ?", "Comité d'investissement"
    ) == [("2019-03-01", "deliverable")]
    shown = run("show", "dossiersco", "--db", demo_db, "--as-of", "2018-09-15", "--format", "json")
    assert ("2019-03-01", "deliverable") in [
        (d["date"], d["kind"])
        for d in shown.json()["deadlines"]
        if d["title"] == "Comité d'investissement"
    ]


async def test_a_kpi_is_created_then_measured_at_80x24(app, demo_db, run):
    assert rows(
        demo_db,
        "SELECT COUNT(*) FROM objective o JOIN startup s ON s.id = o.startup_id WHERE s.slug = 'classe-a-12'",
    ) == [(0,)]
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "classe-a-12")
        # m on a startup without a KPI: the form that creates one, saying why.
        form = await open_form(pilot, "m", KpiForm)
        assert any("pas encore de KPI" in row for row in lines(app))
        focused(form, "metric")
        assert "au moins la cible" in line_with(app, "Atteinte si")
        await type_text(pilot, "Enseignants inscrits")
        await pilot.press("tab")
        await type_text(pilot, "enseignants")
        await pilot.press("tab")
        await type_text(pilot, "beaucoup")
        await pilot.press("tab")
        await type_text(pilot, "01/09/2019")
        await save(pilot, form)
        await error_shown(pilot, form, "target", "'beaucoup' n'est pas un nombre")
        await clear(pilot)
        await type_text(pilot, "500")
        await save(pilot, form)
        assert app.screen is screen
        assert [k.metric for k in screen.card.kpis] == ["Enseignants inscrits"]
        # Now m measures it.
        form = await open_form(pilot, "m", MeasurementForm)
        focused(form, "objective_id")
        assert "Enseignants inscrits" in line_with(app, "KPI")
        assert "15/09/2018" in line_with(app, "Date")
        await pilot.press("tab", "tab")
        await type_text(pilot, "cent vingt")
        await save(pilot, form)
        await error_shown(pilot, form, "value", "n'est pas un nombre")
        await clear(pilot)
        await type_text(pilot, "120")
        await pilot.press("tab")
        await type_text(pilot, "rentrée 2018")
        await save(pilot, form)
        assert app.screen is screen
    [(oid, unit, target, target_date, direction)] = rows(
        demo_db,
        "SELECT id, unit, target, target_date, direction FROM objective WHERE metric = ?",
        "Enseignants inscrits",
    )
    assert (unit, target, target_date, direction) == (
        "enseignants",
        500.0,
        "2019-09-01",
        "at_least",
    )
    assert rows(
        demo_db, "SELECT date, value, note FROM measurement WHERE objective_id = ?", oid
    ) == [("2018-09-15", 120.0, "rentrée 2018")]
    shown = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15", "--format", "json")
    [kpi] = shown.json()["kpis"]
    assert (kpi["metric"], kpi["target"], kpi["latest_value"]) == (
        "Enseignants inscrits",
        500.0,
        120.0,
    )


async def test_k_adds_a_kpi_and_e_edits_the_one_chosen(app, demo_db):
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "dossiersco")
        count = len(screen.card.kpis)
        form = await open_form(pilot, "k", KpiForm)
        focused(form, "metric")
        await type_text(pilot, "Temps de traitement")
        await pilot.press("tab")
        await type_text(pilot, "jours")
        await pilot.press("tab")
        await type_text(pilot, "3")
        await pilot.press("tab", "tab")
        await pilot.press("down", "down", "enter")  # au plus la cible
        assert "au plus la cible" in line_with(app, "Atteinte si")
        await save(pilot, form)
        assert app.screen is screen and len(screen.card.kpis) == count + 1
        # e on the overview edits the KPI chosen in its table, from what is stored.
        table = screen.query_one("#kpis", DataTable)
        table.focus()
        table.move_cursor(row=count)
        await pilot.pause()
        form = await open_form(pilot, "e", KpiForm)
        assert form.value("metric") == "Temps de traitement" and form.value("target") == "3"
        assert form.value("direction") == "at_most"
        await pilot.press("tab", "tab")
        await clear(pilot)
        await type_text(pilot, "2,5")
        await save(pilot, form)
        assert app.screen is screen
        # m with that KPI chosen measures it.
        table = screen.query_one("#kpis", DataTable)
        table.focus()
        table.move_cursor(row=count)
        await pilot.pause()
        form = await open_form(pilot, "m", MeasurementForm)
        assert "Temps de traitement" in line_with(app, "KPI")
    assert rows(
        demo_db, "SELECT target, direction FROM objective WHERE metric = 'Temps de traitement'"
    ) == [(2.5, "at_most")]


# --- what every form shares --------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [(80, 24), (120, 40), (120, 60)], ids=["80x24", "120x40", "120x60"]
)
async def test_every_form_fits_and_scrolls_to_the_focused_field(demo_db, size):
    """Tab through the whole form: the field that has the focus is always in view and
    the buttons never leave the screen."""
    store = open_store(str(demo_db), create=False)
    with store.session() as session:  # an order, for the service fait and payment forms
        add_order(session, "dossiersco", date=AS_OF, amount_cents=100_000, ej="1300000001")
    store.dispose()
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot, "dossiersco")
        for key, kind in (
            ("c", ConventionForm),
            ("v", ConventionForm),
            ("l", LineForm),
            ("n", DeadlineForm),
            ("k", KpiForm),
            ("m", MeasurementForm),
            ("C", CommitteeForm),
            ("D", DecisionForm),
            ("o", OrderForm),
            ("6", None),  # the Orders tab, where f and p act on the order chosen
            ("f", ServiceFaitForm),
            ("p", PaymentForm),
        ):
            if kind is None:
                await pilot.press(key)
                await settle(pilot)
                continue
            await pilot.press(key)
            await settle(pilot)
            form = app.screen
            assert isinstance(form, kind)
            check_form_fits(form, size)
            first = form.focused
            seen = []
            while True:
                widget = form.focused
                assert widget is not None and form.can_view_entire(widget), (key, widget)
                seen.append(widget)
                await pilot.press("tab")
                await pilot.pause()
                if form.focused is first:
                    break
                assert len(seen) < 80
            fields = [w for w in seen if isinstance(w, (Input, Select))]
            assert len(fields) == len(
                [w for w in form.query("Input, Select") if w.parent.parent.display]
            )
            check_form_fits(form, size)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen


async def test_editing_shows_dates_the_french_way(app, demo_db):
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "classe-a-12", tab="2")
        form = await open_form(pilot, "e", ConventionForm)
        await settle(pilot)
        assert form.value("signed_on") == "12/04/2018" and form.value("ends_on") == "01/10/2018"
        assert "Convention de service" in line_with(app, "Titre")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_marking_a_deadline_done_records_today_not_the_date_viewed(app, demo_db):
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "dossiersco")
        await open_form(pilot, "n", DeadlineForm)
        await type_text(pilot, "01/03/2019")
        await pilot.press("tab")
        await type_text(pilot, "Comité")
        await pilot.press("enter")  # Enter in a field saves too
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("4")
        await settle(pilot)
        screen.query_one("#deadline-table", DataTable).focus()
        before = dt.date.today()
        await pilot.press("x")
        await settle(pilot)
        after = dt.date.today()
    [(done, done_on)] = rows(demo_db, "SELECT done, done_on FROM deadline WHERE title = 'Comité'")
    assert done == 1 and done_on in (before.isoformat(), after.isoformat())
    assert done_on != AS_OF.isoformat()


async def test_read_only_opens_no_form(demo_db):
    app = StartupsApp(str(demo_db), AS_OF, read_only=True)
    async with app.run_test(size=SMALL) as pilot:
        screen = await start(pilot, "classe-a-12")
        for key in ("c", "v", "l", "n", "k", "m", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key
        assert screen.check_action("new_kpi", ()) is None
        assert [n for n in app._notifications if "Lecture seule" in n.message]
    assert rows(demo_db, "SELECT COUNT(*) FROM objective WHERE source = 'manual'") == [(0,)]


# --- saving a KPI ----------------------------------------------------------------------


def test_save_objective_checks_before_writing(demo_db):
    from store.open import open_store

    store = open_store(str(demo_db), create=False)
    try:
        cases = [
            (ObjectiveInput("dossiersco", metric="  "), "metric", "a besoin d'un nom"),
            (
                ObjectiveInput("dossiersco", metric="x", target="dix"),
                "target",
                "n'est pas un nombre",
            ),
            (
                ObjectiveInput("dossiersco", metric="x", target_date="2019-09-01"),
                "target",
                "date cible",
            ),
            (
                ObjectiveInput("dossiersco", metric="x", target_date="31/02/2019", target=1),
                "target_date",
                "n'existe pas",
            ),
            (
                ObjectiveInput("dossiersco", metric="x", direction="more"),
                "direction",
                "at_least, at_most",
            ),
        ]
        for data, name, words in cases:
            with pytest.raises(InvalidField) as caught:
                save_objective(store, data)
            assert caught.value.field == name and words in caught.value.message
        assert rows(demo_db, "SELECT COUNT(*) FROM objective WHERE metric = 'x'") == [(0,)]
        oid = save_objective(
            store,
            ObjectiveInput(
                "dossiersco",
                metric=" Collèges\n",
                unit="collèges",
                target="1 000,5",
                target_date="02/09/2019",
                direction="at_most",
                description="d",
            ),
        )
        assert rows(
            demo_db,
            "SELECT metric, unit, target, target_date, direction, source FROM objective WHERE id = ?",
            oid,
        ) == [("Collèges", "collèges", 1000.5, "2019-09-02", "at_most", "manual")]
        assert save_objective(store, ObjectiveInput("dossiersco", metric="Collèges", id=oid)) == oid
        assert rows(demo_db, "SELECT target, direction FROM objective WHERE id = ?", oid) == [
            (None, "at_least")
        ]
        with pytest.raises(NotFound):
            save_objective(store, ObjectiveInput("classe-a-12", metric="y", id=oid))
    finally:
        store.dispose()
