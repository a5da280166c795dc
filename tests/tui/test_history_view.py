"""The history in the app: ``h`` on a startup shows what changed in it, ``h`` on the
portfolio (or the palette's « Historique du store ») what changed in the whole store:
newest first, in local time and in French words, the entries ``startups log`` prints."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest
from tui_support import settle

from tui.app import StartupsApp
from tui.screens.history import HistoryScreen

AS_OF = dt.date(2018, 9, 15)
SMALL = (80, 24)


def lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app) -> str:
    return "\n".join(lines(app)).replace("\xa0", " ")


@pytest.fixture
def paris(monkeypatch):
    """Local time is Paris time (the entries are stored in UTC)."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def fix_the_log(db, at: str = "2018-09-14T08:30:00Z", actor: str = "coach") -> None:
    """Every entry at one moment and by one person (what a snapshot can hold still)."""
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE audit_log SET at = ?, actor = ?", (at, actor))
    con.close()


async def test_the_history_of_a_startup_newest_first(demo_db, run, paris):
    assert (
        run("committee", "add", "2018-10-01", "--startup", "classe-a-12", "--db", demo_db).code == 0
    )
    assert (
        run(
            "committee",
            "decide",
            "2018-10-01",
            "classe-a-12",
            "--decision",
            "six_months",
            "--db",
            demo_db,
        ).code
        == 0
    )
    fix_the_log(demo_db)
    logged = run("log", "classe-a-12", "--db", demo_db, "--limit", "200", "--format", "json")
    expected = [e["id"] for e in logged.json()["entries"]]
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.action_open_startup("classe-a-12")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.slug == "classe-a-12"
        assert [e.id for e in screen.entries] == expected  # newest first, the log's own
        text = screen_text(app)
        assert f"{len(expected)} modifications, les plus récentes d'abord" in text
        rows = lines(app)
        # 08:30 UTC is 10:30 in Paris (summer time), written the French way.
        first = next(row for row in rows if "14/09/2018" in row)
        assert "14/09/2018 10:30:00  coach  modification examen en comité" in first, first
        assert "décision : non décidé → six mois financés" in text
        assert "création ligne de consommation" in text and "« Solde des prestations 2018 »" in text
        assert "(classe-a-12)" not in text  # the startup is the screen's
        commands = [c.title for c in app.get_system_commands(screen)]
        assert "Historique de cette startup" in commands  # the palette's way here
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen)


async def test_the_history_of_the_store_from_the_portfolio(demo_db, run):
    logged = run("log", "--db", demo_db, "--limit", "200", "--format", "json")
    expected = [e["id"] for e in logged.json()["entries"]]
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.slug is None
        assert [e.id for e in screen.entries] == expected
        assert "(dossiersco)" in screen_text(app)  # each change names its startup
        assert "Historique du store" in lines(app)[0]
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Historique du store" in commands


async def test_a_save_in_the_app_shows_in_the_history(demo_db):
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.action_history()
        await settle(pilot)
        before = len(app.screen.entries)
        await pilot.press("escape")
        await settle(pilot)
        app.action_open_startup("dossiersco")
        await settle(pilot)
        await pilot.press("C", *"01/10/2018", "ctrl+s")
        await settle(pilot)
        app.action_history()
        await settle(pilot)
        assert len(app.screen.entries) == before + 2  # the committee, its review
        assert "création comité d'investissement" in screen_text(app)


async def test_an_empty_history_says_so(tmp_path, run):
    db = tmp_path / "empty.db"
    assert run("init", "--db", db).code == 0
    app = StartupsApp(str(db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert not app.screen.entries
        assert "Aucune modification enregistrée dans ce store." in screen_text(app)


async def test_the_history_in_english(demo_db):
    import i18n

    i18n.use("en")
    app = StartupsApp(str(demo_db), AS_OF)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.action_history("dossiersco")
        await settle(pilot)
        text = screen_text(app)
        assert "History of dossiersco" in text and "created consumption line" in text
        assert "création" not in text and "Historique" not in text


def test_history_snapshot(snap_compare, demo_db, run, paris):
    """Classe à 12's history at 80×24: a decision changed (before → after), the committee
    that reviews it, the expenses created, newest first."""
    assert (
        run("committee", "add", "2018-10-01", "--startup", "classe-a-12", "--db", demo_db).code == 0
    )
    assert (
        run(
            "committee",
            "decide",
            "2018-10-01",
            "classe-a-12",
            "--decision",
            "provisional",
            "--months",
            "2",
            "--db",
            demo_db,
        ).code
        == 0
    )
    fix_the_log(demo_db)
    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark")

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.action_open_startup("classe-a-12")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
