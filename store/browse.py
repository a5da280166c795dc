"""What the app shows, as plain data: the portfolio, one startup's card, the agenda.

Small functions over the store, one unit of work each, so that the app's thread
workers call one function and get frozen data back (no ORM object leaves here).
The portfolio comes from ``store.report`` (aggregate SQL through ``store.read``);
a startup's card is read with the ORM in one session.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from store.budget import (
    Assessment,
    Budget,
    DeadlineFacts,
    PhaseFacts,
    StartupFacts,
    assess,
    budgets,
    concluded_on,
    derived_deadlines,
    phase_on,
    phase_rank,
)
from store.read import Reader
from store.report import PortfolioReport, build, load_facts

# --- the portfolio ----------------------------------------------------------------------


def portfolio(reader: Reader, as_of: dt.date) -> PortfolioReport:
    """Every startup's row and the totals on D (the same figures as ``startups report``)."""
    return build(reader, as_of)


# --- the agenda -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    slug: str
    startup: str
    date: dt.date
    title: str
    kind: str
    done: bool
    derived: bool
    overdue: bool
    days: int  # from D to the deadline (negative: past)
    id: int | None = None


SQL_TITLES = "SELECT id, slug, title FROM startup"


def agenda(reader: Reader, as_of: dt.date, within_days: int | None = 90) -> list[AgendaItem]:
    """The portfolio's deadlines not done: overdue ones first, then the next ``within_days``.

    Derived deadlines (each convention's end, as known on D) are included; a derived
    deadline in the past is not "overdue" (nobody has to do it), so it is left out.
    """
    titles = {sid: (slug, title) for sid, slug, title in reader.rows(SQL_TITLES)}
    facts = load_facts(reader, as_of)
    items: list[AgendaItem] = []
    for sid, f in facts.items():
        slug, title = titles.get(sid, ("?", "?"))
        deadlines = [*f.deadlines, *derived_deadlines(budgets(f.conventions), as_of)]
        for d in deadlines:
            if d.done:
                continue
            days = (d.date - as_of).days
            overdue = days < 0 and not d.derived
            if days < 0 and not overdue:
                continue
            if not overdue and within_days is not None and days > within_days:
                continue
            items.append(
                AgendaItem(
                    slug=slug,
                    startup=title,
                    date=d.date,
                    title=d.title,
                    kind=d.kind,
                    done=d.done,
                    derived=d.derived,
                    overdue=overdue,
                    days=days,
                    id=d.id,
                )
            )
    items.sort(key=lambda i: (not i.overdue, i.date, i.startup, i.title))
    return items


# --- one startup ------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyView:
    name: str
    short_name: str | None
    role: str | None
    representative: str | None
    representative_title: str | None
    signed_on: dt.date | None


@dataclass(frozen=True)
class ScheduleView:
    year: int
    ae_cents: int | None
    cp_cents: int | None


IMPUTATION_FIELDS = (
    ("programme", "Programme"),
    ("bop", "BOP"),
    ("uo", "UO"),
    ("brique", "Brique"),
    ("activite", "Activité"),
    ("domaine_fonctionnel", "Domaine fonctionnel"),
    ("centre_couts", "Centre de coûts"),
    ("service_executant", "Service exécutant"),
)


@dataclass(frozen=True)
class ConventionView:
    id: int
    kind: str
    number: int | None
    parent_id: int | None
    title: str | None
    object: str | None
    status: str  # "in force", "pending", "ended" or "future" (signed after D, or not begun)
    signed_on: dt.date | None
    concluded_on: dt.date | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    ends_on_precision: str | None
    ceiling_cents: int | None
    effective_ceiling_cents: int | None  # as amended on D (roots only)
    effective_ends_on: dt.date | None
    parties: tuple[PartyView, ...]
    schedule: tuple[ScheduleView, ...]
    imputation: dict[str, str]
    source_file: str | None
    evidence: dict | None
    notes: str | None
    placeholder: bool
    consumed_cents: int = 0
    source_sha256: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "avenant":
            number = f" n° {self.number}" if self.number else ""
            return self.title or f"Avenant{number}"
        return self.title or "Convention"


