"""Running as an installed program: log file, crash capture, database of a newer
client, machine-wide start settings (issue 16)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from zsm_desk import __version__
from zsm_desk.cli import main
from zsm_desk.services.runtime import crash, logs
from zsm_desk.services.runtime.deployment import (
    Deployment,
    DeploymentError,
    apply_to_database,
    load_deployment,
)
from zsm_desk.services.storage import config
from zsm_desk.services.storage.app import open_app
from zsm_desk.services.storage.db import (
    DatabaseTooNew,
    current_revision,
    head_revision,
    open_database,
    resolve_url,
)

BSN = "123456782"
CONFIG_TOML = """\
zsm_locatie = "ZSM Oost-Test"
deadline_uren = 6

[[veiligheidshuis]]
code = "VH-TST"
naam = "Veiligheidshuis Test"
mailbox = "centraal@vh-test.example.org"
gemeenten = ["Testdorp"]
telefoon = "030-0000000"
bereikbaar = "ma-vr 08:30-17:00"
beveiligde_mail = true
terugkoppeling = "direct"
"""


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "log"
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(folder))
    yield folder
    crash.uninstall_crash_handler()
    logs.shutdown_logging()


@pytest.fixture
def machine_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    machine, user = tmp_path / "etc" / "zsm-desk.toml", tmp_path / "home" / "zsm-desk.toml"
    machine.parent.mkdir()
    user.parent.mkdir()
    monkeypatch.setenv("ZSM_DESK_MACHINE_CONFIG", str(machine))
    monkeypatch.setenv("ZSM_DESK_USER_CONFIG", str(user))
    monkeypatch.delenv("ZSM_DESK_DB", raising=False)
    return machine, user


# --- log file ---------------------------------------------------------------------------


def test_log_file_is_private_rotating_and_masks_personal_numbers(log_folder: Path) -> None:
    path = logs.setup_logging()
    assert path == log_folder / "zsm-desk.log"
    logging.getLogger("zsm_desk.test").warning("verdachte met BSN %s ingelezen", BSN)
    logging.getLogger("zsm_desk.test").info("informatie komt ook in het bestand")
    text_ = path.read_text(encoding="utf-8")
    assert "verdachte met BSN ********* ingelezen" in text_
    assert "informatie komt ook in het bestand" in text_
    assert BSN not in text_
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h, logs.PrivateRotatingFileHandler)
    )
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUPS
    handler.doRollover()
    logging.getLogger("zsm_desk.test").warning("na het roteren")
    assert (log_folder / "zsm-desk.log.1").exists()
    assert stat.S_IMODE((log_folder / "zsm-desk.log").stat().st_mode) == 0o600
    assert logs.setup_logging() == path  # idempotent: one file handler
    handlers = logging.getLogger().handlers
    assert sum(isinstance(h, logs.PrivateRotatingFileHandler) for h in handlers) == 1


def test_unwritable_log_folder_does_not_stop_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(blocker / "log"))
    try:
        assert logs.setup_logging() is None
    finally:
        logs.shutdown_logging()


def test_cli_writes_the_log_file(log_folder: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zsm.sqlite'}"
    assert main(["match", "--db", url]) == 0
    assert (log_folder / "zsm-desk.log").exists()


# --- crash capture ----------------------------------------------------------------------


def test_excepthook_logs_the_crash_and_tells_one_dutch_line(log_folder: Path) -> None:
    logs.setup_logging()
    told: list[str] = []
    crash.install_crash_handler(told.append)
    try:
        raise RuntimeError(f"kapot bij {BSN}")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    log_file = log_folder / "zsm-desk.log"
    assert told == [
        f"ZSM Desk stuitte op een onverwachte fout; de details staan in het logbestand {log_file}."
    ]
    text_ = log_file.read_text(encoding="utf-8")
    assert "CRITICAL zsm_desk.crash" in text_ and "Traceback" in text_
    assert "RuntimeError: kapot bij *********" in text_ and BSN not in text_
    assert (log_folder / "crash.log").exists()  # faulthandler's target


def test_uncaught_exception_in_a_process(tmp_path: Path) -> None:
    code = (
        "from zsm_desk.services.runtime.logs import setup_logging\n"
        "from zsm_desk.services.runtime.crash import install_crash_handler\n"
        "setup_logging(); install_crash_handler()\n"
        f"raise ValueError('fout met {BSN}')\n"
    )
    env = {**os.environ, logs.LOG_DIR_ENV: str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [crash.crash_message(tmp_path / "zsm-desk.log")]
    assert "ValueError: fout met *********" in (tmp_path / "zsm-desk.log").read_text()


def test_faulthandler_writes_a_hard_crash(tmp_path: Path) -> None:
    code = (
        "import faulthandler\n"
        "from zsm_desk.services.runtime.crash import install_crash_handler\n"
        "install_crash_handler()\n"
        "faulthandler._sigsegv()\n"
    )
    env = {**os.environ, logs.LOG_DIR_ENV: str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert r.returncode != 0
    assert "Segmentation fault" in (tmp_path / "crash.log").read_text()


def test_window_shows_the_crash_line(
    log_folder: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zsm_desk.ui import app as ui_app

    shown: list[str] = []
    monkeypatch.setattr(
        ui_app.QMessageBox, "critical", lambda _parent, _title, line: shown.append(line)
    )
    logs.setup_logging()
    ui_app.install_crash_reporting()
    try:
        raise KeyError("knop")
    except KeyError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert len(shown) == 1 and "logbestand" in shown[0] and str(log_folder) in shown[0]


# --- database of a newer client -----------------------------------------------------------


def _make_newer(url: str, version: str | None) -> None:
    db = open_database(url)
    with db.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9001_uit_de_toekomst'"))
        if version is None:
            c.execute(text("DROP TABLE zsm_desk_versie"))
        else:
            c.execute(text("UPDATE zsm_desk_versie SET versie = :v"), {"v": version})
    db.dispose()


def test_newer_database_is_refused_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zsm.sqlite"
    url = f"sqlite:///{path}"
    _make_newer(url, "9.1.0")
    with pytest.raises(DatabaseTooNew) as info:
        open_database(url)
    assert (
        str(info.value) == "Deze database is bijgewerkt door ZSM Desk 9.1.0; installeer die versie."
    )
    assert main(["match", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err == (
        "zsm-desk: Deze database is bijgewerkt door ZSM Desk 9.1.0; installeer die versie.\n"
    )
    assert not list(tmp_path.glob("*.backup-*"))  # nothing touched, no backup made
    db = open_database(url, run_migrations=False)
    assert current_revision(db.engine) == "9001_uit_de_toekomst"
    db.dispose()


def test_newer_database_without_version_record(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'zsm.sqlite'}"
    _make_newer(url, None)
    with pytest.raises(DatabaseTooNew, match="door een nieuwere ZSM Desk; installeer die versie"):
        open_database(url)


def test_older_database_is_migrated_and_records_the_client(tmp_path: Path) -> None:
    from alembic import command

    from zsm_desk.services.storage.db import _alembic_config

    url = f"sqlite:///{tmp_path / 'zsm.sqlite'}"
    db = open_database(url)
    with db.engine.begin() as c:
        command.downgrade(_alembic_config(c), "0003")
        c.execute(text("UPDATE zsm_desk_versie SET versie = '0.0.9'"))
    db.dispose()
    db = open_database(url)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as c:
        assert c.execute(text("SELECT versie FROM zsm_desk_versie")).scalar() == __version__
    db.dispose()


# --- machine-wide and user start settings ---------------------------------------------------


def test_database_precedence(
    machine_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    machine, user = machine_files
    assert resolve_url().endswith("zsm-desk.sqlite")  # nothing set: the built-in file
    machine.write_text('database = "sqlite:////srv/machine.sqlite"\n')
    assert resolve_url() == "sqlite:////srv/machine.sqlite"
    user.write_text('database = "sqlite:////home/eigen.sqlite"\n')
    assert resolve_url() == "sqlite:////home/eigen.sqlite"
    monkeypatch.setenv("ZSM_DESK_DB", "sqlite:////env.sqlite")
    assert resolve_url() == "sqlite:////env.sqlite"
    assert resolve_url("sqlite:////cli.sqlite") == "sqlite:////cli.sqlite"
    dep = load_deployment()
    assert dep.source_of("database") == user


def test_bad_machine_file_is_one_line(
    machine_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    machine, _user = machine_files
    machine.write_text('databse = "sqlite:////x.sqlite"\n')
    with pytest.raises(DeploymentError, match="onbekende sleutel 'databse'"):
        load_deployment()
    assert main(["match"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{machine}: onbekende sleutel 'databse'" in err
    machine.write_text("database = [1]\n")
    with pytest.raises(DeploymentError, match="niet-lege tekst"):
        load_deployment()
    machine.write_text("database = \n")
    with pytest.raises(DeploymentError, match="geen geldige TOML"):
        load_deployment()


def test_configuratie_and_locatie_applied_once_per_change(
    machine_files: tuple[Path, Path], tmp_path: Path
) -> None:
    machine, user = machine_files
    (machine.parent / "configuratie.toml").write_text(CONFIG_TOML, encoding="utf-8")
    db_file = tmp_path / "gedeeld.sqlite"
    machine.write_text(f'database = "sqlite:///{db_file}"\nconfiguratie = "configuratie.toml"\n')
    ctx = open_app()
    assert ctx.db.url == f"sqlite:///{db_file}"
    with ctx.db.session() as s:
        settings = config.load_settings(s)
        assert settings.zsm_locatie == "ZSM Oost-Test"
        assert [v.code for v in settings.veiligheidshuizen] == ["VH-TST"]
    # a beheerder changes the location; an unchanged file is not imported again
    with ctx.db.session() as s:
        import dataclasses

        config.save_settings(
            s, dataclasses.replace(config.load_settings(s), zsm_locatie="Eigen"), "b", "test"
        )
    assert apply_to_database(ctx.db, ctx.account) == []
    # the user's own file puts a location on top
    user.write_text('zsm_locatie = "ZSM Gebruiker"\n')
    assert apply_to_database(ctx.db, ctx.account) == ["ZSM-locatie ZSM Gebruiker"]
    # a broken new version of the file changes nothing
    (machine.parent / "configuratie.toml").write_text("zsm_locatie = 5\n", encoding="utf-8")
    assert apply_to_database(ctx.db, ctx.account) == []
    with ctx.db.session() as s:
        assert config.load_settings(s).zsm_locatie == "ZSM Gebruiker"
    ctx.db.dispose()


def test_deployment_defaults_are_empty(machine_files: tuple[Path, Path]) -> None:
    assert load_deployment() == Deployment()


# --- "Over ZSM Desk" ----------------------------------------------------------------------


def test_about_dialog_shows_version_database_and_log_folder(
    qtbot: object, log_folder: Path, tmp_path: Path
) -> None:
    from zsm_desk.ui.about_dialog import AboutDialog

    logs.setup_logging()
    dlg = AboutDialog("postgresql+psycopg://zsm:geheim@db.example.org/zsm")
    qtbot.addWidget(dlg)  # type: ignore[attr-defined]
    assert dlg.values["Versie"].text() == __version__
    assert dlg.values["Database"].text() == "postgresql+psycopg://zsm:***@db.example.org/zsm"
    assert dlg.values["Logmap"].text() == str(log_folder)
    assert "niet aanwezig" in dlg.values["Machine-instellingen"].text()
    dlg.show()
    if os.environ.get("ZSM_SHOT_DIR"):
        dlg.grab().save(str(Path(os.environ["ZSM_SHOT_DIR"]) / "about.png"))


# --- zsm-desk zelftest ----------------------------------------------------------------------


@pytest.mark.slow
def test_selftest_opens_window_and_plan_preview(tmp_path: Path, log_folder: Path) -> None:
    # In a process of its own: a finished QApplication.exec() marks the
    # application as closing for good, which would upset later tests.
    url = f"sqlite:///{tmp_path / 'zsm.sqlite'}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", logs.LOG_DIR_ENV: str(log_folder)}

    def selftest(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zsm_desk", "zelftest", "--db", url, *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    empty = selftest()
    assert empty.returncode == 1
    assert "laad eerst `zsm-desk demo`" in empty.stderr
    assert main(["demo", "--db", url, "--aantal", "40"]) == 0
    shot = tmp_path / "preview.png"
    ok = selftest("--screenshot", str(shot))
    assert ok.returncode == 0, ok.stderr
    assert "Zelftest geslaagd: venster en afdrukvoorbeeld (1 pagina)" in ok.stdout
    assert shot.stat().st_size > 10_000
