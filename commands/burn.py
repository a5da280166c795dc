"""``startups burn SLUG``: a startup's monthly burn-down, drawn or as JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.context import reading, today
from commands.options import AsOfOption, DbOption, check_startup
from commands.render import chart, jsonout
from commands.render.text import visible
from store.errors import NotFound
from store.fmt import day as fmt_day
from store.queries.burn import load

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


class BurnFormat(StrEnum):
    chart = "chart"
    json = "json"


def burn(
    slug: Annotated[str, typer.Argument(help=_("The startup (its slug, e.g. classe-a-12)."))],
    db: DbOption = None,
    as_of: AsOfOption = None,
    all_history: Annotated[
        bool,
        typer.Option(
            "--all",
            help=_("The whole history: every ceiling concluded so far, all consumption."),
        ),
    ] = False,
    fmt: Annotated[BurnFormat, typer.Option("--format", "-f", help=_("Output format."))] = (
        BurnFormat.chart
    ),
) -> None:
    day = as_of or today()
    with reading(db) as reader:
        try:
            points = load(reader, slug, day, whole_history=all_history)
        except NotFound:
            check_startup(reader, slug)  # the nearest slugs, when it is the startup
            raise
    if fmt is BurnFormat.json:
        jsonout.write({"series": [p.to_dict() for p in points]}, pretty=True)
    elif not points:
        typer.echo(
            _("{slug}: no convention to draw as of {date}").format(
                slug=visible(slug), date=fmt_day(day)
            )
        )
    else:
        sys.stdout.write(chart.burn(slug, day, points, whole_history=all_history) + "\n")


def register(app: typer.Typer) -> None:
    app.command(
        help=_("Monthly burn-down of a startup: envelope, consumption, remaining and projection.")
    )(burn)
