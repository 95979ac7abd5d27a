"""Decision to sent terugkoppeling in two actions, in the real window, to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.smtp_server import SmtpTestServer
from tests.ui.helpers import build_demo_file
from zsm_desk.app_context import AppContext
from zsm_desk.domain.settings import SmtpConfig
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.services.storage import config
from zsm_desk.services.storage.db import open_database
from zsm_desk.services.storage.models import Decision, InstroomItem, OutboxMessage
from zsm_desk.ui import decision_dialog
from zsm_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
DAY_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory, "kpc-test", DAY_END)


@pytest.fixture
def server() -> Iterator[SmtpTestServer]:
    with SmtpTestServer() as s:
        yield s


@pytest.fixture
def window(qtbot, demo_file: Path, tmp_path: Path, server: SmtpTestServer) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    path = tmp_path / "zsm.sqlite"
    shutil.copy(demo_file, path)
    db = open_database(f"sqlite:///{path}")
    ctx = AppContext(db=db, account="kpc-test")
    with db.session() as s:
        current = config.load_settings(s)
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, beveiliging="geen",
                          afzender="ZSM Midden-Nederland <zsm-mn@example.org>")  # fmt: skip
        from dataclasses import replace

        config.save_settings(s, replace(current, smtp=smtp), ctx.account, "test")
    win = MainWindow(ctx, poll=False)
    qtbot.waitUntil(lambda: win.model.total > 0)
    yield win
    qtbot.waitUntil(lambda: win.worker.pending == 0 and win.sync_worker.pending == 0)
    win.close()
    db.dispose()


def _known_adult_direct(win: MainWindow) -> int:
    """A known adult whose VH wants direct delivery."""
    with win.ctx.db.session() as s:
        for item in s.execute(
            select(InstroomItem).where(InstroomItem.vh_status == "bekend")
        ).scalars():
            vhs = {m.marking.vh_code for m in item.matches}
            if vhs & {"VH-UTR", "VH-GV"} and not item.geboortedatum.startswith("20"):
                return item.id
    raise AssertionError("no known adult at a direct VH in the demo")


def test_decision_then_send_is_two_actions(
    qtbot, window: MainWindow, server: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.model.set_filter(statuses=None)
    item_id = _known_adult_direct(win)
    win.table.selectRow(win.model.row_of_id(item_id))
    qtbot.waitUntil(lambda: win.decide_btn.isEnabled())

    def fill_and_accept(dlg: decision_dialog.DecisionDialog) -> int:
        dlg.beslissing.setCurrentIndex(dlg.beslissing.findData("dagvaarden"))
        dlg.advies.setCurrentIndex(dlg.advies.findData("deels"))
        dlg.motivering.setPlainText("Contactverbod opgelegd, reclasseringstoezicht niet haalbaar.")
        dlg._accept()
        return 1

    sends: list[bool] = []

    def click_send(dlg: decision_dialog.FeedbackDialog) -> int:
        assert "ZSM-" in dlg.preview.toPlainText()  # the message as the VH will read it
        sends.append(dlg.send_btn.isEnabled())
        dlg._send()
        return 1

    monkeypatch.setattr(decision_dialog.DecisionDialog, "exec", fill_and_accept)
    monkeypatch.setattr(decision_dialog.FeedbackDialog, "exec", click_send)
    win.decide_current()  # action 1 (the dialog's Vastleggen), action 2 (Verzenden)
    qtbot.waitUntil(lambda: len(server.received) >= 1, timeout=15_000)
    assert sends == [True]
    msg = server.received[0].message
    assert msg["Subject"].startswith("ZSM-terugkoppeling ZSM-")
    assert msg["To"].endswith(".example.org")
    assert msg["Message-ID"]
    with win.ctx.db.session() as s:
        dec = s.execute(select(Decision).where(Decision.item_id == item_id)).scalar_one()
        assert dec.advies_gevolgd == "deels"
    qtbot.waitUntil(lambda: "verzonden" in _states(win, item_id), timeout=10_000)


def _states(win: MainWindow, item_id: int) -> list[str]:
    with win.ctx.db.session() as s:
        q = select(OutboxMessage.state).where(OutboxMessage.item_id == item_id)
        states = list(s.execute(q).scalars())
        return states


def test_refused_decision_reopens_with_reasons(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.model.set_filter(statuses=None)
    item_id = _known_adult_direct(win)
    win.table.selectRow(win.model.row_of_id(item_id))
    qtbot.waitUntil(lambda: win.decide_btn.isEnabled())
    seen: list[str] = []

    def exec_(dlg: decision_dialog.DecisionDialog) -> int:
        # The reasons stand beside their fields (issue 13 §5); the rest at the bottom.
        seen.append(dlg.errors.text() + " ".join(x.text() for x in dlg.field_errors.values()))
        if len(seen) == 1:  # "nee" without motivation: refused
            dlg.beslissing.setCurrentIndex(dlg.beslissing.findData("dagvaarden"))
            dlg.advies.setCurrentIndex(dlg.advies.findData("nee"))
            dlg._accept()
            return 1
        return 0  # second time: the user cancels

    monkeypatch.setattr(decision_dialog.DecisionDialog, "exec", exec_)
    win.decide_current()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert "otivering" in seen[1]
    with win.ctx.db.session() as s:
        assert s.execute(select(Decision).where(Decision.item_id == item_id)).first() is None


def test_taking_over_another_desks_claim_asks_and_is_audited(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Opening a case another desk works on asks first; yes takes it over (audited);
    cancelling the decision gives the case free again (issue 15)."""
    from zsm_desk.services.decisions import claims
    from zsm_desk.services.storage.models import AuditEntry, ItemClaim

    win = window
    win.model.set_filter(statuses=None)
    item_id = _known_adult_direct(win)
    with win.ctx.db.session() as s:  # another desk opened it a minute ago
        claims.claim(s, item_id, account="kpc-b", naam="B. Jansen", now=win.ctx.clock.now())
    win.table.selectRow(win.model.row_of_id(item_id))
    qtbot.waitUntil(lambda: win.decide_btn.isEnabled())
    asked: list[str] = []

    def answer_yes(_win: object, label: str) -> bool:
        asked.append(label)
        return True

    opened: list[int] = []

    def cancel(dlg: decision_dialog.DecisionDialog) -> int:
        with win.ctx.db.session() as s:  # while the dialog is open, the case is ours
            row = s.get(ItemClaim, item_id)
            opened.append(1 if row is not None and row.account == "kpc-test" else 0)
        return 0

    monkeypatch.setattr(MainWindow, "ask_takeover", answer_yes)
    monkeypatch.setattr(decision_dialog.DecisionDialog, "exec", cancel)
    win.decide_current()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert asked and "in behandeling bij B. Jansen, sinds" in asked[0]
    assert opened == [1]
    qtbot.waitUntil(lambda: win.worker.pending == 0)
    with win.ctx.db.session() as s:
        assert s.get(ItemClaim, item_id) is None  # cancelled: free again
        e = s.execute(select(AuditEntry).where(AuditEntry.action == claims.TAKEOVER)).scalar_one()
        assert e.account == "kpc-test" and e.item_id == item_id and e.detail["van"] == "kpc-b"
