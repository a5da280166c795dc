"""What the budget rules are told: every read statement, and the rows → facts converters.

One set of statements and converters for every caller, so that the report, the card
(``startups show`` and the app's startup screen), the burn-down, the agenda and the
upkeep of the derived tables all see the same facts:

- ``load_facts(source, day, startup_ids=None)``: everything ``store.rules.budget.assess``
  needs, for every startup or only some (the reference report, the card);
- ``load_orders``, ``load_reviews``: the purchase orders and committee reviews the alerts
  read, for the reference, the card and the fast path alike;
- ``load_conventions``: the conventions as the rules see them (the agenda, the burn-down);
- ``timeline_inputs``: what ``store.rules.timeline`` needs of one startup (the upkeep
  of ``startup_state``, ``store.derived``);
- the fast path of the report: each startup's precomputed state on D
  (``SQL_STATE_ON``, ``structure_of``) and its consumption from the rollup
  (``consumption_on``, ``add_running_totals``), a chunk of startups at a time.

``source`` is anything with ``rows(sql, **params) -> list of tuples``: a
``store.reader.Reader`` (plain SQL, no SQLAlchemy on a SQLite file) or a session
wrapped by ``store.db.SessionRows`` (inside a write).  Statements use ``:name``
parameters, which both understand; startup and convention ids are integers written
into the statement (``_in``), in chunks, so that no engine's limit on parameters applies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import Any, Protocol

from store.reader import as_date
from store.rules.budget import (
    BURN_WINDOW_DAYS,
    ORDER_CUTOFF,
    PAYMENT_CUTOFF,
    ConventionFacts,
    DeadlineFacts,
    OrderFacts,
    PhaseFacts,
    ReviewFacts,
    StaffingFacts,
    StartupFacts,
    Structure,
)
from store.rules.rollup import ENGAGEMENT, PAYMENT, SETTLEMENT, month_of, next_month
from store.rules.timeline import roots_from_json
from store.rules.vocab import LineKind, OrderStatus


class Rows(Protocol):
    def rows(self, sql: str, **params: Any) -> Sequence[tuple]: ...


ID_CHUNK = 1000


def chunks(ids: Sequence[int]) -> Iterable[str]:
    """Integer ids as comma-separated literals, ID_CHUNK at a time."""
    for i in range(0, len(ids), ID_CHUNK):
        yield ",".join(str(int(x)) for x in ids[i : i + ID_CHUNK])


def _in(column: str, ids: Sequence[int] | None) -> str:
    """`` AND column IN (…)`` for these ids (every row when ``ids`` is None)."""
    if ids is None:
        return ""
    if not ids:
        return " AND 1 = 0"
    return f" AND {column} IN ({','.join(str(int(i)) for i in ids)})"


# --- conventions, phases, deadlines, staffing ---------------------------------------------

# A convention's latest party signature by a correlated sub-query: index seeks only, for
# one startup or all of them.
SQL_CONVENTIONS = """
SELECT c.id, c.startup_id, c.kind, c.parent_id, c.number, c.title, c.signed_on, c.starts_on,
       c.ends_on, c.ceiling_cents,
       (SELECT MAX(p.signed_on) FROM convention_party p WHERE p.convention_id = c.id)
