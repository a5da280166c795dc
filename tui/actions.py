"""What the app's screens share about actions: which ones write, and how a failure shows.

Read-only mode (``startups --read-only``) dims the writing actions in the footer and
refuses them; which keys those are is read from each screen's own bindings.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from store.rules.text import visible
from tui.language import _

# The actions that write: disabled (dimmed in the footer) in read-only mode.
WRITE_ACTIONS = frozenset(
    {
        "new_convention",
        "new_avenant",
        "edit",
        "new_line",
        "new_deadline",
        "toggle_done",
        "new_measurement",
        "new_kpi",
        "import_convention",
        "new_order",
        "new_service_fait",
        "new_payment",
        "new_committee",
        "decide",
    }
)


def action_name(binding: Binding) -> str:
    """``app.import_convention`` or ``sort(1)`` → ``import_convention``, ``sort``."""
    return binding.action.split("(")[0].removeprefix("app.").removeprefix("screen.")


def writes(bindings: Iterable[object], key: str) -> bool:
    """Is ``key`` bound to a writing action among these bindings?"""
    return any(
        isinstance(b, Binding) and key in b.key.split(",") and action_name(b) in WRITE_ACTIONS
        for b in bindings
    )


def report_failure(app: App, event: Worker.StateChanged) -> None:
    """A failing worker shows a notification, never a traceback.

    ``Worker.StateChanged`` does not bubble: each screen passes its own here.
    """
    if event.state is WorkerState.ERROR:
        error = event.worker.error
        # The message may quote data (a file name, a slug): text, never markup.
        app.notify(
            visible(str(error) or type(error).__name__),
            title=_("Error"),
            severity="error",
            timeout=8,
            markup=False,
        )
