"""The budget rules of DESIGN.md, as pure functions over plain data.

Nothing here touches a database: callers (``store.queries.report``, ``store.derived``, the
app) load facts, build these small frozen records and ask questions "as of D".
Amounts are integer cents; ``None`` means unknown and is never counted as 0.

Vocabulary:

- a convention (or avenant) is *concluded* on the latest signature date it bears;
  with none it is *pending*;
- a *root* is a convention that is not an avenant; a root and its avenants make
  one *budget* (one ceiling, one end date, one pot of consumption);
- a root is *in force* on D when it is concluded on or before D, its period has
  begun and D is not after its end (as moved by the avenants in force on D).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property, lru_cache

from store.rules.vocab import (
    ACTIVE_PHASES,
    ConventionKind,
    DeadlineKind,
    OrderStatus,
    convention_end_title,
    deadline_title,
    phase_rank,
)

AVENANT = ConventionKind.AVENANT.value


@dataclass(frozen=True)
class ConventionFacts:
    """One convention or avenant, as stored."""

    id: int
    kind: str = ConventionKind.CONVENTION.value
    parent_id: int | None = None
    number: int | None = None
    title: str | None = None
    signed_on: dt.date | None = None
    party_signatures: tuple[dt.date | None, ...] = ()
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    ceiling_cents: int | None = None
    schedule_years: tuple[int, ...] = ()
    # The yearly AE/CP échéancier: (year, ae_cents, cp_cents), amounts None when not given.
    schedule: tuple[tuple[int, int | None, int | None], ...] = ()

    @property
    def is_avenant(self) -> bool:
        return self.kind == AVENANT

    def cp_cents(self, year: int) -> int | None:
        """The CP the schedule plans for ``year`` (``None``: no schedule line or no amount)."""
        for y, _ae, cp in self.schedule:
            if y == year:
                return cp
        return None


def concluded_on(c: ConventionFacts) -> dt.date | None:
    """The latest signature date the convention bears; ``None`` when it bears none (pending)."""
    dates = [d for d in (c.signed_on, *c.party_signatures) if d is not None]
    return max(dates) if dates else None


def period_start(c: ConventionFacts) -> dt.date | None:
    """Explicit start, else conclusion, else 1 January of the first schedule year."""
    if c.starts_on is not None:
        return c.starts_on
    concluded = concluded_on(c)
    if concluded is not None:
        return concluded
    years = c.schedule_years or tuple(y for y, _ae, _cp in c.schedule)
    if years:
        return dt.date(min(years), 1, 1)
    return None


@dataclass(frozen=True)
class Budget:
    """A root convention and its avenants (in the order they were concluded)."""

    root: ConventionFacts
    avenants: tuple[ConventionFacts, ...] = ()

    @property
    def id(self) -> int:
        return self.root.id

    @cached_property
    def concluded_on(self) -> dt.date | None:
        return concluded_on(self.root)

    @property
    def pending(self) -> bool:
        return self.concluded_on is None

    def schedule_cp_cents(self, year: int, on: dt.date) -> int | None:
        """The CP planned for ``year`` on D: the root's schedule, replaced by the schedule of
        each avenant in force on D that carries one."""
        cp = self.root.cp_cents(year)
        for avenant in self.avenants_in_force(on):
            if avenant.schedule:
                cp = avenant.cp_cents(year)
        return cp

    @property
    def has_schedule(self) -> bool:
        return bool(self.root.schedule) or any(a.schedule for a in self.avenants)

    @cached_property
    def _concluded_avenants(self) -> tuple[tuple[dt.date, ConventionFacts], ...]:
        dated = [(d, a) for a in self.avenants if (d := concluded_on(a)) is not None]
        return tuple(sorted(dated, key=lambda x: (x[0], x[1].number or 0, x[1].id)))

    def avenants_in_force(self, on: dt.date) -> list[ConventionFacts]:
        """The concluded avenants in force on D, in the order they were concluded."""
        return [a for d, a in self._concluded_avenants if d <= on]

    def ceiling_cents(self, on: dt.date) -> int | None:
        """The ceiling on D: the root's, replaced by each avenant in force on D that sets one."""
        ceiling = self.root.ceiling_cents
        for avenant in self.avenants_in_force(on):
            if avenant.ceiling_cents is not None:
                ceiling = avenant.ceiling_cents
        return ceiling

    def ends_on(self, on: dt.date) -> dt.date | None:
        """The end date on D: the root's, moved by each avenant in force on D that moves it."""
        end = self.root.ends_on
        for avenant in self.avenants_in_force(on):
            if avenant.ends_on is not None:
                end = avenant.ends_on
        return end

    @cached_property
    def start(self) -> dt.date | None:
        return period_start(self.root)

    def final_end(self) -> dt.date | None:
        """The end date once every concluded avenant applies."""
        return self.ends_on(dt.date.max)

    def period_contains(self, day: dt.date, *, as_of: dt.date | None = None) -> bool:
        start = self.start
        if start is None or day < start:
            return False
        end = self.ends_on(as_of or dt.date.max)
        return end is None or day <= end

    def in_force(self, on: dt.date) -> bool:
        concluded = self.concluded_on
        if concluded is None or concluded > on:
            return False
        return self.period_contains(on, as_of=on)


