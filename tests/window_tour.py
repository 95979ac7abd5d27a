"""Open every window and dialog a user can reach from the main window, and check them.

`tour()` drives a real `MainWindow` on the demo day: it selects a known
suspect and triggers each action; modal dialogs are shown instead of
executed (``QDialog.exec`` is patched), given time to load through the
worker, handed to `visit`, and closed. Dialogs that need data the demo day
lacks (the review of a `mogelijk` hit, the terugkoppeling after a decision)
are built directly.

Checks: `fit_problems` (the window fits the available screen and every
button lies inside it, unclipped) and `a11y_problems` (every interactive
widget has an accessible name; no two mnemonics share a key in one window).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
)

Visit = Callable[[str, QWidget], None]
INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QTextEdit, QPlainTextEdit)  # fmt: skip


def sample_hit() -> Any:
    from zsm_desk.domain.records import Identity
    from zsm_desk.services.registers.known_clients import HitView

    a = Identity("Jansen", "Pieter Jan", "1990-04-12", bsn="", gemeente="Delft")
    b = Identity("Janssen", "Pieter", "1990-04-00", bsn="", gemeente="Den Haag")
    return HitView(1, "VHH", "P1", "mogelijk", 0.9, "naam lijkt", ["achternaam lijkt"], None, a, b)


def _idle(win: Any) -> bool:
    return bool(win.worker.pending == 0 and not win._loading)


def tour(qtbot: Any, win: Any, visit: Visit, monkeypatch: Any) -> list[str]:
    """Visit the main window and every dialog; returns the names visited."""
    from zsm_desk.ui.decision_dialog import FeedbackDialog
    from zsm_desk.ui.review_dialog import ReviewDialog

    visited: list[str] = []

    def settle() -> None:
        qtbot.waitUntil(lambda: _idle(win), timeout=20_000)
        qtbot.wait(150)

    def look(dlg: QWidget) -> None:
        settle()
        visit(type(dlg).__name__, dlg)
        visited.append(type(dlg).__name__)

    def fake_exec(dlg: QDialog) -> int:
        dlg.show()
        look(dlg)
        dlg.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", fake_exec)
    settle()
    look(win)
    rows = [r for r in (win.model.row_at(i) for i in range(win.model.rowCount())) if r]
    row = next(r for r in rows if r.vh_status == "bekend" and not r.minderjarig
               and r.status == "in behandeling")  # fmt: skip
    win.table.selectRow(win.model.row_of_id(row.id))
    qtbot.waitUntil(lambda: bool(win.detail.toPlainText()))
    settle()
    look(win)  # with a detail pane filled
    for action in (win.decide_current, win.ask_advice, win.open_questions, win.open_screening,
                   win.open_outbox, win.open_monitor, win.print_current,
                   win._about):  # fmt: skip
        before = len(visited)
        action()
        qtbot.waitUntil(lambda b=before: len(visited) > b, timeout=20_000)
    for action in (win.open_settings, win.open_audit):
        known = set(QApplication.topLevelWidgets())
        action()
        new = [w for w in QApplication.topLevelWidgets() if w not in known and w.isVisible()]
        assert len(new) == 1, new
        look(new[0])
        new[0].close()
    for dlg in (
        ReviewDialog(sample_hit(), "Veiligheidshuis Haaglanden", win),
        FeedbackDialog(
            "<b>Beslissing vastgelegd.</b> Terugkoppeling klaar voor verzending.",
            [
                {
                    "state": "klaar",
                    "outbox_id": 1,
                    "ref": "ZSM-1",
                    "soort": "terugkoppeling",
                    "vh_code": "VHH",
                }
            ],
            {1: "<p>Onderwerp: terugkoppeling</p>" + "<p>regel</p>" * 40},
            win,
        ),
    ):
        dlg.show()
        look(dlg)
        dlg.close()
    return visited


# --- checks -------------------------------------------------------------------------


def _scrollable(w: QWidget, top: QWidget) -> bool:
    """Inside a scroll area's viewport: reachable by scrolling."""
    p = w.parentWidget()
    while p is not None and p is not top:
        if isinstance(p, QAbstractScrollArea) and p.viewport().isAncestorOf(w):
            return True
        p = p.parentWidget()
    return False


def _qt_internal(w: QWidget) -> bool:
    """Parts Qt builds inside composite widgets (scroll bars, tab-bar arrows, ...)."""
    if isinstance(w, (QScrollBar, QHeaderView)) or w.objectName().startswith("qt_"):
        return True
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, (QTabBar, QComboBox, QAbstractSpinBox, QScrollBar)):
            return True
        if isinstance(p, QAbstractItemView) and not isinstance(w, QAbstractItemView):
            return True  # editors and index widgets
        p = p.parentWidget()
    return isinstance(w, QToolButton) and isinstance(w.parentWidget(), QTabBar)


