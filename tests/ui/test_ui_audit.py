"""The audit viewer (ui.audit_view): model contract, filters, sort, verify, CSV export.

The model is checked with Qt's model tester on synthetic rows; the dialog runs
on a real SQLite database with a synchronous fake `run_in_worker`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from sqlalchemy import select

from tests.helpers.stubs import SyncRunner, desk_for
from zsm_desk.app_context import AppContext, open_app
from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import local_today
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.db import sqlite_path
from zsm_desk.services.storage.models import AuditEntry
from zsm_desk.ui.audit_view import (
    ALL,
    COL_ACCOUNT,
    COL_AT,
    COL_ID,
    COL_ITEM,
    COLUMNS,
    READ_ONLY_MESSAGE,
    SORT_ROLE,
    AuditDialog,
    AuditFilter,
    AuditModel,
    AuditRow,
    to_csv,
)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
ACCOUNTS = ("kpc1", "ovj2", "beheer", "Anna")
ACTIONS = (audit.VIEW_VH, audit.PRINT, audit.EXPORT, audit.SETTINGS)


def make_rows(n: int = 40) -> list[AuditRow]:
    return [
        AuditRow(
            id=i,
            at=T0 + dt.timedelta(hours=7 * i),
            account=ACCOUNTS[i % 4],
            action=ACTIONS[(i * 3) % 4],
            item_id=None if i % 5 == 0 else 100 + i % 7,
            purpose=f"doel {i % 3}",
            detail='{"vh_codes": ["VH-UTR"]}',
        )
        for i in range(1, n + 1)
    ]


# --- the model ---------------------------------------------------------------------------


def test_model_contract(qtmodeltester: Any) -> None:
    model = AuditModel()
    qtmodeltester.check(model)
    model.set_rows(make_rows())
    qtmodeltester.check(model)
    model.set_filter(AuditFilter(account="kpc1"))
    qtmodeltester.check(model)
    model.sort(COL_AT, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    model.set_filter(AuditFilter(account="niemand"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == len(COLUMNS)


def test_filters_in_the_model() -> None:
    model = AuditModel()
    rows = make_rows()
    model.set_rows(rows)
    assert model.rowCount() == len(rows)
    model.set_filter(AuditFilter(account="ovj2", action=audit.PRINT))
    assert {(r.account, r.action) for r in model.rows()} <= {("ovj2", audit.PRINT)}
    assert len(model.rows()) == sum(r.account == "ovj2" and r.action == audit.PRINT for r in rows)
    model.set_filter(AuditFilter(item_id=103))
    assert model.rows() and all(r.item_id == 103 for r in model.rows())
    day = (T0 + dt.timedelta(days=2)).date()
    model.set_filter(AuditFilter(van=day, tot=day))
    local_days = {r.at.astimezone(dt.timezone(dt.timedelta(hours=1))).date() for r in model.rows()}
    assert local_days == {day}
    assert model.accounts() == sorted(ACCOUNTS)
    assert set(ACTIONS) <= set(model.actions())


@pytest.mark.parametrize("column", range(len(COLUMNS)))
def test_sort_every_column_both_ways(column: int) -> None:
    model = AuditModel()
    model.set_rows(make_rows())
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        model.sort(column, order)
        keys = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
        assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)


def test_sort_keeps_persistent_indexes_on_their_row() -> None:
    model = AuditModel()
    model.set_rows(make_rows())
    model.sort(COL_ID, Qt.SortOrder.AscendingOrder)
    p = QPersistentModelIndex(model.index(3, COL_ACCOUNT))
    wanted = model.rows()[3].id
    model.sort(COL_ID, Qt.SortOrder.DescendingOrder)
    assert model.rows()[p.row()].id == wanted and p.column() == COL_ACCOUNT


def test_display_values() -> None:
    model = AuditModel()
    model.set_rows(make_rows(5))
    model.sort(COL_ID, Qt.SortOrder.AscendingOrder)
    assert model.index(0, COL_AT).data() == "20-11-2026 16:00:00"  # 15:00 UTC → CET
    assert model.index(4, COL_ITEM).data() == ""  # id 5 has no item
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nr."
    assert model.headerData(99, Qt.Orientation.Horizontal) is None


def test_csv_is_semicolon_utf8_bom_and_neutralises_formulas() -> None:
    rows = [AuditRow(id=1, at=T0, account="=HYPERLINK(1)", action=audit.EXPORT, item_id=None,
                     purpose="één ß", detail='{"a": 1}')]  # fmt: skip
    data = to_csv(rows)
    assert data.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][:3] == ["nr", "tijdstip", "account"]
    assert parsed[1][2] == "'=HYPERLINK(1)" and parsed[1][5] == "één ß"


# --- the dialog --------------------------------------------------------------------------


def sync_runner(ctx: AppContext) -> Callable[..., None]:
    return SyncRunner()


@pytest.fixture
def ctx(sqlite_url: str) -> Iterator[AppContext]:
    c = open_app(sqlite_url)
    with c.db.session() as s:
        users.set_roles(s, c.account, "kpc1", frozenset({Role.KPC}))
        for i in range(6):
            audit.append(s, "kpc1", audit.VIEW_VH, item_id=10 + i % 2, purpose="afstemmingsoverleg",
                         detail={"vh_codes": ["VH-UTR"]})  # fmt: skip
        audit.append(s, "ovj2", audit.PRINT, item_id=11, purpose="afdruk", detail={"soort": "plan"})
    yield c
    c.db.dispose()


def make_dialog(qtbot: Any, ctx: AppContext, account: str | None = None) -> AuditDialog:
    dlg = AuditDialog(desk_for(ctx, account), sync_runner(ctx), today=local_today(ctx.clock))
    qtbot.addWidget(dlg)
    return dlg


def test_dialog_loads_and_filters(qtbot: Any, qtmodeltester: Any, ctx: AppContext) -> None:
    dlg = make_dialog(qtbot, ctx)
    assert dlg.may_view
    with ctx.db.session() as s:
        total = audit.count(s)
    assert dlg.model.rowCount() == total
    assert dlg.model.rows()[0].id == total  # newest first
    qtmodeltester.check(dlg.model)
    dlg.account_filter.setCurrentText("kpc1")
    assert dlg.model.rowCount() == 6
    dlg.action_filter.setCurrentText(audit.PRINT)
    assert dlg.model.rowCount() == 0
    dlg.account_filter.setCurrentText(ALL)
    assert dlg.model.rowCount() == 1
    dlg.action_filter.setCurrentText(ALL)
    qtbot.keyClicks(dlg.item_filter, "11")
    assert dlg.model.rowCount() == 4 and {r.item_id for r in dlg.model.rows()} == {11}
    assert "4 van" in dlg.message.text()
    # A period without entries (reloaded from the database).
    dlg.item_filter.clear()
    dlg.van.setDate(dlg.van.date().addYears(-3))
    dlg.tot.setDate(dlg.van.date().addDays(1))
    assert dlg.model.rowCount() == 0
    # Header click sorts inside the model.
    dlg.tot.setDate(dlg.tot.date().addYears(5))
    dlg.table.sortByColumn(COL_ACCOUNT, Qt.SortOrder.AscendingOrder)
    accounts = [r.account.lower() for r in dlg.model.rows()]
    assert accounts == sorted(accounts)


def test_non_beheerder_sees_nothing(qtbot: Any, ctx: AppContext) -> None:
    for account in ("kpc1", "niet-gekoppeld"):
        dlg = make_dialog(qtbot, ctx, account)
        assert not dlg.may_view
        assert dlg.model.rowCount() == 0
        assert dlg.message.text() == READ_ONLY_MESSAGE
        assert not dlg.export_btn.isVisibleTo(dlg) and not dlg.verify_btn.isVisibleTo(dlg)
        assert not dlg.filter_bar.isVisibleTo(dlg) and not dlg.table.isVisibleTo(dlg)


def test_verify_ok_and_broken(qtbot: Any, ctx: AppContext, tmp_path: Path) -> None:
    dlg = make_dialog(qtbot, ctx)
    qtbot.mouseClick(dlg.verify_btn, Qt.MouseButton.LeftButton)
    assert dlg.verify_result.text().startswith("✔ Audit in orde")
    # Tamper with a copy of the file (the database itself refuses updates).
    path = sqlite_path(ctx.db.url)
    assert path is not None
    ctx.db.dispose()
    copy = tmp_path / "kopie.sqlite"
    shutil.copy(path, copy)
    con = sqlite3.connect(copy)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET purpose = 'gewijzigd' WHERE id = 2")
    con.commit()
    con.close()
    other = open_app(f"sqlite:///{copy}")
    try:
        dlg2 = make_dialog(qtbot, other)
        dlg2.verify()
        text = dlg2.verify_result.text()
        assert text.startswith("✘ Audit NIET in orde") and "regel 2" in text
    finally:
        other.db.dispose()


def test_export_csv_private_and_audited(qtbot: Any, ctx: AppContext, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    dlg = make_dialog(qtbot, ctx)
    dlg.account_filter.setCurrentText("kpc1")
    target = tmp_path / "audit.csv"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "CSV-bestand (*.csv)")))  # fmt: skip
    with ctx.db.session() as s:
        before = audit.count(s)
    qtbot.mouseClick(dlg.export_btn, Qt.MouseButton.LeftButton)
    assert target.exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert len(lines) == 1 + 6 and {line[2] for line in lines[1:]} == {"kpc1"}
    assert "6 regels geëxporteerd" in dlg.verify_result.text()
    with ctx.db.session() as s:
        assert audit.count(s) == before + 1
        e = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert e is not None and e.action == audit.EXPORT and e.account == ctx.account
        assert e.detail["regels"] == 6 and e.detail["soort"] == "audittrail"
        assert "audit.csv" not in str(e.detail)  # no file names (they may say anything)
        assert audit.verify(s).ok
    # The list was reloaded and shows the export line too (filter kept).
    dlg.account_filter.setCurrentText(ALL)
    assert dlg.model.rows()[0].action == audit.EXPORT
    # Cancelled file dialog: nothing happens.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    dlg.export_csv()
    with ctx.db.session() as s:
        assert audit.count(s) == before + 1


def test_shown_dialog_has_no_qt_warnings(qtbot: Any, ctx: AppContext) -> None:
    dlg = make_dialog(qtbot, ctx)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.table.sortByColumn(COL_AT, Qt.SortOrder.AscendingOrder)
    dlg.table.selectRow(2)
    dlg.table.sortByColumn(COL_ID, Qt.SortOrder.DescendingOrder)
    qtbot.wait(5)
    dlg.close()
