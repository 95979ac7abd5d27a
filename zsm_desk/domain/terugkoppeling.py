"""The terugkoppeling message: content, JSON attachment and rendering (pure).

A `TerugkoppelingContent` is what one veiligheidshuis receives about one
decision (interfaces.md §4, pilots KV-5 and §9) or about one aanmelding of an
unknown, possibly complex suspect (KV-6). It is built from a decision and its
`FeedbackPlan` by `build_terugkoppeling` / `build_aanmelding`, which keep to the
privacy rules; the dataclass re-checks them, so content that breaks them cannot
exist:

* ``soort == "aanmelding"``: personal data, the reason and the screening
  criteria ticked, and the ZSM contact. No case content at all.
* ``beperkt`` (intake decision: sepot other than 01, Halt, reprimande): the
  person, the date of instroom, the decision (with its sepotcode) and the ZSM
  contact. No bvh/parketnummer, feit, voorwaarden, onderzoek, advice or
  motivation ("ingestroomd op ZSM + sepot"; the VH does not discuss the case).
* the BSN only when the VH itself supplied it (`vh_bsn`).
* no names of officials, no personal mailboxes: the contact is the ZSM desk.

JSON attachment (`TerugkoppelingContent.to_json_dict`), schema
``zsm-terugkoppeling/1``. Every key is always present; a value that does not
apply or is withheld is ``null``. Field names are stable:

==========================  ===========================================================
``schema``                  ``"zsm-terugkoppeling/1"``
``ref``                     unique reference, e.g. ``ZSM-MN-20261122-7F3A9C``
``soort``                   ``"terugkoppeling"`` or ``"aanmelding"``
``beperkt``                 true: intake decision, only instroom + beslissing shared
``vh_code``                 the receiving veiligheidshuis, e.g. ``VH-UTR``
``opgesteld_op``            timestamp the message was composed (ISO 8601, Europe/Amsterdam
                            with its offset: ``+01:00`` CET, ``+02:00`` CEST)
``persoon``                 ``{achternaam, voorvoegsel, voornamen, geboortedatum, bsn}``;
                            ``geboortedatum`` as in §1 (``00`` for unknown parts),
                            ``bsn`` null unless the VH supplied it
``bvh_nummer``              police registration number
``parketnummer``            OM case number
``ingestroomd_op``          date of instroom on ZSM (``YYYY-MM-DD``)
``feit``                    offence description
``beslissing``              ``{code, label, soort}``; ``soort`` is ``afdoening`` or
                            ``routering``
``sepotcode``               two digits, e.g. ``"02"``
``sepotcode_omschrijving``  its description, e.g. ``"onvoldoende wettig bewijs"``
``voorwaarden``             bijzondere voorwaarden / gedragsaanwijzing (free text)
``onderzoek``               ``{soort, gepland}``; ``soort`` is ``reclasseringsonderzoek``
                            (adults) or ``raadsonderzoek`` (minors), ``gepland`` bool
``advies_gevolgd``          ``ja`` / ``nee`` / ``deels`` / ``geen advies``
``motivering``              required motivation when ``nee`` or ``deels``
``toelichting``             short explanation
``besloten_op``             timestamp of the decision (ISO 8601, Europe/Amsterdam offset)
``advies_datum``            date of the VH advice the decision weighed (``YYYY-MM-DD``)
``advies_actualiteit``      its freshness then: ``actueel`` / ``minder zwaarwegend`` /
                            ``niet actueel`` (an old advice is still an advice)
``corrigeert``              ref of the earlier message this correction replaces
``aanmelding``              ``{reden, criteria: [str, ...]}`` (aanmelding only)
``zsm_contact``             ``{locatie, telefoon, mailbox}`` of the ZSM desk
==========================  ===========================================================

A daily digest attachment (`digest_json`) is a JSON array of these objects.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import secrets
import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any

from zsm_desk.domain.clock import local
from zsm_desk.domain.decisions import (
    DEFAULT_CODELIST,
    AdviesGevolgd,
    CodeList,
    Decision,
    FeedbackOutcome,
    FeedbackPlan,
    onderzoek_soort,
)
from zsm_desk.domain.records import InstroomItem, PartialDate

SCHEMA = "zsm-terugkoppeling/1"
SOORT_TERUGKOPPELING = "terugkoppeling"
SOORT_AANMELDING = "aanmelding"
SOORTEN = (SOORT_TERUGKOPPELING, SOORT_AANMELDING)
ONDERZOEK_SOORTEN = ("reclasseringsonderzoek", "raadsonderzoek")

REF_RE = re.compile(r"^ZSM-[A-Z0-9]{1,8}-\d{8}-[0-9A-F]{6}$")

#: Case fields: withheld in an aanmelding and in a `beperkt` terugkoppeling.
_CASE_FIELDS = (
    "bvh_nummer",
    "parketnummer",
    "feit",
    "voorwaarden",
    "onderzoek",
    "advies_gevolgd",
    "motivering",
    "toelichting",
    "advies_datum",
    "advies_actualiteit",
)
_DECISION_FIELDS = ("ingestroomd_op", "beslissing_code", "besloten_op", "sepotcode")


# --- value objects ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Persoon:
    achternaam: str
    voornamen: str
    geboortedatum: str  # ISO with 00 for unknown parts (interfaces.md §1)
    voorvoegsel: str = ""
    bsn: str | None = None  # only when the VH supplied it

    def naam(self) -> str:
        """Surname with prefix: `de Vries`."""
        return " ".join(p for p in (self.voorvoegsel, self.achternaam) if p)

    def geboortedatum_display(self) -> str:
        try:
            return PartialDate.parse(self.geboortedatum).display()
        except ValueError:
            return self.geboortedatum


@dataclass(frozen=True, slots=True)
class ZsmContact:
    """Who the VH can ask: the ZSM desk, never a personal mailbox."""

    locatie: str
    telefoon: str = ""
    mailbox: str = ""


@dataclass(frozen=True, slots=True)
class Onderzoek:
    soort: str  # reclasseringsonderzoek | raadsonderzoek
    gepland: bool


# --- the content -----------------------------------------------------------------------


def _aware(value: dt.datetime | None) -> bool:
    return value is None or (value.tzinfo is not None and value.utcoffset() is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class TerugkoppelingContent:
    """One message to one veiligheidshuis. See the module docstring for the rules."""

    ref: str
    soort: str
    vh_code: str
    persoon: Persoon
    zsm_contact: ZsmContact
    opgesteld_op: dt.datetime
    beperkt: bool = False
    bvh_nummer: str | None = None
    parketnummer: str | None = None
    ingestroomd_op: dt.date | None = None
    feit: str | None = None
    beslissing_code: str | None = None
    beslissing_label: str | None = None
    beslissing_soort: str | None = None  # afdoening | routering
    sepotcode: str | None = None
    sepotcode_omschrijving: str | None = None
    voorwaarden: str | None = None
    onderzoek: Onderzoek | None = None
    advies_gevolgd: str | None = None
    motivering: str | None = None
    toelichting: str | None = None
    besloten_op: dt.datetime | None = None
    aanmelding_reden: str | None = None
    screeningscriteria: tuple[str, ...] = ()
    #: Date of the VH advice the decision weighed, and its freshness then
    #: (``actueel`` / ``minder zwaarwegend`` / ``niet actueel``); full terugkoppeling only.
    advies_datum: dt.date | None = None
    advies_actualiteit: str | None = None
    #: The ref of the earlier message this one corrects (a correction).
    corrigeert: str | None = None

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError("Ongeldige terugkoppeling: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        p: list[str] = []
        if not REF_RE.match(self.ref):
            p.append(f"referentie {self.ref!r} ongeldig")
        if self.soort not in SOORTEN:
            p.append(f"soort {self.soort!r} onbekend")
        if not self.vh_code.strip():
            p.append("veiligheidshuis ontbreekt")
        if not _aware(self.opgesteld_op) or not _aware(self.besloten_op):
            p.append("tijdstip zonder tijdzone")
        if self.onderzoek is not None and self.onderzoek.soort not in ONDERZOEK_SOORTEN:
            p.append(f"onderzoek {self.onderzoek.soort!r} onbekend")
        if self.corrigeert is not None and not REF_RE.match(self.corrigeert):
            p.append(f"gecorrigeerde referentie {self.corrigeert!r} ongeldig")
        if self.advies_actualiteit is not None and self.advies_datum is None:
            p.append("actualiteit van het advies zonder adviesdatum")
        if self.advies_gevolgd is not None and self.advies_gevolgd not in set(AdviesGevolgd):
            p.append(f"advies gevolgd {self.advies_gevolgd!r} ongeldig")
        case_present = [f for f in _CASE_FIELDS if getattr(self, f) is not None]
        if self.soort == SOORT_AANMELDING:
            present = case_present + [
                f
                for f in (
                    *_DECISION_FIELDS,
                    "beslissing_label",
                    "beslissing_soort",
                    "sepotcode_omschrijving",
                )
                if getattr(self, f) is not None
            ]
            if present:
                p.append(f"een aanmelding bevat geen zaaksgegevens ({', '.join(present)})")
            if not (self.aanmelding_reden or "").strip():
                p.append("reden van aanmelding ontbreekt")
            if self.persoon.bsn is not None:
                p.append("een aanmelding bevat geen BSN (het veiligheidshuis kent de persoon niet)")
        elif self.soort == SOORT_TERUGKOPPELING:
            if self.aanmelding_reden is not None or self.screeningscriteria:
                p.append("aanmeldingsgegevens horen niet in een terugkoppeling")
            for f in ("beslissing_code", "beslissing_label", "besloten_op", "ingestroomd_op"):
                if getattr(self, f) is None:
                    p.append(f"{f} ontbreekt")
            if self.beperkt:
                if case_present:
                    p.append(
                        "een beperkte terugkoppeling bevat alleen instroom en beslissing "
                        f"({', '.join(case_present)})"
                    )
            else:
                for f in ("bvh_nummer", "feit", "advies_gevolgd", "onderzoek"):
                    if getattr(self, f) is None:
                        p.append(f"{f} ontbreekt")
                if (
                    self.advies_gevolgd in (AdviesGevolgd.NEE, AdviesGevolgd.DEELS)
                    and not (self.motivering or "").strip()
                ):
                    p.append("motivering ontbreekt bij afwijking van het advies")
        return p

    # --- machine-readable ---------------------------------------------------------

    def to_json_dict(self) -> dict[str, Any]:
        """The attachment object; field names in the module docstring."""
        per = self.persoon
        return {
            "schema": SCHEMA,
            "ref": self.ref,
            "soort": self.soort,
            "beperkt": self.beperkt,
            "vh_code": self.vh_code,
            "opgesteld_op": _iso(self.opgesteld_op),
            "persoon": {
                "achternaam": per.achternaam,
                "voorvoegsel": per.voorvoegsel,
                "voornamen": per.voornamen,
                "geboortedatum": per.geboortedatum,
                "bsn": per.bsn,
            },
            "bvh_nummer": self.bvh_nummer,
            "parketnummer": self.parketnummer,
            "ingestroomd_op": self.ingestroomd_op.isoformat() if self.ingestroomd_op else None,
            "feit": self.feit,
            "beslissing": (
                {
                    "code": self.beslissing_code,
                    "label": self.beslissing_label,
                    "soort": self.beslissing_soort,
                }
                if self.beslissing_code is not None
                else None
            ),
            "sepotcode": self.sepotcode,
            "sepotcode_omschrijving": self.sepotcode_omschrijving,
            "voorwaarden": self.voorwaarden,
            "onderzoek": (
                {"soort": self.onderzoek.soort, "gepland": self.onderzoek.gepland}
                if self.onderzoek is not None
                else None
            ),
            "advies_gevolgd": self.advies_gevolgd,
            "motivering": self.motivering,
            "toelichting": self.toelichting,
            "besloten_op": _iso(self.besloten_op) if self.besloten_op else None,
            "advies_datum": self.advies_datum.isoformat() if self.advies_datum else None,
            "advies_actualiteit": self.advies_actualiteit,
            "corrigeert": self.corrigeert,
            "aanmelding": (
                {"reden": self.aanmelding_reden, "criteria": list(self.screeningscriteria)}
                if self.soort == SOORT_AANMELDING
                else None
            ),
            "zsm_contact": {
                "locatie": self.zsm_contact.locatie,
                "telefoon": self.zsm_contact.telefoon,
                "mailbox": self.zsm_contact.mailbox,
            },
        }

    # --- human-readable -------------------------------------------------------------

    @property
    def titel(self) -> str:
        """Heading, also the mail subject: no personal data.

        ``ZSM-aanmelding {ref}`` for an aanmelding, ``ZSM-terugkoppeling {ref}``
        otherwise; a correction adds `` (correctie)``. `ref` is this message's
        own reference; the corrected one is in the body and in ``corrigeert``.
        """
        kind = "ZSM-aanmelding" if self.soort == SOORT_AANMELDING else "ZSM-terugkoppeling"
        return f"{kind} {self.ref}" + (" (correctie)" if self.corrigeert else "")

    def notice(self) -> str:
        """The notes shown above the table ('' when none applies)."""
        notes = []
        if self.corrigeert:
            notes.append(
                f"Correctie: dit bericht vervangt het eerdere bericht {self.corrigeert}. "
                "De gegevens in dat bericht vervallen; gebruik alleen dit bericht."
            )
        privacy = self._privacy_notice()
        if privacy:
            notes.append(privacy)
        return "\n".join(notes)

    def _privacy_notice(self) -> str:
        if self.soort == SOORT_AANMELDING:
            return (
                "Aanmelding: deze persoon is niet bekend bij het veiligheidshuis, maar "
                "mogelijk complex. Alleen persoonsgegevens en de reden van aanmelding "
                "worden gedeeld."
            )
        if self.beperkt:
            return (
                "Beslissing in de instroomfase: alleen het feit dat de persoon op ZSM is "
                "ingestroomd en de beslissing worden gedeeld. De zaak zelf wordt niet "
                "verder besproken in het veiligheidshuis."
            )
        return ""

    def rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Sections of (label, value) rows with Dutch labels, shared by text and HTML."""
        per = self.persoon
        persoon = [
            ("Naam", per.naam()),
            ("Voornamen", per.voornamen),
            ("Geboortedatum", per.geboortedatum_display()),
        ]
        if per.bsn:
            persoon.append(("BSN", per.bsn))
        sections: list[tuple[str, list[tuple[str, str]]]] = [("Persoonsgegevens", persoon)]

        if self.soort == SOORT_AANMELDING:
            aanm = [("Reden van aanmelding", self.aanmelding_reden or "")]
            if self.screeningscriteria:
                aanm.append(("Screeningscriteria", "\n".join(self.screeningscriteria)))
            aanm.append(("Opgesteld op", _ts(self.opgesteld_op)))
            sections.append(("Aanmelding mogelijk complexe zaak", aanm))
        else:
            zaak: list[tuple[str, str]] = []
            if self.bvh_nummer:
                zaak.append(("BVH-nummer", self.bvh_nummer))
            if self.parketnummer:
                zaak.append(("Parketnummer", self.parketnummer))
            if self.ingestroomd_op:
                zaak.append(("Ingestroomd op ZSM", self.ingestroomd_op.strftime("%d-%m-%Y")))
            if self.feit:
                zaak.append(("Feit", self.feit))
            sections.append(("Zaak", zaak))

            soort_label = (
                "Routeringsbeslissing"
                if self.beslissing_soort == "routering"
                else "Afdoeningsbeslissing"
            )
            besl = [(soort_label, self.beslissing_label or self.beslissing_code or "")]
            if self.sepotcode:
                oms = f" ({self.sepotcode_omschrijving})" if self.sepotcode_omschrijving else ""
                besl.append(("Sepotcode", f"{self.sepotcode}{oms}"))
            if self.voorwaarden:
                besl.append(("Bijzondere voorwaarden / gedragsaanwijzing", self.voorwaarden))
            if self.onderzoek is not None:
                naam = self.onderzoek.soort.capitalize()
                besl.append((f"{naam} opgedragen", "ja" if self.onderzoek.gepland else "nee"))
            if self.toelichting:
                besl.append(("Korte toelichting", self.toelichting))
            if self.besloten_op:
                besl.append(("Besloten op", _ts(self.besloten_op)))
            sections.append(("Beslissing", besl))

            if self.advies_gevolgd is not None:
                afwijking = {
                    AdviesGevolgd.JA: "nee",
                    AdviesGevolgd.NEE: "ja",
                    AdviesGevolgd.DEELS: "ja, deels",
                }.get(AdviesGevolgd(self.advies_gevolgd), "n.v.t. (geen advies)")
                adv = []
                if self.advies_datum is not None:
                    adv.append(("Advies", advies_text(self.advies_datum, self.advies_actualiteit)))
                adv += [
                    ("Advies veiligheidshuis gevolgd", self.advies_gevolgd),
                    ("Afwijking van PvA/advies", afwijking),
                ]
                if self.motivering:
                    adv.append(("Motivering", self.motivering))
                sections.append(("Advies veiligheidshuis", adv))

        contact = [("ZSM-locatie", self.zsm_contact.locatie)]
        if self.zsm_contact.telefoon:
            contact.append(("Telefoon", self.zsm_contact.telefoon))
        if self.zsm_contact.mailbox:
            contact.append(("E-mail", self.zsm_contact.mailbox))
        sections.append(("Contact voor vragen", contact))
        return [(title, rows) for title, rows in sections if rows]

    def render_text(self, aan: str = "") -> str:
        """Plain text; `aan`: the addressee line's name and mailbox (`aan_text`)."""
        return _text_block(self, aan) + _TEXT_FOOTER

    def render_html(self, aan: str = "") -> str:
        return _html_page(self.titel, _html_section(self, level=1, aan=aan))


