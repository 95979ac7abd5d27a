"""Advies op aanvraag in the window: ask a VH, guard the terms, screen for an aanmelding.

Three dialogs over `services.adviesvragen` and `services.screening_service`
(issue 6; rules in README, "adviesvraag"):

* `NewAdviesvraagDialog`: a question about the selected suspect (or a refresh
  request from an outdated advice), with the term presets and the deadline
  computed live (pure `deadlines.compute_deadline` with the VH's office hours);
* `AdviesvragenDialog`: the open questions with their countdown, and the
  actions on one question (answer, decide without advice, send again);
* `ScreeningDialog`: tick the criteria of a checklist, see the outcome live
  (`screening.evaluate` is pure), record it (marks the suspect possibly complex).

All database work goes through ``run_in_worker(fn, on_done, on_error)`` (the
main window's `DbWorker.submit`): ``fn(session)`` runs on the worker thread and
returns plain data. The loaders (`voorbereiden`, `screening_voorbereiden`) run
there too, so a dialog is built from plain values only. Service refusals come
back as one Dutch line and are shown inside the dialog; the input stays.

Wiring in the main window::

    self.worker.submit(lambda s: voorbereiden(s, item_id), open_dialog, on_error)
    NewAdviesvraagDialog(prep, self.worker.submit, account, roles, self).exec()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain import adviesvraag as av
from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import SystemClock
from zsm_desk.domain.deadlines import PRESET_LABELS, DeadlineState, OfficeHours, Preset
from zsm_desk.services.adviesvragen.adviesvragen import TZ, AdviesvraagView, VhKeuze
from zsm_desk.services.storage.db import now_of
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State
from zsm_desk.ui.widgets import record_table
from zsm_desk.ui.worker import emit

RunInWorker = Callable[
    [Callable[[Any], Any], Callable[[Any], None] | None, Callable[[str], None] | None], Any
]
Clock = Callable[[], dt.datetime]
Index = QModelIndex | QPersistentModelIndex

TICK_MS = 30_000
#: The "custom" choice next to the presets.
EIGEN = "eigen"
_DAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
_DAGNAMEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _error_label() -> QLabel:
    """The hidden ``message`` line a dialog shows its refusal in (red, wrapped)."""
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet(theme.css(State.ERROR))
    label.hide()
    return label


def _utcnow() -> dt.datetime:
    """Default for dialogs made without the desk's clock (tests of one dialog)."""
    return SystemClock().now()


def _zin(message: str) -> str:
    """A service message (lower case, no full stop) as a sentence for the screen."""
    m = message.strip()
    if not m:
        return m
    m = m[0].upper() + m[1:]
    return m if m.endswith((".", "!", "?")) else m + "."


def _when(moment: dt.datetime | None, *, dag: bool = False) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(TZ)
    text = f"{local:%d-%m-%Y %H:%M}"
    return f"{_DAGEN[local.weekday()]} {text}" if dag else text


def _kort(text: str, n: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 1].rstrip() + "…"


# =============================================================================
# Loaders (run in the worker; return plain data)
# =============================================================================


@dataclass(frozen=True)
class VraagVoorbereiding:
    """Everything `NewAdviesvraagDialog` shows, loaded in one worker job."""

    item_id: int
    bvh_nummer: str
    naam: str
    keuzes: tuple[VhKeuze, ...]  # the suspect's VHs first (`vh_keuzes`)
    kantooruren: dict[str, OfficeHours]  # per VH code, for the live deadline
    onbeveiligd: frozenset[str]  # VH codes without secure mail
    casusschets: str  # the service's case sketch (`adviesvraag.casusschets`)
    # A refresh request (`actualisatie`): the hit on the outdated advice, the
    # prepared question and the fixed VH.
    match_id: int | None = None
    vraag: str = ""
    vh_code: str | None = None

    @property
    def actualisatie(self) -> bool:
        return self.match_id is not None


def voorbereiden(
    session: Any, item_id: int, *, vh_code: str | None = None, now: dt.datetime | None = None
) -> VraagVoorbereiding:
    """Load the question dialog's data; with ``vh_code`` for a refresh request.

    For a refresh request the hit is the suspect's (not rejected) match on that
    VH's marking; the prepared question comes from its advice date
    (`adviesvraag.actualisatievraag`), which refuses a current advice.
    """
    from zsm_desk.domain.freshness import freshness
    from zsm_desk.services.adviesvragen import adviesvragen
    from zsm_desk.services.registers import known_clients, vh_info
    from zsm_desk.services.storage.config import load_settings

    summary = vh_info.item_summary(session, item_id)
    if summary is None:
        raise adviesvragen.NotFound(f"verdachte {item_id} niet gevonden")
    item = summary.item
    settings = load_settings(session)
    keuzes = tuple(adviesvragen.vh_keuzes(session, item_id))
    uren = {v.code: adviesvragen.office_hours(v) for v in settings.veiligheidshuizen}
    onbeveiligd = frozenset(v.code for v in settings.veiligheidshuizen if not v.beveiligde_mail)
    match_id: int | None = None
    vraag = ""
    if vh_code is not None:
        hit = known_clients.advice_hit(session, item_id, vh_code)
        if hit is None or hit[1] is None:
            raise adviesvragen.AdviesvraagError(
                f"geen advies van {vh_code} bij deze verdachte om te actualiseren"
            )
        hit_id, advies_datum = hit
        today = (now or now_of(session)).astimezone(TZ).date()
        verdict = freshness(advies_datum, today)
        try:
            vraag = av.actualisatievraag(advies_datum, verdict.level, verdict.months)
        except ValueError as e:
            raise adviesvragen.AdviesvraagError(str(e)) from None
        match_id = hit_id
    return VraagVoorbereiding(
        item_id=item_id,
        bvh_nummer=item.bvh_nummer,
        naam=item.identity.display_name(),
        keuzes=keuzes,
        kantooruren=uren,
        onbeveiligd=onbeveiligd,
        casusschets=av.casusschets(item),
        match_id=match_id,
        vraag=vraag,
        vh_code=vh_code,
    )


@dataclass(frozen=True)
class VorigeScreening:
    checklist: str
    criteria: frozenset[str]
    voorstel: bool
    door: str
    op: dt.datetime


@dataclass(frozen=True)
class ScreeningVoorbereiding:
    """Everything `ScreeningDialog` shows, loaded in one worker job."""

    item_id: int
    bvh_nummer: str
    naam: str
    gemeente: str
    checklists: tuple[sc.Checklist, ...]
    gemeente_vh: tuple[str, str] | None  # (code, naam) of the VH serving the gemeente
    bekend_bij: tuple[str, ...]  # names of VHs that know the suspect (bekend/confirmed)
    mogelijk_complex: bool
    vorige: dict[str, VorigeScreening] = field(default_factory=dict)  # latest per checklist


