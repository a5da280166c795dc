"""``startups burn SLUG``: a startup's monthly burn-down, drawn or as JSON."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from commands.context import reading, today
from commands.options import AsOfOption, DbOption
from commands.render import chart, jsonout
from commands.render.text import visible
from store.queries.burn import load


class BurnFormat(StrEnum):
    chart = "chart"
    json = "json"


def burn(
    slug: Annotated[str, typer.Argument(help="The startup (its slug, e.g. classe-a-12).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    all_history: Annotated[
        bool,
        typer.Option(
            "--all", help="The whole history: every ceiling concluded so far, all consumption."
        ),
    ] = False,
    fmt: Annotated[BurnFormat, typer.Option("--format", "-f", help="Output format.")] = (
        BurnFormat.chart
    ),
) -> None:
    """Monthly burn-down of a startup: envelope, consumption, remaining and projection."""
    day = as_of or today()
    with reading(db) as reader:
        points = load(reader, slug, day, whole_history=all_history)
    if fmt is BurnFormat.json:
        jsonout.write({"series": [p.to_dict() for p in points]}, pretty=True)
    elif not points:
        typer.echo(f"{visible(slug)}: no convention to draw as of {day.isoformat()}")
    else:
        sys.stdout.write(chart.burn(slug, day, points, whole_history=all_history) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(burn)
