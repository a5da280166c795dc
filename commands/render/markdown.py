"""Markdown tables, for notes and tickets: values are text.

A value's pipes are escaped and its ``<`` written as an entity (no raw HTML passes
through), its line breaks and control characters made visible: a row stays one row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from store.rules.text import visible


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(value: str) -> str:
    return visible(value).replace("|", "\\|").replace("<", "&lt;")


def lines(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    right: Sequence[bool] = (),
    footer: Callable[[], Sequence[str]] | Sequence[str] | None = None,
) -> Iterator[str]:
    """A titled table, a line at a time as its rows come; ``right`` says which columns are
    aligned right; the footer (or what it returns, once the rows are read) is bold."""
    yield f"# {title}\n\n"
    yield _line(header) + "\n"
    yield (
        "|"
        + "|".join("---:" if i < len(right) and right[i] else "---" for i in range(len(header)))
        + "|\n"
    )
    for row in rows:
        yield _line(row) + "\n"
    if footer is not None:
        cells = footer() if callable(footer) else footer
        yield _line([f"**{c}**" if c else "" for c in cells]) + "\n"


def table(
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    right: Sequence[bool] = (),
    footer: Sequence[str] | None = None,
) -> str:
    """The whole table as one string (see ``lines``)."""
    return "".join(lines(title, header, rows, right=right, footer=footer))
