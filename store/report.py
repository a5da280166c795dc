"""The portfolio summary as plain data, for every output format.

Built from a handful of SQL statements that aggregate in the database (never ORM
objects), then the pure rules of ``store.budget``; rendering is the caller's job
(``cli.py`` for json/csv/markdown/table, the app for its panes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from store.budget import (
    BURN_WINDOW_DAYS,
    Assessment,
    ConventionFacts,
    DeadlineFacts,
    PhaseFacts,
    StartupFacts,
    assess,
)
from store.read import Reader, as_date

SCHEMA = "startups.report/1"

SQL_STARTUPS = """
SELECT s.id, s.slug, s.title, i.slug
FROM startup s LEFT JOIN incubator i ON i.id = s.incubator_id
ORDER BY s.slug
"""
SQL_SPONSORS = """
SELECT ss.startup_id, o.slug
FROM startup_sponsor ss JOIN organisation o ON o.id = ss.organisation_id
ORDER BY ss.startup_id, ss.position, o.slug
"""
SQL_PHASES = 'SELECT startup_id, name, start, "end" FROM phase'
SQL_CONVENTIONS = """
SELECT id, startup_id, kind, parent_id, number, title, signed_on, starts_on, ends_on,
       ceiling_cents
FROM convention
"""
SQL_PARTY_SIGNATURES = "SELECT convention_id, signed_on FROM convention_party"
SQL_SCHEDULE_YEARS = "SELECT convention_id, year FROM schedule_line"
SQL_DEADLINES = "SELECT id, startup_id, convention_id, date, title, kind, done FROM deadline"
SQL_CONSUMED = """
SELECT counted_convention_id, SUM(amount_cents)
FROM consumption_line
WHERE date <= :as_of AND counted_convention_id IS NOT NULL
GROUP BY counted_convention_id
"""
SQL_UNATTRIBUTED = """
SELECT startup_id, SUM(amount_cents)
FROM consumption_line
WHERE date <= :as_of AND counted_convention_id IS NULL
GROUP BY startup_id
"""
SQL_BURN_WINDOW = """
SELECT startup_id, SUM(amount_cents)
FROM consumption_line
WHERE date > :window_start AND date <= :as_of
GROUP BY startup_id
"""


def euros(cents: int | float | None) -> float | None:
    """Cents to euros, exact to the cent in JSON (269700.0, 0.5…)."""
    if cents is None:
        return None
    return round(cents / 100, 2)


@dataclass
class StartupRow:
    id: int
    slug: str
    title: str
    incubator: str | None
    sponsors: list[str]
    assessment: Assessment

    @property
    def phase(self) -> str | None:
        return self.assessment.phase

    def to_dict(self) -> dict[str, Any]:
        a = self.assessment
        runway = a.runway_months
        deadline = a.next_deadline
        return {
            "slug": self.slug,
            "title": self.title,
            "phase": a.phase,
            "incubator": self.incubator,
            "sponsors": list(self.sponsors),
            "envelope_eur": euros(a.envelope_cents),
            "pending_eur": euros(a.pending_cents),
            "consumed_eur": euros(a.consumed_cents),
            "remaining_eur": euros(a.remaining_cents),
            "unattributed_eur": euros(a.unattributed_cents),
            "burn_rate_eur_per_month": euros(a.burn_rate_cents_per_month),
            "runway_months": None if runway is None else round(runway, 1),
            "conventions_in_force": a.conventions_in_force,
            "next_deadline": None
            if deadline is None
            else {"date": deadline.date.isoformat(), "title": deadline.title},
            "alerts": list(a.alerts),
        }


@dataclass
class Totals:
    startups: int = 0
    envelope_cents: int = 0
    envelope_unknown: int = 0
    pending_cents: int = 0
    consumed_cents: int = 0
    remaining_cents: int = 0

    def add(self, a: Assessment) -> None:
        self.startups += 1
        if a.envelope_cents is None:
            self.envelope_unknown += 1
        else:
            self.envelope_cents += a.envelope_cents
            self.remaining_cents += a.remaining_cents or 0
        self.pending_cents += a.pending_cents
        self.consumed_cents += a.consumed_cents

    def to_dict(self) -> dict[str, Any]:
        return {
            "startups": self.startups,
            "envelope_eur": euros(self.envelope_cents),
            "envelope_unknown": self.envelope_unknown,
            "pending_eur": euros(self.pending_cents),
            "consumed_eur": euros(self.consumed_cents),
            "remaining_eur": euros(self.remaining_cents),
        }


@dataclass
class Filters:
    phase: str | None = None
    incubator: str | None = None
    sponsor: str | None = None
    limit: int | None = None

    def keep(self, row: StartupRow) -> bool:
        if self.phase is not None and row.phase != self.phase:
            return False
        if self.incubator is not None and row.incubator != self.incubator:
            return False
        return self.sponsor is None or self.sponsor in row.sponsors


@dataclass
class PortfolioReport:
    as_of: dt.date
    rows: list[StartupRow]
    totals: Totals = field(default_factory=Totals)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "as_of": self.as_of.isoformat(),
            "startups": [row.to_dict() for row in self.rows],
            "totals": self.totals.to_dict(),
        }


def load_facts(reader: Reader, as_of: dt.date) -> dict[int, StartupFacts]:
    """Everything the budget rules need, for every startup, in a few aggregate queries."""
    signatures: dict[int, list[dt.date | None]] = defaultdict(list)
    for convention_id, signed_on in reader.rows(SQL_PARTY_SIGNATURES):
        signatures[convention_id].append(as_date(signed_on))
    years: dict[int, list[int]] = defaultdict(list)
    for convention_id, year in reader.rows(SQL_SCHEDULE_YEARS):
        years[convention_id].append(int(year))

    conventions: dict[int, list[ConventionFacts]] = defaultdict(list)
    for cid, sid, kind, parent, number, title, signed, starts, ends, ceiling in reader.rows(
        SQL_CONVENTIONS
    ):
        conventions[sid].append(
            ConventionFacts(
                id=cid,
                kind=kind,
                parent_id=parent,
                number=number,
                title=title,
                signed_on=as_date(signed),
                party_signatures=tuple(signatures.get(cid, ())),
                starts_on=as_date(starts),
                ends_on=as_date(ends),
                ceiling_cents=ceiling,
                schedule_years=tuple(sorted(years.get(cid, ()))),
            )
        )
    phases: dict[int, list[PhaseFacts]] = defaultdict(list)
    for sid, name, start, end in reader.rows(SQL_PHASES):
        phases[sid].append(PhaseFacts(name=name, start=as_date(start), end=as_date(end)))
    deadlines: dict[int, list[DeadlineFacts]] = defaultdict(list)
    for did, sid, cid, day, title, kind, done in reader.rows(SQL_DEADLINES):
        deadlines[sid].append(
            DeadlineFacts(
                id=did,
                date=as_date(day),
                title=title,
                kind=kind,
                done=bool(done),
                convention_id=cid,
            )
        )
    consumed = {cid: int(total) for cid, total in reader.rows(SQL_CONSUMED, as_of=as_of)}
    unattributed = {sid: int(t) for sid, t in reader.rows(SQL_UNATTRIBUTED, as_of=as_of)}
    window_start = as_of - dt.timedelta(days=BURN_WINDOW_DAYS)
    burn = {
        sid: int(t)
        for sid, t in reader.rows(SQL_BURN_WINDOW, as_of=as_of, window_start=window_start)
    }

    facts: dict[int, StartupFacts] = {}
    for sid in {*conventions, *phases, *deadlines, *unattributed, *burn}:
        own = tuple(conventions.get(sid, ()))
        facts[sid] = StartupFacts(
            conventions=own,
            phases=tuple(phases.get(sid, ())),
            deadlines=tuple(deadlines.get(sid, ())),
            consumed_cents={c.id: consumed[c.id] for c in own if c.id in consumed},
            unattributed_cents=unattributed.get(sid, 0),
            burn_window_cents=burn.get(sid, 0),
        )
    return facts


def build(reader: Reader, as_of: dt.date, filters: Filters | None = None) -> PortfolioReport:
    filters = filters or Filters()
    sponsors: dict[int, list[str]] = defaultdict(list)
    for sid, slug in reader.rows(SQL_SPONSORS):
        sponsors[sid].append(slug)
    facts = load_facts(reader, as_of)
    empty = StartupFacts()
    report = PortfolioReport(as_of=as_of, rows=[])
    for sid, slug, title, incubator in reader.rows(SQL_STARTUPS):
        row = StartupRow(
            id=sid,
            slug=slug,
            title=title,
            incubator=incubator,
            sponsors=sponsors.get(sid, []),
            assessment=assess(facts.get(sid, empty), as_of),
        )
        if not filters.keep(row):
            continue
        report.totals.add(row.assessment)
        report.rows.append(row)
    if filters.limit is not None:
        report.rows = report.rows[: filters.limit]
    return report
