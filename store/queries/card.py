"""One startup's full card on a date, as plain data (``startups show``, the app's detail pane).

Who it is (title, mission, phase and its history, sponsors, incubator, links), its
conventions with their avenants, parties, signatures, periods, ceilings and status
on D, its budget figures on D (``store.rules.budget.assess``), its deadlines, KPIs
(target against the latest measurement), FAST awards and staffing.

Read with plain SQL through ``store.reader.Reader`` (no ORM, no SQLAlchemy on a
SQLite file); rendering is the caller's job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import i18n
from store.errors import NotFound
from store.facts import Rows, consumption_on, cutoffs, load_facts
from store.queries.agenda import AgendaItem, all_items
from store.reader import as_date
from store.rules.budget import (
    Assessment,
    Budget,
    ConventionFacts,
    StartupFacts,
    assess,
    budgets,
    concluded_on,
    period_start,
)
from store.rules.rollup import month_of
from store.rules.vocab import IMPUTATION_KEYS, Status, phase_rank

_ = i18n.Domain("store").gettext

# Status of a convention (or avenant) on D.
IN_FORCE, PENDING, UPCOMING, ENDED = (s.value for s in Status)

SQL_STARTUP = """
SELECT s.id, s.slug, s.title, s.mission, s.link, s.repository, s.contact, s.budget_url,
       s.dashlord_url, s.notes, i.slug, i.title
FROM startup s LEFT JOIN incubator i ON i.id = s.incubator_id
WHERE s.slug = :slug
"""
SQL_SPONSORS = """
SELECT o.slug, o.name, o.acronym
FROM startup_sponsor ss JOIN organisation o ON o.id = ss.organisation_id
WHERE ss.startup_id = :sid
ORDER BY ss.position, o.slug
"""
SQL_CO_INCUBATORS = """
SELECT i.slug, i.title
FROM startup_incubator si JOIN incubator i ON i.id = si.incubator_id
WHERE si.startup_id = :sid
ORDER BY si.position, i.slug
"""
SQL_PHASES = 'SELECT name, start, "end", comment FROM phase WHERE startup_id = :sid'
SQL_CONVENTION_DETAILS = f"""
SELECT id, object, ends_on_precision, {", ".join(IMPUTATION_KEYS)}, placeholder, notes,
       source_file
