"""The budget rules of DESIGN.md, as pure functions over plain data.

Nothing here touches a database: callers (``store.report``, ``store.ledger``, the
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
from dataclasses import dataclass, field

AVENANT = "avenant"

# Phases in which a startup is expected to have money (GAP applies); the rest
# (abandon, transfert, opéré, alumni, success…) are end states.
ACTIVE_PHASES = frozenset({"investigation", "construction", "acceleration", "consolidation"})

# Order of advancement, for ties between phases starting the same day.
PHASE_ORDER = {"investigation": 0, "construction": 1, "acceleration": 2, "consolidation": 3}
END_STATE_RANK = 4


@dataclass(frozen=True)
class ConventionFacts:
    """One convention or avenant, as stored."""

    id: int
    kind: str = "convention"
    parent_id: int | None = None
    number: int | None = None
    title: str | None = None
    signed_on: dt.date | None = None
    party_signatures: tuple[dt.date | None, ...] = ()
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    ceiling_cents: int | None = None
    schedule_years: tuple[int, ...] = ()

    @property
    def is_avenant(self) -> bool:
        return self.kind == AVENANT


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
    if c.schedule_years:
        return dt.date(min(c.schedule_years), 1, 1)
    return None


@dataclass(frozen=True)
class Budget:
    """A root convention and its avenants (in the order they were concluded)."""

    root: ConventionFacts
    avenants: tuple[ConventionFacts, ...] = ()

    @property
    def id(self) -> int:
        return self.root.id

    @property
    def concluded_on(self) -> dt.date | None:
        return concluded_on(self.root)

    @property
    def pending(self) -> bool:
        return self.concluded_on is None

    def avenants_in_force(self, on: dt.date) -> list[ConventionFacts]:
        done = [a for a in self.avenants if (d := concluded_on(a)) is not None and d <= on]
        return sorted(done, key=lambda a: (concluded_on(a), a.number or 0, a.id))

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

    @property
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


def phase_rank(name: str) -> int:
    return PHASE_ORDER.get(name, END_STATE_RANK)


def phase_on(phases: Iterable[PhaseFacts], on: dt.date) -> str | None:
    """The phase with the latest start on or before D; on a tie, the most advanced one."""
    started = [p for p in phases if p.start is not None and p.start <= on]
    if not started:
        return None
    return max(started, key=lambda p: (p.start, phase_rank(p.name))).name


def is_active_phase(name: str | None) -> bool:
    return name in ACTIVE_PHASES


# --- deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
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
        title = f"Fin de la {b.root.title or 'convention'}".replace(
            "Fin de la Convention", "Fin de la convention"
        )
        result.append(
            DeadlineFacts(
                date=end, title=title, kind="convention_end", convention_id=b.id, derived=True
            )
        )
    return result


def next_deadline(deadlines: Iterable[DeadlineFacts], on: dt.date) -> DeadlineFacts | None:
    """The earliest deadline on or after D that is not done."""
    upcoming = [d for d in deadlines if not d.done and d.date >= on]
    return min(upcoming, key=lambda d: (d.date, d.derived, d.title), default=None)


# --- one startup as of D -----------------------------------------------------------------

# Every alert code, in the order they are shown (the most urgent first).
ALERT_CODES = (
    "GAP",
    "OVERSPENT",
    "EXPIRING",
    "UNSIGNED",
    "EXHAUSTS_BEFORE_END",
    "UNATTRIBUTED",
    "ENGAGED_AFTER_END",
    "OVERDUE",
    "AMOUNT_UNKNOWN",
    "UNDERSPEND",
)
EXPIRING_WITHIN_DAYS = 90
BURN_WINDOW_DAYS = 90
BURN_WINDOW_MONTHS = 3


@dataclass(frozen=True)
class StartupFacts:
    """What the rules need to know of one startup on D, loaded by the caller.

    ``consumed_cents`` maps a root convention's id to the lines dated on or before D
    that count against it; ``unattributed_cents`` is the sum of the lines dated on or
    before D that count against none; ``burn_window_cents`` the sum of all the
    startup's lines in the 90 days up to D.
    """

    conventions: tuple[ConventionFacts, ...] = ()
    phases: tuple[PhaseFacts, ...] = ()
    deadlines: tuple[DeadlineFacts, ...] = ()
    consumed_cents: dict[int, int] = field(default_factory=dict)
    unattributed_cents: int = 0
    burn_window_cents: int = 0


@dataclass
class Assessment:
    """A startup's budget figures and alerts on D."""

    as_of: dt.date
    phase: str | None
    envelope_cents: int | None
    pending_cents: int
    consumed_cents: int
    unattributed_cents: int
    burn_rate_cents_per_month: float
    conventions_in_force: int
    next_deadline: DeadlineFacts | None
    alerts: list[str]

    @property
    def remaining_cents(self) -> int | None:
        if self.envelope_cents is None:
            return None
        return self.envelope_cents - self.consumed_cents

    @property
    def runway_months(self) -> float | None:
        remaining = self.remaining_cents
        if remaining is None or not self.burn_rate_cents_per_month:
            return None
        return remaining / self.burn_rate_cents_per_month


def _covered_after(
    all_budgets: Sequence[Budget], ending: Budget, end: dt.date, on: dt.date
) -> bool:
    """Is the day after ``end`` covered by another convention concluded on or before D?"""
    next_day = end + dt.timedelta(days=1)
    for b in all_budgets:
        if b.id == ending.id:
            continue
        concluded = b.concluded_on
        if concluded is not None and concluded <= on and b.period_contains(next_day, as_of=on):
            return True
    return False


def assess(facts: StartupFacts, on: dt.date) -> Assessment:
    """Apply the budget rules of DESIGN.md to one startup on D."""
    all_budgets = budgets(facts.conventions)
    active = in_force(all_budgets, on)
    env = envelope(all_budgets, on)
    consumed = sum(facts.consumed_cents.get(b.id, 0) for b in active)
    phase = phase_on(facts.phases, on)
    deadlines = [*facts.deadlines, *derived_deadlines(all_budgets, on)]
    alerts: set[str] = set()

    if is_active_phase(phase) and not active:
        alerts.add("GAP")
    for b in active:
        ceiling = b.ceiling_cents(on)
        if ceiling is not None and facts.consumed_cents.get(b.id, 0) > ceiling:
            alerts.add("OVERSPENT")
        end = b.ends_on(on)
        if (
            end is not None
            and (end - on).days <= EXPIRING_WITHIN_DAYS
            and not _covered_after(all_budgets, b, end, on)
        ):
            alerts.add("EXPIRING")
    if pending_budgets(all_budgets, on):
        alerts.add("UNSIGNED")
    if env.cents is None:
        alerts.add("AMOUNT_UNKNOWN")
    if facts.unattributed_cents:
        alerts.add("UNATTRIBUTED")
    if any(not d.done and not d.derived and d.date < on for d in deadlines):
        alerts.add("OVERDUE")

    return Assessment(
        as_of=on,
        phase=phase,
        envelope_cents=env.cents,
        pending_cents=pending_cents(all_budgets, on),
        consumed_cents=consumed,
        unattributed_cents=facts.unattributed_cents,
        burn_rate_cents_per_month=facts.burn_window_cents / BURN_WINDOW_MONTHS,
        conventions_in_force=len(active),
        next_deadline=next_deadline(deadlines, on),
        alerts=[code for code in ALERT_CODES if code in alerts],
    )
