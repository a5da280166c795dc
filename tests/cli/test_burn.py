"""startups burn, report --alerts/--sort, the read path's imports, the bench generator."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_burn_json_on_the_demo(run, demo_url):
    result = run("burn", "classe-a-12", "--db", demo_url, "--as-of", "2018-09-15", "-f", "json")
    assert result.code == 0, result.err
    series = {p["month"]: p for p in result.json()["series"]}
    # The 2018 convention: 12 April to 1 October 2018, 269 700 €.
    assert list(series) == [f"2018-{m:02d}" for m in range(4, 11)]
    assert series["2018-05"] == {
        "month": "2018-05",
        "envelope_eur": 269700.0,
        "consumed_eur": 0.0,
        "remaining_eur": 269700.0,
        "projected_eur": None,
        "engaged_eur": 0.0,
        "paid_eur": 0.0,
    }
    # 38 000 + 41 000 + 44 000 by the end of August; nothing more by 15 September.
    assert series["2018-08"]["consumed_eur"] == 123000.0
    # The demo's lines are direct payments: engaged and paid alike.
    assert series["2018-08"]["engaged_eur"] == series["2018-08"]["paid_eur"] == 123000.0
    assert series["2018-09"]["remaining_eur"] == 146700.0
    assert series["2018-09"]["projected_eur"] == 146700.0
    # 41 000 €/month for the 16 days to 1 October: 146 700 − 21 866.67.
    assert series["2018-10"]["projected_eur"] == 124833.33
    assert series["2018-10"]["consumed_eur"] is None


def test_burn_all_and_after_the_end(run, demo_url):
    # On 1 June 2019 nothing is in force: the last convention to have ended is drawn,
    # with the balance paid on 31 October 2018 (32 000 €) counted against it.
    result = run("burn", "classe-a-12", "--db", demo_url, "--as-of", "2019-06-01", "-f", "json")
    series = result.json()["series"]
    assert series[-1]["month"] == "2018-10" and series[-1]["consumed_eur"] == 201000.0
    everything = run(
        "burn", "classe-a-12", "--db", demo_url, "--as-of", "2019-06-01", "--all", "-f", "json"
    ).json()["series"]
    assert everything[-1] == {
        "month": "2019-06",
        "envelope_eur": 269700.0,
        "consumed_eur": 201000.0,
        "remaining_eur": 68700.0,
        "projected_eur": 68700.0,
        "engaged_eur": 201000.0,
        "paid_eur": 201000.0,
    }


def test_burn_chart_and_errors(run, demo_url):
    result = run("burn", "classe-a-12", "--db", demo_url, "--as-of", "2018-09-15")
    assert result.code == 0, result.err
    assert "2018-04" in result.out and "\x1b[" not in result.out
    missing = run("burn", "nope", "--db", demo_url)
    assert missing.code == 2 and missing.err.count("\n") == 1 and "nope" in missing.err


def test_report_alerts_and_sort(run, demo_url):
    def slugs(*args):
        result = run("report", "--db", demo_url, "--as-of", "2018-06-01", "-f", "json", *args)
        assert result.code == 0, result.err
        return [s["slug"] for s in result.json()["startups"]], result.json()["totals"]

    # On 1 June 2018 only DossierSco has an alert (AMOUNT_UNKNOWN); totals follow the filter.
    only, totals = slugs("--alerts")
    assert only == ["dossiersco"] and totals["startups"] == 1
    assert slugs("--sort", "envelope")[0] == ["classe-a-12", "dossiersco"]  # unknown last
    assert slugs("--sort", "alerts")[0] == ["dossiersco", "classe-a-12"]
    assert slugs("--sort", "title")[0] == ["classe-a-12", "dossiersco"]
    assert run("report", "--db", demo_url, "--sort", "size").code == 2


def test_read_commands_import_no_textual_nor_sqlalchemy(demo_db):
    for args in (
        ["report", "--db", str(demo_db), "--as-of", "2018-06-01", "--format", "json"],
        ["burn", "classe-a-12", "--db", str(demo_db), "--as-of", "2018-06-01", "-f", "json"],
    ):
        code = (
            "import sys, cli\n"
            f"rc = cli.main({args!r})\n"
            "heavy = sorted(m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'alembic', 'plotext')"
            " if m in sys.modules)\n"
            "print('HEAVY', heavy, file=sys.stderr)\n"
            "sys.exit(rc)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
        )
        assert proc.returncode == 0, proc.stderr
        assert "HEAVY []" in proc.stderr, (args, proc.stderr)


def test_generator_smoke(tmp_path, run):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path / "bench.db"
    counts = generate.generate(path, startups=20, expenses=500, seed=3)
    assert counts["startup"] == 20 and counts["consumption_line"] == 500
    con = sqlite3.connect(path)
    as_of = "2030-01-01"  # after every line: consumed = every attributed line in force…
    attributed = dict(
        con.execute(
            "SELECT counted_convention_id, SUM(amount_cents) FROM consumption_line "
            "WHERE counted_convention_id IS NOT NULL GROUP BY counted_convention_id"
        ).fetchall()
    )
    unattributed = (
        con.execute(
            "SELECT SUM(amount_cents) FROM consumption_line WHERE counted_convention_id IS NULL"
        ).fetchone()[0]
        or 0
    )
    con.close()
    for day in ("2018-03-15", "2021-07-31", as_of):
        result = run("report", "--db", path, "--as-of", day, "-f", "json")
        assert result.code == 0, result.err
        data = result.json()
        assert len(data["startups"]) == 20
        total = sum(s["consumed_eur"] for s in data["startups"])
        assert round(total, 2) == data["totals"]["consumed_eur"]
    # Long after the end, nothing is in force: all the money shows as unattributed or past.
    assert round(sum(s["unattributed_eur"] for s in data["startups"]) * 100) == unattributed
    assert sum(attributed.values()) > 0


def test_rollup_figures_equal_a_direct_sum(tmp_path):
    """The as-of figures read from the rollup equal plain sums over the lines."""
    import datetime as dt

    from store.facts import load_facts
    from store.open import open_reader

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = tmp_path / "bench.db"
    generate.generate(path, startups=20, expenses=800, seed=5)
    con = sqlite3.connect(path)
    for day in (dt.date(2017, 2, 28), dt.date(2020, 2, 29), dt.date(2023, 12, 31)):
        direct = dict(
            con.execute(
                "SELECT counted_convention_id, SUM(amount_cents) FROM consumption_line "
                "WHERE date <= ? AND counted_convention_id IS NOT NULL "
                "GROUP BY counted_convention_id",
                (day.isoformat(),),
            ).fetchall()
        )
        window = dict(
            con.execute(
                "SELECT startup_id, SUM(amount_cents) FROM consumption_line "
                "WHERE date > ? AND date <= ? GROUP BY startup_id",
                ((day - dt.timedelta(days=90)).isoformat(), day.isoformat()),
            ).fetchall()
        )
        with open_reader(str(path)) as reader:
            facts = load_facts(reader, day)
        rolled = {c: v for f in facts.values() for c, v in f.consumed_cents.items()}
        assert rolled == direct, day
        assert {s: f.burn_window_cents for s, f in facts.items() if f.burn_window_cents} == window
    con.close()
