"""The fast bulk paths of issue 12 give exactly what the per-record paths give.

A clean register file is checked column by column (`register_columns`), its
keys computed per distinct value (`key_rows`), the weights trained on row
numbers (`KeyTable`), and markings, keys and instroom items are inserted
through the driver (`bulk.insert_rows`). Each must agree with the plain path,
and a file the plain path refuses must never get through the fast one.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from tests.test_import_register import COLUMNS, csv_text, marking, write
from zsm_desk.app_context import AppContext
from zsm_desk.domain.evidence import (
    BLOCK_KINDS,
    KEY_FIELDS,
    PAIRED_KINDS,
    KeyTable,
    block_keys,
    identity_probes,
    key_rows,
    keys_of,
    probe_keys,
    train,
)
from zsm_desk.domain.records import Identity
from zsm_desk.domain.validation import (
    FieldError,
    parse_register,
    register_columns,
    register_identities,
)
from zsm_desk.services.intake import instroom
from zsm_desk.services.registers import known_clients, match_store
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.storage import bulk
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models import Setting
from zsm_desk.services.storage.models_match import MatchKey

# --- validation: the column check accepts only what parse_register accepts -------------

_ODD: dict[str, list[Any]] = {
    "vh_code": ["vh-utr", " VH-UTR ", "", "X" * 33, None, 5],
    "persoon_id": ["", " p1 ", "p" * 65, "a\x00b"],
    "achternaam": ["", "  ", "Ñúñez", "x" * 201, "de Vries", 3.5, True, ["x"]],
    "voorvoegsel": ["", "van der", "x" * 41],
    "voornamen": ["", "Jan  Piet", "x" * 200, "x" * 201],
    "geboortedatum": ["1980-00-00", "1980-05-00", "1980-00-05", "1980-02-30", "1899-01-01",
                      "80-05-17", " 1980-05-17 ", "1980-05-17x", ""],
    "bsn": ["", "123456782", "12345678", "1234567", "123 456 782", "123.456.782", "12345678a",
            "1234567890", "１２３４５６７８２", 123456782],
    "geboorteplaats": ["", "x" * 101],
    "gemeente": ["x" * 100, "x" * 101],
    "slagzin": ["", "x" * 200, "x" * 201, "x" * 2001],
    "advies": ["x" * 100_001, "a\nb"],
    "advies_datum": ["2026-09-01", "2026-13-01", "20260901", "", "2026-9-1"],
    "contact_telefoon": ["x" * 41],
    "actief": ["ja", "Nee", " j ", "true", "1", "0", "", None, True, False, "misschien", 1],
    "geslacht": ["m", "V", "", "Q", "MV"],
}  # fmt: skip


def _row(m: Any) -> tuple[Any, ...]:
    return registers._row(m)


def _cases() -> list[dict[str, Any]]:
    out = []
    for name, values in _ODD.items():
        for v in values:
            out.append(marking("P1", **{name: v}))
    rec = marking("P2")
    del rec["voorvoegsel"], rec["actief"]  # missing optional keys
    out.append(rec)
    return out


@pytest.mark.parametrize("rec", _cases(), ids=lambda r: repr(r)[-60:])
def test_column_check_agrees_with_parse_register(rec: dict[str, Any]) -> None:
    cols = register_columns([rec])
    try:
        expected = _row(parse_register(rec))
    except FieldError:
        assert cols is None  # refused by the plain path: never accepted by the fast one
        return
    if cols is None:
        return  # the fast path may decline what it cannot check cheaply
    got = tuple(cols[f][0] for f in registers.REGISTER_FIELDS)
    assert got == expected
    # what keys_ahead works out keys for is what is stored, or nothing
    assert register_identities([rec]) in ([got[2:9]], [])


def test_identities_ahead_are_what_the_whole_check_stores_or_nothing() -> None:
    """The keys' child reads identities with the conversions only: equal to the
    whole check's values on a clean file, [] for a value that is not text; a
    value only the whole check refuses still gives identities (thrown away
    with the refused file)."""
    recs = [marking(f"P{n}", achternaam=f" Naam{n} ", bsn="1234.56.782") for n in range(5)]
    cols = register_columns(recs)
    assert cols is not None
    want = list(zip(*(cols[f] for f in registers.REGISTER_FIELDS[2:9]), strict=True))
    assert register_identities(recs) == want
    assert want[0][0] == "Naam0" and want[0][4] == "123456782"
    assert register_identities([*recs, {**recs[0], "achternaam": None}]) == []
    assert register_identities([*recs, {**recs[0], "geboortedatum": "1980-02-30"}]) == []
    too_long = {**recs[0], "gemeente": "x" * 500}
    assert register_columns([too_long]) is None
    assert len(register_identities([too_long])) == 1


def test_column_check_whole_file_refuses_one_bad_record() -> None:
    recs = [marking(f"P{n}") for n in range(50)]
    assert register_columns(recs) is not None
    recs[37] = marking("P37", geboortedatum="1980-02-30")
    assert register_columns(recs) is None
    # each value at the limit, the column far over it in all; then one over
    full = [marking(f"P{n}", gemeente="x" * 100) for n in range(50)]
    assert register_columns(full) is not None
    full[20] = marking("P20", gemeente="x" * 101)
    assert register_columns(full) is None
    full[20] = marking("P20", gemeente="a\x00b")
    assert register_columns(full) is None


def test_bad_record_in_large_clean_file_named(app: AppContext, tmp_path: Any) -> None:
    recs = [marking(f"P{n:04d}", achternaam=f"Naam{n}") for n in range(300)]
    recs[211]["advies_datum"] = "2026-02-30"
    path = write(tmp_path, "reg.csv", csv_text(recs, COLUMNS))
    with (
        pytest.raises(registers.ImportRefused, match="record 212, veld advies_datum"),
        app.db.session() as s,
    ):
        registers.import_file(s, path, actor=app.account)
    with app.db.session() as s:
        assert s.execute(select(MatchKey)).first() is None


# --- keys: per distinct value, the same as keys_of + block_keys -------------------------

_SUR = ["Jansen", "de Vries", "van der Berg-El Amrani", "El Amrani", "Öztürk", "Ijzerman",
        "Yılmaz", "'t Hart", "", "Abdel Kader", "Bakker - de Jong"]  # fmt: skip
_VV = ["", "de", "van der", "El"]
_GIV = ["Jan Pieter", "J.P.", "M aja", "de Vries", "Mohamed Abdelkader", "Luc", "Luuk", "A",
        "", "Jo ël", "Anne-Marie Sophie", "Tijs Hendrik"]  # fmt: skip
_DATES = ["1990-03-04", "1990-04-03", "1990-00-00", "1990-03-00", "", "2001-12-12", "bad"]
_BSN = ["", "123456782", "123456789", "12345678", "111222333"]
_PLACES = ["Den Haag", "'s-Gravenhage", "", "Utrecht", "Den Bosch", "Casablanca"]


def _identities(n: int, seed: int) -> list[Identity]:
    rng = random.Random(seed)
    return [
        Identity(
            achternaam=rng.choice(_SUR) + rng.choice(["", "", "x", "s"]),
            voornamen=rng.choice(_GIV),
            geboortedatum=rng.choice(_DATES)
            if rng.random() < 0.3
            else f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            voorvoegsel=rng.choice(_VV),
            bsn=rng.choice(_BSN),
            geboorteplaats=rng.choice(_PLACES),
            gemeente=rng.choice(_PLACES),
        )
        for _ in range(n)
    ]


def test_key_rows_equal_keys_of_and_block_keys() -> None:
    ids = _identities(3_000, 1)
    rows = key_rows(
        (n, i.achternaam, i.voorvoegsel, i.voornamen, i.geboortedatum, i.bsn, i.geboorteplaats,
         i.gemeente)
        for n, i in enumerate(ids)
    )  # fmt: skip
    for n, (i, r) in enumerate(zip(ids, rows, strict=True)):
        k = keys_of(i)
        assert r == (n, *(getattr(k, f) for f in KEY_FIELDS), *block_keys(k).values())


def test_identity_probes_equal_probe_keys_of_the_suspect_keys() -> None:
    """A big file's child finds candidates from `identity_probes`: the probe
    values `probe_keys` gives the suspect's keys, the paired kinds one set."""
    for i in _identities(3_000, 3):
        got = identity_probes(i.achternaam, i.voorvoegsel, i.voornamen, i.geboortedatum, i.bsn)
        assert got == probe_keys(keys_of(i, suspect=True))
        for a, b in PAIRED_KINDS:
            assert got[a] is got[b]


