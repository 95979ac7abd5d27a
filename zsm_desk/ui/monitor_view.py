"""The "Monitor" dialog: indicators for a period, charts, and exports.

All database and file work runs through `run_in_worker(fn, on_done, on_error)`
(the main window's `DbWorker.submit`): `fn(session)` runs on the worker thread
and returns plain data; the dialog only displays it. Tables are small
`QAbstractTableModel`s over `ReportTable`s (the same tables as CSV/XLSX/PDF);
the charts are drawn with QPainter.

Wiring in the main window::

    MonitorDialog(self.worker.submit, ctx.account, self).exec()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.domain.monitoring import TZ, Figures, ReportTable, nl_int, report_tables, short_name
from zsm_desk.ui import a11y, theme
from zsm_desk.ui.theme import State

RunInWorker = Callable[[Callable[[Any], Any], Callable[[Any], None], Callable[[str], None]], Any]
Index = QModelIndex | QPersistentModelIndex


EXPORTS = (("csv", "&CSV…", "CSV-bestand (*.csv)"), ("xlsx", "&Excel…", "Excel-werkmap (*.xlsx)"),
           ("pdf", "&PDF…", "PDF-document (*.pdf)"))  # fmt: skip


TAB_TITLES = {
    "per_maand": "Per maand",
    "per_vh": "Per veiligheidshuis",
    "terugkoppeling": "Terugkoppeling",
    "advies": "Advies gevolgd",
    "motiveringen": "Motiveringen",
    "adviesvragen": "Adviesvragen",
    "aanmeldingen": "Aanmeldingen",
    "adviesleeftijd": "Leeftijd advies",
    "hits": "Hits beoordeeld",
    "opgeschoond": "Opgeschoond",
}


# --- table model -----------------------------------------------------------------------------


class ReportTableModel(QAbstractTableModel):
    """Read-only view of one `ReportTable`; numbers right-aligned, header rows bold."""

    def __init__(self, table: ReportTable | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns: tuple[str, ...] = ()
        self._rows: tuple[tuple[Any, ...], ...] = ()
        self._bold: frozenset[int] = frozenset()
        self._indent: frozenset[int] = frozenset()
        if table is not None:
            self.set_table(table)

    def set_table(
        self, table: ReportTable, bold: Sequence[int] = (), indent: Sequence[int] = ()
    ) -> None:
        self.beginResetModel()
        self._columns = tuple(table.kolommen)
        self._rows = tuple(tuple(r) for r in table.rijen)
        self._bold = frozenset(bold)
        self._indent = frozenset(indent)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if not 0 <= index.column() < len(row):
            return None
        value = row[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            if isinstance(value, bool):
                return "ja" if value else "nee"
            if isinstance(value, int):
                return nl_int(value)
            text = str(value)
            return f"    {text}" if index.column() == 0 and index.row() in self._indent else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if index.column() > 0 and (isinstance(value, int | float) or _looks_numeric(value)):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and len(value) > 60:
            return value
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section] if 0 <= section < len(self._columns) else None
        return section + 1 if 0 <= section < len(self._rows) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _looks_numeric(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and (value[0].isdigit() or value == "–")


# --- charts --------------------------------------------------------------------------------------


def _draw_title(p: QPainter, chart: QWidget, title: str) -> QFontMetrics:
    """Start a chart: antialiasing on, `title` in bold at the top left, then the
    chart's own font again; returns its font metrics."""
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    fm = QFontMetrics(chart.font())
    bold = QFont(chart.font())
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(chart.palette().color(QPalette.ColorRole.WindowText))
    p.drawText(QRectF(0, 0, chart.width(), fm.height() + 4), Qt.AlignmentFlag.AlignLeft, title)
    p.setFont(chart.font())
    return fm


