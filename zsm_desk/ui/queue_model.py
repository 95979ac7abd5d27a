"""The verdachtenmonitor table model: sorting and filtering inside the model.

A `QSortFilterProxyModel` over a Python model calls `data()` millions of
times (9 s to sort 100k rows, platform notes); here the rows are plain
values with precomputed keys, so a sort is one `list.sort` and a filter
keystroke one pass over prepared lowercase strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from zsm_desk.domain.deadlines import format_remaining
from zsm_desk.domain.names import fold
from zsm_desk.services.intake.queue import QueueRow
from zsm_desk.ui.theme import State, bg, fg
from zsm_desk.ui.worker import emit

TZ = ZoneInfo("Europe/Amsterdam")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


Index = QModelIndex | QPersistentModelIndex


def _remaining(row: QueueRow, now: dt.datetime) -> dt.timedelta | None:
    return None if row.deadline is None else row.deadline - now


def _haystack(r: QueueRow) -> str:
    """What the search field looks in; the name also without diacritics, because
    a desk types "ozturk" or "aydin" for Öztürk and Aydın."""
    return f"{r.search_text} {fold(r.naam)}"


class Column:
    def __init__(
        self,
        title: str,
        display: Callable[[QueueRow, dt.datetime], str],
        key: Callable[[QueueRow, dt.datetime], Any],
        width: int,
    ) -> None:
        self.title, self.display, self.key, self.width = title, display, key, width


def _time_left_text(r: QueueRow, now: dt.datetime) -> str:
    if r.beslist:
        return "besloten"
    rem = _remaining(r, now)
    if rem is None:
        return "afgesloten" if r.status in ("afgedaan", "afgebogen") else ""
    return format_remaining(rem)


def _question_late(r: QueueRow, now: dt.datetime) -> bool:
    return r.open_vragen > 0 and r.vraag_deadline is not None and r.vraag_deadline <= now


def _status_text(r: QueueRow, now: dt.datetime) -> str:
    """The status, with markers for a decision, an open adviesvraag and another desk's claim."""
    if r.beslist:
        return f"besloten: {r.besluit}" if r.besluit else "besloten"
    text = _vraag_status_text(r, now)
    return f"{text} · {r.in_behandeling}" if r.in_behandeling else text


def _vraag_status_text(r: QueueRow, now: dt.datetime) -> str:
    if not r.open_vragen:
        return r.status
    if _question_late(r, now):
        return f"{r.status} · ✉ advies te laat"
    return f"{r.status} · ✉ advies gevraagd"


def _vh_text(r: QueueRow, _now: dt.datetime) -> str:
    if not r.vh_status or r.vh_status == "onbekend":
        return ""
    if r.vh_status == "mogelijk":
        return "⚠ " + r.vh_label
    text = "● " + r.vh_label
    return f"{text} — {r.slagzin}" if r.slagzin else text


_VH_ORDER = {"bekend": 0, "mogelijk": 1, "onbekend": 2, "": 3}
_FAR = dt.timedelta(days=3650)

COLUMNS: list[Column] = [
    Column(
        "Ingestroomd",
        lambda r, n: r.ingestroomd_op.astimezone(TZ).strftime("%d-%m %H:%M"),
        lambda r, n: r.ingestroomd_op,
        95,
    ),
    Column(
        "Resterend",
        _time_left_text,
        lambda r, n: rem if (rem := _remaining(r, n)) is not None else _FAR,
        145,
    ),
    Column("Naam", lambda r, n: r.naam, lambda r, n: r.sort_naam, 200),
    Column(
        "Veiligheidshuis", _vh_text, lambda r, n: (_VH_ORDER.get(r.vh_status, 3), r.vh_label), 360
    ),
    Column(
        "Geboortedatum",
        lambda r, n: (
            (f"{r.geboortedatum} ({r.leeftijd})" if r.leeftijd is not None else r.geboortedatum)
            + (" · minderjarig" if r.minderjarig else "")
        ),
        lambda r, n: r.geboortedatum_sort,
        165,
    ),
    Column("Feit", lambda r, n: r.feit, lambda r, n: r.feit.lower(), 210),
    Column("Categorie", lambda r, n: r.categorie, lambda r, n: r.categorie, 110),
    Column("Status", lambda r, n: _status_text(r, n), lambda r, n: r.status, 170),
]
COL_REMAINING = 1
COL_NAME = 2
COL_VH = 3
COL_FEIT = 5
COL_STATUS = 7


