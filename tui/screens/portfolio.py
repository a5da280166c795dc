"""The portfolio: one row per startup, sorted, filtered, with the totals under it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, Header, Input, Select, Static

from store.fmt import eur  # babel, as the CLI writes euros
from store.rules.text import fold  # lower case without accents: "classe a" finds "Classe à 12"
from tui.messages import PortfolioLoaded
from tui.screens.base import DataScreen
from tui.widgets.badges import alert_label, badges, bar
from tui.widgets.footer import Footer
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from textual.timer import Timer

    from store.queries.report import StartupRow

PHASE_ORDER = ["investigation", "construction", "acceleration", "consolidation"]
LOADING_DELAY = 0.3  # seconds a load lasts before the loading indicator shows
# Rows read first and shown before the rest of a large portfolio (more than a screen).
FIRST_PAGE = 100
FIRST_PAGE_WAIT = 0.5  # seconds the worker waits at most for the first page to be drawn


def _money(cents: int | float | None) -> str:
    return eur(cents, unknown="?")


def _runway(months: float | None) -> str:
    if months is None:
        return "—"
    return f"{months:.1f}".replace(".", ",") + " m"


def _nulls_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value if value is not None else 0)


def _consumed_fraction(row: StartupRow) -> float | None:
    a = row.assessment
    if not a.envelope_cents:
        return None
    return a.consumed_cents / a.envelope_cents


def _consumed_cell(row: StartupRow, table: VirtualTable) -> Text:
    fraction = _consumed_fraction(row)
    if fraction is None:
        return Text(_money(row.assessment.consumed_cents), end="")
    return bar(fraction)


def _deadline_cell(row: StartupRow, table: VirtualTable) -> Text:
    deadline = row.assessment.next_deadline
    if deadline is None:
        return Text("—", style="dim", end="")
    days = (deadline.date - row.assessment.as_of).days
    style = "bold" if days <= 30 else ""
    return Text(deadline.date.isoformat(), style=style, end="")


def _alerts_cell(row: StartupRow, table: VirtualTable) -> Text:
    return badges(row.assessment.alerts) if row.assessment.alerts else Text("—", style="dim")


COLUMNS: list[Column[StartupRow]] = [
    Column("title", "Startup", 14, lambda r, t: r.title, lambda r: fold(r.title), flex=True),
    Column(
        "phase",
        "Phase",
        12,
        lambda r, t: r.phase or "—",
        lambda r: (
            r.phase is None,
            PHASE_ORDER.index(r.phase) if r.phase in PHASE_ORDER else 9,
            r.phase or "",
        ),
        priority=4,
    ),
    Column(
        "incubator",
        "Incubateur",
        10,
        lambda r, t: r.incubator or "—",
        lambda r: r.incubator or "~",
        priority=7,
    ),
    Column(
        "sponsors",
        "Sponsors",
        10,
        lambda r, t: ", ".join(r.sponsors) or "—",
        lambda r: ", ".join(r.sponsors) or "~",
        priority=6,
    ),
    Column(
        "envelope",
        "Enveloppe",
        11,
        lambda r, t: _money(r.assessment.envelope_cents),
        lambda r: _nulls_last(r.assessment.envelope_cents),
        justify="right",
        priority=1,
    ),
    Column(
        "consumed",
        "Consommé",
        10,
        _consumed_cell,
        lambda r: _nulls_last(_consumed_fraction(r)),
        priority=3,
    ),
    Column(
        "remaining",
        "Reste",
        11,
        lambda r, t: _money(r.assessment.remaining_cents),
        lambda r: _nulls_last(r.assessment.remaining_cents),
        justify="right",
        priority=2,
    ),
    Column(
        "runway",
        "Autonomie",
        9,
        lambda r, t: _runway(r.assessment.runway_months),
        lambda r: _nulls_last(r.assessment.runway_months),
        justify="right",
        priority=5,
    ),
    Column(
        "deadline",
        "Échéance",
        10,
        _deadline_cell,
        lambda r: _nulls_last(
            r.assessment.next_deadline.date if r.assessment.next_deadline else None
        ),
        priority=2,
    ),
    Column(
        "alerts",
        "Alertes",
        12,
        _alerts_cell,
        lambda r: (-len(r.assessment.alerts), r.assessment.alerts),
        priority=1,
        flex=True,
    ),
]


class PortfolioTable(VirtualTable):
    """The portfolio's rows (``store.queries.report.StartupRow``)."""


