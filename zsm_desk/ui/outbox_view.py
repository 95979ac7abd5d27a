"""The outbox: every message to a VH mailbox, its state and what still waits.

Shows no personal data (ref, soort, VH, state), so it may stay open on a
shared screen. Sending runs in the network worker, never on the UI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State
from zsm_desk.ui.worker import emit

TZ = ZoneInfo("Europe/Amsterdam")
RunInWorker = Callable[
    [Callable[[Any], Any], Callable[[Any], None] | None, Callable[[str], None] | None], int
]
Index = QModelIndex | QPersistentModelIndex

COLUMNS = [
    ("Referentie", "ref"),
    ("Soort", "soort"),
    ("Veiligheidshuis", "vh_code"),
    ("Status", "state"),
    ("Pogingen", "attempts"),
    ("Aangemaakt", "created_at"),
    ("Volgende poging", "next_attempt_at"),
    ("Verzonden", "sent_at"),
    ("Reden", "last_error"),
]
STATE_COLOURS = {
    "mislukt": State.ERROR,
    "klaar": State.WARN,
    "concept": State.WARN,
    "verzonden": State.OK,
}


#: The view re-reads the outbox this often (ms): another desk's sends and
#: failures, and the background retries, show up without reopening it.
REFRESH_MS = 5_000

UNSECURED_TITLE = "Onbeveiligd verzenden"


def unsecured_question(vh_namen: list[str]) -> str:
    """The one confirmation text for releasing mail to a VH without secure mail."""
    wie = ", ".join(dict.fromkeys(vh_namen)) or "dit veiligheidshuis"
    return (
        f"{wie} heeft geen beveiligde mail. Het bericht bevat persoonsgegevens en gaat dan "
        "onversleuteld over het internet.\n\nWeet u zeker dat het onbeveiligd verzonden mag "
        "worden? Uw bevestiging wordt per bericht vastgelegd."
    )


def confirm_unsecured(parent: QWidget | None, vh_namen: list[str]) -> bool:
    """Ask the same question everywhere (outbox, after a decision); default: No."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(UNSECURED_TITLE)
    box.setText(unsecured_question(vh_namen))
    yes = box.addButton("Ja, onbeveiligd verzenden", QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("Nee", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def state_text(row: dict[str, Any]) -> str:
    """The state as the desk reads it; a message waiting for a daily digest says when."""
    state = str(row.get("state") or "")
    if state == "klaar" and row.get("deliver_after") and not row.get("sent_at"):
        try:
            at = dt.datetime.fromisoformat(str(row["deliver_after"])).astimezone(TZ)
        except ValueError:
            return state
        return f"wacht op dagoverzicht {at.strftime('%H:%M')}"
    return state


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        try:
            return dt.datetime.fromisoformat(value).astimezone(TZ).strftime("%d-%m %H:%M")
        except ValueError:
            return value
    return str(value)


class OutboxModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.vh_names: dict[str, str] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "state":
                return state_text(row)
            if key == "vh_code":
                naam = self.vh_names.get(str(row.get("vh_code")), "")
                return f"{naam} ({row.get('vh_code')})" if naam else _fmt(row.get(key))
            return _fmt(row.get(key))
        if role == Qt.ItemDataRole.ForegroundRole and key == "state":
            state = STATE_COLOURS.get(str(row.get("state")))
            return QBrush(theme.fg(state)) if state else None
        if role == Qt.ItemDataRole.ToolTipRole and key == "last_error":
            return row.get("last_error") or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column][1]
        emit(self.layoutAboutToBeChanged)
        self.rows.sort(key=lambda r: str(r.get(key) or ""),
                       reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        emit(self.layoutChanged)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()


class OutboxDialog(QDialog):
    def __init__(self, db: Any, run_db: RunInWorker, run_network: RunInWorker, account: str,
                 roles: frozenset[Any], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Uitbak — berichten aan veiligheidshuizen")
        self.run_db, self.run_network = run_db, run_network
        self.account, self.roles = account, roles
        self.db = db  # sending opens its own short transactions per message
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        layout.addWidget(self.summary)
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._preview())
        layout.addWidget(self.table, 2)
        self.preview = QTextBrowser()
        self.preview.setObjectName("preview")
        a11y.name(
            self.table, "Berichten in de uitbak", "Referentie, soort, veiligheidshuis en status"
        )
        a11y.name(self.preview, "Voorbeeld van het gekozen bericht")
        layout.addWidget(self.preview, 2)
        row = QHBoxLayout()
        self.send_all = QPushButton("&Alles nu verzenden")
        self.send_all.clicked.connect(lambda: self._send(None))
        self.retry_btn = QPushButton("&Geselecteerde opnieuw")
        self.retry_btn.clicked.connect(lambda: self._send(self._selected()))
        self.confirm_btn = QPushButton("Onbeveiligd verzenden &bevestigen")
        self.confirm_btn.setToolTip(
            "Dit veiligheidshuis heeft geen beveiligde mail: bevestig per bericht."
        )
        self.confirm_btn.clicked.connect(self._confirm_unsecured)
        self.eml_btn = QPushButton("Opslaan als .&eml…")
        self.eml_btn.setToolTip(
            "Voor uw eigen mailprogramma; het bericht telt dan als handmatig verstuurd."
        )
        self.eml_btn.clicked.connect(self._export_eml)
        self.close_btn = QPushButton("Sluiten")
        self.close_btn.clicked.connect(self.accept)
        for b in (self.send_all, self.retry_btn, self.confirm_btn, self.eml_btn):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.close_btn)
        layout.addLayout(row)
        self.resize(1100, 680)
        self._refreshing = False
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _selected(self) -> list[int]:
        r = self.table.currentIndex().row()
        return [self.model.rows[r]["id"]] if 0 <= r < len(self.model.rows) else []

    def refresh(self) -> None:
        """Re-read the outbox (also every `REFRESH_MS`); keeps the selection."""
        if self._refreshing:
            return
        self._refreshing = True
        from zsm_desk.services.mail import outbox
        from zsm_desk.services.storage.config import load_settings

        def job(s: Any) -> tuple[list[dict[str, Any]], int, dict[str, str]]:
            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            return outbox.list_messages(s), outbox.waiting_count(s), names

        def done(result: tuple[list[dict[str, Any]], int, dict[str, str]]) -> None:
            self._refreshing = False
            rows, waiting, names = result
            if rows != self.model.rows or names != self.model.vh_names:
                selected = self._selected()  # unchanged rows keep selection and scroll
                self.model.vh_names = names
                self.model.set_rows(rows)
                for i, r in enumerate(rows):
                    if selected and r["id"] == selected[0]:
                        self.table.selectRow(i)
                self.table.resizeColumnsToContents()
                self.table.setColumnWidth(len(COLUMNS) - 1, 260)
            failed = sum(1 for r in rows if r.get("state") == "mislukt")
            self.summary.setText(
                f"<b>{waiting} bericht(en) wachten</b> op verzending · {failed} mislukt · "
                f"{len(rows)} in totaal. Niets gaat verloren: mislukte berichten blijven hier staan."
            )

        def failed(message: str) -> None:
            self._refreshing = False
            self._error(message)

        self.run_db(job, done, failed)

    def _preview(self) -> None:
        ids = self._selected()
        if not ids:
            return
        from zsm_desk.services.mail import outbox

        def job(s: Any) -> str:
            subject, _text, html = outbox.preview(s, ids[0])
            return f"<p><b>Onderwerp:</b> {subject}</p>{html}"

        self.run_db(job, self.preview.setHtml, self._error)

    def _confirm_unsecured(self) -> None:
        ids = self._selected()
        if not ids:
            return
        row = self.model.rows[self.table.currentIndex().row()]
        naam = self.model.vh_names.get(str(row.get("vh_code")), str(row.get("vh_code")))
        if not confirm_unsecured(self, [naam]):
            return
        from zsm_desk.services.mail import outbox

        account, roles = self.account, self.roles

        def job(s: Any) -> None:
            outbox.mark_ready(s, ids[0], account=account, roles=roles, bevestigd_onbeveiligd=True)

        self.run_db(job, lambda _r: self.refresh(), self._error)

    def _export_eml(self) -> None:
        ids = self._selected()
        if not ids:
            return
        from PySide6.QtWidgets import QFileDialog

        ref = self.model.rows[self.table.currentIndex().row()]["ref"]
        path, _ = QFileDialog.getSaveFileName(
            self, "Opslaan als .eml", f"{ref}.eml", "E-mail (*.eml)"
        )
        if not path:
            return
        from zsm_desk.services.mail import outbox

        account, roles = self.account, self.roles

        def job(s: Any) -> str:
            return str(outbox.export_eml(s, ids[0], path, account=account, roles=roles))

        self.run_db(job, lambda p: (self.refresh(), self.preview.setHtml(f"<p>Opgeslagen: {p}</p>")),
                    self._error)  # fmt: skip

    def _send(self, ids: list[int] | None) -> None:
        from zsm_desk.services.mail import outbox

        account, roles = self.account, self.roles
        db = self.db
        self.summary.setText("Bezig met verzenden…")

        def job(s: Any) -> str:
            return outbox.send_due(db, account=account, roles=roles, manual=True, ids=ids).summary()

        def done(text: str) -> None:
            self.refresh()
            self.preview.setHtml(f"<p>{text}</p>")

        self.run_network(job, done, self._error)

    def _error(self, message: str) -> None:
        self.summary.setText(
            f"<span style='color:{theme.hex_fg(State.ERROR)}'>Fout: {message}</span>"
        )
