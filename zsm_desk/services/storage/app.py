"""The application context shared by the command line and the window."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import Clock
from zsm_desk.services.security import users
from zsm_desk.services.storage.db import (  # noqa: F401  (re-exported)
    CLOCK_ENV,
    ClockSettingError,
    Database,
    clock_from_env,
    open_database,
)

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


def open_app(db_url: str | None = None, *, clock: Clock | None = None) -> AppContext:
    """Open (and migrate) the database; a new database makes this account beheerder."""
    db = open_database(db_url, clock=clock)
    account = users.current_account()
    with db.session() as s:
        users.ensure_first_account(s, account)
    from zsm_desk.services.runtime.deployment import apply_to_database

    apply_to_database(db, account)  # IT's configuratie file and ZSM-locatie, when set
    try:  # retention at start (once a day); never blocks opening the database
        from zsm_desk.services.security import retention

        retention.run_if_due(db, account, now=db.clock.now())
    except Exception as e:  # the type only: a message could quote data
        log.warning("opschoning bij start mislukt (%s)", type(e).__name__)
    return AppContext(db=db, account=account)
