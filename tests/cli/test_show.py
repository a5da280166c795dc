"""`startups show SLUG`: one startup's full card, from store/card.py (plain data) to the terminal."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from store.open import open_reader
from store.queries.card import build_card

ROOT = Path(__file__).resolve().parents[2]


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def card(db, slug, on):
    with open_reader(str(db)) as reader:
        return build_card(reader, slug, on)


def test_classe_a_12_card_on_2018_06_01(demo_db):
    c = card(demo_db, "classe-a-12", dt.date(2018, 6, 1))
    assert (c.title, c.phase, c.incubator, [s["slug"] for s in c.sponsors]) == (
        "Classe à 12",
        "acceleration",
        "dinum",
        ["dgesco"],
    )
    assert [p.name for p in c.phases if p.current] == ["acceleration"]
    c2018, c2020 = c.conventions
    assert (c2018.title, c2018.status, c2018.ceiling_cents, c2018.ends_on) == (
        "Convention de service",
        "in_force",
        269_700_00,
        dt.date(2018, 10, 1),
    )
    assert c2018.concluded_on == dt.date(2018, 4, 12)
    assert c2018.imputation["bop"] == "0214-CEN2"
    assert [p.role for p in c2018.parties] == ["délégant", "délégataire"]
    (avenant,) = c2018.avenants
    assert (avenant.number, avenant.status, avenant.ceiling_cents) == (1, "pending", None)
    assert c2020.status == "pending"  # its signature date is left blank: never "today"
    assert [(y.year, y.ae_cents, y.cp_cents) for y in c2020.schedule] == [
        (2020, 50_000_00, 50_000_00)
    ]
    a = c.assessment
    assert (a.envelope_cents, a.consumed_cents, a.alerts) == (269_700_00, 0, ())
    assert [(d.date, d.kind) for d in c.deadlines][:3] == [
        (dt.date(2018, 7, 3), "renewal"),
        (dt.date(2018, 9, 1), "deliverable"),
        (dt.date(2018, 10, 1), "convention_end"),
    ]
    assert [(f.number, f.amount_cents) for f in c.fast] == [(2, 50_000_00)]


def test_statuses_move_with_the_date(demo_db):
    c = card(demo_db, "classe-a-12", dt.date(2019, 6, 1))
    assert [x.status for x in c.conventions] == ["ended", "pending"]
    assert "GAP" in c.assessment.alerts
    before = card(demo_db, "dossiersco", dt.date(2018, 11, 1))
    (root,) = before.conventions
    assert (root.ceiling_cents, root.avenants[0].status) == (None, "upcoming")
    assert before.assessment.envelope_cents is None  # unknown, never 0
    after = card(demo_db, "dossiersco", dt.date(2019, 2, 1))
    (root,) = after.conventions
    assert (root.ceiling_on_cents, root.avenants[0].status) == (200_000_00, "in_force")
    assert [p.signed_on for p in root.avenants[0].parties] == [
        dt.date(2018, 11, 30),
        dt.date(2018, 12, 5),
    ]
    assert root.avenants[0].concluded_on == dt.date(2018, 12, 5)


def test_kpis_are_target_against_latest_measurement(demo_db):
    c = card(demo_db, "dossiersco", dt.date(2019, 2, 1))
    kpis = {k.metric: k for k in c.kpis}
    colleges = kpis["Collèges utilisateurs"]
    assert (colleges.target, colleges.latest_value, colleges.met) == (100, 4, False)
    assert kpis["Élèves touchés"].latest_value is None
    assert kpis["Satisfaction des familles"].latest_value == 4.5
    # Before the first measurement, none is shown.
    assert card(demo_db, "dossiersco", dt.date(2018, 6, 1)).kpis[0].latest_value is None
    (staff,) = c.staffing
    assert (staff.role, staff.headcount) == ("Développeur full-stack", 2.0)


def test_show_prints_the_card(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line per fact, so that fragments are whole
    result = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15")
    assert result.code == 0, result.err
    out = plain(result.out)
    for fragment in (
        "Classe à 12 (classe-a-12)",
        "Faciliter le passage en classe à 12",  # mission
        "accélération",  # the phase's label, not its code
        "DGESCO (dgesco)",
        "https://github.com/betagouv/ClasseA12",
        "#1 Convention de service — en vigueur",
        "plafond 269 700 €",
        "Avenant n° 1",
        "Avenant n° 1 à la convention de service — non signée",
        "échéancier : 2020 AE 50 000 €, CP 50 000 €",
        "Enveloppe",
        "expire",  # alerts in words, not codes
        "EN RETARD",  # the deliverable due 2018-09-01
        "FAST 2",
    ):
        assert fragment in out, fragment
    assert "\x1b[" not in result.out  # not a terminal: no escape codes


def test_show_dossiersco_unknown_ceiling_kpis_and_staffing(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = run("show", "dossiersco", "--db", demo_db, "--as-of", "2018-06-01")
    assert result.code == 0, result.err
    out = plain(result.out)
    for fragment in (
        "plafond inconnu",
        "montant ?",
        "≥ 100 collèges au 02/09/2019",
        "Développeur full-stack",
    ):
        assert fragment in out, fragment


def test_a_narrow_terminal_still_gets_the_card(run, demo_db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    result = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15")
    assert result.code == 0 and "Conventions" in result.out
    assert max(len(line) for line in result.out.splitlines()) <= 40


def test_the_budget_labels_are_never_cut_at_80_columns(run, demo_db, monkeypatch):
    """On 01/03/2019 Classe à 12's next deadline has a long title: it wraps, the labels
    stay whole."""
    monkeypatch.setenv("COLUMNS", "80")
    result = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2019-03-01")
    assert result.code == 0, result.err
    budget = [line for line in result.out.splitlines() if line.startswith("│ ")]
    for label in ("En attente de signature", "CP restant cette année", "Prochaine échéance"):
        assert any(line.startswith(f"│ {label} ") for line in budget), label
    assert "…" not in "".join(budget)
    assert max(len(line) for line in result.out.splitlines()) <= 80


def test_no_color_even_when_forced(run, demo_db, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("show", "classe-a-12", "--db", demo_db, "--as-of", "2018-09-15")
    assert "\x1b[" in coloured.out  # the check below can fail
    monkeypatch.setenv("NO_COLOR", "1")
    for args in (("show", "classe-a-12"), ("deadlines",)):
        result = run(*args, "--db", demo_db, "--as-of", "2018-09-15")
        assert result.code == 0 and "\x1b[" not in result.out


def test_show_json(run, demo_db):
    result = run("show", "dossiersco", "--db", demo_db, "--as-of", "2019-02-01", "-f", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["slug"] == "dossiersco" and data["as_of"] == "2019-02-01"
    root = data["conventions"][0]
    assert root["avenants"][0]["ceiling_cents"] == 200_000_00
    assert data["assessment"]["envelope_cents"] == 200_000_00
    assert (
        data["assessment"]["remaining_cents"] == 200_000_00 - data["assessment"]["consumed_cents"]
    )


def test_show_errors(run, demo_db, tmp_path):
    for args, fragment in (
        (("show", "nope", "--db", demo_db), "aucune startup 'nope'"),
        (("show", "--db", demo_db), "SLUG"),
        (("show", "dossiersco", "--db", tmp_path / "none.db"), "aucune base ici"),
        (("show", "dossiersco", "--db", demo_db, "--as-of", "2018-02-30"), "--as-of"),
    ):
        result = run(*args)
        assert result.code == 2, (args, result.err)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and fragment in lines[0], result.err


def test_show_imports_neither_textual_nor_sqlalchemy(demo_db):
    code = (
        "import sys, cli\n"
        f"rc = cli.main(['show', 'classe-a-12', '--db', {str(demo_db)!r}, '--as-of', '2018-06-01'])\n"
        "heavy = sorted(m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _budget(out: str) -> dict[str, str]:
    """The budget panel's rows: label → value (the panel's frame taken off)."""
    rows = {}
    inside = False
    for line in out.splitlines():
        if "Budget" in line and "─" in line:
            inside = True
            continue
        if inside and line.lstrip().startswith("╰"):
            break
        if inside:
            cells = line.strip().strip("│").strip()
            label, _gap, value = cells.partition("   ")
            rows[label.strip()] = value.strip()
    return rows


def test_a_startup_with_no_convention_shows_no_zero_for_what_is_unknown(run, demo_db):
    assert run("import", "betagouv", FIXTURES / "betagouv", "--db", demo_db).code in (0, 1)
    shown = run("show", "basegun", "--as-of", "2026-12-01", "--db", demo_db)
    assert shown.code == 0, shown.err
    budget = _budget(shown.out)
    assert budget["Enveloppe"] == "aucune convention"
    for label in (
        "En attente de signature",
        "Consommé",
        "Reste",
        "Engagé (AE)",
        "Payé (CP)",
        "Reste à payer",
        "Hors convention",
        "Rythme (90 jours)",
    ):
        assert budget[label] == "—", (label, budget[label])
    assert "0 €" not in shown.out

    # show's JSON says null where the report's JSON does, and 0 where it does.
    card_json = run("show", "basegun", "--as-of", "2026-12-01", "--format", "json", "--db", demo_db)
    a = card_json.json()["assessment"]
    report = run("report", "--as-of", "2026-12-01", "--format", "json", "--db", demo_db).json()
    (row,) = [r for r in report["startups"] if r["slug"] == "basegun"]
    pairs = {
        "envelope_cents": "envelope_eur",
        "remaining_cents": "remaining_eur",
        "consumed_cents": "consumed_eur",
        "pending_cents": "pending_eur",
        "paid_cents": "paid_eur",
        "cp_left_this_year_cents": "cp_left_this_year_eur",
        "runway_months": "runway_months",
    }
    for card_key, report_key in pairs.items():
        assert (a[card_key] is None) == (row[report_key] is None), card_key
    assert a["envelope_cents"] is None and a["remaining_cents"] is None

    # Lines recorded with no convention: their real sum, not a dash (outside any
    # convention: nothing is consumed of a convention).
    added = run(
        "expense", "add", "basegun", "--date", "2026-11-02", "--amount", "1200",
        "--label", "hébergement", "--db", demo_db,
    )  # fmt: skip
    assert added.code == 0, added.err
    budget = _budget(run("show", "basegun", "--as-of", "2026-12-01", "--db", demo_db).out)
    assert budget["Enveloppe"] == "aucune convention"
    assert budget["Hors convention"] == "1\u202f200\u00a0€"
    assert budget["Rythme (90 jours)"] == "400\u00a0€/mois"
    assert budget["Consommé"] == budget["Reste"] == budget["En attente de signature"] == "—"

    english = run("--lang", "en", "show", "basegun", "--as-of", "2026-12-01", "--db", demo_db)
    budget = _budget(english.out)
    assert budget["Envelope"] == "no convention" and budget["Consumed"] == "—"
    assert budget["Outside any convention"] == "€1,200" and "€0" not in english.out
