"""One language in the app: each screen, in French and in English, shows no message of the
other language (the distinctive msgids and msgstrs of the ``app`` catalog)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from tui_support import settle

import i18n
from store.rules import vocab
from tui.app import StartupsApp

AS_OF = dt.date(2018, 9, 15)
CATALOGS = Path(i18n.LOCALE_DIR) / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"\{[^}]*\}|\n")


def _pairs() -> list[tuple[str, str]]:
    """(English, French) of every message of the app catalog, plural forms included."""
    with open(CATALOGS / "app.po", "rb") as po:
        catalog = read_po(po)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs.extend((en, fr) for en in ids for fr in strings)
    return pairs


def _fragments(text: str) -> set[str]:
    """The words of a message between its placeholders, trimmed of spaces and signs."""
    found = set()
    for piece in PLACEHOLDER.split(text):
        piece = piece.strip(" ·:()/…—→+,.?!«»#\u00a0\u202f")
        if len(piece) >= 4 and any(c.isalpha() for c in piece):
            found.add(piece)
    return found


def _data_text(db: Path) -> str:
    """Every text the demo store holds (titles, labels, notes: French data in both languages),
    and the store's own words (phases, alerts, natures), which are not the app's."""
    con = sqlite3.connect(db)
    try:
        texts = []
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        for table in tables:
            for row in con.execute(f'select * from "{table}"'):
                texts.extend(str(v) for v in row if isinstance(v, str))
    finally:
        con.close()
    for name in dir(vocab):
        value = getattr(vocab, name)
        if isinstance(value, dict):
            for label in value.values():
                texts.extend(label if isinstance(label, tuple) else (str(label),))
    with open(CATALOGS / "store.po", "rb") as po:
        texts.extend(str(m.string) for m in read_po(po) if m.id)
    return "\n".join(texts)


def _forbidden(language: str, data: str) -> dict[str, re.Pattern]:
    """The fragments only the other language writes (not the same in both, not data)."""
    pairs = _pairs()
    english = {f for en, _ in pairs for f in _fragments(en)}
    french = {f for _, fr in pairs for f in _fragments(fr)}
    other, own = (french, english) if language == "en" else (english, french)
    found = {}
    for fragment in other - own:
        if fragment in data or any(fragment in mine for mine in own):
            continue
        found[fragment] = re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)")
    return found


def screen_text(app) -> str:
    """What the terminal shows, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips).replace("\u202f", " ")


async def _visit(pilot, shown: list[tuple[str, str]]) -> None:
    """Every screen: the portfolio, the palette, a startup's tabs, each form (and a list
    open in it), the import dialog, time travel, the agenda, the help."""

    async def look(what: str, *keys: str) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        shown.append((what, screen_text(pilot.app)))

    await settle(pilot)
    await look("portfolio")
    await look("palette", "ctrl+p")
    await look("palette search", *"open")
    await look("portfolio again", "escape", "escape")
    await look("time travel", "t")
    await look("time travel error", "ctrl+a", *"32/13/2018", "enter")
    await look("portfolio after time travel", "escape")
    await look("import", "i")
    await look("import error", "enter")
    await look("portfolio after import", "escape")
    await look("agenda", "d", "w")
    await look("help", "question_mark")
    await look("agenda after help", "escape")
    await look("portfolio after agenda", "escape")
    pilot.app.action_open_startup("classe-a-12")
    await settle(pilot)
    for tab in "123456":
        await look(f"startup tab {tab}", tab)
    await look("startup again", "1")
    for key, form in (("c", "convention"), ("v", "avenant"), ("l", "line"), ("n", "deadline")):
        await look(f"{form} form", key)
        await look(f"{form} form error", "ctrl+s")
        await look(f"startup after {form} form", "escape")
    await look("kpi form", "k")
    await look("kpi form error", "ctrl+s")
    await look("startup after k", "escape")
    await look("kpi form from m", "m")  # Classe à 12 has no KPI yet
    await look("kpi form list open", "tab", "tab", "tab", "tab", "enter")
    await look("kpi form list closed", "escape")
    await look("startup after kpi form", "escape")
    await look("edit without a kpi", "e")
    pilot.app.action_open_startup("dossiersco")
    await settle(pilot)
    for tab in "123456":
        await look(f"dossiersco tab {tab}", tab)
    await look("measure form", "1", "m")
    await look("measure form error", "tab", "ctrl+a", "backspace", "ctrl+s")
    await look("dossiersco after measure form", "escape")
    await look("kpi edit form", "e")
    await look("dossiersco after kpi edit", "escape")
    await look("order form", "o")
    await look("order form error", "ctrl+s")
    await look("order form saved", *"1000", "ctrl+s")  # the error gave the amount the focus
    await look("orders tab with an order", "6")
    await look("service fait form", "f")
    await look("service fait form error", *"x", "ctrl+s")  # the date, now "15/09/2018x"
    await look("orders after service fait form", "escape")
    await look("payment form", "p")
    await look("orders after payment", "ctrl+s")
    texts = dict(shown)
    assert "Service fait —" in texts["service fait form"]  # the order was saved, then chosen
    assert "█" in texts["payment form"]  # a form, not a notice that no order is chosen


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_each_screen_speaks_one_language(demo_db, language):
    i18n.use(language)
    forbidden = _forbidden(language, _data_text(demo_db))
    assert len(forbidden) > 100  # the catalog's distinctive words, not an empty check
    app = StartupsApp(str(demo_db), AS_OF, theme="textual-dark")
    shown: list[tuple[str, str]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _visit(pilot, shown)
    assert len(shown) > 30
    wrong = [
        (what, fragment)
        for what, text in shown
        for fragment, pattern in forbidden.items()
        if pattern.search(text)
    ]
    assert not wrong, wrong
    # The screens say what they should, in the language asked for.
    everything = "\n".join(text for _, text in shown)
    expected = (
        ["Quitter", "Enregistrer", "Chercher une commande", "Fermer la liste", "Échéances"]
        if language == "fr"
        else ["Quit", "Save", "Search for commands", "Dismiss menu", "Deadlines"]
    )
    for words in expected:
        assert words in everything, (words, language)
