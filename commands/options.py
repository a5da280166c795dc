"""The option types every command shares: the store, dates, the formats.

One date type for every date option (``--as-of``, ``--on``, ``--date``): ISO
``2018-09-15`` or French ``15/09/2018``, years 1900–2199 (``store.rules.dates``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

from commands.context import root
from store.rules.dates import parse_day


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A typed date, or a usage error naming it (exit status 2)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return parse_day(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} {exc}") from None


def _inherit_db(ctx: typer.Context, value: str | None) -> str | None:
    """A command's --db, else the root's (``startups --db PATH COMMAND``)."""
    return value if value is not None else root(ctx).db


def _inherit_as_of(ctx: typer.Context, value: dt.date | None) -> dt.date | None:
    return value if value is not None else root(ctx).as_of


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="Store: a SQLite file or a SQLAlchemy URL (default: $STARTUPS_DB, "
        "else startups.db in the user data directory).",
        show_default=False,
        callback=_inherit_db,
    ),
]
AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        parser=parse_date,
        metavar="DATE",
        help="View the portfolio as of this date, YYYY-MM-DD or dd/mm/yyyy (default: today).",
        show_default=False,
        callback=_inherit_as_of,
    ),
]


def date_option(name: str, help_text: str) -> typer.models.OptionInfo:
    """A date option of a command's own (``--on``, ``--date``), read as ``--as-of`` is."""
    return typer.Option(name, parser=parse_date, metavar="DATE", help=help_text, show_default=False)


ReadOnlyOption = Annotated[
    bool,
    typer.Option(
        "--read-only", help="Open the app to look only: every form and write action is disabled."
    ),
]


class JsonFormat(StrEnum):
    json = "json"
