"""Textual's footer, recomposed only when the keys it shows change.

Textual's ``Footer`` rebuilds its keys (about a dozen widgets, each restyled) every
time the screen's bindings may have changed: three times while the portfolio opens
(the screen resumes, the table takes the focus…), with the same keys each time, about
12 ms apiece before the first paint.  This one compares what it would show with what
it shows and skips the rebuild when they are the same.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _shown: Any = None

    def _keys(self) -> Any:
        """What ``compose`` reads: the bindings shown, their state, the footer's options."""
        if not self._bindings_ready:
            return None
        return (
            tuple(
                (binding, enabled, tooltip)
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            ),
            self.compact,
            self.show_command_palette,
            self.app.ENABLE_COMMAND_PALETTE,
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys is not None and keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
