"""Database errors as one safe Dutch line, and retrying transactions that lost a race.

A database error's text carries the SQL statement and its parameters (names,
BSN, free text). Nothing here ever shows that text: `describe` names the kind
of problem only. `run_transaction` retries serialisation failures and
deadlocks (PostgreSQL 40001/40P01) and a busy SQLite file, with a short,
jittered back-off; every attempt is a fresh transaction.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from zsm_desk.services.storage.db import Database

log = logging.getLogger(__name__)

T = TypeVar("T")

#: PostgreSQL SQLSTATEs of a transaction that lost a race and may simply run again.
RETRY_SQLSTATES = frozenset({"40001", "40P01"})
#: SQLSTATE classes of a server that cannot be reached or used.
UNREACHABLE_CLASSES = ("08", "53", "57", "28", "3D")


def sqlstate(error: BaseException) -> str:
    """The SQLSTATE of a (wrapped) driver error, or ""."""
    orig = getattr(error, "orig", error)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(code or "")


def is_retryable(error: BaseException) -> bool:
    """A deadlock, a serialisation failure or a busy SQLite file."""
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if sqlstate(error) in RETRY_SQLSTATES:
        return True
    text = str(getattr(error, "orig", "")).lower()
    return "database is locked" in text or "database is busy" in text


def is_conflict(error: BaseException) -> bool:
    """A unique or foreign-key violation: someone else changed the same thing first."""
    return isinstance(error, sa_exc.IntegrityError)


def describe(error: BaseException) -> str:
    """One Dutch line for the user: the kind of problem, never SQL, values or names."""
    code = sqlstate(error)
    if isinstance(error, sa_exc.IntegrityError):
        return (
            "de database weigerde de wijziging: een ander werkstation legde intussen "
            "hetzelfde vast; niets gewijzigd, vernieuw het overzicht"
        )
    if code in RETRY_SQLSTATES or is_retryable(error):
        return (
            "de database was bezet door andere werkstations (ook na herhalen); "
            "niets gewijzigd, probeer het opnieuw"
        )
    if code == "42501":
        return (
            "de databaserol van ZSM Desk heeft hiervoor geen rechten; "
            "vraag de beheerder (zsm-desk db init)"
        )
    if isinstance(error, sa_exc.OperationalError) and (
        not code or code.startswith(UNREACHABLE_CLASSES)
    ):
        return "database niet bereikbaar of onbruikbaar"
    if isinstance(error, sa_exc.StatementError) and not isinstance(error, sa_exc.DBAPIError):
        inner = type(getattr(error, "orig", None) or error).__name__
        return f"een waarde kon niet in de database worden opgeslagen ({inner}); niets gewijzigd"
    return f"databasefout ({type(error).__name__}{', ' + code if code else ''}); niets gewijzigd"


def run_transaction(
    db: Database, work: Callable[[Session], T], *, attempts: int = 8, base_delay: float = 0.02
) -> T:
    """`work(session)` in one transaction, retried when it lost a race (see module doc)."""
    for attempt in range(1, attempts + 1):
        try:
            with db.session() as s:
                return work(s)
        except sa_exc.DBAPIError as e:
            if not is_retryable(e) or attempt == attempts:
                raise
            log.info("transactie herhaald na %s (poging %d)", sqlstate(e) or "bezet", attempt)
            time.sleep(base_delay * (2 ** min(attempt, 6)) * (0.5 + random.random()))
    raise AssertionError("unreachable")  # pragma: no cover
