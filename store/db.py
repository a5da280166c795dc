"""A store opened for work: its location, its engine, and sessions that are units of work.

``Store.session()`` is one transaction: committed whole or rolled back whole.  What
must follow every write (the audit log, the derived tables) is not known here: the
store is given *write hooks* (``store.open`` composes them), and each session calls
them on its own flushes, bulk statements and commit.  A bulk statement is read once
(``BulkWrite``) for every hook.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

import i18n
from i18n import N_
from store.engine import make_engine, remove_created
from store.errors import Conflict, ReadOnlyStore, StartupsError, StoreBusy
from store.location import StoreLocation

_ = i18n.Domain("store").gettext

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import ORMExecuteState


@dataclass(frozen=True)
class BulkWrite:
    """An ORM bulk statement (``session.execute(insert(Model), rows)``, ``update(…)``,
    ``delete(…)``), which skips the flush: what the write hooks need to know of it.

    ``rows``: for an insert, each row's values; for an update or a delete, one dict of
    the statement's parameters and SET values.  ``state`` is SQLAlchemy's own, to ask
    which rows the statement is about to change (it has not run yet).
    """

    table: Table
    action: str  # insert | update | delete
    rows: list[dict[str, Any]]
    many: bool  # one statement, several parameter sets
    state: ORMExecuteState

    @property
    def where(self):
        """The statement's WHERE clause (None for an insert, or no condition)."""
        return getattr(self.state.statement, "whereclause", None)


