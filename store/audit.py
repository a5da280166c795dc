"""The audit log: who changed what, when — a write hook of every session of a store.

``AuditHook`` sees each flush and each bulk statement of a ``Store.session()`` (the
CLI, the importers, the app's forms) and writes one ``audit_log`` row per inserted,
updated or deleted row, in the same transaction: a change and its audit entry are
committed (or lost) together, and nobody has to remember to log.  Sessions opened
otherwise (the migrations, a restore's own connection) are not watched.

The actor is the store's ``actor`` (the app may set it), else the process-wide one
(``set_actor``, from ``--as NAME``), else the OS user.  Reading the log is
``store.queries.history``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert as sql_insert
from sqlalchemy import inspect

from store.models import AuditLog, Convention, Objective

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    from store.db import BulkWrite, Store

# Columns whose changes are bookkeeping, not edits: never logged on their own.
NOT_LOGGED = {"version", "counted_convention_id"}
# Columns that name a row in the log, first found wins.
LABEL_COLUMNS = ("slug", "title", "label", "name", "metric", "role", "key")
PENDING = "startups.audit_pending"
# Above this many rows in one bulk insert, the log holds one entry for all of them.
BULK_LOGGED_ONE_BY_ONE = 100

_actor: str | None = None


def set_actor(name: str | None) -> None:
    """Name who makes the changes of this process (``--as NAME``); None: the OS user."""
    global _actor
    _actor = name.strip() if name and name.strip() else None


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return f"uid {os.getuid()}"


def current_actor(store: Store | None = None) -> str:
    return (store.actor if store is not None else None) or _actor or os_user()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _startup_id_of(session: Session, table: str, values: dict[str, Any]) -> int | None:
    """Which startup a row belongs to, for a startup's history."""
    if table == "startup":
        return values.get("id")
    if values.get("startup_id") is not None:
        return values["startup_id"]
    parent = None
    if values.get("convention_id") is not None:
        parent = session.get(Convention, values["convention_id"])
    elif values.get("objective_id") is not None:
        parent = session.get(Objective, values["objective_id"])
    return getattr(parent, "startup_id", None)


def _label(values: dict[str, Any]) -> str | None:
    for column in LABEL_COLUMNS:
        if values.get(column):
            return str(values[column])[:120]
    return None


def _row_id(obj: Any) -> str:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join("?" if part is None else str(part) for part in key)


def _values(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key, None) for c in inspect(obj).mapper.column_attrs}


def _created(values: dict[str, Any]) -> dict[str, list]:
    return {k: [None, _plain(v)] for k, v in values.items() if k not in NOT_LOGGED}


def _entries_for(session: Session) -> list[tuple]:
    rows = []
    for obj in session.new:
        if isinstance(obj, AuditLog) or not hasattr(obj, "__table__"):
            continue
        values = _values(obj)
        rows.append(("insert", obj, values, _created(values)))
    for obj in session.dirty:
        if isinstance(obj, AuditLog) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        values = {}
        changes = {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            values[attr.key] = getattr(obj, attr.key, None)
            if attr.key in NOT_LOGGED or not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = [_plain(before), _plain(after)]
        if changes:
            rows.append(("update", obj, values, changes))
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            continue
        values = _values(obj)
        changes = {k: [_plain(v), None] for k, v in values.items() if k not in NOT_LOGGED}
        rows.append(("delete", obj, values, changes))
    return rows


def _entry(store, table: str, action: str, row_id, startup_id, label, changes) -> dict:
    return {
        "at": _now(),
        "actor": current_actor(store),
        "action": action,
        "table_name": table,
        "row_id": row_id,
        "startup_id": startup_id,
        "label": label,
        "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
    }


class AuditHook:
    """Writes the audit log of a session's changes (a ``store.db.WriteHook``)."""

    def install(self, session: Session) -> None:
        session.info[PENDING] = []

    def before_flush(self, session: Session) -> None:
        # Ids of new rows are only known after the flush; keep what is needed until then.
        with session.no_autoflush:
            pending = []
            for action, obj, values, changes in _entries_for(session):
                startup_id = (
                    None
                    if action == "insert"
                    else _startup_id_of(session, obj.__table__.name, values)
                )
                pending.append((action, obj, values, changes, startup_id))
        session.info[PENDING] = pending

    def after_flush(self, session: Session) -> None:
        pending = session.info.get(PENDING)
        session.info[PENDING] = []
        if not pending:
            return
        store = session.info.get("store")
        entries = []
        for action, obj, values, changes, startup_id in pending:
            if action == "insert":
                # Now that the row is written, its generated id is known.
                values = _values(obj)
                changes = _created(values)
                with session.no_autoflush:
                    startup_id = _startup_id_of(session, obj.__table__.name, values)
            entries.append(
                _entry(
                    store,
                    obj.__table__.name,
                    action,
                    _row_id(obj),
                    startup_id,
                    _label(values),
                    changes,
                )
            )
        session.connection().execute(sql_insert(AuditLog.__table__), entries)

    def bulk(self, session: Session, write: BulkWrite) -> None:
        """ORM bulk statements skip the flush: log them as they come.  An insert of many
        rows at once (an import's batch) is one entry saying how many, from where."""
        table = write.table.name
        if table == AuditLog.__tablename__:
            return
        store = session.info.get("store")
        where = write.where
        if write.action == "insert" and len(write.rows) > BULK_LOGGED_ONE_BY_ONE:
            first, last = write.rows[0], write.rows[-1]
            startups = {row.get("startup_id") for row in write.rows}
            changes = {"rows": [None, len(write.rows)]}
            if first.get("source"):
                changes["source"] = [None, f"{first['source']} … {last.get('source')}"]
            entry = _entry(
                store,
                table,
                "insert",
                None,
                startups.pop() if len(startups) == 1 else None,
                f"{len(write.rows)} rows",
                changes,
            )
            session.connection().execute(sql_insert(AuditLog.__table__), entry)
            return
        entries = []
        with session.no_autoflush:
            for values in write.rows:
                if write.action == "insert":
                    changes, label, row_id = _created(values), _label(values), None
                else:
                    # An UPDATE/DELETE … WHERE: which rows it touches is not known here;
                    # say what it did.
                    changes = {k: [None, _plain(v)] for k, v in values.items()}
                    label = str(where) if where is not None else None
                    row_id = "*"
                entries.append(
                    _entry(
                        store,
                        table,
                        write.action,
                        row_id,
                        _startup_id_of(session, table, values),
                        label,
                        changes,
                    )
                )
        if entries:
            session.connection().execute(sql_insert(AuditLog.__table__), entries)

    def before_commit(self, session: Session) -> None:
        pass


def record_restore(
    connection: Connection, store: Store, *, where: str, rows: int, replaced: int
) -> None:
    """The log's own entry for a restore (the restored rows themselves are not logged)."""
    entry = _entry(store, "*", "restore", None, None, where, {})
    entry["changes"] = json.dumps({"rows_restored": rows, "rows_replaced": replaced})
    connection.execute(sql_insert(AuditLog.__table__), entry)
