"""The brief in the app: ``b`` on a startup (or on the portfolio's row) shows the page
``startups brief SLUG`` writes for the same date, and ``x`` exports the same bytes into
the folder typed in a small form."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_support import settle, wait_until

from commands.brief import render_briefs
from tui.app import StartupsApp
from tui.screens.brief import BriefScreen, ExportForm
from tui.screens.startup import StartupScreen

AS_OF = dt.date(2018, 9, 15)
SMALL = (80, 24)


def lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def read_all(app) -> str:
    """Every line the brief shows, page by page (as a person scrolls it)."""
    return "\n".join(lines(app))


async def scroll_through(pilot) -> str:
    page = pilot.app.screen.query_one("#brief-page")
    seen = [read_all(pilot.app)]
    while page.scroll_y < page.max_scroll_y:
        await pilot.press("pagedown")
        await pilot.pause()
        seen.append(read_all(pilot.app))
    return "\n".join(seen).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF, brief_renderer=render_briefs)


async def open_brief(pilot, slug: str = "classe-a-12") -> BriefScreen:
    await settle(pilot)
    pilot.app.action_open_startup(slug)
    await settle(pilot)
    assert isinstance(pilot.app.screen, StartupScreen)
    await pilot.press("b")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BriefScreen)
    return screen


async def test_the_brief_shows_the_figures_of_the_command(app, demo_db, run):
    command = run("brief", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15")
    assert command.code == 0
    markdown = command.out.replace("\u202f", " ").replace("\xa0", " ")
    envelope = re.search(r"Enveloppe en vigueur : ([\d  ]+ €)", markdown)
    engaged = re.search(r"Engagé(?: \(AE\))? : ([\d  ]+ €)", markdown)
    alerts = markdown.split("## Alertes")[1].split("##")[0]
    words = [line[2:] for line in alerts.strip().splitlines()]
    assert envelope.group(1) == "269 700 €" and engaged.group(1) == "123 000 €" and words
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_brief(pilot)
        assert screen.text == command.out  # the command's own page, for the same day
        shown = await scroll_through(pilot)
    assert envelope.group(0) in shown
    assert engaged.group(0) in shown
    for sentence in words:  # each alert in words, wrapped at 80 columns
        first = " ".join(sentence.split()[:4])
        assert first in re.sub(r"\s+", " ", shown), sentence


async def test_b_on_the_portfolio_opens_the_brief_of_the_row(app, demo_db, run):
    # The command first: while the app runs, Textual holds stdout.
    command = run("brief", "dossiersco", "--db", demo_db, "--as-of", "2018-09-15")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("down", "b")  # the second row: DossierSco
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BriefScreen) and screen.slug == "dossiersco"
        assert screen.text == command.out
        commands = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Note de cette startup" in commands and "Historique de cette startup" in commands
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BriefScreen)


async def test_export_writes_the_bytes_of_the_command(app, demo_db, run, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    expected = tmp_path / "command.html"
    assert (
        run(
            "brief",
            "classe-a-12",
            "--db",
            demo_db,
            "--as-of",
            "2018-09-15",
            "--format",
            "html",
            "--output",
            expected,
        ).code
        == 0
    )
    async with app.run_test(size=SMALL) as pilot:
        brief = await open_brief(pilot)
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, ExportForm)
        assert form.focused is form.query_one("#f-folder", Input)
        assert form.value("folder") == str(Path.cwd())  # the current folder at first
        assert form.value("name") == "brief-classe-a-12-2018-09-15.html"
        footer = lines(pilot.app)[-1]
        assert "ctrl+s Enregistrer" in footer and "Échap Annuler" in footer
        await pilot.press("end", "ctrl+u", *str(tmp_path / "missing"), "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        error = form.query_one("#error-folder")
        assert "-hidden" not in error.classes and "n'est pas un dossier" in str(error.render())
        assert list(out.iterdir()) == []
        await pilot.press("end", "ctrl+u", *str(out), "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is brief
        written = out / "brief-classe-a-12-2018-09-15.html"
        assert written.read_bytes() == expected.read_bytes()
        assert any(str(written) in str(n.message) for n in pilot.app._notifications)


async def test_export_in_markdown_names_the_file_md(app, demo_db, run, tmp_path: Path):
    command = run("brief", "dossiersco", "--db", demo_db, "--as-of", "2018-09-15")
    async with app.run_test(size=SMALL) as pilot:
        await open_brief(pilot, "dossiersco")
        await pilot.press("x")
        await settle(pilot)
        form = pilot.app.screen
        await pilot.press("end", "ctrl+u", *str(tmp_path), "tab")
        await pilot.press("enter", "down", "enter")  # the format: Markdown
        await settle(pilot)
        assert form.value("format") == "markdown"
        assert form.value("name") == "brief-dossiersco-2018-09-15.md"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert (tmp_path / "brief-dossiersco-2018-09-15.md").read_text(encoding="utf-8") == command.out


async def test_the_app_started_without_the_renderer_has_no_brief(demo_db):
    async with StartupsApp(str(demo_db), AS_OF).run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BriefScreen)


async def test_hostile_data_stays_words_in_the_brief(tmp_path):
    from hostile import LITERAL, SLUG, hostile_store

    db = hostile_store(tmp_path / "hostile.db")
    app = StartupsApp(str(db), dt.date(2018, 6, 15), brief_renderer=render_briefs)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        app.action_brief(SLUG)
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        shown = await scroll_through(pilot)
        for active in ("\x1b", "\x9b", "\u202e", "\x07"):
            assert active not in shown
        assert "␛" in shown
        flat = " ".join(shown.split())
        assert LITERAL[0] in flat and "@click=app.screenshot(" in flat
        assert not live_spans(app)


def live_spans(app) -> list:
    """What in the brief shown could act on a click (a link, an action)."""
    return [
        span
        for block in app.screen.query("MarkdownBlock")
        for span in getattr(block._content, "spans", ())
        if "@click" in repr(span.style) or "link" in repr(span.style)
    ]


async def test_a_url_in_data_is_no_link(demo_db):
    import sqlite3

    con = sqlite3.connect(demo_db)
    with con:
        con.execute(
            "UPDATE startup SET mission = ? WHERE slug = 'classe-a-12'",
            ("Voir https://exemple.org/page et www.exemple.org",),
        )
    con.close()
    app = StartupsApp(str(demo_db), AS_OF, brief_renderer=render_briefs)
    async with app.run_test(size=SMALL) as pilot:
        await open_brief(pilot)
        assert "https://exemple.org/page" in read_all(app)
        assert not live_spans(app)


def test_brief_snapshot(snap_compare, demo_db):
    """The brief of Classe à 12 on 15/09/2018 at 80×24, scrolled to its money."""
    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark", brief_renderer=render_briefs)

    async def run_before(pilot) -> None:
        await open_brief(pilot)
        page = pilot.app.screen.query_one("#brief-page")
        money = next(
            block
            for block in pilot.app.screen.query("MarkdownH2")
            if "Argent" in str(block._content) or "Money" in str(block._content)
        )
        page.scroll_to_widget(money, animate=False, top=True)
        await wait_until(pilot, lambda: page.scroll_y > 0, "scrolled")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
