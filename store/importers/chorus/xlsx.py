"""The rows of an ``.xlsx`` workbook, streamed, with the values openpyxl gives.

openpyxl opens the workbook: the package, its sheets, the shared strings and which styles
are dates.  The sheet's rows are then streamed from the zip member in chunks of whole rows,
so memory holds one chunk, never the sheet.  openpyxl's own row reader
(``ReadOnlyWorksheet.iter_rows``) measured 24 s of CPU for 100,000 rows of 27 cells here,
against 10 s for a whole import: so the rows Excel and openpyxl write (``<c r="A1" s="1"
t="s"><v>3</v></c>``, inline strings) are matched by one regular expression, and a chunk
with anything else in it (formulas, rich text, entities, comments, prefixes, cells
without a reference) goes through openpyxl's ``WorkSheetParser``, which reads all of XML.
Both give the values ``iter_rows(values_only=True)`` gives (a test holds them equal):
text, int, float, bool, datetime, or the error's text (``#N/A``).

openpyxl's ``load_workbook(read_only=True)`` is not used as is: for a sheet without a
``<dimension>`` (openpyxl's own write-only files) it parses the whole sheet once just to
size it, before the first row.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import i18n
from store import fmt
from store.errors import BadInput

_ = i18n.Domain("store").gettext

# A sheet's rows come in chunks of about this many bytes (whole rows).
CHUNK = 1 << 18
# A single row, or the part before the rows, larger than this is not an export's.
MAX_ROW_BYTES = 16 << 20
# The shared strings are held in memory: a table larger than this (uncompressed) is refused.
MAX_SHARED_STRINGS_BYTES = 64 << 20

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKSHEET_REL = "/worksheet"

# One cell as Excel, LibreOffice and openpyxl write it: its reference first, attributes
# in double quotes, then nothing, a value, or an inline string.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [A-Za-z]+="[^"<>&]*")*)'
    rb"(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space=\"preserve\")?>([^<]*)</t></is>)?</c>)"
)
_ATTRIBUTE = re.compile(rb'([A-Za-z]+)="([^"]*)"')
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")
_START_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*)\b[^>]*>")
_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?sheetData)\b[^>]*?(/?)>")
_DEFAULT_NS = re.compile(rb'\sxmlns="([^"]*)"')
_ENCODING = re.compile(rb"""^<\?xml[^>]*\bencoding=["']([A-Za-z0-9._-]+)["']""")


class SheetError(ValueError):
    """A sheet that cannot be read; the message says where and why."""


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


@dataclass
class Sheet:
    """One worksheet: its title, and a way to stream its rows."""

    title: str
    path: str
    book: Workbook

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """``(row number, values)`` for every row that has cells; values[0] is column A."""
        return self.book.rows(self.path)


class Workbook:
    """An open ``.xlsx``: its worksheets in order, sharing one zip archive."""

    def __init__(self, source: IO[bytes]):
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml.constants import SHARED_STRINGS

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = ExcelReader(source, read_only=True, data_only=True)
            reader.read_manifest()
            part = reader.package.find(SHARED_STRINGS)
            member = part.PartName[1:] if part is not None else None
            if member is not None and member in reader.valid_files:
                size = reader.archive.getinfo(member).file_size
                if size > MAX_SHARED_STRINGS_BYTES:
                    raise SheetError(
                        _(
                            "its shared strings take {size} MiB, over the {limit} MiB a "
                            "workbook may have"
                        ).format(
                            size=fmt.number(size >> 20),
                            limit=fmt.number(MAX_SHARED_STRINGS_BYTES >> 20),
                        )
                    )
                table = _plain_strings(reader.archive.read(member))
                if table is None:
                    reader.read_strings()
                else:
                    reader.shared_strings = table
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.sheets = [
                Sheet(sheet.name, rel.target, self)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and rel.Type.endswith(WORKSHEET_REL)
            ]
        self.archive: zipfile.ZipFile = reader.archive
        self.strings = reader.shared_strings
        self.epoch = reader.wb.epoch
        self.date_styles = frozenset(reader.wb._date_formats)
        self.timedelta_styles = frozenset(reader.wb._timedelta_formats)
        self._dates: dict[tuple[float, int], Any] = {}
        # A shared string's index as written (b"12") → the string: no int() per cell.
        self._shared: dict[bytes, str] = {}

    # --- streaming ---------------------------------------------------------------------

    def rows(self, path: str) -> Iterator[tuple[int, list[Any]]]:
        with self.archive.open(path) as source:
            buffer, head, tail, fast = self._prolog(source)
            if head is None:
                return
            data_end = tail[: tail.index(b">") + 1]  # </sheetData>, prefixed as in the file
            last_row = 0
            while True:
                chunk = source.read(CHUNK)
                buffer += chunk
                stop = buffer.find(data_end)
                if stop >= 0:
                    part, cut = buffer[:stop], stop
                else:
                    match = None
                    end = buffer.rfind(b"row>")
                    if end >= 0:  # the last "</row>" (or "</x:row>") in the buffer
                        start = buffer.rfind(b"</", 0, end)
                        match = _ROW_END.match(buffer, start) if start >= 0 else None
                    cut = match.end() if match else 0
                    part = buffer[:cut]
                if not chunk and stop < 0 and b"<c" in buffer[cut:]:
                    raise SheetError(
                        _("it ends inside a row after row {row} (a damaged file?)").format(
                            row=last_row
                        )
                    )
                if part.strip():
                    rows = self._fast(part) if fast else None
                    if rows is None:
                        rows = self._exact(head + part + tail, last_row)
                    for number, values in rows:
                        last_row = number
                        yield number, values
                if stop >= 0 or not chunk:
                    return
                buffer = buffer[cut:]
                if len(buffer) > MAX_ROW_BYTES:
                    raise SheetError(
                        _("a row after row {row} is larger than {limit} MiB").format(
                            row=last_row, limit=fmt.number(MAX_ROW_BYTES >> 20)
                        )
                    )

    def _prolog(self, source: IO[bytes]) -> tuple[bytes, bytes | None, bytes, bool]:
        """Read up to the rows: what is left after ``<sheetData>``, the start tags to wrap a
        chunk in (None if there are no rows), the end tags, and whether the fast path fits."""
        buffer = b""
        while True:
            found = _SHEET_DATA.search(buffer)
            if found:
                break
            chunk = source.read(CHUNK)
            if not chunk:
                return b"", None, b"", False
            buffer += chunk
            if len(buffer) > MAX_ROW_BYTES:
                raise SheetError(
                    _("no rows in its first {limit} MiB").format(
                        limit=fmt.number(MAX_ROW_BYTES >> 20)
                    )
                )
        prolog = buffer[: found.start()]
        if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
            raise SheetError(_("it declares a DTD, which a workbook's sheet never does"))
        if found.group(2):  # <sheetData/>
            return b"", None, b"", False
        root = _START_TAG.search(prolog, prolog.find(b"<", 1) if prolog.startswith(b"<?") else 0)
        if root is None:
            raise SheetError(_("its sheet has no root element"))
        encoding = _ENCODING.match(prolog)
        namespace = _DEFAULT_NS.search(root.group())
        fast = (
            (encoding is None or encoding.group(1).lower() in (b"utf-8", b"utf8"))
            and namespace is not None
            and namespace.group(1) == MAIN_NS
            and b":" not in found.group(1)
        )
        declaration = prolog[: prolog.index(b"?>") + 2] if prolog.startswith(b"<?") else b""
        head = declaration + root.group() + found.group()
        tail = b"</" + found.group(1) + b"></" + root.group(1) + b">"
        return buffer[found.end() :], head, tail, fast

    def _fast(self, part: bytes) -> list[tuple[int, list[Any]]] | None:
        """The rows of ``part`` if every cell in it has the plain shape, else None."""
        if b"&" in part or b"<!" in part or b"<?" in part or b"\r" in part or b":c" in part:
            return None
        cells = _CELL.findall(part)
        if len(cells) != part.count(b"<c"):
            return None
        strings, dates, shared = self.strings, self.date_styles, self._shared
        kinds = _KINDS
        indexes = _INDEXES
        out: list[tuple[int, list[Any]]] = []
        current = b""
        values: list[Any] = []
        try:
            for letters, row, attributes, value, inline in cells:
                if row != current:
                    values = []
                    out.append((int(row), values))
                    current = row
                index = indexes.get(letters)
                if index is None:
                    index = indexes[letters] = _column_index(letters)
                kind = kinds.get(attributes)
                if kind is None:
                    kind = kinds[attributes] = _kind(attributes)
                data_type, style = kind
                if data_type == "s" and value:  # the most common cell: a shared string
                    cell = shared.get(value)
                    if cell is None:
                        cell = strings[int(value)]
                        if len(shared) < _SHARED_CACHE:
                            shared[value] = cell
                elif data_type == "inlineStr":
                    if not inline:
                        return None  # <is> absent or empty: openpyxl's reader decides
                    cell: Any = inline.decode("utf-8")
                elif not value:
                    cell = None
                elif data_type == "n":
                    number = value.decode("ascii")
                    cell = (
                        float(number)
                        if "." in number or "E" in number or "e" in number
                        else int(number)
                    )
                    if style in dates:
                        cell = self._date(cell, style)
                elif data_type == "b":
                    cell = bool(int(value))
                elif data_type in ("str", "e"):
                    cell = value.decode("utf-8")
                else:  # "d" and anything new: openpyxl's reader decides
                    return None
                if index == len(values):
                    values.append(cell)
                elif index > len(values):
                    values.extend([None] * (index - len(values)))
                    values.append(cell)
                else:
                    values[index] = cell
        except (ValueError, IndexError, UnicodeDecodeError):
            return None  # let the exact path find what is wrong, and say it
        return out

    def _date(self, value: float, style: int) -> Any:
        key = (value, style)
        found = self._dates.get(key)
        if found is None:
            from openpyxl.utils.datetime import from_excel

            try:
                found = from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
            except (OverflowError, ValueError):
                found = "#VALUE!"  # as openpyxl's reader does
            if len(self._dates) < 100_000:  # a sheet's dates repeat: each is converted once
                self._dates[key] = found
        return found

    def _exact(self, xml: bytes, last_row: int) -> list[tuple[int, list[Any]]]:
        """The rows of a chunk read by openpyxl's worksheet parser (all of XML)."""
        from openpyxl.worksheet._reader import WorkSheetParser

        parser = WorkSheetParser(
            io.BytesIO(xml),
            self.strings,
            data_only=True,
            epoch=self.epoch,
            date_formats=self.date_styles,
            timedelta_formats=self.timedelta_styles,
        )
        parser.row_counter = last_row
        out: list[tuple[int, list[Any]]] = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for number, cells in parser.parse():
                    values: list[Any] = []
                    for cell in cells:
                        index = cell["column"] - 1
                        if index >= len(values):
                            values.extend([None] * (index + 1 - len(values)))
                        values[index] = cell["value"]
                    out.append((number, values))
        except Exception as exc:  # a malformed sheet: whatever the XML parser raised
            raise SheetError(
                _("row {row} or the next ones cannot be read ({reason})").format(
                    row=last_row + 1, reason=f"{type(exc).__name__}: {str(exc)[:80]}"
                )
            ) from None
        return out


# The shared strings as Excel writes them: plain text, no formatting runs.
_PLAIN_STRING = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(match: re.Match[str]) -> str:
    if match[1]:
        return _NAMED[match[1]]
    return chr(int(match[2]) if match[2] else int(match[3], 16))


def _plain_strings(data: bytes) -> list[str] | None:
    """The shared string table if every entry is plain text, as openpyxl's
    ``read_string_table`` reads it (about ten times faster); None to let openpyxl read it."""
    start = data.find(b"<sst")
    root = _START_TAG.match(data, start) if start >= 0 else None
    if root is None or b"<!" in data or b"\r" in data:
        return None
    namespace = _DEFAULT_NS.search(root.group())
    if namespace is None or namespace.group(1) != MAIN_NS:
        return None
    found = _PLAIN_STRING.findall(data, root.end())
    if len(found) != data.count(b"<si"):
        return None
    strings = []
    try:
        for raw in found:
            value = raw.decode("utf-8")
            if "&" in value:
                if value.count("&") != len(_ENTITY.findall(value)):
                    return None  # not one of XML's own entities: openpyxl's reader says why
                value = _ENTITY.sub(_entity, value)
            strings.append(value.replace("x005F_", ""))
    except (UnicodeDecodeError, ValueError, OverflowError):
        return None
    return strings


_KINDS: dict[bytes, tuple[str, int]] = {}
# Shared strings looked up by the index as written, up to this many.
_SHARED_CACHE = 200_000
_INDEXES: dict[bytes, int] = {}


def _kind(attributes: bytes) -> tuple[str, int]:
    """``' s="3" t="s"'`` → ``("s", 3)``: the cell's type and style, as openpyxl reads them."""
    found = {name: value for name, value in _ATTRIBUTE.findall(attributes)}
    style = found.get(b"s", b"0")
    return found.get(b"t", b"n").decode("ascii"), int(style) if style else 0


def open_workbook(source: IO[bytes], name: str) -> Workbook:
    """The workbook, or BadInput naming the file and why it cannot be read as one."""
    try:
        return Workbook(source)
    except SheetError as exc:
        raise BadInput(_("{file}: {reason}").format(file=name, reason=exc)) from None
    except Exception as exc:  # zipfile, XML or openpyxl's own errors, on a damaged package
        raise BadInput(
            _("{file}: cannot be read as an Excel workbook (.xlsx): {reason}").format(
                file=name, reason=f"{type(exc).__name__}: {str(exc)[:100]}"
            )
        ) from None