def budgets(conventions: Iterable[ConventionFacts]) -> list[Budget]:
    """Group conventions into budgets: each root with the avenants that descend from it.

    An avenant whose parent is unknown (not among ``conventions``) is its own root, so
    that its money is never silently lost.
    """
    by_id = {c.id: c for c in conventions}

    def root_of(c: ConventionFacts) -> ConventionFacts:
        seen: set[int] = set()
        while c.is_avenant and c.parent_id in by_id and c.id not in seen:
            seen.add(c.id)
            c = by_id[c.parent_id]
        return c

    members: dict[int, list[ConventionFacts]] = {}
    roots: dict[int, ConventionFacts] = {}
    for c in by_id.values():
        root = root_of(c)
        roots[root.id] = root
        if root.id != c.id:
            members.setdefault(root.id, []).append(c)
    result = [
        Budget(root=root, avenants=tuple(sorted(members.get(root.id, []), key=lambda a: a.id)))
        for root in roots.values()
    ]
    return sorted(result, key=lambda b: (b.start or dt.date.max, b.id))


def in_force(all_budgets: Iterable[Budget], on: dt.date) -> list[Budget]:
    return [b for b in all_budgets if b.in_force(on)]


@dataclass(frozen=True)
class Envelope:
    """The sum of the ceilings in force; ``cents`` is ``None`` when one of them is unknown."""

    cents: int | None
    unknown_ids: tuple[int, ...] = ()


def envelope(all_budgets: Iterable[Budget], on: dt.date) -> Envelope:
    total = 0
    unknown: list[int] = []
    for b in in_force(all_budgets, on):
        ceiling = b.ceiling_cents(on)
        if ceiling is None:
            unknown.append(b.id)
        else:
            total += ceiling
    return Envelope(cents=None if unknown else total, unknown_ids=tuple(unknown))


def pending_budgets(all_budgets: Iterable[Budget], on: dt.date) -> list[Budget]:
    """Pending (unsigned) conventions whose period includes D."""
    return [b for b in all_budgets if b.pending and b.period_contains(on)]


def pending_cents(all_budgets: Iterable[Budget], on: dt.date) -> int:
    """Pending money on D: the known ceilings of the pending conventions whose period includes D."""
    return sum(b.ceiling_cents(on) or 0 for b in pending_budgets(all_budgets, on))


def attribute(
    day: dt.date, named_convention_id: int | None, all_budgets: Sequence[Budget]
) -> int | None:
    """The root convention a consumption line counts against, or ``None`` (unattributed).

    The one it names (an avenant stands for its root); else the concluded convention
    whose period contains the line's date (when several do, the one concluded first);
    else none.  Periods are taken with every concluded avenant applied.
    """
    if named_convention_id is not None:
        for b in all_budgets:
            if b.id == named_convention_id or any(a.id == named_convention_id for a in b.avenants):
                return b.id
    candidates = [b for b in all_budgets if not b.pending and b.period_contains(day)]
    if not candidates:
        return None
    return min(candidates, key=lambda b: (b.concluded_on, b.id)).id


# --- phases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseFacts:
    name: str
    start: dt.date | None
    end: dt.date | None = None


def phase_on(phases: Iterable[PhaseFacts], on: dt.date) -> str | None:
    """The phase with the latest start on or before D; on a tie, the most advanced one."""
    started = [p for p in phases if p.start is not None and p.start <= on]
    if not started:
        return None
    return max(started, key=lambda p: (p.start, phase_rank(p.name))).name


def is_active_phase(name: str | None) -> bool:
    return name in ACTIVE_PHASES


# --- deadlines ---------------------------------------------------------------------------


# The records built for every startup of a report (deadline, root convention, structure,
# projection) are plain slotted dataclasses, not frozen ones: a frozen dataclass is built
# three to six times slower, and a 10,000-startup report builds tens of thousands of
# them.  Nothing changes them once built.
@dataclass(slots=True)
class DeadlineFacts:
    date: dt.date
    title: str
    kind: str = "other"
    done: bool = False
    id: int | None = None
    convention_id: int | None = None
    derived: bool = False


def derived_deadlines(all_budgets: Iterable[Budget], on: dt.date) -> list[DeadlineFacts]:
    """Each convention's end (as known on D): a deadline nobody types in."""
    result = []
    for b in all_budgets:
        end = b.ends_on(on)
        if end is None:
            continue
        title = convention_end_title(b.root.title)  # titled where shown: deadline_title
        result.append(
            DeadlineFacts(
                date=end,
                title=title,
                kind=DeadlineKind.CONVENTION_END.value,
                convention_id=b.id,
                derived=True,
            )
        )
    return result


def next_deadline(deadlines: Iterable[DeadlineFacts], on: dt.date) -> DeadlineFacts | None:
    """The earliest deadline on or after D that is not done."""
    upcoming = [d for d in deadlines if not d.done and d.date >= on]
    return min(
        upcoming,
        key=lambda d: (d.date, d.derived, d.title, d.id or 0, d.convention_id or 0),
        default=None,
    )


# --- funding gaps ------------------------------------------------------------------------


