"""``startups show SLUG``: one startup's full card."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.context import reading, today
from commands.options import AsOfOption, DbOption, check_startup
from commands.render import card as card_renderer
from commands.render import jsonout
from commands.render.console import console
from store.errors import NotFound
from store.queries.card import build_card

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext


class ShowFormat(StrEnum):
    table = "table"
    json = "json"


def show(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))],
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help=_("Output format."))] = (
        ShowFormat.table
    ),
) -> None:
    with reading(db) as reader:
        try:
            card = build_card(reader, slug, as_of or today())
        except NotFound:
            check_startup(reader, slug)  # the nearest slugs, when it is the startup
            raise
    if fmt is ShowFormat.json:
        jsonout.write(card.to_dict(), pretty=True)
    else:
        card_renderer.render(card, console())


def register(app: typer.Typer) -> None:
    app.command(
        help=_(
            "Print one startup's full card: phases, conventions and avenants, budget, "
            "deadlines, KPIs."
        )
    )(show)
