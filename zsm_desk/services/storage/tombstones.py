"""Remembering purged cases without remembering who they were.

After a technical sepot (01) the case is removed; the verdachtenmonitor may
still send the same `bvh_nummer` again (a status update). We keep an HMAC of
the number with a random per-database key, so a re-sent item is ignored while
the stored value cannot be turned back into the number without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import PurgedKey, Setting

_KEY_SETTING = "purge_sleutel"


def _key(session: Session) -> bytes:
    row = session.get(Setting, _KEY_SETTING)
    if row is None:
        row = Setting(key=_KEY_SETTING, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


def _hash(session: Session, bvh_nummer: str) -> str:
    return hmac.new(_key(session), bvh_nummer.strip().upper().encode(), hashlib.sha256).hexdigest()


def remember(session: Session, bvh_nummer: str, now: dt.datetime | None = None) -> None:
    h = _hash(session, bvh_nummer)
    if session.get(PurgedKey, h) is None:
        session.add(PurgedKey(key_hash=h, at=now or now_of(session)))


def purged_among(session: Session, bvh_nummers: list[str]) -> set[str]:
    """The numbers of this list that belong to a purged case."""
    if not bvh_nummers:
        return set()
    if session.execute(select(PurgedKey.key_hash).limit(1)).first() is None:
        return set()
    by_hash = {_hash(session, b): b for b in bvh_nummers}
    found = session.execute(select(PurgedKey.key_hash).where(PurgedKey.key_hash.in_(list(by_hash))))
    return {by_hash[h] for h in found.scalars()}
