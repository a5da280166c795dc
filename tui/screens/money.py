"""AE and CP on the startup screen's budget tab: what is engaged, paid, left to pay, and
the CP of the year not paid yet; the burn-down's months and the Orders tab's totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import i18n
from store.fmt import eur
from store.rules.budget import Assessment

_ = i18n.Domain("app").gettext


def money_rows(a: Assessment) -> list[tuple[str, str, str, str]]:
    """Rows of two (label, value) pairs, as the budget summary lays them out."""
    cp_left = a.cp_left_this_year_cents
    return [
        (
            _("Engaged (AE)"),
            eur(a.engaged_cents),
            _("Paid (CP)"),
            eur(a.paid_cents),
        ),
        (
            _("Left to pay"),
            eur(a.to_pay_cents),
            _("CP left this year"),
            _("no schedule") if cp_left is None else eur(cp_left),
        ),
    ]


@dataclass(frozen=True)
class MonthPoint:
    """One month of the burn-down (``store.queries.burn``, as ``startups burn`` gives it)."""

    month: dt.date  # its first day
    envelope_cents: int | None
    engaged_cents: int | None  # AE, cumulative; None after D
    paid_cents: int | None  # CP, cumulative; None after D
    remaining_cents: int | None
    projected_cents: int | None  # from D on, at the current pace


def month_points(points) -> list[MonthPoint]:
    """``store.rules.burn.Point`` (months as ``"2018-06"``) → the screen's points."""
    return [
        MonthPoint(
            month=dt.date.fromisoformat(p.month + "-01"),
            envelope_cents=p.envelope_cents,
            engaged_cents=p.consumed_cents,
            paid_cents=p.paid_cents,
            remaining_cents=p.remaining_cents,
            projected_cents=None if p.projected_cents is None else round(p.projected_cents),
        )
        for p in points
    ]


@dataclass(frozen=True)
class OrderTotals:
    """The orders shown, summed (cancelled ones engage nothing)."""

    count: int
    engaged_cents: int
    service_fait_cents: int
    paid_cents: int
    to_pay_cents: int


def order_totals(orders) -> OrderTotals:
    return OrderTotals(
        count=len(orders),
        engaged_cents=sum(o.engaged_cents for o in orders),
        service_fait_cents=sum(o.service_fait_cents for o in orders),
        paid_cents=sum(o.paid_cents for o in orders),
        to_pay_cents=sum(o.to_pay_cents for o in orders),
    )
