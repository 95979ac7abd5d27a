"""The main window: the verdachtenmonitor queue with a detail pane.

All database work goes through `DbWorker`; the window only handles plain
values. The queue is polled for changes (another desk, an import) and
reloaded without losing the selection or the scroll position.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain.access import ROLE_LABELS, Action, Role, allowed
from zsm_desk.domain.clock import local, local_today
from zsm_desk.domain.records import InstroomStatus
from zsm_desk.services.intake import queue
from zsm_desk.services.registers import known_clients, vh_info
from zsm_desk.services.security import users
from zsm_desk.services.storage.app import AppContext
from zsm_desk.ui import a11y, screen_fit, theme
from zsm_desk.ui.detail import render
from zsm_desk.ui.queue_model import COL_REMAINING, COL_STATUS, COLUMNS, ID_ROLE, QueueModel
from zsm_desk.ui.theme import State
from zsm_desk.ui.widgets import ElidingLabel, fit_column, record_table
from zsm_desk.ui.worker import DbWorker

POLL_MS = 3000
TICK_MS = 30_000
SYNC_MS = 60_000
OPEN_STATUSES = frozenset(s.value for s in InstroomStatus) - {"afgedaan", "afgebogen"}

STATUS_FILTERS: list[tuple[str, frozenset[str] | None]] = [
    ("Open zaken", OPEN_STATUSES),
    ("Alle zaken", None),
    *[(s.value, frozenset({s.value})) for s in InstroomStatus],
]


def status_stamp(at: dt.datetime) -> str:
    """The status line's clock time: Europe/Amsterdam, whatever the OS zone (issue 13 §3)."""
    return local(at).strftime("%H:%M")


