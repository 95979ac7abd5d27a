"""Advies op aanvraag: the question to a veiligheidshuis, its state and its mail (pure).

Background-pilots KV-3/KV-4 and Q8: ZSM asks a VH for a concrete advice on one
suspect ("ZSM HG voor advies" in ZWB, with a case sketch), the VH answers
within a pre-agreed term, and the KPC guards that term and makes sure the case
is decided on time, if need be **without** advice. No I/O here; the service
(`services.adviesvragen`) stores, sends and audits.

State of a question (:func:`derive_state`)
------------------------------------------
Derived, never typed in, from the question's own facts and the state of its
outbox message, in this order:

====================== ==================================================================
``beantwoord``          an answer is registered
``besloten zonder       the case was decided without the advice (reason recorded)
advies``
``concept``             no outbox message yet, or the message is still a concept
``wacht op verzending`` the message is queued (``klaar``) but not sent yet
``verzending mislukt``  the outbox gave up for now (``mislukt``); the desk must act
``verzonden``           the outbox sent the mail (or saved it as ``.eml`` for the
                        user's own mail program, ``handmatig``); the term is running
====================== ==================================================================

An outbox ``concept`` is a mail to a VH without secure mail that waits for the
user's explicit confirmation; ``klaar`` after a temporary failure keeps its
last error, which the list shows.

When the term starts (:func:`termijn_start`)
--------------------------------------------
The term counts from the moment the question **was actually sent**, not from
when someone typed it: a question whose mail failed is not silently running
out. The service stores ``gesteld_op`` (the moment the question counts as
asked: "now" or an explicit ``--per``) and the deadline is

    ``compute_deadline(termijn, max(gesteld_op, verzonden_op), office_hours=VH)``

``max`` because an explicit ``--per`` later than the actual send wins (the user
said when the question counts as asked) while a mail that left late (retries)
moves the term along with it. Until the mail is sent the stored deadline is
*provisional* ("if it were sent at ``gesteld_op``") and the screen says
"termijn loopt nog niet". A custom ISO deadline is an agreed moment and does
not move.

Mail (:class:`AdviesvraagContent`)
----------------------------------
``text/plain`` + ``text/html`` + a JSON attachment (schema
``zsm-adviesvraag/1``). The subject carries no personal data:
``ZSM-adviesvraag {ref}``; the case sketch with the person is in the body,
which goes only to the VH's central mailbox from the directory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from zsm_desk.domain.deadlines import (
    AMSTERDAM,
    PRESET_LABELS,
    DeadlineState,
    OfficeHours,
    Preset,
    _zone,
    compute_deadline,
    deadline_state,
    format_remaining,
)
from zsm_desk.domain.freshness import Freshness
from zsm_desk.domain.records import InstroomItem
from zsm_desk.domain.terugkoppeling import (
    Persoon,
    ZsmContact,
    _esc,
    _html_page,
    _persoon,
)

SCHEMA = "zsm-adviesvraag/1"
SOORT = "adviesvraag"
#: The ZWB subject line (KV-4); kept as the heading inside the body, never as subject.
ZWB_KOP = "ZSM HG voor advies"

VIA_TELEFOON = "telefoon"
VIA_MAIL = "mail"
VIA = (VIA_TELEFOON, VIA_MAIL)

AANLEIDING_VRAAG = ""
AANLEIDING_ACTUALISATIE = "actualisatie"

NIET_GESTART = "termijn loopt nog niet"


class AdviesvraagState(StrEnum):
    CONCEPT = "concept"
    WACHT = "wacht op verzending"
    VERZONDEN = "verzonden"
    MISLUKT = "verzending mislukt"
    BEANTWOORD = "beantwoord"
    ZONDER_ADVIES = "besloten zonder advies"

    @property
    def open(self) -> bool:
        """Still waiting for the VH or for the desk (not answered, not decided)."""
        return self not in (AdviesvraagState.BEANTWOORD, AdviesvraagState.ZONDER_ADVIES)


#: Outbox state → question state (outbox.py: concept/klaar/verzonden/mislukt/handmatig).
_OUTBOX_STATES: Mapping[str, AdviesvraagState] = {
    "concept": AdviesvraagState.CONCEPT,
    "klaar": AdviesvraagState.WACHT,
    "verzonden": AdviesvraagState.VERZONDEN,
    "mislukt": AdviesvraagState.MISLUKT,
    # Saved as .eml for the user's own mail program: the user sends it at once;
    # the term counts from the export (outbox `sent_at`).
    "handmatig": AdviesvraagState.VERZONDEN,
}


def derive_state(
    outbox_state: str | None, *, beantwoord: bool, zonder_advies: bool
) -> AdviesvraagState:
    """The question's state; see the module docstring. Unknown outbox states
    (a newer outbox version) count as "wacht op verzending", never as sent."""
    if beantwoord:
        return AdviesvraagState.BEANTWOORD
    if zonder_advies:
        return AdviesvraagState.ZONDER_ADVIES
    if outbox_state is None:
        return AdviesvraagState.CONCEPT
    return _OUTBOX_STATES.get(outbox_state, AdviesvraagState.WACHT)


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------


def termijn_label(termijn: str, tz: str | dt.tzinfo = AMSTERDAM) -> str:
    """``"volgende werkdag 13:00"`` for a preset, ``"uiterlijk 14-05-2026 13:00"`` otherwise."""
    try:
        return PRESET_LABELS[Preset(termijn.strip().lower())]
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(termijn.strip())
    except ValueError:
        return termijn
    if moment.tzinfo is not None:
        moment = moment.astimezone(_zone(tz))
    return f"uiterlijk {moment:%d-%m-%Y %H:%M}"


def is_preset(termijn: str) -> bool:
    try:
        Preset(termijn.strip().lower())
    except ValueError:
        return False
    return True


def termijn_start(gesteld_op: dt.datetime, verzonden_op: dt.datetime | None) -> dt.datetime | None:
    """The moment the term counts from, or None while the mail has not been sent."""
    if verzonden_op is None:
        return None
    return max(gesteld_op, verzonden_op, key=lambda m: m.astimezone(dt.UTC))


def bereken_deadline(
    termijn: str,
    gesteld_op: dt.datetime,
    verzonden_op: dt.datetime | None,
    office_hours: OfficeHours | str | None,
    tz: str | dt.tzinfo = AMSTERDAM,
) -> dt.datetime:
    """The deadline to store: from :func:`termijn_start`, provisional from ``gesteld_op``.

    A custom ISO deadline is fixed: it is validated against ``gesteld_op`` only
    (a mail that leaves late does not move an agreed moment).
    """
    start = termijn_start(gesteld_op, verzonden_op) or gesteld_op
    if not is_preset(termijn):
        start = gesteld_op
    return compute_deadline(termijn, start, tz, office_hours=office_hours)


@dataclass(frozen=True, slots=True)
class Termijnstand:
    """What the list shows about a question's term."""

    loopt: bool  # False: not sent yet, or the question is closed
    state: DeadlineState | None  # ok / bijna / verlopen while running
    tekst: str  # "nog 3 u 10 min", "2 u te laat", "termijn loopt nog niet", "beantwoord"
    resterend: dt.timedelta | None

    @property
    def verlopen(self) -> bool:
        return self.state is DeadlineState.VERLOPEN


