"""Forms for the money as it moves: a purchase order (bon de commande, an EJ), a service
fait of an order and a payment of an order.

They are ``FormScreen`` forms like the others (fit 80×24 and scroll, focus on the first
field, ctrl+s or Enter saves, each error under its field) and write through
``store.ops.order_input``, which checks what was typed and then calls
``store.ops.orders`` (the functions of ``startups order add``, ``order done`` and
``order pay``) in one transaction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult

from tui.language import N_, _
from tui.screens.forms import DATE, FormScreen, _convention_options, _euros

if TYPE_CHECKING:
    from store.queries.browse import StartupCard
    from store.queries.orders import OrderRow


def default_convention(card: StartupCard) -> int | None:
    """The convention in force on the app's date (the first one when several are)."""
    return next(
        (c.id for c in card.conventions if c.kind != "avenant" and c.status == "in_force"), None
    )


def order_name(order: OrderRow) -> str:
    """How a coach names an order: its EJ number, else its number in the store."""
    return f"EJ {order.ej}" if order.ej else _("order #{id}").format(id=order.id)


class OrderForm(FormScreen):
    """Record a new purchase order of the startup (it engages AE on its date)."""

    def __init__(self, card: StartupCard) -> None:
        super().__init__(card)
        self.title_text = _("New purchase order — {title}").format(title=card.title)

    def fields(self) -> ComposeResult:
        yield self.input("ej", N_("EJ no."), placeholder="1300012345")
        yield self.input("supplier", N_("Supplier"))
        yield self.input("date", N_("Date"), self.app.as_of, placeholder=DATE)
        yield self.input(
            "amount",
            N_("Amount (€)"),
            placeholder="12 000",
            hint=N_("empty: units × unit price"),
        )
        yield self.select(
            "convention_id",
            N_("Convention"),
            _convention_options(self.card),
            default_convention(self.card),
            hint=N_("empty: the convention whose period holds the date"),
        )
        yield self.input("expected_on", N_("Delivery expected"), placeholder=DATE)
        yield self.input("label", N_("Label"), placeholder=N_("Development, 20 days"))
        yield self.input("units", N_("Units"), placeholder="20", hint=N_("optional"))
        yield self.input("unit_price", N_("Unit price (€)"), placeholder="600")

    def record(self):
        from store.ops.order_input import OrderInput

        return OrderInput(
            startup=self.card.slug,
            ej=self.value("ej"),
            supplier=self.value("supplier"),
            date=self.value("date"),
            amount=self.value("amount"),
            convention_id=self.value("convention_id"),
            expected_on=self.value("expected_on"),
            label=self.value("label"),
            units=self.value("units"),
            unit_price=self.value("unit_price"),
        )

    def perform(self, store, record) -> int:
        from store.ops.order_input import save_order

        return save_order(store, record)


class _OrderMoveForm(FormScreen):
    """A service fait or a payment of one order: its date, its amount, a note."""

    def __init__(self, card: StartupCard, order: OrderRow) -> None:
        super().__init__(card)
        self.order = order

    def default_cents(self) -> int:
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        day = max(self.app.as_of, self.order.date)
        cents = self.default_cents()
        yield self.input("date", N_("Date"), day, placeholder=DATE)
        yield self.input(
            "amount",
            N_("Amount (€)"),
            _euros(cents) if cents > 0 else None,
            placeholder="12 000",
        )
        yield self.input("label", N_("Note"))

    def record(self):
        from store.ops.order_input import OrderMoveInput

        return OrderMoveInput(
            order_id=self.order.id,
            date=self.value("date"),
            amount=self.value("amount"),
            label=self.value("label"),
        )


class ServiceFaitForm(_OrderMoveForm):
    """Record a service fait of the order: what the supplier delivered."""

    def __init__(self, card: StartupCard, order: OrderRow) -> None:
        super().__init__(card, order)
        self.title_text = _("Service fait — {order} · {supplier}").format(
            order=order_name(order), supplier=order.supplier or "—"
        )

    def default_cents(self) -> int:
        """What is not delivered yet."""
        return self.order.engaged_cents - self.order.service_fait_cents

    def perform(self, store, record) -> int:
        from store.ops.order_input import save_service_fait

        return save_service_fait(store, record)


class PaymentForm(_OrderMoveForm):
    """Record a payment of the order (CP): what it engaged is never counted twice."""

    def __init__(self, card: StartupCard, order: OrderRow) -> None:
        super().__init__(card, order)
        self.title_text = _("Payment — {order} · {supplier}").format(
            order=order_name(order), supplier=order.supplier or "—"
        )

    def default_cents(self) -> int:
        """What was delivered and is not paid yet, else what is left to pay."""
        delivered = self.order.service_fait_cents - self.order.paid_cents
        return delivered if delivered > 0 else self.order.to_pay_cents

    def perform(self, store, record) -> int:
        from store.ops.order_input import save_payment

        return save_payment(store, record)
