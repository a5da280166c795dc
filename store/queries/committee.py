"""Investment committees as the faces read them: the list, one committee, one startup's
reviews, and the lead-time alerts of a startup's card (``store.rules.committee``).

Read with plain SQL through ``store.reader.Reader``, like every query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import i18n
from store.errors import NotFound
from store.facts import Rows, load_conventions
from store.queries.burn import startup_id
from store.queries.card import Card
from store.reader import as_date
from store.rules.budget import budgets
from store.rules.committee import ReviewFacts, lead_time_alerts, next_committee, runs_out_on

_ = i18n.Domain("store").gettext

SQL_COMMITTEES = "SELECT id, date, comment FROM committee ORDER BY date, id"
SQL_REVIEWS = """
SELECT r.committee_id, c.date, s.slug, s.title, r.decision, r.provisional_months,
       r.requested_cents, r.requested_team, r.granted_cents, r.convention_id, r.comment
FROM committee_review r
JOIN committee c ON c.id = r.committee_id
JOIN startup s ON s.id = r.startup_id
"""


@dataclass(frozen=True)
class Review:
    """One startup reviewed by one committee."""

    date: dt.date
    slug: str
    title: str
    decision: str
    provisional_months: int | None
    requested_cents: int | None
    requested_team: str | None
    granted_cents: int | None
    convention_id: int | None
    comment: str | None

    def facts(self) -> ReviewFacts:
        return ReviewFacts(self.date, self.decision, self.convention_id)


@dataclass
class CommitteeView:
    id: int
    date: dt.date
    comment: str | None
    reviews: list[Review] = field(default_factory=list)


def _review(row: tuple) -> Review:
    _cid, day, slug, title, decision, months, requested, team, granted, conv, comment = row
    return Review(
        date=as_date(day),
        slug=slug,
        title=title,
        decision=decision,
        provisional_months=months,
        requested_cents=requested,
        requested_team=team,
        granted_cents=granted,
        convention_id=conv,
        comment=comment,
    )


def committees(source: Rows) -> list[CommitteeView]:
    """Every committee, oldest first, with the startups each reviews (by slug)."""
    views = {
        cid: CommitteeView(id=cid, date=as_date(day), comment=comment)
        for cid, day, comment in source.rows(SQL_COMMITTEES)
    }
    for row in source.rows(SQL_REVIEWS + " ORDER BY s.slug"):
        views[row[0]].reviews.append(_review(row))
    return list(views.values())


def committee_on(source: Rows, day: dt.date) -> CommitteeView:
    """The committee on ``day`` (``NotFound`` when there is none)."""
    for view in committees(source):
        if view.date == day:
            return view
    raise NotFound(_("no committee on {date} in the store").format(date=day.isoformat()))


def reviews_of(source: Rows, slug: str) -> list[Review]:
    """The committees that review the startup ``slug``, oldest first."""
    startup_id(source, slug)
    rows = source.rows(SQL_REVIEWS + " WHERE s.slug = :slug ORDER BY c.date", slug=slug)
    return [_review(row) for row in rows]


@dataclass(frozen=True)
class LeadTime:
    """What the committee rules say of a startup on its card's day."""

    alerts: tuple[str, ...]
    next_committee: dt.date | None
    # The day the money in force runs out: at the burn rate, at the staffing plan's.
    exhausts_on: dt.date | None
    staffing_exhausts_on: dt.date | None
    reviews: tuple[Review, ...] = ()


def lead_time(source: Rows, card: Card) -> LeadTime:
    """The lead-time alerts of ``card``'s startup on its day, from the same facts."""
    sid = startup_id(source, card.slug)
    conventions = load_conventions(source, [sid]).get(sid, [])
    reviews = tuple(reviews_of(source, card.slug))
    facts = [r.facts() for r in reviews]
    a = card.assessment
    staffing = min(
        (p.staffing_exhausts_on for p in a.projections if p.staffing_exhausts_on is not None),
        default=None,
    )
    rate = a.exhausts_on if a.burn_rate_cents_per_month else None
    alerts = lead_time_alerts(
        budgets(conventions), conventions, facts, runs_out_on(rate, staffing), card.as_of
    )
    return LeadTime(
        alerts=alerts,
        next_committee=next_committee(facts, card.as_of),
        exhausts_on=rate,
        staffing_exhausts_on=staffing,
        reviews=reviews,
    )