def screening_voorbereiden(session: Any, item_id: int) -> ScreeningVoorbereiding:
    from zsm_desk.domain.records import MatchStatus
    from zsm_desk.services.adviesvragen import screening_service
    from zsm_desk.services.registers import known_clients, vh_info
    from zsm_desk.services.storage.config import load_settings

    summary = vh_info.item_summary(session, item_id)
    if summary is None:
        raise screening_service.ScreeningError(f"verdachte {item_id} niet gevonden")
    settings = load_settings(session)
    vh = settings.vh_for_gemeente(summary.gemeente)
    namen = {v.code: v.naam for v in settings.veiligheidshuizen}
    bekend = sorted(
        {
            namen.get(code, code)
            for code in known_clients.vh_codes_with_status(session, item_id, MatchStatus.BEKEND)
        }
    )
    vorige = {
        r.checklist: VorigeScreening(
            r.checklist, frozenset(c["code"] for c in r.criteria), r.voorstel, r.door, r.op
        )
        for r in screening_service.screenings(session, item_id, alleen_laatste=True)
    }
    return ScreeningVoorbereiding(
        item_id=item_id,
        bvh_nummer=summary.item.bvh_nummer,
        naam=summary.item.identity.display_name(),
        gemeente=summary.gemeente,
        checklists=tuple(screening_service.load_checklists(session)),
        gemeente_vh=(vh.code, vh.naam) if vh is not None else None,
        bekend_bij=tuple(bekend),
        mogelijk_complex=summary.mogelijk_complex,
        vorige=vorige,
    )


# =============================================================================
# A new question
# =============================================================================


def deadline_tekst(
    termijn: str, office_hours: OfficeHours | None, now: dt.datetime
) -> tuple[str, bool]:
    """The live deadline line for ``termijn`` asked ``now``: (text, ok).

    Pure: `adviesvraag.bereken_deadline` as the service will store it (provisional
    until the mail has left, when the service recomputes it from the send moment).
    """
    try:
        deadline = av.bereken_deadline(termijn, now, None, office_hours, TZ)
    except ValueError as e:
        return _zin(str(e)), False
    local = deadline.astimezone(TZ)
    return f"Termijn tot {_DAGNAMEN[local.weekday()]} {local:%d-%m-%Y %H:%M}", True


