"""Data never acts on the terminal: every command shows escapes and markup as text."""

from __future__ import annotations

import pytest
from hostile import SLUG, assert_inert, hostile_store


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "600")  # wide tables: no cell is wrapped or cut
    return hostile_store(tmp_path / "hostile.db")


DAY = "2018-06-15"


def test_the_report_table_shows_a_title_as_text(run, hostile_db):
    result = run("report", "--db", hostile_db, "--as-of", DAY)
    assert result.code == 0, result.err
    assert_inert(result.out, literal=False)
    assert "Éval ␛]52;c;cHduZWQ=␇[bold" in result.out  # seen, not acting


def test_csv_cells_are_text_a_spreadsheet_never_runs(run, hostile_db, tmp_path):
    import csv
    import io

    from store.open import open_store

    store = open_store(str(hostile_db), create=False)
    with store.session() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE startup SET title = '=HYPERLINK(\"http://x\")'"))
    store.dispose()
    out = run("report", "-f", "csv", "--db", hostile_db, "--as-of", DAY).out
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["title"] == '\'=HYPERLINK("http://x")'
    assert row["envelope_eur"] == "100000.0"  # numbers stay numbers


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-f", "markdown"),
        ("show", SLUG),
        ("deadlines", "--as-of", "2018-01-01"),
    ],
)
def test_people_formats_show_markup_as_text_and_no_escape(run, hostile_db, args):
    result = run(*args, "--db", hostile_db, *(() if "--as-of" in args else ("--as-of", DAY)))
    assert result.code == 0, result.err
    assert_inert(result.out)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-f", "json"),
        ("report", "-f", "csv"),
        ("show", SLUG, "-f", "json"),
        ("deadlines", "-f", "json", "--as-of", "2018-01-01"),
        ("deadlines", "-f", "ics", "--as-of", "2018-01-01"),
        ("burn", SLUG),
        ("burn", SLUG, "-f", "json"),
        ("log",),
        ("log", SLUG, "-f", "json"),
    ],
)
def test_every_other_output_carries_no_active_character(run, hostile_db, args):
    result = run(*args, "--db", hostile_db, *(() if "--as-of" in args else ("--as-of", DAY)))
    if args[0] == "log":  # log has no --as-of
        result = run(*args, "--db", hostile_db)
    assert result.code == 0, result.err
    assert_inert(result.out, literal=False)


def test_json_keeps_the_data_escaped_not_changed(run, hostile_db):
    """Machine formats keep the value (escaped by JSON itself), people's formats show it."""
    data = run("report", "-f", "json", "--db", hostile_db, "--as-of", DAY).json()
    (row,) = data["startups"]
    assert "\x1b]52;" in row["title"]  # the value as stored, decoded by any JSON reader


def test_an_error_quoting_data_is_inert(run, hostile_db):
    result = run("show", "nope\x1b]52;c;x\x07", "--db", hostile_db)
    assert result.code == 2
    assert_inert(result.err, literal=False)
    assert result.err.count("\n") == 1


def test_markdown_rows_stay_rows(run, hostile_db):
    from store.open import open_store

    store = open_store(str(hostile_db), create=False)
    with store.session() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE startup SET title = 'a\nb | <script>x</script>'"))
    store.dispose()
    out = run("report", "-f", "markdown", "--db", hostile_db, "--as-of", DAY).out
    (row,) = [line for line in out.splitlines() if line.startswith("| a")]
    assert "a␊b \\| &lt;script>x&lt;/script>" in row
