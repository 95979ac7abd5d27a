"""Decisions at the ZSM desk and what they mean for the veiligheidshuis (pure domain).

Three things live here:

* the **code list** of afdoenings- and routeringsbeslissingen (`CodeList`,
  `DEFAULT_BESLISSINGEN`), configurable by the beheerder as a list of dicts;
* the **decision** itself (`Decision`) and its validation (`validate_decision`);
* the **feedback plan** (`feedback_plan`): whether a decision is fed back to the
  veiligheidshuizen (KV-5), becomes an aanmelding of a new, possibly complex
  case (KV-6), must be purged (technical sepot 01) or needs nothing.

Sources: background-pilots-2014.md §KV-5, §KV-6, §4 (privacy), §9 (template),
interfaces.md §4. Nothing here touches a database, the network or the clock.

Validation rules (`validate_decision`), all reported together in Dutch:

1. `beslissing` must be a code in the code list.
2. The code must be allowed for the age group (Halt and reprimande: minors only).
3. A code whose `sepotcode` is ``verplicht`` (sepot) needs a two-digit sepotcode
   ``01``–``99``; a code with ``nee`` must not carry one; ``toegestaan``
   (voorwaardelijk sepot) may.
4. `voorwaarden` likewise per code: required for a voorwaardelijk sepot, not
   allowed for sepot, Halt, reprimande or pure routing codes.
5. `advies_gevolgd` is one of ``ja``/``nee``/``deels``/``geen advies``.
   Without a VH advice it must be ``geen advies``; with an advice it must say
   whether it was followed (``ja``/``nee``/``deels``).
   Exception (Q11): for a minor whose item is still in the selection phase
   (`SELECTION_STATUSES`) and an intake decision (Halt, reprimande, sepot) the
   VH advice is not shown and must not weigh: only ``geen advies`` is valid.
6. ``nee`` or ``deels`` needs an inhoudelijke `motivering` (at least
   `MIN_MOTIVERING` characters after trimming).
7. Length limits: toelichting `MAX_TOELICHTING`, motivering `MAX_MOTIVERING`,
   voorwaarden `MAX_VOORWAARDEN`.
8. `besloten_door` is required; `namens` (the KPC'er who records for the
   officier) must differ from it.
9. `besloten_op` must be timezone-aware and not before the instroom.
10. Technical sepot 01: rules 5–6 are skipped (nothing is fed back and the data
    are removed, so an advice judgement has no purpose).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from zsm_desk.domain.age import MEERDERJARIG, age_on, minor_at_instroom
from zsm_desk.domain.records import SELECTION_STATUSES, Identity, InstroomItem

# --- enumerations -------------------------------------------------------------


class BeslissingSoort(StrEnum):
    AFDOENING = "afdoening"
    ROUTERING = "routering"


class Eis(StrEnum):
    """Whether a decision needs a field: required, allowed, or not allowed."""

    VERPLICHT = "verplicht"
    TOEGESTAAN = "toegestaan"
    NEE = "nee"


class AdviesGevolgd(StrEnum):
    JA = "ja"
    NEE = "nee"
    DEELS = "deels"
    GEEN_ADVIES = "geen advies"


class FeedbackOutcome(StrEnum):
    PURGE = "purge"
    TERUGKOPPELING = "terugkoppeling"
    AANMELDING = "aanmelding"
    NIETS = "niets"


SEPOT = "sepot"
HALT = "halt"
REPRIMANDE = "reprimande"
#: "Persoon ten onrechte als verdachte aangemerkt": never fed back, data removed.
TECHNISCH_SEPOT = "01"
#: Codes that, by law, only exist for minors.
ALLEEN_MINDERJARIGEN = frozenset({HALT, REPRIMANDE})

MIN_MOTIVERING = 10
MAX_MOTIVERING = 2000
MAX_TOELICHTING = 500
MAX_VOORWAARDEN = 1000

_CODE_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_SEPOTCODE_RE = re.compile(r"^(?!00)\d{2}$")

#: Sepotcode labels for display. The OM fixes the list per region (pilots §4,
#: §11.1); any two-digit code is accepted, unknown ones show as "sepotcode NN".
DEFAULT_SEPOTCODES: Mapping[str, str] = {
    "01": "ten onrechte als verdachte aangemerkt",
    "02": "onvoldoende wettig bewijs",
}


# --- code list ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BeslissingDef:
    """One entry of the code list."""

    code: str
    label: str
    soort: BeslissingSoort
    volwassenen: bool = True
    minderjarigen: bool = True
    intake: bool = False  # can be decided at intake (process step 1)
    sepotcode: Eis = Eis.NEE
    voorwaarden: Eis = Eis.TOEGESTAAN

    def allowed_for(self, is_minor: bool) -> bool:
        return self.minderjarigen if is_minor else self.volwassenen

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "soort": str(self.soort),
            "volwassenen": self.volwassenen,
            "minderjarigen": self.minderjarigen,
            "intake": self.intake,
            "sepotcode": str(self.sepotcode),
            "voorwaarden": str(self.voorwaarden),
        }


_A, _R = BeslissingSoort.AFDOENING, BeslissingSoort.ROUTERING
_V, _T, _N = Eis.VERPLICHT, Eis.TOEGESTAAN, Eis.NEE

#: The default code list (pilots §9 "disposal/intervention values"). Dicts, so
#: the beheerder's configuration has the same shape (`CodeList.from_dicts`).
DEFAULT_BESLISSINGEN: tuple[dict[str, object], ...] = tuple(
    d.to_dict()
    for d in (
        BeslissingDef(SEPOT, "Sepot", _A, intake=True, sepotcode=_V, voorwaarden=_N),
        BeslissingDef(
            "voorwaardelijk-sepot", "Voorwaardelijk sepot", _A, sepotcode=_T, voorwaarden=_V
        ),
        BeslissingDef("strafbeschikking", "OM-strafbeschikking", _A),
        BeslissingDef("dagvaarden", "Dagvaarden", _A),
        BeslissingDef("snelrecht", "Snelrecht", _A),
        BeslissingDef("voorgeleiden", "Voorgeleiden (rechter-commissaris)", _R),
        BeslissingDef("tom-zitting", "TOM-zitting", _A),
        BeslissingDef(HALT, "Halt-afdoening", _A, volwassenen=False, intake=True, voorwaarden=_N),
        BeslissingDef(REPRIMANDE, "Reprimande", _A, volwassenen=False, intake=True, voorwaarden=_N),
        BeslissingDef(
            "routering-parket", "Routering naar het parket (backoffice)", _R, voorwaarden=_N
        ),
        BeslissingDef("overdracht", "Overdracht aan ander parket of instantie", _R, voorwaarden=_N),
        BeslissingDef("overig", "Overige beslissing", _A),
    )
)

_KEYS = frozenset(BeslissingDef.__dataclass_fields__)
_REQUIRED_KEYS = frozenset({"code", "label", "soort"})


class CodeListError(ValueError):
    """A configured code list is invalid; `errors` holds every problem in Dutch."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


