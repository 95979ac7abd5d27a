"""Known-client matching: which register markings belong to a suspect.

Pure domain code (no I/O, no Qt, no SQL). :class:`RegisterIndex` holds the
active register markings with blocking indexes; :meth:`RegisterIndex.match`
compares one suspect with the few candidates its blocks bring up.

Decision model
--------------
Every pair is compared field by field into discrete levels (BSN, surname,
given names, birth date). The status follows from explicit rules rather than
from a learned threshold, because the safety rules are absolute:

* ``bekend`` (VH information shown without review) needs either a valid,
  equal BSN with some agreement on name or birth date, or — without BSN — a
  surname that agrees after normalisation, given names that agree fully or
  as roepnaam-prefix, and an identical full birth date. When that name
  (surname skeleton + first given name) occurs more than
  ``RARE_UNCORROBORATED`` times in the register, an equal birth place, an
  equal gemeente or two or more equal given names must corroborate it: people
  with a common name share a birth date by chance. A day/month swap counts
  only with fully equal names, an equal birth place and, for a name that is
  not rare, an equal gemeente.
* Twins (same surname and birth date, other first name) fail the given-name
  test; namesakes (same name, clearly different birth date) fail the date
  test. Both therefore never reach ``bekend``; without other evidence they
  give nothing at all.
* Weaker combinations (initials, second given name, partly unknown date,
  one-digit date typo, fuzzy surname, two valid but different BSNs with
  name and date equal) give ``mogelijk``: a person must confirm.
* When two different persons would both be ``bekend`` on name and date, all
  of them drop to ``mogelijk`` (``meerdere-personen``).

Reason vocabulary (``MatchResult.reden``)
----------------------------------------
A ``+``-joined list of terms, always in the order BSN, name, date, extra:

=====================================  ==============================================
``bsn``                                valid BSNs (elfproef) equal
``bsn-conflict``                       both BSNs valid and different (counter-evidence)
``naam``                               surname and given names agree (normalised)
``naam~``                              name agrees only partly (initials, second
                                       given name, fuzzy spelling, one name part)
``geboortedatum``                      full birth date equal
``geboortedatum~dag-maand-gewisseld``  day and month swapped
``geboortedatum~cijfer``               one digit differs or two adjacent digits swapped
``geboortedatum~onvolledig``           one side has day/month unknown, known parts agree
``meerdere-personen``                  several different register persons fit equally
=====================================  ==============================================

So ``bsn+naam+geboortedatum`` is the certain case, ``naam+geboortedatum`` the
usual one without BSN, ``naam~+geboortedatum`` needs review.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from zsm_desk.domain.evidence import (
    BLOCK_KINDS,
    FEED_FLOOR,
    Keys,
    Model,
    Verdict,
    block_keys,
    feed_model,
    judge_all,
    keys_of,
    probe_keys,
    same_person,
    train,
)
from zsm_desk.domain.names import (
    GivenNames,
    SurnameForm,
)
from zsm_desk.domain.records import (
    Identity,
    MatchResult,
    MatchStatus,
    PartialDate,
)

# --- comparison levels ----------------------------------------------------------


class DateLevel(IntEnum):
    NONE = 0
    PARTIAL_YEAR = 1  # one side only knows the year; years equal
    PARTIAL_MONTH = 2  # one side lacks the day; year and month equal
    TYPO = 3  # one digit differs, or two adjacent digits swapped
    SWAP = 4  # day and month swapped
    EXACT = 5


class SurnameLevel(IntEnum):
    NONE = 0
    FUZZY = 1  # spelling close (Jaro-Winkler on the skeleton)
    PART = 2  # one part of a double/partner name, or el/al dropped
    TRANSLIT = 3  # equal spelling skeleton (ij/y, ou/u, kh/ch, doubled letters)
    EXACT = 4  # equal after voorvoegsel, case and diacritics normalisation


class GivenLevel(IntEnum):
    NONE = 0
    FUZZY = 1  # first given name close in spelling
    INITIALS = 2  # one side has initials only and they fit
    SUBSET = 3  # the names of one side occur in the other, not as first name
    ROEPNAAM = 4  # same first name; the other names missing on one side
    FULL = 5  # all given names equal (transliteration-insensitive)


_FUZZY_SURNAME = 0.92
_FUZZY_GIVEN = 0.90
_FUZZY_PLACE = 0.90

_DATE_TERMS = {
    DateLevel.EXACT: "geboortedatum",
    DateLevel.SWAP: "geboortedatum~dag-maand-gewisseld",
    DateLevel.TYPO: "geboortedatum~cijfer",
    DateLevel.PARTIAL_MONTH: "geboortedatum~onvolledig",
    DateLevel.PARTIAL_YEAR: "geboortedatum~onvolledig",
}
_DATE_DETAILS = {
    DateLevel.EXACT: "geboortedatum gelijk",
    DateLevel.SWAP: "geboortedatum: dag en maand verwisseld",
    DateLevel.TYPO: "geboortedatum: één cijfer verschilt",
    DateLevel.PARTIAL_MONTH: "geboortedatum onvolledig bekend: jaar en maand gelijk",
    DateLevel.PARTIAL_YEAR: "geboortedatum onvolledig bekend: alleen het jaar gelijk",
    DateLevel.NONE: "geboortedatum verschilt",
}
_SURNAME_DETAILS = {
    SurnameLevel.TRANSLIT: "achternaam gelijk op schrijfwijze (ij/y, ou/u, ch/kh, dubbele letters)",
    SurnameLevel.PART: "achternaam: één deel van een dubbele naam of partnernaam gelijk",
    SurnameLevel.FUZZY: "achternaam lijkt erop (mogelijke spelfout)",
    SurnameLevel.NONE: "achternaam verschilt",
}
_GIVEN_DETAILS = {
    GivenLevel.ROEPNAAM: "roepnaam gelijk; overige voornamen ontbreken aan één kant",
    GivenLevel.SUBSET: "voornaam komt voor bij de ander, maar niet als eerste voornaam",
    GivenLevel.INITIALS: "alleen voorletters; die passen bij de voornamen",
    GivenLevel.FUZZY: "voornaam lijkt erop (mogelijke spelfout)",
    GivenLevel.NONE: "voornamen verschillen",
}

# Log-odds-like weights for the score only; the status comes from the rules.
_W_DATE = {
    DateLevel.EXACT: 4.0,
    DateLevel.SWAP: 2.5,
    DateLevel.TYPO: 2.0,
    DateLevel.PARTIAL_MONTH: 2.0,
    DateLevel.PARTIAL_YEAR: 1.0,
    DateLevel.NONE: -3.0,
}
_W_SURNAME = {
    SurnameLevel.EXACT: 3.0,
    SurnameLevel.TRANSLIT: 2.6,
    SurnameLevel.PART: 2.3,
    SurnameLevel.FUZZY: 1.5,
    SurnameLevel.NONE: -2.0,
}
_W_GIVEN = {
    GivenLevel.FULL: 2.5,
    GivenLevel.ROEPNAAM: 2.2,
    GivenLevel.SUBSET: 1.4,
    GivenLevel.INITIALS: 1.0,
    GivenLevel.FUZZY: 1.2,
    GivenLevel.NONE: -2.0,
}


# --- per-identity features ----------------------------------------------------

Ymd = tuple[int, int, int]  # 0 for an unknown month/day


@lru_cache(maxsize=100_000)
def _parse_date(text: str) -> Ymd | None:
    try:
        d = PartialDate.parse(text)
    except ValueError:
        return None  # an unreadable date is no evidence either way
    return (d.year, d.month or 0, d.day or 0)


_ZERO_SUM = 48 * (9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 - 1)


def _elfproef(bsn: str) -> bool:
    """Same verdict as records.bsn_valid, ~8x faster: it runs for every marking at start-up."""
    if len(bsn) != 9 or not bsn.isdigit() or not bsn.isascii() or bsn == "000000000":
        return False
    d = bsn.encode()
    total = (
        9 * d[0]
        + 8 * d[1]
        + 7 * d[2]
        + 6 * d[3]
        + 5 * d[4]
        + 4 * d[5]
        + 3 * d[6]
        + 2 * d[7]
        - d[8]
        - _ZERO_SUM
    )
    return total % 11 == 0


# --- field comparisons ----------------------------------------------------------


def compare_dates(a: Ymd | None, b: Ymd | None) -> DateLevel:
    if a is None or b is None:
        return DateLevel.NONE
    if a == b:
        # equal partial dates are no more than "the known parts agree"
        if a[2]:
            return DateLevel.EXACT
        return DateLevel.PARTIAL_MONTH if a[1] else DateLevel.PARTIAL_YEAR
    (ya, ma, da), (yb, mb, db) = a, b
    if ma and da and mb and db:
        if ya == yb and ma == db and da == mb:
            return DateLevel.SWAP
        # optimal string alignment distance 1 = one digit changed, or two
        # adjacent digits swapped (1989/1998)
        sa = f"{ya:04d}{ma:02d}{da:02d}"
        sb = f"{yb:04d}{mb:02d}{db:02d}"
        return DateLevel.TYPO if OSA.distance(sa, sb, score_cutoff=1) <= 1 else DateLevel.NONE
    # at least one side partly unknown: the known parts must agree
    if ya != yb:
        return DateLevel.NONE
    if ma and mb:
        if ma != mb:
            return DateLevel.NONE
        return DateLevel.PARTIAL_MONTH
    return DateLevel.PARTIAL_YEAR


def compare_surnames(a: SurnameForm, b: SurnameForm) -> SurnameLevel:
    if a.full == b.full:
        return SurnameLevel.EXACT
    if a.whole_key == b.whole_key:
        return SurnameLevel.TRANSLIT
    if a.keys & b.keys:
        return SurnameLevel.PART
    if JaroWinkler.similarity(a.whole_key, b.whole_key) >= _FUZZY_SURNAME:
        return SurnameLevel.FUZZY
    if len(a.part_keys) > 1 or len(b.part_keys) > 1:
        for pa in a.part_keys:
            for pb in b.part_keys:
                if len(pa) >= 4 and JaroWinkler.similarity(pa, pb) >= _FUZZY_SURNAME:
                    return SurnameLevel.FUZZY
    return SurnameLevel.NONE


def _token_fits(x: str, y: str) -> bool:
    """Two given-name tokens agree; a single letter (Jan P.) fits any name with that initial."""
    if x == y:
        return True
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return False


def compare_given(a: GivenNames, b: GivenNames) -> GivenLevel:
    if not a.tokens or not b.tokens:
        return GivenLevel.NONE
    if a.initials or b.initials:
        la, lb = a.first_letters, b.first_letters
        short, long_ = (la, lb) if len(la) <= len(lb) else (lb, la)
        return GivenLevel.INITIALS if long_.startswith(short) else GivenLevel.NONE
    ta, tb = a.tokens, b.tokens
    if ta == tb:
        return GivenLevel.FULL
    short_t, long_t = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if all(_token_fits(x, y) for x, y in zip(short_t, long_t, strict=False)):
        # an initial in the middle (Jan P.) is weaker than a written name
        if len(short_t[0]) == 1 or len(long_t[0]) == 1:
            return GivenLevel.INITIALS
        # an initial among written names (Jan P.) is never "all names equal"
        with_initial = any(len(t) == 1 for t in short_t + long_t)
        if len(short_t) < len(long_t) or with_initial:
            return GivenLevel.ROEPNAAM
        return GivenLevel.FULL
    if set(short_t) <= set(long_t):
        return GivenLevel.SUBSET
    x, y = ta[0], tb[0]
    if len(x) > 2 and len(y) > 2 and x[0] == y[0] and JaroWinkler.similarity(x, y) >= _FUZZY_GIVEN:
        return GivenLevel.FUZZY
    return GivenLevel.NONE


# --- public types -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One active register marking's identity."""

    vh_code: str
    persoon_id: str
    identity: Identity


