"""Adviesvragen: asking a veiligheidshuis, guarding the term, answer or decide without.

Background-pilots KV-3/KV-4, Q8. The content and the rules (state, when the
term starts) are pure and live in `domain.adviesvraag`; this module stores,
sends through the persistent outbox, and audits every step.

Rules chosen here (also in README, "adviesvraag"):

* **Who.** Asking, answering and deciding without advice need a role with
  `Action.ADVIESVRAAG` (parketsecretaris, KPC'er, officier). The list shows a
  KPC'er every question (the KPC guards all terms); the others see the
  questions they asked themselves, unless they ask for all with ``alle=True``
  (KPC'er only). An account without roles is refused everywhere.
* **Which VH.** Only a VH from the directory (configuration); an unknown code is
  refused. The VH's ``bereikbaar`` feeds the working-day presets.
* **The term** counts from the moment the mail was actually sent:
  ``max(gesteld_op, verzonden_op)`` (see the domain module). While the mail has
  not left, the stored ``deadline`` is provisional and the list says
  "termijn loopt nog niet". :func:`sync_verzending` copies the outbox's
  ``sent_at`` and recomputes the deadline; every read calls it.
* **Besluit zonder advies** only after the deadline of a sent question. Before
  that (or for a question that never left) only with ``voor_termijn=True``
  and only by a KPC'er or officier: the ZSM norm can force a decision before
  the VH's term ends, but that must be a deliberate, recorded choice.
* **Closed is closed.** An answered question or one decided without advice
  takes no further answer or decision; a late advice is a new question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.domain import adviesvraag as av
from zsm_desk.domain.access import Action, Role
from zsm_desk.domain.deadlines import AMSTERDAM, DEFAULT_BEREIKBAAR, OfficeHours, _zone
from zsm_desk.domain.freshness import freshness
from zsm_desk.domain.settings import Settings, VhEntry
from zsm_desk.domain.terugkoppeling import ZsmContact, make_ref
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers.known_clients import effective_status
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.models import Adviesvraag, OutboxMessage
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models_adviesvraag import AdviesvraagMeta

TZ = _zone(AMSTERDAM)
#: An answer "received" this far in the future is a typing error, not clock skew.
_KLOKSPELING = dt.timedelta(minutes=5)


_NIET_VERZONDEN = (
    av.AdviesvraagState.CONCEPT,
    av.AdviesvraagState.WACHT,
    av.AdviesvraagState.MISLUKT,
)


class AdviesvraagError(ValueError):
    """Refused input or action; the message is Dutch and fit for the user."""


class NotFound(AdviesvraagError):
    pass


def _now(session: Session, now: dt.datetime | None) -> dt.datetime:
    return (now or now_of(session)).astimezone(dt.UTC)


def _require(roles: frozenset[Role]) -> None:
    users.require(roles, Action.ADVIESVRAAG)


def office_hours(vh: VhEntry | None) -> OfficeHours:
    """The VH's ``bereikbaar`` parsed; the default when none is configured."""
    spec = vh.bereikbaar if vh is not None and vh.bereikbaar.strip() else DEFAULT_BEREIKBAAR
    try:
        return OfficeHours.parse(spec, tz=TZ)
    except ValueError:
        # The configuration validator checks this; an old database may not be.
        return OfficeHours.parse(DEFAULT_BEREIKBAAR, tz=TZ)


def zsm_contact(settings: Settings) -> ZsmContact:
    """The desk as contact: the location and the sender mailbox, never a person."""
    afzender = settings.smtp.afzender if settings.smtp else ""
    return ZsmContact(locatie=settings.zsm_locatie, mailbox=afzender)


# ---------------------------------------------------------------------------
# Choosing the VH
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VhKeuze:
    """A VH to offer in the question dialog; matches first."""

    code: str
    naam: str
    bereikbaarheid: str  # OfficeHours.describe()
    telefoon: str
    match_status: str | None  # bekend / mogelijk when the suspect is known there


