"""Claiming a suspect: one desk works on a case, the others see who and since when.

Opening a case for a decision claims it ("in behandeling bij A. de Vries,
sinds 10:42"). A claim ends with the decision (`release_for_decision`), by an
explicit release, or when the claiming desk has been idle longer than the
configured time (Setting ``claim_vrijgave_minuten``, default 15): an idle claim
no longer counts and may be taken by anyone. Taking over a live claim of
another account needs ``overnemen=True`` (the window asks for confirmation,
the command line wants ``--overnemen``) and is audited.

Every change is announced to the other desks (`notify`: PostgreSQL triggers
on ``item_claim``; SQLite windows poll).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zsm_desk.domain.clock import local
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting
from zsm_desk.services.storage.models import InstroomItem, ItemClaim

IDLE_SETTING = "claim_vrijgave_minuten"
DEFAULT_IDLE = dt.timedelta(minutes=15)
TAKEOVER = "claim-overgenomen"


@dataclass(frozen=True)
class ClaimInfo:
    item_id: int
    account: str
    naam: str
    since: dt.datetime
    last_seen: dt.datetime

    def label(self) -> str:
        return f"in behandeling bij {self.naam}, sinds {local(self.since):%H:%M}"


class ClaimedByOther(Exception):
    """Another account holds a live claim on this suspect; `str()` is one Dutch line."""

    def __init__(self, claim: ClaimInfo) -> None:
        self.claim = claim
        super().__init__(
            f"Deze verdachte is {claim.label()}; neem de zaak over of kies een andere."
        )


def idle_time(session: Session) -> dt.timedelta:
    minutes = get_setting(session, IDLE_SETTING)
    if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
        return dt.timedelta(minutes=float(minutes))
    return DEFAULT_IDLE


def _info(row: ItemClaim) -> ClaimInfo:
    return ClaimInfo(row.item_id, row.account, row.naam, row.since, row.last_seen)


def _live(row: ItemClaim | None, now: dt.datetime, idle: dt.timedelta) -> bool:
    return row is not None and now - row.last_seen < idle


def current(session: Session, item_id: int, now: dt.datetime) -> ClaimInfo | None:
    """The live claim on this item, if any."""
    row = session.get(ItemClaim, item_id)
    return _info(row) if row is not None and _live(row, now, idle_time(session)) else None


def all_claims(session: Session, now: dt.datetime) -> dict[int, ClaimInfo]:
    """Live claims by item id (for the queue)."""
    idle = idle_time(session)
    rows = session.execute(select(ItemClaim)).scalars()
    return {r.item_id: _info(r) for r in rows if _live(r, now, idle)}


def claim(
    session: Session,
    item_id: int,
    *,
    account: str,
    now: dt.datetime,
    naam: str = "",
    overnemen: bool = False,
) -> ClaimInfo:
    """Claim (or keep claiming) this item for `account`.

    Raises `LookupError` when the item is gone and `ClaimedByOther` when
    another account holds a live claim and `overnemen` is False.
    """
    # The item row lock serialises claims (and decisions) of this suspect.
    item = session.get(InstroomItem, item_id, with_for_update=True)
    if item is None:
        raise LookupError("verdachte niet (meer) in de wachtrij")
    naam = naam or account
    row = session.get(ItemClaim, item_id, populate_existing=True)
    if row is not None and row.account == account:
        row.last_seen = now
        row.naam = naam
        session.flush()
        return _info(row)
    if row is not None and _live(row, now, idle_time(session)):
        if not overnemen:
            raise ClaimedByOther(_info(row))
        audit.append(session, account, TAKEOVER, item_id=item_id,
                     purpose="zaak overgenomen van een ander werkstation",
                     detail={"van": row.account, "sinds": row.since.isoformat()},
                     at=now)  # fmt: skip
    if row is not None:
        session.delete(row)
        session.flush()
    new = ItemClaim(item_id=item_id, account=account, naam=naam, since=now, last_seen=now)
    session.add(new)
    session.flush()
    return _info(new)


def release(session: Session, item_id: int, *, account: str) -> bool:
    """Give up this account's claim on the item; True when there was one."""
    result: Any = session.execute(
        delete(ItemClaim).where(ItemClaim.item_id == item_id, ItemClaim.account == account)
    )
    return bool(result.rowcount)


def release_for_decision(session: Session, item_id: int) -> None:
    """The decision ends any claim on the item."""
    session.execute(delete(ItemClaim).where(ItemClaim.item_id == item_id))


def check_may_decide(session: Session, item_id: int, *, account: str, now: dt.datetime) -> None:
    """Raise `ClaimedByOther` when another account holds a live claim on the item."""
    c = current(session, item_id, now)
    if c is not None and c.account != account:
        raise ClaimedByOther(c)
