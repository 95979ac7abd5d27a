"""Audittrail for the beheerder: filter, sort, check the hash chain, export to CSV.

Rows are loaded for a period through `run_in_worker(fn, on_done, on_error)`
(the window's `DbWorker.submit`); account, action and item filters and sorting
happen in the model, without the database. "Keten controleren" runs
`audit.verify` in the worker. The CSV export is written by the worker with
`files.write_private` (mode 0600) and is itself an audit line (`export`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain.access import Action, allowed
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State
from zsm_desk.ui.widgets import record_table
from zsm_desk.ui.worker import emit

OnDone = Callable[[Any], None]
OnError = Callable[[str], None]
RunInWorker = Callable[[Callable[[Any], Any], OnDone | None, OnError | None], Any]
Index = QModelIndex | QPersistentModelIndex

TZ = ZoneInfo("Europe/Amsterdam")
MAX_ROWS = 50_000
COLUMNS = ("Nr.", "Tijdstip", "Account", "Actie", "Zaak-id", "Doel", "Details")
COL_ID, COL_AT, COL_ACCOUNT, COL_ACTION, COL_ITEM, COL_PURPOSE, COL_DETAIL = range(7)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KNOWN_ACTIONS = (audit.VIEW_VH, audit.PRINT, audit.EXPORT, audit.SEND, audit.DECISION,
                 audit.HIT_CONFIRM, audit.HIT_REJECT, audit.PURGE, audit.SETTINGS, audit.IMPORT,
                 audit.ROLES, audit.ADVIESVRAAG)  # fmt: skip
ALL = "(alle)"
READ_ONLY_MESSAGE = "Alleen een beheerder kan de audittrail inzien."


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: dt.datetime  # aware UTC
    account: str
    action: str
    item_id: int | None
    purpose: str
    detail: str  # compact JSON

    @property
    def at_text(self) -> str:
        return self.at.astimezone(TZ).strftime("%d-%m-%Y %H:%M:%S")


@dataclass(frozen=True)
class AuditFilter:
    van: dt.date | None = None  # inclusive, local date
    tot: dt.date | None = None  # inclusive, local date
    account: str | None = None
    action: str | None = None
    item_id: int | None = None

    def accepts(self, r: AuditRow) -> bool:
        day = r.at.astimezone(TZ).date()
        return (
            (self.van is None or day >= self.van)
            and (self.tot is None or day <= self.tot)
            and (self.account is None or r.account == self.account)
            and (self.action is None or r.action == self.action)
            and (self.item_id is None or r.item_id == self.item_id)
        )


def _bounds(
    van: dt.date | None, tot: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = dt.datetime.combine(van, dt.time(0), TZ) if van else None
    end = dt.datetime.combine(tot + dt.timedelta(days=1), dt.time(0), TZ) if tot else None
    return start, end


def load_rows(session: Any, account: str, van: dt.date | None, tot: dt.date | None,
              limit: int = MAX_ROWS) -> list[AuditRow] | None:  # fmt: skip
    """Worker side: the entries of a period, newest first; None for a non-beheerder."""
    if not allowed(users.roles_of(session, account), Action.AUDIT):
        return None
    start, end = _bounds(van, tot)
    return [
        AuditRow(
            id=r.id,
            at=r.at,
            account=r.account,
            action=r.action,
            item_id=r.item_id,
            purpose=r.purpose or "",
            detail=json.dumps(
                r.detail or {}, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")
            ),
        )
        for r in audit.list_entries(session, van_utc=start, tot_utc=end, limit=limit)
    ]


def _sort_key(r: AuditRow, column: int) -> Any:
    return (
        r.id,
        r.at,
        r.account.lower(),
        r.action,
        -1 if r.item_id is None else r.item_id,
        r.purpose.lower(),
        r.detail,
    )[column]


class AuditModel(QAbstractTableModel):
    """Entries with filtering and sorting inside the model (no proxy)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[AuditRow] = []
        self._rows: list[AuditRow] = []
        self._filter = AuditFilter()
        self._sort: tuple[int, Qt.SortOrder] = (COL_ID, Qt.SortOrder.DescendingOrder)

    # --- Qt API -----------------------------------------------------------------------
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        r = self._rows[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(r.id), r.at_text, r.account, r.action,
                    "" if r.item_id is None else str(r.item_id), r.purpose, r.detail)[c]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and c in (COL_PURPOSE, COL_DETAIL):
            return r.purpose if c == COL_PURPOSE else r.detail
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (COL_ID, COL_ITEM):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return _sort_key(r, c)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        emit(self.layoutAboutToBeChanged)
        old = self.persistentIndexList()
        ids_before = [r.id for r in self._rows]
        self._apply_sort()
        pos = {r.id: i for i, r in enumerate(self._rows)}
        for p in old:
            if 0 <= p.row() < len(ids_before):
                new_row = pos[ids_before[p.row()]]
                self.changePersistentIndex(p, self.index(new_row, p.column()))
        emit(self.layoutChanged)

    # --- ours ---------------------------------------------------------------------------
    def _apply_sort(self) -> None:
        column, order = self._sort
        self._rows.sort(key=lambda r: (_sort_key(r, column), r.id),
                        reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = [r for r in self._all if self._filter.accepts(r)]
        self._apply_sort()
        self.endResetModel()

    def set_filter(self, f: AuditFilter) -> None:
        self.beginResetModel()
        self._filter = f
        self._rows = [r for r in self._all if f.accepts(r)]
        self._apply_sort()
        self.endResetModel()

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    def rows(self) -> list[AuditRow]:
        """The visible rows, in view order."""
        return list(self._rows)

    def all_rows(self) -> list[AuditRow]:
        return list(self._all)

    def accounts(self) -> list[str]:
        return sorted({r.account for r in self._all})

    def actions(self) -> list[str]:
        return sorted({*KNOWN_ACTIONS, *(r.action for r in self._all)})


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(rows: Sequence[AuditRow]) -> bytes:
    """`;`-separated UTF-8 with BOM, as Dutch spreadsheet programs expect."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["nr", "tijdstip", "account", "actie", "zaak_id", "doel", "details"])
    for r in rows:
        w.writerow([r.id, r.at.astimezone(TZ).isoformat(timespec="seconds"), _cell(r.account),
                    _cell(r.action), "" if r.item_id is None else r.item_id, _cell(r.purpose),
                    _cell(r.detail)])  # fmt: skip
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _status(label: QLabel, ok: bool | None, text: str) -> None:
    color = "" if ok is None else theme.hex_fg(State.OK if ok else State.ERROR)
    label.setStyleSheet(f"color:{color}" if color else "")
    label.setText(text)


class AuditDialog(QDialog):
    def __init__(self, account: str, run_in_worker: RunInWorker, parent: QWidget | None = None,
                 *, today: dt.date | None = None, days: int = 30) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("AuditDialog")
        self.setWindowTitle("Audittrail — ZSM Desk")
        self.account = account
        self._run = run_in_worker
        self.may_view = False
        today = today or dt.datetime.now(TZ).date()

        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.van = QDateEdit(QDate(today - dt.timedelta(days=days)))
        self.van.setObjectName("van")
        self.tot = QDateEdit(QDate(today))
        self.tot.setObjectName("tot")
        for d in (self.van, self.tot):
            d.setCalendarPopup(True)
            d.setDisplayFormat("dd-MM-yyyy")
            d.dateChanged.connect(lambda _d: self.reload())
        self.account_filter = QComboBox()
        self.account_filter.setObjectName("accountFilter")
        self.account_filter.setMinimumContentsLength(12)
        self.action_filter = QComboBox()
        self.action_filter.setObjectName("actionFilter")
        self.action_filter.setMinimumContentsLength(12)
        for combo in (self.account_filter, self.action_filter):
            combo.addItem(ALL)
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.item_filter = QLineEdit()
        self.item_filter.setObjectName("itemFilter")
        self.item_filter.setPlaceholderText("zaak-id")
        self.item_filter.setClearButtonEnabled(True)
        self.item_filter.setMaximumWidth(110)
        self.item_filter.textChanged.connect(lambda _t: self.apply_filter())
        a11y.name(self.van, "Van datum")
        a11y.name(self.tot, "Tot en met datum")
        a11y.name(self.item_filter, "Zaak-id", "Toon alleen regels van dit interne zaaknummer")
        for label, w in (("&Van", self.van), ("t/&m", self.tot), ("A&ccount", self.account_filter),
                         ("Ac&tie", self.action_filter), ("&Zaak", self.item_filter)):  # fmt: skip
            bar.addWidget(a11y.buddy(label + ":", w))
            bar.addWidget(w)
        bar.addStretch(1)
        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("filterBar")
        bar.setContentsMargins(0, 0, 0, 0)
        self.filter_bar.setLayout(bar)
        outer.addWidget(self.filter_bar)

        self.model = AuditModel(self)
        self.table = record_table(
            self.model,
            "auditTable",
            widths=(
                (COL_ID, 60),
                (COL_AT, 150),
                (COL_ACCOUNT, 110),
                (COL_ACTION, 120),
                (COL_ITEM, 70),
                (COL_PURPOSE, 230),
            ),
            row_height=22,
        )
        a11y.name(self.table, "Auditregels", "Eén regel per handeling, nieuwste eerst")
        self.table.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)
        outer.addWidget(self.table, 1)

        self.message = QLabel("Audittrail laden…")
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.verify_result = QLabel("")
        self.verify_result.setObjectName("result")
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        outer.addWidget(self.verify_result)
        buttons = QHBoxLayout()
        self.verify_btn = QPushButton("&Keten controleren")
        self.verify_btn.setObjectName("verify")
        self.verify_btn.clicked.connect(self.verify)
        self.export_btn = QPushButton("&Exporteren (CSV)…")
        self.export_btn.setObjectName("export")
        self.export_btn.clicked.connect(self.export_csv)
        close = QPushButton("&Sluiten")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.verify_btn)
        buttons.addWidget(self.export_btn)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer.addLayout(buttons)
        self._set_enabled(False)
        self.resize(1100, 620)
        self.reload()

    def _set_enabled(self, on: bool) -> None:
        for w in (self.van, self.tot, self.account_filter, self.action_filter, self.item_filter,
                  self.table, self.verify_btn, self.export_btn):  # fmt: skip
            w.setEnabled(on)

    # --- loading and filtering ----------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        return self.van.date().toPython(), self.tot.date().toPython()  # type: ignore[return-value]

    def reload(self) -> None:
        account = self.account
        van, tot = self.period()
        _status(self.message, None, "Audittrail laden…")
        self._run(lambda s: load_rows(s, account, van, tot), self._on_loaded, self._on_error)

    def _on_error(self, message: str) -> None:
        _status(self.message, False, f"Fout: {message}")

    def _on_loaded(self, rows: list[AuditRow] | None) -> None:
        if rows is None:
            self.may_view = False
            self._set_enabled(False)
            self.table.setVisible(False)
            for w in (self.filter_bar, self.verify_btn, self.export_btn):
                w.setVisible(False)
            _status(self.message, None, READ_ONLY_MESSAGE)
            return
        self.may_view = True
        self._set_enabled(True)
        self.model.set_rows(rows)
        self._refill(self.account_filter, self.model.accounts())
        self._refill(self.action_filter, self.model.actions())
        self.apply_filter()
        if len(rows) >= MAX_ROWS:
            _status(self.message, False, f"Alleen de nieuwste {MAX_ROWS} regels van deze periode "
                                         "geladen; kies een kortere periode.")  # fmt: skip

    def _refill(self, combo: QComboBox, values: list[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL)
        combo.addItems(values)
        i = combo.findText(current)
        combo.setCurrentIndex(max(0, i))
        combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        van, tot = self.period()
        acc = self.account_filter.currentText()
        act = self.action_filter.currentText()
        item_text = self.item_filter.text().strip()
        item_id = int(item_text) if item_text.isdigit() else None
        return AuditFilter(van=van, tot=tot, account=None if acc in ("", ALL) else acc,
                           action=None if act in ("", ALL) else act, item_id=item_id)  # fmt: skip

    def apply_filter(self) -> None:
        text = self.item_filter.text().strip()
        if text and not text.isdigit():
            _status(self.message, False, "Zaak-id is een getal (het interne nummer).")
            return
        self.model.set_filter(self.current_filter())
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        _status(self.message, None, f"{shown} van {total} regels in de periode.")

    # --- actions ------------------------------------------------------------------------
    def verify(self) -> None:
        self.verify_btn.setEnabled(False)
        _status(self.verify_result, None, "Keten controleren…")

        def done(result: audit.VerifyResult) -> None:
            self.verify_btn.setEnabled(True)
            if result.ok:
                _status(self.verify_result, True,
                        f"✔ Audit in orde: {result.count} regels, keten ongeschonden.")  # fmt: skip
            else:
                shown = "\n".join(result.problems[:10])
                more = len(result.problems) - 10
                extra = f"\n… en nog {more}" if more > 0 else ""
                _status(self.verify_result, False,
                        f"✘ Audit NIET in orde ({len(result.problems)} probleem/problemen):\n"
                        f"{shown}{extra}")  # fmt: skip

        def failed(message: str) -> None:
            self.verify_btn.setEnabled(True)
            _status(self.verify_result, False, f"✘ Controle mislukt: {message}")

        self._run(audit.verify, done, failed)

    def ask_export_path(self) -> str:
        van, tot = self.period()
        name = f"audittrail-{van.isoformat()}-{tot.isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Audittrail exporteren", name,
                                              "CSV-bestand (*.csv)")  # fmt: skip
        return path

    def export_csv(self, path: str | None = None) -> None:
        target = path or self.ask_export_path()
        if not target:
            return
        rows = self.model.rows()
        data = to_csv(rows)
        account = self.account
        f = self.current_filter()

        def job(s: Any) -> int:
            from zsm_desk.services.storage.files import write_private

            if not allowed(users.roles_of(s, account), Action.AUDIT):
                raise users.NotAllowed("alleen een beheerder mag de audittrail exporteren")
            write_private(Path(target), data)
            audit.append(s, account, audit.EXPORT, purpose="export audittrail (CSV)",
                         detail={"soort": "audittrail", "regels": len(rows),
                                 "van": f.van.isoformat() if f.van else None,
                                 "tot": f.tot.isoformat() if f.tot else None})  # fmt: skip
            return len(rows)

        def done(n: int) -> None:
            self.export_btn.setEnabled(True)
            _status(self.verify_result, True,
                    f"✔ {n} regels geëxporteerd naar {Path(target).name}.")  # fmt: skip
            self.reload()  # the export is itself a line now

        def failed(message: str) -> None:
            self.export_btn.setEnabled(True)
            _status(self.verify_result, False, f"✘ Exporteren mislukt: {message}")

        self.export_btn.setEnabled(False)
        self._run(job, done, failed)


def open_audit(
    parent: QWidget, account: str, run_in_worker: RunInWorker, *, today: dt.date | None = None
) -> AuditDialog:
    """Show the dialog (non-blocking); the lead wires this to the menu."""
    dlg = AuditDialog(account, run_in_worker, parent, today=today)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg


__all__ = [
    "AuditDialog",
    "AuditFilter",
    "AuditModel",
    "AuditRow",
    "load_rows",
    "open_audit",
    "to_csv",
]
