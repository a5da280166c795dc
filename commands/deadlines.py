"""``startups deadlines``: the agenda, as a table, JSON or an iCalendar feed."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.context import reading, today
from commands.options import AsOfOption, DbOption, check_startup
from commands.render import ics, jsonout
from commands.render.console import console
from commands.render.table import Column, table
from store.fmt import day
from store.queries.agenda import AgendaItem, Selection, select_items
from store.rules.vocab import DEADLINE_KIND_SHORT, alert_label

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


class DeadlinesFormat(StrEnum):
    table = "table"
    json = "json"
    ics = "ics"


def render_table(items: list[AgendaItem], on: dt.date) -> None:
    columns = [
        Column(_("Date")),
        Column(_("Startup"), max_width=20),
        Column(_("Deadline"), no_wrap=False, min_width=28, ratio=1),
        Column(_("Kind")),
        Column(_("Id"), justify="right"),
    ]
    overdue = alert_label("OVERDUE").upper()
    rows = [
        [
            day(item.date),
            item.slug,
            f"{overdue} · {item.title}" if item.overdue else item.title,
            DEADLINE_KIND_SHORT.get(item.kind, item.kind),
            str(item.id) if item.id is not None else "—",
        ]
        for item in items
    ]
    console().print(
        table(
            columns,
            rows,
            title=_("Deadlines as of {date}").format(date=day(on)),
            caption=None if items else _("no deadline"),
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
            help=_("Only deadlines from the date to DAYS after it (overdue ones always listed)."),
        ),
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help=_("Only the overdue deadlines."))
    ] = False,
    startup: Annotated[
        str | None, typer.Option("--startup", metavar="SLUG", help=_("Only this startup."))
    ] = None,
    fmt: Annotated[
        DeadlinesFormat, typer.Option("--format", "-f", help=_("Output format."))
    ] = DeadlinesFormat.table,
) -> None:
    on = as_of or today()
    selection = Selection(within=within, overdue_only=overdue, slug=startup)
    with reading(db) as reader:
        check_startup(reader, startup)
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
    app.command(
        help=_(
            "List deadlines, convention ends and renewal reminders included "
            "(table, JSON or iCalendar)."
        )
    )(deadlines)
