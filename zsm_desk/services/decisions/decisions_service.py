"""Recording a decision and what it produces for the veiligheidshuizen (issue 5).

`record_decision` is the one entry point for the window and ``zsm-desk decide``:

1. role check: an officier decides; a KPC'er (without the officier role)
   records on the officer's behalf, and is then stored in `namens`
   (`besloten_door` = the officier, required);
2. once per item: a second decision is refused with a clear message. A
   correction path (withdrawing a sent terugkoppeling) is out of scope;
3. validation (`domain.decisions.validate_decision`) against the code list
   of Setting ``beslissingen`` (a list of code dicts, validated with
   `CodeList.from_dicts`; Setting ``sepotcodes`` optional) or the default list;
4. the feedback plan (`domain.decisions.feedback_plan`) with the VHs that know
   the person (``bekend`` or confirmed hits, `known_clients.effective_status`),
   the VHs that answered an adviesvraag, `mogelijk_complex` and the VH serving
   the suspect's gemeente (`Settings.vh_for_gemeente`);
5. the outcome, in the same transaction:
   * ``terugkoppeling``: one outbox row per VH, state ``klaar`` (``concept``
     for a VH without secure mail), for a daily-digest VH with its digest time;
   * ``aanmelding``: one outbox row to the gemeente's VH (personal data only);
   * ``purge`` (technical sepot 01): nothing is sent and the case is removed:
     instroom item with the person data, matches, decisions, outbox rows of the
     item (drafts included), adviesvragen. What remains is an audit line
     without personal data and a `PurgeRecord` count;
   * ``niets``: only the decision (with a warning when a person should act).
6. audit: every decision (code, sepotcode, advice judgement, outcome, VH codes,
   refs; never names, BSN or free text) and every purge.

Sending is a separate action (`outbox.send_due`); so the desk needs two
actions after the decision: record, then "Verzenden".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role, on_behalf_of_officer
from zsm_desk.domain.decisions import (
    DEFAULT_CODELIST,
    AdviesGevolgd,
    CodeList,
    CodeListError,
    Decision,
    FeedbackOutcome,
    FeedbackPlan,
    feedback_plan,
    is_minor,
    onderzoek_soort,
    validate_decision,
)
from zsm_desk.domain.freshness import Freshness, freshness
from zsm_desk.domain.records import MatchStatus
from zsm_desk.domain.terugkoppeling import (
    SOORT_AANMELDING,
    SOORT_TERUGKOPPELING,
    build_aanmelding,
    build_terugkoppeling,
)
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers import known_clients, vh_info
from zsm_desk.services.registers.known_clients import effective_status
from zsm_desk.services.registers.vh_info import to_domain
from zsm_desk.services.security.users import NotAllowed, require
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import Adviesvraag, Base, Match, PurgeRecord
from zsm_desk.services.storage.models import Decision as DecisionRow
from zsm_desk.services.storage.models import InstroomItem as ItemRow

PURGE_REDEN = "sepot-01"
DEFAULT_AANMELDING_REDEN = (
    "Niet bekend bij het veiligheidshuis, op ZSM aangemerkt als mogelijk complex."
)


class DecisionRefused(ValueError):
    """The decision cannot be recorded; `errors` are Dutch sentences for the user."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__(" ".join(self.errors))


@dataclass(frozen=True)
class DecisionInput:
    """What the user entered in the decision dialog (or on the command line)."""

    beslissing: str
    sepotcode: str = ""
    voorwaarden: str = ""
    onderzoek_gepland: bool = False
    #: ``reclasseringsonderzoek`` / ``raadsonderzoek`` when the user named one;
    #: checked against the age group (None: not named).
    onderzoek_soort: str | None = None
    advies_gevolgd: str = AdviesGevolgd.GEEN_ADVIES
    motivering: str = ""
    toelichting: str = ""
    #: The officier who decided. Empty: the acting account (an officier). A
    #: KPC'er recording on behalf must name the officier.
    besloten_door: str = ""
    besloten_op: dt.datetime | None = None
    aanmelding_reden: str = ""
    screeningscriteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionContext:
    """Plain facts the decision dialog needs about the suspect (loaded in the worker)."""

    item_id: int
    naam: str
    bvh_nummer: str
    minderjarig: bool
    heeft_advies: bool
    beslissingen: list[tuple[str, str, bool, str]]  # code, label, allowed, sepotcode eis
    kpc_namens: bool  # the user records on the officer's behalf
    account: str


@dataclass(frozen=True)
class ProducedMessage:
    outbox_id: int
    ref: str
    soort: str
    vh_code: str
    state: str
    deliver_after: dt.datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.outbox_id, "ref": self.ref, "soort": self.soort, "vh_code": self.vh_code,
            "state": self.state,
            "deliver_after": self.deliver_after.astimezone(outbox.TZ).isoformat(timespec="seconds")
            if self.deliver_after else None,
        }  # fmt: skip


