"""Is a store's schema current?  Answered without importing Alembic or SQLAlchemy.

Alembic costs about 0.3 s to import and SQLAlchemy about 0.6 s on these machines;
``startups report`` must answer faster than that, so the check reads the
``alembic_version`` table through the standard ``sqlite3`` module and compares it
with ``HEAD``.  A test keeps ``HEAD`` equal to the migrations' real head.
"""

from __future__ import annotations

import os
import sqlite3
from enum import Enum
from pathlib import Path

import i18n
from store.errors import NotAStore

_ = i18n.Domain("store").gettext

# Every revision ever released, oldest first; the last one is the head.
REVISIONS = (
    "0001_initial",
    "0002_attribution",
    "0003_report_rollup",
    "0004_startup_state",
    "0005_audit_versions",
    "0006_state_deadline",
    "0007_co_incubation",
    "0008_rollup_key",
    "0009_cents_bigint",
    "0010_orders",
    "0011_committees",
    "0012_chorus_reconciliation",
)
HEAD = REVISIONS[-1]


class SchemaState(Enum):
    MISSING = "missing"  # no file
    EMPTY = "empty"  # an empty file or an empty database: a new store
    CURRENT = "current"
    OLD = "old"  # made by an earlier version: upgrade (after a backup)
    NEWER = "newer"  # made by a later version of startups


def classify(revision: str | None) -> SchemaState:
    if revision == HEAD:
        return SchemaState.CURRENT
    if revision in REVISIONS:
        return SchemaState.OLD
    return SchemaState.NEWER


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a SQLite store, even one in a read-only folder.

    A WAL store needs its ``-shm`` file; where it is absent and cannot be created
    (a read-only folder or mount, a copy on a read-only share) SQLite refuses to open
    it, unless told that nobody can change the file (``immutable``): then it reads it as is.
    """
    from urllib.parse import quote

    uri = f"file:{quote(str(path))}?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        con.close()
        if "unable to open" not in str(exc) or os.access(path.parent, os.W_OK):
            raise
        con = sqlite3.connect(uri + "&immutable=1", uri=True)
    except sqlite3.DatabaseError:
        pass  # not a database: said by the caller's first query
    return con


def sqlite_state(path: Path) -> tuple[SchemaState, str | None]:
    """The state of the SQLite store at ``path`` and its revision (read-only, no locks kept)."""
    if not path.exists():
        return SchemaState.MISSING, None
    if path.is_dir():
        raise NotAStore(_("{file}: is a directory, not a store file").format(file=path))
    try:
        if path.stat().st_size == 0:
            return SchemaState.EMPTY, None
    except OSError as exc:
        raise NotAStore(
            _("{file}: cannot read it ({reason})").format(file=path, reason=exc.strerror)
        ) from exc
    try:
        con = connect_read_only(path)
    except sqlite3.Error as exc:
        raise NotAStore(
            _("{file}: cannot open it as a store ({reason})").format(file=path, reason=exc)
        ) from exc
    try:
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as exc:
            if "no such table" not in str(exc):
                raise NotAStore(_("{file}: not a SQLite database").format(file=path)) from exc
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables == 0:
                return SchemaState.EMPTY, None
            raise NotAStore(
                _("{file}: a SQLite database, but not a startups store").format(file=path)
            ) from exc
    finally:
        con.close()
    revision = row[0] if row else None
    if revision is None:
        raise NotAStore(
            _("{file}: a startups store with no schema revision recorded").format(file=path)
        )
    return classify(revision), revision
