"""What changed, newest first: one startup's history, or the whole store's.

The audit log as ``startups log [SLUG]`` prints it (``store.queries.history``): when, in
local time and the French way, who, what was done to which row, and each field's value
before → after.  Everything from the log is text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from store.queries.changes import (
    action_words,
    change_words,
    field_words,
    moment_words,
    short,
    table_words,
    value_words,
)
from store.rules.text import visible
from tui.language import N_, Translated, _, ngettext
from tui.screens.base import DataScreen
from tui.widgets.footer import Footer

LIMIT = 200  # changes shown at most, the latest


def entry_text(e: Any, *, with_startup: bool) -> Text:
    """One change: its moment, its author and what was done; under it, indented, the
    row's label and each field changed."""
    text = Text(end="\n")
    text.append(moment_words(e.at), style="bold")
    text.append(f"  {visible(e.actor)}  ", style="dim")
    text.append(action_words(e.action), style="italic")
    text.append(f" {table_words(e.table)}")
    if e.row_id:
        text.append(f" {visible(e.row_id)}", style="dim")
    if with_startup and e.startup and e.table != "startup":
        text.append(f" ({visible(e.startup)})", style="dim")
    if e.label:  # on a line of its own, indented: never cut at its closing »
        text.append("\n    " + _("“{label}”").format(label=short(visible(e.label))))
    if e.action == "update":
        detail = [change_words(e.table, k, b, a) for k, (b, a) in e.changes.items()]
    elif e.action == "restore":
        detail = [f"{field_words(k)} {value_words(e.table, k, v)}" for k, v in e.changes.items()]
    else:
        detail = []
    for item in detail:
        text.append(f"\n    {item}", style="")
    return text


@dataclass
class HistoryLoaded(Message):
    """The latest entries of the audit log (store.queries.history.Entry), newest first."""

    entries: list
    data_version: int


class HistoryScreen(Translated, DataScreen):
    """The history of one startup (``slug``) or of the whole store (``None``)."""

    AUTO_FOCUS = "#history-page"
    DEFAULT_CSS = """
    HistoryScreen #history-page { height: 1fr; padding: 0 1; }
    HistoryScreen #history-head { padding: 0 1; color: $text-muted; }
    HistoryScreen .empty { color: $text-muted; text-style: italic; padding: 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self, slug: str | None = None) -> None:
        super().__init__()
        self.slug = slug
        self.entries: list = []

    def data_key(self) -> Any:
        # What the store holds, not the date viewed: the log is not "as of" a day.
        return self.app.data_version

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static(id="history-head")
        with VerticalScroll(id="history-page"):
            yield Static(id="history")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        if self.slug is None:
            self.sub_title = _("History of the store")
        else:
            self.sub_title = _("History of {slug}").format(slug=visible(self.slug))

    def set_loading(self, loading: bool) -> None:
        self.query_one("#history-page").loading = loading

    def load(self) -> None:
        self._load(self.slug, self.app.data_version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="history")
    def _load(self, slug: str | None, data_version: int) -> None:
        from store.queries.history import entries

        with self.app.reader() as reader:
            found = entries(reader, slug, limit=LIMIT)
        self.post_message(HistoryLoaded(found, data_version))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        if message.data_version != self.app.data_version:
            return
        self.entries = message.entries
        n = len(self.entries)
        head = Text(no_wrap=True, overflow="ellipsis")
        if n:
            head.append(
                ngettext(
                    "{n} change, newest first (local time)",
                    "{n} changes, newest first (local time)",
                    n,
                ).format(n=n)
            )
            if n >= LIMIT:
                head.append(_(" · the latest {n} only").format(n=LIMIT), style="italic")
        self.query_one("#history-head", Static).update(head)
        body = self.query_one("#history", Static)
        if not self.entries:
            body.add_class("empty")
            body.update(
                Text(
                    _("No change recorded for this startup yet.")
                    if self.slug is not None
                    else _("No change recorded in this store yet.")
                )
            )
        else:
            body.remove_class("empty")
            lines = Text()
            for i, e in enumerate(self.entries):
                if i:
                    lines.append("\n")
                lines.append_text(entry_text(e, with_startup=self.slug is None))
            body.update(lines)
        self.applied()

    def action_back(self) -> None:
        self.app.pop_screen()