class CodeList:
    """The configured decision codes, in display order."""

    def __init__(
        self,
        defs: Iterable[BeslissingDef],
        sepotcodes: Mapping[str, str] | None = None,
    ) -> None:
        self._defs: dict[str, BeslissingDef] = {}
        for d in defs:
            if d.code in self._defs:
                raise CodeListError([f"Beslissingscode '{d.code}' komt dubbel voor."])
            self._defs[d.code] = d
        self.sepotcodes: dict[str, str] = dict(
            DEFAULT_SEPOTCODES if sepotcodes is None else sepotcodes
        )

    @classmethod
    def from_dicts(
        cls,
        rows: Iterable[Mapping[str, object]],
        sepotcodes: Mapping[str, str] | None = None,
    ) -> CodeList:
        """Build and validate a code list; raise `CodeListError` with every problem.

        Each row: ``code`` (lowercase, ``a-z0-9-``), ``label``, ``soort``
        (``afdoening``/``routering``) and optionally ``volwassenen``,
        ``minderjarigen``, ``intake`` (bools) and ``sepotcode``, ``voorwaarden``
        (``verplicht``/``toegestaan``/``nee``). Unknown keys are an error. The
        list must contain ``sepot`` with a required sepotcode (the sepot-01
        purge depends on it); ``halt`` and ``reprimande``, when present, must be
        for minors only.
        """
        errors: list[str] = []
        defs: list[BeslissingDef] = []
        seen: set[str] = set()
        for i, row in enumerate(rows, start=1):
            where = f"beslissing {i}"
            if not isinstance(row, Mapping):
                errors.append(f"{where}: geen tabel met velden.")
                continue
            unknown = sorted(set(row) - _KEYS)
            if unknown:
                errors.append(f"{where}: onbekende velden {', '.join(unknown)}.")
            missing = sorted(_REQUIRED_KEYS - set(row))
            if missing:
                errors.append(f"{where}: ontbrekende velden {', '.join(missing)}.")
                continue
            code, label = row["code"], row["label"]
            if not isinstance(code, str) or not _CODE_RE.match(code):
                errors.append(f"{where}: code {code!r} ongeldig (kleine letters, cijfers en '-').")
                continue
            where = f"beslissing '{code}'"
            if code in seen:
                errors.append(f"{where}: code komt dubbel voor.")
                continue
            seen.add(code)
            if not isinstance(label, str) or not label.strip():
                errors.append(f"{where}: label ontbreekt.")
            kwargs: dict[str, object] = {}
            for key, enum in (("soort", BeslissingSoort), ("sepotcode", Eis), ("voorwaarden", Eis)):
                if key not in row:
                    continue
                try:
                    kwargs[key] = enum(row[key])
                except ValueError:
                    allowed = "/".join(e.value for e in enum)
                    errors.append(f"{where}: {key} moet {allowed} zijn, niet {row[key]!r}.")
            for key in ("volwassenen", "minderjarigen", "intake"):
                if key in row:
                    if not isinstance(row[key], bool):
                        errors.append(f"{where}: {key} moet waar of onwaar zijn.")
                    else:
                        kwargs[key] = row[key]
            if kwargs.get("volwassenen") is False and kwargs.get("minderjarigen") is False:
                errors.append(f"{where}: niet toegestaan voor volwassenen én minderjarigen.")
            if code in ALLEEN_MINDERJARIGEN and kwargs.get("volwassenen", True):
                errors.append(f"{where}: is alleen voor minderjarigen (volwassenen = false).")
            if code == SEPOT and kwargs.get("sepotcode", Eis.NEE) != Eis.VERPLICHT:
                errors.append(f"{where}: sepotcode moet 'verplicht' zijn.")
            if not errors:
                defs.append(BeslissingDef(code=code, label=str(label).strip(), **kwargs))  # type: ignore[arg-type]
        if SEPOT not in seen:
            errors.append("De codelijst mist 'sepot' (nodig voor de sepot-01-regel).")
        for sc, lbl in (sepotcodes or {}).items():
            if not _SEPOTCODE_RE.match(sc) or not str(lbl).strip():
                errors.append(f"Sepotcode {sc!r}: twee cijfers en een omschrijving vereist.")
        if errors:
            raise CodeListError(errors)
        return cls(defs, sepotcodes)

    @classmethod
    def default(cls) -> CodeList:
        return cls.from_dicts(DEFAULT_BESLISSINGEN)

    def __contains__(self, code: object) -> bool:
        return code in self._defs

    def __iter__(self) -> Iterator[BeslissingDef]:
        return iter(self._defs.values())

    def __len__(self) -> int:
        return len(self._defs)

    def get(self, code: str) -> BeslissingDef | None:
        return self._defs.get(code)

    def __getitem__(self, code: str) -> BeslissingDef:
        return self._defs[code]

    def for_group(self, is_minor: bool) -> list[BeslissingDef]:
        """Codes offered for an adult or a minor, in display order."""
        return [d for d in self._defs.values() if d.allowed_for(is_minor)]

    def label(self, code: str) -> str:
        d = self._defs.get(code)
        return d.label if d else code

    def sepotcode_label(self, sepotcode: str) -> str:
        return self.sepotcodes.get(sepotcode, f"sepotcode {sepotcode}")

    def to_dicts(self) -> list[dict[str, object]]:
        return [d.to_dict() for d in self._defs.values()]


