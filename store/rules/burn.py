"""The burn-down series of one startup (``startups burn``, the app's budget pane).

``series`` is a pure function over plain data (the startup's conventions and its
consumption per counted convention and day); ``store.queries.burn`` reads those.
One point per calendar month:

- the point of a month is its last day, or D for D's own month; in the months after
  D it is never later than the end of the period drawn;
- *current funding period* (the default): the conventions in force on D, or when none
  is, the last one to have ended before D (or, failing that, the first one to come);
  from the start of the earliest of them to the latest of their ends as known on D
  (D's month when an end is unknown);
- ``envelope_eur``: the ceilings (as known on min(point, D)) of those conventions whose
  period has begun and that are concluded by the point; ``None`` when one is unknown;
- ``consumed_eur``: what is engaged (AE: orders, engagement lines, direct payments)
  dated up to the point that counts against them, cumulative (it never goes down);
  ``None`` after D; ``engaged_eur`` says the same, ``paid_eur`` the payments (CP), alike;
- ``remaining_eur`` = envelope − consumed;
- ``projected_eur``: the *remaining* money projected at the current burn rate (their
  lines in the 90 days before D, per month of 30 days) from D on: equal to the
  remaining on D's month, then going down; ``None`` before D's month and when the
  envelope is unknown.  Below 0: the money runs out that month.

With ``whole_history`` (``--all``): every month from the first convention or line to
the latest end known on D (at least D's month); the envelope is every ceiling
concluded so far (ended conventions included) and the consumption is every line,
unattributed ones included; the rate is the startup's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from store.rules.budget import (
    BURN_WINDOW_DAYS,
    DAYS_PER_MONTH,
    Budget,
    ConventionFacts,
    budgets,
    burn_rate,
    in_force,
)
from store.rules.rollup import month_of, next_month


@dataclass(frozen=True)
class Point:
    month: str  # "2018-06"
    envelope_cents: int | None
    consumed_cents: int | None
    remaining_cents: int | None
    projected_cents: float | None
    paid_cents: int | None = None

    def to_dict(self) -> dict:
        def eur(cents):
            return None if cents is None else round(cents / 100, 2)

        return {
            "month": self.month,
            "envelope_eur": eur(self.envelope_cents),
            "consumed_eur": eur(self.consumed_cents),
            "remaining_eur": eur(self.remaining_cents),
            "projected_eur": eur(self.projected_cents),
            "engaged_eur": eur(self.consumed_cents),
            "paid_eur": eur(self.paid_cents),
        }


def funding_period(all_budgets: Sequence[Budget], on: dt.date) -> list[Budget]:
    """The conventions the default series draws (see the module's docstring)."""
    active = in_force(all_budgets, on)
    if active:
        return active
    concluded = [b for b in all_budgets if not b.pending and b.start is not None]
    ended = [
        b for b in concluded if (end := b.ends_on(on)) is not None and end < on and b.start <= on
    ]
    if ended:
        last = max(b.ends_on(on) for b in ended)
        return [b for b in ended if b.ends_on(on) == last]
    coming = [b for b in concluded if b.start > on]
    if coming:
        first = min(b.start for b in coming)
        return [b for b in coming if b.start == first]
    return []


def _month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def series(
    conventions: Iterable[ConventionFacts],
    lines: Iterable[tuple[int | None, dt.date, int]],
    on: dt.date,
    *,
    whole_history: bool = False,
    payments: Iterable[tuple[int | None, dt.date, int]] = (),
) -> list[Point]:
    """The monthly burn-down points; ``lines`` are what is engaged and ``payments`` what
    is paid, each (counted convention, date, cents)."""
    all_budgets = budgets(conventions)
    lines = sorted(lines, key=lambda x: x[1])
    if whole_history:
        drawn = [b for b in all_budgets if not b.pending]
        counted = lines
        paid_lines = sorted(payments, key=lambda x: x[1])
        starts = [b.start for b in drawn if b.start is not None] + [d for _c, d, _a in lines]
    else:
        drawn = funding_period(all_budgets, on)
        ids = {b.id for b in drawn}
        counted = [x for x in lines if x[0] in ids]
        paid_lines = sorted((x for x in payments if x[0] in ids), key=lambda x: x[1])
        starts = [b.start for b in drawn if b.start is not None]
    if not starts:
        return []
    ends = [b.ends_on(on) for b in drawn]
    last_day = max([e for e in ends if e is not None] + ([on] if whole_history else []), default=on)
    if any(e is None for e in ends):
        last_day = max(last_day, on)
    first_month, last_month = month_of(min(starts)), month_of(last_day)
    window_start = on - dt.timedelta(days=BURN_WINDOW_DAYS)
    rate = burn_rate(sum(a for _c, d, a in counted if window_start < d <= on))

    def envelope(point: dt.date) -> int | None:
        known_on = min(point, on)
        total = 0
        for b in drawn:
            if b.concluded_on > known_on or b.start is None or b.start > point:
                continue
            ceiling = b.ceiling_cents(known_on)
            if ceiling is None:
                return None
            total += ceiling
        return total

    points: list[Point] = []
    consumed_on = sum(a for _c, d, a in counted if d <= on)
    month = first_month
    i = j = 0
    running = paid_running = 0
    while month <= last_month:
        end = _month_end(month)
        if month < month_of(on):
            point = end
        elif month == month_of(on):
            point = on
        else:
            point = min(end, last_day)
        env = envelope(point)
        if point <= on:
            while i < len(counted) and counted[i][1] <= point:
                running += counted[i][2]
                i += 1
            consumed = running
            while j < len(paid_lines) and paid_lines[j][1] <= point:
                paid_running += paid_lines[j][2]
                j += 1
            paid = paid_running
        else:
            consumed = paid = None
        remaining = None if env is None or consumed is None else env - consumed
        projected = None
        if month >= month_of(on) and env is not None:
            projected = env - consumed_on - rate * max(0, (point - on).days) / DAYS_PER_MONTH
        points.append(
            Point(
                month=f"{month.year:04d}-{month.month:02d}",
                envelope_cents=env,
                consumed_cents=consumed,
                remaining_cents=remaining,
                projected_cents=projected,
                paid_cents=paid,
            )
        )
        month = next_month(month)
    return points