@pytest.mark.parametrize("n", [3_000, 41_000])  # below and above the EM sample size
def test_training_on_a_key_table_equals_training_on_keys(n: int) -> None:
    ids = _identities(n, 2)
    keys = [keys_of(i) for i in ids]
    rows = [(0, *(getattr(k, f) for f in KEY_FIELDS)) for k in keys]
    assert train(KeyTable(rows)).to_json() == train(keys).to_json()


# --- storage: the bulk insert paths store what the ORM/Core paths stored ----------------


def _register_records(ids: list[Identity]) -> list[dict[str, Any]]:
    return [
        marking(f"P{n:03d}", achternaam=i.achternaam or "X", voorvoegsel=i.voorvoegsel,
                voornamen=i.voornamen or "Y", bsn=i.bsn,
                geboortedatum=i.geboortedatum if i.geboortedatum not in ("", "bad") else "1990-01-01",
                geboorteplaats=i.geboorteplaats, gemeente=i.gemeente, actief="ja" if n % 7 else "nee")
        for n, i in enumerate(ids)
    ]  # fmt: skip


def _import_register(app: AppContext, tmp_path: Any, recs: list[dict[str, Any]]) -> None:
    """The records as a register CSV, imported in a session of its own."""
    path = write(tmp_path, "reg.csv", csv_text(recs, COLUMNS))
    with app.db.session() as s:
        registers.import_file(s, path, actor=app.account)


