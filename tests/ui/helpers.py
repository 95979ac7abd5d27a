"""Shared setup of the UI tests: a demo database built once and copied per
test, and QSettings pointed at a temporary directory."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from zsm_desk.app_context import AppContext
from zsm_desk.services.demo import demo_install
from zsm_desk.services.storage.db import open_database


def build_demo_file(
    tmp_path_factory: pytest.TempPathFactory, account: str, day_end: dt.datetime
) -> Path:
    """The demo day installed by `account` in a fresh SQLite file."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(f"sqlite:///{path}")
    demo_install.install(AppContext(db=db, account=account), seed=1, day_end=day_end)
    db.dispose()  # the last connection checkpoints the WAL into the file
    return path


def demo_copy(demo_file: Path, tmp_path: Path, account: str) -> Iterator[AppContext]:
    """An app context on a private copy of `demo_file` (for ``yield from`` in a fixture)."""
    path = tmp_path / "zsm.sqlite"
    shutil.copy(demo_file, path)
    db = open_database(f"sqlite:///{path}")
    yield AppContext(db=db, account=account)
    db.dispose()


def temp_qsettings(tmp_path: Path) -> Iterator[Path]:
    """QSettings in ``tmp_path/qsettings`` under a test application name, restored
    afterwards (for ``yield from`` in a fixture)."""
    org, name = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    where = tmp_path / "qsettings"
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(where))
    QCoreApplication.setOrganizationName("ZSM Desk test")
    QCoreApplication.setApplicationName("zsm-desk-test")
    yield where
    QCoreApplication.setOrganizationName(org)
    QCoreApplication.setApplicationName(name)
