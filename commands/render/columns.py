"""A listing's column: what ``render.table`` (rich) and ``render.lines`` both lay out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "left"
    no_wrap: bool = True
    overflow: str = "ellipsis"
    min_width: int | None = None
    max_width: int | None = None
    ratio: int | None = None
    footer: str = ""
    style: str | None = None
