"""What the app shows beyond the CLI's data: views shaped for the screens and forms.

The figures come from the same functions as the CLI, so that both show the same thing:
the agenda from ``store.queries.agenda``, a startup's card from ``store.queries.card``; the portfolio is
``store.queries.report.build`` itself, which the app calls directly (importing this module and
its views first would delay the first paint).  What is only the app's is read here: the
consumption lines one by one, the burn-down series, and the few columns the forms and
the evidence pane need (parent ids, representatives' titles, an imported text's evidence
and sha256, KPI ids).
Read with plain SQL through ``store.reader.Reader``; no ORM object leaves here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from store.facts import Rows, load_conventions
from store.queries.agenda import AgendaItem, Selection, select_items
from store.queries.card import build_card
from store.reader import as_date
from store.rules.budget import Assessment
from store.rules.burn import series

# --- the agenda -------------------------------------------------------------------------


def agenda(reader: Rows, as_of: dt.date, within_days: int | None = 90) -> list[AgendaItem]:
    """``startups deadlines --within DAYS``: the overdue ones first, then by date."""
    items = select_items(reader, as_of, Selection(within=within_days))
    return sorted(items, key=lambda i: (not i.overdue, i.date, i.startup_title, i.title))


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


@dataclass(frozen=True)
class ConventionView:
    id: int
    kind: str
    number: int | None
    parent_id: int | None
    title: str | None
    object: str | None
    status: (
        str  # store.queries.card: in_force, pending, upcoming (signed after D, not begun) or ended
    )
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
    ref: str = ""  # store.queries.agenda's stable reference: deadline-12, convention-3-end…


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


SQL_STARTUP_ID = "SELECT id FROM startup WHERE slug = :slug"
SQL_CONVENTION_EXTRAS = """
SELECT id, parent_id, evidence, source_sha256 FROM convention WHERE startup_id = :sid
"""
SQL_PARTY_TITLES = """
SELECT p.convention_id, p.name, p.representative_title
FROM convention_party p JOIN convention c ON c.id = p.convention_id
WHERE c.startup_id = :sid
"""
SQL_OBJECTIVE_IDS = "SELECT id FROM objective WHERE startup_id = :sid ORDER BY id"
SQL_MEASUREMENTS = """
SELECT m.objective_id, m.date, m.value, m.note
FROM measurement m JOIN objective o ON o.id = m.objective_id
WHERE o.startup_id = :sid
ORDER BY m.date, m.id
"""
SQL_LINES = """
SELECT id, date, amount_cents, kind, label, category, convention_id, counted_convention_id
FROM consumption_line WHERE startup_id = :sid
ORDER BY date, id
"""


def burn_points(
    conventions, lines: list[tuple[int | None, dt.date, int]], as_of: dt.date
) -> list[BurnPoint]:
    """The burn-down series of ``store.burn`` (lines are (counted root, date, cents))."""
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


def startup_card(reader: Rows, slug: str, as_of: dt.date) -> StartupCard:
    """One startup as of D: ``store.queries.card``'s card (``startups show``) plus the app's extras."""
    card = build_card(reader, slug, as_of)  # NotFound when there is no such startup
    (sid,) = reader.rows(SQL_STARTUP_ID, slug=slug)[0]
    extras = {
        cid: (parent, json.loads(evidence) if evidence else None, sha)
        for cid, parent, evidence, sha in reader.rows(SQL_CONVENTION_EXTRAS, sid=sid)
    }
    titles_of = {(cid, name): title for cid, name, title in reader.rows(SQL_PARTY_TITLES, sid=sid)}

    def view(c, root=None) -> ConventionView:
        parent, evidence, sha = extras.get(c.id, (None, None, None))
        return ConventionView(
            id=c.id,
            kind=c.kind,
            number=c.number,
            parent_id=parent,
            title=c.title,
            object=c.object,
            status=c.status,
            signed_on=c.signed_on,
            concluded_on=c.concluded_on,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            ends_on_precision=c.ends_on_precision,
            ceiling_cents=c.ceiling_cents,
            effective_ceiling_cents=c.ceiling_on_cents if root is None else None,
            effective_ends_on=c.ends_on_effective if root is None else None,
            parties=tuple(
                PartyView(
                    p.name,
                    p.short_name,
                    p.role,
                    p.representative,
                    titles_of.get((c.id, p.name)),
                    p.signed_on,
                )
                for p in c.parties
            ),
            schedule=tuple(ScheduleView(y.year, y.ae_cents, y.cp_cents) for y in c.schedule),
            imputation=dict(c.imputation),
            source_file=c.source_file,
            evidence=evidence,
            notes=c.notes,
            placeholder=c.placeholder,
            consumed_cents=c.consumed_cents if root is None else 0,
            source_sha256=sha,
        )

    conventions: list[ConventionView] = []
    for root in card.conventions:
        conventions.append(view(root))
        conventions.extend(view(a, root) for a in root.avenants)
    titles = {c.id: c.label for c in conventions}

    measurements: dict[int, list] = {}
    for oid, day, value, note in reader.rows(SQL_MEASUREMENTS, sid=sid):
        measurements.setdefault(oid, []).append((as_date(day), value, note))
    objective_ids = [oid for (oid,) in reader.rows(SQL_OBJECTIVE_IDS, sid=sid)]
    kpis = [
        KpiView(
            objective_id=oid,
            metric=k.metric,
            unit=k.unit,
            target=k.target,
            target_date=k.target_date,
            direction=k.direction,
            latest=k.latest_value,
            latest_on=k.latest_date,
            description=k.description,
            measurements=tuple(measurements.get(oid, ())),
        )
        for oid, k in zip(objective_ids, card.kpis, strict=True)
    ]

    rows = reader.rows(SQL_LINES, sid=sid)
    lines = [
        LineView(
            id=lid,
            date=as_date(day),
            amount_cents=amount,
            kind=kind,
            label=label,
            category=category,
            convention_id=cid,
            counted=titles.get(counted) if counted else None,
            future=as_date(day) > as_of,
        )
        for lid, day, amount, kind, label, category, cid, counted in rows
    ]
    facts = load_conventions(reader, [sid]).get(sid, [])
    return StartupCard(
        id=sid,
        slug=card.slug,
        title=card.title,
        mission=card.mission,
        incubator=card.incubator,
        sponsors=[s["acronym"] or s["name"] or s["slug"] for s in card.sponsors],
        links=list(card.links.items()),
        as_of=as_of,
        assessment=card.assessment,
        phases=[PhaseView(p.name, p.start, p.end, p.current) for p in card.phases],
        kpis=kpis,
        fast=[FastView(f.title, f.date, f.amount_cents) for f in card.fast],
        conventions=conventions,
        deadlines=[
            DeadlineView(
                id=d.id,
                date=d.date,
                title=d.title,
                kind=d.kind,
                done=d.done,
                done_on=d.done_on,
                derived=d.derived,
                overdue=d.overdue,
                convention_id=d.convention_id,
                ref=d.ref,
            )
            for d in card.deadlines
        ],
        lines=lines,
        burn=burn_points(facts, [(c, as_date(d), a) for _, d, a, _, _, _, _, c in rows], as_of),
    )
