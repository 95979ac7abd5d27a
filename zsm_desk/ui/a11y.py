"""Names for screen readers and keyboard helpers, one line per widget at the call site.

`name()` gives a widget an accessible name (and a description where the
name is not enough); labels become buddies with `buddy()`. `tests/window_tour.py`
walks every window and fails on an unnamed interactive widget or on two
mnemonics sharing a key.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMenu, QTableView, QTabWidget, QWidget

W = TypeVar("W", bound=QWidget)


def name(widget: W, text: str, description: str = "") -> W:
    """Set the accessible name (and description); returns the widget."""
    widget.setAccessibleName(text)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def buddy(text: str, widget: QWidget) -> QLabel:
    """A label (with its mnemonic) whose buddy is `widget`."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def tab_shortcuts(window: QWidget, tabs: QTabWidget) -> None:
    """Ctrl+Tab / Ctrl+Shift+Tab (and Ctrl+PgDn/PgUp) switch `tabs` from anywhere in
    `window`, also from a date field outside the tab widget."""

    def step(delta: int) -> None:
        if tabs.count():
            tabs.setCurrentIndex((tabs.currentIndex() + delta) % tabs.count())

    for keys, delta in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1),
                        ("Ctrl+Backtab", -1), ("Ctrl+PgUp", -1)):  # fmt: skip
        sc = QShortcut(QKeySequence(keys), window)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(lambda d=delta: step(d))


def sort_menu(window: QWidget, parent_menu: QMenu, table: QTableView) -> QMenu:
    """ "Sorteren op" in `parent_menu`: one action per column (with its first letter as
    mnemonic) and "Omgekeerde volgorde". Ctrl+Shift+S opens it at the table,
    Ctrl+Shift+O reverses the order: the queue sorts without a mouse."""
    menu = parent_menu.addMenu("&Sorteren op")
    model = table.model()
    header = table.horizontalHeader()
    group = QActionGroup(menu)
    actions: list[QAction] = []
    for col in range(model.columnCount()):
        title = str(model.headerData(col, Qt.Orientation.Horizontal))
        a = menu.addAction("&" + title)
        a.setCheckable(True)
        group.addAction(a)
        a.triggered.connect(
            lambda _c=False, c=col: table.sortByColumn(c, header.sortIndicatorOrder())
        )
        actions.append(a)
    menu.addSeparator()
    reverse = menu.addAction("&Omgekeerde volgorde")
    reverse.setShortcut(QKeySequence("Ctrl+Shift+O"))
    window.addAction(reverse)

    def flip() -> None:
        order = header.sortIndicatorOrder()
        new = (Qt.SortOrder.DescendingOrder if order == Qt.SortOrder.AscendingOrder
               else Qt.SortOrder.AscendingOrder)  # fmt: skip
        table.sortByColumn(header.sortIndicatorSection(), new)

    reverse.triggered.connect(flip)

    def sync() -> None:
        col = header.sortIndicatorSection()
        if 0 <= col < len(actions):
            actions[col].setChecked(True)

    menu.aboutToShow.connect(sync)
    popup = QAction("Sorteermenu", window)
    popup.setShortcut(QKeySequence("Ctrl+Shift+S"))
    popup.triggered.connect(
        lambda: menu.exec(table.viewport().mapToGlobal(table.viewport().rect().topLeft()))
    )
    window.addAction(popup)
    return menu


# A focus frame Qt's styles draw faintly or not at all (Windows, dark palettes).
FOCUS_FRAME_QSS = (
    "QCheckBox, QRadioButton { border: 2px solid transparent; border-radius: 3px; padding: 1px; }"
    " QCheckBox:focus, QRadioButton:focus { border-color: palette(highlight); }"
)


def visible_focus(container: QWidget) -> None:
    """Check boxes and radio buttons in `container` show a clear frame when focused."""
    container.setStyleSheet(container.styleSheet() + FOCUS_FRAME_QSS)
