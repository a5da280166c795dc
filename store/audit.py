"""The audit log: who changed what, when — recorded for every writer by a session event.

Every ORM flush through any ``Session`` (the CLI, the importers, the app's forms)
passes through ``_after_flush``, which writes one ``audit_log`` row per inserted,
updated or deleted object, in the same transaction: a change and its audit entry
are committed (or lost) together, and nobody has to remember to log.

The actor is the store's ``actor`` (the app may set it), else the process-wide one
(``set_actor``, from ``--as NAME``), else the OS user.

Reading the log (``entries``, ``history``) is plain SQL that runs through a
``store.read.Reader`` or a SQLAlchemy session alike, and returns plain data.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from store.errors import NotFound, ReadOnlyStore
from store.models import AuditLog, Convention, Objective

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from store.db import Store

# Columns whose changes are bookkeeping, not edits: never logged on their own.
NOT_LOGGED = {"version", "counted_convention_id"}
# Columns that name a row in the log, first found wins.
LABEL_COLUMNS = ("slug", "title", "label", "name", "metric", "role", "key")

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


def _startup_id(session: Session, obj: Any, values: dict[str, Any]) -> int | None:
    return _startup_id_of(session, obj.__table__.name, values)


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


def _entries_for(session: Session) -> list[tuple]:
    rows = []
    for obj in session.new:
        if isinstance(obj, AuditLog) or not hasattr(obj, "__table__"):
            continue
        values = {c.key: getattr(obj, c.key, None) for c in inspect(obj).mapper.column_attrs}
        changes = {k: [None, _plain(v)] for k, v in values.items() if k not in NOT_LOGGED}
        rows.append(("insert", obj, values, changes))
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
        state = inspect(obj)
        values = {c.key: getattr(obj, c.key, None) for c in state.mapper.column_attrs}
        changes = {k: [_plain(v), None] for k, v in values.items() if k not in NOT_LOGGED}
        rows.append(("delete", obj, values, changes))
    return rows


def _before_flush(session: Session, _context, _instances) -> None:
    store = session.info.get("store")
    if store is not None and store.read_only and (session.new or session.dirty or session.deleted):
        raise ReadOnlyStore(f"{store.location.display()}: opened read-only, changes are refused")
    # Ids of new rows are only known after the flush; keep what is needed until then.
    with session.no_autoflush:
        pending = []
        for action, obj, values, changes in _entries_for(session):
            startup_id = None if action == "insert" else _startup_id(session, obj, values)
            pending.append((action, obj, values, changes, startup_id))
    session.info["audit_pending"] = pending


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    store = session.info.get("store")
    actor = current_actor(store)
    at = _now()
    entries = []
    for action, obj, values, changes, startup_id in pending:
        if action == "insert":
            # Now that the row is written, its generated id is known.
            values = {c.key: getattr(obj, c.key, None) for c in inspect(obj).mapper.column_attrs}
            changes = {k: [None, _plain(v)] for k, v in values.items() if k not in NOT_LOGGED}
            with session.no_autoflush:
                startup_id = _startup_id(session, obj, values)
        entries.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "table_name": obj.__table__.name,
                "row_id": _row_id(obj),
                "startup_id": startup_id,
                "label": _label(values),
                "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
            }
        )
    session.connection().execute(insert(AuditLog.__table__), entries)


def _on_orm_execute(state) -> None:
    """ORM bulk statements (``session.execute(insert(Model), rows)``) skip the flush: log them."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = getattr(mapper, "local_table", None)
    if table is None or table.name == AuditLog.__tablename__:
        return
    session = state.session
    store = session.info.get("store")
    if store is not None and store.read_only:
        raise ReadOnlyStore(f"{store.location.display()}: opened read-only, changes are refused")
    params = state.parameters
    if isinstance(params, dict) or params is None:
        params = [params or {}]
    if state.is_insert and not getattr(state.statement, "_values", None):
        rows = [dict(p) for p in params]
        action = "insert"
    else:
        # An UPDATE/DELETE … WHERE: which rows it touches is not known here; say what it did.
        where = state.statement.whereclause
        values = dict(params[0])
        for column, bind in (getattr(state.statement, "_values", None) or {}).items():
            values[getattr(column, "key", str(column))] = getattr(bind, "value", bind)
        rows = [{"where": str(where) if where is not None else None, **values}]
        action = "update" if state.is_update else "delete"
    actor, at = current_actor(store), _now()
    entries = []
    with session.no_autoflush:
        for values in rows:
            if state.is_insert:
                changes = {k: [None, _plain(v)] for k, v in values.items() if k not in NOT_LOGGED}
            else:
                changes = {k: [None, _plain(v)] for k, v in values.items() if k != "where"}
            entries.append(
                {
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "table_name": table.name,
                    "row_id": None if state.is_insert else "*",
                    "startup_id": _startup_id_of(session, table.name, values),
                    "label": _label(values) if state.is_insert else values.get("where"),
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                }
            )
    if entries:
        session.connection().execute(insert(AuditLog.__table__), entries)


