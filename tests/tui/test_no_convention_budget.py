"""The app's budget summary of a startup with no convention: « aucune convention en
vigueur » and a dash for every sum of nothing recorded, never 0 €."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from rich.console import Console

import i18n
from store.open import open_reader, open_store
from store.ops.ledger import add_expense
from store.queries.browse import startup_card
from tui.screens.startup import budget_summary

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ON = dt.date(2026, 12, 1)


def _text(table) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(table)
    return console.file.getvalue()


def _summary(db: Path) -> str:
    reader = open_reader(str(db))
    try:
        return _text(budget_summary(startup_card(reader, "basegun", ON)))
    finally:
        reader.close()


def test_a_startup_with_no_convention_shows_no_zero(run, demo_db):
    assert run("import", "betagouv", FIXTURES / "betagouv", "--db", demo_db).code in (0, 1)
    shown = _summary(demo_db)
    assert "aucune convention en vigueur" in shown
    assert "0 €" not in shown and "—" in shown
    store = open_store(str(demo_db), create=False)
    with store.session() as session:
        add_expense(session, "basegun", date=dt.date(2026, 11, 2), amount_cents=120000, label="x")
    store.dispose()
    shown = _summary(demo_db)
    assert "1\u202f200\u00a0€" in shown  # outside any convention: the real sum
    i18n.use("en")
    shown = _summary(demo_db)
    assert "no convention in force" in shown and "€0" not in shown and "€1,200" in shown