def vh_keuzes(session: Session, item_id: int) -> list[VhKeuze]:
    """The VHs where the suspect is (possibly) known, then the rest of the directory."""
    row = _item(session, item_id)
    settings = load_settings(session)
    status: dict[str, str] = {}
    for m in row.matches:
        st = effective_status(m)
        if st is not None and (m.marking.vh_code not in status or st == "bekend"):
            status[m.marking.vh_code] = str(st)
    keuzes = [
        VhKeuze(v.code, v.naam, office_hours(v).describe(), v.telefoon, status.get(v.code))
        for v in settings.veiligheidshuizen
    ]
    rank = {"bekend": 0, "mogelijk": 1}
    return sorted(keuzes, key=lambda k: (rank.get(k.match_status or "", 2), k.code))


# ---------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AdviesvraagView:
    """One question as the list, the detail pane and the CLI show it."""

    id: int
    ref: str
    item_id: int | None
    bvh_nummer: str
    vh_code: str
    vh_naam: str
    vraag: str
    casusschets: str
    aanleiding: str
    termijn: str
    termijn_label: str
    bereikbaarheid: str
    gesteld_door: str
    gesteld_op: dt.datetime
    verzonden_op: dt.datetime | None
    deadline: dt.datetime  # provisional while the mail has not been sent
    status: av.AdviesvraagState
    stand: av.Termijnstand
    outbox_id: int | None
    verzendmelding: str  # the outbox's last error or note while the mail has not left
    antwoord: str
    antwoord_van: str
    antwoord_via: str
    beantwoord_op: dt.datetime | None
    zonder_advies_reden: str
    zonder_advies_op: dt.datetime | None
    zonder_advies_door: str

    @property
    def open(self) -> bool:
        return self.status.open

    @property
    def te_laat(self) -> bool:
        """Overdue: sent, unanswered and past the deadline (the KPC must act)."""
        return self.stand.verlopen

    def to_json(self) -> dict[str, Any]:
        """The ``adviesvraag list --json`` object (README, "adviesvraag")."""

        def iso(m: dt.datetime | None) -> str | None:
            return m.astimezone(TZ).isoformat(timespec="seconds") if m is not None else None

        return {
            "id": self.id,
            "ref": self.ref,
            "bvh_nummer": self.bvh_nummer,
            "vh_code": self.vh_code,
            "vh_naam": self.vh_naam,
            "aanleiding": self.aanleiding or "vraag",
            "vraag": self.vraag,
            "termijn": self.termijn,
            "termijn_label": self.termijn_label,
            "bereikbaarheid": self.bereikbaarheid,
            "gesteld_door": self.gesteld_door,
            "gesteld_op": iso(self.gesteld_op),
            "verzonden_op": iso(self.verzonden_op),
            "deadline": iso(self.deadline),
            "termijn_loopt": self.stand.loopt,
            "status": str(self.status),
            "deadline_status": str(self.stand.state) if self.stand.state else None,
            "resterend": self.stand.tekst,
            "resterend_seconden": (
                int(self.stand.resterend.total_seconds())
                if self.stand.resterend is not None
                else None
            ),
            "te_laat": self.te_laat,
            "verzendmelding": self.verzendmelding or None,
            "antwoord": (
                {
                    "tekst": self.antwoord,
                    "van": self.antwoord_van,
                    "via": self.antwoord_via,
                    "ontvangen_op": iso(self.beantwoord_op),
                }
                if self.beantwoord_op is not None
                else None
            ),
            "zonder_advies": (
                {
                    "reden": self.zonder_advies_reden,
                    "op": iso(self.zonder_advies_op),
                    "door": self.zonder_advies_door,
                }
                if self.zonder_advies_op is not None
                else None
            ),
        }


def _item(session: Session, item_id: int) -> ItemRow:
    row = session.get(ItemRow, item_id)
    if row is None:
        raise NotFound(f"verdachte {item_id} niet gevonden")
    return row


def item_by_bvh(session: Session, bvh_nummer: str) -> ItemRow:
    row = session.execute(
        select(ItemRow).where(ItemRow.bvh_nummer == bvh_nummer.strip())
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"geen verdachte met BVH-nummer {bvh_nummer!r} in de wachtrij")
    return row


def _vh(settings: Settings, vh_code: str) -> VhEntry:
    vh = settings.vh(vh_code.strip())
    if vh is None:
        bekend = ", ".join(v.code for v in settings.veiligheidshuizen) or "geen"
        raise AdviesvraagError(
            f"onbekend veiligheidshuis {vh_code!r}: kies er een uit de lijst ({bekend})"
        )
    return vh


