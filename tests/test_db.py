"""Opening the database: private SQLite file, WAL, migrations with backup, URL
resolution, and the first account / role mapping (interfaces.md §5)."""

from __future__ import annotations

import getpass
import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from tests.data import DATA
from zsm_desk.cli import main
from zsm_desk.domain.access import ALL_ROLES, Role
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.app import AppContext, open_app
from zsm_desk.services.storage.db import (
    ENV_VAR,
    _alembic_config,
    current_revision,
    head_revision,
    open_database,
    resolve_url,
)

SAMPLE_FEED = DATA / "instroom-voorbeeld.json"


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_new_sqlite_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nieuw" / "zsm.sqlite"
    db = open_database(f"sqlite:///{path}")
    try:
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        with db.engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert current_revision(db.engine) == head_revision()
        # The WAL side files SQLite creates follow the database file's mode.
        with db.session() as s:
            audit.append(s, "test", audit.SETTINGS, purpose="schrijven")
            wal = path.with_name(path.name + "-wal")
            assert wal.exists() and mode(wal) == 0o600
    finally:
        db.dispose()


def test_existing_world_readable_file_made_private(tmp_path: Path) -> None:
    path = tmp_path / "zsm.sqlite"
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    os.chmod(path, 0o644)
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    assert mode(path) == 0o600


def test_migration_from_0001_makes_private_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A private backup is made before the migration and removed once it succeeded."""
    path = tmp_path / "oud.sqlite"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0001")
        conn.execute(
            text("INSERT INTO setting (key, value) VALUES ('algemeen', :v)"),
            {"v": '{"zsm_locatie": "ZSM Oud", "deadline_uren": 4}'},
        )
    engine.dispose()
    assert list(tmp_path.glob("*.backup-*")) == []

    from zsm_desk.services.storage import db as dbmod

    seen: list[tuple[int, list[tuple[str, ...]]]] = []
    original = dbmod.remove_backups

    def inspect_then_remove(p: Path | None) -> int:
        (backup,) = tmp_path.glob("oud.sqlite.backup-0001-*")
        con = sqlite3.connect(backup)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
            seen.append((mode(backup), con.execute("SELECT key FROM setting").fetchall()))
        finally:
            con.close()
        return original(p)

    monkeypatch.setattr(dbmod, "remove_backups", inspect_then_remove)
    db = open_database(url)
    try:
        assert current_revision(db.engine) == head_revision() != "0001"
        assert seen == [(0o600, [("algemeen",)])]
        assert list(tmp_path.glob("*.backup-*")) == []  # gone after the migration succeeded
        # The data survived the migration itself too.
        with db.session() as s:
            settings = config.load_settings(s)
            assert (settings.zsm_locatie, settings.deadline_uren) == ("ZSM Oud", 4)
            assert audit.verify(s).ok  # audit_head (0002) starts a valid chain
    finally:
        db.dispose()
    # Opening again at head makes no further backup.
    open_database(url).dispose()
    assert list(tmp_path.glob("oud.sqlite.backup-*")) == []


def test_fresh_database_needs_no_backup(tmp_path: Path) -> None:
    open_database(f"sqlite:///{tmp_path / 'zsm.sqlite'}").dispose()
    assert list(tmp_path.glob("*.backup-*")) == []


def test_zsm_desk_db_env_var_honoured(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    default = resolve_url(None)
    assert default.startswith("sqlite:///") and default.endswith("zsm-desk.sqlite")
    monkeypatch.setenv(ENV_VAR, db_url)
    assert resolve_url(None) == db_url
    assert resolve_url("sqlite:///elders.sqlite") == "sqlite:///elders.sqlite"  # --db wins
    # The command line without --db works on that database.
    assert main(["import", "instroom", str(SAMPLE_FEED)]) == 0
    capsys.readouterr()
    assert main(["match", "--json"]) == 0
    assert '"PL0900-2026000101"' in capsys.readouterr().out
    db = open_database(None)
    try:
        assert db.url == db_url
        with db.engine.connect() as c:
            assert c.execute(text("SELECT count(*) FROM instroom_item")).scalar() == 3
    finally:
        db.dispose()


def test_first_account_gets_all_roles_others_none(
    app: AppContext, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert app.roles() == ALL_ROLES
    with app.db.session() as s:
        assert audit.count(s) == 1  # the grant itself is audited
    monkeypatch.setattr(getpass, "getuser", lambda: "tweede-account")
    other = open_app(db_url)
    try:
        assert other.account == "tweede-account"
        assert other.roles() == frozenset()
        with other.db.session() as s:  # still only the first account is mapped
            assert users.roles_of(s, app.account) == ALL_ROLES
    finally:
        other.db.dispose()


def test_gebruiker_cli_only_for_beheerder(
    app: AppContext,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The beheerder (first account) maps a KPC'er.
    assert main(["gebruiker", "kpc1", "--rol", "kpc,ovj", "--db", db_url]) == 0
    assert "kpc1: kpc, officier" in capsys.readouterr().out
    # That KPC'er is no beheerder: may not map anyone, not even themselves.
    monkeypatch.setattr(getpass, "getuser", lambda: "kpc1")
    for argv in (
        ["gebruiker", "kpc2", "--rol", "kpc"],
        ["gebruiker", "kpc1", "--rol", "beheerder"],
    ):
        assert main([*argv, "--db", db_url]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "beheerder" in err
    with app.db.session() as s:
        assert users.roles_of(s, "kpc1") == {Role.KPC, Role.OFFICIER}
        assert users.roles_of(s, "kpc2") == frozenset()
        assert audit.verify(s).ok
    # An unknown role name is a one-line error too.
    monkeypatch.undo()
    assert main(["gebruiker", "kpc2", "--rol", "kpc,koning", "--db", db_url]) == 2
    assert "koning" in capsys.readouterr().err
