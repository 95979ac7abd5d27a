"""Third benchmark generator: a clean register and a police copy typed by a clerk.

Written apart from ``synthetic.py`` and ``typo_generator.py``, with a third
noise model, as a check that the matcher is not tuned to either of them:

* the register is clean (a VH registers a client from his documents); only
  the police copy has noise, per *field* with one error type each, as a clerk
  at the desk makes them: a dropped or doubled letter, two letters swapped, a
  letter from the spoken form (ij/y/ei, ou/au, ch/g, c/k, s/z, ph/f), the
  voorvoegsel glued to or dropped from the surname, a double surname in the
  other order or only one part of it, the middle names left out, a blank in
  a given name, given name and surname in each other's field; the date is
  rarely wrong (one digit, 1 %);
* name frequencies follow a long tail: a few common surnames and given names
  and many rare ones, drawn with weights 1/(rank + k) from the Faker nl_NL
  lists (top surname ~0.5 %, top first name ~2 %); 15 % of persons have a
  second surname;
* hard negatives among the unknown queue items: twins (same surname, date and
  gemeente, another first name), namesakes (same given names and surname,
  another date: half in the same year), siblings (same surname and gemeente,
  born one to four years apart, another first name) and same-name-same-year
  persons;
* BSN on 30 % of the police copies and 40 % of register entries, birth place
  on 60 % of either, gemeente on both (15 % moved).

Boundary: ``generate(seed, persons, items, known_share=0.10)`` returns
``(register_records, instroom, truth)`` in the shapes of ``synthetic.generate``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from faker.providers.address.nl_NL import Provider as _Addr
from faker.providers.person.nl_NL import Provider as _Names
from typo_generator import _bsn  # an elfproef-valid BSN; not part of the noise model

VH_CODES = ("VH-AMS", "VH-RDM", "VH-UTR", "VH-HGL", "VH-NNL", "VH-ZWB", "VH-LIM")
_PREFIXES = {"van", "de", "der", "den", "het", "'t", "ter", "te", "ten", "in", "op"}
_SPOKEN = (("ij", "y"), ("y", "ij"), ("ei", "ij"), ("ou", "au"), ("au", "ou"), ("ch", "g"),
           ("c", "k"), ("k", "c"), ("s", "z"), ("ph", "f"), ("th", "t"), ("ie", "i"))  # fmt: skip


def _weighted(names: tuple[str, ...], flat: int) -> tuple[tuple[str, ...], list[float]]:
    """A long tail: weight 1/(rank + flat) over a fixed shuffle of the list.

    `flat` sets how common the top name is: 50 gives the most common surname
    about 0.5 % of persons (de Jong in the Netherlands), 15 the most common
    first name about 2 %.
    """
    order = list(dict.fromkeys(names))
    random.Random(7).shuffle(order)
    acc, total = [], 0.0
    for n in range(len(order)):
        total += 1.0 / (n + 1 + flat)
        acc.append(total)
    return tuple(order), acc


_SUR = _weighted(tuple(_Names.last_names), 50)
_MALE = _weighted(tuple(_Names.first_names_male), 15)
_FEMALE = _weighted(tuple(_Names.first_names_female), 15)
_CITIES = tuple(_Addr.cities)


def _pick(rng: random.Random, table: tuple[tuple[str, ...], list[float]]) -> str:
    names, acc = table
    return rng.choices(names, cum_weights=acc)[0]


@dataclass(frozen=True)
class _Person:
    given: tuple[str, ...]
    prefix: str
    surname: str
    born: dt.date
    place: str
    gemeente: str
    bsn: str
    male: bool


def _split(last: str) -> tuple[str, str]:
    words = last.split(" ")
    n = 0
    while n < len(words) - 1 and words[n].lower() in _PREFIXES:
        n += 1
    return " ".join(words[:n]), " ".join(words[n:])


def _given(rng: random.Random, male: bool) -> tuple[str, ...]:
    table = _MALE if male else _FEMALE
    first = _pick(rng, table)
    more = [_pick(rng, table) for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
    return (first, *[m for m in more if m != first])


def _person(rng: random.Random) -> _Person:
    male = rng.random() < 0.7
    prefix, surname = _split(_pick(rng, _SUR))
    if rng.random() < 0.15:
        surname = f"{surname}-{_split(_pick(rng, _SUR))[1]}"
    age = rng.choice((18, 21, 24, 27, 30, 35, 40, 48, 55, 63)) + rng.random() * 5
    born = dt.date(2026, 11, 22) - dt.timedelta(days=int(age * 365.25))
    city = rng.choice(_CITIES)
    return _Person(_given(rng, male), prefix, surname, born, rng.choice(_CITIES), city,
                   _bsn(rng), male)  # fmt: skip


def _slip(rng: random.Random, word: str) -> str:
    """One clerk's slip in a word."""
    if len(word) < 3:
        return word
    r = rng.random()
    i = rng.randrange(1, len(word) - 1)
    if r < 0.25:
        return word[:i] + word[i + 1 :]  # dropped
    if r < 0.45:
        return word[:i] + word[i] + word[i:]  # doubled
    if r < 0.65:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
    low = word.lower()
    for a, b in rng.sample(_SPOKEN, len(_SPOKEN)):
        at = low.find(a, 1)
        if at > 0:
            return word[:at] + b + word[at + len(a) :]
    return word[:i] + word[i + 1 :]