# --- rendering helpers ----------------------------------------------------------------

_TEXT_FOOTER = (
    "\n--\nDit bericht is verstuurd door ZSM Desk aan de centrale mailbox van het "
    "veiligheidshuis.\nDe bijlage (JSON) bevat dezelfde gegevens voor import.\n"
)
_LABEL_WIDTH = 32


def _ts(value: dt.datetime) -> str:
    """Dutch date and time in Europe/Amsterdam, whatever zone `value` carries."""
    return local(value).strftime("%d-%m-%Y %H:%M")


def _iso(value: dt.datetime) -> str:
    """ISO 8601 in Europe/Amsterdam with its offset (+01:00 CET, +02:00 CEST)."""
    return local(value).isoformat(timespec="seconds")


def advies_text(datum: dt.date, actualiteit: str | None) -> str:
    """`advies van 30-11-2025 (niet actueel)`: the advice the decision weighed."""
    return f"advies van {datum.strftime('%d-%m-%Y')}" + (f" ({actualiteit})" if actualiteit else "")


def aan_text(vh_naam: str, mailbox: str) -> str:
    """The addressee as the VH reads it: `Veiligheidshuis Regio Utrecht <centraal@…>`."""
    naam = " ".join(vh_naam.split())
    return f"{naam} <{mailbox}>" if naam and mailbox else naam or mailbox