DEFAULT_CODELIST = CodeList.default()


# --- the decision --------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """An afdoenings- or routeringsbeslissing on one instroom item."""

    beslissing: str  # code from the code list
    besloten_op: dt.datetime  # aware
    besloten_door: str  # the officier / beoordelaar who decided
    sepotcode: str = ""
    voorwaarden: str = ""  # bijzondere voorwaarden / gedragsaanwijzing
    onderzoek_gepland: bool = False  # reclasserings- (adult) or raadsonderzoek (minor)
    advies_gevolgd: str = AdviesGevolgd.GEEN_ADVIES
    motivering: str = ""  # required when the advice was not (fully) followed
    toelichting: str = ""  # "korte toelichting" (pilots §8.1)
    namens: str = ""  # the KPC'er who records the decision for the officier

    @property
    def is_technisch_sepot(self) -> bool:
        return self.beslissing == SEPOT and self.sepotcode.strip() == TECHNISCH_SEPOT


def is_minor(identity: Identity, on: dt.date) -> bool:
    """Whether the minors rules apply on `on` (`domain.age`, the one age rule).

    With an unknown birth day/month the youngest possible age counts; an
    unreadable birth date counts as a possible minor (the safe side). Callers
    pass the instroom day (`age.instroom_day`), as every other screen does.
    """
    return age_on(identity.geboortedatum, on).minor


