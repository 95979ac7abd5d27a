"""The window shows another desk's claim within a second (issue 15), offscreen Qt."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.ui.helpers import build_demo_file, demo_copy
from zsm_desk.app_context import AppContext
from zsm_desk.services.decisions import claims
from zsm_desk.services.demo.demo_data import TZ
from zsm_desk.services.storage.db import open_database
from zsm_desk.services.storage.models import Decision
from zsm_desk.ui.change_listener import attach
from zsm_desk.ui.main_window import MainWindow
from zsm_desk.ui.queue_model import COL_STATUS

pytestmark = pytest.mark.gui

DAY_END = dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ)
DESK = "kpc-test"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory, DESK, DAY_END)


@pytest.fixture
def ctx(demo_file: Path, tmp_path: Path) -> Iterator[AppContext]:
    yield from demo_copy(demo_file, tmp_path, DESK)


def test_other_desks_claim_shows_within_a_second(qtbot, ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(ctx, poll=False)  # no sync/retention timers; the listener only
    win._changes = attach(win)
    win.resize(1500, 700)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.model.total > 0)
    qtbot.waitUntil(lambda: win.worker.pending == 0 and not win._loading)
    time.sleep(0.5)  # the listener has taken its first look
    other = open_database(ctx.db.url)  # another desk on the same database
    with other.session() as s:
        decided = set(s.execute(select(Decision.item_id)).scalars())
    visible = [win.model.row_at(i) for i in range(win.model.rowCount())]
    item_id = next(r.id for r in visible if r is not None and r.id not in decided)
    t0 = time.monotonic()
    with other.session() as s:
        claims.claim(s, item_id, account="kpc2", naam="A. de Vries",
                     now=other.clock.now())  # fmt: skip

    def shown() -> bool:
        row = win.model.row_of_id(item_id)
        if row < 0:
            return False
        text = win.model.index(row, COL_STATUS).data()
        return "in behandeling bij A. de Vries, sinds" in str(text)

    qtbot.waitUntil(shown, timeout=3000)
    elapsed = time.monotonic() - t0
    assert elapsed < 1.0, f"claim shown after {elapsed:.2f} s"
    row = win.model.row_of_id(item_id)
    win.table.scrollTo(win.model.index(row, COL_STATUS))
    win.grab().save(str(tmp_path / "shot-multidesk-claim.png"))
    other.dispose()
    qtbot.waitUntil(lambda: win.worker.pending == 0 and not win._loading)
    win.close()
    win.deleteLater()