def funding_gaps(
    all_budgets: Sequence[Budget],
    phases: Iterable[PhaseFacts],
    until: dt.date,
) -> list[tuple[dt.date, dt.date]]:
    """The periods (first day, last day), up to ``until``, when the startup was in an active
    phase and no convention was in force.

    The answer of "active and uncovered?" can only change on a phase start, a conclusion,
    a period start or the day after an end, so it is asked once per such day and the
    stretches in between are merged.  An ongoing gap ends on ``until``.
    """
    phases = list(phases)
    days: set[dt.date] = {p.start for p in phases if p.start is not None}
    for b in all_budgets:
        for c in (b.root, *b.avenants):
            if (d := concluded_on(c)) is not None:
                days.add(d)
            if c.ends_on is not None and c.ends_on < dt.date.max:
                days.add(c.ends_on + dt.timedelta(days=1))
        if b.start is not None:
            days.add(b.start)
    edges = sorted(d for d in days if d <= until)
    gaps: list[tuple[dt.date, dt.date]] = []
    open_since: dt.date | None = None
    for i, day in enumerate(edges):
        uncovered = is_active_phase(phase_on(phases, day)) and not in_force(all_budgets, day)
        if uncovered and open_since is None:
            open_since = day
        elif not uncovered and open_since is not None:
            gaps.append((open_since, edges[i] - dt.timedelta(days=1)))
            open_since = None
    if open_since is not None:
        gaps.append((open_since, until))
    return gaps


# --- staffing plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingFacts:
    """A staffing line: ``headcount`` people at ``daily_rate_cents`` each working day."""

    headcount: float
    starts_on: dt.date | None
    ends_on: dt.date | None
    daily_rate_cents: int | None
    convention_id: int | None = None
    role: str = ""


def working_days(first: dt.date, last: dt.date) -> int:
    """Days Monday to Friday from ``first`` to ``last``, both included (no public holidays)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    weekday = first.weekday()
    for i in range(extra):
        if (weekday + i) % 7 < 5:
            count += 1
    return count


def staffing_cost_cents(
    staffing: Iterable[StaffingFacts], first: dt.date, last: dt.date
) -> int | None:
    """What the staffing plan costs from ``first`` to ``last``: headcount × daily rate ×
    working days of each line's overlap; ``None`` when a line that overlaps has no rate or
    no dates (unknown, never 0)."""
    total = 0.0
    for line in staffing:
        start, end = line.starts_on, line.ends_on
        if (start is not None and start > last) or (end is not None and end < first):
            continue
        if line.daily_rate_cents is None or start is None or end is None:
            return None
        total += (
            line.headcount * line.daily_rate_cents * working_days(max(start, first), min(end, last))
        )
    return round(total)


def staffing_exhaustion(
    staffing: Sequence[StaffingFacts],
    remaining_cents: int | None,
    on: dt.date,
    end: dt.date | None,
) -> dt.date | None:
    """The last day the money lasts at the staffing plan's rate: the day before the plan's
    cost from the day after D reaches ``remaining_cents``.  ``None`` when the money lasts
    to ``end`` (or the remaining money, the end or a rate is unknown); D when it is already
    spent."""
    if remaining_cents is None or end is None or end <= on:
        return None
    if remaining_cents <= 0:
        return on
    first = on + dt.timedelta(days=1)
    total = staffing_cost_cents(staffing, first, end)
    if total is None or total < remaining_cents:
        return None
    low, high = first, end  # the cost to ``high`` reaches the money; find the first such day
    while low < high:
        middle = low + (high - low) // 2
        cost = staffing_cost_cents(staffing, first, middle)
        if cost is not None and cost >= remaining_cents:
            high = middle
        else:
            low = middle + dt.timedelta(days=1)
    return low - dt.timedelta(days=1)


# --- purchase orders and committees ---------------------------------------------------------

# Year end (fin de gestion): no payment after about 30 November, no order after about
# 15 December (month, day); a store may set its own (``store_meta``).
PAYMENT_CUTOFF = (11, 30)
ORDER_CUTOFF = (12, 15)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """A purchase order dated on or before D, as the alerts read it.

    ``service_fait_cents`` and ``paid_cents``: its services faits and payments dated on or
    before D; ``missing_from_chorus``: the latest Chorus export dated on or before D that
    covers the order's centre financier does not list its EJ (as the store held its
    orders when that export was imported)."""

    id: int
    date: dt.date
    amount_cents: int
    status: str = OrderStatus.OPEN.value
    expected_on: dt.date | None = None
    service_fait_cents: int = 0
    paid_cents: int = 0
    missing_from_chorus: bool = False


def order_alerts(order: OrderFacts, on: dt.date) -> list[str]:
    """The reconciliation alerts of one order on D (stable codes, in ALERT_CODES order):

    ``PAID_BEYOND_SF``: more paid by D than its services faits say was delivered (a
    payment comes after the service fait); ``ORDER_LATE``: open, its expected delivery
    date is before D and no service fait is recorded by D; ``ORDER_NOT_IN_CHORUS``: the
    latest Chorus export covering its centre financier does not list it."""
    codes = []
    if order.paid_cents > order.service_fait_cents:
        codes.append("PAID_BEYOND_SF")
    if (
        order.status == OrderStatus.OPEN.value
        and order.expected_on is not None
        and order.expected_on < on
        and not order.service_fait_cents
    ):
        codes.append("ORDER_LATE")
    if order.missing_from_chorus and order.status != OrderStatus.CANCELLED.value:
        codes.append("ORDER_NOT_IN_CHORUS")
    return codes


def undelivered_cents(orders: Iterable[OrderFacts]) -> int:
    """What the open orders have engaged and not yet delivered (engagé − service fait)."""
    return sum(
        max(0, o.amount_cents - o.service_fait_cents)
        for o in orders
        if o.status == OrderStatus.OPEN.value
    )


def next_year_need_cents(
    staffing: Sequence[StaffingFacts], rate_cents_per_month: float, year: int
) -> float | None:
    """What January of the year after ``year`` will cost: the staffing plan's cost that
    month (``None``: a line of it has no rate or no dates), or, without a plan, one month
    at the burn rate."""
    if staffing:
        return staffing_cost_cents(staffing, dt.date(year + 1, 1, 1), dt.date(year + 1, 1, 31))
    return rate_cents_per_month


def order_not_placed(
    phase: str | None,
    staffing: Sequence[StaffingFacts],
    rate_cents_per_month: float,
    orders: Iterable[OrderFacts],
    on: dt.date,
    order_cutoff: tuple[int, int] = ORDER_CUTOFF,
) -> bool:
    """ORDER_NOT_PLACED: an order needed for next month not placed by the order cut-off.

    From the order cut-off of D's year (``order_cutoff``, month and day) to 31 December,
    a startup in an active phase whose January of next year costs something (its staffing
    plan's cost that month, or, without a plan, one month at its burn rate, which reads
    engagements: AE) while what its open orders have not yet delivered (engagé − service
    fait, orders dated on or before D) is less than that cost: the orders that would pay
    for January can no longer be placed this year."""
    if (on.month, on.day) < order_cutoff or not is_active_phase(phase):
        return False
    need = next_year_need_cents(staffing, rate_cents_per_month, on.year)
    return bool(need) and need > 0 and undelivered_cents(orders) < need


class Decision(StrEnum):
    SIX_MONTHS = "six_months"
    PROVISIONAL = "provisional"
    STOP = "stop"
    UNDECIDED = "undecided"


FUNDING_DECISIONS = frozenset({Decision.SIX_MONTHS.value, Decision.PROVISIONAL.value})
# The committee meets 30 to 45 days before the money runs out.
LEAD_DAYS = 45
# A decision to fund should be carried by a signed convention or avenant within this.
SIGNATURE_DAYS = 30
# A committee at least every six months: a convention ending further away is not yet due.
HORIZON_DAYS = 183


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """One startup's review by a committee on ``date``."""

    date: dt.date
    decision: str = Decision.UNDECIDED.value
    convention_id: int | None = None


