"""The burn-down chart (textual-plotext), imported only when a chart is first shown.

plotext removes duplicate ticks through a ``set``, so the order in which it places
the month labels depends on the process's string hashing; when two labels are close
enough to collide, which one moves then changes from one run to the next.  The chart
therefore picks, at each render, a tick step that leaves every label room to spare
for the width it is drawn at: the same data at the same size always draws the same.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from rich.text import Text
from textual_plotext import PlotextPlot

from store.fmt import number

LABEL = 7  # "2018-04"
GAP = 2 * LABEL  # columns between two tick labels, so that no label ever has to move
Y_LABELS = 10  # room the y axis labels and the frame take on the left and right


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int | None]  # cents, one per month (None: nothing to show that month)
    marker: str = "hd"


def tick_step(points: int, width: int) -> int:
    """Every how many months a label goes, so that labels stay ``GAP`` columns apart."""
    if points <= 1:
        return 1
    canvas = max(width - Y_LABELS, 1)
    spacing = (canvas - 1) / (points - 1)
    return max(1, math.ceil(GAP / spacing)) if spacing > 0 else points


def euro_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values for the euro axis, between ``low`` (or 0) and ``high`` (plotext's own
    are written without thousands separators: ``269700.0``)."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low or abs(high) or 1.0
    raw = span / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


class BurnChart(PlotextPlot):
    """Envelope, cumulative consumption, remaining and projection, month by month."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.months: list[dt.date] = []
        self.series: list[Series] = []
        self.title_text = ""
        self.drawn_for: object = None  # what the data was drawn for (the screen's card)

    def show(self, months: list[dt.date], series: list[Series], title: str, key: object) -> None:
        self.months = months
        self.series = series
        self.title_text = title
        self.drawn_for = key
        self.refresh()

    def _replot(self, width: int) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.title_text)
        if not self.months:
            return
        xs = list(range(len(self.months)))
        for s in self.series:
            pairs = [(x, v / 100) for x, v in zip(xs, s.values, strict=True) if v is not None]
            if pairs:
                plt.plot(
                    [p[0] for p in pairs], [p[1] for p in pairs], label=s.name, marker=s.marker
                )
        step = tick_step(len(xs), width)
        plt.xticks(xs[::step], [m.strftime("%m/%Y") for m in self.months[::step]])
        values = [v / 100 for s in self.series for v in s.values if v is not None]
        if values:
            ticks = euro_ticks(min(values), max(values))
            plt.yticks(ticks, [number(t) for t in ticks])

    def render(self) -> Text:
        self._replot(self.size.width)
        return super().render()
