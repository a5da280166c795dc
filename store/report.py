"""The portfolio summary as plain data, for every output format.

Built from a handful of SQL statements that aggregate in the database (never ORM
objects), then the pure rules of ``store.budget``; rendering is the caller's job
(``cli.py`` for json/csv/markdown/table, the app for its panes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from sys import intern
from typing import Any

from store.budget import (
    BURN_WINDOW_DAYS,
    Assessment,
    ConventionFacts,
    DeadlineFacts,
    PhaseFacts,
    StaffingFacts,
    StartupFacts,
    Structure,
    assess,
    finish,
)
from store.read import Reader, as_date
from store.rollup import ENGAGEMENT, PAYMENT, month_of, next_month

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
SELECT c.id, c.startup_id, c.kind, c.parent_id, c.number, c.title, c.signed_on, c.starts_on,
       c.ends_on, c.ceiling_cents, p.signed_last
FROM convention c
LEFT JOIN (SELECT convention_id, MAX(signed_on) AS signed_last
           FROM convention_party GROUP BY convention_id) p ON p.convention_id = c.id
"""
# One startup's conventions (the burn-down, the timeline's refresh): index seeks only,
# never the aggregate of every signature in the store.
SQL_CONVENTIONS_OF = """
SELECT c.id, c.startup_id, c.kind, c.parent_id, c.number, c.title, c.signed_on, c.starts_on,
       c.ends_on, c.ceiling_cents,
       (SELECT MAX(p.signed_on) FROM convention_party p WHERE p.convention_id = c.id)
FROM convention c WHERE c.startup_id = :startup_id
"""
SQL_SCHEDULE = "SELECT convention_id, year, ae_cents, cp_cents FROM schedule_line"
SQL_SCHEDULE_OF = """
SELECT l.convention_id, l.year, l.ae_cents, l.cp_cents
FROM schedule_line l JOIN convention c ON c.id = l.convention_id
WHERE c.startup_id = :startup_id
"""
# Deadlines done never count (neither next deadline nor OVERDUE): not loaded.
SQL_DEADLINES = """
SELECT id, startup_id, convention_id, date, title, kind, done FROM deadline WHERE done = :no
"""
SQL_STAFFING = """
SELECT startup_id, convention_id, role, headcount, starts_on, ends_on, daily_rate_cents
FROM staffing_line WHERE ends_on IS NULL OR ends_on > :as_of
"""
# The consumption as of D, read from the rollup (store.rollup): the running totals of the
# last month before D's month, one index seek per convention (and per startup for the
# unattributed lines)…
SQL_CUMULATED = """
SELECT r.startup_id, r.convention_id, r.cum_cents, r.engaged_last_on
FROM convention c JOIN consumption_month r
  ON r.convention_id = c.id AND r.startup_id = c.startup_id
WHERE r.month = (SELECT MAX(r2.month) FROM consumption_month r2
                 WHERE r2.convention_id = c.id AND r2.startup_id = c.startup_id
                   AND r2.month < :month)
"""
SQL_CUMULATED_UNATTRIBUTED = """
SELECT r.startup_id, r.cum_cents
FROM startup s JOIN consumption_month r
  ON r.startup_id = s.id AND r.convention_id IS NULL
WHERE r.month = (SELECT MAX(r2.month) FROM consumption_month r2
                 WHERE r2.convention_id IS NULL AND r2.startup_id = s.id
                   AND r2.month < :month)
"""
# …plus the lines of D's month up to D (an index range over at most one month)…
SQL_PARTIAL_MONTH = """
SELECT startup_id, counted_convention_id, kind, SUM(amount_cents), MAX(date)
FROM consumption_line
WHERE date >= :month AND date <= :as_of
GROUP BY startup_id, counted_convention_id, kind
"""
# …and, for the 90-day burn window (D - 90, D]: the whole months inside it from the rollup,
# the lines of its first, partial month, and those of D's month (above).
SQL_WINDOW_MONTHS = """
SELECT startup_id, convention_id, SUM(amount_cents)
FROM consumption_month
WHERE month > :first_month AND month < :month
GROUP BY startup_id, convention_id
"""
SQL_WINDOW_HEAD = """
SELECT startup_id, counted_convention_id, SUM(amount_cents)
FROM consumption_line
WHERE date > :window_start AND date < :head_end
GROUP BY startup_id, counted_convention_id
"""
# Payments of D's year before D's month, by root convention (the CP rule reads the scheduled
# ones; a schedule may sit on an avenant while the payments count against its root).
SQL_PAID_THIS_YEAR = """
SELECT convention_id, SUM(paid_cents)
FROM consumption_month
WHERE month >= :year_start AND month < :month
GROUP BY convention_id
"""


