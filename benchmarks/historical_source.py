"""A sixth check, on data nobody here wrote: splink's historical persons.

``historical_figures_with_errors_50k`` (splink_datasets, MoJ Analytical
Services, MIT licence) holds 50,578 records of 5,156 people taken from
Wikidata, each person written 3 to 21 times with the noise of its authors'
own generator: nicknames and other forms of a first name (William, Bill,
Gwilym, Will), letters typed wrong (``micha3l``, ``hey6esbury``), a surname
left out or put in the first-name field, a birth year or month changed, a
birth place at another level (a county for a town), a postcode or gender
changed. The people are real historical figures, so namesakes are real too:
several Thomas Wrights of the same decade, born on 1 January because
Wikidata knows only the year. That is what this check adds to Febrl's:
names and dates that a register shares by nature, not by a generator.

The file is downloaded once into ``~/.cache/zsm-desk-bench`` (or
``$ZSM_DESK_BENCH_CACHE``) and read with DuckDB, which splink brings
(``benchmarks/requirements-bench.txt``); nothing of it is kept in this
repository.

Mapping onto our borders:

* ``first_name`` → voornamen, ``surname`` → achternaam, ``birth_place`` →
  geboorteplaats, the postcode's district (``tq13`` of ``tq13 8df``) →
  gemeente, ``gender`` → geslacht (M/V, anything else empty); no BSN;
* ``dob`` with every year moved on by 120 (1780–1892 becomes 1900–2012,
  as our borders take no birth year before 1900); a person born before
  1780 is left out, and an impossible month or day becomes unknown (``00``)
  as the police write an unknown part;
* the register holds, for a seeded share of the people
  (``register_share``), the record its authors numbered first (their
  cleanest); ``noisy_register=1`` takes a random record of the person
  instead. The queue holds one other record, at random, of every person, so
  a person outside the register is an unknown suspect, and a namesake in
  the register is a real one;
* what our borders refuse is left out: a record without surname, first
  name or birth date (``known_share`` and the counts below are after that).

Boundary: ``generate(seed, persons, items, register_share=0.5,
known_share=0, noisy_register=0, with_replaced=1)`` returns ``(register_records, instroom,
truth)`` in the shapes of ``synthetic.generate``; ``persons`` and ``items``
are ignored (the set has a fixed size). ``known_share`` > 0 leaves out known
items at random until that share of the queue is known (0: about half).
``with_replaced=0`` leaves out the queue records of register persons in which
a whole other value stands (a title or another name for the first name, a
birth year decades off), judged by ``febrl_source.replaced``, which owes
nothing to the matcher; a nickname counts as another value there too.
"""

from __future__ import annotations

import random
import urllib.request
from pathlib import Path

from febrl_source import border_date, cache_dir, queue_items, register_record, replaced

_FILE = "historical_figures_with_errors_50k.parquet"
_URL = (
    f"https://raw.githubusercontent.com/moj-analytical-services/splink_datasets/master/data/{_FILE}"
)
_VH_CODES = ("VH-AMS", "VH-RDM", "VH-UTR", "VH-HGL", "VH-NNL")
_YEARS_ON = 120
_GENDER = {"male": "M", "female": "V"}


def _file() -> Path:
    path = cache_dir() / _FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with urllib.request.urlopen(_URL, timeout=60) as response:
            part.write_bytes(response.read())
        part.rename(path)
    return path


def _rows() -> list[dict[str, str]]:
    import duckdb  # benchmark-only, brought by splink

    cols = (
        "unique_id",
        "cluster",
        "first_name",
        "surname",
        "dob",
        "birth_place",
        "postcode_fake",
        "gender",
    )
    query = f"select {', '.join(cols)} from read_parquet(?) order by cluster, unique_id"
    with duckdb.connect() as con:
        rows = con.execute(query, [str(_file())]).fetchall()
    return [{c: (v or "").strip() for c, v in zip(cols, r, strict=True)} for r in rows]


def _date(text: str) -> str:
    """YYYY-MM-DD with the year moved on, impossible parts as 00; "" when
    the year is missing or falls outside our borders."""
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return ""  # missing, or a year before the common era ("-0050-01-01")
    return border_date(int(parts[0]) + _YEARS_ON, int(parts[1]), int(parts[2]), latest=2012)


def _identity(r: dict[str, str]) -> dict[str, str] | None:
    born = _date(r["dob"])
    if not (r["surname"] and r["first_name"] and born):
        return None
    return {
        "achternaam": r["surname"],
        "voorvoegsel": "",
        "voornamen": r["first_name"],
        "geboortedatum": born,
        "bsn": "",
        "geboorteplaats": r["birth_place"],
        "gemeente": r["postcode_fake"].split(" ")[0],
        "geslacht": _GENDER.get(r["gender"], ""),
    }


def _number(unique_id: str) -> int:
    return int(unique_id.rsplit("-", 1)[1])  # Q2296770-12


def generate(
    seed: int = 1,
    persons: int = 0,
    items: int = 0,
    register_share: float = 0.5,
    known_share: float = 0.0,
    noisy_register: float = 0,
    with_replaced: float = 1,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    del persons, items  # the set has a fixed size
    people: dict[str, list[dict[str, str]]] = {}
    for r in _rows():
        ident = _identity(r)
        if ident is not None:
            people.setdefault(r["cluster"], []).append({"nr": r["unique_id"], **ident})
    rng = random.Random(f"historical-{seed}")
    records: list[dict[str, str]] = []
    queue: list[tuple[dict[str, str], str]] = []
    where: dict[str, tuple[str, str]] = {}
    for n, cluster in enumerate(sorted(people)):
        recs = sorted(people[cluster], key=lambda x: _number(x["nr"]))
        if len(recs) < 2:
            continue
        listed = rng.random() < register_share
        own = rng.choice(recs) if noisy_register else recs[0]
        other = rng.choice([x for x in recs if x is not own])
        if listed:
            vh = _VH_CODES[n % len(_VH_CODES)]
            pid = f"HF-{cluster}"
            ident = {k: v for k, v in own.items() if k not in ("nr", "geslacht")}
            records.append(register_record(vh, pid, ident))
            where[cluster] = (vh, pid)
        if listed and not with_replaced and replaced(own, other):
            continue
        queue.append(({k: v for k, v in other.items() if k != "nr"}, cluster))
    instroom, truth = queue_items(queue, where, known_share, rng, f"HF{seed % 1000:03d}")
    return records, instroom, truth


__all__ = ["generate"]