FROM convention c WHERE 1 = 1{scope}
"""
SQL_SCHEDULE = """
SELECT l.convention_id, l.year, l.ae_cents, l.cp_cents
FROM schedule_line l JOIN convention c ON c.id = l.convention_id
WHERE 1 = 1{scope}
"""
# The startups with a convention (or an avenant) ending between two days.
SQL_ENDING_BETWEEN = """ AND c.startup_id IN (SELECT x.startup_id FROM convention x
                 WHERE x.ends_on >= :first_end AND x.ends_on <= :last_end)"""
SQL_PHASES = 'SELECT startup_id, name, start, "end" FROM phase WHERE 1 = 1{scope} ORDER BY id'
# Deadlines done never count (neither next deadline nor OVERDUE): not loaded.
SQL_OPEN_DEADLINES = """
SELECT id, startup_id, convention_id, date, title, kind FROM deadline
WHERE done = :no{scope}
ORDER BY id
"""
SQL_STAFFING = """
SELECT startup_id, convention_id, role, headcount, starts_on, ends_on, daily_rate_cents
FROM staffing_line WHERE (ends_on IS NULL OR ends_on > :as_of){scope}
ORDER BY startup_id, id
"""
# The dates of the engagements counted against each root convention (ENGAGED_AFTER_END):
# engagement lines and purchase orders (a cancelled order engages nothing).
SQL_ENGAGEMENTS = """
SELECT DISTINCT counted_convention_id, date FROM consumption_line
WHERE kind = :engagement AND counted_convention_id IS NOT NULL{scope}
UNION
SELECT DISTINCT counted_convention_id, date FROM purchase_order
WHERE status <> :cancelled AND counted_convention_id IS NOT NULL{scope}
"""


def conventions_from_rows(
    convention_rows: Iterable[tuple], schedule_rows: Iterable[tuple]
) -> Iterable[tuple[int, ConventionFacts]]:
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


def load_conventions(
    source: Rows,
    startup_ids: Sequence[int] | None = None,
    *,
    ending: tuple[dt.date, dt.date] | None = None,
) -> dict[int, list[ConventionFacts]]:
    """The conventions as the budget rules see them, AE/CP schedule included, by startup
    id (in id order), for every startup or only ``startup_ids``.

    ``ending``: only the startups with a convention ending between these two days (every
    convention of theirs).
    """
    scope = _in("c.startup_id", startup_ids)
    params: dict[str, Any] = {}
    if ending is not None:
        scope += SQL_ENDING_BETWEEN
        params = {"first_end": ending[0], "last_end": ending[1]}
    rows = conventions_from_rows(
        source.rows(SQL_CONVENTIONS.format(scope=scope), **params),
        source.rows(SQL_SCHEDULE.format(scope=scope), **params),
    )
    result: dict[int, list[ConventionFacts]] = defaultdict(list)
    for sid, convention in sorted(rows, key=lambda item: item[1].id):
        result[sid].append(convention)
    return result


def load_phases(source: Rows, startup_ids: Sequence[int] | None = None):
    phases: dict[int, list[PhaseFacts]] = defaultdict(list)
    for sid, name, start, end in source.rows(
        SQL_PHASES.format(scope=_in("startup_id", startup_ids))
    ):
        phases[sid].append(PhaseFacts(name=name, start=as_date(start), end=as_date(end)))
    return phases


def load_open_deadlines(source: Rows, startup_ids: Sequence[int] | None = None):
    deadlines: dict[int, list[DeadlineFacts]] = defaultdict(list)
    for did, sid, cid, day, title, kind in source.rows(
        SQL_OPEN_DEADLINES.format(scope=_in("startup_id", startup_ids)), no=False
    ):
        deadlines[sid].append(
            DeadlineFacts(id=did, date=as_date(day), title=title, kind=kind, convention_id=cid)
        )
    return deadlines


def load_staffing(source: Rows, as_of: dt.date, startup_ids: Sequence[int] | None = None):
    """The staffing lines not ended by D, by startup."""
    staffing: dict[int, list[StaffingFacts]] = defaultdict(list)
    for sid, cid, role, headcount, starts, ends, rate in source.rows(
        SQL_STAFFING.format(scope=_in("startup_id", startup_ids)), as_of=as_of
    ):
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
    return staffing


# The purchase orders dated on or before D, with their services faits and payments up to
# D, and whether the latest Chorus export (dated on or before D) covering the order's
# centre financier did not list it (the orders' alerts; only the startups that have any).
SQL_ORDERS_ON = """
SELECT o.startup_id, o.id, o.date, o.amount_cents, o.status, o.expected_on,
       (SELECT SUM(f.amount_cents) FROM service_fait f
        WHERE f.order_id = o.id AND f.date <= :as_of),
       (SELECT SUM(l.amount_cents) FROM consumption_line l
        WHERE l.order_id = o.id AND l.date <= :as_of),
       (SELECT CASE WHEN m.ej IS NULL THEN 0 ELSE 1 END
        FROM chorus_export e
        JOIN chorus_export_centre ec ON ec.export_id = e.id
        LEFT JOIN chorus_export_missing m ON m.export_id = e.id AND m.ej = o.ej
        WHERE ec.centre_financier = o.centre_financier AND e.day <= :as_of
        ORDER BY e.day DESC, e.id DESC LIMIT 1)
