"""Starting the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("ZSM Desk")
    QCoreApplication.setApplicationName("zsm-desk")
    QApplication.setApplicationDisplayName("ZSM Desk")
    return app  # type: ignore[return-value]


def run(db_url: str | None = None) -> int:
    app = make_application()
    from zsm_desk.app_context import open_app

    try:
        ctx = open_app(db_url)
    except Exception as e:  # one line for the user; nothing half-open
        QMessageBox.critical(None, "ZSM Desk", f"Database kan niet geopend worden: {e}")
        return 2
    from zsm_desk.services.security.secrets import default_store
    from zsm_desk.ui.main_window import MainWindow

    win = MainWindow(ctx)
    store = default_store()
    if not store.secure:
        warn = QLabel("⚠ " + store.status())
        warn.setStyleSheet("color:#8a5300")
        win.statusBar().addPermanentWidget(warn)
    win.show()
    return app.exec()
