"""The one console set-up: no colour nor escape code at all when NO_COLOR is set or the
output is not a terminal; no automatic highlighting (data is shown as it is)."""

from __future__ import annotations

import os

from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    plain = "NO_COLOR" in os.environ
    return Console(
        stderr=stderr,
        color_system=None if plain else "auto",
        no_color=plain or None,
        highlight=False,
    )
