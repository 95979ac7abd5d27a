"""The persistent outbox: every mail to a veiligheidshuis passes through here.

Terugkoppelingen and aanmeldingen (issue 5), adviesvragen (issue 6) and daily
digests are rows of `OutboxMessage`. Nothing is lost and nothing that was
recorded as sent is ever sent again.

States
======

``concept``
    Composed, waiting for a person: the VH has no secure mail
    (``beveiligde_mail = false``) and the user must confirm this message
    (`mark_ready` with ``bevestigd_onbeveiligd=True``, recorded and audited);
    with Setting ``onbeveiligd_blokkeren = true`` it cannot leave at all.
``klaar``
    Queued. Sent by `send_due` when due: at once (direct VHs), or, for a VH
    with a daily digest (``terugkoppeling = "dagelijks 16:00"``), grouped into
    one ``digest`` row at the next digest time (`deliver_after`, Europe/Amsterdam,
    DST-safe). A temporary failure (4xx, no connection, dropped connection)
    keeps the row ``klaar`` with `last_error` and `next_attempt_at` after
    1, 5, 15, 60, 60, … minutes (`BACKOFF_MINUTES`).
``verzonden``
    The SMTP server accepted it (`sent_at`). Final: never attempted again.
``mislukt``
    Permanent failure (5xx, refused settings, bad certificate, VH removed from
    the directory, blocked unsecured VH) with `last_error`. Only a person
    retries it (`retry`, or ``zsm-desk outbox send``).
``handmatig``
    Saved as ``.eml`` (`export_eml`) for the user's own mail program. ZSM Desk
    cannot know whether and when it was sent, so it is *not* ``verzonden``:
    the row leaves the queue (never sent automatically afterwards, not counted
    as waiting) and `sent_at` holds the moment of export. Exporting again is
    allowed; the file carries the same Message-ID.

A daily digest member stays ``klaar`` with `digest_id` set until its digest is
delivered; then it becomes ``verzonden`` in the same transaction. Aanmeldingen
and adviesvragen are never put in a digest (they are time-critical).

Delivery guarantee: at least once, with an idempotent Message-ID
=================================================================

SMTP cannot do better: when the connection drops after DATA, or the process
dies after the server said 250 but before the database recorded it, the client
cannot know whether the message arrived. ZSM Desk therefore:

1. fixes `message_id` (and the ``Date``: `created_at`) when the row is created,
   before any attempt, and renders the message deterministically from the
   stored payload, so every attempt is the same message;
2. claims a row in its own committed transaction with a conditional UPDATE
   (``… WHERE id = ? AND state IN (…) AND (sending_since IS NULL OR
   sending_since < stale OR sending_by = <dead owner>)``, checking rowcount),
   setting ``sending_since``/``sending_by`` and ``attempts + 1``: two desks
   never send the same row at the same time;
3. after the server accepted the message commits ``verzonden`` + `sent_at`
   in a new transaction (``WHERE state <> 'verzonden'``);
4. treats a row found with `sending_since` set and not ``verzonden`` as
   "maybe sent": once its owner is gone it is sent again **with the same
   Message-ID**. The owner is gone when the lease is older than
   `LEASE_SECONDS` or, for an owner on this machine, when its process no
   longer exists (so a crashed desk resends at once on restart).

A veiligheidshuis may therefore in rare cases receive a message twice, always
with an identical Message-ID (and `X-ZSM-Referentie`), and can de-duplicate on
it. A recorded success is never resent.

Renderer registry (for other message kinds)
===========================================

`enqueue` is generic over `soort`. A module that sends another kind of mail
registers a renderer once, at import time::

    from zsm_desk.services.mail import outbox

    def _render(req: outbox.RenderRequest) -> EmailMessage:
        return outbox.compose_simple(
            req, subject=f"ZSM-adviesvraag {req.row.ref}", text=..., html=...,
            json_payload=req.row.payload, json_filename=f"adviesvraag-{req.row.ref}.json")

    outbox.register_renderer("adviesvraag", _render, action=Action.ADVIESVRAAG)

    row = outbox.enqueue(session, soort="adviesvraag", vh_code="VH-UTR",
                         payload={...}, item_id=item.id, account=account)

Rules for a renderer: build the message only from `req.row` (payload,
toelichting, ref) and `req.to`/`req.sender`/`req.message_id`/`req.date`, so
every attempt yields the same message; the To header must be `req.to` (the
VH's central mailbox from the directory, never free text) and the Message-ID
`req.message_id` (both are checked). The subject carries no personal data.
Set `item_id` on rows about a suspect: a technical sepot (01) deletes them
with the case (`purge_item_messages`). `action` is the role check for
preparing and sending that kind (`domain.access.Action`).

Retention (issue 8) may later empty `payload` of sent rows; `vh_code`,
`soort`, `decided_at`, `sent_at`, `minderjarig` stay for monitoring.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from zsm_desk.domain.access import Action, Role, allowed, refusal
from zsm_desk.domain.clock import Clock, SystemClock
from zsm_desk.domain.settings import Settings, VhEntry
from zsm_desk.domain.terugkoppeling import (
    SOORT_AANMELDING,
    SOORT_TERUGKOPPELING,
    Onderzoek,
    Persoon,
    TerugkoppelingContent,
    ZsmContact,
    make_ref,
)
from zsm_desk.services.mail import transport as mail
from zsm_desk.services.security.users import NotAllowed
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, load_settings
from zsm_desk.services.storage.db import Database, clock_of
from zsm_desk.services.storage.models import OutboxMessage

TZ = ZoneInfo("Europe/Amsterdam")

CONCEPT = "concept"
KLAAR = "klaar"
VERZONDEN = "verzonden"
MISLUKT = "mislukt"
HANDMATIG = "handmatig"
STATES = (CONCEPT, KLAAR, VERZONDEN, MISLUKT, HANDMATIG)
#: States that still wait for delivery (`waiting_count`).
WAITING_STATES = (CONCEPT, KLAAR, MISLUKT)

SOORT_DIGEST = "digest"
#: Kinds that go into the daily digest of a VH with ``dagelijks HH:MM``.
DIGEST_SOORTEN = frozenset({SOORT_TERUGKOPPELING})

BACKOFF_MINUTES = (1, 5, 15, 60)
#: After this long a send lease of another machine counts as abandoned.
LEASE_SECONDS = 10 * 60
#: Setting key: true = never send to a VH without secure mail.
SETTING_BLOKKEREN = "onbeveiligd_blokkeren"
#: Setting key: optional {"telefoon": str, "mailbox": str} of the ZSM desk.
SETTING_CONTACT = "zsm_contact"
FALLBACK_SENDER = "ZSM Desk <zsm-desk@zsm-desk.invalid>"
FALLBACK_MSGID_DOMAIN = "zsm-desk.invalid"


class OutboxError(Exception):
    """A refused outbox action; the message is one Dutch line for the user."""


# --- renderer registry ---------------------------------------------------------------


@dataclass(frozen=True)
class RenderRequest:
    """What a renderer may use to build the message of one row."""

    session: Session
    row: OutboxMessage
    to: str  # the VH's central mailbox from the directory
    sender: str
    message_id: str
    date: dt.datetime
    vh_naam: str = ""  # the VH's name from the directory, for the "Aan:" line


Renderer = Callable[[RenderRequest], EmailMessage]


@dataclass(frozen=True)
class _Kind:
    renderer: Renderer
    action: Action


_KINDS: dict[str, _Kind] = {}


def register_renderer(soort: str, renderer: Renderer, *, action: Action) -> None:
    """Register (or replace) how rows of `soort` are rendered and who may send them."""
    if not soort or len(soort) > 24:
        raise ValueError(f"ongeldige soort {soort!r}")
    _KINDS[soort] = _Kind(renderer, action)


def registered_kinds() -> list[str]:
    return sorted(_KINDS)


#: Modules that register renderers at import; loaded before sending so a row of
#: their kind is never failed just because the module was not imported yet.
PLUGIN_MODULES = (
    "zsm_desk.services.adviesvragen.adviesvragen",
    "zsm_desk.services.decisions.corrections",
)
_plugins_loaded = False


def load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    import importlib

    for name in PLUGIN_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
    _plugins_loaded = True


def _kind(soort: str) -> _Kind:
    k = _KINDS.get(soort)
    if k is None:
        load_plugins()
        k = _KINDS.get(soort)
    if k is None:
        raise OutboxError(f"Onbekende berichtsoort '{soort}' (geen renderer geregistreerd).")
    return k


def compose_simple(
    req: RenderRequest,
    *,
    subject: str,
    text: str,
    html: str,
    json_payload: Any = None,
    json_filename: str | None = None,
    referentie: str | None = None,
) -> EmailMessage:
    """A message with the outbox conventions for kinds without their own composer.

    ``multipart/mixed``: text/plain + text/html alternatives, optionally an
    ``application/json`` attachment; Date, Message-ID, To, From and
    ``X-ZSM-Referentie`` set from `req`. The subject must carry no personal data.
    """
    import email.policy
    import email.utils

    if "\r" in subject or "\n" in subject:
        raise ValueError("onderwerp met regeleinde")
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = req.sender
    msg["To"] = req.to
    msg["Date"] = email.utils.format_datetime(req.date)
    msg["Message-ID"] = req.message_id
    msg["X-ZSM-Referentie"] = referentie or req.row.ref
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    if json_payload is not None:
        data = json.dumps(json_payload, ensure_ascii=False, indent=2).encode("utf-8")
        msg.add_attachment(
            data,
            maintype="application",
            subtype="json",
            filename=json_filename or f"{req.row.soort}-{req.row.ref}.json",
        )
    return msg


# --- terugkoppeling content from the stored JSON ------------------------------------------


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def content_from_json(d: dict[str, Any]) -> TerugkoppelingContent:
    """Rebuild a `TerugkoppelingContent` from its attachment JSON (schema zsm-terugkoppeling/1)."""
    per = d["persoon"]
    besl = d.get("beslissing") or {}
    ond = d.get("onderzoek")
    aanm = d.get("aanmelding") or {}
    contact = d["zsm_contact"]
    opgesteld = _dt(d["opgesteld_op"])
    assert opgesteld is not None
    return TerugkoppelingContent(
        ref=d["ref"],
        soort=d["soort"],
        vh_code=d["vh_code"],
        persoon=Persoon(
            achternaam=per["achternaam"],
            voornamen=per["voornamen"],
            geboortedatum=per["geboortedatum"],
            voorvoegsel=per.get("voorvoegsel") or "",
            bsn=per.get("bsn"),
        ),
        zsm_contact=ZsmContact(
            contact["locatie"], contact.get("telefoon") or "", contact.get("mailbox") or ""
        ),
        opgesteld_op=opgesteld,
        beperkt=bool(d.get("beperkt")),
        bvh_nummer=d.get("bvh_nummer"),
        parketnummer=d.get("parketnummer"),
        ingestroomd_op=dt.date.fromisoformat(d["ingestroomd_op"])
        if d.get("ingestroomd_op")
        else None,
        feit=d.get("feit"),
        beslissing_code=besl.get("code"),
        beslissing_label=besl.get("label"),
        beslissing_soort=besl.get("soort"),
        sepotcode=d.get("sepotcode"),
        sepotcode_omschrijving=d.get("sepotcode_omschrijving"),
        voorwaarden=d.get("voorwaarden"),
        onderzoek=Onderzoek(ond["soort"], bool(ond["gepland"])) if ond else None,
        advies_gevolgd=d.get("advies_gevolgd"),
        motivering=d.get("motivering"),
        toelichting=d.get("toelichting"),
        besloten_op=_dt(d.get("besloten_op")),
        aanmelding_reden=aanm.get("reden"),
        screeningscriteria=tuple(aanm.get("criteria") or ()),
        advies_datum=dt.date.fromisoformat(d["advies_datum"]) if d.get("advies_datum") else None,
        advies_actualiteit=d.get("advies_actualiteit"),
        corrigeert=d.get("corrigeert"),
    )


def takes_toelichting(row: OutboxMessage) -> bool:
    """Whether the row's free-text toelichting goes into the message.

    Only a full terugkoppeling: a `beperkt` one (intake decision) and an
    aanmelding may not carry case content (privacy rules of the content).
    """
    p = row.payload or {}
    return row.soort == SOORT_TERUGKOPPELING and not p.get("beperkt", True)


def row_content(row: OutboxMessage) -> TerugkoppelingContent:
    """The content of a terugkoppeling/aanmelding row, with the row's toelichting."""
    if not row.payload:
        raise OutboxError(f"De inhoud van bericht {row.ref} is na de bewaartermijn verwijderd.")
    c = content_from_json(row.payload)
    if takes_toelichting(row):
        text = row.toelichting.strip()
        c = replace(c, toelichting=text or None)
    return c


