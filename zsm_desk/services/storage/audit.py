"""The audit trail: append-only, hash-chained, verifiable.

Every view of VH content, print, export, send, decision, hit review, purge and
settings change is one entry: who, when, which suspect (internal id only, no
personal data), purpose. There is deliberately no update or delete here; the
database refuses them too (migration 0002).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import AuditEntry, AuditHead

GENESIS = "0" * 64

# Actions (stable names, used in filters and monitoring).
VIEW_VH = "inzage-vh"
PRINT = "afdruk"
EXPORT = "export"
SEND = "verzending"
DECISION = "beslissing"
HIT_CONFIRM = "hit-bevestigd"
HIT_REJECT = "hit-afgewezen"
PURGE = "opschoning"
SETTINGS = "instellingen"
IMPORT = "import"
ROLES = "rollen"
ADVIESVRAAG = "adviesvraag"


def _digest(
    prev_hash: str,
    at: dt.datetime,
    account: str,
    action: str,
    item_id: int | None,
    purpose: str,
    detail: Any,
) -> str:
    body = json.dumps(
        [
            prev_hash,
            at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            account,
            action,
            item_id,
            purpose,
            detail,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(
    session: Session,
    account: str,
    action: str,
    *,
    item_id: int | None = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Add one entry in the caller's transaction (so it commits with the act)."""
    detail = detail or {}
    # Microsecond precision is all the database keeps; hash what is stored.
    at = (at or now_of(session)).astimezone(dt.UTC)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count + 1))
    head = session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1)).scalar_one()
    digest = _digest(head, at, account, action, item_id, purpose, detail)
    entry = AuditEntry(
        at=at,
        account=account,
        action=action,
        item_id=item_id,
        purpose=purpose,
        detail=detail,
        prev_hash=head,
        hash=digest,
    )
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=digest))
    session.flush()
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    problems: list[str]


def verify(session: Session) -> VerifyResult:
    """Recompute the chain; report changed, removed, inserted or cut-off rows."""
    problems: list[str] = []
    prev = GENESIS
    prev_id = 0
    n = 0
    rows: Iterable[AuditEntry] = session.execute(
        select(AuditEntry).order_by(AuditEntry.id)
    ).scalars()
    for e in rows:
        n += 1
        if e.prev_hash != prev:
            problems.append(
                f"regel {e.id}: keten gebroken na regel {prev_id} (regel verwijderd of ingevoegd)"
            )
        expected = _digest(e.prev_hash, e.at, e.account, e.action, e.item_id, e.purpose, e.detail)
        if expected != e.hash:
            problems.append(f"regel {e.id}: inhoud gewijzigd (hash klopt niet)")
        prev, prev_id = e.hash, e.id
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one_or_none()
    if head is None:
        problems.append("controlegegevens van de audit ontbreken")
    else:
        if head.count != n:
            problems.append(
                f"aantal regels {n}, verwacht {head.count} (regels verwijderd of toegevoegd)"
            )
        if head.last_hash != prev:
            problems.append("laatste regel komt niet overeen met de controlegegevens")
    return VerifyResult(ok=not problems, count=n, problems=problems)


def count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


class EntryRow(NamedTuple):
    """One entry as plain values, for the audit view (no ORM object)."""

    id: int
    at: dt.datetime
    account: str
    action: str
    item_id: int | None
    purpose: str | None
    detail: dict[str, Any] | None


def list_entries(
    session: Session,
    *,
    van_utc: dt.datetime | None = None,
    tot_utc: dt.datetime | None = None,
    limit: int,
) -> list[EntryRow]:
    """Entries with ``van_utc <= at < tot_utc`` (aware bounds, each optional), newest first."""
    q = select(
        AuditEntry.id,
        AuditEntry.at,
        AuditEntry.account,
        AuditEntry.action,
        AuditEntry.item_id,
        AuditEntry.purpose,
        AuditEntry.detail,
    )
    if van_utc is not None:
        q = q.where(AuditEntry.at >= van_utc)
    if tot_utc is not None:
        q = q.where(AuditEntry.at < tot_utc)
    q = q.order_by(AuditEntry.id.desc()).limit(limit)
    return [EntryRow(*r) for r in session.execute(q)]
