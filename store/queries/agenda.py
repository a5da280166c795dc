"""Deadlines: the explicit ones a coach records and the ones the conventions imply.

Derived deadlines are nobody's to type in: each convention's end (as known on D,
avenants applied; ``store.rules.budget.derived_deadlines``) and a *renewal* reminder 90
days before it, the time a new convention or an avenant takes to be signed.  The
reminder is left out when another convention, concluded on or before D, already
covers the day after that end (the renewal is done).  Committees recorded on a startup's
beta.gouv.fr page are listed too (kind ``committee``): funding is decided there.
Derived deadlines and committees are never *overdue* and cannot be marked done; an explicit one is overdue on D when it is
dated before D and not done.

Read through ``store.reader.Reader`` with plain SQL: ``startups deadlines`` imports
neither Textual nor (on a SQLite file) SQLAlchemy.  Every deadline carries a
stable reference (``deadline-12``, ``convention-3-end``, ``convention-3-renewal``)
from which the iCalendar UID is made, so that a calendar importing the feed twice
keeps one copy of each event, and follows it when an avenant moves an end date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import i18n
from store import fmt
from store.errors import NotFound
from store.facts import Rows, load_conventions
from store.reader import as_date
from store.rules.budget import ConventionFacts, budgets, covered_after, derived_deadlines
from store.rules.vocab import deadline_title

_ = i18n.Domain("store").gettext

RENEWAL_DAYS = 90
UID_DOMAIN = "startups.beta.gouv.fr"

SQL_STARTUPS = "SELECT id, slug, title FROM startup"
SQL_DEADLINES = """
SELECT id, startup_id, convention_id, date, title, kind, done, done_on
FROM deadline
"""
# Committees are when funding is decided: they belong in the agenda (as events, never
# overdue, never "done").
SQL_COMMITTEES = "SELECT id, startup_id, date, comment FROM event WHERE name = 'committee'"


def _where_startup(sql: str, column: str, startup_id: int | None) -> str:
    if startup_id is None:
        return sql
    return f"{sql} WHERE {column} = :startup_id"


@dataclass(frozen=True)
class AgendaItem:
    """One deadline of one startup, explicit (``id`` set) or derived from a convention."""

    slug: str
    startup_title: str
    date: dt.date
    title: str
    kind: str
    overdue: bool
    ref: str  # deadline-12 / convention-3-end / convention-3-renewal
    id: int | None = None
    convention_id: int | None = None
    done: bool = False
    done_on: dt.date | None = None

    @property
    def derived(self) -> bool:
        return self.id is None

    @property
    def uid(self) -> str:
        """Stable across runs and date changes: the store row or the convention and kind."""
        return f"{self.ref}@{UID_DOMAIN}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "date": self.date.isoformat(),
            "title": self.title,
            "kind": self.kind,
            "overdue": self.overdue,
            "id": self.id,
        }


def derived_items(
    slug: str, title: str, conventions: Iterable[ConventionFacts], on: dt.date
) -> list[AgendaItem]:
    """Each convention's end and, unless already renewed, its renewal reminder."""
    all_budgets = budgets(conventions)
    by_id = {b.id: b for b in all_budgets}
    items = []
    for d in derived_deadlines(all_budgets, on):
        items.append(
            AgendaItem(
                slug=slug,
                startup_title=title,
                date=d.date,
                title=deadline_title(d.title, d.kind, True),
                kind="convention_end",
                overdue=False,
                ref=f"convention-{d.convention_id}-end",
                convention_id=d.convention_id,
            )
        )
        budget = by_id[d.convention_id]
        if covered_after(all_budgets, budget, d.date, on):
            continue
        name = budget.root.title or "convention"
        name = name[0].lower() + name[1:]
        items.append(
            AgendaItem(
                slug=slug,
                startup_title=title,
                date=d.date - dt.timedelta(days=RENEWAL_DAYS),
                title=_("Prepare the renewal of the {convention} (ends {day})").format(
                    convention=name, day=fmt.day(d.date)
                ),
                kind="renewal",
                overdue=False,
                ref=f"convention-{d.convention_id}-renewal",
                convention_id=d.convention_id,
            )
        )
    return items


def _sort_key(item: AgendaItem) -> tuple:
    return (item.date, item.slug, item.derived, item.kind, item.title, item.ref)


