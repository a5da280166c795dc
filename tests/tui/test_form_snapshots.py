"""Snapshots of each form on the demo portfolio as of 2018-09-15, at 80×24 (and the
convention form at 120×40): values typed, then saved with ctrl+s, so that each picture
shows what was typed, the error under the field at fault with the focus on it, the
buttons, and the keys in the footer.

Deterministic: a fixed as-of date, the dark theme, no cursor blink.  Update on purpose
with ``uv run pytest tests/tui/test_form_snapshots.py --snapshot-update``, and look at
each picture before committing it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input
from tui_support import settle, wait_until

from tui.app import StartupsApp

AS_OF = dt.date(2018, 9, 15)


def typed(slug: str, *steps: str, tab: str | None = None):
    """Open ``slug`` (on ``tab``), then each step: a key name, or ``=text`` typed."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot)
        app.action_open_startup(slug)
        await settle(pilot)
        if tab:
            await pilot.press(tab)
            await settle(pilot)
        for step in steps:
            if step.startswith("="):
                await pilot.press(*step[1:])
            else:
                await pilot.press(step)
            await settle(pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        errors = [e for e in app.screen.query(".field-error") if "-hidden" not in e.classes]
        assert len(errors) == 1, "each picture shows one error"
        await wait_until(pilot, lambda: app.screen.can_view_entire(errors[0]), "error in view")
        await settle(pilot)

    return run_before


@pytest.fixture
def app(demo_db):
    return StartupsApp(str(demo_db), AS_OF, theme="textual-dark")


CONVENTION = (
    "c",
    "tab",
    "=Convention 2019",
    "tab",
    "tab",
    "=20/09/2018",
    "tab",
    "tab",
    "=01/08/2018",
    "tab",
    "=120 000",
    "ctrl+s",
)


@pytest.mark.parametrize(
    "size", [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
)
def test_convention_form(snap_compare, app, size):
    """The end before the signature: the error under Fin, the values typed around it."""
    assert snap_compare(app, terminal_size=size, run_before=typed("dossiersco", *CONVENTION))


def test_avenant_form(snap_compare, app):
    """From the Conventions tab: the parent chosen in the tree shown; a negative ceiling."""
    steps = ("v", "tab", "tab", "=2", "tab", "=Avenant 2", "tab", "tab", "=25/09/2018")
    steps += ("tab", "tab", "=30/06/2019", "tab", "=-5", "ctrl+s")
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=typed("classe-a-12", *steps, tab="2")
    )


def test_line_form(snap_compare, app):
    steps = ("l", "tab", "=-100", "tab", "=Hébergement", "ctrl+s")
    assert snap_compare(app, terminal_size=(80, 24), run_before=typed("classe-a-12", *steps))


def test_deadline_form(snap_compare, app):
    steps = ("n", "=30/02/2019", "tab", "=Comité d'investissement", "ctrl+s")
    assert snap_compare(app, terminal_size=(80, 24), run_before=typed("dossiersco", *steps))


def test_kpi_form(snap_compare, app):
    """``m`` on a startup without a KPI: the form that creates one, saying why."""
    steps = ("m", "=Enseignants inscrits", "tab", "=enseignants", "tab", "=beaucoup")
    steps += ("tab", "=01/09/2019", "ctrl+s")
    assert snap_compare(app, terminal_size=(80, 24), run_before=typed("classe-a-12", *steps))


def test_measurement_form(snap_compare, app):
    steps = ("m", "tab", "tab", "=cent vingt", "tab", "=rentrée 2018", "ctrl+s")
    assert snap_compare(app, terminal_size=(80, 24), run_before=typed("dossiersco", *steps))


def test_order_form(snap_compare, app):
    """``o``: EJ, supplier, the date kept, an amount that is not one; the convention in
    force chosen by default."""
    steps = ("o", "=1300012345", "tab", "=Octo Technology", "tab", "tab", "=abc", "ctrl+s")
    assert snap_compare(app, terminal_size=(80, 24), run_before=typed("classe-a-12", *steps))
