"""Adviesvragen and screening in the window (issue 6): the three dialogs and the wiring.

The dialogs run on a copy of the demo database (SQLite, seed 1) with a
synchronous fake `run_in_worker` and a fixed clock; the main-window tests use
the real window and its worker thread, like tests/test_ui_main_window.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt, QUrl
from PySide6.QtGui import QColor
from sqlalchemy import select

from tests.helpers.stubs import SyncRunner, desk_for
from tests.ui.helpers import build_demo_file, demo_copy
from zsm_desk.app_context import AppContext
from zsm_desk.desk import Desk
from zsm_desk.domain import adviesvraag as av
from zsm_desk.domain.access import Role
from zsm_desk.domain.deadlines import OfficeHours, compute_deadline
from zsm_desk.domain.freshness import Freshness, freshness
from zsm_desk.services.adviesvragen import adviesvragen as svc
from zsm_desk.services.adviesvragen import screening_service
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.services.mail import outbox
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.models import InstroomItem, Match, OutboxMessage, RegisterMarking
from zsm_desk.services.storage.models_adviesvraag import AdviesvraagMeta
from zsm_desk.ui import adviesvraag_dialog as ui
from zsm_desk.ui import theme
from zsm_desk.ui.adviesvraag_dialog import (
    COL_RESTEREND,
    COL_STATUS,
    COL_TERMIJN,
    COLUMNS,
    SORT_ROLE,
    AdviesvragenDialog,
    AdviesvragenModel,
    AntwoordDialog,
    NewAdviesvraagDialog,
    ScreeningDialog,
    ZonderAdviesDialog,
)
from zsm_desk.ui.main_window import MainWindow
from zsm_desk.ui.theme import State
from zsm_desk.ui.worker import emit

pytestmark = pytest.mark.gui

DAY_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ)
DESK = "kpc-test"  # installs the demo: every role
ALL = frozenset(Role)
PS = frozenset({Role.PARKETSECRETARIS})
# Friday afternoon: the working-day presets cross a weekend.
NOW = dt.datetime(2026, 11, 20, 14, 0, tzinfo=TZ)


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory, DESK, DAY_END)


@pytest.fixture
def ctx(demo_file: Path, tmp_path: Path) -> Iterator[AppContext]:
    yield from demo_copy(demo_file, tmp_path, DESK)


@pytest.fixture
def run(ctx: AppContext) -> SyncRunner:
    return SyncRunner(desk_for(ctx, DESK))


# --- helpers ----------------------------------------------------------------------------


def known_item(ctx: AppContext) -> tuple[int, str]:
    """An adult in treatment known at a VH: (item id, that VH's code)."""
    with ctx.db.session() as s:
        rows = s.execute(
            select(InstroomItem.id, RegisterMarking.vh_code)
            .join(Match, Match.item_id == InstroomItem.id)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(InstroomItem.status == "in behandeling", Match.status == "bekend",
                   InstroomItem.geboortedatum < "2005")
            .order_by(InstroomItem.id)
        ).all()  # fmt: skip
    return rows[0][0], rows[0][1]


def unknown_item(ctx: AppContext, gemeente: str = "Utrecht") -> int:
    with ctx.db.session() as s:
        return s.execute(
            select(InstroomItem.id)
            .where(InstroomItem.vh_status == "onbekend", InstroomItem.gemeente == gemeente)
            .order_by(InstroomItem.id)
        ).scalars().first()  # fmt: skip


def office_hours(ctx: AppContext, code: str) -> OfficeHours:
    with ctx.db.session() as s:
        return svc.office_hours(load_settings(s).vh(code))


def ask(ctx: AppContext, item_id: int, vh: str, *, termijn: str = "24-uur",
        per: dt.datetime = NOW, vraag: str = "Welke afdoening adviseert u?") -> svc.AdviesvraagView:  # fmt: skip
    with ctx.db.session() as s:
        return svc.nieuw(s, item_id=item_id, vh_code=vh, vraag=vraag, termijn=termijn,
                         account=DESK, roles=ALL, per=per, now=per)  # fmt: skip


def mark_outbox(ctx: AppContext, view: svc.AdviesvraagView, state: str, *,
                sent_at: dt.datetime | None = None, error: str = "") -> None:  # fmt: skip
    with ctx.db.session() as s:
        row = s.get(OutboxMessage, view.outbox_id)
        row.state, row.sent_at, row.last_error = state, sent_at, error


def new_dialog(qtbot, run: SyncRunner, item_id: int, *, roles=ALL,  # type: ignore[no-untyped-def]
               vh_code: str | None = None) -> NewAdviesvraagDialog:  # fmt: skip
    preps: list[ui.VraagVoorbereiding] = []
    d = run.desk
    run(lambda: d.adviesvraag_voorbereiden(item_id, vh_code=vh_code, now=NOW), preps.append)
    assert preps, run.errors
    dlg = NewAdviesvraagDialog(preps[0], run, d, roles, clock=lambda: NOW)
    qtbot.addWidget(dlg)
    return dlg


def list_dialog(qtbot, run: SyncRunner, clock: dt.datetime, roles=ALL) -> AdviesvragenDialog:  # type: ignore[no-untyped-def]
    dlg = AdviesvragenDialog(run, run.desk, roles, clock=lambda: clock)
    qtbot.addWidget(dlg)
    return dlg


def row_of(dlg: AdviesvragenDialog, vraag_id: int) -> int:
    r = dlg.model.row_of_id(vraag_id)
    assert r >= 0
    return r


def cell(
    dlg: AdviesvragenDialog, vraag_id: int, col: int, role: int = Qt.ItemDataRole.DisplayRole
) -> Any:
    return dlg.model.index(row_of(dlg, vraag_id), col).data(role)


# --- a new question ---------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["volgende-werkdag-13", "5-werkdagen", "24-uur", "7-dagen"])
def test_new_question_stored_with_the_preset_deadline(qtbot, ctx, run, preset: str) -> None:  # type: ignore[no-untyped-def]
    item_id, vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id)
    # The suspect's VH comes first, marked, with its office hours beside it.
    assert dlg.vh_code() == vh
    assert "bekend" in dlg.vh_combo.currentText()
    assert "Bereikbaar" in dlg.vh_info.text() and "(niet op feestdagen)" in dlg.vh_info.text()
    assert dlg.vh_combo.count() == 4
    assert "BVH-nummer" in dlg.schets.toPlainText() and dlg.schets.isReadOnly()
    dlg.kies_termijn(preset)
    want = compute_deadline(preset, NOW, office_hours=office_hours(ctx, vh))
    assert f"{want.astimezone(TZ):%d-%m-%Y %H:%M}" in dlg.deadline_label.text()
    qtbot.keyClicks(dlg.vraag_edit, "Is het plan van aanpak nog actueel?")
    qtbot.mouseClick(dlg.concept_btn, Qt.MouseButton.LeftButton)
    assert dlg.result() == 1, run.errors
    v = dlg.result_view
    assert v is not None and v.status is av.AdviesvraagState.CONCEPT
    assert v.deadline == want and v.termijn == preset and v.vh_code == vh
    with ctx.db.session() as s:
        stored = svc.get(s, v.id, roles=ALL, now=NOW)
    assert stored.deadline == want and stored.vraag == "Is het plan van aanpak nog actueel?"
    assert stored.gesteld_op == NOW and stored.outbox_id is None


