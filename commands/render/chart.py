"""A burn-down drawn in the terminal (plotext): envelope, consumed, remaining, projection."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Sequence

import i18n
from commands.render.money import paid_label
from commands.render.text import visible
from store.fmt import day
from store.rules.burn import Point

_ = i18n.Domain("cli").gettext


def _size() -> tuple[int, int]:
    size = shutil.get_terminal_size((100, 30))
    return min(size.columns, 120), max(15, min(size.lines - 2, 30))


def burn(slug: str, on: dt.date, points: Sequence[Point], *, whole_history: bool) -> str:
    """The chart as text (no colour when piped or NO_COLOR)."""
    import plotext as plt  # ~40 ms: only the chart pays for it

    months = [p.month for p in points]
    x = list(range(len(points)))

    def line(values, label, color):
        pts = [(i, v / 100) for i, v in zip(x, values, strict=True) if v is not None]
        if pts:
            plt.plot([i for i, _ in pts], [v for _, v in pts], label=label, color=color)

    plt.clear_figure()
    line([p.envelope_cents for p in points], _("envelope"), "blue")
    line([p.consumed_cents for p in points], _("consumed"), "red")
    line([p.paid_cents for p in points], paid_label(), "magenta")
    line([p.remaining_cents for p in points], _("remaining"), "green")
    line([p.projected_cents for p in points], _("projection"), "orange")
    step = max(1, len(points) // 8)
    plt.xticks(x[::step], months[::step])
    scope = _("whole history") if whole_history else _("current funding period")
    plt.title(
        _("{slug} as of {date} ({scope}), in euros").format(
            slug=visible(slug), date=day(on), scope=scope
        )
    )
    width, height = _size()
    plt.plotsize(width, height)
    chart = plt.build()
    if not sys.stdout.isatty() or "NO_COLOR" in os.environ:
        chart = plt.uncolorize(chart)
    return chart
