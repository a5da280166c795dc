"""Waiting for the app to be ready: explicit conditions, never a fixed number of pauses."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import ModalScreen

ROUNDS = 300  # each round waits for idle and for the workers; a bound, not a delay


def is_ready(app) -> bool:
    """No worker left, no loading indicator, and every visible screen shows its data.

    The visible screens are the current one and, under a modal, the ones beneath it.
    """
    if any(not worker.is_finished for worker in app.workers):
        return False
    for screen in reversed(app.screen_stack):
        if not getattr(screen, "ready", True):
            return False
        if any(widget.loading for widget in screen.query("*")):
            return False
        if not isinstance(screen, ModalScreen):
            break
    return True


async def wait_until(pilot, condition: Callable[[], bool], what: str = "condition") -> None:
    """Pause until ``condition()`` holds (bounded): the app's own word, not a timer."""
    for _ in range(ROUNDS):
        await pilot.pause()
        if condition():
            return
        await pilot.app.workers.wait_for_complete()
    raise AssertionError(f"{what} still false after {ROUNDS} rounds on {pilot.app.screen!r}")


async def settle(pilot) -> None:
    """Until the current screen has shown what its workers loaded."""
    await wait_until(pilot, lambda: is_ready(pilot.app), "ready")
    await pilot.pause()
