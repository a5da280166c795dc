"""Listings as rich tables (``report``, ``deadlines``, ``show``'s sections, import previews).

Cells that come from data are made ``Text`` by ``render.text`` (never markup); a cell a
command styles itself is a ``Text`` already.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from commands.render.columns import Column
from commands.render.text import text

__all__ = ["Column", "cell", "table"]


Cell = str | Text


def cell(value: Cell | None) -> Text:
    return value if isinstance(value, Text) else text("" if value is None else value)


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    caption: str | None = None,
    show_footer: bool = False,
    title_justify: str = "center",
    row_styles: Sequence[str | None] | None = None,
) -> Table:
    """A table in the house style (a simple head rule, no outer padding)."""
    t = Table(
        title=title,
        caption=caption,
        show_footer=show_footer,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title_justify=title_justify,
    )
    for c in columns:
        t.add_column(
            c.header,
            footer=c.footer,
            justify=c.justify,
            no_wrap=c.no_wrap,
            overflow=c.overflow,
            min_width=c.min_width,
            max_width=c.max_width,
            ratio=c.ratio,
            style=c.style,
        )
    for i, row in enumerate(rows):
        style = row_styles[i] if row_styles is not None else None
        t.add_row(*(cell(v) for v in row), style=style)
    return t