@dataclass
class DecisionOutcome:
    item_id: int
    decision_id: int | None  # None after a purge
    beslissing: str
    sepotcode: str
    besloten_door: str
    namens: str
    besloten_op: dt.datetime
    plan: FeedbackPlan
    messages: list[ProducedMessage] = field(default_factory=list)
    gegevens_verwijderd: bool = False
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def uitkomst(self) -> str:
        return str(self.plan.outcome)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "decision_id": self.decision_id,
            "beslissing": self.beslissing,
            "sepotcode": self.sepotcode or None,
            "besloten_door": self.besloten_door,
            "namens": self.namens or None,
            "besloten_op": self.besloten_op.astimezone(outbox.TZ).isoformat(timespec="seconds"),
            "uitkomst": self.uitkomst,
            "reden": self.plan.reden,
            "berichten": [m.to_dict() for m in self.messages],
            "gegevens_verwijderd": self.gegevens_verwijderd,
            "waarschuwingen": list(self.waarschuwingen),
        }


# --- inputs from the database ----------------------------------------------------------------


def load_codelist(session: Session) -> CodeList:
    """Setting ``beslissingen`` (list of code dicts) or the default; DecisionRefused if invalid."""
    rows: Any = get_setting(session, "beslissingen")
    sep = get_setting(session, "sepotcodes")
    if rows is None:
        if not sep:
            return DEFAULT_CODELIST
        rows = DEFAULT_CODELIST.to_dicts()
    try:
        if not isinstance(rows, list):
            raise CodeListError(["de codelijst moet een lijst van beslissingen zijn"])
        return CodeList.from_dicts(rows, dict(sep) if sep else None)
    except CodeListError as e:
        raise DecisionRefused([f"De ingestelde codelijst is ongeldig: {e}"]) from None


def _known(item: ItemRow, now: dt.datetime) -> tuple[list[str], dict[str, str], bool]:
    """(VH codes that know the person, BSN per VH as the VH supplied it, current advice?)."""
    codes: list[str] = []
    bsn: dict[str, str] = {}
    has_advice = False
    today = now.astimezone(outbox.TZ).date()
    for m in sorted(item.matches, key=lambda m: (-m.score, m.marking.vh_code)):
        if effective_status(m) != MatchStatus.BEKEND:
            continue
        mk = m.marking
        if mk.vh_code not in codes:
            codes.append(mk.vh_code)
        if mk.bsn and mk.vh_code not in bsn:
            bsn[mk.vh_code] = mk.bsn
        if freshness(mk.advies_datum, today).level != Freshness.NIET_ACTUEEL:
            has_advice = True
    return codes, bsn, has_advice


def _answered_adviesvragen(session: Session, item_id: int) -> list[str]:
    rows = session.execute(
        select(Adviesvraag.vh_code)
        .where(Adviesvraag.item_id == item_id, Adviesvraag.beantwoord_op.is_not(None))
        .order_by(Adviesvraag.id)
    ).scalars()
    return list(dict.fromkeys(rows))


# --- recording -------------------------------------------------------------------------------------


def existing_decision(session: Session, item_id: int) -> DecisionRow | None:
    return session.execute(
        select(DecisionRow).where(DecisionRow.item_id == item_id)
    ).scalar_one_or_none()


def decision_context(
    session: Session, item_id: int, *, account: str, roles: frozenset[Role]
) -> DecisionContext:
    """What the decision dialog shows; ValueError when no decision can be recorded now."""
    if existing_decision(session, item_id) is not None:
        raise ValueError("voor deze verdachte is al een beslissing vastgelegd")
    detail = vh_info.case_detail(session, item_id, account=account, roles=frozenset())
    if detail is None:
        raise ValueError("verdachte niet meer in de wachtrij")
    item = detail.sheet.item
    minor = is_minor(item.identity, item.ingestroomd_op.date())
    codes = load_codelist(session)
    return DecisionContext(
        item_id=item_id,
        naam=item.identity.display_name(),
        bvh_nummer=item.bvh_nummer,
        minderjarig=minor,
        heeft_advies=known_clients.has_hit(session, item_id),
        beslissingen=[(d.code, d.label, d.allowed_for(minor), str(d.sepotcode)) for d in codes],
        kpc_namens=on_behalf_of_officer(roles),
        account=account,
    )


