"""Recording a decision and what it produces for the veiligheidshuizen (issue 5).

`record_decision` is the one entry point for the window and ``zsm-desk decide``:

1. role check: an officier decides; a KPC'er (without the officier role)
   records on the officer's behalf, and is then stored in `namens`
   (`besloten_door` = the officier, required);
2. once per item: a second decision is refused with a clear message; a
   recorded decision is changed only by `correct_decision` (reason required,
   audited; the VHs that had the earlier message get a correction, or after a
   correction to sepot 01 only "eerdere terugkoppeling vervalt");
3. the minors rule is `domain.age` (the instroom day in Amsterdam; an
   unreadable birth date counts as a possible minor); an advice of any age is
   an advice (ja/nee/deels), and its date and freshness are recorded with the
   decision and go into the terugkoppeling;
4. validation (`domain.decisions.validate_decision`) against the code list
   of Setting ``beslissingen`` (a list of code dicts, validated with
   `CodeList.from_dicts`; Setting ``sepotcodes`` optional) or the default list;
5. the feedback plan (`domain.decisions.feedback_plan`) with the VHs that know
   the person (``bekend`` or confirmed hits, `known_clients.effective_status`),
   the VHs that answered an adviesvraag, `mogelijk_complex` and the VH serving
   the suspect's gemeente (`Settings.vh_for_gemeente`);
6. the outcome, in the same transaction:
   * ``terugkoppeling``: one outbox row per VH, state ``klaar`` (``concept``
     for a VH without secure mail), for a daily-digest VH with its digest time;
   * ``aanmelding``: one outbox row to the gemeente's VH (personal data, the
     reason and the screening criteria ticked);
   * ``purge`` (technical sepot 01): nothing is sent and the case is removed:
     instroom item with the person data, matches, decisions, outbox rows of the
     item (drafts included), adviesvragen. What remains is an audit line
     without personal data and a `PurgeRecord` count;
   * ``niets``: only the decision (with a warning when a person should act).
7. audit: every decision (code, sepotcode, advice judgement, outcome, VH codes,
   refs; never names, BSN or free text) and every purge. A correction also
   records the old decision and the reason given (the issue asks for it; the
   form says it is audited, so it should hold no personal data).

Sending is a separate action (`outbox.send_due`); so the desk needs two
actions after the decision: record, then "Verzenden".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zsm_desk.domain.access import Action, Role, on_behalf_of_officer
from zsm_desk.domain.clock import local
from zsm_desk.domain.decisions import (
    DEFAULT_CODELIST,
    AdviesGevolgd,
    CodeList,
    CodeListError,
    Decision,
    FeedbackOutcome,
    FeedbackPlan,
    feedback_plan,
    item_is_minor,
    onderzoek_soort,
    validate_decision,
)
from zsm_desk.domain.freshness import freshness
from zsm_desk.domain.records import MatchStatus
from zsm_desk.domain.terugkoppeling import (
    SOORT_AANMELDING,
    SOORT_TERUGKOPPELING,
    build_aanmelding,
    build_terugkoppeling,
)
from zsm_desk.services.decisions import claims
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers import known_clients, vh_info
from zsm_desk.services.registers.known_clients import effective_status
from zsm_desk.services.registers.vh_info import to_domain
from zsm_desk.services.security.users import NotAllowed, require
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, load_settings
from zsm_desk.services.storage.db import Database, now_of
from zsm_desk.services.storage.models import (
    Adviesvraag,
    AuditEntry,
    Base,
    Match,
    OutboxMessage,
    PurgeRecord,
)
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


class CaseClaimed(DecisionRefused):
    """Another account is working on this suspect (a live claim): exit code 1 in the CLI."""

    def __init__(self, claim: claims.ClaimInfo) -> None:
        self.claim = claim
        super().__init__([str(claims.ClaimedByOther(claim))])


#: How long ago another desk's decision still counts as a race ("zojuist").
RACE_WINDOW = dt.timedelta(seconds=60)


class DecisionRace(DecisionRefused):
    """Another desk decided this suspect after this desk opened it (exit code 1 in the CLI)."""

    def __init__(self, naam: str) -> None:
        self.naam = naam
        super().__init__([race_message(naam)])


def race_message(naam: str) -> str:
    return f"Deze verdachte is zojuist door {naam or 'een ander werkstation'} besloten."


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
    #: the recorded decision, when the dialog corrects it (filled in to start from)
    huidige: DecisionInput | None = None


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
    advies_datum: dt.date | None = None
    advies_actualiteit: str | None = None
    correctie: bool = False

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
            "besloten_op": local(self.besloten_op).isoformat(timespec="seconds"),
            "advies_datum": self.advies_datum.isoformat() if self.advies_datum else None,
            "advies_actualiteit": self.advies_actualiteit,
            "correctie": self.correctie,
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


def _known(item: ItemRow) -> tuple[list[str], dict[str, str]]:
    """(VH codes that know the person, BSN per VH as the VH supplied it)."""
    codes: list[str] = []
    bsn: dict[str, str] = {}
    for m in sorted(item.matches, key=lambda m: (-m.score, m.marking.vh_code)):
        if effective_status(m) != MatchStatus.BEKEND:
            continue
        mk = m.marking
        if mk.vh_code not in codes:
            codes.append(mk.vh_code)
        if mk.bsn and mk.vh_code not in bsn:
            bsn[mk.vh_code] = mk.bsn
    return codes, bsn


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
    session: Session,
    item_id: int,
    *,
    account: str,
    roles: frozenset[Role],
    correctie: bool = False,
) -> DecisionContext:
    """What the decision dialog shows; ValueError when no decision can be recorded now.

    `correctie`: the dialog corrects the recorded decision (which must exist).
    """
    prior = existing_decision(session, item_id)
    if prior is not None and not correctie:
        raise ValueError("voor deze verdachte is al een beslissing vastgelegd")
    if prior is None and correctie:
        raise ValueError("er is nog geen beslissing om te corrigeren")
    detail = vh_info.case_detail(session, item_id, account=account, roles=frozenset())
    if detail is None:
        raise ValueError("verdachte niet meer in de wachtrij")
    item = detail.sheet.item
    minor = item_is_minor(item)  # domain.age: the one age rule
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
        huidige=_as_input(prior) if correctie and prior is not None else None,
    )


def _as_input(row: DecisionRow) -> DecisionInput:
    return DecisionInput(
        beslissing=row.beslissing, sepotcode=row.sepotcode, voorwaarden=row.voorwaarden,
        onderzoek_gepland=row.onderzoek_gepland, advies_gevolgd=row.advies_gevolgd,
        motivering=row.motivering, toelichting=row.toelichting, besloten_door=row.besloten_door,
    )  # fmt: skip


@dataclass(frozen=True)
class _Advice:
    """The VH advice the decision weighs: date and freshness (None: no advice)."""

    datum: dt.date | None
    actualiteit: str | None
    per_vh: dict[str, dt.date]


def _advice(item: ItemRow, session: Session, on: dt.date) -> _Advice:
    """The newest advice per VH (known markings, answered adviesvragen), and overall.

    An advice older than 12 months is still an advice: it weighs less
    (freshness ``niet actueel``), it does not vanish (issue 13 §2).
    """
    per_vh: dict[str, dt.date] = {}
    for m in item.matches:
        if effective_status(m) != MatchStatus.BEKEND:
            continue
        mk = m.marking
        if mk.advies_datum and (mk.vh_code not in per_vh or mk.advies_datum > per_vh[mk.vh_code]):
            per_vh[mk.vh_code] = mk.advies_datum
    answered = session.execute(
        select(Adviesvraag.vh_code, Adviesvraag.beantwoord_op).where(
            Adviesvraag.item_id == item.id, Adviesvraag.beantwoord_op.is_not(None)
        )
    ).all()
    for vh_code, at in answered:
        if at is None:
            continue
        d = local(at).date()
        if vh_code not in per_vh or d > per_vh[vh_code]:
            per_vh[vh_code] = d
    if not per_vh:
        return _Advice(None, None, {})
    newest = max(per_vh.values())
    return _Advice(newest, str(freshness(newest, on).level), per_vh)


def _actualiteit(datum: dt.date | None, on: dt.date) -> str | None:
    return str(freshness(datum, on).level) if datum else None


@dataclass
class _Prepared:
    decision: Decision
    domain_item: Any
    minor: bool
    plan: FeedbackPlan
    vh_bsn: dict[str, str]
    advice: _Advice
    codelist: CodeList
    settings: Any
    namens: str
    besloten_door: str


def _prepare(
    session: Session,
    item: ItemRow,
    inp: DecisionInput,
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime,
) -> _Prepared:
    """Validate the input and build the decision and its feedback plan (no writes)."""
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
    minor = item_is_minor(domain_item)  # domain.age: the instroom day, one answer everywhere
    known, vh_bsn = _known(item)
    advies_vhs = _answered_adviesvragen(session, item.id)
    advice = _advice(item, session, local(besloten_op).date())
    decision = Decision(
        beslissing=inp.beslissing.strip(), besloten_op=besloten_op, besloten_door=besloten_door,
        sepotcode=inp.sepotcode.strip(), voorwaarden=inp.voorwaarden.strip(),
        onderzoek_gepland=inp.onderzoek_gepland,
        advies_gevolgd=inp.advies_gevolgd, motivering=inp.motivering.strip(),
        toelichting=inp.toelichting.strip(), namens=namens,
    )  # fmt: skip
    errors = validate_decision(
        decision, domain_item, minor, advice.datum is not None or bool(advies_vhs), codelist
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
    return _Prepared(
        decision, domain_item, minor, plan, vh_bsn, advice, codelist, settings, namens,
        besloten_door,
    )  # fmt: skip


def _audit_detail(p: _Prepared) -> dict[str, Any]:
    return {
        "beslissing": p.decision.beslissing,
        "sepotcode": p.decision.sepotcode or None,
        "advies_gevolgd": str(p.decision.advies_gevolgd),
        "advies_datum": p.advice.datum.isoformat() if p.advice.datum else None,
        "advies_actualiteit": p.advice.actualiteit,
        "onderzoek_gepland": p.decision.onderzoek_gepland,
        "namens": bool(p.namens),
        "uitkomst": str(p.plan.outcome),
        "ontvangers": list(p.plan.ontvangers),
        "minderjarig": p.minor,
    }


def _emit(
    session: Session,
    p: _Prepared,
    outcome: DecisionOutcome,
    *,
    item_id: int,
    account: str,
    now: dt.datetime,
    aanmelding: tuple[str, list[str]],
    corrects: dict[str, str] | None = None,
) -> None:
    """Create the outbox rows of the plan; `corrects` maps VH code → earlier ref."""
    corrects = corrects or {}
    plan = p.plan
    settings = p.settings
    ontvangers = list(plan.ontvangers)
    if corrects and plan.outcome in (FeedbackOutcome.TERUGKOPPELING, FeedbackOutcome.NIETS):
        # The VHs that had the earlier message get the correction, even when the
        # corrected decision alone would not have been fed back to them.
        extra = [c for c in corrects if c not in ontvangers]
        if extra:
            ontvangers += extra
            plan = replace(
                plan,
                outcome=FeedbackOutcome.TERUGKOPPELING,
                ontvangers=tuple(ontvangers),
                beperkt=plan.beperkt or plan.outcome == FeedbackOutcome.NIETS,
            )
    if plan.outcome not in (FeedbackOutcome.TERUGKOPPELING, FeedbackOutcome.AANMELDING):
        return
    contact = outbox.zsm_contact(session, settings)
    opgesteld = local(now).replace(microsecond=0)
    on = local(p.decision.besloten_op).date()
    for vh_code in ontvangers:
        if settings.vh(vh_code) is None:
            outcome.waarschuwingen.append(
                f"{vh_code} staat niet in de adreslijst van veiligheidshuizen: geen bericht "
                "aangemaakt; stel de adreslijst bij en informeer het veiligheidshuis handmatig."
            )
            continue
        ref = outbox.new_ref(session, settings.zsm_locatie, now)
        if plan.outcome == FeedbackOutcome.TERUGKOPPELING:
            datum = p.advice.per_vh.get(vh_code, p.advice.datum)
            content = build_terugkoppeling(
                p.decision, p.domain_item, plan, vh_code=vh_code, ref=ref, zsm_contact=contact,
                is_minor=p.minor, opgesteld_op=opgesteld, vh_bsn=p.vh_bsn.get(vh_code),
                codelist=p.codelist, advies_datum=datum,
                advies_actualiteit=_actualiteit(datum, on), corrigeert=corrects.get(vh_code),
            )  # fmt: skip
            soort = SOORT_TERUGKOPPELING
        else:
            reden, criteria = aanmelding
            content = build_aanmelding(
                p.domain_item, plan, ref=ref, zsm_contact=contact, reden=reden,
                criteria=criteria, opgesteld_op=opgesteld, corrigeert=corrects.get(vh_code),
            )  # fmt: skip
            soort = SOORT_AANMELDING
        msg = outbox.enqueue(
            session, soort=soort, vh_code=vh_code, payload=content.to_json_dict(),
            account=account, ref=ref, item_id=item_id,
            toelichting=content.toelichting or "", decided_at=p.decision.besloten_op,
            minderjarig=p.minor, now=now, settings=settings,
        )  # fmt: skip
        outcome.messages.append(
            ProducedMessage(msg.id, msg.ref, msg.soort, msg.vh_code, msg.state, msg.deliver_after)
        )
        if msg.state == outbox.CONCEPT:
            outcome.waarschuwingen.append(msg.last_error)


def _aanmelding_gegevens(
    session: Session, item_id: int, inp: DecisionInput
) -> tuple[str, list[str]]:
    """Reason and ticked criteria of an aanmelding: the input's, else the screening's."""
    from zsm_desk.services.adviesvragen import screening_service

    stored = screening_service.aanmelding_gegevens(session, item_id)
    reden = inp.aanmelding_reden.strip() or (stored[0] if stored else DEFAULT_AANMELDING_REDEN)
    criteria = [c for c in inp.screeningscriteria if c.strip()] or (stored[1] if stored else [])
    return reden, list(criteria)


def record_decision(
    session: Session,
    item_id: int,
    decision_input: DecisionInput,
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
    opened_at: dt.datetime | None = None,
) -> DecisionOutcome:
    """Record the decision and create what it produces (see the module docstring).

    Raises `NotAllowed` (role), `LookupError` (no such item) or
    `DecisionRefused` (validation, second decision, invalid code list);
    `DecisionRace` when another desk decided (or purged) the suspect after
    `opened_at` (when this desk opened it). Everything happens in the caller's
    transaction.
    """
    require(roles, Action.DECIDE)
    now = now or now_of(session)
    # Row lock: a second desk deciding (or purging) the same suspect waits here
    # and then sees the first one's decision instead of racing past it.
    item = session.get(ItemRow, item_id, with_for_update=True)
    if item is None:
        if opened_at is not None:
            who = decided_since(session, item_id, opened_at)
            if who is not None:
                raise DecisionRace(who)
        raise LookupError("verdachte niet (meer) in de wachtrij")
    prior = existing_decision(session, item_id)
    if (
        prior is not None
        and opened_at is not None
        and decided_since(session, item_id, opened_at, other_than=account) is not None
    ):
        raise DecisionRace(prior.besloten_door)
    if prior is None:
        try:  # a case another account is working on is theirs to decide
            claims.check_may_decide(session, item_id, account=account, now=now)
        except claims.ClaimedByOther as e:
            raise CaseClaimed(e.claim) from None
    if prior is not None:
        when = local(prior.besloten_op).strftime("%d-%m-%Y %H:%M")
        raise DecisionRefused([
            f"Voor deze verdachte is al een beslissing vastgelegd ({prior.beslissing}, {when}). "
            "Een beslissing wordt één keer vastgelegd; een fout herstelt u met een correctie "
            "(met reden)."
        ])  # fmt: skip

    p = _prepare(session, item, decision_input, account=account, roles=roles, now=now)
    decision, plan = p.decision, p.plan
    outcome = DecisionOutcome(
        item_id=item_id, decision_id=None, beslissing=decision.beslissing,
        sepotcode=decision.sepotcode, besloten_door=p.besloten_door, namens=p.namens,
        besloten_op=decision.besloten_op, plan=plan, advies_datum=p.advice.datum,
        advies_actualiteit=p.advice.actualiteit,
    )  # fmt: skip
    audit_detail = _audit_detail(p)

    if plan.outcome == FeedbackOutcome.PURGE:
        audit.append(session, account, audit.DECISION, item_id=item_id,
                     purpose="beslissing vastgelegd", detail=audit_detail)  # fmt: skip
        purge_case(session, item_id, account=account, now=now)
        outcome.gegevens_verwijderd = True
        return outcome

    row = DecisionRow(item_id=item_id)
    _fill_row(row, p)
    session.add(row)
    session.flush()
    outcome.decision_id = row.id
    if plan.waarschuwing:
        outcome.waarschuwingen.append(plan.waarschuwing)
    aanmelding = _aanmelding_gegevens(session, item_id, decision_input)
    _emit(session, p, outcome, item_id=item_id, account=account, now=now, aanmelding=aanmelding)

    claims.release_for_decision(session, item_id)
    audit_detail["berichten"] = [m.ref for m in outcome.messages]
    audit.append(session, account, audit.DECISION, item_id=item_id,
                 purpose="beslissing vastgelegd", detail=audit_detail)  # fmt: skip
    return outcome


def _fill_row(row: DecisionRow, p: _Prepared) -> None:
    d = p.decision
    row.beslissing = d.beslissing
    row.sepotcode = d.sepotcode
    row.voorwaarden = d.voorwaarden
    row.onderzoek_gepland = d.onderzoek_gepland
    row.advies_gevolgd = str(d.advies_gevolgd)
    row.motivering = d.motivering
    row.toelichting = d.toelichting
    row.besloten_door = p.besloten_door
    row.namens = p.namens
    row.besloten_op = d.besloten_op
    row.advies_datum = p.advice.datum
    row.advies_actualiteit = p.advice.actualiteit


# --- correcting a recorded decision (issue 13 §6) ----------------------------------------

#: Kinds of message a decision produces; the ones a correction follows up.
_DECISION_SOORTEN = (SOORT_TERUGKOPPELING, SOORT_AANMELDING)
MIN_CORRECTIE_REDEN = 5
MAX_CORRECTIE_REDEN = 500


def _maybe_sent(row: OutboxMessage, digests: dict[int, OutboxMessage]) -> bool:
    """Whether the VH may have received the row (then it needs a correction)."""
    if row.state in (outbox.VERZONDEN, outbox.HANDMATIG) or row.sending_since is not None:
        return True
    d = digests.get(row.digest_id) if row.digest_id else None
    return d is not None and (d.state in (outbox.VERZONDEN, outbox.HANDMATIG)
                              or d.sending_since is not None)  # fmt: skip


def _earlier_messages(session: Session, item_id: int) -> tuple[dict[str, str], list[OutboxMessage]]:
    """(VH code → latest ref the VH may have received, rows never sent)."""
    rows = list(
        session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.item_id == item_id, OutboxMessage.soort.in_(_DECISION_SOORTEN))
            .order_by(OutboxMessage.id)
        ).scalars()
    )
    digest_ids = {r.digest_id for r in rows if r.digest_id}
    digests = {
        d.id: d
        for d in session.execute(
            select(OutboxMessage).where(OutboxMessage.id.in_(digest_ids))
        ).scalars()
    } if digest_ids else {}  # fmt: skip
    sent: dict[str, str] = {}
    unsent: list[OutboxMessage] = []
    for r in rows:
        if _maybe_sent(r, digests):
            sent[r.vh_code] = r.ref
        else:
            unsent.append(r)
    return sent, unsent


def correct_decision(
    session: Session,
    item_id: int,
    decision_input: DecisionInput,
    *,
    reden: str,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
) -> DecisionOutcome:
    """Correct a recorded decision; the VHs that had the earlier message are told.

    Same role rules as recording (an officier, or a KPC'er on the officier's
    behalf); `reden` is required and goes into the audit with the old and the
    new decision. What the VHs get:

    * a VH that may have received an earlier terugkoppeling/aanmelding (sent,
      exported, in a sent digest, or in an attempt whose outcome is unknown)
      gets a **correction**: subject ``ZSM-terugkoppeling {ref} (correctie)``
      (``ZSM-aanmelding … (correctie)``) and JSON ``corrigeert`` = the earlier ref;
    * earlier messages that never left are withdrawn (deleted, audited) and
      the corrected decision produces its normal messages instead;
    * a correction **to sepot 01** purges the case as usual; each VH that may
      have received something gets only "eerdere terugkoppeling {ref} vervalt"
      (`corrections.enqueue_vervallen`), without personal data.
    """
    require(roles, Action.DECIDE)
    now = now or now_of(session)
    reden = " ".join(reden.split())
    if len(reden) < MIN_CORRECTIE_REDEN:
        raise DecisionRefused(["Geef de reden van de correctie (verplicht)."])
    if len(reden) > MAX_CORRECTIE_REDEN:
        raise DecisionRefused([f"De reden is te lang (max. {MAX_CORRECTIE_REDEN} tekens)."])
    item = session.get(ItemRow, item_id)
    if item is None:
        raise LookupError("verdachte niet (meer) in de wachtrij")
    row = existing_decision(session, item_id)
    if row is None:
        raise DecisionRefused([
            "Er is nog geen beslissing vastgelegd voor deze verdachte: er valt niets te "
            "corrigeren. Leg de beslissing vast zonder --corrigeer."
        ])  # fmt: skip
    inp = decision_input
    if inp.besloten_op is None:
        inp = replace(inp, besloten_op=row.besloten_op)
    p = _prepare(session, item, inp, account=account, roles=roles, now=now)
    decision, plan = p.decision, p.plan
    oud = {"beslissing": row.beslissing, "sepotcode": row.sepotcode or None,
           "advies_gevolgd": row.advies_gevolgd}  # fmt: skip
    sent, unsent = _earlier_messages(session, item_id)
    outcome = DecisionOutcome(
        item_id=item_id, decision_id=row.id, beslissing=decision.beslissing,
        sepotcode=decision.sepotcode, besloten_door=p.besloten_door, namens=p.namens,
        besloten_op=decision.besloten_op, plan=plan, advies_datum=p.advice.datum,
        advies_actualiteit=p.advice.actualiteit, correctie=True,
    )  # fmt: skip
    detail = {**_audit_detail(p), "oud": oud, "reden": reden, "correctie": True}

    if plan.outcome == FeedbackOutcome.PURGE:
        detail["vervallen"] = sorted(sent.values())
        audit.append(session, account, audit.DECISION, item_id=item_id,
                     purpose="beslissing gecorrigeerd", detail=detail)  # fmt: skip
        purge_case(session, item_id, account=account, now=now)
        from zsm_desk.services.decisions import corrections

        for vh_code, earlier in sent.items():
            msg = corrections.enqueue_vervallen(
                session, vh_code=vh_code, earlier_ref=earlier, account=account, now=now,
                settings=p.settings,
            )  # fmt: skip
            if msg is None:
                outcome.waarschuwingen.append(
                    f"{vh_code} staat niet meer in de adreslijst: meld handmatig dat "
                    f"terugkoppeling {earlier} vervalt."
                )
                continue
            outcome.messages.append(ProducedMessage(
                msg.id, msg.ref, msg.soort, msg.vh_code, msg.state, msg.deliver_after
            ))  # fmt: skip
        outcome.decision_id = None
        outcome.gegevens_verwijderd = True
        return outcome

    withdrawn = [r.ref for r in unsent]
    for r in unsent:
        session.delete(r)
    session.flush()
    _fill_row(row, p)
    row.gecorrigeerd_op = now
    session.flush()
    if plan.waarschuwing:
        outcome.waarschuwingen.append(plan.waarschuwing)
    aanmelding = _aanmelding_gegevens(session, item_id, decision_input)
    _emit(session, p, outcome, item_id=item_id, account=account, now=now,
          aanmelding=aanmelding, corrects=sent)  # fmt: skip
    detail["berichten"] = [m.ref for m in outcome.messages]
    detail["ingetrokken"] = withdrawn
    audit.append(session, account, audit.DECISION, item_id=item_id,
                 purpose="beslissing gecorrigeerd", detail=detail)  # fmt: skip
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
    from zsm_desk.services.storage import purge_hygiene, tombstones

    purge_hygiene.mark_purged(session)  # WAL and backups emptied after the commit

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


def decided_since(
    session: Session, item_id: int, since: dt.datetime, *, other_than: str | None = None
) -> str | None:
    """Who decided (or purged) this item at or after `since` (from an account other than
    `other_than`): the officier, else the account."""
    q = select(AuditEntry.account, AuditEntry.action).where(
        AuditEntry.item_id == item_id,
        AuditEntry.action.in_([audit.DECISION, audit.PURGE]),
        AuditEntry.at >= since - dt.timedelta(seconds=1),
    )
    if other_than is not None:
        q = q.where(AuditEntry.account != other_than)
    row = session.execute(q.order_by(AuditEntry.id).limit(1)).first()
    if row is None:
        return None
    prior = existing_decision(session, item_id)
    return prior.besloten_door if prior is not None else str(row.account)


def purged_since(session: Session, bvh_nummer: str, since: dt.datetime) -> str | None:
    """Who purged (sepot 01) the case with this number at or after `since`, if anyone did."""
    from zsm_desk.services.storage import tombstones

    at = tombstones.purged_at(session, bvh_nummer)
    if at is None:
        return None
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    if aware < since:
        return None
    rows = session.execute(
        select(AuditEntry.account, AuditEntry.at).where(
            AuditEntry.action == audit.PURGE,
            AuditEntry.at >= aware - dt.timedelta(seconds=10),
            AuditEntry.at <= aware + dt.timedelta(seconds=10),
        )
    ).all()
    if not rows:
        return ""
    return str(min(rows, key=lambda r: abs((r.at - aware).total_seconds())).account)


def decide_by_bvh(
    db: Database,
    bvh_nummer: str,
    decision_input: DecisionInput,
    *,
    account: str,
    now: dt.datetime | None = None,
) -> DecisionOutcome:
    """`record_decision` in its own transaction, for a desk that opens and decides at once.

    Deadlocks and serialisation failures are retried. When another desk
    decided or purged the same suspect meanwhile (also when that shows as a
    unique or foreign-key violation), `DecisionRace` names who did.
    """
    from sqlalchemy.exc import IntegrityError

    from zsm_desk.services.security import users
    from zsm_desk.services.storage import dberrors

    # The command line opens and decides at once; the user looked at the
    # queue a little earlier. A decision by another desk within this window is
    # "zojuist" (a race), an older one an ordinary second decision.
    opened_at = (now or db.clock.now()) - RACE_WINDOW
    with db.session() as s:
        try:
            item_id = item_id_by_bvh(s, bvh_nummer)
        except LookupError:
            who = purged_since(s, bvh_nummer, opened_at - dt.timedelta(seconds=30))
            if who is not None:
                raise DecisionRace(who) from None
            raise

    def work(s: Session) -> DecisionOutcome:
        roles = users.roles_of(s, account)
        return record_decision(
            s, item_id, decision_input, account=account, roles=roles, now=now,
            opened_at=opened_at,
        )  # fmt: skip

    try:
        return dberrors.run_transaction(db, work)
    except IntegrityError:
        with db.session() as s:
            who = decided_since(s, item_id, opened_at)
        raise DecisionRace(who or "") from None


def item_id_by_bvh(session: Session, bvh_nummer: str) -> int:
    row = session.execute(
        select(ItemRow.id).where(ItemRow.bvh_nummer == bvh_nummer.strip().upper())
    ).scalar_one_or_none()
    if row is None:
        raise LookupError(f"geen verdachte met BVH-nummer {bvh_nummer!r} in de wachtrij")
    return int(row)


__all__ = [
    "CaseClaimed",
    "DecisionContext",
    "DecisionInput",
    "DecisionOutcome",
    "DecisionRace",
    "DecisionRefused",
    "NotAllowed",
    "ProducedMessage",
    "correct_decision",
    "decide_by_bvh",
    "decided_since",
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
