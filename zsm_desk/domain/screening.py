"""Screening checklists as data: should ZSM propose an aanmelding at the veiligheidshuis?

Pure domain code (no I/O, no Qt, no SQL). The criteria come from the pilots
report (background-pilots-2014 §5) and are explicitly *aids*, "never watertight"
(§9.2): the outcome is a proposal with a Dutch explanation, the OvJ decides.
The report also says the routekaart is refined continuously and its AND/OR
logic is unclear (§5.1, §11.8), so every checklist is data the beheerder can
edit and store as JSON or TOML (:func:`to_dict` / :func:`from_dict`).

Model
-----
A :class:`Checklist` has criteria, each in one :class:`Groep`. A group is
*voldaan* (met) according to its own ``regel``:

* ``"minstens N"``: at least N of its criteria are ticked ("minstens 1" = any);
* ``"alle"``: every criterion of the group is ticked;
* ``"informatief"``: never decides anything, only reported in the explanation.

The checklist's ``regel`` combines the non-informative groups:

* ``"alle"``: every non-informative group is met;
* ``"minstens N"``: at least N non-informative groups are met;
* an expression over group codes with ``en``, ``of`` and parentheses, ``en``
  binding tighter, e.g. ``"hard of (leefgebieden en geen_pva) of oggz"`` (the
  Rotterdam SD criteria need exactly this).

When the checklist rule holds, :func:`evaluate` proposes the checklist's
``voorstel`` (e.g. "aanmelding bij het veiligheidshuis").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

ALLE = "alle"
INFORMATIEF = "informatief"
_MINSTENS_RE = re.compile(r"minstens\s+(\d+)")
_CODE_RE = re.compile(r"[a-z][a-z0-9_-]*")
# Group codes appear in rule expressions, so they may not contain "-" and may
# not be one of the expression's keywords.
_GROEP_CODE_RE = re.compile(r"[a-z][a-z0-9_]*")
_SLEUTELWOORDEN = frozenset({"en", "of", ALLE, "minstens", INFORMATIEF})
_DISCLAIMER = "De criteria zijn een hulpmiddel en nooit waterdicht; de officier beslist."

DEFAULT_VOORSTEL = "aanmelding bij het veiligheidshuis"


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


def _minstens(regel: str) -> int | None:
    m = _MINSTENS_RE.fullmatch(regel.strip())
    return int(m.group(1)) if m else None


# A parsed checklist expression: ("groep", code) | ("en", parts) | ("of", parts).
Expr = tuple[str, Any]


def _tokens(regel: str) -> list[str]:
    tokens = re.findall(r"\(|\)|[^\s()]+", regel)
    return [t.lower() for t in tokens]


def parse_regel(regel: str) -> Expr:
    """Parse a rule expression like ``"a of (b en c)"``; ValueError (Dutch) if malformed."""
    tokens = _tokens(regel)
    pos = 0

    def fout(detail: str) -> ValueError:
        return ValueError(f"Regel {regel!r} is ongeldig: {detail}.")

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise fout("onverwacht einde")
        pos += 1
        return tokens[pos - 1]

    def of_expr() -> Expr:
        parts = [en_expr()]
        while peek() == "of":
            take()
            parts.append(en_expr())
        return parts[0] if len(parts) == 1 else ("of", tuple(parts))

    def en_expr() -> Expr:
        parts = [factor()]
        while peek() == "en":
            take()
            parts.append(factor())
        return parts[0] if len(parts) == 1 else ("en", tuple(parts))

    def factor() -> Expr:
        token = take()
        if token == "(":
            inner = of_expr()
            if take() != ")":
                raise fout("')' ontbreekt")
            return inner
        if token in _SLEUTELWOORDEN or token == ")" or not _GROEP_CODE_RE.fullmatch(token):
            raise fout(f"groepcode verwacht, niet '{token}'")
        return ("groep", token)

    if not tokens:
        raise fout("de regel is leeg")
    expr = of_expr()
    if pos != len(tokens):
        raise fout(f"onverwacht '{tokens[pos]}'")
    return expr


def _groepen_in(expr: Expr) -> set[str]:
    soort, inhoud = expr
    if soort == "groep":
        return {inhoud}
    return set().union(*(_groepen_in(e) for e in inhoud))


def _eval_expr(expr: Expr, voldaan: Mapping[str, bool]) -> bool:
    soort, inhoud = expr
    if soort == "groep":
        return voldaan[inhoud]
    if soort == "en":
        return all(_eval_expr(e, voldaan) for e in inhoud)
    return any(_eval_expr(e, voldaan) for e in inhoud)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    tekst: str
    groep: str


@dataclass(frozen=True, slots=True)
class Groep:
    code: str
    naam: str
    regel: str = "minstens 1"  # "minstens N" | "alle" | "informatief"

    @property
    def informatief(self) -> bool:
        return self.regel.strip() == INFORMATIEF


@dataclass(frozen=True, slots=True)
class Checklist:
    """A screening checklist. Validated on construction (ValueError, Dutch)."""

    code: str
    naam: str
    bron: str
    regel: str  # "alle" | "minstens N" | expression over group codes
    groepen: tuple[Groep, ...]
    criteria: tuple[Criterion, ...]
    voorstel: str = DEFAULT_VOORSTEL
    alternatief: str = ""  # what applies when there is no proposal; shown only then

    def __post_init__(self) -> None:
        _validate(self)

    def groep(self, code: str) -> Groep:
        for g in self.groepen:
            if g.code == code:
                return g
        raise KeyError(code)

    def criteria_van(self, groep: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.groep == groep)

    def beslissende_groepen(self) -> tuple[Groep, ...]:
        return tuple(g for g in self.groepen if not g.informatief)


def _validate(cl: Checklist) -> None:
    waar = f"Checklist '{cl.code}'"
    if not isinstance(cl.code, str) or not _CODE_RE.fullmatch(cl.code):
        raise ValueError(
            f"Checklistcode {cl.code!r} is ongeldig: gebruik kleine letters, cijfers, '-' en '_'."
        )
    for veld in ("naam", "bron", "voorstel"):
        waarde = getattr(cl, veld)
        if not isinstance(waarde, str) or not waarde.strip():
            raise ValueError(f"{waar}: '{veld}' moet een niet-lege tekst zijn.")
    if not cl.groepen:
        raise ValueError(f"{waar}: er zijn geen groepen.")

    groepcodes: set[str] = set()
    for g in cl.groepen:
        if not _GROEP_CODE_RE.fullmatch(g.code) or g.code in _SLEUTELWOORDEN:
            raise ValueError(
                f"{waar}: groepcode {g.code!r} is ongeldig: gebruik kleine letters, cijfers "
                "en '_' (geen '-', niet 'en', 'of', 'alle', 'minstens' of 'informatief')."
            )
        if g.code in groepcodes:
            raise ValueError(f"{waar}: groepcode '{g.code}' komt dubbel voor.")
        groepcodes.add(g.code)
        if not g.naam.strip():
            raise ValueError(f"{waar}: groep '{g.code}' heeft geen naam.")

    criteriumcodes: set[str] = set()
    for c in cl.criteria:
        if not _CODE_RE.fullmatch(c.code):
            raise ValueError(
                f"{waar}: criteriumcode {c.code!r} is ongeldig: "
                "gebruik kleine letters, cijfers, '-' en '_'."
            )
        if c.code in criteriumcodes:
            raise ValueError(f"{waar}: criteriumcode '{c.code}' komt dubbel voor.")
        criteriumcodes.add(c.code)
        if not c.tekst.strip():
            raise ValueError(f"{waar}: criterium '{c.code}' heeft geen tekst.")
        if c.groep not in groepcodes:
            raise ValueError(f"{waar}: criterium '{c.code}' hoort bij onbekende groep '{c.groep}'.")

    for g in cl.groepen:
        aantal = len(cl.criteria_van(g.code))
        if aantal == 0:
            raise ValueError(f"{waar}: groep '{g.code}' heeft geen criteria.")
        if g.informatief or g.regel.strip() == ALLE:
            continue
        n = _minstens(g.regel)
        if n is None:
            raise ValueError(
                f"{waar}: regel {g.regel!r} van groep '{g.code}' is ongeldig: "
                "gebruik 'alle', 'minstens N' of 'informatief'."
            )
        if not 1 <= n <= aantal:
            raise ValueError(
                f"{waar}: groep '{g.code}' vraagt minstens {n} van {aantal} criteria; "
                "dat kan nooit (of altijd) voldaan zijn."
            )

    beslissend = {g.code for g in cl.beslissende_groepen()}
    if not beslissend:
        raise ValueError(f"{waar}: alle groepen zijn informatief, er valt niets te beslissen.")
    regel = cl.regel.strip()
    if regel == ALLE:
        return
    n = _minstens(regel)
    if n is not None:
        if not 1 <= n <= len(beslissend):
            raise ValueError(
                f"{waar}: regel '{regel}' vraagt {n} groepen, er zijn er {len(beslissend)}."
            )
        return
    try:
        expr = parse_regel(regel)
    except ValueError as exc:
        raise ValueError(f"{waar}: {exc}") from None
    gebruikt = _groepen_in(expr)
    if onbekend := sorted(gebruikt - groepcodes):
        raise ValueError(f"{waar}: de regel noemt onbekende groep(en): {', '.join(onbekend)}.")
    if informatief := sorted(gebruikt - beslissend):
        raise ValueError(
            f"{waar}: de regel noemt informatieve groep(en): {', '.join(informatief)}."
        )
    # A decisive group missing from the expression is almost certainly an
    # editing mistake: it would look decisive on screen but never count.
    if vergeten := sorted(beslissend - gebruikt):
        raise ValueError(
            f"{waar}: groep(en) {', '.join(vergeten)} ontbreken in de regel; "
            "maak ze 'informatief' of neem ze op."
        )


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroepUitkomst:
    code: str
    naam: str
    aangevinkt: tuple[str, ...]  # ticked criterion codes, in checklist order
    nodig: int  # how many are needed (0 for informative groups)
    voldaan: bool
    informatief: bool


@dataclass(frozen=True, slots=True)
class ScreeningOutcome:
    voorstel_aanmelding: bool
    uitleg: str  # Dutch, multi-line, for the screen and the ZSM dossier (Q6)
    groepen: tuple[GroepUitkomst, ...] = ()


def _nodig(groep: Groep, aantal: int) -> int:
    regel = groep.regel.strip()
    if groep.informatief:
        return 0
    if regel == ALLE:
        return aantal
    n = _minstens(regel)
    assert n is not None  # guaranteed by validation
    return n


def _beschrijf_regel(cl: Checklist) -> str:
    regel = cl.regel.strip()
    if regel == ALLE:
        return "alle groepen moeten voldaan zijn"
    n = _minstens(regel)
    if n is not None:
        return f"minstens {n} {'groep moet' if n == 1 else 'groepen moeten'} voldaan zijn"
    namen = {g.code: g.naam for g in cl.groepen}

    def tekst(expr: Expr, top: bool) -> str:
        soort, inhoud = expr
        if soort == "groep":
            return f"'{namen[inhoud]}'"
        delen = f" {soort} ".join(tekst(e, False) for e in inhoud)
        return delen if top else f"({delen})"

    return f"regel: {tekst(parse_regel(regel), True)}"


def evaluate(checklist: Checklist, ticked: Iterable[str]) -> ScreeningOutcome:
    """Apply ``checklist`` to the ticked criterion codes.

    Unknown codes raise ValueError: a stale or mistyped code must not silently
    drop out of a screening that lands in the dossier.
    """
    aangevinkt = set(ticked)
    bekend = {c.code for c in checklist.criteria}
    if onbekend := sorted(aangevinkt - bekend):
        raise ValueError(
            f"Checklist '{checklist.code}' kent deze criteria niet: {', '.join(onbekend)}."
        )

    uitkomsten: list[GroepUitkomst] = []
    for g in checklist.groepen:
        criteria = checklist.criteria_van(g.code)
        codes = tuple(c.code for c in criteria if c.code in aangevinkt)
        nodig = _nodig(g, len(criteria))
        uitkomsten.append(
            GroepUitkomst(
                code=g.code,
                naam=g.naam,
                aangevinkt=codes,
                nodig=nodig,
                voldaan=not g.informatief and len(codes) >= nodig,
                informatief=g.informatief,
            )
        )
    voldaan = {u.code: u.voldaan for u in uitkomsten if not u.informatief}

    regel = checklist.regel.strip()
    if regel == ALLE:
        voorstel = all(voldaan.values())
    elif (n := _minstens(regel)) is not None:
        voorstel = sum(voldaan.values()) >= n
    else:
        voorstel = _eval_expr(parse_regel(regel), voldaan)

    teksten = {c.code: c.tekst for c in checklist.criteria}
    regels: list[str] = []
    if voorstel:
        regels.append(f"Voorstel: {checklist.voorstel}.")
    else:
        regels.append("Geen voorstel: de criteria zijn niet vervuld.")
    regels.append(f"{checklist.naam} ({_beschrijf_regel(checklist)}):")
    for u in uitkomsten:
        aantal = len(checklist.criteria_van(u.code))
        if u.informatief:
            status = f"informatief, {len(u.aangevinkt)} van {aantal} aangevinkt"
        else:
            status = (
                f"{'voldaan' if u.voldaan else 'niet voldaan'}, "
                f"{len(u.aangevinkt)} van {aantal} aangevinkt, {u.nodig} nodig"
            )
        regels.append(f"- {u.naam}: {status}")
        regels.extend(f"    • {teksten[code]}" for code in u.aangevinkt)
    if voorstel and any(u.informatief and u.aangevinkt for u in uitkomsten):
        # ZWB: ticking both "licht" and "zwaar" is contradictory; zwaar wins,
        # but the user should see that the picture is mixed.
        regels.append("Let op: ook informatieve criteria zijn aangevinkt; het voorstel gaat voor.")
    if not voorstel and checklist.alternatief:
        regels.append(checklist.alternatief)
    regels.append(_DISCLAIMER)
    return ScreeningOutcome(voorstel, "\n".join(regels), tuple(uitkomsten))


# ---------------------------------------------------------------------------
# Serialisation (JSON / TOML friendly: only str, lists and tables)
# ---------------------------------------------------------------------------

_CHECKLIST_SLEUTELS = {"code", "naam", "bron", "regel", "groepen", "criteria"}
_CHECKLIST_OPTIONEEL = {"voorstel", "alternatief"}
_GROEP_SLEUTELS = {"code", "naam"}
_GROEP_OPTIONEEL = {"regel"}
_CRITERIUM_SLEUTELS = {"code", "tekst", "groep"}


def to_dict(checklist: Checklist) -> dict[str, Any]:
    """Plain dict for JSON or TOML (``[[groepen]]`` / ``[[criteria]]`` tables)."""
    return {
        "code": checklist.code,
        "naam": checklist.naam,
        "bron": checklist.bron,
        "regel": checklist.regel,
        "voorstel": checklist.voorstel,
        "alternatief": checklist.alternatief,
        "groepen": [{"code": g.code, "naam": g.naam, "regel": g.regel} for g in checklist.groepen],
        "criteria": [
            {"code": c.code, "tekst": c.tekst, "groep": c.groep} for c in checklist.criteria
        ],
    }


def _check_sleutels(
    data: Any, verplicht: set[str], optioneel: set[str], waar: str
) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{waar}: verwacht een tabel, niet {type(data).__name__}.")
    if onbekend := sorted(set(data) - verplicht - optioneel):
        raise ValueError(f"{waar}: onbekende sleutel(s): {', '.join(map(str, onbekend))}.")
    if ontbreekt := sorted(verplicht - set(data)):
        raise ValueError(f"{waar}: ontbrekende sleutel(s): {', '.join(ontbreekt)}.")
    for sleutel, waarde in data.items():
        if sleutel not in ("groepen", "criteria") and not isinstance(waarde, str):
            raise ValueError(f"{waar}: '{sleutel}' moet tekst zijn.")
    return data


def _lijst(data: Any, waar: str) -> Sequence[Any]:
    if isinstance(data, str | bytes) or not isinstance(data, Sequence):
        raise ValueError(f"{waar}: verwacht een lijst.")
    return data


def from_dict(data: Mapping[str, Any]) -> Checklist:
    """Inverse of :func:`to_dict`. Unknown or missing keys, wrong types, duplicate
    codes and inconsistent rules raise ValueError with a Dutch message."""
    code = data.get("code", "?") if isinstance(data, Mapping) else "?"
    waar = f"Checklist '{code}'"
    d = _check_sleutels(data, _CHECKLIST_SLEUTELS, _CHECKLIST_OPTIONEEL, waar)
    groepen = []
    for i, g in enumerate(_lijst(d["groepen"], f"{waar}, groepen"), start=1):
        gd = _check_sleutels(g, _GROEP_SLEUTELS, _GROEP_OPTIONEEL, f"{waar}, groep {i}")
        groepen.append(Groep(gd["code"], gd["naam"], gd.get("regel", "minstens 1")))
    criteria = []
    for i, c in enumerate(_lijst(d["criteria"], f"{waar}, criteria"), start=1):
        cd = _check_sleutels(c, _CRITERIUM_SLEUTELS, set(), f"{waar}, criterium {i}")
        criteria.append(Criterion(cd["code"], cd["tekst"], cd["groep"]))
    return Checklist(
        code=d["code"],
        naam=d["naam"],
        bron=d["bron"],
        regel=d["regel"],
        groepen=tuple(groepen),
        criteria=tuple(criteria),
        voorstel=d.get("voorstel", DEFAULT_VOORSTEL),
        alternatief=d.get("alternatief", ""),
    )


def checklists_to_list(checklists: Iterable[Checklist]) -> list[dict[str, Any]]:
    return [to_dict(c) for c in checklists]


def checklists_from_list(data: Any) -> list[Checklist]:
    """Load several checklists (e.g. the ``[[screening]]`` array of the config);
    duplicate checklist codes are an error."""
    result: list[Checklist] = []
    gezien: set[str] = set()
    for item in _lijst(data, "Screeningschecklists"):
        cl = from_dict(item)
        if cl.code in gezien:
            raise ValueError(f"Checklistcode '{cl.code}' komt dubbel voor.")
        gezien.add(cl.code)
        result.append(cl)
    return result


# ---------------------------------------------------------------------------
# Defaults (background-pilots-2014 §5)
# ---------------------------------------------------------------------------

_LEEFGEBIEDEN = (
    ("wonen", "Wonen / huisvesting"),
    ("gezondheid", "Gezondheid (lichamelijk of psychisch)"),
    ("werk", "Werk of dagbesteding"),
    ("inkomen", "Inkomen"),
    ("financien", "Financiën / schulden"),
)


def _leefgebieden(groep: str) -> tuple[Criterion, ...]:
    return tuple(Criterion(f"leefgebied_{code}", tekst, groep) for code, tekst in _LEEFGEBIEDEN)


def _zwb_hg() -> Checklist:
    # §5.1: the flowchart is ambiguous about AND/OR. We take the reading that
    # is safest for the suspect's surroundings: any single ZWAAR criterion
    # routes the case through the VH ("veiligheidshuisloop"); LICHT only informs.
    return Checklist(
        code="zwb-hg",
        naam="Routekaart huiselijk geweld Zeeland-West-Brabant",
        bron=(
            "Routekaart voor Procesontwerp HG-Zaken, 12-12-2013, v0.10 "
            "(eindrapport pilots ZSM-veiligheidshuizen 2014, p29-30)"
        ),
        regel=ALLE,
        voorstel=(
            "veiligheidshuisloop (mail de zaak met onderwerp 'ZSM HG voor advies' aan de "
            "VH-secretaris; telefonisch advies de volgende werkdag vóór 13:00)"
        ),
        alternatief=(
            "Licht: afdoening op de ZSM-locatie mogelijk (sepot, VW sepot, TOM op het "
            "veiligheidshuis minstens 7 dagen na het besluit); het VH neemt het besluit "
            "ter kennisname ('ZSM HG ter info')."
        ),
        groepen=(
            Groep("zwaar", "Zwaar", "minstens 1"),
            Groep("licht", "Licht", INFORMATIEF),
        ),
        criteria=(
            Criterion("recidive", "Recidive (of relevante antecedenten)", "zwaar"),
            Criterion("bekend", "Bekendheid bij ZSM-partners en in GCOS", "zwaar"),
            Criterion(
                "aard_ernstig",
                "Aard mishandeling/feit matig, ernstig of zeer ernstig",
                "zwaar",
            ),
            Criterion("zes_uurs", "6-uurszaak", "licht"),
            Criterion("aard_licht", "Aard mishandeling/delict licht", "licht"),
            Criterion("first_offender", "First offender", "licht"),
            Criterion(
                "niet_bekend",
                "Geen (gewelds)bekendheid bij ZSM-partners en in GCOS",
                "licht",
            ),
            Criterion(
                "advies_gcos",
                "Duidelijk en uitvoerbaar advies bij 'voorgenomen besluit' in GCOS",
                "licht",
            ),
        ),
    )


def _rr_jeugd() -> Checklist:
    return Checklist(
        code="rr-jeugd",
        naam="Triage Rotterdam-Rijnmond: jeugd",
        bron="Eindrapport pilots ZSM-veiligheidshuizen 2014, §6.2 (≈p37)",
        regel=ALLE,
        groepen=(
            Groep("minderjarig", "Minderjarige", ALLE),
            Groep("jeugd", "Jeugdcriteria", "minstens 1"),
        ),
        criteria=(
            Criterion("minderjarig", "Minderjarige verdachte of veroordeelde", "minderjarig"),
            Criterion(
                "retourmelding",
                "(Dreigende) retourmelding toezicht jeugdreclassering",
                "jeugd",
            ),
            Criterion("pij_voorwaardelijk", "Voorwaardelijke PIJ-maatregel", "jeugd"),
            Criterion("hka", "HKA-jongere (harde-kernaanpak)", "jeugd"),
            Criterion("dubbele_maatregel", "Dubbele maatregel (OTS en JR)", "jeugd"),
            Criterion(
                "multiproblematiek",
                "Complexe, meervoudige problematiek die een gezamenlijke aanpak vraagt",
                "jeugd",
            ),
            Criterion(
                "terugkeer_gesloten",
                "Terugkeer uit gesloten (civiele) jeugdzorg",
                "jeugd",
            ),
        ),
    )


def _rr_hg() -> Checklist:
    return Checklist(
        code="rr-hg",
        naam="Triage Rotterdam-Rijnmond: huiselijk geweld",
        bron="Eindrapport pilots ZSM-veiligheidshuizen 2014, §6.2 (≈p37)",
        regel=ALLE,
        groepen=(
            Groep("samenloop", "Samenloop na het feit", ALLE),
            Groep("leefgebieden", "Problemen op leefgebieden", "minstens 2"),
            Groep("hg", "HG-criteria", "minstens 1"),
        ),
        criteria=(
            Criterion(
                "samenloop",
                "Combinatie van strafrecht en/of bestuursrecht en/of zorg na het feit",
                "samenloop",
            ),
            *_leefgebieden("leefgebieden"),
            Criterion(
                "hoog_risico",
                "Zeer hoog risico op herhaling van geweld; urgent veiligheidsplan nodig",
                "hg",
            ),
            Criterion("code_rood", "Intiem terroristisch geweld ('code rood')", "hg"),
            Criterion(
                "kinderen",
                "Minderjarige kinderen betrokken als pleger, slachtoffer of getuige",
                "hg",
            ),
            Criterion(
                "verslaving_lvb_psych",
                "Verslaving, LVB of psychiatrische problematiek bij pleger of slachtoffer",
                "hg",
            ),
            Criterion(
                "huisverbod",
                "Huisverbod na geplande screening (weegteam, kindermishandeling)",
                "hg",
            ),
            Criterion(
                "stalking",
                "Potentiële of concrete (ernstige) stalking, eventueel met Aware",
                "hg",
            ),
            Criterion("ketens", "Expertise van meerdere ketens nodig", "hg"),
        ),
    )


def _rr_hit() -> Checklist:
    return Checklist(
        code="rr-hit",
        naam="Triage Rotterdam-Rijnmond: HIT-lijst",
        bron="Eindrapport pilots ZSM-veiligheidshuizen 2014, §6.2 (≈p37)",
        regel=ALLE,
        voorstel="direct doorzetten naar het veiligheidshuis (HIT)",
        groepen=(Groep("hit", "HIT-criteria", "minstens 1"),),
        criteria=(
            Criterion(
                "hit_volwassen",
                "Volwassene, veroordeeld in de laatste 3 jaar voor woninginbraak, "
                "straatroof en/of overval",
                "hit",
            ),
            Criterion(
                "hit_minderjarig",
                "Minderjarige, veroordeeld in de laatste 2 jaar voor woninginbraak, "
                "straatroof en/of overval",
                "hit",
            ),
        ),
    )


def _rr_sd() -> Checklist:
    # §5.2: hard criteria, or "complex": ≥3 leefgebieden not yet worked on (no
    # PvA), or complex OGGZ problems. The "casus is complex" hard criterion is
    # exactly those two alternatives, so it is not a separate tick box.
    return Checklist(
        code="rr-sd",
        naam="Triage Rotterdam-Rijnmond: stelselmatige daders / veelplegers",
        bron="Eindrapport pilots ZSM-veiligheidshuizen 2014, §6.2 (≈p37)",
        regel="hard of (leefgebieden en geen_pva) of oggz",
        groepen=(
            Groep("hard", "Harde criteria", "minstens 1"),
            Groep("leefgebieden", "Leefgebieden (zorg en justitie nodig)", "minstens 3"),
            Groep("geen_pva", "Nog niet in aanpak", ALLE),
            Groep("oggz", "Complexe OGGZ-problematiek", "minstens 1"),
        ),
        criteria=(
            Criterion(
                "label_veelpleger",
                "ZAVP-, SD- of pre-ISD-label (veelplegerslijst)",
                "hard",
            ),
            Criterion("hit_lijst", "Staat op de HIT-lijst", "hard"),
            Criterion("jovo", "JOVO (18-23 jaar met VP/ZAVP/SD-status)", "hard"),
            *_leefgebieden("leefgebieden"),
            Criterion(
                "geen_pva",
                "Er wordt nog niet aan gewerkt (geen plan van aanpak)",
                "geen_pva",
            ),
            Criterion("oggz_lvb", "LVB (licht verstandelijke beperking)", "oggz"),
            Criterion("oggz_psychiatrie", "Psychiatrische problematiek", "oggz"),
        ),
    )


def default_checklists() -> list[Checklist]:
    """The checklists from background-pilots-2014 §5.1 and §5.2, ready to edit."""
    return [_zwb_hg(), _rr_jeugd(), _rr_hg(), _rr_hit(), _rr_sd()]