FROM convention WHERE startup_id = :sid
"""
SQL_PARTIES = """
SELECT p.convention_id, p.name, p.short_name, p.role, p.representative, p.signed_on
FROM convention_party p JOIN convention c ON c.id = p.convention_id
WHERE c.startup_id = :sid
ORDER BY p.convention_id, p.position, p.id
"""
SQL_SCHEDULE = """
SELECT l.convention_id, l.year, l.ae_cents, l.cp_cents
FROM schedule_line l JOIN convention c ON c.id = l.convention_id
WHERE c.startup_id = :sid
ORDER BY l.convention_id, l.year
"""
SQL_LINES = """
SELECT COUNT(CASE WHEN counted_convention_id IS NULL THEN 1 END), COUNT(*)
FROM consumption_line
WHERE startup_id = :sid AND date <= :as_of
"""
# What each counted convention engaged and paid, month by month, before D's month.
SQL_MONTHS = """
SELECT convention_id, month, amount_cents, paid_cents FROM consumption_month
WHERE startup_id = :sid AND convention_id IS NOT NULL AND month < :month
"""
SQL_SERVICES_FAITS = """
SELECT o.counted_convention_id, SUM(f.amount_cents)
FROM service_fait f JOIN purchase_order o ON o.id = f.order_id
WHERE o.startup_id = :sid AND f.date <= :as_of AND o.counted_convention_id IS NOT NULL
GROUP BY o.counted_convention_id
"""
SQL_OBJECTIVES = """
SELECT id, metric, unit, target, target_date, direction, description
FROM objective WHERE startup_id = :sid ORDER BY id
"""
SQL_MEASUREMENTS = """
SELECT m.objective_id, m.date, m.value, m.note
FROM measurement m JOIN objective o ON o.id = m.objective_id
WHERE o.startup_id = :sid AND m.date <= :as_of
ORDER BY m.objective_id, m.date, m.id
"""
SQL_FAST = """
SELECT p.number, p.title, p.date, a.amount_cents
FROM fast_award a LEFT JOIN fast_promotion p ON p.id = a.promotion_id
WHERE a.startup_id = :sid
ORDER BY p.date, p.number
"""
SQL_STAFFING = """
SELECT role, headcount, starts_on, ends_on, daily_rate_cents, convention_id
FROM staffing_line WHERE startup_id = :sid
ORDER BY starts_on, id
"""


@dataclass
class Party:
    name: str
    short_name: str | None
    role: str | None
    representative: str | None
    signed_on: dt.date | None


@dataclass
class ScheduleYear:
    year: int
    ae_cents: int | None
    cp_cents: int | None


@dataclass
class MoneyYear:
    """One budget year of a root convention: its schedule (AE, CP planned) beside what was
    engaged and paid that year, up to D."""

    year: int
    ae_cents: int | None
    cp_cents: int | None
    engaged_cents: int = 0
    paid_cents: int = 0


@dataclass
class ConventionCard:
    """A convention or an avenant as stored, with its status on D.

    For a root convention, ``ceiling_on_cents``/``ends_on_effective`` are its ceiling and
    end on D with the avenants in force applied, and ``consumed_cents`` what counts
    against it up to D.
    """

    id: int
    kind: str
    number: int | None
    title: str | None
    object: str | None
    status: str
    signed_on: dt.date | None
    concluded_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    ends_on_precision: str | None
    ceiling_cents: int | None
    parties: list[Party] = field(default_factory=list)
    schedule: list[ScheduleYear] = field(default_factory=list)
    imputation: dict[str, str] = field(default_factory=dict)
    placeholder: bool = False
    notes: str | None = None
    source_file: str | None = None
    ceiling_on_cents: int | None = None
    ends_on_effective: dt.date | None = None
    consumed_cents: int = 0
    avenants: list[ConventionCard] = field(default_factory=list)
    # A root's AE/CP as money moves, up to D: engaged is ``consumed_cents``; paid (CP),
    # delivered (services faits of its orders), and both by budget year.
    paid_cents: int = 0
    service_fait_cents: int = 0
    years: list[MoneyYear] = field(default_factory=list)

    @property
    def to_engage_cents(self) -> int | None:
        """Reste à engager: the ceiling on D less what is engaged."""
        if self.ceiling_on_cents is None:
            return None
        return self.ceiling_on_cents - self.consumed_cents

    @property
    def to_pay_cents(self) -> int:
        """Reste à payer: engaged, not paid yet."""
        return self.consumed_cents - self.paid_cents


@dataclass
class Kpi:
    metric: str
    unit: str | None
    target: float | None
    target_date: dt.date | None
    direction: str
    description: str | None
    latest_value: float | None = None
    latest_date: dt.date | None = None
    latest_note: str | None = None

    @property
    def met(self) -> bool | None:
        """Whether the latest measurement reaches the target (``None``: no target or no value)."""
        if self.target is None or self.latest_value is None:
            return None
        if self.direction == "at_most":
            return self.latest_value <= self.target
        return self.latest_value >= self.target


@dataclass
class FastAward:
    number: int | None
    title: str | None
    date: dt.date | None
    amount_cents: int | None


@dataclass
class Staffing:
    role: str
    headcount: float
    starts_on: dt.date | None
    ends_on: dt.date | None
    daily_rate_cents: int | None
    convention_id: int | None


@dataclass
class Phase:
    name: str
    start: dt.date | None
    end: dt.date | None
    comment: str | None
    current: bool = False


@dataclass
class Card:
    as_of: dt.date
    slug: str
    title: str
    mission: str | None
    incubator: str | None
    incubator_title: str | None
    # Co-incubation: the other incubators, (slug, title), after the main one.
    co_incubators: list[tuple[str, str]]
    sponsors: list[dict[str, str | None]]
    links: dict[str, str]
    notes: str | None
    phases: list[Phase]
    conventions: list[ConventionCard]
    assessment: Assessment
    lines: int
    unattributed_lines: int
    deadlines: list[AgendaItem]
    kpis: list[Kpi]
    fast: list[FastAward]
    staffing: list[Staffing]

    @property
    def phase(self) -> str | None:
        return self.assessment.phase

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (dates as ISO strings, amounts in cents as stored)."""
        data = dataclasses.asdict(self)
        a = self.assessment
        data["assessment"] = {
            **dataclasses.asdict(a),
            "remaining_cents": a.remaining_cents,
            "runway_months": a.runway_months,
            "engaged_cents": a.engaged_cents,
            "to_pay_cents": a.to_pay_cents,
        }
        # As the report says it (euros; null where no schedule plans CP for D's year).
        cp_left = a.cp_left_this_year_cents
        data["cp_left_this_year_eur"] = None if cp_left is None else cp_left / 100
        for convention, c in zip(data["conventions"], self.conventions, strict=True):
            convention["to_engage_cents"] = c.to_engage_cents
            convention["to_pay_cents"] = c.to_pay_cents
        data["deadlines"] = [
            {**d.to_dict(), "done": d.done, "done_on": d.done_on} for d in self.deadlines
        ]
        return json.loads(json.dumps(data, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _root_status(b: Budget, on: dt.date) -> str:
    concluded = b.concluded_on
    if concluded is None:
        return PENDING
    if b.in_force(on):
        return IN_FORCE
    start = b.start
    if concluded > on or (start is not None and start > on):
        return UPCOMING
    return ENDED


def _avenant_status(a: ConventionFacts, root_status: str, on: dt.date) -> str:
    concluded = concluded_on(a)
    if concluded is None:
        return PENDING
    if concluded > on:
        return UPCOMING
    return root_status if root_status != PENDING else IN_FORCE


def build_card(reader: Rows, slug: str, on: dt.date) -> Card:
    """The card of the startup ``slug`` on D; ``NotFound`` when there is none."""
    found = reader.rows(SQL_STARTUP, slug=slug)
    if not found:
        raise NotFound(_("no startup {slug!r} in the store").format(slug=slug))
    (
        sid,
        slug,
        title,
        mission,
        link,
        repository,
        contact,
        budget_url,
        dashlord_url,
        notes,
        incubator,
        incubator_title,
    ) = found[0]
    links = {
        k: v
        for k, v in (
            ("site", link),
            ("code", repository),
            ("contact", contact),
            ("budget", budget_url),
            ("dashlord", dashlord_url),
        )
        if v
    }
    sponsors = [
        {"slug": s, "name": name, "acronym": acronym}
        for s, name, acronym in reader.rows(SQL_SPONSORS, sid=sid)
    ]

    phases = [
        Phase(name=name, start=as_date(start), end=as_date(end), comment=comment)
        for name, start, end, comment in reader.rows(SQL_PHASES, sid=sid)
    ]

    facts = load_facts(reader, on, [sid]).get(sid, StartupFacts())
    conventions = list(facts.conventions)
    consumed = facts.consumed_cents
    unattributed_lines, lines = reader.rows(SQL_LINES, sid=sid, as_of=on)[0]
    deadlines = all_items(reader, on, startup_id=sid)
    payment_cutoff, order_cutoff = cutoffs(reader)
    assessment = assess(facts, on, payment_cutoff=payment_cutoff, order_cutoff=order_cutoff)
    current = assessment.phase
    latest = max(
        (p for p in phases if p.name == current and p.start is not None and p.start <= on),
        key=lambda p: p.start,
        default=None,
    )
    if latest is not None:
        latest.current = True
    phases.sort(key=lambda p: (p.start or dt.date.min, phase_rank(p.name), p.name))

    return Card(
        as_of=on,
        slug=slug,
        title=title,
        mission=mission,
        incubator=incubator,
        incubator_title=incubator_title,
        co_incubators=[(slug, title) for slug, title in reader.rows(SQL_CO_INCUBATORS, sid=sid)],
        sponsors=sponsors,
        links=links,
        notes=notes,
        phases=phases,
        conventions=_convention_cards(reader, sid, conventions, consumed, on, facts.paid_cents),
        assessment=assessment,
        lines=int(lines or 0),
        unattributed_lines=int(unattributed_lines or 0),
        deadlines=deadlines,
        kpis=_kpis(reader, sid, on),
        fast=[
            FastAward(number=n, title=t, date=as_date(d), amount_cents=a)
            for n, t, d, a in reader.rows(SQL_FAST, sid=sid)
        ],
        staffing=[
            Staffing(
                role=role,
                headcount=float(headcount),
                starts_on=as_date(starts),
                ends_on=as_date(ends),
                daily_rate_cents=rate,
                convention_id=cid,
            )
            for role, headcount, starts, ends, rate, cid in reader.rows(SQL_STAFFING, sid=sid)
        ],
    )


def _convention_cards(
    reader: Rows,
    sid: int,
    conventions: list[ConventionFacts],
    consumed: dict[int, int],
    on: dt.date,
    paid: dict[int, int] | None = None,
) -> list[ConventionCard]:
    details = {row[0]: row[1:] for row in reader.rows(SQL_CONVENTION_DETAILS, sid=sid)}
    parties: dict[int, list[Party]] = {}
    for cid, name, short, role, representative, signed in reader.rows(SQL_PARTIES, sid=sid):
        parties.setdefault(cid, []).append(
            Party(
                name=name,
                short_name=short,
                role=role,
                representative=representative,
                signed_on=as_date(signed),
            )
        )
    schedule: dict[int, list[ScheduleYear]] = {}
    for cid, year, ae, cp in reader.rows(SQL_SCHEDULE, sid=sid):
        schedule.setdefault(cid, []).append(ScheduleYear(year=int(year), ae_cents=ae, cp_cents=cp))

    def card(c: ConventionFacts, status: str) -> ConventionCard:
        (obj, precision, *codes, placeholder, notes, source_file) = details[c.id]
        return ConventionCard(
            id=c.id,
            kind=c.kind,
            number=c.number,
            title=c.title,
            object=obj,
            status=status,
            signed_on=c.signed_on,
            concluded_on=concluded_on(c),
            starts_on=period_start(c),
            ends_on=c.ends_on,
            ends_on_precision=precision,
            ceiling_cents=c.ceiling_cents,
            parties=parties.get(c.id, []),
            schedule=schedule.get(c.id, []),
            imputation={k: v for k, v in zip(IMPUTATION_KEYS, codes, strict=True) if v},
            placeholder=bool(placeholder),
            notes=notes,
            source_file=source_file,
        )

    years = _money_years(reader, sid, on)
    delivered = {
        cid: int(total) for cid, total in reader.rows(SQL_SERVICES_FAITS, sid=sid, as_of=on)
    }
    cards = []
    for b in budgets(conventions):
        status = _root_status(b, on)
        root = card(b.root, status)
        root.ceiling_on_cents = b.ceiling_cents(on)
        root.ends_on_effective = b.ends_on(on)
        root.consumed_cents = consumed.get(b.id, 0)
        root.paid_cents = (paid or {}).get(b.id, 0)
        root.service_fait_cents = delivered.get(b.id, 0)
        own = years.get(b.id, {})
        planned = {y.year: y for y in root.schedule}
        for a in b.avenants_in_force(on):  # an avenant's schedule replaces its root's
            if schedule.get(a.id):
                planned = {y.year: y for y in schedule[a.id]}
        root.years = [
            MoneyYear(
                year=year,
                ae_cents=planned[year].ae_cents if year in planned else None,
                cp_cents=planned[year].cp_cents if year in planned else None,
                engaged_cents=own.get(year, (0, 0))[0],
                paid_cents=own.get(year, (0, 0))[1],
            )
            for year in sorted({*planned, *own})
        ]
        avenants = sorted(
            b.avenants, key=lambda a: (concluded_on(a) or dt.date.max, a.number or 0, a.id)
        )
        root.avenants = [card(a, _avenant_status(a, status, on)) for a in avenants]
        cards.append(root)
    return cards


def _money_years(reader: Rows, sid: int, on: dt.date) -> dict[int, dict[int, tuple[int, int]]]:
    """By counted convention and year: (engaged, paid) up to D, from the rollup before D's
    month and the lines and orders of D's month up to D."""
    result: dict[int, dict[int, tuple[int, int]]] = {}

    def add(cid: int, year: int, engaged: int, paid: int) -> None:
        own = result.setdefault(cid, {})
        e, p = own.get(year, (0, 0))
        own[year] = (e + engaged, p + paid)

    for cid, month, engaged, paid in reader.rows(SQL_MONTHS, sid=sid, month=month_of(on)):
        add(cid, as_date(month).year, int(engaged), int(paid))
    partial = consumption_on(reader, on, [sid])
    for cid in {*partial.consumed, *partial.paid_total}:
        add(cid, on.year, partial.consumed.get(cid, 0), partial.paid_total.get(cid, 0))
    return result


def _kpis(reader: Rows, sid: int, on: dt.date) -> list[Kpi]:
    latest: dict[int, tuple] = {}
    for oid, day, value, note in reader.rows(SQL_MEASUREMENTS, sid=sid, as_of=on):
        latest[oid] = (as_date(day), value, note)  # ordered by date: the last one wins
    kpis = []
    for oid, metric, unit, target, target_date, direction, description in reader.rows(
        SQL_OBJECTIVES, sid=sid
    ):
        day, value, note = latest.get(oid, (None, None, None))
        kpis.append(
            Kpi(
                metric=metric,
                unit=unit,
                target=target,
                target_date=as_date(target_date),
                direction=direction or "at_least",
                description=description,
                latest_value=value,
                latest_date=day,
                latest_note=note,
            )
        )
    return kpis
