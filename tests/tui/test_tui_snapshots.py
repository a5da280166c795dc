"""Snapshots of each screen on the demo portfolio as of 2018-09-15, at 80×24 and 120×40.

Deterministic: a fixed as-of date (no clock), the dark theme, no cursor blink.
Update on purpose with ``uv run pytest tests/test_tui_snapshots.py --snapshot-update``
and read the report before committing the SVGs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input
from tui_support import settle

from tui.app import StartupsApp

AS_OF = dt.date(2018, 9, 15)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def steady(*keys: str, startup: str | None = None):
    """Open, press, and wait after each step until the app says it is ready."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        if startup is not None:
            pilot.app.action_open_startup(startup)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot)

    return run_before


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF, theme="textual-dark")


@pytest.mark.parametrize("size", SIZES)
def test_portfolio(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steady())


@pytest.mark.parametrize("size", SIZES)
def test_startup_overview(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steady(startup="dossiersco"))


@pytest.mark.parametrize("size", SIZES)
def test_startup_conventions(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steady("2", startup="classe-a-12"))


@pytest.mark.parametrize("size", SIZES)
def test_startup_budget(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steady("3", startup="classe-a-12"))


def test_startup_deadlines(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady("4", startup="classe-a-12"))


def test_startup_consumption(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=steady("5", startup="dossiersco"))


@pytest.mark.parametrize("size", SIZES)
def test_deadlines_screen(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steady("d", "w"))


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=steady("question_mark"))


def test_startup_conventions_with_evidence(snap_compare, demo_db):
    """The DossierSco avenant imported from its text: the details end with its evidence."""
    from pathlib import Path

    from store.importers.convention.plan import apply_import, load_extraction, plan_import
    from store.open import open_store

    text = (
        Path(__file__).resolve().parents[2]
        / "examples/conventions/dossiersco_avenant_2018-12-05.txt"
    )
    store = open_store(str(demo_db), create=False)
    try:
        with store.session() as session:
            plan = plan_import(session, load_extraction(text))
        with store.session() as session:
            avenant = apply_import(session, plan).convention_id
    finally:
        store.dispose()

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.action_open_startup("dossiersco")
        pilot.app.screen.show_convention(avenant)
        await settle(pilot)

    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def seed_orders(db) -> None:
    """Two orders of Classe à 12: one late (no service fait past its expected delivery),
    one paid beyond its service fait; the first chosen shows its alert in words."""
    from store.open import open_store
    from store.ops.orders import add_order, add_payment, add_service_fait

    store = open_store(str(db), create=False)
    try:
        with store.session() as session:
            add_order(
                session,
                "classe-a-12",
                date=dt.date(2018, 7, 2),
                amount_cents=1_800_000,
                ej="1300012345",
                supplier="Octo Technology",
                expected_on=dt.date(2018, 9, 1),
                label="Développement, 30 jours",
            )
            add_order(
                session,
                "classe-a-12",
                date=dt.date(2018, 8, 1),
                amount_cents=960_050,
                ej="1300012399",
                supplier="Atelier des Designers Associés",
            )
            add_service_fait(session, "1300012399", date=dt.date(2018, 8, 31), amount_cents=400_000)
            add_payment(
                session,
                None,
                order="1300012399",
                date=dt.date(2018, 9, 10),
                amount_cents=500_000,
                label="",
            )
    finally:
        store.dispose()


@pytest.mark.parametrize("size", SIZES)
def test_startup_orders(snap_compare, demo_db, size):
    """The Orders tab (6): each order's engagé, service fait, payé and reste à payer, its
    status and alerts in words, the chosen one whole under the table."""
    seed_orders(demo_db)
    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark")
    assert snap_compare(app, terminal_size=size, run_before=steady("6", startup="classe-a-12"))
