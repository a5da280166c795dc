"""The investment committee's forms: record a committee (its day, the startups it
reviews, its note) and decide a startup's review (the decision, the envelope granted and
requested, the team, the convention or avenant that carries it).

They save through ``store.ops.committee`` (``add_committee``, ``decide``: what ``startups
committee add|decide`` call), in one transaction, and follow every rule of the other
forms (``tui.screens.forms.FormScreen``): they fit 80×24 and scroll, open with the focus
on the first field, show their buttons and keys, save with ``ctrl+s`` or ``Enter``, and
show each error under the field at fault.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Select

from store.errors import BadInput, InvalidField, NotFound
from store.rules.committee import DECISIONS, PROVISIONAL_MONTHS, Decision
from tui.language import N_, _
from tui.screens.forms import DATE, FormScreen, _convention_options, _euros

if TYPE_CHECKING:
    from store.db import Store
    from store.queries.browse import StartupCard
    from store.queries.committee import Review

# The words people read for each decision (the stored codes never change).
DECISION_WORDS = {
    Decision.SIX_MONTHS.value: N_("six months funded"),
    Decision.PROVISIONAL.value: N_("provisional funding (1 or 2 months)"),
    Decision.STOP.value: N_("stop"),
    Decision.UNDECIDED.value: N_("not decided"),
}


def _parse_date(name: str, value: str) -> dt.date:
    from store.ops.edit import parse_date

    day = parse_date(name, value, required=True)
    assert day is not None
    return day


def _parse_cents(name: str, value: str) -> int | None:
    from store.ops.edit import parse_cents

    return parse_cents(name, value)


def _text(value: str) -> str | None:
    return value.strip() or None


# --- a committee ---------------------------------------------------------------------------


@dataclass
class CommitteeInput:
    date: dt.date
    slugs: list[str]
    comment: str | None


class CommitteeForm(FormScreen):
    """Record a committee (or add startups to the one on that day): the current startup
    first among those it reviews."""

    def __init__(self, card: StartupCard) -> None:
        super().__init__(card)
        self.title_text = _("New investment committee — {title}").format(title=card.title)

    def fields(self) -> ComposeResult:
        yield self.input("date", N_("Date"), placeholder=DATE)
        yield self.input(
            "startups",
            N_("Startups reviewed"),
            self.card.slug,
            hint=N_("slugs, separated by commas"),
        )
        yield self.input("comment", N_("Comment"))

    def record(self) -> CommitteeInput:
        day = _parse_date("date", self.value("date"))
        slugs = [s for s in re.split(r"[,;\s]+", self.value("startups")) if s]
        if not slugs:
            raise InvalidField("startups", _("at least one startup (its slug)"))
        return CommitteeInput(day, slugs, _text(self.value("comment")))

    def perform(self, store: Store, record: CommitteeInput) -> int | None:
        from store.ops.committee import add_committee

        try:
            with store.session() as session:
                committee, _added = add_committee(
                    session, record.date, record.slugs, comment=record.comment
                )
                return committee.id
        except NotFound as exc:
            raise InvalidField("startups", str(exc)) from None


# --- a decision ----------------------------------------------------------------------------


@dataclass
class DecisionInput:
    committee: dt.date
    decision: str
    months: int | None
    granted_cents: int | None
    requested_cents: int | None
    team: str | None
    convention_id: int | None


def default_review(reviews: list[Review], on: dt.date) -> Review | None:
    """The review a decision is most likely for: the next committee from ``on`` on still
    undecided, else the latest one before."""
    ahead = [r for r in reviews if r.date >= on]
    if ahead:
        return min(ahead, key=lambda r: r.date)
    return max(reviews, key=lambda r: r.date, default=None)


class DecisionForm(FormScreen):
    """Record what a committee decided for this startup (reviewed from then on if the
    committee did not review it yet)."""

    def __init__(self, card: StartupCard) -> None:
        super().__init__(card)
        self.title_text = _("Committee decision — {title}").format(title=card.title)

    def fields(self) -> ComposeResult:
        yield self.input(
            "committee",
            N_("Committee of"),
            placeholder=DATE,
            hint=N_("the day of a committee recorded (C records one)"),
        )
        yield self.select(
            "decision",
            N_("Decision"),
            [(_(DECISION_WORDS[d]), d) for d in DECISIONS],
            Decision.UNDECIDED.value,
            blank=False,
        )
        yield self.input("months", N_("Months (provisional)"), placeholder="1")
        yield self.input(
            "granted",
            N_("Granted (€)"),
            placeholder="150 000",
            hint=N_("the envelope granted; empty: not known yet"),
        )
        yield self.input("requested", N_("Requested (€)"), placeholder="180 000")
        yield self.input("team", N_("Team asked for"), placeholder=N_("2 developers, 1 coach"))
        yield self.select(
            "convention_id",
            N_("Carried by"),
            _convention_options(self.card),
            hint=N_("the convention or avenant that carries the decision"),
        )

    def prepare(self) -> None:
        self._decision_changed()
        self.query_one(".dialog").loading = True
        self._load(self.card.slug, self.app.as_of)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="reviews")
    def _load(self, slug: str, on: dt.date) -> None:
        from store.queries.committee import reviews_of

        with self.app.reader() as reader:
            reviews = reviews_of(reader, slug)
        self.app.call_from_thread(self._fill, default_review(reviews, on))

    def _fill(self, review: Review | None) -> None:
        """The committee most likely meant, and what is already recorded of its review
        (only into fields still empty: what was typed meanwhile stays)."""
        self.query_one(".dialog").loading = False
        if review is None:
            return
        values: dict[str, Any] = {
            "committee": review.date,
            "months": review.provisional_months,
            "granted": _euros(review.granted_cents),
            "requested": _euros(review.requested_cents),
            "team": review.requested_team,
        }
        for name, value in values.items():
            if value not in (None, "") and not self.value(name):
                self.set_value(name, value)
        if review.decision in DECISIONS and self.value("decision") == Decision.UNDECIDED.value:
            self.set_value("decision", review.decision)
        known = {c.id for c in self.card.conventions}
        if review.convention_id in known and self.value("convention_id") is None:
            self.set_value("convention_id", review.convention_id)

    @on(Select.Changed, "#f-decision")
    def _decision_changed(self) -> None:
        provisional = self.value("decision") == Decision.PROVISIONAL.value
        self.query_one("#box-months").display = provisional

    def record(self) -> DecisionInput:
        committee = _parse_date("committee", self.value("committee"))
        decision = self.value("decision")
        months = None
        if decision == Decision.PROVISIONAL.value:
            text = self.value("months").strip()
            if not text.isdigit() or int(text) not in PROVISIONAL_MONTHS:
                raise InvalidField("months", _("a provisional decision funds one or two months"))
            months = int(text)
        granted = _parse_cents("granted", self.value("granted"))
        if decision == Decision.STOP.value and granted:
            raise InvalidField("granted", _("a decision to stop grants nothing"))
        return DecisionInput(
            committee=committee,
            decision=decision,
            months=months,
            granted_cents=granted,
            requested_cents=_parse_cents("requested", self.value("requested")),
            team=_text(self.value("team")),
            convention_id=self.value("convention_id"),
        )

    def perform(self, store: Store, record: DecisionInput) -> int | None:
        from store.fmt import day
        from store.ops.committee import committee_on, decide

        with store.session() as session:
            if committee_on(session, record.committee) is None:
                raise InvalidField(
                    "committee",
                    _("no committee on {day}: C records it first").format(
                        day=day(record.committee)
                    ),
                )
            try:
                review = decide(
                    session,
                    record.committee,
                    self.card.slug,
                    decision=record.decision,
                    granted_cents=record.granted_cents,
                    months=record.months,
                    convention_id=record.convention_id,
                    requested_cents=record.requested_cents,
                    team=record.team,
                )
            except InvalidField:
                raise
            except BadInput as exc:  # the store's own checks, said on the form's line
                raise InvalidField("", str(exc)) from None
            return review.id