FROM purchase_order o
WHERE o.date <= :as_of{scope}
ORDER BY o.startup_id, o.date, o.id
"""
# Every committee review, by startup (the lead-time alerts).
SQL_REVIEWS = """
SELECT r.startup_id, c.date, r.decision, r.convention_id
FROM committee_review r JOIN committee c ON c.id = r.committee_id
WHERE 1 = 1{scope}
ORDER BY r.startup_id, c.date, r.id
"""


def load_orders(
    source: Rows, as_of: dt.date, startup_ids: Sequence[int] | None = None
) -> dict[int, list[OrderFacts]]:
    """The purchase orders dated on or before D, by startup, with what was delivered and
    paid of each by D (``store.rules.budget.OrderFacts``)."""
    orders: dict[int, list[OrderFacts]] = defaultdict(list)
    for sid, oid, day, amount, status, expected, done, paid, missing in source.rows(
        SQL_ORDERS_ON.format(scope=_in("o.startup_id", startup_ids)), as_of=as_of
    ):
        orders[sid].append(
            OrderFacts(
                oid,
                as_date(day),
                int(amount),
                status,
                as_date(expected),
                int(done or 0),
                int(paid or 0),
                bool(missing),
            )
        )
    return orders


def load_reviews(
    source: Rows, startup_ids: Sequence[int] | None = None
) -> dict[int, list[ReviewFacts]]:
    """Every committee review, by startup, oldest first."""
    reviews: dict[int, list[ReviewFacts]] = defaultdict(list)
    for sid, day, decision, cid in source.rows(
        SQL_REVIEWS.format(scope=_in("r.startup_id", startup_ids))
    ):
        reviews[sid].append(ReviewFacts(as_date(day), decision, cid))
    return reviews


def timeline_inputs(source: Rows, startup_id: int):
    """What ``store.rules.timeline.state_rows`` needs of one startup: its conventions,
    phases, open deadlines, the dates of its engagements per root convention, and its
    committee reviews."""
    ids = [startup_id]
    engagements: dict[int, list[dt.date]] = defaultdict(list)
    for root, day in source.rows(
        SQL_ENGAGEMENTS.format(scope=_in("startup_id", ids)),
        engagement=LineKind.ENGAGEMENT.value,
        cancelled=OrderStatus.CANCELLED.value,
    ):
        engagements[root].append(as_date(day))
    return (
        load_conventions(source, ids).get(startup_id, []),
        load_phases(source, ids).get(startup_id, []),
        load_open_deadlines(source, ids).get(startup_id, []),
        engagements,
        load_reviews(source, ids).get(startup_id, []),
    )


# --- consumption, from the rollup --------------------------------------------------------

# The consumption as of D, read from the rollup (store.rules.rollup): the running totals
# of the last month before D's month, one index seek per convention (and per startup for
# the unattributed lines)…
SQL_CUMULATED = """
SELECT r.startup_id, r.convention_id, r.cum_cents, r.engaged_last_on, r.cum_paid_cents
FROM convention c JOIN consumption_month r
  ON r.convention_id = c.id AND r.startup_id = c.startup_id
WHERE r.month = (SELECT MAX(r2.month) FROM consumption_month r2
                 WHERE r2.convention_id = c.id AND r2.startup_id = c.startup_id
                   AND r2.month < :month){scope}
"""
SQL_CUMULATED_UNATTRIBUTED = """
SELECT r.startup_id, r.cum_cents
FROM startup s JOIN consumption_month r
  ON r.startup_id = s.id AND r.convention_id IS NULL
WHERE r.month = (SELECT MAX(r2.month) FROM consumption_month r2
                 WHERE r2.convention_id IS NULL AND r2.startup_id = s.id
                   AND r2.month < :month){scope}
"""
# …plus the lines and orders of D's month up to D (index ranges over at most one month;
# a payment of an order is a SETTLEMENT: CP only)…
SQL_PARTIAL_MONTH = f"""
SELECT startup_id, counted_convention_id,
       CASE WHEN order_id IS NULL THEN kind ELSE '{SETTLEMENT}' END AS k,
       SUM(amount_cents), MAX(date)
