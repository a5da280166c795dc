"""The app's forms for a purchase order, a service fait and a payment: what a person
typed, checked field by field, then written by ``store.ops.orders`` (the functions
``startups order add``, ``order done`` and ``order pay`` use) in one transaction.

Each ``save_*`` raises :class:`store.errors.InvalidField` naming the field at fault
(``store.ops.edit``'s parsers read dates and amounts as typed: ``15/09/2018``,
``"1 234,56"``); what ``store.ops.orders`` refuses that no field names comes back as
``BadInput``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import i18n
from store.errors import InvalidField, NotFound
from store.ops.edit import parse_cents, parse_date, parse_id, parse_number
from store.ops.orders import (
    OrderItem,
    add_order,
    add_payment,
    add_service_fait,
    clean_ej,
    order_by_ref,
)
from store.rules.text import clean_text

if TYPE_CHECKING:
    from store.db import Store

_ = i18n.Domain("store").gettext


def _text(value: Any) -> str:
    return "" if value is None else clean_text(str(value)).strip()


@dataclass
class OrderInput:
    """A new purchase order as typed; ``units`` × ``unit_price`` is its one optional line."""

    startup: str
    ej: Any = None
    supplier: Any = None
    date: Any = None
    amount: Any = None
    convention_id: Any = None
    expected_on: Any = None
    label: Any = None
    units: Any = None
    unit_price: Any = None


def save_order(store: Store, data: OrderInput) -> int:
    """Record the order (``store.ops.orders.add_order``); its id."""
    day = parse_date("date", data.date, required=True)
    amount = parse_cents("amount", data.amount, positive=True)
    expected = parse_date("expected_on", data.expected_on)
    if expected is not None and expected < day:
        raise InvalidField(
            "expected_on", _("the expected delivery date is before the order's date")
        )
    units = parse_number("units", data.units)
    price = parse_cents("unit_price", data.unit_price, positive=True)
    label = _text(data.label)
    items: list[OrderItem] = []
    if units is not None or price is not None:
        if units is None or units <= 0:
            raise InvalidField("units", _("a line needs a positive number of units"))
        if price is None:
            raise InvalidField("unit_price", _("a line needs a unit price"))
        items.append(OrderItem(label, units, price))
        if amount is not None and items[0].cents != amount:
            raise InvalidField(
                "amount",
                _("the order's lines add up to {lines} cents, not {amount}").format(
                    lines=items[0].cents, amount=amount
                ),
            )
    elif amount is None:
        raise InvalidField("amount", _("an amount is required (or units × unit price)"))
    convention_id = parse_id("convention_id", data.convention_id)
    ej = clean_ej(_text(data.ej))
    with store.session() as session:
        if ej is not None:
            try:
                known = order_by_ref(session, ej)
            except NotFound:
                known = None
            if known is not None:
                raise InvalidField(
                    "ej", _("EJ {ej} is already recorded (order {id})").format(ej=ej, id=known.id)
                )
        order = add_order(
            session,
            data.startup,
            date=day,
            amount_cents=amount,
            ej=ej,
            supplier=_text(data.supplier) or None,
            convention_id=convention_id,
            expected_on=expected,
            label=label,
            items=items,
        )
        return order.id


@dataclass
class OrderMoveInput:
    """A service fait or a payment of the order ``order_id``, as typed."""

    order_id: int
    date: Any = None
    amount: Any = None
    label: Any = None


def _order_date(session, data: OrderMoveInput, message: str):
    """The date typed and the order, once the date is known not to be before it."""
    day = parse_date("date", data.date, required=True)
    order = order_by_ref(session, f"#{data.order_id}")
    if day < order.date:
        raise InvalidField("date", message)
    return day, order


def save_service_fait(store: Store, data: OrderMoveInput) -> int:
    """Record a service fait of the order (``store.ops.orders.add_service_fait``); its id."""
    parse_date("date", data.date, required=True)
    cents = parse_cents("amount", data.amount, required=True, positive=True)
    with store.session() as session:
        day, _order = _order_date(
            session, data, _("a service fait cannot be dated before its order")
        )
        done = add_service_fait(
            session, f"#{data.order_id}", date=day, amount_cents=cents, label=_text(data.label)
        )
        return done.id


def save_payment(store: Store, data: OrderMoveInput) -> int:
    """Record a payment of the order (``store.ops.orders.add_payment``): the id of its line."""
    parse_date("date", data.date, required=True)
    cents = parse_cents("amount", data.amount, required=True, positive=True)
    with store.session() as session:
        day, order = _order_date(
            session, data, _("a payment of an order cannot be dated before the order")
        )
        label = _text(data.label)
        if not label and not order.label and not order.ej:
            raise InvalidField("label", _("a payment of an order with no EJ needs a label"))
        line = add_payment(
            session,
            None,
            order=f"#{data.order_id}",
            date=day,
            amount_cents=cents,
            label=label,
        )
        return line.id
