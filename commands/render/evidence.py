"""A convention's extraction as a person checks it: each field, its value, and the line of
the text that says it (``startups import convention``'s preview)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

import i18n
from commands.render.table import Column, table
from commands.render.text import text
from store.importers.convention.plan import evidence_rows

_ = i18n.Domain("cli").gettext


def preview(extraction: dict, console: Console) -> None:
    name = Path(extraction.get("file") or "").name
    columns = [
        Column(_("Field")),
        Column(_("Value"), no_wrap=False, overflow="fold", max_width=36),
        Column(_("Evidence (line: text)"), no_wrap=False, overflow="fold", ratio=1),
    ]
    rows = [[row.field, row.value, row.excerpt(90)] for row in evidence_rows(extraction)]
    t = table(columns, rows)
    t.title = text(f"{name} ({extraction.get('kind') or '?'})")
    console.print(t)
