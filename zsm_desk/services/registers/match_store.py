"""Persisted match keys and weights: what matching needs, kept in the database.

At register import (:func:`refresh`) every new or changed marking gets its
normalised fields and blocking keys in `match_key`, and the evidence model
is re-estimated from all active markings and stored in the `setting` row
``match_model`` together with the register version it belongs to. Matching
then needs no per-process index: :func:`candidates` does one indexed lookup
per blocking-key kind for a whole batch of suspects. Works the same on
SQLite and PostgreSQL, so several desks share one set of keys.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, chain, compress
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import Table, bindparam, create_engine, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from zsm_desk.domain.evidence import (
    BLOCK_KINDS,
    FEED_FIELDS,
    KEY_FIELDS,
    LEVELS,
    MODEL_VERSION,
    PAIRED_KINDS,
    Keys,
    KeyTable,
    Model,
    identity_probes,
    key_rows,
    train,
    with_m,
)
from zsm_desk.services.runtime import halves
from zsm_desk.services.storage.models import RegisterMarking as MarkingRow
from zsm_desk.services.storage.models import Setting
from zsm_desk.services.storage.models_match import MatchKey

MODEL_KEY = "match_model"
#: The m a big check learned of how the queue writes names and dates.
FEED_KEY = "match_feed"
_TABLE = cast(Table, MatchKey.__table__)
_CHUNK = 900
_BULK = 20_000
_KEY_FIELDS = KEY_FIELDS
#: Each marking with its match keys (`k`) and its own row (`m`).
_KEYED = "FROM match_key k JOIN register_marking m ON m.id = k.marking_id"


def register_version(session: Session) -> int:
    row = session.get(Setting, "register_versie")
    return int(row.value) if row else 0


@dataclass
class _PendingKeys:
    """Keys computed for markings that have none, not yet stored."""

    rows: list[tuple[Any, ...]]  # (marking id, *Keys fields, *block keys)
    had_keys: bool  # the table held keys before (not a first import)
    fresh: Sequence[Keys] | None  # a first import: the keys of all active markings


#: From this many markings a first import trains beside storing the keys
#: (and works out the keys beside checking and storing the markings).
_BESIDE = 20_000

#: A marking's identity fields as stored: achternaam, voorvoegsel, voornamen,
#: geboortedatum, bsn, geboorteplaats, gemeente.
Identity7 = tuple[Any, ...]
#: A marking as stored by the register import: a row of REGISTER_FIELDS
#: (vh_code, persoon_id, the seven identity fields, ..., actief).
StoredRow = Sequence[Any]


class KeysAhead:
    """Key rows worked out before the markings were stored, per identity."""

    def __init__(self, result: Callable[[], _Packed | None]) -> None:
        self._result = result

    def in_order(
        self, first_id: int, identities: Sequence[Sequence[Any]]
    ) -> tuple[list[tuple[Any, ...]], list[list[Any]]] | None:
        """The key rows of markings stored with the ids `first_id`, `first_id`
        + 1, ... and these `identities`, when the child worked out exactly
        those identities in that order: (rows, their columns after the id).
        None otherwise (the caller then reads the markings back)."""
        # joined before waiting for the child, which may still be at work
        mine = _RS.join(map(_joined, identities))
        packed = self._result()
        if packed is None or packed[0] != mine:
            return None
        cols = packed[1]
        columns: list[list[Any]] = [c.split(_RS) for c in cols]
        columns[_INITIALS] = [v == "1" for v in columns[_INITIALS]]
        tags = range(first_id, first_id + len(identities))
        return list(zip(tags, *columns, strict=True)), columns

    def key_rows(self, missing: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        """:func:`key_rows` of `missing` rows (marking id, identity fields, ...),
        in their order; only an identity not worked out ahead is done here."""
        packed = self._result()
        if packed is None:
            return key_rows(r[:8] for r in missing)
        ids, cols = packed
        columns: list[list[Any]] = [c.split(_RS) for c in cols]
        columns[_INITIALS] = [v == "1" for v in columns[_INITIALS]]
        if ids == _RS.join(_joined(r[1:8]) for r in missing):
            # The usual first import: the markings were stored in the order
            # of the file's records, so the child's rows line up one to one
            # (one comparison of two strings instead of a lookup per marking).
            return list(zip((r[0] for r in missing), *columns, strict=True))
        at = {ident: n for n, ident in enumerate(ids.split(_RS))}
        ahead = list(zip(*columns, strict=True))
        where = [at.get(_joined(r[1:8]), -1) for r in missing]
        own = iter(key_rows(r[:8] for r, n in zip(missing, where, strict=True) if n < 0))
        return [
            next(own) if n < 0 else (r[0], *ahead[n]) for r, n in zip(missing, where, strict=True)
        ]


#: Record and unit separators of the packed key rows a child sends back: 21
#: columns of 200,000 values as 21 strings cost next to nothing to pickle,
#: 4 million small strings cost a second each way.
_RS, _US = "\x1e", "\x1f"
_INITIALS = KEY_FIELDS.index("initials")
#: (identities, one string per key-row column), each joined by _RS.
_Packed = tuple[str, list[str]]


def _joined(identity: Sequence[Any]) -> str:
    """The identity as one string (never a packed one when not all text)."""
    try:
        return _US.join(identity)
    except TypeError:
        return _RS


def _packed_identities(ids: Sequence[Identity7]) -> str | None:
    """The identities joined (`_joined`, by `_RS`); None when there are none
    or a value holds a separator (nothing can then be told apart safely)."""
    joined = _RS.join(map(_joined, ids))
    if not ids or joined.count(_US) != 6 * len(ids) or joined.count(_RS) != len(ids) - 1:
        return None
    return joined


def _packed_key_rows(identities: Callable[[], Sequence[Identity7]]) -> _Packed | None:
    """Key rows of the identities, in their order, packed; None when they
    cannot be packed (`_packed_identities`)."""
    ids = identities()
    joined = _packed_identities(ids)
    if joined is None:
        return None
    rows = key_rows((None, *x) for x in ids)
    cols = []
    # zip(*rows) turns the rows into columns in C: a list per column built in
    # Python took about a second on 200,000 markings
    for j, col in enumerate(zip(*rows, strict=True)):
        if j == 0:  # the tag
            continue
        text = _RS.join(("1" if v else "" for v in col) if j - 1 == _INITIALS else col)
        if text.count(_RS) != len(ids) - 1:
            return None
        cols.append(text)
    return joined, cols


@contextmanager
def keys_ahead(identities: Callable[[], Sequence[Identity7]], n: int) -> Iterator[KeysAhead | None]:
    """For a first import of `n` markings: the keys of the `identities` (a
    function, so that reading them from the records is done in the child as
    well) worked out in a forked child (:func:`halves.ahead`) while this
    process checks and stores the markings; give the result to
    :func:`refresh`. None when it is not worth it."""
    if n <= _BESIDE or halves.workers() < 2:
        yield None
        return
    with halves.ahead(partial(_packed_key_rows, identities)) as result:
        yield KeysAhead(result)


def _first_in_order(
    session: Session, stored: Sequence[StoredRow], ahead: KeysAhead
) -> _PendingKeys | None:
    """A first import's keys without reading the markings back: when the
    register holds exactly the `stored` rows under consecutive ids (the
    driver's executemany stores them in order), the child's key rows line up
    with them as they are. The SELECT of all new markings, and building a
    row of each, cost about 0.6 s of 200,000 markings. Only on SQLite, which
    gives each row of a sequence of INSERTs one more than the largest rowid;
    a server's sequence need not follow the order of the rows in a batch,
    so there the markings are read back and compared."""
    if session.connection().dialect.name != "sqlite":
        return None
    lo, hi, n = session.execute(
        select(func.min(MarkingRow.id), func.max(MarkingRow.id), func.count())
    ).one()
    if not stored or n != len(stored) or hi - lo + 1 != n:
        return None
    got = ahead.in_order(lo, [r[2:9] for r in stored])
    if got is None:
        return None
    rows, columns = got
    active = [bool(r[-1]) for r in stored]
    if all(active):
        fresh = KeyTable.of_columns(columns[: len(KEY_FIELDS)])
    else:
        fresh = KeyTable.of_columns([list(compress(c, active)) for c in columns[: len(KEY_FIELDS)]])
    return _PendingKeys(rows, False, fresh)


def _pending_keys(
    session: Session,
    changed_ids: Iterable[int],
    ahead: KeysAhead | None = None,
    stored: Sequence[StoredRow] = (),
) -> _PendingKeys:
    """Keys for markings that have none yet, and anew for `changed_ids`;
    `stored` are the rows a first import stored just now, in their order."""
    changed = list(changed_ids)
    for n in range(0, len(changed), _CHUNK):
        session.execute(delete(MatchKey).where(MatchKey.marking_id.in_(changed[n : n + _CHUNK])))
    had_keys = bool(session.scalar(select(func.count()).select_from(MatchKey)))
    if ahead is not None and stored and not had_keys and not changed:
        first = _first_in_order(session, stored, ahead)
        if first is not None:
            return first
    # plain driver rows: (id, the seven identity fields, actief)
    missing = (
        session.connection()
        .exec_driver_sql(
            "SELECT m.id, m.achternaam, m.voorvoegsel, m.voornamen, m.geboortedatum, m.bsn, "
            "m.geboorteplaats, m.gemeente, m.actief FROM register_marking m "
            "LEFT JOIN match_key k ON k.marking_id = m.id WHERE k.marking_id IS NULL "
            "ORDER BY m.id"
        )
        .fetchall()
    )
    rows = key_rows(r[:8] for r in missing) if ahead is None else ahead.key_rows(missing)
    # every key is written just now: training need not read them back
    fresh = None if had_keys else KeyTable([k for r, k in zip(missing, rows, strict=True) if r[8]])
    return _PendingKeys(rows, had_keys, fresh)


def _store_keys(session: Session, pending: _PendingKeys) -> None:
    rows = pending.rows
    conn = session.connection()
    cols = ("marking_id", *_KEY_FIELDS, *BLOCK_KINDS)
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    if len(rows) > _BULK and mark is not None:
        # The driver's own executemany skips SQLAlchemy's per-row bind
        # processing. On a first SQLite import, filling nine indexes row by
        # row costs four times more than building them afterwards. Not on
        # PostgreSQL, nor on a table other desks already match against: there
        # DROP INDEX takes an exclusive lock on match_key until the import
        # commits, and every other desk's matching would wait for it.
        rebuild = not pending.had_keys and conn.dialect.name == "sqlite"
        if rebuild:
            for kind in BLOCK_KINDS:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_match_key_{kind}")
        sql = f"INSERT INTO match_key ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
        for n in range(0, len(rows), 50_000):
            conn.exec_driver_sql(sql, rows[n : n + 50_000])
        if rebuild:
            for kind in BLOCK_KINDS:
                conn.exec_driver_sql(f"CREATE INDEX ix_match_key_{kind} ON match_key ({kind})")
    elif rows:
        session.execute(insert(_TABLE), [dict(zip(cols, r, strict=True)) for r in rows])


def active_keys(session: Session) -> list[Keys]:
    cols = ", ".join(f"k.{f}" for f in _KEY_FIELDS)
    rows = session.execute(
        # in the order of the markings, as a first import trains on them: the
        # weights do not depend on how a database happens to return the rows
        text(f"SELECT {cols} {_KEYED} WHERE m.actief = :yes ORDER BY k.marking_id"),
        {"yes": True},
    )
    return [Keys(*r) for r in rows]


def refresh(
    session: Session,
    changed_ids: Iterable[int] = (),
    ahead: KeysAhead | None = None,
    stored: Sequence[StoredRow] = (),
) -> Model:
    """After a register change: keys for new/changed markings, weights
    re-estimated. `stored`: on a first import, the rows (of REGISTER_FIELDS)
    just stored, in the order they were inserted."""
    pending = _pending_keys(session, changed_ids, ahead, stored)
    fresh = pending.fresh
    if fresh is not None:
        # A first import: the weights are learned from the keys in memory, in
        # a forked process on a machine with a core to spare, while this one
        # stores the keys and builds their indexes.
        model, _ = halves.beside(
            partial(train, fresh),
            partial(_store_keys, session, pending),
            worth=len(fresh) > _BESIDE,
        )
    else:
        _store_keys(session, pending)
        model = train(active_keys(session))
    data = model.to_json()
    data["register_versie"] = register_version(session)
    row = session.get(Setting, MODEL_KEY)
    if row is None:
        session.add(Setting(key=MODEL_KEY, value=data))
    else:
        row.value = data
    session.flush()
    return model


def load_model(session: Session) -> Model:
    """The stored weights; (re)built first when the registers changed since."""
    row = session.get(Setting, MODEL_KEY)
    if (
        row is not None
        and row.value.get("register_versie") == register_version(session)
        and row.value.get("versie") == MODEL_VERSION
    ):
        return Model.from_json(row.value)
    return refresh(session)


def with_feed(session: Session, model: Model) -> Model:
    """The model with the m the last big check learned from the queue, so a
    check of a few items starts from what a day's queue taught (the register
    keeps u and the term frequencies; a new register import keeps this)."""
    row = session.get(Setting, FEED_KEY)
    if row is None or model.reference:
        return model
    stored = row.value.get("m", {})
    # only a complete, known shape: an older or damaged value is ignored
    if not all(set(stored.get(f, {})) == set(LEVELS[f]) for f in FEED_FIELDS):
        return model
    return with_m(model, {f: {lv: float(v) for lv, v in stored[f].items()} for f in FEED_FIELDS})


def store_feed(session: Session, model: Model, items: int) -> None:
    """Keep the m a check of `items` queue items learned (:func:`with_feed`).

    Several desks may store it at once: the first insert wins the row, the
    others update it (a savepoint catches the insert that lost the race)."""
    value = {"versie": 1, "m": {f: model.m[f] for f in FEED_FIELDS}, "items": items}
    row = session.get(Setting, FEED_KEY)
    if row is None:
        try:
            with session.begin_nested():
                session.add(Setting(key=FEED_KEY, value=value))
            return
        except IntegrityError:
            row = session.get(Setting, FEED_KEY)
            if row is None:
                return
    row.value = value


def readable_apart(session: Session) -> bool:
    """Can a forked child read this database through a connection of its own?
    Only an SQLite file (a server's credentials are not the child's to find)
    in WAL mode (without it, a big importing transaction may lock readers out
    or write pages while they read), and only from a single-threaded process
    (`halves.single_threaded`)."""
    if _sqlite_file(session) is None or not halves.single_threaded():
        return False
    mode = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    return str(mode).lower() == "wal"


def _sqlite_file(session: Session) -> str | None:
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


@contextmanager
def reading(session: Session, origin: int, apart: bool) -> Iterator[Session]:
    """`session` in the process `origin` that owns it; in a forked child
    (services/runtime/halves), when `apart` allows, a read-only session of
    its own on the same SQLite file, since the parent's connection must not
    be touched there.
    The child reads only the register's tables, which the parent's open
    transaction does not change; WAL lets it read beside that transaction.
    While the children read, the parent may store the hits of its own part
    (`halves.split`'s `own`) in that same open transaction: WAL keeps a
    reader to the snapshot it began with, and pages the parent writes before
    it commits are no part of any snapshot. The parent commits, and so
    checkpoints, only after it has collected the children, and a child never
    closes what it inherited."""
    if os.getpid() == origin:
        yield session
        return
    path = _sqlite_file(session)
    if not apart or path is None:
        # (`apart`: what :func:`readable_apart` said in the parent; a child
        # of a process with threads may find SQLite's locks held.) The child
        # fails, and halves does the part again in the parent.
        raise RuntimeError("geen eigen verbinding mogelijk")
    uri = f"file:{quote(path)}?mode=ro"
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, timeout=15, check_same_thread=False),
        poolclass=NullPool,
    )
    with Session(engine) as own:
        yield own


def _in_chunks(session: Session, sql: str, values: list[Any]) -> Iterator[Sequence[Any]]:
    """The rows of ``sql IN (values)``, chunk by chunk, as plain driver rows.

    Built for the driver directly: SQLAlchemy's expanding parameters cost
    about a millisecond per query of 900 values, more than SQLite's answer.
    """
    conn = session.connection()
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    for n in range(0, len(values), _CHUNK):
        chunk = values[n : n + _CHUNK]
        if mark is None:  # another driver: the portable way
            stmt = text(f"{sql} IN :vals").bindparams(bindparam("vals", expanding=True))
            yield session.execute(stmt, {"vals": chunk}).fetchall()
        else:
            marks = ", ".join([mark] * len(chunk))
            yield conn.exec_driver_sql(f"{sql} IN ({marks})", tuple(chunk)).fetchall()


def candidates(
    session: Session,
    probes: Sequence[dict[str, set[str]]],
    seen: dict[int, tuple[str, str, Keys] | None] | None = None,
    ids: dict[tuple[str, str], int] | None = None,
    whole: Blocks | None = None,
) -> list[list[tuple[str, str, Keys]]]:
    """For each suspect's probe keys: active markings sharing a block, as
    (vh_code, persoon_id, keys), each marking once.

    First the marking ids per distinct key value (one indexed query per kind
    and chunk, answered from the index alone), then the keys of each distinct
    marking once. `seen` carries markings already read (None: inactive) from
    one batch to the next of the same check; `ids` receives the marking id of
    each (vh_code, persoon_id) read. With `whole` (from :func:`whole_register`,
    which filled `seen` and `ids` with every marking) no query is needed.
    """
    found = _found(probes, whole if whole is not None else _blocks_of(session, probes))
    if found is None:  # a suspect probes two paired kinds with different values
        found = _found(probes, _blocks_of(session, probes))
        assert found is not None
    known = seen if seen is not None else {}
    todo = set().union(*found)
    todo.difference_update(known)
    cols = ", ".join(f"k.{f}" for f in _KEY_FIELDS)
    sql = f"SELECT k.marking_id, m.vh_code, m.persoon_id, m.actief, {cols} {_KEYED}"
    if len(todo) > _SCAN_MIN and len(todo) * _SCAN_SHARE > _marking_count(session):
        # most of the register: one pass over it costs less than the lookups
        chunks: Iterable[Sequence[Any]] = [session.connection().exec_driver_sql(sql).fetchall()]
    else:
        chunks = _in_chunks(session, sql + " WHERE k.marking_id", list(todo))
    id_of = ids if ids is not None else {}
    for rows in chunks:
        for r in rows:
            if r[0] in todo:
                if r[3]:
                    known[r[0]] = (r[1], r[2], Keys(*r[4:]))
                    id_of[(r[1], r[2])] = r[0]
                else:
                    known[r[0]] = None
    get = known.get
    return [list(filter(None, map(get, f))) for f in found]


def in_whole(
    probes: Sequence[dict[str, set[str]]],
    whole: Blocks,
    seen: dict[int, tuple[str, str, Keys] | None],
) -> list[list[tuple[str, str, Keys]]] | None:
    """:func:`candidates` answered from `whole` and the `seen` that
    :func:`whole_register` filled, without the database (so a forked process
    may run it); None when a suspect needs the per-kind lookups."""
    found = _found(probes, whole)
    if found is None:
        return None
    get = seen.get
    return [list(filter(None, map(get, f))) for f in found]


#: Blocks per group of key kinds: each key value -> the markings carrying it
#: under any kind of the group.
Blocks = list[tuple[tuple[str, ...], dict[str, list[int]]]]

#: The kinds looked up together: each of `PAIRED_KINDS` (whose probe values
#: are one set for every suspect, so one lookup per value in their merged
#: blocks finds what a lookup per kind finds), and every other kind alone.
_GROUPS = (
    *PAIRED_KINDS,
    *((k,) for k in BLOCK_KINDS if not any(k in pair for pair in PAIRED_KINDS)),
)


def _found(probes: Sequence[dict[str, set[str]]], blocks: Blocks) -> list[dict[int, None]] | None:
    """Per suspect the distinct marking ids its probe values meet (in the order
    found); None when a suspect probes the kinds of a merged group with
    different values (then the merged blocks cannot tell them apart)."""
    # Group by group over all suspects, so that the lookups run in C (map
    # over the block's get): two million lookups in dicts of 200,000 keys
    # cost more in a loop per suspect and group than in the lookups.
    per_group: list[tuple[list[list[int] | None], list[int]]] = []
    for kinds, block in blocks:
        sets = [p[kinds[0]] for p in probes]
        for other in kinds[1:]:
            for p, values in zip(probes, sets, strict=True):
                # one shared set as `probe_keys` makes them, compared only
                # when a caller gave the kind a set of its own
                if p[other] is not values and p[other] != values:
                    return None
        hits = list(map(block.get, chain.from_iterable(sets)))
        per_group.append((hits, list(accumulate(map(len, sets)))))
    found: list[dict[int, None]] = []
    hits_of = [hits for hits, _ in per_group]
    flat = chain.from_iterable
    start: tuple[int, ...] = (0,) * len(per_group)
    for end in zip(*(ends for _, ends in per_group), strict=True):
        # this suspect's hits of each group (a list of marking ids per value
        # found, None per value not), in the order of the groups and values
        mine = flat([hits[a:b] for hits, a, b in zip(hits_of, start, end, strict=True)])
        found.append(dict.fromkeys(flat(filter(None, mine))))
        start = end
    return found


def _blocks_of(session: Session, probes: Sequence[dict[str, set[str]]]) -> Blocks:
    """Per kind: each probed key value -> the markings carrying it."""
    values: dict[str, set[str]] = {kind: set() for kind in BLOCK_KINDS}
    for p in probes:
        for kind, probe_values in p.items():
            if probe_values:
                values[kind].update(probe_values)
    blocks: Blocks = []
    for kind in BLOCK_KINDS:
        block: dict[str, list[int]] = {}
        sql = f"SELECT marking_id, {kind} FROM match_key WHERE {kind}"
        for rows in _in_chunks(session, sql, list(values[kind])):
            for mid, v in rows:
                carriers = block.get(v)
                if carriers is None:
                    block[v] = [mid]
                else:
                    carriers.append(mid)
        blocks.append(((kind,), block))
    return blocks


def _register_rows(session: Session, blocks: bool = True) -> Sequence[Any]:
    """Every marking's keys and block keys: (id, vh_code, persoon_id, actief,
    *KEY_FIELDS, *BLOCK_KINDS), without the block keys when not `blocks`."""
    cols = ", ".join(f"k.{f}" for f in (*_KEY_FIELDS, *(BLOCK_KINDS if blocks else ())))
    return (
        session.connection()
        .exec_driver_sql(f"SELECT k.marking_id, m.vh_code, m.persoon_id, m.actief, {cols} {_KEYED}")
        .fetchall()
    )


def _blocks(active: Sequence[Any], start: int = 4 + len(_KEY_FIELDS)) -> Blocks:
    """The blocks of these rows (the marking id first, the block keys from
    `start` in the order of BLOCK_KINDS), the paired kinds merged."""
    at = {kind: n for n, kind in enumerate(BLOCK_KINDS, start)}
    blocks: Blocks = []
    for kinds in _GROUPS:
        block: dict[str, list[int]] = {}
        for n in (at[k] for k in kinds):
            for r in active:
                v = r[n]
                if v:
                    carriers = block.get(v)
                    if carriers is None:
                        block[v] = [r[0]]
                    else:
                        carriers.append(r[0])
        blocks.append((kinds, block))
    return blocks


#: What :func:`blocks_apart` hands back: the register version it read, and
#: the blocks of the active markings.
BlocksApart = tuple[int, Blocks]


def blocks_apart(session: Session, origin: int, apart: bool) -> BlocksApart:
    """The blocks of :func:`whole_register`, read and built in a forked child
    (:func:`reading`) while the process `origin` stores a big instroom file.
    In the order of the marking ids, as :func:`whole_register` reads them on
    SQLite (the scan of `match_key` by its rowid), so the candidates of each
    suspect come in the same order either way."""
    cols = ", ".join(f"k.{kind}" for kind in BLOCK_KINDS)
    with reading(session, origin, apart) as own:
        version = register_version(own)
        rows = (
            own.connection()
            .exec_driver_sql(
                f"SELECT k.marking_id, m.actief, {cols} {_KEYED} ORDER BY k.marking_id"
            )
            .fetchall()
        )
        return version, _blocks([r for r in rows if r[1]], 2)


#: What :func:`found_apart` hands back: the register version it read, the
#: distinct suspect identities joined (`_joined`, by `_RS`), and for the n-th
#: the marking ids from offset n to n + 1 (two arrays of "q" as bytes: two
#: million ids as Python ints cost a second to pickle and unpickle).
FoundApart = tuple[int, str, bytes, bytes]


def found_apart(
    session: Session,
    origin: int,
    apart: bool,
    identities: Callable[[], Sequence[Identity7]],
) -> FoundApart | None:
    """For a big instroom file, in a forked child while the process `origin`
    checks and stores it: the register's blocks (:func:`blocks_apart`), then
    the candidates of every suspect identity in the file (`identities`, read
    from its records there too), found in them as :func:`in_whole` would.
    None when the identities cannot be packed (a separator in a value) or
    a suspect needs the per-kind lookups."""
    version, blocks = blocks_apart(session, origin, apart)
    distinct = list(dict.fromkeys(identities()))
    text = _packed_identities(distinct)
    if text is None:
        return None
    probes = [identity_probes(*x[:5]) for x in distinct]
    found = _found(probes, blocks)
    if found is None:
        return None
    offsets = array("q", [0])
    flat = array("q")
    for f in found:
        flat.extend(f)
        offsets.append(len(flat))
    return version, text, offsets.tobytes(), flat.tobytes()


class FoundAhead:
    """The candidates :func:`found_apart` worked out, per suspect identity."""

    def __init__(self, packed: FoundApart) -> None:
        _, text, offsets, flat = packed
        self._at = {ident: n for n, ident in enumerate(text.split(_RS))}
        self._offsets = array("q")
        self._offsets.frombytes(offsets)
        self._ids = array("q")
        self._ids.frombytes(flat)

    def of(self, identity: Sequence[Any]) -> array[int] | None:
        """The marking ids of this identity (its seven fields as stored, in
        the order of `Identity7`); None when it was not worked out ahead."""
        n = self._at.get(_joined(identity))
        if n is None:
            return None
        return self._ids[self._offsets[n] : self._offsets[n + 1]]


def whole_register(
    session: Session,
    seen: dict[int, tuple[str, str, Keys] | None],
    ids: dict[tuple[str, str], int],
    ahead: Callable[[], FoundApart | None] | None = None,
) -> tuple[Blocks | None, FoundAhead | None]:
    """All blocks of the active markings, from one pass over the keys (for
    :func:`candidates`), the paired kinds merged: for a check of many
    suspects, who between them probe most of the register, this costs less
    than looking each value up. Fills `seen` and `ids` with every marking.

    With `ahead` (:func:`found_apart` in a child) the candidates of the
    suspects come from there instead of blocks, unless the registers changed
    in between or the child had none to give."""
    rows = _register_rows(session, blocks=ahead is None)
    end = 4 + len(_KEY_FIELDS)
    active = []
    for r in rows:
        if r[3]:
            seen[r[0]] = (r[1], r[2], Keys(*r[4:end]))
            ids[(r[1], r[2])] = r[0]
            active.append(r)
        else:
            seen[r[0]] = None
    if ahead is not None:
        packed = ahead()
        if packed is not None and packed[0] == register_version(session):
            return None, FoundAhead(packed)
        # another register import came in between: this check's own blocks
        active = [r for r in _register_rows(session) if r[3]]
    return _blocks(active), None


#: Read all keys in one pass once the markings wanted are more than one in
#: `_SCAN_SHARE` of the register (and more than `_SCAN_MIN`).
_SCAN_SHARE = 3
_SCAN_MIN = 20_000


def _marking_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(MatchKey)) or 0


__all__ = [
    "MODEL_KEY",
    "active_keys",
    "blocks_apart",
    "candidates",
    "found_apart",
    "in_whole",
    "load_model",
    "readable_apart",
    "reading",
    "refresh",
    "register_version",
    "whole_register",
]
