"""Checking every suspect against the registers of all veiligheidshuizen.

Runs without anyone asking: after every instroom import and every register
import. A person's review of a `mogelijk` hit is remembered for that suspect
and survives re-checks. Matching reads the match keys and weights persisted
at register import (`match_store`), so a fresh process builds no index.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from zsm_desk.domain.evidence import Keys, Model, keys_of, probe_keys
from zsm_desk.domain.matching import Pair, decide, first_pass, settle
from zsm_desk.domain.records import (
    Identity,
    InstroomItem,
    InstroomStatus,
    MatchResult,
    MatchStatus,
)
from zsm_desk.domain.validation import register_identities
from zsm_desk.services.registers import match_store
from zsm_desk.services.runtime import halves
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.bulk import chunks, insert_rows, update_rows
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models import Match, RegisterMarking

BEVESTIGD = "bevestigd"
AFGEWEZEN = "afgewezen"

_IDENTITY_COLS = (
    ItemRow.id,
    ItemRow.achternaam,
    ItemRow.voorvoegsel,
    ItemRow.voornamen,
    ItemRow.geboortedatum,
    ItemRow.bsn,
    ItemRow.geboorteplaats,
    ItemRow.gemeente,
    ItemRow.geslacht,
)
_BATCH = 20_000
#: Batches of a check that read all blocks at once: each batch forks its
#: parts anew, and every fork makes both processes fault on the pages of the
#: register's blocks they then touch; one batch for 100,000 items judged them
#: about 14 % faster than five (four alternating pairs, 6 December).
_WHOLE_BATCH = 250_000
#: From this many items a check reads all blocks at once (match_store.whole_register).
_WHOLE = 50_000
#: The first this many items of a check teach the weights how the queue writes
#: names and dates: a day's queue, about 200 known clients among them.
_FEED_SAMPLE = 2_000
#: From this many items a check keeps what it learned for the next, smaller
#: checks (a feed poll of a few suspects learns next to nothing itself).
_FEED_STORE = 500
_MATCH = cast(Table, Match.__table__)


def item_identity(row: Any) -> Identity:
    return Identity(
        achternaam=row.achternaam,
        voorvoegsel=row.voorvoegsel,
        voornamen=row.voornamen,
        geboortedatum=row.geboortedatum,
        bsn=row.bsn,
        geboorteplaats=row.geboorteplaats,
        gemeente=row.gemeente,
        geslacht=row.geslacht,
    )


def to_domain(row: ItemRow) -> InstroomItem:
    """The stored queue item as the domain's `InstroomItem`."""
    return InstroomItem(
        bvh_nummer=row.bvh_nummer,
        ingestroomd_op=row.ingestroomd_op,
        identity=item_identity(row),
        feit=row.feit,
        status=InstroomStatus(row.status),
        parketnummer=row.parketnummer,
        woonplaats=row.woonplaats,
        categorie=row.categorie,
    )


def effective_status(match: Match) -> MatchStatus | None:
    """What a stored hit means now: reviewed, inactive and rejected hits included."""
    return _effective(match.marking.actief, match.review, match.status)


def _effective(actief: bool, review: str | None, status: str) -> MatchStatus | None:
    if not actief or review == AFGEWEZEN:
        return None
    if review == BEVESTIGD or status == MatchStatus.BEKEND:
        return MatchStatus.BEKEND
    return MatchStatus.MOGELIJK


def _strongest(statuses: Iterable[MatchStatus | None]) -> MatchStatus:
    s = set(statuses)
    if MatchStatus.BEKEND in s:
        return MatchStatus.BEKEND
    if MatchStatus.MOGELIJK in s:
        return MatchStatus.MOGELIJK
    return MatchStatus.ONBEKEND


#: The candidates a forked child finds while a big file is stored (:func:`candidates_ahead`).
CandidatesAhead = Callable[[], match_store.FoundApart | None]


