"""What every command shares at run time: the root's options and the one way to a store.

The root (``startups [--db …] [--as …] [--read-only] [--as-of …] COMMAND``) keeps its
options on the click context; a command's own ``--db`` falls back to the root's
(``options.DbOption``).  ``reading`` and ``writing`` open the store and always close it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from store.db import Store
    from store.reader import Reader


@dataclass
class Root:
    """The root's options, for the commands under it."""

    db: str | None = None
    read_only: bool = False
    as_of: dt.date | None = None


def root(ctx: typer.Context | None) -> Root:
    found = ctx.find_root().obj if ctx is not None else None
    return found if isinstance(found, Root) else Root()


def today() -> dt.date:
    return dt.date.today()


def interactive() -> bool:
    """A person at a terminal (the app opens); piped output gets a report instead."""
    try:
        return sys.stdout.isatty() and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def reading(db: str | None) -> Iterator[Reader]:
    """The store read with plain SQL (``store.open.open_reader``), closed afterwards."""
    from store.open import open_reader

    with open_reader(db) as reader:
        yield reader


@contextmanager
def writing(db: str | None, *, create: bool = False, read_only: bool = False) -> Iterator[Store]:
    """The store opened for work (``store.open.open_store``), disposed of afterwards.

    A store this command created is removed again when the command fails: creating and
    filling a new store is one all-or-nothing step (no schema-only store is left behind).
    """
    from store.open import open_store

    store = open_store(db, create=create, read_only=read_only)
    try:
        yield store
    except BaseException:
        store.abandon()
        raise
    finally:
        store.dispose()


@contextmanager
def writing_if_there(db: str | None) -> Iterator[Store | None]:
    """The existing store opened for work, or ``None`` when there is none to open."""
    from store.errors import StartupsError
    from store.open import open_store

    try:
        store = open_store(db, create=False)
    except StartupsError:
        yield None
        return
    try:
        yield store
    finally:
        store.dispose()
