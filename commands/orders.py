"""Purchase orders: ``startups orders SLUG`` lists them; ``startups order add``, ``order
done`` (a service fait) and ``order pay`` (a payment of the order) record them.

A payment with no order (a direct payment, engaged and paid at once) is ``startups
expense add``.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from typing import Annotated

import typer

import i18n
from commands.context import reading, today, writing
from commands.options import AsOfOption, DbOption, date_option
from commands.render import jsonout
from commands.render.console import console
from commands.render.table import Column, table
from commands.render.text import visible
from store.errors import BadInput
from store.fmt import day, eur
from store.rules.amounts import parse_amount_cents
from store.rules.text import clean_text

_ = i18n.Domain("cli").gettext


class OrdersFormat(StrEnum):
    table = "table"
    json = "json"


def _cents(option: str, value: str) -> int:
    try:
        return parse_amount_cents(value)
    except ValueError as exc:
        raise BadInput(f"{option} {value!r} {exc}") from None


def _item(value: str):
    """``LABEL:UNITS:UNIT PRICE`` (``Développement:20:1500``) as an order line."""
    from store.ops.orders import OrderItem

    parts = value.rsplit(":", 2)
    if len(parts) != 3:
        raise BadInput(_("--line {value!r}: expected LABEL:UNITS:UNIT PRICE").format(value=value))
    label, units, price = parts
    try:
        count = float(units.replace(",", ".").strip())
    except ValueError:
        raise BadInput(
            _("--line {value!r}: {units!r} is not a number of units").format(
                value=value, units=units
            )
        ) from None
    return OrderItem(clean_text(label), count, _cents("--line", price))


def orders(
    slug: Annotated[
        str | None, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))
    ] = None,
    db: DbOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[OrdersFormat, typer.Option("--format", "-f", help=_("Output format."))] = (
        OrdersFormat.table
    ),
    unplaced: Annotated[
        bool,
        typer.Option(
            "--unplaced",
            help=_("List the EJs of the Chorus exports the store could place nowhere."),
        ),
    ] = False,
) -> None:
    """List a startup's purchase orders: engaged, delivered (service fait), paid, to pay."""
    from store.queries.orders import orders_of, status_label

    on = as_of or today()
    if unplaced:
        if slug is not None:
            raise BadInput(_("--unplaced lists the whole portfolio's EJs: give no SLUG"))
        _print_unplaced(db, on, fmt)
        return
    if slug is None:
        raise BadInput(_("a startup is needed: startups orders SLUG (or --unplaced)"))
    with reading(db) as reader:
        rows = orders_of(reader, slug, on)
    if fmt is OrdersFormat.json:
        jsonout.write({"orders": [row.to_dict() for row in rows]})
        return
    # Dates, EJ numbers and amounts whole; the supplier and the status wrap (80 columns);
    # the convention is in the JSON.
    columns = [
        Column(_("EJ"), min_width=10),
        Column(_("Date"), min_width=10),
        Column(_("Supplier"), no_wrap=False, ratio=1),
        *(
            Column(header, justify="right")
            for header in (_("Engaged"), _("Delivered"), _("Paid"), _("To pay"))
        ),
        Column(_("Status"), no_wrap=False, ratio=1),
    ]
    console().print(
        table(
            columns,
            [
                [
                    visible(row.ej or f"#{row.id}"),
                    day(row.date),
                    visible(row.supplier or "—"),
                    eur(row.engaged_cents),
                    eur(row.service_fait_cents),
                    eur(row.paid_cents),
                    eur(row.to_pay_cents),
                    status_label(row.status),
                ]
                for row in rows
            ],
            title=_("Purchase orders of {slug} on {day}").format(slug=visible(slug), day=day(on)),
            caption=None if rows else _("no purchase order"),
        )
    )


def _print_unplaced(db: str | None, on: dt.date, fmt: OrdersFormat) -> None:
    """The EJs of the Chorus exports placed nowhere (never guessed), as of D."""
    from store.queries.orders import unplaced

    with reading(db) as reader:
        rows = unplaced(reader, on)
    if fmt is OrdersFormat.json:
        jsonout.write({"unplaced": [row.to_dict() for row in rows]})
        return
    columns = [
        Column(_("EJ"), min_width=10),
        Column(_("Export"), no_wrap=False, ratio=1),
        Column(_("Date"), min_width=10),
        Column(_("Engaged"), justify="right"),
        Column(_("Lines")),
        Column(_("Why"), no_wrap=False, ratio=2),
    ]
    console().print(
        table(
            columns,
            [
                [
                    visible(row.ej),
                    visible(row.file),
                    day(row.day),
                    "—" if row.engaged_cents is None else eur(row.engaged_cents),
                    ", ".join(str(n) for n in row.lines[:5]),
                    visible(row.reason),
                ]
                for row in rows
            ],
            title=_("EJs of the Chorus exports placed nowhere on {day}").format(day=day(on)),
            caption=None if rows else _("every EJ of the exports is placed"),
        )
    )


