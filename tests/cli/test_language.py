"""One language on the command line: every command's help, a sample of errors, and what
``report``, ``show``, ``deadlines``, ``burn`` and ``log`` print, in French and in English,
hold no sentence of the other language from the ``cli`` and ``store`` catalogs (the
store's errors: edits, lines and deadlines, amounts and dates, backups, imports).

The help texts are translated when the commands' modules are imported, so each language
runs in a fresh process (``STARTUPS_LANG``) that goes through every command line in turn
(``cli.main``) and reports what each printed.  The commands are discovered from the
typer app, not listed here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from babel.messages.pofile import read_po

import cli

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "i18n" / "locale" / "fr" / "LC_MESSAGES"
PO = CATALOGS / "cli.po"
STORE_PO = CATALOGS / "store.po"
FIXTURES = ROOT / "tests" / "fixtures"

# Runs the given command lines with cli.main, in the language of the environment, and
# prints {"line": "stdout + stderr"} as JSON.
RUNNER = r"""
import contextlib, io, json, sys
import cli
out = {}
for argv in json.loads(sys.argv[1]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            cli.main(argv)
        except SystemExit:
            pass
    out[" ".join(argv)] = buffer.getvalue()
print(json.dumps(out))
"""


def command_paths() -> list[list[str]]:
    """Every command and subcommand of the app (``[]`` the root, ``["import", "betagouv"]``)."""
    root = typer.main.get_command(cli.build(()))
    found: list[list[str]] = []

    def walk(command: click.Command, path: list[str]) -> None:
        found.append(path)
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])

    walk(root, [])
    return found


def fragments(message: str) -> list[str]:
    """The parts of a message between its placeholders that are sentences of their own
    (three words or more), whitespace made single (help texts are wrapped)."""
    parts = re.split(r"\{[^}]*\}", message)
    return [" ".join(p.split()) for p in parts if len(p.split()) >= 3]


def distinctive(*pos: Path) -> tuple[set[str], set[str]]:
    """The English and the French fragments of catalogs (the cli's by default) that differ
    between the two."""
    catalog = []
    for po in pos or (PO,):
        with po.open("rb") as f:
            catalog += list(read_po(f))
    english: set[str] = set()
    french: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        en = {f for i in ids for f in fragments(i)}
        fr = {f for s in strs for f in fragments(s)}
        english |= en - fr
        french |= fr - en
    return english, french


def run_all(lines: list[list[str]], language: str, home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "STARTUPS_LANG": language,
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home),
    }
    env.pop("LANGUAGE", None)
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(lines)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout)


EXPENSE = ["expense", "add", "classe-a-12", "--date", "2018-09-01"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, str]]:
    home = tmp_path_factory.mktemp("language")
    db = str(home / "demo.db")
    subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--no-tui", "--db", db],
        cwd=ROOT,
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        check=True,
    )
    lines = [[*path, "--help"] for path in command_paths()]
    lines += [
        # errors
        ["report", "--db", db, "--frobnicate"],
        ["report", "--db", db, "--phase", "accel"],
        ["report", "--db", db, "--incubator", "nowhere"],
        ["show", "--db", db, "classe-a12"],
        ["--as-of", "31/02/2019", "report", "--db", db],
        ["--lang", "xx", "report"],
        ["expense", "add", "classe-a-12", "--db", db, "--date", "2018-09-01"],
        ["restore", str(home / "none.json"), "--db", db],
        # the store's errors, a few of each family
        [*EXPENSE, "--amount", "12,3,4", "--label", "x", "--db", db],
        [*EXPENSE, "--amount", "-5", "--label", "x", "--db", db],
        [*EXPENSE, "--amount", "12", "--label", "x", "--convention", "99", "--db", db],
        [*EXPENSE, "--amount", "12", "--label", "x", "--convention", "4", "--db", db],
        ["deadline", "done", "convention-1-renewal", "--db", db],
        ["deadline", "done", "abc", "--db", db],
        ["backup", db, "--db", db],
        ["restore", str(FIXTURES / "expenses" / "plain.csv"), "--db", db],
        ["report", "--db", str(FIXTURES / "expenses" / "plain.csv")],
        ["report", "--db", "sqlite:///x.db?mode=ro"],
        [
            "import",
            "expenses",
            str(FIXTURES / "expenses" / "bad_rows.csv"),
            "--startup",
            "classe-a-12",
            "--db",
            db,
        ],
        [
            "import",
            "expenses",
            str(FIXTURES / "expenses" / "wrong_header.csv"),
            "--startup",
            "classe-a-12",
            "--db",
            db,
        ],
        ["import", "betagouv", str(FIXTURES / "expenses"), "--db", db],
        ["import", "betagouv", str(FIXTURES / "betagouv-bad"), "--db", str(home / "bad.db")],
        ["import", "convention", str(FIXTURES / "expenses" / "plain.csv"), "--db", db],
        # what people read
        ["--as-of", "15/09/2018", "report", "--db", db],
        ["--as-of", "15/09/2018", "report", "--db", db, "--format", "markdown"],
        ["--as-of", "15/09/2018", "show", "--db", db, "classe-a-12"],
        ["--as-of", "15/09/2018", "show", "--db", db, "dossiersco"],
        ["--as-of", "15/09/2018", "deadlines", "--db", db],
        ["--as-of", "15/09/2018", "burn", "--db", db, "classe-a-12"],
        ["log", "--db", db, "--limit", "5"],
        ["log", "--db", db, "--since", "01/01/2100"],
    ]
    return {language: run_all(lines, language, home) for language in ("fr", "en")}


def test_every_command_is_run_in_both_languages(outputs):
    paths = command_paths()
    assert len(paths) > 15 and ["import", "betagouv"] in paths and ["deadline", "done"] in paths
    for language in ("fr", "en"):
        for path in paths:
            assert outputs[language][" ".join([*path, "--help"])].strip(), (language, path)


def test_french_output_holds_no_english_sentence(outputs):
    english, _french = distinctive(PO, STORE_PO)
    assert len(english) > 50
    leaks = {
        line: sorted(f for f in english if f in " ".join(text.split()))
        for line, text in outputs["fr"].items()
    }
    assert {line: found for line, found in leaks.items() if found} == {}


def test_english_output_holds_no_french_sentence(outputs):
    _english, french = distinctive(PO, STORE_PO)
    assert len(french) > 50
    leaks = {
        line: sorted(f for f in french if f in " ".join(text.split()))
        for line, text in outputs["en"].items()
    }
    assert {line: found for line, found in leaks.items() if found} == {}


def test_the_two_languages_differ_where_people_read(outputs):
    fr, en = outputs["fr"], outputs["en"]
    report = "--as-of 15/09/2018 report --db"
    (line,) = [k for k in fr if k.startswith(report) and "--format" not in k]
    assert "Portefeuille au 15/09/2018" in fr[line] or "Portefeuille au 2018-09-15" in fr[line]
    assert "Portfolio as of" in en[line] and "Portefeuille" not in en[line]
    errors = [k for k in fr if "--frobnicate" in k]
    assert fr[errors[0]].startswith("startups : erreur : ")
    assert en[errors[0]].startswith("startups: error: ")


def test_the_store_errors_are_in_the_language_of_the_run(outputs):
    fr, en = outputs["fr"], outputs["en"]

    def said(language: dict[str, str], part: str) -> str:
        (line,) = [k for k in language if part in k and "--help" not in k]
        return language[line]

    assert "n'est pas un montant" in said(fr, "--amount 12,3,4")
    assert "is not an amount" in said(en, "--amount 12,3,4")
    assert "aucune convention 99 dans la base" in said(fr, "--convention 99 ")
    assert "no convention 99 in the store" in said(en, "--convention 99 ")
    assert "appartient à dossiersco" in said(fr, "--convention 4 ")
    assert "découle du rappel de renouvellement" in said(fr, "convention-1-renewal")
    assert "is derived from convention 1's renewal reminder" in said(en, "convention-1-renewal")
    assert "c'est la base elle-même" in said(fr, "backup ")
    assert "that is the store itself" in said(en, "backup ")
    bad_rows = said(fr, "bad_rows.csv")
    assert 'montant "12,3,4" n\'est pas un montant' in bad_rows
    assert 'montant "12,3,4" is not an amount' in said(en, "bad_rows.csv")
    assert "pas une copie de beta.gouv.fr" in said(fr, f"betagouv {FIXTURES / 'expenses'} ")
    assert "en-tête YAML cassé" in said(fr, "betagouv-bad")
    assert "broken YAML front matter" in said(en, "betagouv-bad")