def committee_scheduled(reviews: Iterable[ReviewFacts], first: dt.date, last: dt.date) -> bool:
    """Does a committee review the startup from ``first`` to ``last`` (both included)?"""
    return any(first <= r.date <= last for r in reviews)


def no_committee_before(
    reviews: Sequence[ReviewFacts], exhausts_on: dt.date | None, on: dt.date
) -> bool:
    """NO_COMMITTEE_BEFORE_EXHAUSTION: the money runs out (``exhausts_on``) within
    LEAD_DAYS of D and no committee reviews the startup from D to the day before."""
    return (
        exhausts_on is not None
        and (exhausts_on - on).days <= LEAD_DAYS
        and not committee_scheduled(reviews, on, exhausts_on - dt.timedelta(days=1))
    )


def ends_before_committee(
    all_budgets: Sequence[Budget],
    active: Iterable[Budget],
    reviews: Sequence[ReviewFacts],
    on: dt.date,
) -> bool:
    """ENDS_BEFORE_COMMITTEE: a convention in force (``active``) ends within HORIZON_DAYS
    of D, no other convention concluded on or before D covers the day after its end, and
    no committee reviews the startup from D to its end."""
    for b in active:
        end = b.ends_on(on)
        if end is None or (end - on).days > HORIZON_DAYS:
            continue
        if not covered_after(all_budgets, b, end, on) and not committee_scheduled(reviews, on, end):
            return True
    return False


def funding_unsigned(
    conventions: Iterable[ConventionFacts], reviews: Iterable[ReviewFacts], on: dt.date
) -> bool:
    """FUNDING_UNSIGNED: a committee decided to fund (six months, provisional months)
    SIGNATURE_DAYS or more before D, and no convention or avenant carrying it is concluded
    on D (the one the decision links to, or else any of the startup's concluded from the
    committee's day to D)."""
    concluded: dict[int, dt.date | None] | None = None
    for r in reviews:
        if r.decision not in FUNDING_DECISIONS or (on - r.date).days < SIGNATURE_DAYS:
            continue
        if concluded is None:
            concluded = {c.id: concluded_on(c) for c in conventions}
        if r.convention_id is not None:
            day = concluded.get(r.convention_id)
            carried = day is not None and day <= on
        else:
            carried = any(d is not None and r.date <= d <= on for d in concluded.values())
        if not carried:
            return True
    return False


# --- one startup as of D -----------------------------------------------------------------

