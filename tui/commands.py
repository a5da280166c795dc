"""The command palette's provider: jump to any startup by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from store.rules.text import visible
from tui.language import _


class StartupCommands(Provider):
    """One command per startup of the portfolio ("Open Classe à 12")."""

    def _startups(self) -> list[tuple[str, str]]:
        return list(getattr(self.app, "titles", []))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for slug, title in self._startups():
            # Titles are data: shown as text, never read as markup (the palette reads a
            # string as markup), their control characters made visible.
            label = escape(visible(_("Open {title}").format(title=title)))
            score = max(matcher.match(label), matcher.match(slug))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self.app.action_open_startup, slug),
                    help=escape(visible(slug)),
                )

    async def discover(self) -> Hits:
        for slug, title in self._startups()[:20]:
            yield DiscoveryHit(
                Content(visible(_("Open {title}").format(title=title))),
                partial(self.app.action_open_startup, slug),
                help=escape(visible(slug)),
            )
