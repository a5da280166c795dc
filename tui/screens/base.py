"""What every data screen shares: reload when the as-of date or the data changed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui.actions import WRITE_ACTIONS, report_failure


class DataScreen(Screen[None]):
    """A screen showing data as of ``app.as_of``; ``reload()`` starts its worker."""

    _loaded_key: Any = None  # what the last load was started for
    _applied_key: Any = None  # what the data on screen was loaded for
    _failed_key: Any = None  # what the last failed load was started for

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only mode: the writing actions are shown dimmed and not run."""
        if getattr(self.app, "read_only", False) and action in WRITE_ACTIONS:
            return None
        return True

    def data_key(self) -> Any:
        return (self.app.as_of, self.app.data_version)

    def on_mount(self) -> None:
        # Read the app's reactives before watching them: a reactive read for the first
        # time calls its watchers, which would start a second load inside the first.
        self.data_key()
        self.watch(self.app, "as_of", self._data_changed, init=False)
        self.watch(self.app, "data_version", self._data_changed, init=False)

    def on_screen_resume(self) -> None:
        if self._loaded_key != self.data_key():
            self.reload()

    def _data_changed(self, _value: object) -> None:
        if self.is_current:
            self.reload()

    def reload(self) -> None:
        self._loaded_key = self.data_key()
        self.set_loading(True)
        self.load()

    def applied(self) -> None:
        """Each screen calls this once it has shown what its worker loaded."""
        self._applied_key = self._loaded_key
        self.set_loading(False)

    @property
    def ready(self) -> bool:
        """The screen shows (or has reported it could not load) its current data.

        Tests and snapshots wait for this instead of a fixed number of pauses.
        """
        key = self.data_key()
        return self._applied_key == key or self._failed_key == key

    def load(self) -> None:  # pragma: no cover - each screen starts its own worker
        raise NotImplementedError

    def set_loading(self, loading: bool) -> None:
        """Show (or hide) the loading indicator over the screen's main widget."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED) and not any(
            w.is_running and w.node is self and w.group == "load" for w in self.app.workers
        ):
            self.set_loading(False)
        if event.state is WorkerState.ERROR and event.worker.group == "load":
            self._failed_key = self._loaded_key
        report_failure(self.app, event)
