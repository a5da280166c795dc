"""The portfolio summary as plain data, for every output format.

Two ways to the same rows: ``build`` (the fast path: each startup's precomputed state
on D and its consumption from the rollup, then ``store.rules.budget.finish``) and
``build_reference`` (every fact loaded, ``store.rules.budget.assess`` per startup),
kept as the oracle the fast path is tested against.  Both read through ``store.facts``;
rendering is the caller's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from sys import intern
from typing import Any

from store.facts import (
    ID_CHUNK,
    S_ID,
    S_INCUBATOR,
    S_ROOTS,
    S_SLUG,
    S_TITLE,
    S_UNATTRIBUTED,
    SQL_FILTER_INCUBATOR,
    SQL_FILTER_PHASE,
    SQL_FILTER_SPONSOR,
    SQL_STATE_ON,
    SQL_STATE_ROWS,
    SQL_STATE_SUMS,
    Consumption,
    Rows,
    add_running_totals,
    consumption_on,
    cutoffs,
    load_facts,
    load_orders,
    load_reviews,
    load_staffing,
    roots_of,
    sponsors_of,
    structure_of,
)
from store.queries.orders import unplaced_count
from store.rules.budget import Assessment, StartupFacts, assess, finish, runway
from store.rules.rollup import month_of
from store.rules.text import fold
from store.rules.vocab import phase_rank

SCHEMA = "startups.report/1"


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
        envelope, consumed = a.envelope_cents, a.consumed_cents
        remaining = None if envelope is None else envelope - consumed
        rate = a.burn_rate_cents_per_month
        months = runway(remaining, rate)
        deadline = a.next_deadline
        return {
            "slug": self.slug,
            "title": self.title,
            "phase": a.phase,
            "incubator": self.incubator,
            "sponsors": list(self.sponsors),
            "envelope_eur": euros(envelope),
            "pending_eur": euros(a.pending_cents),
            "consumed_eur": euros(consumed),
            "remaining_eur": euros(remaining),
            "engaged_eur": euros(consumed),
            "paid_eur": euros(a.paid_cents),
            "to_pay_eur": euros(consumed - a.paid_cents),
            "cp_left_this_year_eur": euros(a.cp_left_this_year_cents),
            "unattributed_eur": euros(a.unattributed_cents),
            "burn_rate_eur_per_month": euros(rate),
            "runway_months": None if months is None else round(months, 1),
            "conventions_in_force": a.conventions_in_force,
            "next_deadline": None
            if deadline is None
            else {"date": deadline.date.isoformat(), "title": deadline.title},
            "alerts": list(a.alerts),
        }


@dataclass
class Totals:
    """The sums over the startups of a report.  An unknown envelope (no convention in
    force, or a ceiling unknown) is never summed as 0: ``envelope_unknown`` counts them,
    the sums are of the known ones, and ``None`` when none is known."""

    startups: int = 0
    known_envelope_cents: int = 0
    envelope_unknown: int = 0
    pending_cents: int = 0
    consumed_cents: int = 0
    known_remaining_cents: int = 0
    # The startups with at least one alert (the app shows it; not in the JSON contract).
    alerting: int = 0
    # The EJs of the Chorus exports placed nowhere (store.queries.orders.unplaced): the
    # portfolio's, whatever the filters; None in a store that never imported an export.
    unplaced_ej: int | None = None

    @property
    def envelope_cents(self) -> int | None:
        """The known envelopes' sum; ``None`` when every startup's is unknown."""
        if self.startups and self.envelope_unknown == self.startups:
            return None
        return self.known_envelope_cents

    @property
    def remaining_cents(self) -> int | None:
        """What the known envelopes leave; ``None`` when every startup's is unknown."""
        if self.startups and self.envelope_unknown == self.startups:
            return None
        return self.known_remaining_cents

    def add(self, a: Assessment) -> None:
        self.add_figures(a.envelope_cents, a.pending_cents, a.consumed_cents)
        if a.alerts:
            self.alerting += 1

    def add_figures(self, envelope: int | None, pending: int, consumed: int) -> None:
        self.startups += 1
        if envelope is None:
            self.envelope_unknown += 1
        else:
            self.known_envelope_cents += envelope
            self.known_remaining_cents += envelope - consumed
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
        } | ({} if self.unplaced_ej is None else {"unplaced_ej": self.unplaced_ej})


def _consumed_share(r: StartupRow) -> float | None:
    a = r.assessment
    return a.consumed_cents / a.envelope_cents if a.envelope_cents else None