def euros(cents: int | float | None) -> float | None:
    """Cents to euros, exact to the cent in JSON (269700.0, 0.5…)."""
    if cents is None:
        return None
    if type(cents) is int:
        return cents / 100  # already the closest float to a whole number of cents
    return round(cents / 100, 2)


@dataclass(slots=True)
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
        self.add_figures(a.envelope_cents, a.pending_cents, a.consumed_cents)

    def add_figures(self, envelope: int | None, pending: int, consumed: int) -> None:
        self.startups += 1
        if envelope is None:
            self.envelope_unknown += 1
        else:
            self.envelope_cents += envelope
            self.remaining_cents += envelope - consumed
        self.pending_cents += pending
        self.consumed_cents += consumed

    def to_dict(self) -> dict[str, Any]:
        return {
            "startups": self.startups,
            "envelope_eur": euros(self.envelope_cents),
            "envelope_unknown": self.envelope_unknown,
            "pending_eur": euros(self.pending_cents),
            "consumed_eur": euros(self.consumed_cents),
            "remaining_eur": euros(self.remaining_cents),
        }


# Sort keys of ``--sort``: (value of a row, descending?).  Amounts that matter most come
# first (the biggest envelope, the least money left, the shortest runway, the soonest
# deadline, the most alerts); an unknown value always sorts last; ties by slug.
SORT_KEYS: dict[str, tuple[Any, bool]] = {
    "slug": (lambda r: r.slug, False),
    "title": (lambda r: r.title.casefold(), False),
    "envelope": (lambda r: r.assessment.envelope_cents, True),
    "consumed": (lambda r: r.assessment.consumed_cents, True),
    "remaining": (lambda r: r.assessment.remaining_cents, False),
    "runway": (lambda r: r.assessment.runway_months, False),
    "deadline": (
        lambda r: r.assessment.next_deadline.date if r.assessment.next_deadline else None,
        False,
    ),
    "alerts": (lambda r: len(r.assessment.alerts) or None, True),
}


def sort_rows(rows: list[StartupRow], key: str) -> list[StartupRow]:
    """Rows sorted by one of SORT_KEYS, unknown values last, ties by slug."""
    value, descending = SORT_KEYS[key]
    known = [(value(r), r) for r in rows]
    unknown = sorted((r for v, r in known if v is None), key=lambda r: r.slug)
    known = [(v, r) for v, r in known if v is not None]
    known.sort(key=lambda vr: vr[1].slug)
    known.sort(key=lambda vr: vr[0], reverse=descending)
    return [r for _v, r in known] + unknown


@dataclass
class Filters:
    phase: str | None = None
    incubator: str | None = None
    sponsor: str | None = None
    limit: int | None = None
    # Only the startups with at least one alert.
    alerts: bool = False
    sort: str = "slug"

    def keep(self, row: StartupRow) -> bool:
        if self.alerts and not row.assessment.alerts:
            return False
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


def conventions_from_rows(convention_rows, schedule_rows):
    """``(startup id, ConventionFacts)`` from the rows of SQL_CONVENTIONS and SQL_SCHEDULE."""
    schedules: dict[int, list[tuple[int, int | None, int | None]]] = defaultdict(list)
    for convention_id, year, ae, cp in schedule_rows:
        schedules[convention_id].append((int(year), ae, cp))
    for (
        cid,
        sid,
        kind,
        parent,
        number,
        title,
        signed,
        starts,
        ends,
        ceiling,
        party,
    ) in convention_rows:
        schedule = tuple(sorted(schedules.get(cid, ())))
        yield (
            sid,
            ConventionFacts(
                id=cid,
                kind=kind,
                parent_id=parent,
                number=number,
                title=title,
                signed_on=as_date(signed),
                party_signatures=(as_date(party),) if party is not None else (),
                starts_on=as_date(starts),
                ends_on=as_date(ends),
                ceiling_cents=ceiling,
                schedule_years=tuple(y for y, _ae, _cp in schedule),
                schedule=schedule,
            ),
        )


