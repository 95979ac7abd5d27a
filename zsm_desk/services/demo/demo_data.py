"""A realistic synthetic ZSM day (`zsm-desk demo`). Faker nl_NL; no real persons.

One ZSM location with four veiligheidshuizen, ~150 suspects spread over 24
hours (about 81 % adults, 19 % minors, all statuses), and VH registers in
which about 10 % of the day's suspects are known, some with the spelling and
birth-date differences real registrations have, with advice of varying ages.
The same seed gives the same persons and cases; the day is the 24 hours up to
now (rounded to the hour) unless a date is given.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker

from zsm_desk.domain.clock import Clock, SystemClock
from zsm_desk.domain.records import bsn_valid
from zsm_desk.domain.settings import validate_config

TZ = ZoneInfo("Europe/Amsterdam")

VHS: list[dict[str, Any]] = [
    {
        "code": "VH-UTR",
        "naam": "Veiligheidshuis Regio Utrecht",
        "mailbox": "centraal@vh-utrecht.example.org",
        "gemeenten": ["Utrecht", "Nieuwegein", "Zeist", "Houten", "IJsselstein", "Woerden"],
        "telefoon": "030-5550100",
        "bereikbaar": "ma-vr 08:30-17:00",
        "beveiligde_mail": True,
        "terugkoppeling": "direct",
    },
    {
        "code": "VH-AMF",
        "naam": "Zorg- en Veiligheidshuis Regio Amersfoort",
        "mailbox": "postbus@zvh-amersfoort.example.org",
        "gemeenten": ["Amersfoort", "Leusden", "Soest", "Baarn", "Nijkerk"],
        "telefoon": "033-5550200",
        "bereikbaar": "ma-vr 09:00-17:00",
        "beveiligde_mail": True,
        "terugkoppeling": "dagelijks 16:00",
    },
    {
        "code": "VH-FLE",
        "naam": "Zorg- en Veiligheidshuis Flevoland",
        "mailbox": "centraal@zvh-flevoland.example.org",
        "gemeenten": ["Almere", "Lelystad", "Dronten", "Zeewolde"],
        "telefoon": "036-5550300",
        "bereikbaar": "ma-vr 09:00-17:00",
        "beveiligde_mail": False,
        "terugkoppeling": "dagelijks 16:00",
    },
    {
        "code": "VH-GV",
        "naam": "Zorg- en Veiligheidshuis Gooi en Vechtstreek",
        "mailbox": "zsm@zvh-gooi.example.org",
        "gemeenten": ["Hilversum", "Huizen", "Bussum", "Weesp", "Blaricum"],
        "telefoon": "035-5550400",
        "bereikbaar": "ma-do 08:30-17:00, vr 08:30-12:30",
        "beveiligde_mail": True,
        "terugkoppeling": "direct",
    },
]

OFFENCES: list[tuple[str, str, float]] = [
    ("Mishandeling partner (art. 300/304 Sr)", "huiselijk geweld", 9),
    ("Bedreiging ex-partner (art. 285 Sr)", "huiselijk geweld", 5),
    ("Belaging (art. 285b Sr)", "huiselijk geweld", 2),
    ("Mishandeling (art. 300 Sr)", "geweld", 8),
    ("Openlijke geweldpleging (art. 141 Sr)", "geweld", 3),
    ("Zware mishandeling (art. 302 Sr)", "geweld", 1),
    ("Winkeldiefstal (art. 310 Sr)", "vermogen", 14),
    ("Inbraak woning (art. 311 Sr)", "vermogen", 5),
    ("Heling (art. 416 Sr)", "vermogen", 3),
    ("Straatroof (art. 312 Sr)", "vermogen", 2),
    ("Vernieling (art. 350 Sr)", "overlast", 7),
    ("Rijden onder invloed (art. 8 WVW)", "overig", 8),
    ("Belediging ambtenaar (art. 267 Sr)", "overlast", 4),
    ("Bezit harddrugs (art. 2 Opiumwet)", "overig", 4),
    ("Huisvredebreuk (art. 138 Sr)", "overlast", 2),
]

MIGRANT_SURNAMES = [
    "El Amrani",
    "Bouzid",
    "Yilmaz",
    "Öztürk",
    "Kaya",
    "Çelik",
    "Aydın",
    "Benali",
    "El Idrissi",
    "Ramdin",
    "Sewdien",
    "Martina",
    "Kowalski",
    "Nowak",
    "Doğan",
    "Şahin",
    "Ait Taleb",
    "Mohan",
    "Koç",
    "Haddou",
]
MIGRANT_MALE = [
    "Mohammed",
    "Ahmed",
    "Youssef",
    "Mehmet",
    "Mustafa",
    "Bilal",
    "Rachid",
    "Emre",
    "Hakan",
    "Ravi",
    "Jurgen",
    "Piotr",
    "Tomasz",
    "Ayoub",
    "Anil",
]
MIGRANT_FEMALE = [
    "Fatima",
    "Ayşe",
    "Naima",
    "Zeynep",
    "Samira",
    "Shanti",
    "Elif",
    "Yasmina",
    "Kübra",
    "Agnieszka",
]

SLAGZINNEN = [
    "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH.",
    "Dagvaarden met het doel reclasseringstoezicht af te dwingen; zorgtraject loopt.",
    "Voorwaardelijk sepot met meldplicht reclassering; behandeling verslaving is gestart.",
    "Top X: bij elk feit voorgeleiden, bijzondere voorwaarde ambulante behandeling GGZ.",
    "ZAVP: dagvaarden en ISD-vordering overwegen; casusregisseur bellen vóór beslissing.",
    "Jeugd: raadsonderzoek aanvragen, school en jeugdhulp zijn betrokken.",
    "Gebiedsverbod centrum bij nieuw overlastfeit; schuldhulp loopt via gemeente.",
    "Gedragsaanwijzing: contact- en locatieverbod woning ex-partner en school kinderen.",
    "Strafbeschikking taakstraf past niet: LVB, kies voorwaardelijk sepot met begeleiding.",
    "Verward gedrag: overleg met GGD-interventiespecialist, zorgmelding boven strafzaak.",
]
ADVIEZEN = [
    "Voorgeleiden met het doel een contact- en locatieverbod (woning ex-partner, school "
    "kinderen) op te leggen; reclasseringstoezicht aansluitend op lopende ambulante hulp.",
    "Dagvaarden met het doel een voorwaardelijke straf met bijzondere voorwaarden "
    "(reclasseringstoezicht, meldplicht, behandelverplichting) op te leggen.",
    "Voorwaardelijk sepot met proeftijd van 2 jaar; voorwaarde: meewerken aan de behandeling "
    "bij de verslavingszorg en aan schuldhulpverlening.",
    "TOM-zitting op het veiligheidshuis, zodat de procesregisseur aansluit en het PvA kan "
    "worden bijgesteld.",
]
DOELEN = [
    "Veiligheid ex-partner en kinderen borgen; agressieregulatie pas na start verslavingszorg.",
    "Recidive verminderen door dagbesteding en stabiele huisvesting.",
    "Schulden stabiliseren en zorg continueren; justitieel kader als stok achter de deur.",
    "Terugkeer naar school en begeleiding door jeugdhulp borgen.",
]
CONTEXTEN = [
    "Twee kinderen (6 en 9) wonen bij moeder; Veilig Thuis betrokken. Schuldhulp loopt via "
    "gemeente.",
    "Betrokkene woont sinds kort in beschermd wonen; netwerk beperkt, broer is steunfiguur.",
    "Familie bekend bij jeugdbescherming; jongere broer heeft een OTS.",
    "Lid van een overlastgevende jeugdgroep; heenzenden verhoogt status in de groep.",
]
PVA_ACTIES = [
    "ambulante verslavingszorg, gestart",
    "toezicht reclassering bij nieuw feit",
    "omgangsregeling via mediation",
    "schuldhulpverlening via gemeente",
    "begeleid wonen, aanmelding loopt",
    "dagbesteding via wijkteam",
    "agressieregulatietraining na afronding detox",
    "school en leerplicht sluiten aan",
    "huisverbod-opvolging door Veilig Thuis",
    "casusregie ligt bij procesregisseur",
]

STATUS_BY_AGE = [  # (max hours since instroom, weights per status)
    (2, {"aangemeld": 5, "te routeren": 3, "direct behandelen": 2}),
    (6, {"te routeren": 3, "direct behandelen": 3, "in behandeling": 4, "afgedaan": 1}),
    (12, {"in behandeling": 3, "afgedaan": 5, "afgebogen": 2}),
    (25, {"afgedaan": 6, "afgebogen": 3, "in behandeling": 1}),
]


def _bsn(rng: random.Random) -> str:
    while True:
        s = f"{rng.randrange(10_000_000, 999_999_999):09d}"
        if bsn_valid(s):
            return s


def _split_prefix(last: str) -> tuple[str, str]:
    for p in ("van der", "van den", "van de", "in 't", "van", "de", "den", "ter", "te", "der"):
        if last.startswith(p + " "):
            return p, last[len(p) + 1 :]
    return "", last


@dataclass
class DemoData:
    config: dict[str, Any]
    instroom: list[dict[str, Any]]
    register: list[dict[str, Any]]
    known_bvh: dict[str, list[str]]  # bvh → vh codes (ground truth for tests)


class _Gen:
    def __init__(self, seed: int, day_end: dt.datetime):
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.day_end = day_end
        self.gemeenten = [g for vh in VHS for g in vh["gemeenten"]]
        self.counter = 0

    def person(self, minor: bool) -> dict[str, Any]:
        rng, fake = self.rng, self.fake
        sex = rng.choice("MMMMV")  # ZSM suspects are mostly men
        if rng.random() < 0.3:
            last = rng.choice(MIGRANT_SURNAMES)
            first = rng.choice(MIGRANT_MALE if sex == "M" else MIGRANT_FEMALE)
            if rng.random() < 0.3:
                first += " " + rng.choice(MIGRANT_MALE if sex == "M" else MIGRANT_FEMALE)
        else:
            last = fake.last_name()
            first = fake.first_name_male() if sex == "M" else fake.first_name_female()
            if rng.random() < 0.45:
                more = fake.first_name_male() if sex == "M" else fake.first_name_female()
                if more != first:
                    first += " " + more
        prefix, last = _split_prefix(last)
        today = self.day_end.date()
        age = rng.randint(12, 17) if minor else int(min(75, 18 + rng.expovariate(1 / 14)))
        born = today - dt.timedelta(days=age * 365 + rng.randint(1, 360))
        gemeente = rng.choice(self.gemeenten)
        return {
            "achternaam": last,
            "voorvoegsel": prefix,
            "voornamen": first,
            "geboortedatum": born.isoformat(),
            "geslacht": sex,
            "geboorteplaats": rng.choice([gemeente, fake.city()]),
            "bsn": _bsn(rng) if rng.random() < 0.55 else "",
            "woonplaats": gemeente,
            "gemeente": gemeente,
        }

    def item(self, n: int, person: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        hours_ago = rng.uniform(0, 24)
        at = (self.day_end - dt.timedelta(hours=hours_ago)).astimezone(TZ).replace(microsecond=0)
        feit, cat, _ = rng.choices(OFFENCES, weights=[o[2] for o in OFFENCES])[0]
        for max_h, weights in STATUS_BY_AGE:
            if hours_ago <= max_h:
                status = rng.choices(list(weights), weights=list(weights.values()))[0]
                break
        year = at.year % 100
        nr = 100_000 + n * 37 + rng.randint(0, 30)
        parket = f"16/{nr:06d}-{year:02d}" if status not in ("aangemeld",) else ""
        return {
            "bvh_nummer": f"PL0900-{at.year}{nr:06d}",
            "parketnummer": parket,
            "ingestroomd_op": at.isoformat(),
            **person,
            "feit": feit,
            "categorie": cat,
            "status": status,
        }

    def vary(self, p: dict[str, Any], hard: str | None = None) -> dict[str, Any]:
        """How another system writes the same person down.

        `hard` forces a difference that leaves the hit uncertain (`mogelijk`),
        so the demo day always has hits to review.
        """
        rng = self.rng
        q = dict(p)
        if hard is not None:
            q["bsn"] = ""
            if hard == "initialen":
                q["voornamen"] = " ".join(f"{n[0]}." for n in q["voornamen"].split())
            elif hard == "cijferfout":
                y, m, d = q["geboortedatum"].split("-")
                day = int(d) + 1 if int(d) < 28 else int(d) - 1  # one digit off
                q["geboortedatum"] = f"{y}-{m}-{day:02d}"
            else:  # dag-onbekend
                q["geboortedatum"] = q["geboortedatum"][:8] + "00"
            return q
        kind = rng.choice(
            [
                "zelfde",
                "zelfde",
                "roepnaam",
                "voorvoegsel",
                "diakrieten",
                "dag-maand",
                "dag-onbekend",
                "hoofdletters",
                "geen-bsn",
            ]
        )
        if kind == "roepnaam":
            q["voornamen"] = q["voornamen"].split()[0]
        elif kind == "voorvoegsel" and q["voorvoegsel"]:
            q["achternaam"] = f"{q['voorvoegsel']} {q['achternaam']}"
            q["voorvoegsel"] = ""
        elif kind == "diakrieten":
            table = str.maketrans("ÖöÇçŞşĞğıİüÜëé", "OoCcSsGgiIuUee")
            q["achternaam"] = q["achternaam"].translate(table)
            q["voornamen"] = q["voornamen"].translate(table)
        elif kind == "dag-maand":
            y, m, d = q["geboortedatum"].split("-")
            if int(d) <= 12 and d != m:
                q["geboortedatum"] = f"{y}-{d}-{m}"
        elif kind == "dag-onbekend":
            q["geboortedatum"] = q["geboortedatum"][:8] + "00"
        elif kind == "hoofdletters":
            q["achternaam"] = q["achternaam"].upper()
        elif kind == "geen-bsn":
            q["bsn"] = ""
        if rng.random() < 0.5:
            q["bsn"] = ""  # registers often lack the BSN
        return q

    def marking(self, vh: str, p: dict[str, Any], minor: bool) -> dict[str, Any]:
        rng = self.rng
        self.counter += 1
        months_old = rng.choice([1, 2, 3, 4, 5, 7, 8, 10, 13, 16, 22])
        advies_datum = self.day_end.date() - dt.timedelta(days=int(months_old * 30.4))
        hg = "\n".join(
            f"{(advies_datum - dt.timedelta(days=rng.randint(30, 900))).isoformat()} "
            f"{rng.choice(['melding ruzie, politie ter plaatse', 'huisverbod 10 dagen', 'aangifte bedreiging (geseponeerd)', 'melding Veilig Thuis', 'mishandeling, strafbeschikking'])}"
            for _ in range(rng.randint(0, 4))
        )
        acties = rng.sample(PVA_ACTIES, rng.randint(2, 5))
        pva = (
            "Doel: "
            + rng.choice(DOELEN)
            + "\n"
            + "\n".join(f"Actie {i}: {a}." for i, a in enumerate(acties, 1))
        )
        slagzin = SLAGZINNEN[5] if minor else rng.choice(SLAGZINNEN[:5] + SLAGZINNEN[6:])
        return {
            "vh_code": vh,
            "persoon_id": f"{vh[3:]}{self.counter:07d}",
            "achternaam": p["achternaam"],
            "voorvoegsel": p["voorvoegsel"],
            "voornamen": p["voornamen"],
            "geboortedatum": p["geboortedatum"],
            "bsn": p["bsn"],
            "geboorteplaats": p["geboorteplaats"],
            "gemeente": p["gemeente"],
            "doelgroep": "jeugd"
            if minor
            else rng.choice(
                ["Top X", "huiselijk geweld", "ZAVP", "verward gedrag", "huiselijk geweld"]
            ),
            "slagzin": slagzin,
            "advies": rng.choice(ADVIEZEN),
            "doel_interventie": rng.choice(DOELEN),
            "context": rng.choice(CONTEXTEN),
            "hg_historie": hg,
            "advies_datum": advies_datum.isoformat(),
            "plan_van_aanpak": pva,
            "contactpersoon": f"Procesregisseur {self.fake.first_name()[0]}. {self.fake.last_name()}",
            "contact_telefoon": next(v["telefoon"] for v in VHS if v["code"] == vh),
            "actief": "ja",
        }


def vh_for(gemeente: str) -> str:
    return next((v["code"] for v in VHS if gemeente in v["gemeenten"]), VHS[0]["code"])


def generate(
    seed: int = 1,
    *,
    items: int = 150,
    background: int = 1500,
    day_end: dt.datetime | None = None,
    clock: Clock | None = None,
) -> DemoData:
    """A demo day ending at `day_end` (default: the current hour by `clock`)."""
    if day_end is None:
        now = (clock or SystemClock()).now()
        day_end = now.astimezone(TZ).replace(minute=0, second=0, microsecond=0)
    g = _Gen(seed, day_end)
    rng = g.rng
    instroom: list[dict[str, Any]] = []
    register: list[dict[str, Any]] = []
    known: dict[str, list[str]] = {}
    hard_variants = ["initialen", "cijferfout", "dag-onbekend"]
    for n in range(items):
        minor = rng.random() < 0.19
        person = g.person(minor)
        item = g.item(n, person)
        instroom.append(item)
        if rng.random() < 0.10:
            home = vh_for(person["gemeente"])
            vhs = [home]
            if rng.random() < 0.2:
                vhs.append(rng.choice([v["code"] for v in VHS if v["code"] != home]))
            hard = hard_variants.pop(0) if hard_variants and not minor else None
            for vh in vhs:
                register.append(g.marking(vh, g.vary(person, hard), minor))
            known[item["bvh_nummer"]] = vhs
        elif rng.random() < 0.03:
            # A twin in the register: same surname and birth date, other first
            # name. Must never be flagged as this suspect.
            twin = dict(person, voornamen=g.fake.first_name(), bsn="")
            register.append(g.marking(vh_for(person["gemeente"]), twin, minor))
    for _ in range(background):
        minor = rng.random() < 0.15
        p = g.person(minor)
        register.append(g.marking(vh_for(p["gemeente"]), p, minor))
    # An inactive marking, kept for history and never flagged.
    if register:
        register[-1]["actief"] = "nee"
    config = {
        "zsm_locatie": "ZSM Midden-Nederland",
        "deadline_uren": 6,
        "smtp": {
            "host": "smtp.example.org",
            "port": 587,
            "beveiliging": "starttls",
            "gebruiker": "zsm-desk",
            "afzender": "ZSM Midden-Nederland <zsm-mn@example.org>",
        },
        "veiligheidshuis": VHS,
    }
    validate_config(config)
    instroom.sort(key=lambda r: r["ingestroomd_op"])
    return DemoData(config=config, instroom=instroom, register=register, known_bvh=known)
