"""``startups show SLUG``: one startup's full card."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from commands.context import reading, today
from commands.options import AsOfOption, DbOption
from commands.render import card as card_renderer
from commands.render import jsonout
from commands.render.console import console
from store.queries.card import build_card


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


def show(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The startup (its slug).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ShowFormat.table
    ),
) -> None:
    """Print one startup's full card: phases, conventions and avenants, budget, deadlines, KPIs."""
    with reading(db) as reader:
        card = build_card(reader, slug, as_of or today())
    if fmt is ShowFormat.json:
        jsonout.write(card.to_dict(), pretty=True)
    else:
        card_renderer.render(card, console())


def register(app: typer.Typer) -> None:
    app.command()(show)
