"""Bad input everywhere: malformed values for every command's options and every importer.

Each case must end in one readable line on stderr, exit status 2, no traceback, and
nothing written (the store's rows and its audit log are unchanged).  Hypothesis draws
the values; the application's own parsers decide what "malformed" means, so the
strategies cannot drift from what the commands accept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from store.rules.amounts import parse_amount_cents
from store.rules.dates import parse_day
from store.rules.vocab import parse_line_kind

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fingerprint(path: Path) -> tuple:
    """Every table's row count and the audit log's last id: any write changes it."""
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = tuple(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
        last = con.execute("SELECT max(id) FROM audit_log").fetchone()[0]
        versions = con.execute("SELECT sum(version) FROM convention").fetchone()[0]
    finally:
        con.close()
    return counts, last, versions


def assert_refused(result, before, db: Path, *fragments: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err and lines[0].startswith("startups : erreur : ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert fingerprint(db) == before


def _accepted(parse, value: str) -> bool:
    try:
        parse(value)
    except (ValueError, TypeError):
        return False
    return True


def _iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# Text a terminal could send: no NUL (the OS refuses it in argv), no leading "-"
# (an option name, tested apart), possibly empty.
argv_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
).filter(lambda s: not s.startswith("-"))
bad_dates = st.one_of(
    argv_text,
    st.sampled_from(["2018-02-30", "2018-13-01", "2018-00-10", "31/02/2018", "0000-01-01"]),
    st.builds(
        lambda y, m, d: f"{y}-{m}-{d}",
        st.integers(-99, 99999),
        st.integers(13, 99),
        st.integers(0, 99),
    ),
)
bad_amounts = st.one_of(
    argv_text,
    st.sampled_from(["12,345", "1.2.3", "1e9", "NaN", "inf", "€", "12 34,5 6", "0x10"]),
)
bad_ints = st.one_of(argv_text, st.integers(max_value=-1).map(str), st.floats().map(str))
bad_urls = st.one_of(
    st.sampled_from(
        [
            "nosuchdb://x/y",
            "postgresql+psycopg://u:p@127.0.0.1:notaport/db",
            "postgresql+nodriver://u:p@127.0.0.1/db",
            "sqlite://",
            "sqlite:///:memory:",
            "mysql://u:p@127.0.0.1/db",
        ]
    ),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8).map(
        lambda s: f"zz{s}://u:p@x/y"
    ),
)


@pytest.fixture
def db(demo_db) -> Path:
    return demo_db


@SETTINGS
@given(value=bad_dates)
def test_dates(run, db, value):
    assume(not _iso(value))
    before = fingerprint(db)
    for args in (
        ("report", "--as-of", value),
        ("burn", "classe-a-12", "--as-of", value),
        ("deadlines", "--as-of", value),
        ("show", "classe-a-12", "--as-of", value),
        ("demo", "--no-tui", "--as-of", value),
    ):
        assert_refused(run(*args, "--db", db), before, db, "--as-of")
    if not _accepted(parse_day, value):
        result = run(
            "expense",
            "add",
            "classe-a-12",
            "--date",
            value,
            "--amount",
            "10",
            "--label",
            "x",
            "--db",
            db,
        )
        assert_refused(result, before, db, "--date")


@SETTINGS
@given(value=bad_amounts)
def test_amounts(run, db, value):
    assume(not _accepted(parse_amount_cents, value))
    before = fingerprint(db)
    result = run(
        "expense",
        "add",
        "classe-a-12",
        "--date",
        "2018-06-01",
        "--amount",
        value,
        "--label",
        "x",
        "--db",
        db,
    )
    assert_refused(result, before, db, "--amount")


@SETTINGS
@given(kind=argv_text, fmt=argv_text)
def test_kinds_and_formats(run, db, kind, fmt):
    before = fingerprint(db)
    if not _accepted(parse_line_kind, kind):
        result = run(
            "expense",
            "add",
            "classe-a-12",
            "--date",
            "2018-06-01",
            "--amount",
            "1",
            "--label",
            "x",
            "--kind",
            kind,
            "--db",
            db,
        )
        assert_refused(result, before, db, "--kind")
    assume(fmt not in {"json", "csv", "markdown", "table", "ics", "text"})
    for command in (("report",), ("deadlines",), ("burn", "classe-a-12"), ("export",), ("log",)):
        assert_refused(run(*command, "--format", fmt, "--db", db), before, db)


@SETTINGS
@given(value=bad_ints)
def test_counts(run, db, value):
    with contextlib.suppress(ValueError):  # not a number at all: malformed
        number = float(value)
        assume(not (number.is_integer() and number >= 0))  # 3 or 3.0: a valid count
    before = fingerprint(db)
    for args in (
        ("report", "--limit", value),
        ("log", "--limit", value),
        ("deadlines", "--within", value),
        (
            "expense",
            "add",
            "classe-a-12",
            "--date",
            "2018-06-01",
            "--amount",
            "1",
            "--label",
            "x",
            "--convention",
            value,
        ),
    ):
        assert_refused(run(*args, "--db", db), before, db)


@SETTINGS
@given(slug=argv_text)
def test_unknown_slugs(run, db, slug):
    assume(slug not in {"classe-a-12", "dossiersco"})
    before = fingerprint(db)
    commands = [
        ("burn", slug),
        ("show", slug),
        ("log", slug),
        ("expense", "add", slug, "--date", "2018-06-01", "--amount", "1", "--label", "x"),
    ]
    # "1" or "deadline-3" may name one of the demo's deadlines: not an unknown one.
    if not re.fullmatch(r"(?:deadline-)?\d+", slug.strip()):
        commands.append(("deadline", "done", slug))
    for args in commands:
        assert_refused(run(*args, "--db", db), before, db)


@settings(SETTINGS, max_examples=10)
@given(url=bad_urls)
def test_database_urls(run, url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # were a URL taken for a path, nothing lands in the checkout
    for args in (("report",), ("init",), ("log",), ("export",), ("demo", "--no-tui")):
        result = run(*args, "--db", url)
        assert result.code == 2, (args, url, result.err)
        assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
        assert ":p@" not in result.err  # the password of the URL is never printed
    assert list(tmp_path.iterdir()) == []


def test_options_that_do_not_exist(run, db):
    before = fingerprint(db)
    for command in (
        "report",
        "burn",
        "deadlines",
        "show",
        "log",
        "export",
        "backup",
        "restore",
        "init",
        "demo",
    ):
        assert_refused(run(command, "--frobnicate", "--db", db), before, db, "--frobnicate")


@SETTINGS
@given(content=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.txt", "x.json", "x.db"]))
def test_importers_and_restore_on_junk_files(run, db, tmp_path_factory, content, name):
    folder = tmp_path_factory.mktemp("junk")
    junk = folder / name
    junk.write_bytes(content)
    before = fingerprint(db)
    cases = {
        "x.csv": [("import", "expenses", junk, "--startup", "classe-a-12")],
        "x.txt": [("import", "convention", junk, "--startup", "classe-a-12", "--yes")],
        "x.json": [("restore", junk, "--yes")],
        "x.db": [("restore", junk, "--yes")],
    }[name]
    for args in cases:
        result = run(*args, "--db", db)
        if result.code == 0:
            # Only a CSV can be junk and still valid (a header, no line): nothing added.
            assert args[1] == "expenses", (args, result.out)
            assert fingerprint(db) == before, result.out
            continue
        assert_refused(result, before, db)


def test_missing_and_wrong_paths(run, db, tmp_path):
    before = fingerprint(db)
    missing = tmp_path / "nope"
    for args in (
        ("import", "expenses", missing, "--startup", "classe-a-12"),
        ("import", "convention", missing, "--startup", "classe-a-12", "--yes"),
        ("import", "betagouv", missing),
        ("restore", missing, "--yes"),
        ("restore", tmp_path, "--yes"),
        ("import", "expenses", tmp_path, "--startup", "classe-a-12"),
        ("import", "betagouv", tmp_path / "file-not-dir.txt"),
        ("backup", tmp_path / "no" / "such" / "dir" / "b.json"),
        ("backup", db),
    ):
        if args[-1] == tmp_path / "file-not-dir.txt":
            (tmp_path / "file-not-dir.txt").write_text("x")
        assert_refused(run(*args, "--db", db), before, db)
