"""The portfolio as a coach reads it: the active startups first, sorted by their title,
no money shown for what is not known, the ones running out within a window."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import Static
from tui_support import settle

from tui.app import StartupsApp
from tui.screens.portfolio import PortfolioTable, ended

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def rows(app):
    return app.screen.query_one(PortfolioTable).rows


def totals(app) -> str:
    return str(app.screen.query_one("#totals", Static).render()).replace("\u202f", " ")


async def test_the_ended_startups_are_hidden_until_e_and_rows_follow_the_titles(
    run, tmp_path: Path
):
    shutil.copytree(FIXTURES / "betagouv" / "content", tmp_path / "bg" / "content")
    db = tmp_path / "real.db"
    assert run("import", "betagouv", tmp_path / "bg", "--db", db).code == 0
    app = StartupsApp(str(db), dt.date(2026, 6, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        everything = list(app.screen._report.rows)
        shown = rows(app)
        assert any(ended(r) for r in everything)  # the fixtures hold ended startups
        assert shown and not any(ended(r) for r in shown)
        hidden = sum(1 for r in everything if ended(r))
        assert f"{hidden} terminée" in totals(app) and "(e)" in totals(app)
        titles = [r.title for r in shown]
        from store.rules.text import fold

        assert titles == sorted(titles, key=fold)
        await pilot.press("e")
        await settle(pilot)
        assert len(rows(app)) == len(everything)
        assert "masquée" not in totals(app)


async def test_no_convention_is_never_zero_euros_and_w_keeps_what_runs_out(demo_db):
    app = StartupsApp(str(demo_db), dt.date(2018, 9, 15))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [r.slug for r in rows(app)] == ["classe-a-12", "dossiersco"]
        await pilot.press("w")  # within 30 days: Classe à 12's convention ends on 1 Oct
        await settle(pilot)
        assert [r.slug for r in rows(app)] == ["classe-a-12"]
        assert "épuisement sous 30 jours (w)" in totals(app)
        for _ in range(3):  # 90, 180, then no window
            await pilot.press("w")
            await settle(pilot)
        assert len(rows(app)) == 2 and "épuisement" not in totals(app)
    # Before any convention: no envelope, no 0 €.
    app = StartupsApp(str(demo_db), dt.date(2017, 1, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        text = totals(app)
        assert "aucune convention en vigueur" in text and "0 €" not in text, text
