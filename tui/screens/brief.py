"""A startup's one-page brief for the investment committee, and its export to a file.

The text is the one ``startups brief SLUG`` writes, for the app's date and the next
committee reviewing the startup: the app is handed the command's renderer when the
command line starts it (``StartupsApp(brief_renderer=…)``; the app imports nothing of the
command line), so that what is shown here and what is exported are the command's own,
byte for byte.  It is shown with Textual's ``Markdown`` widget: the renderer escapes
every value from data (never markup, control characters made visible), and the widget
makes no link of a URL and opens none.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Markdown, Select
from textual.worker import get_current_worker

from store.errors import InvalidField
from store.rules.text import visible
from tui.language import N_, Translated, _
from tui.messages import FieldRejected, Saved
from tui.screens.base import DataScreen
from tui.screens.forms import FormScreen
from tui.widgets.footer import Footer

if TYPE_CHECKING:
    from store.queries.brief import Brief

FORMATS = (("HTML", "html"), ("Markdown", "markdown"))
SUFFIXES = {"html": ".html", "markdown": ".md"}


def default_name(slug: str, on: dt.date, fmt: str = "html") -> str:
    """``brief-classe-a-12-2018-09-15.html``: the startup and the date the brief is for."""
    return f"brief-{slug}-{on.isoformat()}{SUFFIXES[fmt]}"


def write_text(text: str, path: Path) -> None:
    """``text`` into ``path`` whole, as ``startups brief --output`` writes it (UTF-8, ``\\n``
    line ends): a temporary file beside it, renamed; a failed write leaves nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like", {"linkify": False})


@dataclass
class BriefLoaded(Message):
    """The brief (store.queries.brief.Brief) and its Markdown text."""

    brief: Any
    text: str
    as_of: dt.date


class BriefScreen(Translated, DataScreen):
    """The brief of one startup as of ``app.as_of``; ``x`` exports it."""

    AUTO_FOCUS = "#brief-page"
    DEFAULT_CSS = """
    BriefScreen #brief-page { height: 1fr; padding: 0 1; }
    BriefScreen #brief { margin: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("x", "export", N_("Export")),
        Binding("h", "history", N_("History")),
    ]

    def __init__(self, slug: str) -> None:
        super().__init__()
        self.slug = slug
        self.brief: Brief | None = None
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with VerticalScroll(id="brief-page"):
            # No link from data: a URL in a mission stays words (no autolink), and no
            # click opens anything.
            yield Markdown(id="brief", parser_factory=_parser, open_links=False)
        yield Footer()

    def set_loading(self, loading: bool) -> None:
        self.query_one("#brief-page").loading = loading

    def load(self) -> None:
        self._load(self.slug, self.app.as_of)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="brief")
    def _load(self, slug: str, as_of: dt.date) -> None:
        from store.queries.brief import build_brief

        with self.app.reader() as reader:
            brief = build_brief(reader, slug, as_of)
        text = self.app.brief_renderer([brief], "markdown")
        if not get_current_worker().is_cancelled:
            self.post_message(BriefLoaded(brief, text, as_of))

    async def on_brief_loaded(self, message: BriefLoaded) -> None:
        if message.as_of != self.app.as_of:
            return
        self.brief, self.text = message.brief, message.text
        self.sub_title = visible(message.brief.card.title)
        await self.query_one("#brief", Markdown).update(message.text)
        self.applied()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_history(self) -> None:
        self.app.action_history(self.slug)

    def action_export(self) -> None:
        if self.brief is not None:
            self.app.push_screen(ExportForm(self.brief))


@dataclass
class ExportInput:
    path: Path
    fmt: str


class ExportForm(FormScreen):
    """Where to write the brief: a folder (the current one at first), a format, a name."""

    def __init__(self, brief: Brief) -> None:
        super().__init__(brief.card)  # type: ignore[arg-type]
        self.brief = brief
        self.title_text = _("Export the brief — {title}").format(title=brief.card.title)

    def _default(self, fmt: str) -> str:
        return default_name(self.brief.card.slug, self.brief.card.as_of, fmt)

    def fields(self) -> ComposeResult:
        yield self.input("folder", N_("Folder"), str(Path.cwd()))
        yield self.select("format", N_("Format"), list(FORMATS), "html", blank=False)
        yield self.input("name", N_("File name"), self._default("html"))

    @on(Select.Changed, "#f-format")
    def _format_changed(self) -> None:
        fmt = self.value("format")
        name = self.value("name")
        if name in {self._default(f) for f in SUFFIXES}:
            self.set_value("name", self._default(fmt))

    def record(self) -> ExportInput:
        folder_text = self.value("folder").strip()
        folder = Path(os.path.expanduser(folder_text or "."))
        if not folder.is_dir():
            raise InvalidField(
                "folder", _("{folder} is not a folder").format(folder=visible(folder_text))
            )
        name = self.value("name").strip()
        if not name:
            raise InvalidField("name", _("a file name is required"))
        if "/" in name or os.sep in name or name in (".", ".."):
            raise InvalidField("name", _("a file name, without a folder"))
        return ExportInput(folder / name, self.value("format"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="save", description="export")
    def _save(self, record: ExportInput) -> None:
        text = self.app.brief_renderer([self.brief], record.fmt)
        try:
            write_text(text, record.path)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.post_message(
                FieldRejected(
                    "folder",
                    _("cannot write {path}: {reason}").format(path=record.path, reason=reason),
                )
            )
            return
        self.post_message(Saved(str(record.path.resolve())))

    def on_saved(self, message: Saved) -> None:
        message.prevent_default()  # a file was written, not the store: nothing to reload
        self.app.notify(
            visible(_("Brief written: {path}").format(path=message.what)),
            timeout=6,
            markup=False,
        )
        self.dismiss(True)