@contextmanager
def candidates_ahead(session: Session, records: list[Any]) -> Iterator[CandidatesAhead | None]:
    """For an instroom file of these `records` that a check will read all
    blocks for: the register's blocks read and built in a forked child, and
    the candidates of every suspect in the file found there
    (`match_store.found_apart`), while this process checks and stores the
    items and reads the register's keys; give it to :func:`check_items`.
    None when that is not possible (see `match_store.readable_apart`) or not
    worth it. Leaving the block unused stops the child.

    The child reads the suspects' identities from the records themselves
    (`validation.register_identities`, the same conversions as the check of
    the file): an identity stored otherwise than it read it only costs that
    suspect the per-kind lookups. A file the check refuses stops the child."""
    if len(records) < _WHOLE or halves.workers() < 2 or not match_store.readable_apart(session):
        yield None
        return
    identities = partial(register_identities, records)
    work = partial(match_store.found_apart, session, os.getpid(), True, identities)
    with halves.ahead(work) as result:
        yield result


def check_items(
    session: Session,
    item_ids: Sequence[int],
    now: dt.datetime | None = None,
    *,
    ahead: CandidatesAhead | None = None,
) -> int:
    """Match these items now; returns how many were checked.

    Candidates come from the persisted match keys (one indexed query per key
    kind for a whole batch), hits are written in bulk. A hit the matcher no
    longer finds goes, unless a person reviewed it: that judgement stays.

    The register's weights say how rare a name or date is; how often this
    queue writes one a letter or digit off is learned from the first
    `_FEED_SAMPLE` items of the check itself (`first_pass`, then `settle`), starting from
    what the last check of at least `_FEED_STORE` items learned; a check of a
    few items moves it next to nothing.
    """
    if not item_ids:
        return 0
    session.flush()
    model = match_store.with_feed(session, match_store.load_model(session))
    now = now if now is not None else now_of(session)
    seen: dict[int, tuple[str, str, Keys] | None] = {}
    ids: dict[tuple[str, str], int] = {}  # the marking of each (vh_code, persoon_id)
    big = len(item_ids) >= _WHOLE
    apart = match_store.readable_apart(session)
    read = partial(match_store.reading, session, os.getpid(), apart)
    # The first items teach the weights how this queue writes names and dates
    # (first_pass, settle): judged and stored first, the rest with what they taught.
    sample = item_ids[:_FEED_SAMPLE]
    early: dict[int, Any] = {}
    if big and ahead is not None:
        # While a child finds the candidates (`ahead`), this process works
        # out the suspects' keys, which the parts would otherwise each do
        # after it, and judges the first items with candidates of their own.
        early = {r.id: r for r in _rows(session, item_ids)}
        own_keys = {i: keys_of(item_identity(r), suspect=True) for i, r in early.items()}
        mine = _Sources(read, seen, ids, None, None, own_keys)
        first = [early[i] for i in sample if i in early]
        model = _learn(session, model, first, mine, None, now)
    else:
        own_keys = {}
    # a big check probes most of the register: its blocks from one pass
    whole, found = match_store.whole_register(session, seen, ids, ahead) if big else (None, None)
    # Each batch is judged in parts over the cores (halves.split: forked
    # processes on Linux). A part in a child looks its candidates up in
    # `whole` or through a read-only connection of its own (SQLite); where
    # neither is possible everything runs here.
    split = _SPLIT if whole is not None or found is not None or apart else None
    src = _Sources(read, seen, ids, whole, found, own_keys)
    if not early:
        first = _rows(session, sample)
        model = _learn(session, model, first, src, split, now)
    n = len(first)

    def store(res: _Results) -> None:
        # every item of a part has its entry (an empty list: no hits)
        _store(session, list(res), res, now)

    size = _BATCH if whole is None and found is None else _WHOLE_BATCH
    for start in range(_FEED_SAMPLE, len(item_ids), size):
        batch = item_ids[start : start + size]
        rows = [early[i] for i in batch if i in early] if early else _rows(session, batch)
        # this process stores its own (first) part while the others are still judged
        _, *others = _parts(partial(_judge_part, model, rows, src), rows, split, store)
        for res in others:
            store(res)
        n += len(rows)
    return n