def item_is_minor(item: InstroomItem) -> bool:
    """The minors rule for an instroom item: age on the instroom day in Amsterdam."""
    return minor_at_instroom(item.identity.geboortedatum, item.ingestroomd_op)


def onderzoek_soort(minor: bool) -> str:
    """The investigation that matters for the VH: raadsonderzoek for minors."""
    return "raadsonderzoek" if minor else "reclasseringsonderzoek"


def validate_decision(
    decision: Decision,
    item: InstroomItem,
    is_minor: bool,
    has_advice: bool,
    codelist: CodeList = DEFAULT_CODELIST,
) -> list[str]:
    """Every problem with `decision`, in Dutch; empty when it may be recorded.

    `has_advice`: a (current) VH advice was available to the desk for this
    person. The rules are listed in the module docstring.
    """
    errors: list[str] = []
    d = codelist.get(decision.beslissing)
    if d is None:
        errors.append(f"Onbekende beslissing '{decision.beslissing}'.")
    else:
        if not d.allowed_for(is_minor):
            if d.code in ALLEEN_MINDERJARIGEN:
                errors.append(f"{d.label} is alleen mogelijk voor minderjarigen.")
            else:
                groep = "minderjarigen" if is_minor else "volwassenen"
                errors.append(f"{d.label} is niet toegestaan voor {groep}.")
        sc = decision.sepotcode.strip()
        if d.sepotcode == Eis.VERPLICHT and not sc:
            errors.append("Bij een sepot is een sepotcode verplicht (twee cijfers, bijv. 02).")
        elif d.sepotcode == Eis.NEE and sc:
            errors.append(f"Een sepotcode hoort niet bij '{d.label}'.")
        elif sc and not _SEPOTCODE_RE.match(sc):
            errors.append("De sepotcode bestaat uit twee cijfers, bijv. 01 of 02.")
        vw = decision.voorwaarden.strip()
        if d.voorwaarden == Eis.VERPLICHT and not vw:
            errors.append(f"Bij '{d.label}' zijn de voorwaarden verplicht.")
        elif d.voorwaarden == Eis.NEE and vw:
            errors.append(f"Bij '{d.label}' horen geen voorwaarden.")

    if len(decision.voorwaarden) > MAX_VOORWAARDEN:
        errors.append(f"Voorwaarden zijn te lang (max. {MAX_VOORWAARDEN} tekens).")
    if len(decision.toelichting) > MAX_TOELICHTING:
        errors.append(f"De korte toelichting is te lang (max. {MAX_TOELICHTING} tekens).")
    if len(decision.motivering) > MAX_MOTIVERING:
        errors.append(f"De motivering is te lang (max. {MAX_MOTIVERING} tekens).")

    if not decision.is_technisch_sepot:
        errors.extend(_advice_errors(decision, item, is_minor, has_advice, d))

    if not decision.besloten_door.strip():
        errors.append("Vul in wie de beslissing heeft genomen.")
    if decision.namens.strip() and decision.namens.strip() == decision.besloten_door.strip():
        errors.append(
            "'Namens' is de KPC'er die voor een ander vastlegt; laat het leeg als u zelf besliste."
        )
    if decision.besloten_op.tzinfo is None or decision.besloten_op.utcoffset() is None:
        errors.append("Het tijdstip van de beslissing mist een tijdzone.")
    elif decision.besloten_op < item.ingestroomd_op:
        errors.append("De beslissing ligt vóór het moment van instroom op ZSM.")
    return errors