class PortfolioScreen(DataScreen):
    """Every startup on the as-of date; Enter opens one."""

    AUTO_FOCUS = "#portfolio"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filtrer", key_display="/"),
        Binding("s", "sort(1)", "Trier"),
        Binding("r", "reverse", "Inverser", show=False),
        Binding("a", "alerts_only", "Alertes"),
        Binding("d", "app.deadlines", "Échéances"),
        Binding("i", "app.import_convention", "Importer"),
        Binding("escape", "clear", "Effacer", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Each row's folded text for the filter, by startup id: built in a worker once
        # the rows are on screen (or on the first text typed, if that comes first).
        self._haystack: dict[int, str] | None = None
        self._report = None
        self._filtered_by: tuple | None = None  # what the filter shown was built from
        self._loading_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="facets"):
            yield Input(
                placeholder="/ filtrer : titre, slug, sponsor, incubateur",
                id="filter",
                compact=True,
            )
            yield Select([], prompt="phase", id="phase", compact=True)
            yield Select([], prompt="incubateur", id="incubator", compact=True)
            yield Select([], prompt="sponsor", id="sponsor", compact=True)
            yield Checkbox("alertes", id="alerts-only", compact=True)
        yield PortfolioTable(COLUMNS, id="portfolio")
        yield Static(id="totals")
        yield Footer()

    # --- loading ------------------------------------------------------------------------

    def set_loading(self, loading: bool) -> None:
        """The loading indicator shows only if a load lasts: most take less than that, and
        its animation's frames, drawn while the worker reads 10,000 startups, slow it."""
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        if loading:
            self._loading_timer = self.set_timer(LOADING_DELAY, self._show_loading)
        else:
            self.query_one(PortfolioTable).loading = False

    def _show_loading(self) -> None:
        self._loading_timer = None
        self.query_one(PortfolioTable).loading = True

    def load(self) -> None:
        self._load(self.app.as_of, self.app.data_version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="portfolio")
    def _load(self, as_of: dt.date, data_version: int) -> None:
        # The same rows as `startups report` (store.queries.report), by slug as they are assessed:
        # the first page is shown as soon as it is known, the rest when all are read.
        from textual.worker import get_current_worker

        from store.queries.report import Filters, PortfolioReport, iter_rows

        worker = get_current_worker()
        report = PortfolioReport(as_of=as_of, rows=[])
        first_page = self._report is None  # a reload keeps the rows shown until it is done
        with self.app.reader() as reader:
            rows = iter_rows(reader, as_of, Filters(), report.totals, first_chunk=FIRST_PAGE)
            for row in rows:
                if worker.is_cancelled:
                    return
                report.rows.append(row)
                if first_page and len(report.rows) == FIRST_PAGE:
                    page = PortfolioReport(as_of=as_of, rows=list(report.rows))
                    shown = threading.Event()
                    self.post_message(PortfolioLoaded(page, as_of, complete=False, shown=shown))
                    shown.wait(FIRST_PAGE_WAIT)
        if not worker.is_cancelled:
            self.post_message(PortfolioLoaded(report, as_of))

    def on_portfolio_loaded(self, message: PortfolioLoaded) -> None:
        if message.shown is not None:  # the worker goes on once this frame is drawn
            self.call_after_refresh(message.shown.set)
        if message.as_of != self.app.as_of:
            return
        if not message.complete:
            if self._report is None:  # the first load's first page: rows to look at
                self.query_one(PortfolioTable).set_rows(message.report.rows)
                self.set_loading(False)
                self.query_one("#totals", Static).update(
                    Text(" chargement du portefeuille…", style="italic")
                )
            return
        report = message.report
        self._report = report
        self._haystack = None
        self._filtered_by = None
        self.app.startups = report.rows  # the command palette's (slug, title) come from them
        self._set_facet_options(report.rows)
        table = self.query_one(PortfolioTable)
        table.set_rows(report.rows, keep=lambda r: r.id)
        self._apply_filter()
        self.applied()
        if self._haystack is None:
            self.call_after_refresh(self._index, report)

    @staticmethod
    def _fold_rows(rows: list[StartupRow]) -> dict[int, str]:
        return {
            row.id: fold(" ".join([row.title, row.slug, row.incubator or "", *row.sponsors]))
            for row in rows
        }

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", description="filter")
    def _index(self, report) -> None:
        """The filter's folded texts, once the rows are on screen (~20 ms for 10,000)."""
        haystack = self._fold_rows(report.rows)
        self.app.call_from_thread(self._indexed, report, haystack)

    def _indexed(self, report, haystack: dict[int, str]) -> None:
        if report is self._report and self._haystack is None:
            self._haystack = haystack

    def _haystack_of(self) -> dict[int, str]:
        if self._haystack is None:  # typed before _index was done: fold here
            self._haystack = self._fold_rows(self._report.rows if self._report else [])
        return self._haystack

    def _set_facet_options(self, rows: list[StartupRow]) -> None:
        phases = sorted(
            {r.phase for r in rows if r.phase},
            key=lambda p: (PHASE_ORDER.index(p) if p in PHASE_ORDER else 9, p),
        )
        incubators = sorted({r.incubator for r in rows if r.incubator})
        sponsors = sorted({s for r in rows for s in r.sponsors})
        for select_id, values in (
            ("phase", phases),
            ("incubator", incubators),
            ("sponsor", sponsors),
        ):
            select = self.query_one(f"#{select_id}", Select)
            current = select.value
            with select.prevent(Select.Changed):
                select.set_options([(v, v) for v in values])
                if current in values:
                    select.value = current

    # --- filtering and sorting ----------------------------------------------------------

    def _apply_filter(self) -> None:
        if self._report is None:  # only the first page so far: applied when all are read
            return
        text = fold(self.query_one("#filter", Input).value.strip())
        phase = self.query_one("#phase", Select).value
        incubator = self.query_one("#incubator", Select).value
        sponsor = self.query_one("#sponsor", Select).value
        alerts_only = self.query_one("#alerts-only", Checkbox).value
        facets = (phase, incubator, sponsor, alerts_only)
        previous, self._filtered_by = self._filtered_by, (text, facets)
        # Typing on at the end of the text only ever removes rows ("a" → "ab", "a" → "a b"):
        # test the rows shown rather than every row.
        narrowing = previous is not None and previous[1] == facets and text.startswith(previous[0])
        if narrowing and text == previous[0]:
            return
        terms = text.split()
        checks = []
        if terms:
            haystack = self._haystack_of()
            if len(terms) == 1:
                (term,) = terms
                checks.append(lambda r: term in haystack[r.id])
            else:
                checks.append(lambda r: all(t in haystack[r.id] for t in terms))
        if phase is not Select.NULL:
            checks.append(lambda r: r.phase == phase)
        if incubator is not Select.NULL:
            checks.append(lambda r: r.incubator == incubator)
        if sponsor is not Select.NULL:
            checks.append(lambda r: sponsor in r.sponsors)
        if alerts_only:
            checks.append(lambda r: bool(r.assessment.alerts))
        if not checks:
            predicate = None
        elif len(checks) == 1:
            predicate = checks[0]
        else:
            predicate = lambda r: all(check(r) for check in checks)  # noqa: E731
        table = self.query_one(PortfolioTable)
        table.set_filter(predicate, narrowing=narrowing)
        self._show_totals()

    def _show_totals(self) -> None:
        table = self.query_one(PortfolioTable)
        if self._report is None:
            return
        envelope = consumed = consumed_known = 0
        unknown = alerts = 0
        for row in table.iter_rows():  # on every keystroke: attributes only, no property
            a = row.assessment
            cents = a.consumed_cents
            consumed += cents
            if a.envelope_cents is None:
                unknown += 1
            else:
                envelope += a.envelope_cents
                consumed_known += cents
            if a.alerts:
                alerts += 1
        remaining = envelope - consumed_known  # Assessment.remaining_cents, summed
        total, count = len(self._report.rows), table.row_count
        shown = f"{count}/{total}" if count != total else f"{total}"
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {shown} startups", style="bold")
        text.append(f" · env. {_money(envelope)}")
        if unknown:
            text.append(f" +{unknown} inconnue{'s' if unknown > 1 else ''}", style="italic")
        text.append(f" · conso. {_money(consumed)} · reste {_money(remaining)}")
        if alerts:
            text.append(f" · {alerts} en alerte", style="bold")
        self.query_one("#totals", Static).update(text)

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(PortfolioTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus or filter_input.value:
            filter_input.value = ""
        self.query_one(PortfolioTable).focus()

    def action_sort(self, step: int) -> None:
        self.query_one(PortfolioTable).cycle_sort(step)

    def action_reverse(self) -> None:
        table = self.query_one(PortfolioTable)
        table.sort_by(table.sort_column or "title", not table.sort_reverse)

    def action_alerts_only(self) -> None:
        checkbox = self.query_one("#alerts-only", Checkbox)
        checkbox.value = not checkbox.value

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.app.action_open_startup(event.row.slug)


__all__ = ["PortfolioScreen", "alert_label"]