def _meta(session: Session, vraag: Adviesvraag) -> AdviesvraagMeta:
    meta = session.get(AdviesvraagMeta, vraag.id)
    if meta is None:  # a question stored before migration 0004 (none in practice)
        meta = AdviesvraagMeta(adviesvraag_id=vraag.id, ref=f"ADV-{vraag.id}", aanleiding="")
        session.add(meta)
        session.flush()
    return meta


def _view(
    session: Session, vraag: Adviesvraag, settings: Settings, now: dt.datetime
) -> AdviesvraagView:
    meta = _meta(session, vraag)
    msg = session.get(OutboxMessage, vraag.outbox_id) if vraag.outbox_id else None
    state = av.derive_state(
        msg.state if msg is not None else None,
        beantwoord=vraag.beantwoord_op is not None,
        zonder_advies=vraag.zonder_advies_op is not None,
    )
    vh = settings.vh(vraag.vh_code)
    item = session.get(ItemRow, vraag.item_id) if vraag.item_id is not None else None
    return AdviesvraagView(
        id=vraag.id,
        ref=meta.ref,
        item_id=vraag.item_id,
        bvh_nummer=item.bvh_nummer if item is not None else "",
        vh_code=vraag.vh_code,
        vh_naam=vh.naam if vh is not None else vraag.vh_code,
        vraag=vraag.vraag,
        casusschets=vraag.casusschets,
        aanleiding=meta.aanleiding,
        termijn=vraag.termijn,
        termijn_label=av.termijn_label(vraag.termijn, TZ),
        bereikbaarheid=office_hours(vh).describe(),
        gesteld_door=vraag.gesteld_door,
        gesteld_op=vraag.gesteld_op,
        verzonden_op=meta.verzonden_op,
        deadline=vraag.deadline,
        status=state,
        stand=av.termijnstand(state, vraag.deadline, now),
        outbox_id=vraag.outbox_id,
        verzendmelding=(msg.last_error if msg is not None and state in _NIET_VERZONDEN else ""),
        antwoord=vraag.antwoord,
        antwoord_van=vraag.antwoord_van,
        antwoord_via=vraag.antwoord_via,
        beantwoord_op=vraag.beantwoord_op,
        zonder_advies_reden=vraag.zonder_advies_reden,
        zonder_advies_op=vraag.zonder_advies_op,
        zonder_advies_door=meta.zonder_advies_door,
    )


# ---------------------------------------------------------------------------
# Sending and the start of the term
# ---------------------------------------------------------------------------


def sync_verzending(session: Session, *, vraag_id: int | None = None) -> int:
    """Start the term of questions whose mail has left; returns how many changed.

    For each question whose outbox message is ``verzonden`` (or ``handmatig``:
    saved as .eml for the user's own mail program) and whose
    ``verzonden_op`` is not yet recorded: record the outbox's ``sent_at`` and
    recompute the deadline from ``max(gesteld_op, sent_at)``. Idempotent; a
    question already answered keeps its deadline as it was.
    """
    q = (
        select(Adviesvraag, AdviesvraagMeta, OutboxMessage)
        .join(AdviesvraagMeta, AdviesvraagMeta.adviesvraag_id == Adviesvraag.id)
        .join(OutboxMessage, OutboxMessage.id == Adviesvraag.outbox_id)
        .where(
            OutboxMessage.state.in_((outbox.VERZONDEN, outbox.HANDMATIG)),
            OutboxMessage.sent_at.is_not(None),
            AdviesvraagMeta.verzonden_op.is_(None),
        )
    )
    if vraag_id is not None:
        q = q.where(Adviesvraag.id == vraag_id)
    rows = session.execute(q).all()
    if not rows:
        return 0
    settings = load_settings(session)
    for vraag, meta, msg in rows:
        assert msg.sent_at is not None
        meta.verzonden_op = msg.sent_at
        if vraag.beantwoord_op is None and vraag.zonder_advies_op is None:
            vraag.deadline = av.bereken_deadline(
                vraag.termijn,
                vraag.gesteld_op,
                msg.sent_at,
                office_hours(settings.vh(vraag.vh_code)),
                TZ,
            )
    session.flush()
    return len(rows)