def _aan(c: TerugkoppelingContent, aan: str) -> str:
    return f"Aan: {aan}" if aan else f"Aan: veiligheidshuis {c.vh_code}"


def _text_block(c: TerugkoppelingContent, aan: str = "") -> str:
    lines = [c.titel, "=" * len(c.titel), _aan(c, aan), ""]
    note = c.notice()
    if note:
        lines += [note, ""]
    for title, rows in c.rows():
        lines.append(title)
        lines.append("-" * len(title))
        for label, value in rows:
            vlines = value.splitlines() or [""]
            head = f"{label}:"
            if len(head) >= _LABEL_WIDTH:
                lines.append(head)
                lines.extend(" " * _LABEL_WIDTH + v for v in vlines)
            else:
                lines.append(head.ljust(_LABEL_WIDTH) + vlines[0])
                lines.extend(" " * _LABEL_WIDTH + v for v in vlines[1:])
        lines.append("")
    return "\n".join(lines)


def _esc(value: str) -> str:
    return "<br>\n".join(html.escape(line, quote=True) for line in value.splitlines())


_CSS_TH = "text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:normal;color:#555"
_CSS_TD = "vertical-align:top;padding:4px 0"
_CSS_SEC = "text-align:left;padding:12px 0 4px 0;border-bottom:1px solid #ccc;font-size:15px"


