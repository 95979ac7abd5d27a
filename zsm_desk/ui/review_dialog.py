"""Side-by-side review of a `mogelijk` hit. Shows identities only, no VH content."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
        self.setWindowTitle("Mogelijk bekend — controleer")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>Mogelijk bekend bij {vh_naam}</b> — vergelijk de gegevens. "
            "Pas na bevestiging wordt VH-informatie getoond. Uw keuze wordt vastgelegd in de audit."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        per_row, rest = evidence_by_row(hit.details or [])
        table = QTableWidget(len(FIELDS), 3, self)
        table.setObjectName("vergelijking")
        table.setHorizontalHeaderLabels(
            ["Verdachte (ZSM)", f"Register ({hit.vh_code})", "Beoordeling (gewicht in bits)"]
        )
        table.setVerticalHeaderLabels([f for f, _ in FIELDS])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (_, get) in enumerate(FIELDS):
            a, b = get(hit.suspect), get(hit.register)
            for col, val in enumerate((a, b)):
                cell = QTableWidgetItem(val or "—")
                if _norm(a) != _norm(b):
                    cell.setBackground(Qt.GlobalColor.yellow)
                table.setItem(row, col, cell)
            label = FIELDS[row][0]
            table.setItem(row, 2, QTableWidgetItem(per_row.get(label, "")))
        layout.addWidget(table)
        why = QLabel("<b>Waarom mogelijk:</b> " + "; ".join(rest or [hit.reden]))
        why.setWordWrap(True)
        layout.addWidget(why)
        buttons = QDialogButtonBox(self)
        self.confirm_btn = QPushButton("&Bevestigen: zelfde persoon")
        self.reject_btn = QPushButton("&Verwerpen: andere persoon")
        buttons.addButton(self.confirm_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reject_btn, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.confirm_btn.clicked.connect(lambda: self._done(True))
        self.reject_btn.clicked.connect(lambda: self._done(False))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(860, 400)
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