FROM consumption_line
WHERE date >= :month AND date <= :as_of{{scope}}
GROUP BY startup_id, counted_convention_id, k
UNION ALL
SELECT startup_id, counted_convention_id, '{ENGAGEMENT}', SUM(amount_cents), MAX(date)
FROM purchase_order
WHERE date >= :month AND date <= :as_of AND status <> :cancelled{{scope}}
GROUP BY startup_id, counted_convention_id
"""
# …and, for the 90-day burn window (D - 90, D]: the whole months inside it from the rollup,
# the lines of its first, partial month, and those of D's month (above).
SQL_WINDOW_MONTHS = """
SELECT startup_id, convention_id, SUM(amount_cents)
FROM consumption_month
WHERE month > :first_month AND month < :month{scope}
GROUP BY startup_id, convention_id
"""
SQL_WINDOW_HEAD = """
SELECT startup_id, counted_convention_id, SUM(amount_cents)
FROM consumption_line
WHERE date > :window_start AND date < :head_end AND order_id IS NULL{scope}
GROUP BY startup_id, counted_convention_id
UNION ALL
SELECT startup_id, counted_convention_id, SUM(amount_cents)
FROM purchase_order
WHERE date > :window_start AND date < :head_end AND status <> :cancelled{scope}
GROUP BY startup_id, counted_convention_id
"""
# Payments of D's year before D's month, by root convention (the CP rule reads the scheduled
# ones; a schedule may sit on an avenant while the payments count against its root).
SQL_PAID_THIS_YEAR = """
SELECT convention_id, SUM(paid_cents)
FROM consumption_month
WHERE month >= :year_start AND month < :month{scope}
GROUP BY convention_id
"""
# The running totals (engaged, paid) of each convention in force, up to the end of the
# month before D's (the fast path: conventions by id; one seek each in the rollup).
SQL_ROOTS_CUMULATED = """
SELECT r.convention_id, r.cum_cents, r.cum_paid_cents
FROM convention c JOIN consumption_month r
  ON r.convention_id = c.id AND r.startup_id = c.startup_id
WHERE c.id IN ({ids})
  AND r.month = (SELECT MAX(r2.month) FROM consumption_month r2
                 WHERE r2.convention_id = c.id AND r2.startup_id = c.startup_id
                   AND r2.month < :month)