@dataclass(frozen=True)
class DeadlineView:
    id: int | None
    date: dt.date
    title: str
    kind: str
    done: bool
    done_on: dt.date | None
    derived: bool
    overdue: bool
    convention_id: int | None


@dataclass(frozen=True)
class LineView:
    id: int
    date: dt.date
    amount_cents: int
    kind: str
    label: str
    category: str | None
    convention_id: int | None
    counted: str | None  # the title of the convention it counts against; None: unattributed
    future: bool  # dated after D (not counted yet)


@dataclass(frozen=True)
class KpiView:
    objective_id: int
    metric: str
    unit: str | None
    target: float | None
    target_date: dt.date | None
    direction: str
    latest: float | None
    latest_on: dt.date | None
    description: str | None
    measurements: tuple[tuple[dt.date, float, str | None], ...] = ()


@dataclass(frozen=True)
class PhaseView:
    name: str
    start: dt.date | None
    end: dt.date | None
    current: bool


@dataclass(frozen=True)
class FastView:
    promotion: str | None
    date: dt.date | None
    amount_cents: int | None


@dataclass(frozen=True)
class BurnPoint:
    month: dt.date  # first day of the month
    envelope_cents: int | None
    consumed_cents: int | None  # cumulative; None after D
    remaining_cents: int | None
    projected_cents: int | None  # from D on, at the current burn rate


@dataclass
class StartupCard:
    id: int
    slug: str
    title: str
    mission: str | None
    incubator: str | None
    sponsors: list[str]
    links: list[tuple[str, str]]
    as_of: dt.date
    assessment: Assessment
    phases: list[PhaseView] = field(default_factory=list)
    kpis: list[KpiView] = field(default_factory=list)
    fast: list[FastView] = field(default_factory=list)
    conventions: list[ConventionView] = field(default_factory=list)
    deadlines: list[DeadlineView] = field(default_factory=list)
    lines: list[LineView] = field(default_factory=list)
    burn: list[BurnPoint] = field(default_factory=list)

    def children(self, parent_id: int | None) -> list[ConventionView]:
        return [c for c in self.conventions if c.parent_id == parent_id]

    @property
    def roots(self) -> list[ConventionView]:
        ids = {c.id for c in self.conventions}
        return [c for c in self.conventions if c.parent_id is None or c.parent_id not in ids]


def _status(concluded: dt.date | None, root: Budget | None, on: dt.date) -> str:
    """in force, pending (no signature), future (signed after D, or not begun) or ended."""
    if concluded is None:
        return "pending"
    if concluded > on or root is None:
        return "future"
    if root.pending:
        return "pending"
    if root.in_force(on):
        return "in force"
    end = root.ends_on(on)
    if end is not None and end < on:
        return "ended"
    return "future"


def burn_points(
    conventions, lines: list[tuple[int | None, dt.date, int]], as_of: dt.date
) -> list[BurnPoint]:
    """The burn-down series of ``store.burn`` (lines are (counted root, date, cents))."""
    from store.burn import series

    return [
        BurnPoint(
            month=dt.date.fromisoformat(p.month + "-01"),
            envelope_cents=p.envelope_cents,
            consumed_cents=p.consumed_cents,
            remaining_cents=p.remaining_cents,
            projected_cents=None if p.projected_cents is None else round(p.projected_cents),
        )
        for p in series(conventions, lines, as_of)
    ]