def _render_terugkoppeling(req: RenderRequest) -> EmailMessage:
    return mail.build_message(
        row_content(req.row),
        to=req.to,
        sender=req.sender,
        message_id=req.message_id,
        date=req.date,
        vh_naam=req.vh_naam,
    )


def digest_members(session: Session, digest_id: int) -> list[OutboxMessage]:
    return list(
        session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.digest_id == digest_id)
            .order_by(OutboxMessage.id)
        ).scalars()
    )


def _render_digest(req: RenderRequest) -> EmailMessage:
    members = digest_members(req.session, req.row.id)
    if not members:
        raise OutboxError(f"Dagoverzicht {req.row.ref} bevat geen berichten meer.")
    datum = dt.date.fromisoformat((req.row.payload or {})["datum"])
    msg = mail.build_message(
        [row_content(m) for m in members],
        to=req.to,
        sender=req.sender,
        message_id=req.message_id,
        date=req.date,
        digest_datum=datum,
        vh_naam=req.vh_naam,
    )
    # The audit head travels with the digest: an anchor outside the database
    # (count and keyed hash, no personal data) that a later truncation of the
    # audit trail cannot reach.
    from zsm_desk.services.storage.models import AuditHead

    head = req.session.get(AuditHead, 1)
    if head is not None:
        msg[AUDIT_HEAD_HEADER] = f"{head.count}:{head.last_hash}"
    return msg