# Every alert code, in the order they are shown (the most urgent first).
ALERT_CODES = (
    "GAP",
    "OVERSPENT",
    "PAID_BEYOND_SF",
    "NO_COMMITTEE_BEFORE_EXHAUSTION",
    "EXPIRING",
    "ENDS_BEFORE_COMMITTEE",
    "UNSIGNED",
    "FUNDING_UNSIGNED",
    "EXHAUSTS_BEFORE_END",
    "ORDER_NOT_PLACED",
    "UNATTRIBUTED",
    "ENGAGED_AFTER_END",
    "OVERDUE",
    "ORDER_LATE",
    "ORDER_NOT_IN_CHORUS",
    "AMOUNT_UNKNOWN",
    "END_UNKNOWN",
    "UNDERSPEND",
    "CP_UNPAID",
)
EXPIRING_WITHIN_DAYS = 90
BURN_WINDOW_DAYS = 90
BURN_WINDOW_MONTHS = 3
# A month, in projections: 90 days are 3 months.
DAYS_PER_MONTH = BURN_WINDOW_DAYS / BURN_WINDOW_MONTHS
# UNDERSPEND: more than this share of a ceiling would be left at the convention's end.
UNDERSPEND_SHARE = 0.20


def burn_rate(window_cents: int) -> float:
    """Cents per month from the consumption of the 90 days before D (90 days = 3 months)."""
    return window_cents / BURN_WINDOW_MONTHS


def runway(remaining_cents: int | None, rate_cents_per_month: float | None) -> float | None:
    """Months of money left at the burn rate; ``None`` when either is unknown or the rate is
    0; 0 when the money is already spent (never negative)."""
    if remaining_cents is None or not rate_cents_per_month:
        return None
    return max(0.0, remaining_cents / rate_cents_per_month)


def exhaustion_date(
    on: dt.date, remaining_cents: int | None, rate_cents_per_month: float | None
) -> dt.date | None:
    """The day the money runs out at the burn rate (D when it is already spent); ``None``
    when the remaining money or the rate is unknown, or the rate is 0."""
    months = runway(remaining_cents, rate_cents_per_month)
    if months is None:
        return None
    days = months * DAYS_PER_MONTH
    if days > (dt.date.max - on).days:
        return None
    return on + dt.timedelta(days=int(days))


def projected_leftover(
    remaining_cents: int | None, rate_cents_per_month: float, on: dt.date, end: dt.date | None
) -> float | None:
    """What would be left at ``end`` spending ``rate`` a month from D on (negative: the money
    runs out before the end); ``None`` when the remaining money or the end is unknown."""
    if remaining_cents is None or end is None:
        return None
    return remaining_cents - rate_cents_per_month * max(0, (end - on).days) / DAYS_PER_MONTH


@dataclass(frozen=True)
class StartupFacts:
    """What the rules need to know of one startup on D, loaded by the caller.

    ``consumed_cents`` maps a root convention's id to the lines dated on or before D
    that count against it; ``unattributed_cents`` is the sum of the lines dated on or
    before D that count against none; ``burn_window_cents`` the sum of all the
    startup's lines in the 90 days up to D (D included, D − 90 excluded).

    What is consumed is what is *engaged* (AE): purchase orders, engagement lines and
    direct payments (a payment with no order); a payment of an order consumes CP only and
    is never counted a second time.

    Optional, per root convention (absent: unknown, the alerts that need them stay
    silent): ``window_cents_by_root`` what it engaged in the same 90 days,
    ``paid_this_year_cents`` its *payments* (CP) from 1 January of D's year to D,
    ``paid_cents`` every payment dated on or before D, and ``last_engagement_on`` its
    latest engagement dated on or before D.  ``orders``: its purchase orders dated on or
    before D (OrderFacts), ``reviews``: every committee review of it (ReviewFacts).
    """

    conventions: tuple[ConventionFacts, ...] = ()
    phases: tuple[PhaseFacts, ...] = ()
    deadlines: tuple[DeadlineFacts, ...] = ()
    consumed_cents: dict[int, int] = field(default_factory=dict)
    unattributed_cents: int = 0
    burn_window_cents: int = 0
    window_cents_by_root: dict[int, int] = field(default_factory=dict)
    paid_this_year_cents: dict[int, int] = field(default_factory=dict)
    last_engagement_on: dict[int, dt.date] = field(default_factory=dict)
    staffing: tuple[StaffingFacts, ...] = ()
    paid_cents: dict[int, int] = field(default_factory=dict)
    # Its purchase orders dated on or before D, and the committees that review it.
    orders: tuple[OrderFacts, ...] = ()
    reviews: tuple[ReviewFacts, ...] = ()


@dataclass(slots=True)
class Projection:
    """One convention in force on D, projected to its end.

    ``leftover_cents``: what would be left at its end at its own burn rate (``None``:
    unknown ceiling or end, or *no rate yet*); ``exhausts_on``: the day its money runs out
    at that rate; ``staffing_cost_cents`` and ``staffing_leftover_cents``: the staffing
    plan's cost (headcount × daily rate × working days from the day after D to the end)
    and what it would leave, ``None`` without a plan or with an unknown rate;
    ``staffing_exhausts_on``: the last day the money lasts at the plan's rate, when that is
    before the end.
    """

    convention_id: int
    ceiling_cents: int | None
    consumed_cents: int
    ends_on: dt.date | None
    burn_rate_cents_per_month: float | None
    leftover_cents: float | None
    exhausts_on: dt.date | None
    staffing_cost_cents: int | None
    staffing_leftover_cents: int | None
    # The last day its money lasts at the staffing plan's rate (None: to its end, or no plan).
    staffing_exhausts_on: dt.date | None = None
    # Its payments (CP) up to D; ``consumed_cents`` is what it engaged (AE).
    paid_cents: int = 0
    # The CP its schedule plans for D's year less what was paid this year (None: no schedule).
    cp_left_this_year_cents: int | None = None

    @property
    def remaining_cents(self) -> int | None:
        """Reste à engager: the ceiling less what is engaged."""
        return None if self.ceiling_cents is None else self.ceiling_cents - self.consumed_cents

    @property
    def to_pay_cents(self) -> int:
        """Reste à payer: what is engaged and not paid yet."""
        return self.consumed_cents - self.paid_cents


