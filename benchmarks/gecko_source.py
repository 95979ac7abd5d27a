"""Known persons written down by Gecko's noise model and drawn from its name tables, not ours.

Gecko (``gecko-syndata`` on PyPI, MIT, University Medical Center Leipzig) is
the successor of Christen's GeCo: generators and "mutators" of personal data
for testing record linkage. Nothing of its model is ours:

* the persons: given names with sex, surnames and municipalities drawn by the
  frequencies of ``gecko-data`` (its German tables, MIT: Müller 265,025 times,
  Peter 220,599 times), so that common names have many namesakes;
* the police copy: Gecko's mutators, each row at most one per field and
  group: typos by the neighbours of a key on the Dutch keyboard (the CLDR
  keymap ``nl-t-k0-windows``), OCR confusions (gecko-data's ``common/ocr.csv``:
  m/rn, cl/d, l/1, ...), an inserted, deleted, transposed or substituted
  letter, a name written in capitals, given name and surname exchanged
  (``with_permute``), the birth date moved by up to three days, and BSN,
  birth place or gemeente left out.

What is ours: the rates of each mutator (below; about a quarter of the names
and 5 % of the dates touched), 1-3 given names per person, birth dates
uniform over 1950-2008, a BSN that passes the elfproef for each person
(shown in half the register records and half the queue items), and the
split: the register holds `persons` persons, the queue `items` items of
which `known_share` are register persons (their copy mutated) and the rest
persons outside the register (mutated alike).

The data files and Gecko's wheel are downloaded once into
``~/.cache/zsm-desk-bench`` (or ``$ZSM_DESK_BENCH_CACHE``); without a
network, put them there by hand (the paths are in :data:`_FILES`). Gecko is
imported from its wheel, not installed: it pins NumPy below 2, which
splink's pyarrow refuses, and works with NumPy 2 all the same. Its
dependencies (NumPy, pandas, lxml) are in ``requirements-bench.txt``; none of
it is a runtime dependency of zsm-desk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import sys
import urllib.request
import warnings
from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from febrl_source import cache_dir, cached_wheel, queue_items, register_record

_WHEEL = "gecko-syndata==0.6.4"

_GECKO_DATA = (
    "https://raw.githubusercontent.com/ul-mds/gecko-data/9b7a073caa4fedbc6917152454039d9e005a799c"
)
_CLDR = (
    "https://raw.githubusercontent.com/unicode-org/cldr/12a1d54ae7ea00459b6901c1a5bf73938c53d472"
)
#: Cache path -> where it is downloaded from.
_FILES = {
    "gecko-data/de_DE/given-name-gender.csv": f"{_GECKO_DATA}/de_DE/given-name-gender.csv",
    "gecko-data/de_DE/last-name.csv": f"{_GECKO_DATA}/de_DE/last-name.csv",
    "gecko-data/de_DE/street-municipality-postcode.csv": (
        f"{_GECKO_DATA}/de_DE/street-municipality-postcode.csv"
    ),
    "gecko-data/common/ocr.csv": f"{_GECKO_DATA}/common/ocr.csv",
    "cldr/nl-t-k0-windows.xml": f"{_CLDR}/keyboards/windows/nl-t-k0-windows.xml",
}
_VH_CODES = ("VH-UTR", "VH-FLE")


def _file(name: str) -> Path:
    path = cache_dir() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with urllib.request.urlopen(_FILES[name], timeout=60) as src:
                data = src.read()
        except OSError as e:
            raise SystemExit(
                f"{name} could not be downloaded ({e}); put {_FILES[name]} at {path}"
            ) from None
        path.write_bytes(data)
    return path


def _import_gecko() -> None:
    """Gecko on the path from its wheel in the cache (downloaded once)."""
    wheel = str(cached_wheel(_WHEEL))
    if wheel not in sys.path:
        sys.path.append(wheel)


def _table(name: str, value: str, weight: str = "count") -> tuple[list[dict[str, str]], list[int]]:
    import csv

    with _file(name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows, list(accumulate(int(r[weight]) for r in rows))


def _draw(rng: random.Random, table: tuple[list[dict[str, str]], list[int]], column: str) -> str:
    rows, cum = table
    return rows[bisect.bisect_right(cum, rng.random() * cum[-1])][column]


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9 and any(digits):
            return "".join(map(str, digits)) + str(last)


def _persons(rng: random.Random, n: int) -> list[dict[str, str]]:
    given, _ = _table("gecko-data/de_DE/given-name-gender.csv", "given_name")
    by_sex = {
        sex: ([r for r in given if r["gender"] == sex],
              list(accumulate(int(r["count"]) for r in given if r["gender"] == sex)))
        for sex in ("m", "f")
    }  # fmt: skip
    last = _table("gecko-data/de_DE/last-name.csv", "last_name")
    places_rows, _ = _table("gecko-data/de_DE/street-municipality-postcode.csv", "municipality")
    per_place: dict[str, int] = {}
    for r in places_rows:
        per_place[r["municipality"]] = per_place.get(r["municipality"], 0) + int(r["count"])
    place_names = sorted(per_place)
    places = ([{"m": p} for p in place_names], list(accumulate(per_place[p] for p in place_names)))
    first_day, days = dt.date(1950, 1, 1), (dt.date(2008, 12, 31) - dt.date(1950, 1, 1)).days
    out = []
    for _ in range(n):
        sex = "m" if rng.random() < 0.5 else "f"
        k = rng.choices((1, 2, 3), weights=(6, 3, 1))[0]
        names: list[str] = []
        while len(names) < k:
            name = _draw(rng, by_sex[sex], "given_name")
            if name not in names:
                names.append(name)
        born = _draw(rng, places, "m")
        out.append({
            "achternaam": _draw(rng, last, "last_name"), "voorvoegsel": "",
            "voornamen": " ".join(names),
            "geboortedatum": (first_day + dt.timedelta(days=rng.randint(0, days))).isoformat(),
            "bsn": _bsn(rng), "geboorteplaats": born,
            "gemeente": born if rng.random() < 0.5 else _draw(rng, places, "m"),
            "geslacht": sex.upper() if sex == "m" else "V",
        })  # fmt: skip
    return out


def _mutated(
    people: Sequence[dict[str, str]], seed: int, rate: float = 1.0, blanks: bool = True
) -> list[dict[str, str]]:
    """Copies of `people` written by Gecko's mutators, each rate times `rate`
    (the police copy: 1; `blanks`: BSN, birth place and gemeente left out too)."""
    import numpy as np
    import pandas as pd

    _import_gecko()
    from gecko import mutator

    rng = np.random.default_rng(seed)
    keys = mutator.with_cldr_keymap_file(_file("cldr/nl-t-k0-windows.xml"), rng=rng)
    ocr = mutator.with_replacement_table(_file("gecko-data/common/ocr.csv"), 0, 1, rng=rng)

    def letters() -> list[tuple[float, Any]]:
        return [
            (0.08 * rate, keys), (0.04 * rate, ocr), (0.03 * rate, mutator.with_insert(rng=rng)),
            (0.03 * rate, mutator.with_delete(rng=rng)),
            (0.03 * rate, mutator.with_transpose(rng=rng)),
            (0.03 * rate, mutator.with_substitute(rng=rng)),
            (0.05 * rate, mutator.with_uppercase(rng=rng)),
        ]  # fmt: skip

    missing = mutator.with_missing_value("", rng=rng)
    frame = pd.DataFrame(list(people)).astype(str)
    with warnings.catch_warnings():
        # "desired probability cannot be met": a name without an OCR-prone letter
        warnings.simplefilter("ignore")
        spec: list[tuple[Any, list[tuple[float, Any]]]] = [
            ("voornamen", letters()),
            ("achternaam", letters()),
            (("voornamen", "achternaam"), [(0.05 * rate, mutator.with_permute(rng=rng))]),
            ("geboortedatum",
             [(0.05 * rate, mutator.with_datetime_offset(3, "d", "%Y-%m-%d", rng=rng))]),
            ("bsn", [(0.5 * blanks, missing),
                     (0.03 * rate, mutator.with_substitute("0123456789", rng=rng))]),
            ("geboorteplaats", [(0.4 * blanks, missing), (0.05 * rate, keys)]),
            ("gemeente", [(0.2 * blanks, missing)]),
        ]  # fmt: skip
        # Gecko takes no mutator of probability 0 (the register copy leaves
        # nothing out)
        spec = [(c, [(p, m) for p, m in ms if p > 0]) for c, ms in spec]
        frame = mutator.mutate_data_frame(frame, [(c, ms) for c, ms in spec if ms])
    return [dict(r) for r in frame.to_dict(orient="records")]


def generate(
    seed: int = 1,
    persons: int = 20_000,
    items: int = 2_000,
    known_share: float = 0.1,
    rate: float = 1.0,
    register_rate: float = 0.0,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    """`rate` scales the police copy's mutation rates; `register_rate` > 0
    writes the register copies with Gecko's mutators too, at that scale (a
    VH types its persons as well), without leaving values out."""
    rng = random.Random(f"gecko-{seed}")
    known = round(items * known_share)
    people = _persons(rng, persons + items - known)
    records: list[dict[str, str]] = []
    where: dict[str, tuple[str, str]] = {}
    for n, p in enumerate(people[:persons]):
        vh, pid = _VH_CODES[n % len(_VH_CODES)], f"GK-{n:07d}"
        ident = {k: v for k, v in p.items() if k != "geslacht"}
        if rng.random() < 0.5:
            ident["bsn"] = ""
        records.append(register_record(vh, pid, ident))
        where[str(n)] = (vh, pid)
    chosen = [*rng.sample(range(persons), known), *range(persons, len(people))]
    if register_rate:
        written = _mutated([r for r in records], seed + 7919, register_rate, blanks=False)
        for r, w in zip(records, written, strict=True):
            r.update({k: w[k] for k in ("achternaam", "voornamen", "geboortedatum", "bsn",
                                        "geboorteplaats", "gemeente")})  # fmt: skip
    copies = _mutated([people[n] for n in chosen], seed, rate)
    queue = [(c, str(n)) for n, c in zip(chosen, copies, strict=True)]
    instroom, truth = queue_items(queue, where, 0.0, rng, f"GK{seed % 1000:03d}")
    return records, instroom, truth


__all__ = ["generate"]
