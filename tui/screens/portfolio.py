"""The portfolio: one row per startup, sorted, filtered, with the totals under it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, Header, Input, Select, Static

from store.fmt import day, eur, months  # babel, as the CLI writes euros and dates
from store.queries.report import (
    LARGEST_FIRST,
    SORT_VALUES,
    Filters,
    PortfolioReport,
    Totals,
    iter_rows,
    search_text,
)
from store.rules.text import fold, visible
from store.rules.vocab import ACTIVE_PHASES, PHASE_LABELS, alert_label, phase_sort_key
from tui.language import N_, Translated, _, ngettext
from tui.messages import PortfolioLoaded
from tui.screens.base import DataScreen
from tui.widgets.badges import BADGE_CLASSES, badges, bar
from tui.widgets.footer import Footer
from tui.widgets.phase_facet import PhaseFacet, phase_words
from tui.widgets.text import plain
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from textual.timer import Timer

    from store.queries.report import StartupRow

LOADING_DELAY = 0.3  # seconds a load lasts before the loading indicator shows
# Rows read first and shown before the rest of a large portfolio (more than a screen).
FIRST_PAGE = 100
FIRST_PAGE_WAIT = 0.5  # seconds the worker waits at most for the first page to be drawn
# The windows of "runs out within" (w): days ahead, None for no such filter.
RUNS_OUT_WINDOWS = (None, 30, 90, 180)


# The end states beta.gouv.fr names (an unknown phase is not taken for an end).
ENDED_PHASES = frozenset(PHASE_LABELS) - ACTIVE_PHASES


def ended(row: StartupRow) -> bool:
    """In an end state (abandon, transféré, opéré…): hidden until ``e`` shows every startup."""
    return row.phase in ENDED_PHASES


def runs_out_on(row: StartupRow) -> dt.date | None:
    """The first day the startup's money or a convention in force runs out, if known."""
    a = row.assessment
    days = [a.exhausts_on]
    for p in a.projections:
        days.extend((p.ends_on, p.exhausts_on))
    known = [d for d in days if d is not None and d >= a.as_of]
    return min(known, default=None)


def runs_out_within(row: StartupRow, days: int) -> bool:
    day = runs_out_on(row)
    return day is not None and (day - row.assessment.as_of).days <= days


def _money(cents: int | float | None) -> str:
    return eur(cents, unknown="?")


def _without_convention(row: StartupRow) -> bool:
    """No convention in force, no envelope: its money is shown as "—", never 0 €."""
    a = row.assessment
    return not a.conventions_in_force and not a.envelope_cents


def _money_cell(row: StartupRow, cents: int | float | None) -> str:
    return "—" if _without_convention(row) else _money(cents)


def _moved_cell(row: StartupRow, cents: int) -> str:
    """Money that moved: shown even outside a convention; "—" when none moved there."""
    return "—" if _without_convention(row) and not cents else _money(cents)


def _consumed_cell(row: StartupRow, table: VirtualTable) -> Text:
    share = SORT_VALUES["consumed_share"](row)
    if share is None:
        if _without_convention(row) and not row.assessment.consumed_cents:
            return Text("—", style="dim", end="")
        return Text(_money(row.assessment.consumed_cents), end="")
    return bar(share, table.get_component_rich_style)


def _deadline_cell(row: StartupRow, table: VirtualTable) -> Text:
    deadline = row.assessment.next_deadline
    if deadline is None:
        return Text("—", style="dim", end="")
    days = (deadline.date - row.assessment.as_of).days
    style = "bold" if days <= 30 else ""
    return Text(day(deadline.date), style=style, end="")


def _alerts_cell(row: StartupRow, table: VirtualTable) -> Text:
    if not row.assessment.alerts:
        return Text("—", style="dim")
    return badges(row.assessment.alerts, table.get_component_rich_style)


TITLE_WIDTH = 36  # cells at most for a title (the longest real ones are cut, not the rest)


def _phase(phase: str | None) -> str:
    return visible(PHASE_LABELS.get(phase, phase)) if phase else "—"