@dataclass(slots=True)
class Assessment:
    """A startup's budget figures and alerts on D.

    ``consumed_cents`` is what is engaged (AE) against the conventions in force,
    ``paid_cents`` what is paid (CP) against them, ``cp_left_this_year_cents`` the CP their
    schedules plan for D's year not paid yet (``None``: no schedule for that year).
    """

    as_of: dt.date
    phase: str | None
    envelope_cents: int | None
    pending_cents: int
    consumed_cents: int
    unattributed_cents: int
    burn_rate_cents_per_month: float
    conventions_in_force: int
    next_deadline: DeadlineFacts | None
    # In ALERT_CODES order; one tuple per set of codes, shared by the startups that have it.
    alerts: tuple[str, ...]
    projections: list[Projection] = field(default_factory=list)
    paid_cents: int = 0
    cp_left_this_year_cents: int | None = None

    @property
    def engaged_cents(self) -> int:
        return self.consumed_cents

    @property
    def to_pay_cents(self) -> int:
        """Reste à payer: engaged and not paid yet."""
        return self.consumed_cents - self.paid_cents

    @property
    def remaining_cents(self) -> int | None:
        if self.envelope_cents is None:
            return None
        return self.envelope_cents - self.consumed_cents

    @property
    def runway_months(self) -> float | None:
        return runway(self.remaining_cents, self.burn_rate_cents_per_month)

    @property
    def exhausts_on(self) -> dt.date | None:
        """The day the startup's money in force runs out at its burn rate."""
        return exhaustion_date(self.as_of, self.remaining_cents, self.burn_rate_cents_per_month)


def covered_after(all_budgets: Sequence[Budget], ending: Budget, end: dt.date, on: dt.date) -> bool:
    """Is the day after ``end`` covered by another convention concluded on or before D?"""
    next_day = end + dt.timedelta(days=1)
    for b in all_budgets:
        if b.id == ending.id:
            continue
        concluded = b.concluded_on
        if concluded is not None and concluded <= on and b.period_contains(next_day, as_of=on):
            return True
    return False


def root_rate(
    window_cents: int, consumed_cents: int, start: dt.date | None, on: dt.date
) -> float | None:
    """A convention's own burn rate on D, or ``None``: *no rate yet*.

    Its lines in the 90 days before D (``window_cents``), per month.  A rate of 0 means
    something only once the convention has a history: something was already spent
    against it (``consumed_cents``), or it has been running for a whole window (90 days
    since its ``start``).  Before that (a convention just signed, nothing spent yet)
    there is no rate, and the projection alerts stay silent.
    """
    if window_cents:
        return burn_rate(window_cents)
    if consumed_cents or (start is not None and (on - start).days >= BURN_WINDOW_DAYS):
        return 0.0
    return None


@dataclass(slots=True)
class RootState:
    """A convention in force on D, as the consumption-dependent rules need it: its
    ceiling, period start and end as known on D, and the CP its schedule plans for D's
    year (``None``: no schedule line for that year)."""

    id: int
    ceiling_cents: int | None
    start: dt.date | None
    ends_on: dt.date | None
    cp_cents: int | None = None


# The alerts that do not depend on the amounts consumed: piecewise constant in D, so
# they can be computed once per stretch of days (``store.rules.timeline``).
STRUCTURAL_ALERTS = frozenset(
    {
        "GAP",
        "EXPIRING",
        "UNSIGNED",
        "AMOUNT_UNKNOWN",
        "ENGAGED_AFTER_END",
        "OVERDUE",
        "ENDS_BEFORE_COMMITTEE",
        "FUNDING_UNSIGNED",
    }
)


@dataclass(slots=True)
class Structure:
    """Everything about a startup on D that does not depend on the amounts consumed.

    ``alerts`` holds only STRUCTURAL_ALERTS codes; ``roots`` the conventions in force.
    """

    phase: str | None = None
    envelope_cents: int | None = 0
    pending_cents: int = 0
    roots: tuple[RootState, ...] = ()
    next_deadline: DeadlineFacts | None = None
    alerts: frozenset[str] = frozenset()


