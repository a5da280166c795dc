"""Markdown tables, for notes and tickets: values are text.

A value's pipes are escaped and its ``<`` written as an entity (no raw HTML passes
through), its line breaks and control characters made visible: a row stays one row.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.rules.text import visible


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(value: str) -> str:
    return visible(value).replace("|", "\\|").replace("<", "&lt;")


def table(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] = (),
    footer: Sequence[str] | None = None,
) -> str:
    """A titled table; ``right`` says which columns are aligned right; the footer is bold."""
    out = [f"# {title}", "", _line(header)]
    out.append(
        "|"
        + "|".join("---:" if i < len(right) and right[i] else "---" for i in range(len(header)))
        + "|"
    )
    out += [_line(r) for r in rows]
    if footer is not None:
        out.append(_line([f"**{c}**" if c else "" for c in footer]))
    return "\n".join(out) + "\n"
