"""One startup: a header card and tabs (overview, conventions, budget, deadlines, consumption,
orders)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    DataTable,
    Header,
    Static,
    TabbedContent,
    TabPane,
    Tree,
)

from store.fmt import day as shown_day
from store.fmt import eur, months, number, staffing_outlook
from store.rules.text import visible
from store.rules.vocab import (
    DEADLINE_KIND_LABELS,
    IMPUTATION_FIELDS,
    LINE_KIND_LABELS,
    PARTY_ROLE_LABELS,
    PHASE_LABELS,
)
from tui.language import N_, Translated, _, ngettext, pgettext
from tui.messages import StartupLoaded
from tui.screens.base import DataScreen
from tui.screens.money import money_rows, month_points, order_totals
from tui.widgets.badges import BADGE_CLASSES, StyleOf, badges, flag, status_badge
from tui.widgets.footer import Footer
from tui.widgets.text import plain

if TYPE_CHECKING:
    from store.queries.browse import ConventionView, StartupCard
    from store.queries.orders import OrderRow

TABS = ("overview", "conventions", "budget", "deadlines", "consumption", "orders")

# The tabs on which the footer names an action's key (every key works on every tab; f and
# p need the order chosen on the Orders tab).  At 80 columns the footer holds six or so
# keys: the overview names every key that creates something, each other tab its own.
# An action not listed is shown as its binding says.
SHOWN_ON = {
    "back": {"conventions", "budget", "deadlines", "consumption", "orders"},
    "new_convention": {"overview", "conventions", "budget"},
    "new_avenant": {"overview", "conventions"},
    "edit": {"conventions", "deadlines", "consumption"},
    "new_line": {"overview", "budget", "consumption"},
    "new_deadline": {"overview", "deadlines"},
    "new_kpi": {"overview"},
    "new_order": {"overview", "budget", "consumption", "orders"},
    "new_service_fait": {"orders"},
    "new_payment": {"orders"},
    "toggle_done": {"deadlines"},
    "app.import_convention": {"conventions"},
    "brief": {"budget", "orders"},
    "history": {"consumption"},
    "new_committee": {"deadlines"},
    "decide": {"deadlines"},
}


def _money(cents: int | float | None) -> str:
    return eur(cents, unknown=_("unknown"))


SUPPLIER_WIDTH = 16  # cells of a supplier's name in the Orders table (whole under it)


def _cut(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    return text


def _exact(cents: int) -> str:
    """An order's amount to the cent when it has cents (as Chorus gives it)."""
    return eur(cents, decimals=bool(cents % 100))


def _day(value: dt.date | None, unknown: str = "—") -> str:
    return shown_day(value) if value is not None else unknown


