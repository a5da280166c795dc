"""The Textual app: the portfolio, a startup, the agenda; browse and edit one store.

Everything that touches the database runs in thread workers (see the screens);
the app holds where the store is, the as-of date every screen shows, and the
actions that are the same everywhere (help, time travel, theme, quit).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.worker import Worker

from store.rules.text import visible
from tui.actions import WRITE_ACTIONS, report_failure, writes
from tui.commands import StartupCommands
from tui.language import N_, _, translate_group_titles

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from textual.screen import Screen

    from store.db import Store
    from store.queries.brief import Brief
    from store.queries.report import StartupRow
    from store.reader import Reader

THEMES = ("textual-dark", "textual-light")


_gc_tuned = False


def _tune_gc() -> None:
    """Fewer, cheaper garbage collections in the app's process (once, at its start).

    Loading 10,000 startups allocates a few hundred thousand objects: at Python's
    default threshold (a young collection every 700 allocations) the collector ran
    about 270 times before the first paint, ~70 ms in all.  What is imported by now
    (Textual, the app) lives as long as the process: frozen, full collections no longer
    walk it; and young collections run every 10,000 allocations.
    """
    global _gc_tuned
    if not _gc_tuned:
        _gc_tuned = True
        gc.freeze()
        gc.set_threshold(10_000, 20, 10)


class StartupsApp(App[None]):
    """``StartupsApp(store_location, as_of)``: ``store_location`` is a path, a URL or None."""

    CSS_PATH = "app.tcss"
    TITLE = "startups"
    COMMANDS = App.COMMANDS | {StartupCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", N_("Quit")),
        Binding("question_mark", "help", N_("Help"), key_display="?"),
        Binding("t", "time_travel", N_("Date")),
        Binding("ctrl+t", "toggle_theme", N_("Theme"), show=False),
    ]

    as_of: var[dt.date] = var(dt.date.today)
    # Bumped after every save, so screens know their data is stale.
    data_version: var[int] = var(0)

    def __init__(
        self,
        store_location: str | None = None,
        as_of: dt.date | None = None,
        *,
        theme: str = "textual-dark",
        read_only: bool = False,
        brief_renderer: Callable[[list[Brief], str], str] | None = None,
    ) -> None:
        """``brief_renderer(briefs, "markdown" | "html")`` is the text ``startups brief``
        writes: the command line hands it to the app that it starts (the app imports
        nothing of the command line), so the brief the app shows and exports is the
        command's, byte for byte.  Without it the app has no brief (its key is hidden)."""
        super().__init__()
        self.brief_renderer = brief_renderer
        _tune_gc()
        translate_group_titles()
        self.store_location = store_location
        self.read_only = read_only
        self._initial_as_of = as_of or dt.date.today()
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        # The portfolio's rows (store.queries.report.StartupRow), for the command palette.
        self.startups: Sequence[StartupRow] = ()
        self.theme = theme

    @property
    def titles(self) -> list[tuple[str, str]]:
        """(slug, title) of every startup, for the command palette (built when asked)."""
        return [(row.slug, row.title) for row in self.startups]

    # --- the store (called from thread workers) ------------------------------------------

    def reader(self) -> Reader:
        """A read-only reader for one unit of work (plain SQL; no SQLAlchemy on a file)."""
        from store.open import open_reader

        return open_reader(self.store_location)

    def store(self) -> Store:
        """The store for the ORM work (opened once, in a worker, on first use)."""
        with self._store_lock:
            if self._store is None:
                from store.open import open_store

                # Read-only: the store itself refuses writes too, not only the forms.
                self._store = open_store(
                    self.store_location, create=False, read_only=self.read_only
                )
            return self._store

    @property
    def store_name(self) -> str:
        from store.location import resolve

        location = resolve(self.store_location)
        return location.path.name if location.path is not None else location.display()

    # --- lifecycle ---------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.portfolio import PortfolioScreen

        self.as_of = self._initial_as_of
        self.push_screen(PortfolioScreen())

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.dispose()

    def watch_as_of(self, as_of: dt.date) -> None:
        from store.fmt import day

        read_only = _(" · read-only") if self.read_only else ""
        self.sub_title = _("as of {day} · {store}{read_only}").format(
            day=day(as_of), store=visible(self.store_name), read_only=read_only
        )

    # --- read-only mode ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in WRITE_ACTIONS:
            return None  # shown dimmed, not run
        return True

    def on_key(self, event: events.Key) -> None:
        """Read-only: a key the screen binds to a writing action (dimmed, so not run) comes
        here unhandled; say why nothing happens."""
        if self.read_only and writes(getattr(type(self.screen), "BINDINGS", ()), event.key):
            event.stop()
            self.refuse_write()

    def refuse_write(self) -> bool:
        """In read-only mode, say so and return True (the caller then writes nothing)."""
        if self.read_only:
            self.notify(
                _("Read-only: nothing can be changed here."),
                severity="warning",
                timeout=4,
            )
        return self.read_only

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    # --- actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_time_travel(self) -> None:
        from tui.screens.as_of import AsOfScreen

        def chosen(day: dt.date | None) -> None:
            if day is not None and day != self.as_of:
                self.as_of = day
                from store.fmt import day as shown

                self.notify(_("Viewing {day}").format(day=shown(day)), timeout=3)

        self.push_screen(AsOfScreen(self.as_of), chosen)

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def action_open_startup(self, slug: str) -> None:
        from tui.screens.startup import StartupScreen

        self.push_screen(StartupScreen(slug))

    def action_brief(self, slug: str) -> None:
        """The startup's one-page brief for the investment committee, as of the app's date."""
        from tui.screens.brief import BriefScreen

        if self.brief_renderer is not None and not isinstance(self.screen, BriefScreen):
            self.push_screen(BriefScreen(slug))

    def action_history(self, slug: str | None = None) -> None:
        """What changed, newest first: of one startup, or of the whole store."""
        from tui.screens.history import HistoryScreen

        here = self.screen
        if not (isinstance(here, HistoryScreen) and here.slug == slug):
            self.push_screen(HistoryScreen(slug))

    def action_deadlines(self) -> None:
        from tui.screens.deadlines import DeadlinesScreen

        if not isinstance(self.screen, DeadlinesScreen):
            self.push_screen(DeadlinesScreen())

    def action_portfolio(self) -> None:
        from tui.screens.portfolio import PortfolioScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, PortfolioScreen):
            self.pop_screen()

    def action_import_convention(self) -> None:
        """Read a convention or avenant file, show the plan, store it on confirmation."""
        from tui.screens.import_convention import ImportScreen
        from tui.screens.startup import StartupScreen

        if isinstance(self.screen, ImportScreen) or self.refuse_write():
            return
        here = self.screen

        def imported(result) -> None:
            if result is None or result.nothing or not result.startup_slug:
                return
            if isinstance(here, StartupScreen) and here.slug == result.startup_slug:
                here.show_convention(result.convention_id)
            else:
                screen = StartupScreen(result.startup_slug)
                screen.show_convention(result.convention_id)
                self.push_screen(screen)

        self.push_screen(ImportScreen(), imported)

    def saved(self) -> None:
        """Something was written: every screen reloads when it is next shown."""
        self.data_version += 1

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the language of the moment."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def search_themes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(
            CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…"))
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, quit, keys, maximize, screenshot) in the language
        of the moment, then the app's."""
        yield SystemCommand(_("Theme"), _("Change the current theme"), self.action_change_theme)
        yield SystemCommand(_("Quit"), _("Quit the application"), self.action_quit)
        if screen.query("HelpPanel"):
            yield SystemCommand(
                _("Keys"), _("Hide the keys and widget help panel"), self.action_hide_help_panel
            )
        else:
            yield SystemCommand(
                _("Keys"),
                _("Show help for the focused widget and a summary of available keys"),
                self.action_show_help_panel,
            )
        if screen.maximized is not None:
            yield SystemCommand(
                _("Minimize"),
                _("Minimize the widget and restore to normal size"),
                screen.action_minimize,
            )
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(
                _("Maximize"), _("Maximize the focused widget"), screen.action_maximize
            )
        yield SystemCommand(
            _("Screenshot"),
            _("Save an SVG picture of the current screen"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )
        yield SystemCommand(
            _("Portfolio deadlines"),
            _("Every deadline, overdue first"),
            self.action_deadlines,
        )
        yield SystemCommand(
            _("Portfolio"), _("Back to the list of startups"), self.action_portfolio
        )
        slug = getattr(screen, "slug", None)  # a startup's screen, its brief, its history
        if isinstance(slug, str):
            if self.brief_renderer is not None:
                yield SystemCommand(
                    _("Brief of this startup"),
                    _("One page for the investment committee, as of the date viewed"),
                    partial(self.action_brief, slug),
                )
            yield SystemCommand(
                _("History of this startup"),
                _("What changed in it, newest first"),
                partial(self.action_history, slug),
            )
        yield SystemCommand(
            _("History of the store"),
            _("What changed, newest first, in every startup"),
            self.action_history,
        )
        yield SystemCommand(
            _("Change the date (as of)"),
            _("See the portfolio on another date"),
            self.action_time_travel,
        )
        yield SystemCommand(
            _("Light / dark theme"),
            _("Switch between textual-dark and textual-light"),
            self.action_toggle_theme,
        )
        if not self.read_only:
            yield SystemCommand(
                _("Import a convention (text or PDF)"),
                _("Read a text or a PDF, see each field and its evidence, then save"),
                self.action_import_convention,
            )
        yield SystemCommand(_("Help"), _("The keys of each screen"), self.action_help)
