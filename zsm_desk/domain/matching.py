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
from math import exp

from rapidfuzz.distance import OSA, JaroWinkler

from zsm_desk.domain.names import (
    GivenNames,
    SurnameForm,
    fold,
    given_names,
    skeleton,
    surname_form,
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


@lru_cache(maxsize=100_000)
def _digits_of(text: str) -> str:
    d = _parse_date(text)
    return f"{d[0]:04d}{d[1]:02d}{d[2]:02d}" if d and d[1] and d[2] else ""


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


# Not frozen on purpose: a frozen dataclass sets each field through
# object.__setattr__, which made building 200k of these four times slower.
@dataclass(slots=True)
class _Features:
    surname: SurnameForm
    given: GivenNames
    date: Ymd | None
    bsn: str  # only when it passes the elfproef; otherwise ""
    place: str  # geboorteplaats key (see _place_key); "" when unknown
    name_key: tuple[str, str]  # (surname skeleton, first given name): frequency key
    digits: str  # YYYYMMDD when the date is complete, else ""
    gemeente: str = ""  # gemeente (place key) of the address; "" when unknown


_PLACE_ALIASES = {
    "denhaag": "sgravenhage",
    "thehague": "sgravenhage",
    "denbosch": "shertogenbosch",
}


@lru_cache(maxsize=50_000)
def _place_key(place: str) -> str:
    key = fold(place).replace(" ", "").replace("-", "")
    return skeleton(_PLACE_ALIASES.get(key, key)) if key else ""


def _features(identity: Identity) -> _Features:
    bsn = identity.bsn
    surname = surname_form(identity.achternaam, identity.voorvoegsel)
    given = given_names(identity.voornamen)
    return _Features(
        surname=surname,
        given=given,
        date=_parse_date(identity.geboortedatum),
        bsn=bsn if bsn and _elfproef(bsn) else "",
        place=_place_key(identity.geboorteplaats),
        name_key=(given.tokens[0] if given.tokens else "", surname.whole_key),
        digits=_digits_of(identity.geboortedatum),
        gemeente=_place_key(identity.gemeente),
    )


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


_STRONG_SURNAME = (SurnameLevel.EXACT, SurnameLevel.TRANSLIT, SurnameLevel.PART)
_STRONG_GIVEN = (GivenLevel.FULL, GivenLevel.ROEPNAAM)


def _score(points: float) -> float:
    # ~0.93 for name + full date, ~1.0 with BSN, ~0.5-0.75 for the weak cases
    return round(1.0 / (1.0 + exp(-(points - 6.0) / 1.5)), 3)


#: A name (surname + first given name) this often in the register is "common":
#: worth saying so in the details, and a near date on it needs corroboration.
COMMON_NAME = 8
#: At most this often: rare enough that a near date (typo, partly unknown) on
#: the same name is worth a review without further support. Measured: false
#: `mogelijk` stays near 1 per 1,000 items with this, far under the budget.
RARE_NAME = COMMON_NAME
#: Name and exact birth date without BSN are `bekend` on their own only when
#: the name (surname skeleton + first given name) occurs at most this often in
#: the register. More often, and another person with the same name and the
#: same birth date is a real chance (Büşra Yıldız / Büşra Ijıldız, Pieter
#: Aalts: both seen in the benchmark); then an equal birth place, an equal
#: gemeente or two or more equal given names must corroborate it. The same
#: holds for a day/month swap, on top of its equal birth place.
RARE_UNCORROBORATED = 2
#: Older name of the same threshold (issue 3: roepnaam-only agreement).
RARE_ROEPNAAM = RARE_UNCORROBORATED


def _judge(
    s: _Features, c: _Features, name_freq: int, si: Identity, ci: Identity
) -> tuple[MatchStatus, float, list[str], list[str]] | None:
    """Compare suspect and candidate; None when the candidate is no hit at all.

    `name_freq` is how often the suspect's name occurs in the register.
    """
    bsn_equal = bool(s.bsn) and s.bsn == c.bsn
    bsn_conflict = bool(s.bsn) and bool(c.bsn) and s.bsn != c.bsn

    if (
        not bsn_equal
        and s.digits
        and c.digits
        and s.digits[:4] != c.digits[:4]
        and OSA.distance(s.digits, c.digits, score_cutoff=1) > 1
    ):
        # both dates complete, other year and no typo apart: the common case
        # in a block, decided before any further comparison
        return None
    date = compare_dates(s.date, c.date)
    # Cheap exits first: without a BSN hit, a clearly different birth date
    # ends it (namesakes), and so does an unrelated surname.
    if not bsn_equal and date is DateLevel.NONE:
        return None
    sur = compare_surnames(s.surname, c.surname)
    if not bsn_equal and sur is SurnameLevel.NONE:
        return None
    giv = compare_given(s.given, c.given)
    if not bsn_equal and giv is GivenLevel.NONE:
        return None  # twins: same surname and date, another first name

    name_strong = sur in _STRONG_SURNAME and giv in _STRONG_GIVEN
    same_place = bool(s.place) and s.place == c.place
    other_place = (
        bool(s.place)
        and bool(c.place)
        and not same_place
        and JaroWinkler.similarity(s.place, c.place) < _FUZZY_PLACE
    )
    if same_place is False and s.place and c.place and not other_place:
        same_place = True  # a spelling variant of the same place
    # Corroboration beyond name and date: the same birth place, or several
    # given names that all agree (a second given name is rarely shared by chance).
    support = same_place or (
        giv is GivenLevel.FULL and min(len(s.given.tokens), len(c.given.tokens)) >= 2
    )
    # The same gemeente of residence: a coincidental namesake with the same
    # birth date living in the same municipality is far-fetched (twins share
    # it, but twins fail the given-name test).
    same_gemeente = bool(s.gemeente) and s.gemeente == c.gemeente
    # Name and date alone, on a name that is not rare: another person with
    # the same name born on the same day is a real chance (common Turkish,
    # Moroccan and Dutch names). This covers roepnaam-only agreement
    # (`Halil Murat` / `Halil`) and surnames equal only on their spelling
    # skeleton (`Yıldız` / `Ijıldız`) alike.
    uncorroborated = not support and not same_gemeente and name_freq > RARE_UNCORROBORATED
    near_ok = not other_place and (name_freq <= RARE_NAME or support)

    status: MatchStatus | None
    lone_name = False  # demoted only because nothing corroborates name + date
    if bsn_equal:
        # a valid equal BSN plus anything else agreeing is certain; a BSN
        # alone on an otherwise foreign identity smells of a registration error
        agrees = (
            sur is not SurnameLevel.NONE or giv is not GivenLevel.NONE or date is not DateLevel.NONE
        )
        status = MatchStatus.BEKEND if agrees else MatchStatus.MOGELIJK
    elif bsn_conflict:
        # Two valid, different BSNs: only an exact name+date coincidence is
        # worth a look (a wrongly registered BSN); twins differ in first name.
        ok = name_strong and date is DateLevel.EXACT and not other_place
        status = MatchStatus.MOGELIJK if ok else None
    elif date is DateLevel.EXACT:
        if name_strong:
            # another birth place, or a name that is not rare without
            # corroboration: two different people can share name and birth date
            lone_name = uncorroborated and not other_place
            weak = other_place or uncorroborated
            status = MatchStatus.MOGELIJK if weak else MatchStatus.BEKEND
        elif other_place or (sur is SurnameLevel.FUZZY and giv not in _STRONG_GIVEN):
            status = None  # two weak signals on one date: too loose to show anyone
        else:
            status = MatchStatus.MOGELIJK
    elif not name_strong:
        # initials or a second given name on a near date: only with the same
        # birth place (twins share it, but twins share the exact date too)
        weak_ok = (
            sur in _STRONG_SURNAME
            and giv in (GivenLevel.INITIALS, GivenLevel.SUBSET)
            and same_place
        )
        status = MatchStatus.MOGELIJK if weak_ok else None
    elif not near_ok:
        # a near date on a common name without corroboration is what
        # namesakes look like; not worth a reviewer's time
        status = None
    elif (
        date is DateLevel.SWAP
        and giv is GivenLevel.FULL
        and sur in (SurnameLevel.EXACT, SurnameLevel.TRANSLIT)
        and same_place
        # a same-year namesake born on the swapped date in the same (often
        # foreign, few-valued) birth place happens too: Marcin Nowak, Poznań
        and (same_gemeente or name_freq <= RARE_UNCORROBORATED)
    ):
        status = MatchStatus.BEKEND
    else:
        # one-digit typo or partly unknown date: always a person's call
        status = MatchStatus.MOGELIJK
    if status is None:
        return None

    terms: list[str] = []
    details: list[str] = []
    points = 0.0
    if bsn_equal:
        terms.append("bsn")
        details.append("BSN gelijk (elfproef geldig)")
        points += 8.0
    elif bsn_conflict:
        terms.append("bsn-conflict")
        details.append("BSN verschilt: beide geldig, dus waarschijnlijk een ander persoon")
        points -= 6.0
    elif s.bsn or c.bsn:
        details.append("BSN aan één kant bekend; niet te vergelijken")
    else:
        details.append("geen bruikbaar BSN om te vergelijken")

    if name_strong:
        terms.append("naam")
    elif sur is not SurnameLevel.NONE or giv is not GivenLevel.NONE:
        terms.append("naam~")
    if sur is SurnameLevel.EXACT:
        same_raw = (
            si.achternaam.strip().lower() == ci.achternaam.strip().lower()
            and si.voorvoegsel.strip().lower() == ci.voorvoegsel.strip().lower()
        )
        details.append("achternaam gelijk" if same_raw else "achternaam gelijk na normalisatie")
    else:
        details.append(_SURNAME_DETAILS[sur])
    if giv is GivenLevel.FULL:
        if si.voornamen.strip().lower() == ci.voornamen.strip().lower():
            details.append("voornamen gelijk")
        elif s.given.folded == c.given.folded:
            details.append("voornamen gelijk na normalisatie")
        else:
            details.append("voornamen gelijk op schrijfwijze-variant (transliteratie)")
    else:
        details.append(_GIVEN_DETAILS[giv])

    if date is not DateLevel.NONE:
        terms.append(_DATE_TERMS[date])
    details.append(_DATE_DETAILS[date])
    if same_place:
        details.append("geboorteplaats gelijk")
        points += 0.5
    elif other_place:
        details.append("geboorteplaats verschilt")
        points -= 1.0
    if same_gemeente:
        details.append("gemeente gelijk")
    if name_freq > COMMON_NAME and not bsn_equal:
        details.append(f"veelvoorkomende naam: {name_freq} keer in het register")
        points -= 0.5
    elif lone_name:
        details.append(
            f"naam komt {name_freq} keer voor in het register; geen gelijke geboorteplaats "
            "of gemeente die het bevestigt"
        )

    points += _W_DATE[date] + _W_SURNAME[sur] + _W_GIVEN[giv]
    return status, _score(points), terms, details


def _same_person(a: _Features, b: _Features) -> bool:
    """Could two register identities be one person (the same client at two VHs)?"""
    if a.bsn and b.bsn:
        return a.bsn == b.bsn
    if compare_given(a.given, b.given) < GivenLevel.INITIALS:
        return False
    return compare_dates(a.date, b.date) >= DateLevel.SWAP or not (
        a.date and b.date and a.date[2] and b.date[2]
    )


class RegisterIndex:
    """Active register markings with blocking indexes for fast matching.

    Blocks (a candidate is compared only when it shares one with the suspect):

    * valid BSN;
    * birth year + surname skeleton (each part of a double name, and without
      el/al) — covers partial dates, swaps and digit typos in day/month;
    * month + day + surname skeleton — covers a typo in the year;
    * full birth date — covers surname spellings the skeleton misses.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self._candidates: list[Candidate] = []
        self._features: list[_Features] = []
        self._by_bsn: dict[str, list[int]] = {}
        self._by_year_surname: dict[tuple[int, str], list[int]] = {}
        self._by_daymonth_surname: dict[tuple[int, int, str], list[int]] = {}
        self._by_date: dict[Ymd, list[int]] = {}
        self._name_freq: dict[tuple[str, str], int] = {}
        freq = self._name_freq
        by_bsn, by_year, by_dm, by_date = (
            self._by_bsn,
            self._by_year_surname,
            self._by_daymonth_surname,
            self._by_date,
        )
        # Hundreds of thousands of small objects make the cyclic garbage
        # collector run over and over while nothing built here is a cycle.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for i, cand in enumerate(candidates):
                f = _features(cand.identity)
                self._candidates.append(cand)
                self._features.append(f)
                freq[f.name_key] = freq.get(f.name_key, 0) + 1
                if f.bsn:
                    by_bsn.setdefault(f.bsn, []).append(i)
                if f.date is None:
                    continue
                y, m, d = f.date
                for k in f.surname.keys:
                    by_year.setdefault((y, k), []).append(i)
                    if d:
                        by_dm.setdefault((m, d, k), []).append(i)
                if d:
                    by_date.setdefault(f.date, []).append(i)
        finally:
            if gc_was_enabled:
                gc.enable()

    def __len__(self) -> int:
        return len(self._candidates)

    def _block(self, f: _Features) -> set[int]:
        found: set[int] = set()
        if f.bsn:
            found.update(self._by_bsn.get(f.bsn, ()))
        if f.date is None:
            return found
        y, m, d = f.date
        by_year, by_dm = self._by_year_surname, self._by_daymonth_surname
        for k in f.surname.keys:
            found.update(by_year.get((y, k), ()))
            if m and d:
                found.update(by_dm.get((m, d, k), ()))
        if m and d:
            found.update(self._by_date.get(f.date, ()))
        return found

    def match(self, suspect: Identity) -> list[MatchResult]:
        """All hits for one suspect, strongest first; one per (vh_code, persoon_id)."""
        s = _features(suspect)
        name_freq = self._name_freq.get(s.name_key, 0)
        best: dict[tuple[str, str], tuple[MatchStatus, float, list[str], list[str], int]] = {}
        for i in self._block(s):
            cand = self._candidates[i]
            judged = _judge(s, self._features[i], name_freq, suspect, cand.identity)
            if judged is None:
                continue
            key = (cand.vh_code, cand.persoon_id)
            old = best.get(key)
            if old is None or _rank(judged[0], judged[1]) < _rank(old[0], old[1]):
                best[key] = (*judged, i)

        # Two different persons both fitting on name and date: nobody is
        # certain, whatever each pair looks like on its own.
        name_only = [k for k, v in best.items() if v[0] is MatchStatus.BEKEND and "bsn" not in v[2]]
        if name_only:
            sure = [v[4] for v in best.values() if v[0] is MatchStatus.BEKEND]
            feats = self._features
            if any(
                not _same_person(feats[a], feats[b])
                for n, a in enumerate(sure)
                for b in sure[n + 1 :]
            ):
                for k in name_only:
                    _, score, terms, details, i = best[k]
                    best[k] = (
                        MatchStatus.MOGELIJK,
                        min(score, 0.75),
                        [*terms, "meerdere-personen"],
                        [*details, "meerdere verschillende personen passen: bevestiging nodig"],
                        i,
                    )

        results = [
            MatchResult(
                vh_code=k[0],
                persoon_id=k[1],
                status=v[0],
                score=v[1],
                reden="+".join(v[2]),
                details=tuple(v[3]),
            )
            for k, v in best.items()
        ]
        results.sort(key=lambda r: (*_rank(r.status, r.score), r.vh_code, r.persoon_id))
        return results


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
    "item_status",
]