def test_friday_afternoon_next_working_day_is_monday_13(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id, _vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id)
    dlg.set_vh("VH-UTR")
    dlg.kies_termijn("volgende-werkdag-13")
    assert dlg.deadline_label.text().startswith("Termijn tot maandag 23-11-2026 13:00")


def test_send_with_ctrl_enter_queues_the_mail(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id, _vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id)
    dlg.set_vh("VH-UTR")
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    dlg.vraag_edit.setFocus()
    qtbot.keyClicks(dlg.vraag_edit, "Welke afdoening adviseert u?")
    qtbot.keyClick(dlg.vraag_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dlg.result_view is not None)
    v = dlg.result_view
    assert v is not None and v.status is av.AdviesvraagState.WACHT and v.outbox_id is not None
    assert not v.stand.loopt and v.stand.tekst == av.NIET_GESTART
    assert dlg.vraag_edit.toPlainText() == "Welke afdoening adviseert u?"  # no stray newline


def test_validation_and_service_errors_stay_in_the_dialog(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id, _vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id, roles=frozenset({Role.BEHEERDER}))
    dlg.show()
    qtbot.mouseClick(dlg.send_btn, Qt.MouseButton.LeftButton)
    assert dlg.message.isVisible() and "concrete vraag" in dlg.message.text()
    assert run.errors == []  # refused before the service
    # A custom deadline before the question is refused live.
    dlg.kies_termijn(ui.EIGEN)
    dlg.set_eigen_termijn(dt.datetime(2026, 11, 19, 9, 0))
    assert dlg.eigen_radio.isChecked()
    assert "ligt niet na het vraagmoment" in dlg.deadline_label.text()
    dlg.set_eigen_termijn(dt.datetime(2026, 11, 25, 12, 0))
    assert dlg.deadline_label.text().startswith("Termijn tot woensdag 25-11-2026 12:00")
    # The service refuses a role without the right; the input stays.
    qtbot.keyClicks(dlg.vraag_edit, "Mijn vraag")
    qtbot.mouseClick(dlg.send_btn, Qt.MouseButton.LeftButton)
    assert dlg.result() == 0 and dlg.isVisible()
    assert dlg.message.isVisible() and run.errors
    assert dlg.message.text() == ui._zin(run.errors[0])
    assert dlg.vraag_edit.toPlainText() == "Mijn vraag" and dlg.termijn() == "2026-11-25T12:00"
    assert dlg.send_btn.isEnabled()
    with ctx.db.session() as s:
        assert svc.lijst(s, account=DESK, roles=ALL, now=NOW) == []


