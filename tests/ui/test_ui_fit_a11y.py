"""Every window and dialog fits a 1280×720 logical screen (1920×1080 at 150 %), and
every one is usable with a screen reader and the keyboard.

The fit test runs itself again in a child process on an offscreen screen of
1920×1080 with ``QT_SCALE_FACTOR=1.5``; the accessibility test runs here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from tests.ui.helpers import build_demo_file, demo_copy
from tests.window_tour import a11y_problems, english_problems, fit_problems, tour
from zsm_desk.app_context import AppContext
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.ui import screen_fit
from zsm_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

DAY_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ)
DESK = "kpc-test"
ROOT = Path(__file__).resolve().parents[2]
CHILD = "ZSM_FIT_CHILD"
SCREEN_W, SCREEN_H, SCALE = 1920, 1080, "1.5"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory, DESK, DAY_END)


@pytest.fixture
def ctx(demo_file: Path, tmp_path: Path) -> Iterator[AppContext]:
    yield from demo_copy(demo_file, tmp_path, DESK)


@pytest.fixture
def window(qtbot, ctx: AppContext, qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    screen_fit.install(qapp)  # as make_application does
    win = MainWindow(ctx, poll=False)
    win.show()
    qtbot.waitUntil(lambda: win.model.total > 0)
    yield win
    qtbot.waitUntil(lambda: win.worker.pending == 0 and not win._loading)
    win.close()
    win.deleteLater()


def test_every_window_fits_a_1280x720_screen(tmp_path: Path) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "fhd", "x": 0, "y": 0, "width": SCREEN_W, "height": SCREEN_H,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))  # fmt: skip
    env = {**os.environ, CHILD: "1", "QT_SCALE_FACTOR": SCALE,
           "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}  # fmt: skip
    env.pop("PYTEST_XDIST_WORKER", None)
    r = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         f"{__file__}::test_fit_child"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
    assert "1 passed" in r.stdout


@pytest.mark.skipif(not os.environ.get(CHILD), reason="runs in the child of the fit test")
def test_fit_child(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert (screen.width(), screen.height()) == (1280, 720)
    problems: list[str] = []
    visited = tour(qtbot, window, lambda n, w: problems.extend(fit_problems(n, w, screen)),
                   monkeypatch)  # fmt: skip
    assert len(set(visited)) >= 12, visited
    assert not problems, "\n".join(problems)


def test_every_window_is_accessible_and_dutch(qtbot, window: MainWindow, monkeypatch, qapp) -> None:  # type: ignore[no-untyped-def]
    from zsm_desk.ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp)  # as make_application does
    problems: list[str] = []

    def visit(name: str, w: QWidget) -> None:
        problems.extend(a11y_problems(name, w))
        problems.extend(english_problems(name, w))

    try:
        visited = tour(qtbot, window, visit, monkeypatch)
    finally:
        remove_translators(qapp, translators)
    assert len(set(visited)) >= 12, visited
    assert not problems, "\n".join(problems)


def _modal(qtbot, monkeypatch, action, check) -> None:  # type: ignore[no-untyped-def]
    """Run `action`; the dialog it would execute is shown and handed to `check`."""
    from PySide6.QtWidgets import QDialog

    seen: list[QDialog] = []

    def fake_exec(dlg: QDialog) -> int:
        dlg.show()
        qtbot.waitExposed(dlg)
        seen.append(dlg)
        check(dlg)
        dlg.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", fake_exec)
    action()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)


def test_screening_checkboxes_show_focus(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QCheckBox

    def check(dlg) -> None:  # type: ignore[no-untyped-def]
        boxes = list(dlg.checkboxes.values())
        assert boxes
        cb: QCheckBox = boxes[0]
        plain = cb.grab().toImage()
        dlg.activateWindow()
        cb.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(cb.hasFocus)
        focused = cb.grab().toImage()
        assert focused != plain, "no visible focus on a screening checkbox"

    qtbot.waitUntil(lambda: window.worker.pending == 0 and not window._loading)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: bool(window.detail.toPlainText()))
    _modal(qtbot, monkeypatch, window.open_screening, check)


def test_queue_sorts_from_the_keyboard(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    from zsm_desk.ui.queue_model import COL_NAME

    qtbot.waitUntil(lambda: window.worker.pending == 0 and not window._loading)
    header = window.table.horizontalHeader()
    from tests.window_tour import _menu_actions

    sort_menu = next(a.menu() for m in window.menuBar().actions()
                     for a in _menu_actions(m) if "Sorteren" in a.text())  # fmt: skip
    assert isinstance(sort_menu, QMenu)
    by_name = next(a for a in sort_menu.actions() if a.text() == "&Naam")
    by_name.trigger()
    assert header.sortIndicatorSection() == COL_NAME
    names = [window.model.row_at(i).sort_naam for i in range(window.model.rowCount())]  # type: ignore[union-attr]
    order = header.sortIndicatorOrder()
    expected = sorted(names, reverse=order == Qt.SortOrder.DescendingOrder)
    assert names == expected
    reverse = next(a for a in window.actions() if a.shortcut() == QKeySequence("Ctrl+Shift+O"))
    reverse.trigger()
    assert header.sortIndicatorOrder() != order
    popup = [a for a in window.actions() if a.shortcut() == QKeySequence("Ctrl+Shift+S")]
    assert len(popup) == 1 and isinstance(popup[0], QAction)


def test_ctrl_tab_switches_monitor_tabs_from_a_date_field(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, monkeypatch
) -> None:
    from PySide6.QtCore import Qt

    def check(dlg) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: dlg.tabs.count() > 1, timeout=20_000)
        dlg.activateWindow()
        dlg.van_edit.setFocus()
        qtbot.waitUntil(dlg.van_edit.hasFocus)
        before = dlg.tabs.currentIndex()
        qtbot.keyClick(dlg.van_edit, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert dlg.tabs.currentIndex() == (before + 1) % dlg.tabs.count()
        qtbot.keyClick(dlg.van_edit, Qt.Key.Key_Backtab,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
        assert dlg.tabs.currentIndex() == before
        assert "Grafiek" in dlg.month_chart.accessibleName()
        assert dlg.month_chart.accessibleDescription() not in ("", "geen gegevens")

    _modal(qtbot, monkeypatch, window.open_monitor, check)


def test_detail_pane_follows_a_dark_palette(qtbot, window: MainWindow, qapp) -> None:  # type: ignore[no-untyped-def]
    """VH flag, slagzin and labels in the detail pane: dark variants, no grey on dark grey."""
    from zsm_desk.ui.theme import DARK, LIGHT, State, dark_palette

    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        qtbot.waitUntil(lambda: window.worker.pending == 0 and not window._loading)
        m = window.model
        found = next((i, r) for i in range(m.rowCount())
                     if (r := m.row_at(i)) and r.vh_status == "bekend" and r.slagzin
                     and not r.minderjarig)  # fmt: skip
        window.table.selectRow(found[0])
        slagzin = (found[1].slagzin or "")[:15]
        qtbot.waitUntil(lambda: slagzin in window.detail.toPlainText())
        html = window.detail.toHtml().lower()
        assert str(DARK[State.SLAGZIN].bg) in html and DARK[State.MUTED].fg in html
        assert str(LIGHT[State.SLAGZIN].bg) not in html and "#555555" not in html
    finally:
        qapp.setPalette(before)


def test_status_line_elides_instead_of_clipping(qtbot) -> None:  # type: ignore[no-untyped-def]
    from zsm_desk.ui.widgets import ElidingLabel

    full = "150 verdachten · 50 getoond · 50 open · 26 over de termijn · uitbak: 4 wachten"
    label = ElidingLabel(full)
    qtbot.addWidget(label)
    label.resize(120, 20)
    label.show()
    shown = QLabel.text(label)
    assert shown.endswith("…") and len(shown) < len(full)
    assert label.text() == label.toolTip() == label.accessibleName() == full
