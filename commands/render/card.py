"""One startup's card for a person (``startups show``): who, conventions, money, deadlines,
KPIs, FAST, staffing.  Every value from data is ``Text`` (``render.text``), never markup."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

import i18n
from commands.render.money import money_rows
from commands.render.table import Column, table
from commands.render.text import text, visible
from store.fmt import day, eur, months, number, staffing_outlook
from store.queries.card import Card, ConventionCard
from store.rules.vocab import (
    DEADLINE_KIND_LABELS,
    IMPUTATION_LABELS,
    PHASE_LABELS,
    STATUS_LABELS,
    alert_label,
)

_ = i18n.Domain("cli").gettext
ngettext = i18n.Domain("cli").ngettext

STATUS_STYLES = {"in_force": "green", "pending": "yellow", "upcoming": "cyan", "ended": "dim"}


def kind_label(kind: str) -> str:
    return DEADLINE_KIND_LABELS.get(kind, kind)


def imputation_label(key: str) -> str:
    """An imputation field by its label (« domaine fonctionnel »), not its code key."""
    label = IMPUTATION_LABELS.get(key)
    return label.lower() if label is not None else key


def convention_label(c: ConventionCard) -> Text:
    """A convention or an avenant: its name and status, period, money, signatures."""
    name = c.title or (_("Avenant") if c.kind == "avenant" else _("Convention"))
    head = Text(end="")
    head.append(f"#{c.id} ", style="bold")
    head.append(visible(name), style="bold")
    status = STATUS_LABELS.get(c.status, c.status)
    head.append(" — ")
    head.append(status, style=STATUS_STYLES.get(c.status, ""))
    if c.placeholder:
        head.append(" " + _("(known from another text)"), style="dim")
    lines = [head]
    if c.object:
        lines.append(text(c.object, "italic"))
    unknown = _("unknown")
    end = day(c.ends_on) if c.ends_on is not None else _("end unknown")
    if c.ends_on is not None and c.ends_on_precision == "month":
        end += " " + _("(to the month)")
    facts = []
    if c.kind != "avenant" or c.ends_on:
        facts.append(_("period {start} → {end}").format(start=day(c.starts_on), end=end))
    if c.kind != "avenant" or c.ceiling_cents is not None:
        facts.append(_("ceiling {amount}").format(amount=eur(c.ceiling_cents, unknown=unknown)))
    if c.kind != "avenant":
        if c.ceiling_on_cents != c.ceiling_cents or c.ends_on_effective != c.ends_on:
            facts.append(
                _("with avenants: {amount} until {date}").format(
                    amount=eur(c.ceiling_on_cents, unknown=unknown), date=day(c.ends_on_effective)
                )
            )
        facts.append(_("consumed {amount}").format(amount=eur(c.consumed_cents)))
    if facts:
        lines.append(Text(" · ".join(facts), end=""))
    undated = _("not dated")
    signatures = [
        visible(p.short_name or p.name)
        + (f" ({visible(p.role)})" if p.role else "")
        + " : "
        + (day(p.signed_on) if p.signed_on else undated)
        for p in c.parties
    ]
    if c.signed_on is not None:
        signatures.append(_("signed on {date}").format(date=day(c.signed_on)))
    concluded = (
        " → " + _("concluded on {date}").format(date=day(c.concluded_on)) if c.concluded_on else ""
    )
    lines.append(
        Text(
            _("signatures: {list}").format(
                list="; ".join(signatures) if signatures else _("none known")
            )
            + concluded,
            end="",
        )
    )
    if c.schedule:
        lines.append(
            Text(
                _("schedule: {list}").format(
                    list="; ".join(
                        f"{y.year} AE {eur(y.ae_cents, unknown=unknown)}, "
                        f"CP {eur(y.cp_cents, unknown=unknown)}"
                        for y in c.schedule
                    )
                ),
                end="",
            )
        )
    if c.imputation:
        lines.append(
            text(
                _("imputation: {list}").format(
                    list=", ".join(f"{imputation_label(k)} {v}" for k, v in c.imputation.items())
                ),
                "dim",
            )
        )
    return Text("\n", end="").join(lines)


def _head(card: Card) -> Panel:
    a = card.assessment
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    if card.mission:
        grid.add_row(_("Mission"), text(card.mission, multiline=True))
    phase = Text(visible(PHASE_LABELS.get(a.phase, a.phase) if a.phase else "—"), end="")
    if card.phases:
        phase.append("   ")
        for i, p in enumerate(card.phases):
            if i:
                phase.append(" → ", style="dim")
            phase.append(
                f"{visible(PHASE_LABELS.get(p.name, p.name))} ({day(p.start)})",
                style="bold dim" if p.current else "dim",
            )
    grid.add_row(_("Phase"), phase)
    if card.incubator:
        grid.add_row(_("Incubator"), text(f"{card.incubator_title or ''} ({card.incubator})"))
    if card.co_incubators:
        co = ", ".join(f"{title} ({slug})" for slug, title in card.co_incubators)
        grid.add_row(_("Co-incubated by"), text(co))
    if card.sponsors:
        grid.add_row(
            _("Sponsors"),
            text(", ".join(f"{s['acronym'] or s['name']} ({s['slug']})" for s in card.sponsors)),
        )
    for name, url in card.links.items():
        grid.add_row(name.capitalize(), text(url))
    title = Text(end="")
    title.append(visible(card.title), style="bold")
    title.append(f" ({visible(card.slug)})")
    subtitle = _("as of {date}").format(date=day(card.as_of))
    return Panel(grid, title=title, subtitle=subtitle, box=box.ROUNDED)


def _conventions(card: Card) -> Tree:
    tree = Tree(Text(_("Conventions"), style="bold"), guide_style="dim")
    for c in card.conventions:
        branch = tree.add(convention_label(c))
        for avenant in c.avenants:
            branch.add(convention_label(avenant))
    if not card.conventions:
        tree.add(Text(_("no convention"), style="yellow"))
    return tree


def no_convention(a) -> bool:
    """No convention in force, no envelope, none awaiting signature: what the report shows
    as « aucune convention » (its amounts are not known, never 0 €)."""
    return not a.conventions_in_force and not a.envelope_cents and not a.pending_cents


def _money(card: Card) -> Panel:
    a = card.assessment
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    # The values give way (a long deadline title wraps), never the labels.
    grid.add_column(justify="right")
    deadline = a.next_deadline
    unknown = _("unknown")
    none = "—"
    without = no_convention(a)
    if without:
        # None in force on the date (as the report says it): not 0 €.
        envelope = _("no convention")
        remaining = none
    else:
        envelope = eur(a.envelope_cents, unknown=unknown)
        remaining = eur(a.remaining_cents, unknown=unknown)

    def money(cents: int | float) -> str:
        """An amount; with no convention, a sum of nothing recorded is not known: —."""
        return none if without and not cents else eur(cents)

    rate = a.burn_rate_cents_per_month
    rows = [
        (_("Envelope"), envelope),
        (_("Awaiting signature"), money(a.pending_cents)),
        (_("Consumed"), money(a.consumed_cents)),
        (_("Remaining"), remaining),
        (_("Outside any convention"), money(a.unattributed_cents)),
        (
            _("Burn rate (90 days)"),
            none if without and not rate else _("{amount}/month").format(amount=eur(rate)),
        ),
        (_("Runway"), months(a.runway_months)),
        (_("Conventions in force"), str(a.conventions_in_force)),
        (_("Consumption lines"), str(card.lines)),
        (
            _("Next deadline"),
            text(f"{day(deadline.date)} {deadline.title}") if deadline else "—",
        ),
    ]
    zero = eur(0)
    rows[4:4] = [
        (label, none if without and value == zero else value) for label, value in money_rows(a)
    ]
    for label, value in rows:
        grid.add_row(label, value)
    for projection in a.projections:
        outlook = staffing_outlook(projection)
        if outlook is not None:
            grid.add_row(_("Team (#{id})").format(id=projection.convention_id), outlook)
    # One alert a line: a cell that does not wrap would cut the last ones off.
    alerts = "\n".join(alert_label(code) for code in a.alerts)
    grid.add_row(_("Alerts"), Text(alerts, style="bold red") if alerts else _("none"))
    grid.columns[0].min_width = max(cell_len(str(label)) for label in grid.columns[0].cells)
    return Panel(grid, title=_("Budget"), box=box.ROUNDED, expand=False)


def _deadlines(card: Card) -> Table:
    rows = []
    for d in card.deadlines:
        if d.overdue:
            state = Text(alert_label("OVERDUE").upper(), style="bold red")
        elif d.done:
            state = _("done {date}").format(date=day(d.done_on))
        elif d.date < card.as_of:
            state = Text(_("past"), style="dim")
        else:
            days = (d.date - card.as_of).days
            state = ngettext("in {count} day", "in {count} days", days).format(count=days)
        rows.append(
            [
                day(d.date),
                d.title,
                kind_label(d.kind),
                state,
                str(d.id) if d.id is not None else "—",
            ]
        )
    columns = [
        Column(_("Date")),
        Column(_("Deadline"), no_wrap=False),
        Column(_("Kind")),
        Column(_("State")),
        Column(_("Id")),
    ]
    return table(columns, rows, title=_("Deadlines"), title_justify="left")


def _kpis(card: Card) -> Table:
    rows = []
    for k in card.kpis:
        unit = f" {k.unit}" if k.unit else ""
        sign = "≤ " if k.direction == "at_most" else "≥ "
        target = (
            f"{sign}{number(k.target)}{unit}"
            + (" " + _("by {date}").format(date=day(k.target_date)) if k.target_date else "")
            if k.target is not None
            else "—"
        )
        latest = (
            f"{number(k.latest_value)}{unit} ({day(k.latest_date)})"
            if k.latest_value is not None
            else _("none")
        )
        met = {
            True: Text(_("met"), style="green"),
            False: Text(_("not yet"), style="yellow"),
        }.get(k.met, "")
        rows.append([k.metric, target, latest, met])
    columns = [
        Column(name, no_wrap=False)
        for name in (_("Indicator"), _("Target"), _("Latest measurement"), "")
    ]
    return table(columns, rows, title=_("KPIs"), title_justify="left")


def _staffing(card: Card) -> Table:
    rows = [
        [
            st.role,
            number(st.headcount),
            f"{day(st.starts_on)} → {day(st.ends_on)}",
            eur(st.daily_rate_cents),
            f"#{st.convention_id}" if st.convention_id else "—",
        ]
        for st in card.staffing
    ]
    columns = [
        Column(name, no_wrap=False)
        for name in (_("Role"), _("Headcount"), _("Period"), _("Daily rate"), _("Convention"))
    ]
    return table(columns, rows, title=_("Team"), title_justify="left")


def render(card: Card, console: Console) -> None:
    console.print(_head(card))
    console.print(_conventions(card))
    console.print(_money(card))
    if card.deadlines:
        console.print(_deadlines(card))
    if card.kpis:
        console.print(_kpis(card))
    parts = [
        f"FAST {f.number or '?'}"
        + (f" — {visible(f.title)}" if f.title else "")
        + (f" : {eur(f.amount_cents)}" if f.amount_cents is not None else "")
        for f in card.fast
    ]
    if parts:
        console.print(Group(Text("FAST", style="bold"), *(Text(f"  {p}") for p in parts)))
    if card.staffing:
        console.print(_staffing(card))
