"""Remembering purged cases without remembering who they were.

After a technical sepot (01) the case is removed; the verdachtenmonitor may
still send the same `bvh_nummer` again (a status update). We keep an HMAC of
the number with the location's ``opschoning`` key, which lives outside the
database (`location_keys`: OS keyring, or this desk's key file), so a re-sent
item is ignored while the stored value cannot be turned back into the number
by trying candidates without the key.

Databases from before issue 15 kept a key in the `setting` table; tombstones
made with it are still recognised (`_legacy_key`), new ones never use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.services.keys import location_keys
from zsm_desk.services.storage.bulk import chunks
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import PurgedKey, Setting

_KEY_SETTING = "purge_sleutel"


def _key(session: Session) -> bytes:
    k = location_keys.key(location_keys.PURGE)
    assert k is not None  # create=True always gives one
    return k


def _legacy_key(session: Session) -> bytes | None:
    row = session.get(Setting, _KEY_SETTING)
    return None if row is None else bytes.fromhex(row.value)


def _hash_with(key: bytes, bvh_nummer: str) -> str:
    return hmac.new(key, bvh_nummer.strip().upper().encode(), hashlib.sha256).hexdigest()


def _hash(session: Session, bvh_nummer: str) -> str:
    return _hash_with(_key(session), bvh_nummer)


def _hashes(session: Session, bvh_nummer: str) -> list[str]:
    legacy = _legacy_key(session)
    out = [_hash(session, bvh_nummer)]
    if legacy is not None:
        out.append(_hash_with(legacy, bvh_nummer))
    return out


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
    by_hash = {h: b for b in bvh_nummers for h in _hashes(session, b)}
    out: set[str] = set()
    for chunk in chunks(list(by_hash)):  # a big instroom file: two hashes per number
        found = session.execute(select(PurgedKey.key_hash).where(PurgedKey.key_hash.in_(chunk)))
        out.update(by_hash[h] for h in found.scalars())
    return out


def purged_at(session: Session, bvh_nummer: str) -> dt.datetime | None:
    """When the case with this number was purged, or None."""
    for h in _hashes(session, bvh_nummer):
        row = session.get(PurgedKey, h)
        if row is not None:
            return row.at
    return None
