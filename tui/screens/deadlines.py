"""The portfolio's agenda: overdue first, then what is due in the next 30 or 90 days."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from store.fmt import day as shown_day
from store.fmt import number
from store.rules.vocab import DEADLINE_KIND_LABELS
from tui.language import N_, Translated, _, ngettext
from tui.messages import AgendaLoaded
from tui.screens.base import DataScreen
from tui.widgets.badges import BADGE_CLASSES, flag
from tui.widgets.footer import Footer
from tui.widgets.text import plain

WINDOWS = (30, 90, None)


class DeadlinesScreen(Translated, DataScreen):
    AUTO_FOCUS = "#agenda"
    COMPONENT_CLASSES: ClassVar[set[str]] = set(BADGE_CLASSES)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("w", "window", N_("Window")),
        Binding("x", "toggle_done", N_("Done")),
        Binding("enter", "open", N_("Open"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.window: int | None = 90
        self.items: list = []

    def data_key(self):
        return (*super().data_key(), self.window)

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static(id="agenda-bar")
        yield DataTable(id="agenda", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).add_columns(
            _("Date"), _("In"), _("Startup"), _("Kind"), _("Deadline")
        )
        self.query_one(DataTable).focus()

    def set_loading(self, loading: bool) -> None:
        self.query_one(DataTable).loading = loading

    def load(self) -> None:
        self._load(self.app.as_of, self.window)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="agenda")
    def _load(self, as_of: dt.date, window: int | None) -> None:
        from store.queries.browse import agenda

        with self.app.reader() as reader:
            items = agenda(reader, as_of, window)
        self.post_message(AgendaLoaded(items, as_of))

    def on_agenda_loaded(self, message: AgendaLoaded) -> None:
        if message.as_of != self.app.as_of:
            return
        self.items = message.items
        table = self.query_one(DataTable)
        table.clear()
        overdue = sum(1 for i in self.items if i.overdue)
        as_of = self.app.as_of
        for item in self.items:
            days = (item.date - as_of).days
            style = (
                self.get_component_rich_style("text--critical", partial=True)
                if item.overdue
                else ""
            )
            if item.overdue:
                when = flag(
                    _("{days} d overdue").format(days=number(-days)),
                    "critical",
                    self.get_component_rich_style,
                )
            elif days == 0:
                when = Text(_("today"), style="bold")
            else:
                when = Text(
                    _("{days} d").format(days=number(days)), style="bold" if days <= 30 else ""
                )
            kind = DEADLINE_KIND_LABELS.get(item.kind, item.kind)
            if item.derived and item.kind != "committee":
                kind += _(" (derived)")
            table.add_row(
                Text(shown_day(item.date), style=style),
                when,
                plain(item.startup_title),
                Text(kind, style="dim" if item.derived else ""),
                plain(item.title, style),
            )
        window = (
            _("all")
            if self.window is None
            else ngettext("next {n} day", "next {n} days", self.window).format(n=self.window)
        )
        bar = Text(no_wrap=True, overflow="ellipsis")
        count = len(self.items)
        bar.append(ngettext("{n} deadline", "{n} deadlines", count).format(n=count), style="bold")
        bar.append(_(" · {n} overdue").format(n=overdue) if overdue else _(" · none overdue"))
        bar.append(_(" · window: {window} (w)").format(window=window))
        self.query_one("#agenda-bar", Static).update(bar)
        self.applied()

    def _current(self):
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row >= len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.reload()

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        item = self._current()
        if item is not None:
            self.app.action_open_startup(item.slug)

    def action_toggle_done(self) -> None:
        if self.app.refuse_write():
            return
        item = self._current()
        if item is None:
            return
        if item.id is None:
            self.notify(_("A deadline derived from a convention is not marked done."))
            return
        # Done today, whatever date the agenda shows (the as-of date is a view, not a clock).
        self._set_done(item.id, dt.date.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="done")
    def _set_done(self, deadline_id: int, on: dt.date) -> None:
        from store.ops.edit import set_deadline_done

        set_deadline_done(self.app.store(), deadline_id, True, on)
        self.app.call_from_thread(self.app.saved)
        self.app.call_from_thread(self.notify, _("Deadline marked done"), timeout=3)
