"""Backups and restores, on every engine.

* ``backup`` writes a SQLite file with SQLite's online backup API, or a JSON export
  (``store.export``) for any engine (a destination ending in ``.json``).
* ``restore`` replaces a store's whole content with a backup file or an export, in
  one transaction: an error (a malformed file, a bad row) leaves the store as it was.
  An export made by an earlier schema is first upgraded in a scratch SQLite store by
  the migrations themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Table, create_engine, func, select
from sqlalchemy.exc import DBAPIError

from store.audit import record_restore
from store.db import begin_write, raise_if_unwritable
from store.engine import alembic_config, backup_sqlite
from store.errors import BadInput, NotAStore, StartupsError
from store.export import EXPORT_SCHEMA, export_data, private_new_file, reflect, write_export
from store.open import open_store
from store.schema import HEAD, REVISIONS, SchemaState, sqlite_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from store.db import Store


def backup(store: Store, dest: Path) -> Path:
    """Back the store up to ``dest``: a JSON export (``*.json``) or a SQLite copy."""
    dest = dest.expanduser().absolute()
    if dest.suffix.lower() == ".json":
        return write_export(store, dest)
    if store.location.path is None:
        raise BadInput(
            f"{dest}: a {store.location.url.split(':', 1)[0]} store is backed up as a JSON "
            "export: give a destination ending in .json"
        )
    if dest == store.location.path:
        raise BadInput(f"{dest}: that is the store itself")
    os.close(private_new_file(dest))
    dest.unlink()
    try:
        return backup_sqlite(store.location.path, dest)
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise StartupsError(f"{dest}: the backup failed ({exc})") from exc


# --- restore -------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    rows: int
    replaced: int
    source_revision: str | None


def load_file(src: Path) -> dict[str, Any]:
    """An export read from a JSON file, or a SQLite backup file exported in memory."""
    src = src.expanduser().absolute()
    if not src.exists():
        raise BadInput(f"{src}: no such file")
    if src.is_dir():
        raise BadInput(f"{src}: is a directory, not a backup")
    with src.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3"):
        state, _ = sqlite_state(src)
        if state is SchemaState.EMPTY:
            raise BadInput(f"{src}: an empty store, nothing to restore")
        with tempfile.TemporaryDirectory(prefix="startups-restore-") as tmp:
            # A copy: the backup itself is never touched (it may be of an older revision,
            # which opening upgrades).
            copy = Path(tmp) / "backup.db"
            shutil.copyfile(src, copy)
            scratch = open_store(str(copy), create=False)
            try:
                return export_data(scratch)
            finally:
                scratch.dispose()
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotAStore(f"{src}: neither a SQLite backup nor a JSON export ({exc})") from exc
    check_export(data, str(src))
    return data


def check_export(data: Any, where: str) -> None:
    if not isinstance(data, dict) or data.get("schema") != EXPORT_SCHEMA:
        raise NotAStore(f'{where}: not a startups export (no "schema": "{EXPORT_SCHEMA}")')
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in tables.values()
    ):
        raise BadInput(f'{where}: "tables" must map each table to a list of rows')
    revision = data.get("revision")
    if revision not in REVISIONS:
        raise StartupsError(
            f"{where}: exported by another version of startups (schema {revision!r}, "
            f"this version knows up to {HEAD})"
        )


def _convert(table: Table, row: dict[str, Any], where: str, index: int) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            raise BadInput(f"{where}: table {table.name}, row {index + 1}: no column {name!r}")
        if value is not None:
            try:
                if isinstance(column.type, DateTime):
                    value = dt.datetime.fromisoformat(value)
                elif isinstance(column.type, Date):
                    value = dt.date.fromisoformat(value)
                elif isinstance(column.type, Boolean):
                    if not isinstance(value, bool):
                        raise TypeError
                elif isinstance(column.type, Integer):
                    if isinstance(value, bool) or not isinstance(value, int):
                        raise TypeError
                elif isinstance(column.type, Float) and (
                    isinstance(value, bool) or not isinstance(value, int | float)
                ):
                    raise TypeError
            except (TypeError, ValueError):
                raise BadInput(
                    f"{where}: table {table.name}, row {index + 1}, column {name}: "
                    f"{value!r} is not a valid {column.type}"
                ) from None
        out[name] = value
    return out


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows ordered so that a row referencing its own table comes after its target."""
    own = [
        (fk.parent.name, fk.column.name)
        for fk in table.foreign_keys
        if fk.column.table.name == table.name
    ]
    if not own:
        return rows
    ordered: list[dict[str, Any]] = []
    placed: set[tuple[str, Any]] = set()
    pending = rows
    while pending:
        later = []
        for row in pending:
            refs = [(target, row.get(col)) for col, target in own if row.get(col) is not None]
            if all(ref in placed for ref in refs):
                ordered.append(row)
                placed.update((col_target, row.get(col_target)) for _, col_target in own)
            else:
                later.append(row)
        if len(later) == len(pending):  # a cycle or a dangling reference: the FK will say
            ordered.extend(later)
            break
        pending = later
    return ordered


