"""The application context shared by the command line and the window."""

from __future__ import annotations

from dataclasses import dataclass

from zsm_desk.domain.access import Role
from zsm_desk.services import users
from zsm_desk.services.db import Database, open_database


@dataclass
class AppContext:
    db: Database
    account: str

    def roles(self) -> frozenset[Role]:
        with self.db.session() as s:
            return users.roles_of(s, self.account)


def open_app(db_url: str | None = None) -> AppContext:
    """Open (and migrate) the database; a new database makes this account beheerder."""
    db = open_database(db_url)
    account = users.current_account()
    with db.session() as s:
        users.ensure_first_account(s, account)
    return AppContext(db=db, account=account)
