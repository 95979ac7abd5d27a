"""What the print for the afstemmingsoverleg shows, and what it must hide.

Pure values and pure rules: no database, no Qt, no reportlab. The PDF service
(`zsm_desk.services.printing.render`) renders a `PlanSheet`; the UI detail pane asks
the same `visible_content()` so the disclosure rules live in one place:

* a user without the role for VH content sees no VH content at all (only the
  "dat"-information: which veiligheidshuis, and whom to call);
* a `mogelijk` hit shows nothing of the VH advice before a user confirmed it;
* a minor (under 18 on the instroom date) whose case is still in
  intake/selection shows that the youth is known, with the reason, but no
  advice content (background-pilots §1.1);
* otherwise everything is shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from zsm_desk.domain.age import MEERDERJARIG, age_at_instroom
from zsm_desk.domain.deadlines import format_remaining
from zsm_desk.domain.freshness import FreshnessVerdict, freshness
from zsm_desk.domain.records import (
    SELECTION_STATUSES,
    InstroomItem,
    InstroomStatus,
    MatchStatus,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MISSING = "—"
CLOSED = frozenset({InstroomStatus.AFGEDAAN, InstroomStatus.AFGEBOGEN})
ADULT_AGE = MEERDERJARIG  # domain.age, the one age rule

# --- texts shared by the print and the UI ----------------------------------------

NOT_KNOWN_TITLE = "Niet bekend bij een veiligheidshuis in de regio"
NOT_KNOWN_TEXT = (
    "Deze verdachte komt in geen enkel register van de veiligheidshuizen in de regio "
    "voor. Dit is geen foutmelding: er is geen VH-advies voor deze zaak. "
    "Een persoon uit een andere regio kan wel elders bekend zijn."
)
UNCONFIRMED_TITLE = "Mogelijk bekend — eerst controleren in ZSM Desk"
UNCONFIRMED_TEXT = (
    "De persoonsgegevens komen niet volledig overeen met de markering van dit "
    "veiligheidshuis. Bevestig of verwerp de match in ZSM Desk; pas na bevestiging "
    "wordt het advies afgedrukt."
)
MINOR_SELECTION_TITLE = "Bekend als jeugdige — inhoud nog niet zichtbaar"
MINOR_SELECTION_TEXT = (
    "VH-informatie mag de selectiebeslissing bij minderjarigen niet sturen; inhoud "
    "zichtbaar zodra de zaak in behandeling is."
)
NO_ROLE_TITLE = "Bekend bij dit veiligheidshuis — geen inzage"
NO_ROLE_TEXT = (
    "Uw rol geeft geen inzage in de inhoud van VH-informatie (slagzin, advies, plan "
    "van aanpak). Neem zo nodig contact op met het veiligheidshuis of met een "
    "collega die wel inzage heeft."
)


class Visibility(StrEnum):
    """Per-section decision: show the VH content, or why not."""

    SHOW = "show"
    HIDDEN_NO_ROLE = "hidden_no_role"
    HIDDEN_UNCONFIRMED = "hidden_unconfirmed"
    HIDDEN_MINOR_SELECTION = "hidden_minor_selection"

    @property
    def shows_content(self) -> bool:
        return self is Visibility.SHOW

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def explanation(self) -> str:
        return _TEXTS[self]


_TITLES = {
    Visibility.SHOW: "",
    Visibility.HIDDEN_NO_ROLE: NO_ROLE_TITLE,
    Visibility.HIDDEN_UNCONFIRMED: UNCONFIRMED_TITLE,
    Visibility.HIDDEN_MINOR_SELECTION: MINOR_SELECTION_TITLE,
}
_TEXTS = {
    Visibility.SHOW: "",
    Visibility.HIDDEN_NO_ROLE: NO_ROLE_TEXT,
    Visibility.HIDDEN_UNCONFIRMED: UNCONFIRMED_TEXT,
    Visibility.HIDDEN_MINOR_SELECTION: MINOR_SELECTION_TEXT,
}


# --- the input -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VhSection:
    """One veiligheidshuis that knows (or may know) the suspect, with its advice."""

    vh_code: str
    vh_naam: str
    match_status: MatchStatus
    slagzin: str = ""
    advies: str = ""
    advies_datum: dt.date | None = None
    doel_interventie: str = ""
    context: str = ""
    hg_historie: str = ""  # one incident per line, "2025-03-02 melding ruzie ..."
    plan_van_aanpak: str = ""
    contactpersoon: str = ""
    contact_telefoon: str = ""
    confirmed: bool = False  # a user confirmed a `mogelijk` hit as this person


@dataclass(frozen=True, slots=True)
class AdviesvraagAnswer:
    """The answer of a VH to an adviesvraag about this suspect."""

    vh_code: str
    vraag: str
    antwoord: str
    ontvangen_op: dt.datetime | None = None  # aware
    van_wie: str = ""
    vh_naam: str = ""


@dataclass(frozen=True, slots=True)
class PlanSheet:
    """Everything one suspect's print shows; built by the caller, rendered purely."""

    zsm_locatie: str
    item: InstroomItem
    sections: Sequence[VhSection]
    printed_by: str
    printed_at: dt.datetime  # aware
    may_see_content: bool  # the user's role allows VH "wat"-information
    answers: Sequence[AdviesvraagAnswer] = field(default_factory=tuple)
    #: For the day pack's overview: the ZSM deadline (None: closed) and the
    #: recorded decision's label ("" when undecided).
    deadline: dt.datetime | None = None
    besloten: str = ""


