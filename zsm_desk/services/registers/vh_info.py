"""One suspect's VH information, under the disclosure rules, audited.

The detail pane, the print and the command line all get a suspect's VH
information here. The rules themselves live in `domain.printsheet`
(`section_visibility`); this module only fills a section with content when
the rules allow it, and writes the audit line for every disclosure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role, allowed
from zsm_desk.domain.printsheet import (
    AdviesvraagAnswer,
    PlanSheet,
    SheetView,
    VhSection,
    section_visibility,
    visible_content,
)
from zsm_desk.domain.records import (
    Identity,
    InstroomItem,
    InstroomStatus,
    MatchStatus,
)
from zsm_desk.services.registers.known_clients import BEVESTIGD, effective_status, item_identity
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import Adviesvraag, Decision
from zsm_desk.services.storage.models import InstroomItem as ItemRow


def to_domain(row: ItemRow) -> InstroomItem:
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


@dataclass(frozen=True)
class ItemSummary:
    """A queue item as plain values: the domain item plus the fields it does not carry."""

    item_id: int
    item: InstroomItem
    gemeente: str
    mogelijk_complex: bool


def item_summary(session: Session, item_id: int) -> ItemSummary | None:
    """The item's plain facts (no VH content, not audited); None if it is gone."""
    row = session.get(ItemRow, item_id)
    if row is None:
        return None
    return ItemSummary(
        item_id=row.id,
        item=to_domain(row),
        gemeente=row.gemeente or "",
        mogelijk_complex=bool(row.mogelijk_complex),
    )


def _may_see_content(roles: frozenset[Role]) -> bool:
    return allowed(roles, Action.SEE_CONTENT)


def build_sheet(
    session: Session,
    row: ItemRow,
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
) -> PlanSheet:
    """The suspect's sheet with content only where the rules allow it."""
    settings = load_settings(session)
    names = {v.code: v.naam for v in settings.veiligheidshuizen}
    item = to_domain(row)
    may = _may_see_content(roles)
    sections: list[VhSection] = []
    if allowed(roles, Action.SEE_FLAG):
        for m in sorted(row.matches, key=lambda m: (-m.score, m.marking.vh_code)):
            st = effective_status(m)
            if st is None:
                continue
            mk = m.marking
            probe = VhSection(
                mk.vh_code,
                names.get(mk.vh_code, mk.vh_code),
                MatchStatus(m.status),
                confirmed=m.review == BEVESTIGD,
            )
            if section_visibility(probe, item, may).shows_content:
                sections.append(
                    replace(
                        probe,
                        slagzin=mk.slagzin,
                        advies=mk.advies,
                        advies_datum=mk.advies_datum,
                        doel_interventie=mk.doel_interventie,
                        context=mk.context,
                        hg_historie=mk.hg_historie,
                        plan_van_aanpak=mk.plan_van_aanpak,
                        contactpersoon=mk.contactpersoon,
                        contact_telefoon=mk.contact_telefoon,
                    )
                )
            else:
                # Whom to call is "dat"-information and helps the desk; the
                # advice itself stays out of the sheet altogether.
                sections.append(
                    replace(
                        probe,
                        contactpersoon=mk.contactpersoon if may else "",
                        contact_telefoon=mk.contact_telefoon if may else "",
                    )
                )
    answers = []
    if allowed(roles, Action.SEE_CONTENT):
        for v in session.execute(
            select(Adviesvraag).where(Adviesvraag.item_id == row.id, Adviesvraag.antwoord != "")
        ).scalars():
            answers.append(
                AdviesvraagAnswer(
                    vh_code=v.vh_code,
                    vraag=v.vraag,
                    antwoord=v.antwoord,
                    ontvangen_op=v.beantwoord_op,
                    van_wie=v.antwoord_van,
                    vh_naam=names.get(v.vh_code, v.vh_code),
                )
            )
    return PlanSheet(
        zsm_locatie=settings.zsm_locatie,
        item=item,
        sections=tuple(sections),
        printed_by=account,
        printed_at=now or now_of(session),
        may_see_content=may,
        answers=tuple(answers),
    )


@dataclass(frozen=True)
class CaseDetail:
    item_id: int
    sheet: PlanSheet
    view: SheetView
    identity: Identity
    woonplaats: str
    gemeente: str
    decision: dict[str, object] | None
    open_vragen: list[dict[str, object]]


def case_detail(
    session: Session,
    item_id: int,
    *,
    account: str,
    roles: frozenset[Role],
    purpose: str = "afstemmingsoverleg",
) -> CaseDetail | None:
    """Everything the detail pane shows; audits when VH content is disclosed."""
    row = session.get(ItemRow, item_id)
    if row is None:
        return None
    sheet = build_sheet(session, row, account=account, roles=roles)
    view = visible_content(sheet)
    shown = [s.section.vh_code for s in view.sections if s.visibility.shows_content]
    if shown:
        audit.append(
            session,
            account,
            audit.VIEW_VH,
            item_id=row.id,
            purpose=purpose,
            detail={"vh_codes": shown},
        )
    dec = session.execute(select(Decision).where(Decision.item_id == row.id)).scalar_one_or_none()
    decision = None
    if dec is not None:
        decision = {
            "beslissing": dec.beslissing,
            "sepotcode": dec.sepotcode,
            "advies_gevolgd": dec.advies_gevolgd,
            "motivering": dec.motivering,
            "besloten_door": dec.besloten_door,
            "namens": dec.namens,
            "besloten_op": dec.besloten_op,
        }
    vragen = _vragen(session, row.id, account, roles)
    return CaseDetail(
        item_id=row.id,
        sheet=sheet,
        view=view,
        identity=item_identity(row),
        woonplaats=row.woonplaats,
        gemeente=row.gemeente,
        decision=decision,
        open_vragen=vragen,
    )


def _vragen(
    session: Session, item_id: int, account: str, roles: frozenset[Role]
) -> list[dict[str, object]]:
    """The adviesvragen about this suspect with their state, as the list shows them."""
    from zsm_desk.services.adviesvragen import adviesvragen
    from zsm_desk.services.security import users

    try:
        views = adviesvragen.lijst(
            session, account=account, roles=roles, item_id=item_id, alleen_open=False
        )
    except users.NotAllowed:
        return []  # no desk role: no questions either
    return [v.to_json() for v in views]
