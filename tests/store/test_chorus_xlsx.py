"""Workbook rows streamed by ``store.importers.chorus.xlsx`` are openpyxl's own values.

Every test compares with ``openpyxl.load_workbook(read_only=True, data_only=True)`` and
``iter_rows(values_only=True)``: on the fixtures, on workbooks Excel-like and
openpyxl-written with random cells, on hand-written XML the fast path leaves to openpyxl's
parser (formulas, rich text, prefixes, cells without a reference), and with chunks so
small that rows are cut anywhere.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from chorus_support import write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from store.errors import BadInput
from store.importers.chorus import xlsx
from store.importers.chorus.read import read_chorus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "chorus"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def reference(path: Path) -> dict[int, list]:
    """openpyxl's rows: non-empty ones, by number, without trailing empty cells."""
    book = load_workbook(path, read_only=True, data_only=True)
    out = {}
    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if values:
            out[number] = values
    book.close()
    return out


def streamed(path: Path) -> dict[int, list]:
    with path.open("rb") as source:
        book = xlsx.open_workbook(source, str(path))
        out = {}
        for number, values in book.sheets[0].rows():
            values = list(values)
            while values and values[-1] is None:
                values.pop()
            if values:
                out[number] = values
        return out


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.xlsx")), ids=lambda p: p.name)
def test_fixtures_stream_as_openpyxl_reads_them(path):
    assert streamed(path) == reference(path)


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_rows_cut_by_any_chunk_boundary(monkeypatch, chunk):
    monkeypatch.setattr(xlsx, "CHUNK", chunk)
    for path in sorted(FIXTURES.glob("*.xlsx")):
        assert streamed(path) == reference(path), path.name


_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(32) if c not in (9, 10)) + "\x7f",
    ),
    max_size=20,
)
_cell = st.one_of(
    st.none(),
    _text,
    st.sampled_from(["a & b", '<c r="A1">', "x005F_y", " lead", "trail ", "=1+1", "#N/A"]),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2199, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
_rows = st.lists(st.lists(_cell, max_size=8), min_size=1, max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_random_openpyxl_workbooks_stream_the_same(tmp_path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "random-openpyxl.xlsx"
    book.save(path)
    assert streamed(path) == reference(path)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_random_excel_like_workbooks_stream_the_same(tmp_path, rows):
    rows = [[c for c in row if not isinstance(c, bool)] for row in rows]  # no booleans there
    path = tmp_path / "random-excel.xlsx"
    write_xlsx(path, rows)
    assert streamed(path) == reference(path)


def test_write_only_workbooks_without_a_dimension(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("INF-BUD-53")
    for i in range(50):
        sheet.append([f"ligne {i}", i, i / 4, dt.datetime(2025, 1, 1 + i % 28)])
    path = tmp_path / "write-only.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as book:
        assert b"<dimension" not in book.read("xl/worksheets/sheet1.xml")
    assert streamed(path) == reference(path)


def with_sheet(tmp_path: Path, sheet_xml: str, name: str = "hand.xlsx") -> Path:
    """An Excel-like workbook whose sheet is ``sheet_xml`` (shared strings: "zéro", "un")."""
    base = tmp_path / "base.xlsx"
    write_xlsx(base, [["zéro", "un"]])
    path = tmp_path / name
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode("utf-8")
            target.writestr(info, data)
    return path


HAND_WRITTEN = {
    "formulas and types": (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"</f><v>a</v></c>'
        '<c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#N/A</v></c><c r="E1" s="1"><v>43538</v></c>'
        '<c r="F1" t="s"><v>1</v></c></row></sheetData></worksheet>'
    ),
    "rich inline text": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="2"><c r="B2" t="inlineStr"><is>'
        "<r><t>FOURNISSEUR </t></r><r><rPr><b/></rPr><t>A &amp; B</t></r></is></c></row>"
        "</sheetData></worksheet>"
    ),
    "cells without references": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="s"><v>0</v></c><c><v>5</v></c></row>'
        '<row><c t="inlineStr"><is><t>trois</t></is></c></row></sheetData></worksheet>'
    ),
    "a namespace prefix": (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v>'
        '</x:c><x:c r="C1"><x:v>2.5</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    ),
    "entities and line breaks": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        'a &lt;b&gt; &#233;&#x20AC;\r\nc</t></is></c><c r="B1" t="str"><v>x&amp;y</v></c>'
        "</row></sheetData></worksheet>"
    ),
    "comments and spaces": (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">\n<sheetData>\n'
        '<!-- a comment -->\n<row r="3" spans="1:2">\n  <c r="A3" s="0" t="s">\n<v>1</v></c>\n'
        '  <c r="B3"  ><v>7</v></c>\n</row>\n<row r="4"/>\n</sheetData>\n</worksheet>'
    ),
    "an empty sheet": f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>',
    "no rows at all": f'<worksheet xmlns="{MAIN}"><sheetData></sheetData></worksheet>',
}


@pytest.mark.parametrize("xml", HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
def test_hand_written_sheets_read_as_openpyxl_reads_them(tmp_path, xml, monkeypatch):
    path = with_sheet(tmp_path, xml)
    assert streamed(path) == reference(path)
    monkeypatch.setattr(xlsx, "CHUNK", 5)
    assert streamed(path) == reference(path)


def test_a_truncated_sheet_is_a_damaged_file(tmp_path):
    path = with_sheet(
        tmp_path,
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>',
        "truncated.xlsx",
    )
    with pytest.raises(
        BadInput,
        match=r"truncated\.xlsx : feuille \"INF-BUD-53\" : il s'arrête au milieu d'une ligne",
    ):
        read_chorus(path, name="truncated.xlsx")


def test_invalid_xml_in_the_rows_is_named(tmp_path):
    path = with_sheet(
        tmp_path,
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1">'
        "<v>2</x></c></row></sheetData></worksheet>",
        "broken.xlsx",
    )
    with pytest.raises(
        BadInput, match=r"broken\.xlsx : feuille \"INF-BUD-53\" : la ligne 1 ou les suivantes"
    ):
        read_chorus(path, name="broken.xlsx")


def test_a_dtd_is_refused(tmp_path):
    path = with_sheet(
        tmp_path,
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t>'
        "</is></c></row></sheetData></worksheet>",
        "dtd.xlsx",
    )
    with pytest.raises(BadInput, match="déclare une DTD"):
        read_chorus(path, name="dtd.xlsx")


def test_a_huge_shared_string_table_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS_BYTES", 100)
    path = tmp_path / "strings.xlsx"
    write_xlsx(path, [["x" * 200]])
    with pytest.raises(BadInput, match="plus que les 0 Mio qu'un classeur peut avoir"):
        read_chorus(path, name="strings.xlsx")


def test_plain_shared_strings_read_as_openpyxl_reads_them(tmp_path):
    from openpyxl.reader.strings import read_string_table

    texts = ["a & b", "<tag>", " lead", "x005F_y", "é€", "quote \" and '", "tab\tnew\nline"]
    path = tmp_path / "strings.xlsx"
    write_xlsx(path, [texts])
    with zipfile.ZipFile(path) as book:
        data = book.read("xl/sharedStrings.xml")
        with book.open("xl/sharedStrings.xml") as table:
            slow = read_string_table(table)
    fast = xlsx._plain_strings(data)
    assert fast is not None
    assert fast == slow
    # anything else is left to openpyxl
    assert xlsx._plain_strings(data.replace(b"<t>", b"<t>&nbsp;", 1)) is None
    assert xlsx._plain_strings(data.replace(b"<si><t>", b"<si><r><t>", 1)) is None
