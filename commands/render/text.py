"""Where data becomes text: the one place every renderer passes what comes from data.

Titles, labels, slugs, parties and evidence lines come from files and from people: they
are shown as text, never as Rich or Textual markup (``rich.text.Text`` is built from
them, no markup parsed), and no control character of theirs ever acts on a terminal or
lands in a file meant for people (``store.rules.text.visible``).
"""

from __future__ import annotations

from rich.text import Text

from store.rules.text import visible

__all__ = ["text", "visible"]


def text(value: object, style: str | None = None, *, multiline: bool = False) -> Text:
    """Data as a rich ``Text`` (never markup), made visible."""
    return Text(visible(value, multiline=multiline), style=style or "", end="")