#: Mail header of a daily digest with the audit head at rendering time.
AUDIT_HEAD_HEADER = "X-ZSM-Audit-Kop"


register_renderer(SOORT_TERUGKOPPELING, _render_terugkoppeling, action=Action.SEND_TERUGKOPPELING)
register_renderer(SOORT_AANMELDING, _render_terugkoppeling, action=Action.SEND_TERUGKOPPELING)
register_renderer(SOORT_DIGEST, _render_digest, action=Action.SEND_TERUGKOPPELING)


# --- settings helpers ----------------------------------------------------------------------


def blocked_unsecured(session: Session) -> bool:
    return bool(get_setting(session, SETTING_BLOKKEREN))


def zsm_contact(session: Session, settings: Settings | None = None) -> ZsmContact:
    """The desk's contact for questions: location, optional phone, the sender mailbox."""
    settings = settings or load_settings(session)
    extra = get_setting(session, SETTING_CONTACT) or {}
    mailbox = str(extra.get("mailbox") or "")
    if not mailbox and settings.smtp and settings.smtp.afzender:
        mailbox = _addr(settings.smtp.afzender)
    return ZsmContact(settings.zsm_locatie, str(extra.get("telefoon") or ""), mailbox)


def _addr(value: str) -> str:
    import email.utils

    return email.utils.parseaddr(value)[1]


def _sender(settings: Settings) -> str:
    return settings.smtp.afzender if settings.smtp and settings.smtp.afzender else FALLBACK_SENDER


def smtp_settings(settings: Settings) -> mail.SmtpSettings | None:
    """Transport settings from the configuration (interfaces.md §3); None when not set."""
    if settings.smtp is None:
        return None
    s = settings.smtp
    return mail.SmtpSettings(
        host=s.host, port=s.port, beveiliging=s.beveiliging, gebruiker=s.gebruiker,
        afzender=s.afzender,
    )  # fmt: skip


