"""A long listing written line by line, in the look of ``render.table`` (rich's SIMPLE_HEAD).

Rich's ``Table`` measures and renders every cell through its whole layout machinery:
0.6–1.7 ms a row, half a second for the real portfolio's 662 startups.  A listing whose
cells are plain text needs much less: its column widths are the widest cell of each
(``rich.cells.cell_len``, bounded by the column's minimum and maximum), and each line is
the cells padded and joined.  The look is rich's own, byte for byte where rich's table
is not cut (a test holds the two equal): an edge space at each end, three spaces between
columns, a rule of ``─`` under the header, blank edge lines, the title and the caption
centred over the table, rich's default styles on a terminal.

Piped, a listing is written at its full width, never cut.  On a terminal it is fitted to
the width: the columns the caller names go first, then the flexible one (the titles)
gives way down to its minimum; the others (amounts, dates, alerts) are never cut.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from rich.cells import cell_len, set_cell_size

from commands.render.columns import Column

# rich's default theme for tables: what a terminal shows.
TITLE, CAPTION, HEADER, FOOTER = "italic", "dim italic", "bold", "bold"


@dataclass(frozen=True)
class Fit:
    """How to fit a listing to a terminal: which columns go first (by index), which one
    gives way then (down to ``least`` cells)."""

    drop: Sequence[int] = ()
    flexible: int | None = None
    least: int = 12


# Characters one cell wide each, by rich's own measure (a test holds it): printable ASCII,
# Latin letters and their signs (U+00A0–U+02FF, no combining mark), punctuation and
# spaces (U+2010–U+2027, U+202F–U+205F), the euro sign, arrows, the control pictures.
_NOT_SINGLE = re.compile(
    "[^\u0020-\u007e\u00a0-\u02ff\u2010-\u2027\u202f-\u205f\u20ac\u2190-\u21ff\u2400-\u2426]"
)


def size(text: str) -> int:
    """The cells ``text`` takes on a terminal: its length when every character is one cell
    wide (most cells, amounts and French names too: one C-speed test), else rich's
    measure (wide characters, combining marks)."""
    if text.isascii() and text.isprintable():
        return len(text)
    return len(text) if _NOT_SINGLE.search(text) is None else cell_len(text)


def widths(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    footer: Sequence[str] | None,
    sizes: Sequence[Sequence[int]] | None = None,
) -> list[int]:
    """Each column's natural width: its widest cell, within its minimum and maximum
    (``sizes``: each cell's, when already measured)."""
    if sizes is None:
        sizes = [[size(cell) for cell in row] for row in rows]
    result = []
    for i, column in enumerate(columns):
        widest = max((row[i] for row in sizes), default=0)
        widest = max(widest, size(column.header), size(footer[i]) if footer else 0)
        if column.min_width is not None:
            widest = max(widest, column.min_width)
        if column.max_width is not None:
            widest = min(widest, column.max_width)
        result.append(widest)
    return result


def total(ws: Iterable[int]) -> int:
    ws = list(ws)
    return sum(ws) + 3 * (len(ws) - 1) + 2 if ws else 0


def fit(ws: list[int], available: int, how: Fit) -> tuple[list[int], list[int]]:
    """The columns kept and their widths, to fit ``available`` cells where possible."""
    kept = list(range(len(ws)))
    ws = list(ws)
    for index in how.drop:
        if total(ws[i] for i in kept) <= available:
            break
        kept.remove(index)
    if how.flexible is not None and how.flexible in kept:
        over = total(ws[i] for i in kept) - available
        if over > 0:
            ws[how.flexible] = max(how.least, ws[how.flexible] - over)
    return kept, [ws[i] for i in kept]


def _cell(text: str, width: int, right: bool, cells: int | None = None) -> str:
    """``text`` padded (or cut) to ``width``; ``cells``: its size, when measured."""
    cells = size(text) if cells is None else cells
    if cells > width:  # cut with an ellipsis, as rich's overflow="ellipsis"
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cells)
    return pad + text if right else text + pad


def _annotation(text: str, style: str, width: int, styled: bool) -> str:
    """A title or a caption as rich writes it over a table: centred, wrapped to its width
    (rich itself does that rare wrapping)."""
    cells = size(text)
    if cells <= width:
        left = (width - cells) // 2
        line = " " * left + text + " " * (width - cells - left)
        return _sgr(line, style) if styled else line
    # A title wider than its table, a rare case: rich wraps it (~25 ms of imports that
    # the usual case does without).
    from rich.console import Console
    from rich.segment import Segment
    from rich.text import Text

    scratch = Console(
        file=io.StringIO(),
        width=width,
        color_system="standard" if styled else None,
        force_terminal=styled,
        highlight=False,
    )
    lines = scratch.render_lines(Text(text, style=style), scratch.options.update(justify="center"))
    for line in lines:
        scratch._buffer.extend(line)
        scratch._buffer.append(Segment.line())
    scratch._check_buffer()
    return scratch.file.getvalue().rstrip("\n")


# SGR codes of the styles a listing uses (ECMA-48): what rich writes for them.
_SGR = {"bold": "1", "dim": "2", "italic": "3"}


def _sgr(text: str, style: str) -> str:
    codes = ";".join(_SGR[word] for word in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


@dataclass(frozen=True)
class Output:
    """Where a listing goes: a file, its width when it is a terminal (None: piped, never
    cut) and whether to style it."""

    file: TextIO
    width: int | None = None
    styled: bool = False

    @classmethod
    def stdout(cls) -> Output:
        """Standard output as rich's console would see it (a terminal's width, no styles
        when NO_COLOR is set or TERM is dumb), without rich's console."""
        out = sys.stdout
        try:
            terminal = out.isatty()
        except (AttributeError, ValueError):
            terminal = False
        if not terminal:
            return cls(out)
        width = shutil.get_terminal_size((80, 25)).columns
        plain = "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"
        return cls(out, width, not plain)


def write(
    output: Output,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    footer: Sequence[str] | None = None,
    caption: str | None = None,
    how: Fit = Fit(),
) -> None:
    """The listing on ``output``: fitted to a terminal's width, whole when piped."""
    sizes = [[size(cell) for cell in row] for row in rows]
    natural = widths(columns, rows, footer, sizes)
    if output.width is not None:
        kept, ws = fit(natural, output.width, how)
    else:
        kept, ws = list(range(len(columns))), natural
    width = total(ws)
    rights = [columns[i].justify == "right" for i in kept]
    styled = output.styled
    layout = list(zip(kept, ws, rights, strict=True))

    def line(cells: Sequence[str], style: str | None = None) -> str:
        if style and styled:
            return " " + "   ".join(_sgr(_cell(cells[i], w, r), style) for i, w, r in layout) + " "
        return " " + "   ".join(_cell(cells[i], w, r) for i, w, r in layout) + " "

    blank = " " * width
    out = []
    if title:
        out.append(_annotation(title, TITLE, width, styled))
    out.append(blank)
    out.append(line([c.header for c in columns], HEADER))
    out.append(" " + "─" * (width - 2) + " ")
    for row, measured in zip(rows, sizes, strict=True):
        out.append(" " + "   ".join(_cell(row[i], w, r, measured[i]) for i, w, r in layout) + " ")
    if footer is not None:
        out.append(blank)
        out.append(line(footer, FOOTER))
    out.append(blank)
    if caption:
        out.append(_annotation(caption, CAPTION, width, styled))
    output.file.write("\n".join(out) + "\n")