def termijnstand(state: AdviesvraagState, deadline: dt.datetime, now: dt.datetime) -> Termijnstand:
    """The countdown of a question: only a sent, open question has a running term."""
    if not state.open:
        return Termijnstand(False, None, str(state), None)
    if state is not AdviesvraagState.VERZONDEN:
        return Termijnstand(False, None, NIET_GESTART, None)
    ds, remaining = deadline_state(deadline, now)
    return Termijnstand(True, ds, format_remaining(remaining), remaining)


# ---------------------------------------------------------------------------
# Prepared texts
# ---------------------------------------------------------------------------


def casusschets(item: InstroomItem) -> str:
    """The case sketch filled from the queue item (KV-4: mail "with a case sketch").

    Person, date of birth, offence, moment of instroom, BVH- and parketnummer.
    Plain text; the user may edit it before sending.
    """
    per = _persoon(item, None)
    ident = item.identity
    ingestroomd = item.ingestroomd_op.astimezone(_zone(AMSTERDAM))
    regels = [
        f"Persoon:          {ident.display_name()}",
        f"Geboortedatum:    {per.geboortedatum_display()}",
    ]
    if item.woonplaats:
        regels.append(f"Woonplaats:       {item.woonplaats}")
    regels += [
        f"Feit:             {item.feit}",
        f"Ingestroomd ZSM:  {ingestroomd:%d-%m-%Y %H:%M}",
        f"BVH-nummer:       {item.bvh_nummer}",
    ]
    if item.parketnummer:
        regels.append(f"Parketnummer:     {item.parketnummer}")
    return "\n".join(regels)


def actualisatievraag(advies_datum: dt.date, niveau: Freshness, maanden: int | None = None) -> str:
    """The prepared question of a refresh request (KV-3, Q1).

    Only for an advice that is "minder zwaarwegend" or "niet actueel";
    ValueError for a current advice.
    """
    if niveau is Freshness.ACTUEEL:
        raise ValueError(
            "Het advies is actueel (jonger dan 6 maanden); een actualisatie is niet nodig."
        )
    ouderdom = f", {maanden} maanden oud" if maanden is not None else ""
    return (
        f"Graag een actueel advies; het huidige advies dateert van {advies_datum:%d-%m-%Y} "
        f"({niveau}{ouderdom}). Is het plan van aanpak nog actueel en wat adviseert u "
        "voor de afdoening van deze zaak?"
    )