class NewAdviesvraagDialog(QDialog):
    """Ask a VH a concrete question about one suspect (or refresh an outdated advice).

    Result: accepted with `result_view` (the stored `AdviesvraagView`), or rejected.
    """

    def __init__(
        self,
        prep: VraagVoorbereiding,
        run_in_worker: RunInWorker,
        account: str,
        roles: frozenset[Role],
        parent: QWidget | None = None,
        *,
        clock: Clock = _utcnow,
    ) -> None:
        super().__init__(parent)
        self.prep = prep
        self._run = run_in_worker
        self._account = account
        self._roles = roles
        self._clock = clock
        self._busy = False
        self.result_view: AdviesvraagView | None = None
        self.setObjectName("NewAdviesvraagDialog")
        self.setWindowTitle(
            "Actueel advies vragen" if prep.actualisatie else "Adviesvraag aan een veiligheidshuis"
        )
        layout = QVBoxLayout(self)
        kop = QLabel(
            f"<b>{escape(prep.naam)}</b> · BVH-nummer {escape(prep.bvh_nummer)}"
            + ("<br>Actualisatie van een advies dat niet meer actueel is." if prep.actualisatie
               else "")
        )  # fmt: skip
        kop.setWordWrap(True)
        layout.addWidget(kop)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.vh_combo = QComboBox()
        self.vh_combo.setObjectName("vh")
        for k in prep.keuzes:
            if prep.vh_code is not None and k.code != prep.vh_code:
                continue
            suffix = {"bekend": " — bekend", "mogelijk": " — mogelijk bekend"}.get(
                k.match_status or "", ""
            )
            self.vh_combo.addItem(f"{k.naam} ({k.code}){suffix}", k.code)
        self.vh_combo.setEnabled(prep.vh_code is None and self.vh_combo.count() > 1)
        self.vh_info = QLabel()
        self.vh_info.setObjectName("vhInfo")
        self.vh_info.setWordWrap(True)
        self.vh_info.setStyleSheet(theme.css(State.MUTED))
        vh_box = QVBoxLayout()
        vh_box.setSpacing(2)
        vh_box.addWidget(self.vh_combo)
        vh_box.addWidget(self.vh_info)
        vh_label = QLabel("Veiligheids&huis:")
        vh_label.setBuddy(self.vh_combo)
        form.addRow(vh_label, vh_box)

        self.vraag_edit = QPlainTextEdit(prep.vraag)
        self.vraag_edit.setObjectName("vraag")
        self.vraag_edit.setPlaceholderText(
            "De concrete vraag, bijv. 'Welke afdoening adviseert u, gezien het lopende plan "
            "van aanpak?'"
        )
        self.vraag_edit.setTabChangesFocus(True)
        self.vraag_edit.setMinimumHeight(80)
        form.addRow("Concrete v&raag:", self.vraag_edit)

        self.schets = QPlainTextEdit(prep.casusschets)
        self.schets.setObjectName("casusschets")
        self.schets.setReadOnly(True)
        self.schets.setTabChangesFocus(True)
        self.schets.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.schets.setMaximumHeight(120)
        self.schets.setToolTip("Wordt uit de wachtrij overgenomen en met de vraag meegestuurd.")
        form.addRow("Casusschets:", self.schets)

        termijn = QWidget()
        tl = QVBoxLayout(termijn)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(2)
        self.termijn_group = QButtonGroup(self)
        self.preset_buttons: dict[str, QRadioButton] = {}
        for preset, label in PRESET_LABELS.items():
            rb = QRadioButton(label)
            rb.setObjectName(f"termijn-{preset.value}")
            self.termijn_group.addButton(rb)
            self.preset_buttons[preset.value] = rb
            tl.addWidget(rb)
        eigen_row = QHBoxLayout()
        self.eigen_radio = QRadioButton("eigen termijn:")
        self.eigen_radio.setObjectName("termijn-eigen")
        self.termijn_group.addButton(self.eigen_radio)
        self.preset_buttons[EIGEN] = self.eigen_radio
        self.eigen_edit = QDateTimeEdit()
        self.eigen_edit.setObjectName("eigenTermijn")
        a11y.name(
            self.eigen_edit, "Eigen termijn", "Datum en tijd waarop het advies binnen moet zijn"
        )
        self.eigen_edit.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.eigen_edit.setCalendarPopup(True)
        morgen = (self._clock().astimezone(TZ) + dt.timedelta(days=1)).replace(
            minute=0, second=0, microsecond=0
        )
        self.set_eigen_termijn(morgen.replace(tzinfo=None))
        eigen_row.addWidget(self.eigen_radio)
        eigen_row.addWidget(self.eigen_edit)
        eigen_row.addStretch(1)
        tl.addLayout(eigen_row)
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("deadline")
        self.deadline_label.setWordWrap(True)
        tl.addWidget(self.deadline_label)
        form.addRow("&Termijn:", termijn)
        layout.addLayout(form)

        self.message = _error_label()
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.concept_btn = QPushButton("Opslaan als &concept")
        self.concept_btn.setObjectName("concept")
        self.send_btn = QPushButton("&Verzenden (Ctrl+Enter)")
        self.send_btn.setObjectName("verzenden")
        self.cancel_btn = QPushButton("Annuleren")
        for b in (self.concept_btn, self.send_btn, self.cancel_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.concept_btn.clicked.connect(lambda: self.submit(verzenden=False))
        self.send_btn.clicked.connect(lambda: self.submit(verzenden=True))
        self.cancel_btn.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc_ = QShortcut(QKeySequence(keys), self)
            sc_.setContext(Qt.ShortcutContext.WindowShortcut)
            sc_.activated.connect(lambda: self.submit(verzenden=True))

        self.vh_combo.currentIndexChanged.connect(self._update)
        self.termijn_group.buttonToggled.connect(lambda *_: self._update())
        self.eigen_edit.dateTimeChanged.connect(self._eigen_changed)
        self.vraag_edit.textChanged.connect(self.message.hide)
        self.preset_buttons[Preset.VOLGENDE_WERKDAG_13.value].setChecked(True)
        self._update()
        self.vraag_edit.setFocus()
        self.resize(680, 600)

    # --- values ----------------------------------------------------------------
    def vh_code(self) -> str | None:
        data = self.vh_combo.currentData()
        return str(data) if data is not None else None

    def set_vh(self, code: str) -> None:
        i = self.vh_combo.findData(code)
        if i >= 0:
            self.vh_combo.setCurrentIndex(i)

    def set_eigen_termijn(self, wall: dt.datetime) -> None:
        """Set the custom deadline as Europe/Amsterdam wall-clock time (naive)."""
        self.eigen_edit.setDateTime(
            QDateTime(QDate(wall.year, wall.month, wall.day), QTime(wall.hour, wall.minute))
        )

    def termijn(self) -> str:
        """The chosen preset code, or the custom time as local ISO (no offset)."""
        for code, rb in self.preset_buttons.items():
            if rb.isChecked() and code != EIGEN:
                return code
        d, t = self.eigen_edit.date(), self.eigen_edit.time()
        return f"{d.year():04d}-{d.month():02d}-{d.day():02d}T{t.hour():02d}:{t.minute():02d}"

    def kies_termijn(self, code: str) -> None:
        self.preset_buttons[code].setChecked(True)

    # --- behaviour -------------------------------------------------------------
    def _eigen_changed(self, *_: Any) -> None:
        self.eigen_radio.setChecked(True)
        self._update()

    def _update(self, *_: Any) -> None:
        code = self.vh_code()
        keuze = next((k for k in self.prep.keuzes if k.code == code), None)
        if keuze is None:
            self.vh_info.setText("Geen veiligheidshuis ingesteld.")
        else:
            info = f"Bereikbaar {keuze.bereikbaarheid}"
            if keuze.telefoon:
                info += f" · tel. {keuze.telefoon}"
            if code in self.prep.onbeveiligd:
                info += (
                    " · geen beveiligde mail: de mail wacht in de verzendwachtrij op uw "
                    "uitdrukkelijke bevestiging"
                )
            self.vh_info.setText(info)
        kantoor = self.prep.kantooruren.get(code or "")
        text, ok = deadline_tekst(self.termijn(), kantoor, self._clock())
        if ok:
            text += " (de termijn gaat lopen zodra de mail verzonden is)"
        self.deadline_label.setText(text)
        self.deadline_label.setStyleSheet("" if ok else theme.css(State.ERROR))

    def _show_error(self, message: str) -> None:
        self.message.setText(_zin(message))
        self.message.show()

    def validate(self) -> list[str]:
        """Dutch messages for what is missing; empty when the question may go."""
        problems = []
        if self.vh_code() is None:
            problems.append("Kies een veiligheidshuis.")
        if not self.vraag_edit.toPlainText().strip():
            problems.append("Formuleer een concrete vraag aan het veiligheidshuis.")
        _text, ok = deadline_tekst(
            self.termijn(), self.prep.kantooruren.get(self.vh_code() or ""), self._clock()
        )
        if not ok:
            problems.append(f"Termijn: {_text}")
        return problems

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.concept_btn, self.send_btn):
            w.setEnabled(not busy)

    def submit(self, *, verzenden: bool) -> None:
        if self._busy:
            return
        problems = self.validate()
        if problems:
            self._show_error(" ".join(problems))
            if not self.vraag_edit.toPlainText().strip():
                self.vraag_edit.setFocus()
            return
        self.message.hide()
        prep = self.prep
        vh_code = self.vh_code() or ""
        vraag, termijn = self.vraag_edit.toPlainText(), self.termijn()
        account, roles, now = self._account, self._roles, self._clock()

        def job(s: Any) -> AdviesvraagView:
            from zsm_desk.services.adviesvragen import adviesvragen

            if prep.match_id is not None:
                return adviesvragen.actualisatie(
                    s, match_id=prep.match_id, termijn=termijn, account=account, roles=roles,
                    vraag=vraag.strip(), verzenden=verzenden, now=now,
                )  # fmt: skip
            return adviesvragen.nieuw(
                s, item_id=prep.item_id, vh_code=vh_code, vraag=vraag, termijn=termijn,
                account=account, roles=roles, verzenden=verzenden, now=now,
            )  # fmt: skip

        self._set_busy(True)
        self._run(job, self._saved, self._failed)

    def _saved(self, view: AdviesvraagView) -> None:
        self._set_busy(False)
        self.result_view = view
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_error(message)


# =============================================================================
# The list of questions
# =============================================================================

COLUMNS = ("Verdachte", "VH", "Vraag", "Gesteld op", "Termijn", "Resterend", "Status")
COL_BVH, COL_VH, COL_VRAAG, COL_GESTELD, COL_TERMIJN, COL_RESTEREND, COL_STATUS = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_WIDTHS = (150, 70, 270, 120, 215, 140, 150)
# Groups of the urgency order, as `adviesvragen.lijst` orders them.
_GROEP_LOOPT, _GROEP_MISLUKT, _GROEP_OPEN, _GROEP_GESLOTEN = range(4)


def _groep(view: AdviesvraagView, stand: av.Termijnstand) -> int:
    if stand.loopt:
        return _GROEP_LOOPT
    if view.status is av.AdviesvraagState.MISLUKT:
        return _GROEP_MISLUKT
    return _GROEP_OPEN if view.open else _GROEP_GESLOTEN


