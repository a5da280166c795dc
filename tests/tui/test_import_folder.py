"""The app's `i`: a folder imported in one go, and a file that is not a convention refused."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sqlite3
from pathlib import Path

from rich.console import Console
from textual.widgets import Input, Static
from tui_support import settle

from tui.app import StartupsApp
from tui.screens.import_convention import ImportScreen
from tui.screens.portfolio import PortfolioScreen
from tui.screens.startup import StartupScreen

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "conventions"
AS_OF = dt.date(2018, 9, 15)
SIZE = (120, 40)


def count(path, sql: str) -> int:
    with sqlite3.connect(path) as con:
        return con.execute(sql).fetchone()[0]


def text_of(widget: Static) -> str:
    """The plain text a Static shows (its content rendered by Rich, without styles)."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get().replace("\u202f", " ").replace("\u00a0", " ")


async def _open_import(pilot, path: Path) -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportScreen)
    dialog.query_one("#path", Input).value = str(path)
    await pilot.press("enter")
    await settle(pilot)
    return dialog


async def test_the_readme_is_refused_in_the_app(demo_db):
    app = StartupsApp(str(demo_db), AS_OF)
    before = count(demo_db, "SELECT COUNT(*) FROM convention")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_import(pilot, ROOT / "README.md")
        error = text_of(dialog.query_one("#error-path", Static))
        assert "README.md" in error and "ni une convention ni un avenant" in error
        assert "creates" not in text_of(dialog.query_one("#import-plan", Static))
        assert dialog.query_one("#confirm").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        assert isinstance(app.screen, PortfolioScreen)
    assert count(demo_db, "SELECT COUNT(*) FROM convention") == before


async def test_a_folder_is_planned_then_imported_file_by_file(demo_db, tmp_path):
    folder = tmp_path / "conventions"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    shutil.copy(ROOT / "README.md", folder / "README.md")
    app = StartupsApp(str(demo_db), AS_OF)
    before = count(demo_db, "SELECT COUNT(*) FROM convention")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_import(pilot, folder)
        plan = text_of(dialog.query_one("#import-plan", Static))
        for seed in SEEDS.glob("*.txt"):
            assert seed.name in plan
        assert plan.count("complète le n° ") == 3  # the demo's own conventions, completed
        assert "README.md" in plan and "non lu" in plan
        assert "3 fichiers à importer" in plan
        assert "README.md" in text_of(dialog.query_one("#error-path", Static))
        assert count(demo_db, "SELECT COUNT(*) FROM convention WHERE evidence IS NOT NULL") == 0
        assert not dialog.query_one("#confirm").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert any("3 fichiers enregistrés" in n.message for n in app._notifications)
        # Two startups were completed: the app stays where it was.
        assert not isinstance(app.screen, StartupScreen)
    assert count(demo_db, "SELECT COUNT(*) FROM convention") == before
    assert count(demo_db, "SELECT COUNT(*) FROM convention WHERE evidence IS NOT NULL") == 3
