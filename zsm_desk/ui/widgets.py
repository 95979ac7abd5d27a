"""Small widget factories shared by the windows."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)


def record_table(
    model: QAbstractItemModel,
    name: str,
    *,
    widths: Iterable[tuple[int, int]] = (),
    row_height: int = 24,
    selection: QAbstractItemView.SelectionMode | None = None,
) -> QTableView:
    """A sortable, row-selecting list of records: one line per row, no row
    numbers, interactive column widths (`widths`: ``(column, pixels)``), the
    last column stretched. `selection` None keeps Qt's default mode."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if selection is not None:
        table.setSelectionMode(selection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    hh = table.horizontalHeader()
    hh.setStretchLastSection(True)
    hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col, width in widths:
        table.setColumnWidth(col, width)
    return table


def fit_column(table: QTableView, column: int, sample: str, *, bold: bool = False) -> None:
    """Widen `column` so `sample` (the longest usual text) fits in the table's font;
    widths in pixels alone clip at other fonts and scale factors."""
    font = QFont(table.font())
    font.setBold(bold)
    needed = QFontMetrics(font).horizontalAdvance(sample) + 16
    if table.columnWidth(column) < needed:
        table.setColumnWidth(column, needed)


class ElidingLabel(QLabel):
    """A one-line label that ends in "…" when narrow; the full text stays in the
    tooltip and the accessible name, so nothing is silently cut off."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)
