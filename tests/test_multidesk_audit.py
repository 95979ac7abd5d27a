"""Audit trail that holds against someone with database access (issue 15).

* a chain rewritten without the location's key fails `audit verify`;
* cutting rows off the end and resetting audit_head is reported (this desk's anchor);
* the application's PostgreSQL role cannot disable the triggers or change audit rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from zsm_desk.app_context import AppContext, open_app
from zsm_desk.cli import main
from zsm_desk.services.keys import location_keys
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.db import sqlite_path

TRIGGERS = ("audit_entry_no_update", "audit_entry_no_delete", "audit_head_counts_up",
            "audit_head_no_delete", "audit_head_no_insert", "audit_entry_continues_chain")  # fmt: skip


def _fill(app: AppContext, n: int) -> None:
    for i in range(n):
        with app.db.session() as s:
            audit.append(s, app.account, audit.VIEW_VH, item_id=i + 1, purpose="beoordeling")


def _plain(prev: str, row: sqlite3.Row) -> str:
    """What a forger without the key computes: the published (unkeyed) hash."""
    at = dt.datetime.fromisoformat(row["at"]).replace(tzinfo=dt.UTC)
    return audit._digest(prev, at, row["account"], row["action"], row["item_id"],
                         row["purpose"], json.loads(row["detail"]))  # fmt: skip


def _open_raw(url: str) -> sqlite3.Connection:
    path = sqlite_path(url)
    assert path is not None
    con = sqlite3.connect(path, isolation_level=None)
    con.row_factory = sqlite3.Row
    for t in TRIGGERS:  # the file's owner can do anything to the file
        con.execute(f"DROP TRIGGER IF EXISTS {t}")
    return con


@pytest.mark.parametrize("keep_key_id", [True, False])
def test_chain_rewritten_without_key_fails_verify(
    sqlite_url: str, keep_key_id: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(sqlite_url)
    _fill(app, 6)
    app.db.dispose()
    con = _open_raw(sqlite_url)
    rows = list(con.execute("SELECT * FROM audit_entry ORDER BY id"))
    prev = "0" * 64
    for r in rows:  # change one purpose, then recompute the whole chain
        purpose = "iets anders" if r["id"] == rows[3]["id"] else r["purpose"]
        con.execute("UPDATE audit_entry SET purpose = ? WHERE id = ?", (purpose, r["id"]))
        r2 = con.execute("SELECT * FROM audit_entry WHERE id = ?", (r["id"],)).fetchone()
        h = _plain(prev, r2)
        sleutel = r["sleutel"] if keep_key_id else None
        con.execute("UPDATE audit_entry SET prev_hash = ?, hash = ?, sleutel = ? WHERE id = ?",
                    (prev, h, sleutel, r["id"]))  # fmt: skip
        prev = h
    con.execute("UPDATE audit_head SET last_hash = ?", (prev,))
    con.close()
    assert main(["audit", "verify", "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert "NIET in orde" in err
    assert ("herschreven" in err) or ("inhoud gewijzigd" in err)


def test_rewritten_unkeyed_chain_fails_on_a_desk_that_saw_it(sqlite_url: str) -> None:
    """Even a chain rewritten entirely without key ids: the anchor knows the old head."""
    app = open_app(sqlite_url)
    _fill(app, 4)
    app.db.dispose()
    con = _open_raw(sqlite_url)
    prev = "0" * 64
    for r in list(con.execute("SELECT * FROM audit_entry ORDER BY id")):
        h = _plain(prev, r)
        con.execute("UPDATE audit_entry SET prev_hash = ?, hash = ?, sleutel = NULL WHERE id = ?",
                    (prev, h, r["id"]))  # fmt: skip
        prev = h
    con.execute("UPDATE audit_head SET last_hash = ?", (prev,))
    con.close()
    app = open_app(sqlite_url)
    with app.db.session() as s:
        result = audit.verify(s, key=None)
    app.db.dispose()
    assert not result.ok
    assert any("herschreven" in p for p in result.problems), result.problems


def test_truncation_with_reset_head_is_reported(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(sqlite_url)
    _fill(app, 6)
    app.db.dispose()
    con = _open_raw(sqlite_url)
    ids = [r["id"] for r in con.execute("SELECT id FROM audit_entry ORDER BY id")]
    con.execute("DELETE FROM audit_entry WHERE id >= ?", (ids[-2],))
    last = con.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()[0]
    con.execute("UPDATE audit_head SET count = ?, last_hash = ?", (len(ids) - 2, last))
    con.close()
    assert main(["audit", "verify", "--db", sqlite_url]) == 1
    err = capsys.readouterr().err
    assert "afgekapt" in err


def test_audit_head_cannot_be_counted_down_or_deleted(sqlite_url: str) -> None:
    app = open_app(sqlite_url)
    _fill(app, 2)
    with app.db.session() as s, pytest.raises(DBAPIError):
        s.execute(text("UPDATE audit_head SET count = count - 1"))
    with app.db.session() as s, pytest.raises(DBAPIError):
        s.execute(text("DELETE FROM audit_head"))
    with app.db.session() as s, pytest.raises(DBAPIError):
        s.execute(text("INSERT INTO audit_entry (at, account, action, item_id, purpose, detail, "
                       "prev_hash, hash) VALUES ('2026-11-22 10:00:00', 'x', 'x', 1, '', '{}', "
                       ":p, :h)"), {"p": "0" * 64, "h": "f" * 64})  # fmt: skip
    app.db.dispose()


def test_keyed_entries_name_their_key(sqlite_url: str) -> None:
    app = open_app(sqlite_url)
    _fill(app, 1)
    k = location_keys.key(location_keys.AUDIT)
    assert k is not None
    with app.db.session() as s:
        rows = s.execute(text("SELECT sleutel FROM audit_entry")).scalars().all()
        assert set(rows) == {location_keys.fingerprint(k)}
        # another location's key cannot vouch for these rows
        other = hashlib.sha256(b"andere locatie").digest()
        assert not audit.verify(s, key=other, remember=False).ok
        assert audit.verify(s).ok
    app.db.dispose()


# --- PostgreSQL: owner and application role -----------------------------------------------


def test_app_role_cannot_disable_audit_trigger(pg_superuser_url: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    owner, app_role, dbname = f"zsm_eig_{suffix}", f"zsm_app_{suffix}", f"zsm_loc_{suffix}"
    admin = create_engine(pg_superuser_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE ROLE {owner} LOGIN CREATEROLE"))
        c.execute(text(f"CREATE DATABASE {dbname} OWNER {owner}"))
    base = make_url(pg_superuser_url).set(database=dbname)
    owner_url = base.set(username=owner).render_as_string(hide_password=False)
    app_url = base.set(username=app_role).render_as_string(hide_password=False)
    try:
        assert main(["db", "init", "--eigenaar", owner_url, "--app-rol", app_role]) == 0
        # The desk works with the application role.
        app = open_app(app_url)
        _fill(app, 3)
        with app.db.session() as s:
            assert audit.verify(s).ok
        app.db.dispose()
        eng = create_engine(app_url)
        for stmt in (
            "ALTER TABLE audit_entry DISABLE TRIGGER ALL",
            "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
            "UPDATE audit_entry SET purpose = 'x'",
            "DELETE FROM audit_entry",
            "TRUNCATE audit_entry",
            "DELETE FROM audit_head",
            "UPDATE audit_head SET count = 0",
            "DROP TRIGGER audit_entry_append_only ON audit_entry",
        ):
            with eng.begin() as c, pytest.raises(DBAPIError):
                c.execute(text(stmt))
        with eng.connect() as c:
            owned = c.execute(text("SELECT count(*) FROM pg_tables WHERE tableowner = :r"),
                              {"r": app_role}).scalar()  # fmt: skip
            assert owned == 0
        eng.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"))
            c.execute(text(f"DROP ROLE IF EXISTS {app_role}"))
            c.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        admin.dispose()


def test_new_database_at_known_address_needs_confirmation(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(sqlite_url)
    _fill(app, 5)
    app.db.dispose()
    assert main(["audit", "verify", "--db", sqlite_url]) == 0  # this desk saw 5+ rows
    path = sqlite_path(sqlite_url)
    assert path is not None
    for f in path.parent.glob(path.name + "*"):
        f.unlink()
    app = open_app(sqlite_url)  # a new, empty database at the same place
    _fill(app, 1)
    app.db.dispose()
    capsys.readouterr()
    assert main(["audit", "verify", "--db", sqlite_url]) == 1
    assert "niet de audit die dit werkstation eerder zag" in capsys.readouterr().err
    assert main(["audit", "verify", "--anker-opnieuw", "--db", sqlite_url]) == 0
    assert main(["audit", "verify", "--db", sqlite_url]) == 0


def test_db_init_refuses_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'z.sqlite'}"
    assert main(["db", "init", "--eigenaar", url, "--app-rol", "zsm_app"]) == 2
    assert capsys.readouterr().err == "zsm-desk: databaserollen zijn er alleen voor PostgreSQL\n"
    pg = "postgresql+psycopg://eigenaar@127.0.0.1:1/zsm"
    assert main(["db", "init", "--eigenaar", pg, "--app-rol", "Robert'); DROP"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zsm-desk: ongeldige rolnaam") and err.count("\n") == 1
