"""The rows of a CSV export, streamed: its encoding, its separator, its physical lines.

The encoding is chosen as ``store.importers.text.decode`` chooses it (UTF-16 with a BOM,
else UTF-8 with or without a BOM, else Windows-1252, else Latin-1), but by reading the file
in chunks rather than decoding it whole, so that memory never holds the file's text; a test
holds the two choices equal.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import IO

import i18n

_ = i18n.Domain("store").gettext

CHUNK = 1 << 20
DELIMITERS = (";", ",", "\t", "|")
# What decode() tries, in order, after UTF-16 (which needs its BOM).
_CANDIDATES = ("utf-8-sig", "cp1252")


def pick_encoding(source: IO[bytes]) -> str:
    """The encoding ``decode()`` would give these bytes (``utf-8-sig`` for UTF-8)."""
    source.seek(0)
    start = source.read(2)
    candidates: tuple[str, ...] = _CANDIDATES
    if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        candidates = ("utf-16", *candidates)
    for encoding in candidates:
        source.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := source.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def encoding_name(encoding: str) -> str:
    """How ChorusFile names the encoding (as decode() does: ``utf-8``, not ``utf-8-sig``)."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


def text_stream(source: IO[bytes], encoding: str) -> IO[str]:
    source.seek(0)
    return io.TextIOWrapper(source, encoding=encoding, newline="")


def head_lines(stream: IO[str], limit: int, max_chars: int) -> list[str]:
    """Up to ``limit`` non-blank physical lines from the start, in at most ``max_chars``."""
    lines: list[str] = []
    read = 0
    while len(lines) < limit and read < max_chars:
        line = stream.readline(max_chars - read)
        if not line:
            break
        read += len(line)
        if line.strip():
            lines.append(line)
    return lines


def forced_delimiter(first_line: str) -> str | None:
    """Excel's ``sep=;`` first line, when there is one."""
    stripped = first_line.strip().lstrip("\ufeff")
    if len(stripped) == 5 and stripped.lower().startswith("sep="):
        return stripped[4]
    return None


def rows(stream: IO[str], delimiter: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """``(first physical line, fields, None)`` per record; a record that cannot be parsed
    ends the file with ``(line, None, reason)``."""
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    last = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last + 1, None, _("cannot be read as CSV ({error})").format(error=exc)
            return
        yield last + 1, record, None
        last = reader.line_num
