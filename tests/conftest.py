"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL: each test process (each xdist worker) starts its own throw-away
server from the installed binaries on first use (`tests/pg_server.py`: initdb
in a temporary directory, a free loopback port, no root and no system cluster
needed). ZSM_TEST_PG_URL overrides this with an existing server where the role
may create databases. Each test gets a fresh database cloned from a migrated
template, so tests stay independent and fast. Without server binaries the
PostgreSQL variants are skipped, except in CI (CI=true), where that is an error.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

# Before anything imports Qt or keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
os.environ.pop("ZSM_DESK_DB", None)
# Log file and machine/user configuration of the test run: never the real ones.
os.environ["ZSM_TEST_RUNTIME"] = tempfile.mkdtemp(prefix="zsm-test-runtime-")
os.environ["ZSM_DESK_LOG_DIR"] = os.path.join(os.environ["ZSM_TEST_RUNTIME"], "log")
os.environ["ZSM_DESK_MACHINE_CONFIG"] = os.path.join(
    os.environ["ZSM_TEST_RUNTIME"], "machine", "zsm-desk.toml"
)
os.environ["ZSM_DESK_USER_CONFIG"] = os.path.join(
    os.environ["ZSM_TEST_RUNTIME"], "user", "zsm-desk.toml"
)
# This desk's local state (audit anchor, local key files): per test process,
# never the user's own directory.
os.environ["ZSM_DESK_STATE_DIR"] = tempfile.mkdtemp(prefix="zsm-state-")

# The suite's "now": just after the demo day and the test files' instroom
# (22 November 2026). Every app, every CLI run in-process and every program
# the tests start gets a clock that starts here, so the suite passes whatever
# the machine's date is (`pytest --wandklok 2027-09-15` proves it).
os.environ["ZSM_DESK_NU"] = "2026-11-22T23:30:00+01:00"

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import pg_server
from zsm_desk.app_context import AppContext, open_app
from zsm_desk.services.storage.db import clock_from_env

TEST_NOW = dt.datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
assert TEST_NOW.isoformat() == os.environ["ZSM_DESK_NU"]

PG_URL = os.environ.get("ZSM_TEST_PG_URL", "")
#: True when PG_URL is our own server (superuser: roles may be created).
PG_OWN = False
_pg_problem = ""


def pg_url() -> str:
    """The PostgreSQL admin URL: ZSM_TEST_PG_URL or this process's own server ("" if none)."""
    global PG_URL, PG_OWN, _pg_problem
    if PG_URL or _pg_problem:
        return PG_URL
    try:
        server = pg_server.start()
    except pg_server.PgUnavailable as e:
        _pg_problem = str(e)
        return ""
    PG_URL, PG_OWN = server.url, True
    return PG_URL


def require_pg() -> str:
    """pg_url(), or skip (fail in CI) when there is no PostgreSQL."""
    url = pg_url()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"geen PostgreSQL voor de tests: {_pg_problem}")
        pytest.skip(f"PostgreSQL niet beschikbaar: {_pg_problem}")
    return url


# One template per xdist worker: workers must not drop each other's template.
_TEMPLATE = f"zsm_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
_template_ready = False


def _pg_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def _ensure_template() -> None:
    global _template_ready
    if _template_ready:
        return
    admin = _pg_admin_engine()
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {_TEMPLATE}"))
        c.execute(text(f"CREATE DATABASE {_TEMPLATE}"))
    admin.dispose()
    url = make_url(PG_URL).set(database=_TEMPLATE)
    from zsm_desk.services.storage.db import open_database

    db = open_database(url.render_as_string(hide_password=False))
    db.dispose()
    _template_ready = True


def _drop_database(admin, name: str) -> None:  # type: ignore[no-untyped-def]
    """Drop a test database; an autovacuum worker on it can make one attempt fail."""
    import time

    for attempt in range(10):
        try:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            return
        except Exception:
            if attempt == 9:
                return  # a leftover scratch database harms no test; never fail on cleanup
            time.sleep(0.3)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'zsm.sqlite'}"
        return
    yield from _scratch_pg_database()


@pytest.fixture
def pg_db(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh, migrated PostgreSQL database (PostgreSQL only)."""
    yield from _scratch_pg_database()


def _scratch_pg_database() -> Iterator[str]:
    """A database cloned from the migrated template, dropped afterwards."""
    require_pg()
    _ensure_template()
    name = f"zsm_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_engine()
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}"))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        from sqlalchemy.orm import close_all_sessions

        close_all_sessions()
        _drop_database(admin, name)
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'zsm.sqlite'}"


@pytest.fixture
def app(db_url: str) -> Iterator[AppContext]:
    ctx = open_app(db_url, clock=clock_from_env())  # the suite's one running clock
    yield ctx
    ctx.db.dispose()


@pytest.fixture
def demo_app(app: AppContext) -> AppContext:
    """A database with the demo day of seed 1 (fixed date, deterministic)."""
    import datetime as dt

    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.demo.demo_data import TZ

    demo_install.install(app, seed=1, day_end=dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ))
    return app


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--wandklok",
        metavar="JJJJ-MM-DD",
        default=os.environ.get("ZSM_TEST_WANDKLOK", ""),
        help="run the suite with the machine's wall clock moved to this date (time-machine): "
        "proves that nothing reads the real date",
    )


_travel = None


def pytest_configure(config: pytest.Config) -> None:
    """Move the wall clock of this process (and of each xdist worker)."""
    global _travel
    day = config.getoption("--wandklok")
    if not day:
        return
    import time_machine

    _travel = time_machine.travel(
        dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10, 0), dt.UTC), tick=True
    )
    _travel.start()


def pytest_report_header(config: pytest.Config) -> str | None:
    day = config.getoption("--wandklok")
    return f"wandklok verzet naar {day}" if day else None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop this process's template database (each process made its own)."""
    if not (_template_ready and PG_URL):
        return
    admin = _pg_admin_engine()
    _drop_database(admin, _TEMPLATE)
    admin.dispose()


@pytest.fixture
def pg_superuser_url() -> str:
    """Admin URL of a PostgreSQL where this role may create roles (else skip)."""
    url = require_pg()
    admin = _pg_admin_engine()
    with admin.connect() as c:
        ok = c.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    admin.dispose()
    if not ok:
        pytest.skip("deze PostgreSQL-rol mag geen rollen maken")
    return url