def structure(
    all_budgets: Sequence[Budget],
    phases: Iterable[PhaseFacts],
    deadlines: Iterable[DeadlineFacts],
    last_engagement_on: dict[int, dt.date],
    on: dt.date,
    reviews: Sequence[ReviewFacts] = (),
) -> Structure:
    """The part of ``assess`` that does not depend on the amounts consumed.

    ``last_engagement_on``: each root convention's latest engagement dated on or before D
    (the dates of lines, not their amounts: ENGAGED_AFTER_END is decided here);
    ``reviews``: the committees reviewing the startup (ENDS_BEFORE_COMMITTEE,
    FUNDING_UNSIGNED are decided here).
    """
    active = in_force(all_budgets, on)
    env = envelope(all_budgets, on)
    phase = phase_on(phases, on)
    deadlines = [*deadlines, *derived_deadlines(all_budgets, on)]
    pending = pending_budgets(all_budgets, on)
    alerts: set[str] = set()
    if is_active_phase(phase) and not active:
        alerts.add("GAP")
    roots = []
    for b in active:
        end = b.ends_on(on)
        if (
            end is not None
            and (end - on).days <= EXPIRING_WITHIN_DAYS
            and not covered_after(all_budgets, b, end, on)
        ):
            alerts.add("EXPIRING")
        roots.append(
            RootState(
                id=b.id,
                ceiling_cents=b.ceiling_cents(on),
                start=b.start,
                ends_on=end,
                cp_cents=b.schedule_cp_cents(on.year, on),
            )
        )
    if pending:
        alerts.add("UNSIGNED")
    if env.cents is None or any(b.ceiling_cents(on) is None for b in pending):
        alerts.add("AMOUNT_UNKNOWN")
    for b in all_budgets:
        engaged = last_engagement_on.get(b.id)
        end = b.ends_on(on)
        if engaged is not None and end is not None and engaged > end:
            alerts.add("ENGAGED_AFTER_END")
    if any(not d.done and not d.derived and d.date < on for d in deadlines):
        alerts.add("OVERDUE")
    # The committees' lead times, for a startup the store follows through committees (at
    # least one review recorded): of one it records none for, it knows nothing to say.
    if reviews and active and ends_before_committee(all_budgets, active, reviews, on):
        alerts.add("ENDS_BEFORE_COMMITTEE")
    if reviews and funding_unsigned(
        (c for b in all_budgets for c in (b.root, *b.avenants)), reviews, on
    ):
        alerts.add("FUNDING_UNSIGNED")
    return Structure(
        phase=phase,
        envelope_cents=env.cents,
        pending_cents=sum(b.ceiling_cents(on) or 0 for b in pending),
        roots=tuple(roots),
        next_deadline=next_deadline(deadlines, on),
        alerts=frozenset(alerts),
    )


def _project(
    r: RootState,
    consumed: int,
    window: int,
    staffing: Sequence[StaffingFacts],
    on: dt.date,
) -> Projection:
    ceiling = r.ceiling_cents
    end = r.ends_on
    rate = root_rate(window, consumed, r.start, on)
    remaining = None if ceiling is None else ceiling - consumed
    leftover = None if rate is None else projected_leftover(remaining, rate, on, end)
    exhausts = None if rate is None else exhaustion_date(on, remaining, rate)
    cost = staffing_ends = None
    if staffing:
        own = [s for s in staffing if s.convention_id in (None, r.id)]
        if own and end is not None and end > on:
            cost = staffing_cost_cents(own, on + dt.timedelta(days=1), end)
            staffing_ends = staffing_exhaustion(own, remaining, on, end)
    return Projection(  # by position, in the fields' order: built once per root and day
        r.id,
        ceiling,
        consumed,
        end,
        rate,
        leftover,
        exhausts,
        cost,
        None if remaining is None or cost is None else remaining - cost,
        staffing_ends,
    )


def _cp_short(r: RootState, paid: int, rate: float | None, on: dt.date) -> bool:
    """Would the year's CP of a scheduled convention not all be paid by 31 December?"""
    cp = r.cp_cents
    if cp is None or rate is None:
        return False
    year_end = dt.date(on.year, 12, 31)
    end = r.ends_on
    last = min(year_end, end) if end is not None else year_end
    projected = paid + rate * max(0, (last - on).days) / DAYS_PER_MONTH
    return projected < cp


