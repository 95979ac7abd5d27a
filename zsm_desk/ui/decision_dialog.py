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
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State

ADVIES_KEUZES = [("ja", "Ja"), ("deels", "Deels"), ("nee", "Nee"), ("geen advies", "Geen advies")]


#: Which field a refusal is about, by words in the Dutch message (first match wins).
_FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("motivering", ("motivering",)),
    ("sepotcode", ("sepotcode",)),
    ("voorwaarden", ("voorwaarden",)),
    ("toelichting", ("toelichting",)),
    ("besloten_door", ("officier", "genomen", "namens")),
    ("reden", ("reden van de correctie", "reden is te lang")),
    ("advies", ("advies",)),
    ("onderzoek", ("onderzoek",)),
    ("beslissing", ("beslissing", "alleen mogelijk", "niet toegestaan")),
)


def field_of(error: str) -> str:
    """The dialog field a refusal message belongs to ('' = the dialog as a whole)."""
    low = error.lower()
    for name, words in _FIELD_WORDS:
        if any(w in low for w in words):
            return name
    return ""


class DecisionDialog(QDialog):
    """The decision form. A refused submit reopens it with `previous` filled in
    and each reason beside its field (issue 13 §5)."""

    def __init__(
        self,
        ctx: DecisionContext,
        parent: QWidget | None = None,
        *,
        previous: DecisionInput | None = None,
        correctie: bool = False,
        reden: str = "",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.correctie = correctie
        self.field_errors: dict[str, QLabel] = {}
        wat = "corrigeren" if correctie else "vastleggen"
        self.setWindowTitle(f"Beslissing {wat} — {ctx.naam}")
        layout = QVBoxLayout(self)
        head = QLabel(
            f"<b>{ctx.naam}</b> · {ctx.bvh_nummer}"
            + (
                f" · <b style='color:{theme.hex_fg(State.MINOR)}'>minderjarig</b>"
                if ctx.minderjarig
                else ""
            )
        )
        layout.addWidget(head)
        form = QFormLayout()
        self.reden = QLineEdit()
        self.reden.setObjectName("correctieReden")
        self.reden.setMaxLength(500)
        self.reden.setPlaceholderText(
            "verplicht: waarom wordt de beslissing gecorrigeerd? (geen persoonsgegevens)"
        )
        self.reden.setText(reden)
        if correctie:
            note = QLabel(
                "De veiligheidshuizen die het eerdere bericht kregen, krijgen een correctie. "
                "Uw correctie en de reden worden vastgelegd in de audit."
            )
            note.setWordWrap(True)
            form.addRow("", note)
            form.addRow("&Reden van correctie:", self.reden)
            self._error_row(form, "reden")
        self.beslissing = QComboBox()
        self.beslissing.setObjectName("beslissing")
        # No default decision: recording a sepot by pressing Enter must be impossible.
        self.beslissing.addItem("— kies een beslissing —", None)
        for code, label, ok, _eis in ctx.beslissingen:
            if ok:
                self.beslissing.addItem(label, code)
        form.addRow("&Beslissing:", self.beslissing)
        self._error_row(form, "beslissing")
        self.sepotcode = QLineEdit()
        self.sepotcode.setObjectName("sepotcode")
        self.sepotcode.setPlaceholderText("twee cijfers, bijv. 02")
        self.sepotcode.setMaxLength(2)
        form.addRow("&Sepotcode:", self.sepotcode)
        self._error_row(form, "sepotcode")
        self.sepot_warning = QLabel()
        self.sepot_warning.setWordWrap(True)
        self.sepot_warning.setStyleSheet(theme.css(State.ERROR))
        form.addRow("", self.sepot_warning)
        self.voorwaarden = QPlainTextEdit()
        self.voorwaarden.setPlaceholderText("bijzondere voorwaarden / gedragsaanwijzing")
        self.voorwaarden.setFixedHeight(60)
        form.addRow("Voor&waarden:", self.voorwaarden)
        self._error_row(form, "voorwaarden")
        onderzoek = "Raadsonderzoek" if ctx.minderjarig else "Reclasseringsonderzoek"
        self.onderzoek = QCheckBox(f"{onderzoek} gepland")
        form.addRow("", self.onderzoek)
        self._error_row(form, "onderzoek")
        self.advies = QComboBox()
        self.advies.setObjectName("adviesGevolgd")
        # No default when there is an advice: whether it was followed is a choice.
        # Without any advice "geen advies" is the only valid answer and is preset.
        self.advies.addItem("— kies —", None)
        for code, label in ADVIES_KEUZES:
            self.advies.addItem(label, code)
        self.advies.setCurrentIndex(0 if ctx.heeft_advies else len(ADVIES_KEUZES))
        form.addRow("VH-&advies gevolgd:", self.advies)
        self._error_row(form, "advies")
        self.motivering = QPlainTextEdit()
        self.motivering.setObjectName("motivering")
        self.motivering.setFixedHeight(70)
        form.addRow("&Motivering:", self.motivering)
        self._error_row(form, "motivering")
        self.toelichting = QLineEdit()
        self.toelichting.setPlaceholderText(
            "korte toelichting voor het veiligheidshuis (optioneel)"
        )
        self.toelichting.setMaxLength(500)
        form.addRow("&Toelichting:", self.toelichting)
        self._error_row(form, "toelichting")
        self.besloten_door = QLineEdit()
        self.besloten_door.setObjectName("beslotenDoor")
        if ctx.kpc_namens:
            self.besloten_door.setPlaceholderText("naam van de officier van justitie (verplicht)")
            form.addRow("Besloten &door (OvJ):", self.besloten_door)
            form.addRow("", QLabel(f"U legt vast namens de officier ({ctx.account})."))
        else:
            self.besloten_door.setText(ctx.account)
            form.addRow("Besloten &door:", self.besloten_door)
        self._error_row(form, "besloten_door")
        layout.addLayout(form)
        layout.addStretch(1)  # spare height below the form, not between its rows
        self.errors = QLabel()
        self.errors.setObjectName("errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet(theme.css(State.ERROR))
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
        start = previous or (ctx.huidige if correctie else None)
        if start is not None:
            self.restore(start)  # a refused input, or the decision being corrected
        self._update()
        self.resize(560, 520)

    def _error_row(self, form: QFormLayout, name: str) -> None:
        label = QLabel()
        label.setObjectName(f"fout_{name}")
        label.setWordWrap(True)
        label.setStyleSheet(theme.css(State.ERROR))
        form.addRow("", label)
        form.setRowVisible(label, False)  # the whole row: no empty gap until there is an error
        self._form = form
        self.field_errors[name] = label

    def restore(self, previous: DecisionInput) -> None:
        """Put a refused input back, so nothing the user typed or chose is lost."""
        i = self.beslissing.findData(previous.beslissing)
        if i >= 0:
            self.beslissing.setCurrentIndex(i)
        self.sepotcode.setText(previous.sepotcode)
        self.voorwaarden.setPlainText(previous.voorwaarden)
        self.onderzoek.setChecked(previous.onderzoek_gepland)
        j = self.advies.findData(previous.advies_gevolgd)
        if j >= 0:
            self.advies.setCurrentIndex(j)
        self.motivering.setPlainText(previous.motivering)
        self.toelichting.setText(previous.toelichting)
        if previous.besloten_door:
            self.besloten_door.setText(previous.besloten_door)

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
        """Each reason beside its field; what fits no field at the bottom."""
        per: dict[str, list[str]] = {}
        for e in errors:
            per.setdefault(field_of(e), []).append(e)
        first: QWidget | None = None
        for name, label in self.field_errors.items():
            msgs = per.pop(name, [])
            label.setText("\n".join(msgs))
            self._form.setRowVisible(label, bool(msgs))
            if msgs and first is None:
                first = self._widget(name)
        rest = [e for msgs in per.values() for e in msgs]
        self.errors.setText("\n".join(f"• {e}" for e in rest))
        if first is not None:
            first.setFocus()

    def _widget(self, name: str) -> QWidget:
        return {
            "beslissing": self.beslissing, "sepotcode": self.sepotcode,
            "voorwaarden": self.voorwaarden, "onderzoek": self.onderzoek,
            "advies": self.advies, "motivering": self.motivering,
            "toelichting": self.toelichting, "besloten_door": self.besloten_door,
            "reden": self.reden,
        }.get(name, self.beslissing)  # fmt: skip

    def _accept(self) -> None:
        code = self.beslissing.currentData()
        missing = []
        if code is None:
            missing.append("Kies een beslissing.")
        if self.advies.currentData() is None:
            missing.append("Kies of het advies is gevolgd (ja, deels, nee of geen advies).")
        if self.correctie and len(self.reden.text().strip()) < 5:
            missing.append("Geef de reden van de correctie (verplicht).")
        if missing:
            self.set_errors(missing)
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
        a11y.name(self.preview, "Voorbeeld van de terugkoppeling")
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
        text = (
            "<b>Sepot 01 vastgelegd.</b> Er gaat geen terugkoppeling uit; de gegevens van deze zaak "
            "zijn verwijderd. Alleen een auditregel zonder persoonsgegevens blijft over."
        )
        vervalt = [vh_names.get(m["vh_code"], m["vh_code"]) for m in outcome.get("berichten", [])]
        if vervalt:
            text += (
                "<br>Alleen de melding 'eerdere terugkoppeling vervalt' (zonder "
                f"persoonsgegevens) gaat naar: {', '.join(vervalt)}."
            )
        return text
    wat = "gecorrigeerd" if outcome.get("correctie") else "vastgelegd"
    lines = [f"<b>Beslissing {wat}.</b> {outcome.get('reden', '')}"]
    for m in outcome.get("berichten", []):
        naam = vh_names.get(m["vh_code"], m["vh_code"])
        when = ""
        if m.get("deliver_after"):
            when = f" — gaat mee in het dagoverzicht van {m['deliver_after'][11:16]}"
        lines.append(f"• {m['soort']} aan {naam} ({m['ref']}): {m['state']}{when}")
    for w in outcome.get("waarschuwingen", []):
        lines.append(f"<span style='color:{theme.hex_fg(State.WARN)}'>⚠ {w}</span>")
    return "<br>".join(lines)
