"""Quality of the known-client matcher on four generators of ours, Febrl, splink's historical persons and Gecko.

    .venv/bin/python benchmarks/matching.py [--seeds 10] [--persons 200000]
        [--items 2000] [--profiles basis,zonder-bsn-plaats,namen-verwisseld]
        [--generators nl,typo] [--splink 1]

Generators (see each module's docstring):

* ``nl`` — ``synthetic.py``: Dutch-registration noise (voorvoegsels,
  diacritics, roepnaam vs. all voornamen, partner names, transliterations,
  partial dates, BSN sometimes, twins/namesakes/common names as hard negatives);
* ``typo`` — ``typo_generator.py``, written separately with another noise
  model: keyboard/OCR/phonetic typos on both sides, blanks inside names,
  exchanged name fields, digit typos and day/month swaps, no BSN, no birth place;
* ``clerk`` — ``clerk_generator.py``, a third check (not in the default run,
  ``--generators nl,typo,clerk``): a clean register, one clerk's slip per field
  on the police copy only, long-tailed name frequencies, double surnames, and
  twins, namesakes, siblings and same-name-same-year persons as negatives;
* ``family`` — ``family_generator.py``, a fourth (7 December): households,
  so that relatives are the hard negatives — parents, siblings, twins and
  sons carrying the father's given names, born in the family's gemeente;
  `persons` is the register's size, drawn from a population about ten times
  as big; about a fifth of the queue known;
* ``febrl`` — ``febrl_source.py`` (7 December, fifteenth session): not a
  generator of ours but the Febrl data sets (Christen et al.), with Febrl's own
  noise model and Australian names; the register holds the originals of a
  seeded half of the persons, the queue the duplicates; no BSN or birth place.
  ``febrl:with_replaced=0`` leaves out the duplicates in which Febrl wrote a
  whole other value (the issue's targets count only the other pairs),
  ``febrl:data_set=3`` / ``=2`` the other sets (several duplicates per person);
* ``historical`` — ``historical_source.py`` (8 December, sixteenth session):
  splink's 50,000 records of 5,156 historical persons (MIT), each written
  several times by its authors' own noise model (nicknames, typed letters,
  a surname missing or in the first-name field, years and months changed);
  real namesakes, many born "1 January" (year only). The register holds a
  seeded half of the persons, the queue one other record of every person;
  ``historical:noisy_register=1`` puts a random record in the register;
* ``gecko`` — ``gecko_source.py`` (8 December, seventeenth session): persons
  drawn from gecko-data's German name and municipality frequencies, the
  police copy written by the mutators of Gecko (``gecko-syndata``, the
  successor of Christen's GeCo): Dutch-keyboard typos, OCR confusions,
  inserted/deleted/transposed letters, capitals, exchanged name fields, a
  date moved by up to three days, values left out; about 10 % known;
* ``typo:junior=0.1`` — the typo generator with fathers, sons and
  grandfathers of the same names born the same day and month for 10 % of
  the queue (the construct that found the year-digit rule);
* ``typo:foreign=0:register_rate=0``, ``nl:known_share=0.03`` — a generator
  with other settings, keyword arguments of its ``generate`` (here: no persons
  from the typo generator's four small name groups, no noise on its register
  copy; 3 % of the queue known instead of 10 %).

Profiles (applied the same way to both generators):

* ``basis`` — 10 % of the queue known, as generated;
* ``zonder-bsn-plaats`` — BSN and birth place blanked on both sides;
* ``namen-verwisseld`` — in 30 % of the queue items given name and surname
  are exchanged (known and unknown items alike).

For each generator × profile the figures are summed over the seeds: recall
(true pairs found as bekend or mogelijk), the share of true pairs that is
``bekend``, the same share among the true pairs whose birth dates agree
exactly (a digit typo or a day/month swap never becomes ``bekend`` without an
equal BSN: it is also what a namesake looks like), wrong ``bekend`` and false
``mogelijk`` per 1,000 queue items.
The matcher is the in-memory :class:`RegisterIndex`, which decides through
the same code as the persisted path (``domain.matching.decide``); the weights
are learned from each generated register. With ``--splink N`` the first N
seeds are also run through splink (installed only for benchmarks:
``benchmarks/requirements-bench.txt``) with comparable settings, in the same
run, and its figures and time are printed next to ours.
"""

