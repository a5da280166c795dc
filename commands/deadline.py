"""``startups deadline done ID``: mark an explicit deadline done."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from commands.context import today, writing
from commands.options import DbOption, date_option
from commands.render.text import visible
from store.ops.ledger import mark_deadline_done


def done(
    ref: Annotated[
        str, typer.Argument(metavar="ID", help="The deadline's id, as `startups deadlines` lists.")
    ],
    on: Annotated[
        dt.date | None, date_option("--on", "The day it was done (default: today).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Mark an explicit deadline done (convention ends and renewal reminders cannot be)."""
    with writing(db) as store, store.session() as session:
        deadline, changed = mark_deadline_done(session, ref, on or today())
    state = "done on" if changed else "already done on"
    typer.echo(f"deadline {deadline.id} ({visible(deadline.title)}): {state} {deadline.done_on}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Act on one deadline.", no_args_is_help=True)
    group.command("done")(done)
    app.add_typer(group, name="deadline")
