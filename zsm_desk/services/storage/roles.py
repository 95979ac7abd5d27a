"""Two database roles for a location on PostgreSQL: the owner and the application.

The owner (migration) role owns every table and runs the migrations; the
desks connect with the application role, which owns nothing. It may read and
write the working tables, but on the audit trail it has INSERT and SELECT
only (``audit_head``: SELECT and UPDATE, which the triggers restrict to
counting up). Not being the owner, it cannot drop, alter or disable the
triggers (``ALTER TABLE audit_entry DISABLE TRIGGER`` is refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from zsm_desk.services.storage.db import migrate

_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

#: Tables the application may only append to / read.
AUDIT_TABLES = {"audit_entry": "SELECT, INSERT", "audit_head": "SELECT, UPDATE"}
READ_ONLY = {"alembic_version": "SELECT"}


class RoleSetupError(Exception):
    """The roles cannot be set up; the message is one Dutch line."""


@dataclass(frozen=True)
class RoleReport:
    eigenaar: str
    app_rol: str
    rol_aangemaakt: bool
    tabellen: int


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def init_location(owner_url: str, app_role: str, *, app_password: str | None = None) -> RoleReport:
    """Migrate as the owner, create/limit the application role, grant what it needs."""
    if not _ROLE_RE.match(app_role):
        raise RoleSetupError(
            f"ongeldige rolnaam {app_role!r}: kleine letters, cijfers en _ (max. 63 tekens)"
        )
    url = make_url(owner_url)
    if url.get_backend_name() != "postgresql":
        raise RoleSetupError("databaserollen zijn er alleen voor PostgreSQL")
    if url.username == app_role:
        raise RoleSetupError("de applicatierol moet een andere rol zijn dan de eigenaar")
    engine = create_engine(owner_url)
    try:
        migrate(engine, owner_url)
        with engine.begin() as c:
            owner = str(c.execute(text("SELECT current_user")).scalar_one())
            created = _ensure_role(c, app_role, app_password)
            n = _grant(c, app_role, owner)
    finally:
        engine.dispose()
    return RoleReport(eigenaar=owner, app_rol=app_role, rol_aangemaakt=created, tabellen=n)


def _ensure_role(c: Connection, role: str, password: str | None) -> bool:
    row = c.execute(
        text("SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = :r"),
        {"r": role},
    ).first()
    q = _quote(role)
    if row is None:
        c.execute(text(f"CREATE ROLE {q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"))
        created = True
    else:
        if row.rolsuper or row.rolbypassrls or row.rolcreaterole:
            raise RoleSetupError(
                f"rol {role} is superuser of mag rollen maken/RLS omzeilen; kies een gewone rol"
            )
        created = False
    if password:
        c.execute(text(f"ALTER ROLE {q} PASSWORD :p"), {"p": password})
    return created


def _grant(c: Connection, role: str, owner: str) -> int:
    q = _quote(role)
    db = str(c.execute(text("SELECT current_database()")).scalar_one())
    # The application role owns nothing: hand anything it owns to the owner.
    owned = c.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = :r"),
        {"r": role},
    ).scalars()
    for t in list(owned):
        c.execute(text(f"ALTER TABLE public.{_quote(t)} OWNER TO {_quote(owner)}"))
    c.execute(text(f"GRANT CONNECT ON DATABASE {_quote(db)} TO {q}"))
    c.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    c.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {q}"))
    c.execute(text(f"GRANT USAGE ON SCHEMA public TO {q}"))
    tables = list(
        c.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
    )
    for t in tables:
        c.execute(text(f"REVOKE ALL ON public.{_quote(t)} FROM {q}"))
        if t in AUDIT_TABLES:
            c.execute(text(f"REVOKE ALL ON public.{_quote(t)} FROM PUBLIC"))
        privs = AUDIT_TABLES.get(t) or READ_ONLY.get(t) or "SELECT, INSERT, UPDATE, DELETE"
        c.execute(text(f"GRANT {privs} ON public.{_quote(t)} TO {q}"))
    c.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q}"))
    return len(tables)
