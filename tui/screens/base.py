"""What every data screen shares: reload when the as-of date or the data changed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.worker import Worker, WorkerState


class DataScreen(Screen[None]):
    """A screen showing data as of ``app.as_of``; ``reload()`` starts its worker."""

    _loaded_key: Any = None

    def data_key(self) -> Any:
        return (self.app.as_of, self.app.data_version)

    def on_mount(self) -> None:
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

    def load(self) -> None:  # pragma: no cover - each screen starts its own worker
        raise NotImplementedError

    def set_loading(self, loading: bool) -> None:
        """Show (or hide) the loading indicator over the screen's main widget."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state in (WorkerState.ERROR, WorkerState.CANCELLED) and not any(
            w.is_running and w.node is self and w.group == "load" for w in self.app.workers
        ):
            self.set_loading(False)
        self.app.report_failure(event)
