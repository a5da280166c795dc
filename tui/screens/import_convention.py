"""Import a convention or an avenant from its text or PDF: read, show the plan, confirm.

The same steps as ``startups import convention``: ``load_extraction`` and ``plan_import``
run in a thread worker and read only; the plan (the startup matched, the convention
recognised or created, the parent or its placeholder, each field with the line of the
text that gives it) is shown; ``Importer`` applies it in one transaction
(``apply_import``).  A file that is not a convention shows its one-line reason here;
``Escape`` closes the dialog and nothing is written.

A folder is read and planned whole (``store.importers.convention.batch``): one table of
what each file would create or complete and what could not be read; ``Importer`` then
stores each file in its own transaction.  An avenant whose parent is ambiguous is left
out (import it alone to choose).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from store.errors import StartupsError
from store.rules.text import visible
from tui.actions import report_failure
from tui.language import N_, Translated, _, ngettext
from tui.widgets.badges import BADGE_CLASSES, StyleOf


@dataclass
class PlanReady(Message):
    plan: Any  # store.importers.convention_store.ImportPlan
    rows: list  # its EvidenceRow list


@dataclass
class ImportRejected(Message):
    reason: str


@dataclass
class Imported(Message):
    result: Any  # store.importers.convention_store.ImportResult


@dataclass
class BatchReady(Message):
    items: list  # store.importers.convention.batch.BatchItem, planned


def batch_view(items, style_of: StyleOf) -> Group:
    """The plan of a folder: one row a file, then the warnings."""
    table = Table(box=None, padding=(0, 1), header_style="dim", show_edge=False)
    for header in (_("File"), _("Act"), _("Startup"), _("Amends"), _("Effect")):
        table.add_column(header, overflow="fold")
    critical = style_of("text--critical", partial=True)
    warning = style_of("text--warning", partial=True)
    for item in items:
        row = item.row()
        cells = (row.file, row.kind, row.startup, row.parent)
        effect = Text(visible(row.effect), style=critical if row.refused else "")
        table.add_row(*(Text(visible(v)) for v in cells), effect)
    parts: list = [table]
    for item in items:
        for line in item.plan.warnings if item.plan else []:
            parts.append(
                Text(
                    visible(_("{file}: warning: {line}").format(file=item.name, line=line)),
                    style=warning,
                )
            )
    todo = sum(1 for i in items if i.importable)
    parts.append(Text(""))
    parts.append(
        Text(
            ngettext(
                "{n} file to import, in its own transaction.",
                "{n} files to import, each in its own transaction.",
                todo,
            ).format(n=todo),
            style="dim",
        )
    )
    return Group(*parts)


def plan_view(plan, rows, style_of: StyleOf) -> Group:
    """The plan's sentences, then each field with its value and the line that gives it."""
    parts: list = []
    for line in plan.summary():
        line = visible(line)
        style = (
            style_of("text--critical", partial=True)
            if line.startswith("problem")
            else (style_of("text--warning", partial=True) if line.startswith("warning") else "")
        )
        parts.append(Text(line, style=style))
    table = Table(box=None, padding=(0, 1), header_style="dim", show_edge=False)
    table.add_column(_("Field"), style="dim", no_wrap=True)
    table.add_column(_("Value"), overflow="fold")
    table.add_column(_("Evidence"), overflow="fold", style="dim")
    for row in rows:
        table.add_row(
            Text(visible(row.field)), Text(visible(row.value)), Text(visible(row.excerpt(60)))
        )
    if rows:
        parts.append(Text(""))
        parts.append(table)
    return Group(*parts)