# ruff: noqa: E402 - the path is set up before the project imports
from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_BENCH = Path(__file__).resolve().parent
# benchmarks/queue_speed.py would shadow the stdlib `queue` (pyarrow, duckdb need it):
# the script's folder goes to the end of the path, not the front
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH] + [str(_BENCH)]

from zsm_desk.domain.evidence import BEKEND_BITS, MOGELIJK_BITS, date_key
from zsm_desk.domain.matching import Candidate, RegisterIndex
from zsm_desk.domain.records import Identity, MatchStatus

Truth = dict[str, set[tuple[str, str]]]
Data = tuple[list[dict[str, str]], list[dict[str, str]], Truth]
#: Seeds 1 and 2 were used to choose the thresholds; these were not.
FIRST_SEED = 101


def identity_of(rec: dict[str, str]) -> Identity:
    return Identity(
        achternaam=rec.get("achternaam", ""),
        voornamen=rec.get("voornamen", ""),
        geboortedatum=rec.get("geboortedatum", ""),
        voorvoegsel=rec.get("voorvoegsel", ""),
        bsn=rec.get("bsn", ""),
        geboorteplaats=rec.get("geboorteplaats", ""),
        gemeente=rec.get("gemeente", ""),
        geslacht=rec.get("geslacht", ""),
    )


def candidates_of(records: Iterable[dict[str, str]]) -> list[Candidate]:
    return [
        Candidate(r["vh_code"], r["persoon_id"], identity_of(r))
        for r in records
        if r.get("actief", "ja") != "nee"
    ]


def generate(gen: str, seed: int, persons: int, items: int) -> Data:
    # "typo:foreign=0:register_rate=0", "nl:known_share=0.03": a generator
    # with other settings (keyword arguments of its `generate`)
    name, *opts = gen.split(":")
    options: dict[str, Any] = {k: float(v) for k, v in (o.split("=") for o in opts)}
    if name == "nl":
        from synthetic import generate as nl_generate

        return nl_generate(seed, persons, items, **options)
    if name == "clerk":
        from clerk_generator import generate as clerk_generate

        return clerk_generate(seed, persons, items, **options)
    if name == "family":
        from family_generator import generate as family_generate

        return family_generate(seed, persons, items, **options)
    if name == "febrl":
        from febrl_source import generate as febrl_generate

        return febrl_generate(seed, persons, items, **options)
    if name == "historical":
        from historical_source import generate as historical_generate

        return historical_generate(seed, persons, items, **options)
    if name == "gecko":
        from gecko_source import generate as gecko_generate

        return gecko_generate(seed, persons, items, **options)
    from typo_generator import generate as typo_generate

    return typo_generate(seed, persons, items, **options)


def apply_profile(profile: str, data: Data, seed: int) -> Data:
    records, instroom, truth = data
    if profile == "zonder-bsn-plaats":
        for r in (*records, *instroom):
            r["bsn"] = ""
            r["geboorteplaats"] = ""
    elif profile == "namen-verwisseld":
        rng = random.Random(seed)
        for it in instroom:
            if rng.random() < 0.30:
                sur = f"{it.get('voorvoegsel', '')} {it['achternaam']}".strip()
                first = it["voornamen"].split()[0] if it["voornamen"].split() else ""
                it["achternaam"], it["voornamen"], it["voorvoegsel"] = first, sur, ""
    return records, instroom, truth


@dataclass
class Tally:
    items: int = 0
    true_pairs: int = 0
    found: int = 0
    bekend_true: int = 0
    wrong_bekend: int = 0
    false_mogelijk: int = 0
    #: true pairs whose birth dates agree exactly (a digit typo or a day/month
    #: swap is never `bekend` without BSN: twin and namesake safety)
    exact_date_pairs: int = 0
    bekend_exact_date: int = 0
    seconds: float = 0.0
    runs: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for f in ("items", "true_pairs", "found", "bekend_true", "wrong_bekend",
                  "false_mogelijk", "seconds", "runs", "exact_date_pairs",
                  "bekend_exact_date"):  # fmt: skip
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.wrong.extend(other.wrong)

    def row(self, label: str) -> str:
        tp = self.true_pairs or 1
        return (
            f"| {label} | {self.runs} | {self.found / tp:.2%} ({self.found}/{self.true_pairs}) "
            f"| {self.bekend_true / tp:.2%} "
            f"| {self.bekend_exact_date / max(self.exact_date_pairs, 1):.2%} | {self.wrong_bekend} "
            f"| {self.false_mogelijk * 1000 / max(self.items, 1):.1f} "
            f"| {self.seconds / max(self.runs, 1):.1f} s |"
        )