def _content(
    session: Session,
    vraag: Adviesvraag,
    meta: AdviesvraagMeta,
    settings: Settings,
    now: dt.datetime,
) -> av.AdviesvraagContent:
    from zsm_desk.services.registers.vh_info import to_domain

    if vraag.item_id is None:
        raise AdviesvraagError("de verdachte van deze adviesvraag is verwijderd")
    item = to_domain(_item(session, vraag.item_id))
    vh = _vh(settings, vraag.vh_code)
    kantoor = office_hours(vh)
    # The mail states the deadline as it applies when it leaves now.
    deadline = av.bereken_deadline(vraag.termijn, vraag.gesteld_op, now, kantoor, TZ)
    return av.build_content(
        item,
        ref=meta.ref,
        vh_code=vh.code,
        vh_naam=vh.naam,
        vraag=vraag.vraag,
        casusschets_tekst=vraag.casusschets,
        termijn=vraag.termijn,
        deadline=deadline,
        office_hours=kantoor,
        zsm_contact=zsm_contact(settings),
        opgesteld_op=now,
        aanleiding=meta.aanleiding,
    )


def _send_via_outbox(
    session: Session, vraag: Adviesvraag, meta: AdviesvraagMeta, *, account: str, now: dt.datetime
) -> int:
    """Put the question's mail in the persistent outbox; returns the outbox row id.

    `services.outbox` fixes the Message-ID and Date now, renders every attempt
    from the stored payload (:func:`_render`), retries temporary failures and
    records ``sent_at``. The payload is the JSON attachment; its deadline is
    the one that applies when the mail leaves at its Date (``now``).
    """
    settings = load_settings(session)
    content = _content(session, vraag, meta, settings, now)
    try:
        row = outbox.enqueue(
            session,
            soort=av.SOORT,
            vh_code=vraag.vh_code,
            payload=content.to_json_dict(),
            account=account,
            ref=meta.ref,
            item_id=vraag.item_id,
            now=now,
            settings=settings,
        )
    except outbox.OutboxError as e:
        raise AdviesvraagError(str(e)) from None
    return row.id


def _render(req: outbox.RenderRequest) -> EmailMessage:
    """Outbox renderer for soort ``adviesvraag``: only from the stored row (deterministic)."""
    content = av.content_from_json(req.row.payload, TZ)
    return outbox.compose_simple(
        req,
        subject=content.titel,  # "ZSM-adviesvraag {ref}": no personal data
        text=content.render_text(),
        html=content.render_html(),
        json_payload=req.row.payload,
        json_filename=f"adviesvraag-{req.row.ref}.json",
    )


outbox.register_renderer(av.SOORT, _render, action=Action.ADVIESVRAAG)


# ---------------------------------------------------------------------------
# Asking
# ---------------------------------------------------------------------------


def nieuw(
    session: Session,
    *,
    item_id: int,
    vh_code: str,
    vraag: str,
    termijn: str,
    account: str,
    roles: frozenset[Role],
    per: dt.datetime | None = None,
    casusschets: str | None = None,
    aanleiding: str = av.AANLEIDING_VRAAG,
    verzenden: bool = True,
    now: dt.datetime | None = None,
) -> AdviesvraagView:
    """Store a question (audited) and, unless ``verzenden=False``, queue its mail.

    ``per``: the moment the question counts as asked (default now; aware).
    ``termijn``: a preset of `deadlines.Preset` or an ISO time (local when
    without offset). The stored deadline is ``compute_deadline`` from ``per``
    with the VH's office hours; it is provisional until the mail has left.
    """
    _require(roles)
    now = _now(session, now)
    row = _item(session, item_id)
    settings = load_settings(session)
    vh = _vh(settings, vh_code)
    tekst = vraag.strip()
    if not tekst:
        raise AdviesvraagError(
            "de vraag is leeg: formuleer een concrete vraag aan het veiligheidshuis"
        )
    if per is not None and (per.tzinfo is None or per.utcoffset() is None):
        raise AdviesvraagError(f"het vraagmoment {per.isoformat()} heeft geen tijdzone")
    gesteld_op = (per or now).astimezone(dt.UTC)
    code = termijn.strip()
    try:
        deadline = av.bereken_deadline(code, gesteld_op, None, office_hours(vh), TZ)
    except ValueError as e:
        raise AdviesvraagError(str(e)) from None
    if av.is_preset(code):
        code = code.lower()

    from zsm_desk.services.registers.vh_info import to_domain

    schets = (
        casusschets.strip()
        if casusschets and casusschets.strip()
        else av.casusschets(to_domain(row))
    )
    taken = set(session.execute(select(AdviesvraagMeta.ref)).scalars())
    taken |= set(session.execute(select(OutboxMessage.ref)).scalars())
    ref = make_ref(settings.zsm_locatie, now.astimezone(TZ).date(), taken=taken)
    vraag_row = Adviesvraag(
        item_id=row.id,
        vh_code=vh.code,
        vraag=tekst,
        casusschets=schets,
        termijn=code,
        gesteld_door=account,
        gesteld_op=gesteld_op,
        deadline=deadline,
        antwoord="",
        antwoord_van="",
        antwoord_via="",
        zonder_advies_reden="",
    )
    session.add(vraag_row)
    session.flush()
    meta = AdviesvraagMeta(adviesvraag_id=vraag_row.id, ref=ref, aanleiding=aanleiding)
    session.add(meta)
    session.flush()
    audit.append(
        session,
        account,
        audit.ADVIESVRAAG,
        item_id=row.id,
        purpose="adviesvraag gesteld" if not aanleiding else f"adviesvraag ({aanleiding})",
        detail={
            "actie": "gesteld",
            "adviesvraag_id": vraag_row.id,
            "ref": ref,
            "vh_code": vh.code,
            "termijn": code,
            "gesteld_op": gesteld_op.isoformat(),
            "deadline": deadline.astimezone(dt.UTC).isoformat(),
        },
    )
    if verzenden:
        _queue(session, vraag_row, meta, account=account, now=now)
    return _view(session, vraag_row, settings, now)


