"""The application context shared by the command line and the window."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import Clock, ShiftedClock, SystemClock, parse_instant
from zsm_desk.services.security import users
from zsm_desk.services.storage.db import Database, open_database

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    db: Database
    account: str

    @property
    def clock(self) -> Clock:
        return self.db.clock

    def roles(self) -> frozenset[Role]:
        with self.db.session() as s:
            return users.roles_of(s, self.account)


#: Starts the program's clock at another instant (demo days, tests of the real
#: program on any date): ISO 8601, e.g. `2027-03-01T09:00+01:00` or `2027-03-01`.
CLOCK_ENV = "ZSM_DESK_NU"


class ClockSettingError(ValueError):
    pass


def clock_from_env() -> Clock:
    """The wall clock, or a clock started at `ZSM_DESK_NU` when that is set."""
    value = os.environ.get(CLOCK_ENV, "").strip()
    if not value:
        return SystemClock()
    try:
        return ShiftedClock(parse_instant(value))
    except ValueError:
        raise ClockSettingError(
            f"{CLOCK_ENV} is geen geldig tijdstip (verwacht bijvoorbeeld 2027-03-01T09:00+01:00)"
        ) from None


def open_app(db_url: str | None = None, *, clock: Clock | None = None) -> AppContext:
    """Open (and migrate) the database; a new database makes this account beheerder."""
    db = open_database(db_url, clock=clock or clock_from_env())
    account = users.current_account()
    with db.session() as s:
        users.ensure_first_account(s, account)
    try:  # retention at start (once a day); never blocks opening the database
        from zsm_desk.services.security import retention

        retention.run_if_due(db, account, now=db.clock.now())
    except Exception as e:  # the type only: a message could quote data
        log.warning("opschoning bij start mislukt (%s)", type(e).__name__)
    return AppContext(db=db, account=account)
