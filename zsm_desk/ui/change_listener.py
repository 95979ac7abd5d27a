"""The window hears about other desks' changes at once (issue 15).

A `notify.ChangeListener` thread (PostgreSQL LISTEN/NOTIFY, SQLite
data_version polling) emits a Qt signal; after a short debounce the window
runs its usual `check_for_changes`. The slow poll timer stays as a safety net.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

DEBOUNCE_MS = 50


class ChangeBridge(QObject):
    changed = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._check)
        self.changed.connect(self._timer.start)  # queued: emitted from the listener thread
        self._listener = window.desk.listen_for_changes(self._on_change)

    def _on_change(self, _change: object) -> None:
        self.changed.emit()

    def _check(self) -> None:
        w = self._window
        if w._loading or w.worker.pending:  # busy: look again shortly
            self._timer.start()
            return
        w.check_for_changes()

    def stop(self) -> None:
        self._timer.stop()
        self._listener.stop(timeout=1.0)


def attach(window: Any) -> ChangeBridge:
    return ChangeBridge(window)
