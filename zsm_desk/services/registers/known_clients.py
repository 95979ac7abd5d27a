"""Checking every suspect against the registers of all veiligheidshuizen.

Runs without anyone asking: after every instroom import and every register
import. A person's review of a `mogelijk` hit is remembered for that suspect
and survives re-checks. The match index is cached per database and rebuilt
only when the registers change (`register_versie`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain.matching import Candidate, RegisterIndex
from zsm_desk.domain.records import (
    Identity,
    InstroomItem,
    InstroomStatus,
    MatchResult,
    MatchStatus,
)
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models import Match, RegisterMarking, Setting

BEVESTIGD = "bevestigd"
AFGEWEZEN = "afgewezen"

_cache_lock = threading.Lock()
_cache: dict[str, tuple[int, RegisterIndex, dict[tuple[str, str], int]]] = {}


def _version(session: Session) -> int:
    row = session.get(Setting, "register_versie")
    return int(row.value) if row else 0


def item_identity(row: ItemRow) -> Identity:
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


def load_index(session: Session) -> tuple[RegisterIndex, dict[tuple[str, str], int]]:
    key = str(session.get_bind().engine.url)
    version = _version(session)
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == version:
            return hit[1], hit[2]
    rows = session.execute(
        select(
            RegisterMarking.id,
            RegisterMarking.vh_code,
            RegisterMarking.persoon_id,
            RegisterMarking.achternaam,
            RegisterMarking.voorvoegsel,
            RegisterMarking.voornamen,
            RegisterMarking.geboortedatum,
            RegisterMarking.bsn,
            RegisterMarking.geboorteplaats,
            RegisterMarking.gemeente,
        ).where(RegisterMarking.actief.is_(True))
    ).all()
    ids = {(r.vh_code, r.persoon_id): r.id for r in rows}
    index = RegisterIndex(
        Candidate(
            r.vh_code,
            r.persoon_id,
            Identity(
                achternaam=r.achternaam,
                voorvoegsel=r.voorvoegsel,
                voornamen=r.voornamen,
                geboortedatum=r.geboortedatum,
                bsn=r.bsn,
                geboorteplaats=r.geboorteplaats,
                gemeente=r.gemeente,
            ),
        )
        for r in rows
    )
    with _cache_lock:
        _cache[key] = (version, index, ids)
    return index, ids


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
    if not match.marking.actief or match.review == AFGEWEZEN:
        return None
    if match.review == BEVESTIGD or match.status == MatchStatus.BEKEND:
        return MatchStatus.BEKEND
    return MatchStatus.MOGELIJK


def _strongest(statuses: Iterable[MatchStatus | None]) -> MatchStatus:
    s = set(statuses)
    if MatchStatus.BEKEND in s:
        return MatchStatus.BEKEND
    if MatchStatus.MOGELIJK in s:
        return MatchStatus.MOGELIJK
    return MatchStatus.ONBEKEND


def _apply(
    session: Session,
    item: ItemRow,
    results: Sequence[MatchResult],
    ids: dict[tuple[str, str], int],
    now: dt.datetime,
) -> None:
    by_marking = {m.marking_id: m for m in item.matches}
    found: set[int] = set()
    for r in results:
        mid = ids.get((r.vh_code, r.persoon_id))
        if mid is None:
            continue
        found.add(mid)
        row = by_marking.get(mid)
        if row is None:
            row = Match(
                item_id=item.id,
                marking_id=mid,
                status=r.status.value,
                score=r.score,
                reden=r.reden,
                details=list(r.details),
            )
            item.matches.append(row)
        else:
            row.status, row.score, row.reden = r.status.value, r.score, r.reden
            row.details = list(r.details)
    for mid, row in by_marking.items():
        # A hit the matcher no longer finds goes, unless a person reviewed it:
        # that judgement is remembered (a rejection keeps it away for good).
        if mid not in found and row.review is None:
            item.matches.remove(row)
    session.flush()
    item.vh_status = _strongest(effective_status(m) for m in item.matches).value
    item.vh_checked_at = now


def check_items(session: Session, item_ids: Sequence[int]) -> int:
    """Match these items now; returns how many were checked."""
    if not item_ids:
        return 0
    index, ids = load_index(session)
    now = now_of(session)
    n = 0
    for chunk_start in range(0, len(item_ids), 500):
        chunk = item_ids[chunk_start : chunk_start + 500]
        for item in session.execute(select(ItemRow).where(ItemRow.id.in_(chunk))).scalars():
            _apply(session, item, index.match(item_identity(item)), ids, now)
            n += 1
    session.flush()
    return n


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