class AdviesvragenModel(QAbstractTableModel):
    """Read-only table of `AdviesvraagView`s; the countdown follows `set_now`.

    Sorting happens here (`sort`), keeping persistent indexes on their question.
    The default order (column "Resterend", ascending) is the service's urgency
    order: running terms by deadline, then failed mails, other unsent, closed.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AdviesvraagView] = []
        self._stand: dict[int, av.Termijnstand] = {}
        self._now = _utcnow()
        self._sort: tuple[int, Qt.SortOrder] = (COL_RESTEREND, Qt.SortOrder.AscendingOrder)

    # --- data in ---------------------------------------------------------------
    def set_rows(self, views: Sequence[AdviesvraagView], now: dt.datetime) -> None:
        self.beginResetModel()
        self._rows = list(views)
        self._now = now
        self._stand = {v.id: av.termijnstand(v.status, v.deadline, now) for v in self._rows}
        self._apply_sort()
        self.endResetModel()

    def set_now(self, now: dt.datetime) -> None:
        """Recompute the countdown (the 30-second tick); the order stays the same."""
        self._now = now
        self._stand = {v.id: av.termijnstand(v.status, v.deadline, now) for v in self._rows}
        if self._rows:
            emit(
                self.dataChanged,
                self.index(0, COL_BVH),
                self.index(len(self._rows) - 1, COL_STATUS),
                [],
            )

    def views(self) -> list[AdviesvraagView]:
        return list(self._rows)

    def view_at(self, row: int) -> AdviesvraagView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, vraag_id: int) -> int:
        return next((i for i, v in enumerate(self._rows) if v.id == vraag_id), -1)

    def stand(self, view: AdviesvraagView) -> av.Termijnstand:
        return self._stand.get(view.id) or av.termijnstand(view.status, view.deadline, self._now)

    def counts(self) -> dict[str, int]:
        stands = [self.stand(v) for v in self._rows]
        return {
            "totaal": len(self._rows),
            "open": sum(v.open for v in self._rows),
            "te_laat": sum(s.verlopen for s in stands),
            "bijna": sum(s.state is DeadlineState.BIJNA for s in stands),
            "mislukt": sum(v.status is av.AdviesvraagState.MISLUKT for v in self._rows),
        }

    # --- Qt model --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _termijn_text(self, v: AdviesvraagView, stand: av.Termijnstand) -> str:
        text = _when(v.deadline, dag=True)
        return f"{text} (voorlopig)" if v.open and not stand.loopt else text

    def _display(self, v: AdviesvraagView, stand: av.Termijnstand, c: int) -> str:
        if c == COL_BVH:
            return v.bvh_nummer or "(verwijderd)"
        if c == COL_VH:
            return v.vh_code
        if c == COL_VRAAG:
            prefix = "Actualisatie: " if v.aanleiding == av.AANLEIDING_ACTUALISATIE else ""
            return prefix + _kort(v.vraag)
        if c == COL_GESTELD:
            return _when(v.gesteld_op)
        if c == COL_TERMIJN:
            return self._termijn_text(v, stand)
        if c == COL_RESTEREND:
            return stand.tekst
        return str(v.status)

    def _sort_key(self, v: AdviesvraagView, c: int) -> str | float:
        if c == COL_BVH:
            return v.bvh_nummer
        if c == COL_VH:
            return v.vh_code
        if c == COL_VRAAG:
            return " ".join(v.vraag.lower().split())
        if c == COL_GESTELD:
            return v.gesteld_op.timestamp()
        if c == COL_TERMIJN:
            return v.deadline.timestamp()
        if c == COL_RESTEREND:
            return _groep(v, self.stand(v)) * 1e11 + v.deadline.timestamp()
        return str(v.status)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = index.column()
        if not 0 <= c < len(COLUMNS):
            return None
        v = self._rows[index.row()]
        stand = self.stand(v)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(v, stand, c)
        if role == SORT_ROLE:
            return self._sort_key(v, c)
        if role == ID_ROLE:
            return v.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if c == COL_VRAAG:
                return v.vraag
            if c == COL_VH:
                return f"{v.vh_naam}\nBereikbaar {v.bereikbaarheid}"
            if c == COL_TERMIJN:
                tip = v.termijn_label
                if v.open and not stand.loopt:
                    tip += "; voorlopig: de termijn gaat lopen zodra de mail verzonden is"
                return tip
            if c == COL_STATUS and v.verzendmelding:
                return v.verzendmelding
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if c == COL_RESTEREND:
                if stand.state is DeadlineState.VERLOPEN:
                    return theme.fg(State.LATE)
                if stand.state is DeadlineState.BIJNA:
                    return theme.fg(State.SOON)
                if not stand.loopt:
                    return theme.fg(State.MUTED)
            if c == COL_STATUS and v.status is av.AdviesvraagState.MISLUKT:
                return theme.fg(State.LATE)
            if c == COL_STATUS and v.status is av.AdviesvraagState.CONCEPT and v.verzendmelding:
                return theme.fg(State.SOON)
            if c == COL_TERMIJN and v.open and not stand.loopt:
                return theme.fg(State.MUTED)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if c == COL_RESTEREND and stand.state is DeadlineState.VERLOPEN:
                return theme.bg(State.LATE)
            if c == COL_RESTEREND and stand.state is DeadlineState.BIJNA:
                return theme.bg(State.SOON)
            if c == COL_STATUS and v.status is av.AdviesvraagState.MISLUKT:
                return theme.bg(State.LATE)
            return None
        if role == Qt.ItemDataRole.FontRole:
            urgent = (c == COL_RESTEREND and stand.state is not None
                      and stand.state is not DeadlineState.OK)  # fmt: skip
            if urgent or (c == COL_STATUS and v.status is av.AdviesvraagState.MISLUKT):
                f = QFont()
                f.setBold(True)
                return f
            return None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        emit(self.layoutAboutToBeChanged)
        old = self.persistentIndexList()
        ids_before = [v.id for v in self._rows]
        self._apply_sort()
        pos = {v.id: i for i, v in enumerate(self._rows)}
        for p in old:
            if 0 <= p.row() < len(ids_before):
                self.changePersistentIndex(p, self.index(pos[ids_before[p.row()]], p.column()))
        emit(self.layoutChanged)

    def _apply_sort(self) -> None:
        column, order = self._sort
        self._rows.sort(key=lambda v: v.id)  # ties: the oldest question first
        self._rows.sort(
            key=lambda v: self._sort_key(v, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )


def _detail_html(v: AdviesvraagView, stand: av.Termijnstand) -> str:
    def p(text: str) -> str:
        return escape(text.strip()).replace("\n", "<br>") if text.strip() else "—"

    regels = [
        f"<b>{escape(v.ref)}</b> · {escape(v.vh_naam)} · gesteld door {escape(v.gesteld_door)} "
        f"op {_when(v.gesteld_op)}"
        + (f" · verzonden {_when(v.verzonden_op)}" if v.verzonden_op else ""),
        f"<b>Termijn:</b> {escape(v.termijn_label)}, tot {_when(v.deadline, dag=True)}"
        + ("" if stand.loopt or not v.open else " (voorlopig; de termijn loopt nog niet)")
        + f" · {escape(stand.tekst)}",
    ]
    if v.verzendmelding:
        regels.append(
            f"<span style='color:{theme.hex_fg(State.ERROR)}'><b>Verzending:</b> {p(v.verzendmelding)}</span>"
        )
    regels.append(f"<b>Vraag:</b><br>{p(v.vraag)}")
    if v.beantwoord_op is not None:
        regels.append(
            f"<b>Antwoord</b> ({escape(v.antwoord_via)}, {escape(v.antwoord_van)}, "
            f"{_when(v.beantwoord_op)}):<br>{p(v.antwoord)}"
        )
    if v.zonder_advies_op is not None:
        regels.append(
            f"<b>Besloten zonder advies</b> ({escape(v.zonder_advies_door)}, "
            f"{_when(v.zonder_advies_op)}): {p(v.zonder_advies_reden)}"
        )
    regels.append(f"<b>Casusschets:</b><br><tt>{p(v.casusschets)}</tt>")
    return "".join(f"<p style='margin:0 0 6px 0'>{r}</p>" for r in regels)


class _ActionDialog(QDialog):
    """A small form whose service call runs in the worker; errors stay in the form."""

    def __init__(self, title: str, submit: Callable[..., None], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._submit = submit
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.addLayout(self.form)
        self.message = _error_label()
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.ok_btn = QPushButton("&Vastleggen")
        self.ok_btn.setObjectName("vastleggen")
        self.cancel_btn = QPushButton("Annuleren")
        for b in (self.ok_btn, self.cancel_btn):
            b.setAutoDefault(False)
            self.buttons.addWidget(b)
        self.ok_btn.clicked.connect(self.submit)
        self.cancel_btn.clicked.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.message)
        self.layout_.addLayout(self.buttons)

    def problems(self) -> list[str]:
        return []

    def values(self) -> dict[str, Any]:
        return {}

    def show_error(self, message: str) -> None:
        self.ok_btn.setEnabled(True)
        self.message.setText(_zin(message))
        self.message.show()

    def submit(self) -> None:
        problems = self.problems()
        if problems:
            self.show_error(" ".join(problems))
            return
        self.message.hide()
        self.ok_btn.setEnabled(False)
        self._submit(self.values(), self._done, self.show_error)

    def _done(self, _result: Any) -> None:
        self.ok_btn.setEnabled(True)
        self.accept()


class AntwoordDialog(_ActionDialog):
    """The VH's advice, received by phone or mail."""

    def __init__(self, view: AdviesvraagView, submit: Callable[..., None],
                 parent: QWidget | None = None, *, clock: Clock = _utcnow) -> None:  # fmt: skip
        super().__init__("Antwoord vastleggen", submit, parent)
        self.setObjectName("AntwoordDialog")
        self._clock = clock
        intro = QLabel(
            f"Advies van <b>{escape(view.vh_naam)}</b> op vraag {escape(view.ref)} "
            f"over {escape(view.bvh_nummer)}."
        )
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.tekst = QPlainTextEdit()
        self.tekst.setObjectName("antwoord")
        self.tekst.setTabChangesFocus(True)
        self.tekst.setPlaceholderText("Het advies zoals het veiligheidshuis het gaf")
        self.van = QLineEdit()
        self.van.setObjectName("van")
        self.van.setPlaceholderText("Naam en functie, bijv. 'J. Jansen, procesregisseur'")
        via = QHBoxLayout()
        self.via_telefoon = QRadioButton("&telefoon")
        self.via_mail = QRadioButton("&mail")
        self.via_telefoon.setChecked(True)
        via.addWidget(self.via_telefoon)
        via.addWidget(self.via_mail)
        via.addStretch(1)
        self.op = QDateTimeEdit()
        self.op.setObjectName("ontvangenOp")
        self.op.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.op.setCalendarPopup(True)
        nu = clock().astimezone(TZ)
        self.op.setDateTime(QDateTime(QDate(nu.year, nu.month, nu.day), QTime(nu.hour, nu.minute)))
        self.form.addRow("&Advies:", self.tekst)
        self.form.addRow("Van &wie:", self.van)
        self.form.addRow("Ontvangen via:", via)
        self.form.addRow("Ontvangen &op:", self.op)
        self.finish_layout()
        self.resize(560, 360)

    def ontvangen_op(self) -> dt.datetime:
        from zsm_desk.domain.deadlines import resolve_local

        d, t = self.op.date(), self.op.time()
        wall = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return resolve_local(wall, TZ).astimezone(dt.UTC)

    def problems(self) -> list[str]:
        out = []
        if not self.tekst.toPlainText().strip():
            out.append("Vul het advies in.")
        if not self.van.text().strip():
            out.append("Vul in van wie het advies komt.")
        return out

    def values(self) -> dict[str, Any]:
        return {
            "tekst": self.tekst.toPlainText(),
            "van": self.van.text(),
            "via": av.VIA_MAIL if self.via_mail.isChecked() else av.VIA_TELEFOON,
            "op": self.ontvangen_op(),
        }


