"""Accounts and their roles. Identity is the OS login (getpass.getuser())."""

from __future__ import annotations

import getpass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import ALL_ROLES, Action, Role, allowed, refusal
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import UserRole


class NotAllowed(Exception):
    """The account lacks the role for this action; the message is Dutch."""


def current_account() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (odd service accounts): no roles either
        return "onbekend"


def roles_of(session: Session, account: str) -> frozenset[Role]:
    row = session.get(UserRole, account)
    if row is None:
        return frozenset()
    out = set()
    for r in row.roles:
        try:
            out.add(Role(r))
        except ValueError:
            continue  # a role removed in a later version grants nothing
    return frozenset(out)


def all_accounts(session: Session) -> dict[str, frozenset[Role]]:
    """Every account with its (still known) roles, ordered by account name."""
    return {
        row.account: roles_of(session, row.account)
        for row in session.execute(select(UserRole).order_by(UserRole.account)).scalars()
    }


def ensure_first_account(session: Session, account: str) -> bool:
    """The account that creates a new database gets every role (interfaces.md §5)."""
    if session.execute(select(func.count()).select_from(UserRole)).scalar_one():
        return False
    session.add(UserRole(account=account, roles=sorted(r.value for r in ALL_ROLES)))
    audit.append(
        session,
        account,
        audit.ROLES,
        purpose="eerste account van nieuwe database",
        detail={"account": account, "rollen": sorted(r.value for r in ALL_ROLES)},
    )
    return True


def set_roles(session: Session, actor: str, account: str, roles: frozenset[Role]) -> None:
    if Role.BEHEERDER not in roles_of(session, actor):
        raise NotAllowed("alleen een beheerder mag rollen toekennen")
    row = session.get(UserRole, account)
    if row is None:
        row = UserRole(account=account, roles=[])
        session.add(row)
    row.roles = sorted(r.value for r in roles)
    audit.append(
        session,
        actor,
        audit.ROLES,
        purpose="rollen toegekend",
        detail={"account": account, "rollen": row.roles},
    )


def require(roles: frozenset[Role], action: Action) -> None:
    if not allowed(roles, action):
        raise NotAllowed(refusal(action))
