"""The verdachtenmonitor table model on synthetic rows (no database).

Qt's own model tester checks the model's contract (empty, with rows, after a
filter and a sort); the rest checks sorting on every column, filtering, the
countdown colours and that a clock tick only touches the countdown column.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from zsm_desk.domain.names import fold
from zsm_desk.services.intake.queue import QueueRow
from zsm_desk.ui.queue_model import (
    COL_NAME,
    COL_REMAINING,
    COL_VH,
    COLUMNS,
    ID_ROLE,
    SORT_ROLE,
    QueueModel,
)
from zsm_desk.ui.theme import LIGHT, State

# The offscreen platform's palette is light: the light variants apply.
AMBER, AMBER_BG = QColor(LIGHT[State.SOON].fg), QColor(LIGHT[State.SOON].bg)
RED, RED_BG = QColor(LIGHT[State.LATE].fg), QColor(LIGHT[State.LATE].bg)
GREY = QColor(LIGHT[State.CLOSED].fg)
KNOWN_BG, MAYBE_BG = QColor(LIGHT[State.KNOWN].bg), QColor(LIGHT[State.MAYBE].bg)

pytestmark = pytest.mark.gui

NOW = dt.datetime(2026, 11, 22, 14, 0, tzinfo=dt.UTC)
STATUSES = ("aangemeld", "te routeren", "direct behandelen", "in behandeling", "afgedaan",
            "afgebogen")  # fmt: skip
CLOSED = ("afgedaan", "afgebogen")
SURNAMES = (("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Yılmaz"), ("", "El Amrani"),
            ("van der", "Berg"), ("", "Bakker"), ("", "Öztürk"), ("", "Kowalski"))  # fmt: skip
GIVEN = ("Jan Pieter", "Fatima", "Mehmet", "Sanne", "Piotr", "Noa", "Ahmed", "Eva", "Daan")
FEITEN = (("Mishandeling (art. 300 Sr)", "geweld"), ("Winkeldiefstal (art. 310 Sr)", "vermogen"),
          ("Vernieling (art. 350 Sr)", "overlast"), ("Bedreiging (art. 285 Sr)", "huiselijk geweld"),
          ("Rijden onder invloed (art. 8 WVW)", "overig"))  # fmt: skip


def make_row(i: int, rng: random.Random | None = None, **over: Any) -> QueueRow:
    """One synthetic row; `rng` varies every field, `over` fixes some."""
    rng = rng or random.Random(i)
    vv, sur = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    status = rng.choice(STATUSES)
    instroom = NOW - dt.timedelta(minutes=rng.randint(0, 24 * 60))
    deadline = None if status in CLOSED else instroom + dt.timedelta(hours=6)
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000))
    age = (NOW.date() - born).days // 365
    vh = rng.choice(("bekend", "mogelijk", "onbekend", "onbekend", ""))
    label = {"bekend": rng.choice(("VH-UTR", "VH-AMF", "VH-FLE, VH-UTR")),
             "mogelijk": "mogelijk bekend — controleer"}.get(vh, "")  # fmt: skip
    feit, cat = rng.choice(FEITEN)
    values: dict[str, Any] = dict(
        id=i, bvh_nummer=f"PL0900-2026{i:06d}",
        parketnummer=f"16/{100000 + i * 7}-26" if i % 3 else "",
        ingestroomd_op=instroom, deadline=deadline,
        naam=" ".join(p for p in (given, vv, sur) if p),
        sort_naam=" ".join(p for p in (sur, given, vv) if p).lower(),
        geboortedatum=born.strftime("%d-%m-%Y"), geboortedatum_sort=born.isoformat(),
        leeftijd=age, minderjarig=age < 18, bsn=f"{123456782 + i * 11:09d}"[:9] if i % 2 else "",
        feit=feit, categorie=cat, status=status, vh_status=vh, vh_label=label,
        slagzin="Bij nieuw feit: voorgeleiden." if vh == "bekend" else "",
        vh_tooltip="", beslist=False, open_vragen=0,
    )  # fmt: skip
    values.update(over)
    return QueueRow(**values)


def make_rows(n: int = 60, seed: int = 3) -> list[QueueRow]:
    rng = random.Random(seed)
    return [make_row(i, rng) for i in range(1, n + 1)]


@pytest.fixture
def model(qapp) -> QueueModel:  # type: ignore[no-untyped-def]
    m = QueueModel()
    m.set_rows(make_rows(), NOW)
    return m


def ids(m: QueueModel) -> list[int]:
    return [m.row_at(i).id for i in range(m.rowCount())]  # type: ignore[union-attr]


def visible(m: QueueModel) -> list[QueueRow]:
    return [r for r in (m.row_at(i) for i in range(m.rowCount())) if r is not None]


# --- the Qt contract ----------------------------------------------------------------


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_modeltester_empty(qtmodeltester, qapp, force_py: bool) -> None:  # type: ignore[no-untyped-def]
    m = QueueModel()
    qtmodeltester.check(m, force_py=force_py)
    m.set_filter(text="x", statuses=frozenset({"aangemeld"}), only_known=True)
    m.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    m.tick(NOW)
    m.set_rows([], NOW)
    assert m.rowCount() == 0


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_modeltester_with_rows_filter_and_sort(qtmodeltester, model: QueueModel,  # type: ignore[no-untyped-def]
                                               force_py: bool) -> None:  # fmt: skip
    # Both testers stay attached and check every later change as it happens.
    qtmodeltester.check(model, force_py=force_py)
    model.set_filter(text="an")
    model.set_filter(statuses=frozenset({"in behandeling", "aangemeld"}))
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.set_filter(only_known=True)
    model.sort(COL_REMAINING, Qt.SortOrder.DescendingOrder)
    model.tick(NOW + dt.timedelta(hours=2))
    model.set_filter(text="", statuses=None, only_known=False)
    for col in range(len(COLUMNS)):
        model.sort(col, Qt.SortOrder.AscendingOrder)
    model.set_rows(make_rows(25, seed=9), NOW)
    model.set_filter(text="zzz-no-such-name")
    assert model.rowCount() == 0
    model.set_filter(text="")
    assert model.rowCount() == 25


def test_header_and_out_of_range(model: QueueModel) -> None:
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == [c.title for c in COLUMNS]
    assert model.headerData(99, Qt.Orientation.Horizontal) is None
    assert model.data(model.index(999, 0)) is None
    assert model.data(QModelIndex()) is None
    assert model.row_at(-1) is None and model.row_at(10_000) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children


# --- sorting --------------------------------------------------------------------------


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("column", range(len(COLUMNS)), ids=[c.title for c in COLUMNS])
def test_sort_every_column(model: QueueModel, column: int, order: Qt.SortOrder) -> None:
    model.sort(column, order)
    assert model.sort_state == (column, order)
    keys = [COLUMNS[column].key(r, NOW) for r in visible(model)]
    assert len(keys) == model.rowCount() > 0
    assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
    assert len(set(map(str, keys))) > 2, "synthetic data must make the order meaningful"
    first = model.index(0, column)
    assert model.data(first, SORT_ROLE) == str(keys[0])


def test_sort_keeps_order_through_filters(model: QueueModel) -> None:
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.set_filter(statuses=frozenset({"afgedaan", "in behandeling"}))
    names = [r.sort_naam for r in visible(model)]
    assert names == sorted(names)
    model.set_rows(make_rows(40, seed=11), NOW)  # new data, same sort
    names = [r.sort_naam for r in visible(model)]
    assert names == sorted(names)
    assert {r.status for r in visible(model)} <= {"afgedaan", "in behandeling"}


def test_sort_open_before_closed_on_remaining(model: QueueModel) -> None:
    model.sort(COL_REMAINING, Qt.SortOrder.AscendingOrder)
    rows = visible(model)
    closed_at = [i for i, r in enumerate(rows) if r.deadline is None]
    assert closed_at and closed_at == list(range(len(rows) - len(closed_at), len(rows)))


def test_bad_column_is_ignored(model: QueueModel) -> None:
    before = ids(model)
    model.sort(-1)
    model.sort(len(COLUMNS))
    assert ids(model) == before


# --- filtering ------------------------------------------------------------------------


def _rows_for_search() -> list[QueueRow]:
    base = make_rows(30, seed=5)
    special = [
        make_row(101, naam="Jan Pieter de Vries", sort_naam="vries jan pieter de",
                 bsn="111222333", bvh_nummer="PL0900-2026999001", parketnummer="16/777001-26"),
        make_row(102, naam="Fatima El Amrani", sort_naam="el amrani fatima",
                 bsn="444555666", bvh_nummer="PL0900-2026999002", parketnummer=""),
        make_row(103, naam="Jan Bakker", sort_naam="bakker jan", bsn="",
                 bvh_nummer="PL0900-2026999003", parketnummer="16/777003-26"),
        make_row(104, naam="Emre Öztürk", sort_naam="öztürk emre", bsn="",
                 bvh_nummer="PL0900-2026999004", parketnummer=""),
        make_row(105, naam="Ayoub Aydın", sort_naam="aydın ayoub", bsn="",
                 bvh_nummer="PL0900-2026999005", parketnummer=""),
    ]  # fmt: skip
    # No synthetic row may collide with the specials' unique values.
    taken = ("vries", "ozturk", "aydin", "emre", "ayoub")
    return [r for r in base if not any(t in fold(r.naam) for t in taken)] + special


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de vries", {101}),  # name, several words
        ("VRIES jan", {101}),  # case and word order do not matter
        ("  pieter   vries ", {101}),
        ("111222333", {101}),  # BSN
        ("4445", {102}),  # part of a BSN
        ("2026999003", {103}),  # bvh-nummer
        ("16/777001", {101}),  # parketnummer
        ("777003-26", {103}),
        ("jan 16/777", {101, 103}),
        ("amrani 444555666", {102}),
        ("yılmaz zzz", set()),
        ("öztürk", {104}),  # as written
        ("ozturk", {104}),  # typed on a Dutch keyboard
        ("OZTURK emre", {104}),
        ("AYDIN", {105}),  # "AYDIN".lower() is "aydin", not "aydın"
        ("aydın", {105}),
    ],
)
def test_filter_text(qapp, text: str, expected: set[int]) -> None:  # type: ignore[no-untyped-def]
    m = QueueModel()
    m.set_rows(_rows_for_search(), NOW)
    m.set_filter(text=text)
    got = set(ids(m))
    if expected:
        assert got == expected
    else:
        assert got == set()


def test_filter_text_on_synthetic_names(model: QueueModel) -> None:
    all_rows = visible(model)
    model.set_filter(text="jansen")
    assert set(ids(model)) == {r.id for r in all_rows if "jansen" in r.naam.lower()} != set()
    model.set_filter(text="")
    assert model.rowCount() == len(all_rows)


def test_status_filter_and_only_known(model: QueueModel) -> None:
    all_rows = visible(model)
    model.set_filter(statuses=frozenset({"te routeren"}))
    assert set(ids(model)) == {r.id for r in all_rows if r.status == "te routeren"} != set()
    model.set_filter(only_known=True)  # statuses stay
    expected = {r.id for r in all_rows
                if r.status == "te routeren" and r.vh_status in ("bekend", "mogelijk")}  # fmt: skip
    assert set(ids(model)) == expected
    model.set_filter(statuses=None)  # all statuses, still only known
    known = {r.id for r in all_rows if r.vh_status in ("bekend", "mogelijk")}
    assert set(ids(model)) == known and len(known) > len(expected)
    model.set_filter(text=None)  # None keeps the text, False keeps the statuses
    assert set(ids(model)) == known
    model.set_filter(only_known=False)
    assert model.rowCount() == len(all_rows)
    c = model.counts()
    assert c["totaal"] == c["zichtbaar"] == len(all_rows)
    assert c["bekend"] == sum(r.vh_status == "bekend" for r in all_rows)
    assert c["mogelijk"] == sum(r.vh_status == "mogelijk" for r in all_rows)
    assert c["open"] == sum(r.deadline is not None for r in all_rows)


def test_filter_moves_persistent_indexes(model: QueueModel) -> None:
    """A selection (persistent index) follows its row through a filter and a sort."""
    target = next(r for r in visible(model) if r.status == "in behandeling")
    other = next(r for r in visible(model) if r.status == "afgedaan")
    keep = QPersistentModelIndex(model.index(model.row_of_id(target.id), 2))
    gone = QPersistentModelIndex(model.index(model.row_of_id(other.id), 0))
    model.set_filter(statuses=frozenset({"in behandeling"}))
    assert keep.isValid() and keep.data(ID_ROLE) == target.id and keep.column() == 2
    assert not gone.isValid()
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert keep.data(ID_ROLE) == target.id


# --- display and colours --------------------------------------------------------------


def _brush(m: QueueModel, row: int, col: int, role: Qt.ItemDataRole) -> Any:
    b = m.data(m.index(row, col), role)
    return None if b is None else b.color()


def test_countdown_colours(qapp) -> None:  # type: ignore[no-untyped-def]
    rows = [
        make_row(1, status="in behandeling", deadline=NOW + dt.timedelta(hours=3)),
        make_row(2, status="in behandeling", deadline=NOW + dt.timedelta(minutes=59)),
        make_row(3, status="in behandeling", deadline=NOW + dt.timedelta(hours=1)),
        make_row(4, status="in behandeling", deadline=NOW - dt.timedelta(minutes=5)),
        make_row(5, status="in behandeling", deadline=NOW),
        make_row(6, status="afgedaan", deadline=None),
    ]
    m = QueueModel()
    m.set_rows(rows, NOW)
    fg, bg = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole
    expect = {1: (None, None), 2: (AMBER, AMBER_BG), 3: (None, None), 4: (RED, RED_BG),
              5: (RED, RED_BG), 6: (GREY, None)}  # fmt: skip
    for item_id, (want_fg, want_bg) in expect.items():
        r = m.row_of_id(item_id)
        assert _brush(m, r, COL_REMAINING, fg) == want_fg, item_id
        assert _brush(m, r, COL_REMAINING, bg) == want_bg, item_id
    r = m.row_of_id(2)
    assert m.data(m.index(r, COL_REMAINING), Qt.ItemDataRole.FontRole).bold()
    assert m.data(m.index(m.row_of_id(1), COL_REMAINING), Qt.ItemDataRole.FontRole) is None
    assert m.data(m.index(m.row_of_id(6), COL_REMAINING)) == "afgesloten"
    tip = m.data(m.index(m.row_of_id(1), COL_REMAINING), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Uiterlijk ")
    # Closed cases are grey in every column except the VH flag.
    r6 = m.row_of_id(6)
    assert _brush(m, r6, COL_NAME, fg) == GREY
    assert m.counts()["verlopen"] == 2


def test_vh_column(qapp) -> None:  # type: ignore[no-untyped-def]
    rows = [
        make_row(1, vh_status="bekend", vh_label="VH-UTR", slagzin="Voorgeleiden.",
                 vh_tooltip="Veiligheidshuis Regio Utrecht: Voorgeleiden."),
        make_row(2, vh_status="mogelijk", vh_label="mogelijk bekend — controleer", slagzin=""),
        make_row(3, vh_status="onbekend", vh_label="", slagzin=""),
        make_row(4, vh_status="", vh_label="", slagzin=""),
    ]  # fmt: skip
    m = QueueModel()
    m.set_rows(rows, NOW)
    text = {r.id: m.data(m.index(m.row_of_id(r.id), COL_VH)) for r in rows}
    assert text == {
        1: "● VH-UTR — Voorgeleiden.",
        2: "⚠ mogelijk bekend — controleer",
        3: "",
        4: "",
    }
    bg = Qt.ItemDataRole.BackgroundRole
    assert _brush(m, m.row_of_id(1), COL_VH, bg) == KNOWN_BG
    assert _brush(m, m.row_of_id(2), COL_VH, bg) == MAYBE_BG
    assert _brush(m, m.row_of_id(3), COL_VH, bg) is None
    assert m.data(m.index(m.row_of_id(4), COL_VH), Qt.ItemDataRole.ToolTipRole) is None
    m.sort(COL_VH, Qt.SortOrder.AscendingOrder)
    assert ids(m) == [1, 2, 3, 4]


def test_tick_changes_only_the_countdown_column(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    rows = [make_row(i, status="in behandeling", deadline=NOW + dt.timedelta(minutes=90 + i))
            for i in range(1, 21)]  # fmt: skip
    m = QueueModel()
    m.set_rows(rows, NOW)
    m.sort(COL_REMAINING, Qt.SortOrder.AscendingOrder)
    changes: list[tuple[int, int, int, int]] = []
    m.dataChanged.connect(
        lambda tl, br, _roles=None: changes.append((tl.row(), tl.column(), br.row(), br.column()))
    )
    layout: list[int] = []
    m.layoutChanged.connect(lambda *_a: layout.append(1))
    m.modelReset.connect(lambda: layout.append(2))
    first = m.index(0, COL_REMAINING)
    assert _brush(m, 0, COL_REMAINING, Qt.ItemDataRole.ForegroundRole) is None
    before = m.data(first)
    m.tick(NOW + dt.timedelta(minutes=45))
    assert changes == [(0, COL_REMAINING, len(rows) - 1, COL_REMAINING)]
    assert not layout  # no re-sort, no reset: selection and scroll stay
    assert m.data(first) != before
    assert _brush(m, 0, COL_REMAINING, Qt.ItemDataRole.ForegroundRole) == AMBER
    m.tick(NOW + dt.timedelta(hours=3))
    assert _brush(m, 0, COL_REMAINING, Qt.ItemDataRole.ForegroundRole) == RED
    # An empty view has nothing to repaint.
    m.set_filter(text="zzz-nothing")
    changes.clear()
    m.tick(NOW + dt.timedelta(hours=4))
    assert changes == []


def test_accessible_text_and_feit_tooltip(model: QueueModel) -> None:
    idx = model.index(0, 5)
    assert model.data(idx, Qt.ItemDataRole.AccessibleTextRole) == model.data(idx)
    assert model.data(idx, Qt.ItemDataRole.ToolTipRole) == model.row_at(0).feit  # type: ignore[union-attr]


def test_rows_are_immutable_values() -> None:
    r = make_row(1)
    with pytest.raises(AttributeError):
        r.naam = "x"  # type: ignore[misc]
    assert r._replace(naam="Anna").search_text.startswith("anna ")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="bools are immortal from Python 3.12")
def test_emitting_keeps_the_reference_to_true(model: QueueModel) -> None:
    """PySide6 6.12.0 drops a reference to True on every emit from Python; a few
    thousand emits later the process aborts (bool_dealloc). `worker.emit` gives it back."""
    before = sys.getrefcount(True)
    for _ in range(300):
        model.set_filter(text="")  # two emits each
        model.tick(NOW)
    assert sys.getrefcount(True) >= before - 10


def test_open_adviesvraag_marker_on_the_status_column() -> None:
    from zsm_desk.ui.queue_model import COL_STATUS

    m = QueueModel()
    asked = make_row(1, open_vragen=1, vraag_deadline=NOW + dt.timedelta(hours=3))
    late = make_row(2, open_vragen=2, vraag_deadline=NOW - dt.timedelta(minutes=5))
    none = make_row(3)
    m.set_rows([asked, late, none], NOW)
    texts = {m.row_at(i).id: m.data(m.index(i, COL_STATUS)) for i in range(3)}  # type: ignore[union-attr]
    assert "advies gevraagd" in texts[1]
    assert "advies te laat" in texts[2]
    assert "✉" not in texts[3]
    row_late = m.row_of_id(2)
    brush = m.data(m.index(row_late, COL_STATUS), Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush.color().name() == "#b00020"


def test_dark_palette_switches_every_state_colour(qapp) -> None:  # type: ignore[no-untyped-def]
    """Under a dark palette the VH flag and the countdown get their dark variants:
    readable light text on dark cells, never the pale light-mode backgrounds."""
    from zsm_desk.ui.theme import DARK, contrast, dark_palette

    rows = [
        make_row(1, vh_status="bekend", vh_label="VH-UTR", slagzin="Voorgeleiden.",
                 deadline=NOW - dt.timedelta(minutes=5)),
        make_row(2, vh_status="mogelijk", vh_label="mogelijk bekend — controleer", slagzin="",
                 deadline=NOW + dt.timedelta(minutes=30)),
    ]  # fmt: skip
    m = QueueModel()
    m.set_rows(rows, NOW)
    before = qapp.palette()
    qapp.setPalette(dark_palette())
    try:
        fg, bg = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole
        cells = {
            (1, COL_VH): State.KNOWN,
            (2, COL_VH): State.MAYBE,
            (1, COL_REMAINING): State.LATE,
            (2, COL_REMAINING): State.SOON,
        }
        for (item_id, col), state in cells.items():
            r = m.row_of_id(item_id)
            text, back = _brush(m, r, col, fg), _brush(m, r, col, bg)
            assert (text.name(), back.name()) == (DARK[state].fg, DARK[state].bg), state
            assert contrast(text.name(), back.name()) >= 4.5
    finally:
        qapp.setPalette(before)