def record_decision(
    session: Session,
    item_id: int,
    decision_input: DecisionInput,
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
) -> DecisionOutcome:
    """Record the decision and create what it produces (see the module docstring).

    Raises `NotAllowed` (role), `LookupError` (no such item) or
    `DecisionRefused` (validation, second decision, invalid code list).
    Everything happens in the caller's transaction.
    """
    require(roles, Action.DECIDE)
    now = now or now_of(session)
    item = session.get(ItemRow, item_id)
    if item is None:
        raise LookupError("verdachte niet (meer) in de wachtrij")
    prior = existing_decision(session, item_id)
    if prior is not None:
        when = prior.besloten_op.astimezone(outbox.TZ).strftime("%d-%m-%Y %H:%M")
        raise DecisionRefused([
            f"Voor deze verdachte is al een beslissing vastgelegd ({prior.beslissing}, {when}). "
            "Een beslissing wordt één keer vastgelegd; corrigeren kan (nog) niet in ZSM Desk."
        ])  # fmt: skip

    inp = decision_input
    namens = ""
    besloten_door = inp.besloten_door.strip()
    if on_behalf_of_officer(roles):
        namens = account
        if not besloten_door or besloten_door == account:
            raise DecisionRefused([
                "U legt de beslissing vast namens de officier van justitie: vul in welke "
                "officier besliste."
            ])  # fmt: skip
    elif not besloten_door:
        besloten_door = account

    codelist = load_codelist(session)
    settings = load_settings(session)
    domain_item = to_domain(item)
    besloten_op = inp.besloten_op or now
    minor = is_minor(domain_item.identity, besloten_op.astimezone(outbox.TZ).date())
    known, vh_bsn, has_known_advice = _known(item, now)
    advies_vhs = _answered_adviesvragen(session, item_id)
    decision = Decision(
        beslissing=inp.beslissing.strip(), besloten_op=besloten_op, besloten_door=besloten_door,
        sepotcode=inp.sepotcode.strip(), voorwaarden=inp.voorwaarden.strip(),
        onderzoek_gepland=inp.onderzoek_gepland,
        advies_gevolgd=inp.advies_gevolgd, motivering=inp.motivering.strip(),
        toelichting=inp.toelichting.strip(), namens=namens,
    )  # fmt: skip
    errors = validate_decision(
        decision, domain_item, minor, has_known_advice or bool(advies_vhs), codelist
    )
    if inp.onderzoek_soort and inp.onderzoek_soort != onderzoek_soort(minor):
        groep = "een minderjarige" if minor else "een meerderjarige"
        errors.append(
            f"Bij {groep} gaat het om een {onderzoek_soort(minor)}, niet om een "
            f"{inp.onderzoek_soort}."
        )
    if errors:
        raise DecisionRefused(errors)

    gemeente_vh = settings.vh_for_gemeente(item.gemeente)
    plan = feedback_plan(
        decision, domain_item, minor, known, bool(item.mogelijk_complex),
        gemeente_vh.code if gemeente_vh else None, advies_vh_codes=advies_vhs, codelist=codelist,
    )  # fmt: skip
    outcome = DecisionOutcome(
        item_id=item_id, decision_id=None, beslissing=decision.beslissing,
        sepotcode=decision.sepotcode, besloten_door=besloten_door, namens=namens,
        besloten_op=besloten_op, plan=plan,
    )  # fmt: skip
    audit_detail: dict[str, Any] = {
        "beslissing": decision.beslissing,
        "sepotcode": decision.sepotcode or None,
        "advies_gevolgd": str(decision.advies_gevolgd),
        "onderzoek_gepland": decision.onderzoek_gepland,
        "namens": bool(namens),
        "uitkomst": str(plan.outcome),
        "ontvangers": list(plan.ontvangers),
        "minderjarig": minor,
    }

    if plan.outcome == FeedbackOutcome.PURGE:
        audit.append(session, account, audit.DECISION, item_id=item_id,
                     purpose="beslissing vastgelegd", detail=audit_detail)  # fmt: skip
        purge_case(session, item_id, account=account, now=now)
        outcome.gegevens_verwijderd = True
        return outcome

    row = DecisionRow(
        item_id=item_id, beslissing=decision.beslissing, sepotcode=decision.sepotcode,
        voorwaarden=decision.voorwaarden, onderzoek_gepland=decision.onderzoek_gepland,
        advies_gevolgd=str(decision.advies_gevolgd), motivering=decision.motivering,
        toelichting=decision.toelichting, besloten_door=besloten_door, namens=namens,
        besloten_op=besloten_op,
    )  # fmt: skip
    session.add(row)
    session.flush()
    outcome.decision_id = row.id
    if plan.waarschuwing:
        outcome.waarschuwingen.append(plan.waarschuwing)

    contact = outbox.zsm_contact(session, settings)
    for vh_code in plan.ontvangers:
        if settings.vh(vh_code) is None:
            outcome.waarschuwingen.append(
                f"{vh_code} staat niet in de adreslijst van veiligheidshuizen: geen bericht "
                "aangemaakt; stel de adreslijst bij en informeer het veiligheidshuis handmatig."
            )
            continue
        ref = outbox.new_ref(session, settings.zsm_locatie, now)
        if plan.outcome == FeedbackOutcome.TERUGKOPPELING:
            content = build_terugkoppeling(
                decision, domain_item, plan, vh_code=vh_code, ref=ref, zsm_contact=contact,
                is_minor=minor, opgesteld_op=now.astimezone(outbox.TZ).replace(microsecond=0),
                vh_bsn=vh_bsn.get(vh_code), codelist=codelist,
            )  # fmt: skip
            soort = SOORT_TERUGKOPPELING
        else:
            content = build_aanmelding(
                domain_item, plan, ref=ref, zsm_contact=contact,
                reden=inp.aanmelding_reden.strip() or DEFAULT_AANMELDING_REDEN,
                criteria=inp.screeningscriteria,
                opgesteld_op=now.astimezone(outbox.TZ).replace(microsecond=0),
            )  # fmt: skip
            soort = SOORT_AANMELDING
        msg = outbox.enqueue(
            session, soort=soort, vh_code=vh_code, payload=content.to_json_dict(),
            account=account, ref=ref, item_id=item_id,
            toelichting=content.toelichting or "", decided_at=besloten_op,
            minderjarig=minor, now=now, settings=settings,
        )  # fmt: skip
        outcome.messages.append(
            ProducedMessage(msg.id, msg.ref, msg.soort, msg.vh_code, msg.state, msg.deliver_after)
        )
        if msg.state == outbox.CONCEPT:
            outcome.waarschuwingen.append(msg.last_error)

    audit_detail["berichten"] = [m.ref for m in outcome.messages]
    audit.append(session, account, audit.DECISION, item_id=item_id,
                 purpose="beslissing vastgelegd", detail=audit_detail)  # fmt: skip
    return outcome