def _reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each id sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.exec_driver_sql(
                "SELECT pg_get_serial_sequence(%(t)s, %(c)s)",
                {"t": table.name, "c": column.name},
            ).scalar()
            if sequence:
                top = connection.execute(select(func.max(column))).scalar()
                connection.exec_driver_sql(
                    "SELECT setval(%(s)s, %(v)s, %(called)s)",
                    {"s": sequence, "v": top or 1, "called": top is not None},
                )


def count_rows(store: Store) -> int:
    """How many rows the store holds (the audit log included)."""
    with store.engine.connect() as connection:
        return sum(
            connection.execute(select(func.count()).select_from(t)).scalar() or 0
            for t in reflect(connection)
        )


def _upgraded(data: dict[str, Any], where: str) -> dict[str, Any]:
    """An export of an earlier schema, brought to the current one by the migrations."""
    from alembic import command

    with tempfile.TemporaryDirectory(prefix="startups-restore-") as tmp:
        path = Path(tmp) / "old.db"
        engine = create_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), data["revision"])
        with engine.begin() as connection:
            _load(connection, data, where)
        engine.dispose()
        scratch = open_store(str(path), create=False)
        try:
            return export_data(scratch)
        finally:
            scratch.dispose()


def _load(connection: Connection, data: dict[str, Any], where: str) -> int:
    tables = reflect(connection)
    known = {t.name for t in tables}
    unknown = sorted(set(data["tables"]) - known)
    if unknown:
        raise BadInput(f"{where}: unknown table {unknown[0]!r}")
    for table in reversed(tables):
        connection.execute(table.delete())
    restored = 0
    for table in tables:
        rows = [
            _convert(table, r, where, i) for i, r in enumerate(data["tables"].get(table.name, []))
        ]
        if rows:
            for row in _parents_first(table, rows):
                connection.execute(table.insert(), row)
            restored += len(rows)
    _reset_sequences(connection, tables)
    return restored


def restore(store: Store, data: dict[str, Any], *, replace: bool, where: str) -> RestoreResult:
    """Replace the store's content with ``data``, in one transaction.

    A store that holds anything is only replaced when ``replace`` is true.
    """
    check_export(data, where)
    source_revision = data["revision"]
    if source_revision != HEAD:
        data = _upgraded(data, where)
    try:
        with begin_write(store) as connection:
            existing = sum(
                connection.execute(select(func.count()).select_from(t)).scalar() or 0
                for t in reflect(connection)
            )
            if existing and not replace:
                raise BadInput(
                    f"{store.location.display()}: holds {existing} rows; restoring replaces "
                    "them all (confirm with --yes)"
                )
            restored = _load(connection, data, where)
            record_restore(connection, store, where=where, rows=restored, replaced=existing)
    except DBAPIError as exc:
        raise_if_unwritable(store.location, exc)
        first = (str(exc.orig).strip().splitlines() or ["?"])[0]
        raise BadInput(
            f"{where}: cannot be restored, nothing changed ({store.location.scrub(first)})"
        ) from exc
    return RestoreResult(rows=restored, replaced=existing, source_revision=source_revision)