# ---------------------------------------------------------------------------
# The mail
# ---------------------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _ts(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return f"{moment.astimezone(tz):%d-%m-%Y %H:%M}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AdviesvraagContent:
    """One question to one VH's central mailbox. Build with :func:`build_content`."""

    ref: str
    vh_code: str
    vh_naam: str
    persoon: Persoon
    bvh_nummer: str
    parketnummer: str
    ingestroomd_op: dt.datetime
    feit: str
    vraag: str
    casusschets: str
    termijn: str
    deadline: dt.datetime  # as it applies when the mail leaves
    bereikbaarheid: str  # OfficeHours.describe() of the VH
    zsm_contact: ZsmContact
    opgesteld_op: dt.datetime
    aanleiding: str = AANLEIDING_VRAAG
    tz: dt.tzinfo = dt.UTC

    def __post_init__(self) -> None:
        problems = []
        if not self.ref.strip():
            problems.append("referentie ontbreekt")
        if not self.vraag.strip():
            problems.append("de vraag is leeg")
        for naam in ("ingestroomd_op", "deadline", "opgesteld_op"):
            waarde: dt.datetime = getattr(self, naam)
            if waarde.tzinfo is None or waarde.utcoffset() is None:
                problems.append(f"{naam} zonder tijdzone")
        if problems:
            raise ValueError("Ongeldige adviesvraag: " + "; ".join(problems))

    @property
    def titel(self) -> str:
        """Heading and mail subject: no personal data."""
        return f"ZSM-adviesvraag {self.ref}"

    def to_json_dict(self) -> dict[str, Any]:
        per = self.persoon
        return {
            "schema": SCHEMA,
            "ref": self.ref,
            "soort": SOORT,
            "aanleiding": self.aanleiding or "vraag",
            "vh_code": self.vh_code,
            "vh_naam": self.vh_naam,
            "opgesteld_op": _iso(self.opgesteld_op),
            "persoon": {
                "achternaam": per.achternaam,
                "voorvoegsel": per.voorvoegsel,
                "voornamen": per.voornamen,
                "geboortedatum": per.geboortedatum,
            },
            "bvh_nummer": self.bvh_nummer,
            "parketnummer": self.parketnummer or None,
            "ingestroomd_op": _iso(self.ingestroomd_op),
            "feit": self.feit,
            "vraag": self.vraag,
            "casusschets": self.casusschets,
            "termijn": {
                "code": self.termijn,
                "label": termijn_label(self.termijn, self.tz),
                "deadline": _iso(self.deadline.astimezone(self.tz)),
                "bereikbaarheid": self.bereikbaarheid,
            },
            "zsm_contact": {
                "locatie": self.zsm_contact.locatie,
                "telefoon": self.zsm_contact.telefoon,
                "mailbox": self.zsm_contact.mailbox,
            },
        }

    def rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        vraag = [("Vraag", self.vraag)]
        if self.aanleiding == AANLEIDING_ACTUALISATIE:
            vraag.insert(0, ("Aanleiding", "actualisatie van een verouderd advies"))
        termijn = [
            ("Graag uw advies vóór", _ts(self.deadline, self.tz)),
            ("Afgesproken termijn", termijn_label(self.termijn, self.tz)),
            ("Gerekend met bereikbaarheid", self.bereikbaarheid),
        ]
        contact = [("ZSM-locatie", self.zsm_contact.locatie)]
        if self.zsm_contact.telefoon:
            contact.append(("Telefoon", self.zsm_contact.telefoon))
        if self.zsm_contact.mailbox:
            contact.append(("E-mail", self.zsm_contact.mailbox))
        contact.append(("Referentie", self.ref))
        return [
            ("Adviesvraag", vraag),
            ("Casusschets", [("", self.casusschets)]),
            ("Termijn", termijn),
            ("Advies graag aan", contact),
        ]

    def _intro(self) -> str:
        return (
            f"{ZWB_KOP}. Graag ontvangen wij van {self.vh_naam} een concreet advies over de "
            "afdoening of routering van deze zaak, met de redenen. Het ZSM-team beslist ook "
            "als het advies niet op tijd binnen is."
        )

    def render_text(self) -> str:
        lines = [self.titel, "=" * len(self.titel), f"Aan: {self.vh_naam} ({self.vh_code})", ""]
        lines += [self._intro(), ""]
        for title, rows in self.rows():
            lines += [title, "-" * len(title)]
            for label, value in rows:
                if not label:
                    lines.extend(value.splitlines())
                    continue
                vlines = value.splitlines() or [""]
                lines.append(f"{label + ':':<24}{vlines[0]}")
                lines.extend(" " * 24 + v for v in vlines[1:])
            lines.append("")
        lines += [
            "--",
            "Dit bericht is verstuurd door ZSM Desk aan de centrale mailbox van het "
            "veiligheidshuis.",
            "De bijlage (JSON) bevat dezelfde gegevens voor import.",
        ]
        return "\n".join(lines) + "\n"

    def render_html(self) -> str:
        parts = [
            f'<h1 style="font-size:18px">{_esc(self.titel)}</h1>',
            f"<p>Aan: {_esc(self.vh_naam)} ({_esc(self.vh_code)})</p>",
            f"<p>{_esc(self._intro())}</p>",
            '<table style="border-collapse:collapse;max-width:720px">',
        ]
        th = "text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:normal;color:#555"
        sec = "text-align:left;padding:12px 0 4px 0;border-bottom:1px solid #ccc;font-size:15px"
        for title, rows in self.rows():
            parts.append(f'<tr><th colspan="2" style="{sec}">{_esc(title)}</th></tr>')
            for label, value in rows:
                if not label:
                    parts.append(
                        '<tr><td colspan="2" style="padding:4px 0;font-family:monospace;'
                        f'white-space:pre-wrap">{_esc(value)}</td></tr>'
                    )
                    continue
                parts.append(
                    f'<tr><th scope="row" style="{th}">{_esc(label)}</th>'
                    f'<td style="vertical-align:top;padding:4px 0">{_esc(value)}</td></tr>'
                )
        parts.append("</table>")
        return _html_page(self.titel, "\n".join(parts))


