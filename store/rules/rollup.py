"""The consumption rollup: what makes an as-of report over a million lines cheap.

``consumption_month`` holds, per startup, per counted convention (``NULL``: the
unattributed lines) and per calendar month, the month's sums and the running totals
up to the end of that month.  A figure "as of D" is then one rollup row (the last
month before D's month, found by an index seek) plus the lines of D's own month up to
D (an index range over at most a month of lines), instead of a scan of every line.

The rows are derived data: ``store.derived.reattribute`` rebuilds a startup's rows
whenever its lines or conventions change (every writer calls it), the upgrade that
creates the table fills it for every startup, and ``bench/generate.py`` fills it with
the same function, ``month_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from store.rules.vocab import LineKind

ENGAGEMENT = LineKind.ENGAGEMENT.value
PAYMENT = LineKind.PAYMENT.value
# A payment of a purchase order: CP only (the order, an engagement, consumed the AE).
# Never stored as a line's kind: the readers name it so (``order_id IS NOT NULL``).
SETTLEMENT = "settlement"

COLUMNS = (
    "startup_id",
    "convention_id",
    "month",
    "amount_cents",
    "paid_cents",
    "cum_cents",
    "engaged_last_on",
    "cum_paid_cents",
)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_rows(
    startup_id: int, lines: Iterable[tuple[int | None, dt.date, int, str]]
) -> list[dict]:
    """The rollup rows of one startup from its money ``(counted convention, date, cents, kind)``:
    its consumption lines, its orders (``ENGAGEMENT``) and its orders' payments (``SETTLEMENT``).

    ``amount_cents``: what the month engaged (AE: orders, engagement lines and direct
    payments; an order's payment is not counted again); ``paid_cents``: its payments (CP:
    direct ones and orders'); ``cum_cents`` and ``cum_paid_cents``: the same from the first
    month to this one; ``engaged_last_on``: the latest engagement up to the end of this
    month (``None`` before the first one).
    """
    months: dict[tuple[int | None, dt.date], list] = {}
    for convention_id, day, cents, kind in lines:
        key = (convention_id, month_of(day))
        row = months.get(key)
        if row is None:
            row = months[key] = [0, 0, None]
        if kind == SETTLEMENT:
            row[1] += cents
            continue
        row[0] += cents
        if kind == PAYMENT:
            row[1] += cents
        elif kind == ENGAGEMENT and (row[2] is None or day > row[2]):
            row[2] = day
    result = []
    running: dict[int | None, tuple[int, dt.date | None, int]] = {}
    for (convention_id, month), (amount, paid, engaged) in sorted(
        months.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, kv[0][1])
    ):
        cum, last, cum_paid = running.get(convention_id, (0, None, 0))
        cum += amount
        cum_paid += paid
        if engaged is not None and (last is None or engaged > last):
            last = engaged
        running[convention_id] = (cum, last, cum_paid)
        result.append(
            {
                "startup_id": startup_id,
                "convention_id": convention_id,
                "month": month,
                "amount_cents": amount,
                "paid_cents": paid,
                "cum_cents": cum,
                "engaged_last_on": last,
                "cum_paid_cents": cum_paid,
            }
        )
    return result
