"""Where data becomes text: the one place every renderer passes what comes from data.

Titles, labels, slugs, parties and evidence lines come from files and from people: they
are shown as text, never as Rich or Textual markup (``rich.text.Text`` is built from
them, no markup parsed), and no control character of theirs ever acts on a terminal or
lands in a file meant for people: C0 and C1 controls (escape sequences start with ESC,
U+001B, or CSI, U+009B) and the bidirectional overrides that reorder what is shown are
replaced by visible stand-ins.  A multi-line field keeps its line breaks.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides
# and isolates (U+202A–U+202E, U+2066–U+2069) with the implicit marks (U+200E, U+200F).
_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ACTIVE_OR_BREAK = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _stand_in(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␤ for a newline, ␉ for a tab…
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(value: object, *, multiline: bool = False) -> str:
    """``value`` as text whose every character is seen, none acting: a control character
    or a bidi override is replaced by a visible stand-in (``␛``, ``<U+202E>``).  A
    single-line field shows its line breaks and tabs too; ``multiline`` keeps them."""
    text = "" if value is None else str(value)
    pattern = _ACTIVE if multiline else _ACTIVE_OR_BREAK
    if pattern.search(text) is None:
        return text
    if multiline:
        text = text.replace("\r\n", "\n")
    return pattern.sub(_stand_in, text)


def text(value: object, style: str | None = None, *, multiline: bool = False) -> Text:
    """Data as a rich ``Text`` (never markup), made visible."""
    return Text(visible(value, multiline=multiline), style=style or "", end="")