def finish(
    s: Structure,
    on: dt.date,
    *,
    consumed_cents: dict[int, int],
    unattributed_cents: int = 0,
    burn_window_cents: int = 0,
    window_cents_by_root: dict[int, int] | None = None,
    paid_this_year_cents: dict[int, int] | None = None,
    staffing: Sequence[StaffingFacts] = (),
    paid_cents: dict[int, int] | None = None,
    payment_cutoff: tuple[int, int] = PAYMENT_CUTOFF,
    orders: Sequence[OrderFacts] = (),
    reviews: Sequence[ReviewFacts] = (),
    order_cutoff: tuple[int, int] = ORDER_CUTOFF,
) -> Assessment:
    """The part of ``assess`` that depends on the amounts consumed (see StartupFacts for
    the meaning of each amount); the dicts are keyed by root convention id and may hold
    other startups' conventions too.

    Which of AE and CP each rule reads: OVERSPENT, EXHAUSTS_BEFORE_END, the burn rate,
    the runway and the 20 % share of UNDERSPEND read what is engaged (AE); the year's CP
    of UNDERSPEND, CP_UNPAID and ``cp_left_this_year_cents`` read the payments (CP).

    CP_UNPAID: past the payment cut-off of D's year (``payment_cutoff``, month and day),
    a convention in force whose schedule plans CP for the year has not paid them all:
    what is left will be lost at year end.

    The startup's orders (``orders``, dated on or before D) give PAID_BEYOND_SF,
    ORDER_LATE, ORDER_NOT_IN_CHORUS (``order_alerts``) and, with the order cut-off
    (``order_cutoff``), ORDER_NOT_PLACED; its committee reviews (``reviews``) give
    NO_COMMITTEE_BEFORE_EXHAUSTION, where the money runs out on the earliest of the day
    at the burn rate (AE) and the last day at the staffing plan's rate (only for a
    startup with at least one review, as the other lead-time alerts)."""
    window = window_cents_by_root or {}
    paid = paid_this_year_cents or {}
    paid_total = paid_cents or {}
    alerts = set(s.alerts) if s.roots or unattributed_cents else s.alerts
    consumed = 0
    paid_sum = 0
    cp_left: int | None = None
    projections = []
    for r in s.roots:
        used = consumed_cents.get(r.id, 0)
        consumed += used
        p = _project(r, used, window.get(r.id, 0), staffing, on)
        p.paid_cents = paid_total.get(r.id, 0)
        paid_sum += p.paid_cents
        if r.cp_cents is not None:
            p.cp_left_this_year_cents = r.cp_cents - paid.get(r.id, 0)
            cp_left = (cp_left or 0) + p.cp_left_this_year_cents
            if p.cp_left_this_year_cents > 0 and (on.month, on.day) > payment_cutoff:
                alerts.add("CP_UNPAID")
        projections.append(p)
        if r.ends_on is None:  # in force with no known end: in force for ever, until told
            alerts.add("END_UNKNOWN")
        if p.ceiling_cents is not None and used > p.ceiling_cents:
            alerts.add("OVERSPENT")
        end = p.ends_on
        if p.exhausts_on is not None and end is not None and p.exhausts_on < end:
            alerts.add("EXHAUSTS_BEFORE_END")
        if (
            p.leftover_cents is not None
            and p.ceiling_cents
            and p.leftover_cents > UNDERSPEND_SHARE * p.ceiling_cents
        ) or _cp_short(r, paid.get(r.id, 0), p.burn_rate_cents_per_month, on):
            alerts.add("UNDERSPEND")
    if unattributed_cents:
        alerts.add("UNATTRIBUTED")
    rate = burn_rate(burn_window_cents)
    envelope_cents = s.envelope_cents if s.roots else None  # none in force: unknown, not 0
    if reviews and s.roots:  # a startup followed through committees (see ``structure``)
        # The money in force runs out: at the burn rate, or at the staffing plan's rate.
        remaining = None if envelope_cents is None else envelope_cents - consumed
        runs_out = exhaustion_date(on, remaining, rate)
        for p in projections:
            staffing_ends = p.staffing_exhausts_on
            if staffing_ends is not None and (runs_out is None or staffing_ends < runs_out):
                runs_out = staffing_ends
        if no_committee_before(reviews, runs_out, on):
            alerts = _mutable(alerts)
            alerts.add("NO_COMMITTEE_BEFORE_EXHAUSTION")
    for order in orders:
        codes = order_alerts(order, on)
        if codes:
            alerts = _mutable(alerts)
            alerts.update(codes)
    if (on.month, on.day) >= order_cutoff and order_not_placed(
        s.phase, staffing, rate, orders, on, order_cutoff
    ):
        alerts = _mutable(alerts)
        alerts.add("ORDER_NOT_PLACED")
    deadline = s.next_deadline
    if deadline is not None and deadline.derived:  # its title in the language of the moment
        deadline = replace(deadline, title=deadline_title(deadline.title, deadline.kind, True))
    return Assessment(  # by position, in the fields' order: built once per startup
        on,
        s.phase,
        envelope_cents,
        s.pending_cents,
        consumed,
        unattributed_cents,
        rate,
        len(s.roots),
        deadline,
        _in_order(alerts if type(alerts) is frozenset else frozenset(alerts)),
        projections,
        paid_sum,
        cp_left,
    )


def _mutable(alerts: set[str] | frozenset[str]) -> set[str]:
    """The alerts as a set one may add to (``finish`` shares the structure's frozenset
    while it adds nothing)."""
    return set(alerts) if type(alerts) is frozenset else alerts


@lru_cache(maxsize=1024)
def _in_order(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(code for code in ALERT_CODES if code in codes)


def assess(
    facts: StartupFacts,
    on: dt.date,
    *,
    payment_cutoff: tuple[int, int] = PAYMENT_CUTOFF,
    order_cutoff: tuple[int, int] = ORDER_CUTOFF,
) -> Assessment:
    """Apply the budget rules of DESIGN.md to one startup on D.

    Consumption is per root convention: the startup's *consumed* is the sum over the
    conventions in force on D only, so spending under an ended convention never weighs
    on the next one.  The projection alerts (EXHAUSTS_BEFORE_END, UNDERSPEND) use each
    convention's own burn rate and stay silent while it has *no rate yet*
    (``root_rate``).

    Two steps: ``structure`` (what does not depend on the amounts: the report reads it
    precomputed from ``startup_state``, see ``store.rules.timeline``) and ``finish``.
    """
    s = structure(
        budgets(facts.conventions),
        facts.phases,
        facts.deadlines,
        facts.last_engagement_on,
        on,
        facts.reviews,
    )
    return finish(
        s,
        on,
        consumed_cents=facts.consumed_cents,
        unattributed_cents=facts.unattributed_cents,
        burn_window_cents=facts.burn_window_cents,
        window_cents_by_root=facts.window_cents_by_root,
        paid_this_year_cents=facts.paid_this_year_cents,
        staffing=facts.staffing,
        paid_cents=facts.paid_cents,
        payment_cutoff=payment_cutoff,
        orders=facts.orders,
        reviews=facts.reviews,
        order_cutoff=order_cutoff,
    )