def _queue(
    session: Session, vraag: Adviesvraag, meta: AdviesvraagMeta, *, account: str, now: dt.datetime
) -> None:
    outbox_id = _send_via_outbox(session, vraag, meta, account=account, now=now)
    vraag.outbox_id = outbox_id
    session.flush()
    audit.append(
        session,
        account,
        audit.SEND,
        item_id=vraag.item_id,
        purpose="adviesvraag in de verzendwachtrij",
        detail={
            "soort": av.SOORT,
            "ref": meta.ref,
            "vh_code": vraag.vh_code,
            "outbox_id": outbox_id,
        },
    )


def verzend(
    session: Session,
    vraag_id: int,
    *,
    account: str,
    roles: frozenset[Role],
    bevestigd_onbeveiligd: bool = False,
    now: dt.datetime | None = None,
) -> AdviesvraagView:
    """Get a question's mail going: one action for the "Verzenden" button.

    * no outbox message yet (stored with ``verzenden=False``): queue it;
    * outbox ``concept`` (VH without secure mail): release it, which needs
      ``bevestigd_onbeveiligd=True`` (recorded and audited by the outbox);
    * ``verzending mislukt``: offer it again at once (same Message-ID).

    The outbox's background run or ``zsm-desk outbox send`` does the sending.
    """
    _require(roles)
    now = _now(session, now)
    vraag = _get_row(session, vraag_id)
    sync_verzending(session, vraag_id=vraag_id)
    view = _view(session, vraag, load_settings(session), now)
    try:
        if view.status is av.AdviesvraagState.CONCEPT and vraag.outbox_id is None:
            _queue(session, vraag, _meta(session, vraag), account=account, now=now)
        elif view.status is av.AdviesvraagState.CONCEPT:
            assert vraag.outbox_id is not None
            outbox.mark_ready(
                session, vraag.outbox_id, account=account, roles=roles,
                bevestigd_onbeveiligd=bevestigd_onbeveiligd,
            )  # fmt: skip
        elif view.status is av.AdviesvraagState.MISLUKT:
            assert vraag.outbox_id is not None
            outbox.retry(session, vraag.outbox_id, account, roles=roles)
        else:
            raise AdviesvraagError(
                f"adviesvraag {vraag_id} is {view.status}; er valt niets te verzenden"
            )
    except outbox.OutboxError as e:
        raise AdviesvraagError(str(e)) from None
    return _view(session, vraag, load_settings(session), now)


