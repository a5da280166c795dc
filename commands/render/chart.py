"""A burn-down drawn in the terminal (plotext): envelope, consumed, remaining, projection."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Sequence

from commands.render.money import paid_label
from commands.render.text import visible
from store.rules.burn import Point


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
    line([p.envelope_cents for p in points], "enveloppe", "blue")
    line([p.consumed_cents for p in points], "consommé", "red")
    line([p.paid_cents for p in points], paid_label(), "magenta")
    line([p.remaining_cents for p in points], "reste", "green")
    line([p.projected_cents for p in points], "projection", "orange")
    step = max(1, len(points) // 8)
    plt.xticks(x[::step], months[::step])
    scope = "tout l'historique" if whole_history else "période de financement en cours"
    plt.title(f"{visible(slug)} au {on.isoformat()} ({scope}), en euros")
    width, height = _size()
    plt.plotsize(width, height)
    chart = plt.build()
    if not sys.stdout.isatty() or "NO_COLOR" in os.environ:
        chart = plt.uncolorize(chart)
    return chart
