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

from store.errors import NotAStore, StartupsError, StoreMissing
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


def make_engine(location: StoreLocation) -> Engine:
    if location.is_sqlite_file:
        engine = create_engine(
            location.url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    try:
        return create_engine(location.url, pool_pre_ping=True)
    except Exception as exc:  # unknown dialect, missing driver: bad input, said in one line
        raise NotAStore(f"{location.display()}: cannot open this database URL ({exc})") from exc


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

    def __init__(self, location: StoreLocation):
        self.location = location
        self.upgraded_from: str | None = None
        self.backup_path: Path | None = None

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.location)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed as one transaction, rolled back whole on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            # Derived rows (the startup timeline) follow every write made here.
            from store.ledger import track_writes

            track_writes(session)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


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
        raise StartupsError(
            f"{store.location.display()}: cannot connect ({str(exc.orig).strip().splitlines()[0]})"
        ) from exc
    return classify(revision), revision


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open (and when needed create or upgrade) the store named by ``db``.

    An older store is upgraded automatically after a backup copy is written beside it.
    """
    location = resolve(db)
    store = Store(location)
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
    if state is SchemaState.OLD and location.path is not None:
        store.backup_path = _backup_beside(location.path, revision)
    if state in (SchemaState.EMPTY, SchemaState.OLD):
        try:
            _upgrade(store.engine)
        except OperationalError as exc:
            raise StartupsError(
                f"{location.display()}: cannot write the schema ({exc.orig})"
            ) from exc
        store.upgraded_from = revision
        if state is SchemaState.OLD:
            # Derived columns added by a migration are filled in by the rules themselves.
            from store.ledger import reattribute_all

            with store.session() as session:
                reattribute_all(session)
    return store
