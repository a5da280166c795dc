"""Backups, restore and the JSON export: a round trip loses nothing, on both engines."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest
from sqlalchemy import create_engine

from store.engine import alembic_config
from store.export import EXPORT_SCHEMA, export_data
from store.open import open_store
from store.schema import HEAD, REVISIONS, SchemaState, sqlite_state


def export(run, db) -> dict:
    result = run("export", "--db", db, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def comparable(data: dict) -> dict:
    """An export as a restore reproduces it: the facts as they were, the derived rows
    (recomputed by the rules, their ids new) as a set, and no audit log (a restore's log
    is its own entry)."""
    tables = dict(data["tables"])
    tables.pop("audit_log")
    for name in ("consumption_month", "startup_state"):
        tables[name] = sorted(
            (tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in tables[name]),
            key=repr,
        )
    return data | {"tables": tables}


def without_restore_entry(data: dict) -> dict:
    """A restored store's export, checked to hold the restore's entry alone in its log."""
    (entry,) = data["tables"]["audit_log"]
    assert entry["action"] == "restore"
    return comparable(data)


def test_export_is_schema_versioned_plain_data(run, demo_db):
    data = export(run, demo_db)
    assert data["schema"] == EXPORT_SCHEMA and data["revision"] == HEAD
    tables = data["tables"]
    assert "alembic_version" not in tables
    c2018 = next(
        c for c in tables["convention"] if c["source"] == "demo:classe-a-12/convention-2018"
    )
    assert c2018["ceiling_cents"] == 26_970_000 and c2018["signed_on"] == "2018-04-12"
    assert c2018["ends_on"] == "2018-10-01" and c2018["starts_on"] is None
    assert c2018["placeholder"] is False
    assert all(type(r["amount_cents"]) is int for r in tables["consumption_line"])
    assert [r["id"] for r in tables["convention"]] == sorted(r["id"] for r in tables["convention"])


def test_round_trip_loses_nothing(run, demo_url, other_engine_url, tmp_path):
    """demo → JSON backup → restore into a fresh store → export: the same content.

    Run for each pair of engines (SQLite → PostgreSQL included).
    """
    engine_url = other_engine_url
    first = export(run, demo_url)
    assert sum(len(rows) for rows in first["tables"].values()) > 50
    backup_file = tmp_path / "backup.json"
    assert run("backup", backup_file, "--db", demo_url).code == 0
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    result = run("restore", backup_file, "--db", engine_url)
    assert result.code == 0, result.err
    second = export(run, engine_url)
    assert without_restore_entry(second) == comparable(first)
    # And the restored store works: same report, new rows get new ids.
    for day in ("2018-06-01", "2018-12-31"):
        a = run("report", "--db", demo_url, "--as-of", day, "-f", "json").out
        b = run("report", "--db", engine_url, "--as-of", day, "-f", "json").out
        assert a == b
    s = open_store(engine_url)
    from store import models as m

    with s.session() as session:
        org = m.Organisation(slug="new-one", name="New")
        session.add(org)
        session.flush()
        assert org.id > max(r["id"] for r in first["tables"]["organisation"])
    s.dispose()


def test_sqlite_backup_is_a_consistent_copy(run, demo_db, tmp_path):
    dest = tmp_path / "copy.db"
    result = run("backup", dest, "--db", demo_db)
    assert result.code == 0, result.err
    assert sqlite_state(dest) == (SchemaState.CURRENT, HEAD)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert export(run, dest) == export(run, demo_db)
    # A backup never overwrites anything.
    again = run("backup", dest, "--db", demo_db)
    assert again.code == 2 and "existe déjà" in again.err
    assert export(run, dest) == export(run, demo_db)


def test_restore_from_a_sqlite_backup_replaces_after_confirmation(run, demo_db, tmp_path):
    copy = tmp_path / "copy.db"
    assert run("backup", copy, "--db", demo_db).code == 0
    before = export(run, demo_db)
    # Not empty, not confirmed (no terminal to ask on): refused, nothing written.
    refused = run("restore", copy, "--db", demo_db)
    assert refused.code == 2 and "--yes" in refused.err
    assert export(run, demo_db) == before
    result = run("restore", copy, "--db", demo_db, "--yes")
    assert result.code == 0, result.err
    assert without_restore_entry(export(run, demo_db)) == comparable(before)


@pytest.mark.postgres
def test_postgres_is_backed_up_as_json(run, pg_url, tmp_path):
    assert run("demo", "--db", pg_url, "--no-tui").code == 0
    result = run("backup", tmp_path / "pg.db", "--db", pg_url)
    assert result.code == 2 and ".json" in result.err
    assert not (tmp_path / "pg.db").exists()
    assert run("backup", tmp_path / "pg.json", "--db", pg_url).code == 0
    assert json.loads((tmp_path / "pg.json").read_text())["schema"] == EXPORT_SCHEMA


def _malformed(data: dict) -> list[tuple[str, dict | str]]:
    conventions = data["tables"]["convention"]
    bad_date = [dict(conventions[0], signed_on="12/04/2018"), *conventions[1:]]
    bad_cents = [dict(conventions[0], ceiling_cents="269 700 €"), *conventions[1:]]
    dangling = [dict(conventions[0], startup_id=999_999), *conventions[1:]]
    return [
        ("not json", "{this is not json"),
        ("other schema", data | {"schema": "something/1"}),
        ("future revision", data | {"revision": "9999_future"}),
        ("unknown table", data | {"tables": data["tables"] | {"nope": []}}),
        ("bad date", data | {"tables": data["tables"] | {"convention": bad_date}}),
        ("bad cents", data | {"tables": data["tables"] | {"convention": bad_cents}}),
        ("dangling key", data | {"tables": data["tables"] | {"convention": dangling}}),
        ("unknown column", data | {"tables": data["tables"] | {"phase": [{"nope": 1}]}}),
    ]


def test_a_bad_export_changes_nothing(run, demo_db, tmp_path):
    data = export(run, demo_db)
    target = tmp_path / "target.db"
    assert run("demo", "--db", target, "--no-tui").code == 0
    before = export(run, target)
    for name, bad in _malformed(data):
        src = tmp_path / f"{name}.json"
        src.write_text(bad if isinstance(bad, str) else json.dumps(bad))
        result = run("restore", src, "--db", target, "--yes")
        assert result.code in (1, 2), name
        assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
        assert str(src) in result.err, (name, result.err)
        assert export(run, target) == before, name


def test_an_export_of_an_earlier_schema_is_upgraded_on_restore(run, tmp_path):
    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), REVISIONS[0])
    engine.dispose()
    con = sqlite3.connect(old)
    con.executescript(
        """
        INSERT INTO startup (id, slug, title, upstream_missing) VALUES (1, 's', 'S', 0);
        INSERT INTO convention (id, startup_id, kind, signed_on, ceiling_cents, placeholder)
            VALUES (1, 1, 'convention', '2018-04-12', 1000000, 0);
        INSERT INTO consumption_line (startup_id, date, amount_cents, kind, label)
            VALUES (1, '2018-06-01', 500, 'payment', 'x');
        """
    )
    con.commit()
    con.close()
    # The export of the old store, read by reflection (no upgrade: a plain file copy).
    src = tmp_path / "old.json"
    from store.db import Store
    from store.export import dumps
    from store.location import resolve

    src.write_text(dumps(export_data(Store(resolve(str(old))))))
    assert json.loads(src.read_text())["revision"] == REVISIONS[0]
    target = tmp_path / "new.db"
    result = run("restore", src, "--db", target)
    assert result.code == 0, result.err
    data = export(run, target)
    (line,) = data["tables"]["consumption_line"]
    assert line["counted_convention_id"] == 1  # attributed by the upgrade's own rules
    assert line["version"] == 2  # …which is a change of the row: its version moved on


@pytest.mark.postgres
def test_postgres_upgrade_keeps_a_json_backup(pg_url, tmp_path, monkeypatch):
    from alembic import command

    engine = create_engine(pg_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), REVISIONS[0])
        connection.exec_driver_sql(
            "INSERT INTO startup (id, slug, title, upstream_missing) VALUES (1, 's', 'S', false)"
        )
    engine.dispose()
    s = open_store(pg_url)
    s.dispose()
    assert s.upgraded_from == REVISIONS[0]
    assert s.backup_path is not None and s.backup_path.suffix == ".json"
    assert str(s.backup_path).startswith(str(tmp_path.parent)) or "startups" in str(s.backup_path)
    saved = json.loads(s.backup_path.read_text())
    assert saved["revision"] == REVISIONS[0]
    assert saved["tables"]["startup"][0]["slug"] == "s"
    assert stat.S_IMODE(s.backup_path.stat().st_mode) == 0o600
