"""Purchase orders, services faits and payments, as the command line and the app write them.

An order (*bon de commande*, an EJ) consumes AE on its date; a service fait records what
was delivered of it; a payment of the order consumes CP (a consumption line of kind
payment naming the order), never AE a second time.  A payment that names no order is a
*direct payment*: it consumes both, as every payment did before orders existed.

Everything runs inside the caller's session (one transaction); nothing commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

import i18n
from store.derived import reattribute
from store.errors import BadInput, NotFound
from store.models import ConsumptionLine, Convention, OrderLine, PurchaseOrder, ServiceFait, Startup
from store.ops.ledger import new_line, startup_by_slug
from store.rules.text import clean_text
from store.rules.vocab import ORDER_STATUSES, LineKind, OrderStatus

_ = i18n.Domain("store").gettext


@dataclass(frozen=True)
class OrderItem:
    """One line of an order as typed: units × unit price (cents)."""

    label: str
    units: float
    unit_price_cents: int

    @property
    def cents(self) -> int:
        return round(self.units * self.unit_price_cents)


def _positive(amount_cents: object, what: str) -> int:
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool) or amount_cents <= 0:
        raise BadInput(
            _("amount {amount!r}: {what} needs a positive amount").format(
                amount=amount_cents, what=what
            )
        )
    return amount_cents


def _check_convention(session: Session, startup: Startup, convention_id: int | None) -> None:
    if convention_id is None:
        return
    convention = session.get(Convention, convention_id)
    if convention is None:
        raise NotFound(_("no convention {id} in the store").format(id=convention_id))
    if convention.startup_id != startup.id:
        raise BadInput(
            _("convention {id} is not a convention of {slug}").format(
                id=convention_id, slug=startup.slug
            )
        )


def clean_ej(ej: str | None) -> str | None:
    """An EJ number as stored: spaces and control characters gone; ``None`` when empty."""
    if ej is None:
        return None
    text = re.sub(r"\s+", "", clean_text(ej))
    return text or None


def order_by_ref(session: Session, ref: str) -> PurchaseOrder:
    """The order an EJ number names, or ``order-12`` / ``#12`` (its id in the store)."""
    text = ref.strip()
    by_id = re.fullmatch(r"(?:order-|#)(\d+)", text)
    if by_id:
        order = session.get(PurchaseOrder, int(by_id[1]))
    else:
        ej = clean_ej(text)
        order = (
            session.exec(select(PurchaseOrder).where(PurchaseOrder.ej == ej)).first()
            if ej
            else None
        )
    if order is None:
        raise NotFound(_("no order {ref!r} in the store").format(ref=text))
    return order


def add_order(
    session: Session,
    slug: str,
    *,
    date: dt.date,
    amount_cents: int | None = None,
    ej: str | None = None,
    supplier: str | None = None,
    convention_id: int | None = None,
    expected_on: dt.date | None = None,
    label: str = "",
    items: Sequence[OrderItem] = (),
    status: str = OrderStatus.OPEN.value,
    source: str = "manual",
) -> PurchaseOrder:
    """Record a purchase order of the startup ``slug`` and re-attribute its money.

    Its amount is ``amount_cents``, or the sum of its lines (units × unit price) when it
    has lines and no amount; both given, they must agree.  An EJ number the store
    already knows is refused (an order is recorded once).
    """
    startup = startup_by_slug(session, slug)
    total = sum(item.cents for item in items)
    for item in items:
        if item.units <= 0 or item.unit_price_cents <= 0:
            raise BadInput(
                _("order line {label!r}: units and unit price must be positive").format(
                    label=item.label
                )
            )
    if amount_cents is None:
        if not items:
            raise BadInput(_("an order needs an amount or lines (units × unit price)"))
        amount_cents = total
    _positive(amount_cents, _("an order"))
    if items and total != amount_cents:
        raise BadInput(
            _("the order's lines add up to {lines} cents, not {amount}").format(
                lines=total, amount=amount_cents
            )
        )
    if status not in ORDER_STATUSES:
        raise BadInput(
            _("status {status!r}: expected one of {choices}").format(
                status=status, choices=", ".join(ORDER_STATUSES)
            )
        )
    if expected_on is not None and expected_on < date:
        raise BadInput(_("the expected delivery date is before the order's date"))
    _check_convention(session, startup, convention_id)
    number = clean_ej(ej)
    if number is not None:
        known = session.exec(select(PurchaseOrder).where(PurchaseOrder.ej == number)).first()
        if known is not None:
            raise BadInput(
                _("EJ {ej} is already recorded (order {id})").format(ej=number, id=known.id)
            )
    order = PurchaseOrder(
        startup_id=startup.id,
        convention_id=convention_id,
        ej=number,
        supplier=clean_text(supplier) if supplier else None,
        date=date,
        amount_cents=amount_cents,
        expected_on=expected_on,
        status=status,
        label=clean_text(label),
        source=source,
    )
    session.add(order)
    session.flush()
    for position, item in enumerate(items):
        session.add(
            OrderLine(
                order_id=order.id,
                position=position,
                label=clean_text(item.label),
                units=float(item.units),
                unit_price_cents=item.unit_price_cents,
            )
        )
    reattribute(session, startup.id)
    session.refresh(order)
    return order


def add_service_fait(
    session: Session,
    ref: str,
    *,
    date: dt.date,
    amount_cents: int,
    label: str = "",
    source: str = "manual",
) -> ServiceFait:
    """Record a service fait (what was delivered) of the order ``ref``."""
    order = order_by_ref(session, ref)
    _positive(amount_cents, _("a service fait"))
    if date < order.date:
        raise BadInput(_("a service fait cannot be dated before its order"))
    done = ServiceFait(
        order_id=order.id,
        date=date,
        amount_cents=amount_cents,
        label=clean_text(label),
        source=source,
    )
    session.add(done)
    session.flush()
    return done


def add_payment(
    session: Session,
    slug: str | None,
    *,
    date: dt.date,
    amount_cents: int,
    label: str,
    order: str | None = None,
    convention_id: int | None = None,
    source: str = "manual",
) -> ConsumptionLine:
    """Record a payment: of the order ``order`` (CP only), or a direct payment of the
    startup ``slug`` (AE and CP).  With an order, ``slug`` may be omitted; given, it
    must be the order's startup."""
    if order is None:
        if slug is None:
            raise BadInput(_("a payment names its startup or its order"))
        startup = startup_by_slug(session, slug)
        paid_order = None
    else:
        paid_order = order_by_ref(session, order)
        startup = session.get(Startup, paid_order.startup_id)
        if slug is not None and startup.slug != slug:
            raise BadInput(
                _("order {ref} belongs to {owner}, not to {slug}").format(
                    ref=order, owner=startup.slug, slug=slug
                )
            )
        if convention_id is not None:
            raise BadInput(_("a payment of an order counts where its order does: no --convention"))
        if date < paid_order.date:
            raise BadInput(_("a payment of an order cannot be dated before the order"))
    if not label.strip() and paid_order is not None:
        label = paid_order.label or (f"EJ {paid_order.ej}" if paid_order.ej else "")
    if not label.strip():
        raise BadInput(_("label: a payment needs a label"))
    line = new_line(
        session,
        startup,
        date=date,
        amount_cents=amount_cents,
        label=label,
        kind=LineKind.PAYMENT.value,
        convention_id=convention_id,
        source=source,
    )
    if paid_order is not None:
        line.order_id = paid_order.id
    session.add(line)
    reattribute(session, startup.id)
    session.refresh(line)
    return line