def _learn(
    session: Session,
    model: Model,
    rows: Sequence[Any],
    src: _Sources,
    split: int | None,
    now: dt.datetime,
) -> Model:
    """Judge and store the first items of a check, and return the model with
    the m they taught (`first_pass`, `settle`), for the rest."""
    keys: list[Keys] = []
    kept: list[list[tuple[str, str, Keys]]] = []
    pairs: list[Pair] = []
    for part in _parts(partial(_first_part, model, rows, src), rows, split):
        keys += part.keys
        kept += part.kept
        pairs += part.pairs
        src.ids.update(part.marks)
    model, batch_hits = settle(model, keys, kept, pairs)
    if len(rows) >= _FEED_STORE and not model.reference:
        match_store.store_feed(session, model, len(rows))
    results: _Results = {
        r.id: [(src.ids[(h.vh_code, h.persoon_id)], h) for h in item_hits]
        for r, item_hits in zip(rows, batch_hits, strict=True)
    }
    _store(session, [r.id for r in rows], results, now)
    return model


#: Per item id its hits, each with the id of the marking it hit.
_Results = dict[int, list[tuple[int, MatchResult]]]

#: Fewest items per part of a split batch: below, a fork and a connection
#: cost more than the half they save (a part of 250 items takes ~0.1 s).
_SPLIT = 250

_T = TypeVar("_T")


def _rows(session: Session, item_ids: Sequence[int]) -> list[Any]:
    """The identity columns of these items (in chunks: bound values are capped)."""
    out: list[Any] = []
    for chunk in chunks(item_ids):
        out += session.execute(select(*_IDENTITY_COLS).where(ItemRow.id.in_(chunk))).all()
    return out


def _parts(
    work: Callable[[int, int], _T],
    rows: Sequence[Any],
    split: int | None,
    own: Callable[[_T], None] | None = None,
) -> list[_T]:
    """`work` over all rows, in parts over the cores when `split` allows
    (None: all here, as one part); `own` as in `halves.split`."""
    everything_here = len(rows) + 1  # more per part than there are rows
    return halves.split(
        work, len(rows), min_split=everything_here if split is None else split, own=own
    )


@dataclass
class _FirstPart:
    """A part of the first batch after :func:`first_pass`."""

    keys: list[Keys]
    kept: list[list[tuple[str, str, Keys]]]
    pairs: list[Pair]
    marks: dict[tuple[str, str], int]  # the marking ids of the kept candidates


@dataclass(frozen=True)
class _Sources:
    """Where the parts of a check find their suspects' keys and candidates."""

    read: Callable[[], AbstractContextManager[Session]]
    seen: dict[int, tuple[str, str, Keys] | None]  # marking id -> its keys (None: inactive)
    ids: dict[tuple[str, str], int]  # (vh_code, persoon_id) -> marking id
    whole: match_store.Blocks | None
    found: match_store.FoundAhead | None
    keys: dict[int, Keys]  # item id -> its keys, worked out before the split


def _suspects(rows: Sequence[Any], src: _Sources) -> list[tuple[Keys, list[tuple[str, str, Keys]]]]:
    """Each row's keys with its candidates: worked out ahead (`src.found`),
    from `src.whole`, or looked up per kind, in that order of preference."""
    own = src.keys.get
    keys = [own(r.id) or keys_of(item_identity(r), suspect=True) for r in rows]
    found = src.found
    ahead = [found.of(r[1:8]) for r in rows] if found is not None else [None] * len(rows)
    todo = [n for n, mids in enumerate(ahead) if mids is None]
    probes = [probe_keys(keys[n]) for n in todo]
    looked = (
        match_store.in_whole(probes, src.whole, src.seen)
        if src.whole is not None and todo
        else None
    )
    if looked is None and todo:  # per-kind lookups (`seen` already holds what `whole` read)
        with src.read() as session:
            looked = match_store.candidates(session, probes, src.seen, src.ids)
    rest = iter(looked or ())
    get = src.seen.get
    cands = [next(rest) if mids is None else list(filter(None, map(get, mids))) for mids in ahead]
    return list(zip(keys, cands, strict=True))


