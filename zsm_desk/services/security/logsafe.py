"""Log lines without personal data.

The code logs internal ids, counts and exception types, never names. As a
safety net, `PersonalDataFilter` masks every free-standing 9-digit number (a
BSN, also written as ``1234.56.789``) in a record's message, arguments,
exception text and stack before any handler writes it.

`install_log_filter()` installs it on the root logger and its handlers *and*
wraps the log record factory. The second part matters: Python applies a
logger's filters only to records logged on that very logger, not to records
propagating up from ``zsm_desk.*`` loggers, and handlers added later (a
``basicConfig`` after the install, a test's capture handler) would miss a
handler filter. Installing twice is harmless.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any

MASK = "*********"
_BSN_RE = re.compile(r"(?<![\d.])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![\d])")
# SQLAlchemy appends the statement and its parameters (names, BSN, free text)
# to a database error's text; the driver adds a DETAIL line with key values.
_SQL_BLOCK_RE = re.compile(
    r"\[SQL: .*?(?=\(Background on this error|\Z)", re.DOTALL
)  # fmt: skip
_DETAIL_RE = re.compile(r"^(\s*)(DETAIL|HINT|CONTEXT|WHERE|LINE \d+):.*$", re.MULTILINE)
_SQL_OMITTED = "[SQL en parameters weggelaten]\n"


def scrub(text: str) -> str:
    """`text` without SQL statements, parameters and DETAIL lines of database errors."""
    if "[SQL: " in text:
        text = _SQL_BLOCK_RE.sub(_SQL_OMITTED, text)
    if "[parameters: " in text:  # a statement-less error with parameters
        text = re.sub(r"\[parameters: .*?(?=\(Background on this error|\Z)", _SQL_OMITTED,
                      text, flags=re.DOTALL)  # fmt: skip
    return _DETAIL_RE.sub(r"\1\2: [weggelaten]", text)


def mask(text: str) -> str:
    """`text` with every free-standing 9-digit number replaced by asterisks, and
    without the SQL and parameters of database errors (`scrub`)."""
    return _BSN_RE.sub(MASK, scrub(text))


def _clean(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_zsm_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep the template only
        message = str(record.msg)
    record.msg = mask(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._zsm_masked = True  # type: ignore[attr-defined]
    return record


class PersonalDataFilter(logging.Filter):
    """Masks BSN-like numbers in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        _clean(record)
        return True


_lock = threading.Lock()
_installed = False
_FILTER = PersonalDataFilter()


def install_log_filter() -> None:
    """Mask personal numbers in every log record of this process (idempotent)."""
    global _installed
    root = logging.getLogger()
    with _lock:
        if _FILTER not in root.filters:
            root.addFilter(_FILTER)
        for h in root.handlers:
            if _FILTER not in h.filters:
                h.addFilter(_FILTER)
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return _clean(previous(*args, **kwargs))

        factory._zsm_previous = previous  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
        _installed = True


def uninstall_log_filter() -> None:
    """Undo `install_log_filter` (tests)."""
    global _installed
    root = logging.getLogger()
    with _lock:
        root.removeFilter(_FILTER)
        for h in root.handlers:
            h.removeFilter(_FILTER)
        factory = logging.getLogRecordFactory()
        previous = getattr(factory, "_zsm_previous", None)
        if previous is not None:
            logging.setLogRecordFactory(previous)
        _installed = False


def is_installed() -> bool:
    return _installed
