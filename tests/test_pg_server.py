"""The tests' own PostgreSQL: started from the installed binaries, no system cluster."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests import pg_server


def test_own_server_starts_and_stops_without_system_cluster() -> None:
    try:
        server = pg_server.start(max_connections=10)
    except pg_server.PgUnavailable as e:
        pytest.skip(str(e))
    try:
        assert server.port != 5432
        engine = create_engine(server.url)
        with engine.connect() as c:
            assert c.execute(text("SELECT current_setting('port')")).scalar() == str(server.port)
            assert c.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()
        engine.dispose()
    finally:
        server.stop()
    assert not server.base.exists()