def score(
    instroom: list[dict[str, str]],
    truth: Truth,
    hits: Callable[[dict[str, str]], list[tuple[tuple[str, str], MatchStatus]]],
    reg_dates: dict[tuple[str, str], str],
) -> Tally:
    t = Tally(items=len(instroom), runs=1)
    for it in instroom:
        known = truth.get(it["bvh_nummer"], set())
        t.true_pairs += len(known)
        own = date_key(it.get("geboortedatum", ""))
        same_day = {p for p in known if own and not own.endswith("00") and reg_dates.get(p) == own}
        t.exact_date_pairs += len(same_day)
        for pair, status in hits(it):
            if pair in known:
                t.found += 1
                t.bekend_true += status is MatchStatus.BEKEND
                t.bekend_exact_date += pair in same_day and status is MatchStatus.BEKEND
            elif status is MatchStatus.BEKEND:
                t.wrong_bekend += 1
                if len(t.wrong) < 5:
                    t.wrong.append(f"{it['voornamen']} {it['achternaam']} {it['geboortedatum']}")
            else:
                t.false_mogelijk += 1
    return t


def run_ours(data: Data) -> Tally:
    records, instroom, truth = data
    t0 = time.process_time()
    index = RegisterIndex(candidates_of(records))
    # the whole queue as one batch, as an instroom import checks it: the batch
    # teaches how this queue writes names and dates (decide_batch)
    found = dict(
        zip(
            (id(it) for it in instroom),
            index.match_many([identity_of(it) for it in instroom]),
            strict=True,
        )
    )

    def hits(it: dict[str, str]) -> list[tuple[tuple[str, str], MatchStatus]]:
        return [((m.vh_code, m.persoon_id), m.status) for m in found[id(it)]]

    tally = score(instroom, truth, hits, register_dates(records))
    tally.seconds = time.process_time() - t0
    return tally


