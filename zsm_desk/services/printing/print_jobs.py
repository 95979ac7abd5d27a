"""Printing for the afstemmingsoverleg: sheets from the database, audited.

Every print and PDF export is written to the audit trail (who, which
suspect(s) by internal id, when, purpose) in the same transaction that
builds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role
from zsm_desk.domain.deadlines import queue_deadline
from zsm_desk.domain.printsheet import CLOSED, PlanSheet
from zsm_desk.services.printing import render as printing
from zsm_desk.services.registers.vh_info import build_sheet
from zsm_desk.services.security.users import require
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import Decision
from zsm_desk.services.storage.models import InstroomItem as ItemRow

TZ = ZoneInfo("Europe/Amsterdam")


class NotFound(LookupError):
    pass


def item_by_bvh(session: Session, bvh_nummer: str) -> ItemRow:
    row = session.execute(
        select(ItemRow).where(ItemRow.bvh_nummer == bvh_nummer.strip().upper())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"geen verdachte met BVH-nummer {bvh_nummer!r} in de wachtrij")
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
    voorbeeld: bool = False,
    vastleggen: bool = True,
) -> bytes:
    """The plan of one suspect as PDF, audited.

    `vastleggen=False`: no audit line now; the caller prints at once and
    audits the print itself (the window's one-action Ctrl+P).

    `voorbeeld`: the PDF is only shown (print preview): audited as a view
    (``inzage-vh``); the actual print or save is audited by the caller when it
    happens. Otherwise (CLI: the PDF is written) audited as a print.
    """
    require(roles, Action.PRINT)
    row = session.get(ItemRow, item_id)
    if row is None:
        raise NotFound("verdachte niet meer in de wachtrij")
    pdf = printing.render_plan(build_sheet(session, row, account=account, roles=roles))
    if vastleggen:
        action, purpose = _audit_kind(voorbeeld, purpose)
        audit.append(
            session, account, action, item_id=row.id, purpose=purpose, detail={"soort": "plan"}
        )
    return pdf


def _audit_kind(voorbeeld: bool, purpose: str) -> tuple[str, str]:
    if voorbeeld:
        return audit.VIEW_VH, f"afdrukvoorbeeld ({purpose})"
    return audit.PRINT, purpose


def _with_overview(session: Session, row: ItemRow, sheet: PlanSheet, norm: int) -> PlanSheet:
    """Add the deadline and the recorded decision for the day pack's overview."""
    decision = session.execute(
        select(Decision.beslissing).where(Decision.item_id == row.id)
    ).scalar_one_or_none()
    closed = row.status in CLOSED
    deadline = None if closed or decision else queue_deadline(_aware(row.ingestroomd_op), norm)
    label = ""
    if decision:
        from zsm_desk.services.decisions.decisions_service import load_codelist

        label = load_codelist(session).label(decision)
    return replace(sheet, deadline=deadline, besloten=label)


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


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
    selectie: str = "",
    voorbeeld: bool = False,
    now: dt.datetime | None = None,
) -> bytes:
    """The day pack as PDF; `selectie` is printed on the cover (the filter that applied).

    `voorbeeld`: audited as a view, see `plan_pdf`.
    """
    require(roles, Action.PRINT)
    now = now or now_of(session)
    settings = load_settings(session)
    rows = [r for i in item_ids if (r := session.get(ItemRow, i)) is not None]
    sheets = [
        _with_overview(
            session, r, build_sheet(session, r, account=account, roles=roles, now=now),
            settings.deadline_uren,
        )
        for r in rows
    ]  # fmt: skip
    pdf = printing.render_day_pack(
        sheets, settings.zsm_locatie, datum or now.astimezone(TZ).date(), account, now,
        selectie=selectie,
    )  # fmt: skip
    action, purpose = _audit_kind(voorbeeld, purpose)
    for r in rows:
        audit.append(
            session,
            account,
            action,
            item_id=r.id,
            purpose=purpose,
            detail={"soort": "dagpakket", "aantal": len(rows)},
        )
    return pdf