def decide(
    model: Model, suspect: Keys, candidates: Iterable[tuple[str, str, Keys]]
) -> list[MatchResult]:
    """All hits of one suspect among its blocked candidates, strongest first.

    One result per (vh_code, persoon_id). When two register persons that are
    clearly not the same person both reach `bekend` without BSN, nobody is
    certain: all of them drop to `mogelijk` (``meerdere-personen``).
    """
    best: dict[tuple[str, str], tuple[Verdict, Keys]] = {}
    for (vh, pid, keys), v in judge_all(model, suspect, candidates):
        old = best.get((vh, pid))
        if old is None or _rank(v.status, v.bits) < _rank(old[0].status, old[0].bits):
            best[(vh, pid)] = (v, keys)
    sure = [(k, v, ck) for k, (v, ck) in best.items() if v.status is MatchStatus.BEKEND]
    demote: set[tuple[str, str]] = set()
    if any(v.levels["bsn"] != "gelijk" for _, v, _ in sure) and any(
        not same_person(a[2], b[2]) for n, a in enumerate(sure) for b in sure[n + 1 :]
    ):
        demote = {k for k, v, _ in sure if v.levels["bsn"] != "gelijk"}
    results = []
    for (vh, pid), (v, _) in best.items():
        status, reden, details = v.status, v.reden, v.details
        if (vh, pid) in demote:
            status = MatchStatus.MOGELIJK
            reden = (reden + "+meerdere-personen")[:80]
            details = (*details, "meerdere verschillende personen passen: bevestiging nodig")
        results.append(MatchResult(vh, pid, status, round(v.probability, 4), reden, tuple(details)))
    results.sort(key=lambda r: (*_rank(r.status, r.score), r.vh_code, r.persoon_id))
    return results


