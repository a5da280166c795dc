"""The one way in: a store opened for writing (``open_store``) or for reading (``open_reader``).

``open_store`` creates a new store, upgrades an older one (after a backup: a copy beside
a SQLite file, a JSON export for a server) and refuses a newer one; the store it returns
has the write hooks every session of it runs (the audit log, the derived tables).
``open_reader`` gives the read path (plain SQL, no SQLAlchemy on a SQLite file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import i18n
from store.errors import NotAStore, StartupsError, StoreMissing
from store.location import resolve
from store.reader import Reader
from store.schema import HEAD, SchemaState, classify, sqlite_state

_ = i18n.Domain("store").gettext

if TYPE_CHECKING:
    from store.db import Store

# ``open_reader`` is the read commands' way in (``startups report``, ``deadlines``,
# ``show``): on a current SQLite file it needs neither SQLAlchemy nor the write path
# (about 0.6 s to import here), which ``open_store`` imports when it is called.


def write_hooks() -> tuple:
    """What every session of a store runs on its writes, in this order."""
    from store.audit import AuditHook
    from store.derived import DerivedHook

    return (AuditHook(), DerivedHook())


def _backup_beside(path: Path, revision: str | None) -> Path:
    from store.engine import backup_sqlite

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.before-upgrade-{revision}-{stamp}.bak")
    return backup_sqlite(path, dest)


def _server_state(store: Store) -> tuple[SchemaState, str | None]:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError, OperationalError

    try:
        with store.engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
            if "alembic_version" not in names:
                if names:
                    raise NotAStore(
                        _("{store}: a database, but not a startups store").format(
                            store=store.location.display()
                        )
                    )
                return SchemaState.EMPTY, None
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, DBAPIError) as exc:
        first = (str(exc.orig).strip().splitlines() or ["?"])[0]
        raise StartupsError(
            _("{store}: cannot connect ({reason})").format(
                store=store.location.display(), reason=store.location.scrub(first)
            )
        ) from exc
    return classify(revision), revision


def open_store(db: str | None = None, *, create: bool = True, read_only: bool = False) -> Store:
    """Open (and when needed create or upgrade) the store named by ``db``.

    An older store is upgraded automatically after a backup copy is written: beside
    a SQLite file, or as a JSON export in the user data directory for a server.
    ``read_only=True`` never creates nor upgrades anything, and every write through
    the store's sessions is refused with ``ReadOnlyStore``.
    """
    from sqlalchemy.exc import DBAPIError

    from store.db import Store
    from store.derived import reattribute_all
    from store.engine import create_private_file, remove_created, upgrade
    from store.export import backup_before_upgrade

    location = resolve(db)
    store = Store(location, read_only=read_only, hooks=write_hooks())
    if read_only:
        create = False
    if location.path is not None:
        state, revision = sqlite_state(location.path)
        if state is SchemaState.MISSING:
            if not create:
                raise StoreMissing(
                    _(
                        "{store}: no store here (create one with `startups init` or "
                        "`startups demo`)"
                    ).format(store=location.path)
                )
            store.created = create_private_file(location.path)
            state = SchemaState.EMPTY
    else:
        state, revision = _server_state(store)
    if state is SchemaState.NEWER:
        raise StartupsError(
            _(
                "{store}: made by a newer version of startups (schema {revision}, this version "
                "knows up to {head}); upgrade startups"
            ).format(store=location.display(), revision=revision, head=HEAD)
        )
    if state is SchemaState.EMPTY and not create:
        raise StoreMissing(
            _("{store}: an empty store (load one with `startups demo`)").format(
                store=location.display()
            )
        )
    if state is SchemaState.OLD and read_only:
        raise StartupsError(
            _(
                "{store}: made by an earlier version (schema {revision}); open it once "
                "without --read-only to upgrade it"
            ).format(store=location.display(), revision=revision)
        )
    if state is SchemaState.OLD and location.path is not None:
        store.backup_path = _backup_beside(location.path, revision)
    elif state is SchemaState.OLD:
        store.backup_path = backup_before_upgrade(store, revision)
    if state in (SchemaState.EMPTY, SchemaState.OLD):
        try:
            upgrade(store.engine)
        except BaseException as exc:
            if store.created:  # a new store that cannot get its schema is not left behind
                store.dispose()
                remove_created(store.created)
            if isinstance(exc, DBAPIError):
                raise StartupsError(
                    _("{store}: cannot write the schema ({reason})").format(
                        store=location.display(), reason=location.scrub(str(exc.orig))
                    )
                ) from exc
            raise
        store.upgraded_from = revision
        if state is SchemaState.OLD:
            # Derived columns added by a migration are filled in by the rules themselves.
            with store.session() as session:
                reattribute_all(session)
            # The query planner's statistics, for the tables and indexes the migrations
            # rebuilt: without them an upgraded store reads its report about a third slower.
            with store.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    return store


def open_reader(db: str | None = None) -> Reader:
    """A reader on an existing, current store (upgrading an older one first)."""
    location = resolve(db)
    if location.path is not None:
        state, _revision = sqlite_state(location.path)
        if state is SchemaState.MISSING:
            raise StoreMissing(
                _(
                    "{store}: no store here (load the demo with `startups demo --db {store}`)"
                ).format(store=location.path)
            )
        if state is SchemaState.CURRENT:
            return Reader(location)
        if state is SchemaState.EMPTY:
            raise StoreMissing(
                _("{store}: an empty store (load one with `startups demo`)").format(
                    store=location.path
                )
            )
    # Older store (upgraded after a backup), newer store (refused), or a server URL.
    open_store(location.spec, create=False).dispose()
    return Reader(location)