def load_facts(reader: Reader, as_of: dt.date) -> dict[int, StartupFacts]:
    """Everything the budget rules need, for every startup, in a few aggregate queries.

    Consumption comes from the rollup (``store.rollup``): never a scan of every line.
    """
    conventions: dict[int, list[ConventionFacts]] = defaultdict(list)
    for sid, convention in conventions_from_rows(
        reader.rows(SQL_CONVENTIONS), reader.rows(SQL_SCHEDULE)
    ):
        conventions[sid].append(convention)
    phases: dict[int, list[PhaseFacts]] = defaultdict(list)
    for sid, name, start, end in reader.rows(SQL_PHASES):
        phases[sid].append(PhaseFacts(name=name, start=as_date(start), end=as_date(end)))
    deadlines: dict[int, list[DeadlineFacts]] = defaultdict(list)
    for did, sid, cid, day, title, kind, done in reader.rows(SQL_DEADLINES, no=False):
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
    staffing: dict[int, list[StaffingFacts]] = defaultdict(list)
    for sid, cid, role, headcount, starts, ends, rate in reader.rows(SQL_STAFFING, as_of=as_of):
        staffing[sid].append(
            StaffingFacts(
                headcount=float(headcount),
                starts_on=as_date(starts),
                ends_on=as_date(ends),
                daily_rate_cents=rate,
                convention_id=cid,
                role=role,
            )
        )

    month = month_of(as_of)
    window_start = as_of - dt.timedelta(days=BURN_WINDOW_DAYS)
    first_month = month_of(window_start)
    consumed: dict[int, int] = {}
    engaged: dict[int, dt.date] = {}
    for _sid, cid, cum, last in reader.rows(SQL_CUMULATED, month=month):
        consumed[cid] = int(cum)
        if last is not None:
            engaged[cid] = as_date(last)
    unattributed: dict[int, int] = defaultdict(int)
    for sid, cum in reader.rows(SQL_CUMULATED_UNATTRIBUTED, month=month):
        unattributed[sid] = int(cum)
    burn: dict[int, int] = defaultdict(int)
    window: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    for cid, total in reader.rows(
        SQL_PAID_THIS_YEAR, year_start=dt.date(as_of.year, 1, 1), month=month
    ):
        paid[cid] = int(total)
    for sid, cid, kind, total, last in reader.rows(SQL_PARTIAL_MONTH, month=month, as_of=as_of):
        total = int(total)
        burn[sid] += total
        if cid is None:
            unattributed[sid] += total
            continue
        consumed[cid] = consumed.get(cid, 0) + total
        window[cid] += total
        if kind == PAYMENT:
            paid[cid] += total
        elif kind == ENGAGEMENT:
            last = as_date(last)
            if cid not in engaged or last > engaged[cid]:
                engaged[cid] = last
    for sid, cid, total in reader.rows(SQL_WINDOW_MONTHS, first_month=first_month, month=month):
        burn[sid] += int(total)
        if cid is not None:
            window[cid] += int(total)
    for sid, cid, total in reader.rows(
        SQL_WINDOW_HEAD, window_start=window_start, head_end=next_month(first_month)
    ):
        burn[sid] += int(total)
        if cid is not None:
            window[cid] += int(total)

    facts: dict[int, StartupFacts] = {}
    for sid in {*conventions, *phases, *deadlines, *unattributed, *burn}:
        own = tuple(conventions.get(sid, ()))
        ids = [c.id for c in own]
        facts[sid] = StartupFacts(
            conventions=own,
            phases=tuple(phases.get(sid, ())),
            deadlines=tuple(deadlines.get(sid, ())),
            consumed_cents={i: consumed[i] for i in ids if i in consumed},
            unattributed_cents=unattributed.get(sid, 0),
            burn_window_cents=burn.get(sid, 0),
            window_cents_by_root={i: window[i] for i in ids if i in window},
            paid_this_year_cents={i: paid[i] for i in ids if i in paid},
            last_engagement_on={i: engaged[i] for i in ids if i in engaged},
            staffing=tuple(staffing.get(sid, ())),
        )
    return facts


