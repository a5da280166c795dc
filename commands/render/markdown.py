"""Markdown tables, for notes and tickets: values are text, their pipes escaped."""

from __future__ import annotations

from collections.abc import Sequence

from commands.render.text import visible


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(visible(c).replace("|", "\\|") for c in cells) + " |"


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
