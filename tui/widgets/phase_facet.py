"""The portfolio's phase facet: several phases at once (construction and accélération…).

One line in the facets bar naming what is chosen; Enter, a click, or ``p`` on the
portfolio opens a small list where each phase is ticked or not (space or Enter), applied
as it is ticked; Escape closes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from store.rules.text import visible
from store.rules.vocab import PHASE_LABELS
from tui.language import N_, Translated, _, ngettext
from tui.widgets.footer import Footer

LABEL_WIDTH = 13  # cells of the facet's words (16 in all, as the other facets)


def phase_words(phases) -> str:
    """The phases chosen, in words, in the order given."""
    return ", ".join(visible(PHASE_LABELS.get(p, p)) for p in phases)


class PhaseFacet(Static, can_focus=True):
    """The phases the portfolio shows (none chosen: every phase)."""

    DEFAULT_CSS = """
    PhaseFacet { width: 16; height: 1; margin-left: 1; background: $surface; }
    PhaseFacet:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "pick", N_("Choose the phases"), show=False),
    ]

    chosen: reactive[frozenset[str]] = reactive(frozenset(), init=False)

    @dataclass
    class Changed(Message):
        facet: PhaseFacet

        @property
        def control(self) -> PhaseFacet:
            return self.facet

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options: list[str] = []  # the phases to choose from, in their order

    def on_mount(self) -> None:
        self.update(self._label())

    def set_options(self, phases: list[str]) -> None:
        """The phases of the portfolio; a chosen one no longer there is dropped."""
        self.options = list(phases)
        kept = self.chosen & set(phases)
        if kept != self.chosen:
            self.chosen = frozenset(kept)

    def ordered(self) -> list[str]:
        """The chosen phases, in the portfolio's order."""
        return [p for p in self.options if p in self.chosen] + sorted(
            self.chosen - set(self.options)
        )

    def _label(self) -> Text:
        """As the other facets show themselves: the words, then ▼ at the right."""
        chosen = self.ordered()
        if not chosen:
            words, style = _("phase"), "dim"
        elif len(chosen) == 1:
            words, style = phase_words(chosen), ""
        else:
            n = len(chosen)
            words, style = ngettext("{n} phase", "{n} phases", n).format(n=n), "bold"
        text = Text(words, style=style)
        text.truncate(LABEL_WIDTH, overflow="ellipsis", pad=True)
        text.append(" ▼ ")
        return text

    def watch_chosen(self) -> None:
        self.update(self._label())
        self.post_message(self.Changed(self))

    def on_click(self) -> None:
        self.action_pick()

    def action_pick(self) -> None:
        self.app.push_screen(PhasePicker(self))


class PhasePicker(Translated, ModalScreen[None]):
    """Tick the phases to show; each tick applies at once."""

    DEFAULT_CSS = """
    PhasePicker { align: center middle; }
    PhasePicker > Vertical {
        width: 44; height: auto; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    PhasePicker .dialog-title { text-style: bold; color: $accent; }
    PhasePicker .picker-hint { color: $text-muted; }
    PhasePicker SelectionList { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("backspace", "none", N_("Every phase")),
    ]

    def __init__(self, facet: PhaseFacet) -> None:
        super().__init__()
        self.facet = facet

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("Phases shown"), classes="dialog-title")
            yield SelectionList[str](
                *(
                    Selection(Text(visible(PHASE_LABELS.get(p, p))), p, p in self.facet.chosen)
                    for p in self.facet.options
                ),
                id="phases",
            )
            yield Static(
                _("Space or Enter: tick · none ticked: every phase"),
                classes="picker-hint",
                markup=False,
            )
        yield Footer()

    @on(SelectionList.SelectedChanged)
    def _ticked(self, event: SelectionList.SelectedChanged) -> None:
        self.facet.chosen = frozenset(event.selection_list.selected)

    def action_none(self) -> None:
        self.query_one(SelectionList).deselect_all()

    def action_close(self) -> None:
        self.dismiss(None)
