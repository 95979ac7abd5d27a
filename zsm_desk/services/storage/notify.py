"""Change notification between desks: who claimed, decided, sent or imported what.

PostgreSQL: triggers (migration 0110) send ``NOTIFY zsm_desk`` with payload
``<onderwerp>:<item id>`` for claims, decisions, outbox messages, imports,
adviesvragen and hits; `ChangeListener` holds one ``LISTEN`` connection in a
thread and calls back within milliseconds of the other desk's commit.

SQLite: no server to tell anyone. The listener polls ``PRAGMA data_version``
on its own connection (10 times a second); that number changes whenever
another connection commits to the file. The topic is then unknown ("*").

The callback runs in the listener's thread: a window passes it on to its own
thread (a Qt signal). Connection trouble is retried quietly with a back-off;
the window's slow poll remains the safety net.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from zsm_desk.services.storage.db import sqlite_path

log = logging.getLogger(__name__)

CHANNEL = "zsm_desk"
ANY = "*"
SQLITE_POLL_S = 0.1


@dataclass(frozen=True)
class Change:
    onderwerp: str  # claim, beslissing, uitbak, import, adviesvraag, hit, or "*"
    item_id: int | None = None

    @classmethod
    def parse(cls, payload: str) -> Change:
        topic, _, item = payload.partition(":")
        return cls(topic or ANY, int(item) if item.isdigit() else None)


Callback = Callable[[Change], None]


class ChangeListener:
    """Calls `callback(Change)` for every change another desk commits (see module doc)."""

    def __init__(self, url: str, callback: Callback) -> None:
        self.url = url
        self.callback = callback
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # set once listening (tests, benchmark)

    def start(self) -> ChangeListener:
        target = self._run_sqlite if sqlite_path(self.url) is not None else self._run_pg
        self._thread = threading.Thread(target=target, name="zsm-wijzigingen", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _emit(self, change: Change) -> None:
        try:
            self.callback(change)
        except Exception as e:  # a broken callback must not end the listener
            log.warning("verwerking van een wijziging mislukt (%s)", type(e).__name__)

    # --- PostgreSQL ---------------------------------------------------------------------

    def _pg_conninfo(self) -> str:
        u = make_url(self.url)
        return u.set(drivername="postgresql").render_as_string(hide_password=False)

    def _run_pg(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._pg_conninfo(), autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    delay = 0.5
                    while not self._stop.is_set():
                        for n in conn.notifies(timeout=0.5, stop_after=64):
                            self._emit(Change.parse(n.payload))
            except Exception as e:
                log.info("luisteren naar wijzigingen onderbroken (%s)", type(e).__name__)
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)

    # --- SQLite ---------------------------------------------------------------------------

    def _run_sqlite(self) -> None:
        path = sqlite_path(self.url)
        assert path is not None
        last: int | None = None
        con: sqlite3.Connection | None = None
        while not self._stop.is_set():
            try:
                if con is None:
                    con = sqlite3.connect(path, timeout=2, check_same_thread=False)
                version = int(con.execute("PRAGMA data_version").fetchone()[0])
                if last is not None and version != last:
                    self._emit(Change(ANY))
                last = version
                self.ready.set()
            except sqlite3.Error as e:
                log.info("wijzigingen niet gelezen (%s)", type(e).__name__)
                if con is not None:
                    con.close()
                con = None
            self._stop.wait(SQLITE_POLL_S)
        if con is not None:
            con.close()


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.01) -> bool:
    """Poll `predicate` until true or `timeout` seconds passed (tests and benchmark)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