def register_dates(records: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    return {(r["vh_code"], r["persoon_id"]): date_key(r.get("geboortedatum", "")) for r in records}


# --- splink, for comparison only ------------------------------------------------------


def _splink_frame(rows: list[dict[str, str]], key: str) -> Any:
    import pyarrow as pa

    from zsm_desk.domain.names import fold, surname_form

    out = []
    for n, r in enumerate(rows):
        d = r.get("geboortedatum", "")
        given = fold(r.get("voornamen", "")).split()
        out.append(
            {
                "unique_id": f"{key}{n}",
                "ref": r.get("bvh_nummer") or f"{r['vh_code']}|{r['persoon_id']}",
                "first_name": given[0] if given else None,
                "surname": surname_form(r.get("achternaam", ""), r.get("voorvoegsel", "")).full
                or None,
                "dob": d if d and "-00" not in d else None,
                "year": d[:4] or None,
                "bsn": r.get("bsn") or None,
                "city": fold(r.get("geboorteplaats", "")) or None,
                "gemeente": fold(r.get("gemeente", "")) or None,
            }
        )
    return pa.Table.from_pylist(out)


def _hits_of(
    by_item: dict[str, list[tuple[tuple[str, str], MatchStatus]]], it: dict[str, str]
) -> list[tuple[tuple[str, str], MatchStatus]]:
    return by_item.get(it["bvh_nummer"], [])


def run_splink(data: Data) -> tuple[Tally, Tally] | str:
    """splink's tallies at our thresholds and at the threshold chosen afterwards
    (0 wrong `bekend`), or why it did not run."""
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return "splink niet geïnstalleerd (pip install -r benchmarks/requirements-bench.txt)"
    import logging

    logging.getLogger("splink").setLevel(logging.ERROR)
    records, instroom, truth = data
    t0 = time.perf_counter()
    db = DuckDBAPI()
    left_t = _splink_frame([r for r in records if r.get("actief") != "nee"], "r")
    right_t = _splink_frame(instroom, "q")
    left_rows, right_rows = left_t.to_pylist(), right_t.to_pylist()
    left, right = db.register(left_t), db.register(right_t)
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("bsn"),
            cl.ExactMatch("city"),
            cl.ExactMatch("gemeente"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "year"),
            block_on("first_name", "year"),
            block_on("first_name", "surname"),
            block_on("bsn"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    p_mog = 1 / (1 + 2 ** (-MOGELIJK_BITS))
    p_bek = 1 / (1 + 2 ** (-BEKEND_BITS))
    preds = linker.inference.predict(threshold_match_probability=p_mog).as_record_list()
    seconds = time.perf_counter() - t0
    refs_r = {r["unique_id"]: r["ref"] for r in left_rows}
    refs_q = {r["unique_id"]: r["ref"] for r in right_rows}
    scored: list[tuple[str, tuple[str, str], float]] = []
    for row in preds:
        a, b, p = row["unique_id_l"], row["unique_id_r"], row["match_probability"]
        reg, item = (a, b) if str(a).startswith("r") else (b, a)
        vh, pid = refs_r[reg].split("|", 1)
        scored.append((refs_q[item], (vh, pid), p))
    # The threshold chosen afterwards, on the answers: just above the highest
    # probability splink gave a pair that is not the same person. The best
    # case for splink at 0 wrong `bekend` (ours is fixed beforehand).
    hindsight = max((p for bvh, pair, p in scored if pair not in truth.get(bvh, set())), default=0)
    tallies = []
    for top, strict in ((p_bek, False), (hindsight, True)):
        by_item: dict[str, list[tuple[tuple[str, str], MatchStatus]]] = {}
        for bvh, pair, p in scored:
            sure = p > top if strict else p >= top
            by_item.setdefault(bvh, []).append(
                (pair, MatchStatus.BEKEND if sure else MatchStatus.MOGELIJK)
            )
        tally = score(instroom, truth, partial(_hits_of, by_item), register_dates(records))
        tally.seconds = seconds
        tallies.append(tally)
    return tallies[0], tallies[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=FIRST_SEED)
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--items", type=int, default=2_000)
    ap.add_argument("--profiles", default="basis,zonder-bsn-plaats,namen-verwisseld")
    ap.add_argument("--generators", default="nl,typo")
    ap.add_argument("--splink", type=int, default=0, help="run splink on the first N seeds")
    args = ap.parse_args(argv)
    print(f"{args.persons:,} persons, {args.items:,} queue items per run, seeds "
          f"{args.first_seed}..{args.first_seed + args.seeds - 1}; bekend ≥ {BEKEND_BITS} bits, "
          f"mogelijk ≥ {MOGELIJK_BITS} bits")  # fmt: skip
    print("| generator / profiel / matcher | runs | recall | bekend | bekend bij gelijke datum "
          "| fout bekend | fout mogelijk /1000 | tijd per run |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    profiles = args.profiles.split(",")
    for gen in args.generators.split(","):
        ours = {p: Tally() for p in profiles}
        theirs = {p: Tally() for p in profiles}
        afterwards = {p: Tally() for p in profiles}
        notes: dict[str, str] = {}
        for n in range(args.seeds):
            seed = args.first_seed + n
            base = generate(gen, seed, args.persons, args.items)
            for profile in profiles:
                copy = ([dict(r) for r in base[0]], [dict(i) for i in base[1]], base[2])
                data = apply_profile(profile, copy, seed)
                ours[profile].add(run_ours(data))
                if n < args.splink:
                    r = run_splink(data)
                    if isinstance(r, str):
                        notes[profile] = r
                    else:
                        theirs[profile].add(r[0])
                        afterwards[profile].add(r[1])
        for profile in profiles:
            print(ours[profile].row(f"{gen} / {profile} / ZSM Desk"), flush=True)
            for w in ours[profile].wrong:
                print(f"|   fout bekend: {w} | | | | | | | |")
            if theirs[profile].runs:
                print(theirs[profile].row(f"{gen} / {profile} / splink"), flush=True)
                print(
                    afterwards[profile].row(f"{gen} / {profile} / splink, drempel achteraf"),
                    flush=True,
                )
            elif profile in notes:
                print(f"| {gen} / {profile} / splink: {notes[profile]} | | | | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