def _html_section(c: TerugkoppelingContent, level: int, aan: str = "") -> str:
    h = f"h{level}"
    parts = [
        f'<{h} style="font-size:{20 - 2 * level}px">{_esc(c.titel)}</{h}>',
        f"<p>{_esc(_aan(c, aan))}</p>",
    ]
    note = c.notice()
    if note:
        parts.append(
            '<p style="background:#fff4d6;padding:6px 8px;border-left:3px solid #d9a400">'
            f"{_esc(note)}</p>"
        )
    parts.append('<table style="border-collapse:collapse;max-width:720px">')
    for title, rows in c.rows():
        parts.append(f'<tr><th colspan="2" style="{_CSS_SEC}">{_esc(title)}</th></tr>')
        for label, value in rows:
            parts.append(
                f'<tr><th scope="row" style="{_CSS_TH}">{_esc(label)}</th>'
                f'<td style="{_CSS_TD}">{_esc(value)}</td></tr>'
            )
    parts.append("</table>")
    return "\n".join(parts)


def _html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n</head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">\n'
        f"{body}\n"
        '<p style="color:#777;font-size:12px">Verstuurd door ZSM Desk aan de centrale '
        "mailbox van het veiligheidshuis. De JSON-bijlage bevat dezelfde gegevens.</p>\n"
        "</body>\n</html>\n"
    )


