"""The audit trail: hash chain, `audit verify`, and append-only in the database.

Tampering is done the way an attacker with file access would: on a copy of
the SQLite file, with sqlite3 directly, after dropping the guard triggers.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from zsm_desk.cli import main
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.app import AppContext, open_app
from zsm_desk.services.storage.db import sqlite_path
from zsm_desk.services.storage.models import AuditEntry

TamperCopy = Callable[[str], tuple[str, sqlite3.Connection]]


def fill(app: AppContext, n: int = 5) -> None:
    with app.db.session() as s:
        for i in range(n):
            audit.append(s, app.account, audit.VIEW_VH, item_id=i + 1, purpose="afstemming",
                         detail={"vh_code": "VH-UTR", "nr": i, "tekst": "één ß"})  # fmt: skip


def test_append_and_verify_ok(app: AppContext) -> None:
    with app.db.session() as s:
        base = audit.count(s)  # the first account's role grant is already there
        e = audit.append(s, "kpc1", audit.PRINT, item_id=7, purpose="afdruk voor overleg",
                         detail={"bvh": "intern-7", "lijst": [1, 2]},
                         at=dt.datetime(2026, 11, 22, 9, 30, 0, 123456,
                                        tzinfo=dt.timezone(dt.timedelta(hours=1))))  # fmt: skip
        assert e.prev_hash != e.hash and len(e.hash) == 64
    fill(app, 4)
    with app.db.session() as s:
        result = audit.verify(s)
        assert result.ok, result.problems
        assert result.count == base + 5 == audit.count(s)
        first = s.get(AuditEntry, e.id)
        assert first is not None
        assert first.at == dt.datetime(2026, 11, 22, 8, 30, 0, 123456, tzinfo=dt.UTC)
        assert first.detail == {"bvh": "intern-7", "lijst": [1, 2]}


def test_rolled_back_append_leaves_chain_intact(app: AppContext) -> None:
    fill(app, 2)
    with pytest.raises(RuntimeError), app.db.session() as s:
        audit.append(s, app.account, audit.EXPORT, purpose="wordt teruggedraaid")
        raise RuntimeError("act failed")
    fill(app, 1)
    with app.db.session() as s:
        assert audit.verify(s).ok


def test_audit_verify_cli_ok(app: AppContext, db_url: str,
                             capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    fill(app)
    assert main(["audit", "verify", "--db", db_url]) == 0
    assert "in orde" in capsys.readouterr().out
    assert main(["audit", "verify", "--json", "--db", db_url]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["problemen"] == [] and doc["regels"] >= 6


def test_database_refuses_update_and_delete(app: AppContext) -> None:
    fill(app, 3)
    attempts: list[Callable[..., object]] = [
        lambda s: s.execute(update(AuditEntry).where(AuditEntry.id == 2).values(purpose="x")),
        lambda s: s.execute(delete(AuditEntry).where(AuditEntry.id == 2)),
        lambda s: s.execute(delete(AuditEntry)),
        lambda s: s.execute(text("UPDATE audit_entry SET hash = 'x'")),
    ]
    if app.db.engine.dialect.name == "postgresql":
        attempts.append(lambda s: s.execute(text("TRUNCATE audit_entry")))
    for attempt in attempts:
        with pytest.raises(DBAPIError, match="append-only"), app.db.session() as s:
            attempt(s)
    # Through the ORM as well.
    with pytest.raises(DBAPIError, match="append-only"), app.db.session() as s:
        row = s.get(AuditEntry, 3)
        assert row is not None
        row.purpose = "anders"
    with app.db.session() as s:
        assert audit.verify(s).ok


# --- tampering with a copy of the SQLite file ----------------------------------------------


@pytest.fixture
def tamper_copy(sqlite_url: str, tmp_path: Path) -> Iterator[TamperCopy]:
    """Fill a SQLite database, then hand out copies to tamper with, triggers dropped."""
    app = open_app(sqlite_url)
    fill(app, 5)
    app.db.dispose()  # checkpoints the WAL into the main file
    src = sqlite_path(sqlite_url)
    assert src is not None
    conns: list[sqlite3.Connection] = []

    def make(name: str) -> tuple[str, sqlite3.Connection]:
        dst = tmp_path / f"kopie-{name}.sqlite"
        shutil.copy(src, dst)
        con = sqlite3.connect(dst, isolation_level=None)
        con.execute("DROP TRIGGER audit_entry_no_update")
        con.execute("DROP TRIGGER audit_entry_no_delete")
        for trigger in ("audit_head_counts_up", "audit_head_no_delete", "audit_head_no_insert",
                        "audit_entry_continues_chain"):  # fmt: skip
            con.execute(f"DROP TRIGGER {trigger}")
        conns.append(con)
        return f"sqlite:///{dst}", con

    yield make
    for con in conns:
        con.close()


def _ids(con: sqlite3.Connection) -> list[int]:
    return [r[0] for r in con.execute("SELECT id FROM audit_entry ORDER BY id")]


def test_original_and_untouched_copy_verify(
    tamper_copy: TamperCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    url, con = tamper_copy("ongewijzigd")
    con.close()
    assert main(["audit", "verify", "--db", url]) == 0
    assert "in orde" in capsys.readouterr().out


def _change_row(con: sqlite3.Connection) -> None:
    mid = _ids(con)[3]
    con.execute("UPDATE audit_entry SET purpose = 'iets anders' WHERE id = ?", (mid,))


def _change_account(con: sqlite3.Connection) -> None:
    mid = _ids(con)[2]
    con.execute("UPDATE audit_entry SET account = 'iemand-anders' WHERE id = ?", (mid,))


def _delete_middle(con: sqlite3.Connection) -> None:
    ids = _ids(con)
    con.execute("DELETE FROM audit_entry WHERE id = ?", (ids[len(ids) // 2],))


def _delete_last(con: sqlite3.Connection) -> None:
    con.execute("DELETE FROM audit_entry WHERE id = ?", (_ids(con)[-1],))


def _delete_last_and_fix_count(con: sqlite3.Connection) -> None:
    _delete_last(con)
    con.execute("UPDATE audit_head SET count = count - 1")


def _insert_forged(con: sqlite3.Connection) -> None:
    """A perfectly hashed row appended without updating audit_head."""
    last = con.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()[0]
    at = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    digest = audit._digest(last, at, "indringer", audit.VIEW_VH, 99, "nieuwsgierig", {})
    con.execute(
        "INSERT INTO audit_entry (at, account, action, item_id, purpose, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at.replace(tzinfo=None).isoformat(sep=" "), "indringer", audit.VIEW_VH, 99,
         "nieuwsgierig", "{}", last, digest),
    )  # fmt: skip


def _insert_broken(con: sqlite3.Connection) -> None:
    con.execute(
        "INSERT INTO audit_entry (at, account, action, item_id, purpose, detail, prev_hash, hash) "
        "VALUES ('2026-11-22 10:00:00.000000', 'x', 'inzage-vh', 1, '', '{}', ?, ?)",
        ("0" * 64, "f" * 64),
    )
    con.execute("UPDATE audit_head SET count = count + 1")


@pytest.mark.parametrize(
    ("tamper", "expect"),
    [
        (_change_row, "inhoud gewijzigd"),
        (_change_account, "inhoud gewijzigd"),
        (_delete_middle, "keten gebroken"),
        (_delete_last, "aantal regels"),
        (_delete_last_and_fix_count, "laatste regel"),
        (_insert_forged, "aantal regels"),
        (_insert_broken, "keten gebroken"),
    ],
    ids=lambda f: f.__name__.strip("_") if callable(f) else "",
)
def test_audit_verify_detects_tampering(tamper_copy: TamperCopy,
                                        tamper: Callable[[sqlite3.Connection], None],
                                        expect: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    url, con = tamper_copy(tamper.__name__.strip("_"))
    tamper(con)
    con.close()
    assert main(["audit", "verify", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "NIET in orde" in err and expect in err
    assert main(["audit", "verify", "--json", "--db", url]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and any(expect in p for p in doc["problemen"])
