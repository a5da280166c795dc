"""Messages the app's thread workers post back to the screens (post_message is thread-safe)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class PortfolioLoaded(Message):
    """Every startup's row and the totals, as of a date."""

    report: Any  # store.queries.report.PortfolioReport
    as_of: dt.date
    # False: the first page only (the first rows by slug, no totals yet), shown while
    # the rest of a large portfolio is read.
    complete: bool = True
    # Set once the first page is on screen: the worker reads the rest after that (so
    # that the first frame does not share the interpreter with it).
    shown: Any = None  # threading.Event


@dataclass
class StartupLoaded(Message):
    """One startup's card (store.queries.browse.StartupCard), its purchase orders
    (store.queries.orders.OrderRow list) and its burn-down (tui.screens.money.MonthPoint
    list: engaged and paid, as ``startups burn`` gives them)."""

    card: Any
    orders: Any = None
    burn: Any = None


@dataclass
class AgendaLoaded(Message):
    """The portfolio's deadlines (store.queries.agenda.AgendaItem list)."""

    items: list
    as_of: dt.date


@dataclass
class FieldRejected(Message):
    """A form's save was refused: ``field`` names the input at fault."""

    field: str
    message: str


@dataclass
class Saved(Message):
    """A form's save went through (one transaction)."""

    what: str
    id: int | None = None