def time_left_text(sheet: PlanSheet) -> str:
    """The overview's "tijd over" cell at print time: countdown, or why there is none."""
    if sheet.besloten:
        return "besloten"
    if sheet.deadline is None:
        return "afgesloten" if sheet.item.status in CLOSED else MISSING
    return format_remaining(sheet.deadline - sheet.printed_at)


def status_text(sheet: PlanSheet) -> str:
    """The overview's status cell: the decision when there is one, else the queue status."""
    if sheet.besloten:
        return f"besloten: {sheet.besloten}"
    return str(sheet.item.status)


# --- the decision ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SectionView:
    section: VhSection
    visibility: Visibility
    verdict: FreshnessVerdict | None  # None without advice date or when hidden


@dataclass(frozen=True, slots=True)
class AnswerView:
    answer: AdviesvraagAnswer
    visibility: Visibility


@dataclass(frozen=True, slots=True)
class SheetView:
    """The outcome of the rules for one sheet."""

    known: bool  # at least one bekend/mogelijk section
    age: int | None  # on the instroom date; None when the birth date is unreadable
    minor: bool  # under 18, or unknown age (the safe side)
    in_selection: bool
    sections: tuple[SectionView, ...]
    answers: tuple[AnswerView, ...]

    @property
    def any_content_shown(self) -> bool:
        return any(s.visibility.shows_content for s in self.sections)


def local(when: dt.datetime) -> dt.datetime:
    """An aware datetime in Europe/Amsterdam (naive input is taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(AMSTERDAM)


def age_on_instroom(item: InstroomItem) -> int | None:
    """Age on the instroom day (`domain.age`, the one age rule); None when unreadable."""
    return age_at_instroom(item.identity.geboortedatum, item.ingestroomd_op).age


def minor_on_instroom(item: InstroomItem) -> bool:
    """The minors rule (`domain.age`): under 18, or an unreadable birth date."""
    return age_at_instroom(item.identity.geboortedatum, item.ingestroomd_op).minor


def section_visibility(section: VhSection, item: InstroomItem, may_see_content: bool) -> Visibility:
    """The one rule deciding whether a section's VH content may be shown."""
    if not may_see_content:
        return Visibility.HIDDEN_NO_ROLE
    if section.match_status is not MatchStatus.BEKEND and not section.confirmed:
        return Visibility.HIDDEN_UNCONFIRMED
    if minor_on_instroom(item) and item.status in SELECTION_STATUSES:
        return Visibility.HIDDEN_MINOR_SELECTION
    return Visibility.SHOW


def visible_content(sheet: PlanSheet) -> SheetView:
    """Apply the disclosure rules to a sheet; the print and the UI both use this."""
    item = sheet.item
    today = local(sheet.printed_at).date()
    relevant = [s for s in sheet.sections if s.match_status is not MatchStatus.ONBEKEND]
    views: list[SectionView] = []
    for section in relevant:
        vis = section_visibility(section, item, sheet.may_see_content)
        verdict = None
        if vis.shows_content and section.advies_datum is not None:
            verdict = freshness(section.advies_datum, today)
        views.append(SectionView(section, vis, verdict))

    by_code = {v.section.vh_code: v.visibility for v in views}
    answers: list[AnswerView] = []
    for answer in sheet.answers:
        vis = by_code.get(answer.vh_code)
        if vis is None:  # an answer from a VH without a marking: a bekend-like source
            probe = VhSection(answer.vh_code, answer.vh_naam, MatchStatus.BEKEND)
            vis = section_visibility(probe, item, sheet.may_see_content)
        answers.append(AnswerView(answer, vis))

    age = age_at_instroom(item.identity.geboortedatum, item.ingestroomd_op)
    return SheetView(
        known=bool(views),
        age=age.age,
        minor=age.minor,
        in_selection=item.status in SELECTION_STATUSES,
        sections=tuple(views),
        answers=tuple(answers),
    )


# --- HG-historie -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HgIncident:
    datum: dt.date | None
    omschrijving: str


_HG_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\b[\s:;,.\-–]*(.*)$")
_HG_NL = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\b[\s:;,.\-–]*(.*)$")


def parse_hg_historie(text: str) -> list[HgIncident]:
    """One incident per line, led by a date (`2025-03-02` or `02-03-2025`); order kept."""
    incidents: list[HgIncident] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        datum: dt.date | None = None
        rest = line
        if m := _HG_ISO.match(line):
            y, mo, d, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
        elif m := _HG_NL.match(line):
            d, mo, y, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
        else:
            y = mo = d = 0
        if y:
            try:
                datum = dt.date(y, mo, d)
            except ValueError:
                datum, rest = None, line
        incidents.append(HgIncident(datum, rest.strip() or line))
    return incidents


# --- Dutch display ---------------------------------------------------------------


def nl_date(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d is not None else MISSING


def nl_datetime(when: dt.datetime | None) -> str:
    return local(when).strftime("%d-%m-%Y %H:%M") if when is not None else MISSING


def nl_time(when: dt.datetime) -> str:
    return local(when).strftime("%H:%M")


def or_missing(text: str | None) -> str:
    return text.strip() if text and text.strip() else MISSING
