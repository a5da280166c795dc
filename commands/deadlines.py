"""``startups deadlines``: the agenda, as a table, JSON or an iCalendar feed."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

from commands.context import reading, today
from commands.options import AsOfOption, DbOption
from commands.render import ics, jsonout
from commands.render.console import console
from commands.render.table import Column, table
from store.queries.agenda import AgendaItem, Selection, select_items
from store.rules.vocab import DEADLINE_KIND_SHORT


class DeadlinesFormat(StrEnum):
    table = "table"
    json = "json"
    ics = "ics"


def render_table(items: list[AgendaItem], on: dt.date) -> None:
    columns = [
        Column("Date"),
        Column("Startup", max_width=20),
        Column("Échéance", no_wrap=False, min_width=28, ratio=1),
        Column("Nature"),
        Column("Id", justify="right"),
    ]
    rows = [
        [
            item.date.isoformat(),
            item.slug,
            f"EN RETARD · {item.title}" if item.overdue else item.title,
            DEADLINE_KIND_SHORT.get(item.kind, item.kind),
            str(item.id) if item.id is not None else "—",
        ]
        for item in items
    ]
    console().print(
        table(
            columns,
            rows,
            title=f"Échéances au {on.isoformat()}",
            caption=None if items else "aucune échéance",
            row_styles=["bold red" if item.overdue else None for item in items],
        )
    )


def deadlines(
    db: DbOption = None,
    as_of: AsOfOption = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            min=0,
            metavar="DAYS",
            help="Only deadlines from the date to DAYS after it (overdue ones always listed).",
        ),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the overdue deadlines.")] = False,
    startup: Annotated[
        str | None, typer.Option("--startup", metavar="SLUG", help="Only this startup.")
    ] = None,
    fmt: Annotated[
        DeadlinesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DeadlinesFormat.table,
) -> None:
    """List deadlines, convention ends and renewal reminders included (table, JSON or iCalendar)."""
    on = as_of or today()
    selection = Selection(within=within, overdue_only=overdue, slug=startup)
    with reading(db) as reader:
        items = select_items(reader, on, selection)
    if fmt is DeadlinesFormat.json:
        # Indented on a terminal; piped, compact (10,000 deadlines at once).
        jsonout.write({"deadlines": [item.to_dict() for item in items]})
    elif fmt is DeadlinesFormat.ics:
        sys.stdout.flush()
        sys.stdout.buffer.write(ics.feed(items))
        sys.stdout.buffer.flush()
    else:
        render_table(items, on)


def register(app: typer.Typer) -> None:
    app.command()(deadlines)