def _first_part(model: Model, rows: Sequence[Any], src: _Sources, lo: int, hi: int) -> _FirstPart:
    # Each suspect's candidates in the order of their marking ids: what the
    # first items teach is summed over their pairs, and the sums are then the
    # same to the last bit however the candidates were found (`_suspects`).
    ids = src.ids
    batch = [
        (k, sorted(cands, key=lambda c: ids[(c[0], c[1])]))
        for k, cands in _suspects(rows[lo:hi], src)
    ]
    kept, pairs = first_pass(model, batch)
    marks = {(vh, pid): src.ids[(vh, pid)] for mine in kept for vh, pid, _ in mine}
    return _FirstPart([k for k, _ in batch], kept, pairs, marks)


def _judge_part(model: Model, rows: Sequence[Any], src: _Sources, lo: int, hi: int) -> _Results:
    """The hits of rows[lo:hi], each with the marking id it hit."""
    ids = src.ids
    results: _Results = {}
    for r, (k, cands) in zip(rows[lo:hi], _suspects(rows[lo:hi], src), strict=True):
        results[r.id] = [(ids[(h.vh_code, h.persoon_id)], h) for h in decide(model, k, cands)]
    return results


def _store(
    session: Session,
    item_ids: list[int],
    results: _Results,
    now: dt.datetime,
) -> None:
    existing: dict[tuple[int, int], Any] = {}
    for chunk in chunks(item_ids):
        for m in session.execute(
            select(Match.id, Match.item_id, Match.marking_id, Match.review, Match.status,
                   RegisterMarking.actief)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(Match.item_id.in_(chunk))
        ):  # fmt: skip
            existing[(m.item_id, m.marking_id)] = m
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    found: set[tuple[int, int]] = set()
    statuses: dict[int, list[MatchStatus | None]] = {i: [] for i in item_ids}
    for item_id, hits in results.items():
        for mid, h in hits:
            key = (item_id, mid)
            found.add(key)
            values = {
                "status": h.status.value,
                "score": h.score,
                "reden": h.reden,
                "details": list(h.details),
            }
            old = existing.get(key)
            if old is None:
                inserts.append({"item_id": item_id, "marking_id": mid, **values})
                statuses[item_id].append(_effective(True, None, h.status.value))
            else:
                updates.append({"id": old.id, **values})
                statuses[item_id].append(_effective(True, old.review, h.status.value))
    gone = []
    for key, m in existing.items():
        if key in found:
            continue
        if m.review is None:
            gone.append(m.id)
        else:
            statuses[key[0]].append(_effective(m.actief, m.review, m.status))
    for n in range(0, len(gone), 500):
        session.execute(delete(Match).where(Match.id.in_(gone[n : n + 500])))
    if inserts:
        names = tuple(inserts[0])
        insert_rows(session, _MATCH, names, [tuple(v[k] for k in names) for v in inserts])
    if updates:
        session.execute(update(Match), updates)
    update_rows(
        session,
        cast(Table, ItemRow.__table__),
        ("vh_status", "vh_checked_at"),
        [(_strongest(st).value, now, i) for i, st in statuses.items()],
    )
    # objects a caller still holds must not show the old hits or status
    for obj in list(session.identity_map.values()):
        if isinstance(obj, ItemRow | Match):
            session.expire(obj)


def check_all(session: Session) -> int:
    ids = list(session.execute(select(ItemRow.id)).scalars())
    return check_items(session, ids)


def check_pending(session: Session) -> int:
    ids = list(session.execute(select(ItemRow.id).where(ItemRow.vh_status.is_(None))).scalars())
    return check_items(session, ids)


