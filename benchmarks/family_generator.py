"""Fourth benchmark generator: households, so that relatives are the hard negatives.

Written after the other three, apart from them, because none of them wrote
a father and son of the same names (7 December: 45 wrong `bekend` once a
setting of ``typo_generator`` did). Persons live in households:

* a father and a mother (her own surname, as the BRP keeps it) born within
  six years of each other, and 0-4 children born 22-38 years after the
  father, one to four years apart; 3 % of the births are twins (same day,
  another first name, a third of them with the same first letter);
* Dutch naming: a child's second given name is often a parent's first
  (siblings share middle names); 8 % of first sons carry all of the
  father's given names (a junior); a son may carry the grandfather's first
  name, which is the father's second;
* children are born in the family's gemeente (so siblings, twins and
  juniors share the birth place), and half of the grown-up ones have moved;
* the VH register holds `register_share` of the persons aged 16-60 (5 % of
  them at two VHs; 15 % by default, so that a register of `persons`
  comes from a population about ten times as big, relatives included),
  written from documents: clean, birth place on 60 %, BSN on half, and 5 %
  with initials only;
* the police copy: roepnaam only for 35 %, a slip in the first name or the
  surname for 6 % each, a date typo for 5 % (a fifth of them day and month
  swapped, the rest a neighbouring key on one digit of the day, the month or
  the last two of the year), name fields exchanged for 2 %, gemeente on
  75 %, birth place on half, BSN on 40 %.

The queue: `known_share` registered persons, `relatives` a member of a
registered person's household who is not registered himself (parent,
sibling, twin, child, junior), the rest anyone. Truth is always the
registrations of the person the item is about.

Boundary: ``generate(seed, persons, items, known_share=0.10, relatives=0.3,
register_share=0.15)`` returns ``(register_records, instroom, truth)`` in the
shapes of ``synthetic.generate``; `persons` is the number of registered
persons, as the other generators' register size.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker.providers.address.nl_NL import Provider as _Addr
from faker.providers.person.nl_NL import Provider as _Names
from typo_generator import _bsn  # an elfproef-valid BSN; not part of the noise model

VH_CODES = ("VH-AMS", "VH-RDM", "VH-UTR", "VH-HGL", "VH-NNL", "VH-ZWB", "VH-LIM", "VH-FLE")
_PREFIXES = {"van", "de", "der", "den", "het", "'t", "ter", "te", "ten", "in", "op"}
_TODAY = dt.date(2026, 11, 22)


def _zipf(names: list[str], seed: int) -> tuple[list[str], list[float]]:
    """Names in a fixed shuffle with weights 1/(rank + 30), cumulated."""
    order = sorted(set(names))
    random.Random(seed).shuffle(order)
    acc, total = [], 0.0
    for n in range(len(order)):
        total += 1.0 / (n + 30)
        acc.append(total)
    return order, acc


_SUR = _zipf(list(_Names.last_names), 11)
_MALE = _zipf(list(_Names.first_names_male), 12)
_FEMALE = _zipf(list(_Names.first_names_female), 13)
_CITIES = tuple(_Addr.cities)


def _draw(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    return rng.choices(table[0], cum_weights=table[1])[0]


@dataclass
class _P:
    given: list[str]
    prefix: str
    surname: str
    born: dt.date
    place: str
    gemeente: str
    male: bool
    bsn: str
    household: int
    father: int | None = None  # index of the father in the population
    registered: list[tuple[str, str]] = field(default_factory=list)


def _split(last: str) -> tuple[str, str]:
    words = last.split(" ")
    n = 0
    while n < len(words) - 1 and words[n].lower() in _PREFIXES:
        n += 1
    return " ".join(words[:n]), " ".join(words[n:])


def _names(rng: random.Random, male: bool, parent_first: str | None) -> list[str]:
    table = _MALE if male else _FEMALE
    out = [_draw(rng, table)]
    if parent_first and rng.random() < 0.5:
        out.append(parent_first)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        out.append(_draw(rng, table))
    return list(dict.fromkeys(out))


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _household(rng: random.Random, h: int, people: list[_P]) -> None:
    prefix, surname = _split(_draw(rng, _SUR))
    gemeente = rng.choice(_CITIES)
    f_born = _day(rng, rng.randint(1945, 1990))
    father = _P(_names(rng, True, None), prefix, surname, f_born, rng.choice(_CITIES),
                gemeente, True, _bsn(rng), h)  # fmt: skip
    m_prefix, m_surname = _split(_draw(rng, _SUR))
    m_born = _day(rng, min(f_born.year + rng.randint(-6, 6), 1995))
    mother = _P(_names(rng, False, None), m_prefix, m_surname, m_born, rng.choice(_CITIES),
                gemeente, False, _bsn(rng), h)  # fmt: skip
    fi = len(people)
    people += [father, mother]
    year = f_born.year + rng.randint(22, 38)
    sons = 0
    for _ in range(rng.choice((0, 1, 2, 2, 3, 3, 4))):
        born = _day(rng, year)
        if born >= _TODAY:
            break
        twins = 2 if rng.random() < 0.03 else 1
        firsts: list[str] = []
        for _t in range(twins):
            male = rng.random() < 0.5
            parent = father if male else mother
            given = _names(rng, male, parent.given[0])
            if male and sons == 0 and rng.random() < 0.08:
                given = list(father.given)  # a junior
            elif male and len(father.given) > 1 and rng.random() < 0.1:
                given[0] = father.given[1]  # the grandfather's name
            if firsts and rng.random() < 0.33:  # twins with one first letter
                table = _MALE if male else _FEMALE
                for _try in range(50):
                    alt = _draw(rng, table)
                    if alt[0] == firsts[0][0] and alt != firsts[0]:
                        given[0] = alt
                        break
            if given[0] in firsts:
                given[0] = _draw(rng, _MALE if male else _FEMALE)
            firsts.append(given[0])
            sons += male
            age = (_TODAY - born).days / 365.25
            moved = age >= 18 and rng.random() < 0.5
            place = gemeente if rng.random() < 0.8 else rng.choice(_CITIES)
            home = rng.choice(_CITIES) if moved else gemeente
            people.append(_P(given, prefix, surname, born, place, home, male, _bsn(rng), h, fi))
        year += rng.randint(1, 4)


def _slip(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    r = rng.random()
    if r < 0.3:
        return word[:i] + word[i + 1 :]
    if r < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    near = "qwertyuiopasdfghjklzxcvbnm"
    k = near.find(word[i].lower())
    return word[:i] + (near[k + 1] if 0 <= k < 25 else "e") + word[i + 1 :]


def _date_noise(rng: random.Random, d: dt.date) -> str:
    """Day and month swapped (a fifth), else a neighbouring key on one digit
    of the day, the month or the last two of the year (a number row slip,
    not any digit: 1987 for 1997, never 1937)."""
    if rng.random() < 0.2 and d.day <= 12 and d.day != d.month:
        return dt.date(d.year, d.day, d.month).isoformat()
    digits = list(d.strftime("%Y%m%d"))
    for pos in rng.sample((2, 3, 4, 5, 6, 7), 6):
        for step in rng.sample((-1, 1), 2):
            digit = int(digits[pos]) + step
            if not 0 <= digit <= 9:
                continue
            new = "".join([*digits[:pos], str(digit), *digits[pos + 1 :]])
            try:
                return dt.date(int(new[:4]), int(new[4:6]), int(new[6:])).isoformat()
            except ValueError:
                continue
    return d.isoformat()


def _register_copy(rng: random.Random, p: _P) -> dict[str, str]:
    given = " ".join(p.given)
    if rng.random() < 0.05:
        given = "".join(f"{g[0]}." for g in p.given)
    return {
        "achternaam": p.surname,
        "voorvoegsel": p.prefix,
        "voornamen": given,
        "geboortedatum": p.born.isoformat(),
        "bsn": p.bsn if rng.random() < 0.5 else "",
        "geboorteplaats": p.place if rng.random() < 0.6 else "",
        "gemeente": p.gemeente,
    }


def _police_copy(rng: random.Random, p: _P) -> dict[str, str]:
    given = list(p.given)
    if len(given) > 1 and rng.random() < 0.35:
        given = given[:1]
    if rng.random() < 0.06:
        given[0] = _slip(rng, given[0])
    surname = _slip(rng, p.surname) if rng.random() < 0.06 else p.surname
    r = rng.random()
    datum = _date_noise(rng, p.born) if r < 0.05 else p.born.isoformat()
    voornamen, achternaam, prefix = " ".join(given), surname, p.prefix
    if rng.random() < 0.02:
        voornamen, achternaam, prefix = f"{prefix} {surname}".strip(), given[0], ""
    gemeente = p.gemeente if rng.random() < 0.75 else ""
    return {
        "achternaam": achternaam,
        "voorvoegsel": prefix,
        "voornamen": voornamen,
        "geboortedatum": datum,
        "bsn": p.bsn if rng.random() < 0.4 else "",
        "geboorteplaats": p.place if rng.random() < 0.5 else "",
        "gemeente": gemeente,
    }


def generate(
    seed: int = 1,
    persons: int = 200_000,
    items: int = 2_000,
    known_share: float = 0.10,
    relatives: float = 0.3,
    register_share: float = 0.15,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    rng = random.Random(f"family-{seed}")
    people: list[_P] = []
    records: list[dict[str, str]] = []
    registered: list[int] = []
    members: dict[int, list[int]] = {}
    h = 0
    while len(registered) < persons:
        start = len(people)
        _household(rng, h, people)
        members[h] = list(range(start, len(people)))
        h += 1
        for n in members[h - 1]:
            p = people[n]
            age = (_TODAY - p.born).days / 365.25
            if not (16 <= age <= 60 and rng.random() < register_share):
                continue
            vhs = [rng.choice(VH_CODES)]
            if rng.random() < 0.05:
                vhs.append(rng.choice([v for v in VH_CODES if v != vhs[0]]))
            for vh in vhs:
                pid = f"F{n:07d}{vh[-1]}"
                rec = {"vh_code": vh, "persoon_id": pid, **_register_copy(rng, p)}
                rec.update(slagzin="Afstemmen met VH.", advies_datum="2026-01-15", actief="ja")
                records.append(rec)
                p.registered.append((vh, pid))
            registered.append(n)
    adults = [n for n, p in enumerate(people) if (_TODAY - p.born).days >= 12 * 365]
    instroom: list[dict[str, str]] = []
    truth: dict[str, set[tuple[str, str]]] = {}
    for k in range(items):
        r = rng.random()
        if r < known_share:
            n = rng.choice(registered)
        elif r < known_share + relatives:
            base = rng.choice(registered)
            kin = [m for m in members[people[base].household] if m != base]
            grown = [m for m in kin if (_TODAY - people[m].born).days >= 12 * 365]
            n = rng.choice(grown) if grown else rng.choice(adults)
        else:
            n = rng.choice(adults)
        p = people[n]
        ident = _police_copy(rng, p)
        bvh = f"FA{seed % 1000:03d}-{k:07d}"
        instroom.append(
            {
                "bvh_nummer": bvh,
                "parketnummer": "",
                "ingestroomd_op": "2026-11-22T08:00:00+01:00",
                **ident,
                "geslacht": "M" if p.male else "V",
                "woonplaats": ident["gemeente"],
                "feit": "winkeldiefstal",
                "categorie": "vermogen",
                "status": "nieuw",
            }
        )
        truth[bvh] = set(p.registered)
    return records, instroom, truth


__all__ = ["VH_CODES", "generate"]
