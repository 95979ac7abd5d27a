"""Sepot 01 leaves nothing readable under the data directory (issue 15).

A `strings`-style scan of every file beside the SQLite database (main file,
-wal, -shm, backups) finds neither the surname, nor the BSN, nor the BVH
number of the purged person, also while another window has the database open.
The tombstone key lives outside the database.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from tests.test_decide import BSN_PURGE, PURGE_CASE, PURGE_NAME, setup_case
from zsm_desk.cli import main
from zsm_desk.services.storage import db as dbmod
from zsm_desk.services.storage import tombstones
from zsm_desk.services.storage.app import open_app
from zsm_desk.services.storage.models import RegisterMarking, Setting


def _strings(data: bytes, min_len: int = 4) -> str:
    """What `strings` prints: runs of printable ASCII/UTF-8 bytes."""
    return "\n".join(m.group().decode("utf-8", "replace")
                     for m in re.finditer(rb"[\x20-\x7e\x80-\xff]{%d,}" % min_len, data))  # fmt: skip


def _scan(directory: Path, needles: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in directory.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        text_ = _strings(data)
        for n in needles:
            if n in text_ or n.encode("utf-16-le") in data:
                found.setdefault(n, []).append(f.name)
    return found


def test_sepot01_purge_leaves_nothing_on_disk(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    url = f"sqlite:///{data_dir / 'zsm-desk.sqlite'}"
    app = open_app(url)
    setup_case(app)
    with app.db.session() as s:  # the VH's own register line of the person
        s.query(RegisterMarking).filter(RegisterMarking.persoon_id == "UTR2").delete()
    window = open_app(url)  # another window keeps the database open
    with window.db.session() as s:
        s.execute(text("SELECT count(*) FROM instroom_item")).scalar()
    needles = [PURGE_NAME[0], BSN_PURGE, PURGE_CASE]
    assert _scan(data_dir, needles), "the person should be on disk before the purge"
    code = main(["decide", PURGE_CASE, "--beslissing", "sepot", "--sepotcode", "01", "--db", url])
    assert code == 0, capsys.readouterr().err
    with window.db.session() as s:  # the window carries on reading
        s.execute(text("SELECT count(*) FROM instroom_item")).scalar()
    assert _scan(data_dir, needles) == {}
    # the tombstone still keeps the case out, with a key that is not in the database
    with app.db.session() as s:
        assert tombstones.purged_among(s, [PURGE_CASE]) == {PURGE_CASE}
        assert s.execute(select(Setting).where(Setting.key == "purge_sleutel")).first() is None
    window.db.dispose()
    app.db.dispose()


def test_migration_backup_removed_after_success(tmp_path: Path) -> None:
    path = tmp_path / "zsm.sqlite"
    url = f"sqlite:///{path}"
    engine = dbmod.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(dbmod._alembic_config(conn), "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO setting (key, value) VALUES ('x', '\"Quokkaveld\"')")
    con.commit()
    con.close()
    app = open_app(url)  # migrates 0005 -> head, with a backup first
    app.db.dispose()
    assert dbmod.backup_files(path) == []
    assert list(tmp_path.glob("*.backup-*")) == []
