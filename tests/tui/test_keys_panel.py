"""Textual's keys panel (palette → « Touches ») lists every key of the focused widget and
its screen, the hidden ones and Textual's own too: each one in the language of the
moment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets._key_panel import BindingsTable
from tui_support import settle

import i18n
from commands.brief import render_briefs
from tui.app import StartupsApp
from tui.language import TEXTUAL_WORDS

AS_OF = dt.date(2018, 9, 15)
CATALOG = Path(i18n.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "app.po"


def panel_text(app) -> list[str]:
    table = app.screen.query_one(BindingsTable).render_bindings_table()
    # The descriptions, as the panel renders them (the second column).
    cells = table.columns[1]._cells
    return [str(cell).strip() for cell in cells if str(cell).strip()]


async def open_panel(pilot) -> list[str]:
    pilot.app.action_show_help_panel()
    await settle(pilot)
    return panel_text(pilot.app)


PLACES = {
    "portfolio": [],
    "filter": ["slash"],
    "startup": ["enter"],
    "tabs": ["enter", "2"],
    "form": ["enter", "l"],
    "committee form": ["enter", "D"],
    "brief": ["enter", "b"],
    "history": ["enter", "h"],
    "phases": ["p"],
}


def french_words() -> set[str]:
    """Every French message of the app's catalog (and the words the same in both)."""
    from babel.messages.pofile import read_po

    with open(CATALOG, "rb") as f:
        return {m.string for m in read_po(f) if m.id and isinstance(m.string, str) and m.string}


def in_french(description: str, words: set[str]) -> bool:
    """A description, and its tooltip after it, is one of the catalog's French words."""
    return any(description == w or description.startswith(w + " ") for w in words)


@pytest.mark.parametrize("place", list(PLACES))
async def test_every_key_in_french(demo_db, place):
    english = {_w for _w in TEXTUAL_WORDS if i18n.Domain("app").gettext(_w) != _w}
    words = french_words()
    app = StartupsApp(str(demo_db), AS_OF, brief_renderer=render_briefs)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in PLACES[place]:
            await pilot.press(key)
            await settle(pilot)
        shown = await open_panel(pilot)
    assert shown
    left = [d for d in shown if d in english or not in_french(d, words)]
    assert not left, (place, left)


async def test_every_key_in_english(demo_db):
    i18n.use("en")
    app = StartupsApp(str(demo_db), AS_OF, brief_renderer=render_briefs)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "l")  # a form, its first field focused
        await settle(pilot)
        shown = await open_panel(pilot)
    assert "Input" in shown and "Delete character left" in shown and "Save" in shown
    assert "Saisie" not in shown and "Enregistrer" not in shown
