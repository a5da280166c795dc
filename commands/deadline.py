"""``startups deadline done ID``: mark an explicit deadline done."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

import i18n
from commands.context import today, writing
from commands.options import DbOption, date_option
from commands.render.text import visible
from store.fmt import day
from store.ops.ledger import mark_deadline_done

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


def done(
    ref: Annotated[
        str,
        typer.Argument(metavar="ID", help=_("The deadline's id, as `startups deadlines` lists.")),
    ],
    on: Annotated[
        dt.date | None, date_option("--on", _("The day it was done (default: today)."))
    ] = None,
    db: DbOption = None,
) -> None:
    with writing(db) as store, store.session() as session:
        deadline, changed = mark_deadline_done(session, ref, on or today())
    message = (
        _("deadline {id} ({title}): done on {date}")
        if changed
        else _("deadline {id} ({title}): already done on {date}")
    )
    typer.echo(
        message.format(id=deadline.id, title=visible(deadline.title), date=day(deadline.done_on))
    )


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=_("Act on one deadline."), no_args_is_help=True)
    group.command(
        "done",
        help=_("Mark an explicit deadline done (convention ends and renewal reminders cannot be)."),
    )(done)
    app.add_typer(group, name="deadline")