def _date_slip(rng: random.Random, d: dt.date) -> str:
    s = d.strftime("%Y%m%d")
    for _ in range(30):
        pos = rng.choice((3, 6, 7))
        new = s[:pos] + str(rng.randrange(10)) + s[pos + 1 :]
        try:
            return dt.date(int(new[:4]), int(new[4:6]), int(new[6:])).isoformat()
        except ValueError:
            continue
    return d.isoformat()


def _register_copy(rng: random.Random, p: _Person) -> dict[str, str]:
    return {
        "achternaam": p.surname,
        "voorvoegsel": p.prefix,
        "voornamen": " ".join(p.given),
        "geboortedatum": p.born.isoformat(),
        "bsn": p.bsn if rng.random() < 0.4 else "",
        "geboorteplaats": p.place if rng.random() < 0.6 else "",
        "gemeente": p.gemeente,
    }


def _police_copy(rng: random.Random, p: _Person) -> dict[str, str]:
    given = list(p.given)
    prefix, surname = p.prefix, p.surname
    r = rng.random()
    if r < 0.10:
        surname = _slip(rng, surname)
    elif r < 0.13 and "-" in surname:
        a, b = surname.split("-", 1)
        surname = rng.choice((f"{b}-{a}", a))
    elif r < 0.16 and prefix:
        if rng.random() < 0.5:
            surname, prefix = f"{prefix} {surname}", ""  # voorvoegsel in the surname field
        else:
            prefix = ""  # voorvoegsel left out
    r = rng.random()
    if r < 0.10:
        given[0] = _slip(rng, given[0])
    elif r < 0.12 and len(given[0]) > 3:
        k = rng.randrange(1, len(given[0]) - 1)
        given[0] = given[0][:k] + " " + given[0][k:]
    if len(given) > 1 and rng.random() < 0.4:
        given = given[:1]
    voornamen, achternaam = " ".join(given), surname
    if rng.random() < 0.03:
        achternaam, voornamen = given[0], f"{prefix} {surname}".strip()
        prefix = ""
    gemeente = p.gemeente if rng.random() < 0.85 else rng.choice(_CITIES)
    return {
        "achternaam": achternaam,
        "voorvoegsel": prefix,
        "voornamen": voornamen,
        "geboortedatum": _date_slip(rng, p.born) if rng.random() < 0.01 else p.born.isoformat(),
        "bsn": p.bsn if rng.random() < 0.3 else "",
        "geboorteplaats": p.place if rng.random() < 0.6 else "",
        "gemeente": gemeente,
    }


def _other_first(rng: random.Random, p: _Person) -> tuple[str, ...]:
    while True:
        g = _given(rng, rng.random() < 0.5)
        if g[0][:3].lower() != p.given[0][:3].lower():
            return g


def _negative(rng: random.Random, p: _Person, r: float) -> _Person:
    other = _person(rng)
    if r < 0.25:  # twin
        return replace(other, surname=p.surname, prefix=p.prefix, born=p.born,
                       gemeente=p.gemeente, place=p.place, given=_other_first(rng, p))  # fmt: skip
    if r < 0.5:  # namesake
        born = p.born
        while abs((born - p.born).days) < 2:
            born = (dt.date(p.born.year, rng.randint(1, 12), rng.randint(1, 28))
                    if rng.random() < 0.5 else other.born)  # fmt: skip
        return replace(other, given=p.given, surname=p.surname, prefix=p.prefix, born=born)
    if r < 0.75:  # sibling
        born = p.born + dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(365, 4 * 365))
        return replace(other, surname=p.surname, prefix=p.prefix, gemeente=p.gemeente,
                       born=born, given=_other_first(rng, p))  # fmt: skip
    born = dt.date(p.born.year, rng.randint(1, 12), rng.randint(1, 28))  # same name, same year
    return replace(other, surname=p.surname, prefix=p.prefix, born=born,
                   given=(p.given[0], *other.given[1:]))  # fmt: skip


def generate(
    seed: int = 1, persons: int = 200_000, items: int = 2_000, known_share: float = 0.10
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    rng = random.Random(f"clerk-{seed}")
    people = [_person(rng) for _ in range(persons)]
    records: list[dict[str, str]] = []
    where: list[set[tuple[str, str]]] = []
    for n, p in enumerate(people):
        vhs = rng.sample(VH_CODES, 2 if rng.random() < 0.04 else 1)
        mine = set()
        for vh in vhs:
            pid = f"K{n:07d}{vh[-1]}"
            records.append({"vh_code": vh, "persoon_id": pid, **_register_copy(rng, p),
                            "slagzin": "Synthetisch advies.", "advies_datum": "2026-10-01",
                            "actief": "ja"})  # fmt: skip
            mine.add((vh, pid))
        where.append(mine)
    instroom: list[dict[str, str]] = []
    truth: dict[str, set[tuple[str, str]]] = {}
    for n in range(items):
        r = rng.random()
        known: set[tuple[str, str]] = set()
        if r < known_share:
            i = rng.randrange(persons)
            p, known = people[i], where[i]
        elif r < known_share + 0.16:
            p = _negative(rng, people[rng.randrange(persons)], rng.random())
        else:
            p = _person(rng)
        bvh = f"CL{seed % 1000:03d}-{n:07d}"
        instroom.append({"bvh_nummer": bvh, "parketnummer": "",
                         "ingestroomd_op": "2026-11-22T08:00:00+01:00", **_police_copy(rng, p),
                         "geslacht": "M" if p.male else "V", "woonplaats": p.gemeente,
                         "feit": "winkeldiefstal", "categorie": "vermogen",
                         "status": "nieuw"})  # fmt: skip
        truth[bvh] = set(known)
    return records, instroom, truth


__all__ = ["VH_CODES", "generate"]