class ImportScreen(Translated, ModalScreen[Any]):
    COMPONENT_CLASSES: ClassVar[set[str]] = set(BADGE_CLASSES)
    """Returns the ``ImportResult`` when something was stored, else None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("ctrl+s", "confirm", N_("Import")),
    ]

    def __init__(self, path: str = "", startup: str | None = None) -> None:
        super().__init__()
        self.initial_path = path
        self.startup = startup
        self.plan = None
        self.items: list | None = None  # a folder's files, planned
        self.batch_startup: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-dialog"):
            yield Static(
                _("Import a convention or an avenant (text, PDF, scan, or a folder)"),
                classes="dialog-title",
            )
            with Horizontal(classes="field"):
                yield Label(_("File"))
                yield Input(
                    self.initial_path,
                    placeholder=_("path/avenant.txt, .pdf or a folder"),
                    id="path",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label(_("Startup"))
                yield Input(
                    self.startup or "",
                    placeholder=_("empty: the one the text names"),
                    id="startup",
                    compact=True,
                )
            yield Static("", id="error-path", classes="field-error -hidden")
            with VerticalScroll(classes="dialog-body", id="import-plan-box"):
                yield Static(
                    Text(_("Enter reads the file and shows what will be saved."), style="dim"),
                    id="import-plan",
                )
            with Horizontal(classes="field -hidden", id="parent-box"):
                yield Label(_("Amends"))
                yield Select([], prompt=_("which convention?"), id="parent")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel (Esc)"), id="cancel")
                yield Button(_("Read"), id="read")
                yield Button(_("Import (ctrl+s)"), id="confirm", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @property
    def ready(self) -> bool:
        return not self.query_one("#import-dialog").loading

    def _error(self, message: str | None) -> None:
        error = self.query_one("#error-path", Static)
        error.update(f"⚠ {message}" if message else "")
        error.set_class(not message, "-hidden")

    def _busy(self, busy: bool) -> None:
        self.query_one("#import-dialog").loading = busy

    # --- reading and planning (reads only) ----------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#read")
    def action_read(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        startup = self.query_one("#startup", Input).value.strip() or None
        self.plan = None
        self.items = None
        self.query_one("#confirm", Button).disabled = True
        self.query_one("#parent-box").add_class("-hidden")
        if not path:
            self._error(_("the path of the file to import"))
            return
        self._error(None)
        self._busy(True)
        target = Path(path).expanduser()
        if target.is_dir():
            self.batch_startup = startup
            self._plan_folder(str(target), startup)
        else:
            self._plan(str(target), startup)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", description="plan")
    def _plan_folder(self, path: str, startup: str | None) -> None:
        from store.importers.convention.batch import files_of, plan_all, read_all

        try:
            files = files_of([path])
            if not files:
                self.post_message(ImportRejected(_("{path}: no file to import").format(path=path)))
                return
            items = read_all(files)
            with self.app.store().session() as session:
                plan_all(session, items, startup)
        except StartupsError as exc:
            self.post_message(ImportRejected(str(exc)))
            return
        self.post_message(BatchReady(items))

    def on_batch_ready(self, message: BatchReady) -> None:
        self.items = message.items
        self._busy(False)
        self.query_one("#import-plan", Static).update(
            batch_view(self.items, self.get_component_rich_style)
        )
        refused = [i.reason for i in self.items if i.reason is not None]
        if refused:
            others = len(refused) - 1
            more = (
                ngettext(" (+{n} other)", " (+{n} others)", others).format(n=others)
                if others
                else ""
            )
            self._error(visible(refused[0]) + more)
        importable = any(i.importable for i in self.items)
        self.query_one("#confirm", Button).disabled = not importable
        if importable:
            self.query_one("#confirm", Button).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", description="plan")
    def _plan(self, path: str, startup: str | None) -> None:
        from store.importers.convention.plan import evidence_rows, load_extraction, plan_import

        try:
            extraction = load_extraction(path)
            with self.app.store().session() as session:
                plan = plan_import(session, extraction, startup)
        except StartupsError as exc:
            self.post_message(ImportRejected(str(exc)))
            return
        self.post_message(PlanReady(plan, evidence_rows(extraction)))

    def on_plan_ready(self, message: PlanReady) -> None:
        plan = message.plan
        self.plan = plan
        self._busy(False)
        self.query_one("#import-plan", Static).update(
            plan_view(plan, message.rows, self.get_component_rich_style)
        )
        if plan.problems:
            self._error(plan.problems[0])
        elif plan.nothing_to_do:
            self._error(_("nothing to import: {why}").format(why=plan.summary()[0]))
        parent_box = self.query_one("#parent-box")
        if plan.needs_parent_choice:
            select = self.query_one("#parent", Select)
            select.set_options([(c.label(), c.id) for c in plan.parent_candidates])
            parent_box.remove_class("-hidden")
        importable = not plan.problems and not plan.nothing_to_do
        self.query_one("#confirm", Button).disabled = not importable
        if importable:
            self.query_one("#confirm", Button).focus()

    def on_import_rejected(self, message: ImportRejected) -> None:
        self._busy(False)
        self._error(message.reason)
        self.query_one("#path", Input).focus()

    # --- applying (one transaction) -----------------------------------------------------

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self.items is not None:
            if self.query_one("#confirm", Button).disabled:
                return
            self._error(None)
            self._busy(True)
            self._apply_folder([i for i in self.items if i.importable], self.batch_startup)
            return
        plan = self.plan
        if plan is None or self.query_one("#confirm", Button).disabled:
            return
        if plan.needs_parent_choice:
            parent = self.query_one("#parent", Select).value
            if parent is Select.NULL:
                self._error(_("choose the convention the avenant amends"))
                return
            plan.choose_parent(parent)
        self._error(None)
        self._busy(True)
        self._apply(plan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", description="import")
    def _apply(self, plan) -> None:
        from store.importers.convention.plan import apply_import

        try:
            with self.app.store().session() as session:
                result = apply_import(session, plan)
        except StartupsError as exc:
            self.post_message(ImportRejected(str(exc)))
            return
        self.post_message(Imported(result))

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", description="import")
    def _apply_folder(self, items: list, startup: str | None) -> None:
        from store.importers.convention.batch import BatchResult, apply_item

        store = self.app.store()
        result = BatchResult()
        for item in items:
            stored = apply_item(store, item, startup)
            if stored is not None:
                result.results.append(stored)
        failed = [i.failure for i in items if i.failure]
        if failed and not result.results:
            self.post_message(ImportRejected(failed[0]))
            return
        self.post_message(Imported(result))

    def on_imported(self, message: Imported) -> None:
        self._busy(False)
        self.app.saved()
        self.app.notify(message.result.summary(), title=_("Imported"), timeout=6)
        self.dismiss(message.result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._busy(False)
        report_failure(self.app, event)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