# What a row is sorted by, for each column a person can sort on (``--sort``, the app's
# columns); ``None`` is an unknown value, which always sorts last, whichever the
# direction.  Ties keep the rows' order (by slug).
SORT_VALUES: dict[str, Callable[[StartupRow], Any]] = {
    "slug": lambda r: r.slug,
    "title": lambda r: fold(r.title),
    "phase": lambda r: None if r.phase is None else (phase_rank(r.phase), r.phase),
    "incubator": lambda r: r.incubator,
    "sponsors": lambda r: ", ".join(r.sponsors) or None,
    "envelope": lambda r: r.assessment.envelope_cents,
    "consumed": lambda r: r.assessment.consumed_cents,
    "consumed_share": _consumed_share,
    "remaining": lambda r: r.assessment.remaining_cents,
    "runway": lambda r: r.assessment.runway_months,
    "deadline": lambda r: r.assessment.next_deadline.date if r.assessment.next_deadline else None,
    "alerts": lambda r: len(r.assessment.alerts) or None,
}
# The amounts that matter most come first: the biggest envelope, the most consumed, the
# most alerts; everything else (the least money left, the shortest runway, the soonest
# deadline) smallest first.
LARGEST_FIRST = frozenset({"envelope", "consumed", "consumed_share", "alerts"})
# The orders of ``startups report --sort``.
SORT_KEYS = ("slug", "title", "envelope", "consumed", "remaining", "runway", "deadline", "alerts")


def sort_rows(rows: list[StartupRow], key: str, *, reverse: bool = False) -> list[StartupRow]:
    """Rows sorted by one of SORT_VALUES (largest first where LARGEST_FIRST says so, the
    other way with ``reverse``), unknown values last, ties in their order (by slug)."""
    value = SORT_VALUES[key]
    valued = [(value(r), r) for r in rows]
    known = [(v, r) for v, r in valued if v is not None]
    known.sort(key=lambda vr: vr[0], reverse=(key in LARGEST_FIRST) != reverse)
    return [r for _v, r in known] + [r for v, r in valued if v is None]


def search_text(row: StartupRow) -> str:
    """What the filter looks in: the title, slug, incubator and sponsors, folded."""
    return fold(" ".join([row.title, row.slug, row.incubator or "", *row.sponsors]))


@dataclass
class Filters:
    phase: str | None = None
    incubator: str | None = None
    sponsor: str | None = None
    limit: int | None = None
    # Only the startups with at least one alert.
    alerts: bool = False
    sort: str = "slug"
    # Words looked for in the title, slug, incubator and sponsors (the app's filter).
    text: str | None = None

    def matcher(
        self, haystack: Callable[[StartupRow], str] = search_text
    ) -> Callable[[StartupRow], bool] | None:
        """A test of the rows these filters keep (None: every row), where ``text`` is
        looked for, word by word, in ``haystack(row)`` (folded: case and accents aside)."""
        terms = fold(self.text or "").split()
        checks: list[Callable[[StartupRow], bool]] = []
        if terms:
            checks.append(lambda r: all(t in haystack(r) for t in terms))
        if self.alerts:
            checks.append(lambda r: bool(r.assessment.alerts))
        if self.phase is not None:
            checks.append(lambda r: r.phase == self.phase)
        if self.incubator is not None:
            checks.append(lambda r: r.incubator == self.incubator)
        if self.sponsor is not None:
            checks.append(lambda r: self.sponsor in r.sponsors)
        if not checks:
            return None
        if len(checks) == 1:
            return checks[0]
        return lambda r: all(check(r) for check in checks)

    def keep(self, row: StartupRow) -> bool:
        test = self.matcher()
        return test is None or test(row)


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


SQL_STARTUPS = """
SELECT s.id, s.slug, s.title, i.slug
FROM startup s LEFT JOIN incubator i ON i.id = s.incubator_id
ORDER BY s.slug
"""