def fit_problems(name: str, top: QWidget, screen: QRect) -> list[str]:
    problems = []
    if top.width() > screen.width() or top.height() > screen.height():
        problems.append(f"{name}: {top.width()}×{top.height()} groter dan het scherm "
                        f"{screen.width()}×{screen.height()}")  # fmt: skip
    inside = top.rect()
    for b in top.findChildren(QAbstractButton):
        if not b.isVisibleTo(top) or _qt_internal(b) or _scrollable(b, top):
            continue
        r = QRect(b.mapTo(top, QPoint(0, 0)), b.size())
        clip = inside
        p = b.parentWidget()
        while p is not None and p is not top:
            clip = clip.intersected(QRect(p.mapTo(top, QPoint(0, 0)), p.size()))
            p = p.parentWidget()
        if not clip.contains(r):
            problems.append(f"{name}: knop {b.text()!r} ({b.objectName()}) valt buiten beeld: "
                            f"{r.getRect()} in {clip.getRect()}")  # fmt: skip
    return problems


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _menu_actions(action: Any) -> list[Any]:
    menu = action.menu()
    return list(menu.actions()) if isinstance(menu, QMenu) else []


def has_name(w: QWidget, top: QWidget) -> bool:
    """A button is named by its text; a field, list or text pane needs an explicit
    accessible name or a label whose buddy it is (its current value is no name)."""
    if isinstance(w, QAbstractButton):
        return bool(accessible_name(w))
    if w.accessibleName().strip():
        return True
    return any(lbl.buddy() is w and lbl.text().strip() for lbl in top.findChildren(QLabel))


def _mnemonic(text: str) -> str | None:
    m = re.search(r"&([^&\s])", text.replace("&&", ""))
    return m.group(1).lower() if m else None


def _pages(top: QWidget) -> Iterator[None]:
    """Every combination of visible tab pages, one tab widget at a time."""
    yield None
    for tabs in top.findChildren(QTabWidget):
        if not tabs.isVisibleTo(top):
            continue
        current = tabs.currentIndex()
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield None
        tabs.setCurrentIndex(current)


def mnemonic_owners(top: QWidget) -> dict[str, list[str]]:
    """Key → the visible widgets whose mnemonic it is, in `top` as it is now."""
    owners: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        key = _mnemonic(text)
        if key:
            owners.setdefault(key, []).append(f"{what} {text!r}")

    if isinstance(top, QMainWindow):
        for a in top.menuBar().actions():
            add(a.text(), "menu")
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or _qt_internal(w):
            continue
        if isinstance(w, QAbstractButton):
            add(w.text(), type(w).__name__)
        elif isinstance(w, QLabel) and w.buddy() is not None and w.buddy().isVisibleTo(top):
            add(w.text(), "label")
        elif isinstance(w, QGroupBox) and w.isCheckable():
            add(w.title(), "groep")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w.tabText(i), "tab")
    return owners


def a11y_problems(name: str, top: QWidget) -> list[str]:
    problems: set[str] = set()
    for _ in _pages(top):
        QApplication.processEvents()
        for w in top.findChildren(QWidget):
            if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(top) or _qt_internal(w):
                continue
            if not has_name(w, top):
                what = w.objectName() or getattr(w, "placeholderText", lambda: "")() or ""
                problems.add(f"{name}: {type(w).__name__} {what!r} heeft geen toegankelijke naam")
        for key, who in mnemonic_owners(top).items():
            if len(who) > 1:
                problems.add(f"{name}: Alt+{key.upper()} dubbel: {', '.join(sorted(who))}")
        if isinstance(top, QMainWindow):
            for a in top.menuBar().actions():
                keys: dict[str, list[str]] = {}
                for item in _menu_actions(a):
                    if (k := _mnemonic(item.text())) is not None:
                        keys.setdefault(k, []).append(item.text())
                for k, texts in keys.items():
                    if len(texts) > 1:
                        problems.add(f"{name}: menu {a.text()!r} Alt+{k.upper()} dubbel: {texts}")
        for w in top.findChildren(QCheckBox):
            if w.isVisibleTo(top) and w.focusPolicy().value == 0:
                problems.add(f"{name}: selectievakje {w.text()!r} krijgt geen focus")
    return sorted(problems)


# ("Open", "Help" and "of" are Dutch words as well.)
ENGLISH_UI = re.compile(
    r"\b(Cancel|Close|Save|Yes|No|Apply|Reset|Print|File|Edit|View|Error|Warning|"
    r"Settings|Delete|Remove|Add|Browse|Select|Undo|Redo|Cut|Copy|Paste|Search|Refresh|"
    r"Loading|Failed|Export|Import|Previous|Next|Back|Finish|Retry|Abort|Ignore|Discard|"
    r"Restore Defaults|Today|Page|Zoom)\b"
)


def visible_texts(top: QWidget) -> list[str]:
    """The texts a user reads in `top`: title, buttons, labels, tabs, headers, menus, lists."""
    from PySide6.QtCore import Qt

    texts = [top.windowTitle()]
    if isinstance(top, QMainWindow):
        for a in top.menuBar().actions():
            texts.append(a.text())
            texts += [i.text() for i in _menu_actions(a)]
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top):
            continue
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QLabel):
            texts.append(re.sub(r"<[^>]+>", " ", w.text()))
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model():
            m = w.model()
            texts += [str(m.headerData(c, Qt.Orientation.Horizontal) or "")
                      for c in range(m.columnCount())]  # fmt: skip
    return [t.replace("&", "") for t in texts if t]


def english_problems(name: str, top: QWidget) -> list[str]:
    return [f"{name}: Engels: {t!r}" for t in visible_texts(top) if ENGLISH_UI.search(t)]
