"""Small widget factories shared by the windows."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


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