def _number(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    text = number(round(value, 1))
    return f"{text} {unit}" if unit and unit != "/5" else (f"{text}/5" if unit == "/5" else text)


def card_text(card: StartupCard, style_of: StyleOf) -> Group:
    """The header card: who, what, and the money in one glance (one line each)."""
    a = card.assessment
    first = Text(no_wrap=True, overflow="ellipsis")
    first.append(visible(card.title), style="bold")
    phase = PHASE_LABELS.get(a.phase, a.phase) if a.phase else _("phase unknown")
    first.append(f"  {visible(phase)}", style="italic")
    if card.sponsors:
        first.append(_(" · sponsors: {names}").format(names=visible(", ".join(card.sponsors))))
    if card.incubator:
        first.append(_(" · incubator: {name}").format(name=visible(card.incubator)), style="dim")
    lines = [first]
    if card.mission:
        lines.append(
            Text(
                visible(card.mission.strip().replace("\n", " ")),
                style="dim",
                no_wrap=True,
                overflow="ellipsis",
            )
        )
    money = Text(no_wrap=True, overflow="ellipsis")
    if a.alerts:
        money.append_text(badges(a.alerts, style_of))
        money.append("  ")
    money.append(money_line(a))
    lines.append(money)
    return Group(*lines)


def money_line(a, *, capital: bool = False) -> str:
    """Envelope, consumed, left; a startup with no convention says so (never 0 €)."""
    if not a.conventions_in_force and not a.envelope_cents:
        text = _("No convention in force") if capital else _("no convention in force")
        if a.consumed_cents:
            text += _(" · consumed {consumed}").format(consumed=_money(a.consumed_cents))
        return text
    template = (
        _("Envelope {envelope} · consumed {consumed} · left {left}")
        if capital
        else _("envelope {envelope} · consumed {consumed} · left {left}")
    )
    return template.format(
        envelope=_money(a.envelope_cents),
        consumed=_money(a.consumed_cents),
        left=_money(a.remaining_cents),
    )


def phase_timeline(card: StartupCard) -> Text:
    text = Text()
    for i, phase in enumerate(card.phases):
        if i:
            text.append("  →  ", style="dim")
        style = "bold reverse" if phase.current else ""
        text.append(f" {visible(PHASE_LABELS.get(phase.name, phase.name))} ", style=style)
        text.append(f" {_day(phase.start, '?')}", style="dim")
    if not card.phases:
        text.append(_("no phase known"), style="dim italic")
    return text


def _without_convention(a) -> bool:
    """No convention in force, no envelope, none awaiting signature: the report's
    « aucune convention », whose amounts are not known (never 0 €)."""
    return not a.conventions_in_force and not a.envelope_cents and not a.pending_cents


def budget_summary(card: StartupCard) -> Table:
    a = card.assessment
    if _without_convention(a):
        return _budget_without_convention(card)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_row(
        _("Envelope"),
        _money(a.envelope_cents),
        _("Conventions in force"),
        number(a.conventions_in_force),
    )
    table.add_row(
        _("Consumed"), _money(a.consumed_cents), _("Pending (unsigned)"), _money(a.pending_cents)
    )
    table.add_row(
        _("Left"),
        _money(a.remaining_cents),
        _("Pace (90 d)"),
        _("{amount}/month").format(amount=_money(a.burn_rate_cents_per_month)),
    )
    runway = a.runway_months
    table.add_row(
        _("Outside a convention"),
        _money(a.unattributed_cents),
        _("Runway"),
        months(runway),
    )
    for row in money_rows(a):
        table.add_row(*row)
    return table


def _budget_without_convention(card: StartupCard) -> Table:
    """The budget summary of a startup with no convention: « aucune convention », and —
    for every sum of nothing recorded (the real sum where lines are recorded)."""
    a = card.assessment
    none = "—"

    def money(cents: int | float) -> str:
        return _money(cents) if cents else none

    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_column(style="dim")
    table.add_column(justify="right")
    rate = a.burn_rate_cents_per_month
    table.add_row(_("Envelope"), _("no convention in force"), _("Conventions in force"), number(0))
    table.add_row(
        _("Consumed"), money(a.consumed_cents), _("Pending (unsigned)"), money(a.pending_cents)
    )
    table.add_row(
        _("Left"),
        none,
        _("Pace (90 d)"),
        _("{amount}/month").format(amount=_money(rate)) if rate else none,
    )
    table.add_row(_("Outside a convention"), money(a.unattributed_cents), _("Runway"), none)
    zero = _money(0)
    for row in money_rows(a):
        table.add_row(*(none if i % 2 and cell == zero else cell for i, cell in enumerate(row)))
    return table


def convention_detail(c: ConventionView, card: StartupCard, style_of: StyleOf) -> Group:
    parts: list = []
    title = plain(c.label, "bold", end="\n")
    title.append("  ")
    title.append_text(status_badge(c.status, style_of))
    if c.placeholder:
        title.append(_("  known from another text"), style="italic dim")
    parts.append(title)
    if c.object:
        parts.append(plain(c.object, "italic", multiline=True, end="\n"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    facts.add_row(
        _("Kind"),
        (_("avenant no. {number}").format(number=c.number) if c.number else _("avenant"))
        if c.kind == "avenant"
        else _("convention"),
    )
    if c.kind == "avenant":
        parent = next((p for p in card.conventions if p.id == c.parent_id), None)
        facts.add_row(_("Amends"), plain(parent.label if parent else "?"))
    facts.add_row(_("Signature"), _day(c.signed_on, "—"))
    facts.add_row(_("Concluded on"), _day(c.concluded_on, _("unsigned")))
    facts.add_row(_("Start"), _day(c.starts_on, _("at conclusion")))
    end = _day(c.ends_on, _("unknown (end)"))
    if c.ends_on_precision == "month":
        end += _(" (to the month)")
    if c.effective_ends_on and c.effective_ends_on != c.ends_on:
        end += _(" → {day} by avenant").format(day=shown_day(c.effective_ends_on))
    facts.add_row(_("End"), end)
    ceiling = _money(c.ceiling_cents)
    if (
        c.kind != "avenant"
        and c.effective_ceiling_cents is not None
        and c.effective_ceiling_cents != c.ceiling_cents
    ):
        ceiling += _(" → {amount} by avenant").format(amount=_money(c.effective_ceiling_cents))
    facts.add_row(_("Ceiling"), ceiling)
    if c.kind != "avenant":
        facts.add_row(_("Consumed"), _money(c.consumed_cents))
    facts.add_row(_("Source"), plain(c.source_file or "—"))
    parts.append(facts)
    if c.parties:
        parts.append(Text(_("Parties"), style="bold"))
        for p in c.parties:
            line = Text()
            line.append(PARTY_ROLE_LABELS.get(p.role or "", p.role or "—"), style="bold")
            line.append(f" — {visible(p.name)}")
            if p.short_name:
                line.append(f" ({visible(p.short_name)})", style="dim")
            line.append("\n  ")
            line.append(visible(p.representative or _("representative unknown")))
            if p.representative_title:
                line.append(f", {visible(p.representative_title)}", style="dim")
            line.append(_("\n  signed on "))
            line.append(_day(p.signed_on, _("— (date not given)")))
            parts.append(line)
    if c.schedule:
        parts.append(Text(_("AE / CP schedule"), style="bold"))
        table = Table(box=None, padding=(0, 1), header_style="dim")
        table.add_column(_("Year"))
        table.add_column("AE", justify="right")
        table.add_column("CP", justify="right")
        for s in c.schedule:
            table.add_row(str(s.year), _money(s.ae_cents), _money(s.cp_cents))
        parts.append(table)
    if c.imputation:
        parts.append(Text(_("Imputation"), style="bold"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        for key, label in IMPUTATION_FIELDS:
            if key in c.imputation:
                table.add_row(label, plain(c.imputation[key]))
        parts.append(table)
    if c.evidence:
        parts.append(evidence_table(c))
    if c.notes:
        parts.append(Text(_("Notes"), style="bold"))
        parts.append(plain(c.notes, "italic", multiline=True, end="\n"))
    return Group(*parts)


EVIDENCE_WIDTH = 160  # characters of the quoted line (wrapped in the pane)


def _excerpt(text: str, width: int = EVIDENCE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def evidence_table(c: ConventionView) -> Group:
    """Where the imported text says each fact: field, line number, the quoted line."""
    heading = Text(pgettext("heading", "Evidence"), style="bold")
    heading.append(f" — {visible(c.source_file or _('imported text'))}", style="")
    if c.source_sha256:
        heading.append(f" · sha256 {c.source_sha256[:12]}…", style="dim")
    table = Table(box=None, padding=(0, 1), header_style="dim", show_edge=False)
    table.add_column(_("Field"), no_wrap=True, style="dim")
    table.add_column(_("Line"), justify="right", no_wrap=True)
    table.add_column(_("Text"), overflow="fold")
    rows = [(name, w) for name, w in c.evidence.items() if isinstance(w, dict)]
    rows.sort(key=lambda row: (row[1].get("line") or 0, row[0]))
    for name, where in rows:
        line = where.get("line")
        table.add_row(
            plain(name),
            "?" if line is None else str(line),
            plain(_excerpt(where.get("text") or "")),
        )
    return Group(heading, table)


class StartupScreen(Translated, DataScreen):
    """A startup as of ``app.as_of``."""

    AUTO_FOCUS = "#tabs Tabs"
    COMPONENT_CLASSES: ClassVar[set[str]] = set(BADGE_CLASSES)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("1", "tab('overview')", N_("Overview"), show=False),
        Binding("2", "tab('conventions')", N_("Conventions"), show=False),
        Binding("3", "tab('budget')", N_("Budget"), show=False),
        Binding("4", "tab('deadlines')", N_("Deadlines"), show=False),
        Binding("5", "tab('consumption')", N_("Consumption"), show=False),
        Binding("6", "tab('orders')", N_("Orders"), show=False),
        Binding("c", "new_convention", N_("Convention")),
        Binding("v", "new_avenant", N_("Avenant")),
        Binding("e", "edit", N_("Edit")),
        Binding("l", "new_line", N_("Expense")),
        Binding("n", "new_deadline", N_("Deadline")),
        Binding("k", "new_kpi", N_("KPI")),
        Binding("o", "new_order", N_("Order")),
        Binding("f", "new_service_fait", N_("Service fait")),
        Binding("p", "new_payment", N_("Payment")),
        Binding("x", "toggle_done", N_("Done"), show=False),
        Binding("m", "new_measurement", N_("KPI measure"), show=False),
        Binding("i", "app.import_convention", N_("Import"), show=False),
        Binding("b", "brief", N_("Brief"), show=False),
        Binding("h", "history", N_("History"), show=False),
        Binding("C", "new_committee", N_("Committee"), show=False),
        Binding("D", "decide", N_("Decision"), show=False),
    ]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.card: StartupCard | None = None
        self._chart = None
        self._select_convention: int | None = None  # to select once the card is shown
        self.orders: list[OrderRow] = []
        self.burn: list = []  # tui.screens.money.MonthPoint

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static(plain(self.slug), id="card")
        with TabbedContent(id="tabs"):
            with TabPane(_("Overview"), id="overview"), VerticalScroll():
                yield Static(id="links")
                yield Static(_("Phases"), classes="section-title")
                yield Static(id="timeline")
                yield Static(_("Budget"), classes="section-title")
                yield Static(id="summary")
                yield Static(_("KPI: target and latest measure"), classes="section-title")
                yield DataTable(id="kpis", cursor_type="row", zebra_stripes=True)
                yield Static(_("no KPI: k adds one"), id="no-kpi", classes="empty")
                yield Static("FAST", classes="section-title")
                yield Static(id="fast")
            with TabPane(_("Conventions"), id="conventions"), Horizontal(id="conventions-split"):
                yield Tree(_("Conventions"), id="convention-tree")
                with VerticalScroll(id="convention-detail"):
                    yield Static(id="convention-info")
            with TabPane(_("Budget"), id="budget"), Vertical(id="budget-pane"):
                yield Static(id="budget-summary")
                yield Vertical(id="chart-holder")
                yield DataTable(id="burn-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Deadlines"), id="deadlines"):
                yield DataTable(id="deadline-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Consumption"), id="consumption"):
                yield DataTable(id="line-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Orders"), id="orders"), Vertical(id="orders-pane"):
                yield Static(id="orders-summary")
                yield DataTable(id="order-table", cursor_type="row", zebra_stripes=True)
                yield Static(_("no purchase order: o adds one"), id="no-order", classes="empty")
                yield Static(id="order-detail")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#kpis", DataTable).add_columns(
            _("KPI"), _("Target"), _("By"), _("Latest measure"), _("On")
        )
        self.query_one("#burn-table", DataTable).add_columns(
            _("Month"), _("Envelope"), _("Engaged"), _("Paid"), _("Left"), _("Projection")
        )
        self.query_one("#order-table", DataTable).add_columns(
            _("EJ"),
            _("Date"),
            _("Supplier"),
            _("Engaged"),
            _("Serv. fait"),
            _("Paid"),
            _("To pay"),
            _("Alerts"),
            _("Status"),
        )
        self.query_one("#deadline-table", DataTable).add_columns(
            _("Date"), _("Kind"), _("State"), _("Deadline")
        )
        self.query_one("#line-table", DataTable).add_columns(
            _("Date"), _("Label"), _("Kind"), _("Amount"), _("Charged to")
        )
        self.query_one("#convention-tree", Tree).show_root = False
        if getattr(self, "_initial_tab", None):
            self.action_tab(self._initial_tab)

    # --- loading ------------------------------------------------------------------------

    def set_loading(self, loading: bool) -> None:
        self.query_one("#tabs").loading = loading

    def load(self) -> None:
        self._load(self.slug, self.app.as_of)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="startup")
    def _load(self, slug: str, as_of: dt.date) -> None:
        from store.queries.browse import startup_card
        from store.queries.burn import load as burn_series
        from store.queries.orders import orders_of

        with self.app.reader() as reader:
            card = startup_card(reader, slug, as_of)
            orders = orders_of(reader, slug, as_of)
            burn = month_points(burn_series(reader, slug, as_of))
        self.post_message(StartupLoaded(card, orders, burn))

    def on_startup_loaded(self, message: StartupLoaded) -> None:
        card = message.card
        if card.as_of != self.app.as_of:
            return
        self.card = card
        self.orders = message.orders or []
        self.burn = message.burn or []
        self.sub_title = visible(card.title)
        self.query_one("#card", Static).update(card_text(card, self.get_component_rich_style))
        self._show_overview(card)
        self._show_conventions(card)
        self._show_budget(card)
        self._show_deadlines(card)
        self._show_lines(card)
        self._show_orders(card)
        self.applied()

    def _show_overview(self, card: StartupCard) -> None:
        self.query_one("#timeline", Static).update(phase_timeline(card))
        links = self.query_one("#links", Static)
        links.update(
            plain(
                "  ".join(
                    _("{name}: {url}").format(name=name, url=url) for name, url in card.links
                ),
                "dim",
            )
        )
        links.display = bool(card.links)
        self.query_one("#summary", Static).update(budget_summary(card))
        kpis = self.query_one("#kpis", DataTable)
        kpis.clear()
        for k in card.kpis:
            latest = plain(_number(k.latest, k.unit))
            if k.latest is not None and k.target is not None:
                reached = k.latest >= k.target if k.direction != "at_most" else k.latest <= k.target
                latest.stylize(
                    self.get_component_rich_style(
                        f"kpi--{'met' if reached else 'short'}", partial=True
                    )
                )
            kpis.add_row(
                plain(k.metric),
                plain(_number(k.target, k.unit)),
                _day(k.target_date),
                latest,
                _day(k.latest_on),
                key=str(k.objective_id),
            )
        kpis.display = bool(card.kpis)
        self.query_one("#no-kpi").display = not card.kpis
        fast = Text()
        for award in card.fast:
            fast.append(visible(award.promotion or "FAST"), style="bold")
            fast.append(f" · {_money(award.amount_cents)}\n")
        if not card.fast:
            fast.append(_("no FAST funding"), style="dim italic")
        self.query_one("#fast", Static).update(fast)

    def _show_conventions(self, card: StartupCard) -> None:
        tree = self.query_one("#convention-tree", Tree)
        selected = tree.cursor_node.data.id if tree.cursor_node and tree.cursor_node.data else None
        tree.clear()

        def label(c: ConventionView) -> Text:
            text = plain(c.label)
            text.no_wrap, text.overflow = True, "ellipsis"
            text.append(" ")
            text.append_text(status_badge(c.status, self.get_component_rich_style))
            return text

        def add(node, c: ConventionView) -> None:
            children = card.children(c.id)
            if children:
                branch = node.add(label(c), data=c, expand=True)
                for child in children:
                    add(branch, child)
            else:
                node.add_leaf(label(c), data=c)

        for root in card.roots:
            add(tree.root, root)
        tree.root.expand()
        line = 0
        if self._select_convention is not None:
            selected, self._select_convention = self._select_convention, None
        if selected is not None:
            # Every branch is expanded and the root hidden: a node's line is its rank in
            # the walk (node.line is only known once the tree has been drawn).
            for rank, node in enumerate(_walk(tree.root)):
                if node.data is not None and node.data.id == selected:
                    line = rank - 1
        tree.cursor_line = line
        self._show_convention(tree.cursor_node.data if tree.cursor_node else None)

    def _show_convention(self, c: ConventionView | None) -> None:
        info = self.query_one("#convention-info", Static)
        if c is None or self.card is None:
            info.update(Text(_("No convention: c adds one."), style="dim italic"))
        else:
            info.update(convention_detail(c, self.card, self.get_component_rich_style))

    @on(Tree.NodeHighlighted, "#convention-tree")
    def _convention_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self._show_convention(event.node.data)

    def _show_budget(self, card: StartupCard) -> None:
        a = card.assessment
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(money_line(a, capital=True))
        runway = a.runway_months
        if runway is not None:
            line.append(_(" · runway {months}").format(months=months(runway)))
        for projection in a.projections:
            outlook = staffing_outlook(projection)
            if outlook is not None:
                line.append(
                    _("\nConvention #{id}, {outlook}").format(
                        id=projection.convention_id, outlook=outlook
                    )
                )
        self.query_one("#budget-summary", Static).update(line)
        table = self.query_one("#burn-table", DataTable)
        table.clear()
        current = card.as_of.replace(day=1)
        for point in self.burn:
            style = "bold" if point.month == current else ""
            table.add_row(
                Text(point.month.strftime("%m/%Y"), style=style),
                _money(point.envelope_cents),
                "—" if point.engaged_cents is None else _money(point.engaged_cents),
                "—" if point.paid_cents is None else _money(point.paid_cents),
                "—" if point.remaining_cents is None else _money(point.remaining_cents),
                "—" if point.projected_cents is None else _money(point.projected_cents),
            )
        if not self.burn:
            table.add_row("—", Text(_("no funding period"), style="dim"), "", "", "", "")
        if self._chart is not None:
            self._draw_chart()

    def _draw_chart(self) -> None:
        card = self.card
        if card is None:
            return
        from tui.widgets.burn_chart import BurnChart, Series

        if self._chart is None:
            self._chart = BurnChart(id="burn-chart")
            self.query_one("#chart-holder").mount(self._chart)
        points = self.burn
        if not points:
            title = _("No funding period on {day}").format(day=shown_day(card.as_of))
        else:
            title = _("Burn-down on {day} (€)").format(day=shown_day(card.as_of))
        self._chart.show(
            [p.month for p in points],
            [
                Series(_("envelope"), [p.envelope_cents for p in points]),
                Series(_("engaged (AE)"), [p.engaged_cents for p in points]),
                Series(_("paid (CP)"), [p.paid_cents for p in points]),
                Series(_("left"), [p.remaining_cents for p in points]),
                Series(_("projection"), [p.projected_cents for p in points], marker="dot"),
            ],
            title,
            key=card,
        )

    @property
    def ready(self) -> bool:
        """The card is shown, and so is its chart when the Budget tab is the active one."""
        if not super().ready:
            return False
        if self.active_tab != "budget":
            return True
        chart = self._chart
        return (
            chart is not None
            and chart.drawn_for is self.card
            and chart.is_mounted
            and chart.size.area > 0
        )

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "budget" and self._chart is None and self.card is not None:
            self._draw_chart()
        self.refresh_bindings()  # the footer names the keys of the tab shown (SHOWN_ON)

    def _show_deadlines(self, card: StartupCard) -> None:
        table = self.query_one("#deadline-table", DataTable)
        table.clear()
        for d in card.deadlines:
            if d.done:
                state = Text(
                    _("done on {day}").format(day=shown_day(d.done_on)) if d.done_on else _("done"),
                    style=self.get_component_rich_style("kpi--met", partial=True),
                )
            elif d.overdue:
                state = flag(_("overdue"), "critical", self.get_component_rich_style)
            elif d.kind == "committee":
                state = Text(_("beta.gouv.fr committee"), style="dim")
            elif d.derived:
                state = Text(_("derived from the convention"), style="dim")
            else:
                state = Text(_("in {days} d").format(days=number((d.date - card.as_of).days)))
            style = (
                self.get_component_rich_style("text--critical", partial=True)
                if d.overdue
                else ("dim" if d.done else "")
            )
            table.add_row(
                Text(shown_day(d.date), style=style),
                DEADLINE_KIND_LABELS.get(d.kind, d.kind),
                state,
                plain(d.title, style),
                key=d.ref,
            )

    def _show_orders(self, card: StartupCard) -> None:
        from store.queries.orders import status_label

        table = self.query_one("#order-table", DataTable)
        selected = self._selected_key("#order-table")
        table.clear()
        style_of = self.get_component_rich_style
        for order in self.orders:
            dim = "dim" if order.status in ("closed", "cancelled") else ""
            alerts = order.alerts(card.as_of)
            table.add_row(
                plain(order.ej or f"#{order.id}", dim),
                Text(shown_day(order.date), style=dim),
                _cut(plain(order.supplier or "—", dim), SUPPLIER_WIDTH),
                *(
                    Text(_exact(cents), style=dim, justify="right")
                    for cents in (
                        order.engaged_cents,
                        order.service_fait_cents,
                        order.paid_cents,
                        order.to_pay_cents,
                    )
                ),
                badges(alerts, style_of) if alerts else Text("—", style="dim"),
                Text(status_label(order.status), style=dim),
                key=str(order.id),
            )
        if selected is not None and any(str(o.id) == selected for o in self.orders):
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        table.display = bool(self.orders)
        self.query_one("#no-order").display = not self.orders
        totals = order_totals(self.orders)
        lines: list[Text] = []
        if self.orders:
            lines.append(
                Text(
                    ngettext(
                        "{n} purchase order on {day}", "{n} purchase orders on {day}", totals.count
                    ).format(n=number(totals.count), day=shown_day(card.as_of)),
                    style="bold",
                )
            )
            lines.append(
                Text(
                    _(
                        "engaged {engaged} · service fait {done} · paid {paid} · to pay {to_pay}"
                    ).format(
                        engaged=_exact(totals.engaged_cents),
                        done=_exact(totals.service_fait_cents),
                        paid=_exact(totals.paid_cents),
                        to_pay=_exact(totals.to_pay_cents),
                    ),
                    no_wrap=True,
                    overflow="ellipsis",
                )
            )
        summary = Group(*lines)
        self.query_one("#orders-summary", Static).update(summary)
        self._show_order(self.selected_order())

    def _show_order(self, order: OrderRow | None) -> None:
        """The order chosen, whole: what the table cuts at 80 columns (its alerts first)."""
        from store.queries.orders import status_label
        from tui.screens.order_forms import order_name

        detail = self.query_one("#order-detail", Static)
        card = self.card
        if order is None or card is None:
            detail.update("")
            return
        text = Text()
        alerts = order.alerts(card.as_of)
        if alerts:
            text.append_text(badges(alerts, self.get_component_rich_style))
            text.append("  ")
        text.append(visible(order_name(order)), style="bold")
        text.append(f" · {visible(order.supplier or '—')}")
        text.append(f" · {status_label(order.status)}", style="italic")
        if order.expected_on is not None:
            text.append(
                _(" · delivery expected {day}").format(day=shown_day(order.expected_on)),
                style="dim",
            )
        text.append("\n")
        if order.convention_id is None:
            text.append_text(
                flag(_("outside a convention"), "critical", self.get_component_rich_style)
            )
        else:
            label = next((c.label for c in card.conventions if c.id == order.convention_id), "")
            text.append(visible(label or f"#{order.convention_id}"), style="dim")
        if order.label:
            text.append(f" · {visible(order.label)}", style="dim")
        text.append("\n")
        text.append(_("f records a service fait, p a payment of this order"), style="dim italic")
        detail.update(text)

    @on(DataTable.RowHighlighted, "#order-table")
    def _order_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_order(self.selected_order())

    def _show_lines(self, card: StartupCard) -> None:
        table = self.query_one("#line-table", DataTable)
        table.clear()
        for line in card.lines:
            style = "dim" if line.future else ""
            counted = (
                plain(line.counted, style)
                if line.counted
                else flag(_("outside a convention"), "critical", self.get_component_rich_style)
            )
            table.add_row(
                Text(shown_day(line.date), style=style),
                plain(line.label, style),
                LINE_KIND_LABELS.get(line.kind, line.kind),
                Text(_money(line.amount_cents), style=style, justify="right"),
                counted,
                key=str(line.id),
            )

    # --- actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def show_convention(self, convention_id: int | None) -> None:
        """Open the Conventions tab on this convention (when the card is next shown)."""
        self._select_convention = convention_id
        if self.is_mounted:
            self.action_tab("conventions")
            if self.card is not None and self._applied_key == self.data_key():
                # The card shown is already the current one (its load may finish before
                # this is called, after an import): select now, not at a next load.
                self._show_conventions(self.card)
        else:
            self._initial_tab = "conventions"

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the footer names: those of the tab shown (``SHOWN_ON``)."""
        shown = super().active_bindings
        if not self.is_mounted:
            return shown
        tab = self.active_tab
        for key, active in shown.items():
            tabs = SHOWN_ON.get(active.binding.action) if active.node is self else None
            if tabs is not None and active.binding.show != (tab in tabs):
                binding = dataclasses.replace(active.binding, show=tab in tabs)
                shown[key] = active._replace(binding=binding)
        return shown

    def selected_convention(self) -> ConventionView | None:
        node = self.query_one("#convention-tree", Tree).cursor_node
        return node.data if node is not None else None

    def _selected_key(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_deadline(self):
        key = self._selected_key("#deadline-table")
        if self.card is None or key is None:
            return None
        return next((d for d in self.card.deadlines if d.ref == key and d.id is not None), None)

    def selected_order(self) -> OrderRow | None:
        key = self._selected_key("#order-table")
        if key is None:
            return None
        return next((o for o in self.orders if str(o.id) == key), None)

    def selected_line(self):
        key = self._selected_key("#line-table")
        if self.card is None or key is None:
            return None
        return next((line for line in self.card.lines if str(line.id) == key), None)

    def _form(self, screen) -> None:
        if not self.app.refuse_write():
            self.app.push_screen(screen)

    def action_new_convention(self) -> None:
        from tui.screens.forms import ConventionForm

        if self.card is not None:
            self._form(ConventionForm(self.card, kind="convention"))

    def action_new_avenant(self) -> None:
        from tui.screens.forms import ConventionForm

        if self.card is None:
            return
        selected = self.selected_convention()
        parent = None
        if selected is not None:
            parent = selected.parent_id if selected.kind == "avenant" else selected.id
        self._form(ConventionForm(self.card, kind="avenant", parent_id=parent))

    def action_edit(self) -> None:
        from tui.screens.forms import ConventionForm, DeadlineForm, KpiForm, LineForm

        if self.card is None:
            return
        tab = self.active_tab
        if tab == "overview":
            kpi = self.selected_kpi()
            if kpi is None:
                self.notify(_("No KPI to edit: k creates one."))
            else:
                self._form(KpiForm(self.card, kpi=kpi))
        elif tab == "conventions":
            selected = self.selected_convention()
            if selected is not None:
                self._form(ConventionForm(self.card, convention_id=selected.id))
        elif tab == "deadlines":
            deadline = self.selected_deadline()
            if deadline is None:
                self.notify(
                    _("A deadline derived from a convention is edited with the convention.")
                )
            else:
                self._form(DeadlineForm(self.card, deadline=deadline))
        elif tab == "consumption":
            line = self.selected_line()
            if line is not None:
                self._form(LineForm(self.card, line=line))
        else:
            self.notify(
                _("Choose a KPI, a convention, a deadline or an expense (tabs 1, 2, 4, 5).")
            )

    def action_new_line(self) -> None:
        from tui.screens.forms import LineForm

        if self.card is not None:
            self._form(LineForm(self.card))

    def action_new_deadline(self) -> None:
        from tui.screens.forms import DeadlineForm

        if self.card is not None:
            self._form(DeadlineForm(self.card))

    def action_new_order(self) -> None:
        from tui.screens.order_forms import OrderForm

        if self.card is not None:
            self._form(OrderForm(self.card))

    def _order_form(self, form_class) -> None:
        if self.card is None:
            return
        order = self.selected_order() if self.active_tab == "orders" else None
        if order is None:
            self.notify(_("Choose an order on the Orders tab (6), or o adds one."))
            return
        self._form(form_class(self.card, order))

    def action_new_service_fait(self) -> None:
        from tui.screens.order_forms import ServiceFaitForm

        self._order_form(ServiceFaitForm)

    def action_new_payment(self) -> None:
        from tui.screens.order_forms import PaymentForm

        self._order_form(PaymentForm)

    def selected_kpi(self):
        key = self._selected_key("#kpis")
        if self.card is None or key is None:
            return None
        return next((k for k in self.card.kpis if str(k.objective_id) == key), None)

    def action_new_kpi(self) -> None:
        from tui.screens.forms import KpiForm

        if self.card is not None:
            self._form(KpiForm(self.card))

    def action_new_measurement(self) -> None:
        """A measurement of the KPI chosen on the overview (else the first one); with no KPI
        yet, the form that creates one (then ``m`` measures it)."""
        from tui.screens.forms import KpiForm, MeasurementForm

        if self.card is None or self.app.refuse_write():
            return
        if not self.card.kpis:
            note = _("This startup has no KPI yet: create it here, then m measures it.")
            self.app.push_screen(KpiForm(self.card, note=note))
            return
        kpi = self.selected_kpi() if self.active_tab == "overview" else None
        objective = kpi.objective_id if kpi is not None else None
        self.app.push_screen(MeasurementForm(self.card, objective_id=objective))

    def action_brief(self) -> None:
        self.app.action_brief(self.slug)

    def action_history(self) -> None:
        self.app.action_history(self.slug)

    def action_new_committee(self) -> None:
        from tui.screens.committee_form import CommitteeForm

        if self.card is not None:
            self._form(CommitteeForm(self.card))

    def action_decide(self) -> None:
        from tui.screens.committee_form import DecisionForm

        if self.card is not None:
            self._form(DecisionForm(self.card))

    def action_toggle_done(self) -> None:
        if self.app.refuse_write():
            return
        deadline = self.selected_deadline() if self.active_tab == "deadlines" else None
        if deadline is None:
            self.notify(_("Choose a deadline that was entered (tab 4)."))
            return
        # Done today, whatever date the screen shows (the as-of date is a view, not a clock).
        self._set_done(deadline.id, not deadline.done, dt.date.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="done")
    def _set_done(self, deadline_id: int, done: bool, on: dt.date) -> None:
        from store.ops.edit import set_deadline_done

        set_deadline_done(self.app.store(), deadline_id, done, on)
        self.app.call_from_thread(self.app.saved)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)