@pytest.mark.parametrize("ahead", [False, True])
def test_bulk_key_path_stores_the_same_keys(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    """The first-import path (indexes dropped and rebuilt, driver executemany),
    forced on a small register, on SQLite and PostgreSQL; with `ahead`, the
    keys worked out in a forked child while the markings are stored, and
    lined up with them one to one although the file mixes two VHs."""
    monkeypatch.setattr(match_store, "_BULK", 10)
    here: list[int] = []
    in_order: list[bool] = []
    if ahead:
        monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
        monkeypatch.setattr(match_store, "_BESIDE", 10)
        own = match_store.key_rows
        monkeypatch.setattr(match_store, "key_rows", lambda rows: here.append(1) or own(rows))
        in_order = _spy_in_order(monkeypatch)
    recs = _register_records(_identities(60, 3))
    for n, rec in enumerate(recs):
        rec["vh_code"] = ("VH-UTR", "VH-AMS")[n % 2]
    _import_register(app, tmp_path, recs)
    assert not here  # every key row came from the child (a fork copies the patch)
    # lined up by their ids, without reading the markings back (SQLite only)
    sqlite = app.db.engine.dialect.name == "sqlite"
    assert in_order == ([sqlite] if ahead else [])
    _assert_keys_stored(app, recs)


def test_keys_ahead_that_do_not_line_up_are_matched_per_marking(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the child's identities are not the stored rows in their order,
    the markings are read back and each finds its own key row."""
    from zsm_desk.services.registers import register_import

    monkeypatch.setattr(match_store, "_BULK", 10)
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    monkeypatch.setattr(match_store, "_BESIDE", 10)
    own = register_import.register_identities
    monkeypatch.setattr(register_import, "register_identities", lambda recs: own(recs)[::-1])
    in_order = _spy_in_order(monkeypatch)
    recs = _register_records(_identities(60, 4))
    _import_register(app, tmp_path, recs)
    assert in_order == [False]
    _assert_keys_stored(app, recs)


def _spy_in_order(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each first import lined the child's keys up by their ids."""
    seen: list[bool] = []
    first = match_store._first_in_order

    def spy(*args: Any) -> Any:
        got = first(*args)
        seen.append(got is not None)
        return got

    monkeypatch.setattr(match_store, "_first_in_order", spy)
    return seen


def _assert_keys_stored(app: AppContext, recs: list[dict[str, Any]]) -> None:
    """Every marking has the keys `keys_of` gives its stored identity, and the
    first-import indexes are there."""
    with app.db.session() as s:
        got = s.execute(
            text(
                "SELECT m.persoon_id, m.achternaam, m.voorvoegsel, m.voornamen, m.geboortedatum, "
                "m.bsn, m.geboorteplaats, m.gemeente, m.advies_datum, m.actief, "
                f"{', '.join('k.' + f for f in KEY_FIELDS)}, "
                f"{', '.join('k.' + k for k in BLOCK_KINDS)} "
                "FROM register_marking m JOIN match_key k ON k.marking_id = m.id"
            )
        ).all()
        indexes = {
            r[0]
            for r in s.execute(text("SELECT indexname FROM pg_indexes WHERE tablename='match_key'"))
        } if app.db.engine.dialect.name == "postgresql" else {
            r[1] for r in s.execute(text("PRAGMA index_list(match_key)"))
        }  # fmt: skip
    assert len(got) == 60
    assert {f"ix_match_key_{k}" for k in ("k_bsn", "k_ds", "k_smd", "k_gmd")} <= indexes
    for r in got:
        rec = recs[int(r[0][1:])]
        assert (r[1], r[4]) == (rec["achternaam"], rec["geboortedatum"])
        i = Identity(r[1], r[3], r[4], r[2], r[5], r[6], r[7])
        k = keys_of(i)
        end = 10 + len(KEY_FIELDS)
        assert tuple(r[10:end]) == tuple(getattr(k, f) for f in KEY_FIELDS)
        assert tuple(r[end:]) == tuple(block_keys(k).values())
        assert r[8] in (dt.date(2026, 9, 1), "2026-09-01")
        assert bool(r[9]) is (rec["actief"] == "ja")


def test_bulk_key_path_keeps_indexes_other_desks_use(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DROP INDEX locks match_key until the import commits: only a first import
    into an empty table on SQLite (one desk) drops and rebuilds the indexes;
    PostgreSQL (several desks) and a table with keys keep them."""
    monkeypatch.setattr(match_store, "_BULK", 10)
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(app.db.engine, "before_cursor_execute", note)
    try:
        for vh, first in (("VH-UTR", True), ("VH-HGL", False)):
            recs = [marking(f"P{n:03d}", vh, achternaam=f"Naam{n}", voornamen="Kees")
                    for n in range(30)]  # fmt: skip
            seen.clear()
            with app.db.session() as s:
                registers.import_file(s, write(tmp_path, f"{vh}.csv", csv_text(recs)), actor="t")
            drops = [q for q in seen if q.startswith("DROP INDEX")]
            sqlite_first = first and app.db.engine.dialect.name == "sqlite"
            assert bool(drops) is sqlite_first, (vh, drops)
    finally:
        event.remove(app.db.engine, "before_cursor_execute", note)


def test_bulk_instroom_items_like_orm(app: AppContext) -> None:
    doc = [
        {"bvh_nummer": f"PL01-{n:04d}", "ingestroomd_op": "2026-11-22T08:00:00+01:00",
         "achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1980-05-17",
         "feit": "diefstal", "status": "aangemeld"}
        for n in range(5)
    ]  # fmt: skip
    from zsm_desk.services.storage.fileformats import RawFile

    with app.db.session() as s:
        rep = instroom.import_raw(s, RawFile(doc, "json"), actor=app.account)
    assert rep.nieuw == 5 and len(rep.changed_ids) == 5
    with app.db.session() as s:
        rows = s.execute(select(ItemRow).order_by(ItemRow.id)).scalars().all()
        assert [r.id for r in rows] == rep.changed_ids
        r = rows[0]
        assert r.ingestroomd_op == dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.UTC)
        assert r.mogelijk_complex is False and r.voorvoegsel == "" and r.vh_status == "onbekend"
        assert r.updated_at.tzinfo is not None
        assert known_clients.check_items(s, rep.changed_ids) == 5


# --- matching: the batched candidate lookup finds what the in-memory blocks find ---------


@pytest.mark.parametrize("mode", ["lookup", "scan", "whole", "whole-unpaired"])
def test_candidates_equal_in_memory_blocks(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """`match_store.candidates` (per-value lookups, one pass over all keys when
    most of the register is wanted, or all blocks read at once for a big
    check, its paired kinds merged), batch after batch with `seen`, gives each
    suspect exactly the active markings the in-memory blocks give; also when
    a suspect probes two paired kinds with different values ("unpaired": the
    merged blocks cannot serve that batch, the lookups do)."""
    scan = mode == "scan"
    from zsm_desk.domain.evidence import default_model, probe_keys
    from zsm_desk.domain.matching import Candidate, RegisterIndex

    if scan:
        monkeypatch.setattr(match_store, "_SCAN_MIN", 0)
        monkeypatch.setattr(match_store, "_SCAN_SHARE", 10_000)
    else:
        monkeypatch.setattr(match_store, "_SCAN_MIN", 10**9)
    monkeypatch.setattr(match_store, "_CHUNK", 7)  # many chunks on a small register
    recs = _register_records(_identities(300, 4))
    _import_register(app, tmp_path, recs)
    active = [r for r in recs if r["actief"] == "ja"]
    index = RegisterIndex(
        [Candidate(r["vh_code"], r["persoon_id"], parse_register(r).identity) for r in active],
        model=default_model(),
    )
    suspects = [keys_of(i) for i in _identities(120, 5)] + [index._keys[n] for n in range(40)]
    probes = [probe_keys(k) for k in suspects]
    if mode == "whole-unpaired":
        for n in range(0, len(probes), 3):  # k_gym loses a value, k_smd gains one
            probes[n]["k_gym"] = set(sorted(probes[n]["k_gym"])[1:])
            probes[n]["k_smd"] = probes[n]["k_smd"] | {f"{suspects[n].sur_ph}|0101"}
    expected = [
        {(index._candidates[n].vh_code, index._candidates[n].persoon_id)
         for kind, values in p.items() for v in values for n in index._blocks[kind].get(v, ())}
        for p in probes
    ]  # fmt: skip
    if mode == "whole-unpaired":  # the changed probes do find other markings
        plain = [
            {(index._candidates[n].vh_code, index._candidates[n].persoon_id)
             for n in index.candidates_of(k)}
            for k in suspects
        ]  # fmt: skip
        assert plain != expected
    with app.db.session() as s:
        seen: dict[int, Any] = {}
        ids: dict[tuple[str, str], int] = {}
        whole = match_store.whole_register(s, seen, ids)[0] if mode.startswith("whole") else None
        got: list[set[tuple[str, str]]] = []
        for start in range(0, len(probes), 50):
            batch = probes[start : start + 50]
            for found in match_store.candidates(s, batch, seen, ids, whole):
                assert len({(vh, pid) for vh, pid, _ in found}) == len(found)  # each once
                got.append({(vh, pid) for vh, pid, _ in found})
                assert all(seen[ids[(vh, pid)]] == (vh, pid, k) for vh, pid, k in found)
    assert got == expected
    assert sum(map(len, got)) > 200


@pytest.mark.parametrize("path", ["whole", "lookups", "whole-threads"])
def test_check_judged_over_forked_processes_stores_the_same_hits(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """A check judges its batches in parts over the cores: from the blocks of
    the whole register, or (SQLite) with each child looking its candidates up
    through a read-only connection of its own. The stored hits are the ones a
    check in one process stores, and no child's part had to be done again."""
    from zsm_desk.services.runtime import halves
    from zsm_desk.services.storage.models import Match

    recs = _register_records(_identities(300, 4))
    items = [
        {"bvh_nummer": f"PL01-{n:04d}", "ingestroomd_op": "2026-11-22T08:00:00+01:00",
         "achternaam": i.achternaam or "X", "voorvoegsel": i.voorvoegsel,
         "voornamen": i.voornamen or "Y", "geboortedatum": r["geboortedatum"], "bsn": i.bsn,
         "feit": "diefstal", "status": "aangemeld"}
        for n, (i, r) in enumerate(zip(_identities(200, 4)[:150] + _identities(50, 9),
                                       recs[:150] + _register_records(_identities(50, 9)),
                                       strict=True))
    ]  # fmt: skip
    from zsm_desk.services.storage.fileformats import RawFile

    if path.startswith("whole"):
        monkeypatch.setattr(known_clients, "_WHOLE", 1)  # the whole-register path
    monkeypatch.setattr(known_clients, "_FEED_SAMPLE", 30)  # the rest after the sample
    monkeypatch.setattr(known_clients, "_SPLIT", 20)
    monkeypatch.setattr(bulk, "IN_CHUNK", 7)  # the items and their hits read in chunks
    # the test runner has threads of its own; the command line has none
    monkeypatch.setattr(halves, "single_threaded", lambda: path != "whole-threads")
    if path == "whole-threads":
        # a window's check: a part that needs the per-kind lookups may not open
        # a database in a child of a process with threads; the parent does it
        monkeypatch.setattr(match_store, "in_whole", lambda *_a, **_k: None)
    failed: list[bool] = []
    collect = halves._collect

    def recorded(pid: int, rfd: int) -> object:
        got = collect(pid, rfd)
        failed.append(got is halves._FAILED)
        return got

    monkeypatch.setattr(halves, "_collect", recorded)
    _import_register(app, tmp_path, recs)
    with app.db.session() as s:
        ids = instroom.import_raw(s, RawFile(items, "json"), actor=app.account).changed_ids

    def stored(workers: str) -> list[tuple[Any, ...]]:
        monkeypatch.setenv("ZSM_DESK_WORKERS", workers)
        with app.db.session() as s:
            s.execute(Match.__table__.delete())
            known_clients.check_items(s, ids)
            return [tuple(r) for r in s.execute(
                select(Match.item_id, Match.marking_id, Match.status, Match.score, Match.reden,
                       Match.details).order_by(Match.item_id, Match.marking_id))]  # fmt: skip

    failed.clear()  # the import's own check
    one = stored("1")
    assert len(one) > 100 and not failed
    assert stored("3") == one
    if path == "whole-threads":
        assert failed == [True, True]  # both children refused, their parts done here
        return
    split = path == "whole" or app.db.url.startswith("sqlite")  # a server: all here
    assert (failed == [False, False]) if split else not failed  # two children for the rest


@pytest.mark.parametrize("register", ["unchanged", "changed", "partial"])
def test_big_file_finds_the_candidates_in_a_child_and_stores_the_same_hits(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, register: str
) -> None:
    """A big instroom file: the register's blocks are read and built in a
    forked child, and every suspect's candidates found there, while the items
    are checked and stored (known_clients.candidates_ahead). The hits equal
    those of a check in one process. Candidates found at another register
    version than the check's are not used (here there are none: used, they
    would lose every hit); a suspect the child did not read ("partial": its
    identity read otherwise than stored) is looked up per kind, as are the
    first items, which teach the weights while the child works."""
    from zsm_desk.services.runtime import halves
    from zsm_desk.services.storage.fileformats import RawFile
    from zsm_desk.services.storage.models import Match

    recs = _register_records(_identities(300, 4))
    items = _items_of(recs[:150], 12)
    monkeypatch.setattr(known_clients, "_WHOLE", 1)  # a "big" file
    monkeypatch.setattr(known_clients, "_FEED_SAMPLE", 30)
    monkeypatch.setattr(known_clients, "_SPLIT", 20)
    monkeypatch.setattr(halves, "single_threaded", lambda: True)  # as the command line
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    if register == "changed":
        monkeypatch.setattr(match_store, "blocks_apart", lambda *_a: (-1, []))
    if register == "partial":
        real = known_clients.register_identities
        monkeypatch.setattr(known_clients, "register_identities", lambda r: real(r)[::2])
    lookups: list[int] = []
    per_kind = match_store.candidates

    def counted(session: Any, probes: Any, *a: Any, **k: Any) -> Any:
        lookups.append(len(probes))
        return per_kind(session, probes, *a, **k)

    monkeypatch.setattr(match_store, "candidates", counted)
    got: list[object] = []
    collect = halves._collect

    def recorded(pid: int, rfd: int) -> object:
        res = collect(pid, rfd)
        got.append(res)
        return res

    monkeypatch.setattr(halves, "_collect", recorded)
    _import_register(app, tmp_path, recs)
    got.clear()
    lookups.clear()
    with app.db.session() as s:
        version = match_store.register_version(s)
        ids = instroom.import_raw(s, RawFile(items, "json"), actor=app.account).changed_ids

    def hits() -> list[tuple[Any, ...]]:
        with app.db.session() as s:
            return [tuple(r) for r in s.execute(
                select(Match.item_id, Match.marking_id, Match.status, Match.score, Match.reden,
                       Match.details).order_by(Match.item_id, Match.marking_id))]  # fmt: skip

    ahead = hits()
    if app.db.url.startswith("sqlite"):
        # first the candidates' child, collected when the check reads the register
        assert isinstance(got[0], tuple) and len(got[0]) == 4
        assert got[0][0] == (-1 if register == "changed" else version)
        # the parent looked up per kind only the first items, judged while
        # the child worked (its children's lookups are not counted here)
        if register == "unchanged":
            assert lookups == [30]
    else:  # a server's credentials are not the child's: no such child
        assert not any(isinstance(g, tuple) and len(g) == 4 for g in got)
    monkeypatch.setenv("ZSM_DESK_WORKERS", "1")
    with app.db.session() as s:
        s.execute(Match.__table__.delete())
        known_clients.check_items(s, ids)
    one = hits()
    assert len(one) > 100
    assert ahead == one


def _items_of(recs: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Queue items for these register records, a third with the birth day one
    digit off (how a hurried desk writes it)."""
    rng = random.Random(seed)
    out = []
    for n, r in enumerate(recs):
        date = r["geboortedatum"]
        if n % 3 == 0 and not date.endswith("00"):
            day = int(date[-2:])
            date = f"{date[:-2]}{day + 1 if day % 10 < 8 else day - 1:02d}"
        out.append(
            {"bvh_nummer": f"PL01-{n:05d}", "ingestroomd_op": "2026-11-22T08:00:00+01:00",
             "achternaam": r["achternaam"], "voorvoegsel": r["voorvoegsel"],
             "voornamen": r["voornamen"], "geboortedatum": date,
             "bsn": r["bsn"] if rng.random() < 0.3 else "",
             "feit": "diefstal", "status": "aangemeld"}
        )  # fmt: skip
    return out


def test_a_check_learns_from_its_queue_as_the_in_memory_batch_does(
    app: AppContext, tmp_path: Any
) -> None:
    """An instroom import judges its items with the m its own queue teaches
    (decide_batch): the stored hits are those of the in-memory batch over the
    same register, and the weights did move."""
    from zsm_desk.domain.matching import Candidate, RegisterIndex, decide_batch
    from zsm_desk.services.storage.fileformats import RawFile
    from zsm_desk.services.storage.models import Match, RegisterMarking

    recs = _register_records(_identities(2_500, 4))
    _import_register(app, tmp_path, recs)
    active = [r for r in recs if r["actief"] == "ja"]
    items = _items_of(active[:300], 6) + [
        {**it, "bvh_nummer": f"PL02-{n:05d}"}
        for n, it in enumerate(_items_of(_register_records(_identities(200, 11)), 7))
    ]
    with app.db.session() as s:
        instroom.import_raw(s, RawFile(items, "json"), actor=app.account)
        stored = {
            (r.bvh_nummer, r.vh_code, r.persoon_id, r.status, r.score)
            for r in s.execute(
                select(ItemRow.bvh_nummer, RegisterMarking.vh_code, RegisterMarking.persoon_id,
                       Match.status, Match.score)
                .join(Match, Match.item_id == ItemRow.id)
                .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            )
        }  # fmt: skip
        # the items as stored (a BSN of eight digits gains its leading zero)
        rows = s.execute(
            select(*known_clients._IDENTITY_COLS, ItemRow.bvh_nummer).order_by(ItemRow.id)
        ).all()
    index = RegisterIndex(
        [Candidate(r["vh_code"], r["persoon_id"], parse_register(r).identity) for r in active]
    )
    suspects = [known_clients.item_identity(r) for r in rows]
    expected = {
        (r.bvh_nummer, h.vh_code, h.persoon_id, h.status.value, h.score)
        for r, hits in zip(rows, index.match_many(suspects), strict=True)
        for h in hits
    }
    assert stored == expected
    assert len(stored) > 300
    learned, _ = decide_batch(index.model, index.batch(suspects))
    assert learned.m["geboortedatum"]["cijfer"] > 2 * index.model.m["geboortedatum"]["cijfer"]
    # kept for the next, small check: a feed poll of one suspect starts from it
    with app.db.session() as s:
        stored_m = s.get(Setting, match_store.FEED_KEY)
        assert stored_m is not None and stored_m.value["items"] == len(items)
        start = match_store.with_feed(s, match_store.load_model(s))
    assert start.m["geboortedatum"] == pytest.approx(learned.m["geboortedatum"])
    assert start.u == index.model.u


def test_feed_weights_stored_by_another_desk_first_are_updated(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two desks finishing a big check at once: the one whose insert of the
    learned m loses the race updates the row instead, and its import stands."""
    from zsm_desk.domain.evidence import default_model, with_m

    model = default_model()
    with app.db.session() as other:
        match_store.store_feed(other, model, 600)
    learned = with_m(model, {"geboortedatum": {**model.m["geboortedatum"], "cijfer": 0.12}})
    with app.db.session() as s:
        real_get = s.get
        calls: list[object] = []

        def not_yet(cls: Any, key: Any) -> Any:  # read before the other desk committed
            calls.append(key)
            return None if len(calls) == 1 else real_get(cls, key)

        monkeypatch.setattr(s, "get", not_yet)
        match_store.store_feed(s, learned, 900)
    with app.db.session() as s:
        row = s.get(Setting, match_store.FEED_KEY)
        assert row is not None and row.value["items"] == 900
        assert row.value["m"]["geboortedatum"]["cijfer"] == 0.12
        trained = _trained_model()
        assert match_store.with_feed(s, trained).m["geboortedatum"]["cijfer"] == 0.12
        # a damaged or older value is ignored, not half applied
        row.value = {"versie": 1, "m": {"geboortedatum": {"cijfer": 0.5}}, "items": 1}
        s.flush()
        assert match_store.with_feed(s, trained).m == trained.m


def _trained_model() -> Any:
    from zsm_desk.domain.evidence import train

    return train([keys_of(i) for i in _identities(2_500, 3)])


def test_first_import_trained_beside_the_key_inserts_stores_the_same_model(
    app: AppContext, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weights learned in a forked process while the keys are stored are
    the weights the stored keys give."""
    from zsm_desk.services.storage.models import Setting

    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    monkeypatch.setattr(match_store, "_BESIDE", 10)
    recs = _register_records(_identities(3_000, 6))
    _import_register(app, tmp_path, recs)
    with app.db.session() as s:
        stored = s.get(Setting, match_store.MODEL_KEY)
        assert stored is not None
        model = {k: v for k, v in stored.value.items() if k != "register_versie"}
        keys = match_store.active_keys(s)
        assert len(keys) == sum(r["actief"] == "ja" for r in recs)
        assert model == train(keys).to_json()
        assert s.scalar(select(func.count()).select_from(MatchKey)) == len(recs)


def test_keys_worked_out_ahead_fill_in_only_the_identities_sent_ahead() -> None:
    idents = _identities(3, 9)
    fields = [
        (i.achternaam, i.voorvoegsel, i.voornamen, i.geboortedatum, i.bsn, i.geboorteplaats,
         i.gemeente)
        for i in idents
    ]  # fmt: skip
    packed = match_store._packed_key_rows(lambda: [fields[1], fields[0], fields[1]])
    assert packed is not None
    ids, cols = packed
    # the first column (surname key) marked, to see which rows came from the child
    sent = cols[0].split("\x1e")
    cols = ["\x1e".join(f"kind:{v}" for v in sent), *cols[1:]]
    ahead = match_store.KeysAhead(lambda: (ids, cols))
    missing = [(7, *fields[2], True), (5, *fields[1], True), (3, *fields[0], False)]
    rows = ahead.key_rows(missing)
    want = key_rows(r[:8] for r in missing)
    assert rows[0] == want[0]  # not sent ahead: worked out here
    for got, exp in zip(rows[1:], want[1:], strict=True):
        assert got == (exp[0], f"kind:{exp[1]}", *exp[2:])


def test_keys_ahead_refuse_identities_holding_a_separator() -> None:
    sep = ("Jansen\x1f", "", "Jan", "1990-01-01", "", "", "")
    assert match_store._packed_key_rows(lambda: [sep]) is None
    ahead = match_store.KeysAhead(lambda: None)
    assert ahead.key_rows([(1, *sep, True)]) == key_rows([(1, *sep)])


def test_readable_apart_only_for_an_sqlite_file_in_wal_mode(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forked part reads through its own connection only where that is
    safe beside the importing transaction: an SQLite file in WAL mode, from a
    single-threaded process."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from zsm_desk.services.registers import match_store
    from zsm_desk.services.runtime import halves

    monkeypatch.setattr(halves, "single_threaded", lambda: True)

    def apart(url: str, wal: bool) -> bool:
        engine = create_engine(url)
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
            with Session(engine) as s:
                return match_store.readable_apart(s)
        finally:
            engine.dispose()

    assert apart(f"sqlite:///{tmp_path / 'wal.sqlite'}", wal=True)
    assert not apart(f"sqlite:///{tmp_path / 'delete.sqlite'}", wal=False)
    assert not apart("sqlite://", wal=False)  # in memory: no file to open
    monkeypatch.setattr(halves, "single_threaded", lambda: False)
    assert not apart(f"sqlite:///{tmp_path / 'wal.sqlite'}", wal=True)


def test_purged_numbers_found_among_many_in_chunks(
    app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big instroom file asks about more numbers than one statement may
    bind (SQLite 32,766, PostgreSQL 65,535 values): asked in chunks, every
    purged number is still found."""
    from zsm_desk.services.storage import tombstones

    monkeypatch.setattr(bulk, "IN_CHUNK", 3)
    numbers = [f"PL01-{n:05d}" for n in range(20)]
    with app.db.session() as s:
        for purged in (numbers[2], numbers[17]):
            tombstones.remember(s, purged)
        s.flush()
        assert tombstones.purged_among(s, numbers) == {numbers[2], numbers[17]}
