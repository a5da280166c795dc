"""Alert codes as short readable badges, and the small cells the tables share."""

from __future__ import annotations

from rich.text import Text

# code → (label, severity): severity picks the colour (critical, warning, info).
ALERTS: dict[str, tuple[str, str]] = {
    "GAP": ("sans convention", "critical"),
    "OVERSPENT": ("dépassé", "critical"),
    "EXPIRING": ("expire", "warning"),
    "UNSIGNED": ("non signée", "warning"),
    "EXHAUSTS_BEFORE_END": ("épuisé avant fin", "warning"),
    "UNATTRIBUTED": ("hors convention", "critical"),
    "ENGAGED_AFTER_END": ("engagé après fin", "warning"),
    "OVERDUE": ("en retard", "critical"),
    "AMOUNT_UNKNOWN": ("montant ?", "info"),
    "UNDERSPEND": ("sous-conso", "info"),
}

# Rich styles by severity; readable on Textual's dark and light themes alike.
SEVERITY_STYLES = {
    "critical": "bold white on #b3261e",
    "warning": "bold black on #f0b429",
    "info": "black on #a6b4c8",
}

STATUS_LABELS = {
    # store.queries.card's statuses (the same as ``startups show``)
    "in_force": ("en vigueur", "bold white on #2e7d32"),
    "pending": ("non signée", "bold black on #f0b429"),
    "upcoming": ("à venir", "black on #a6b4c8"),
    "ended": ("terminée", "white on #5f6b7a"),
}


def alert_label(code: str) -> str:
    return ALERTS.get(code, (code, "info"))[0]


def badges(codes: list[str]) -> Text:
    """``["GAP", "OVERDUE"]`` → two coloured badges side by side."""
    text = Text(no_wrap=True, end="")
    for i, code in enumerate(codes):
        label, severity = ALERTS.get(code, (code, "info"))
        if i:
            text.append(" ")
        text.append(f" {label} ", style=SEVERITY_STYLES[severity])
    return text


def status_badge(status: str) -> Text:
    label, style = STATUS_LABELS.get(status, (status, ""))
    return Text(f" {label} ", style=style, end="")


def bar(fraction: float | None, width: int = 4) -> Text:
    """A small consumption bar with its percentage: ``██░░  62%``."""
    if fraction is None:
        return Text("—", style="dim", end="")
    filled = max(0, min(width, round(fraction * width)))
    style = "red" if fraction > 1 else ("yellow" if fraction > 0.8 else "green")
    text = Text(end="")
    text.append("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    text.append(f" {fraction * 100:3.0f}%")
    return text