def build_reference(
    reader: Reader, as_of: dt.date, filters: Filters | None = None
) -> PortfolioReport:
    """The report computed from scratch (every fact loaded, ``assess`` per startup).

    Slow on a large store; kept as the reference the fast ``build`` is tested against.
    """
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
    if filters.sort != "slug":
        report.rows = sort_rows(report.rows, filters.sort)
    if filters.limit is not None:
        report.rows = report.rows[: filters.limit]
    return report


# --- the fast path: the timeline (store.timeline) and the rollup (store.rollup) ----------

# One row per startup: its state on D (one index seek in startup_state) and its
# unattributed lines up to the end of the month before D's (one seek in the rollup).
SQL_STATE_ON = """
SELECT s.id, s.slug, s.title, i.slug, st.phase, st.envelope_cents, st.pending_cents,
       st.roots, st.alerts, st.next_deadline_on, st.next_deadline_title,
       (SELECT r.cum_cents FROM consumption_month r
        WHERE r.convention_id IS NULL AND r.startup_id = s.id AND r.month < :month
        ORDER BY r.month DESC LIMIT 1)
FROM {rows}
"""
SQL_STATE_ROWS = """startup s
LEFT JOIN incubator i ON i.id = s.incubator_id
LEFT JOIN startup_state st ON st.startup_id = s.id
  AND st.valid_from = (SELECT MAX(x.valid_from) FROM startup_state x
                       WHERE x.startup_id = s.id AND x.valid_from <= :as_of)
WHERE 1 = 1"""
SQL_FILTER_PHASE = "st.phase = :phase"
SQL_FILTER_INCUBATOR = "i.slug = :incubator"
SQL_FILTER_SPONSOR = """EXISTS (SELECT 1 FROM startup_sponsor ss
        JOIN organisation o ON o.id = ss.organisation_id
        WHERE ss.startup_id = s.id AND o.slug = :sponsor)"""
# The running total of each convention in force, up to the end of the month before D's
# (the ids are integers read back from startup_state, written into the statement in
# chunks so that no engine's limit on parameters applies).
SQL_ROOTS_CUMULATED = """
SELECT c.id, (SELECT r.cum_cents FROM consumption_month r
              WHERE r.convention_id = c.id AND r.startup_id = c.startup_id AND r.month < :month
              ORDER BY r.month DESC LIMIT 1)
FROM convention c WHERE c.id IN ({ids})
"""
# Payments of D's year before D's month, for the conventions in force with a CP planned
# for D's year (the only ones the CP rule looks at).
SQL_ROOTS_PAID_THIS_YEAR = """
SELECT r.convention_id, SUM(r.paid_cents) FROM consumption_month r
WHERE r.convention_id IN ({ids}) AND r.month >= :year_start AND r.month < :month
GROUP BY r.convention_id
"""
# The sponsors of a chunk of startups (ids written into the statement, as above).
SQL_SPONSORS_OF = """
SELECT ss.startup_id, o.slug
FROM startup_sponsor ss JOIN organisation o ON o.id = ss.organisation_id
WHERE ss.startup_id IN ({ids})
ORDER BY ss.startup_id, ss.position, o.slug
"""
SQL_PARTIAL_MONTH_SUMS = """
SELECT startup_id, counted_convention_id, kind, SUM(amount_cents)
FROM consumption_line
WHERE date >= :month AND date <= :as_of
GROUP BY startup_id, counted_convention_id, kind
"""
ID_CHUNK = 2000


def _chunks(ids: list[int]):
    for i in range(0, len(ids), ID_CHUNK):
        yield ",".join(str(int(x)) for x in ids[i : i + ID_CHUNK])


