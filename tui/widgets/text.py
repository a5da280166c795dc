"""Where data becomes text in the app: a Rich ``Text`` built from the value, never markup.

Textual reads a plain ``str`` given to a ``DataTable`` cell, a ``Static`` or a
notification as markup: a title ending in ``[@click=app.screenshot()]`` would become a
live action.  Everything from a file or a person is passed through ``plain`` (or a
widget is told ``markup=False``), and its control characters are made visible
(``store.rules.text.visible``) so that none acts on the terminal.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from store.rules.text import visible


def plain(
    value: object, style: str | Style = "", *, multiline: bool = False, end: str = ""
) -> Text:
    """``value`` as text, whatever it holds (``None`` is empty); ``end="\\n"`` for a line
    of a group (a cell of a table ends with nothing)."""
    return Text(visible(value, multiline=multiline), style=style, end=end)