def actualisatie(
    session: Session,
    *,
    match_id: int,
    termijn: str,
    account: str,
    roles: frozenset[Role],
    vraag: str | None = None,
    per: dt.datetime | None = None,
    verzenden: bool = True,
    now: dt.datetime | None = None,
) -> AdviesvraagView:
    """A refresh request straight from an advice that is no longer current (KV-3, Q1).

    ``match_id``: the suspect's hit on the VH marking whose advice is
    "minder zwaarwegend" or "niet actueel"; the question is prepared from the
    advice date (``vraag`` overrides it). A current advice is refused.
    """
    from zsm_desk.services.storage.models import Match

    _require(roles)
    now = _now(session, now)
    match = session.get(Match, match_id)
    if match is None or effective_status(match) is None:
        raise NotFound(f"hit {match_id} niet gevonden of afgewezen")
    mk = match.marking
    verdict = freshness(mk.advies_datum, now.astimezone(TZ).date())
    try:
        tekst = vraag or av.actualisatievraag(mk.advies_datum, verdict.level, verdict.months)
    except ValueError as e:
        raise AdviesvraagError(str(e)) from None
    return nieuw(
        session,
        item_id=match.item_id,
        vh_code=mk.vh_code,
        vraag=tekst,
        termijn=termijn,
        account=account,
        roles=roles,
        per=per,
        aanleiding=av.AANLEIDING_ACTUALISATIE,
        verzenden=verzenden,
        now=now,
    )


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _get_row(session: Session, vraag_id: int) -> Adviesvraag:
    vraag = session.get(Adviesvraag, vraag_id)
    if vraag is None:
        raise NotFound(f"adviesvraag {vraag_id} niet gevonden")
    return vraag


def get(
    session: Session, vraag_id: int, *, roles: frozenset[Role], now: dt.datetime | None = None
) -> AdviesvraagView:
    _require(roles)
    now = _now(session, now)
    vraag = _get_row(session, vraag_id)
    sync_verzending(session, vraag_id=vraag_id)
    return _view(session, vraag, load_settings(session), now)


def lijst(
    session: Session,
    *,
    account: str,
    roles: frozenset[Role],
    now: dt.datetime | None = None,
    alleen_open: bool = True,
    alle: bool | None = None,
    item_id: int | None = None,
) -> list[AdviesvraagView]:
    """Questions with their time left, most urgent first.

    ``alle``: every account's questions (default for a KPC'er, refused for
    others); otherwise only the caller's own. ``alleen_open``: leave out
    answered questions and those decided without advice. Order: overdue and
    running terms by deadline, then those whose term is not running yet
    (failed first), then closed ones.
    """
    _require(roles)
    now = _now(session, now)
    kpc = Role.KPC in roles
    if alle is None:
        alle = kpc
    if alle and not kpc:
        raise users.NotAllowed("alleen een KPC'er ziet de termijnen van alle adviesvragen")
    sync_verzending(session)
    q = select(Adviesvraag)
    if not alle:
        q = q.where(Adviesvraag.gesteld_door == account)
    if item_id is not None:
        q = q.where(Adviesvraag.item_id == item_id)
    if alleen_open:
        q = q.where(Adviesvraag.beantwoord_op.is_(None), Adviesvraag.zonder_advies_op.is_(None))
    settings = load_settings(session)
    views = [_view(session, v, settings, now) for v in session.execute(q).scalars()]

    def volgorde(v: AdviesvraagView) -> tuple[int, float, int]:
        if v.stand.loopt:
            groep = 0
        elif v.status is av.AdviesvraagState.MISLUKT:
            groep = 1
        elif v.open:
            groep = 2
        else:
            groep = 3
        return (groep, v.deadline.timestamp(), v.id)

    return sorted(views, key=volgorde)


# ---------------------------------------------------------------------------
# Closing a question
# ---------------------------------------------------------------------------


def _open_vraag(
    session: Session, vraag_id: int, now: dt.datetime, wat: str
) -> tuple[Adviesvraag, Settings, AdviesvraagView]:
    """The open question `vraag_id` (its sending state brought up to date), the
    settings and its view; refused for a closed question."""
    vraag = _get_row(session, vraag_id)
    sync_verzending(session, vraag_id=vraag_id)
    settings = load_settings(session)
    view = _view(session, vraag, settings, now)
    if not view.open:
        raise AdviesvraagError(f"adviesvraag {view.id} is al {view.status}; {wat} kan niet meer")
    return vraag, settings, view