# --- digest ----------------------------------------------------------------------------


def _check_digest(contents: Sequence[TerugkoppelingContent]) -> str:
    if not contents:
        raise ValueError("Een dagoverzicht zonder berichten kan niet worden opgesteld.")
    codes = {c.vh_code for c in contents}
    if len(codes) != 1:
        raise ValueError("Een dagoverzicht gaat naar één veiligheidshuis.")
    refs = [c.ref for c in contents]
    if len(set(refs)) != len(refs):
        raise ValueError("Een dagoverzicht bevat elke referentie één keer.")
    return codes.pop()


def digest_title(vh_code: str, datum: dt.date) -> str:
    """Heading and mail subject of a daily digest: no personal data."""
    return f"ZSM-terugkoppeling dagoverzicht {vh_code} {datum.isoformat()}"


def render_digest_text(
    contents: Sequence[TerugkoppelingContent], datum: dt.date, aan: str = ""
) -> str:
    vh_code = _check_digest(contents)
    title = digest_title(vh_code, datum)
    out = [title, "#" * len(title), f"Aantal berichten: {len(contents)}", ""]
    for i, c in enumerate(contents, start=1):
        out.append(f"[{i}/{len(contents)}]")
        out.append(_text_block(c, aan))
    return "\n".join(out) + _TEXT_FOOTER


