"""Restore checks what it is given: derived rows recomputed, every row checked as the
importers and forms check it, one readable line for every file it cannot take."""

from __future__ import annotations

import copy
import json
import os
import sqlite3

import pytest


def export(run, db) -> dict:
    result = run("export", "--db", db)
    assert result.code == 0, result.err
    return json.loads(result.out)


def write(tmp_path, data, name="forged.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def consumed(run, db, slug="classe-a-12", day="2018-09-15") -> float:
    rows = run("report", "--db", db, "--as-of", day, "-f", "json").json()["startups"]
    return next(r for r in rows if r["slug"] == slug)["consumed_eur"]


def test_forged_derived_rows_count_for_nothing(run, demo_db, tmp_path):
    data = export(run, demo_db)
    forged = copy.deepcopy(data)
    for row in forged["tables"]["consumption_month"]:
        row["cum_cents"] = row["amount_cents"] = row["paid_cents"] = 100
    for row in forged["tables"]["startup_state"]:
        row["envelope_cents"] = 99_999_999_900
        row["alerts"] = ""
        row["roots"] = "[[not json"
    forged["tables"]["audit_log"].append(
        dict(forged["tables"]["audit_log"][0], id=10_000, actor="forger", label="forged")
    )
    target = tmp_path / "restored.db"
    result = run("restore", write(tmp_path, forged), "--db", target)
    assert result.code == 0, result.err
    assert consumed(run, target) == consumed(run, demo_db) == 123000.0
    report = run("report", "--db", target, "--as-of", "2018-09-15", "-f", "json").json()
    classe = next(r for r in report["startups"] if r["slug"] == "classe-a-12")
    assert classe["envelope_eur"] == 269700.0 and "EXPIRING" in classe["alerts"]
    (entry,) = export(run, target)["tables"]["audit_log"]  # the restore's own, alone
    assert entry["action"] == "restore" and entry["actor"] != "forger"


def _forged(data, table, index, **values):
    forged = copy.deepcopy(data)
    forged["tables"][table][index].update(values)
    return forged


@pytest.mark.parametrize(
    ("table", "values", "said"),
    [
        ("convention", {"ends_on": "9999-12-31"}, "n'est pas un jour plausible"),
        ("consumption_line", {"amount_cents": 5 * 10**18}, "dépasse tout budget"),
        ("consumption_line", {"amount_cents": -500}, "est un montant négatif"),
        ("consumption_line", {"amount_cents": 2**70}, "ne tient pas sur 64 bits"),
        (
            "consumption_line",
            {"kind": "virement"},
            "n'est pas l'une des valeurs engagement, payment",
        ),
        ("deadline", {"kind": "party"}, "n'est pas l'une des valeurs deliverable"),
        ("convention", {"kind": "contrat"}, "n'est pas l'une des valeurs convention, avenant"),
        ("convention", {"evidence": "{not json"}, "n'est pas du JSON valide"),
    ],
)
def test_every_row_is_checked(run, demo_db, tmp_path, table, values, said):
    data = export(run, demo_db)
    path = write(tmp_path, _forged(data, table, 0, **values))
    target = tmp_path / "restored.db"
    result = run("restore", path, "--db", target)
    assert result.code == 2, result.err
    assert said in result.err and f"table {table}, ligne 1" in result.err
    assert result.err.count("\n") == 1
    assert not target.exists()  # nothing half-written: no store created either


def test_a_json_nested_without_end_is_one_line(run, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = run("restore", deep, "--db", tmp_path / "x.db")
    assert result.code == 2 and "imbrication trop profonde" in result.err
    assert result.err.count("\n") == 1


def test_a_number_of_thousands_of_digits_is_one_line(run, tmp_path):
    huge = tmp_path / "huge.json"
    huge.write_text('{"schema": "startups.export/1", "revision": ' + "9" * 5000 + "}")
    result = run("restore", huge, "--db", tmp_path / "x.db")
    assert result.code == 2 and "ni une sauvegarde SQLite ni un export JSON" in result.err
    assert result.err.count("\n") == 1


def test_an_impossible_date_in_a_sqlite_backup_is_one_line(run, demo_db, tmp_path):
    backup = tmp_path / "b.db"
    assert run("backup", backup, "--db", demo_db).code == 0
    con = sqlite3.connect(backup)
    con.execute("UPDATE convention SET signed_on = '2019-02-30' WHERE id = 1")
    con.commit()
    con.close()
    result = run("restore", backup, "--db", tmp_path / "x.db")
    assert result.code == 2, result.err
    assert str(backup) in result.err and result.err.count("\n") == 1


def test_a_corrupt_sqlite_file_is_one_line(run, demo_db, tmp_path):
    backup = tmp_path / "b.db"
    assert run("backup", backup, "--db", demo_db).code == 0
    data = bytearray(backup.read_bytes())
    data[4096 : 4096 * 3] = os.urandom(8192)
    backup.write_bytes(bytes(data))
    result = run("restore", backup, "--db", tmp_path / "x.db")
    assert result.code == 2 and str(backup) in result.err
    assert result.err.count("\n") == 1


def test_a_backup_from_a_newer_version_names_the_file_given(run, demo_db, tmp_path):
    backup = tmp_path / "b.db"
    assert run("backup", backup, "--db", demo_db).code == 0
    con = sqlite3.connect(backup)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    result = run("restore", backup, "--db", tmp_path / "x.db")
    assert result.code == 1 and f"{backup} : créé par une version plus récente" in result.err
    assert result.err.count("\n") == 1


def test_a_fifo_is_refused_at_once(run, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = run("restore", fifo, "--db", tmp_path / "x.db")
    assert result.code == 2 and "pas un fichier ordinaire" in result.err


def test_a_restore_leaves_no_copy_of_the_backup(run, demo_db, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)
    backup = tmp_path / "b.db"
    assert run("backup", backup, "--db", demo_db).code == 0
    assert run("restore", backup, "--db", tmp_path / "x.db").code == 0
    assert list(scratch.iterdir()) == []  # read in memory: nothing to leave behind
