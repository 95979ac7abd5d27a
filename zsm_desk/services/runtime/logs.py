"""The log file: rotating, private, and without personal data.

`setup_logging()` sends log records to standard error (warnings; everything
with ``--verbose``) and to ``zsm-desk.log`` in the platform's log folder
(``~/.local/state/zsm-desk/log`` on Linux,
``%LOCALAPPDATA%\\zsm-desk\\Logs`` on Windows; ``$ZSM_DESK_LOG_DIR`` overrides
it). The file rotates at 1 MB and keeps five old files, is readable by the
user only, and every record first passes the privacy filter of
`zsm_desk.services.security.logsafe`. A folder that cannot be written costs
the file, never the start of the program.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import Any, cast

import platformdirs

from zsm_desk.services.security.logsafe import install_log_filter

__all__ = ["LOG_DIR_ENV", "LOG_FILE_NAME", "current_log_file", "log_dir", "setup_logging"]

LOG_DIR_ENV = "ZSM_DESK_LOG_DIR"
LOG_FILE_NAME = "zsm-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s]: %(message)s"

_file_handler: logging.Handler | None = None
_stderr_handler: logging.Handler | None = None


def log_dir() -> Path:
    """The folder for the log file (not created here)."""
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("zsm-desk", appauthor=False))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created with mode 0600."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return cast(
            io.TextIOWrapper, open(fd, self.mode, encoding=self.encoding, errors=self.errors)
        )


class OneLineFormatter(logging.Formatter):
    """Standard error gets the message only: never a traceback or stack."""

    def format(self, record: logging.LogRecord) -> str:
        plain = logging.makeLogRecord(record.__dict__)
        plain.exc_info = None
        plain.exc_text = None
        plain.stack_info = None
        return super().format(plain)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of the record."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _not_a_crash(record: logging.LogRecord) -> bool:
    # The crash hook tells the user itself, in one line with the log's location.
    return not record.name.startswith("zsm_desk.crash")


def current_log_file() -> Path | None:
    """The file being written, or None when there is none."""
    if isinstance(_file_handler, logging.FileHandler):
        return Path(_file_handler.baseFilename)
    return None


def setup_logging(verbose: bool = False, *, to_file: bool = True) -> Path | None:
    """Configure logging for this process (idempotent); returns the log file path.

    Standard error gets WARNING and up (INFO with `verbose`), one line each,
    never a traceback; the file INFO and up, with tracebacks. Both pass the
    privacy filter.
    """
    global _file_handler, _stderr_handler
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if sys.stderr is None:  # a windowed program on Windows has no console
        pass
    elif _stderr_handler is None and not root.handlers:
        # Like logging.basicConfig: only when nobody configured logging before
        # (a test runner's capture handlers, an embedding program).
        _stderr_handler = _StderrHandler()
        _stderr_handler.setFormatter(OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
        _stderr_handler.addFilter(_not_a_crash)
        root.addHandler(_stderr_handler)
    if _stderr_handler is not None:
        _stderr_handler.setLevel(logging.INFO if verbose else logging.WARNING)
    target = log_dir() / LOG_FILE_NAME
    if (
        to_file
        and isinstance(_file_handler, logging.FileHandler)
        and Path(_file_handler.baseFilename) != target.absolute()
    ):
        _remove_file_handler()  # the folder changed (tests, another user setting)
    if to_file and _file_handler is None:
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handler = PrivateRotatingFileHandler(
                target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        except OSError as e:
            logging.getLogger(__name__).warning(
                "geen logbestand in %s (%s)", target.parent, type(e).__name__
            )
        else:
            handler.setLevel(logging.INFO)
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)
            _file_handler = handler
    install_log_filter()  # also on the handlers just added
    return current_log_file()


def _remove_file_handler() -> None:
    global _file_handler
    if _file_handler is not None:
        logging.getLogger().removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None


def shutdown_logging() -> None:
    """Remove the handlers `setup_logging` added (tests)."""
    global _stderr_handler
    _remove_file_handler()
    if _stderr_handler is not None:
        logging.getLogger().removeHandler(_stderr_handler)
        _stderr_handler = None