#: One suspect and its blocked candidates: (vh_code, persoon_id, keys).
Batch = Sequence[tuple[Keys, Sequence[tuple[str, str, Keys]]]]


def decide_batch(model: Model, batch: Batch) -> tuple[Model, list[list[MatchResult]]]:
    """The hits of a batch of suspects, judged with the m the batch itself
    teaches (:func:`zsm_desk.domain.evidence.feed_model`): how often this
    queue writes a name or a date one letter or digit off.

    Every pair is judged once with the register's weights, down to
    FEED_FLOOR (:func:`first_pass`); only those pairs are judged again with
    the learned ones (no pair under the floor can reach `mogelijk` after it).
    Returns the learned model, for the rest of a check, and the hits per suspect.
    """
    kept, pairs = first_pass(model, batch)
    return settle(model, [s for s, _ in batch], kept, pairs)


#: A judged pair as the queue's EM takes it: (weight in bits, level per field).
Pair = tuple[float, dict[str, str]]


def first_pass(model: Model, batch: Batch) -> tuple[list[list[tuple[str, str, Keys]]], list[Pair]]:
    """Per suspect the candidates that reach FEED_FLOOR with the register's
    weights, and those pairs for :func:`settle`. Parts of a batch may be done
    apart (other processes): their results, joined in order, are the whole's."""
    kept: list[list[tuple[str, str, Keys]]] = []
    pairs: list[Pair] = []
    for s, cands in batch:
        mine = []
        for cand, v in judge_all(model, s, cands, mogelijk_bits=FEED_FLOOR):
            mine.append(cand)
            pairs.append((v.bits, v.levels))
        kept.append(mine)
    return kept, pairs


