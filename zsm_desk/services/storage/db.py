"""Opening the database: URL resolution, SQLite pragmas, migrations with backup.

Default is an embedded SQLite file (WAL) in the user data directory; any
SQLAlchemy URL via `--db` or `ZSM_DESK_DB`. Migrations run at start; a SQLite
file that already holds data is copied aside before a migration touches it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from zsm_desk.domain.clock import Clock, SystemClock

log = logging.getLogger(__name__)

ENV_VAR = "ZSM_DESK_DB"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


CLOCK_KEY = "zsm_clock"


def clock_of(session: Session) -> Clock:
    """The clock of the database this session belongs to (the system clock otherwise)."""
    clock = session.info.get(CLOCK_KEY)
    return clock if clock is not None else SystemClock()


def now_of(session: Session) -> dt.datetime:
    """ "Now" (aware, UTC) as the session's database clock says."""
    return clock_of(session).now()


def default_url() -> str:
    data_dir = Path(platformdirs.user_data_dir("zsm-desk", appauthor=False))
    return f"sqlite:///{data_dir / 'zsm-desk.sqlite'}"


def resolve_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get(ENV_VAR) or default_url()


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable by the user only (before SQLite does, 0644)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    else:
        os.chmod(path, 0o600)


@dataclass
class Database:
    url: str
    engine: Engine
    session_factory: sessionmaker[Session]
    #: The one source of "now" for everything done through this database.
    clock: Clock = field(default_factory=SystemClock)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success, rolled back on error; one per thread."""
        s = self.session_factory()
        s.info[CLOCK_KEY] = self.clock
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(engine_connection: object | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine_connection is not None:
        cfg.attributes["connection"] = engine_connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _backup_sqlite(path: Path, rev: str, clock: Clock) -> Path:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{rev}-{stamp}")
    src = sqlite3.connect(path)
    try:
        fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    log.info("database backed up before migration to %s", target.name)
    return target


def migrate(engine: Engine, url: str, clock: Clock | None = None) -> Path | None:
    """Bring the schema to head. Returns the backup path when one was made."""
    head = head_revision()
    cur = current_revision(engine)
    if cur == head:
        return None
    backup = None
    path = sqlite_path(url)
    if cur is not None and path is not None and path.exists() and path.stat().st_size > 0:
        backup = _backup_sqlite(path, cur, clock or SystemClock())
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    return backup


def open_database(
    url: str | None = None, *, run_migrations: bool = True, clock: Clock | None = None
) -> Database:
    url = resolve_url(url)
    clock = clock or SystemClock()
    path = sqlite_path(url)
    kwargs: dict[str, object] = {}
    if path is not None:
        _create_private_file(path)
        kwargs["connect_args"] = {"timeout": 15}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            if path is not None:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    if run_migrations:
        migrate(engine, url, clock)
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, session_factory=factory, clock=clock)
