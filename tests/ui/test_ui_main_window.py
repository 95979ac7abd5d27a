"""The main window on the demo day (SQLite): queue, detail pane, disclosure rules.

The demo database is built once per module and copied for each test. Every
window is closed at the end of its test (its closeEvent stops the worker
thread) after the worker has run out of work, and QSettings points at a
temporary directory, so the user's real window state is never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from tests.ui.helpers import build_demo_file, demo_copy
from zsm_desk.app_context import AppContext
from zsm_desk.domain.printsheet import MINOR_SELECTION_TITLE, NOT_KNOWN_TITLE, UNCONFIRMED_TITLE
from zsm_desk.domain.records import SELECTION_STATUSES
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.services.intake.fileformats import RawFile
from zsm_desk.services.intake.queue import QueueRow
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import (
    AuditEntry,
    InstroomItem,
    Match,
    RegisterMarking,
    UserRole,
)
from zsm_desk.ui.detail import NO_VH_INFO_TITLE
from zsm_desk.ui.main_window import OPEN_STATUSES, MainWindow
from zsm_desk.ui.queue_model import COL_VH, ID_ROLE
from zsm_desk.ui.review_dialog import ReviewDialog

pytestmark = pytest.mark.gui

DAY_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ)
DESK = "kpc-test"  # the account that installs the demo: every role


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory, DESK, DAY_END)


@pytest.fixture
def ctx(demo_file: Path, tmp_path: Path) -> Iterator[AppContext]:
    yield from demo_copy(demo_file, tmp_path, DESK)


def _idle(win: MainWindow) -> bool:
    return win.worker.pending == 0 and not win._loading


def close_window(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Close after the worker ran out of work: no callback may reach a closed window."""
    qtbot.waitUntil(lambda: _idle(win))
    win.close()
    assert not win.worker._thread.isRunning()
    win.deleteLater()


@pytest.fixture
def open_window(qtbot, ctx: AppContext) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    windows: list[MainWindow] = []

    def make(show: bool = False) -> MainWindow:
        win = MainWindow(ctx, poll=False)
        windows.append(win)
        if show:
            win.show()
            qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: win.model.total > 0)
        qtbot.waitUntil(lambda: _idle(win))
        return win

    yield make
    for win in windows:
        if win.worker._thread.isRunning():
            close_window(qtbot, win)


# --- helpers ----------------------------------------------------------------------


def visible_rows(win: MainWindow) -> list[QueueRow]:
    return [r for r in (win.model.row_at(i) for i in range(win.model.rowCount())) if r]


def select_item(qtbot, win: MainWindow, item_id: int, wait_for: str = "") -> str:  # type: ignore[no-untyped-def]
    """Make `item_id` the current row; wait for its detail; return the detail text."""
    row = win.model.row_of_id(item_id)
    assert row >= 0, "row not in the current view"
    win.table.selectRow(row)
    assert win.table.currentIndex().data(ID_ROLE) == item_id
    with ctx_session(win) as s:
        bvh = s.get(InstroomItem, item_id).bvh_nummer
    qtbot.waitUntil(
        lambda: bvh in win.detail.toPlainText() and wait_for in win.detail.toPlainText()
    )
    qtbot.waitUntil(lambda: _idle(win))
    return win.detail.toPlainText()


def ctx_session(win: MainWindow):  # type: ignore[no-untyped-def]
    return win.ctx.db.session()


def marking_slagzinnen(ctx: AppContext, item_id: int) -> list[str]:
    with ctx.db.session() as s:
        q = (select(RegisterMarking.slagzin).join(Match, Match.marking_id == RegisterMarking.id)
             .where(Match.item_id == item_id))  # fmt: skip
        return list(s.execute(q).scalars())


def audit_lines(ctx: AppContext, action: str, item_id: int | None = None) -> list[AuditEntry]:
    with ctx.db.session() as s:
        q = select(AuditEntry).where(AuditEntry.action == action)
        if item_id is not None:
            q = q.where(AuditEntry.item_id == item_id)
        return list(s.execute(q).scalars())


