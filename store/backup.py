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
import sqlite3
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    create_engine,
    func,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

import i18n
from store.audit import record_restore
from store.db import begin_write, raise_if_unwritable
from store.derived import reattribute_all
from store.engine import alembic_config, backup_sqlite
from store.errors import BadInput, NotAStore, StartupsError
from store.export import EXPORT_SCHEMA, export_data, private_new_file, reflect, write_export
from store.rules.amounts import MAX_CENTS
from store.rules.dates import check_plausible
from store.rules.vocab import CONVENTION_KINDS, DEADLINE_KINDS, LINE_KINDS, PARTY_ROLES
from store.schema import HEAD, REVISIONS, SchemaState, connect_read_only, sqlite_state

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from store.db import Store

_ = i18n.Domain("store").gettext


def backup(store: Store, dest: Path) -> Path:
    """Back the store up to ``dest``: a JSON export (``*.json``) or a SQLite copy."""
    dest = dest.expanduser().absolute()
    if dest.suffix.lower() == ".json":
        return write_export(store, dest)
    if store.location.path is None:
        raise BadInput(
            _(
                "{dest}: a {engine} store is backed up as a JSON export: give a destination "
                "ending in .json"
            ).format(dest=dest, engine=store.location.url.split(":", 1)[0])
        )
    if dest == store.location.path:
        raise BadInput(_("{dest}: that is the store itself").format(dest=dest))
    os.close(private_new_file(dest))
    dest.unlink()
    try:
        return backup_sqlite(store.location.path, dest)
    except sqlite3.Error as exc:
        dest.unlink(missing_ok=True)
        raise StartupsError(
            _("{dest}: the backup failed ({reason})").format(dest=dest, reason=exc)
        ) from exc


# --- restore -------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    rows: int
    replaced: int
    source_revision: str | None


MAX_EXPORT_BYTES = 2 * 1024**3  # 2 GiB: a bigger file is no export of this tool


def load_file(src: Path) -> dict[str, Any]:
    """An export read from a JSON file, or a SQLite backup file exported in memory.

    Nothing is copied to disk: a SQLite backup is read into memory (and brought to the
    current schema there when older), so that no copy of it is ever left behind.
    """
    src = src.expanduser().absolute()
    try:
        info = src.stat()
    except FileNotFoundError:
        raise BadInput(_("{file}: no such file").format(file=src)) from None
    except OSError as exc:
        raise BadInput(
            _("{file}: cannot read it ({reason})").format(file=src, reason=exc.strerror)
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise BadInput(_("{file}: is a directory, not a backup").format(file=src))
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(
            _("{file}: not a regular file (a FIFO or a device), not a backup").format(file=src)
        )
    if info.st_size > MAX_EXPORT_BYTES:
        raise BadInput(
            _("{file}: {size} bytes, more than a backup can be (2 GiB)").format(
                file=src, size=info.st_size
            )
        )
    with src.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"SQLite format 3"):
        state, revision = sqlite_state(src)
        if state is SchemaState.EMPTY:
            raise BadInput(_("{file}: an empty store, nothing to restore").format(file=src))
        if state is SchemaState.NEWER:
            raise StartupsError(
                _(
                    "{file}: made by a newer version of startups (schema {revision}, this "
                    "version knows up to {head}); upgrade startups to restore it"
                ).format(file=src, revision=revision, head=HEAD)
            )
        return _export_sqlite(src, upgrade_from=revision if state is SchemaState.OLD else None)
    try:
        data = json.loads(src.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: not JSON, or a number of thousands of digits; RecursionError: nested
        # deeper than any export.
        reason = _("nested too deep") if isinstance(exc, RecursionError) else str(exc)[:120]
        raise NotAStore(
            _("{file}: neither a SQLite backup nor a JSON export ({reason})").format(
                file=src, reason=reason
            )
        ) from None
    check_export(data, str(src))
    return data


class _Scratch:
    """A store in memory, for reading or upgrading a backup (``export_data`` needs an engine)."""

    def __init__(self, source: sqlite3.Connection | None = None):
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        if source is not None:
            source.backup(memory)
        self.engine = create_engine("sqlite://", creator=lambda: memory, poolclass=StaticPool)

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command  # ~0.3 s: only an older backup pays for it

        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)


def _export_sqlite(src: Path, *, upgrade_from: str | None) -> dict[str, Any]:
    try:
        source = connect_read_only(src)
        try:
            scratch = _Scratch(source)
        finally:
            source.close()
        if upgrade_from is not None:
            scratch.upgrade()
        return export_data(scratch)
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        message = str(getattr(exc, "orig", exc)).splitlines()[0][:120]
        raise NotAStore(
            _("{file}: cannot be read as a backup ({reason})").format(file=src, reason=message)
        ) from None
    except ValueError as exc:  # a value SQLite holds but no column type accepts
        raise BadInput(
            _("{file}: holds a malformed value ({reason})").format(file=src, reason=str(exc)[:120])
        ) from None


def check_export(data: Any, where: str) -> None:
    if not isinstance(data, dict) or data.get("schema") != EXPORT_SCHEMA:
        raise NotAStore(
            _('{file}: not a startups export (no "schema": "{schema}")').format(
                file=where, schema=EXPORT_SCHEMA
            )
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
        for rows in tables.values()
    ):
        raise BadInput(
            _('{file}: "tables" must map each table to a list of rows').format(file=where)
        )
    revision = data.get("revision")
    if revision not in REVISIONS:
        raise StartupsError(
            _(
                "{file}: exported by another version of startups (schema {revision}, this "
                "version knows up to {head})"
            ).format(file=where, revision=repr(revision), head=HEAD)
        )


