"""Side-by-side review of a `mogelijk` hit. Shows identities only, no VH content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
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


#: Which evidence line (``details``, "veld: niveau (+gewicht)") belongs to which row.
_EVIDENCE_FIELD = {
    "Achternaam": "achternaam",
    "Voornamen": "voornaam",
    "Geboortedatum": "geboortedatum",
    "BSN": "BSN",
    "Geboorteplaats": "geboorteplaats",
    "Gemeente": "gemeente",
}


def evidence_by_row(details: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split a hit's details into the per-field verdicts and the remaining lines."""
    per_row: dict[str, str] = {}
    rest: list[str] = []
    for line in details:
        label, _, verdict = line.partition(": ")
        row = next((r for r, f in _EVIDENCE_FIELD.items() if f == label), None)
        if row is not None and verdict and row not in per_row:
            per_row[row] = verdict
        else:
            rest.append(line)
    return per_row, rest


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
        per_row, rest = evidence_by_row(hit.details or [])
        table = QTableWidget(len(FIELDS), 3, self)
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
                translate("ReviewDialog", "Beoordeling (gewicht in bits)"),
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
            label = FIELDS[row][0]
            table.setItem(row, 2, QTableWidgetItem(per_row.get(label, "")))
        layout.addWidget(table)
        why = QLabel(
            translate("ReviewDialog", "<b>Waarom mogelijk:</b> ") + "; ".join(rest or [hit.reden])
        )
        why.setWordWrap(True)
        layout.addWidget(why)
        # No QDialogButtonBox: it makes its first AcceptRole button the default
        # when shown, so one Enter would disclose the VH content. Plain buttons,
        # none default and none autoDefault: confirming is a click, Space on a
        # focused button or its Alt shortcut, never Enter (issue 13 §1).
        choice = QHBoxLayout()
        self.confirm_btn = QPushButton(
            translate("ReviewDialog", "&Bevestigen: zelfde persoon"), self
        )
        self.reject_btn = QPushButton(translate("ReviewDialog", "&Verwerpen: andere persoon"), self)
        self.cancel_btn = QPushButton(translate("ReviewDialog", "Annuleren"), self)
        self.confirm_btn.setObjectName("bevestigen")
        self.reject_btn.setObjectName("verwerpen")
        choice.addWidget(self.confirm_btn)
        choice.addWidget(self.reject_btn)
        choice.addStretch(1)
        choice.addWidget(self.cancel_btn)
        for b in (self.confirm_btn, self.reject_btn, self.cancel_btn):
            b.setAutoDefault(False)
            b.setDefault(False)
        self.confirm_btn.clicked.connect(lambda: self._done(True))
        self.reject_btn.clicked.connect(lambda: self._done(False))
        self.cancel_btn.clicked.connect(self.reject)
        layout.addLayout(choice)
        self.resize(860, 400)
        table.setFocus()  # not on a button: Enter and Space do nothing until a choice is made

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never confirms or rejects: only Escape (cancel) is a key here."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _done(self, confirmed: bool) -> None:
        self.confirmed = confirmed
        self.accept()


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def identity_rows(i: Identity) -> list[str]:  # used by tests
    return [get(i) for _, get in FIELDS]
