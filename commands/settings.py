"""``startups settings``: the store's own settings (the year-end cut-offs), shown or set."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.context import reading, writing
from commands.options import DbOption
from commands.render import jsonout
from store.fmt import locale

_ = i18n.Domain("cli").gettext


class SettingsFormat(StrEnum):
    table = "table"
    json = "json"


def _words(month_day: tuple[int, int]) -> str:
    """(11, 30) → ``30 novembre`` (English ``30 November``; a day of a leap year, so that
    29 February reads)."""
    from babel.dates import format_date

    return format_date(dt.date(2000, *month_day), "d MMMM", locale=locale())


def settings(
    payment_cutoff: Annotated[
        str | None,
        typer.Option(
            "--payment-cutoff",
            metavar="MM-DD|DD/MM",
            help=_(
                "The last day of the year for payments (CP); past it, CP scheduled and not "
                "paid raise CP_UNPAID (default 30 November)."
            ),
        ),
    ] = None,
    order_cutoff: Annotated[
        str | None,
        typer.Option(
            "--order-cutoff",
            metavar="MM-DD|DD/MM",
            help=_(
                "The last day of the year for orders (AE); past it, January not covered by "
                "orders raises ORDER_NOT_PLACED (default 15 December)."
            ),
        ),
    ] = None,
    fmt: Annotated[SettingsFormat, typer.Option("--format", "-f", help=_("Output format."))] = (
        SettingsFormat.table
    ),
    db: DbOption = None,
) -> None:
    """Show the store's year-end cut-offs, or set them (both in one transaction)."""
    from store.ops.settings import (
        ORDER_CUTOFF_KEY,
        PAYMENT_CUTOFF_KEY,
        parse_month_day,
        read_cutoffs,
        set_cutoffs,
    )

    payment = (
        None if payment_cutoff is None else parse_month_day("--payment-cutoff", payment_cutoff)
    )
    order = None if order_cutoff is None else parse_month_day("--order-cutoff", order_cutoff)
    if payment is not None or order is not None:
        with writing(db) as store:
            set_cutoffs(store, payment=payment, order=order)
    with reading(db) as reader:
        values = read_cutoffs(reader)
    if fmt is SettingsFormat.json:
        jsonout.write({key: f"{m:02d}-{d:02d}" for key, (m, d) in values.items()})
        return
    typer.echo(_("Payment cut-off: {day}").format(day=_words(values[PAYMENT_CUTOFF_KEY])))
    typer.echo(_("Order cut-off: {day}").format(day=_words(values[ORDER_CUTOFF_KEY])))


def register(app: typer.Typer) -> None:
    app.command(
        "settings",
        help=_(
            "Show the store's year-end cut-offs (payments, orders), or set them with "
            "--payment-cutoff and --order-cutoff."
        ),
    )(settings)