def add(
    slug: Annotated[str, typer.Argument(metavar="SLUG", help=_("The startup (its slug)."))],
    date: Annotated[dt.date, date_option("--date", _("The order's date."))],
    amount: Annotated[
        str | None,
        typer.Option("--amount", metavar="EUR", help=_("Its amount (default: its lines' sum).")),
    ] = None,
    ej: Annotated[
        str | None, typer.Option("--ej", metavar="NUMBER", help=_("Its EJ number in Chorus."))
    ] = None,
    supplier: Annotated[
        str | None, typer.Option("--supplier", metavar="NAME", help=_("The supplier."))
    ] = None,
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help=_("What it buys."))] = "",
    line: Annotated[
        list[str] | None,
        typer.Option(
            "--line",
            metavar="LABEL:UNITS:PRICE",
            help=_("An order line: units × unit price (repeatable)."),
        ),
    ] = None,
    expected: Annotated[
        dt.date | None, date_option("--expected", _("The expected delivery date."))
    ] = None,
    convention: Annotated[
        int | None,
        typer.Option(
            "--convention",
            metavar="ID",
            help=_("The convention it is charged to (default: the one in force on its date)."),
            min=1,
            max=2**63 - 1,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a purchase order: it engages AE on its date."""
    from store.ops.orders import add_order

    items = [_item(value) for value in line or ()]
    cents = None if amount is None else _cents("--amount", amount)
    with writing(db) as store, store.session() as session:
        order = add_order(
            session,
            slug,
            date=date,
            amount_cents=cents,
            ej=ej,
            supplier=supplier,
            convention_id=convention,
            expected_on=expected,
            label=label,
            items=items,
        )
        ref, total, counted = (
            order.ej or f"order-{order.id}",
            order.amount_cents,
            order.counted_convention_id,
        )
    where = (
        _("engaged against convention {id}").format(id=counted)
        if counted
        else _("UNATTRIBUTED: no convention")
    )
    typer.echo(
        _("{slug}: order {ref} of {amount} on {day} recorded ({where})").format(
            slug=visible(slug),
            ref=visible(ref),
            amount=eur(total, decimals=True),
            day=day(date),
            where=where,
        )
    )


def done(
    ref: Annotated[str, typer.Argument(metavar="ORDER", help=_("Its EJ number, or order-ID."))],
    date: Annotated[dt.date, date_option("--date", _("The service fait's date."))],
    amount: Annotated[
        str, typer.Option("--amount", metavar="EUR", help=_("What was delivered, in euros."))
    ],
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help=_("A note."))] = "",
    db: DbOption = None,
) -> None:
    """Record a service fait: what the supplier delivered of an order."""
    from store.ops.orders import add_service_fait

    cents = _cents("--amount", amount)
    with writing(db) as store, store.session() as session:
        add_service_fait(session, ref, date=date, amount_cents=cents, label=label)
    typer.echo(
        _("order {ref}: service fait of {amount} on {day} recorded").format(
            ref=visible(ref), amount=eur(cents, decimals=True), day=day(date)
        )
    )


def pay(
    ref: Annotated[str, typer.Argument(metavar="ORDER", help=_("Its EJ number, or order-ID."))],
    date: Annotated[dt.date, date_option("--date", _("The payment's date."))],
    amount: Annotated[str, typer.Option("--amount", metavar="EUR", help=_("Euros paid."))],
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help=_("A note."))] = "",
    db: DbOption = None,
) -> None:
    """Record a payment of an order: it pays (CP) what the order engaged, never twice."""
    from store.ops.orders import add_payment

    cents = _cents("--amount", amount)
    cleaned = clean_text(label)
    if cleaned != label.strip():
        sys.stderr.write(_("startups: warning: --label: control characters removed") + "\n")
    with writing(db) as store, store.session() as session:
        line = add_payment(session, None, order=ref, date=date, amount_cents=cents, label=cleaned)
        line_id = line.id
    typer.echo(
        _("order {ref}: payment of {amount} on {day} recorded as line {id}").format(
            ref=visible(ref), amount=eur(cents, decimals=True), day=day(date), id=line_id
        )
    )


def register(app: typer.Typer) -> None:
    app.command(
        "orders",
        help=_(
            "List a startup's purchase orders: engaged, delivered (service fait), paid, to pay; "
            "or, with --unplaced, the EJs of the Chorus exports placed nowhere."
        ),
    )(orders)
    group = typer.Typer(
        help=_("Record purchase orders, their services faits and payments."),
        no_args_is_help=True,
    )
    group.command("add", help=_("Record a purchase order: it engages AE on its date."))(add)
    group.command(
        "done", help=_("Record a service fait: what the supplier delivered of an order.")
    )(done)
    group.command(
        "pay",
        help=_("Record a payment of an order: it pays (CP) what the order engaged, never twice."),
    )(pay)
    app.add_typer(group, name="order")
