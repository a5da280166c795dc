"""Text from data as people compare it and see it.

``fold`` and its variants compare names and values as people mean them (case, accents
and spaces aside).  ``visible`` is what every face (the command line, the app) shows of
a value that comes from data: its control characters and bidi overrides replaced by
visible stand-ins, so that none ever acts on a terminal (ESC and CSI start escape
sequences; U+202E reverses what follows).
"""

from __future__ import annotations

import re
import unicodedata

# The combining marks NFKD leaves after Latin, Greek and Cyrillic letters (é → e + U+0301),
# deleted by str.translate: about 10× faster than testing each character in Python, which
# matters when the app folds 10,000 startups' names for its filter.
_COMBINING = {
    code: None
    for start, end in ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100))
    for code in range(start, end)
    if unicodedata.combining(chr(code))
} | {code: None for code in range(0xFE20, 0xFE30)}


def fold(text: str) -> str:
    """Lower case, no accents, no surrounding spaces: how names and values are compared."""
    return unicodedata.normalize("NFKD", text.strip().casefold()).translate(_COMBINING)


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> str:
    """Folded, punctuation as single spaces: ``Classe à 12 !`` → ``classe a 12``."""
    return " ".join(_NOT_ALNUM.sub(" ", fold(text)).split())


def fold_compact(text: str | None) -> str:
    """Folded, letters and digits only: « Classe à 12 » and ``classe-a-12`` are equal."""
    return _NOT_ALNUM.sub("", fold(text)) if text else ""


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


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` as a field is stored: without control characters nor bidi overrides, line
    breaks and tabs made spaces in a single-line field (kept in a multi-line one),
    surrounding spaces trimmed.  The importers clean single-line fields with it (and say so)."""
    text = value if multiline else _BREAKS.sub(" ", value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text).strip()