def build_reference(
    reader: Rows, as_of: dt.date, filters: Filters | None = None
) -> PortfolioReport:
    """The report computed from scratch (every fact loaded, ``assess`` per startup).

    Slow on a large store; kept as the reference the fast ``build`` is tested against.
    """
    filters = filters or Filters()
    startups = reader.rows(SQL_STARTUPS)
    sponsors = sponsors_of(reader, [sid for sid, *_ in startups])
    facts = load_facts(reader, as_of)
    payment_cutoff, order_cutoff = cutoffs(reader)
    empty = StartupFacts()
    report = PortfolioReport(as_of=as_of, rows=[])
    report.totals.unplaced_ej = unplaced_count(reader, as_of)
    for sid, slug, title, incubator in startups:
        row = StartupRow(
            id=sid,
            slug=slug,
            title=title,
            incubator=incubator,
            sponsors=sponsors.get(sid, []),
            assessment=assess(
                facts.get(sid, empty),
                as_of,
                payment_cutoff=payment_cutoff,
                order_cutoff=order_cutoff,
            ),
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


# --- the fast path: the timeline and the rollup ------------------------------------------


def build(reader: Rows, as_of: dt.date, filters: Filters | None = None) -> PortfolioReport:
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
    reader: Rows,
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
    totals.unplaced_ej = unplaced_count(reader, as_of)
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
    states_sql = SQL_STATE_ON.format(rows=rows_sql) + " ORDER BY s.slug"
    if filters.limit is None or filters.sort != "slug" or filters.alerts:
        yield from _assessed(reader, as_of, filters, states_sql, params, totals, first_chunk)
        return
    # Listed by slug with a limit and no --alerts: every startup counts in the totals,
    # which need no rule but sums, read first and lighter; only the first ones are assessed.
    figures = consumption_on(reader, as_of)
    counted = Consumption(consumed=dict(figures.consumed))
    sums = reader.iter_rows(SQL_STATE_SUMS.format(rows=rows_sql), **params)
    while batch := list(islice(sums, ID_CHUNK)):
        roots = [roots_of(row[3]) for row in batch]
        add_running_totals(reader, as_of, counted, [r[0] for raw in roots for r in raw], [])
        consumed = counted.consumed
        for (_sid, envelope, pending, _roots, known), raw in zip(batch, roots, strict=True):
            if known is None:  # no state: no convention, nothing known
                totals.add_figures(None, 0, 0)
            else:  # no convention in force: no envelope (unknown, never 0), as finish says
                totals.add_figures(
                    envelope if raw else None, pending, sum(consumed.get(r[0], 0) for r in raw)
                )
    if filters.limit:
        limited = states_sql + " LIMIT :limit"
        first = {**params, "limit": filters.limit}
        yield from _assessed(reader, as_of, filters, limited, first, None, ID_CHUNK, figures)


def _assessed(
    reader: Rows,
    as_of: dt.date,
    filters: Filters,
    states_sql: str,
    params: dict[str, Any],
    totals: Totals | None,
    first_chunk: int,
    figures: Consumption | None = None,
) -> Iterator[StartupRow]:
    """The rows of the states read by ``states_sql``, assessed, adding each kept one to
    ``totals`` (unless None); ``figures``: the consumption around D, when already read."""
    alert_sets: dict[str, frozenset[str]] = {}
    payment_cutoff, order_cutoff = cutoffs(reader)
    # The same orders and committee reviews as the reference's and the card's
    # (store.facts), read once for the whole report: a few per startup that has any, and
    # one statement each (a statement per chunk with its list of ids held 1.5 MiB each).
    orders = load_orders(reader, as_of)
    reviews = load_reviews(reader)
    states = reader.iter_rows(states_sql, **params)
    # A chunk of rows at a time: the running totals of their conventions in force are
    # read by id, then the rows are assessed and let go.
    size, scope = first_chunk, None
    while batch := list(islice(states, size)):
        if figures is None or scope is not None:
            # A first chunk smaller than the others (the app's first page) reads only
            # its own startups' lines, so that it comes at once; then every startup's.
            scope = [row[S_ID] for row in batch] if size < ID_CHUNK else None
            figures = consumption_on(reader, as_of, scope)
        size = ID_CHUNK
        roots = [roots_of(row[S_ROOTS]) for row in batch]  # [[id, ceiling, start, end, cp], …]
        add_running_totals(
            reader,
            as_of,
            figures,
            [r[0] for raw in roots for r in raw],
            [r[0] for raw in roots for r in raw if r[4] is not None],
        )
        ids = [row[S_ID] for row in batch]
        # Names that repeat from row to row (sponsors, incubators, phases, deadline
        # titles) are kept once each: 10,000 startups held by the app are 2 MiB lighter.
        sponsors = sponsors_of(reader, ids)
        staffing = load_staffing(reader, as_of, ids)
        consumed = figures.consumed
        for row, raw in zip(batch, roots, strict=True):
            sid = row[S_ID]
            assessment = finish(
                structure_of(row, raw, alert_sets),
                as_of,
                consumed_cents=consumed,
                unattributed_cents=int(row[S_UNATTRIBUTED] or 0) + figures.unattributed.get(sid, 0),
                burn_window_cents=figures.burn.get(sid, 0),
                window_cents_by_root=figures.window,
                paid_this_year_cents=figures.paid,
                staffing=staffing.get(sid, ()),
                paid_cents=figures.paid_total,
                payment_cutoff=payment_cutoff,
                orders=orders.get(sid, ()),
                reviews=reviews.get(sid, ()),
                order_cutoff=order_cutoff,
            )
            if filters.alerts and not assessment.alerts:
                continue
            if totals is not None:
                totals.add(assessment)
            incubator = row[S_INCUBATOR]
            yield StartupRow(  # id, slug, title, incubator, sponsors, assessment
                sid,
                row[S_SLUG],
                row[S_TITLE],
                None if incubator is None else intern(incubator),
                sponsors.get(sid, []),
                assessment,
            )
