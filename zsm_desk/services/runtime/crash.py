"""Crash capture: nothing the windowed program meets gets lost.

`install_crash_handler(notify)`:

* `faulthandler` writes the Python stacks of a hard crash (segfault in Qt, a
  deadlock killed by the OS) to ``crash.log`` beside the log file;
* `sys.excepthook` (also reached by exceptions in Qt slots) and
  `threading.excepthook` log the exception with its traceback at CRITICAL,
  through the privacy filter, into the log file;
* `notify` gets one Dutch line for the user with the log file's location (the
  window shows it in a message box, the console prints it).
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from zsm_desk.services.runtime.logs import current_log_file, log_dir

__all__ = ["crash_message", "install_crash_handler", "uninstall_crash_handler"]

log = logging.getLogger("zsm_desk.crash")

Notify = Callable[[str], None]

_fault_file: IO[Any] | None = None
_previous_hooks: tuple[Any, Any] | None = None


def crash_message(log_file: Path | None) -> str:
    """The one line the user sees."""
    where = str(log_file) if log_file is not None else str(log_dir())
    return f"ZSM Desk stuitte op een onverwachte fout; de details staan in het logbestand {where}."


def _print_stderr(line: str) -> None:
    if sys.stderr is not None:  # None in a windowed program on Windows
        print(line, file=sys.stderr)


def install_crash_handler(notify: Notify | None = None) -> None:
    """Install faulthandler and the exception hooks (idempotent; the last notify wins)."""
    global _fault_file, _previous_hooks
    tell = notify or _print_stderr
    if _fault_file is None:
        try:
            folder = log_dir()
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _fault_file = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(file=_fault_file, all_threads=True)
        except OSError:
            _fault_file = None
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)

    def excepthook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("onverwachte fout: %s", exc_type.__name__, exc_info=(exc_type, exc, tb))
        try:
            tell(crash_message(current_log_file()))
        except Exception:  # the notification itself must never crash the crash path
            log.exception("melding van de fout mislukt")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.critical(
            "onverwachte fout in thread %s: %s",
            args.thread.name if args.thread else "?",
            args.exc_type.__name__,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def uninstall_crash_handler() -> None:
    """Restore the previous hooks and stop faulthandler (tests)."""
    global _fault_file, _previous_hooks
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
