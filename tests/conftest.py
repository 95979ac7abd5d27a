"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

PostgreSQL runs when ZSM_TEST_PG_URL points at a server where the role may
create databases (`.ci/run` starts one); each test gets a fresh database
cloned from a migrated template, so tests stay independent and fast.
Without ZSM_TEST_PG_URL the PostgreSQL variants are skipped, except in CI
(CI=true), where a missing server is an error.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

# Before anything imports Qt or keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
os.environ.pop("ZSM_DESK_DB", None)

# The suite's "now": just after the demo day and the test files' instroom
# (22 November 2026). Every app, every CLI run in-process and every program
# the tests start gets a clock that starts here, so the suite passes whatever
# the machine's date is (`pytest --wandklok 2027-09-15` proves it).
os.environ["ZSM_DESK_NU"] = "2026-11-22T23:30:00+01:00"

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from zsm_desk.domain.clock import ShiftedClock
from zsm_desk.services.storage.app import AppContext, open_app

TEST_NOW = dt.datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
assert TEST_NOW.isoformat() == os.environ["ZSM_DESK_NU"]

PG_URL = os.environ.get("ZSM_TEST_PG_URL", "")
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
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("ZSM_TEST_PG_URL is not set in CI")
        pytest.skip("PostgreSQL not configured (set ZSM_TEST_PG_URL)")
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
    ctx = open_app(db_url, clock=ShiftedClock(TEST_NOW))
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