class QueueModel(QAbstractTableModel):
    """All rows in `_all`; the filtered and sorted view in `_rows`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[QueueRow] = []
        self._search: dict[int, str] = {}  # id -> lowercase search text, built once per load
        self._rows: list[QueueRow] = []
        self._now = dt.datetime.fromtimestamp(0, dt.UTC)  # set by set_rows()
        self._text = ""
        self._statuses: frozenset[str] | None = None
        self._only_known = False
        # Most urgent first: the time left, ascending (issue 13 §7).
        self._sort_col = COL_REMAINING
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._undecided = False

    # --- Qt API ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if not 0 <= col < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[col].display(r, self._now)
        if role == SORT_ROLE:
            return str(COLUMNS[col].key(r, self._now))
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_VH:
                return r.vh_tooltip or None
            if col == COL_REMAINING and r.deadline is not None:
                return f"Uiterlijk {r.deadline.astimezone(TZ).strftime('%d-%m-%Y %H:%M')}"
            if col == COL_FEIT:
                return r.feit
            if col == COL_STATUS and r.in_behandeling and not r.open_vragen:
                return f"{r.status} — {r.in_behandeling}"
            if col == COL_STATUS and r.open_vragen:
                return (f"{r.open_vragen} adviesvraag/-vragen open; "
                        "zie Zaak → Open adviesvragen (Ctrl+Shift+V)")  # fmt: skip
            return None
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            state = self._state(r, col)
            if state is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(fg(state))
            back = bg(state)
            return QBrush(back) if back is not None else None
        if role == Qt.ItemDataRole.FontRole and col in (COL_VH, COL_REMAINING):
            if (col == COL_VH and r.vh_status in ("bekend", "mogelijk")) or (
                col == COL_REMAINING
                and r.deadline is not None
                and r.deadline - self._now < dt.timedelta(hours=1)
            ):
                f = QFont()
                f.setBold(True)
                return f
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return COLUMNS[col].display(r, self._now)
        return None

    def _state(self, r: QueueRow, col: int) -> State | None:
        """The state colour of one cell (theme.py has its light and dark variant)."""
        if col == COL_REMAINING:
            rem = _remaining(r, self._now)
            if rem is None:
                return State.CLOSED
            if rem <= dt.timedelta(0):
                return State.LATE
            if rem < dt.timedelta(hours=1):
                return State.SOON
        if col == COL_STATUS and _question_late(r, self._now):
            return State.LATE
        if col == COL_VH:
            if r.vh_status == "bekend":
                return State.KNOWN
            if r.vh_status == "mogelijk":
                return State.MAYBE
            return None
        if r.beslist or r.status in ("afgedaan", "afgebogen"):
            return State.CLOSED  # decided or closed: the row steps back
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_col, self._sort_order = column, order
        emit(self.layoutAboutToBeChanged)
        old = list(self._rows)
        self._apply_sort()
        self._remap_persistent(old)
        emit(self.layoutChanged)

    # --- our API --------------------------------------------------------------
    def set_rows(self, rows: Sequence[QueueRow], now: dt.datetime | None = None) -> None:
        """Replace the data; the view keeps selection and scroll (see MainWindow)."""
        self.beginResetModel()
        self._all = list(rows)
        self._search = {r.id: _haystack(r) for r in self._all}
        if now is not None:
            self._now = now
        self._rebuild()
        self.endResetModel()

    def set_filter(
        self,
        text: str | None = None,
        statuses: frozenset[str] | bool | None = False,
        only_known: bool | None = None,
        undecided: bool | None = None,
    ) -> None:
        """Narrow the rows; `undecided`: only cases without a recorded decision
        ("Open zaken" means undecided, issue 13 §7)."""
        if undecided is not None:
            self._undecided = undecided
        if text is not None:
            self._text = text.strip().lower()
        if statuses is not False:
            self._statuses = statuses  # type: ignore[assignment]
        if only_known is not None:
            self._only_known = only_known
        emit(self.layoutAboutToBeChanged)
        old = list(self._rows)
        self._rebuild()
        self._remap_persistent(old)
        emit(self.layoutChanged)

    def tick(self, now: dt.datetime) -> None:
        """Move the clock: only the countdown column changes."""
        self._now = now
        if self._rows:
            last = len(self._rows) - 1
            emit(self.dataChanged, self.index(0, COL_REMAINING), self.index(last, COL_REMAINING))

    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, item_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == item_id:
                return i
        return -1

    def all_ids(self) -> list[int]:
        """Every loaded row, whatever the filter (the day pack prints the whole day)."""
        return [r.id for r in self._all]

    def filter_active(self) -> bool:
        return bool(self._text) or self._only_known

    @property
    def total(self) -> int:
        return len(self._all)

    def counts(self) -> dict[str, int]:
        out = {
            "totaal": len(self._all),
            "zichtbaar": len(self._rows),
            "bekend": 0,
            "mogelijk": 0,
            "verlopen": 0,
            "open": 0,
        }
        for r in self._all:
            if r.vh_status in ("bekend", "mogelijk"):
                out[r.vh_status] += 1
            if r.deadline is not None:
                out["open"] += 1
                if r.deadline <= self._now:
                    out["verlopen"] += 1
        return out

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_col, self._sort_order

    # --- internals ------------------------------------------------------------
    def _rebuild(self) -> None:
        text, statuses, only_known = self._text, self._statuses, self._only_known
        words = text.split()
        rows = self._all
        if statuses is not None:
            rows = [r for r in rows if r.status in statuses]
        if only_known:
            rows = [r for r in rows if r.vh_status in ("bekend", "mogelijk")]
        if self._undecided:
            rows = [r for r in rows if not r.beslist]
        search = self._search
        for w in words:  # one narrowing pass per word: no generator per row
            f = fold(w)
            if f == w or not f:
                rows = [r for r in rows if w in search[r.id]]
            else:
                rows = [r for r in rows if w in search[r.id] or f in search[r.id]]
        self._rows = list(rows)
        self._apply_sort()

    def _apply_sort(self) -> None:
        key = COLUMNS[self._sort_col].key
        now = self._now
        self._rows.sort(
            key=lambda r: key(r, now), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    def _remap_persistent(self, old: list[QueueRow]) -> None:
        persistent = self.persistentIndexList()
        if not persistent:
            return
        pos = {r.id: i for i, r in enumerate(self._rows)}
        new_list = []
        for idx in persistent:
            r = old[idx.row()] if 0 <= idx.row() < len(old) else None
            new_row = pos.get(r.id, -1) if r is not None else -1
            new_list.append(self.index(new_row, idx.column()) if new_row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, new_list)
