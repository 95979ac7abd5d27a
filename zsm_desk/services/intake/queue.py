"""The verdachtenmonitor queue as plain rows for the window.

Loaded in a worker thread and handed to the UI as immutable values. The VH
column follows the disclosure rules: the flag for every desk role; the slagzin
only for a certain (or confirmed) hit and not for a minor still in selection;
nothing at all for an account without a desk role.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role, allowed
from zsm_desk.domain.age import MEERDERJARIG, age_at_instroom
from zsm_desk.domain.deadlines import queue_deadline
from zsm_desk.domain.records import SELECTION_STATUSES, InstroomStatus, MatchStatus, PartialDate
from zsm_desk.services.registers.known_clients import AFGEWEZEN, BEVESTIGD
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import (
    Adviesvraag,
    Decision,
    Match,
    OutboxMessage,
    RegisterMarking,
)
from zsm_desk.services.storage.models import InstroomItem as ItemRow

CLOSED_STATUSES = frozenset({InstroomStatus.AFGEDAAN.value, InstroomStatus.AFGEBOGEN.value})
ADULT_AGE = MEERDERJARIG  # domain.age, the one age rule


# A NamedTuple: immutable like a frozen dataclass (it crosses from the worker
# thread to the UI), but built by tuple.__new__, where a frozen dataclass pays
# an object.__setattr__ per field (a second more for 50,000 rows).
class QueueRow(NamedTuple):
    id: int
    bvh_nummer: str
    parketnummer: str
    ingestroomd_op: dt.datetime  # aware
    deadline: dt.datetime | None  # None once the case is closed
    naam: str  # "Jan Pieter de Vries"
    sort_naam: str  # "vries jan pieter de" for sorting
    geboortedatum: str  # display dd-mm-jjjj
    geboortedatum_sort: str  # ISO
    leeftijd: int | None
    minderjarig: bool
    bsn: str
    feit: str
    categorie: str
    status: str
    vh_status: str  # bekend / mogelijk / onbekend / "" (not shown or not checked)
    vh_label: str  # "VH Regio Utrecht" or "mogelijk bekend — controleer"
    slagzin: str  # first visible slagzin, "" when hidden
    vh_tooltip: str
    beslist: bool
    open_vragen: int
    #: earliest deadline of the open adviesvragen (provisional while unsent)
    vraag_deadline: dt.datetime | None = None
    #: label of the recorded decision ("" when undecided)
    besluit: str = ""
    #: "in behandeling bij A. de Vries, sinds 10:42" while a desk has claimed it
    in_behandeling: str = ""

    @property
    def search_text(self) -> str:
        return f"{self.naam} {self.bsn} {self.bvh_nummer} {self.parketnummer}".lower()


def _decision_labels(session: Session) -> dict[str, str]:
    """Code → label of the configured code list (the default list when it is invalid)."""
    from zsm_desk.domain.decisions import DEFAULT_CODELIST
    from zsm_desk.services.decisions.decisions_service import DecisionRefused, load_codelist

    try:
        codes = load_codelist(session)
    except DecisionRefused:
        codes = DEFAULT_CODELIST
    return {d.code: d.label for d in codes}


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # min() over a UTCDateTime column bypasses the type on some backends.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def change_token(session: Session) -> tuple[object, ...]:
    """Cheap fingerprint of everything the queue shows; polled to notice changes."""
    items = session.execute(
        select(
            func.count(), func.max(ItemRow.updated_at), func.max(ItemRow.vh_checked_at)
        ).select_from(ItemRow)
    ).one()
    matches = session.execute(
        select(func.count(), func.max(Match.reviewed_at)).select_from(Match)
    ).one()
    decisions = session.execute(select(func.count(), func.max(Decision.id))).one()
    vragen = session.execute(
        select(
            func.count(),
            func.max(Adviesvraag.beantwoord_op),
            func.max(Adviesvraag.zonder_advies_op),
            func.max(Adviesvraag.id),
        )
    ).one()
    outbox = session.execute(
        select(
            func.count(),
            func.max(OutboxMessage.sent_at),
            func.sum(OutboxMessage.attempts),  # a failed attempt of another desk
            func.max(OutboxMessage.next_attempt_at),
        )
    ).one()
    from zsm_desk.services.storage.models import ItemClaim

    claimed = session.execute(
        select(func.count(), func.max(ItemClaim.last_seen), func.sum(ItemClaim.item_id))
    ).one()
    return (*items, *matches, *decisions, *vragen, *outbox, *claimed)


def load_queue(
    session: Session, roles: frozenset[Role], now: dt.datetime | None = None
) -> list[QueueRow]:
    now = now or now_of(session)
    from zsm_desk.services.decisions import claims

    claimed = claims.all_claims(session, now)
    settings = load_settings(session)
    norm = settings.deadline_uren
    vh_names = {v.code: v.naam for v in settings.veiligheidshuizen}
    see_flag = allowed(roles, Action.SEE_FLAG)
    see_content = allowed(roles, Action.SEE_CONTENT)

    hits: dict[int, list[tuple[str, str, str, str | None]]] = defaultdict(list)
    if see_flag:
        q = (
            select(
                Match.item_id,
                RegisterMarking.vh_code,
                RegisterMarking.slagzin,
                Match.status,
                Match.review,
            )
            .join(RegisterMarking, Match.marking_id == RegisterMarking.id)
            .where(RegisterMarking.actief.is_(True))
            .order_by(Match.item_id, Match.score.desc())
        )
        for item_id, vh, slagzin, status, review in session.execute(q):
            if review != AFGEWEZEN:
                hits[item_id].append((vh, slagzin, status, review))
    decided: dict[int, str] = dict(
        (r.item_id, r.beslissing)
        for r in session.execute(select(Decision.item_id, Decision.beslissing))
    )
    labels = _decision_labels(session) if decided else {}
    vragen: dict[int, tuple[int, dt.datetime | None]] = {
        item_id: (n, first)
        for item_id, n, first in session.execute(
            select(Adviesvraag.item_id, func.count(), func.min(Adviesvraag.deadline))
            .where(Adviesvraag.beantwoord_op.is_(None), Adviesvraag.zonder_advies_op.is_(None))
            .group_by(Adviesvraag.item_id)
        )
    }

    rows: list[QueueRow] = []
    cols = select(
        ItemRow.id,
        ItemRow.bvh_nummer,
        ItemRow.parketnummer,
        ItemRow.ingestroomd_op,
        ItemRow.achternaam,
        ItemRow.voorvoegsel,
        ItemRow.voornamen,
        ItemRow.geboortedatum,
        ItemRow.bsn,
        ItemRow.feit,
        ItemRow.categorie,
        ItemRow.status,
        ItemRow.vh_status,
    )
    parsed: dict[str, PartialDate | None] = {}  # birth dates repeat; parse each once
    for r in session.execute(cols):
        born = parsed.get(r.geboortedatum, False)
        if born is False:
            try:
                born = PartialDate.parse(r.geboortedatum)
            except ValueError:
                born = None
            parsed[r.geboortedatum] = born
        naam = " ".join(p for p in (r.voornamen, r.voorvoegsel, r.achternaam) if p)
        sort_naam = " ".join(p for p in (r.achternaam, r.voornamen, r.voorvoegsel) if p).lower()
        verdict = age_at_instroom(r.geboortedatum, r.ingestroomd_op)  # the one age rule
        age, minor = verdict.age, verdict.minor
        closed = r.status in CLOSED_STATUSES
        # A decided case is done at the table: its countdown stops (issue 13 §7).
        deadline = None if closed or r.id in decided else queue_deadline(r.ingestroomd_op, norm)
        vh_status, label, slagzin, tooltip = "", "", "", ""
        if see_flag and r.vh_status:
            vh_status = r.vh_status
            item_hits = hits.get(r.id, [])
            certain = [h for h in item_hits if h[2] == MatchStatus.BEKEND or h[3] == BEVESTIGD]
            if vh_status == MatchStatus.BEKEND and certain:
                # Codes keep the column narrow; the tooltip names each house in full.
                label = ", ".join(dict.fromkeys(h[0] for h in certain))
                in_selection = InstroomStatus(r.status) in SELECTION_STATUSES
                if not see_content:
                    tooltip = (
                        "Bekend bij "
                        + ", ".join(dict.fromkeys(vh_names.get(h[0], h[0]) for h in certain))
                        + "; uw rol geeft geen inzage in de inhoud."
                    )
                elif minor and in_selection:
                    tooltip = (
                        "Jeugdige is bekend. VH-informatie mag de selectiebeslissing niet "
                        "sturen; de inhoud is zichtbaar zodra de zaak in behandeling is."
                    )
                    slagzin = "jeugdige bekend — inhoud na selectie"
                else:
                    slagzin = certain[0][1]
                    tooltip = "\n".join(f"{vh_names.get(h[0], h[0])}: {h[1]}" for h in certain)
            elif vh_status == MatchStatus.MOGELIJK:
                label = "mogelijk bekend — controleer"
                tooltip = "Mogelijk bekend: bevestig of verwerp de hit voordat VH-informatie getoond wordt."
            elif vh_status == MatchStatus.ONBEKEND:
                label = ""
        rows.append(
            QueueRow(
                id=r.id,
                bvh_nummer=r.bvh_nummer,
                parketnummer=r.parketnummer,
                ingestroomd_op=r.ingestroomd_op,
                deadline=deadline,
                naam=naam,
                sort_naam=sort_naam,
                geboortedatum=born.display() if born is not None else r.geboortedatum,
                geboortedatum_sort=r.geboortedatum,
                leeftijd=age,
                minderjarig=minor,
                bsn=r.bsn,
                feit=r.feit,
                categorie=r.categorie,
                status=r.status,
                vh_status=vh_status,
                vh_label=label,
                slagzin=slagzin,
                vh_tooltip=tooltip,
                beslist=r.id in decided,
                besluit=labels.get(decided.get(r.id, ""), decided.get(r.id, "")),
                open_vragen=vragen.get(r.id, (0, None))[0],
                vraag_deadline=_aware(vragen.get(r.id, (0, None))[1]),
                in_behandeling=claimed[r.id].label() if r.id in claimed else "",
            )
        )
    return rows