def next_digest_time(now: dt.datetime, hhmm: str) -> dt.datetime:
    """The first digest moment strictly after `now` (Europe/Amsterdam wall clock).

    Computed per calendar day, so DST changes do not shift it; a wall time
    that does not exist on a spring-forward day maps to the hour after.
    """
    hh, mm = (int(x) for x in hhmm.split(":"))
    local = now.astimezone(TZ)
    day = local.date()
    for _ in range(3):
        cand = dt.datetime.combine(day, dt.time(hh, mm), TZ)
        cand = cand.astimezone(dt.UTC).astimezone(TZ)  # normalise a non-existent time
        if cand > local:
            return cand
        day += dt.timedelta(days=1)
    raise AssertionError("unreachable")


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the `attempts`-th failed attempt (1, 5, 15, 60, 60 … minutes)."""
    i = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return dt.timedelta(minutes=BACKOFF_MINUTES[i])


def _now(now: dt.datetime | None, clock: Clock | None = None) -> dt.datetime:
    if now is None:
        return (clock or SystemClock()).now()
    if now.tzinfo is None:
        raise ValueError("now zonder tijdzone")
    return now


def _msgid_domain(settings: Settings) -> str:
    if settings.smtp and settings.smtp.afzender:
        with contextlib.suppress(ValueError):
            return mail.domain_of(settings.smtp.afzender)
    return FALLBACK_MSGID_DOMAIN


def _vh_or_error(settings: Settings, vh_code: str) -> VhEntry:
    vh = settings.vh(vh_code)
    if vh is None:
        raise OutboxError(
            f"Veiligheidshuis {vh_code} staat niet in de adreslijst; er wordt alleen naar de "
            "centrale mailbox uit de adreslijst gemaild."
        )
    return vh


def _unsecured_note(vh: VhEntry) -> str:
    return (
        f"{vh.code} heeft geen beveiligde mail: bevestig per bericht dat het onbeveiligd "
        "verzonden mag worden."
    )


def _blocked_note(vh: VhEntry) -> str:
    return (
        f"{vh.code} heeft geen beveiligde mail en onbeveiligd verzenden is geblokkeerd "
        "(instelling onbeveiligd_blokkeren)."
    )


def new_ref(session: Session, locatie: str, when: dt.datetime) -> str:
    """A fresh message reference (`make_ref`) not yet used in the outbox."""
    day = when.astimezone(TZ).date()
    for _ in range(20):
        ref = make_ref(locatie, day)
        taken = session.execute(select(OutboxMessage.id).where(OutboxMessage.ref == ref)).first()
        if taken is None:
            return ref
    raise OutboxError("Geen vrije berichtreferentie gevonden.")


# --- enqueue --------------------------------------------------------------------------------


def enqueue(
    session: Session,
    *,
    soort: str,
    vh_code: str,
    payload: Any,
    account: str,
    ref: str | None = None,
    item_id: int | None = None,
    toelichting: str = "",
    decided_at: dt.datetime | None = None,
    minderjarig: bool = False,
    now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> OutboxMessage:
    """Put one message for one VH in the outbox (in the caller's transaction).

    The mailbox comes from the directory; the Message-ID and Date are fixed
    here. State: ``klaar``, or ``concept`` when the VH has no secure mail
    (confirmation needed, or blocked). A `DIGEST_SOORTEN` row for a VH with a
    daily digest gets `deliver_after` = the next digest time.
    """
    _kind(soort)
    now = _now(now, clock_of(session))
    settings = settings or load_settings(session)
    vh = _vh_or_error(settings, vh_code)
    ref = ref or new_ref(session, settings.zsm_locatie, now)
    state, note = KLAAR, ""
    if not vh.beveiligde_mail:
        state = CONCEPT
        note = _blocked_note(vh) if blocked_unsecured(session) else _unsecured_note(vh)
    deliver_after = None
    if soort in DIGEST_SOORTEN and vh.digest_time:
        deliver_after = next_digest_time(now, vh.digest_time)
    row = OutboxMessage(
        ref=ref, soort=soort, item_id=item_id, vh_code=vh.code, mailbox=vh.mailbox,
        message_id=mail.make_message_id(_msgid_domain(settings)), state=state,
        payload=payload, toelichting=toelichting, attempts=0, last_error=note,
        created_at=now.replace(microsecond=0), deliver_after=deliver_after,
        next_attempt_at=None, sending_since=None, sending_by="", sent_at=None,
        digest_id=None, bevestigd_onbeveiligd=False, decided_at=decided_at,
        minderjarig=minderjarig,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


# --- rendering / preview ------------------------------------------------------------------------


def render(session: Session, row: OutboxMessage, settings: Settings | None = None) -> EmailMessage:
    """The exact message an attempt sends (deterministic for the stored row)."""
    settings = settings or load_settings(session)
    req = RenderRequest(
        session=session, row=row, to=row.mailbox, sender=_sender(settings),
        message_id=row.message_id, date=row.created_at.astimezone(TZ),
        vh_naam=vh.naam if (vh := settings.vh(row.vh_code)) is not None else "",
    )  # fmt: skip
    msg = _kind(row.soort).renderer(req)
    if str(msg["Message-ID"] or "") != row.message_id:
        raise OutboxError(f"Renderer voor '{row.soort}' zet een andere Message-ID.")
    if _addr(str(msg["To"] or "")).lower() != _addr(row.mailbox).lower():
        raise OutboxError(f"Renderer voor '{row.soort}' adresseert niet de VH-mailbox.")
    _fix_boundaries(msg, row.message_id)
    return msg


def _fix_boundaries(msg: EmailMessage, message_id: str) -> None:
    """MIME boundaries derived from the Message-ID, so every attempt is byte-identical."""
    import hashlib

    seed = hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_zsm-{seed}-{i}")


def get_message(session: Session, outbox_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise OutboxError(f"Bericht {outbox_id} bestaat niet (meer).")
    return row


def preview(session: Session, outbox_id: int) -> tuple[str, str, str]:
    """(subject, text, html) of a message as it will be (or was) sent, for the UI."""
    row = get_message(session, outbox_id)
    msg = render(session, row)
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    return (
        str(msg["Subject"]),
        plain.get_content() if plain is not None else "",  # type: ignore[attr-defined]
        html.get_content() if html is not None else "",  # type: ignore[attr-defined]
    )


# --- user actions on single rows ------------------------------------------------------------------


def _require_kind(roles: frozenset[Role] | None, soort: str) -> None:
    if roles is None:
        return
    action = _kind(soort).action
    if not allowed(roles, action):
        raise NotAllowed(refusal(action))


def set_toelichting(
    session: Session,
    outbox_id: int,
    text: str,
    account: str,
    *,
    roles: frozenset[Role] | None = None,
) -> None:
    """Set the short free-text toelichting of a not yet attempted terugkoppeling."""
    from zsm_desk.domain.decisions import MAX_TOELICHTING

    row = get_message(session, outbox_id)
    _require_kind(roles, row.soort)
    if not takes_toelichting(row):
        raise OutboxError(
            "Bij dit bericht hoort geen toelichting (aanmelding of beslissing in de "
            "instroomfase: alleen instroom en beslissing worden gedeeld)."
        )
    if row.state not in (CONCEPT, KLAAR) or row.attempts > 0 or row.digest_id is not None:
        raise OutboxError(
            "Het bericht is al aangeboden of verzonden; de toelichting kan niet meer worden "
            "gewijzigd (dan zou een herhaalde verzending een ander bericht zijn)."
        )
    text = text.strip()
    if len(text) > MAX_TOELICHTING:
        raise OutboxError(f"De toelichting is te lang (max. {MAX_TOELICHTING} tekens).")
    row.toelichting = text
    session.flush()


def mark_ready(
    session: Session,
    outbox_id: int,
    *,
    account: str,
    roles: frozenset[Role] | None = None,
    bevestigd_onbeveiligd: bool = False,
) -> OutboxMessage:
    """``concept`` → ``klaar``; for a VH without secure mail this needs the explicit
    per-message confirmation (recorded on the row and audited), and is refused
    when unsecured sending is blocked."""
    row = get_message(session, outbox_id)
    _require_kind(roles, row.soort)
    if row.state == KLAAR:
        return row
    if row.state != CONCEPT:
        raise OutboxError(f"Bericht {row.ref} is niet in concept (status {row.state}).")
    settings = load_settings(session)
    vh = _vh_or_error(settings, row.vh_code)
    _confirm_unsecured(session, row, vh, account, bevestigd_onbeveiligd)
    row.state = KLAAR
    row.last_error = ""
    session.flush()
    return row


def _confirm_unsecured(
    session: Session, row: OutboxMessage, vh: VhEntry, account: str, bevestigd: bool
) -> None:
    if vh.beveiligde_mail:
        return
    if blocked_unsecured(session):
        raise OutboxError(_blocked_note(vh))
    if row.bevestigd_onbeveiligd:
        return
    if not bevestigd:
        raise OutboxError(_unsecured_note(vh))
    row.bevestigd_onbeveiligd = True
    audit.append(
        session, account, audit.SEND, item_id=row.item_id,
        purpose="onbeveiligd verzenden bevestigd",
        detail={"outbox_id": row.id, "ref": row.ref, "vh_code": row.vh_code,
                "soort": row.soort},
    )  # fmt: skip


def retry(
    session: Session, outbox_id: int, account: str, *, roles: frozenset[Role] | None = None
) -> OutboxMessage:
    """Offer a failed (or waiting) message again at once; a digest member retries its digest."""
    row = get_message(session, outbox_id)
    if row.digest_id is not None:
        row = get_message(session, row.digest_id)
    _require_kind(roles, row.soort)
    if row.state in (VERZONDEN, HANDMATIG):
        raise OutboxError(f"Bericht {row.ref} is al {row.state}; het wordt niet opnieuw verzonden.")
    if row.state == CONCEPT:
        raise OutboxError(f"Bericht {row.ref} wacht op bevestiging ({row.last_error}).")
    row.state = KLAAR
    row.next_attempt_at = None
    session.flush()
    audit.append(
        session, account, audit.SEND, item_id=row.item_id, purpose="opnieuw aangeboden",
        detail={"outbox_id": row.id, "ref": row.ref, "vh_code": row.vh_code, "soort": row.soort},
    )  # fmt: skip
    return row


def export_eml(
    session: Session,
    outbox_id: int,
    path: str | os.PathLike[str],
    *,
    account: str,
    roles: frozenset[Role] | None = None,
    bevestigd_onbeveiligd: bool = False,
    now: dt.datetime | None = None,
) -> Path:
    """Save the message as .eml for the user's own mail program; state ``handmatig``.

    A digest member is exported through its digest. Audited as an export.
    """
    row = get_message(session, outbox_id)
    _require_kind(roles, row.soort)
    if row.digest_id is not None:
        raise OutboxError(f"Bericht {row.ref} zit in een dagoverzicht; exporteer het dagoverzicht.")
    if row.state == VERZONDEN:
        raise OutboxError(f"Bericht {row.ref} is al verzonden.")
    if row.sending_since is not None:
        raise OutboxError(f"Bericht {row.ref} wordt op dit moment verzonden.")
    settings = load_settings(session)
    vh = _vh_or_error(settings, row.vh_code)
    _confirm_unsecured(session, row, vh, account, bevestigd_onbeveiligd)
    if row.mailbox != vh.mailbox:
        row.mailbox = vh.mailbox
    msg = render(session, row, settings)
    target = mail.save_eml(msg, path, unsent=True)
    when = _now(now, clock_of(session))
    members = digest_members(session, row.id) if row.soort == SOORT_DIGEST else []
    for r in [row, *members]:
        r.state, r.sent_at, r.next_attempt_at, r.last_error = HANDMATIG, when, None, ""
        audit.append(
            session, account, audit.EXPORT, item_id=r.item_id, purpose="opgeslagen als .eml",
            detail={"outbox_id": r.id, "ref": r.ref, "vh_code": r.vh_code, "soort": r.soort,
                    "message_id": row.message_id, "via": "eml"},
        )  # fmt: skip
    session.flush()
    return target


# --- listing ------------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(TZ).isoformat(timespec="seconds") if value else None


def message_info(row: OutboxMessage) -> dict[str, Any]:
    """One row for lists and ``outbox list --json``: no personal data."""
    return {
        "id": row.id,
        "ref": row.ref,
        "soort": row.soort,
        "vh_code": row.vh_code,
        "mailbox": row.mailbox,
        "state": row.state,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": _iso(row.created_at),
        "deliver_after": _iso(row.deliver_after),
        "next_attempt_at": _iso(row.next_attempt_at),
        "sent_at": _iso(row.sent_at),
        "message_id": row.message_id,
        "digest_id": row.digest_id,
        "bevestigd_onbeveiligd": row.bevestigd_onbeveiligd,
    }


def list_messages(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    return [message_info(r) for r in rows]


def waiting_count(session: Session) -> int:
    """Messages that still have to leave (concept, klaar, mislukt); digests count by member."""
    return int(
        session.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.state.in_(WAITING_STATES), OutboxMessage.soort != SOORT_DIGEST)
        ).scalar_one()
    )


def purge_item_messages(session: Session, item_id: int) -> int:
    """Delete every outbox row about this suspect (technical sepot 01); returns the count."""
    rows = list(
        session.execute(select(OutboxMessage).where(OutboxMessage.item_id == item_id)).scalars()
    )
    for r in rows:
        session.delete(r)
    session.flush()
    return len(rows)


# --- sending --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    id: int
    ref: str
    soort: str
    vh_code: str
    state: str
    reden: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "ref": self.ref, "soort": self.soort, "vh_code": self.vh_code,
                "state": self.state, "reden": self.reden}  # fmt: skip


@dataclass
class SendReport:
    """What one `send_due` run did. `fout`: a problem that stopped every attempt."""

    verzonden: list[SendResult] = field(default_factory=list)
    uitgesteld: list[SendResult] = field(default_factory=list)  # temporary: retried later
    mislukt: list[SendResult] = field(default_factory=list)  # permanent
    overgeslagen: list[SendResult] = field(default_factory=list)  # busy elsewhere, no right, ...
    dagoverzichten: list[int] = field(default_factory=list)  # digests composed in this run
    #: (VH code, "HH:MM") of messages that wait for their VH's daily digest
    wacht_op_dagoverzicht: list[tuple[str, str]] = field(default_factory=list)
    fout: str = ""

    @property
    def ok(self) -> bool:
        return not (self.fout or self.mislukt or self.uitgesteld)

    def summary(self) -> str:
        parts = [
            f"{len(self.verzonden)} verzonden",
            f"{len(self.uitgesteld)} later opnieuw",
            f"{len(self.mislukt)} mislukt",
        ]
        if self.overgeslagen:
            parts.append(f"{len(self.overgeslagen)} overgeslagen")
        text = "Uitbak: " + ", ".join(parts) + "."
        if self.wacht_op_dagoverzicht:
            per: dict[tuple[str, str], int] = {}
            for key in self.wacht_op_dagoverzicht:
                per[key] = per.get(key, 0) + 1
            text += (
                " "
                + "; ".join(
                    f"{n} bericht(en) aan {vh} wacht(en) op het dagoverzicht van {hhmm}"
                    for (vh, hhmm), n in per.items()
                )
                + " (zo wil dat veiligheidshuis het)."
            )
        if self.fout:
            text += f" {self.fout}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "fout": self.fout or None,
            "verzonden": [r.to_dict() for r in self.verzonden],
            "later_opnieuw": [r.to_dict() for r in self.uitgesteld],
            "mislukt": [r.to_dict() for r in self.mislukt],
            "overgeslagen": [r.to_dict() for r in self.overgeslagen],
            "dagoverzichten": list(self.dagoverzichten),
            "wacht_op_dagoverzicht": [
                {"vh_code": vh, "om": hhmm} for vh, hhmm in self.wacht_op_dagoverzicht
            ],
        }


class _SecretGetter(Protocol):
    def get(self, name: str) -> str | None: ...


SessionSource = Database | sessionmaker[Session] | Callable[[], Session]


def _session_scope(
    source: SessionSource,
) -> Callable[[], contextlib.AbstractContextManager[Session]]:
    if isinstance(source, Database):
        return source.session

    @contextlib.contextmanager
    def scope() -> Iterator[Session]:
        s = source()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    return scope


def owner_id() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists  # type: ignore[attr-defined]
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_gone(owner: str) -> bool:
    """Whether a lease owner `host:pid` is certainly dead (only knowable on this host)."""
    host, _, pid = owner.rpartition(":")
    if not host or host != socket.gethostname()[:80] or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    return not _pid_alive(int(pid))


def _group_digests(scope: Callable[[], contextlib.AbstractContextManager[Session]],
                   now: dt.datetime, account: str) -> list[int]:  # fmt: skip
    """Create one digest row per (VH, digest time) whose time has come."""
    created: list[int] = []
    with scope() as s:
        keys = s.execute(
            select(OutboxMessage.vh_code, OutboxMessage.deliver_after)
            .where(
                OutboxMessage.state == KLAAR,
                OutboxMessage.soort.in_(DIGEST_SOORTEN),
                OutboxMessage.digest_id.is_(None),
                OutboxMessage.deliver_after.is_not(None),
                OutboxMessage.deliver_after <= now,
            )
            .distinct()
        ).all()
    if not keys:
        return created
    for vh_code, when in keys:
        with scope() as s:
            ids = list(
                s.execute(
                    select(OutboxMessage.id)
                    .where(
                        OutboxMessage.state == KLAAR,
                        OutboxMessage.soort.in_(DIGEST_SOORTEN),
                        OutboxMessage.digest_id.is_(None),
                        OutboxMessage.vh_code == vh_code,
                        OutboxMessage.deliver_after == when,
                    )
                    .order_by(OutboxMessage.id)
                ).scalars()
            )
            if not ids:
                continue
            settings = load_settings(s)
            vh = settings.vh(vh_code)
            members = [get_message(s, i) for i in ids]
            digest = OutboxMessage(
                ref=new_ref(s, settings.zsm_locatie, when), soort=SOORT_DIGEST, item_id=None,
                vh_code=vh_code, mailbox=vh.mailbox if vh else members[0].mailbox,
                message_id=mail.make_message_id(_msgid_domain(settings)), state=KLAAR,
                payload={"datum": when.astimezone(TZ).date().isoformat(), "aantal": len(ids)},
                toelichting="", attempts=0, last_error="", created_at=now.replace(microsecond=0),
                deliver_after=None, next_attempt_at=None, sending_since=None, sending_by="",
                sent_at=None, digest_id=None,
                bevestigd_onbeveiligd=all(m.bevestigd_onbeveiligd for m in members),
                decided_at=None, minderjarig=False,
            )  # fmt: skip
            s.add(digest)
            s.flush()
            res = s.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.digest_id.is_(None),
                    OutboxMessage.state == KLAAR,
                )
                .values(digest_id=digest.id)
                .execution_options(synchronize_session=False)
            )
            if res.rowcount != len(ids):  # another desk grouped (some of) them meanwhile
                s.rollback()
                continue
            created.append(digest.id)
    return created


def _waiting_for_digest(
    scope: Callable[[], contextlib.AbstractContextManager[Session]],
    now: dt.datetime,
    ids: Sequence[int] | None,
) -> list[tuple[str, str]]:
    """(VH code, local HH:MM) of the rows (of `ids`) that wait for a later digest."""
    q = select(OutboxMessage.vh_code, OutboxMessage.deliver_after).where(
        OutboxMessage.state == KLAAR,
        OutboxMessage.digest_id.is_(None),
        OutboxMessage.deliver_after.is_not(None),
        OutboxMessage.deliver_after > now,
    )
    if ids is not None:
        q = q.where(OutboxMessage.id.in_(list(ids)))
    with scope() as s:
        rows: list[tuple[str, dt.datetime | None]] = [
            (r.vh_code, r.deliver_after) for r in s.execute(q.order_by(OutboxMessage.id))
        ]
    return [(vh, at.astimezone(TZ).strftime("%H:%M")) for vh, at in rows if at is not None]


def _candidates(
    scope: Callable[[], contextlib.AbstractContextManager[Session]],
    now: dt.datetime,
    manual: bool,
    ids: Sequence[int] | None,
) -> list[int]:
    states = (KLAAR, MISLUKT) if manual else (KLAAR,)
    q = select(OutboxMessage.id).where(
        OutboxMessage.state.in_(states),
        OutboxMessage.digest_id.is_(None),
        # rows waiting for their daily digest never go alone
        or_(OutboxMessage.deliver_after.is_(None), OutboxMessage.soort.not_in(DIGEST_SOORTEN)),
        or_(OutboxMessage.deliver_after.is_(None), OutboxMessage.deliver_after <= now),
    )
    if not manual:
        q = q.where(
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
        )
    if ids is not None:
        expanded = set(ids)
        with scope() as s:
            expanded |= set(
                s.execute(
                    select(OutboxMessage.digest_id).where(
                        OutboxMessage.id.in_(list(ids)), OutboxMessage.digest_id.is_not(None)
                    )
                ).scalars()
            )
        q = q.where(OutboxMessage.id.in_(sorted(expanded)))
    with scope() as s:
        return list(s.execute(q.order_by(OutboxMessage.id)).scalars())


def send_due(
    source: SessionSource,
    *,
    now: dt.datetime | None = None,
    store: _SecretGetter | None = None,
    account: str,
    roles: frozenset[Role] | None = None,
    manual: bool = False,
    ids: Sequence[int] | None = None,
    smtp: mail.SmtpSettings | None = None,
    password: str | None = None,
) -> SendReport:
    """Send what is due; every row in its own transactions (see the module docstring).

    `manual=True` is a person's "send now" (``zsm-desk outbox send``, the
    Verzenden button): failed rows are included and the backoff is ignored;
    rows waiting for a daily digest still wait for its time. `ids` limits the
    run to these rows (a digest member means its digest). `roles=None` is the
    desk's own background retry of rows a person already released; with roles,
    rows of a kind the roles may not send are skipped. `smtp`/`password`
    override the configuration and the secret store (``smtp``) — for tests and
    the settings screen.
    """
    report = SendReport()
    scope = _session_scope(source)
    fixed = _now(now) if now is not None else None
    source_clock: Clock = source.clock if isinstance(source, Database) else SystemClock()

    def clock() -> dt.datetime:
        return fixed or source_clock.now()

    now = clock()
    load_plugins()
    if roles is not None and not any(allowed(roles, k.action) for k in _KINDS.values()):
        raise NotAllowed("geen recht om berichten te verzenden met uw rol(len)")
    report.dagoverzichten = _group_digests(scope, now, account)
    report.wacht_op_dagoverzicht = _waiting_for_digest(scope, now, ids)
    todo = _candidates(scope, now, manual, ids)
    if not todo:
        return report
    if roles is not None:
        with scope() as s:
            kinds = dict(
                s.execute(
                    select(OutboxMessage.id, OutboxMessage.soort).where(OutboxMessage.id.in_(todo))
                ).all()
            )
        for outbox_id in list(todo):
            soort = kinds.get(outbox_id, "")
            if soort in _KINDS and not allowed(roles, _KINDS[soort].action):
                todo.remove(outbox_id)
                report.overgeslagen.append(
                    SendResult(outbox_id, "", soort, "", "", "geen recht voor deze soort")
                )
        if not todo:
            return report
    with scope() as s:
        settings = load_settings(s)
    if smtp is None:
        smtp = smtp_settings(settings)
        if smtp is None:
            report.fout = "Geen mailserver ingesteld ([smtp] in de configuratie)."
            return report
    if password is None and smtp.gebruiker:
        try:
            password = (store or _default_store()).get("smtp")
        except Exception as exc:  # SecretStoreError: a Dutch sentence
            report.fout = f"Wachtwoord van de mailserver niet beschikbaar: {exc}"
            return report
        if not password:
            # A missing password is the desk's configuration, not the messages'
            # fault: they stay waiting instead of being marked failed.
            report.fout = (
                "Geen wachtwoord voor de mailserver: stel het in met 'zsm-desk secret set smtp'."
            )
            return report
    me = owner_id()
    transport = _Transport(smtp, password)
    try:
        for outbox_id in todo:
            _send_one(scope, outbox_id, clock=clock, settings=settings, transport=transport,
                      manual=manual, roles=roles, account=account, me=me, report=report)  # fmt: skip
    except _RunStopped as stop:
        # One refusal or time-out per run, not one per message.
        report.fout = f"Verzenden gestopt: {stop.error.reden} De overige berichten wachten."
    finally:
        transport.close()
    return report


class _Transport:
    """One SMTP session reused for the messages of a run (at most `MAX_PER_SESSION`).

    Uses the connection set-up and error classification of `services.mail`
    (TLS verification, loopback-only plain text, AUTH only when encrypted).
    After any error the session is dropped and the next message opens a new
    one; a failed message is never re-sent within the same run, so an
    ambiguous failure (connection lost after DATA) goes through the outbox's
    normal retry with the same Message-ID.
    """

    MAX_PER_SESSION = 100

    def __init__(self, smtp: mail.SmtpSettings, password: str | None) -> None:
        self.smtp = smtp
        self.password = password
        self.conn: Any = None
        self.used = 0

    def send(self, msg: EmailMessage) -> None:
        to_addr, from_addr = _addr(str(msg["To"] or "")), _addr(str(msg["From"] or ""))
        if not to_addr or not from_addr or not msg["Message-ID"]:
            raise mail.PermanentFailure("Bericht mist To, From of Message-ID.")
        if self.conn is None or self.used >= self.MAX_PER_SESSION:
            self.close()
            try:
                self.conn = mail.open_connection(self.smtp, self.password)
            except Exception as exc:
                err = mail.classify(exc, self.smtp)
                raise _RunStopped(err) if _stops_run(err, True) else err from exc
            self.used = 0
        try:
            self.conn.send_message(msg, from_addr=from_addr, to_addrs=[to_addr])
        except Exception as exc:
            self.close()
            err = mail.classify(exc, self.smtp)
            raise _RunStopped(err) if _stops_run(err, False) else err from exc
        self.used += 1

    def close(self) -> None:
        if self.conn is not None:
            conn, self.conn = self.conn, None
            mail.close(conn)


class _RunStopped(Exception):
    """The mail server itself is the problem (no connection, refused login, time-out):
    every further attempt in this run would fail the same way, so the run stops."""

    def __init__(self, error: mail.MailError) -> None:
        self.error = error
        super().__init__(error.reden)


def _stops_run(exc: mail.MailError, connecting: bool) -> bool:
    """Whether a failure is the server's, not the message's (issue 13: outbox).

    Anything while connecting or logging in (a wrong password, no route, a
    server that does not answer) and any time-out: the next message would meet
    the same; per-message refusals (a 550 for one recipient) are not."""
    return connecting or "time-out" in exc.reden


def _default_store() -> _SecretGetter:
    from zsm_desk.services.security.secrets import default_store

    return default_store()


def _result(row: OutboxMessage, state: str, reden: str = "") -> SendResult:
    return SendResult(row.id, row.ref, row.soort, row.vh_code, state, reden)


def _send_one(
    scope: Callable[[], contextlib.AbstractContextManager[Session]],
    outbox_id: int,
    *,
    clock: Callable[[], dt.datetime],
    settings: Settings,
    transport: _Transport,
    manual: bool,
    roles: frozenset[Role] | None,
    account: str,
    me: str,
    report: SendReport,
) -> None:
    states = (KLAAR, MISLUKT) if manual else (KLAAR,)
    now = clock()
    # 1. check, render and claim, committed before the first byte goes out
    with scope() as s:
        row = s.get(OutboxMessage, outbox_id)
        if row is None or row.state not in states or row.digest_id is not None:
            return
        if row.soort not in _KINDS:  # e.g. written by a newer version: leave it alone
            report.overgeslagen.append(_result(row, row.state, "onbekende berichtsoort"))
            return
        if roles is not None and not allowed(roles, _kind(row.soort).action):
            report.overgeslagen.append(_result(row, row.state, "geen recht voor deze soort"))
            return
        vh = settings.vh(row.vh_code)
        problem = ""
        if vh is None:
            problem = f"Veiligheidshuis {row.vh_code} staat niet meer in de adreslijst."
        elif not vh.beveiligde_mail and blocked_unsecured(s):
            problem = _blocked_note(vh)
        elif not vh.beveiligde_mail and not row.bevestigd_onbeveiligd:
            row.state, row.last_error = CONCEPT, _unsecured_note(vh)
            report.overgeslagen.append(_result(row, CONCEPT, row.last_error))
            return
        if vh is not None and not problem and row.mailbox != vh.mailbox:
            row.mailbox = vh.mailbox  # the directory changed since enqueue
            s.flush()
        msg: EmailMessage | None = None
        if not problem:
            try:
                msg = render(s, row, settings)
            except (OutboxError, ValueError, KeyError, TypeError) as exc:
                problem = f"Bericht kan niet worden opgesteld: {exc}"
        if problem:
            row.state, row.last_error, row.next_attempt_at = MISLUKT, problem[:500], None
            report.mislukt.append(_result(row, MISLUKT, row.last_error))
            return
        stale = now - dt.timedelta(seconds=LEASE_SECONDS)
        lease_ok = [OutboxMessage.sending_since.is_(None), OutboxMessage.sending_since < stale]
        if row.sending_since is not None and row.sending_by and owner_gone(row.sending_by):
            lease_ok.append(OutboxMessage.sending_by == row.sending_by)
        conn = s.connection()
        if conn.dialect.name == "postgresql":
            # The claim needs visibility to other desks, not durability: lost in a
            # database crash, the row is simply attempted again with the same
            # Message-ID, which the guarantee allows. Saves one fsync per message.
            conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        res = conn.execute(  # Core: the conditional UPDATE is the lock
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.state.in_(states),
                   OutboxMessage.digest_id.is_(None), or_(*lease_ok))
            .values(sending_since=now, sending_by=me, attempts=OutboxMessage.attempts + 1)
        )  # fmt: skip
        if res.rowcount != 1:
            s.rollback()
            report.overgeslagen.append(
                SendResult(outbox_id, "", "", "", KLAAR, "wordt al door een andere desk verzonden")
            )
            return
        info = (row.id, row.ref, row.soort, row.vh_code, row.item_id, row.message_id)
    assert msg is not None
    rid, ref, soort, vh_code, item_id, message_id = info

    # 2. the attempt, outside any transaction
    try:
        transport.send(msg)
    except _RunStopped as stop:
        # Not this message's fault: it stays klaar (retried later with the same
        # Message-ID), and the run stops here, so the others stay klaar untouched.
        with scope() as s:
            row = s.get(OutboxMessage, rid)
            if row is not None and row.state != VERZONDEN:
                row.sending_since, row.sending_by = None, ""
                row.state, row.last_error = KLAAR, stop.error.reden
                row.next_attempt_at = clock() + backoff(row.attempts)
                report.uitgesteld.append(_result(row, KLAAR, stop.error.reden))
        raise
    except mail.MailError as exc:
        permanent = isinstance(exc, mail.PermanentFailure)
        with scope() as s:
            row = s.get(OutboxMessage, rid)
            if row is None or row.state == VERZONDEN:
                return
            row.sending_since, row.sending_by, row.last_error = None, "", exc.reden
            if permanent:
                row.state, row.next_attempt_at = MISLUKT, None
                report.mislukt.append(_result(row, MISLUKT, exc.reden))
            else:
                row.state = KLAAR
                row.next_attempt_at = clock() + backoff(row.attempts)
                report.uitgesteld.append(_result(row, KLAAR, exc.reden))
        return

    # 3. the server accepted it: record that in a new transaction
    sent_at = clock()
    with scope() as s:
        s.connection().execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == rid, OutboxMessage.state != VERZONDEN)
            .values(state=VERZONDEN, sent_at=sent_at, sending_since=None, sending_by="",
                    last_error="", next_attempt_at=None)
        )  # fmt: skip
        members: list[OutboxMessage] = []
        if soort == SOORT_DIGEST:
            members = digest_members(s, rid)
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.digest_id == rid, OutboxMessage.state != VERZONDEN)
                .values(state=VERZONDEN, sent_at=sent_at, last_error="", next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
        audit.append(
            s, account, audit.SEND, item_id=item_id, purpose=f"{soort} verzonden",
            detail={"outbox_id": rid, "ref": ref, "soort": soort, "vh_code": vh_code,
                    "message_id": message_id, "via": "smtp"},
        )  # fmt: skip
        for m in members:
            audit.append(
                s, account, audit.SEND, item_id=m.item_id,
                purpose=f"{m.soort} verzonden in dagoverzicht",
                detail={"outbox_id": m.id, "ref": m.ref, "soort": m.soort, "vh_code": vh_code,
                        "dagoverzicht": ref, "message_id": message_id, "via": "smtp"},
            )  # fmt: skip
    report.verzonden.append(SendResult(rid, ref, soort, vh_code, VERZONDEN))


__all__ = [
    "BACKOFF_MINUTES",
    "CONCEPT",
    "HANDMATIG",
    "KLAAR",
    "LEASE_SECONDS",
    "MISLUKT",
    "SOORT_DIGEST",
    "STATES",
    "VERZONDEN",
    "OutboxError",
    "RenderRequest",
    "Renderer",
    "SendReport",
    "SendResult",
    "backoff",
    "compose_simple",
    "content_from_json",
    "enqueue",
    "export_eml",
    "list_messages",
    "mark_ready",
    "message_info",
    "next_digest_time",
    "preview",
    "purge_item_messages",
    "register_renderer",
    "render",
    "retry",
    "send_due",
    "set_toelichting",
    "smtp_settings",
    "waiting_count",
    "zsm_contact",
]


def send_background(
    db: Database, *, account: str, now: dt.datetime | None = None
) -> SendReport | None:
    """The desk's own sending, without anyone asking: retries and daily digests.

    Only rows a person already tried to send (a retry after a temporary
    failure, honouring the backoff) and digest members whose time has come. A
    fresh terugkoppeling waits for the user's "Verzenden", so a preview on
    screen is never overtaken by a timer. None when there is nothing to do or
    no mail server is configured.
    """
    now = _now(now, db.clock)
    with db.session() as s:
        ids = list(
            s.execute(
                select(OutboxMessage.id).where(
                    OutboxMessage.state == KLAAR,
                    or_(OutboxMessage.attempts > 0, OutboxMessage.deliver_after <= now),
                )
            ).scalars()
        )
        if not ids or smtp_settings(load_settings(s)) is None:
            return None
    return send_due(db, account=account, roles=None, ids=ids, now=now)