def bulk_write(state: ORMExecuteState) -> BulkWrite | None:
    """The write an ORM statement makes, or None (a read, or a textual statement)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = getattr(state.statement, "table", None)
    if table is None:
        return None
    params = state.parameters
    many = isinstance(params, list)
    listed = params if many else [params or {}]
    set_values = getattr(state.statement, "_values", None)
    if state.is_insert and not set_values:
        return BulkWrite(table, "insert", [dict(p) for p in listed], many, state)
    values = dict(listed[0]) if listed else {}
    for column, bind in (set_values or {}).items():
        values[getattr(column, "key", str(column))] = getattr(bind, "value", bind)
    action = "insert" if state.is_insert else "update" if state.is_update else "delete"
    return BulkWrite(table, action, [values], many, state)


class WriteHook(Protocol):
    """What follows every write of a session (``store.audit``, ``store.derived``)."""

    def install(self, session: Session) -> None:
        """Called when the session opens."""

    def before_flush(self, session: Session) -> None: ...

    def after_flush(self, session: Session) -> None: ...

    def bulk(self, session: Session, write: BulkWrite) -> None: ...

    def before_commit(self, session: Session) -> None: ...


class SessionRows:
    """A session read with plain SQL, as ``store.reader.Reader`` reads a store: for the
    statements of ``store.facts`` inside a write."""

    def __init__(self, session: Session):
        self.session = session

    def rows(self, sql: str, **params: Any) -> list[tuple]:
        return [tuple(r) for r in self.session.execute(text(sql), params)]


class Store:
    """A store opened for work: its location, a SQLAlchemy engine and sessions."""

    def __init__(
        self,
        location: StoreLocation,
        *,
        read_only: bool = False,
        hooks: Sequence[WriteHook] = (),
    ):
        self.location = location
        self.read_only = read_only
        self.hooks = tuple(hooks)
        self.upgraded_from: str | None = None
        self.backup_path: Path | None = None
        # What opening it created (a new SQLite file and its folders), to remove if the
        # command that created it fails to fill it: a new store is all or nothing.
        self.created: list[Path] = []
        # Who the audit log names for this store's changes (None: the OS user, or --as).
        self.actor: str | None = None

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.location, read_only=self.read_only)

    def refuse_writes(self) -> None:
        if self.read_only:
            raise ReadOnlyStore(
                _("{store}: opened read-only, changes are refused").format(
                    store=self.location.display()
                )
            )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed as one transaction, rolled back whole on any error.

        Every write hook sees every flush, bulk statement and the commit, in the same
        transaction; a row changed by someone else since it was read raises
        ``Conflict``; on a read-only store any change raises ``ReadOnlyStore``.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            session.info["store"] = self
            self._watch(session)
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
                        _("{store}: opened read-only, changes are refused").format(
                            store=self.location.display()
                        )
                    ) from exc
                raise_if_unwritable(self.location, exc)
                known = failure(self.location, exc)
                if known is not None:
                    raise known from exc
                raise
            except BaseException:
                session.rollback()
                raise

    def _watch(self, session: Session) -> None:
        hooks = self.hooks
        for hook in hooks:
            hook.install(session)

        @event.listens_for(session, "before_flush")
        def _before_flush(session, _context, _instances):
            if session.new or session.dirty or session.deleted:
                self.refuse_writes()
            for hook in hooks:
                hook.before_flush(session)

        @event.listens_for(session, "after_flush")
        def _after_flush(session, _context):
            for hook in hooks:
                hook.after_flush(session)

        @event.listens_for(session, "do_orm_execute")
        def _execute(state):
            write = bulk_write(state)
            if write is None:
                return
            self.refuse_writes()
            for hook in hooks:
                hook.bulk(session, write)

        @event.listens_for(session, "before_commit")
        def _before_commit(session):
            for hook in hooks:
                hook.before_commit(session)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()

    def abandon(self) -> None:
        """Close the store and remove what opening it created (a new store whose filling
        failed): creating and filling a store is one all-or-nothing step."""
        self.dispose()
        remove_created(self.created)
        self.created = []


def raise_if_unwritable(location: StoreLocation, exc: DBAPIError) -> None:
    """A SQLite store on a read-only file, folder or mount: say so in one line."""
    message = str(exc.orig)
    if location.path is not None and (
        "readonly database" in message or "unable to open database file" in message
    ):
        raise StartupsError(
            _(
                "{store}: cannot write to the store ({reason}; is the file or its folder "
                "read-only?)"
            ).format(store=location.path, reason=message)
        ) from exc


def failure(location: StoreLocation, exc: DBAPIError) -> StartupsError | None:
    """What a database error means for the person who ran the command, in one line: the
    store busy, the disk full, the server gone (None: none of these, the caller says what
    it means).  Never the statement nor its parameters (they hold the data)."""
    message = " ".join(str(exc.orig).split())
    lowered = message.lower()
    where = location.display()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return StoreBusy(
            _(
                "{store}: the store is busy (another program is writing to it); nothing was "
                "written, try again in a moment"
            ).format(store=where)
        )
    if "disk is full" in lowered or "no space left" in lowered:
        return StartupsError(
            _("{store}: the disk is full; nothing was written").format(store=where)
        )
    if any(
        sign in lowered
        for sign in (
            "server closed the connection",
            "terminating connection",
            "connection refused",
            "connection is closed",
            "consuming input failed",
            "the connection is lost",
        )
    ):
        return StartupsError(
            _(
                "{store}: the connection to the store was lost; nothing was written (is the "
                "server running?)"
            ).format(store=where)
        )
    return None


@contextmanager
def begin_write(store: Store) -> Iterator[Connection]:
    """A Core connection in one write transaction (SQLite: the write lock taken up front)."""
    store.refuse_writes()
    try:
        with store.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            yield connection
    except DBAPIError as exc:
        raise_if_unwritable(store.location, exc)
        known = failure(store.location, exc)
        if known is not None:
            raise known from exc
        raise


def _conflict_message(exc: Exception) -> str:
    m = re.search(r"table '([^']+)'", str(exc))
    what = _(CONFLICT_WHATS.get(m[1], N_("this row"))) if m else _("this row")
    return _("{what} was changed by someone else since it was read — reload and try again").format(
        what=what
    )


# What was changed, by its table.
CONFLICT_WHATS = {
    "organisation": N_("this organisation"),
    "incubator": N_("this incubator"),
    "phase": N_("this phase"),
    "schedule_line": N_("this schedule line"),
    "startup": N_("this startup"),
    "convention": N_("this convention"),
    "convention_party": N_("this party of a convention"),
    "consumption_line": N_("this consumption line"),
    "deadline": N_("this deadline"),
    "objective": N_("this KPI"),
    "measurement": N_("this measurement"),
    "purchase_order": N_("this order"),
    "order_line": N_("this order line"),
    "staffing_line": N_("this staffing line"),
    "committee": N_("this committee"),
    "committee_review": N_("this committee decision"),
}
