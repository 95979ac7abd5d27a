"""The Monitor dialog: models pass qtmodeltester, the dialog fills through a fake
worker and exports through a patched file dialog. Qt warnings fail the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.test_monitoring import _scenario, seed_small
from zsm_desk.desk import Desk
from zsm_desk.domain.monitoring import MonitorInput, Period, compute, report_tables
from zsm_desk.ui.monitor_view import MonitorDialog, MonthBarChart, ReportTableModel, ShareBarChart

pytestmark = pytest.mark.gui


class SyncWorker:
    """Like DbWorker.submit, but runs at once on this thread."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.jobs = 0
        self.errors: list[str] = []

    def __call__(self, fn: Any, on_done: Any, on_error: Any) -> None:
        self.jobs += 1
        try:
            result = fn()
        except Exception as e:
            self.errors.append(str(e))
            on_error(str(e))
            return
        on_done(result)


@pytest.mark.parametrize("force_py", [True, False])
def test_modeltester_on_every_table(qtmodeltester: Any, qapp: Any, force_py: bool) -> None:
    empty = ReportTableModel()
    qtmodeltester.check(empty, force_py=force_py)
    for t in report_tables(compute(_scenario())):
        m = ReportTableModel()
        m.set_table(t, bold=[0], indent=[1])
        qtmodeltester.check(m, force_py=force_py)
        assert m.rowCount() == len(t.rijen) and m.columnCount() == len(t.kolommen)


def test_model_display(qapp: Any) -> None:
    t = report_tables(compute(_scenario()))[0]
    m = ReportTableModel()
    m.set_table(t, bold=[0, 1, 2], indent=[3, 4])
    assert m.data(m.index(0, 3)) == "3 (100%)"
    assert m.data(m.index(3, 0)).startswith("    ")
    assert m.data(m.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert m.data(m.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) == right
    assert m.headerData(3, Qt.Orientation.Horizontal) == "Totaal"


def test_charts_paint_with_and_without_data(qtbot: Any) -> None:
    from PySide6.QtGui import QColor

    bars = MonthBarChart()
    share = ShareBarChart()
    for w in (bars, share):
        qtbot.addWidget(w)
        w.resize(400, 240)
        w.grab()  # empty: "geen gegevens"
    bars.set_data("t", ["2026-01", "2026-02"], [("a", QColor("red"), [3, 0]),
                                                ("b", QColor("blue"), [1, 2])])  # fmt: skip
    share.set_data("t", [("Utrecht", 0.57, 666), ("Amersfoort", 0.26, 306)])
    assert not bars.grab().isNull() and not share.grab().isNull()


def test_dialog_opens_and_fills(qtbot: Any, app: Any) -> None:
    seed_small(app)
    worker = SyncWorker(app)
    dlg = MonitorDialog(
        worker, Desk(app.db, app.account), van=dt.date(2026, 11, 1), tot=dt.date(2026, 11, 30)
    )
    qtbot.addWidget(dlg)
    dlg.show()
    assert worker.jobs == 1 and not worker.errors
    assert dlg.figures is not None
    m = dlg.models["instroom"]
    assert m.data(m.index(0, 3)) == "3 (100%)"
    assert m.data(m.index(1, 3)) == "1 (33%)"
    assert "3 ingestroomd" in dlg.status.text()
    titles = [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]
    assert titles[:3] == ["Overzicht", "Per maand", "Per veiligheidshuis"]
    assert "Motiveringen" in titles and "Opgeschoond" in titles
    assert dlg.month_chart.categories == ["2026-11"]
    assert dlg.vh_chart.bars[0][0] == "Utrecht"
    assert all(b.isEnabled() for b in dlg.export_buttons.values())
    # another period: refilled, tabs not duplicated
    dlg.van_edit.setDate(dlg.van_edit.date().addYears(-1))
    dlg.tot_edit.setDate(dlg.tot_edit.date().addYears(-1))
    n_tabs = dlg.tabs.count()
    qtbot.mouseClick(dlg.run_button, Qt.MouseButton.LeftButton)
    assert dlg.figures["instroom"]["ingestroomd"]["totaal"] == 0
    assert dlg.tabs.count() == n_tabs
    assert dlg.models["opgeschoond"].rowCount() == 0 and dlg.models["motiveringen"].rowCount() == 0
    dlg.close()


def test_dialog_export_and_refusal(qtbot: Any, app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog

    from zsm_desk.services.storage.models import UserRole

    seed_small(app)
    worker = SyncWorker(app)
    dlg = MonitorDialog(
        worker, Desk(app.db, app.account), van=dt.date(2026, 11, 1), tot=dt.date(2026, 11, 30)
    )
    qtbot.addWidget(dlg)
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"uit-{fmt}"  # the extension is added
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, t=target, **k: (str(t), "")))  # fmt: skip
        dlg.export_buttons[fmt].click()
        written = target.with_name(target.name + f".{fmt}")
        assert written.exists() and written.stat().st_mode & 0o777 == 0o600
        assert "Opgeslagen" in dlg.status.text()
    assert (tmp_path / "uit-pdf.pdf").read_bytes().startswith(b"%PDF")
    # cancelled dialog: nothing happens
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    jobs = worker.jobs
    dlg.export_buttons["csv"].click()
    assert worker.jobs == jobs
    # an account without the MONITOR role sees a Dutch error, no figures
    with app.db.session() as s:
        s.get(UserRole, app.account).roles = ["parketsecretaris"]
    dlg2 = MonitorDialog(
        worker, Desk(app.db, app.account), van=dt.date(2026, 11, 1), tot=dt.date(2026, 11, 30)
    )
    qtbot.addWidget(dlg2)
    assert dlg2.figures is None and "geen recht" in dlg2.status.text()
    assert not any(b.isEnabled() for b in dlg2.export_buttons.values())


def test_dialog_rejects_reversed_period(qtbot: Any) -> None:
    calls: list[Any] = []
    dlg = MonitorDialog(lambda *a: calls.append(a), Desk(None, "x"),  # type: ignore[arg-type]
                        van=dt.date(2026, 2, 1),
                        tot=dt.date(2026, 1, 1))  # fmt: skip
    qtbot.addWidget(dlg)
    assert calls == [] and "vóór" in dlg.status.text()
    f = compute(MonitorInput(Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))))
    dlg._on_figures(f)  # an empty period fills without errors
    assert dlg.models["instroom"].rowCount() == 3