def purge_case(
    session: Session, item_id: int, *, account: str, now: dt.datetime | None = None
) -> dict[str, int]:
    """Remove every trace of a suspect (technical sepot 01); audit line and count remain.

    Deletes the outbox rows of the item (any state), adviesvragen, decisions,
    matches and the instroom item with the person data. The audit line holds
    only the internal item id and counts.
    """
    now = now or now_of(session)
    from zsm_desk.services.storage import tombstones

    bvh = session.execute(select(ItemRow.bvh_nummer).where(ItemRow.id == item_id)).scalar()
    if bvh:
        tombstones.remember(session, bvh, now)  # a re-sent feed item stays out
    counts = {
        "berichten": outbox.purge_item_messages(session, item_id),
        "adviesvragen": session.execute(
            delete(Adviesvraag).where(Adviesvraag.item_id == item_id)
        ).rowcount,
        "beslissingen": session.execute(
            delete(DecisionRow).where(DecisionRow.item_id == item_id)
        ).rowcount,
        "hits": session.execute(delete(Match).where(Match.item_id == item_id)).rowcount,
    }
    # Any other table of a feature that hangs off the item (screenings, ...):
    # every model table with a foreign key to instroom_item. The database's
    # ON DELETE CASCADE is the backstop for tables whose model is not loaded.
    done = {"outbox_message", "adviesvraag", "decision", "match", "instroom_item"}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in done:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "instroom_item" and fk.column.name == "id":
                n = session.execute(table.delete().where(fk.parent == item_id)).rowcount
                if n:
                    counts[table.name] = n
    counts["verdachten"] = session.execute(delete(ItemRow).where(ItemRow.id == item_id)).rowcount
    session.expire_all()
    session.add(PurgeRecord(at=now, reden=PURGE_REDEN, aantal=1))
    audit.append(session, account, audit.PURGE, item_id=item_id,
                 purpose="technisch sepot (01): gegevens verwijderd", detail=counts)  # fmt: skip
    session.flush()
    return counts


def item_id_by_bvh(session: Session, bvh_nummer: str) -> int:
    row = session.execute(
        select(ItemRow.id).where(ItemRow.bvh_nummer == bvh_nummer.strip().upper())
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"geen verdachte met bvh_nummer {bvh_nummer} in de wachtrij")
    return int(row)


__all__ = [
    "DecisionContext",
    "DecisionInput",
    "DecisionOutcome",
    "DecisionRefused",
    "NotAllowed",
    "ProducedMessage",
    "decision_context",
    "existing_decision",
    "item_id_by_bvh",
    "load_codelist",
    "purge_case",
    "record_decision",
]

# Re-exported for the window: preview and toelichting of a produced message.
preview = outbox.preview
set_toelichting = outbox.set_toelichting