def day_pack_selection(screen_filtered: bool) -> str:
    """The day pack's cover line: what it holds, and that the screen filter does not apply."""
    if screen_filtered:
        return (
            "Selectie: alle bekende verdachten van de dag. Het filter in het scherm "
            "geldt niet voor dit dagpakket."
        )
    return "Selectie: alle bekende verdachten van de dag."


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, poll: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.roles: frozenset[Role] = frozenset()
        self.worker = DbWorker(ctx.db, self)
        # Network fetches get their own thread so a slow server never delays the queue.
        self.sync_worker = DbWorker(ctx.db, self)
        self._syncing = False
        self._token: object = None
        self._loading = False
        self._current_id: int | None = None
        self._waiting = 0
        self.setWindowTitle("ZSM Desk — verdachtenmonitor")
        self.setObjectName("MainWindow")

        self.model = QueueModel(self)
        self.table = record_table(
            self.model,
            "queue",
            widths=((i, c.width) for i, c in enumerate(COLUMNS)),
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
        )
        self.table.sortByColumn(COL_REMAINING, Qt.SortOrder.AscendingOrder)  # most urgent first
        for i, c in enumerate(COLUMNS):  # the header and its sort arrow stay readable
            fit_column(self.table, i, c.title + " ▲▲", bold=True)
        fit_column(self.table, COL_REMAINING, "99 dagen 23 u te laat", bold=True)
        fit_column(self.table, COL_STATUS, "in behandeling · ✉ advies te laat")
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.doubleClicked.connect(lambda _i: self.review_current())

        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._on_detail_link)
        self.detail.setPlaceholderText("Kies een verdachte in de lijst.")
        a11y.name(
            self.table, "Wachtrij verdachten", "Sorteren: Ctrl+Shift+S; omkeren: Ctrl+Shift+O"
        )
        a11y.name(self.detail, "Details van de gekozen verdachte")
        self.review_btn = QPushButton("Hit &controleren…")
        self.review_btn.setToolTip("Ctrl+K")
        self.review_btn.clicked.connect(self.review_current)
        self.print_btn = QPushButton("&Afdrukken")
        self.print_btn.setToolTip(
            "Plan van aanpak afdrukken op de laatst gebruikte printer (Ctrl+P)"
        )
        self.print_btn.clicked.connect(lambda: self.print_direct())
        self.decide_btn = QPushButton("B&eslissing…")
        self.decide_btn.setToolTip("Beslissing vastleggen (Ctrl+B)")
        self.decide_btn.clicked.connect(self.decide_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decide_btn)
        buttons.addWidget(self.review_btn)
        buttons.addWidget(self.print_btn)
        self.advice_btn = QPushButton("Ad&viesvraag…")
        self.advice_btn.clicked.connect(lambda: self.ask_advice())
        self.advice_btn.setMinimumWidth(60)  # may shrink: a narrow detail pane stays possible
        buttons.addWidget(self.advice_btn)
        buttons.addStretch(1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(buttons)
        rl.addWidget(self.detail, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

        self._build_toolbar()
        self._build_menu()
        self.status_counts = ElidingLabel()
        self.status_user = QLabel()
        self.status_sync = QLabel()
        self.status_sync.setObjectName("syncStatus")
        self.statusBar().addWidget(self.status_counts, 1)
        self.statusBar().addPermanentWidget(self.status_sync)
        self.statusBar().addPermanentWidget(self.status_user)
        self._update_buttons(None)

        self._restore_state()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.check_for_changes)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self._tick)
        self.retention_timer = QTimer(self)
        self.retention_timer.setInterval(3_600_000)
        self.retention_timer.timeout.connect(self._retention)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_MS)
        self.sync_timer.timeout.connect(self.sync_now)
        if poll:
            self.poll_timer.start()
            self.tick_timer.start()
            self.sync_timer.start()
            self.retention_timer.start()
            QTimer.singleShot(0, self.sync_now)
        self._changes: Any = None
        if poll:  # other desks' changes within a second (LISTEN/NOTIFY or SQLite polling)
            from zsm_desk.ui.change_listener import attach

            self._changes = attach(self)
        self.reload()

    # --- construction -----------------------------------------------------------
    def _build_toolbar(self) -> None:
        tb = QToolBar("Filter")
        tb.setObjectName("filterbar")
        tb.setMovable(False)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Zoek op naam, BSN, bvh- of parketnummer (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(lambda t: self.model.set_filter(text=t))
        self.search.returnPressed.connect(self.table.setFocus)
        a11y.name(self.search, "Zoeken", "Zoek op naam, BSN, bvh- of parketnummer")
        tb.addWidget(a11y.buddy(" Zoe&ken: ", self.search))
        tb.addWidget(self.search)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        for label, _ in STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.status_filter.currentIndexChanged.connect(
            lambda i: self.model.set_filter(statuses=STATUS_FILTERS[i][1], undecided=i == 0)
        )
        a11y.name(self.status_filter, "Statusfilter")
        tb.addWidget(a11y.buddy("  S&tatus: ", self.status_filter))
        tb.addWidget(self.status_filter)
        self.only_known = QCheckBox("Alleen (&mogelijk) bekend")
        self.only_known.setObjectName("onlyKnown")
        self.only_known.toggled.connect(lambda on: self.model.set_filter(only_known=on))
        tb.addWidget(QLabel("  "))
        tb.addWidget(self.only_known)
        tb.addSeparator()
        self.daypack_btn = QPushButton("&Dagpakket afdrukken")
        self.daypack_btn.clicked.connect(self.print_day_pack)
        tb.addWidget(self.daypack_btn)
        self.addToolBar(tb)
        self.model.set_filter(statuses=STATUS_FILTERS[0][1], undecided=True)  # open = undecided
        # "N getoond" follows a filter or search at once, not only the next reload.
        self.model.layoutChanged.connect(self._update_status)

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Any) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_menu(self) -> None:
        m = self.menuBar().addMenu("&Bestand")
        m.addAction(self._action("Instroom &inlezen…", "Ctrl+I", self.import_instroom))
        m.addAction(self._action("&Register inlezen…", None, self.import_register))
        m.addSeparator()
        # Ctrl+P prints at once (last printer, A4); the preview is its own action.
        m.addAction(self._action("&Afdrukken", QKeySequence.StandardKey.Print, self.print_direct))
        m.addAction(
            self._action(
                "Afdrukken met &printerkeuze…", "Ctrl+Shift+P", lambda: self.print_direct(True)
            )
        )
        m.addAction(self._action("Afdruk&voorbeeld…", "Ctrl+Alt+P", self.print_current))
        m.addAction(self._action("&Dagpakket afdrukken…", "Ctrl+Shift+D", self.print_day_pack))
        m.addSeparator()
        m.addAction(self._action("Af&sluiten", QKeySequence.StandardKey.Quit, self.close))
        v = self.menuBar().addMenu("Bee&ld")
        v.addAction(self._action("&Vernieuwen", QKeySequence.StandardKey.Refresh, self.reload))
        v.addAction(self._action("&Bronnen nu ophalen", "Ctrl+R", self.sync_now))
        v.addAction(self._action("&Zoeken", QKeySequence.StandardKey.Find, self._focus_search))
        v.addAction(self._action("&Wachtrij", "Ctrl+L", self.table.setFocus))
        a11y.sort_menu(self, v, self.table)
        z = self.menuBar().addMenu("&Zaak")
        z.addAction(self._action("Hit &controleren…", "Ctrl+K", self.review_current))
        z.addAction(self._action("&Beslissing vastleggen…", "Ctrl+B", self.decide_current))
        z.addAction(
            self._action(
                "Beslissing co&rrigeren…", "Ctrl+Shift+B", lambda: self.decide_current(True)
            )
        )
        z.addAction(self._action("&Uitbak…", "Ctrl+U", self.open_outbox))
        z.addSeparator()
        z.addAction(
            self._action("&Adviesvraag stellen…", "Ctrl+Shift+A", lambda: self.ask_advice())
        )
        z.addAction(self._action("&Open adviesvragen…", "Ctrl+Shift+V", self.open_questions))
        z.addAction(self._action("&Screening / aanmelding…", None, self.open_screening))
        b = self.menuBar().addMenu("&Overzichten")
        b.addAction(self._action("&Monitor…", "Ctrl+M", self.open_monitor))
        b.addSeparator()
        b.addAction(self._action("&Instellingen…", "Ctrl+,", self.open_settings))
        b.addAction(self._action("&Audittrail…", None, self.open_audit))
        h = self.menuBar().addMenu("&Help")
        h.addAction(self._action("&Over ZSM Desk", None, self._about))

    # --- data -------------------------------------------------------------------
    def reload(self) -> None:
        """Reload the queue in the worker; keep selection and scroll on arrival."""
        if self._loading:
            return
        self._loading = True
        account = self.ctx.account

        def job(s: Any) -> tuple[Any, ...]:
            roles = users.roles_of(s, account)
            known_clients.check_pending(s)  # a feed import by another process
            from zsm_desk.services.mail import outbox

            waiting = outbox.waiting_count(s)
            return roles, queue.change_token(s), queue.load_queue(s, roles), waiting

        self.worker.submit(job, self._on_loaded, self._on_error)

    def _on_loaded(self, result: tuple[Any, ...]) -> None:
        self._loading = False
        roles, token, rows, self._waiting = result
        self.roles = roles
        self._token = token
        selected = self._selected_ids()
        current = self._current_id
        scroll = self.table.verticalScrollBar().value()
        self.model.set_rows(rows, self.ctx.clock.now())
        self._restore_selection(selected, current)
        self.table.verticalScrollBar().setValue(scroll)
        self._update_status()
        if current is not None and self.model.row_of_id(current) >= 0:
            self.show_detail(current)

    def _on_error(self, message: str) -> None:
        self._loading = False
        self.statusBar().showMessage(f"Fout: {message}", 10_000)

    @Slot()
    def check_for_changes(self) -> None:
        if self._loading or self.worker.pending:
            return

        def job(s: Any) -> object:
            return queue.change_token(s)

        def done(token: object) -> None:
            if token != self._token:
                self.reload()

        self.worker.submit(job, done, lambda _m: None)

    @Slot()
    def sync_now(self) -> None:
        """Fetch the feed and the register endpoints (if configured) in the sync thread."""
        if self._syncing:
            return
        self._syncing = True
        db, account = self.ctx.db, self.ctx.account

        def job(_s: Any) -> tuple[bool, str, bool]:
            from zsm_desk.services.intake import sync

            feed = sync.sync_feed(db, account)
            regs = sync.sync_registers(db, account)
            from zsm_desk.services.mail import outbox

            outbox.send_background(db, account=account)
            configured = bool(feed.lines or feed.errors or regs.lines or regs.errors)
            return (
                feed.ok and regs.ok,
                "; ".join(
                    x for x in (feed.summary(), regs.summary()) if x and "niets ingesteld" not in x
                ),
                configured,
            )

        def done(result: tuple[bool, str, bool]) -> None:
            self._syncing = False
            ok, text, configured = result
            if not configured:
                self.status_sync.setText("")
                return
            stamp = status_stamp(self.ctx.clock.now())
            if ok:
                self.status_sync.setStyleSheet("")
                self.status_sync.setText(f"Bronnen bijgewerkt {stamp}")
                self.status_sync.setToolTip(text)
            else:
                self.status_sync.setStyleSheet(theme.css(State.ERROR))
                self.status_sync.setText(f"⚠ Ophalen mislukt {stamp}")
                self.status_sync.setToolTip(text)
                self.statusBar().showMessage(text, 15_000)

        def failed(message: str) -> None:
            self._syncing = False
            self.status_sync.setText(f"⚠ Ophalen mislukt: {message}")

        self.sync_worker.submit(job, done, failed)

    def _tick(self) -> None:
        self.model.tick(self.ctx.clock.now())
        self._update_status()

    def _selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [r.data(ID_ROLE) for r in rows if r.data(ID_ROLE) is not None]

    def selected_ids(self) -> list[int]:
        return self._selected_ids()

    def _restore_selection(self, ids: list[int], current: int | None) -> None:
        sm = self.table.selectionModel()
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        sel = QItemSelection()
        for i in ids:
            r = self.model.row_of_id(i)
            if r >= 0:
                sel.select(self.model.index(r, 0), self.model.index(r, len(COLUMNS) - 1))
        sm.blockSignals(True)
        sm.select(sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if current is not None and (r := self.model.row_of_id(current)) >= 0:
            sm.setCurrentIndex(self.model.index(r, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
        sm.blockSignals(False)

    def _update_status(self) -> None:
        c = self.model.counts()
        self.status_counts.setText(
            f"{c['totaal']} verdachten · {c['zichtbaar']} getoond · {c['open']} open · "
            f"{c['verlopen']} over de termijn · {c['bekend']} bekend bij VH · "
            f"{c['mogelijk']} mogelijk bekend (controleren) · "
            f"uitbak: {self._waiting} wachten"
        )
        roles = (
            ", ".join(ROLE_LABELS[r] for r in sorted(self.roles)) or "geen rol — geen VH-informatie"
        )
        self.status_user.setText(f"{self.ctx.account}: {roles}")

    # --- detail -----------------------------------------------------------------
    def _on_current_changed(self, current: Any, _previous: Any) -> None:
        item_id = current.data(ID_ROLE) if current.isValid() else None
        if item_id == self._current_id:
            return
        self._current_id = item_id
        if item_id is None:
            self.detail.clear()
            self._update_buttons(None)
            return
        self.show_detail(item_id)

    def show_detail(self, item_id: int) -> None:
        account, roles = self.ctx.account, self.roles

        def job(s: Any) -> Any:
            return vh_info.case_detail(s, item_id, account=account, roles=roles)

        def done(detail: Any) -> None:
            if detail is None or detail.item_id != self._current_id:
                return
            self.detail.setHtml(render(detail))
            self._update_buttons(detail)

        self.worker.submit(job, done, self._on_error)

    def _update_buttons(self, detail: Any) -> None:
        row = self.model.row_at(self.table.currentIndex().row()) if detail is not None else None
        self.review_btn.setEnabled(
            bool(row and row.vh_status == "mogelijk" and allowed(self.roles, Action.REVIEW_HIT))
        )
        self.print_btn.setEnabled(detail is not None and allowed(self.roles, Action.PRINT))
        self.advice_btn.setEnabled(detail is not None and allowed(self.roles, Action.ADVIESVRAAG))
        self.decide_btn.setEnabled(
            detail is not None
            and getattr(detail, "decision", None) is None
            and allowed(self.roles, Action.DECIDE)
        )

    # --- actions ----------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus():
            self.search.clear()
            self.table.setFocus()
            return
        super().keyPressEvent(event)

    def review_current(self) -> None:
        item_id = self._current_id
        if item_id is None or not allowed(self.roles, Action.REVIEW_HIT):
            return

        def job(s: Any) -> Any:
            from zsm_desk.services.storage.config import load_settings

            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            return [
                (h, names.get(h.vh_code, h.vh_code))
                for h in known_clients.hits(s, item_id)
                if h.status == "mogelijk" and h.review is None
            ]

        self.worker.submit(job, self._review_hits, self._on_error)

    def _review_hits(self, hits: list[Any]) -> None:
        from zsm_desk.ui.review_dialog import ReviewDialog

        if not hits:
            self.statusBar().showMessage("Geen hits om te controleren.", 5000)
            return
        account = self.ctx.account
        for hit, name in hits:
            dlg = ReviewDialog(hit, name, self)
            if not dlg.exec() or dlg.confirmed is None:
                return
            confirmed = dlg.confirmed

            def job(s: Any, mid: int = hit.match_id, ok: bool = confirmed) -> None:
                known_clients.review(s, mid, confirm=ok, actor=account)

            self.worker.submit(job, lambda _r: self.reload(), self._on_error)

    def print_direct(self, choose: bool = False) -> None:
        """Ctrl+P: the plan to the last-used printer on A4, in one action."""
        item_id = self._current_id
        if item_id is None or not allowed(self.roles, Action.PRINT):
            return
        account, roles = self.ctx.account, self.roles

        def job(s: Any) -> bytes:
            from zsm_desk.services.printing import print_jobs

            # audited when it is printed (below), not when it is made
            return print_jobs.plan_pdf(s, item_id, account=account, roles=roles, vastleggen=False)

        def done(pdf: bytes) -> None:
            from zsm_desk.ui.quick_print import print_pdf

            print_pdf(self, pdf, title="Plan van aanpak", choose=choose,
                      on_printed=lambda target: self._audit_print("Plan van aanpak", [item_id],
                                                                  "afdruk", target))  # fmt: skip

        self.worker.submit(job, done, self._on_error)

    def _audit_print(self, title: str, item_ids: list[int], kind: str, target: str) -> None:
        from zsm_desk.services.storage import audit

        account = self.ctx.account

        def job(s: Any) -> None:
            for i in item_ids:
                audit.append(s, account, audit.PRINT if kind == "afdruk" else audit.EXPORT,
                             item_id=i, purpose=title, detail={"naar": target})  # fmt: skip

        self.worker.submit(job, None, self._on_error)

    def print_current(self) -> None:
        item_id = self._current_id
        if item_id is None:
            return
        account, roles = self.ctx.account, self.roles

        def job(s: Any) -> tuple[bytes, str]:
            from zsm_desk.services.printing import print_jobs  # reportlab loads on first print only

            # Opening the preview is a view; the print itself is audited on printing.
            pdf = print_jobs.plan_pdf(s, item_id, account=account, roles=roles, voorbeeld=True)
            return pdf, f"plan-{print_jobs.bvh_of(s, item_id)}.pdf"

        self.worker.submit(
            job, lambda r: self._preview(r[0], "Plan van aanpak", r[1], [item_id]), self._on_error
        )

    def print_day_pack(self) -> None:
        # The day pack is the whole day: a search or status filter in the screen
        # does not silently shrink it (issue 13 §9); the cover says what it holds.
        ids = self.model.all_ids()
        account, roles = self.ctx.account, self.roles
        selectie = day_pack_selection(
            self.model.filter_active() or self.status_filter.currentIndex() != 1
        )

        def job(s: Any) -> tuple[bytes, list[int]]:
            from zsm_desk.services.printing import print_jobs

            known = print_jobs.known_item_ids(s, item_ids=ids)
            pdf = print_jobs.day_pack_pdf(
                s, known, account=account, roles=roles, selectie=selectie, voorbeeld=True
            )
            return pdf, known

        name = f"dagpakket-{local_today(self.ctx.clock).isoformat()}.pdf"
        self.worker.submit(
            job, lambda r: self._preview(r[0], "Dagpakket (hele dag)", name, r[1]), self._on_error
        )

    def _preview(self, pdf: bytes, title: str, name: str, item_ids: list[int]) -> None:
        try:
            from zsm_desk.ui.print_preview import PrintPreviewDialog
        except ImportError:  # pragma: no cover - QtPdf missing
            QMessageBox.warning(
                self, "Afdrukken", "Afdrukvoorbeeld niet beschikbaar (QtPdf ontbreekt)."
            )
            return
        account = self.ctx.account

        def on_export(kind: str, target: str) -> None:
            from zsm_desk.services.storage import audit

            def job(s: Any) -> None:
                for i in item_ids:
                    audit.append(
                        s,
                        account,
                        audit.PRINT if kind == "afdruk" else audit.EXPORT,
                        item_id=i,
                        purpose=title,
                        detail={"naar": target},
                    )

            self.worker.submit(job, None, self._on_error)

        dlg = PrintPreviewDialog(
            pdf, title=title, suggested_name=name, on_export=on_export, parent=self
        )
        dlg.exec()

    def _import(self, kind: str) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            f"{kind.capitalize()} inlezen",
            str(Path.home()),
            "Gegevens (*.json *.csv);;Alle bestanden (*)",
        )
        if not path:
            return
        account = self.ctx.account

        def job(s: Any) -> str:
            if kind == "instroom":
                from zsm_desk.services.intake import instroom

                return instroom.import_file(s, Path(path), actor=account).summary()
            from zsm_desk.services.registers import register_import as registers

            return registers.import_file(s, Path(path), actor=account).summary()

        def done(summary: str) -> None:
            self.statusBar().showMessage(f"{kind.capitalize()} ingelezen: {summary}", 10_000)
            self.reload()

        def failed(message: str) -> None:
            QMessageBox.warning(self, "Inlezen geweigerd", message)

        self.worker.submit(job, done, failed)

    def import_instroom(self) -> None:
        self._import("instroom")

    def import_register(self) -> None:
        self._import("register")

    def decide_current(self, correctie: bool = False) -> None:
        """Action 1 of 2: record the decision; the terugkoppeling is then ready to send.

        `correctie`: correct the recorded decision (reason required; the VHs that
        had the earlier message get a correction)."""
        item_id = self._current_id
        if item_id is None:
            return
        if not allowed(self.roles, Action.DECIDE):
            QMessageBox.information(self, "Beslissing", "Uw rol mag geen beslissing vastleggen.")
            return
        self._claim_and_decide(item_id, overnemen=False, correctie=correctie)

    def _claim_and_decide(self, item_id: int, *, overnemen: bool, correctie: bool = False) -> None:
        """Claim the case (other desks see it), then open the decision dialog."""
        account, roles = self.ctx.account, self.roles

        now = self.ctx.clock.now()

        def job(s: Any) -> Any:
            from zsm_desk.services.decisions import claims, decisions_service

            ctx = decisions_service.decision_context(
                s, item_id, account=account, roles=roles, correctie=correctie
            )
            try:
                claims.claim(s, item_id, account=account, now=now, overnemen=overnemen)
            except claims.ClaimedByOther as e:
                return ("bezet", e.claim.label())
            return ("ok", ctx)

        def done(result: Any) -> None:
            if result[0] == "ok":
                self._decision_opened = now
                self._decision_dialog(result[1], correctie=correctie)
                return
            if self.ask_takeover(result[1]):
                self._claim_and_decide(item_id, overnemen=True, correctie=correctie)

        self.worker.submit(job, done, self._on_error)

    def ask_takeover(self, claim_label: str) -> bool:
        """Ask before taking over another desk's case; Annuleren is the default."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Zaak in behandeling")
        box.setText(f"Deze verdachte is {claim_label}.")
        box.setInformativeText(
            "Wilt u de zaak overnemen? De overname wordt vastgelegd in de audit."
        )
        take = box.addButton("Overnemen", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is take

    def _release_claim(self, item_id: int) -> None:
        account = self.ctx.account

        def job(s: Any) -> None:
            from zsm_desk.services.decisions import claims

            claims.release(s, item_id, account=account)

        self.worker.submit(job, lambda _r: None, lambda _m: None)

    def _decision_dialog(
        self,
        ctx: Any,
        previous: Any = None,
        errors: Any = None,
        *,
        correctie: bool = False,
        reden: str = "",
    ) -> None:
        from zsm_desk.ui.decision_dialog import DecisionDialog

        # a refusal keeps the input
        dlg = DecisionDialog(ctx, self, previous=previous, correctie=correctie, reden=reden)
        if errors:
            dlg.set_errors(errors)
        if not dlg.exec() or dlg.result_input is None:
            self._release_claim(ctx.item_id)
            return
        data = dlg.result_input
        reden = dlg.reden.text().strip()
        account, roles = self.ctx.account, self.roles
        opened_at = getattr(self, "_decision_opened", None)

        def job(s: Any) -> Any:
            from zsm_desk.services.decisions import decisions_service
            from zsm_desk.services.mail import outbox
            from zsm_desk.services.storage.config import load_settings

            try:
                if correctie:
                    outcome = decisions_service.correct_decision(
                        s, ctx.item_id, data, reden=reden, account=account, roles=roles
                    )
                else:
                    outcome = decisions_service.record_decision(
                        s, ctx.item_id, data, account=account, roles=roles, opened_at=opened_at
                    )
            except (decisions_service.DecisionRace, decisions_service.CaseClaimed) as e:
                return ("ander", str(e))
            except decisions_service.DecisionRefused as e:
                return ("fout", e.errors)
            names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
            previews = {m.outbox_id: outbox.preview(s, m.outbox_id)[2] for m in outcome.messages}
            return ("ok", outcome.to_dict(), names, previews)

        def done(result: Any) -> None:
            if result[0] == "fout":
                # reopen with the reasons
                self._decision_dialog(ctx, data, result[1], correctie=correctie, reden=reden)
                return
            if result[0] == "ander":  # another desk was first: nothing to correct here
                QMessageBox.information(self, "Beslissing", result[1])
                self.reload()
                return
            self.reload()
            self._feedback(*result[1:])

        self.worker.submit(job, done, self._on_error)

    def _feedback(
        self, outcome: dict[str, Any], names: dict[str, str], previews: dict[int, str]
    ) -> None:
        """Action 2 of 2: look at the message and send it."""
        from zsm_desk.ui.decision_dialog import FeedbackDialog, describe_outcome

        messages = outcome.get("berichten", [])
        if not messages:
            QMessageBox.information(self, "Beslissing", describe_outcome(outcome, names))
            return
        dlg = FeedbackDialog(describe_outcome(outcome, names), messages, previews, self)
        dlg.exec()
        if dlg.send_requested:
            self._release_and_send(messages, names)

    def _release_and_send(self, messages: list[dict[str, Any]], names: dict[str, str]) -> None:
        """Send the decision's messages; unsecured ones only after the one confirmation
        that the outbox asks too (issue 13: outbox)."""
        from zsm_desk.ui.outbox_view import confirm_unsecured

        ids = [m["id"] for m in messages]
        concept = [m for m in messages if m["state"] == "concept"]
        if not concept:
            self.send_outbox(ids)
            return
        if not confirm_unsecured(self, [names.get(m["vh_code"], m["vh_code"]) for m in concept]):
            self.send_outbox([i for i in ids if i not in {m["id"] for m in concept}])
            return
        account, roles = self.ctx.account, self.roles

        def job(s: Any) -> None:
            from zsm_desk.services.mail import outbox

            for m in concept:
                outbox.mark_ready(s, m["id"], account=account, roles=roles,
                                  bevestigd_onbeveiligd=True)  # fmt: skip

        self.worker.submit(job, lambda _r: self.send_outbox(ids), self._on_error)

    def send_outbox(self, ids: list[int] | None = None) -> None:
        self._with_smtp_password(lambda: self._send_outbox(ids))

    def _with_smtp_password(self, then: Any) -> None:
        """Without a secure keyring the SMTP password is asked once per session."""
        from zsm_desk.services.security.secrets import default_store

        store = default_store()
        if store.secure:
            then()
            return

        def job(s: Any) -> str:
            from zsm_desk.services.storage.config import load_settings

            smtp = load_settings(s).smtp
            return smtp.gebruiker if smtp else ""

        def done(user: str) -> None:
            if user and not store.get("smtp"):
                from PySide6.QtWidgets import QInputDialog

                pw, ok = QInputDialog.getText(
                    self, "SMTP-wachtwoord",
                    f"Er is geen beveiligde sleutelopslag. Wachtwoord voor {user} "
                    "(alleen voor deze sessie onthouden):",
                    QLineEdit.EchoMode.Password,
                )  # fmt: skip
                if not ok or not pw:
                    return
                store.set("smtp", pw)  # kept in memory only: the store is not secure
            then()

        self.worker.submit(job, done, self._on_error)

    def _send_outbox(self, ids: list[int] | None = None) -> None:
        db, account, roles = self.ctx.db, self.ctx.account, self.roles

        def job(_s: Any) -> str:
            from zsm_desk.services.mail import outbox

            return outbox.send_due(db, account=account, roles=roles, manual=True, ids=ids).summary()

        def done(text: str) -> None:
            self.statusBar().showMessage(text, 15_000)
            self.reload()

        self.statusBar().showMessage("Bezig met verzenden…")
        self.sync_worker.submit(job, done, self._on_error)

    # --- adviesvragen and screening (issue 6) -------------------------------------
    def _advice_allowed(self, title: str) -> bool:
        if allowed(self.roles, Action.ADVIESVRAAG):
            return True
        QMessageBox.information(self, title, "Uw rol mag geen adviesvragen stellen of inzien.")
        return False

    def ask_advice(self, vh_code: str | None = None) -> None:
        """A question to a VH about the selected suspect; with `vh_code` a refresh request."""
        item_id = self._current_id
        if item_id is None or not self._advice_allowed("Adviesvraag"):
            return
        from zsm_desk.ui.adviesvraag_dialog import NewAdviesvraagDialog, voorbereiden

        def job(s: Any) -> Any:
            return voorbereiden(s, item_id, vh_code=vh_code or None)

        def done(prep: Any) -> None:
            dlg = NewAdviesvraagDialog(
                prep,
                self.worker.submit,
                self.ctx.account,
                self.roles,
                self,
                clock=self.ctx.clock.now,
            )
            if dlg.exec() and dlg.result_view is not None:
                v = dlg.result_view
                self.statusBar().showMessage(
                    f"Adviesvraag {v.ref} aan {v.vh_code}: {v.status}", 10_000
                )
            self.reload()

        self.worker.submit(job, done, self._on_error)

    def open_questions(self) -> None:
        if not self._advice_allowed("Open adviesvragen"):
            return
        from zsm_desk.ui.adviesvraag_dialog import AdviesvragenDialog

        AdviesvragenDialog(
            self.worker.submit, self.ctx.account, self.roles, self, clock=self.ctx.clock.now
        ).exec()
        self.reload()

    def open_screening(self) -> None:
        item_id = self._current_id
        if item_id is None or not self._advice_allowed("Screening"):
            return
        from zsm_desk.ui.adviesvraag_dialog import ScreeningDialog, screening_voorbereiden

        def done(prep: Any) -> None:
            dlg = ScreeningDialog(prep, self.worker.submit, self.ctx.account, self.roles, self)
            if dlg.exec() and dlg.screening_result is not None:
                outcome = dlg.screening_result[0]
                self.statusBar().showMessage(
                    "Screening vastgelegd: "
                    + ("voorstel aanmelding" if outcome.voorstel_aanmelding else "geen voorstel"),
                    10_000,
                )
            self.reload()

        self.worker.submit(lambda s: screening_voorbereiden(s, item_id), done, self._on_error)

    def _on_detail_link(self, url: Any) -> None:
        """`actualiseer:{vh_code}` in the detail pane: ask the VH for a current advice."""
        if url.scheme() == "actualiseer" and url.path():
            self.ask_advice(url.path())

    def open_outbox(self) -> None:
        from zsm_desk.ui.outbox_view import OutboxDialog

        OutboxDialog(
            self.ctx.db,
            self.worker.submit,
            self.sync_worker.submit,
            self.ctx.account,
            self.roles,
            self,
        ).exec()
        self.reload()

    def open_monitor(self) -> None:
        if not allowed(self.roles, Action.MONITOR):
            QMessageBox.information(self, "Monitor", "Uw rol geeft geen toegang tot de monitor.")
            return
        from zsm_desk.ui.monitor_view import MonitorDialog

        MonitorDialog(
            self.worker.submit, self.ctx.account, self, today=local_today(self.ctx.clock)
        ).exec()

    def open_settings(self) -> None:
        from zsm_desk.ui.settings_dialog import open_settings

        open_settings(
            self, self.ctx.account, self.worker.submit, run_network=self.sync_worker.submit
        )
        self.reload()

    def open_audit(self) -> None:
        from zsm_desk.ui.audit_view import open_audit

        open_audit(self, self.ctx.account, self.worker.submit, today=local_today(self.ctx.clock))

    def _retention(self) -> None:
        db, account = self.ctx.db, self.ctx.account

        def job(_s: Any) -> None:
            from zsm_desk.services.security import retention

            retention.run_if_due(db, account)  # at most once per calendar day

        self.worker.submit(job, None, lambda _m: None)

    def _about(self) -> None:
        from zsm_desk.ui.about_dialog import AboutDialog

        AboutDialog(self.ctx.db.url, self).exec()

    # --- state ------------------------------------------------------------------
    def _restore_state(self) -> None:
        s = QSettings()
        geo = s.value("main/geometry")
        if isinstance(geo, QByteArray):
            self.restoreGeometry(geo)
        else:
            self.resize(screen_fit.initial_size(self, QSize(1500, 860)))
        screen_fit.fit(self)
        st = s.value("main/state")
        if isinstance(st, QByteArray):
            self.restoreState(st)
        sp = s.value("main/splitter")
        if isinstance(sp, QByteArray):
            self.splitter.restoreState(sp)
        else:
            self.splitter.setSizes([950, 550])
        hdr = s.value("main/header")
        if isinstance(hdr, QByteArray):
            self.table.horizontalHeader().restoreState(hdr)

    def closeEvent(self, event: Any) -> None:
        s = QSettings()
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState())
        s.setValue("main/splitter", self.splitter.saveState())
        s.setValue("main/header", self.table.horizontalHeader().saveState())
        self.poll_timer.stop()
        if self._changes is not None:
            self._changes.stop()
        self.tick_timer.stop()
        self.sync_timer.stop()
        self.retention_timer.stop()
        self.worker.stop()
        self.sync_worker.stop()
        super().closeEvent(event)
