"""Opening the database: URL resolution, SQLite pragmas, migrations with backup.

Default is an embedded SQLite file (WAL) in the user data directory; any
SQLAlchemy URL via `--db`, `ZSM_DESK_DB`, or the ``database`` key of the user's
or the machine's ``zsm-desk.toml`` (`zsm_desk.services.runtime.deployment`).
Migrations run at start; a SQLite file that already holds data is copied aside
before a migration touches it. A database migrated by a newer ZSM Desk (a
revision this client does not know) is refused with `DatabaseTooNew`, before
anything is changed.
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

from zsm_desk.domain.clock import Clock, ShiftedClock, SystemClock, parse_instant

log = logging.getLogger(__name__)

ENV_VAR = "ZSM_DESK_DB"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


#: Starts the program's clock at another instant (demo days, tests of the real
#: program on any date): ISO 8601, e.g. `2027-03-01T09:00+01:00` or `2027-03-01`.
CLOCK_ENV = "ZSM_DESK_NU"


class ClockSettingError(ValueError):
    pass


_env_clocks: dict[str, Clock] = {}


def clock_from_env() -> Clock:
    """The wall clock, or a clock started at `ZSM_DESK_NU` when that is set.

    One running clock per process and value, so every database the process
    opens agrees on the time and it never runs backwards between them.
    """
    value = os.environ.get(CLOCK_ENV, "").strip()
    if not value:
        return SystemClock()
    try:
        if value not in _env_clocks:
            _env_clocks[value] = ShiftedClock(parse_instant(value))
        return _env_clocks[value]
    except ValueError:
        raise ClockSettingError(
            f"{CLOCK_ENV} is geen geldig tijdstip (verwacht bijvoorbeeld 2027-03-01T09:00+01:00)"
        ) from None


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


def demo_url() -> str:
    """The demo's own database file, next to (never the same as) the real one."""
    data_dir = Path(platformdirs.user_data_dir("zsm-desk", appauthor=False))
    return f"sqlite:///{data_dir / 'zsm-desk-demo.sqlite'}"


def resolve_url(explicit: str | None = None) -> str:
    """`--db` > ``$ZSM_DESK_DB`` > user file > machine file > built-in SQLite."""
    if explicit:
        return explicit
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    from zsm_desk.services.runtime.deployment import load_deployment

    return load_deployment().database or default_url()


class DatabaseTooNew(Exception):
    """The database was migrated by a newer ZSM Desk; ``str()`` is one Dutch line."""

    def __init__(self, revision: str, by_version: str | None = None) -> None:
        self.revision = revision
        self.by_version = by_version
        who = f"ZSM Desk {by_version}" if by_version else "een nieuwere ZSM Desk"
        super().__init__(f"Deze database is bijgewerkt door {who}; installeer die versie.")


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


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


#: Table naming the newest ZSM Desk version that migrated this database, so an
#: older client can say which version to install. Plain SQL, no migration: it
#: must be readable by every client version.
_VERSION_TABLE = "zsm_desk_versie"


def _version_key(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _recorded_version(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table(_VERSION_TABLE):
            return None
        return conn.execute(text(f"SELECT versie FROM {_VERSION_TABLE}")).scalar()


def _record_version(engine: Engine) -> None:
    """Store this client's version when it is newer than the one recorded."""
    from sqlalchemy import text

    from zsm_desk import __version__

    try:
        recorded = _recorded_version(engine)
        if recorded is not None and _version_key(recorded) >= _version_key(__version__):
            return
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE IF NOT EXISTS {_VERSION_TABLE} (versie VARCHAR(40))"))
            conn.execute(text(f"DELETE FROM {_VERSION_TABLE}"))
            conn.execute(
                text(f"INSERT INTO {_VERSION_TABLE} (versie) VALUES (:v)"), {"v": __version__}
            )
    except Exception as e:  # e.g. no right to create a table: a courtesy, not a must
        log.warning("clientversie niet vastgelegd in de database (%s)", type(e).__name__)


def check_not_newer(engine: Engine) -> None:
    """Raise `DatabaseTooNew` when the schema is at a revision this client lacks."""
    cur = current_revision(engine)
    if cur is not None and cur not in known_revisions():
        try:
            by = _recorded_version(engine)
        except Exception:  # the message is a courtesy; the refusal is what counts
            by = None
        raise DatabaseTooNew(cur, by)


def migrate(engine: Engine, url: str, clock: Clock | None = None) -> Path | None:
    """Bring the schema to head. Returns the backup path when one was made.

    Raises `DatabaseTooNew` (nothing changed) for a database of a newer client.
    """
    head = head_revision()
    cur = current_revision(engine)
    if cur == head:
        _record_version(engine)
        return None
    check_not_newer(engine)
    backup = None
    path = sqlite_path(url)
    if cur is not None and path is not None and path.exists() and path.stat().st_size > 0:
        backup = _backup_sqlite(path, cur, clock or SystemClock())
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
    _record_version(engine)
    if backup is not None:
        # The copy holds every person of the day; once the migration has
        # succeeded it has served its purpose and must not outlive a purge.
        remove_backups(path)
        log.info("migratie geslaagd; reservekopie verwijderd")
    return backup


def backup_files(path: Path) -> list[Path]:
    """Backup copies made before migrations, beside the SQLite file."""
    return sorted(path.parent.glob(f"{glob_escape(path.name)}.backup-*"))


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def remove_backups(path: Path | None) -> int:
    """Delete the migration backups of this SQLite file (overwritten first); their count."""
    if path is None:
        return 0
    n = 0
    for f in backup_files(path):
        try:
            _overwrite(f)
            f.unlink()
            n += 1
        except OSError:
            log.warning("reservekopie kon niet worden verwijderd")
    return n


def _overwrite(f: Path) -> None:
    """Zeros over a file's content before unlinking it (best effort on SSDs)."""
    size = f.stat().st_size
    with open(f, "r+b") as fh:
        chunk = b"\0" * 65536
        left = size
        while left > 0:
            fh.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        fh.flush()
        os.fsync(fh.fileno())


def open_database(
    url: str | None = None, *, run_migrations: bool = True, clock: Clock | None = None
) -> Database:
    url = resolve_url(url)
    clock = clock or clock_from_env()
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
            # Deleted rows are overwritten with zeros, not left in free pages.
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

    if run_migrations:
        migrate(engine, url, clock)
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, session_factory=factory, clock=clock)
