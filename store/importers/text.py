"""Bytes from a file as text: the one decoder every importer uses.

Real exports and texts come as UTF-8 (with or without a BOM), UTF-16 with a BOM (some
spreadsheets), or what Windows calls "Latin-1", i.e. Windows-1252, which has € and ’
where Latin-1 has invisible control characters.
"""

from __future__ import annotations

import codecs

UTF8 = "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-16 with a BOM, else UTF-8 (BOM or not), else Windows-1252,
    else Latin-1 (which never fails: every byte is a character).  The encoding is
    ``utf-8`` unless the bytes were not UTF-8, so that a caller can be stricter then."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
