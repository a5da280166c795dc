"""The read path: one set of SQL statements, run without the ORM.

Reports aggregate in SQL and read plain tuples.  A SQLite file is read through the
standard ``sqlite3`` module, opened read-only (importing SQLAlchemy alone costs
more than the whole report); any other URL goes through SQLAlchemy.  Statements
use ``:name`` parameters, which both understand.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import i18n
from store.errors import NotAStore, StartupsError
from store.location import StoreLocation
from store.schema import connect_read_only

_ = i18n.Domain("store").gettext


def as_date(value: Any) -> dt.date | None:
    """A date column's value, whichever engine returned it."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise StartupsError(
            _("the store holds a malformed date: {value}").format(value=repr(value))
        ) from exc


class Reader:
    """Runs read-only SQL against a store and returns rows as tuples."""

    def __init__(self, location: StoreLocation):
        self.location = location
        self._sqlite: sqlite3.Connection | None = None
        self._engine = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def rows(self, sql: str, **params: Any) -> Sequence[tuple]:
        """Every row of a statement, as a list of tuples."""
        if self.location.path is not None:
            try:
                return self._run_sqlite(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise NotAStore(
                    _("{store}: cannot read the store ({reason})").format(
                        store=self.location.path, reason=exc
                    )
                ) from exc
        return list(self.iter_rows(sql, **params))

    def iter_rows(self, sql: str, **params: Any) -> Iterator[tuple]:
        """The rows of a statement one at a time (a large result is never held whole)."""
        if self.location.path is not None:
            try:
                yield from self._run_sqlite(sql, params)
            except sqlite3.DatabaseError as exc:
                raise NotAStore(
                    _("{store}: cannot read the store ({reason})").format(
                        store=self.location.path, reason=exc
                    )
                ) from exc
            return
        if self._engine is None:
            from store.engine import make_engine

            self._engine = make_engine(self.location)
        from sqlalchemy import text

        with self._engine.connect() as connection:
            for row in connection.execute(text(sql), params):
                yield tuple(row)

    def _run_sqlite(self, sql: str, params: dict[str, Any]) -> sqlite3.Cursor:
        if self._sqlite is None:
            try:
                self._sqlite = connect_read_only(self.location.path)
            except sqlite3.Error as exc:
                raise NotAStore(
                    _("{store}: cannot open the store ({reason})").format(
                        store=self.location.path, reason=exc
                    )
                ) from exc
            self._sqlite.execute("PRAGMA busy_timeout=5000")
        sqlite_params = {
            k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()
        }
        return self._sqlite.execute(sql, sqlite_params)
