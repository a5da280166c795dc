"""The app's words: ``_`` and ``ngettext`` of the ``app`` domain, and keys named in the
language of the moment.

Labels are written in English and marked; the French comes from the ``app`` catalog.
Key bindings are declared when a screen's class is defined, before a test (or a run)
may switch the language: their descriptions are written with ``N_`` and translated when
they are shown, by ``Translated.active_bindings`` (what the footer and Textual's keys
panel read).  Textual's own words that the app shows (the select's "Dismiss menu", the
palette's key) are marked here so that they have a French translation too.
"""

from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding, Binding

import i18n

DOMAIN = i18n.Domain("app")
_ = DOMAIN.gettext
ngettext = DOMAIN.ngettext
pgettext = DOMAIN.pgettext
N_ = i18n.N_

# Textual's own binding descriptions and tooltips, as Textual writes them: the footer and
# the keys panel (palette → « Touches ») list every binding of the focused widget and its
# ancestors, the hidden ones too, each read through ``translated``.
TEXTUAL_WORDS = (
    N_("Dismiss menu"),
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Show menu"),
    N_("Toggle"),
    N_("Press button"),
    # Screen
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    # Input
    N_("Input"),
    N_("Cut selected text"),
    N_("Paste text from the clipboard"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete right to start of word"),
    N_("Go to end"),
    N_("Go to start"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor left and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Select all"),
    N_("Select line end"),
    N_("Select line start"),
    N_("Submit"),
    # DataTable, Tree, OptionList, SelectionList, Tabs, scrolling containers
    N_("Bottom"),
    N_("Top"),
    N_("Cursor Down"),
    N_("Cursor Up"),
    N_("Cursor down"),
    N_("Cursor up"),
    N_("Cursor left"),
    N_("Cursor right"),
    N_("Cursor to next ancestor"),
    N_("Cursor to next sibling"),
    N_("Cursor to parent"),
    N_("Cursor to previous sibling"),
    N_("Expand or collapse all"),
    N_("Down"),
    N_("Up"),
    N_("End"),
    N_("Home"),
    N_("First"),
    N_("Last"),
    N_("Next tab"),
    N_("Previous tab"),
    N_("Page Down"),
    N_("Page Up"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Page down"),
    N_("Page up"),
    N_("Scroll Down"),
    N_("Scroll Up"),
    N_("Scroll End"),
    N_("Scroll Home"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Select"),
    N_("Toggle option"),
)


class GroupTitle:
    """A class's ``BINDING_GROUP_TITLE`` (the keys panel's heading over a widget's keys)
    read in the language of the moment."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return _(self.message)


def translate_group_titles() -> None:
    """Textual's ``Input`` heads its keys « Input » in the keys panel: in our words."""
    from textual.widgets import Input

    if not isinstance(Input.__dict__.get("BINDING_GROUP_TITLE"), GroupTitle):
        Input.BINDING_GROUP_TITLE = GroupTitle(N_("Input"))  # type: ignore[assignment]


_bindings: dict[tuple[Binding, str], Binding] = {}


ESCAPE = N_("Esc")  # the escape key's name, wherever a footer shows it


def translated(binding: Binding) -> Binding:
    """The binding with its description, tooltip and key name (``Esc``) in the language of
    the moment."""
    key = (binding, i18n.current())
    found = _bindings.get(key)
    if found is None:
        found = _bindings[key] = dataclasses.replace(
            binding,
            description=_(binding.description) if binding.description else "",
            tooltip=_(binding.tooltip) if binding.tooltip else "",
            key_display=_key_name(binding),
        )
    return found


def _key_name(binding: Binding) -> str | None:
    """The key's name as shown: the binding's own, else « Échap » for escape (Textual would
    write "esc"), else None for Textual's."""
    if binding.key_display:
        return _(binding.key_display)
    if binding.key == "escape":
        return _(ESCAPE)
    return None


class Translated:
    """A screen mixin: the keys it shows are named in the language of the moment."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings  # type: ignore[misc]
        return {
            key: ActiveBinding(
                a.node, translated(a.binding), a.enabled, _(a.tooltip) if a.tooltip else ""
            )
            for key, a in shown.items()
        }
