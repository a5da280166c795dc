"""``startups log``: the audit log, newest first, in local time and in words."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer

import i18n
from commands.context import reading
from commands.options import DbOption, JsonFormat, check_startup, date_option
from commands.render import jsonout
from commands.render.text import visible
from store.errors import NotFound
from store.fmt import day
from store.queries.changes import (
    action_words,
    change_words,
    field_words,
    local_time,
    moment_words,
    short,
    table_words,
    value_words,
)
from store.queries.history import Entry, entries

_ = i18n.Domain("cli").gettext


def line(e: Entry) -> str:
    """One change as a line: when (local time), who, what, and each field's before → after."""
    what = table_words(e.table)
    if e.row_id:
        what += f" {visible(e.row_id)}"
    if e.label:
        what += f" «{short(visible(e.label))}»"
    if e.startup and e.table != "startup":
        what += f" ({visible(e.startup)})"
    if e.action == "update":
        detail = ", ".join(
            change_words(e.table, k, before, after) for k, (before, after) in e.changes.items()
        )
    elif e.action == "restore":
        detail = ", ".join(
            f"{field_words(k)} {value_words(e.table, k, v)}" for k, v in e.changes.items()
        )
    else:
        detail = ""
    head = f"{moment_words(e.at)}  {visible(e.actor)}  {action_words(e.action)} {what}"
    return _("{change}: {fields}").format(change=head, fields=detail) if detail else head


def since_filter(found: list[Entry], since: dt.date | None) -> list[Entry]:
    """The entries made on ``since`` or after it, in local time."""
    if since is None:
        return found
    start = dt.datetime.combine(since, dt.time()).astimezone()
    kept = []
    for e in found:
        moment = local_time(e.at)
        if moment is None or moment >= start:
            kept.append(e)
    return kept


def log(
    slug: Annotated[
        str | None,
        typer.Argument(help=_("Only this startup's changes (its slug)."), show_default=False),
    ] = None,
    db: DbOption = None,
    since: Annotated[
        dt.date | None,
        date_option("--since", _("Only the changes made on this day or after it (local time).")),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=2**63 - 1, help=_("Show at most N changes."))
    ] = 50,
    fmt: Annotated[
        JsonFormat | None, typer.Option("--format", "-f", help=_("json instead of text."))
    ] = None,
) -> None:
    with reading(db) as reader:
        try:
            found = since_filter(entries(reader, slug, limit=limit), since)
        except NotFound:
            check_startup(reader, slug)  # the nearest slugs, when it is the startup
            raise
    if fmt is JsonFormat.json:
        jsonout.write(
            {"schema": "startups.log/1", "entries": [e.to_dict() for e in found]}, pretty=True
        )
        return
    if not found and since is not None:
        sys.stdout.write(_("no change since {date}").format(date=day(since)) + "\n")
    for e in found:
        sys.stdout.write(line(e) + "\n")


def register(app: typer.Typer) -> None:
    app.command(name="log", help=_("The audit log: who changed what and when, newest first."))(log)