def startup_card(session, slug: str, as_of: dt.date) -> StartupCard:
    """One startup as of D, everything the startup screen shows (read in one session)."""
    from sqlmodel import select

    from store.ledger import convention_facts, startup_by_slug
    from store.models import (
        ConsumptionLine,
        Convention,
        ConventionParty,
        Deadline,
        FastAward,
        FastPromotion,
        Incubator,
        Measurement,
        Objective,
        Organisation,
        Phase,
        ScheduleLine,
        StartupSponsor,
    )

    s = startup_by_slug(session, slug)
    incubator = session.get(Incubator, s.incubator_id) if s.incubator_id else None
    sponsors = session.exec(
        select(Organisation.acronym, Organisation.name, Organisation.slug)
        .join(StartupSponsor, StartupSponsor.organisation_id == Organisation.id)
        .where(StartupSponsor.startup_id == s.id)
        .order_by(StartupSponsor.position)
    ).all()
    phases = session.exec(select(Phase).where(Phase.startup_id == s.id)).all()
    facts_conventions = convention_facts(session, s.id)
    all_budgets = budgets(facts_conventions)
    budget_of = {b.id: b for b in all_budgets}
    root_of = {b.id: b.id for b in all_budgets}
    for b in all_budgets:
        for a in b.avenants:
            root_of[a.id] = b.id
    conventions = session.exec(
        select(Convention).where(Convention.startup_id == s.id).order_by(Convention.id)
    ).all()
    ids = [c.id for c in conventions]
    parties: dict[int, list[PartyView]] = defaultdict(list)
    schedules: dict[int, list[ScheduleView]] = defaultdict(list)
    if ids:
        for p in session.exec(
            select(ConventionParty)
            .where(ConventionParty.convention_id.in_(ids))
            .order_by(ConventionParty.position)
        ):
            parties[p.convention_id].append(
                PartyView(
                    p.name,
                    p.short_name,
                    p.role,
                    p.representative,
                    p.representative_title,
                    p.signed_on,
                )
            )
        for line in session.exec(
            select(ScheduleLine)
            .where(ScheduleLine.convention_id.in_(ids))
            .order_by(ScheduleLine.year)
        ):
            schedules[line.convention_id].append(
                ScheduleView(line.year, line.ae_cents, line.cp_cents)
            )
    lines = session.exec(
        select(ConsumptionLine)
        .where(ConsumptionLine.startup_id == s.id)
        .order_by(ConsumptionLine.date, ConsumptionLine.id)
    ).all()
    consumed_by_root: dict[int, int] = defaultdict(int)
    unattributed = 0
    window_start = as_of - dt.timedelta(days=90)
    burn_window = 0
    for line in lines:
        if line.date <= as_of:
            if line.counted_convention_id is None:
                unattributed += line.amount_cents
            else:
                consumed_by_root[line.counted_convention_id] += line.amount_cents
            if line.date > window_start:
                burn_window += line.amount_cents
    facts_by_id = {f.id: f for f in facts_conventions}
    views: list[ConventionView] = []
    titles: dict[int, str] = {}
    for c in conventions:
        budget = budget_of.get(c.id)
        view = ConventionView(
            id=c.id,
            kind=c.kind,
            number=c.number,
            parent_id=c.parent_id,
            title=c.title,
            object=c.object,
            status=_status(
                concluded_on(facts_by_id[c.id]), budget_of.get(root_of.get(c.id, -1)), as_of
            ),
            signed_on=c.signed_on,
            concluded_on=concluded_on(facts_by_id[c.id]),
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            ends_on_precision=c.ends_on_precision,
            ceiling_cents=c.ceiling_cents,
            effective_ceiling_cents=budget.ceiling_cents(as_of) if budget else None,
            effective_ends_on=budget.ends_on(as_of) if budget else None,
            parties=tuple(parties.get(c.id, ())),
            schedule=tuple(schedules.get(c.id, ())),
            imputation={k: getattr(c, k) for k, _ in IMPUTATION_FIELDS if getattr(c, k)},
            source_file=c.source_file,
            evidence=json.loads(c.evidence) if c.evidence else None,
            notes=c.notes,
            placeholder=c.placeholder,
            consumed_cents=consumed_by_root.get(c.id, 0) if budget else 0,
            source_sha256=c.source_sha256,
        )
        views.append(view)
        titles[c.id] = view.label
    deadline_rows = session.exec(
        select(Deadline).where(Deadline.startup_id == s.id).order_by(Deadline.date)
    ).all()
    deadline_facts = [
        DeadlineFacts(
            id=d.id,
            date=d.date,
            title=d.title,
            kind=d.kind,
            done=d.done,
            convention_id=d.convention_id,
        )
        for d in deadline_rows
    ]
    phase_facts = tuple(PhaseFacts(p.name, p.start, p.end) for p in phases)
    assessment = assess(
        StartupFacts(
            conventions=tuple(facts_conventions),
            phases=phase_facts,
            deadlines=tuple(deadline_facts),
            consumed_cents=dict(consumed_by_root),
            unattributed_cents=unattributed,
            burn_window_cents=burn_window,
        ),
        as_of,
    )
    done_on = {d.id: d.done_on for d in deadline_rows}
    deadlines = [
        DeadlineView(
            id=d.id,
            date=d.date,
            title=d.title,
            kind=d.kind,
            done=d.done,
            done_on=done_on.get(d.id),
            derived=d.derived,
            overdue=not d.done and not d.derived and d.date < as_of,
            convention_id=d.convention_id,
        )
        for d in [*deadline_facts, *derived_deadlines(all_budgets, as_of)]
    ]
    deadlines.sort(key=lambda d: (d.date, d.derived, d.title))
    current_phase = phase_on(phase_facts, as_of)
    ordered_phases = sorted(
        phases, key=lambda p: (p.start or dt.date.min, phase_rank(p.name), p.name)
    )
    phase_views = [
        PhaseView(p.name, p.start, p.end, p.name == current_phase) for p in ordered_phases
    ]
    kpis = []
    for o in session.exec(
        select(Objective).where(Objective.startup_id == s.id).order_by(Objective.id)
    ):
        measurements = session.exec(
            select(Measurement)
            .where(Measurement.objective_id == o.id)
            .order_by(Measurement.date, Measurement.id)
        ).all()
        seen = [m for m in measurements if m.date <= as_of]
        latest = seen[-1] if seen else None
        kpis.append(
            KpiView(
                objective_id=o.id,
                metric=o.metric,
                unit=o.unit,
                target=o.target,
                target_date=o.target_date,
                direction=o.direction,
                latest=latest.value if latest else None,
                latest_on=latest.date if latest else None,
                description=o.description,
                measurements=tuple((m.date, m.value, m.note) for m in measurements),
            )
        )
    fast = [
        FastView(promotion.title if promotion else None, promotion.date if promotion else None, a)
        for a, promotion in (
            (award.amount_cents, session.get(FastPromotion, award.promotion_id))
            for award in session.exec(select(FastAward).where(FastAward.startup_id == s.id))
        )
    ]
    line_views = [
        LineView(
            id=line.id,
            date=line.date,
            amount_cents=line.amount_cents,
            kind=line.kind,
            label=line.label,
            category=line.category,
            convention_id=line.convention_id,
            counted=titles.get(line.counted_convention_id) if line.counted_convention_id else None,
            future=line.date > as_of,
        )
        for line in lines
    ]
    links = [
        (name, url)
        for name, url in (
            ("site", s.link),
            ("code", s.repository),
            ("budget", s.budget_url),
            ("dashlord", s.dashlord_url),
        )
        if url
    ]
    return StartupCard(
        id=s.id,
        slug=s.slug,
        title=s.title,
        mission=s.mission,
        incubator=incubator.slug if incubator else None,
        sponsors=[acronym or name or slug for acronym, name, slug in sponsors],
        links=links,
        as_of=as_of,
        assessment=assessment,
        phases=phase_views,
        kpis=kpis,
        fast=fast,
        conventions=views,
        deadlines=deadlines,
        lines=line_views,
        burn=burn_points(
            facts_conventions,
            [(line.counted_convention_id, line.date, line.amount_cents) for line in lines],
            as_of,
        ),
    )


def startup_titles(reader: Reader) -> list[tuple[str, str]]:
    """(slug, title) of every startup, for the command palette."""
    return [(slug, title) for _, slug, title in reader.rows(SQL_TITLES + " ORDER BY title")]