def known_adult_in_treatment(win: MainWindow) -> QueueRow:
    return next(r for r in visible_rows(win)
                if r.vh_status == "bekend" and not r.minderjarig and r.status == "in behandeling")  # fmt: skip


# --- the queue --------------------------------------------------------------------


def test_demo_day_loads_with_open_cases(open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window()
    assert win.model.total == 150
    assert win.status_filter.currentIndex() == 0
    assert win.status_filter.currentText() == "Open zaken"
    rows = visible_rows(win)
    assert 0 < len(rows) < 150
    assert {r.status for r in rows} <= OPEN_STATUSES
    assert win.model.counts()["bekend"] > 0
    assert "150 verdachten" in win.status_counts.text()
    assert f"{len(rows)} getoond" in win.status_counts.text()
    assert win.status_user.text().startswith(f"{DESK}: ")
    win.status_filter.setCurrentIndex(1)  # Alle zaken
    assert win.model.rowCount() == 150
    win.only_known.setChecked(True)
    assert {r.vh_status for r in visible_rows(win)} <= {"bekend", "mogelijk"}
    assert win.model.rowCount() == win.model.counts()["bekend"] + win.model.counts()["mogelijk"]


def test_typing_in_search_filters(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window()
    before = win.model.rowCount()
    target = visible_rows(win)[before // 2]
    surname = target.sort_naam.split()[0]
    qtbot.keyClicks(win.search, surname.upper())
    rows = visible_rows(win)
    assert target in rows and len(rows) < before
    assert all(surname in r.search_text for r in rows)
    win.search.clear()
    qtbot.keyClicks(win.search, target.bvh_nummer[-6:])
    assert visible_rows(win) == [target]
    win.search.clear()
    assert win.model.rowCount() == before


def test_known_adult_in_treatment_shows_content_and_audits(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window()
    row = known_adult_in_treatment(win)
    vh_text = win.model.data(win.model.index(win.model.row_of_id(row.id), COL_VH))
    assert row.slagzin and row.slagzin in vh_text
    text = select_item(qtbot, win, row.id, wait_for="Advies van")
    assert row.slagzin in text
    lines = audit_lines(win.ctx, audit.VIEW_VH, row.id)
    assert [(e.account, e.purpose) for e in lines] == [(DESK, "afstemmingsoverleg")]
    assert lines[0].detail["vh_codes"]
    assert win.print_btn.isEnabled()
    assert not win.review_btn.isEnabled()  # nothing to review on a certain hit


@pytest.mark.parametrize("roles", [[], ["beheerder"], ["parketsecretaris"]])
def test_vh_information_follows_the_role(qtbot, open_window, ctx: AppContext,  # type: ignore[no-untyped-def]
                                         roles: list[str]) -> None:  # fmt: skip
    account = "onbekend-account" if not roles else f"test-{roles[0]}"
    with ctx.db.session() as s:
        if roles:
            s.add(UserRole(account=account, roles=roles))
        known = s.execute(
            select(InstroomItem.id).where(InstroomItem.vh_status == "bekend",
                                          InstroomItem.status == "in behandeling")
        ).scalars().all()  # fmt: skip
    ctx.account = account
    win = open_window()
    desk = roles == ["parketsecretaris"]
    vh_column = [win.model.data(win.model.index(r, COL_VH)) for r in range(win.model.rowCount())]
    tips = [win.model.data(win.model.index(r, COL_VH), Qt.ItemDataRole.ToolTipRole)
            for r in range(win.model.rowCount())]  # fmt: skip
    if desk:
        assert any(vh_column)
    else:
        assert not any(vh_column) and not any(tips)
        assert ("geen rol" in win.status_user.text()) == (not roles)
        assert win.model.counts()["bekend"] == 0
    adult = [i for i in known if not win.model.row_at(win.model.row_of_id(i)).minderjarig]  # type: ignore[union-attr]
    text = select_item(qtbot, win, adult[0])
    slagzinnen = marking_slagzinnen(ctx, adult[0])
    assert slagzinnen
    lines = audit_lines(ctx, audit.VIEW_VH, adult[0])
    if desk:
        qtbot.waitUntil(lambda: "Advies van" in win.detail.toPlainText())
        assert any(z in win.detail.toPlainText() for z in slagzinnen)
        assert [e.account for e in lines] == [account]
        assert win.print_btn.isEnabled()
    else:
        assert not any(z in text for z in slagzinnen)
        assert "Advies van" not in text and "Plan van aanpak" not in text
        assert NOT_KNOWN_TITLE not in text  # no false "not known" either
        assert NO_VH_INFO_TITLE in text
        assert lines == []
        assert not win.print_btn.isEnabled() and not win.review_btn.isEnabled()


def test_minor_in_selection_shows_no_slagzin(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window()
    selection = {s.value for s in SELECTION_STATUSES}
    row = next(r for r in visible_rows(win)
               if r.vh_status == "bekend" and r.minderjarig and r.status in selection)  # fmt: skip
    slagzinnen = marking_slagzinnen(win.ctx, row.id)
    vh_text = win.model.data(win.model.index(win.model.row_of_id(row.id), COL_VH))
    assert "jeugdige" in vh_text
    assert not any(z in vh_text for z in slagzinnen)
    text = select_item(qtbot, win, row.id, wait_for=MINOR_SELECTION_TITLE)
    assert "Bekend als jeugdige" in text
    assert not any(z in text for z in slagzinnen)
    assert "Advies van" not in text
    assert audit_lines(win.ctx, audit.VIEW_VH, row.id) == []


def test_reload_after_change_keeps_selection_and_scroll(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window(show=True)
    win.resize(1200, 420)
    win.status_filter.setCurrentIndex(1)  # Alle zaken: 150 rows, enough to scroll
    # By instroom: a status change then does not move the row (the default sort is
    # by time left, where closing a case moves it to the end).
    win.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: win.table.verticalScrollBar().maximum() > 0)
    target = visible_rows(win)[110]
    select_item(qtbot, win, target.id)
    win.table.scrollTo(win.table.currentIndex())
    bar = win.table.verticalScrollBar()
    scroll = bar.value()
    assert scroll > 0
    new_status = "afgedaan" if target.status != "afgedaan" else "in behandeling"
    with win.ctx.db.session() as s:
        item = s.get(InstroomItem, target.id)
        item.status = new_status
        item.updated_at = win.ctx.clock.now()
    win.check_for_changes()
    qtbot.waitUntil(lambda: win.model.row_at(win.model.row_of_id(target.id)).status == new_status)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: _idle(win))
    assert win.selected_ids() == [target.id]
    assert win.table.currentIndex().data(ID_ROLE) == target.id
    assert win.table.currentIndex().row() == 110
    assert bar.value() == scroll
    # Nothing changed: no reload.
    loads: list[int] = []
    win.model.modelReset.connect(lambda: loads.append(1))
    win.check_for_changes()
    qtbot.waitUntil(lambda: _idle(win))
    assert loads == []


def test_review_mogelijk_hit(qtbot, open_window, ctx: AppContext, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A register marking that nearly fits an adult suspect: same names, day and
    # month of the birth date swapped, no birth place. The matcher says `mogelijk`.
    with ctx.db.session() as s:
        items = s.execute(
            select(InstroomItem).where(InstroomItem.status == "in behandeling",
                                       InstroomItem.vh_status == "onbekend")
        ).scalars()  # fmt: skip
        item = next(
            i for i in items
            if int(i.geboortedatum[8:]) <= 12 and i.geboortedatum[5:7] != i.geboortedatum[8:]
            and i.geboortedatum < "2005"
        )  # fmt: skip
        y, m, d = item.geboortedatum.split("-")
        item_id = item.id
        record = {
            "vh_code": "VH-UTR", "persoon_id": "UTR-TEST-1", "achternaam": item.achternaam,
            "voorvoegsel": item.voorvoegsel, "voornamen": item.voornamen,
            "geboortedatum": f"{y}-{d}-{m}", "bsn": "", "geboorteplaats": "",
            "gemeente": item.gemeente, "slagzin": "Testslagzin: eerst de regievoerder bellen.",
            "advies_datum": "2026-10-01", "actief": "ja",
        }  # fmt: skip
        registers.import_raw(s, RawFile(records=[record], kind="json"), actor=DESK,
                             snapshot=False, source="test")  # fmt: skip
        s.flush()
        assert s.get(InstroomItem, item_id).vh_status == "mogelijk"
    win = open_window()
    row = win.model.row_at(win.model.row_of_id(item_id))
    assert row is not None and row.vh_status == "mogelijk" and not row.slagzin
    text = select_item(qtbot, win, item_id, wait_for=UNCONFIRMED_TITLE)
    assert "Testslagzin" not in text
    assert win.review_btn.isEnabled()

    shown: list[ReviewDialog] = []

    def confirm(dlg: ReviewDialog) -> int:
        shown.append(dlg)
        dlg.confirmed = True
        return 1

    monkeypatch.setattr(ReviewDialog, "exec", confirm)
    win.review_current()
    qtbot.waitUntil(lambda: "Testslagzin" in win.detail.toPlainText())
    qtbot.waitUntil(lambda: _idle(win))
    assert len(shown) == 1
    assert "Advies van" in win.detail.toPlainText()
    with ctx.db.session() as s:
        match = s.execute(select(Match).where(Match.item_id == item_id)).scalar_one()
        assert (match.review, match.reviewed_by) == ("bevestigd", DESK)
    confirmed = audit_lines(ctx, audit.HIT_CONFIRM, item_id)
    assert [e.account for e in confirmed] == [DESK]
    assert audit_lines(ctx, audit.VIEW_VH, item_id)
    row = win.model.row_at(win.model.row_of_id(item_id))
    assert row is not None and row.vh_status == "bekend" and row.slagzin.startswith("Testslagzin")
    assert win.selected_ids() == [item_id]
    assert not win.review_btn.isEnabled()


def test_review_cancelled_changes_nothing(qtbot, open_window, ctx: AppContext,  # type: ignore[no-untyped-def]
                                          monkeypatch) -> None:  # fmt: skip
    win = open_window()
    row = known_adult_in_treatment(win)
    with ctx.db.session() as s:
        match = s.execute(select(Match).where(Match.item_id == row.id)).scalars().first()
        match.status, match.review = "mogelijk", None
        s.get(InstroomItem, row.id).vh_status = "mogelijk"
    win.reload()
    qtbot.waitUntil(lambda: win.model.row_at(win.model.row_of_id(row.id)).vh_status == "mogelijk")  # type: ignore[union-attr]
    select_item(qtbot, win, row.id, wait_for=UNCONFIRMED_TITLE)
    monkeypatch.setattr(ReviewDialog, "exec", lambda dlg: 0)
    win.review_current()
    qtbot.waitUntil(lambda: _idle(win))
    assert audit_lines(ctx, audit.HIT_CONFIRM) == audit_lines(ctx, audit.HIT_REJECT) == []


# --- keyboard ---------------------------------------------------------------------


def test_ctrl_f_and_escape(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]
    win = open_window(show=True)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.table.setFocus()
    qtbot.waitUntil(lambda: win.table.hasFocus())
    before = win.model.rowCount()
    qtbot.keyClick(win.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.search.hasFocus())
    qtbot.keyClicks(win.search, "zzzq")
    assert win.model.rowCount() == 0
    qtbot.keyClick(win.search, Qt.Key.Key_Escape)
    assert win.search.text() == ""
    assert win.model.rowCount() == before
    assert win.table.hasFocus()


# --- window state -----------------------------------------------------------------


def test_window_state_is_restored(qtbot, open_window, settings_dir: Path) -> None:  # type: ignore[no-untyped-def]
    first = open_window(show=True)
    first.resize(760, 520)
    qtbot.waitUntil(lambda: first.width() == 760)
    first.splitter.setSizes([280, 476])
    first.table.setColumnWidth(2, 321)
    sizes = first.splitter.sizes()
    assert abs(sizes[0] - 280) <= 8  # not the default 950:550 split
    close_window(qtbot, first)
    assert list(settings_dir.rglob("*.conf")), "settings must go to the temporary directory"

    second = open_window(show=True)
    assert (second.width(), second.height()) == (760, 520)
    assert second.splitter.sizes() == sizes
    assert second.table.columnWidth(2) == 321
