"""Database work off the UI thread.

One worker thread owns all database sessions of the window (a session stays
on the thread that made it). The UI submits a function of a session; the
worker runs it and hands the plain result back through a signal, so the UI
thread never waits on the database or a file.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from zsm_desk.services.db import Database

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]  # session -> plain result


class _Runner(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self._db = db

    @Slot(int, object)
    def run(self, job_id: int, fn: Job) -> None:
        try:
            with self._db.session() as s:
                result = fn(s)
        except Exception as e:  # reported to the UI as one Dutch line
            log.warning("taak mislukt: %s", type(e).__name__)
            self.failed.emit(job_id, _message(e))
            return
        self.done.emit(job_id, result)


def _message(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]


class DbWorker(QObject):
    """Submit `fn(session)`; `on_done(result)` / `on_error(message)` run on the UI thread."""

    _submit = Signal(int, object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("zsm-db-worker")
        self._runner = _Runner(db)
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.run)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._callbacks: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[str], None] | None]
        ] = {}
        self._thread.start()

    def submit(
        self,
        fn: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        self._submit.emit(job_id, fn)
        return job_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object)
    def _on_done(self, job_id: int, result: object) -> None:
        cb, _ = self._callbacks.pop(job_id, (None, None))
        if cb is not None:
            cb(result)

    @Slot(int, str)
    def _on_failed(self, job_id: int, message: str) -> None:
        _, eb = self._callbacks.pop(job_id, (None, None))
        if eb is not None:
            eb(message)

    def stop(self) -> None:
        self._thread.quit()
        self._thread.wait(5000)
