"""Issue 13 (at the table), the windows: review dialog, decision dialog, queue, prints.

Real widgets offscreen (pytest-qt), a real demo database for the window tests.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton

from tests.smtp_server import SmtpTestServer
from tests.ui.test_ui_main_window import (  # noqa: F401  (fixtures)
    _idle,
    audit_lines,
    ctx,
    demo_file,
    open_window,
    select_item,
)
from tests.ui.test_ui_queue import NOW, make_row
from zsm_desk.domain.records import Identity
from zsm_desk.services.decisions.decisions_service import DecisionContext, DecisionInput
from zsm_desk.services.registers.known_clients import HitView
from zsm_desk.services.storage import audit
from zsm_desk.ui.decision_dialog import DecisionDialog
from zsm_desk.ui.queue_model import COL_REMAINING, COL_STATUS, QueueModel
from zsm_desk.ui.review_dialog import ReviewDialog

pytestmark = pytest.mark.gui


# --- §1 review dialog: Enter never confirms ---------------------------------------------


def _hit() -> HitView:
    a = Identity("Jansen", "Kees", "1990-03-14", bsn="111222333", gemeente="Utrecht")
    b = Identity("Janssen", "Kees", "1990-03-14", gemeente="Utrecht")
    return HitView(1, "VH-UTR", "P1", "mogelijk", 0.8, "naam lijkt", ["achternaam lijkt"],
                   None, a, b)  # fmt: skip


def test_review_dialog_has_no_default_and_enter_does_not_confirm(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = ReviewDialog(_hit(), "Veiligheidshuis Regio Utrecht")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    buttons = dlg.findChildren(QPushButton)
    assert buttons
    assert not any(b.isDefault() or b.autoDefault() for b in buttons)
    for target in (dlg, dlg.focusWidget()):
        qtbot.keyClick(target, Qt.Key.Key_Return)
        qtbot.keyClick(target, Qt.Key.Key_Enter)
    assert dlg.isVisible() and dlg.confirmed is None
    dlg.confirm_btn.setFocus()  # even a focused button does not take Enter
    qtbot.keyClick(dlg.confirm_btn, Qt.Key.Key_Return)
    assert dlg.isVisible() and dlg.confirmed is None
    qtbot.mouseClick(dlg.confirm_btn, Qt.MouseButton.LeftButton)  # the deliberate act
    assert dlg.confirmed is True and not dlg.isVisible()


# --- §5 decision dialog keeps input ----------------------------------------------------


def _ctx(heeft_advies: bool = True) -> DecisionContext:
    codes = [("dagvaarden", "Dagvaarden", True, "nee"), ("sepot", "Sepot", True, "verplicht")]
    return DecisionContext(item_id=1, naam="Kees Jansen", bvh_nummer="PL0900-2026000001",
                           minderjarig=False, heeft_advies=heeft_advies, beslissingen=codes,
                           kpc_namens=False, account="officier1")  # fmt: skip


def test_advies_gevolgd_has_no_default_when_there_is_an_advice(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = DecisionDialog(_ctx())
    qtbot.addWidget(dlg)
    assert dlg.advies.currentData() is None
    dlg.beslissing.setCurrentIndex(dlg.beslissing.findData("dagvaarden"))
    dlg._accept()
    assert dlg.result_input is None
    assert "advies" in dlg.field_errors["advies"].text().lower()
    assert dlg.field_errors["advies"].isVisibleTo(dlg)
    without = DecisionDialog(_ctx(heeft_advies=False))
    qtbot.addWidget(without)
    assert without.advies.currentData() == "geen advies"


def test_motivering_placeholder_says_verplicht_for_nee_and_deels(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = DecisionDialog(_ctx())
    qtbot.addWidget(dlg)
    for choice, needed in (("ja", False), ("nee", True), ("deels", True), ("geen advies", False)):
        dlg.advies.setCurrentIndex(dlg.advies.findData(choice))
        assert ("verplicht" in dlg.motivering.placeholderText()) is needed, choice


def test_refused_input_comes_back_with_the_error_beside_the_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    previous = DecisionInput(beslissing="dagvaarden", advies_gevolgd="nee", motivering="kort",
                             voorwaarden="contactverbod", toelichting="zie PvA",
                             onderzoek_gepland=True, besloten_door="mr. Officier")  # fmt: skip
    dlg = DecisionDialog(_ctx(), previous=previous)
    qtbot.addWidget(dlg)
    dlg.set_errors(["De motivering is te kort: geef een inhoudelijke motivering."])
    assert dlg.beslissing.currentData() == "dagvaarden"
    assert dlg.advies.currentData() == "nee"
    assert dlg.motivering.toPlainText() == "kort"
    assert dlg.voorwaarden.toPlainText() == "contactverbod"
    assert dlg.toelichting.text() == "zie PvA" and dlg.onderzoek.isChecked()
    assert dlg.besloten_door.text() == "mr. Officier"
    assert "te kort" in dlg.field_errors["motivering"].text()
    assert dlg.errors.text() == ""  # beside the field, not in a list at the bottom


def test_window_reopens_a_refused_decision_with_the_input(qtbot, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from zsm_desk.ui import decision_dialog

    win = open_window()
    win.model.set_filter(statuses=None, undecided=False)
    row = next(r for r in (win.model.row_at(i) for i in range(win.model.rowCount()))
               if r and r.vh_status == "bekend" and not r.minderjarig and not r.beslist)  # fmt: skip
    select_item(qtbot, win, row.id)
    seen: list[DecisionDialog] = []

    def exec_(dlg: DecisionDialog) -> int:
        seen.append(dlg)
        if len(seen) == 1:
            dlg.beslissing.setCurrentIndex(dlg.beslissing.findData("dagvaarden"))
            dlg.advies.setCurrentIndex(dlg.advies.findData("nee"))
            dlg.toelichting.setText("graag contact")
            dlg._accept()
            return 1
        return 0

    monkeypatch.setattr(decision_dialog.DecisionDialog, "exec", exec_)
    win.decide_current()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    again = seen[1]
    assert again.beslissing.currentData() == "dagvaarden"
    assert again.advies.currentData() == "nee"
    assert again.toelichting.text() == "graag contact"
    assert "otivering" in again.field_errors["motivering"].text()
    qtbot.waitUntil(lambda: _idle(win))


# --- §7 decided cases look decided -------------------------------------------------------


def test_decided_case_shows_besloten_and_leaves_open_zaken(qtbot) -> None:  # type: ignore[no-untyped-def]
    late = NOW - dt.timedelta(hours=2)
    rows = [
        make_row(1, deadline=late, status="in behandeling", beslist=True, besluit="Dagvaarden"),
        make_row(2, deadline=NOW + dt.timedelta(hours=3), status="in behandeling"),
        make_row(3, deadline=NOW + dt.timedelta(minutes=20), status="in behandeling"),
    ]
    # what the queue service gives a decided case: no deadline
    rows[0] = rows[0]._replace(deadline=None)
    m = QueueModel()
    m.set_rows(rows, NOW)
    r0 = m.row_of_id(1)
    assert m.index(r0, COL_REMAINING).data() == "besloten"
    assert m.index(r0, COL_STATUS).data() == "besloten: Dagvaarden"
    m.tick(NOW + dt.timedelta(hours=5))  # the countdown stays stopped
    assert m.index(m.row_of_id(1), COL_REMAINING).data() == "besloten"
    # default sort: time left, most urgent first
    assert [m.row_at(i).id for i in range(3)] == [3, 2, 1]  # type: ignore[union-attr]
    m.set_filter(statuses=frozenset({"in behandeling"}), undecided=True)  # "Open zaken"
    assert sorted(m.row_at(i).id for i in range(m.rowCount())) == [2, 3]  # type: ignore[union-attr]


def test_window_open_zaken_hides_decided_and_sorts_by_time_left(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win = open_window()
    assert win.status_filter.currentIndex() == 0
    shown = [win.model.row_at(i) for i in range(win.model.rowCount())]
    assert shown and not any(r.beslist for r in shown if r)
    assert win.model.sort_state == (COL_REMAINING, Qt.SortOrder.AscendingOrder)
    from zsm_desk.domain.access import Role
    from zsm_desk.services.decisions import decisions_service as ds

    target = next(r for r in shown if r and r.vh_status == "bekend" and not r.minderjarig)
    with win.ctx.db.session() as s:
        ds.record_decision(s, target.id, DecisionInput(beslissing="dagvaarden",
                           advies_gevolgd="ja", besloten_door="mr. Officier"),
                           account=win.ctx.account, roles=frozenset(Role))  # fmt: skip
    win.reload()
    qtbot.waitUntil(lambda: win.model.row_of_id(target.id) < 0)  # left "Open zaken"
    win.status_filter.setCurrentIndex(1)  # Alle zaken
    decided = [r for r in (win.model.row_at(i) for i in range(win.model.rowCount()))
               if r and r.beslist]  # fmt: skip
    assert decided and all(r.deadline is None for r in decided)
    i = win.model.row_of_id(decided[0].id)
    assert win.model.index(i, COL_STATUS).data().startswith("besloten: ")


# --- §9 prints -------------------------------------------------------------------------


def test_preview_is_audited_as_view_and_print_as_print(
    qtbot,
    open_window,  # noqa: F811
    tmp_path,
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    from zsm_desk.ui import print_preview

    win = open_window()
    win.status_filter.setCurrentIndex(1)
    row = next(r for r in (win.model.row_at(i) for i in range(win.model.rowCount()))
               if r and r.vh_status == "bekend")  # fmt: skip
    select_item(qtbot, win, row.id)
    before_print = len(audit_lines(win.ctx, audit.PRINT, row.id))
    before_view = len(audit_lines(win.ctx, audit.VIEW_VH, row.id))
    out = tmp_path / "afdruk.pdf"
    shown: list[print_preview.PrintPreviewDialog] = []

    def exec_(dlg: print_preview.PrintPreviewDialog) -> int:
        shown.append(dlg)
        qtbot.waitUntil(lambda: _idle(win))
        assert len(audit_lines(win.ctx, audit.PRINT, row.id)) == before_print  # only a look
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dlg.print_to(printer)  # the real print
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", exec_)
    win.print_current()
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    qtbot.waitUntil(lambda: _idle(win))
    assert len(audit_lines(win.ctx, audit.VIEW_VH, row.id)) > before_view
    assert len(audit_lines(win.ctx, audit.PRINT, row.id)) == before_print + 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # a PDF from the print dialog too


def test_save_as_pdf_defaults_to_a_folder_that_exists(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QStandardPaths

    from zsm_desk.ui.print_preview import PrintPreviewDialog

    monkeypatch.setattr(QStandardPaths, "writableLocation",
                        lambda _loc: str(tmp_path / "bestaat-niet" / "Documenten"))  # fmt: skip
    monkeypatch.setenv("HOME", str(tmp_path))
    from tests.ui.test_ui_print_preview import make_pdf

    dlg = PrintPreviewDialog(make_pdf(1), title="Plan", suggested_name="plan.pdf")
    qtbot.addWidget(dlg)
    folder = Path(dlg._default_save_path()).parent
    assert folder.is_dir()


@pytest.fixture
def _unused(tmp_path: Path) -> Path:
    return tmp_path


def test_status_line_stamp_is_amsterdam_time() -> None:
    import time

    from zsm_desk.ui.main_window import status_stamp

    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        assert status_stamp(dt.datetime(2026, 11, 22, 14, 50, tzinfo=dt.UTC)) == "15:50"
        assert status_stamp(dt.datetime(2026, 7, 1, 13, 50, tzinfo=dt.UTC)) == "15:50"
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_getoond_follows_the_filter_at_once(qtbot, open_window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    win = open_window()
    win.status_filter.setCurrentIndex(1)
    total = win.model.rowCount()
    assert f"{total} getoond" in win.status_counts.text()
    win.search.setText("zzz-niemand")
    assert win.model.rowCount() == 0
    assert "· 0 getoond ·" in win.status_counts.text()


# --- outbox view -------------------------------------------------------------------------


def test_outbox_state_text_for_a_digest_member() -> None:
    from zsm_desk.ui.outbox_view import state_text, unsecured_question

    row = {"state": "klaar", "deliver_after": "2026-11-22T15:00:00+00:00", "sent_at": None}
    assert state_text(row) == "wacht op dagoverzicht 16:00"
    assert state_text({"state": "mislukt"}) == "mislukt"
    assert "geen beveiligde mail" in unsecured_question(["Veiligheidshuis Flevoland"])


def test_outbox_view_refreshes_itself_and_shows_another_desks_failure(qtbot, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from tests.helpers.stubs import desk_for
    from tests.test_decide import ADULT_KNOWN, decide, setup_case
    from tests.ui.test_ui_outbox import _sync
    from zsm_desk.app_context import open_app
    from zsm_desk.services.storage.models import OutboxMessage
    from zsm_desk.ui import outbox_view

    app = open_app(sqlite_url)
    setup_case(app)
    decide(app, ADULT_KNOWN, advies_gevolgd="ja")
    run = _sync()
    dlg = outbox_view.OutboxDialog(desk_for(app), run, run, app.roles())
    qtbot.addWidget(dlg)
    assert dlg.timer.isActive() and dlg.timer.interval() <= 10_000
    texts = [dlg.model.index(r, 3).data() for r in range(dlg.model.rowCount())]
    assert any(t.startswith("wacht op dagoverzicht ") for t in texts), texts
    col_vh = next(c for c, (_t, k) in enumerate(outbox_view.COLUMNS) if k == "vh_code")
    assert "Veiligheidshuis Regio Utrecht" in str(
        [dlg.model.index(r, col_vh).data() for r in range(dlg.model.rowCount())]
    )
    with app.db.session() as s:  # another desk's send failed
        s.execute(update(OutboxMessage).where(OutboxMessage.vh_code == "VH-UTR")
                  .values(state="mislukt", last_error="550 geweigerd"))  # fmt: skip
    dlg.timer.timeout.emit()
    assert "mislukt" in [dlg.model.index(r, 3).data() for r in range(dlg.model.rowCount())]
    assert "1 mislukt" in dlg.summary.text()
    app.db.dispose()


def test_send_for_a_digest_vh_says_it_waits(sqlite_url) -> None:  # type: ignore[no-untyped-def]
    from tests.test_decide import ADULT_GV_2, decide, setup_case
    from zsm_desk.app_context import open_app
    from zsm_desk.services.mail import outbox

    app = open_app(sqlite_url)
    setup_case(app)
    out = decide(app, ADULT_GV_2, advies_gevolgd="ja",
                 now=dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC))  # fmt: skip
    with SmtpTestServer() as srv:
        report = outbox.send_due(app.db, account=app.account, manual=True, smtp=srv.settings(),
                                 ids=[out.messages[0].outbox_id],
                                 now=dt.datetime(2026, 11, 22, 10, 5, tzinfo=dt.UTC))  # fmt: skip
    text = report.summary()
    assert "wacht(en) op het dagoverzicht van 16:00" in text and "VH-GV" in text
    app.db.dispose()


# --- print in one action -------------------------------------------------------------------


def test_ctrl_p_prints_to_the_last_printer_in_one_action(
    qtbot,  # type: ignore[no-untyped-def]
    open_window,  # noqa: F811
    tmp_path,
    monkeypatch,
) -> None:
    from PySide6.QtGui import QPageSize

    from zsm_desk.ui import quick_print

    out = tmp_path / "printer.pdf"
    used: list[QPrinter] = []

    class FilePrinter(QPrinter):
        def setPrinterName(self, name: str) -> None:
            self.chosen = name

    def make() -> QPrinter:
        p = FilePrinter(QPrinter.PrinterMode.HighResolution)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(out))
        p.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))  # the printer's own default
        used.append(p)
        return p

    asked: list[bool] = []
    monkeypatch.setattr(quick_print, "make_printer", make)
    monkeypatch.setattr(quick_print, "available_printers", lambda: ["Balie-printer"])
    monkeypatch.setattr(quick_print, "_choose", lambda *a: asked.append(True) or True)
    quick_print.remember_printer("Balie-printer")

    win = open_window()
    win.status_filter.setCurrentIndex(1)
    row = next(r for r in (win.model.row_at(i) for i in range(win.model.rowCount()))
               if r and r.vh_status == "bekend")  # fmt: skip
    select_item(qtbot, win, row.id)
    views = len(audit_lines(win.ctx, audit.VIEW_VH, row.id))
    prints = len(audit_lines(win.ctx, audit.PRINT, row.id))
    win.print_direct()  # Ctrl+P
    qtbot.waitUntil(lambda: len(audit_lines(win.ctx, audit.PRINT, row.id)) > prints, timeout=15_000)
    qtbot.waitUntil(lambda: _idle(win))
    assert not asked  # no dialog: the last printer
    assert getattr(used[0], "chosen", "") == "Balie-printer"
    assert used[0].pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert out.stat().st_size > 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(audit_lines(win.ctx, audit.VIEW_VH, row.id)) == views  # not a preview
    win.print_direct(True)  # Ctrl+Shift+P: the dialog
    qtbot.waitUntil(lambda: bool(asked), timeout=15_000)
    qtbot.waitUntil(lambda: _idle(win))


# --- §6 correction from the window ---------------------------------------------------------


def test_window_corrects_a_decision_with_a_reason(qtbot, open_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from sqlalchemy import select

    from zsm_desk.domain.access import Role
    from zsm_desk.services.decisions import decisions_service as ds
    from zsm_desk.services.storage.models import AuditEntry, Decision
    from zsm_desk.ui import decision_dialog

    win = open_window()
    win.status_filter.setCurrentIndex(1)
    row = next(r for r in (win.model.row_at(i) for i in range(win.model.rowCount()))
               if r and r.vh_status == "bekend" and not r.minderjarig and not r.beslist)  # fmt: skip
    with win.ctx.db.session() as s:
        ds.record_decision(s, row.id, DecisionInput(beslissing="dagvaarden", advies_gevolgd="ja"),
                           account=win.ctx.account, roles=frozenset(Role))  # fmt: skip
    select_item(qtbot, win, row.id)
    seen: list[DecisionDialog] = []

    def exec_(dlg: DecisionDialog) -> int:
        seen.append(dlg)
        assert dlg.correctie and "corrigeren" in dlg.windowTitle()
        if not seen[1:]:  # it starts from the recorded decision
            assert dlg.beslissing.currentData() == "dagvaarden"
        dlg.beslissing.setCurrentIndex(dlg.beslissing.findData("strafbeschikking"))
        dlg.advies.setCurrentIndex(dlg.advies.findData("ja"))
        if len(seen) == 1:
            dlg._accept()  # without a reason: stays open
            assert dlg.result_input is None and "reden" in dlg.field_errors["reden"].text()
            dlg.reden.setText("Verkeerde beslissing gekozen")
        dlg._accept()
        return 1

    monkeypatch.setattr(decision_dialog.DecisionDialog, "exec", exec_)
    monkeypatch.setattr(decision_dialog.FeedbackDialog, "exec", lambda dlg: 0)
    win.decide_current(True)  # Ctrl+Shift+B
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    qtbot.waitUntil(lambda: _idle(win))

    def corrected() -> bool:
        with win.ctx.db.session() as s:
            d = s.execute(select(Decision).where(Decision.item_id == row.id)).scalar_one()
            return d.beslissing == "strafbeschikking"

    qtbot.waitUntil(corrected, timeout=10_000)
    with win.ctx.db.session() as s:
        entry = s.execute(select(AuditEntry).where(
            AuditEntry.purpose == "beslissing gecorrigeerd")).scalar_one()  # fmt: skip
        assert entry.detail["reden"] == "Verkeerde beslissing gekozen"


def test_day_pack_from_the_window_is_the_whole_day_and_says_so(
    qtbot,  # type: ignore[no-untyped-def]
    open_window,  # noqa: F811
    tmp_path,
    monkeypatch,
) -> None:
    from tests.test_printing import HAVE_PDFTOTEXT, flat, pdf_text
    from zsm_desk.ui import print_preview

    if not HAVE_PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    win = open_window()
    known = sum(1 for r in win.model._all if r.vh_status in ("bekend", "mogelijk"))
    win.search.setText("zzz-niemand")  # the screen shows nobody
    assert win.model.rowCount() == 0
    got: list[tuple[bytes, str]] = []

    def exec_(dlg: print_preview.PrintPreviewDialog) -> int:
        got.append((dlg._data, dlg.windowTitle()))
        return 0

    monkeypatch.setattr(print_preview.PrintPreviewDialog, "exec", exec_)
    win.print_day_pack()
    qtbot.waitUntil(lambda: bool(got), timeout=20_000)
    qtbot.waitUntil(lambda: _idle(win))
    pdf, title = got[0]
    assert "hele dag" in title
    cover = flat(pdf_text(pdf, tmp_path, 1))
    assert f"{known} verdachten" in cover
    assert "Het filter in het scherm geldt niet voor dit dagpakket." in cover
