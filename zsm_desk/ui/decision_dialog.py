"""Recording the officer's decision, and the terugkoppeling it produces.

Two actions from decision to sent terugkoppeling: "Vastleggen" in the
decision dialog, then "Verzenden" in the result dialog. The structured
fields come from the decision and are never retyped; the user may add a
short toelichting before sending.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.services.decisions.decisions_service import DecisionContext, DecisionInput

ADVIES_KEUZES = [("ja", "Ja"), ("deels", "Deels"), ("nee", "Nee"), ("geen advies", "Geen advies")]


class DecisionDialog(QDialog):
    def __init__(self, ctx: DecisionContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"Beslissing vastleggen — {ctx.naam}")
        layout = QVBoxLayout(self)
        head = QLabel(
            f"<b>{ctx.naam}</b> · {ctx.bvh_nummer}"
            + (" · <b style='color:#8a5300'>minderjarig</b>" if ctx.minderjarig else "")
        )
        layout.addWidget(head)
        form = QFormLayout()
        self.beslissing = QComboBox()
        self.beslissing.setObjectName("beslissing")
        # No default decision: recording a sepot by pressing Enter must be impossible.
        self.beslissing.addItem("— kies een beslissing —", None)
        for code, label, ok, _eis in ctx.beslissingen:
            if ok:
                self.beslissing.addItem(label, code)
        form.addRow("&Beslissing:", self.beslissing)
        self.sepotcode = QLineEdit()
        self.sepotcode.setObjectName("sepotcode")
        self.sepotcode.setPlaceholderText("twee cijfers, bijv. 02")
        self.sepotcode.setMaxLength(2)
        form.addRow("&Sepotcode:", self.sepotcode)
        self.sepot_warning = QLabel()
        self.sepot_warning.setWordWrap(True)
        self.sepot_warning.setStyleSheet("color:#b00020")
        form.addRow("", self.sepot_warning)
        self.voorwaarden = QPlainTextEdit()
        self.voorwaarden.setPlaceholderText("bijzondere voorwaarden / gedragsaanwijzing")
        self.voorwaarden.setFixedHeight(60)
        form.addRow("&Voorwaarden:", self.voorwaarden)
        onderzoek = "Raadsonderzoek" if ctx.minderjarig else "Reclasseringsonderzoek"
        self.onderzoek = QCheckBox(f"{onderzoek} gepland")
        form.addRow("", self.onderzoek)
        self.advies = QComboBox()
        self.advies.setObjectName("adviesGevolgd")
        for code, label in ADVIES_KEUZES:
            self.advies.addItem(label, code)
        self.advies.setCurrentIndex(0 if ctx.heeft_advies else 3)
        form.addRow("VH-&advies gevolgd:", self.advies)
        self.motivering = QPlainTextEdit()
        self.motivering.setObjectName("motivering")
        self.motivering.setFixedHeight(70)
        form.addRow("&Motivering:", self.motivering)
        self.toelichting = QLineEdit()
        self.toelichting.setPlaceholderText(
            "korte toelichting voor het veiligheidshuis (optioneel)"
        )
        self.toelichting.setMaxLength(500)
        form.addRow("&Toelichting:", self.toelichting)
        self.besloten_door = QLineEdit()
        self.besloten_door.setObjectName("beslotenDoor")
        if ctx.kpc_namens:
            self.besloten_door.setPlaceholderText("naam van de officier van justitie (verplicht)")
            form.addRow("Besloten &door (OvJ):", self.besloten_door)
            form.addRow("", QLabel(f"U legt vast namens de officier ({ctx.account})."))
        else:
            self.besloten_door.setText(ctx.account)
            form.addRow("Besloten &door:", self.besloten_door)
        layout.addLayout(form)
        self.errors = QLabel()
        self.errors.setObjectName("errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color:#b00020")
        layout.addWidget(self.errors)
        buttons = QDialogButtonBox()
        self.ok_btn = buttons.addButton("&Vastleggen", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self).activated.connect(self._accept)
        self.beslissing.currentIndexChanged.connect(self._update)
        self.sepotcode.textChanged.connect(self._update)
        self.advies.currentIndexChanged.connect(self._update)
        self.result_input: DecisionInput | None = None
        self._update()
        self.resize(560, 480)

    def _eis(self) -> str:
        code = self.beslissing.currentData()
        return next((e for c, _l, _ok, e in self.ctx.beslissingen if c == code), "nee")

    def _update(self) -> None:
        eis = self._eis()
        self.sepotcode.setEnabled(eis != "nee")
        technisch = self.beslissing.currentData() == "sepot" and self.sepotcode.text() == "01"
        self.sepot_warning.setVisible(technisch)
        self.sepot_warning.setText(
            "Sepot 01 (ten onrechte als verdachte aangemerkt): er gaat geen terugkoppeling uit en "
            "alle gegevens van deze zaak worden verwijderd."
            if technisch
            else ""
        )
        needs = self.advies.currentData() in ("nee", "deels")
        self.motivering.setPlaceholderText(
            "verplicht: waarom is het advies niet (geheel) gevolgd?" if needs else "optioneel"
        )

    def set_errors(self, errors: list[str]) -> None:
        self.errors.setText("\n".join(f"• {e}" for e in errors))

    def _accept(self) -> None:
        code = self.beslissing.currentData()
        if code is None:
            self.set_errors(["Kies een beslissing."])
            return
        self.result_input = DecisionInput(
            beslissing=code,
            sepotcode=self.sepotcode.text().strip() if self.sepotcode.isEnabled() else "",
            voorwaarden=self.voorwaarden.toPlainText().strip(),
            onderzoek_gepland=self.onderzoek.isChecked(),
            advies_gevolgd=self.advies.currentData(),
            motivering=self.motivering.toPlainText().strip(),
            toelichting=self.toelichting.text().strip(),
            besloten_door=self.besloten_door.text().strip(),
        )
        self.accept()


class FeedbackDialog(QDialog):
    """What the decision produced; "Verzenden" sends the terugkoppeling(en) now."""

    def __init__(self, summary: str, messages: list[dict[str, Any]], previews: dict[int, str],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Terugkoppeling")
        self.send_requested = False
        self.toelichting_by_id: dict[int, str] = {}
        layout = QVBoxLayout(self)
        lbl = QLabel(summary)
        lbl.setWordWrap(True)
        layout.addWidget(lbl)
        self.preview = QTextBrowser()
        self.preview.setObjectName("preview")
        html = "<hr>".join(previews.values()) or "<p>Er gaat geen bericht uit.</p>"
        self.preview.setHtml(html)
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox()
        sendable = [m for m in messages if m["state"] in ("klaar", "concept", "mislukt")]
        self.send_btn = QPushButton("&Verzenden")
        self.send_btn.setObjectName("send")
        self.send_btn.setEnabled(bool(sendable))
        self.send_btn.setDefault(bool(sendable))
        buttons.addButton(self.send_btn, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton("&Later (in de uitbak)", QDialogButtonBox.ButtonRole.RejectRole)
        later.setToolTip("Het bericht blijft in de uitbak staan en wordt niet vergeten.")
        self.send_btn.clicked.connect(self._send)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def _send(self) -> None:
        self.send_requested = True
        self.accept()


def describe_outcome(outcome: dict[str, Any], vh_names: dict[str, str]) -> str:
    if outcome.get("gegevens_verwijderd"):
        return (
            "<b>Sepot 01 vastgelegd.</b> Er gaat geen terugkoppeling uit; de gegevens van deze zaak "
            "zijn verwijderd. Alleen een auditregel zonder persoonsgegevens blijft over."
        )
    lines = [f"<b>Beslissing vastgelegd.</b> {outcome.get('reden', '')}"]
    for m in outcome.get("berichten", []):
        naam = vh_names.get(m["vh_code"], m["vh_code"])
        when = ""
        if m.get("deliver_after"):
            when = f" — gaat mee in het dagoverzicht van {m['deliver_after'][11:16]}"
        lines.append(f"• {m['soort']} aan {naam} ({m['ref']}): {m['state']}{when}")
    for w in outcome.get("waarschuwingen", []):
        lines.append(f"<span style='color:#8a5300'>⚠ {w}</span>")
    return "<br>".join(lines)