def _advice_errors(
    decision: Decision,
    item: InstroomItem,
    is_minor: bool,
    has_advice: bool,
    d: BeslissingDef | None,
) -> list[str]:
    try:
        gevolgd = AdviesGevolgd(decision.advies_gevolgd)
    except ValueError:
        return ["Advies gevolgd moet 'ja', 'nee', 'deels' of 'geen advies' zijn."]
    errors: list[str] = []
    youth_intake = is_minor and d is not None and d.intake and item.status in SELECTION_STATUSES
    if youth_intake:
        if gevolgd != AdviesGevolgd.GEEN_ADVIES:
            errors.append(
                "Bij een jeugdige in de selectiefase telt het advies van het "
                "veiligheidshuis niet mee: kies 'geen advies'."
            )
    elif not has_advice and gevolgd != AdviesGevolgd.GEEN_ADVIES:
        errors.append("Er is geen advies van een veiligheidshuis: kies 'geen advies'.")
    elif has_advice and gevolgd == AdviesGevolgd.GEEN_ADVIES:
        errors.append(
            "Er is een advies van het veiligheidshuis: geef aan of het is "
            "gevolgd (ja, nee of deels)."
        )
    if gevolgd in (AdviesGevolgd.NEE, AdviesGevolgd.DEELS):
        mot = decision.motivering.strip()
        if not mot:
            errors.append("Motivering is verplicht als het advies niet of deels is gevolgd.")
        elif len(mot) < MIN_MOTIVERING:
            errors.append("De motivering is te kort: geef een inhoudelijke motivering.")
    return errors


# --- the feedback plan -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedbackPlan:
    """What has to happen towards the veiligheidshuizen after a decision.

    * ``purge``: technical sepot 01. Produce nothing; the caller removes the case.
    * ``terugkoppeling``: one message to each VH in `ontvangers`. When `beperkt`
      the message carries only "ingestroomd op ZSM + beslissing" (intake
      decision) and no further case content.
    * ``aanmelding``: unknown but possibly complex; personal data only, to the
      VH serving the gemeente (`ontvangers` has exactly that one code).
    * ``niets``: nothing to send. `waarschuwing` is non-empty when a person
      should still act (possibly complex, but no VH configured for the gemeente).
    """

    outcome: FeedbackOutcome
    reden: str
    ontvangers: tuple[str, ...] = ()
    beperkt: bool = False
    waarschuwing: str = ""

    @property
    def sends(self) -> bool:
        return self.outcome in (FeedbackOutcome.TERUGKOPPELING, FeedbackOutcome.AANMELDING)


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for c in codes:
        c = c.strip()
        if c:
            out.setdefault(c, None)
    return tuple(out)