def _alerts_width(codes) -> int:
    """The cells the alert badges take: each label with a space either side, one between."""
    if not codes:
        return 1
    return sum(cell_len(alert_label(c)) + 2 for c in codes) + len(codes) - 1


def _column(key: str, label: str, width: int, render, sort: str | None = None, **kw) -> Column:
    """A column sorted as ``startups report --sort`` sorts (``store.queries.report``)."""
    sort = sort or key
    return Column(
        key, label, width, render, SORT_VALUES[sort], descending=sort in LARGEST_FIRST, **kw
    )


COLUMNS: list[Column[StartupRow]] = [
    _column(
        "title",
        N_("Startup"),
        14,
        lambda r, t: visible(r.title),
        flex=True,
        measure=lambda r: cell_len(visible(r.title)),
        max_width=TITLE_WIDTH,
    ),
    _column(
        "phase",
        N_("Phase"),
        12,
        lambda r, t: _phase(r.phase),
        priority=4,
        measure=lambda r: cell_len(_phase(r.phase)),
        max_width=16,
    ),
    _column("incubator", N_("Incubator"), 10, lambda r, t: visible(r.incubator or "—"), priority=7),
    _column(
        "sponsors",
        N_("Sponsors"),
        10,
        lambda r, t: visible(", ".join(r.sponsors) or "—"),
        priority=6,
    ),
    _column(
        "envelope",
        N_("Envelope"),
        11,
        lambda r, t: _money_cell(r, r.assessment.envelope_cents),
        justify="right",
        priority=1,
    ),
    _column("consumed", N_("Consumed"), 10, _consumed_cell, sort="consumed_share", priority=3),
    # AE and CP apart: engaged (what counts against the ceiling) and paid; they give way
    # before the envelope, what is left and the alerts (their priority).
    Column(
        "engaged",
        N_("Engaged"),
        11,
        lambda r, t: _moved_cell(r, r.assessment.engaged_cents),
        lambda r: r.assessment.engaged_cents,
        descending=True,
        justify="right",
        priority=6,
    ),
    Column(
        "paid",
        N_("Paid"),
        11,
        lambda r, t: _moved_cell(r, r.assessment.paid_cents),
        lambda r: r.assessment.paid_cents,
        descending=True,
        justify="right",
        priority=5,
    ),
    _column(
        "remaining",
        N_("Left"),
        11,
        lambda r, t: _money_cell(r, r.assessment.remaining_cents),
        justify="right",
        priority=2,
    ),
    _column(
        "runway",
        N_("Runway"),
        9,
        lambda r, t: months(r.assessment.runway_months),
        justify="right",
        priority=4,
    ),
    _column("deadline", N_("Deadline"), 10, _deadline_cell, priority=2),
    _column(
        "alerts",
        N_("Alerts"),
        12,
        _alerts_cell,
        priority=1,
        flex=True,
        measure=lambda r: _alerts_width(r.assessment.alerts),
    ),
]


def totals_text(totals: Totals) -> Text:
    """The money of the startups shown: only what is known is summed, and what is not
    known is said (never counted as 0 €)."""
    text = Text()
    unknown, known = totals.envelope_unknown, totals.startups - totals.envelope_unknown
    if totals.startups and not known:
        text.append(_(" · envelope unknown"), style="italic")
    else:
        text.append(_(" · env. {amount}").format(amount=_money(totals.envelope_cents)))
        if unknown:
            text.append(
                ngettext(" +{n} unknown", " +{n} unknown", unknown).format(n=unknown),
                style="italic",
            )
    text.append(_(" · cons. {amount}").format(amount=_money(totals.consumed_cents)))
    if known:
        text.append(_(" · left {amount}").format(amount=_money(totals.remaining_cents)))
        if unknown:
            text.append(
                ngettext(" (of {n} startup)", " (of {n} startups)", known).format(n=known),
                style="italic",
            )
    elif totals.startups:
        text.append(_(" · left unknown"), style="italic")
    return text


