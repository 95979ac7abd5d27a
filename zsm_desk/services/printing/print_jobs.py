"""Printing for the afstemmingsoverleg: sheets from the database, audited.

Every print and PDF export is written to the audit trail (who, which
suspect(s) by internal id, when, purpose) in the same transaction that
builds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role
from zsm_desk.services.printing import render as printing
from zsm_desk.services.registers.vh_info import build_sheet
from zsm_desk.services.security.users import require
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import InstroomItem as ItemRow

TZ = ZoneInfo("Europe/Amsterdam")


class NotFound(LookupError):
    pass


def item_by_bvh(session: Session, bvh_nummer: str) -> ItemRow:
    row = session.execute(
        select(ItemRow).where(ItemRow.bvh_nummer == bvh_nummer.strip().upper())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"geen verdachte met bvh_nummer {bvh_nummer} in de wachtrij")
    return row


def bvh_of(session: Session, item_id: int) -> str:
    """The item's bvh_nummer (for a file name); NotFound if it is gone."""
    row = session.get(ItemRow, item_id)
    if row is None:
        raise NotFound("verdachte niet meer in de wachtrij")
    return row.bvh_nummer


def plan_pdf(
    session: Session,
    item_id: int,
    *,
    account: str,
    roles: frozenset[Role],
    purpose: str = "afdruk afstemmingsoverleg",
) -> bytes:
    require(roles, Action.PRINT)
    row = session.get(ItemRow, item_id)
    if row is None:
        raise NotFound("verdachte niet meer in de wachtrij")
    pdf = printing.render_plan(build_sheet(session, row, account=account, roles=roles))
    audit.append(
        session, account, audit.PRINT, item_id=row.id, purpose=purpose, detail={"soort": "plan"}
    )
    return pdf


def known_item_ids(
    session: Session, item_ids: Sequence[int] | None = None, datum: dt.date | None = None
) -> list[int]:
    """The known suspects (bekend or mogelijk) of a selection, or of a day."""
    q = select(ItemRow.id, ItemRow.ingestroomd_op).where(
        ItemRow.vh_status.in_(("bekend", "mogelijk"))
    )
    if item_ids is not None:
        q = q.where(ItemRow.id.in_(list(item_ids)))
    if datum is not None:
        start = dt.datetime.combine(datum, dt.time(0), TZ)
        end = dt.datetime.combine(datum + dt.timedelta(days=1), dt.time(0), TZ)
        q = q.where(ItemRow.ingestroomd_op >= start, ItemRow.ingestroomd_op < end)
    return [r.id for r in session.execute(q.order_by(ItemRow.ingestroomd_op))]


def day_pack_pdf(
    session: Session,
    item_ids: Sequence[int],
    *,
    account: str,
    roles: frozenset[Role],
    datum: dt.date | None = None,
    purpose: str = "dagpakket afstemmingsoverleg",
) -> bytes:
    require(roles, Action.PRINT)
    now = now_of(session)
    settings = load_settings(session)
    rows = [r for i in item_ids if (r := session.get(ItemRow, i)) is not None]
    sheets = [build_sheet(session, r, account=account, roles=roles, now=now) for r in rows]
    pdf = printing.render_day_pack(
        sheets, settings.zsm_locatie, datum or now.astimezone(TZ).date(), account, now
    )
    for r in rows:
        audit.append(
            session,
            account,
            audit.PRINT,
            item_id=r.id,
            purpose=purpose,
            detail={"soort": "dagpakket", "aantal": len(rows)},
        )
    return pdf
