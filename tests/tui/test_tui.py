"""The Textual app, driven by Pilot on the demo portfolio at a fixed date."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, Tree
from tui_support import settle, wait_until

from tui.app import StartupsApp
from tui.screens.as_of import AsOfScreen
from tui.screens.deadlines import DeadlinesScreen
from tui.screens.forms import (
    ConventionForm,
    DeadlineForm,
    KpiForm,
    LineForm,
    MeasurementForm,
)
from tui.screens.help import HelpScreen
from tui.screens.portfolio import PortfolioScreen, PortfolioTable
from tui.screens.startup import StartupScreen

AS_OF = dt.date(2018, 9, 15)
SIZE = (120, 40)


def table(app) -> PortfolioTable:
    return app.screen.query_one(PortfolioTable)


def slugs(app) -> list[str]:
    return [r.slug for r in table(app).rows]


def count(path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def text_of(widget: Static) -> str:
    """The plain text a Static shows (its content rendered by Rich, without styles)."""
    import io

    from rich.console import Console

    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get().replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF)


async def open_startup(pilot, slug: str) -> StartupScreen:
    pilot.app.action_open_startup(slug)
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartupScreen)
    return pilot.app.screen


async def test_portfolio_opens_with_rows_and_totals(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert slugs(app) == ["classe-a-12", "dossiersco"]
        totals = text_of(app.screen.query_one("#totals", Static))
        assert "2 startups" in totals and "269" in totals and "+1 inconnue" in totals
        assert app.sub_title.startswith("au 15/09/2018")
        assert app.focused is table(app)
        assert not table(app).loading


async def test_a_large_portfolio_shows_its_first_page_before_the_rest(app, monkeypatch):
    # A first page of one startup (of the demo's two): shown with a "loading" totals
    # line while the worker reads on, then every row and the totals.
    from tui.screens import portfolio

    monkeypatch.setattr(portfolio, "FIRST_PAGE", 1)
    seen = []
    handle = PortfolioScreen.on_portfolio_loaded

    def on_portfolio_loaded(screen, message):
        handle(screen, message)
        totals = text_of(screen.query_one("#totals", Static))
        seen.append((message.complete, [r.slug for r in table(screen.app).rows], totals))

    monkeypatch.setattr(PortfolioScreen, "on_portfolio_loaded", on_portfolio_loaded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [(done, rows) for done, rows, _ in seen] == [
            (False, ["classe-a-12"]),
            (True, ["classe-a-12", "dossiersco"]),
        ]
        assert "chargement" in seen[0][2] and "2 startups" in seen[1][2]
        # A reload (another date) keeps the rows shown until it has them all.
        seen.clear()
        app.as_of = dt.date(2019, 6, 1)
        await settle(pilot)
        assert [done for done, _, _ in seen] == [True]


async def test_filter_as_you_type_then_clear(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The filter's folded texts were made by a worker after the rows were shown.
        haystack = app.screen._haystack or {}
        assert any(text.startswith("classe a 12 classe-a-12") for text in haystack.values())
        await pilot.press("slash", *"dossier")
        await wait_until(pilot, lambda: slugs(app) == ["dossiersco"], "rows")
        assert "1/2 startups" in text_of(app.screen.query_one("#totals", Static))
        await pilot.press("escape")
        await wait_until(pilot, lambda: slugs(app) == ["classe-a-12", "dossiersco"], "rows")
        await pilot.press("slash", *"dgesco", "enter")  # a sponsor
        await wait_until(pilot, lambda: slugs(app) == ["classe-a-12"], "rows")
        assert app.focused is table(app)
        app.screen.query_one("#filter", Input).value = "classe a"  # accents folded
        await wait_until(pilot, lambda: slugs(app) == ["classe-a-12"], "rows")


async def test_facets(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#phase").chosen = frozenset({"construction"})
        await wait_until(pilot, lambda: slugs(app) == ["dossiersco"], "rows")
        app.screen.query_one("#phase").chosen = frozenset()
        app.screen.query_one("#sponsor", Select).value = "dgesco"
        await wait_until(pilot, lambda: slugs(app) == ["classe-a-12"], "rows")
        app.screen.query_one("#sponsor", Select).value = Select.NULL
        await pilot.pause()
    async with StartupsApp(app.store_location, dt.date(2018, 6, 1)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # alerts only: on 2018-06-01 Classe à 12 has none
        await wait_until(pilot, lambda: "classe-a-12" not in slugs(pilot.app), "alerts only")
        await pilot.press("a")
        await wait_until(pilot, lambda: "classe-a-12" in slugs(pilot.app), "all again")


async def test_sort_by_keys_and_by_clicking_a_header(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        assert t.sort_column == "title"  # by the title shown, from the start
        await pilot.press("s")
        assert t.sort_column == "phase"
        sortable = [c for c, _ in t._visible_layout() if c.sort_key is not None]
        await pilot.press(*["s"] * (len(sortable) - 1))  # round to the title
        assert t.sort_column == "title"
        await pilot.press("r")
        await wait_until(pilot, lambda: slugs(app) == ["dossiersco", "classe-a-12"], "rows")
        # Click the "Reste" header: unknown amounts sort last.
        x = sum(
            w + 1
            for c, w in t._visible_layout()
            if c.key != "remaining"
            and t._visible_layout().index((c, w))
            < [k.key for k, _ in t._visible_layout()].index("remaining")
        )
        await pilot.click(PortfolioTable, offset=(x + 1, 0))
        assert t.sort_column == "remaining" and not t.sort_reverse
        assert slugs(app) == ["classe-a-12", "dossiersco"]
        await pilot.click(PortfolioTable, offset=(x + 1, 0))
        assert t.sort_reverse


async def test_drill_in_tabs_and_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartupScreen) and screen.slug == "dossiersco"
        assert "DossierSCO" in text_of(screen.query_one("#card", Static))
        kpis = screen.query_one("#kpis", DataTable)
        assert kpis.row_count == 4
        for key, tab in (
            ("2", "conventions"),
            ("3", "budget"),
            ("4", "deadlines"),
            ("5", "consumption"),
            ("1", "overview"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert screen.query_one(TabbedContent).active == tab
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_conventions_tree_and_detail(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "classe-a-12")
        await pilot.press("2")
        tree = screen.query_one(Tree)
        labels = [str(n.label) for n in tree.root.children]
        assert any("Convention de service  en vigueur" in label for label in labels)
        assert any("non signée" in label for label in labels)  # the FAST 2020 convention
        assert str(tree.root.children[0].children[0].label).startswith("Avenant n° 1")
        detail = text_of(screen.query_one("#convention-info", Static))
        assert "269 700" in detail and "0214-CEN2" in detail and "Henri Verdier" in detail
        tree.focus()
        await pilot.press("down", "down")
        await wait_until(
            pilot,
            lambda: "co-financement FAST" in text_of(screen.query_one("#convention-info", Static)),
            "FAST convention shown",
        )
        detail = text_of(screen.query_one("#convention-info", Static))
        assert "co-financement FAST" in detail and "2020" in detail and "AE" in detail


async def test_budget_tab_draws_the_burn_down(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "classe-a-12")
        assert screen._chart is None  # plotext waits until the chart is shown
        await pilot.press("3")
        await settle(pilot)
        assert screen._chart is not None and screen._chart.drawn_for is screen.card
        burn = screen.query_one("#burn-table", DataTable)
        months = [str(burn.get_row_at(i)[0]) for i in range(burn.row_count)]
        assert months[0] == "04/2018" and "09/2018" in months


async def test_deadlines_and_consumption_tabs_highlight_overdue(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "classe-a-12")
        deadlines = screen.query_one("#deadline-table", DataTable)
        rows = [[str(c) for c in deadlines.get_row_at(i)] for i in range(deadlines.row_count)]
        overdue = [r for r in rows if "en retard" in r[2]]
        assert [r[0] for r in overdue] == ["01/09/2018"]
        # The same deadlines as `startups deadlines`/`show` (store.agenda): derived ones too.
        assert ["01/10/2018", "Fin de la convention de service"] in [[r[0], r[3]] for r in rows]
        assert any(r[1] == "renouvellement" for r in rows)
        lines = screen.query_one("#line-table", DataTable)
        assert lines.row_count == 5
        assert "hors convention" not in "".join(str(c) for c in lines.get_row_at(0))


async def test_time_travel(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, AsOfScreen)
        field = app.screen.query_one("#as-of", Input)
        field.value = "2018-02-30"
        await pilot.press("enter")
        assert isinstance(app.screen, AsOfScreen)
        error = app.screen.query_one("#error-as-of", Static)
        assert "n'existe pas" in text_of(error) and error.display
        field.value = "0001-03-15"  # a typo: no portfolio then
        await pilot.press("enter")
        assert isinstance(app.screen, AsOfScreen) and "1900 à 2199" in text_of(error)
        field.value = "2018-12-31"
        await pilot.press("enter")
        await settle(pilot)
        assert app.as_of == dt.date(2018, 12, 31)
        row = next(r for r in table(app).rows if r.slug == "dossiersco")
        assert row.assessment.envelope_cents == 20_000_000
        # Escape cancels: the date stays.
        await pilot.press("t")
        await pilot.press("escape")
        assert app.as_of == dt.date(2018, 12, 31)


async def test_time_travel_reloads_the_startup_screen(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "dossiersco")
        assert screen.card.assessment.envelope_cents is None
        app.as_of = dt.date(2019, 1, 15)
        await settle(pilot)
        assert screen.card.assessment.envelope_cents == 20_000_000


async def test_deadlines_screen(app, demo_db):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        assert screen.items[0].overdue and screen.items[0].title.startswith("Version utilisable")
        assert any(i.derived and i.date == dt.date(2018, 10, 1) for i in screen.items)
        await pilot.press("w")  # 90 → all
        await settle(pilot)
        assert any(i.date.year == 2021 for i in screen.items)
        await pilot.press("x")  # mark the overdue deadline done
        await settle(pilot)
        assert count(demo_db, "SELECT COUNT(*) FROM deadline WHERE done = 1") == 1
        assert not any(i.overdue for i in screen.items)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartupScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, PortfolioScreen)


async def test_help_palette_theme_and_quit(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+p")
        await pilot.press(*"dossier")
        from textual.command import CommandList

        hits = app.screen.query_one(CommandList)
        await wait_until(
            pilot,
            lambda: any(
                "DossierSCO" in str(hits.get_option_at_index(i).prompt)
                for i in range(hits.option_count)
            ),
            "palette hit",
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartupScreen) and app.screen.slug == "dossiersco"
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_failing_worker_is_a_notification_not_a_traceback(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_startup("no-such-startup")
        await settle(pilot)
        assert any("no-such-startup" in n.message for n in app._notifications)
        assert app.is_running


# --- forms ----------------------------------------------------------------------------------


def fill(screen, **values) -> None:
    for name, value in values.items():
        widget = screen.query_one(f"#f-{name.replace('.', '-').replace('_', '-')}")
        widget.value = value


def error_text(screen, name: str) -> str:
    widget = screen.query_one(f"#error-{name.replace('.', '-').replace('_', '-')}", Static)
    return text_of(widget) if "-hidden" not in widget.classes else ""


async def test_line_form_save_validation_and_cancel(app, demo_db):
    lines = "SELECT COUNT(*) FROM consumption_line"
    before = count(demo_db, lines)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_startup(pilot, "classe-a-12")
        await pilot.press("l")
        form = app.screen
        assert isinstance(form, LineForm)
        fill(form, amount="-100", label="Hébergement")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "négatif" in error_text(form, "amount") and app.screen is form
        fill(form, amount="100", date="2018-09-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "n'existe pas" in error_text(form, "date") and not error_text(form, "amount")
        assert count(demo_db, lines) == before
        await pilot.press("escape")
        assert isinstance(app.screen, StartupScreen)
        assert count(demo_db, lines) == before
        await pilot.press("l")
        form = app.screen
        fill(form, amount="1 200,50", label="Hébergement", date="2018-09-10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StartupScreen)
        assert count(demo_db, lines) == before + 1
        assert app.screen.card.assessment.consumed_cents == 12_300_000 + 120_050
        # Edit it from the consumption tab.
        await pilot.press("5")
        t = app.screen.query_one("#line-table", DataTable)
        t.focus()
        row = [str(t.get_row_at(i)[1]) for i in range(t.row_count)].index("Hébergement")
        t.move_cursor(row=row)
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, LineForm) and form.value("amount") == "1\u202f200,50"
        fill(form, amount="1300")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            count(demo_db, "SELECT amount_cents FROM consumption_line WHERE label = 'Hébergement'")
            == 130_000
        )


async def test_convention_form_new_edit_and_errors(app, demo_db):
    conventions = "SELECT COUNT(*) FROM convention"
    before = count(demo_db, conventions)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "dossiersco")
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, ConventionForm)
        fill(form, title="Convention 2019", starts_on="2019-06-01", ends_on="2019-01-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "précède le début" in error_text(form, "ends_on")
        fill(form, ends_on="2019-12-31", ceiling="-5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "négatif" in error_text(form, "ceiling")
        # An avenant without a parent.
        form.query_one("#f-kind", Select).value = "avenant"
        form.query_one("#f-parent-id", Select).value = Select.NULL
        fill(form, ceiling="120000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "modifie" in error_text(form, "parent_id")
        assert count(demo_db, conventions) == before
        form.query_one("#f-kind", Select).value = "convention"
        fill(
            form,
            **{
                "parties.0.name": "MENJ",
                "parties.0.signed_on": "2019-05-20",
                "parties.1.name": "DINUM",
                "parties.1.signed_on": "2019-05-24",
                "schedule": "2019: 120000/100000",
                "imputation.programme": "214",
            },
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert count(demo_db, conventions) == before + 1
        assert count(demo_db, "SELECT COUNT(*) FROM schedule_line WHERE year = 2019") == 1
        new = next(c for c in screen.card.conventions if c.title == "Convention 2019")
        assert new.concluded_on == dt.date(2019, 5, 24) and new.ceiling_cents == 12_000_000
        # A new avenant to the convention selected in the tree.
        await pilot.press("2")
        tree = screen.query_one(Tree)
        tree.focus()
        node = next(n for n in tree.root.children if n.data.title == "Convention 2019")
        tree.move_cursor(node)
        await pilot.pause()
        await pilot.press("v")
        form = app.screen
        assert form.value("kind") == "avenant" and form.value("parent_id") == new.id
        fill(form, number="1", ceiling="150000", signed_on="2019-09-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(demo_db, conventions) == before + 2
        # Edit the convention: its form starts from what is stored.
        tree = screen.query_one(Tree)
        node = next(n for n in tree.root.children if n.data.title == "Convention 2019")
        tree.move_cursor(node)
        await pilot.pause()
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert form.value("ceiling") == "120\u202f000" and form.value("parties.1.name") == "DINUM"
        assert form.value("schedule") == "2019: 120000/100000"
        fill(form, ends_on="2020-06-30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(demo_db, "SELECT COUNT(*) FROM convention WHERE ends_on = '2020-06-30'") == 1
        assert count(demo_db, conventions) == before + 2


async def test_deadline_form_and_done(app, demo_db):
    deadlines = "SELECT COUNT(*) FROM deadline"
    before = count(demo_db, deadlines)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "dossiersco")
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, DeadlineForm)
        fill(form, date="2019-02-29", title="Comité d'investissement")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "n'existe pas" in error_text(form, "date")
        fill(form, title="", date="2019-03-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "titre" in error_text(form, "title")
        assert count(demo_db, deadlines) == before
        fill(form, title="Comité d'investissement")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(demo_db, deadlines) == before + 1
        await pilot.press("4")
        t = screen.query_one("#deadline-table", DataTable)
        t.focus()
        await pilot.press("x")
        await settle(pilot)
        assert count(demo_db, "SELECT COUNT(*) FROM deadline WHERE done = 1") == 1
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, DeadlineForm) and form.value("title") == "Comité d'investissement"
        await pilot.press("escape")
        assert app.screen is screen


async def test_measurement_form(app, demo_db):
    measurements = "SELECT COUNT(*) FROM measurement"
    before = count(demo_db, measurements)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_startup(pilot, "dossiersco")
        await pilot.press("m")
        form = app.screen
        assert isinstance(form, MeasurementForm)
        assert form.value("date") == "15/09/2018"  # the as-of date, the French way
        fill(form, value="beaucoup")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "n'est pas un nombre" in error_text(form, "value")
        assert count(demo_db, measurements) == before
        fill(form, value="12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert count(demo_db, measurements) == before + 1
        assert app.screen is screen
        # No KPI for Classe à 12: the form that creates one (Escape writes nothing).
        await pilot.press("escape")
        await open_startup(pilot, "classe-a-12")
        await pilot.press("m")
        assert isinstance(app.screen, KpiForm)
        await pilot.press("escape")
        assert isinstance(app.screen, StartupScreen)
        assert count(demo_db, measurements) == before + 1


def test_burn_chart_labels_never_collide():
    """plotext places colliding labels in hash order: the chart leaves them room instead."""
    from tui.widgets.burn_chart import GAP, Y_LABELS, tick_step

    for width in range(20, 200):
        for points in range(2, 60):
            step = tick_step(points, width)
            spacing = (width - Y_LABELS - 1) / (points - 1)
            assert step * spacing >= GAP or step >= points


# --- importing a convention -----------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "conventions"


async def test_import_the_dossiersco_avenant_completes_the_demo_one(app, demo_db):
    from tui.screens.import_convention import ImportScreen

    before = count(demo_db, "SELECT COUNT(*) FROM convention")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_startup(pilot, "dossiersco")
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        dialog.query_one("#path", Input).value = str(EXAMPLES / "dossiersco_avenant_2018-12-05.txt")
        await pilot.press("enter")
        await settle(pilot)
        plan = text_of(dialog.query_one("#import-plan", Static))
        assert "startup : dossiersco" in plan and "complété, pas dupliqué" in plan
        assert "parent" in plan and "convention du 2018-04-12" in plan  # a field, its value
        assert "l. " in plan  # and its evidence
        assert count(demo_db, "SELECT COUNT(*) FROM convention WHERE evidence IS NOT NULL") == 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StartupScreen) and screen.active_tab == "conventions"
        assert count(demo_db, "SELECT COUNT(*) FROM convention") == before
        assert count(demo_db, "SELECT COUNT(*) FROM convention WHERE evidence IS NOT NULL") == 1
        selected = screen.selected_convention()
        assert selected.kind == "avenant" and selected.evidence
        detail = text_of(screen.query_one("#convention-info", Static))
        assert "Preuves — dossiersco_avenant_2018-12-05.txt · sha256" in detail
        assert "ceiling_eur" in detail and "deux cent mille euros" in detail


async def test_import_refuses_a_file_that_is_not_a_convention(app, demo_db, tmp_path):
    from tui.screens.import_convention import ImportScreen

    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("Liste de courses : pain, lait, œufs.\n", encoding="utf-8")
    before = count(demo_db, "SELECT COUNT(*) FROM convention")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        dialog.query_one("#path", Input).value = str(unrelated)
        await pilot.press("enter")
        await settle(pilot)
        error = dialog.query_one("#error-path", Static)
        assert "notes.txt" in text_of(error) and "\n" not in text_of(error).strip()
        assert dialog.query_one("#confirm").disabled
        await pilot.press("ctrl+s")  # refused: nothing to import
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)
    assert count(demo_db, "SELECT COUNT(*) FROM convention") == before


# --- read-only ------------------------------------------------------------------------------


async def test_read_only_disables_every_write(demo_db):
    from tui.screens.import_convention import ImportScreen

    tables = ("convention", "consumption_line", "deadline", "measurement")
    before = {t: count(demo_db, f"SELECT COUNT(*) FROM {t}") for t in tables}
    app = StartupsApp(str(demo_db), AS_OF, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "lecture seule" in app.sub_title
        await pilot.press("i")
        assert not isinstance(app.screen, ImportScreen)
        screen = await open_startup(pilot, "classe-a-12")
        for action in ("new_convention", "new_line", "edit", "toggle_done"):
            assert screen.check_action(action, ()) is None  # dimmed in the footer, not run
        for key in ("c", "v", "l", "n", "m", "k", "e"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no form opens
        await pilot.press("4", "x")
        await settle(pilot)
        refusals = [n for n in app._notifications if "Lecture seule" in n.message]
        assert refusals
        await pilot.press("escape", "d")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
    assert {t: count(demo_db, f"SELECT COUNT(*) FROM {t}") for t in tables} == before
    assert count(demo_db, "SELECT COUNT(*) FROM deadline WHERE done = 1") == 0


def test_cli_read_only_reaches_the_app(run, demo_db, monkeypatch):
    import commands.start
    from tui.app import StartupsApp

    opened = []
    monkeypatch.setattr(StartupsApp, "run", lambda self: opened.append(self.read_only))
    monkeypatch.setattr(commands.start, "interactive", lambda: True)
    assert run("tui", "--read-only", "--db", demo_db).code == 0
    assert run("--read-only", "--db", demo_db).code == 0
    assert run("tui", "--db", demo_db).code == 0
    assert opened == [True, True, False]


async def test_virtual_table_sorts_once_and_narrows_the_rows_shown():
    """Sorted orders are kept per column; a narrowing filter gives what a full one gives."""
    from textual.app import App

    from tui.widgets.virtual_table import Column, VirtualTable

    columns = [
        Column("n", "N", 6, lambda r, t: str(r)),
        Column("mod", "Mod 7", 6, lambda r, t: str(r % 7), lambda r: r % 7),
    ]

    class One(App[None]):
        def compose(self):
            yield VirtualTable(columns)

    async with One().run_test(size=(40, 12)) as pilot:
        t = pilot.app.query_one(VirtualTable)
        t.set_rows(list(range(100)))
        assert t.rows == list(range(100)) and isinstance(t._view, range)
        t.sort_by("mod", reverse=True)
        expected = sorted(range(100), key=lambda r: r % 7, reverse=True)
        assert t.rows == expected
        t.set_filter(lambda r: r % 2 == 0)
        t.cursor = 40
        t.set_filter(lambda r: r % 4 == 0, narrowing=True)
        assert t.rows == [r for r in expected if r % 4 == 0]
        assert t.cursor == len(t.rows) - 1  # kept within the rows shown
        t.set_filter(lambda r: r % 2 == 0)  # wider again: from every row
        assert t.rows == [r for r in expected if r % 2 == 0]
        t.sort_by("mod")
        t.set_filter(None)
        assert t.rows == sorted(range(100), key=lambda r: r % 7)
        assert list(t.iter_rows()) == t.rows
        await pilot.pause()
        t.set_rows(list(range(10, 0, -1)))  # new rows: the orders are sorted again
        assert t.rows == sorted(range(10, 0, -1), key=lambda r: r % 7)


async def test_portfolio_shows_the_loading_indicator_only_when_a_load_lasts(app, monkeypatch):
    import threading

    import tui.screens.portfolio as portfolio

    monkeypatch.setattr(portfolio, "LOADING_DELAY", 0.05)
    gate = threading.Event()
    read = portfolio.iter_rows

    def slow(*args, **kwargs):
        gate.wait(10)
        return read(*args, **kwargs)

    monkeypatch.setattr(portfolio, "iter_rows", slow)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: table(app).loading, "the indicator, once the delay is over")
        gate.set()
        await settle(pilot)
        assert slugs(app) == ["classe-a-12", "dossiersco"] and not table(app).loading
        shown = []
        monkeypatch.setattr(portfolio, "LOADING_DELAY", 5)
        app.screen.watch(table(app), "loading", shown.append, init=False)
        app.as_of = dt.date(2019, 2, 15)  # a quick reload: no indicator at all
        await settle(pilot)
        assert app.screen._applied_key == (dt.date(2019, 2, 15), 0) and shown == []


async def test_the_portfolio_is_read_once_per_date(demo_db, monkeypatch):
    import tui.screens.portfolio as portfolio

    built = []
    read = portfolio.iter_rows

    def counted(reader, as_of, *args, **kwargs):
        built.append(as_of)
        return read(reader, as_of, *args, **kwargs)

    monkeypatch.setattr(portfolio, "iter_rows", counted)
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert slugs(app) == ["classe-a-12", "dossiersco"] and built == [AS_OF]
        app.as_of = dt.date(2019, 2, 15)
        await settle(pilot)
        assert built == [AS_OF, dt.date(2019, 2, 15)]


async def test_a_store_that_cannot_be_read_at_start_is_a_notification(tmp_path):
    app = StartupsApp(str(tmp_path / "nothing.db"), AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # ready: the screen reports it could not load
        assert any("aucune base ici" in n.message for n in app._notifications)
        assert table(app).row_count == 0 and not table(app).loading
