"""The "Over ZSM Desk" dialog: version, database, log folder, start-settings files."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from zsm_desk import __version__
from zsm_desk.services.runtime.deployment import machine_config_path, user_config_path
from zsm_desk.services.runtime.logs import current_log_file, log_dir


def shown_database_url(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(onleesbaar adres)"


def _file_state(path: Path) -> str:
    return f"{path} ({'aanwezig' if path.exists() else 'niet aanwezig'})"


class AboutDialog(QDialog):
    def __init__(self, database_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Over ZSM Desk")
        title = QLabel(f"<h2>ZSM Desk {__version__}</h2>")
        sub = QLabel(
            "Voor het ZSM-afstemmingsoverleg: instroom, bekende veiligheidshuis-cliënten "
            "en terugkoppeling. Licentie: EUPL-1.2."
        )
        sub.setWordWrap(True)
        folder = current_log_file()
        self.log_folder = folder.parent if folder is not None else log_dir()
        form = QFormLayout()
        rows = {
            "Versie": __version__,
            "Database": shown_database_url(database_url),
            "Logmap": str(self.log_folder),
            "Machine-instellingen": _file_state(machine_config_path()),
            "Eigen instellingen": _file_state(user_config_path()),
            "Python / Qt": f"{sys.version.split()[0]} / PySide6 {pyside_version}",
        }
        self.values: dict[str, QLabel] = {}
        for name, value in rows.items():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(f"{name}:", label)
            self.values[name] = label
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        open_logs = QPushButton("Logmap openen")
        open_logs.clicked.connect(self._open_log_folder)
        buttons.addButton(open_logs, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(sub)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder)))
