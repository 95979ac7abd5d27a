"""Side-by-side review of a `mogelijk` hit. Shows identities only, no VH content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain.records import Identity, PartialDate, bsn_valid
from zsm_desk.services.registers.known_clients import HitView
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.i18n import translate
from zsm_desk.ui.theme import State

FIELDS = [
    ("Achternaam", lambda i: i.achternaam),
    ("Voorvoegsel", lambda i: i.voorvoegsel),
    ("Voornamen", lambda i: i.voornamen),
    ("Geboortedatum", lambda i: _date(i.geboortedatum)),
    ("BSN", lambda i: _bsn(i.bsn)),
    ("Geboorteplaats", lambda i: i.geboorteplaats),
    ("Gemeente", lambda i: i.gemeente),
]


def _date(iso: str) -> str:
    try:
        return PartialDate.parse(iso).display()
    except ValueError:
        return iso


def _bsn(bsn: str) -> str:
    if not bsn:
        return ""
    return bsn if bsn_valid(bsn) else f"{bsn} (ongeldig)"


class ReviewDialog(QDialog):
    """Result: accepted with `confirmed` True/False, or rejected (cancelled)."""

    def __init__(self, hit: HitView, vh_naam: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confirmed: bool | None = None
        self.setWindowTitle(translate("ReviewDialog", "Mogelijk bekend — controleer"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            translate(
                "ReviewDialog",
                "<b>Mogelijk bekend bij {vh}</b> — vergelijk de gegevens. Pas na bevestiging "
                "wordt VH-informatie getoond. Uw keuze wordt vastgelegd in de audit.",
            ).format(vh=vh_naam)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        table = QTableWidget(len(FIELDS), 2, self)
        table.setObjectName("vergelijking")
        a11y.name(
            table,
            translate("ReviewDialog", "Vergelijking verdachte en register"),
            translate("ReviewDialog", "Velden die verschillen zijn gemarkeerd als verschilt"),
        )
        table.setHorizontalHeaderLabels(
            [
                translate("ReviewDialog", "Verdachte (ZSM)"),
                translate("ReviewDialog", "Register ({code})").format(code=hit.vh_code),
            ]
        )
        table.setVerticalHeaderLabels([f for f, _ in FIELDS])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (_, get) in enumerate(FIELDS):
            a, b = get(hit.suspect), get(hit.register)
            for col, val in enumerate((a, b)):
                cell = QTableWidgetItem(val or "—")
                if _norm(a) != _norm(b):
                    cell.setForeground(theme.fg(State.DIFF))
                    cell.setBackground(theme.bg(State.DIFF) or QColor())
                    cell.setData(Qt.ItemDataRole.AccessibleDescriptionRole, "verschilt")
                table.setItem(row, col, cell)
        layout.addWidget(table)
        why = QLabel(
            translate("ReviewDialog", "<b>Waarom mogelijk:</b> ")
            + "; ".join(hit.details or [hit.reden])
        )
        why.setWordWrap(True)
        layout.addWidget(why)
        buttons = QDialogButtonBox(self)
        self.confirm_btn = QPushButton(translate("ReviewDialog", "&Bevestigen: zelfde persoon"))
        self.reject_btn = QPushButton(translate("ReviewDialog", "&Verwerpen: andere persoon"))
        buttons.addButton(self.confirm_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reject_btn, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("ReviewDialog", "Annuleren")
        )
        self.confirm_btn.clicked.connect(lambda: self._done(True))
        self.reject_btn.clicked.connect(lambda: self._done(False))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 380)
        # No default button: a review must be a deliberate choice, not an Enter.
        self.confirm_btn.setAutoDefault(False)
        self.reject_btn.setAutoDefault(False)

    def _done(self, confirmed: bool) -> None:
        self.confirmed = confirmed
        self.accept()


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def identity_rows(i: Identity) -> list[str]:  # used by tests
    return [get(i) for _, get in FIELDS]