def settle(
    model: Model,
    suspects: Sequence[Keys],
    kept: Sequence[Sequence[tuple[str, str, Keys]]],
    pairs: Sequence[Pair],
) -> tuple[Model, list[list[MatchResult]]]:
    """The learned model and the hits per suspect from :func:`first_pass`."""
    learned = feed_model(model, pairs)
    return learned, [decide(learned, s, mine) for s, mine in zip(suspects, kept, strict=True)]


class RegisterIndex:
    """Active register markings in memory, blocked on the keys of
    :func:`zsm_desk.domain.evidence.block_keys` (BSN, date, phonetic surname +
    year, phonetic first name + year, phonetic surname + first name).

    The persisted equivalent lives in services/registers/match_store.py; both
    decide through :func:`decide` with the same model.
    """

    def __init__(self, candidates: Iterable[Candidate], model: Model | None = None) -> None:
        self._candidates: list[Candidate] = list(candidates)
        self._keys: list[Keys] = [keys_of(c.identity) for c in self._candidates]
        self.model = model if model is not None else train(self._keys)
        self._blocks: dict[str, dict[str, list[int]]] = {k: {} for k in BLOCK_KINDS}
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for i, k in enumerate(self._keys):
                for kind, value in block_keys(k).items():
                    if value:
                        self._blocks[kind].setdefault(value, []).append(i)
        finally:
            if gc_was_enabled:
                gc.enable()

    def __len__(self) -> int:
        return len(self._candidates)

    def candidates_of(self, k: Keys) -> set[int]:
        found: set[int] = set()
        for kind, values in probe_keys(k).items():
            block = self._blocks[kind]
            for v in values:
                found.update(block.get(v, ()))
        return found

    def _blocked(self, s: Keys) -> list[tuple[str, str, Keys]]:
        """The candidates `s` meets in the blocks, as (vh_code, persoon_id, keys)."""
        cands, keys = self._candidates, self._keys
        return [(cands[i].vh_code, cands[i].persoon_id, keys[i]) for i in self.candidates_of(s)]

    def match(self, suspect: Identity) -> list[MatchResult]:
        """All hits for one suspect, strongest first; one per (vh_code, persoon_id)."""
        s = keys_of(suspect, suspect=True)
        return decide(self.model, s, self._blocked(s))

    def batch(self, suspects: Sequence[Identity]) -> Batch:
        """Each suspect's keys with its blocked candidates, for :func:`decide_batch`."""
        return [(s, self._blocked(s)) for s in (keys_of(x, suspect=True) for x in suspects)]

    def match_many(self, suspects: Sequence[Identity]) -> list[list[MatchResult]]:
        """The hits of a batch of suspects, with the m the batch teaches
        (:func:`decide_batch`), as a check of an instroom import judges them."""
        return decide_batch(self.model, self.batch(suspects))[1]


def _rank(status: MatchStatus, score: float) -> tuple[int, float]:
    return (0 if status is MatchStatus.BEKEND else 1, -score)


def item_status(matches: Sequence[MatchResult]) -> MatchStatus:
    """The strongest status of an item's matches; ONBEKEND without any."""
    statuses = {m.status for m in matches}
    if MatchStatus.BEKEND in statuses:
        return MatchStatus.BEKEND
    if MatchStatus.MOGELIJK in statuses:
        return MatchStatus.MOGELIJK
    return MatchStatus.ONBEKEND


__all__ = [
    "Candidate",
    "DateLevel",
    "GivenLevel",
    "RegisterIndex",
    "SurnameLevel",
    "compare_dates",
    "compare_given",
    "compare_surnames",
    "decide",
    "decide_batch",
    "first_pass",
    "item_status",
    "settle",
]