def render_digest_html(
    contents: Sequence[TerugkoppelingContent], datum: dt.date, aan: str = ""
) -> str:
    vh_code = _check_digest(contents)
    title = digest_title(vh_code, datum)
    body = [
        f'<h1 style="font-size:20px">{_esc(title)}</h1>',
        f"<p>Aantal berichten: {len(contents)}</p>",
    ]
    for c in contents:
        body.append('<hr style="border:0;border-top:2px solid #888;margin:20px 0">')
        body.append(f"<section>\n{_html_section(c, level=2, aan=aan)}\n</section>")
    return _html_page(title, "\n".join(body))


def digest_json(contents: Sequence[TerugkoppelingContent]) -> list[dict[str, Any]]:
    _check_digest(contents)
    return [c.to_json_dict() for c in contents]


# --- references ------------------------------------------------------------------------


def locatie_code(zsm_locatie: str) -> str:
    """Short code of a ZSM location for references: `ZSM Midden-Nederland` → `MN`.

    Initials of the words after "ZSM" (split on spaces and hyphens); a single
    word gives its first three letters (`ZSM Amsterdam` → `AMS`).
    """
    ascii_text = unicodedata.normalize("NFKD", zsm_locatie).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[\s\-/]+", ascii_text) if re.search(r"[A-Za-z0-9]", w)]
    if words and words[0].upper() == "ZSM":
        words = words[1:]
    words = [re.sub(r"[^A-Za-z0-9]", "", w) for w in words]
    words = [w for w in words if w]
    if not words:
        return "X"
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words).upper()[:8]


