"""One base for the window's table models: rows as plain values, sorting on
native values (numbers as numbers, times as times), persistent indexes kept.

After Vorta's `archive_table_model.py`: a model gives `sort_value(row, column)`
(also answered for `SORT_ROLE`, so a proxy model sorts the same way); `sort()`
reorders the rows in place and moves every persistent index (the selection,
the current row) along with its row, so an action hits the row the user
chose, not whatever row now sits at that position.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from zsm_desk.ui.worker import emit

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 50
Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


def native_key(value: Any) -> tuple[int, Any]:
    """A sort key for mixed values: empty last, numbers before text, text case-blind."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    if isinstance(value, str):
        return (1, value.casefold())
    return (0, value)


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """A table over `self.rows`; subclasses give the columns and the cell values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[RowT] = []

    # --- what a subclass gives -------------------------------------------------------
    def column_count(self) -> int:
        raise NotImplementedError

    def sort_value(self, row: RowT, column: int) -> Any:
        """The native value column `column` sorts on (default: nothing to sort)."""
        return None

    # --- Qt --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def row_at(self, r: int) -> RowT | None:
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def sort_data(self, index: Index) -> Any:
        """`data(index, SORT_ROLE)` for subclasses to return from `data`."""
        row = self.row_at(index.row())
        return None if row is None else self.sort_value(row, index.column())

    def set_rows(self, rows: list[RowT]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < self.column_count():
            return

        def key(r: RowT) -> tuple[int, Any]:
            return native_key(self.sort_value(r, column))

        emit(self.layoutAboutToBeChanged)
        before = self.persistentIndexList()
        old_rows = [i.row() for i in before]
        order_of = sorted(range(len(self.rows)), key=lambda i: key(self.rows[i]),
                          reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        new_pos = {old: new for new, old in enumerate(order_of)}
        self.rows = [self.rows[i] for i in order_of]
        after = [self.index(new_pos[r], i.column()) if r in new_pos else QModelIndex()
                 for r, i in zip(old_rows, before, strict=True)]  # fmt: skip
        self.changePersistentIndexList(before, after)
        emit(self.layoutChanged)
