"""Starting the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from zsm_desk.ui import screen_fit, theme
from zsm_desk.ui.i18n import catalogue_names, install_translators
from zsm_desk.ui.theme import State

#: Same as on the Start-menu shortcut the MSI makes (installers/windows/make_wxs.py), so
#: Windows groups the window under that shortcut in the task bar.
APP_USER_MODEL_ID = "NL.ZSMDesk.ZSMDesk"


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    """The application, with Qt's Dutch strings installed and Qt's own options
    (``-style``, ``-platform``, ...) in `argv` honoured (default: all of ``sys.argv``)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_USER_MODEL_ID)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(argv) if argv is not None else list(sys.argv))
    QCoreApplication.setOrganizationName("ZSM Desk")
    QCoreApplication.setApplicationName("zsm-desk")
    app.setApplicationDisplayName("ZSM Desk")
    app.setDesktopFileName("zsm-desk")  # matches zsm-desk.desktop (Wayland, task bar)
    icon = Path(__file__).resolve().parents[1] / "resources" / "icons" / "zsm-desk-256.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    if not app.property("zsm_translators"):
        names = catalogue_names(install_translators(app))
        app.setProperty("zsm_translators", ",".join(names) or "-")
    theme.apply_from_environment(app)
    screen_fit.install(app)  # every window and dialog fits its screen when shown
    return app


def install_crash_reporting() -> None:
    """Log every uncaught exception and tell the user where the log is (one line)."""
    from zsm_desk.services.runtime.crash import install_crash_handler

    install_crash_handler(lambda line: QMessageBox.critical(None, "ZSM Desk", line))


def run(db_url: str | None = None, qt_options: Sequence[str] | None = None) -> int:
    app = make_application([sys.argv[0], *(qt_options or [])])
    install_crash_reporting()
    from zsm_desk.services.storage.app import open_app
    from zsm_desk.services.storage.db import DatabaseTooNew

    try:
        ctx = open_app(db_url)
    except DatabaseTooNew as e:
        QMessageBox.critical(None, "ZSM Desk", str(e))
        return 2
    except Exception as e:  # one line for the user; nothing half-open
        QMessageBox.critical(None, "ZSM Desk", f"De database kan niet worden geopend: {e}")
        return 2
    from zsm_desk.services.security.secrets import default_store
    from zsm_desk.ui.main_window import MainWindow

    win = MainWindow(ctx)
    store = default_store()
    if not store.secure:
        warn = QLabel("⚠ " + store.status())
        warn.setStyleSheet(theme.css(State.WARN))
        win.statusBar().addPermanentWidget(warn)
    win.show()
    return app.exec()