"""
# Payments of D's year before D's month, for the conventions in force with a CP planned
# for D's year (the only ones the CP rule looks at).
SQL_ROOTS_PAID_THIS_YEAR = """
SELECT r.convention_id, SUM(r.paid_cents) FROM consumption_month r
WHERE r.convention_id IN ({ids}) AND r.month >= :year_start AND r.month < :month
GROUP BY r.convention_id
"""


@dataclass
class Consumption:
    """Consumption figures on D, from the rollup and the lines around D.

    By root convention: ``consumed`` (engaged up to D: orders, engagement lines, direct
    payments), ``window`` (engaged in the 90 days up to D), ``paid`` (payments of D's
    year up to D), ``paid_total`` (every payment up to D), ``engaged`` (latest engagement
    up to D).  By startup: ``unattributed`` (engaged up to D counted against none) and
    ``burn`` (everything engaged in the 90 days up to D).  The fast path fills only the part
    around D here (D's month, the burn window) and the running totals by convention
    afterwards (``add_running_totals``).
    """

    consumed: dict[int, int] = field(default_factory=dict)
    unattributed: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    burn: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    window: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    paid: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    engaged: dict[int, dt.date] = field(default_factory=dict)
    paid_total: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def consumption_on(
    source: Rows, as_of: dt.date, startup_ids: Sequence[int] | None = None
) -> Consumption:
    """The lines of D's month up to D and the burn window, for every startup or only
    ``startup_ids`` (the running totals before D's month are not read here)."""
    month = month_of(as_of)
    window_start = as_of - dt.timedelta(days=BURN_WINDOW_DAYS)
    first_month = month_of(window_start)
    scope = _in("startup_id", startup_ids)
    c = Consumption()
    for sid, cid, kind, total, last in source.rows(
        SQL_PARTIAL_MONTH.format(scope=scope),
        month=month,
        as_of=as_of,
        cancelled=OrderStatus.CANCELLED.value,
    ):
        total = int(total)
        if kind == SETTLEMENT:
            if cid is not None:
                c.paid[cid] += total
                c.paid_total[cid] += total
            continue
        c.burn[sid] += total
        if cid is None:
            c.unattributed[sid] += total
            continue
        c.consumed[cid] = c.consumed.get(cid, 0) + total
        c.window[cid] += total
        if kind == PAYMENT:
            c.paid[cid] += total
            c.paid_total[cid] += total
        elif kind == ENGAGEMENT:
            last = as_date(last)
            if cid not in c.engaged or last > c.engaged[cid]:
                c.engaged[cid] = last
    for sid, cid, total in source.rows(
        SQL_WINDOW_MONTHS.format(scope=scope), first_month=first_month, month=month
    ):
        c.burn[sid] += int(total)
        if cid is not None:
            c.window[cid] += int(total)
    for sid, cid, total in source.rows(
        SQL_WINDOW_HEAD.format(scope=scope),
        window_start=window_start,
        head_end=next_month(first_month),
        cancelled=OrderStatus.CANCELLED.value,
    ):
        c.burn[sid] += int(total)
        if cid is not None:
            c.window[cid] += int(total)
    return c


def add_running_totals(
    source: Rows,
    as_of: dt.date,
    c: Consumption,
    root_ids: Sequence[int],
    scheduled_ids: Sequence[int],
) -> None:
    """Add to ``c.consumed`` and ``c.paid_total`` the running totals of each convention up to
    the end of the month before D's, and to ``c.paid`` the payments of D's year before that
    month (for the conventions with a CP planned that year)."""
    month = month_of(as_of)
    for ids in chunks(root_ids):
        for cid, cum, cum_paid in source.rows(SQL_ROOTS_CUMULATED.format(ids=ids), month=month):
            c.consumed[cid] = c.consumed.get(cid, 0) + int(cum)
            if cum_paid:
                c.paid_total[cid] += int(cum_paid)
    for ids in chunks(scheduled_ids):
        for cid, total in source.rows(
            SQL_ROOTS_PAID_THIS_YEAR.format(ids=ids),
            year_start=dt.date(as_of.year, 1, 1),
            month=month,
        ):
            c.paid[cid] += int(total)


def _full_consumption(
    source: Rows, as_of: dt.date, startup_ids: Sequence[int] | None
) -> Consumption:
    """Every consumption figure on D (the reference's reading: by startup, not by id)."""
    month = month_of(as_of)
    c = consumption_on(source, as_of, startup_ids)
    for _sid, cid, cum, last, cum_paid in source.rows(
        SQL_CUMULATED.format(scope=_in("c.startup_id", startup_ids)), month=month
    ):
        c.consumed[cid] = c.consumed.get(cid, 0) + int(cum)
        if cum_paid:
            c.paid_total[cid] += int(cum_paid)
        last = as_date(last)
        if last is not None and (cid not in c.engaged or last > c.engaged[cid]):
            c.engaged[cid] = last
    for sid, cum in source.rows(
        SQL_CUMULATED_UNATTRIBUTED.format(scope=_in("s.id", startup_ids)), month=month
    ):
        c.unattributed[sid] += int(cum)
    for cid, total in source.rows(
        SQL_PAID_THIS_YEAR.format(scope=_in("startup_id", startup_ids)),
        year_start=dt.date(as_of.year, 1, 1),
        month=month,
    ):
        c.paid[cid] += int(total)
    return c


def load_facts(
    source: Rows, as_of: dt.date, startup_ids: Sequence[int] | None = None
) -> dict[int, StartupFacts]:
    """Everything the budget rules need on D, for every startup or only ``startup_ids``.

    Consumption comes from the rollup: never a scan of every line.  A startup with
    nothing to say (no convention, phase, deadline or line) has no entry.
    """
    conventions = load_conventions(source, startup_ids)
    phases = load_phases(source, startup_ids)
    deadlines = load_open_deadlines(source, startup_ids)
    staffing = load_staffing(source, as_of, startup_ids)
    orders = load_orders(source, as_of, startup_ids)
    reviews = load_reviews(source, startup_ids)
    c = _full_consumption(source, as_of, startup_ids)
    facts: dict[int, StartupFacts] = {}
    for sid in {
        *conventions,
        *phases,
        *deadlines,
        *c.unattributed,
        *c.burn,
        *staffing,
        *orders,
        *reviews,
    }:
        own = tuple(conventions.get(sid, ()))
        ids = [x.id for x in own]
        facts[sid] = StartupFacts(
            conventions=own,
            phases=tuple(phases.get(sid, ())),
            deadlines=tuple(deadlines.get(sid, ())),
            consumed_cents={i: c.consumed[i] for i in ids if i in c.consumed},
            unattributed_cents=c.unattributed.get(sid, 0),
            burn_window_cents=c.burn.get(sid, 0),
            window_cents_by_root={i: c.window[i] for i in ids if i in c.window},
            paid_this_year_cents={i: c.paid[i] for i in ids if i in c.paid},
            paid_cents={i: c.paid_total[i] for i in ids if i in c.paid_total},
            last_engagement_on={i: c.engaged[i] for i in ids if i in c.engaged},
            staffing=tuple(staffing.get(sid, ())),
            orders=tuple(orders.get(sid, ())),
            reviews=tuple(reviews.get(sid, ())),
        )
    return facts


# --- the store's own settings ---------------------------------------------------------------

SQL_META = "SELECT key, value FROM store_meta WHERE key IN ('payment_cutoff', 'order_cutoff')"


def _month_day(value: str | None, default: tuple[int, int]) -> tuple[int, int]:
    """``11-30`` → (11, 30); anything else: the default."""
    try:
        month, day = (int(x) for x in (value or "").split("-"))
        dt.date(2000, month, day)  # a real day (29 February included)
    except ValueError:
        return default
    return month, day


def cutoffs(source: Rows) -> tuple[tuple[int, int], tuple[int, int]]:
    """The store's year-end cut-offs (payment, order) as (month, day): ``store_meta``'s
    ``payment_cutoff`` and ``order_cutoff`` (``MM-DD``), else 30 November and 15 December."""
    meta = dict(source.rows(SQL_META))
    return (
        _month_day(meta.get("payment_cutoff"), PAYMENT_CUTOFF),
        _month_day(meta.get("order_cutoff"), ORDER_CUTOFF),
    )


# --- the fast path: each startup's precomputed state on D ---------------------------------

# One row per startup: its state on D (one index seek in startup_state) and its
# unattributed lines up to the end of the month before D's (one seek in the rollup).
SQL_STATE_ON = """
SELECT s.id, s.slug, s.title, i.slug, st.phase, st.envelope_cents, st.pending_cents,
       st.roots, st.alerts, st.next_deadline_on, st.next_deadline_title,
       st.next_deadline_kind, st.next_deadline_id, st.next_deadline_convention_id,
       st.next_deadline_derived,
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
# What the totals need of each startup on D (a limited report counts every startup but
# assesses only the first ones): its envelope, pending amount and conventions in force,
# and whether it has a state at all (NULL: nothing known of it).
SQL_STATE_SUMS = """
SELECT s.id, st.envelope_cents, st.pending_cents, st.roots, st.startup_id
FROM {rows}
"""
# Where each column of SQL_STATE_ON is.
S_ID, S_SLUG, S_TITLE, S_INCUBATOR, S_PHASE, S_ENVELOPE, S_PENDING, S_ROOTS, S_ALERTS = range(9)
S_DEADLINE = 9  # date, title, kind, id, convention id, derived
S_UNATTRIBUTED = 15

SQL_SPONSORS_OF = """
SELECT ss.startup_id, o.slug
FROM startup_sponsor ss JOIN organisation o ON o.id = ss.organisation_id
WHERE ss.startup_id IN ({ids})
ORDER BY ss.startup_id, ss.position, o.slug
"""


def sponsors_of(source: Rows, startup_ids: Sequence[int]) -> dict[int, list[str]]:
    """The sponsors' slugs of these startups, in their order (names kept once each)."""
    sponsors: dict[int, list[str]] = defaultdict(list)
    for ids in chunks(startup_ids):
        for sid, slug in source.rows(SQL_SPONSORS_OF.format(ids=ids)):
            sponsors[sid].append(intern(slug))
    return sponsors


def roots_of(raw: str | None) -> list:
    """The decoded ``roots`` column of a state row: ``[[id, ceiling, start, end, cp], …]``."""
    return json.loads(raw) if raw else []


def structure_of(row: tuple, raw_roots: list, alert_sets: dict[str, frozenset[str]]) -> Structure:
    """A state row of SQL_STATE_ON as the rules' ``Structure`` (empty without a state row:
    nothing known of the startup but its name).  ``alert_sets`` shares one frozenset per
    set of codes between rows."""
    alerts = row[S_ALERTS]
    if alerts is None:
        return EMPTY_STRUCTURE
    codes = alert_sets.get(alerts)
    if codes is None:
        codes = alert_sets[alerts] = frozenset(alerts.split())
    day, title, kind, did, cid, derived = row[S_DEADLINE:S_UNATTRIBUTED]
    phase = row[S_PHASE]
    # By position, in the fields' order: built once per startup of a report.
    return Structure(
        None if phase is None else intern(phase),
        row[S_ENVELOPE],
        row[S_PENDING],
        roots_from_json(raw_roots) if raw_roots else (),
        None
        if day is None
        else DeadlineFacts(
            as_date(day), intern(title), intern(kind), False, did, cid, bool(derived)
        ),
        codes,
    )


EMPTY_STRUCTURE = Structure()
