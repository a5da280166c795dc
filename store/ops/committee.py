"""Investment committees as people record them, and as beta.gouv.fr's events give them.

Everything here runs inside a caller's session (one transaction); nothing commits.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

import i18n
from store.errors import BadInput, NotFound
from store.models import Committee, CommitteeReview, Convention, Event, Startup
from store.ops.ledger import startup_by_slug
from store.rules.committee import DECISIONS, PROVISIONAL_MONTHS, Decision
from store.rules.text import clean_text

_ = i18n.Domain("store").gettext

# Reviews created from beta.gouv.fr's ``committee`` events.
SOURCE_BETAGOUV = "betagouv"
# The name of those events on a startup's beta.gouv.fr page.
COMMITTEE_EVENT = "committee"


def committee_on(session: Session, date: dt.date) -> Committee | None:
    return session.exec(select(Committee).where(Committee.date == date)).first()


def _review(session: Session, committee: Committee, startup: Startup) -> CommitteeReview | None:
    return session.exec(
        select(CommitteeReview).where(
            CommitteeReview.committee_id == committee.id,
            CommitteeReview.startup_id == startup.id,
        )
    ).first()


def add_committee(
    session: Session,
    date: dt.date,
    slugs: list[str] = (),  # type: ignore[assignment]
    *,
    comment: str | None = None,
    source: str = "manual",
) -> tuple[Committee, int]:
    """The committee on ``date`` (created when there is none), reviewing ``slugs`` too.

    Returns it and how many startups were added to it (one already reviewed is kept as it
    is).  A ``comment`` given replaces the committee's own.
    """
    startups = [startup_by_slug(session, slug) for slug in dict.fromkeys(slugs)]
    committee = committee_on(session, date)
    if committee is None:
        committee = Committee(date=date, source=source)
    if comment is not None:
        committee.comment = clean_text(comment) or None
    session.add(committee)
    session.flush()
    added = 0
    for startup in startups:
        if _review(session, committee, startup) is None:
            session.add(
                CommitteeReview(committee_id=committee.id, startup_id=startup.id, source=source)
            )
            added += 1
    session.flush()
    return committee, added


def decide(
    session: Session,
    date: dt.date,
    slug: str,
    *,
    decision: str,
    granted_cents: int | None = None,
    months: int | None = None,
    convention_id: int | None = None,
    requested_cents: int | None = None,
    team: str | None = None,
) -> CommitteeReview:
    """Record the decision of the committee on ``date`` for ``slug`` (reviewed from now on
    if it was not).  Refused (``BadInput``): an unknown decision, provisional months other
    than one or two, an amount granted with a stop, a convention of another startup."""
    if decision not in DECISIONS:
        raise BadInput(
            _("decision {value!r}: expected one of {choices}").format(
                value=decision, choices=", ".join(DECISIONS)
            )
        )
    committee = committee_on(session, date)
    if committee is None:
        raise NotFound(
            _("no committee on {date} in the store (add it first)").format(date=date.isoformat())
        )
    startup = startup_by_slug(session, slug)
    if decision == Decision.PROVISIONAL.value:
        if months not in PROVISIONAL_MONTHS:
            raise BadInput(_("--months: a provisional decision funds one or two months"))
    elif months is not None:
        raise BadInput(_("--months: only a provisional decision has a number of months"))
    for name, cents in (("--granted", granted_cents), ("--requested", requested_cents)):
        if cents is not None and cents < 0:
            raise BadInput(_("{option}: an amount cannot be negative").format(option=name))
    if decision == Decision.STOP.value and granted_cents:
        raise BadInput(_("--granted: a decision to stop grants nothing"))
    if convention_id is not None:
        convention = session.get(Convention, convention_id)
        if convention is None:
            raise NotFound(_("no convention {id} in the store").format(id=convention_id))
        if convention.startup_id != startup.id:
            raise BadInput(
                _("convention {id} is not one of {slug}'s").format(id=convention_id, slug=slug)
            )
    review = _review(session, committee, startup)
    if review is None:
        review = CommitteeReview(committee_id=committee.id, startup_id=startup.id, source="manual")
    review.decision = decision
    review.provisional_months = months
    review.granted_cents = granted_cents
    review.convention_id = convention_id
    if requested_cents is not None:
        review.requested_cents = requested_cents
    if team is not None:
        review.requested_team = clean_text(team) or None
    session.add(review)
    session.flush()
    return review


def sync_committee_events(session: Session) -> int:
    """beta.gouv.fr's ``committee`` events as committees (one per date) and reviews.

    Idempotent: a review is created once per committee and startup, its comment follows
    the event's; a review from an event that went away upstream is removed while nothing
    was decided on it (a decision people recorded is never lost), and so is a committee
    from events left with no review.  Returns how many reviews were created.
    """
    events = session.exec(select(Event).where(Event.name == COMMITTEE_EVENT)).all()
    wanted: dict[tuple[dt.date, int], str | None] = {}
    for e in sorted(events, key=lambda e: (e.date, e.startup_id, e.id)):
        comment = clean_text(e.comment or "") or None
        key = (e.date, e.startup_id)
        wanted[key] = wanted.get(key) or comment
    committees = {c.date: c for c in session.exec(select(Committee))}
    dates = {c.id: day for day, c in committees.items()}
    reviews = {
        (dates[r.committee_id], r.startup_id): r for r in session.exec(select(CommitteeReview))
    }
    created = 0
    for (day, sid), comment in wanted.items():
        committee = committees.get(day)
        if committee is None:
            committee = committees[day] = Committee(date=day, source=SOURCE_BETAGOUV)
            session.add(committee)
            session.flush()
        review = reviews.get((day, sid))
        if review is None:
            session.add(
                CommitteeReview(
                    committee_id=committee.id,
                    startup_id=sid,
                    comment=comment,
                    source=SOURCE_BETAGOUV,
                )
            )
            created += 1
        elif review.source == SOURCE_BETAGOUV and review.comment != comment:
            review.comment = comment
            session.add(review)
    for key, review in reviews.items():
        if (
            key not in wanted
            and review.source == SOURCE_BETAGOUV
            and review.decision == Decision.UNDECIDED.value
        ):
            session.delete(review)
    session.flush()
    used = {r.committee_id for r in session.exec(select(CommitteeReview))}
    for committee in committees.values():
        if committee.source == SOURCE_BETAGOUV and committee.id not in used:
            session.delete(committee)
    session.flush()
    return created
