"""The detail pane's HTML for one suspect, from a `CaseDetail` (plain data)."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from zsm_desk.domain.freshness import Freshness
from zsm_desk.domain.printsheet import (
    NOT_KNOWN_TEXT,
    NOT_KNOWN_TITLE,
    Visibility,
    parse_hg_historie,
)
from zsm_desk.domain.records import PartialDate
from zsm_desk.services.registers.vh_info import CaseDetail
from zsm_desk.ui import theme
from zsm_desk.ui.theme import State

TZ = ZoneInfo("Europe/Amsterdam")
MISSING = "—"
NO_VH_INFO_TITLE = "Geen VH-informatie"
NO_VH_INFO_TEXT = (
    "Uw account heeft geen rol die VH-informatie toont; of deze verdachte bij een "
    "veiligheidshuis bekend is, wordt daarom niet getoond."
)

_FRESH_STATES = {
    Freshness.ACTUEEL: State.FRESH,
    Freshness.MINDER_ZWAARWEGEND: State.AGING,
    Freshness.NIET_ACTUEEL: State.OLD,
}


def _t(text: str | None) -> str:
    """Escape and keep line breaks, so `<`, `&` and newlines show as written."""
    if not text or not text.strip():
        return MISSING
    return escape(text.strip()).replace("\n", "<br>")


def _when(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(TZ).strftime("%d-%m-%Y %H:%M")
    return MISSING


def render(detail: CaseDetail) -> str:
    item = detail.sheet.item
    ident = detail.identity
    view = detail.view
    try:
        born = PartialDate.parse(ident.geboortedatum).display()
    except ValueError:
        born = ident.geboortedatum
    age = f"{view.age} jaar" if view.age is not None else "leeftijd onbekend"
    minor = f" · <b style='color:{theme.hex_fg(State.MINOR)}'>minderjarig</b>" if view.minor else ""
    slag = theme.pair(State.SLAGZIN)
    parts = [
        "<style>td{padding:2px 8px 2px 0;vertical-align:top} "
        f".l{{color:{theme.hex_fg(State.MUTED)}}} "
        "h2{margin:0 0 4px 0} h3{margin:14px 0 4px 0} "
        f".slag{{font-size:14pt;font-weight:bold;padding:8px;color:{slag.fg};"
        f"background:{slag.bg};border-left:4px solid {slag.border}}}</style>",
        f"<h2>{escape(ident.display_name())}</h2>",
        "<table>",
        f"<tr><td class='l'>Geboren</td><td>{escape(born)} ({age}){minor}</td></tr>",
        f"<tr><td class='l'>BVH-nummer</td><td>{escape(item.bvh_nummer)}</td></tr>",
        f"<tr><td class='l'>Parketnummer</td><td>{_t(item.parketnummer)}</td></tr>",
        f"<tr><td class='l'>Feit</td><td>{_t(item.feit)} ({_t(item.categorie)})</td></tr>",
        f"<tr><td class='l'>Ingestroomd</td><td>{_when(item.ingestroomd_op)}</td></tr>",
        f"<tr><td class='l'>Status</td><td>{escape(item.status.value)}</td></tr>",
        f"<tr><td class='l'>Woonplaats</td><td>{_t(detail.woonplaats)} "
        f"(gemeente {_t(detail.gemeente)})</td></tr>",
        "</table>",
    ]
    if detail.decision:
        d = detail.decision
        parts.append(
            f"<h3>Beslissing</h3><p>{escape(str(d['beslissing']))}"
            f"{' ' + escape(str(d['sepotcode'])) if d.get('sepotcode') else ''} — advies gevolgd: "
            f"{escape(str(d['advies_gevolgd']))}; {escape(str(d['besloten_door']))}, "
            f"{_when(d['besloten_op'])}</p>"
        )
    if not view.known and not detail.sheet.may_see_content:
        # Without a desk role the sheet has no sections at all: "niet bekend"
        # would be a claim about the registers this account may not make.
        parts.append(
            f"<h3>{escape(NO_VH_INFO_TITLE)}</h3><p class='l'>{escape(NO_VH_INFO_TEXT)}</p>"
        )
    elif not view.known:
        parts.append(f"<h3>{escape(NOT_KNOWN_TITLE)}</h3><p class='l'>{escape(NOT_KNOWN_TEXT)}</p>")
    for sv in view.sections:
        s = sv.section
        parts.append(f"<h3>{escape(s.vh_naam)}</h3>")
        if sv.visibility is not Visibility.SHOW:
            colour = theme.hex_fg(
                State.WARN if sv.visibility is Visibility.HIDDEN_UNCONFIRMED else State.HIDDEN
            )
            parts.append(
                f"<p style='color:{colour}'><b>{escape(sv.visibility.title)}</b><br>"
                f"{escape(sv.visibility.explanation)}</p>"
            )
            if s.contactpersoon or s.contact_telefoon:
                parts.append(
                    f"<p class='l'>Contact: {_t(s.contactpersoon)}, {_t(s.contact_telefoon)}</p>"
                )
            continue
        parts.append(f"<div class='slag'>{_t(s.slagzin)}</div>")
        if sv.verdict is not None:
            fresh = theme.css(_FRESH_STATES[sv.verdict.level])
            datum = s.advies_datum.strftime("%d-%m-%Y") if s.advies_datum else MISSING
            parts.append(
                f"<p style='{fresh};padding:4px'><b>Advies van {datum}: "
                f"{escape(sv.verdict.level.value)}</b> ({sv.verdict.months} mnd)"
                + (f"<br>{escape(sv.verdict.prompt)}" if sv.verdict.prompt else "")
                + (
                    f' <a href="actualiseer:{escape(s.vh_code)}">Vraag actueel advies</a>'
                    if sv.verdict.level is not Freshness.ACTUEEL
                    else ""
                )
                + "</p>"
            )
        hg = parse_hg_historie(s.hg_historie)
        hg_html = (
            (
                "<ul>"
                + "".join(
                    f"<li>{h.datum.strftime('%d-%m-%Y') if h.datum else ''} {escape(h.omschrijving)}</li>"
                    for h in hg
                )
                + "</ul>"
            )
            if hg
            else MISSING
        )
        parts += [
            "<table>",
            f"<tr><td class='l'>Advies</td><td>{_t(s.advies)}</td></tr>",
            f"<tr><td class='l'>Doel interventie</td><td>{_t(s.doel_interventie)}</td></tr>",
            f"<tr><td class='l'>Context</td><td>{_t(s.context)}</td></tr>",
            f"<tr><td class='l'>HG-historie</td><td>{hg_html}</td></tr>",
            f"<tr><td class='l'>Contact</td><td>{_t(s.contactpersoon)}, {_t(s.contact_telefoon)}</td></tr>",
            "</table>",
            f"<p class='l'><b>Plan van aanpak</b><br>{_t(s.plan_van_aanpak)}</p>",
        ]
    if detail.open_vragen:
        parts.append("<h3>Adviesvragen</h3><table>")
        for v in detail.open_vragen:
            late = bool(v.get("te_laat"))
            alarm = late or v.get("status") == "verzending mislukt"
            style = f" style='color:{theme.hex_fg(State.ERROR)}'" if alarm else ""
            parts.append(
                f"<tr><td class='l'>{escape(str(v.get('vh_naam') or v.get('vh_code')))}</td>"
                f"<td{style}>{escape(str(v.get('status', '')))} — "
                f"{escape(str(v.get('resterend', '')))}</td></tr>"
            )
        parts.append("</table>")
    shown_answers = [a for a in view.answers if a.visibility is Visibility.SHOW]
    if shown_answers:
        parts.append("<h3>Antwoorden op adviesvragen</h3>")
        for a in shown_answers:
            parts.append(
                f"<p><b>{escape(a.answer.vh_naam or a.answer.vh_code)}</b> "
                f"({_when(a.answer.ontvangen_op)}, {_t(a.answer.van_wie)}): "
                f"{_t(a.answer.antwoord)}</p>"
            )
    return "".join(parts)