def all_items(
    reader: Rows,
    on: dt.date,
    *,
    startup_id: int | None = None,
    derived_from: tuple[dt.date, dt.date | None] | None = None,
    open_until: dt.date | None = None,
) -> list[AgendaItem]:
    """Every deadline on D, done and past ones included, sorted by date.

    For a caller that keeps only part of them (``select_items``), what it would drop
    is not read: ``derived_from`` (first, last or None), no derived deadline outside
    these days, so the conventions of the startups that cannot have one are not read;
    ``open_until``, only the explicit deadlines not done, up to that day.
    """
    params: dict[str, Any] = {} if startup_id is None else {"startup_id": startup_id}
    startups = {
        sid: (slug, title)
        for sid, slug, title in reader.rows(
            _where_startup(SQL_STARTUPS, "id", startup_id), **params
        )
    }
    items: list[AgendaItem] = []
    deadlines = _where_startup(SQL_DEADLINES, "startup_id", startup_id)
    if open_until is not None:
        joiner = " AND " if startup_id is not None else " WHERE "
        deadlines += f"{joiner}done = :no AND date <= :open_until"
        params_deadlines = {**params, "no": False, "open_until": open_until}
    else:
        params_deadlines = params
    for did, sid, cid, day, title, kind, done, done_on in reader.rows(
        deadlines, **params_deadlines
    ):
        slug, startup_title = startups[sid]
        date = as_date(day)
        items.append(
            AgendaItem(
                slug=slug,
                startup_title=startup_title,
                date=date,
                title=title,
                kind=kind,
                overdue=not done and date < on,
                ref=f"deadline-{did}",
                id=did,
                convention_id=cid,
                done=bool(done),
                done_on=as_date(done_on),
            )
        )
    committees = SQL_COMMITTEES + ("" if startup_id is None else " AND startup_id = :startup_id")
    for eid, sid, day, comment in reader.rows(committees, **params):
        slug, startup_title = startups[sid]
        items.append(
            AgendaItem(
                slug=slug,
                startup_title=startup_title,
                date=as_date(day),
                title=_("Investment committee") + (f" ({comment})" if comment else ""),
                kind="committee",
                overdue=False,
                ref=f"event-{eid}",
            )
        )
    ending = None
    if derived_from is not None:
        first, last = derived_from
        ending = (first, dt.date.max)
        if last is not None and (dt.date.max - last).days > RENEWAL_DAYS:
            ending = (first, last + dt.timedelta(days=RENEWAL_DAYS))
    scope = None if startup_id is None else [startup_id]
    for sid, conventions in load_conventions(reader, scope, ending=ending).items():
        slug, startup_title = startups[sid]
        items.extend(derived_items(slug, startup_title, conventions, on))
    return sorted(items, key=_sort_key)


@dataclass(frozen=True)
class Selection:
    """Which deadlines ``startups deadlines`` lists.

    By default every deadline not done from D on, plus the overdue ones.  With
    ``within`` days, only those from D to D + days, plus the overdue ones (always
    listed: an overdue deadline is the one thing a coach must not miss).  With
    ``overdue_only``, the overdue ones alone.
    """

    within: int | None = None
    overdue_only: bool = False
    slug: str | None = None

    def keep(self, item: AgendaItem, on: dt.date) -> bool:
        if self.slug is not None and item.slug != self.slug:
            return False
        if item.overdue:
            return True
        if self.overdue_only or item.done or item.date < on:
            return False
        until = self.until(on)
        return until is None or item.date <= until

    def until(self, on: dt.date) -> dt.date | None:
        """The last day listed (``None``: no last day; a window past the calendar's end
        is no window)."""
        if self.within is None or self.within > (dt.date.max - on).days:
            return None
        return on + dt.timedelta(days=self.within)


def select_items(reader: Rows, on: dt.date, selection: Selection | None = None) -> list[AgendaItem]:
    selection = selection or Selection()
    startup_id = None
    if selection.slug is not None:
        found = reader.rows("SELECT id FROM startup WHERE slug = :slug", slug=selection.slug)
        if not found:
            raise NotFound(_("no startup {slug!r} in the store").format(slug=selection.slug))
        startup_id = found[0][0]
    # A derived deadline is never overdue: kept only from D on (to D + within days).
    window = (on, selection.until(on))
    if selection.overdue_only:
        window = (dt.date.max, None)  # no derived deadline is kept: none read
    # An explicit one is kept only when not done: overdue (before D), or up to D + within.
    open_until = dt.date.max if window[1] is None else window[1]
    if selection.overdue_only:
        open_until = on - dt.timedelta(days=1)
    items = all_items(reader, on, startup_id=startup_id, derived_from=window, open_until=open_until)
    return [i for i in items if selection.keep(i, on)]


def to_json(items: list[AgendaItem]) -> dict[str, Any]:
    return {"deadlines": [item.to_dict() for item in items]}
