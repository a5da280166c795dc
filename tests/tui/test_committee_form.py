"""The committee forms at 80×24, typed as a coach types: ``C`` records a committee (its
day, the startups it reviews, its note), ``D`` a decision for the startup shown; each
saved with the key its footer names, then found by ``startups committee list``; a bad
value shows its error under its field and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input
from tui_support import settle, wait_until

from store.open import open_reader
from store.queries.committee import reviews_of
from tui.app import StartupsApp
from tui.screens.committee_form import CommitteeForm, DecisionForm
from tui.screens.forms import FormScreen
from tui.screens.startup import StartupScreen

AS_OF = dt.date(2018, 9, 15)
SMALL = (80, 24)


def lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def save_key(form: FormScreen) -> str:
    """The key the footer names for saving (and the footer shows it)."""
    [binding] = [
        b.binding
        for b in form.active_bindings.values()
        if b.binding.action == "save" and b.binding.show
    ]
    footer = lines(form.app)[-1]
    assert f"{binding.key_display} {binding.description}" in footer, footer
    assert "Échap Annuler" in footer
    return binding.key


def check_fits(form: FormScreen) -> None:
    width, height = SMALL
    for button in form.query("Button"):
        assert button.region.height == 3 and button.region.bottom <= height - 1, button
        assert button.region.right <= width
    for widget in form.query("Input, Select"):
        if all(n.display for n in widget.ancestors_with_self if hasattr(n, "display")):
            assert widget.outer_size.height == 3, widget


async def open_form(pilot, slug: str, key: str, kind: type) -> FormScreen:
    await settle(pilot)
    pilot.app.action_open_startup(slug)
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartupScreen)
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, kind)
    check_fits(form)
    return form


async def save(pilot, form: FormScreen) -> None:
    await pilot.press(save_key(form))
    await settle(pilot)


async def error_at(pilot, form: FormScreen, name: str, words: str) -> None:
    error = form.query_one(f"#error-{name.replace('_', '-')}")
    assert "-hidden" not in error.classes, name
    assert words in str(error.render()), str(error.render())
    await wait_until(pilot, lambda: form.can_view_entire(error), f"error of {name} in view")
    assert form.focused is not None and form.focused.id == f"f-{name.replace('_', '-')}"


async def clear(pilot) -> None:
    await pilot.press("end", "ctrl+u")


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF)


async def test_a_committee_typed_at_80x24(app, demo_db, run):
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(pilot, "classe-a-12", "C", CommitteeForm)
        assert form.focused is form.query_one("#f-date", Input)
        assert form.value("startups") == "classe-a-12"  # the startup shown, at least
        await pilot.press(*"31/02/2019")
        await save(pilot, form)
        assert pilot.app.screen is form
        await error_at(pilot, form, "date", "31/02/2019")
        await clear(pilot)
        await pilot.press(*"01/10/2018", "tab", "end", *", dossiersco", "tab")
        await pilot.press(*"Comité d'automne")
        await save(pilot, form)
        assert isinstance(pilot.app.screen, StartupScreen)
    listed = run("committee", "list", "--db", demo_db).out
    assert "01/10/2018 — Comité d'automne" in listed
    assert "  classe-a-12: non décidé" in listed and "  dossiersco: non décidé" in listed


async def test_an_unknown_startup_is_refused_at_its_field(app, demo_db, run):
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(pilot, "dossiersco", "C", CommitteeForm)
        await pilot.press(*"2018-10-01", "tab", "end", *" dossier-sco")
        await pilot.press("enter")  # Enter in a field saves too
        await settle(pilot)
        assert pilot.app.screen is form
        await error_at(pilot, form, "startups", "dossier-sco")
    assert "aucun comité" in run("committee", "list", "--db", demo_db).out


async def test_a_decision_typed_at_80x24(app, demo_db, run):
    assert (
        run("committee", "add", "2018-10-01", "--startup", "classe-a-12", "--db", demo_db).code == 0
    )
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(pilot, "classe-a-12", "D", DecisionForm)
        assert form.focused is form.query_one("#f-committee", Input)
        # The next committee reviewing the startup, the French way.
        assert form.value("committee") == "01/10/2018"
        assert not form.query_one("#box-months").display  # only for a provisional decision
        # The list opens on « non décidé », the last: two up, provisional funding.
        await pilot.press("tab", "enter", "up", "up", "enter")
        await settle(pilot)
        assert form.value("decision") == "provisional"
        assert form.query_one("#box-months").display
        await pilot.press("tab", *"3")
        await save(pilot, form)
        await error_at(pilot, form, "months", "un ou deux mois")
        await clear(pilot)
        await pilot.press(*"2", "tab", *"40 000", "tab", *"1 234,56", "tab", *"2 dev")
        await pilot.press("tab", "enter", "down", "enter")  # carried by the convention
        await settle(pilot)
        assert form.value("convention_id") is not None
        check_fits(form)
        await save(pilot, form)
        assert isinstance(pilot.app.screen, StartupScreen)
    listed = (
        run("committee", "list", "--db", demo_db).out.replace("\u202f", " ").replace("\xa0", " ")
    )
    line = next(li for li in listed.splitlines() if li.startswith("  classe-a-12"))
    assert "financement provisoire (2 mois)" in line and "40 000 € accordés" in line, line
    assert "convention 1" in line, line
    with open_reader(str(demo_db)) as reader:
        [review] = reviews_of(reader, "classe-a-12")
    assert (review.requested_cents, review.requested_team) == (123_456, "2 dev")
    brief = run("brief", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15").out
    assert "Décision : financement provisoire (2 mois)" in brief and "2 dev" in brief


async def test_a_stop_grants_nothing_and_a_committee_must_exist(app, demo_db, run):
    assert (
        run("committee", "add", "2018-10-01", "--startup", "dossiersco", "--db", demo_db).code == 0
    )
    async with app.run_test(size=SMALL) as pilot:
        form = await open_form(pilot, "dossiersco", "D", DecisionForm)
        await pilot.press("tab", "enter", "up", "enter")  # stop, above « non décidé »
        await settle(pilot)
        assert form.value("decision") == "stop"
        await pilot.press("tab", *"10 000")
        await save(pilot, form)
        await error_at(pilot, form, "granted", "arrêt")
        await clear(pilot)
        await pilot.press("shift+tab", "shift+tab")
        assert form.focused is form.query_one("#f-committee", Input)
        await clear(pilot)
        await pilot.press(*"02/10/2018")
        await save(pilot, form)
        await error_at(pilot, form, "committee", "02/10/2018")
    listed = run("committee", "list", "--db", demo_db).out
    assert "  dossiersco: non décidé" in listed  # nothing saved


def test_decision_form_snapshot(snap_compare, demo_db, run):
    """The decision form at 80×24: provisional funding for three months, refused under
    « Mois (provisoire) », the other values typed."""
    assert (
        run("committee", "add", "2018-10-01", "--startup", "classe-a-12", "--db", demo_db).code == 0
    )
    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark")

    async def run_before(pilot) -> None:
        form = await open_form(pilot, "classe-a-12", "D", DecisionForm)
        await pilot.press("tab", "enter", "up", "up", "enter")
        await settle(pilot)
        await pilot.press("tab", *"3", "tab", *"40 000", "ctrl+s")
        await settle(pilot)
        for field in form.query(Input):
            field.cursor_blink = False
        error = form.query_one("#error-months")
        await wait_until(pilot, lambda: form.can_view_entire(error), "error in view")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
