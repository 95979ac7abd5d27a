"""Speed of known-client matching through the real code paths, each step in a fresh process.

    .venv/bin/python benchmarks/matching_speed.py [--persons 200000] [--items 2000]
        [--big 100000] [--db sqlite|postgresql+psycopg://...] [--tekst] [--repeat N]

The parent writes a register export (CSV) and two instroom files (JSON) from
``synthetic.generate`` into a temporary folder. Each step then runs in its own
child process, as ``zsm-desk import ...`` would, and reports its time net of
start-up (from after the imports to the end of the committed session):

1. register import of all persons (validation, storage, match keys, weights);
2. instroom import of ``--items`` items, matched against the register;
3. instroom import of ``--big`` items (a second, fresh database with the same
   register is not needed: the big file gets its own bvh_nummers).

Wall and CPU seconds are printed per step (the CPU of the processes a big
check forks to use the second core separately), plus start-up (interpreter and
imports) separately.

The same code can take 2-3 s more or less for the big step from one run to
the next on a shared machine. So before each step a fixed piece of pure
Python is timed in a fresh process (`_calibration`: the machine's speed at
that moment, about half a second on the machine of the README's figures),
and ``--repeat N`` runs all steps N times, each round on a database of its
own (register imported anew), and prints the lowest, median and highest
time per step. Compare figures only together with their calibration.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
_BENCH = Path(__file__).resolve().parent
# benchmarks/queue_speed.py would shadow the stdlib `queue` (pyarrow, duckdb need it):
# the script's folder goes to the end of the path, not the front
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH] + [str(_BENCH)]

REGISTER_FIELDS = (
    "vh_code", "persoon_id", "achternaam", "voorvoegsel", "voornamen", "geboortedatum", "bsn",
    "geboorteplaats", "gemeente", "doelgroep", "slagzin", "advies", "doel_interventie", "context",
    "hg_historie", "advies_datum", "plan_van_aanpak", "contactpersoon", "contact_telefoon", "actief",
)  # fmt: skip


def _children_cpu() -> float:
    """CPU seconds of the forked processes that matching split its work over."""
    t = os.times()
    return t.children_user + t.children_system


def child(kind: str, db_url: str, path: str) -> int:
    t_start = time.perf_counter()
    from zsm_desk.services.intake import instroom
    from zsm_desk.services.registers import register_import
    from zsm_desk.services.storage.db import open_database

    db = open_database(db_url)
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    with db.session() as s:
        if kind == "register":
            register_import.import_file(s, Path(path), actor="bench")
        else:
            instroom.import_file(s, Path(path), actor="bench")
    t1, c1, k1 = time.perf_counter(), time.process_time(), _children_cpu()
    db.dispose()
    print(json.dumps({"startup": t0 - t_start, "wall": t1 - t0, "cpu": c1 - c0, "forked": k1 - k0}))
    return 0


def _calibration() -> float:
    """Seconds of a fixed mix of what matching does in Python (string slicing
    and formatting, dict and set lookups over a few hundred megabytes of
    small objects, sorting): the speed of the machine at this moment, to read
    a step's time against. Memory-heavy on purpose: a busy neighbour on a
    shared machine slows the big step through the caches, not only the CPU."""
    import random

    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=rng.randint(3, 12))) for _ in range(200_000)]
    t0 = time.perf_counter()
    counts: dict[str, int] = {}
    for w in words:
        key = f"{w[:3]}|{len(w)}"
        counts[key] = counts.get(key, 0) + 1
    index = {w: n for n, w in enumerate(words)}
    # the results are thrown away: only the time they take counts
    sum(1 for w in words if w[::-1] in index)
    sorted((w[-2:], w) for w in words)
    return time.perf_counter() - t0


def _run(kind: str, db: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, db, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


#: Free-text columns and the length range of each (characters): the sample
#: export has 80-170 per column; a real advies or plan runs longer.
_TEXT_LENGTHS = {
    "slagzin": (40, 90), "advies": (100, 400), "doel_interventie": (50, 120),
    "context": (60, 200), "hg_historie": (50, 150), "plan_van_aanpak": (150, 600),
}  # fmt: skip
_SENTENCE = (
    "de het een en van in op voor met aan naar bij over uit door om als ook nog niet zorg "
    "gezin school werk schulden verslaving politie reclassering wijkteam casusregie "
    "hulpverlening afspraken toezicht melding overlast huiselijk geweld begeleiding traject "
    "doel plan advies regie netwerk woning inkomen dagbesteding"
)
_WORDS = _SENTENCE.split()


def _fill_text(records: list[dict[str, str]], seed: int) -> None:
    """Synthetic Dutch-looking text in the free-text columns (speed only)."""
    import random

    rng = random.Random(seed)
    for r in records:
        for col, (lo, hi) in _TEXT_LENGTHS.items():
            n = rng.randint(lo, hi)
            words: list[str] = []
            size = 0
            while size < n:
                w = rng.choice(_WORDS)
                words.append(w)
                size += len(w) + 1
            r[col] = " ".join(words)[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--items", type=int, default=2_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--db", default="sqlite", help="sqlite (temporary file) or a database URL")
    ap.add_argument(
        "--tekst",
        action="store_true",
        help="fill the register's free-text columns (advies, plan van aanpak, ...) with "
        "text of the lengths in samples/register-voorbeeld.csv and up to 3-4 times more "
        "(about 1.1 kB per marking, a 230 MB file); without it they are empty",
    )
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every step this many times, each round on a database of its own, and "
        "print the lowest, median and highest time per step",
    )
    args = ap.parse_args(argv)
    if args.child:
        if args.child[0] == "calibration":
            print(json.dumps({"wall": _calibration()}))
            return 0
        return child(*args.child)
    if args.repeat < 1 or (args.repeat > 1 and args.db != "sqlite"):
        ap.error("--repeat takes a number from 1, and more than 1 only with --db sqlite")

    from synthetic import generate

    t = time.perf_counter()
    records, instroom, _ = generate(args.seed, args.persons, args.items)
    _, big, _ = generate(args.seed + 1, 2_000, args.big) if args.big else ([], [], {})
    for n, it in enumerate(big):
        it["bvh_nummer"] = f"BIG{n:08d}"
    if args.tekst:
        _fill_text(records, args.seed)
    print(f"generated {len(records):,} markings, {len(instroom):,} + {len(big):,} items "
          f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "register.csv"
        with reg.open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=REGISTER_FIELDS, extrasaction="ignore")
            w.writeheader()
            w.writerows(records)
        small = Path(tmp) / "instroom.json"
        small.write_text(json.dumps({"items": instroom}), encoding="utf-8")
        large = Path(tmp) / "instroom-big.json"
        large.write_text(json.dumps({"items": big}), encoding="utf-8")
        steps = [("register", reg, f"register import ({len(records):,} markings)"),
                 ("instroom", small, f"import + match {len(instroom):,} items"),
                 ]  # fmt: skip
        if big:
            steps.append(("instroom", large, f"import + match {len(big):,} items"))
        times: dict[str, list[float]] = {label: [] for _, _, label in steps}
        calibrations: list[float] = []
        for round_ in range(1, args.repeat + 1):
            if args.repeat > 1:
                print(f"round {round_}")
            db = f"sqlite:///{tmp}/bench-{round_}.sqlite" if args.db == "sqlite" else args.db
            for kind, path, label in steps:
                # the machine's speed just before the step, in a fresh process
                calibrations.append(_run("calibration", "", Path())["wall"])
                r = _run(kind, db, path)
                times[label].append(r["wall"])
                print(f"  {label:40s} {r['wall']:7.2f} s  (cpu {r['cpu']:.2f} s + "
                      f"{r['forked']:.2f} s in forked processes; "
                      f"start-up {r['startup']:.2f} s not counted; "
                      f"calibration just before {calibrations[-1]:.2f} s)")  # fmt: skip
            if args.db == "sqlite":  # a round's database with its WAL: 300 MB
                for f in Path(tmp).glob(f"bench-{round_}.sqlite*"):
                    f.unlink()
        if args.repeat > 1:
            print(f"over {args.repeat} rounds: lowest / median / highest")
            for label, ts in [("calibration", calibrations), *times.items()]:
                print(f"  {label:40s} {min(ts):7.2f} / {statistics.median(ts):.2f} / "
                      f"{max(ts):.2f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