def content_from_json(d: Mapping[str, Any], tz: str | dt.tzinfo = AMSTERDAM) -> AdviesvraagContent:
    """Inverse of :meth:`AdviesvraagContent.to_json_dict` (the outbox renders from it)."""
    per = d["persoon"]
    termijn = d["termijn"]
    contact = d["zsm_contact"]
    aanleiding = d.get("aanleiding") or "vraag"
    return AdviesvraagContent(
        ref=d["ref"],
        vh_code=d["vh_code"],
        vh_naam=d.get("vh_naam") or d["vh_code"],
        persoon=Persoon(
            achternaam=per["achternaam"],
            voorvoegsel=per.get("voorvoegsel") or "",
            voornamen=per["voornamen"],
            geboortedatum=per["geboortedatum"],
        ),
        bvh_nummer=d["bvh_nummer"],
        parketnummer=d.get("parketnummer") or "",
        ingestroomd_op=dt.datetime.fromisoformat(d["ingestroomd_op"]),
        feit=d["feit"],
        vraag=d["vraag"],
        casusschets=d["casusschets"],
        termijn=termijn["code"],
        deadline=dt.datetime.fromisoformat(termijn["deadline"]),
        bereikbaarheid=termijn.get("bereikbaarheid") or "",
        zsm_contact=ZsmContact(
            contact["locatie"], contact.get("telefoon") or "", contact.get("mailbox") or ""
        ),
        opgesteld_op=dt.datetime.fromisoformat(d["opgesteld_op"]),
        aanleiding="" if aanleiding == "vraag" else aanleiding,
        tz=_zone(tz),
    )


def build_content(
    item: InstroomItem,
    *,
    ref: str,
    vh_code: str,
    vh_naam: str,
    vraag: str,
    casusschets_tekst: str | None,
    termijn: str,
    deadline: dt.datetime,
    office_hours: OfficeHours,
    zsm_contact: ZsmContact,
    opgesteld_op: dt.datetime,
    aanleiding: str = AANLEIDING_VRAAG,
) -> AdviesvraagContent:
    """The mail content; the sketch defaults to :func:`casusschets` of the item."""
    schets = casusschets_tekst if casusschets_tekst and casusschets_tekst.strip() else None
    return AdviesvraagContent(
        ref=ref,
        vh_code=vh_code,
        vh_naam=vh_naam or vh_code,
        persoon=_persoon(item, None),
        bvh_nummer=item.bvh_nummer,
        parketnummer=item.parketnummer,
        ingestroomd_op=item.ingestroomd_op,
        feit=item.feit,
        vraag=vraag.strip(),
        casusschets=schets or casusschets(item),
        termijn=termijn,
        deadline=deadline,
        bereikbaarheid=office_hours.describe(),
        zsm_contact=zsm_contact,
        opgesteld_op=opgesteld_op,
        aanleiding=aanleiding,
        tz=office_hours.tz,
    )


__all__ = [
    "SCHEMA",
    "VIA",
    "AdviesvraagContent",
    "AdviesvraagState",
    "Termijnstand",
    "actualisatievraag",
    "bereken_deadline",
    "build_content",
    "casusschets",
    "content_from_json",
    "derive_state",
    "is_preset",
    "termijn_label",
    "termijn_start",
    "termijnstand",
]