def test_custom_deadline_stored_as_local_time(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id, _vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id)
    dlg.set_eigen_termijn(dt.datetime(2026, 11, 24, 10, 30))
    qtbot.keyClicks(dlg.vraag_edit, "Vraag")
    dlg.submit(verzenden=False)
    assert dlg.result_view is not None
    assert dlg.result_view.deadline == dt.datetime(2026, 11, 24, 10, 30, tzinfo=TZ)


# --- the list ---------------------------------------------------------------------------


def three_questions(ctx: AppContext) -> dict[str, svc.AdviesvraagView]:
    """Overdue (sent), almost due (sent), failed mail."""
    item_id, vh = known_item(ctx)
    other = unknown_item(ctx)
    late = ask(ctx, item_id, vh, termijn="24-uur", per=NOW - dt.timedelta(days=2))
    mark_outbox(ctx, late, outbox.VERZONDEN, sent_at=NOW - dt.timedelta(days=2))
    soon = ask(ctx, other, "VH-UTR", termijn="24-uur", per=NOW - dt.timedelta(hours=23, minutes=30))
    mark_outbox(ctx, soon, outbox.VERZONDEN, sent_at=NOW - dt.timedelta(hours=23, minutes=30))
    failed = ask(ctx, other, "VH-GV", termijn="volgende-werkdag-13", per=NOW)
    mark_outbox(ctx, failed, outbox.MISLUKT, error="550 5.1.1 mailbox onbekend")
    return {"late": late, "soon": soon, "failed": failed}


