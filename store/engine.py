"""SQLAlchemy engines for a store: SQLite settings, server URLs, the schema's migrations.

The lowest layer of the write path (SQLAlchemy); the read path of the reports
(``store.reader``) uses it only for a server URL.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.pool import QueuePool

import i18n
from store.errors import BadInput, NotAStore
from store.location import StoreLocation
from store.schema import connect_read_only

_ = i18n.Domain("store").gettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 5000


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_connect_read_only(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def make_engine(location: StoreLocation, *, read_only: bool = False) -> Engine:
    if location.is_sqlite_file:
        if read_only:
            path = location.path

            def creator() -> sqlite3.Connection:
                con = connect_read_only(path)
                con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                return con

            engine = create_engine("sqlite://", creator=creator)
        else:
            path = location.path

            def creator() -> sqlite3.Connection:
                # By path, never through a URL: "a?b.db" or "e%20f.db" is that very file.
                return sqlite3.connect(
                    str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
                )

            engine = create_engine("sqlite://", creator=creator, poolclass=QueuePool)
        listener = _sqlite_on_connect_read_only if read_only else _sqlite_on_connect
        event.listen(engine, "connect", listener)
        return engine
    try:
        return create_engine(location.url, pool_pre_ping=True, **_server_args(location, read_only))
    except ImportError as exc:
        if location.url.startswith("postgresql"):
            raise BadInput(
                _(
                    "{store}: PostgreSQL support is not installed (run `uv sync --extra "
                    "postgres`, or `pip install 'startups[postgres]'`)"
                ).format(store=location.display())
            ) from exc
        raise NotAStore(
            _("{store}: no driver for this database URL ({reason})").format(
                store=location.display(), reason=location.scrub(str(exc))
            )
        ) from exc
    except Exception as exc:  # unknown dialect, malformed URL: bad input, said in one line
        raise NotAStore(
            _("{store}: cannot open this database URL ({reason})").format(
                store=location.display(), reason=location.scrub(str(exc))
            )
        ) from exc


def _server_args(location: StoreLocation, read_only: bool) -> dict:
    if read_only and location.url.startswith("postgresql"):
        # Every transaction of this engine is read-only on the server side too.
        return {"connect_args": {"options": "-c default_transaction_read_only=on"}}
    return {}


def create_private_file(path: Path) -> list[Path]:
    """Create an empty store file readable by its owner only (file 600, every folder made
    for it 700); returns what was created, the file last (to remove it all on a failure)."""
    made: list[Path] = []
    missing = [p for p in reversed(path.parents) if not p.exists()]
    for folder in missing:
        folder.mkdir(mode=0o700)
        made.append(folder)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    made.append(path)
    return made


def remove_created(made: list[Path]) -> None:
    """Undo ``create_private_file`` (a store that could not be filled is not left behind)."""
    for path in reversed(made):
        try:
            if path.is_dir():
                path.rmdir()
            else:
                for extra in ("-wal", "-shm", "-journal"):
                    path.with_name(path.name + extra).unlink(missing_ok=True)
                path.unlink(missing_ok=True)
        except OSError:
            pass


def alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction: open one explicitly so that a
            # killed upgrade leaves the store as it was, not half-migrated.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        command.upgrade(alembic_config(connection), "head")


def backup_sqlite(path: Path, dest: Path) -> Path:
    """Copy a live SQLite store with the online backup API (consistent even while in use)."""
    src = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest
