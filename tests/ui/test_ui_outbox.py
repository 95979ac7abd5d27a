"""The outbox view: model contract, listing without personal data, sending from the dialog."""

from __future__ import annotations

import pytest

from tests.smtp_server import SmtpTestServer
from tests.test_decide import ADULT_UTR_ONLY, decide, setup_case
from zsm_desk.app_context import AppContext
from zsm_desk.desk import Desk
from zsm_desk.ui.outbox_view import OutboxDialog, OutboxModel

pytestmark = pytest.mark.gui


def test_outbox_model_contract(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = OutboxModel()
    qtmodeltester.check(model)
    model.set_rows([
        {"id": 1, "ref": "ZSM-MN-20261122-AAAAAA", "soort": "terugkoppeling", "vh_code": "VH-UTR",
         "state": "mislukt", "attempts": 2, "created_at": "2026-11-22T10:00:00+01:00",
         "next_attempt_at": None, "sent_at": None, "last_error": "550 geweigerd"},
        {"id": 2, "ref": "ZSM-MN-20261122-BBBBBB", "soort": "aanmelding", "vh_code": "VH-GV",
         "state": "verzonden", "attempts": 1, "created_at": "2026-11-22T11:00:00+01:00",
         "next_attempt_at": None, "sent_at": "2026-11-22T11:01:00+01:00", "last_error": ""},
    ])  # fmt: skip
    qtmodeltester.check(model)
    model.sort(0)
    qtmodeltester.check(model)


def _sync():  # type: ignore[no-untyped-def]
    """A run_in_worker that runs the job at once (tests only)."""

    def run(fn, on_done=None, on_error=None):  # type: ignore[no-untyped-def]
        try:
            result = fn()
        except Exception as e:
            if on_error:
                on_error(str(e))
            return 0
        if on_done:
            on_done(result)
        return 0

    return run


def test_dialog_lists_and_sends(qtbot, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from zsm_desk.app_context import open_app
    from zsm_desk.domain.settings import SmtpConfig
    from zsm_desk.services.storage import config

    app: AppContext = open_app(sqlite_url)
    setup_case(app)
    out = decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja")
    with SmtpTestServer() as srv:
        with app.db.session() as s:
            smtp = SmtpConfig(host="127.0.0.1", port=srv.port, beveiliging="geen",
                              afzender="ZSM Test <zsm-test@example.org>")  # fmt: skip
            config.save_settings(s, replace(config.load_settings(s), smtp=smtp), app.account, "t")
        run = _sync()
        dlg = OutboxDialog(Desk(app.db, app.account), run, run, app.roles())
        qtbot.addWidget(dlg)
        assert dlg.model.rowCount() == 1
        assert "1 bericht(en) wachten" in dlg.summary.text()
        listed = str(dlg.model.rows)
        assert "PL0900" not in listed  # no case numbers or names in the listing
        dlg._send(None)
        assert len(srv.received) == 1
        assert dlg.model.rows[0]["state"] == "verzonden"
        assert out.messages[0].ref in srv.received[0].message["Subject"]
    app.db.dispose()


def test_model_sorts_attempts_as_numbers_and_keeps_persistent_indexes(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    """Attempts 1, 10, 2 sort as numbers, and a persistent index (the selection an
    action acts on) moves with its row: the old model sorted text and left it behind."""
    from PySide6.QtCore import QPersistentModelIndex, Qt

    from zsm_desk.ui.outbox_view import COLUMNS, OutboxModel
    from zsm_desk.ui.table_model import SORT_ROLE

    model = OutboxModel()
    rows = [{"id": i, "ref": f"R{i}", "attempts": n, "state": "mislukt"}
            for i, n in ((1, 10), (2, 1), (3, 2))]  # fmt: skip
    model.set_rows(rows)
    qtmodeltester.check(model)
    col = [k for _label, k in COLUMNS].index("attempts")
    chosen = QPersistentModelIndex(model.index(0, col))  # the row with 10 attempts
    model.sort(col, Qt.SortOrder.AscendingOrder)
    assert [r["attempts"] for r in model.rows] == [1, 2, 10]
    assert chosen.row() == 2 and model.rows[chosen.row()]["id"] == 1
    assert model.data(model.index(2, col), SORT_ROLE) == 10
    model.sort(col, Qt.SortOrder.DescendingOrder)
    assert [r["attempts"] for r in model.rows] == [10, 2, 1] and chosen.row() == 0
