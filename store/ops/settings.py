"""The store's own settings a person sets: the year-end cut-offs (``startups settings``).

``store_meta`` keys ``payment_cutoff`` and ``order_cutoff`` (``MM-DD``), read by the
rules through ``store.facts.cutoffs`` (CP_UNPAID, ORDER_NOT_PLACED); written here in one
transaction, after every value is checked.
"""

from __future__ import annotations

import datetime as dt

import i18n
from store.db import Store
from store.errors import BadInput
from store.facts import Rows, cutoffs
from store.models import Meta

_ = i18n.Domain("store").gettext

PAYMENT_CUTOFF_KEY = "payment_cutoff"
ORDER_CUTOFF_KEY = "order_cutoff"


def parse_month_day(option: str, text: str) -> tuple[int, int]:
    """``11-30`` (MM-DD) or ``30/11`` (DD/MM, as people write it) → (11, 30); anything
    else, or a day no year has (31/11), is ``BadInput`` naming the option."""
    value = text.strip()
    try:
        if "/" in value:
            day, month = (int(x) for x in value.split("/"))
        elif "-" in value:
            month, day = (int(x) for x in value.split("-"))
        else:
            raise ValueError
        dt.date(2000, month, day)  # a real day of some year (29 February included)
    except ValueError:
        raise BadInput(
            _("{option} {value!r}: expected a day of the year as MM-DD or DD/MM").format(
                option=option, value=text
            )
        ) from None
    return month, day


def set_cutoffs(
    store: Store,
    *,
    payment: tuple[int, int] | None = None,
    order: tuple[int, int] | None = None,
) -> None:
    """Record the cut-offs given (month, day), both in one transaction."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with store.session() as session:
        for key, value in ((PAYMENT_CUTOFF_KEY, payment), (ORDER_CUTOFF_KEY, order)):
            if value is None:
                continue
            text = f"{value[0]:02d}-{value[1]:02d}"
            row = session.get(Meta, key)
            if row is None:
                session.add(Meta(key=key, value=text, updated_at=now))
            elif row.value != text:
                row.value = text
                row.updated_at = now


def read_cutoffs(reader: Rows) -> dict[str, tuple[int, int]]:
    """The cut-offs the rules read (the store's, else the defaults), by key."""
    payment, order = cutoffs(reader)
    return {PAYMENT_CUTOFF_KEY: payment, ORDER_CUTOFF_KEY: order}
