"""A startup's one-page brief for the investment committee, as plain data.

Every figure comes from the card (``store.queries.card.build_card``, what ``startups
show`` prints for the same day), the burn-down series (``store.queries.burn.load``,
what ``startups burn --format json`` prints), the purchase orders
(``store.queries.orders.orders_of``, what ``startups orders`` prints) and the committee
rules (``store.queries.committee.lead_time``); rendering is the caller's job.

AE and CP apart, as everywhere: *engagé* (AE) is orders plus direct payments and
engagement lines, *payé* (CP) every payment (an order's payment is CP only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from store.facts import Rows
from store.queries import burn as burn_query
from store.queries.agenda import AgendaItem
from store.queries.card import IN_FORCE, Card, Kpi, build_card
from store.queries.committee import LeadTime, Review, lead_time
from store.queries.orders import OrderRow, orders_of
from store.rules.budget import StaffingFacts, staffing_cost_cents, working_days
from store.rules.burn import Point
from store.rules.committee import LEAD_DAYS, PERIOD_MONTHS
from store.rules.text import fold_words
from store.rules.vocab import OrderStatus

# What was engaged (AE) in (since, on]: the lines that name no order (engagement lines and
# direct payments) and the orders not cancelled; an order's payments are CP only.
SQL_YEAR = """
SELECT (SELECT COALESCE(SUM(amount_cents), 0) FROM consumption_line
        WHERE startup_id = s.id AND order_id IS NULL AND date > :since AND date <= :on)
     + (SELECT COALESCE(SUM(amount_cents), 0) FROM purchase_order
        WHERE startup_id = s.id AND status <> :cancelled AND date > :since AND date <= :on)
FROM startup s WHERE s.slug = :slug
"""
# A KPI counts monthly users when its metric or unit says users (or uses) per month.
_USERS = ("utilisateur", "usager", "user", "usage", "visiteur", "visitor")
_MONTHLY = ("mensuel", "par mois", "mois", "monthly", "per month", "month")


@dataclass(frozen=True)
class MoneyRow:
    """One convention's money on the brief's day, as the card has it.

    ``engaged_cents`` (AE) is what counts against the ceiling (the card's consumption),
    ``paid_cents`` (CP) what is paid of it; ``left_cents`` is the reste à engager
    (ceiling − engagé, ``None`` when the ceiling is unknown), ``to_pay_cents`` the reste
    à payer (engagé − payé).
    """

    id: int
    title: str | None
    status: str
    ceiling_cents: int | None
    engaged_cents: int
    paid_cents: int | None
    left_cents: int | None
    ends_on: dt.date | None
    to_pay_cents: int = 0
    service_fait_cents: int = 0


def money_rows(card: Card) -> list[MoneyRow]:
    """The brief's money, one row per convention in force (the one place that reads the
    card's money: extend it here)."""
    rows = []
    for c in card.conventions:
        if c.status != IN_FORCE:
            continue
        ceiling = c.ceiling_on_cents
        rows.append(
            MoneyRow(
                id=c.id,
                title=c.title,
                status=c.status,
                ceiling_cents=ceiling,
                engaged_cents=c.consumed_cents,
                paid_cents=c.paid_cents,
                left_cents=c.to_engage_cents,
                ends_on=c.ends_on_effective,
                to_pay_cents=c.to_pay_cents,
                service_fait_cents=c.service_fait_cents,
            )
        )
    return rows


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    # Annual spending ÷ monthly users, where the KPI counts monthly users and both are known.
    cost_per_use_cents: float | None


def is_monthly_users(kpi: Kpi) -> bool:
    words = fold_words(f"{kpi.metric} {kpi.unit or ''}")
    return any(w in words for w in _USERS) and any(w in words for w in _MONTHLY)


@dataclass(frozen=True)
class Request:
    """What the next six months would cost: from the staffing plan (headcount × daily rate ×
    working days) and at the current rate of engagement."""

    first: dt.date
    last: dt.date
    working_days: int
    staffing_cents: int | None
    staffing_planned: bool  # a line of the plan overlaps the period
    current_rate_cents: float
    requested_cents: int | None  # what the team asked the committee for, when recorded
    requested_team: str | None


def add_months(day: dt.date, n: int) -> dt.date:
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    for d in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class Brief:
    card: Card
    committee: dt.date | None  # the committee it is for, or the next one reviewing it
    lead: LeadTime
    review: Review | None
    money: list[MoneyRow]
    kpis: list[KpiRow]
    annual_spending_cents: int
    series: list[Point]
    request: Request
    deadlines: list[AgendaItem]
    # The orders in flight: open and not fully paid on the day, oldest first.
    orders: list[OrderRow] = field(default_factory=list)
    # The last day ``deadlines`` looks at: the committee's, else 90 days after D.
    deadlines_until: dt.date | None = None


def build_brief(source: Rows, slug: str, on: dt.date, committee: dt.date | None = None) -> Brief:
    card = build_card(source, slug, on)
    lead = lead_time(source, card)
    day = committee or lead.next_committee
    review = next((r for r in lead.reviews if r.date == day), None) if day else None
    since = on - dt.timedelta(days=365)
    annual = int(
        source.rows(SQL_YEAR, slug=slug, since=since, on=on, cancelled=OrderStatus.CANCELLED.value)[
            0
        ][0]
        or 0
    )
    kpis = [
        KpiRow(
            kpi=k,
            cost_per_use_cents=(
                annual / k.latest_value
                if is_monthly_users(k) and k.latest_value and annual
                else None
            ),
        )
        for k in card.kpis
    ]
    first = on + dt.timedelta(days=1)
    last = add_months(on, PERIOD_MONTHS)
    staffing = [
        StaffingFacts(
            headcount=s.headcount,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            daily_rate_cents=s.daily_rate_cents,
            convention_id=s.convention_id,
            role=s.role,
        )
        for s in card.staffing
    ]
    planned = [
        s
        for s in staffing
        if (s.starts_on is None or s.starts_on <= last)
        and (s.ends_on is None or s.ends_on >= first)
    ]
    request = Request(
        first=first,
        last=last,
        working_days=working_days(first, last),
        staffing_cents=staffing_cost_cents(planned, first, last) if planned else None,
        staffing_planned=bool(planned),
        current_rate_cents=card.assessment.burn_rate_cents_per_month * PERIOD_MONTHS,
        requested_cents=review.requested_cents if review else None,
        requested_team=review.requested_team if review else None,
    )
    until = day if day is not None and day >= on else on + dt.timedelta(days=LEAD_DAYS * 2)
    deadlines = [d for d in card.deadlines if not d.done and (on <= d.date <= until or d.overdue)]
    return Brief(
        card=card,
        committee=day,
        lead=lead,
        review=review,
        money=money_rows(card),
        kpis=kpis,
        annual_spending_cents=annual,
        series=burn_query.load(source, slug, on),
        request=request,
        deadlines=deadlines,
        orders=in_flight(orders_of(source, slug, on)),
        deadlines_until=until,
    )


def in_flight(orders: list[OrderRow]) -> list[OrderRow]:
    """The orders still open (neither closed nor cancelled) with something left to pay."""
    return [o for o in orders if o.stored_status == OrderStatus.OPEN.value and o.to_pay_cents > 0]