class PortfolioTable(VirtualTable):
    """The portfolio's rows (``store.queries.report.StartupRow``)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | BADGE_CLASSES


class PortfolioScreen(Translated, DataScreen):
    """Every startup on the as-of date; Enter opens one."""

    AUTO_FOCUS = "#portfolio"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", N_("Filter"), key_display="/"),
        Binding("s", "sort(1)", N_("Sort")),
        Binding("r", "reverse", N_("Reverse"), show=False),
        Binding("a", "alerts_only", N_("Alerts")),
        Binding("p", "phases", N_("Phases"), show=False),
        Binding("e", "toggle_ended", N_("Ended")),
        Binding("w", "runs_out", N_("Runs out")),
        Binding("d", "app.deadlines", N_("Deadlines")),
        Binding("i", "app.import_convention", N_("Import"), show=False),
        Binding("b", "brief", N_("Brief"), show=False),
        Binding("h", "app.history", N_("History"), show=False),
        Binding("escape", "clear", N_("Clear"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Each row's folded text for the filter, by startup id: built in a worker once
        # the rows are on screen (or on the first text typed, if that comes first).
        self._haystack: dict[int, str] | None = None
        self._report = None
        self._filtered_by: tuple | None = None  # what the filter shown was built from
        self._loading_timer: Timer | None = None
        self._ended: tuple | None = None  # (report, how many of its startups ended)
        self.show_ended = False  # the startups in an end state are hidden until ``e``
        self.runs_out: int | None = None  # only those running out within these many days

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="facets"):
            yield Input(
                placeholder=_("/ filter: title, slug, sponsor, incubator"),
                id="filter",
                compact=True,
            )
            yield PhaseFacet(id="phase")
            yield Select([], prompt=_("incubator"), id="incubator", compact=True)
            yield Select([], prompt=_("sponsor"), id="sponsor", compact=True)
            yield Checkbox(_("alerts"), id="alerts-only", compact=True)
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
                    Text(_(" loading the portfolio…"), style="italic")
                )
            return
        report = message.report
        self._report = report
        self._haystack = None
        self._filtered_by = None
        self.app.startups = report.rows  # the command palette's (slug, title) come from them
        self._set_facet_options(report.rows)
        table = self.query_one(PortfolioTable)
        if table.sort_column is None:  # by the title shown, accents and case aside
            table.sort_column = "title"
        table.set_rows(report.rows, keep=lambda r: r.id)
        self._apply_filter()
        self.applied()
        if self._haystack is None:
            self.call_after_refresh(self._index, report)

    @staticmethod
    def _fold_rows(rows: list[StartupRow]) -> dict[int, str]:
        return {row.id: search_text(row) for row in rows}

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
        phases = sorted({r.phase for r in rows if r.phase}, key=phase_sort_key)
        incubators = sorted({r.incubator for r in rows if r.incubator})
        sponsors = sorted({s for r in rows for s in r.sponsors})
        self.query_one(PhaseFacet).set_options(phases)
        for select_id, values in (("incubator", incubators), ("sponsor", sponsors)):
            select = self.query_one(f"#{select_id}", Select)
            current = select.value
            with select.prevent(Select.Changed):
                select.set_options([(plain(v), v) for v in values])
                if current in values:
                    select.value = current

    # --- filtering and sorting ----------------------------------------------------------

    def _filters(self) -> Filters:
        def chosen(select_id: str) -> str | None:
            value = self.query_one(f"#{select_id}", Select).value
            return None if value is Select.NULL else value

        return Filters(
            text=self.query_one("#filter", Input).value.strip(),
            incubator=chosen("incubator"),
            sponsor=chosen("sponsor"),
            alerts=self.query_one("#alerts-only", Checkbox).value,
        )

    def _apply_filter(self) -> None:
        if self._report is None:  # only the first page so far: applied when all are read
            return
        filters = self._filters()
        text = fold(filters.text or "")
        facets = (
            self._phases(),
            filters.incubator,
            filters.sponsor,
            filters.alerts,
            self.show_ended,
            self.runs_out,
        )
        previous, self._filtered_by = self._filtered_by, (text, facets)
        # Typing on at the end of the text only ever removes rows ("a" → "ab", "a" → "a b"):
        # test the rows shown rather than every row.
        narrowing = previous is not None and previous[1] == facets and text.startswith(previous[0])
        if narrowing and text == previous[0]:
            return
        haystack = self._haystack_of() if text else {}
        predicate = self._and_more(filters.matcher(lambda r: haystack[r.id]))
        table = self.query_one(PortfolioTable)
        table.set_filter(predicate, narrowing=narrowing)
        self._show_totals()

    def _and_more(self, predicate):
        """The facets' test, and the app's own: no ended startup (unless ``e``), only those
        running out within the window (``w``)."""
        tests = [t for t in (predicate,) if t is not None]
        phases = self._phases()
        if phases:
            tests.append(lambda r: r.phase in phases)
        if not self.show_ended and not phases:
            tests.append(lambda r: not ended(r))
        if self.runs_out is not None:
            window = self.runs_out
            tests.append(lambda r: runs_out_within(r, window))
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda r: all(t(r) for t in tests)

    def _phases(self) -> frozenset[str]:
        """The phases chosen in the facet (none: every phase)."""
        return self.query_one(PhaseFacet).chosen

    def _phase_chosen(self) -> bool:
        return bool(self._phases())

    def action_phases(self) -> None:
        self.query_one(PhaseFacet).action_pick()

    def action_toggle_ended(self) -> None:
        self.show_ended = not self.show_ended
        self._apply_filter()

    def action_runs_out(self) -> None:
        position = RUNS_OUT_WINDOWS.index(self.runs_out)
        self.runs_out = RUNS_OUT_WINDOWS[(position + 1) % len(RUNS_OUT_WINDOWS)]
        self._apply_filter()

    def _show_totals(self) -> None:
        table = self.query_one(PortfolioTable)
        if self._report is None:
            return
        # Only the startups with money in force are summed; the others are counted apart
        # (their 0 € is not an amount, it is no convention).
        totals = Totals()
        without = 0
        for row in table.iter_rows():
            if _without_convention(row):
                without += 1
                if row.assessment.alerts:
                    totals.alerting += 1
            else:
                totals.add(row.assessment)
        total, count = len(self._report.rows), table.row_count
        text = Text(no_wrap=True, overflow="ellipsis")
        if count != total:
            shown = ngettext(" {count}/{total} startup", " {count}/{total} startups", total).format(
                count=count, total=total
            )
        else:
            shown = ngettext(" {total} startup", " {total} startups", total).format(total=total)
        text.append(shown, style="bold")
        if totals.startups:
            text.append_text(totals_text(totals))
            if without:
                text.append(
                    ngettext(
                        " · {n} without a convention", " · {n} without a convention", without
                    ).format(n=without),
                    style="italic",
                )
        elif count:
            text.append(_(" · no convention in force"), style="italic")
        if totals.alerting:
            text.append(
                ngettext(" · {n} with an alert", " · {n} with alerts", totals.alerting).format(
                    n=totals.alerting
                ),
                style="bold",
            )
        phases = self.query_one(PhaseFacet).ordered()
        if phases:
            text.append(
                _(" · phases: {names} (p)").format(names=phase_words(phases)), style="italic"
            )
        if self.runs_out is not None:
            text.append(
                ngettext(
                    " · running out within {n} day (w)",
                    " · running out within {n} days (w)",
                    self.runs_out,
                ).format(n=self.runs_out),
                style="italic",
            )
        hidden = 0 if self.show_ended or self._phase_chosen() else self._ended_count()
        if hidden:
            text.append(
                ngettext(" · {n} ended hidden (e)", " · {n} ended hidden (e)", hidden).format(
                    n=hidden
                ),
                style="dim",
            )
        self.query_one("#totals", Static).update(text)

    def _ended_count(self) -> int:
        if self._report is None:
            return 0
        if self._ended is None or self._ended[0] is not self._report:
            self._ended = (self._report, sum(1 for r in self._report.rows if ended(r)))
        return self._ended[1]

    @on(Input.Changed, "#filter")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(PhaseFacet.Changed)
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

    def action_brief(self) -> None:
        """The brief of the startup on the cursor's row."""
        row = self.query_one(PortfolioTable).cursor_row
        if row is not None:
            self.app.action_brief(row.slug)

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.app.action_open_startup(event.row.slug)
