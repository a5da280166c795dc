"""The help screen: every binding, from ``help.md`` beside this file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

import i18n
from tui.language import N_, Translated

HELP = Path(__file__).with_name("help.md")  # in English; help.fr.md in French


def help_text() -> str:
    """The help in the language of the moment."""
    translated = HELP.with_name(f"help.{i18n.current()}.md")
    return (translated if translated.exists() else HELP).read_text(encoding="utf-8")


class HelpScreen(Translated, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", N_("Close")),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-body"):
            yield Markdown(help_text())
