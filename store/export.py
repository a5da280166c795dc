"""The full JSON export of a store, on every engine (``startups export``, backups).

``export_data`` reads every table in one consistent snapshot and returns plain data:
``{"schema": "startups.export/1", "revision": …, "tables": {name: [rows…]}}`` with
dates as ISO strings, cents as integers and booleans as booleans.  Rows are ordered by
primary key and columns by table order, so two exports of the same content are
byte-identical (diffable, checkable).

Tables are read by reflection, not from the models, so an export also works on a
store of an older revision (the backup written before an automatic upgrade).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, Table, select
from sqlalchemy.exc import SAWarning

import i18n
from store.errors import BadInput

_ = i18n.Domain("store").gettext

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from store.db import Store

EXPORT_SCHEMA = "startups.export/1"
SKIPPED_TABLES = {"alembic_version"}


# --- export --------------------------------------------------------------------------------


def reflect(connection: Connection) -> list[Table]:
    """The store's tables as the database has them (the rows are what matter: an index on
    an expression, which SQLAlchemy does not reflect, is left aside without a word)."""
    metadata = MetaData()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        metadata.reflect(bind=connection)
    return [t for t in metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _snapshot(connection: Connection) -> None:
    """Make every following read see one state of the store."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _revision(connection: Connection) -> str | None:
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def export_data(store: Store) -> dict[str, Any]:
    """Every table of the store as plain data (see the module's docstring)."""
    with store.engine.connect() as connection:
        _snapshot(connection)
        revision = _revision(connection)
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in reflect(connection):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
        connection.rollback()
    return {"schema": EXPORT_SCHEMA, "revision": revision, "tables": tables}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_export(store: Store, dest: Path) -> Path:
    """Write the JSON export to a new file readable by its owner only."""
    text = dumps(export_data(store))
    fd = private_new_file(dest)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    return dest


def private_new_file(dest: Path) -> int:
    """A new file readable by its owner only, open for writing (never an existing one)."""
    try:
        return os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise BadInput(
            _("{file}: already exists (choose a new name; nothing overwritten)").format(file=dest)
        ) from None
    except OSError as exc:
        raise BadInput(
            _("{file}: cannot write it ({reason})").format(file=dest, reason=exc.strerror)
        ) from None


def backup_before_upgrade(store: Store, revision: str | None) -> Path:
    """Before a server store is upgraded: a JSON export in the user data directory."""
    from platformdirs import user_data_path
    from sqlalchemy.engine import make_url

    folder = user_data_path("startups", appauthor=False) / "backups"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    url = make_url(store.location.url)
    name = "-".join(str(p) for p in (url.host, url.database) if p) or "store"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return write_export(store, folder / f"{name}.before-upgrade-{revision}-{stamp}.json")