def feedback_plan(
    decision: Decision,
    item: InstroomItem,
    is_minor: bool,
    known_vh_codes: Sequence[str],
    possibly_complex: bool,
    gemeente_vh_code: str | None,
    *,
    family_known_vh_codes: Sequence[str] = (),
    advies_vh_codes: Sequence[str] = (),
    codelist: CodeList = DEFAULT_CODELIST,
) -> FeedbackPlan:
    """Decide what the decision means for the veiligheidshuizen.

    `known_vh_codes`: VHs with a ``bekend`` or confirmed match on the person.
    `family_known_vh_codes`: for minors, VHs that know the family/system
    (ignored for adults). `advies_vh_codes`: VHs that gave advice on request
    for this case; they receive the feedback like a VH that knows the person
    (pilots KV-5 "or the VH that supplied info on request").

    Rules, in order:

    1. Sepot 01 → ``purge`` (pilots §4, Q10), whatever else is known.
    2. Recipients are the known VHs, the advising VHs and, for minors, the
       VHs that know the family (the PvA of the family system is the purpose,
       pilots §4; a stakeholder choice documented in the report).
    3. Halt/reprimande → ``terugkoppeling`` only when there are recipients,
       otherwise ``niets``; always `beperkt` (step-1 variant, pilots §9).
    4. Other intake decisions (sepot other than 01, adults and minors) →
       ``terugkoppeling`` with `beperkt` ("ingestroomd op ZSM + sepot").
    5. Any other decision with recipients → full ``terugkoppeling``.
    6. No recipients but `possibly_complex` → ``aanmelding`` to
       `gemeente_vh_code` (personal data only); without such a VH → ``niets``
       with a `waarschuwing`.
    7. Otherwise ``niets``.

    Raises ValueError for a code not in the code list or not allowed for the
    age group: validate the decision first.
    """
    d = codelist.get(decision.beslissing)
    if d is None:
        raise ValueError(f"Onbekende beslissing '{decision.beslissing}'.")
    if not d.allowed_for(is_minor):
        raise ValueError(f"{d.label} is niet toegestaan voor deze leeftijdsgroep.")

    if decision.is_technisch_sepot:
        return FeedbackPlan(
            FeedbackOutcome.PURGE,
            "Technisch sepot (01, ten onrechte als verdachte aangemerkt): geen "
            "terugkoppeling; alle gegevens van de verdachte worden verwijderd.",
        )

    recipients = list(known_vh_codes) + list(advies_vh_codes)
    if is_minor:
        recipients += list(family_known_vh_codes)
    ontvangers = _unique(recipients)
    vhs = ", ".join(ontvangers)

    if d.code in ALLEEN_MINDERJARIGEN:
        if not ontvangers:
            return FeedbackPlan(
                FeedbackOutcome.NIETS,
                f"{d.label} wordt alleen teruggekoppeld als de jongere of het gezin bekend "
                "is bij een veiligheidshuis; dat is niet zo.",
            )
        return FeedbackPlan(
            FeedbackOutcome.TERUGKOPPELING,
            f"{d.label}: de jongere of het gezin is bekend bij {vhs}; alleen instroom en "
            "beslissing worden gemeld.",
            ontvangers,
            beperkt=True,
        )

    if ontvangers:
        if d.intake:
            return FeedbackPlan(
                FeedbackOutcome.TERUGKOPPELING,
                f"Beslissing in de instroomfase ({d.label.lower()}) voor een bij {vhs} "
                "bekende persoon: alleen 'ingestroomd op ZSM' en de beslissing worden "
                "gemeld, de zaak wordt niet verder besproken.",
                ontvangers,
                beperkt=True,
            )
        return FeedbackPlan(
            FeedbackOutcome.TERUGKOPPELING,
            f"Bekend bij {vhs}: terugkoppeling van de beslissing.",
            ontvangers,
        )

    if possibly_complex:
        if gemeente_vh_code and gemeente_vh_code.strip():
            code = gemeente_vh_code.strip()
            return FeedbackPlan(
                FeedbackOutcome.AANMELDING,
                f"Niet bekend, maar mogelijk complex: aanmelding (alleen persoonsgegevens) "
                f"bij {code}.",
                (code,),
                beperkt=True,
            )
        return FeedbackPlan(
            FeedbackOutcome.NIETS,
            "Niet bekend bij een veiligheidshuis.",
            waarschuwing="Mogelijk complex, maar er is geen veiligheidshuis ingesteld voor "
            f"de gemeente ({item.identity.gemeente or 'onbekend'}): meld handmatig aan.",
        )

    return FeedbackPlan(
        FeedbackOutcome.NIETS,
        "Niet bekend bij een veiligheidshuis en niet als mogelijk complex aangemerkt: "
        "geen terugkoppeling.",
    )


__all__ = [
    "ALLEEN_MINDERJARIGEN",
    "DEFAULT_BESLISSINGEN",
    "DEFAULT_CODELIST",
    "DEFAULT_SEPOTCODES",
    "HALT",
    "MEERDERJARIG",
    "REPRIMANDE",
    "SEPOT",
    "TECHNISCH_SEPOT",
    "AdviesGevolgd",
    "BeslissingDef",
    "BeslissingSoort",
    "CodeList",
    "CodeListError",
    "Decision",
    "Eis",
    "FeedbackOutcome",
    "FeedbackPlan",
    "feedback_plan",
    "is_minor",
    "item_is_minor",
    "onderzoek_soort",
    "validate_decision",
]