for _name, _fn in (
    ("before_flush", _before_flush),
    ("after_flush", _after_flush),
    ("do_orm_execute", _on_orm_execute),
):
    if not event.contains(Session, _name, _fn):
        event.listen(Session, _name, _fn)


def record_restore(
    connection: Connection, store: Store, *, where: str, rows: int, replaced: int
) -> None:
    """The log's own entry for a restore (the restored rows themselves are not logged)."""
    connection.execute(
        insert(AuditLog.__table__),
        {
            "at": _now(),
            "actor": current_actor(store),
            "action": "restore",
            "table_name": "*",
            "row_id": None,
            "startup_id": None,
            "label": where,
            "changes": json.dumps({"rows_restored": rows, "rows_replaced": replaced}),
        },
    )


# --- reading the log ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    table: str
    row_id: str | None
    startup: str | None
    label: str | None
    changes: dict[str, list[Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "table": self.table,
            "row_id": self.row_id,
            "startup": self.startup,
            "label": self.label,
            "changes": self.changes,
        }


_SELECT = """
SELECT a.id, a.at, a.actor, a.action, a.table_name, a.row_id, s.slug, a.label, a.changes
FROM audit_log a LEFT JOIN startup s ON s.id = a.startup_id
"""
SQL_ENTRIES = _SELECT + "ORDER BY a.id DESC LIMIT :limit"
SQL_STARTUP_ENTRIES = _SELECT + "WHERE a.startup_id = :startup_id ORDER BY a.id DESC LIMIT :limit"
SQL_STARTUP_ID = "SELECT id FROM startup WHERE slug = :slug"
# A startup deleted since: its id is still in the log's own entry for it.
SQL_DELETED_STARTUP_ID = """
SELECT startup_id FROM audit_log
WHERE table_name = 'startup' AND label = :slug
ORDER BY id DESC LIMIT 1
"""


def _rows(source: Any, sql: str, **params: Any) -> list[tuple]:
    """Rows from a ``store.read.Reader`` or a SQLAlchemy session/connection."""
    if hasattr(source, "rows"):
        return list(source.rows(sql, **params))
    from sqlalchemy import text

    return [tuple(r) for r in source.execute(text(sql), params)]


def entries(source: Any, slug: str | None = None, *, limit: int = 50) -> list[Entry]:
    """The latest changes, newest first (of one startup and its rows, given its slug)."""
    startup_id = None
    if slug is not None:
        found = _rows(source, SQL_STARTUP_ID, slug=slug) or _rows(
            source, SQL_DELETED_STARTUP_ID, slug=slug
        )
        if not found or found[0][0] is None:
            raise NotFound(f"no startup {slug!r} in the store or its history")
        startup_id = int(found[0][0])
    result = []
    if startup_id is None:
        found = _rows(source, SQL_ENTRIES, limit=limit)
    else:
        found = _rows(source, SQL_STARTUP_ENTRIES, startup_id=startup_id, limit=limit)
    for row in found:
        id_, at, actor, action, table, row_id, startup, label, changes = row
        result.append(
            Entry(
                id=id_,
                at=at,
                actor=actor,
                action=action,
                table=table,
                row_id=row_id,
                startup=startup,
                label=label,
                changes=json.loads(changes) if changes else {},
            )
        )
    return result


def history(source: Any, slug: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """A startup's history for the app: plain dicts, newest first."""
    return [e.to_dict() for e in entries(source, slug, limit=limit)]