class ZonderAdviesDialog(_ActionDialog):
    """Decide without the VH's advice; before the deadline only when confirmed explicitly."""

    def __init__(self, view: AdviesvraagView, stand: av.Termijnstand, roles: frozenset[Role],
                 submit: Callable[..., None], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__("Besluiten zonder advies", submit, parent)
        self.setObjectName("ZonderAdviesDialog")
        self.voor_termijn_nodig = not stand.verlopen
        if stand.verlopen:
            uitleg = (
                f"De termijn van vraag {escape(view.ref)} aan {escape(view.vh_naam)} is "
                f"verlopen ({escape(stand.tekst)}). Leg vast waarom zonder advies wordt besloten."
            )
        else:
            waarom = (
                f"de termijn loopt nog tot {_when(view.deadline, dag=True)} ({escape(stand.tekst)})"
                if stand.loopt
                else f"de vraag is {escape(str(view.status))} en de termijn loopt nog niet"
            )
            uitleg = (
                f"<b style='color:{theme.hex_fg(State.ERROR)}'>Let op:</b> {waarom}. Eerder besluiten kan alleen "
                "als bewuste keuze van een KPC'er of officier, en wordt zo vastgelegd."
            )
        intro = QLabel(uitleg)
        intro.setWordWrap(True)
        self.layout_.insertWidget(0, intro)
        self.reden = QPlainTextEdit()
        self.reden.setObjectName("reden")
        self.reden.setTabChangesFocus(True)
        self.reden.setPlaceholderText("Bijv. 'ZSM-norm: beslissing vóór 18:00 nodig'")
        self.form.addRow("&Reden:", self.reden)
        self.bevestig = QCheckBox("Ik besluit be&wust vóór het einde van de termijn")
        self.bevestig.setObjectName("voorTermijn")
        if self.voor_termijn_nodig:
            self.form.addRow("", self.bevestig)
            if not roles & {Role.KPC, Role.OFFICIER}:
                self.bevestig.setEnabled(False)
                self.bevestig.setToolTip(
                    "Alleen een KPC'er of officier mag vóór het einde van de termijn besluiten."
                )
        else:
            self.bevestig.hide()
        self.ok_btn.setText("&Besluit vastleggen")
        self.finish_layout()
        self.resize(520, 300)

    def problems(self) -> list[str]:
        out = []
        if not self.reden.toPlainText().strip():
            out.append("Geef de reden om zonder advies te besluiten.")
        if self.voor_termijn_nodig and not self.bevestig.isChecked():
            out.append(
                "De termijn is nog niet verstreken: bevestig uitdrukkelijk dat u eerder besluit."
            )
        return out

    def values(self) -> dict[str, Any]:
        return {
            "reden": self.reden.toPlainText(),
            "voor_termijn": self.voor_termijn_nodig and self.bevestig.isChecked(),
        }


class AdviesvragenDialog(QDialog):
    """The "Open adviesvragen" dialog: every term in view, actions on one question.

    A KPC'er sees all questions (the KPC guards every term), others their own.
    """

    def __init__(
        self,
        run_in_worker: RunInWorker,
        account: str,
        roles: frozenset[Role],
        parent: QWidget | None = None,
        *,
        clock: Clock = _utcnow,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self._run = run_in_worker
        self._account = account
        self._roles = roles
        self._clock = clock
        self._loading = False
        self._reload_again = False
        self.changed = False  # something was stored: the caller reloads its queue
        self.sub_dialog: _ActionDialog | None = None
        self.setObjectName("AdviesvragenDialog")
        self.setWindowTitle("Open adviesvragen")
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary, 1)
        self.alle = QCheckBox("&Alle accounts")
        self.alle.setObjectName("alle")
        self.alle.setToolTip("Een KPC'er bewaakt de termijnen van alle adviesvragen.")
        self.alle.setChecked(Role.KPC in roles)
        self.alle.setVisible(Role.KPC in roles)
        self.gesloten = QCheckBox("Ook &gesloten vragen")
        self.gesloten.setObjectName("gesloten")
        top.addWidget(self.alle)
        top.addWidget(self.gesloten)
        layout.addLayout(top)

        self.model = AdviesvragenModel(self)
        self.table = record_table(
            self.model,
            "adviesvragen",
            widths=enumerate(_WIDTHS),
            selection=QAbstractItemView.SelectionMode.SingleSelection,
        )
        self.table.sortByColumn(COL_RESTEREND, Qt.SortOrder.AscendingOrder)
        self.detail = QTextBrowser()
        self.detail.setObjectName("vraagDetail")
        a11y.name(self.table, "Adviesvragen", "Met de resterende tijd per vraag")
        a11y.name(self.detail, "Details van de gekozen adviesvraag")
        self.detail.setPlaceholderText("Kies een adviesvraag in de lijst.")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.answer_btn = QPushButton("A&ntwoord vastleggen…")
        self.answer_btn.setObjectName("antwoord")
        self.without_btn = QPushButton("Besluit &zonder advies…")
        self.without_btn.setObjectName("zonderAdvies")
        self.send_btn = QPushButton("&Opnieuw verzenden")
        self.send_btn.setObjectName("verzend")
        self.refresh_btn = QPushButton("Vernie&uwen")
        self.close_btn = QPushButton("Sluiten")
        for b in (self.answer_btn, self.without_btn, self.send_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.refresh_btn, self.close_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self.answer_btn.clicked.connect(self.answer_selected)
        self.without_btn.clicked.connect(self.decide_without_selected)
        self.send_btn.clicked.connect(self.send_selected)
        self.refresh_btn.clicked.connect(self.refresh)
        self.close_btn.clicked.connect(self.accept)
        self.alle.toggled.connect(lambda _on: self.refresh())
        self.gesloten.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_selection())
        self.model.modelReset.connect(self._update_selection)
        self.model.layoutChanged.connect(self._update_selection)

        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.resize(1180, 640)
        self._update_selection()
        self.refresh()

    # --- data ------------------------------------------------------------------
    def refresh(self) -> None:
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        account, roles, now = self._account, self._roles, self._clock()
        alle = self.alle.isChecked() if Role.KPC in roles else False
        alleen_open = not self.gesloten.isChecked()

        def job(s: Any) -> list[AdviesvraagView]:
            from zsm_desk.services.adviesvragen import adviesvragen

            return adviesvragen.lijst(
                s, account=account, roles=roles, now=now, alleen_open=alleen_open, alle=alle
            )

        if not self.status.text():
            self.status.setText("Laden…")
        self._run(job, lambda views: self._loaded(views, now), self._load_failed)

    def _loaded(self, views: list[AdviesvraagView], now: dt.datetime) -> None:
        self._loading = False
        current = self.selected_view()
        self.model.set_rows(views, now)
        if self.status.text() == "Laden…":
            self.status.setText("")
        if current is not None and (r := self.model.row_of_id(current.id)) >= 0:
            self.table.selectRow(r)
        elif self.model.rowCount():
            self.table.selectRow(0)
        self._update_summary()
        if self._reload_again:
            self._reload_again = False
            self.refresh()

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self._reload_again = False
        self.show_status(message, error=True)

    def show_status(self, message: str, *, error: bool = False) -> None:
        self.status.setText(_zin(message))
        self.status.setStyleSheet(theme.css(State.ERROR) if error else "")

    def tick(self) -> None:
        self.model.set_now(self._clock())
        self._update_summary()
        self._update_selection()

    def _update_summary(self) -> None:
        c = self.model.counts()
        delen = [f"{c['totaal']} {'adviesvraag' if c['totaal'] == 1 else 'adviesvragen'}"]
        if c["te_laat"]:
            delen.append(
                f"<b style='color:{theme.hex_fg(State.ERROR)}'>{c['te_laat']} over de termijn</b>"
            )
        if c["bijna"]:
            delen.append(
                f"<b style='color:{theme.hex_fg(State.WARN)}'>{c['bijna']} bijna verlopen</b>"
            )
        if c["mislukt"]:
            delen.append(
                f"<b style='color:{theme.hex_fg(State.ERROR)}'>{c['mislukt']} verzending mislukt</b>"
            )
        self.summary.setText(" · ".join(delen))

    def selected_view(self) -> AdviesvraagView | None:
        idx = self.table.currentIndex()
        return self.model.view_at(idx.row()) if idx.isValid() else None

    def select_id(self, vraag_id: int) -> bool:
        r = self.model.row_of_id(vraag_id)
        if r >= 0:
            self.table.selectRow(r)
        return r >= 0

    def _update_selection(self, *_: Any) -> None:
        v = self.selected_view()
        if v is None:
            self.detail.clear()
        else:
            self.detail.setHtml(_detail_html(v, self.model.stand(v)))
        is_open = v is not None and v.open
        self.answer_btn.setEnabled(is_open)
        self.without_btn.setEnabled(is_open)
        S = av.AdviesvraagState
        can_send = v is not None and v.status in (S.CONCEPT, S.MISLUKT)
        self.send_btn.setEnabled(can_send)
        self.send_btn.setText(
            "&Verzenden" if v is not None and v.status is S.CONCEPT else "&Opnieuw verzenden"
        )

    # --- actions ---------------------------------------------------------------
    def _service(self, call: Callable[[Any], AdviesvraagView], message: str,
                 on_done: Callable[[Any], None] | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:  # fmt: skip
        def done(view: AdviesvraagView) -> None:
            self.changed = True
            self.show_status(f"{message} ({view.ref})")
            if on_done is not None:
                on_done(view)
            self.refresh()

        def failed(msg: str) -> None:
            if on_error is not None:
                on_error(msg)
            else:
                self.show_status(msg, error=True)

        self._run(call, done, failed)

    def _submitter(
        self, vid: int, service: str, message: str
    ) -> Callable[[dict[str, Any], Any, Any], None]:
        """A sub dialog's submit: `adviesvragen.<service>` on vraag `vid` with the
        dialog's values, then `message` (or the dialog's own callbacks)."""
        account, roles = self._account, self._roles

        def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
            now = self._clock()

            def call(s: Any) -> AdviesvraagView:
                from zsm_desk.services.adviesvragen import adviesvragen

                return getattr(adviesvragen, service)(
                    s, vid, account=account, roles=roles, now=now, **values
                )

            self._service(call, message, on_done, on_error)

        return submit

    def answer_selected(self) -> None:
        v = self.selected_view()
        if v is None or not v.open:
            return
        submit = self._submitter(v.id, "registreer_antwoord", "Antwoord vastgelegd")
        self._open_sub(AntwoordDialog(v, submit, self, clock=self._clock))

    def decide_without_selected(self) -> None:
        v = self.selected_view()
        if v is None or not v.open:
            return
        submit = self._submitter(v.id, "besluit_zonder_advies", "Besluit zonder advies vastgelegd")
        self._open_sub(ZonderAdviesDialog(v, self.model.stand(v), self._roles, submit, self))

    def _open_sub(self, dlg: _ActionDialog) -> None:
        self.sub_dialog = dlg
        dlg.finished.connect(lambda _r: dlg.deleteLater())
        dlg.open()

    def send_selected(self) -> None:
        v = self.selected_view()
        S = av.AdviesvraagState
        if v is None or v.status not in (S.CONCEPT, S.MISLUKT):
            return
        bevestigd = False
        if v.status is S.CONCEPT and v.outbox_id is not None:
            # An outbox concept: a VH without secure mail; the user must confirm.
            answer = QMessageBox.question(
                self,
                "Verzenden zonder beveiligde mail",
                f"{v.vh_naam} heeft geen beveiligde mail. De vraag bevat persoonsgegevens.\n\n"
                "Toch verzenden naar de centrale mailbox?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            bevestigd = True
        account, roles, vid, now = self._account, self._roles, v.id, self._clock()

        def call(s: Any) -> AdviesvraagView:
            from zsm_desk.services.adviesvragen import adviesvragen

            return adviesvragen.verzend(
                s, vid, account=account, roles=roles, bevestigd_onbeveiligd=bevestigd, now=now,
            )  # fmt: skip

        self._service(call, "In de verzendwachtrij gezet")

    def done(self, result: int) -> None:
        self.timer.stop()
        super().done(result)


# =============================================================================
# Screening
# =============================================================================


def regel_tekst(groep: sc.Groep, aantal: int) -> str:
    """Dutch text of a group's rule: "minstens 1 van 3", "alle 2", "informatief"."""
    regel = groep.regel.strip()
    if groep.informatief:
        return "informatief, telt niet mee"
    if regel == sc.ALLE:
        return "alle aanvinken" if aantal > 1 else "aanvinken"
    return f"{regel} van {aantal}"


class ScreeningDialog(QDialog):
    """Screen a suspect against a checklist; record it (possibly complex → aanmelding).

    Result: accepted with `screening_result` = (outcome, record) from `screening_service.screen`.
    """

    def __init__(
        self,
        prep: ScreeningVoorbereiding,
        run_in_worker: RunInWorker,
        account: str,
        roles: frozenset[Role],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.prep = prep
        self._run = run_in_worker
        self._account = account
        self._roles = roles
        self._busy = False
        self.screening_result: tuple[sc.ScreeningOutcome, Any] | None = None
        self.checkboxes: dict[str, QCheckBox] = {}
        self.setObjectName("ScreeningDialog")
        self.setWindowTitle("Screening en aanmelding")
        layout = QVBoxLayout(self)
        kop = QLabel(
            f"<b>{escape(prep.naam)}</b> · BVH-nummer {escape(prep.bvh_nummer)} · gemeente "
            f"{escape(prep.gemeente or '—')}"
            + (
                f" · <b style='color:{theme.hex_fg(State.WARN)}'>mogelijk complex</b>"
                if prep.mogelijk_complex
                else ""
            )
        )
        kop.setWordWrap(True)
        layout.addWidget(kop)

        row = QHBoxLayout()
        row.addWidget(QLabel("&Criterialijst:"))
        self.combo = QComboBox()
        self.combo.setObjectName("checklist")
        for cl in prep.checklists:
            self.combo.addItem(cl.naam, cl.code)
        row.itemAt(0).widget().setBuddy(self.combo)  # type: ignore[union-attr]
        row.addWidget(self.combo, 1)
        layout.addLayout(row)
        self.bron = QLabel()
        self.bron.setObjectName("bron")
        self.bron.setWordWrap(True)
        self.bron.setStyleSheet(theme.css(State.MUTED))
        layout.addWidget(self.bron)
        self.vorige = QLabel()
        self.vorige.setObjectName("vorige")
        self.vorige.setWordWrap(True)
        layout.addWidget(self.vorige)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setObjectName("criteria")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.scroll)
        uitkomst = QWidget()
        ul = QVBoxLayout(uitkomst)
        ul.setContentsMargins(0, 0, 0, 0)
        self.voorstel = QLabel()
        self.voorstel.setObjectName("voorstel")
        self.voorstel.setWordWrap(True)
        ul.addWidget(self.voorstel)
        self.uitleg = QPlainTextEdit()
        self.uitleg.setObjectName("uitleg")
        a11y.name(self.uitleg, "Uitleg bij de criteria")
        self.uitleg.setReadOnly(True)
        self.uitleg.setTabChangesFocus(True)
        ul.addWidget(self.uitleg, 1)
        self.aanmelding = QLabel()
        self.aanmelding.setObjectName("aanmelding")
        self.aanmelding.setWordWrap(True)
        ul.addWidget(self.aanmelding)
        split.addWidget(uitkomst)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

        self.message = _error_label()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_btn = QPushButton("&Vastleggen")
        self.save_btn.setObjectName("vastleggen")
        self.cancel_btn = QPushButton("Annuleren")
        for b in (self.save_btn, self.cancel_btn):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.save_btn.clicked.connect(self.submit)
        self.cancel_btn.clicked.connect(self.reject)
        self.combo.currentIndexChanged.connect(self._build_criteria)

        # Start with the checklist screened last, else the first.
        if prep.vorige:
            last = max(prep.vorige.values(), key=lambda r: r.op)
            i = self.combo.findData(last.checklist)
            if i >= 0:
                self.combo.setCurrentIndex(i)
        self._build_criteria()
        self.resize(720, 760)

    def checklist(self) -> sc.Checklist | None:
        code = self.combo.currentData()
        return next((c for c in self.prep.checklists if c.code == code), None)

    def ticked(self) -> set[str]:
        return {code for code, cb in self.checkboxes.items() if cb.isChecked()}

    def tick(self, *codes: str) -> None:
        for code in codes:
            self.checkboxes[code].setChecked(True)

    def _build_criteria(self, *_: Any) -> None:
        cl = self.checklist()
        self.checkboxes = {}
        body = QWidget()
        a11y.visible_focus(body)
        bl = QVBoxLayout(body)
        if cl is None:
            self.bron.setText("Geen criterialijsten ingesteld.")
            self.scroll.setWidget(body)
            self._evaluate()
            return
        self.bron.setText(f"Bron: {cl.bron}")
        vorige = self.prep.vorige.get(cl.code)
        self.vorige.setText(
            f"Laatste screening met deze lijst: {_when(vorige.op)} door {escape(vorige.door)}"
            f" ({'voorstel' if vorige.voorstel else 'geen voorstel'})."
            if vorige is not None
            else ""
        )
        self.vorige.setVisible(vorige is not None)
        for g in cl.groepen:
            criteria = cl.criteria_van(g.code)
            box = QGroupBox(f"{g.naam} — {regel_tekst(g, len(criteria))}")
            box.setObjectName(f"groep-{g.code}")
            gl = QVBoxLayout(box)
            for c in criteria:
                cb = QCheckBox(c.tekst)
                cb.setObjectName(c.code)
                cb.setChecked(vorige is not None and c.code in vorige.criteria)
                cb.toggled.connect(lambda _on: self._evaluate())
                gl.addWidget(cb)
                self.checkboxes[c.code] = cb
            bl.addWidget(box)
        bl.addStretch(1)
        self.scroll.setWidget(body)
        self._evaluate()

    def outcome(self) -> sc.ScreeningOutcome | None:
        cl = self.checklist()
        return sc.evaluate(cl, self.ticked()) if cl is not None else None

    def _evaluate(self) -> None:
        out = self.outcome()
        self.message.hide()
        if out is None:
            self.voorstel.setText("")
            self.uitleg.setPlainText("")
            self.aanmelding.setText("")
            self.save_btn.setEnabled(False)
            return
        self.save_btn.setEnabled(not self._busy)
        self.uitleg.setPlainText(out.uitleg)
        cl = self.checklist()
        assert cl is not None
        if out.voorstel_aanmelding:
            self.voorstel.setText(
                f"<b style='font-size:11pt;color:{theme.hex_fg(State.WARN)}'>Voorstel:</b> {escape(cl.voorstel)}"
            )
        else:
            self.voorstel.setText(
                f"<b style='font-size:11pt;color:{theme.hex_fg(State.OK)}'>Geen voorstel</b>"
                " — de criteria zijn niet vervuld."
            )
        self.aanmelding.setText(self._aanmelding_tekst(out.voorstel_aanmelding))

    def _aanmelding_tekst(self, voorstel: bool) -> str:
        p = self.prep
        if not voorstel:
            if p.mogelijk_complex:
                return (
                    "Vastleggen zonder voorstel haalt de markering 'mogelijk complex' weg als "
                    "geen andere criterialijst nog een voorstel doet."
                )
            return "Vastleggen legt de screening vast in het dossier; er volgt geen aanmelding."
        kop = "Vastleggen markeert de verdachte als <b>mogelijk complex</b>. "
        if p.bekend_bij:
            return kop + (
                f"De verdachte is al bekend bij {escape(', '.join(p.bekend_bij))}: de beslissing "
                "gaat als terugkoppeling naar dat veiligheidshuis, een aanmelding is niet nodig."
            )
        if p.gemeente_vh is None:
            return kop + (
                f"<span style='color:{theme.hex_fg(State.ERROR)}'>Voor gemeente {escape(p.gemeente or '(onbekend)')}"
                " is geen veiligheidshuis ingesteld: er kan geen aanmelding worden verstuurd."
                "</span>"
            )
        code, naam = p.gemeente_vh
        return kop + (
            f"Bij het vastleggen van de beslissing gaat een <b>aanmelding</b> naar "
            f"{escape(naam)} ({escape(code)}, gemeente {escape(p.gemeente)}): alleen "
            "persoonsgegevens, de reden en de aangevinkte criteria."
        )

    def submit(self) -> None:
        cl = self.checklist()
        if cl is None or self._busy:
            return
        item_id, code, ticked = self.prep.item_id, cl.code, sorted(self.ticked())
        account, roles = self._account, self._roles

        def job(s: Any) -> tuple[sc.ScreeningOutcome, Any]:
            from zsm_desk.services.adviesvragen import screening_service

            return screening_service.screen(s, item_id, code, ticked, account=account, roles=roles)

        self._busy = True
        self.save_btn.setEnabled(False)
        self._run(job, self._saved, self._failed)

    def _saved(self, result: tuple[sc.ScreeningOutcome, Any]) -> None:
        self._busy = False
        self.save_btn.setEnabled(True)
        self.screening_result = result
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy = False
        self.save_btn.setEnabled(True)
        self.message.setText(_zin(message))
        self.message.show()


__all__ = [
    "COLUMNS",
    "ID_ROLE",
    "SORT_ROLE",
    "AdviesvragenDialog",
    "AdviesvragenModel",
    "AntwoordDialog",
    "NewAdviesvraagDialog",
    "ScreeningDialog",
    "ScreeningVoorbereiding",
    "VraagVoorbereiding",
    "ZonderAdviesDialog",
    "deadline_tekst",
    "screening_voorbereiden",
    "voorbereiden",
]
