"""Work off the UI thread.

The UI submits a callable without arguments (usually a `Desk` method, e.g.
``worker.submit(lambda: desk.decide(...), on_done, on_error)``); the worker
thread runs it and hands the plain result back through a signal, so the UI
thread never waits on the database, a file or the network. The `Desk` opens a
transaction per call on the thread that calls it, so nothing here holds one.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, SignalInstance, Slot

log = logging.getLogger(__name__)

Job = Callable[[], Any]  # () -> plain result


class _Probe(QObject):
    ping = Signal()


def _emit_drops_true() -> bool:
    """PySide6 6.12.0 on Python < 3.12: `SignalInstance.emit()` returns `True`
    without a new reference, so every emit from Python takes one reference off
    `True`; after a few thousand emits (a few hours of polling) the process
    aborts with "Fatal Python error: bool_dealloc". Python 3.12+ is immune
    (immortal bools). Measured once, so a fixed PySide6 gets no compensation.
    """
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    if lost > 0:  # give back what the probe took
        for _ in range(lost):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost == 8


_EMIT_DROPS_TRUE = _emit_drops_true()


def emit(signal: SignalInstance, *args: Any) -> None:
    """`signal.emit(*args)`, compensating the PySide6 reference bug above."""
    signal.emit(*args)
    if _EMIT_DROPS_TRUE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


class _Runner(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)

    @Slot(int, object)
    def run(self, job_id: int, fn: Job) -> None:
        try:
            result = fn()
        except Exception as e:  # reported to the UI as one Dutch line
            log.warning("taak mislukt: %s", type(e).__name__)
            emit(self.failed, job_id, _message(e))
            return
        emit(self.done, job_id, result)


def _message(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:300]


class DbWorker(QObject):
    """Submit `fn()`; `on_done(result)` / `on_error(message)` run on the UI thread."""

    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("zsm-db-worker")
        self._runner = _Runner()
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
        emit(self._submit, job_id, fn)
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
