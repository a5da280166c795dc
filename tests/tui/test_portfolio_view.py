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


async def test_the_phase_facet_takes_several_phases_and_e_still_works(run, tmp_path: Path):
    from tui.widgets.phase_facet import PhaseFacet, PhasePicker

    shutil.copytree(FIXTURES / "betagouv" / "content", tmp_path / "bg" / "content")
    db = tmp_path / "real.db"
    assert run("import", "betagouv", tmp_path / "bg", "--db", db).code == 0
    app = StartupsApp(str(db), dt.date(2026, 6, 1))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        everything = list(app.screen._report.rows)
        facet = app.screen.query_one(PhaseFacet)
        options = facet.options
        assert len(options) >= 3, options  # in their order: active phases, then the ends
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PhasePicker)
        picked = [options[0], options[1]]  # an active phase and an end: both shown
        await pilot.press("space", "down", "space", "escape")  # the first two, ticked
        await settle(pilot)
        assert facet.chosen == frozenset(picked)
        shown = rows(app)
        assert shown and {r.phase for r in shown} <= set(picked)
        assert len(shown) == sum(1 for r in everything if r.phase in picked)
        assert "2 phases" in str(facet.render())
        from tui.widgets.phase_facet import phase_words

        assert f"phases : {phase_words(picked)} (p)" in totals(app)
        await pilot.press("e")  # every startup: the phases chosen still hold
        await settle(pilot)
        assert {r.phase for r in rows(app)} <= set(picked)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("backspace", "escape")  # every phase again
        await settle(pilot)
        assert not facet.chosen and "phases :" not in totals(app)
        assert len(rows(app)) == len(everything)  # e is still on: the ended ones too
        await pilot.press("e")
        await settle(pilot)
        assert not any(ended(r) for r in rows(app))
        # An ended phase chosen shows its startups, e or not.
        gone = next(r.phase for r in everything if ended(r))
        facet.chosen = frozenset({gone})
        await settle(pilot)
        assert rows(app) and all(r.phase == gone for r in rows(app))
