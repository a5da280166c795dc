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
from store.queries.history import Entry, entries

_ = i18n.Domain("cli").gettext
N_ = i18n.N_

# What was done, in words (the codes stay in the JSON).
ACTIONS = {
    "insert": N_("created"),
    "update": N_("changed"),
    "delete": N_("deleted"),
    "restore": N_("restored"),
}
# The tables a change is about, in words.
TABLES = {
    "organisation": N_("organisation"),
    "incubator": N_("incubator"),
    "startup": N_("startup"),
    "startup_sponsor": N_("sponsor of a startup"),
    "startup_incubator": N_("incubator of a startup"),
    "phase": N_("phase"),
    "event": N_("event"),
    "fast_promotion": N_("FAST promotion"),
    "fast_award": N_("FAST award"),
    "convention": N_("convention"),
    "convention_party": N_("party to a convention"),
    "schedule_line": N_("schedule line"),
    "deadline": N_("deadline"),
    "objective": N_("KPI"),
    "measurement": N_("KPI measurement"),
    "consumption_line": N_("consumption line"),
    "staffing_line": N_("staffing line"),
    "store": N_("store"),
}


def local_time(at: str) -> dt.datetime | None:
    """An audit entry's moment (UTC, ISO) in the local time zone; None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def line(e: Entry) -> str:
    """One change as a line: when (local time), who, what, and each field's before → after."""

    def show(value) -> str:
        text = "∅" if value is None else visible(value)
        return text if len(text) <= 40 else text[:39] + "…"

    table = _(TABLES[e.table]) if e.table in TABLES else visible(e.table)
    what = f"{table} {visible(e.row_id)}" if e.row_id else table
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
        detail = ", ".join(f"{visible(k)} {show(v)}" for k, v in e.changes.items())
    else:
        detail = ""
    moment = local_time(e.at)
    at = (
        f"{day(moment.date())} {moment:%H:%M:%S}"
        if moment is not None
        else visible(e.at).replace("T", " ").removesuffix("Z")
    )
    action = _(ACTIONS[e.action]) if e.action in ACTIONS else visible(e.action)
    return f"{at}  {visible(e.actor)}  {action} {what}" + (f" : {detail}" if detail else "")


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