def _scoped(sql: str, startup_ids: list[int] | None) -> str:
    """One of the statements grouped by startup, for these startups only (or all)."""
    if startup_ids is None:
        return sql
    head, group = sql.split("GROUP BY")  # each has one GROUP BY, after its WHERE
    return (
        f"{head} AND startup_id IN ({','.join(str(int(i)) for i in startup_ids)})\nGROUP BY{group}"
    )


def _consumption_on(reader: Reader, as_of: dt.date, startup_ids: list[int] | None = None):
    """The consumption figures of the fast path that come from the lines around D, as
    dicts keyed by convention (consumed and paid in D's month, burn window) and by
    startup (unattributed in D's month, burn window), for every startup or only
    ``startup_ids``; ``_add_running_totals`` adds the rollup's totals before D's month,
    a chunk of conventions at a time."""
    month = month_of(as_of)
    window_start = as_of - dt.timedelta(days=BURN_WINDOW_DAYS)
    first_month = month_of(window_start)
    consumed: dict[int, int] = {}
    unattributed: dict[int, int] = defaultdict(int)
    burn: dict[int, int] = defaultdict(int)
    window: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    for sid, cid, kind, total in reader.rows(
        _scoped(SQL_PARTIAL_MONTH_SUMS, startup_ids), month=month, as_of=as_of
    ):
        total = int(total)
        burn[sid] += total
        if cid is None:
            unattributed[sid] += total
            continue
        consumed[cid] = consumed.get(cid, 0) + total
        window[cid] += total
        if kind == PAYMENT:
            paid[cid] += total
    for sid, cid, total in reader.rows(
        _scoped(SQL_WINDOW_MONTHS, startup_ids), first_month=first_month, month=month
    ):
        burn[sid] += int(total)
        if cid is not None:
            window[cid] += int(total)
    for sid, cid, total in reader.rows(
        _scoped(SQL_WINDOW_HEAD, startup_ids),
        window_start=window_start,
        head_end=next_month(first_month),
    ):
        burn[sid] += int(total)
        if cid is not None:
            window[cid] += int(total)
    return consumed, unattributed, burn, window, paid


def _add_running_totals(
    reader: Reader,
    as_of: dt.date,
    root_ids: list[int],
    scheduled_ids: list[int],
    consumed: dict[int, int],
    paid: dict[int, int],
) -> None:
    """Add to ``consumed`` the running total of each convention up to the end of the month
    before D's, and to ``paid`` the payments of D's year before that month (for the
    conventions with a CP planned that year)."""
    month = month_of(as_of)
    for ids in _chunks(root_ids):
        for cid, cum in reader.rows(SQL_ROOTS_CUMULATED.format(ids=ids), month=month):
            if cum is not None:
                consumed[cid] = consumed.get(cid, 0) + int(cum)
    for ids in _chunks(scheduled_ids):
        for cid, total in reader.rows(
            SQL_ROOTS_PAID_THIS_YEAR.format(ids=ids),
            year_start=dt.date(as_of.year, 1, 1),
            month=month,
        ):
            paid[cid] += int(total)


def build(reader: Reader, as_of: dt.date, filters: Filters | None = None) -> PortfolioReport:
    """The portfolio on D: each startup's precomputed state (``startup_state``) and its
    consumption (the rollup), then the consumption-dependent rules (``budget.finish``).

    Equal to ``build_reference`` (a property test checks it); the phase, incubator and
    sponsor filters are applied in SQL.
    """
    filters = filters or Filters()
    report = PortfolioReport(as_of=as_of, rows=[])
    report.rows = list(iter_rows(reader, as_of, filters, report.totals))
    if filters.sort != "slug":
        report.rows = sort_rows(report.rows, filters.sort)
    if filters.limit is not None:
        report.rows = report.rows[: filters.limit]
    return report


def streams(filters: Filters) -> bool:
    """Does ``iter_rows`` yield the report's rows in their final order (by slug)?"""
    return filters.sort == "slug"