def make_ref(
    locatie: str,
    when: dt.date,
    *,
    token: str | None = None,
    taken: Container[str] = (),
) -> str:
    """A unique message reference `ZSM-{locatie}-{YYYYMMDD}-{6 hex}`; no personal data.

    `locatie` is a short code (`MN`) or a location name (`ZSM Midden-Nederland`,
    shortened with `locatie_code`). The suffix is random (24 bits); `taken`
    (e.g. the outbox's refs of the day) is avoided. `token` fixes the suffix
    for tests.
    """
    code = locatie if re.fullmatch(r"[A-Z0-9]{1,8}", locatie) else locatie_code(locatie)
    day = when.strftime("%Y%m%d")
    for _ in range(100):
        suffix = (token or secrets.token_hex(3)).upper()
        ref = f"ZSM-{code}-{day}-{suffix}"
        if not REF_RE.match(ref):
            raise ValueError(f"ongeldige referentie {ref!r}")
        if ref not in taken:
            return ref
        if token is not None:
            break
    raise ValueError("Geen vrije referentie gevonden.")


# --- builders ----------------------------------------------------------------------------


def _persoon(item: InstroomItem, bsn: str | None) -> Persoon:
    ident = item.identity
    return Persoon(
        achternaam=ident.achternaam,
        voorvoegsel=ident.voorvoegsel,
        voornamen=ident.voornamen,
        geboortedatum=ident.geboortedatum,
        bsn=bsn.strip() if bsn and bsn.strip() else None,
    )


def _opt(text: str) -> str | None:
    return text.strip() if text and text.strip() else None


