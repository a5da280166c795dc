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

# Textual's own binding descriptions and tooltips, as Textual writes them.
TEXTUAL_WORDS = (
    N_("Dismiss menu"),
    N_("palette"),
    N_("Open the command palette"),
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("Show menu"),
    N_("Toggle"),
    N_("Press button"),
)

_bindings: dict[tuple[Binding, str], Binding] = {}


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
            key_display=_(binding.key_display) if binding.key_display else binding.key_display,
        )
    return found


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