def iter_rows(
    reader: Reader,
    as_of: dt.date,
    filters: Filters,
    totals: Totals,
    *,
    first_chunk: int = ID_CHUNK,
) -> Iterator[StartupRow]:
    """The rows of ``build`` by slug, one at a time, adding each kept startup to ``totals``
    (complete once the iterator is exhausted).  Listed by slug with a limit, the rows
    past it are not yielded, only counted.  Never holds every row: a 10,000-startup JSON
    report is written as its rows come, and the app shows its first page (``first_chunk``
    rows, read first) before the rest is assessed."""
    import json

    from store.timeline import roots_from_json

    where, params = [], {"as_of": as_of, "month": month_of(as_of)}
    for value, clause, name in (
        (filters.phase, SQL_FILTER_PHASE, "phase"),
        (filters.incubator, SQL_FILTER_INCUBATOR, "incubator"),
        (filters.sponsor, SQL_FILTER_SPONSOR, "sponsor"),
    ):
        if value is not None:
            where.append(" AND " + clause)
            params[name] = value
    rows_sql = SQL_STATE_ROWS + "".join(where)
    # Listed by slug with a limit and no --alerts: the rows past the limit only count in
    # the totals, which need no rule but sums (no assessment made for them).
    cut = (
        filters.limit
        if filters.limit is not None and filters.sort == "slug" and not filters.alerts
        else None
    )
    empty = Structure()
    alert_sets: dict[str, frozenset[str]] = {}
    states = reader.iter_rows(SQL_STATE_ON.format(rows=rows_sql) + " ORDER BY s.slug", **params)
    i = -1
    # A chunk of rows at a time: the running totals of their conventions in force are
    # read by id, then the rows are assessed and let go.
    size, figures, scope = first_chunk, None, None
    while batch := list(islice(states, size)):
        if figures is None or scope is not None:
            # A first chunk smaller than the others (the app's first page) reads only
            # its own startups' lines, so that it comes at once; then every startup's.
            scope = [row[0] for row in batch] if size < ID_CHUNK else None
            figures = _consumption_on(reader, as_of, scope)
        consumed, unattributed, burn, window, paid = figures
        size = ID_CHUNK
        roots_of = [json.loads(row[7]) if row[7] else () for row in batch]
        root_ids = [r[0] for raw in roots_of for r in raw]  # [id, ceiling, start, end, cp]
        scheduled_ids = [r[0] for raw in roots_of for r in raw if r[4] is not None]
        _add_running_totals(reader, as_of, root_ids, scheduled_ids, consumed, paid)
        # Names that repeat from row to row (sponsors, incubators, phases, deadline
        # titles) are kept once each: 10,000 startups held by the app are 2 MiB lighter.
        sponsors: dict[int, list[str]] = defaultdict(list)
        for ids in _chunks([row[0] for row in batch]):
            for sid, slug in reader.rows(SQL_SPONSORS_OF.format(ids=ids)):
                sponsors[sid].append(intern(slug))
        for row, raw in zip(batch, roots_of, strict=True):
            i += 1
            sid = row[0]
            alerts = row[8]
            if cut is not None and i >= cut:
                if alerts is None:
                    totals.add_figures(0, 0, 0)
                else:
                    used = sum(consumed.get(r[0], 0) for r in raw)
                    totals.add_figures(row[5], row[6], used)
                continue
            if alerts is None:  # no state row: nothing known of the startup but its name
                structure = empty
            else:
                codes = alert_sets.get(alerts)
                if codes is None:
                    codes = alert_sets[alerts] = frozenset(alerts.split())
                day = row[9]
                structure = Structure(
                    phase=None if row[4] is None else intern(row[4]),
                    envelope_cents=row[5],
                    pending_cents=row[6],
                    roots=roots_from_json(raw),
                    next_deadline=None
                    if day is None
                    else DeadlineFacts(date=as_date(day), title=intern(row[10])),
                    alerts=codes,
                )
            assessment = finish(
                structure,
                as_of,
                consumed_cents=consumed,
                unattributed_cents=int(row[11] or 0) + unattributed.get(sid, 0),
                burn_window_cents=burn.get(sid, 0),
                window_cents_by_root=window,
                paid_this_year_cents=paid,
            )
            if filters.alerts and not assessment.alerts:
                continue
            totals.add(assessment)
            yield StartupRow(
                id=sid,
                slug=row[1],
                title=row[2],
                incubator=None if row[3] is None else intern(row[3]),
                sponsors=sponsors.get(sid, []),
                assessment=assessment,
            )