# Derived from the rest (recomputed after a restore, never taken from the file), and the
# audit log (the restore's own entry stands for what the export held).
DERIVED_TABLES = frozenset({"consumption_month", "startup_state"})
NOT_RESTORED = DERIVED_TABLES | {"audit_log"}
INT64 = range(-(2**63), 2**63)
# What a row must hold, beyond its column's type: the checks the importers and the forms
# make.  (table, column) → (test, what it must be).
_KNOWN = {
    ("convention", "kind"): (CONVENTION_KINDS, ", ".join(CONVENTION_KINDS)),
    ("consumption_line", "kind"): (LINE_KINDS, ", ".join(LINE_KINDS)),
    ("deadline", "kind"): (DEADLINE_KINDS, ", ".join(DEADLINE_KINDS)),
    ("convention_party", "role"): (PARTY_ROLES, ", ".join(PARTY_ROLES)),
    ("objective", "direction"): (("at_least", "at_most"), "at_least, at_most"),
}
_JSON_COLUMNS = {("convention", "evidence"), ("startup", "thematiques"), ("startup", "usertypes")}


def _check(table: str, column: Column, name: str, value: Any) -> str | None:
    """Why ``value`` cannot be in this column (None: it can)."""
    if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
        try:
            check_plausible(value)
        except ValueError as exc:
            return f"{value.isoformat()} {exc}"  # exc: the reason, translated
    elif isinstance(column.type, Integer) and not isinstance(column.type, Boolean):
        if value not in INT64:
            return _("{value} does not fit in 64 bits").format(value=value)
        if name.endswith("_cents"):
            if value < 0:
                return _("{value} is a negative amount").format(value=value)
            if value > MAX_CENTS:
                return _("{value} cents is more than any budget here (10^11 €)").format(value=value)
            if table == "consumption_line" and name == "amount_cents" and value == 0:
                return _("a consumption line of 0")
    known = _KNOWN.get((table, name))
    if known is not None and value not in known[0]:
        return _("{value} is not one of {choices}").format(value=repr(value), choices=known[1])
    if (table, name) in _JSON_COLUMNS:
        try:
            json.loads(value)
        except (TypeError, ValueError, RecursionError):
            return _("is not valid JSON")
    return None


def _convert(table: Table, row: dict[str, Any], where: str, index: int) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            raise BadInput(
                _("{file}: table {table}, row {row}: no column {column}").format(
                    file=where, table=table.name, row=index + 1, column=repr(name)
                )
            )
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
                    _(
                        "{file}: table {table}, row {row}, column {column}: {value} is not a valid {type}"
                    ).format(
                        file=where,
                        table=table.name,
                        row=index + 1,
                        column=name,
                        value=repr(str(value)[:40]),
                        type=column.type,
                    )
                ) from None
            problem = _check(table.name, column, name, value)
            if problem is not None:
                raise BadInput(
                    _("{file}: table {table}, row {row}, column {column}: {problem}").format(
                        file=where, table=table.name, row=index + 1, column=name, problem=problem
                    )
                )
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
    """An export of an earlier schema, brought to the current one by the migrations (in a
    store in memory: nothing written to disk)."""
    scratch = _Scratch()
    scratch.upgrade(data["revision"])
    with scratch.engine.begin() as connection:
        _load(connection, data, where, as_is=True)
    scratch.upgrade()
    return export_data(scratch)


def _load(connection: Connection, data: dict[str, Any], where: str, *, as_is: bool = False) -> int:
    """Replace every table's rows with the export's.  The derived tables and the audit log
    are not taken from it (``as_is``: everything, for a scratch store being upgraded)."""
    tables = reflect(connection)
    known = {t.name for t in tables}
    unknown = sorted(set(data["tables"]) - known)
    if unknown:
        raise BadInput(
            _("{file}: unknown table {table}").format(file=where, table=repr(unknown[0]))
        )
    for table in reversed(tables):
        connection.execute(table.delete())
    restored = 0
    for table in tables:
        if not as_is and table.name in NOT_RESTORED:
            continue
        # (Each line's counted convention is re-derived after the load, as the rollup.)
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
                    _(
                        "{store}: holds {rows} rows; restoring replaces them all (confirm "
                        "with --yes)"
                    ).format(store=store.location.display(), rows=existing)
                )
            restored = _load(connection, data, where)
            # The derived rows (attributions, rollup, timeline) from the restored facts, by
            # the rules themselves: a forged rollup or state in the file counts for nothing.
            with Session(bind=connection) as session:
                reattribute_all(session)
                session.flush()
            record_restore(connection, store, where=where, rows=restored, replaced=existing)
    except DBAPIError as exc:
        raise_if_unwritable(store.location, exc)
        first = (str(exc.orig).strip().splitlines() or ["?"])[0]
        raise BadInput(
            _("{file}: cannot be restored, nothing changed ({reason})").format(
                file=where, reason=store.location.scrub(first)
            )
        ) from exc
    return RestoreResult(rows=restored, replaced=existing, source_revision=source_revision)
