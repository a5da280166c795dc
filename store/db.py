"""Opening a store: engine, SQLite settings, migrations and automatic upgrades.

This is the write path and imports SQLAlchemy; the read path of the reports
(``store.read``) does not.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

import store.audit  # noqa: F401  (installs the audit log and read-only session listeners)
from store.errors import (
    BadInput,
    Conflict,
    NotAStore,
    ReadOnlyStore,
    StartupsError,
    StoreMissing,
)
from store.location import StoreLocation, resolve
from store.schema import HEAD, SchemaState, classify, sqlite_state

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
            from store.schema import connect_read_only

            path = location.path

            def creator() -> sqlite3.Connection:
                con = connect_read_only(path)
                con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                return con

            engine = create_engine("sqlite://", creator=creator)
        else:
            engine = create_engine(
                location.url,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            )
        listener = _sqlite_on_connect_read_only if read_only else _sqlite_on_connect
        event.listen(engine, "connect", listener)
        return engine
    try:
        return create_engine(location.url, pool_pre_ping=True, **_server_args(location, read_only))
    except ImportError as exc:
        if location.url.startswith("postgresql"):
            raise BadInput(
                f"{location.display()}: PostgreSQL support is not installed "
                "(run `uv sync --extra postgres`, or `pip install 'startups[postgres]'`)"
            ) from exc
        raise NotAStore(
            f"{location.display()}: no driver for this database URL ({location.scrub(str(exc))})"
        ) from exc
    except Exception as exc:  # unknown dialect, malformed URL: bad input, said in one line
        raise NotAStore(
            f"{location.display()}: cannot open this database URL ({location.scrub(str(exc))})"
        ) from exc


def _server_args(location: StoreLocation, read_only: bool) -> dict:
    if read_only and location.url.startswith("postgresql"):
        # Every transaction of this engine is read-only on the server side too.
        return {"connect_args": {"options": "-c default_transaction_read_only=on"}}
    return {}


def _create_private_file(path: Path) -> None:
    """Create an empty store file readable by its owner only (folder 700, file 600)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def alembic_config(connection: Connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction: open one explicitly so that a
            # killed upgrade leaves the store as it was, not half-migrated.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        command.upgrade(alembic_config(connection), "head")


def backup_sqlite(path: Path, dest: Path) -> Path:
    """Copy a live SQLite store with the online backup API (consistent even while in use)."""
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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


def _backup_beside(path: Path, revision: str | None) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.before-upgrade-{revision}-{stamp}.bak")
    return backup_sqlite(path, dest)


class Store:
    """A store opened for work: its location, a SQLAlchemy engine and sessions."""

    def __init__(self, location: StoreLocation, *, read_only: bool = False):
        self.location = location
        self.read_only = read_only
        self.upgraded_from: str | None = None
        self.backup_path: Path | None = None
        # Who the audit log names for this store's changes (None: the OS user, or --as).
        self.actor: str | None = None

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.location, read_only=self.read_only)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed as one transaction, rolled back whole on any error.

        Every change is written to the audit log (``store.audit``) in the same
        transaction; a row changed by someone else since it was read raises
        ``Conflict``; on a read-only store any change raises ``ReadOnlyStore``.
        """
        from sqlalchemy.orm.exc import StaleDataError

        with Session(self.engine, expire_on_commit=False) as session:
            session.info["store"] = self
            # Derived rows (the startup timeline) follow every write made here.
            from store.ledger import track_writes

            track_writes(session)
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                raise Conflict(_conflict_message(exc)) from exc
            except DBAPIError as exc:
                session.rollback()
                if self.read_only and "readonly" in str(exc.orig).replace("-", "").replace(" ", ""):
                    raise ReadOnlyStore(
                        f"{self.location.display()}: opened read-only, changes are refused"
                    ) from exc
                _raise_if_unwritable(self.location, exc)
                raise
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


def _raise_if_unwritable(location: StoreLocation, exc: DBAPIError) -> None:
    """A SQLite store on a read-only file, folder or mount: say so in one line."""
    message = str(exc.orig)
    if location.path is not None and (
        "readonly database" in message or "unable to open database file" in message
    ):
        raise StartupsError(
            f"{location.path}: cannot write to the store ({message}; "
            "is the file or its folder read-only?)"
        ) from exc


@contextmanager
def begin_write(store: Store) -> Iterator[Connection]:
    """A Core connection in one write transaction (SQLite: the write lock taken up front)."""
    if store.read_only:
        raise ReadOnlyStore(f"{store.location.display()}: opened read-only, changes are refused")
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


def _conflict_message(exc: Exception) -> str:
    import re

    m = re.search(r"table '([^']+)'", str(exc))
    what = f"this {m[1].replace('_', ' ')}" if m else "this row"
    return f"{what} was changed by someone else since it was read — reload and try again"


def _server_state(store: Store) -> tuple[SchemaState, str | None]:
    try:
        with store.engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            if "alembic_version" not in names:
                if names:
                    raise NotAStore(
                        f"{store.location.display()}: a database, but not a startups store"
                    )
                return SchemaState.EMPTY, None
            from sqlalchemy import text

            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, DBAPIError) as exc:
        first = (str(exc.orig).strip().splitlines() or ["?"])[0]
        raise StartupsError(
            f"{store.location.display()}: cannot connect ({store.location.scrub(first)})"
        ) from exc
    return classify(revision), revision


def open_store(db: str | None = None, *, create: bool = True, read_only: bool = False) -> Store:
    """Open (and when needed create or upgrade) the store named by ``db``.

    An older store is upgraded automatically after a backup copy is written: beside
    a SQLite file, or as a JSON export in the user data directory for a server.
    ``read_only=True`` never creates nor upgrades anything, and every write through
    the store's sessions is refused with ``ReadOnlyStore``.
    """
    location = resolve(db)
    store = Store(location, read_only=read_only)
    if read_only:
        create = False
    if location.path is not None:
        state, revision = sqlite_state(location.path)
        if state is SchemaState.MISSING:
            if not create:
                raise StoreMissing(
                    f"{location.path}: no store here (create one with `startups init` or `startups demo`)"
                )
            _create_private_file(location.path)
            state = SchemaState.EMPTY
    else:
        state, revision = _server_state(store)
    if state is SchemaState.NEWER:
        raise StartupsError(
            f"{location.display()}: made by a newer version of startups (schema {revision}, "
            f"this version knows up to {HEAD}); upgrade startups"
        )
    if state is SchemaState.EMPTY and not create:
        raise StoreMissing(f"{location.display()}: an empty store (load one with `startups demo`)")
    if state is SchemaState.OLD and read_only:
        raise StartupsError(
            f"{location.display()}: made by an earlier version (schema {revision}); "
            "open it once without --read-only to upgrade it"
        )
    if state is SchemaState.OLD and location.path is not None:
        store.backup_path = _backup_beside(location.path, revision)
    elif state is SchemaState.OLD:
        from store.backup import backup_before_upgrade

        store.backup_path = backup_before_upgrade(store, revision)
    if state in (SchemaState.EMPTY, SchemaState.OLD):
        try:
            _upgrade(store.engine)
        except DBAPIError as exc:
            raise StartupsError(
                f"{location.display()}: cannot write the schema ({location.scrub(str(exc.orig))})"
            ) from exc
        store.upgraded_from = revision
        if state is SchemaState.OLD:
            # Derived columns added by a migration are filled in by the rules themselves.
            from store.ledger import reattribute_all

            with store.session() as session:
                reattribute_all(session)
    return store