@dataclass(frozen=True)
class HitView:
    """A stored hit with both identities, for the review dialog (no VH content)."""

    match_id: int
    vh_code: str
    persoon_id: str
    status: str
    score: float
    reden: str
    details: list[str]
    review: str | None
    suspect: Identity
    register: Identity


def hits(session: Session, item_id: int) -> list[HitView]:
    item = session.get(ItemRow, item_id)
    if item is None:
        return []
    out = []
    for m in item.matches:
        if not m.marking.actief:
            continue
        mk = m.marking
        out.append(
            HitView(
                match_id=m.id,
                vh_code=mk.vh_code,
                persoon_id=mk.persoon_id,
                status=m.status,
                score=m.score,
                reden=m.reden,
                details=list(m.details or []),
                review=m.review,
                suspect=item_identity(item),
                register=Identity(
                    achternaam=mk.achternaam,
                    voorvoegsel=mk.voorvoegsel,
                    voornamen=mk.voornamen,
                    geboortedatum=mk.geboortedatum,
                    bsn=mk.bsn,
                    geboorteplaats=mk.geboorteplaats,
                    gemeente=mk.gemeente,
                ),
            )
        )
    return out


def has_hit(session: Session, item_id: int) -> bool:
    """Does the suspect have any hit that still counts (not rejected, marking active)?"""
    item = session.get(ItemRow, item_id)
    return item is not None and any(effective_status(m) is not None for m in item.matches)


def vh_codes_with_status(session: Session, item_id: int, status: MatchStatus) -> set[str]:
    """The VH codes of the suspect's hits whose effective status is ``status``."""
    item = session.get(ItemRow, item_id)
    if item is None:
        return set()
    return {m.marking.vh_code for m in item.matches if effective_status(m) is status}


def advice_hit(session: Session, item_id: int, vh_code: str) -> tuple[int, dt.date | None] | None:
    """The suspect's first counting hit on a marking of ``vh_code``: (match id, advice date)."""
    matches = session.execute(
        select(Match)
        .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
        .where(Match.item_id == item_id, RegisterMarking.vh_code == vh_code)
        .order_by(Match.id)
    ).scalars()
    hit = next((m for m in matches if effective_status(m) is not None), None)
    return None if hit is None else (hit.id, hit.marking.advies_datum)


def review(
    session: Session, match_id: int, *, confirm: bool, actor: str, purpose: str = ""
) -> None:
    """Confirm or reject a `mogelijk` hit; audited; remembered for this suspect."""
    m = session.get(Match, match_id)
    if m is None:
        raise LookupError("hit niet gevonden")
    m.review = BEVESTIGD if confirm else AFGEWEZEN
    m.reviewed_by = actor
    m.reviewed_at = now_of(session)
    audit.append(
        session,
        actor,
        audit.HIT_CONFIRM if confirm else audit.HIT_REJECT,
        item_id=m.item_id,
        purpose=purpose or "controle mogelijke hit",
        detail={"vh_code": m.marking.vh_code, "reden": m.reden},
    )
    session.flush()
    item = session.get(ItemRow, m.item_id)
    assert item is not None
    item.vh_status = _strongest(effective_status(x) for x in item.matches).value


def match_report(session: Session) -> list[dict[str, Any]]:
    """`zsm-desk match --json` (interfaces.md §5): one object per instroom item."""
    check_pending(session)
    out: list[dict[str, Any]] = []
    items = session.execute(select(ItemRow).order_by(ItemRow.ingestroomd_op, ItemRow.id)).scalars()
    for item in items:
        matches = []
        for m in sorted(item.matches, key=lambda m: (-m.score, m.marking.vh_code)):
            st = effective_status(m)
            if st is None:
                continue
            matches.append(
                {
                    "vh_code": m.marking.vh_code,
                    "persoon_id": m.marking.persoon_id,
                    "status": st.value,
                    "score": round(m.score, 4),
                    "reden": m.reden,
                }
            )
        status = _strongest(MatchStatus(str(x["status"])) for x in matches)
        out.append({"bvh_nummer": item.bvh_nummer, "status": status.value, "matches": matches})
    return out
