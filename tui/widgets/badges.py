"""Alert codes as short readable badges, a convention's status, and a consumption bar.

The words come from the store's vocabulary (``store.rules.vocab``); the colours from the
theme, through component classes styled in ``tui/app.tcss`` (``.badge--critical`` …): a
widget that draws these declares ``BADGE_CLASSES`` among its ``COMPONENT_CLASSES`` and
passes its ``get_component_rich_style``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.style import Style
from rich.text import Text

from store.rules.vocab import STATUS_LABELS, alert_label, alert_severity

StyleOf = Callable[..., Style]  # a widget's get_component_rich_style

BADGE_CLASSES = frozenset(
    {
        "badge--critical",
        "badge--warning",
        "badge--info",
        "status--in_force",
        "status--pending",
        "status--upcoming",
        "status--ended",
        "bar--over",
        "bar--high",
        "bar--ok",
        "kpi--met",
        "kpi--short",
        "text--critical",
        "text--warning",
    }
)


def badges(codes: Sequence[str], style_of: StyleOf) -> Text:
    """``["GAP", "OVERDUE"]`` → two badges side by side, coloured by severity."""
    text = Text(no_wrap=True, end="")
    for i, code in enumerate(codes):
        if i:
            text.append(" ")
        text.append(f" {alert_label(code)} ", style=style_of(f"badge--{alert_severity(code)}"))
    return text


def flag(words: str, severity: str, style_of: StyleOf) -> Text:
    """One badge of a severity (``critical``, ``warning``, ``info``)."""
    return Text(f" {words} ", style=style_of(f"badge--{severity}"), end="")


def status_badge(status: str, style_of: StyleOf) -> Text:
    words = STATUS_LABELS.get(status, status)
    return Text(f" {words} ", style=style_of(f"status--{status}"), end="")


def bar(fraction: float | None, style_of: StyleOf, width: int = 4) -> Text:
    """A small consumption bar with its percentage: ``██░░  62%``."""
    if fraction is None:
        return Text("—", style="dim", end="")
    filled = max(0, min(width, round(fraction * width)))
    level = "over" if fraction > 1 else ("high" if fraction > 0.8 else "ok")
    text = Text(end="")
    text.append("█" * filled, style=style_of(f"bar--{level}", partial=True))
    text.append("░" * (width - filled), style="dim")
    text.append(f" {fraction * 100:3.0f}%")
    return text
