"""The audit trail: append-only, hash-chained, verifiable.

Every view of VH content, print, export, send, decision, hit review, purge and
settings change is one entry: who, when, which suspect (internal id only, no
personal data), purpose. There is deliberately no update or delete here; the
database refuses them too (migrations 0002 and 0110).

Tamper evidence against someone with database access (issue 15):

* each hash is an HMAC with the location's audit key, held outside the
  database (`location_keys`); `sleutel` names the key. Rows written before
  the key existed (``sleutel`` NULL) are plain SHA-256 and may only precede
  keyed rows. A chain rewritten without the key does not verify;
* each desk keeps the highest (count, hash) it has seen outside the database
  (`anchor`), so cutting rows off the end and resetting `audit_head` is
  reported as truncation, and a rewritten row at that position as rewriting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from zsm_desk.services.security import location_keys
from zsm_desk.services.storage import anchor
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
    key: bytes | None = None,
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
    if key is None:
        return hashlib.sha256(body.encode("utf-8")).hexdigest()
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def _url(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


_PENDING = "zsm_audit_seen"


@event.listens_for(Session, "after_commit")
def _remember_head(session: Session) -> None:
    """After a commit that added audit entries: this desk has seen that head."""
    seen = session.info.pop(_PENDING, None)
    if seen is None:
        return
    with contextlib.suppress(OSError):  # a read-only home directory must not stop the desk
        anchor.remember(*seen)


@event.listens_for(Session, "after_rollback")
def _forget_head(session: Session) -> None:
    session.info.pop(_PENDING, None)


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
    head, n = session.execute(
        select(AuditHead.last_hash, AuditHead.count).where(AuditHead.id == 1)
    ).one()
    key = location_keys.key(location_keys.AUDIT)
    digest = _digest(head, at, account, action, item_id, purpose, detail, key)
    entry = AuditEntry(
        at=at,
        account=account,
        action=action,
        item_id=item_id,
        purpose=purpose,
        detail=detail,
        prev_hash=head,
        hash=digest,
        sleutel=location_keys.fingerprint(key) if key is not None else None,
    )
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=digest))
    session.flush()
    session.info[_PENDING] = (_url(session), int(n), digest, digest if n == 1 else "")
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    problems: list[str]


_UNSET: Any = object()


def verify(
    session: Session,
    *,
    key: bytes | None = _UNSET,
    seen: anchor.Anchor | None = _UNSET,
    remember: bool = True,
    new_anchor: bool = False,
) -> VerifyResult:
    """Recompute the chain; report rewritten, removed, inserted or cut-off rows.

    `key`: the location's audit key (default: this desk's); `seen`: the head
    this desk saw before (default: from its state directory). When the chain
    is in order and `remember`, this desk remembers the current head.
    `new_anchor`: the beheerder confirms this is a new database at a known
    address; what this desk saw of the old one is forgotten.
    """
    if key is _UNSET:
        key = location_keys.key(location_keys.AUDIT, create=False)
    url = _url(session)
    if seen is _UNSET:
        try:
            seen = anchor.load(url)
        except OSError:
            seen = None
    fp = location_keys.fingerprint(key) if key is not None else None
    problems: list[str] = []
    prev = GENESIS
    prev_id = 0
    n = 0
    keyed_seen = False
    other_key = 0
    hash_at_seen: str | None = None
    first_hash = ""
    rows: Iterable[AuditEntry] = session.execute(
        select(AuditEntry).order_by(AuditEntry.id)
    ).scalars()
    for e in rows:
        n += 1
        if n == 1:
            first_hash = e.hash
        if e.prev_hash != prev:
            problems.append(
                f"regel {e.id}: keten gebroken na regel {prev_id} (regel verwijderd of ingevoegd)"
            )
        args = (e.prev_hash, e.at, e.account, e.action, e.item_id, e.purpose, e.detail)
        if e.sleutel is None:
            if keyed_seen:
                problems.append(
                    f"regel {e.id}: zonder sleutel na beveiligde regels (keten herschreven)"
                )
            elif _digest(*args) != e.hash:
                problems.append(f"regel {e.id}: inhoud gewijzigd (hash klopt niet)")
        else:
            keyed_seen = True
            if key is None or e.sleutel != fp:
                other_key += 1
            elif _digest(*args, key=key) != e.hash:
                problems.append(f"regel {e.id}: inhoud gewijzigd of herschreven zonder sleutel")
        if seen is not None and n == seen.count:
            hash_at_seen = e.hash
        prev, prev_id = e.hash, e.id
    if other_key:
        problems.append(
            f"{other_key} regel(s) met een sleutel die dit werkstation niet heeft: niet te "
            "controleren (zet de auditsleutel van de locatie: zsm-desk secret set audit)"
        )
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
    if new_anchor:
        seen = None
    if seen is not None and seen.first and seen.first != first_hash:
        problems.append(
            "dit is niet de audit die dit werkstation eerder zag: de database is opnieuw "
            "aangemaakt, of de hele keten is herschreven. Na een bewuste nieuwe installatie: "
            "zsm-desk audit verify --anker-opnieuw"
        )
    elif seen is not None and seen.count > 0:
        if n < seen.count:
            problems.append(
                f"audit afgekapt: dit werkstation zag al {seen.count} regels, er zijn er nu {n} "
                "(regels aan het eind verwijderd)"
            )
        elif hash_at_seen != seen.hash:
            problems.append(
                f"regel nummer {seen.count} is herschreven sinds dit werkstation hem zag"
            )
    ok = not problems
    if ok and remember and n:
        with contextlib.suppress(OSError):
            anchor.remember(url, n, prev, first_hash, replace=new_anchor)
    return VerifyResult(ok=ok, count=n, problems=problems)


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
