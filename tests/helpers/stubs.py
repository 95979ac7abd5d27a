"""Fake objects for tests of our own widgets (after qutebrowser's tests/helpers/stubs.py).

Only stand-ins for the *threading*: the work itself always runs for real,
through a real `Desk` on a real database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from keyring.backend import KeyringBackend

from zsm_desk.app_context import AppContext
from zsm_desk.desk import Desk
from zsm_desk.ui.worker import _message


class SyncRunner:
    """A `run_in_worker(fn, on_done, on_error)` that runs `fn()` at once on this
    thread, with the real worker's one-line error text; counts the jobs. `desk`:
    the desk the dialog under test is given (for tests that need both)."""

    def __init__(self, desk: Desk | None = None) -> None:
        self.desk = desk
        self.jobs = 0
        self.errors: list[str] = []

    def __call__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.jobs += 1
        try:
            result = fn()
        except Exception as e:
            self.errors.append(_message(e))
            if on_error is not None:
                on_error(_message(e))
            return
        if on_done is not None:
            on_done(result)


class RecordingRunner:
    """A `run_in_worker` that only records what was submitted (nothing runs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)


def desk_for(ctx: AppContext, account: str | None = None) -> Desk:
    """A desk on the context's database, as `account` (default the context's)."""
    return Desk(ctx.db, account or ctx.account)


class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring that keeps secrets in a dict (tests only)."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)