def _audit_vraag(
    session: Session,
    vraag: Adviesvraag,
    account: str,
    *,
    purpose: str,
    actie: str,
    ref: str,
    **detail: Any,
) -> None:
    """Flush, then audit `actie` on an existing question."""
    session.flush()
    audit.append(
        session,
        account,
        audit.ADVIESVRAAG,
        item_id=vraag.item_id,
        purpose=purpose,
        detail={
            "actie": actie,
            "adviesvraag_id": vraag.id,
            "ref": ref,
            "vh_code": vraag.vh_code,
            **detail,
        },
    )


def registreer_antwoord(
    session: Session,
    vraag_id: int,
    *,
    tekst: str,
    van: str,
    via: str,
    account: str,
    roles: frozenset[Role],
    op: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> AdviesvraagView:
    """Record the VH's advice (by phone or mail), audited; it then appears in the print."""
    _require(roles)
    now = _now(session, now)
    vraag, settings, view = _open_vraag(session, vraag_id, now, "een antwoord registreren")
    tekst, van, via = tekst.strip(), van.strip(), via.strip().lower()
    if not tekst:
        raise AdviesvraagError("het antwoord is leeg")
    if not van:
        raise AdviesvraagError("vul in van wie het advies komt")
    if via not in av.VIA:
        raise AdviesvraagError(f"ontvangen via {via!r}: kies 'telefoon' of 'mail'")
    if op is not None and (op.tzinfo is None or op.utcoffset() is None):
        raise AdviesvraagError(f"het ontvangstmoment {op.isoformat()} heeft geen tijdzone")
    ontvangen = (op or now).astimezone(dt.UTC)
    if ontvangen > now + _KLOKSPELING:
        raise AdviesvraagError(
            f"ontvangen op {ontvangen.astimezone(TZ):%d-%m-%Y %H:%M} ligt in de toekomst"
        )
    vraag.antwoord, vraag.antwoord_van, vraag.antwoord_via = tekst, van, via
    vraag.beantwoord_op = ontvangen
    _audit_vraag(
        session,
        vraag,
        account,
        purpose="advies op aanvraag ontvangen",
        actie="antwoord",
        ref=view.ref,
        via=via,
        ontvangen_op=ontvangen.isoformat(),
        na_termijn=view.stand.verlopen,
    )
    return _view(session, vraag, settings, now)


def besluit_zonder_advies(
    session: Session,
    vraag_id: int,
    *,
    reden: str,
    account: str,
    roles: frozenset[Role],
    voor_termijn: bool = False,
    now: dt.datetime | None = None,
) -> AdviesvraagView:
    """Record that the case is decided without the VH's advice (KV-4 step 6), audited.

    Allowed once the term of the sent question has passed. Earlier, or for a
    question whose mail never left, only with ``voor_termijn=True`` by a
    KPC'er or officier (see the module docstring).
    """
    _require(roles)
    now = _now(session, now)
    vraag, settings, view = _open_vraag(session, vraag_id, now, "besluiten zonder advies")
    reden = reden.strip()
    if not reden:
        raise AdviesvraagError("geef de reden om zonder advies te besluiten")
    if not view.stand.verlopen:
        if not voor_termijn:
            waarom = (
                f"de termijn loopt nog ({view.stand.tekst}, tot "
                f"{view.deadline.astimezone(TZ):%d-%m-%Y %H:%M})"
                if view.stand.loopt
                else f"de vraag is {view.status} en de termijn loopt nog niet"
            )
            raise AdviesvraagError(
                f"besluiten zonder advies kan pas na de termijn: {waarom}; "
                "bevestig uitdrukkelijk om eerder te besluiten"
            )
        if not roles & {Role.KPC, Role.OFFICIER}:
            raise users.NotAllowed(
                "alleen een KPC'er of officier mag vóór het einde van de termijn zonder advies besluiten"
            )
    meta = _meta(session, vraag)
    vraag.zonder_advies_reden = reden
    vraag.zonder_advies_op = now
    meta.zonder_advies_door = account
    meta.zonder_advies_voor_termijn = not view.stand.verlopen
    _audit_vraag(
        session,
        vraag,
        account,
        purpose="besluit zonder advies",
        actie="zonder-advies",
        ref=meta.ref,
        status_was=str(view.status),
        voor_termijn=not view.stand.verlopen,
    )
    return _view(session, vraag, settings, now)
