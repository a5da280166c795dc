"""Data never acts in the app: markup shows as written, escapes as visible stand-ins.

A title ending in ``[@click=app.screenshot(...)]`` must stay words on the screen, never a
live action; an OSC 52 sequence must never reach the terminal (it would write the
clipboard on merely opening the app).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hostile import SLUG, hostile_store
from tui_support import settle

from tui.app import StartupsApp

SIZE = (200, 50)
DAY = dt.date(2018, 6, 15)


@pytest.fixture
def hostile_app(tmp_path):
    return StartupsApp(str(hostile_store(tmp_path / "hostile.db")), DAY)


def shown(app) -> str:
    """What the screen shows, as the text of every line (the SVG's text, unescaped)."""
    import html
    import re

    svg = app.export_screenshot()
    words = re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)
    return html.unescape("".join(words)).replace("\xa0", " ")


def assert_inert_screen(app) -> None:
    screen = shown(app)
    assert "␛" in screen  # the escapes are there, made visible
    for active in ("\x1b", "\x9b", "\u202e", "\x07"):
        assert active not in screen
    # No live action or link came from the data: the screen's content has none.
    for widget in app.screen.query("*"):
        for attribute in ("renderable", "_content"):
            value = getattr(widget, attribute, None)
            spans = getattr(value, "spans", None) or ()
            for span in spans:
                meta = getattr(getattr(span, "style", None), "meta", None) or {}
                assert "@click" not in meta, (widget, meta)


async def test_every_screen_shows_hostile_data_as_text(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "[bold red blink]rouge[/]" in shown(app)
        assert_inert_screen(app)
        await pilot.press("enter")  # the startup
        await settle(pilot)
        assert app.screen.slug == SLUG
        for tab in "12345":
            await pilot.press(tab)
            await settle(pilot)
            assert_inert_screen(app)
            if tab in "245":  # conventions (detail, evidence), deadlines, consumption
                assert "[@click=app.screenshot(" in shown(app), tab
        await pilot.press("escape", "d")  # the portfolio's deadlines
        await settle(pilot)
        assert "[link=file:///etc/passwd]" in shown(app)
        assert_inert_screen(app)
    # Nothing was written by a click that markup could have made.
    assert not list(__import__("pathlib").Path("/tmp").glob("x.svg"))