def build_terugkoppeling(
    decision: Decision,
    item: InstroomItem,
    plan: FeedbackPlan,
    *,
    vh_code: str,
    ref: str,
    zsm_contact: ZsmContact,
    is_minor: bool,
    opgesteld_op: dt.datetime,
    vh_bsn: str | None = None,
    codelist: CodeList = DEFAULT_CODELIST,
    advies_datum: dt.date | None = None,
    advies_actualiteit: str | None = None,
    corrigeert: str | None = None,
) -> TerugkoppelingContent:
    """The message for one recipient of a ``terugkoppeling`` plan.

    `vh_bsn`: the BSN as this VH supplied it in its register (None: no BSN in
    the message). With ``plan.beperkt`` only instroom and decision go in.
    """
    if plan.outcome != FeedbackOutcome.TERUGKOPPELING:
        raise ValueError(f"Plan '{plan.outcome}' levert geen terugkoppeling op.")
    if vh_code not in plan.ontvangers:
        raise ValueError(f"{vh_code} is geen ontvanger volgens het plan.")
    d = codelist[decision.beslissing]
    sepotcode = _opt(decision.sepotcode)
    common: dict[str, Any] = {
        "ref": ref,
        "soort": SOORT_TERUGKOPPELING,
        "vh_code": vh_code,
        "persoon": _persoon(item, vh_bsn),
        "zsm_contact": zsm_contact,
        "opgesteld_op": opgesteld_op,
        "beperkt": plan.beperkt,
        "ingestroomd_op": item.ingestroomd_op.date(),
        "beslissing_code": d.code,
        "beslissing_label": d.label,
        "beslissing_soort": str(d.soort),
        "sepotcode": sepotcode,
        "sepotcode_omschrijving": codelist.sepotcode_label(sepotcode) if sepotcode else None,
        "besloten_op": decision.besloten_op,
        "corrigeert": corrigeert,
    }
    if plan.beperkt:
        return TerugkoppelingContent(**common)
    return TerugkoppelingContent(
        **common,
        bvh_nummer=item.bvh_nummer,
        parketnummer=_opt(item.parketnummer),
        feit=item.feit,
        voorwaarden=_opt(decision.voorwaarden),
        onderzoek=Onderzoek(onderzoek_soort(is_minor), decision.onderzoek_gepland),
        advies_gevolgd=str(AdviesGevolgd(decision.advies_gevolgd)),
        motivering=_opt(decision.motivering),
        toelichting=_opt(decision.toelichting),
        advies_datum=advies_datum,
        advies_actualiteit=advies_actualiteit if advies_datum else None,
    )


def build_aanmelding(
    item: InstroomItem,
    plan: FeedbackPlan,
    *,
    ref: str,
    zsm_contact: ZsmContact,
    reden: str,
    criteria: Sequence[str],
    opgesteld_op: dt.datetime,
    corrigeert: str | None = None,
) -> TerugkoppelingContent:
    """The aanmelding of an unknown, possibly complex suspect: personal data only.

    No BSN: the VH does not know the person, so it cannot have supplied one.
    """
    if plan.outcome != FeedbackOutcome.AANMELDING or len(plan.ontvangers) != 1:
        raise ValueError(f"Plan '{plan.outcome}' levert geen aanmelding op.")
    return TerugkoppelingContent(
        ref=ref,
        soort=SOORT_AANMELDING,
        vh_code=plan.ontvangers[0],
        persoon=_persoon(item, None),
        zsm_contact=zsm_contact,
        opgesteld_op=opgesteld_op,
        beperkt=True,
        aanmelding_reden=reden.strip(),
        screeningscriteria=tuple(c.strip() for c in criteria if c.strip()),
        corrigeert=corrigeert,
    )


__all__ = [
    "REF_RE",
    "SCHEMA",
    "SOORT_AANMELDING",
    "SOORT_TERUGKOPPELING",
    "Onderzoek",
    "Persoon",
    "TerugkoppelingContent",
    "ZsmContact",
    "aan_text",
    "advies_text",
    "build_aanmelding",
    "build_terugkoppeling",
    "digest_json",
    "digest_title",
    "locatie_code",
    "make_ref",
    "render_digest_html",
    "render_digest_text",
]
