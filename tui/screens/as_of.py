"""Time travel: the as-of date every screen shows, typed and checked."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from store.errors import InvalidField
from store.ops.edit import parse_date
from tui.language import N_, Translated, _


class AsOfScreen(Translated, ModalScreen[dt.date | None]):
    """Returns the date typed (dd/mm/yyyy or yyyy-mm-dd), or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, current: dt.date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="as-of-dialog"):
            yield Static(_("See the portfolio on…"), classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label(_("Date (DD/MM/YYYY)"))
                yield Input(
                    self.current.strftime("%d/%m/%Y"), id="as-of", placeholder=_("DD/MM/YYYY")
                )
            yield Static("", id="error-as-of", classes="field-error -hidden")
            with Horizontal(classes="buttons"):
                yield Button(_("Today"), id="today")
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("See"), id="ok", variant="primary")

    def on_mount(self) -> None:
        field = self.query_one("#as-of", Input)
        field.focus()
        field.action_select_all()

    def _error(self, message: str | None) -> None:
        error = self.query_one("#error-as-of", Static)
        error.update(message or "")
        error.set_class(not message, "-hidden")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        try:
            day = parse_date("as_of", self.query_one("#as-of", Input).value, required=True)
        except InvalidField as exc:
            self._error(exc.message)
            return
        self.dismiss(day)

    @on(Button.Pressed, "#today")
    def _today(self) -> None:
        self.dismiss(dt.date.today())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
