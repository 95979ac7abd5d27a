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

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, text
from sqlalchemy.orm import Session

from zsm_desk.domain.evidence import BLOCK_KINDS, Keys, Model, block_keys, keys_of, train
from zsm_desk.domain.records import Identity
from zsm_desk.services.storage.models import RegisterMarking, Setting
from zsm_desk.services.storage.models_match import MatchKey

MODEL_KEY = "match_model"
_TABLE = cast(Table, MatchKey.__table__)
_CHUNK = 900
_BULK = 20_000
_KEY_FIELDS = (
    "sur", "sur_parts", "giv", "initials", "letters", "datum", "bsn", "bsn_raw", "place", "gem",
    "giv_lit",
)  # fmt: skip


def register_version(session: Session) -> int:
    row = session.get(Setting, "register_versie")
    return int(row.value) if row else 0


def _identity(r: Any) -> Identity:
    return Identity(
        achternaam=r.achternaam,
        voorvoegsel=r.voorvoegsel,
        voornamen=r.voornamen,
        geboortedatum=r.geboortedatum,
        bsn=r.bsn,
        geboorteplaats=r.geboorteplaats,
        gemeente=r.gemeente,
    )


def _row(marking_id: int, k: Keys) -> dict[str, Any]:
    return {"marking_id": marking_id, **k.as_row(), **block_keys(k)}


_key_tuple = attrgetter(*_KEY_FIELDS)


def _keys_of_row(r: Any) -> Keys:
    return Keys(*(getattr(r, f) for f in _KEY_FIELDS))


def write_keys(session: Session, changed_ids: Iterable[int] = ()) -> list[Keys] | None:
    """Keys for markings that have none yet, and anew for `changed_ids`.

    Returns the keys of all active markings when every key was written just
    now (a first import), so training need not read them back; else None.
    """
    changed = list(changed_ids)
    for n in range(0, len(changed), _CHUNK):
        session.execute(delete(MatchKey).where(MatchKey.marking_id.in_(changed[n : n + _CHUNK])))
    rm = RegisterMarking
    had_keys = session.scalar(select(func.count()).select_from(MatchKey)) or 0
    missing = session.execute(
        select(
            rm.id, rm.achternaam, rm.voorvoegsel, rm.voornamen, rm.geboortedatum, rm.bsn,
            rm.geboorteplaats, rm.gemeente, rm.actief,
        )
        .outerjoin(MatchKey, MatchKey.marking_id == rm.id)
        .where(MatchKey.marking_id.is_(None))
    ).all()  # fmt: skip
    keys = [
        keys_of(Identity(r[1], r[3], r[4], r[2], r[5], r[6], r[7])) for r in missing
    ]  # positional: Identity(achternaam, voornamen, geboortedatum, voorvoegsel, bsn, ...)
    if len(missing) > _BULK:
        # A first import of a whole register: filling nine indexes row by
        # row costs four times more than building them afterwards, and the
        # driver's own executemany skips SQLAlchemy's per-row bind processing.
        conn = session.connection()
        for kind in BLOCK_KINDS:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_match_key_{kind}")
        cols = ("marking_id", *_KEY_FIELDS, *BLOCK_KINDS)
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        sql = f"INSERT INTO match_key ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
        tuples = [
            (r[0], *_key_tuple(k), *block_keys(k).values())
            for r, k in zip(missing, keys, strict=True)
        ]
        for n in range(0, len(tuples), 50_000):
            conn.exec_driver_sql(sql, tuples[n : n + 50_000])
        for kind in BLOCK_KINDS:
            conn.exec_driver_sql(f"CREATE INDEX ix_match_key_{kind} ON match_key ({kind})")
    elif missing:
        rows = [_row(r[0], k) for r, k in zip(missing, keys, strict=True)]
        session.execute(insert(_TABLE), rows)
    if had_keys:
        return None
    return [k for r, k in zip(missing, keys, strict=True) if r[8]]


def active_keys(session: Session) -> list[Keys]:
    cols = ", ".join(f"k.{f}" for f in _KEY_FIELDS)
    rows = session.execute(
        text(
            f"SELECT {cols} FROM match_key k JOIN register_marking m ON m.id = k.marking_id "
            "WHERE m.actief = :yes"
        ),
        {"yes": True},
    )
    return [Keys(*r) for r in rows]


def refresh(session: Session, changed_ids: Iterable[int] = ()) -> Model:
    """After a register change: keys for new/changed markings, weights re-estimated."""
    fresh = write_keys(session, changed_ids)
    model = train(fresh if fresh is not None else active_keys(session))
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
    if row is not None and row.value.get("register_versie") == register_version(session):
        return Model.from_json(row.value)
    return refresh(session)


def candidates(
    session: Session, probes: Sequence[dict[str, set[str]]]
) -> list[list[tuple[int, str, str, Keys]]]:
    """For each suspect's probe keys: active markings sharing a block, as
    (marking id, vh_code, persoon_id, keys); one indexed query per key kind and chunk."""
    wanted: dict[str, dict[str, list[int]]] = {kind: {} for kind in BLOCK_KINDS}
    for n, p in enumerate(probes):
        for kind, probe_values in p.items():
            for v in probe_values:
                wanted[kind].setdefault(v, []).append(n)
    found: list[dict[int, tuple[int, str, str, Keys]]] = [{} for _ in probes]
    cols = ", ".join(f"k.{f}" for f in _KEY_FIELDS)
    for kind in BLOCK_KINDS:
        values = list(wanted[kind])
        if not values:
            continue
        stmt = text(
            f"SELECT k.marking_id, m.vh_code, m.persoon_id, k.{kind}, {cols} "
            "FROM match_key k JOIN register_marking m ON m.id = k.marking_id "
            f"WHERE k.{kind} IN :vals AND m.actief = :yes"
        ).bindparams(bindparam("vals", expanding=True))
        want = wanted[kind]
        for n in range(0, len(values), _CHUNK):
            result = session.execute(stmt, {"vals": values[n : n + _CHUNK], "yes": True})
            for r in result.fetchall():
                hit = (r[0], r[1], r[2], Keys(*r[4:]))
                for i in want[r[3]]:
                    found[i][r[0]] = hit
    return [list(f.values()) for f in found]


__all__ = [
    "MODEL_KEY",
    "active_keys",
    "candidates",
    "load_model",
    "refresh",
    "register_version",
    "write_keys",
]