class MonthBarChart(QWidget):
    """Stacked bars per month (e.g. known adults and minors), with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []
        self.setMinimumSize(QSize(320, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(
        self, title: str, categories: list[str], series: list[tuple[str, QColor, list[int]]]
    ) -> None:
        self.title, self.categories, self.series = title, categories, series
        self.setAccessibleName(f"Grafiek: {title}")
        self.setAccessibleDescription(self.figures_text())
        self.setToolTip(self.figures_text())
        self.update()

    def figures_text(self) -> str:
        """The chart's figures as text, for screen readers and the tooltip."""
        if not self.categories:
            return "geen gegevens"
        return "; ".join(
            f"{cat}: "
            + ", ".join(f"{label} {nl_int(values[i])}" for label, _c, values in self.series)
            for i, cat in enumerate(self.categories)
        )

    def sizeHint(self) -> QSize:
        return QSize(520, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            fm = _draw_title(p, self, self.title)
            w, h = self.width(), self.height()
            top = fm.height() * 2 + 6
            left = fm.horizontalAdvance("0000") + 10
            bottom = h - fm.height() - 8
            right = w - 8
            totals = [sum(s[2][i] for s in self.series) for i in range(len(self.categories))]
            vmax = max([*totals, 1])
            step = _nice_step(vmax)
            vmax = step * ((vmax + step - 1) // step)
            plot_h = max(bottom - top, 1)
            # legend
            x = left
            for label, colour, _ in self.series:
                p.fillRect(QRectF(x, fm.height() + 6, 10, 10), colour)
                p.setPen(theme.fg(State.MUTED))
                p.drawText(int(x + 14), int(fm.height() + 6 + fm.ascent() - 2), label)
                x += 24 + fm.horizontalAdvance(label)
            # grid
            v = 0
            while v <= vmax:
                y = bottom - plot_h * v / vmax
                p.setPen(QPen(theme.chart("raster"), 1))
                p.drawLine(int(left), int(y), int(right), int(y))
                p.setPen(theme.fg(State.MUTED))
                p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           nl_int(v))  # fmt: skip
                v += step
            n = len(self.categories)
            if n == 0:
                p.setPen(theme.fg(State.MUTED))
                p.drawText(QRectF(left, top, right - left, plot_h), Qt.AlignmentFlag.AlignCenter,
                           "geen gegevens")  # fmt: skip
                return
            slot = (right - left) / n
            bar_w = max(min(slot * 0.6, 48), 2)
            label_every = max(1, int(fm.horizontalAdvance("0000-00") * 1.2 // slot) + 1)
            for i, cat in enumerate(self.categories):
                x0 = left + slot * i + (slot - bar_w) / 2
                y = float(bottom)
                for _label, colour, values in self.series:
                    hv = plot_h * values[i] / vmax
                    p.fillRect(QRectF(x0, y - hv, bar_w, hv), colour)
                    y -= hv
                if i % label_every == 0:
                    p.setPen(theme.fg(State.MUTED))
                    p.drawText(QRectF(left + slot * i - 20, bottom + 3, slot + 40, fm.height()),
                               Qt.AlignmentFlag.AlignHCenter, cat)  # fmt: skip
        finally:
            p.end()


class ShareBarChart(QWidget):
    """Horizontal bars: a share (0..1) per label, with the percentage written next to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.bars: list[tuple[str, float, int]] = []
        self.setMinimumSize(QSize(280, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, bars: list[tuple[str, float, int]]) -> None:
        self.title, self.bars = title, bars
        self.setAccessibleName(f"Grafiek: {title}")
        self.setAccessibleDescription(self.figures_text())
        self.setToolTip(self.figures_text())
        self.update()

    def figures_text(self) -> str:
        """The chart's figures as text, for screen readers and the tooltip."""
        if not self.bars:
            return "geen gegevens"
        return "; ".join(
            f"{label}: {round(frac * 100)}% ({nl_int(count)})" for label, frac, count in self.bars
        )

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            fm = _draw_title(p, self, self.title)
            w = self.width()
            top = fm.height() * 2
            if not self.bars:
                p.setPen(theme.fg(State.MUTED))
                p.drawText(QRectF(0, top, w, self.height() - top), Qt.AlignmentFlag.AlignCenter,
                           "geen gegevens")  # fmt: skip
                return
            label_w = min(max(fm.horizontalAdvance(b[0]) for b in self.bars) + 12, w * 0.4)
            value_w = fm.horizontalAdvance("100% (0.000)") + 8
            bar_max = max(w - label_w - value_w, 10)
            row_h = min(max((self.height() - top) / len(self.bars), fm.height() + 4), 34)
            for i, (label, frac, count) in enumerate(self.bars):
                y = top + i * row_h
                p.setPen(self.palette().color(QPalette.ColorRole.WindowText))
                p.drawText(QRectF(0, y, label_w - 8, row_h),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                           fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8)))  # fmt: skip
                bar_h = row_h * 0.6
                p.fillRect(
                    QRectF(label_w, y + (row_h - bar_h) / 2, bar_max, bar_h), theme.chart("spoor")
                )
                p.fillRect(QRectF(label_w, y + (row_h - bar_h) / 2, bar_max * max(min(frac, 1), 0),
                                  bar_h), theme.chart("accent"))  # fmt: skip
                p.setPen(theme.fg(State.MUTED))
                p.drawText(QRectF(label_w + bar_max + 6, y, value_w, row_h),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           f"{round(frac * 100)}% ({nl_int(count)})")  # fmt: skip
        finally:
            p.end()


def _nice_step(vmax: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if vmax / step <= 5:
            return step
    return max(vmax // 5, 1)


# --- the dialog ------------------------------------------------------------------------------------


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _job_figures(account: str, van: dt.date, tot: dt.date) -> Callable[[Any], Figures]:
    def job(session: Any) -> Figures:
        from zsm_desk.services.monitoring import monitoring
        from zsm_desk.services.security import users

        return monitoring.figures(session, van, tot, roles=users.roles_of(session, account))

    return job


def _job_export(
    account: str, van: dt.date, tot: dt.date, fmt: str, path: Path
) -> Callable[[Any], str]:
    def job(session: Any) -> str:
        from zsm_desk.services.monitoring import monitoring
        from zsm_desk.services.security import users

        monitoring.export(session, van, tot, {fmt: path}, account=account,
                          roles=users.roles_of(session, account))  # fmt: skip
        return str(path)

    return job


class MonitorDialog(QDialog):
    def __init__(
        self,
        run_in_worker: RunInWorker,
        account: str,
        parent: QWidget | None = None,
        *,
        van: dt.date | None = None,
        tot: dt.date | None = None,
        today: dt.date | None = None,
        auto_run: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Monitor")
        self.setObjectName("monitorDialog")
        self._run = run_in_worker
        self._account = account
        self.figures: Figures | None = None
        self._busy = False

        today = today or dt.datetime.now(TZ).date()
        tot = tot or today
        van = van or tot.replace(day=1)

        self.van_edit = self._date_edit(van, "van")
        self.tot_edit = self._date_edit(tot, "tot")
        self.run_button = QPushButton("&Berekenen")
        self.run_button.setObjectName("berekenen")
        self.run_button.clicked.connect(self.refresh)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        a11y.name(self.van_edit, "Van datum")
        a11y.name(self.tot_edit, "Tot en met datum")
        top.addWidget(a11y.buddy("&Van", self.van_edit))
        top.addWidget(self.van_edit)
        top.addWidget(a11y.buddy("t/&m", self.tot_edit))
        top.addWidget(self.tot_edit)
        top.addWidget(self.run_button)
        top.addSpacing(12)
        top.addWidget(self.status, 1)

        self.tabs = QTabWidget()
        self.models: dict[str, ReportTableModel] = {}
        self.views: dict[str, QTableView] = {}

        overview = QWidget()
        ov = QVBoxLayout(overview)
        ov.setContentsMargins(6, 6, 6, 6)
        self.pilot_view = self._table_view("instroom")
        ov.addWidget(self.pilot_view, 2)
        charts = QHBoxLayout()
        self.month_chart = MonthBarChart()
        self.month_chart.setObjectName("trendChart")
        self.vh_chart = ShareBarChart()
        self.vh_chart.setObjectName("vhChart")
        charts.addWidget(self.month_chart, 3)
        charts.addWidget(self.vh_chart, 2)
        ov.addLayout(charts, 5)
        self.tabs.addTab(overview, "Overzicht")
        self._tab_keys: list[str] = []

        self.export_buttons: dict[str, QPushButton] = {}
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Exporteren:"))
        for fmt, label, _filter in EXPORTS:
            b = QPushButton(label)
            b.setObjectName(f"export_{fmt}")
            b.setEnabled(False)
            b.setProperty("format", fmt)
            # A bound method, not a lambda: a closure over `self` would keep the
            # dialog alive from inside its own child and crash on deletion.
            b.clicked.connect(self._export_clicked)
            self.export_buttons[fmt] = b
            bottom.addWidget(b)
        bottom.addStretch(1)
        close = QPushButton("&Sluiten")
        close.clicked.connect(self.accept)
        bottom.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)
        a11y.tab_shortcuts(self, self.tabs)  # also from the date fields above the tabs
        self.resize(1100, 760)
        if auto_run:
            self.refresh()

    # --- building blocks ---------------------------------------------------------------------

    def _date_edit(self, d: dt.date, name: str) -> QDateEdit:
        e = QDateEdit(_qdate(d))
        e.setObjectName(name)
        e.setCalendarPopup(True)
        e.setDisplayFormat("dd-MM-yyyy")
        e.setMinimumDate(QDate(2000, 1, 1))
        e.setMaximumDate(QDate(2100, 12, 31))
        return e

    def _table_view(self, key: str) -> QTableView:
        view = QTableView()
        model = ReportTableModel(parent=view)  # dies with its view
        view.setObjectName(f"table_{key}")
        a11y.name(view, "Tabel " + TAB_TITLES.get(key, "instroom en bekende cliënten"))
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        view.setWordWrap(True)
        self.models[key] = model
        self.views[key] = view
        return view

    # --- running -----------------------------------------------------------------------------

    def period(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.van_edit.date()), _pydate(self.tot_edit.date())

    def refresh(self) -> None:
        van, tot = self.period()
        if tot < van:
            self._error("De einddatum ligt vóór de begindatum.")
            return
        self._set_busy(True, "Bezig met berekenen…")
        self._run(_job_figures(self._account, van, tot), self._on_figures, self._on_error)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.run_button.setEnabled(not busy)
        for b in self.export_buttons.values():
            b.setEnabled(not busy and self.figures is not None)
        self.status.setStyleSheet("")
        self.status.setText(text)

    def _error(self, message: str) -> None:
        self._set_busy(False)
        self.status.setStyleSheet(theme.css(State.ERROR))
        self.status.setText(message)

    def _on_error(self, message: str) -> None:
        self._error(f"Mislukt: {message}")

    def _on_figures(self, f: Figures) -> None:
        self.figures = f
        tables = report_tables(f)
        kinds = [r["soort"] for r in f["instroom"]["tabel"]["rijen"]]
        self.models["instroom"].set_table(
            tables[0],
            bold=[i for i, k in enumerate(kinds) if k == "kop"],
            indent=[i for i, k in enumerate(kinds) if k == "vh"],
        )
        self._fit(self.pilot_view)
        header = self.pilot_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.resizeSection(c, 150)
        # one tab per further table; created once, then refilled
        for t in tables[1:]:
            if t.key not in self.models:
                view = self._table_view(t.key)
                self.tabs.addTab(view, TAB_TITLES.get(t.key, t.groep or t.key))
                self.tabs.setTabToolTip(self.tabs.count() - 1, t.titel)
                view.setAccessibleDescription(t.titel)
                self._tab_keys.append(t.key)
            self.models[t.key].set_table(t)
            self._fit(self.views[t.key])
        months = f["per_maand"]
        self.month_chart.set_data(
            "Eerder bekend per maand",
            [m["maand"] for m in months],
            [("meerderjarig", theme.chart("volwassen"), [m["bekend"]["meerderjarig"] for m in months]),
             ("minderjarig", theme.chart("minderjarig"), [m["bekend"]["minderjarig"] for m in months])],
        )  # fmt: skip
        self.vh_chart.set_data(
            "Verdeling bekend per veiligheidshuis",
            [(short_name(v["naam"]), v["aandeel_van_bekend"], v["bekend"]["totaal"])
             for v in f["per_vh"]],
        )  # fmt: skip
        ins = f["instroom"]
        tk = f["terugkoppeling"]
        self._set_busy(
            False,
            f"{nl_int(ins['ingestroomd']['totaal'])} ingestroomd, "
            f"{nl_int(ins['bekend']['totaal'])} eerder bekend; "
            f"terugkoppeling {nl_int(tk['verzonden'])} van {nl_int(tk['verwacht'])}.",
        )

    def _fit(self, view: QTableView) -> None:
        view.resizeColumnsToContents()
        header = view.horizontalHeader()
        for c in range(header.count()):
            header.resizeSection(c, min(max(header.sectionSize(c), 70), 380))
        view.resizeRowsToContents()

    # --- export ------------------------------------------------------------------------------

    def _export_clicked(self) -> None:
        sender = self.sender()
        if sender is not None:
            self.export(str(sender.property("format")))

    def export(self, fmt: str) -> None:
        if self.figures is None or self._busy:
            return
        p = self.figures["periode"]
        van, tot = dt.date.fromisoformat(p["van"]), dt.date.fromisoformat(p["tot"])
        label = dict((f, flt) for f, _l, flt in EXPORTS)[fmt]
        name = f"monitor-{van.isoformat()}-{tot.isoformat()}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, f"Monitor opslaan ({fmt.upper()})", name, label)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        self._set_busy(True, f"Bezig met opslaan als {fmt.upper()}…")
        self._run(_job_export(self._account, van, tot, fmt, target), self._on_saved, self._on_error)

    def _on_saved(self, saved: str) -> None:
        self._set_busy(False, f"Opgeslagen: {saved}")