def test_list_shows_overdue_red_almost_amber_and_failed_mail(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    assert dlg.model.rowCount() == 3
    # Overdue: red, bold, first in the urgency order.
    late = q["late"].id
    assert dlg.model.view_at(0).id == late  # type: ignore[union-attr]
    assert cell(dlg, late, COL_RESTEREND).endswith("te laat")
    assert QColor(cell(dlg, late, COL_RESTEREND, Qt.ItemDataRole.ForegroundRole)) == theme.fg(
        State.LATE
    )
    assert cell(dlg, late, COL_RESTEREND, Qt.ItemDataRole.FontRole).bold()
    # Under an hour left: amber.
    soon = q["soon"].id
    assert cell(dlg, soon, COL_RESTEREND) == "nog 30 min"
    assert QColor(cell(dlg, soon, COL_RESTEREND, Qt.ItemDataRole.ForegroundRole)) == theme.fg(
        State.SOON
    )
    # Failed mail: red status, no running term, provisional deadline, the error as tip.
    failed = q["failed"].id
    assert cell(dlg, failed, COL_STATUS) == "verzending mislukt"
    assert QColor(cell(dlg, failed, COL_STATUS, Qt.ItemDataRole.ForegroundRole)) == theme.fg(
        State.LATE
    )
    assert cell(dlg, failed, COL_RESTEREND) == "termijn loopt nog niet"
    assert cell(dlg, failed, COL_RESTEREND, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(dlg, failed, COL_TERMIJN).endswith("(voorlopig)")
    assert "550 5.1.1" in cell(dlg, failed, COL_STATUS, Qt.ItemDataRole.ToolTipRole)
    text = dlg.summary.text()
    assert "1 over de termijn" in text and "1 bijna verlopen" in text
    assert "1 verzending mislukt" in text
    dlg.select_id(failed)
    assert "550 5.1.1" in dlg.detail.toPlainText()
    assert dlg.send_btn.isEnabled() and dlg.send_btn.text() == "&Opnieuw verzenden"


def test_tick_updates_the_countdown(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    clock = [NOW]
    dlg = AdviesvragenDialog(run, run.desk, ALL, clock=lambda: clock[0], tick_ms=20)
    qtbot.addWidget(dlg)
    soon = q["soon"].id
    assert cell(dlg, soon, COL_RESTEREND) == "nog 30 min"
    clock[0] = NOW + dt.timedelta(minutes=31)
    qtbot.waitUntil(lambda: cell(dlg, soon, COL_RESTEREND) == "1 min te laat")
    assert QColor(cell(dlg, soon, COL_RESTEREND, Qt.ItemDataRole.ForegroundRole)) == theme.fg(
        State.LATE
    )
    assert "2 over de termijn" in dlg.summary.text()


def test_resend_a_failed_mail(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    dlg.select_id(q["failed"].id)
    qtbot.mouseClick(dlg.send_btn, Qt.MouseButton.LeftButton)
    assert run.errors == []
    assert cell(dlg, q["failed"].id, COL_STATUS) == "wacht op verzending"
    assert dlg.changed and "verzendwachtrij" in dlg.status.text()
    with ctx.db.session() as s:
        assert s.get(OutboxMessage, q["failed"].outbox_id).state == outbox.KLAAR


def test_answer_registration(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    dlg.select_id(q["soon"].id)
    dlg.answer_selected()
    sub = dlg.sub_dialog
    assert isinstance(sub, AntwoordDialog) and sub.isVisible()
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert "Vul het advies in" in sub.message.text() and sub.isVisible()
    qtbot.keyClicks(sub.tekst, "Voorwaardelijk sepot met meldplicht.")
    qtbot.keyClicks(sub.van, "J. Jansen, procesregisseur")
    sub.via_mail.setChecked(True)
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert not sub.isVisible() and sub.result() == 1, run.errors
    assert dlg.model.row_of_id(q["soon"].id) == -1  # answered: no longer open
    with ctx.db.session() as s:
        v = svc.get(s, q["soon"].id, roles=ALL, now=NOW)
    assert v.status is av.AdviesvraagState.BEANTWOORD
    assert (v.antwoord, v.antwoord_van, v.antwoord_via) == (
        "Voorwaardelijk sepot met meldplicht.",
        "J. Jansen, procesregisseur",
        "mail",
    )
    assert v.beantwoord_op == NOW.replace(second=0)
    dlg.gesloten.setChecked(True)
    assert cell(dlg, q["soon"].id, COL_STATUS) == "beantwoord"


def test_answer_in_the_future_is_refused_in_the_form(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    dlg.select_id(q["late"].id)
    dlg.answer_selected()
    sub = dlg.sub_dialog
    assert isinstance(sub, AntwoordDialog)
    qtbot.keyClicks(sub.tekst, "Advies")
    qtbot.keyClicks(sub.van, "VH")
    sub.op.setDateTime(sub.op.dateTime().addDays(1))
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert sub.isVisible() and "ligt in de toekomst" in sub.message.text()
    assert sub.tekst.toPlainText() == "Advies" and sub.ok_btn.isEnabled()


def test_decide_without_advice_before_the_term_needs_confirmation(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    dlg.select_id(q["soon"].id)  # still running
    dlg.decide_without_selected()
    sub = dlg.sub_dialog
    assert isinstance(sub, ZonderAdviesDialog) and sub.voor_termijn_nodig
    assert sub.bevestig.isVisible() and sub.bevestig.isEnabled()
    qtbot.keyClicks(sub.reden, "ZSM-norm: beslissing voor 18:00 nodig")
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert sub.isVisible() and "bevestig uitdrukkelijk" in sub.message.text()
    with ctx.db.session() as s:
        assert svc.get(s, q["soon"].id, roles=ALL, now=NOW).open
    sub.bevestig.setChecked(True)
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert sub.result() == 1, run.errors
    with ctx.db.session() as s:
        v = svc.get(s, q["soon"].id, roles=ALL, now=NOW)
        assert s.get(AdviesvraagMeta, v.id).zonder_advies_voor_termijn is True
    assert v.status is av.AdviesvraagState.ZONDER_ADVIES and v.zonder_advies_door == DESK


def test_decide_without_advice_after_the_term(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = list_dialog(qtbot, run, NOW)
    dlg.select_id(q["late"].id)
    dlg.decide_without_selected()
    sub = dlg.sub_dialog
    assert isinstance(sub, ZonderAdviesDialog) and not sub.voor_termijn_nodig
    assert not sub.bevestig.isVisibleTo(sub)
    qtbot.keyClicks(sub.reden, "Geen reactie binnen de termijn")
    qtbot.mouseClick(sub.ok_btn, Qt.MouseButton.LeftButton)
    assert sub.result() == 1, run.errors
    with ctx.db.session() as s:
        assert s.get(AdviesvraagMeta, q["late"].id).zonder_advies_voor_termijn is False


def test_parketsecretaris_cannot_confirm_early_decision(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    q = three_questions(ctx)
    dlg = AdviesvragenDialog(run, Desk(ctx.db, "ps-test"), PS, clock=lambda: NOW)
    qtbot.addWidget(dlg)
    assert not dlg.alle.isVisibleTo(dlg)
    assert dlg.model.rowCount() == 0  # a parketsecretaris sees own questions only
    sub = ZonderAdviesDialog(q["soon"], q["soon"].stand, PS, lambda *a: None)
    qtbot.addWidget(sub)
    assert not sub.bevestig.isEnabled()


# --- the model --------------------------------------------------------------------------


def test_model_contract_and_sorting(qtbot, qtmodeltester, ctx, run) -> None:  # type: ignore[no-untyped-def]
    three_questions(ctx)
    with ctx.db.session() as s:
        views = svc.lijst(s, account=DESK, roles=ALL, now=NOW, alleen_open=False)
    model = AdviesvragenModel()
    qtmodeltester.check(model)
    model.set_rows(views, NOW)
    qtmodeltester.check(model)
    assert [v.id for v in model.views()] == [v.id for v in views]  # the service's order
    for column in range(len(COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
            assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    p = QPersistentModelIndex(model.index(1, 2))
    wanted = model.view_at(1).id  # type: ignore[union-attr]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.view_at(p.row()).id == wanted  # type: ignore[union-attr]
    model.set_now(NOW + dt.timedelta(days=3))
    qtmodeltester.check(model)
    model.set_rows([], NOW)
    qtmodeltester.check(model)


# --- screening --------------------------------------------------------------------------


def screening_dialog(qtbot, run: SyncRunner, item_id: int) -> ScreeningDialog:  # type: ignore[no-untyped-def]
    preps: list[ui.ScreeningVoorbereiding] = []
    d = run.desk
    run(lambda: d.screening_voorbereiden(item_id), preps.append)
    assert preps, run.errors
    dlg = ScreeningDialog(preps[0], run, d, ALL)
    qtbot.addWidget(dlg)
    return dlg


def test_screening_ticks_mark_possibly_complex(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id = unknown_item(ctx, "Utrecht")
    dlg = screening_dialog(qtbot, run, item_id)
    assert dlg.combo.count() == 5 and dlg.checklist().code == "zwb-hg"  # type: ignore[union-attr]
    assert dlg.findChild(object, "groep-licht").title().endswith("informatief, telt niet mee")
    assert "Geen voorstel" in dlg.voorstel.text()
    assert "Geen voorstel" in dlg.uitleg.toPlainText()
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.tick("first_offender")  # informative only
    assert "Geen voorstel" in dlg.voorstel.text()
    box = dlg.checkboxes["recidive"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dlg.checkboxes["recidive"].isChecked()
    assert "Voorstel" in dlg.voorstel.text() and "veiligheidshuisloop" in dlg.voorstel.text()
    assert dlg.uitleg.toPlainText().startswith("Voorstel:")
    text = dlg.aanmelding.text()
    assert "mogelijk complex" in text and "Veiligheidshuis Regio Utrecht" in text
    assert "aanmelding" in text
    qtbot.mouseClick(dlg.save_btn, Qt.MouseButton.LeftButton)
    assert dlg.result() == 1, run.errors
    outcome, record = dlg.screening_result  # type: ignore[misc]
    assert outcome.voorstel_aanmelding and record.checklist == "zwb-hg"
    with ctx.db.session() as s:
        assert s.get(InstroomItem, item_id).mogelijk_complex is True
        _reden, criteria = screening_service.aanmelding_gegevens(s, item_id)  # type: ignore[misc]
    assert "Recidive (of relevante antecedenten)" in criteria
    assert "First offender" not in criteria  # informative criteria explain nothing to the VH
    # Opened again: the last screening is ticked and named.
    again = screening_dialog(qtbot, run, item_id)
    assert again.ticked() == {"recidive", "first_offender"}
    assert "Laatste screening" in again.vorige.text()


def test_screening_other_checklist_and_group_rules(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id = unknown_item(ctx, "Utrecht")
    dlg = screening_dialog(qtbot, run, item_id)
    dlg.combo.setCurrentIndex(dlg.combo.findData("rr-sd"))
    assert set(dlg.checkboxes) >= {"label_veelpleger", "geen_pva", "oggz_lvb"}
    assert dlg.findChild(object, "groep-leefgebieden").title().endswith("minstens 3 van 5")
    dlg.tick("leefgebied_wonen", "leefgebied_werk", "leefgebied_inkomen")
    assert "Geen voorstel" in dlg.voorstel.text()  # leefgebieden alone: no
    dlg.tick("geen_pva")
    assert "Voorstel" in dlg.voorstel.text()


def test_screening_of_a_known_suspect_says_no_aanmelding(qtbot, ctx, run) -> None:  # type: ignore[no-untyped-def]
    item_id, _vh = known_item(ctx)
    dlg = screening_dialog(qtbot, run, item_id)
    dlg.tick("recidive")
    assert "al bekend bij" in dlg.aanmelding.text()


# --- the main window --------------------------------------------------------------------


def _idle(win: MainWindow) -> bool:
    return win.worker.pending == 0 and not win._loading


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx, poll=False)
    qtbot.waitUntil(lambda: win.model.total > 0)
    qtbot.waitUntil(lambda: _idle(win))
    yield win
    qtbot.waitUntil(lambda: _idle(win))
    win.close()
    win.deleteLater()


def select_item(qtbot, win: MainWindow, item_id: int) -> None:  # type: ignore[no-untyped-def]
    win.status_filter.setCurrentIndex(1)  # Alle zaken
    win.table.selectRow(win.model.row_of_id(item_id))
    qtbot.waitUntil(lambda: win._current_id == item_id and _idle(win))
    with win.ctx.db.session() as s:
        bvh = s.get(InstroomItem, item_id).bvh_nummer
    qtbot.waitUntil(lambda: bvh in win.detail.toPlainText())
    qtbot.waitUntil(lambda: _idle(win))


def test_menu_entries_and_button(window: MainWindow) -> None:
    actions = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert actions["&Adviesvraag stellen…"] == "Ctrl+Shift+A"
    assert actions["&Open adviesvragen…"] == "Ctrl+Shift+V"
    assert "&Screening / aanmelding…" in actions
    assert not window.advice_btn.isEnabled()  # nothing selected


def test_window_asks_advice_through_the_worker(qtbot, window: MainWindow, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    item_id, vh = known_item(ctx)
    select_item(qtbot, window, item_id)
    assert window.advice_btn.isEnabled()
    shown: list[NewAdviesvraagDialog] = []

    def fake_exec(dlg: NewAdviesvraagDialog) -> int:
        shown.append(dlg)
        dlg.vraag_edit.setPlainText("Welke afdoening adviseert u?")
        dlg.kies_termijn("7-dagen")
        dlg.submit(verzenden=False)
        qtbot.waitUntil(lambda: dlg.result_view is not None or dlg.message.isVisible())
        return 1 if dlg.result_view is not None else 0

    monkeypatch.setattr(NewAdviesvraagDialog, "exec", fake_exec)
    qtbot.mouseClick(window.advice_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown) and _idle(window))
    assert shown[0].vh_code() == vh and shown[0].result_view is not None
    assert shown[0].result_view.ref in window.statusBar().currentMessage()
    with ctx.db.session() as s:
        views = svc.lijst(s, account=DESK, roles=ALL, item_id=item_id)
    assert [v.termijn for v in views] == ["7-dagen"]


def test_refresh_link_asks_for_a_current_advice(
    qtbot, window: MainWindow, ctx, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    today = ctx.clock.now().astimezone(TZ).date()
    with ctx.db.session() as s:
        rows = s.execute(
            select(InstroomItem.id, RegisterMarking.vh_code, RegisterMarking.advies_datum)
            .join(Match, Match.item_id == InstroomItem.id)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(Match.status == "bekend", InstroomItem.geboortedatum < "2005",
                   RegisterMarking.advies_datum.is_not(None))
            .order_by(InstroomItem.id)
        ).all()  # fmt: skip
    item_id, vh, datum = next(
        r for r in rows if freshness(r[2], today).level is not Freshness.ACTUEEL
    )
    select_item(qtbot, window, item_id)
    qtbot.waitUntil(lambda: "Vraag actueel advies" in window.detail.toPlainText())
    assert f'href="actualiseer:{vh}"' in window.detail.toHtml()
    shown: list[NewAdviesvraagDialog] = []

    def fake_exec(dlg: NewAdviesvraagDialog) -> int:
        shown.append(dlg)
        dlg.submit(verzenden=False)
        qtbot.waitUntil(lambda: dlg.result_view is not None or dlg.message.isVisible())
        return 1

    monkeypatch.setattr(NewAdviesvraagDialog, "exec", fake_exec)
    emit(window.detail.anchorClicked, QUrl(f"actualiseer:{vh}"))  # what a click does
    qtbot.waitUntil(lambda: bool(shown) and _idle(window))
    dlg = shown[0]
    assert dlg.prep.actualisatie and dlg.vh_code() == vh and not dlg.vh_combo.isEnabled()
    assert f"{datum:%d-%m-%Y}" in dlg.vraag_edit.toPlainText()
    v = dlg.result_view
    assert v is not None, dlg.message.text()
    assert v.aanleiding == av.AANLEIDING_ACTUALISATIE and v.vh_code == vh


def test_window_screening_and_list(qtbot, window: MainWindow, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    item_id = unknown_item(ctx, "Utrecht")
    select_item(qtbot, window, item_id)

    def fake_screen(dlg: ScreeningDialog) -> int:
        dlg.tick("recidive")
        dlg.submit()
        qtbot.waitUntil(lambda: dlg.screening_result is not None or dlg.message.isVisible())
        return 1

    monkeypatch.setattr(ScreeningDialog, "exec", fake_screen)
    window.open_screening()
    qtbot.waitUntil(lambda: "voorstel aanmelding" in window.statusBar().currentMessage())
    with ctx.db.session() as s:
        assert s.get(InstroomItem, item_id).mogelijk_complex is True
    ask(ctx, item_id, "VH-UTR")
    opened: list[AdviesvragenDialog] = []

    def fake_list(dlg: AdviesvragenDialog) -> int:
        opened.append(dlg)
        qtbot.waitUntil(lambda: dlg.model.rowCount() == 1)
        return 1

    monkeypatch.setattr(AdviesvragenDialog, "exec", fake_list)
    window.open_questions()
    assert opened and opened[0].alle.isChecked()
    qtbot.waitUntil(lambda: _idle(window))


def test_vh_without_secure_mail_needs_explicit_confirmation(qtbot, ctx, run, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    item_id, _vh = known_item(ctx)
    dlg = new_dialog(qtbot, run, item_id)
    dlg.set_vh("VH-FLE")
    assert "geen beveiligde mail" in dlg.vh_info.text()
    dlg.vraag_edit.setPlainText("Welke afdoening adviseert u?")
    dlg.submit(verzenden=True)
    v = dlg.result_view
    assert v is not None and v.status is av.AdviesvraagState.CONCEPT and v.outbox_id is not None
    lijst = list_dialog(qtbot, run, NOW)
    lijst.select_id(v.id)
    assert lijst.send_btn.isEnabled() and lijst.send_btn.text() == "&Verzenden"
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    lijst.send_selected()  # "No": nothing happens
    with ctx.db.session() as s:
        assert s.get(OutboxMessage, v.outbox_id).state == outbox.CONCEPT
    lijst.send_selected()
    assert run.errors == []
    with ctx.db.session() as s:
        assert s.get(OutboxMessage, v.outbox_id).state == outbox.KLAAR
    assert cell(lijst, v.id, COL_STATUS) == "wacht op verzending"


def test_detail_pane_shows_the_question_and_its_state(ctx) -> None:  # type: ignore[no-untyped-def]
    from zsm_desk.services.registers import vh_info
    from zsm_desk.ui.detail import render

    item_id, vh = known_item(ctx)
    view = ask(ctx, item_id, vh)
    detail = Desk(ctx.db, ctx.account).item_detail(item_id, ALL)
    nobody = Desk(ctx.db, "niemand").item_detail(item_id, frozenset())
    with ctx.db.session() as s:
        assert vh_info.case_detail(s, item_id, account=ctx.account, roles=ALL).open_vragen == []
    assert detail is not None and nobody is not None
    html = render(detail)
    assert "Adviesvragen" in html and view.status in html
    assert nobody.open_vragen == []  # no desk role: not even the questions


def test_answer_and_decide_dialogs_are_accessible(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """The two small dialogs of the list: named fields, one key per mnemonic
    (Alt+B was both "bewust" and "Besluit vastleggen")."""
    from tests.window_tour import a11y_problems, english_problems

    q = three_questions(ctx)
    problems: list[str] = []
    for dlg in (AntwoordDialog(q["soon"], lambda *a: None),
                ZonderAdviesDialog(q["soon"], q["soon"].stand, ALL, lambda *a: None)):  # fmt: skip
        qtbot.addWidget(dlg)
        dlg.show()
        problems += a11y_problems(type(dlg).__name__, dlg)
        problems += english_problems(type(dlg).__name__, dlg)
    assert not problems, "\n".join(problems)
