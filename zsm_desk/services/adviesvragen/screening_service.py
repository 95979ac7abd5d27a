"""Screening a suspect against the criteria lists, and marking a possibly complex case.

Background-pilots KV-6, Q6 and §5. The checklists are configuration: the
Setting ``screeningslijsten`` holds them as JSON (`screening.checklists_to_list`);
without it the defaults of `domain.screening` apply. A screening stores the
ticked criteria as a snapshot (code, text, group, as the list read then), the
outcome and its explanation, and is audited.

When a screening proposes an aanmelding, the suspect is marked
``mogelijk_complex``; the decision service's `feedback_plan` then turns the
decision of an unknown suspect into an aanmelding, whose reason and criteria
come from :func:`aanmelding_gegevens`. The mark follows the latest screening
per checklist: it is set while any checklist's latest screening proposes an
aanmelding, and cleared when none does any more (a corrected tick box).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain import screening as sc
from zsm_desk.domain.access import Action, Role
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, put_setting
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models_adviesvraag import Screening

SETTING_KEY = "screeningslijsten"
#: Audit action of a screening (stable name).
AUDIT_SCREENING = "screening"


class ScreeningError(ValueError):
    """Refused input; the message is Dutch."""


# ---------------------------------------------------------------------------
# The checklists (configuration)
# ---------------------------------------------------------------------------


def load_checklists(session: Session) -> list[sc.Checklist]:
    """The configured checklists, or the defaults when none are stored.

    A stored value that no longer validates raises ValueError (Dutch): a
    screening against a silently substituted list would be wrong in the dossier.
    """
    value = get_setting(session, SETTING_KEY)
    if value is None:
        return sc.default_checklists()
    return sc.checklists_from_list(value)


def save_checklists(
    session: Session, checklists: list[sc.Checklist], *, account: str, roles: frozenset[Role]
) -> None:
    """Store the checklists (beheerder), audited as a settings change."""
    users.require(roles, Action.SETTINGS)
    data = sc.checklists_to_list(checklists)
    sc.checklists_from_list(data)  # duplicate codes are an error
    put_setting(session, SETTING_KEY, data)
    session.flush()
    audit.append(
        session,
        account,
        audit.SETTINGS,
        purpose="screeningslijsten gewijzigd",
        detail={"screeningslijsten": [c.code for c in checklists]},
    )


def reset_checklists(session: Session, *, account: str, roles: frozenset[Role]) -> None:
    """Back to the built-in defaults (removes the Setting), audited."""
    users.require(roles, Action.SETTINGS)
    if get_setting(session, SETTING_KEY) is not None:
        put_setting(session, SETTING_KEY, None)
        session.flush()
    audit.append(
        session,
        account,
        audit.SETTINGS,
        purpose="screeningslijsten terug naar standaard",
        detail={"screeningslijsten": "standaard"},
    )


def checklist(session: Session, code: str) -> sc.Checklist:
    for c in load_checklists(session):
        if c.code == code:
            return c
    bekend = ", ".join(c.code for c in load_checklists(session))
    raise ScreeningError(f"onbekende screeningslijst {code!r} (beschikbaar: {bekend})")


# ---------------------------------------------------------------------------
# Screening a suspect
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    item_id: int
    checklist: str
    checklist_naam: str
    criteria: list[dict[str, Any]]  # [{code, tekst, groep, informatief}]
    voorstel: bool
    voorstel_tekst: str
    uitleg: str
    door: str
    op: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "checklist": self.checklist,
            "checklist_naam": self.checklist_naam,
            "criteria": self.criteria,
            "voorstel": self.voorstel,
            "voorstel_tekst": self.voorstel_tekst,
            "uitleg": self.uitleg,
            "door": self.door,
            "op": self.op.isoformat(timespec="seconds"),
        }


def _record(row: Screening) -> ScreeningRecord:
    return ScreeningRecord(
        id=row.id,
        item_id=row.item_id,
        checklist=row.checklist,
        checklist_naam=row.checklist_naam,
        criteria=list(row.criteria or []),
        voorstel=row.voorstel,
        voorstel_tekst=row.voorstel_tekst,
        uitleg=row.uitleg,
        door=row.door,
        op=row.op,
    )


def screen(
    session: Session,
    item_id: int,
    checklist_code: str,
    ticked: list[str] | tuple[str, ...] | set[str],
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
) -> tuple[sc.ScreeningOutcome, ScreeningRecord]:
    """Evaluate the ticked criteria, store the screening, update ``mogelijk_complex``.

    Desk roles only (the same as for an adviesvraag). Unknown criterion codes
    are refused (`screening.evaluate`). Returns the outcome (with the Dutch
    explanation for the screen) and the stored record.
    """
    users.require(roles, Action.ADVIESVRAAG)
    item = session.get(ItemRow, item_id)
    if item is None:
        raise ScreeningError(f"verdachte {item_id} niet gevonden")
    cl = checklist(session, checklist_code)
    codes = set(ticked)
    try:
        outcome = sc.evaluate(cl, codes)
    except ValueError as e:
        raise ScreeningError(str(e)) from None
    informatief = {g.code for g in cl.groepen if g.informatief}
    criteria = [
        {"code": c.code, "tekst": c.tekst, "groep": c.groep, "informatief": c.groep in informatief}
        for c in cl.criteria
        if c.code in codes
    ]
    row = Screening(
        item_id=item.id,
        checklist=cl.code,
        checklist_naam=cl.naam,
        criteria=criteria,
        voorstel=outcome.voorstel_aanmelding,
        voorstel_tekst=cl.voorstel if outcome.voorstel_aanmelding else "",
        uitleg=outcome.uitleg,
        door=account,
        op=(now or now_of(session)).astimezone(dt.UTC),
    )
    session.add(row)
    session.flush()
    was = item.mogelijk_complex
    item.mogelijk_complex = _any_proposal(session, item.id)
    session.flush()
    audit.append(
        session,
        account,
        AUDIT_SCREENING,
        item_id=item.id,
        purpose="screening met criterialijst",
        detail={
            "screening_id": row.id,
            "checklist": cl.code,
            "criteria": sorted(codes),
            "voorstel": outcome.voorstel_aanmelding,
            "mogelijk_complex": item.mogelijk_complex,
            "mogelijk_complex_was": was,
        },
    )
    return outcome, _record(row)


def _latest_per_checklist(session: Session, item_id: int) -> list[Screening]:
    rows = session.execute(
        select(Screening).where(Screening.item_id == item_id).order_by(Screening.id)
    ).scalars()
    latest: dict[str, Screening] = {}
    for r in rows:
        latest[r.checklist] = r
    return sorted(latest.values(), key=lambda r: r.id)


def _any_proposal(session: Session, item_id: int) -> bool:
    return any(r.voorstel for r in _latest_per_checklist(session, item_id))


def screenings(
    session: Session, item_id: int, *, alleen_laatste: bool = False
) -> list[ScreeningRecord]:
    """The item's screenings, oldest first (or only the latest per checklist)."""
    if alleen_laatste:
        return [_record(r) for r in _latest_per_checklist(session, item_id)]
    rows = session.execute(
        select(Screening).where(Screening.item_id == item_id).order_by(Screening.id)
    ).scalars()
    return [_record(r) for r in rows]


def aanmelding_gegevens(session: Session, item_id: int) -> tuple[str, list[str]] | None:
    """Reason and criteria texts for `terugkoppeling.build_aanmelding`, or None.

    From the latest screening per checklist that proposes an aanmelding; the
    reason names the proposal(s), the criteria are the ticked criterion texts
    (no case content: KV-6 shares only personal data and the reason).
    """
    voorstellen = [r for r in _latest_per_checklist(session, item_id) if r.voorstel]
    if not voorstellen:
        return None
    reden = "; ".join(f"{r.checklist_naam}: {r.voorstel_tekst}" for r in voorstellen)
    criteria: list[str] = []
    for r in voorstellen:
        for c in r.criteria or []:
            # Informative criteria (ZWB "licht") explain nothing to the VH.
            if not c.get("informatief") and c["tekst"] not in criteria:
                criteria.append(c["tekst"])
    return f"Mogelijk complexe zaak volgens de screening ({reden})", criteria


__all__ = [
    "AUDIT_SCREENING",
    "SETTING_KEY",
    "ScreeningError",
    "ScreeningRecord",
    "aanmelding_gegevens",
    "checklist",
    "load_checklists",
    "reset_checklists",
    "save_checklists",
    "screen",
    "screenings",
]
