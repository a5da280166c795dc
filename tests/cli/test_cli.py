"""The command line: formats, options and errors (one line, the right exit status)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def plain(text: str) -> str:
    """Babel writes French amounts with (narrow) no-break spaces; compare with plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_json_is_the_default_contract(run, demo_url):
    result = run("report", "--db", demo_url, "--as-of", "2018-06-01", "--format", "json")
    data = result.json()
    assert set(data) == {"schema", "as_of", "startups", "totals"}
    assert [s["slug"] for s in data["startups"]] == ["classe-a-12", "dossiersco"]


def test_csv(run, demo_db):
    result = run("report", "--db", demo_db, "--as-of", "2018-12-31", "--format", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [r["slug"] for r in rows] == ["classe-a-12", "dossiersco"]
    assert rows[1]["envelope_eur"] == "200000.0"
    assert rows[0]["sponsors"] == "dgesco"


def test_markdown(run, demo_db):
    result = run("report", "--db", demo_db, "--as-of", "2018-06-01", "--format", "markdown")
    assert result.code == 0
    lines = plain(result.out).splitlines()
    assert lines[0] == "# Portefeuille au 01/06/2018"
    assert lines[2].startswith("| Startup | Phase | Enveloppe")
    assert any(line.startswith("| Classe à 12 | accélération | 269 700 €") for line in lines)
    assert "inconnu" in result.out  # DossierSco's envelope, never 0


def test_table(run, demo_db):
    result = run("report", "--db", demo_db, "--as-of", "2018-06-01", "--format", "table")
    assert result.code == 0
    assert "Classe à 12" in result.out
    assert "269 700 €" in plain(result.out)
    assert "\x1b[" not in result.out  # not a terminal: no colour codes


def test_limit_and_filters(run, demo_url):
    def slugs(*args):
        result = run("report", "--db", demo_url, "--as-of", "2018-06-01", "--format", "json", *args)
        assert result.code == 0, result.err
        return [s["slug"] for s in result.json()["startups"]]

    assert slugs("--limit", "1") == ["classe-a-12"]
    assert slugs("--sponsor", "menjs") == ["dossiersco"]
    assert slugs("--phase", "acceleration") == ["classe-a-12"]
    assert slugs("--incubator", "dinum") == ["classe-a-12", "dossiersco"]
    assert slugs("--phase", "accélération") == ["classe-a-12"]  # a phase by its label


def test_an_unknown_filter_lists_the_valid_ones(run, demo_db):
    for option, value, valid in (
        ("--phase", "accel", "acceleration"),
        ("--incubator", "nowhere", "dinum"),
        ("--sponsor", "nobody", "dgesco, menjs"),
    ):
        result = run("report", "--db", demo_db, option, value)
        assert result.code == 2 and result.out == "", result.err
        (line,) = result.err.splitlines()
        assert line.startswith(f"startups : erreur : {option} : ") and valid in line, line


def test_no_command_prints_the_portfolio(run, demo_db):
    result = run("--db", demo_db)
    assert result.code == 0, result.err
    assert "Classe à 12" in result.out


def test_init_creates_then_keeps(run, tmp_path):
    path = tmp_path / "s.db"
    assert run("init", "--db", path).code == 0
    assert path.exists()
    assert run("init", "--db", path).code == 0


def assert_one_line_error(result, code: int, *fragments: str) -> None:
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("bad", ["2018-13-45", "yesterday", "2018-02-30", "0001-03-15"])
def test_bad_as_of(run, demo_db, bad):
    result = run("report", "--db", demo_db, "--as-of", bad)
    assert_one_line_error(result, 2, bad, "--as-of")


def test_unknown_format(run, demo_db):
    assert_one_line_error(run("report", "--db", demo_db, "--format", "xml"), 2, "xml")


def test_unknown_option_and_command(run, demo_db):
    assert_one_line_error(run("report", "--db", demo_db, "--colour"), 2, "--colour")
    assert_one_line_error(run("frobnicate"), 2, "frobnicate")


def test_negative_limit(run, demo_db):
    assert_one_line_error(run("report", "--db", demo_db, "--limit", "-1"), 2, "--limit")


def test_not_a_store(run, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n" * 500)
    assert_one_line_error(run("report", "--db", junk), 2, str(junk), "pas une base SQLite")


def test_unreadable_store(run, tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file: unreadable files cannot be made")
    path = tmp_path / "s.db"
    assert run("init", "--db", path).code == 0
    path.chmod(0)
    assert_one_line_error(run("report", "--db", path), 2, str(path))


def test_missing_store(run, tmp_path):
    missing = tmp_path / "nope.db"
    assert_one_line_error(run("report", "--db", missing), 2, str(missing), "aucune base")
    assert not missing.exists()


def test_unknown_database_url(run):
    assert_one_line_error(run("report", "--db", "nosuchdb://x/y"), 2, "nosuchdb")


def test_console_script_and_no_textual_on_the_report_path(demo_db):
    """`startups report` answers without importing Textual or SQLAlchemy."""
    code = (
        "import sys, cli\n"
        f"rc = cli.main(['report', '--db', {str(demo_db)!r}, '--as-of', '2018-06-01', '--format', 'json'])\n"
        "heavy = sorted(m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    # Piped: compact JSON (the C encoder), the same data.
    assert proc.stdout.startswith('{"schema":"startups.report/1","as_of":"2018-06-01"')
    assert __import__("json").loads(proc.stdout)["startups"][0]["slug"] == "classe-a-12"


def test_the_installed_command_runs(demo_db):
    exe = Path(sys.executable).with_name("startups")
    proc = subprocess.run(
        [str(exe), "report", "--db", str(demo_db), "--as-of", "2018-13-45"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_a_run_builds_only_its_own_command(run, demo_db):
    import cli

    def names(app):
        return sorted(
            [c.name or c.callback.__name__ for c in app.registered_commands]
            + [g.name for g in app.registered_groups]
        )

    # Only the module of the command being run registers its commands.
    assert "report" in names(cli.build(("report", "-f", "json")))
    assert "show" not in names(cli.build(("report", "-f", "json")))
    # The root's options may come first, with their values (a value is never a command).
    argv = ("--db", "report", "--as", "me", "deadline", "done", "3")
    assert names(cli.build(argv)) == ["deadline"]
    # No command, or an unknown one: the whole app (its help lists every command).
    every = names(cli.build(("--help",)))
    assert names(cli.build(("nosuch",))) == every
    assert set(cli.COMMANDS) <= set(every)
    # The root's options still apply before the command.
    result = run("--db", demo_db, "report", "--as-of", "2018-06-01", "--format", "json")
    assert [s["slug"] for s in result.json()["startups"]] == ["classe-a-12", "dossiersco"]
    listing = run("--help").out
    assert all(name in listing for name in ("report", "burn", "deadlines", "import", "expense"))


@pytest.mark.parametrize(
    "options",
    [(), ("--limit", "1"), ("--alerts",), ("--sort", "runway"), ("--phase", "acceleration")],
)
def test_piped_json_is_streamed_with_the_same_figures(run, demo_db, options):
    # Piped, the report is written as its rows come (listed by slug) or after sorting:
    # either way what `build` computes, in the compact contract.
    import datetime as dt

    from store.open import open_reader
    from store.queries.report import Filters, build

    day = dt.date(2018, 9, 15)
    out = run("report", "--db", demo_db, "--as-of", day.isoformat(), "-f", "json", *options)
    names = {"--limit": "limit", "--sort": "sort", "--phase": "phase"}
    kwargs = {names[k]: v for k, v in zip(options[::2], options[1::2], strict=False) if k in names}
    kwargs = {k: int(v) if k == "limit" else v for k, v in kwargs.items()}
    with open_reader(str(demo_db)) as reader:
        expected = build(reader, day, Filters(alerts="--alerts" in options, **kwargs)).to_dict()
    assert out.json() == expected
    assert "\n" not in out.out.rstrip("\n")  # one line
