"""The command line as a coach uses it over SSH: a report piped whole, fitted on a
terminal with the alerts kept; CSV for French Excel; wrong names answered with the
valid or nearest ones; "what runs out within N days"; "what changed since"; and no
0 € for what is not known."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from commands.options import nearest_slugs
from commands.render import lines

ALERTS = "expire · en retard · sous-conso"  # Classe à 12's alerts on 2018-09-15, in words


def report(run, db, *args):
    return run("--as-of", "15/09/2018", "report", "--db", db, *args)


def test_a_piped_report_is_never_cut(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    result = report(run, demo_db)
    assert result.code == 0, result.err
    assert ALERTS in result.out and "Classe à 12" in result.out and "accélération" in result.out
    assert max(len(line) for line in result.out.splitlines()) > 100  # its full width


def test_on_a_terminal_columns_give_way_before_alerts(run, demo_db, monkeypatch):
    monkeypatch.setattr(lines.Output, "stdout", classmethod(lambda cls: cls(sys.stdout, width=80)))
    result = report(run, demo_db)
    assert result.code == 0, result.err
    out = result.out.splitlines()
    assert max(len(line) for line in out) <= 80
    assert any(ALERTS in line for line in out)  # whole, never cut
    header = next(line for line in out if "Startup" in line)
    assert "Phase" not in header and "Alertes" in header  # the phase went first


def test_csv_in_the_french_dialect(run, demo_db):
    plain = report(run, demo_db, "--format", "csv")
    french = report(run, demo_db, "--format", "csv", "--dialect", "fr")
    assert plain.code == french.code == 0
    assert not plain.out.startswith("\ufeff") and plain.out.startswith("slug,title,")
    assert french.out.startswith("\ufeffslug;title;phase;")  # UTF-8 with a BOM, semicolons
    header, classe = french.out.lstrip("\ufeff").splitlines()[:2]
    assert header.split(";") == plain.out.splitlines()[0].split(",")  # the same columns
    assert "269700,0" in classe.split(";") and "Classe à 12" in classe.split(";")
    assert "269700.0" in plain.out.splitlines()[1].split(",")


def test_ending_within_answers_what_runs_out_soon(run, demo_db):
    def slugs(days):
        result = report(run, demo_db, "--format", "json", "--ending-within", str(days))
        assert result.code == 0, result.err
        data = result.json()
        assert data["totals"]["startups"] == len(data["startups"])  # totals of those shown
        return [s["slug"] for s in data["startups"]]

    # Classe à 12's convention ends on 2018-10-01, 16 days after the date.
    assert slugs(10) == []
    assert slugs(16) == ["classe-a-12"]
    assert slugs(90) == ["classe-a-12"]
    table = report(run, demo_db, "--ending-within", "10")
    assert table.code == 0 and "Total (0)" in table.out and "0 €" not in table.out


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("classe-a12", "classe-a-12"), ("classe a 12", "classe-a-12"), ("Dossier SCO", "dossiersco")],
)
def test_a_wrong_slug_suggests_the_nearest(run, demo_db, typed, suggested):
    for command in ("show", "burn", "log"):
        result = run(command, typed, "--db", demo_db)
        assert result.code == 2 and result.out == ""
        (line,) = result.err.splitlines()
        assert f"vouliez-vous dire {suggested} ?" in line, line
    result = run("deadlines", "--startup", typed, "--db", demo_db)
    assert result.code == 2 and suggested in result.err


def test_the_nearest_slugs_read_titles_too():
    startups = [
        ("aidantsconnect", "Aidants Connect"),
        ("aides-territoires", "Aides-territoires"),
        ("classe-a-12", "Classe à 12"),
    ]
    assert nearest_slugs("aidants connect", startups)[0] == "aidantsconnect"
    assert nearest_slugs("Aidants Conect", startups)[0] == "aidantsconnect"
    assert nearest_slugs("zzzz", startups) == []


def test_log_since_says_what_changed_in_words(run, demo_db):
    added = run(
        "expense", "add", "classe-a-12", "--db", demo_db,
        "--date", "01/09/2018", "--amount", "10", "--label", "Café",
    )  # fmt: skip
    assert added.code == 0, added.err
    today = dt.date.today()
    result = run("log", "--db", demo_db, "--since", today.strftime("%d/%m/%Y"))
    assert result.code == 0, result.err
    assert "création ligne de consommation" in result.out and "«Café»" in result.out
    assert "insert" not in result.out and "consumption_line" not in result.out
    later = run("log", "--db", demo_db, "--since", "2100-01-01")
    assert later.code == 0 and later.out.startswith("aucune modification depuis le ")
    data = run("log", "--db", demo_db, "--since", "2100-01-01", "--format", "json").json()
    assert data["entries"] == []
    english = run("--lang", "en", "log", "--db", demo_db, "--since", today.isoformat())
    assert "created consumption line" in english.out


def test_no_convention_is_never_zero_euros(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    # In 2016 neither seed startup has a convention.
    result = run("--as-of", "2016-01-01", "report", "--db", demo_db)
    assert result.code == 0, result.err
    assert result.out.count("aucune convention") == 2 and "0 €" not in result.out
    markdown = run("--as-of", "2016-01-01", "report", "--db", demo_db, "-f", "markdown")
    assert "aucune convention" in markdown.out and "0 €" not in markdown.out
    card = run("--as-of", "2016-01-01", "show", "classe-a-12", "--db", demo_db)
    assert card.code == 0 and "aucune convention" in card.out
    assert "Enveloppe" in card.out and "Enveloppe     0 €" not in card.out


def test_the_report_in_english(run, demo_db):
    result = run("--lang", "en", "--as-of", "2018-09-15", "report", "--db", demo_db)
    assert result.code == 0, result.err
    assert "Portfolio as of" in result.out and "Remaining" in result.out
    assert "1 unknown envelope, not counted in the total" in result.out
    assert "Portefeuille" not in result.out and "inconnue" not in result.out
