"""``startups log``: the audit log, newest first."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commands.context import reading
from commands.options import DbOption, JsonFormat
from commands.render import jsonout
from commands.render.text import visible
from store.queries.history import Entry, entries


def line(e: Entry) -> str:
    """One change as a line: when, who, what, and each field's before → after."""

    def show(value) -> str:
        text = "∅" if value is None else visible(value)
        return text if len(text) <= 40 else text[:39] + "…"

    what = f"{e.table} {visible(e.row_id)}" if e.row_id else e.table
    if e.label:
        what += f" «{show(e.label)}»"
    if e.startup and e.table != "startup":
        what += f" ({visible(e.startup)})"
    if e.action == "update":
        detail = ", ".join(
            f"{visible(k)}: {show(before)} → {show(after)}"
            for k, (before, after) in e.changes.items()
        )
    elif e.action == "restore":
        detail = ", ".join(f"{k} {v}" for k, v in e.changes.items())
    else:
        detail = ""
    at = e.at.replace("T", " ").removesuffix("Z")
    return f"{at}  {visible(e.actor)}  {e.action} {what}" + (f": {detail}" if detail else "")


def log(
    slug: Annotated[
        str | None,
        typer.Argument(help="Only this startup's changes (its slug).", show_default=False),
    ] = None,
    db: DbOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=2**63 - 1, help="Show at most N changes.")
    ] = 50,
    fmt: Annotated[
        JsonFormat | None, typer.Option("--format", "-f", help="json instead of text.")
    ] = None,
) -> None:
    """The audit log: who changed what and when, newest first."""
    with reading(db) as reader:
        found = entries(reader, slug, limit=limit)
    if fmt is JsonFormat.json:
        jsonout.write(
            {"schema": "startups.log/1", "entries": [e.to_dict() for e in found]}, pretty=True
        )
        return
    for e in found:
        sys.stdout.write(line(e) + "\n")


def register(app: typer.Typer) -> None:
    app.command(name="log")(log)
