"""Fellegi–Sunter evidence model for known-client matching (issue 12).

Pure domain code: no I/O, no SQL, no Qt.

Every suspect/register pair is compared field by field into discrete levels
(:func:`compare`). Each level carries a weight ``log2(m / u)``:

* ``u`` — how often the level occurs between two *different* persons — is
  taken from the register itself: exact agreement from the value counts
  (term frequency: a rare surname agreeing weighs more than ``de Jong``),
  fuzzy levels from random pairs of register identities;
* ``m`` — how often the level occurs for the *same* person — starts from a
  prior and is re-estimated by EM on pairs the register brings up against
  itself (the same client at two VHs, re-registrations), once blocked on the
  birth date and once on the phonetic name, so no field is judged on pairs
  that were selected by it.

The sum of the weights plus the prior log-odds gives the match weight in
bits; the posterior follows from it. Hard safety vetoes stay outside the
arithmetic: a twin (same surname and date, clearly other first name), a
namesake (clearly other date) and two valid but different BSNs never become
``bekend``; twins and namesakes are not even shown.

All keys persisted per register marking come from :func:`keys_of`, the
blocking keys from :func:`block_keys` (register side) and
:func:`probe_keys` (suspect side).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from zsm_desk.domain.given_names_data import GIVEN_NAMES
from zsm_desk.domain.names import (
    TRANSLITERATIONS,
    VOORVOEGSEL_WORDS,
    canonical_given,
    fold,
    given_names,
    roepnaam_pair,
    skeleton,
    surname_form,
)
from zsm_desk.domain.places import compare_place, place_key
from zsm_desk.domain.records import Identity, MatchStatus, PartialDate

# --- keys -----------------------------------------------------------------------

_ZERO_SUM = 48 * (9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 - 1)


def elfproef(bsn: str) -> bool:
    """Same verdict as records.bsn_valid, faster (runs for every marking)."""
    if len(bsn) != 9 or not bsn.isdigit() or not bsn.isascii() or bsn == "000000000":
        return False
    d = bsn.encode()
    total = (
        9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7]
        - d[8] - _ZERO_SUM
    )  # fmt: skip
    return total % 11 == 0


_PH_MAP = str.maketrans({"v": "f", "w": "f", "z": "s", "b": "p", "d": "t", "g": "h", "x": "k"})
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=200_000)
def phonetic(key: str) -> str:
    """Coarse sound code of a spelling skeleton: first sound + up to four consonants.

    Vowels after the first letter go (Kthagen = Kathagen, Erhoht = Erhout),
    voiced/voiceless pairs and g/ch/h merge; an initial vowel is just ``a``.
    """
    if not key:
        return ""
    head = "a" if key[0] in _VOWELS else key[0].translate(_PH_MAP)
    out = [head]
    for ch in key[1:].translate(_PH_MAP):
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)[:5]


@lru_cache(maxsize=50_000)
def date_key(text: str) -> str:
    """``YYYYMMDD`` with ``00`` for unknown parts; "" when unreadable."""
    try:
        d = PartialDate.parse(text)
    except ValueError:
        return ""
    return f"{d.year:04d}{d.month or 0:02d}{d.day or 0:02d}"


@dataclass(slots=True, unsafe_hash=True)
class Keys:
    """What matching needs of one identity; persisted per register marking.

    Never changed after it is made (equal and hashed by its fields, as a
    frozen dataclass would be), but not declared frozen: a frozen dataclass
    sets each field through ``object.__setattr__``, and a big check makes
    the keys of every marking and suspect, 300,000 of them, which cost a
    second that way and a third of it like this.
    """

    sur: str  # spelling skeleton of the whole surname (voorvoegsel off, parts glued)
    sur_parts: str  # space-joined skeletons of each part and without el/al
    giv: str  # space-joined canonical given names; single letters when initials only
    initials: bool  # the source had initials only
    letters: str  # first letters of the given names as written (folded)
    datum: str  # YYYYMMDD, 00 for unknown parts; "" unreadable
    bsn: str  # only when it passes the elfproef
    bsn_raw: str  # digits as written (for the one-typo level)
    place: str
    gem: str
    #: the first given name as written (folded, letters only): Luc and Luuk
    #: share a skeleton but are two names; "" for initials or old keys
    giv_lit: str = ""
    #: the surname field as written (folded, letters only): a slip the
    #: spelling skeleton pushes further off than it was written (Boxch →
    #: boks against Bosch → bo§) is compared as written; on the suspect side
    #: also a first name in the surname field against the register's
    #: `giv_lit` (exchanged fields). "" for keys stored before migration 0103.
    sur_lit: str = field(default="", repr=False)
    #: the first given name is written as one hyphenated name (Jean-Luc,
    #: Anne-Marie), suspect side only (not persisted): the keys split it into
    #: two given names, but its second part is no further given name
    giv_compound: bool = field(default=False, compare=False, repr=False)
    #: with several words in the given-name field, all of them as written
    #: (folded, letters only, glued), suspect side only (not persisted): a
    #: surname of several words in that field (exchanged fields) against the
    #: register's `sur_lit`, where each word's skeleton drifts from the glued
    #: one at its end (und → unt)
    giv_field_lit: str = field(default="", compare=False, repr=False)
    #: the first of `giv` (derived, not persisted): read several times per
    #: compared pair, so worked out once per identity
    giv0: str = field(init=False, repr=False, compare=False)
    #: `sur` and `giv0` with the OCR confusions undone (derived, for `_names_far`)
    sur_ocr: str = field(init=False, repr=False, compare=False)
    giv0_ocr: str = field(init=False, repr=False, compare=False)
    #: with several given names, the first two and all of them glued (a
    #: blank typed inside a name); "" with one (derived, for `_names_far`)
    giv_j2: str = field(init=False, repr=False, compare=False)
    giv_all: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        giv = self.giv
        giv0 = giv.split(" ", 1)[0] if giv else ""
        self.giv0 = giv0
        self.sur_ocr = _ocr(self.sur)
        self.giv0_ocr = _ocr(giv0)
        if " " in giv:
            tokens = giv.split()
            self.giv_j2 = "".join(tokens[:2])
            self.giv_all = "".join(tokens)
        else:
            self.giv_j2 = self.giv_all = ""

    @property
    def sur_ph(self) -> str:
        return phonetic(self.sur)

    @property
    def giv_ph(self) -> str:
        return "" if self.initials else phonetic(self.giv0)

    def as_row(self) -> dict[str, Any]:
        return {
            "sur": self.sur,
            "sur_parts": self.sur_parts,
            "giv": self.giv,
            "initials": self.initials,
            "letters": self.letters,
            "datum": self.datum,
            "bsn": self.bsn,
            "bsn_raw": self.bsn_raw,
            "place": self.place,
            "gem": self.gem,
            "giv_lit": self.giv_lit,
            "sur_lit": self.sur_lit,
        }


_LOOSE_LETTER = re.compile(r"\b(\w) (?=[a-zà-ÿ])")


@lru_cache(maxsize=200_000)
def _surname_keys(achternaam: str, voorvoegsel: str) -> tuple[str, str]:
    sf = surname_form(achternaam, voorvoegsel)
    return sf.whole_key, " ".join(sorted(sf.keys - {sf.whole_key}))


@lru_cache(maxsize=200_000)
def _field_lit(text: str) -> str:
    """A name field as written: folded, letters only (`Keys.sur_lit`,
    `Keys.giv_field_lit`), at most the 200 characters the column of
    `sur_lit` holds (folding may lengthen: ß → ss)."""
    return "".join(ch for ch in fold(text) if ch.isalpha())[:200]


@lru_cache(maxsize=200_000)
def _given_keys(voornamen: str) -> tuple[str, bool, str, str]:
    """(giv, initials, letters, giv_lit) of a voornamen field."""
    # "M aja": a blank typed inside a name, not an initial followed by a name
    gn = given_names(_LOOSE_LETTER.sub(r"\1", voornamen))
    if len(gn.tokens) > 1 and gn.folded[0] in VOORVOEGSEL_WORDS and not gn.initials:
        # "de Vries" in the given-name field: a surname that landed there
        # (exchanged fields); its voorvoegsel is no given name
        n = 0
        while n < len(gn.folded) - 1 and gn.folded[n] in VOORVOEGSEL_WORDS:
            n += 1
        rest = gn.folded[n:]
        # ... unless two or more given names follow: "Ten Daniel Zakaria" is
        # a first name that looks like a voorvoegsel (household generator,
        # 200,000 persons: glued into one word, a slip "Teun" met the twin
        # veto); "de Roos" stays a surname, one word that is also a name
        if len(rest) < 2 or not all(t in GIVEN_NAMES for t in rest):
            gn = type(gn)((skeleton("".join(rest)),), ("".join(rest),), False)
    lit = "" if gn.initials or not gn.folded else "".join(c for c in gn.folded[0] if c.isalpha())
    return " ".join(gn.tokens), gn.initials, gn.first_letters, lit


def _bsn_keys(text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    bsn = text if text.isdigit() else "".join(c for c in text if c.isdigit())
    return (bsn if elfproef(bsn) else ""), bsn


def keys_of(identity: Identity, suspect: bool = False) -> Keys:
    """The keys of one identity; a `suspect`'s also note a hyphenated first
    name (`Keys.giv_compound`), which register keys never do."""
    sur, sur_parts = _surname_keys(identity.achternaam, identity.voorvoegsel)
    giv, initials, letters, lit = _given_keys(identity.voornamen)
    bsn, bsn_raw = _bsn_keys(identity.bsn)
    return Keys(
        sur,
        sur_parts,
        giv,
        initials,
        letters,
        date_key(identity.geboortedatum),
        bsn,
        bsn_raw,
        place_key(identity.geboorteplaats),
        place_key(identity.gemeente),
        lit,
        _field_lit(identity.achternaam),
        suspect and "-" in identity.voornamen.strip().split(" ", 1)[0],
        _field_lit(identity.voornamen) if suspect and " " in identity.voornamen.strip() else "",
    )


#: Blocking key kinds; each is an indexed column of the persisted keys.
#: A typo in any one field, and in two fields, still meets its candidate:
#: names wrong → the full date (or its day/month swap) with the first letter of
#: the surname or of the first given name; a date digit wrong →
#: phonetic surname or first name with the year and either month or day; a
#: year digit wrong (with a typo in the other name) → phonetic surname or
#: first name with month and day. ``k_sy`` (phonetic surname + year) is only
#: probed for a suspect whose date is partly unknown.
BLOCK_KINDS = (
    "k_bsn", "k_ds", "k_dg", "k_sy", "k_sym", "k_syd", "k_gym", "k_gyd", "k_smd", "k_gmd",
)  # fmt: skip


def block_keys(k: Keys) -> dict[str, str]:
    """Register side: one value per kind ("" = none)."""
    d = k.datum
    y, mo, dd = d[:4], d[4:6], d[6:]
    full = d if d and mo != "00" and dd != "00" else ""
    sp, gp = k.sur_ph, k.giv_ph
    si, gi = k.sur[:1], k.letters[:1]
    return {
        "k_bsn": k.bsn,
        "k_ds": f"{full}|{si}" if full and si else "",
        "k_dg": f"{full}|{gi}" if full and gi else "",
        "k_sy": f"{sp}|{y}" if sp and y else "",
        "k_sym": f"{sp}|{y}{mo}" if sp and y else "",
        "k_syd": f"{sp}|{y}.{dd}" if sp and y else "",
        "k_gym": f"{gp}|{y}{mo}" if gp and y else "",
        "k_gyd": f"{gp}|{y}.{dd}" if gp and y else "",
        "k_smd": f"{sp}|{mo}{dd}" if sp and full else "",
        "k_gmd": f"{gp}|{mo}{dd}" if gp and full else "",
    }


#: Kinds whose probe values are one set for every suspect (`probe_keys`
#: looks the date, or a name with the date, up in either role).
PAIRED_KINDS = (("k_ds", "k_dg"), ("k_sym", "k_gym"), ("k_syd", "k_gyd"), ("k_smd", "k_gmd"))


def probe_keys(k: Keys) -> dict[str, set[str]]:
    """Suspect side: the values to look up per kind (date variants, exchanged
    names). The two kinds of each of `PAIRED_KINDS` share one set object: a
    big check builds a hundred thousand of these, and the merged blocks of
    `match_store.whole_register` look each pair up once."""
    return _probes(k.datum, k.sur, k.giv, k.initials, k.letters, k.bsn)


def identity_probes(
    achternaam: str, voorvoegsel: str, voornamen: str, geboortedatum: str, bsn: str
) -> dict[str, set[str]]:
    """``probe_keys(keys_of(identity))`` without working out the rest of the
    keys (a big file's suspects, in the child of `match_store.found_apart`)."""
    sur, _ = _surname_keys(achternaam, voorvoegsel)
    giv, initials, letters, _ = _given_keys(voornamen)
    return _probes(date_key(geboortedatum), sur, giv, initials, letters, _bsn_keys(bsn)[0])


def _probes(
    d: str, sur: str, giv: str, initials: bool, letters: str, bsn: str
) -> dict[str, set[str]]:
    y, mo, dd = d[:4], d[4:6], d[6:]
    sp = phonetic(sur)
    gp = "" if initials or not giv else phonetic(giv.split(" ", 1)[0])
    dates_: set[str] = set()
    ym: set[str] = set()
    yd: set[str] = set()
    md: set[str] = set()
    out: dict[str, set[str]] = {
        "k_bsn": {bsn} if bsn else set(), "k_ds": dates_, "k_dg": dates_, "k_sy": set(),
        "k_sym": ym, "k_syd": yd, "k_gym": ym, "k_gyd": yd, "k_smd": md, "k_gmd": md,
    }  # fmt: skip
    full = bool(d) and mo != "00" and dd != "00"
    swappable = full and mo != dd and int(dd) <= 12  # the day can be a month
    if full:
        dates = [d]
        if swappable:
            dates.append(y + dd + mo)  # day and month swapped
        # Either role (exchanged fields): the register's surname letter is its
        # skeleton's (Cas → kas, Schuylenborch → §uilenbor), its given-name
        # letter as written, so each name's letter is looked up both ways.
        firsts = {sur[:1], letters[:1], giv[:1]}
        for x in (sur[:1], giv[:1]):
            firsts.update(_FIRST_SOUND.get(x, ""))
        firsts.discard("")
        for x in dates:
            for letter in firsts:
                dates_.add(f"{x}|{letter}")
    names = [a for a in (sp, gp) if a]  # each as surname and as first name: exchanged fields
    # 1 January is also what the police write for a suspect without papers
    # (`placeholder_date`): the whole year, as for a year alone
    placeholder = full and mo == dd == "01"
    if y:
        for a in names:
            if full:
                ym.update((f"{a}|{y}{mo}", f"{a}|{y}00"))  # register month unknown
                yd.update((f"{a}|{y}.{dd}", f"{a}|{y}.00"))
            if not full or placeholder:
                out["k_sy"].add(f"{a}|{y}")
    if full:
        for a in names:  # each as surname and as first name: exchanged fields
            md.add(f"{a}|{mo}{dd}")
        if sp and (dd <= _MONTH_START or dd >= _MONTH_END):
            # a few days off over a month's end ("dagen": 31 May against 1
            # June) meets in the next or last month's year+month, by the
            # surname (a first name's blocks are several times bigger)
            ym.update(f"{sp}|{other}" for other in _months_near(d))
    if swappable and sp:
        # Day and month swapped with a digit off as well: the swapped date's
        # year+month, year+day (a digit off in the day or month: 1994-04-02
        # against 1994-01-04) or month+day (a digit off in the year) still
        # meets. The surname only (a first name's blocks are several times
        # bigger), for both kinds of each pair, as every name here.
        ym.add(f"{sp}|{y}{dd}")
        yd.add(f"{sp}|{y}.{mo}")
        md.add(f"{sp}|{dd}{mo}")
    for values in out.values():
        values.discard("")
    return out


@lru_cache(maxsize=4096)
def _months_near(d: str) -> tuple[str, ...]:
    """The other year+months (YYYYMM) of the days `DAYS_APART` around a
    full date key."""
    try:
        day = dt.date(int(d[:4]), int(d[4:6]), int(d[6:]))
    except ValueError:
        return ()
    around = (day + dt.timedelta(days=n) for n in range(-DAYS_APART, DAYS_APART + 1))
    return tuple(sorted({f"{x.year:04d}{x.month:02d}" for x in around} - {d[:6]}))


#: The fields of :class:`Keys` in order (the persisted columns).
KEY_FIELDS = (
    "sur", "sur_parts", "giv", "initials", "letters", "datum", "bsn", "bsn_raw", "place", "gem",
    "giv_lit", "sur_lit",
)  # fmt: skip


def key_rows(identities: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Keys and blocking keys of many identities at once, for a register import.

    Each input is ``(tag, achternaam, voorvoegsel, voornamen, geboortedatum,
    bsn, geboorteplaats, gemeente)``; each output ``(tag, *Keys fields,
    *block key values in BLOCK_KINDS order)``: the same values as
    :func:`keys_of` and :func:`block_keys`, computed once per distinct name,
    date and place instead of once per identity.
    """
    sur_of: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}
    giv_of: dict[str, tuple[str, bool, str, str, str, str]] = {}
    date_of: dict[str, tuple[str, str, str, str, str, str]] = {}
    bsn_of: dict[str, tuple[str, str]] = {}
    out: list[tuple[Any, ...]] = []
    append = out.append
    for tag, ach, vv, vn, gd, bsn_text, gp, gem in identities:
        s = sur_of.get((ach, vv))
        if s is None:
            sur, parts = _surname_keys(ach, vv)
            s = sur_of[(ach, vv)] = (sur, parts, phonetic(sur), sur[:1], _field_lit(ach))
        g = giv_of.get(vn)
        if g is None:
            giv, initials, letters, lit = _given_keys(vn)
            giv0 = giv.split(" ", 1)[0] if giv else ""
            g = giv_of[vn] = (giv, initials, letters, lit, "" if initials else phonetic(giv0),
                              letters[:1])  # fmt: skip
        d = date_of.get(gd)
        if d is None:
            datum = date_key(gd)
            y, mo, dd = datum[:4], datum[4:6], datum[6:]
            full = datum if datum and mo != "00" and dd != "00" else ""
            d = date_of[gd] = (datum, full, y, y + mo, f"{y}.{dd}", mo + dd)
        b = bsn_of.get(bsn_text)
        if b is None:
            b = bsn_of[bsn_text] = _bsn_keys(bsn_text)
        sur, parts, sp, si, sur_lit = s
        giv, initials, letters, lit, gph, gi = g
        datum, full, y, ym, yd, md = d
        append((
            tag, sur, parts, giv, initials, letters, datum, b[0], b[1], place_key(gp),
            place_key(gem), lit, sur_lit,
            b[0],
            f"{full}|{si}" if full and si else "",
            f"{full}|{gi}" if full and gi else "",
            f"{sp}|{y}" if sp and y else "",
            f"{sp}|{ym}" if sp and y else "",
            f"{sp}|{yd}" if sp and y else "",
            f"{gph}|{ym}" if gph and y else "",
            f"{gph}|{yd}" if gph and y else "",
            f"{sp}|{md}" if sp and full else "",
            f"{gph}|{md}" if gph and full else "",
        ))  # fmt: skip
    return out


class KeyTable(Sequence[Keys]):
    """Rows of :func:`key_rows` seen as a sequence of :class:`Keys` (for
    :func:`train`): a `Keys` is made only for the rows training samples, and
    the whole-register counts read the columns directly."""

    def __init__(self, rows: Sequence[Sequence[Any]], offset: int = 1) -> None:
        self._rows = rows
        self._at = offset  # where the Keys fields start in a row
        self._made: dict[int, Keys] = {}
        self._columns: list[list[Any]] | None = None

    @classmethod
    def of_columns(cls, columns: Sequence[list[Any]]) -> KeyTable:
        """The table of the :class:`Keys` fields given as columns (one list
        per field, in KEY_FIELDS order): no row is built for the counts."""
        if len(columns) != len(KEY_FIELDS) or len({len(c) for c in columns}) > 1:
            raise ValueError("one column of equal length per Keys field")
        table = cls([], 0)
        table._columns = list(columns)
        return table

    def __len__(self) -> int:
        return len(self._columns[0]) if self._columns is not None else len(self._rows)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        k = self._made.get(i)
        if k is None:
            if self._columns is not None:
                k = Keys(*(c[i] for c in self._columns))
            else:
                k = Keys(*self._rows[i][self._at : self._at + len(KEY_FIELDS)])
            self._made[i] = k
        return k

    def column(self, name: str) -> list[Any]:
        if self._columns is not None:
            return self._columns[KEY_FIELDS.index(name)]
        n = self._at + KEY_FIELDS.index(name)
        return [r[n] for r in self._rows]


def _column(keys: Sequence[Keys], name: str) -> list[Any]:
    if isinstance(keys, KeyTable):
        return keys.column(name)
    return [getattr(k, name) for k in keys]


# --- comparison levels -------------------------------------------------------------

#: Levels per field, strongest first. "leeg" (missing on a side) is neutral.
LEVELS: dict[str, tuple[str, ...]] = {
    "achternaam": ("exact", "fonetisch", "1-letter", "2-letters", "deel", "anders"),
    "voornaam": (
        "exact", "roepnaam", "fonetisch", "1-letter", "2-letters", "andere-voornaam",
        "voorletters", "anders",
    ),
    "geboortedatum": (
        "exact", "dag-maand", "cijfer", "dag-maand-cijfer", "dagen", "onvolledig", "anders",
    ),
    "bsn": ("gelijk", "typfout", "conflict"),
    "geboorteplaats": ("gelijk", "anders"),
    "gemeente": ("gelijk", "anders"),
}  # fmt: skip
FIELDS = tuple(LEVELS)

#: Prior m-probabilities (same person): the EM start and its anchor.
M_PRIOR: dict[str, dict[str, float]] = {
    "achternaam": {"exact": 0.85, "fonetisch": 0.03, "1-letter": 0.05, "2-letters": 0.02,
                   "deel": 0.04, "anders": 0.01},
    "voornaam": {"exact": 0.68, "roepnaam": 0.18, "fonetisch": 0.03, "1-letter": 0.04,
                 "2-letters": 0.01, "andere-voornaam": 0.02, "voorletters": 0.03, "anders": 0.01},
    "geboortedatum": {"exact": 0.89, "dag-maand": 0.02, "cijfer": 0.03,
                      "dag-maand-cijfer": 0.005, "dagen": 0.005, "onvolledig": 0.04,
                      "anders": 0.01},
    "bsn": {"gelijk": 0.985, "typfout": 0.01, "conflict": 0.005},
    "geboorteplaats": {"gelijk": 0.93, "anders": 0.07},
    "gemeente": {"gelijk": 0.75, "anders": 0.25},
}  # fmt: skip

_STR_LEVELS = ("exact", "fonetisch", "1-letter", "2-letters")


_OCR_RULES = (("ri", "n"), ("rn", "m"), ("kl", "d"), ("li", "h"), ("ii", "u"), ("fv", "w"))


@lru_cache(maxsize=100_000)
def _ocr(key: str) -> str:
    """A skeleton with the usual OCR/handwriting confusions undone (Teuri = Teun)."""
    for a, b in _OCR_RULES:
        if a in key:
            key = key.replace(a, b)
    return _DOUBLE.sub(r"\1", key)


_DOUBLE = re.compile(r"(.)\1+")


def _str_level(a: str, b: str) -> str:
    """exact / fonetisch / 1-letter / 2-letters / anders for two skeletons.

    Short names have many neighbours: one letter on a name of at most three
    letters is only "2-letters" (weak), and a sound match needs five letters.
    """
    if not a or not b:
        return "anders"
    if a == b:
        return "exact"
    la, lb = len(a), len(b)
    if abs(la - lb) > 2:
        return "anders"
    # conditionals, not min()/max(): this runs some thirty times per suspect
    short = la if la < lb else lb
    d = OSA.distance(a, b, score_cutoff=2)
    if d <= 2 and short >= 5 and a[0] == b[0] and phonetic(a) == phonetic(b):
        return "fonetisch"
    if d <= 1:
        return "1-letter" if la >= 4 or lb >= 4 else "2-letters"
    if short >= 4 and _ocr(a) == _ocr(b):
        return "1-letter"
    if d <= 2 and short >= 5:
        return "2-letters"
    return "anders"


_RANK = {lv: i for i, lv in enumerate(("exact", "fonetisch", "1-letter", "2-letters", "anders"))}


_BY_RANK = tuple(_RANK)


def _best_pair(xs: Iterable[str], ys: Iterable[str]) -> str:
    """The strongest `_str_level` of any x with any y (stops at "exact")."""
    best = _RANK["anders"]
    for x in xs:
        for y in ys:
            r = _RANK[_str_level(x, y)]
            if r < best:
                if r == 0:
                    return "exact"
                best = r
    return _BY_RANK[best]


def compare_surname(a: Keys, b: Keys) -> str:
    if not a.sur or not b.sur:
        return "leeg"
    lv = _str_level(a.sur, b.sur)
    if lv in ("2-letters", "anders"):
        # the skeleton pushed a slip further off than it was written: a typo
        # inside a letter group it rewrites (Bunsfhoten against Bunschoten is
        # bunsfhoten against bun§oten, three edits; Boxch against Bosch), or a
        # blank before a last part that reads as a voorvoegsel ("Vel den")
        lv = _surname_as_written(a.sur_lit, b.sur_lit) or lv
    if lv != "exact":
        pa = set(a.sur_parts.split()) | {a.sur}
        pb = set(b.sur_parts.split()) | {b.sur}
        if pa & pb:
            return "deel" if lv == "anders" else lv
    return lv


def _surname_as_written(a: str, b: str) -> str:
    """Two surname fields as written (`Keys.sur_lit`): "exact" when equal,
    "1-letter" one edit apart, or two and equal once the OCR confusions are
    undone (one confusion: Veeri against Veen, whose skeletons veri and ven
    are too short for that test); both of four letters or more. Else ""."""
    if not a or not b:
        return ""
    if a == b:
        return "exact"
    if len(a) >= 4 and len(b) >= 4:
        d = OSA.distance(a, b, score_cutoff=2)
        if d <= 1 or (d == 2 and _ocr_near(a, b)):
            return "1-letter"
    return ""


#: First letters that write one sound, as the spelling skeleton merges them.
_INITIAL_SOUND = str.maketrans({"j": "i", "y": "i", "c": "k", "q": "k"})


def compare_given(a: Keys, b: Keys) -> str:
    ta, tb = a.giv.split(), b.giv.split()
    if not ta or not tb:
        # (also a key of blanks: `names.given_names` no longer makes one and
        # migration 0133 dropped the stored ones, but none may fail here)
        return "leeg"
    if a.initials or b.initials or len(ta[0]) == 1 or len(tb[0]) == 1:
        la, lb = a.letters, b.letters
        short, long_ = (la, lb) if len(la) <= len(lb) else (lb, la)
        if long_.startswith(short):
            return "voorletters"
        # one sound, two first letters: J. for Yusuf (Jusuf), C. for Kees
        # (Cornelis); initials are never `bekend`, a person looks
        if long_.translate(_INITIAL_SOUND).startswith(short.translate(_INITIAL_SOUND)):
            return "voorletters"
        return "anders"
    if ta == tb:
        return "exact"
    # a blank inside a name (Jo ël, Abdel Kader) must not make two names
    forms_a = {ta[0], *_blank_joins(ta[0], ta[1])} if len(ta) > 1 else {ta[0]}
    forms_b = {tb[0], *_blank_joins(tb[0], tb[1])} if len(tb) > 1 else {tb[0]}
    if forms_a & forms_b:
        if "".join(ta) == "".join(tb):
            return "exact"
        # "Qui nn" against "Quinn Adam": the blank split the first name; the
        # further names are compared as if it had not
        if len(ta) > 1 and tb[0] in _blank_joins(ta[0], ta[1]):
            ta = [tb[0], *ta[2:]]
        elif len(tb) > 1 and ta[0] in _blank_joins(tb[0], tb[1]):
            tb = [ta[0], *tb[2:]]
        if ta == tb:
            return "exact"
        if len(ta) > 1 and len(tb) > 1 and not (set(ta) <= set(tb) or set(tb) <= set(ta)):
            # same first name, the further names disagree (twins Pieter Jan /
            # Pieter Willem): weak, never enough on its own; unless they
            # disagree by a slip only (`_further_slip`)
            return _further_slip(ta[1:], tb[1:]) or "andere-voornaam"
        return "roepnaam"
    lv = _best_pair(forms_a, forms_b)
    if lv != "anders" and not _gender_pair(ta[0], tb[0]):
        return lv
    if set(ta) & set(tb):
        return "andere-voornaam"
    la, lb = a.giv_lit, b.giv_lit
    lit = _slip_as_written(la, lb)
    if lit != "anders":
        return lit
    if _truncated(la or ta[0], lb or tb[0]) and not _gender_pair(ta[0], tb[0]):
        return "afgekort"
    return "anders"


def _further_slip(xs: Sequence[str], ys: Sequence[str]) -> str | None:
    """Further given names (keys) after an equal first name that differ by
    slips only: as many on each side, in order, each pair equal, of one
    sound or a letter or two apart (`_str_level`), and of every unequal pair
    at least one no name that people carry ("Helumt" against Helmut). The level of the worst pair, as the first name's would be; None
    otherwise (then "andere-voornaam": Pieter Jan and Pieter Willem, or Jan
    Peter and Jan Pieter, two names, are what brothers are called). Gecko's
    noise model (`benchmarks/gecko_source.py`) types in every given name,
    and "Bernd Helumt Erich" against "Bernd Helmut Erich" was held back as
    "another given name than the first"."""
    if len(xs) != len(ys):
        return None
    worst = 0
    for x, y in zip(xs, ys, strict=True):
        if x == y:
            continue
        rank = _RANK[_str_level(x, y)]
        if not 0 < rank < _RANK["anders"] or (x in _NAME_KEYS and y in _NAME_KEYS):
            return None
        worst = max(worst, rank)
    return _BY_RANK[worst] if worst else None


#: The keys (`canonical_given`) of the given names people carry.
_NAME_KEYS = frozenset(canonical_given(n) for n in GIVEN_NAMES)


@lru_cache(maxsize=65_536)
def _blank_joins(a: str, b: str) -> tuple[str, str]:
    """Two skeleton parts of a name a blank split, joined: as they are, and
    as the whole name's skeleton, which merges a doubled letter that the
    blank kept apart ("Ab bey" is ab + bei, Abbey is abei; Febrl, set 4:
    "ab bey", "an na")."""
    return a + b, skeleton(a + b)


def _slip_as_written(a: str, b: str) -> str:
    """Two first names as written (folded letters): the spelling skeleton can
    push a slip further off than it was written (Dexn → deksn against Dean).
    Only when one of the two is no name at all; two real names stay "anders"
    (twins)."""
    if (
        a
        and b
        and abs(len(a) - len(b)) <= 2
        and (a not in GIVEN_NAMES or b not in GIVEN_NAMES)
        and (lit := _str_level(a, b)) in ("fonetisch", "1-letter", "2-letters")
    ):
        return lit
    return "anders"


def _truncated(a: str, b: str) -> bool:
    """One first name is the other cut short (Jay / Jayden, Ai / Aiden): a
    clerk's field cut off, or a short form. At least two letters, and at
    least two fewer than the whole (one fewer is a letter-off level). Also an
    abbreviation of consonants only, in order, from the first letter (Mhd,
    Md, Mhmd for Mohammed as Syrian papers write it; Wm for Willem): no name
    on its own."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 2 or len(long_) < len(short) + 2:
        return False
    if long_.startswith(short):
        return True
    if len(short) > 4 or short[0] != long_[0] or not _VOWELLESS.match(short):
        return False
    rest = iter(long_)
    return all(ch in rest for ch in short)


#: Letters without a vowel (y counts as one: Ymke, Yvonne).
_VOWELLESS = re.compile(r"[b-df-hj-np-tv-xz]+\Z")


#: Endings that turn a given name into its other-gender form (Victor/Victoria,
#: Johan/Johanna, Paul/Paula, Daan/Daantje); as skeletons (j → i).
_GENDER_ENDINGS = ("a", "e", "ia", "ie", "ina", "ine", "ien", "ke", "tie", "ian")


def _gender_pair(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and long_[len(short) :] in _GENDER_ENDINGS


def compare_date(a: str, b: str) -> str:
    if not a or not b:
        return "leeg"
    if a == b:
        return "exact" if not a.endswith("00") else "onvolledig"
    ya, ma, da = a[:4], a[4:6], a[6:]
    yb, mb, db = b[:4], b[4:6], b[6:]
    if "00" in (ma, da, mb, db):
        if ya != yb:
            return "anders"
        if ma != "00" and mb != "00" and ma != mb:
            return "anders"
        if da != "00" and db != "00" and da != db:
            return "anders"
        return "onvolledig"
    if ya == yb and ma == db and da == mb:
        return "dag-maand"
    if OSA.distance(a, b, score_cutoff=1) <= 1:
        return "cijfer"
    # Day and month swapped and a digit off as well (1996-09-03 against
    # 1966-03-09, 2004-01-06 against 2040-06-01): two slips, weak evidence,
    # never bekend; before, a namesake veto dropped the pair.
    # (the quick test first: this runs for every date a namesake veto drops)
    if (ya == yb or da + ma == mb + db) and OSA.distance(ya + da + ma, b, score_cutoff=1) <= 1:
        return "dag-maand-cijfer"
    # Up to three days apart with more than one digit changed (19 against 20,
    # 31 May against 1 June): a date stored as midnight and read back in
    # another time zone is a day off, and a clerk counting on from a form a
    # few. Weak evidence, never bekend; before, the namesake veto dropped the
    # pair. (The same month first, then a month's end only: this runs for
    # every date a namesake veto drops.)
    if ya == yb and ma == mb:
        return "dagen" if abs(_NUMBER[da] - _NUMBER[db]) <= DAYS_APART else "anders"
    if (da >= _MONTH_END and db <= _MONTH_START) or (db >= _MONTH_END and da <= _MONTH_START):
        return "dagen" if abs(_day_number(a) - _day_number(b)) <= DAYS_APART else "anders"
    return "anders"


#: Full birth dates at most this many days apart compare as "dagen" (two
#: at first; three after reading Gecko's misses at twice its usual noise:
#: the same names and gemeente three days apart, which a person wants to see).
DAYS_APART = 3
#: The days of a month from which a date `DAYS_APART` on can be in the next
#: month (28 February and 3 days is 3 March), and up to which one as many
#: days back can be in the last.
_MONTH_END, _MONTH_START = f"{29 - DAYS_APART:02d}", f"{DAYS_APART:02d}"
#: A day's or month's two digits as a number (a lookup, not `int`: this
#: runs for every candidate date a namesake veto drops).
_NUMBER = {f"{n:02d}": n for n in range(100)}


@lru_cache(maxsize=50_000)
def _day_number(d: str) -> int:
    """The day number of a full date key (YYYYMMDD)."""
    return dt.date(int(d[:4]), int(d[4:6]), int(d[6:])).toordinal()


def compare_bsn(a: Keys, b: Keys) -> str:
    if a.bsn and b.bsn:
        return "gelijk" if a.bsn == b.bsn else "conflict"
    if (
        a.bsn_raw
        and b.bsn_raw
        and (a.bsn or b.bsn)
        and OSA.distance(a.bsn_raw, b.bsn_raw, score_cutoff=1) <= 1
    ):
        return "typfout"
    return "leeg"


@dataclass(frozen=True, slots=True)
class Comparison:
    levels: dict[str, str]
    exchanged: bool  # given name and surname exchanged on one side
    #: the first given name is the other cut short: weighed and gated as
    #: initials ("voorletters": the known letters agree, the rest is missing),
    #: only its text and `reden` say what it is
    truncated: bool = False
    #: the first given name is a roepnaam of the other (Kees / Cornelis,
    #: `names.ROEPNAMEN`): weighed and gated as `truncated` is
    roepnaam: bool = False


def compare(s: Keys, c: Keys, date: str = "") -> Comparison:
    """Levels per field; `date` is the date level when the caller already has it."""
    levels = {
        "achternaam": compare_surname(s, c),
        "voornaam": compare_given(s, c),
        "geboortedatum": date or compare_date(s.datum, c.datum),
        "bsn": compare_bsn(s, c),
        "geboorteplaats": compare_place(s.place, c.place),
        "gemeente": compare_place(s.gem, c.gem),
    }
    exchanged = False
    if levels["voornaam"] == "anders" and levels["achternaam"] not in ("anders", "leeg"):
        # Only beside a surname that is near: `_names_far` drops a pair whose
        # surnames are far before any given name is compared.
        levels["voornaam"] = _roepnaam_level(s, c)
    roepnaam = levels["voornaam"] == "roepnaamvorm"
    truncated = roepnaam or levels["voornaam"] == "afgekort"
    if truncated:
        levels["voornaam"] = "voorletters"
    if (
        (levels["achternaam"] == "anders" or levels["voornaam"] == "anders")
        and not s.initials
        and not c.initials
        and s.giv
        and c.giv
    ):
        x_giv = _exchanged_surname(s, c)
        # the other name only when this one is near (an exchange needs both;
        # half the compared pairs end here, so the order is worth keeping)
        x_sur = "anders" if x_giv == "anders" else _exchanged_first_name(s, c)
        # up to a letter off in each name: found for review (an exchange is
        # only ever bekend with both names exact); a letter off in one and two
        # in the other only where the fields as given agree less
        # (a roepnaam is as near as an exact name for telling an exchange)
        rank_sur = _RANK["exact"] if x_sur == "roepnaam" else _RANK.get(x_sur, _RANK["1-letter"])
        x_rank = rank_sur + _RANK.get(x_giv, _RANK["1-letter"])
        if "anders" not in (x_sur, x_giv) and (
            x_rank <= 4
            or (
                x_rank == 5
                and _RANK.get(levels["achternaam"], 3) + _RANK.get(levels["voornaam"], 3) > 5
            )
        ):
            exchanged = True
            # levels in the register person's roles: its surname against the
            # suspect's given-name field, its first name against the
            # suspect's surname field (as the term frequencies are looked up)
            if x_sur in ("roepnaamvorm", "afgekort"):
                roepnaam = x_sur == "roepnaamvorm"
                x_sur, truncated = "voorletters", True
            levels["achternaam"] = x_giv
            levels["voornaam"] = x_sur
    elif (
        levels["achternaam"] == "anders"
        and c.initials
        and not s.initials
        and s.giv
        and s.sur
        and c.letters[:1]
        and c.letters[:1] in s.sur[:1] + _FIRST_SOUND.get(s.sur[:1], "")
    ):
        # "Jansen | Guus" against "G. Jansen": exchanged fields where the
        # register has initials only; at best "voorletters", so never bekend
        x_sur = _str_level(s.giv0, c.sur)
        if x_sur == "anders" and s.giv0 in c.sur_parts.split():
            x_sur = "deel"  # "Ahmadi | Samira" against "S.H. El Idrissi-Ahmadi"
        if x_sur == "anders":
            # a surname of several words ("Heribert van Laon | Quinten" against
            # "Q.R. Heribert van Laon"), as written
            x_sur = _surname_as_written(s.giv_field_lit, c.sur_lit) or "anders"
        if _RANK.get(x_sur, _RANK["1-letter"]) <= 2:
            exchanged = True
            levels["achternaam"] = x_sur
            levels["voornaam"] = "voorletters"
    return Comparison(levels, exchanged, truncated, roepnaam)


def _roepnaam_level(s: Keys, c: Keys) -> str:
    """Given names that compare as "anders" but are an official name and its
    roepnaam (`names.ROEPNAMEN`): "roepnaamvorm" for the first names (Kees
    against Cornelis Johannes; `compare` weighs and gates it as a name cut
    short), "andere-voornaam" for a further one (Kees against Johannes
    Cornelis), else "anders". Never `bekend` on its own: both levels send the
    pair to a person, who sees which names met."""
    if s.initials or c.initials:
        return "anders"
    ta, tb = s.giv.split(), c.giv.split()
    if not ta or not tb:
        return "anders"
    if roepnaam_pair(ta[0], tb[0]):
        return "roepnaamvorm"
    if any(roepnaam_pair(x, tb[0]) for x in ta[1:]) or any(roepnaam_pair(ta[0], y) for y in tb[1:]):
        return "andere-voornaam"
    return "anders"


def _exchanged_surname(s: Keys, c: Keys) -> str:
    """The register's surname against the suspect's given-name field (the
    first half of an exchange): a level of `_str_level`, "deel", or "anders"."""
    x_giv = _str_level(s.giv0, c.sur)
    if x_giv == "anders" and " " in s.giv:
        # a double surname in the given-name field: "Wipstrik-Erhout",
        # also with its voorvoegsel behind a comma ("West-Francië, van")
        x_giv = _str_level(s.giv.replace(" ", ""), c.sur)
        if x_giv == "anders":
            x_giv = _str_level(
                "".join(t for t in s.giv.split() if t not in VOORVOEGSEL_WORDS), c.sur
            )
    if x_giv == "anders" and c.sur_parts:
        # one part of the register's double surname in the suspect's
        # given-name field: "de Jong | Fatima" against "Fatima |
        # Boudewijns-de Jong" (the part level, weighed as a letter off)
        parts = set(c.sur_parts.split())
        if s.giv0 in parts or s.giv.replace(" ", "") in parts:
            x_giv = "deel"
    if x_giv == "anders":
        # the register's surname as written (Bunsfhoten | Damian against
        # Damian Bunschoten), as compare_surname has it; a surname of
        # several words as written, whole ("Coreth von und zu Coredo und
        # Starkenberg | Riley": each word's skeleton ends otherwise than
        # the glued one's, und → unt)
        x_giv = (
            _surname_as_written(s.giv_lit, c.sur_lit)
            or _surname_as_written(s.giv_field_lit, c.sur_lit)
            or "anders"
        )
    return x_giv


def _all_given_glued(s: Keys, c: Keys) -> bool:
    """The suspect's surname field as written is the register's given names,
    all of them in order, glued (both as spelling skeletons)."""
    return bool(s.sur_lit) and skeleton(s.sur_lit) == skeleton(c.giv.replace(" ", ""))


def _exchanged_first_name(s: Keys, c: Keys) -> str:
    """The suspect's surname field against the register's first name: the
    levels of `_str_level`, or "afgekort" for a first name cut short."""
    x_sur = _str_level(s.sur, c.giv0)
    if x_sur != "exact" and s.sur_lit and s.sur_lit == c.giv_lit:
        # one name as written: a surname's spelling skeleton knows no given
        # name's transliterations (Osman is "otman" as a given name), so the
        # same name in the other field came out a sound or a letter off
        # (nl generator, names exchanged: 2 of 175 true pairs, held back)
        x_sur = "exact"
    if x_sur == "exact" and " " in c.giv:
        # only the first of the register's given names, as "roepnaam" without
        # the exchange (clerk generator, names exchanged, 200,000 persons,
        # seed 105: "Aschman | Maud" against "Maud Demi Isa Feline Aschman",
        # same day, another gemeente, 9.0 bits: a same-name person of that
        # year, `bekend` as "exact" where unexchanged it goes to a person)
        x_sur = "roepnaam"
    elif x_sur == "anders" and " " in c.giv:
        # every given name in the surname field ("Stefan Wolfgang |
        # Schönemann"); glued, a letter doubled over the names' seam merges
        # as in the surname's skeleton ("Claudia Angela": klaudiangela)
        x_sur = _str_level(s.sur, c.giv.replace(" ", ""))
        if x_sur != "exact" and _all_given_glued(s, c):
            x_sur = "exact"
    if x_sur == "anders":
        x_sur = _slip_as_written(s.sur_lit, c.giv_lit)  # Ayobu against Ayoub
    if (
        x_sur == "anders"
        and (_truncated(s.sur, c.giv0) or _truncated(s.sur_lit, c.giv_lit))
        and not _gender_pair(s.sur, c.giv0)
    ):
        # "van Doorn | Ai" against "Aiden Mats van Doorn"; "Md | Bouzidi"
        # against Muhammad, whose skeleton (mohamet) lost the d
        x_sur = "afgekort"
    if x_sur == "anders" and s.sur_lit and roepnaam_pair(skeleton(s.sur_lit), c.giv0):
        # "Bakker | Kees" against "Cornelis Bakker": the roepnaam in the
        # surname field, compared as a given name (`_roepnaam_level`)
        x_sur = "roepnaamvorm"
    return x_sur


#: First letters a spelling skeleton rewrites (Jansen → iansen, Chris → hris).
_FIRST_SOUND = {
    "i": "jy", "k": "cq", "h": "gc", "s": "zc", "f": "vp", "u": "w", "e": "a", "§": "s",
}  # fmt: skip


# --- the model --------------------------------------------------------------------

#: Weight (bits) of the exchange itself: a real but unusual registration error.
EXCHANGE_PENALTY = -2.0
#: Prior probability that a queue item is a known client at all.
KNOWN_SHARE = 0.10
_TF_LEVELS = {"achternaam": ("exact",), "voornaam": ("exact", "roepnaam")}
_FUZZY_LEVELS = ("fonetisch", "1-letter", "2-letters")
#: P(the known part agrees | same person) for a field one side holds only in
#: part (a partial birth date, initials instead of given names).
_PARTIAL_M = {("geboortedatum", "onvolledig"): 0.92, ("voornaam", "voorletters"): 0.9}


def _log2(x: float) -> float:
    return math.log2(max(x, 1e-12))


#: Stored shape of :class:`Model` (2: the date level "dag-maand-cijfer"; 3: the
#: surname level compares a slip as written, `Keys.sur_lit`; 4: surnames as
#: written are counted, `Model.tf_sur_lit`; 5: birth dates far more common
#: than a day of their year, `Model.tf_date`; 6: birth places per surname,
#: `Model.tf_place`; 7: a register too small to learn weights from keeps its
#: first names' counts, `Model.tf_lit`, which `two_names` reads; 8: the date
#: level "dagen").
MODEL_VERSION = 8


@dataclass
class Model:
    """Learned weights plus the term frequencies they need (persisted as JSON)."""

    n: int
    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    tf_sur: dict[str, int]
    tf_giv: dict[str, int]
    em_pairs: int = 0  # how many register pairs EM saw (0: prior m only)
    #: (surname, first given name) counts: names are not independent (a
    #: Syrian first name comes with a Syrian surname), so when both agree the
    #: joint frequency is used where it is larger than the product.
    tf_pair: dict[str, int] = field(default_factory=dict)
    #: P(second given names equal | two persons both have one): collision rate.
    u_second: float = 0.02
    #: first given names as written (folded, letters only), per person: tells a
    #: name other people carry (Thomas, Tomasz) from a one-off typo (Tohmas)
    tf_lit: dict[str, int] = field(default_factory=dict)
    #: surname fields as written (`Keys.sur_lit`), per person: tells two
    #: surnames people carry that one spelling skeleton merges (Jansen,
    #: Janssen) from a slip of one of them
    tf_sur_lit: dict[str, int] = field(default_factory=dict)
    #: birth dates (YYYYMMDD) that far more persons carry than a day of their
    #: year (`heavy_dates`), with how many: the 1 January that registrations
    #: write for an unknown day and month. Agreeing on one says little.
    tf_date: dict[str, int] = field(default_factory=dict)
    #: (surname, birth place) counts, from two carriers: a birth place says
    #: little beside a surname that comes from there (two "Jurgen Rosaria"
    #: born in Oranjestad; model version 6)
    tf_place: dict[str, int] = field(default_factory=dict)
    #: True for the reference model of a register too small to learn from:
    #: no term frequencies, the reference u of a register of `n` persons.
    reference: bool = False
    _weights: dict[tuple[str, str, str], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _maxima: dict[tuple[str, str], float] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def prior_bits(self) -> float:
        # once per model: read for every judged pair (`n` never changes)
        return _log2(KNOWN_SHARE / max(self.n, 1000))

    def weight(self, fld: str, level: str, value: str = "") -> float:
        """log2(m/u) of a level; `value` is the register person's value in this
        role (its term frequency for a name, the partial date for a date)."""
        # Memoised: judging a batch asks for the same few hundred thousand
        # (field, level, value) weights millions of times. A model is not
        # changed after it is made (train / from_json build a new one).
        key = (fld, level, value)
        w = self._weights.get(key)
        if w is None:
            w = self._weights[key] = self._weight(fld, level, value)
        return w

    def level_max(self, fld: str, value: str) -> float:
        """The highest weight any level of `fld` gives the register's `value`
        ("leeg" included): an upper bound (`_under`), memoised as `weight`."""
        key = (fld, value)
        w = self._maxima.get(key)
        if w is None:
            levels = (*LEVELS[fld], "leeg")
            w = self._maxima[key] = max(self.weight(fld, lv, value) for lv in levels)
        return w

    def _weight(self, fld: str, level: str, value: str) -> float:
        if level == "leeg":
            return 0.0
        m = self.m[fld][level]
        u = self.u[fld][level]
        if (fld, level) in _PARTIAL_M:
            # One side holds only part of the field (a year, initials): that
            # part is compared and the rest is missing, and missing is neutral.
            # Both m and u are then conditional on the partial side: a year
            # agreeing weighs log2(0.92 / 0.02), not the 1 bit that the joint
            # m (how often a register date is partial) over a conditional u gave.
            m = _PARTIAL_M[(fld, level)]
            if level == "onvolledig" and value[4:6] not in ("", "00"):
                u /= 12  # year and month known
            return _log2(m / u)
        if fld == "geboortedatum" and value:
            # `value` is the suspect's date, a heavy one (`_date_weight`). How
            # strongly a date level speaks depends on how common the suspect's
            # date is among other persons: the level's u holds for an ordinary
            # day, and a date that N persons carry is N / (n u_exact) times as
            # likely in a pair of two persons. For "exact" that is the term
            # frequency without the candidate, as for names.
            carriers = self.tf_date.get(value, 0) - (1 if level == "exact" else 0)
            u_day = self.u["geboortedatum"]["exact"]
            return _log2(m / max(u, u * carriers / max(self.n, 1) / u_day))
        if self.reference or fld not in _TF_LEVELS:
            return _log2(m / u)
        tf = self.tf_sur if fld == "achternaam" else self.tf_giv
        if value and level in _TF_LEVELS[fld]:
            # term frequency: P(two different persons share exactly this
            # value), counted without the candidate, who carries it by
            # definition: a name two persons carry is one other carrier
            u = max(tf.get(value, 1) - 1, 1) / max(self.n, 1)
            if level == "roepnaam":
                u *= 2.0  # first name only: looser than all names
        elif value and level == "deel" and fld == "achternaam":
            # One part of a double or partner name in common (`value`, the
            # part, `_shared_part`): no rarer than the persons who carry that
            # part as their whole surname (nl generator with the police's 1
            # January, fresh seed 120: "Nour El Amrani" against a namesake
            # "Nur Mokhtari-Elamrani" born the same day, 48 persons called El
            # Amrani among 21,000, `bekend` at 9.7 bits on the level's u).
            u = max(u, tf.get(value, 0) / max(self.n, 1))
        elif value and level in _FUZZY_LEVELS:
            # A near miss is no rarer than the register's spelling: every other
            # registered Robin is as close to a suspect Ruben as this one (held-
            # out typo seed 103 at 200,000 persons: Ruben Salm met Robin Sam at
            # 6.9 bits on the average u of the level). A register typo (Naser
            # for Nasser) is rare and keeps the level's weight.
            u = max(u, tf.get(value, 0) / max(self.n, 1))
        return _log2(m / u)

    def to_json(self) -> dict[str, Any]:
        return {
            "versie": MODEL_VERSION,
            "n": self.n,
            "m": self.m,
            "u": self.u,
            "tf_sur": self.tf_sur,
            "tf_giv": self.tf_giv,
            "em_pairs": self.em_pairs,
            "tf_pair": self.tf_pair,
            "u_second": self.u_second,
            "tf_lit": self.tf_lit,
            "tf_sur_lit": self.tf_sur_lit,
            "tf_date": self.tf_date,
            "tf_place": self.tf_place,
            "reference": self.reference,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        # a level added since the model was stored gets the reference values
        # (`load_model` retrains an older version anyway)
        return cls(
            n=int(data["n"]),
            m={f: {**M_PRIOR[f], **data["m"].get(f, {})} for f in FIELDS},
            u={f: {**U_DEFAULT[f], **data["u"].get(f, {})} for f in FIELDS},
            tf_sur=dict(data.get("tf_sur", {})),
            tf_giv=dict(data.get("tf_giv", {})),
            em_pairs=int(data.get("em_pairs", 0)),
            tf_pair=dict(data.get("tf_pair", {})),
            u_second=float(data.get("u_second", 0.02)),
            tf_lit=dict(data.get("tf_lit", {})),
            tf_sur_lit=dict(data.get("tf_sur_lit", {})),
            tf_date=dict(data.get("tf_date", {})),
            tf_place=dict(data.get("tf_place", {})),
            reference=bool(data.get("reference", False)),
        )


#: u fallback for a register too small to estimate from (tests, first start).
U_DEFAULT: dict[str, dict[str, float]] = {
    "achternaam": {"exact": 5e-4, "fonetisch": 2e-4, "1-letter": 3e-4, "2-letters": 1e-3,
                   "deel": 1e-4, "anders": 0.995},
    "voornaam": {"exact": 3e-3, "roepnaam": 2e-3, "fonetisch": 5e-4, "1-letter": 1e-3,
                 "2-letters": 2e-3, "andere-voornaam": 2e-3, "voorletters": 0.07, "anders": 0.95},
    "geboortedatum": {"exact": 5e-5, "dag-maand": 5e-5, "cijfer": 1e-3,
                      "dag-maand-cijfer": 2e-3, "dagen": 2e-4, "onvolledig": 0.02,
                      "anders": 0.995},
    "bsn": {"gelijk": 1e-8, "typfout": 1e-6, "conflict": 1.0},
    "geboorteplaats": {"gelijk": 0.05, "anders": 0.95},
    "gemeente": {"gelijk": 0.08, "anders": 0.92},
}  # fmt: skip

_MIN_FOR_ESTIMATE = 2_000
_U_PAIRS = 25_000


def _collision(counts: Counter[str], n: int) -> float:
    return sum(c * (c - 1) for c in counts.values()) / max(n * (n - 1), 1)


#: A full birth date is heavy when it has at least this many times the
#: carriers of an average day around it, plus `_HEAVY_EXTRA`: far beyond chance
#: at any register size (an average day has about 1 carrier in a register of
#: 20,000 persons and 12 in one of 200,000), but what the 1 January that
#: registrations write for an unknown day and month gives.
_HEAVY_FACTOR = 4.0
_HEAVY_EXTRA = 7
#: Days on each side that give a date's average: a pile-up over weeks (an
#: age band, a season) is no placeholder; only a day that stands out is.
_HEAVY_AROUND = 15


def heavy_dates(dates: Counter[str]) -> dict[str, int]:
    """The full birth dates (YYYYMMDD) of `dates` (carriers per date) that
    far more persons carry than the days around them: {date: carriers}.
    Their agreement is weighed by how common they are (`Model.tf_date`)
    instead of as one day among many; the u of the levels is learned
    without them."""
    per_year: Counter[str] = Counter()
    for d, c in dates.items():
        per_year[d[:4]] += c
    heavy = {}
    for d, c in dates.items():
        if not d or d.endswith("00") or d[4:6] == "00":
            continue
        # the year's average day first: it rules out nearly every date cheaply
        if c < _HEAVY_FACTOR * per_year[d[:4]] / 365 + _HEAVY_EXTRA:
            continue
        try:
            day = dt.date(int(d[:4]), int(d[4:6]), int(d[6:]))
        except ValueError:
            continue
        around = [
            dates.get((day + dt.timedelta(days=k)).strftime("%Y%m%d"), 0)
            for k in range(-_HEAVY_AROUND, _HEAVY_AROUND + 1)
            if k
        ]
        if c >= _HEAVY_FACTOR * sum(around) / len(around) + _HEAVY_EXTRA:
            heavy[d] = c
    return heavy


def estimate_u(
    keys: Sequence[Keys], seed: int = 12, heavy: Container[str] = frozenset()
) -> dict[str, dict[str, float]]:
    """u per level: exact levels from value counts, the others from random
    pairs; the date levels of an ordinary day (not the `heavy` dates)."""
    n = len(keys)
    u = {f: dict(v) for f, v in U_DEFAULT.items()}
    if n < _MIN_FOR_ESTIMATE:
        return u
    rng = random.Random(seed)
    counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    pairs = _U_PAIRS
    for _ in range(pairs):
        a, b = keys[rng.randrange(n)], keys[rng.randrange(n)]
        if a is b:
            continue
        c = compare(a, b).levels
        for f in FIELDS:
            counts[f][c[f]] += 1
        if heavy and (a.datum in heavy or b.datum in heavy):
            counts["geboortedatum"][c["geboortedatum"]] -= 1  # not an ordinary day
    for f in FIELDS:
        total = sum(v for lv, v in counts[f].items() if lv != "leeg")
        if not total:
            continue
        for lv in LEVELS[f]:
            # Rare levels are seen a few times at most among random pairs; a
            # floor at half the reference value keeps one lucky sample (or a
            # register without, say, initials) from giving a level 12 bits.
            u[f][lv] = max((counts[f][lv] + 0.5) / (total + 1), U_DEFAULT[f][lv] / 2)
    # Levels whose chance depends on what one side lacks (a partial date,
    # initials) are conditional: random pairs mostly cannot show them.
    for f, lv in (("geboortedatum", "onvolledig"), ("voornaam", "voorletters")):
        u[f][lv] = U_DEFAULT[f][lv]
    # a partial date compares its year: the register's own year collision rate
    years = Counter(d[:4] for d in _column(keys, "datum") if d)
    if years:
        u["geboortedatum"]["onvolledig"] = max(_collision(years, sum(years.values())), 1e-3)
    # exact agreement on the whole register (sampling sees too few of them)
    sur = _column(keys, "sur")
    u["achternaam"]["exact"] = max(_collision(Counter(filter(None, sur)), n), 1 / n)
    dates = Counter(filter(None, _column(keys, "datum")))
    days = Counter({d: c for d, c in dates.items() if not d.endswith("00") and d not in heavy})
    # The chance that another person shares an ordinary day with a carrier of
    # one: the ordinary days' collisions, per carrier of an ordinary day
    # (n - h of them) and per other person (n - 1, the heavy days' carriers
    # among them, who share none). The same u as before when no day is heavy.
    ordinary = n - sum(c for d, c in dates.items() if d in heavy)
    pairs = sum(c * (c - 1) for c in days.values())
    u["geboortedatum"]["exact"] = max(pairs / max(ordinary * (n - 1), 1), 1 / n)
    u["geboorteplaats"]["gelijk"] = max(
        _collision(Counter(filter(None, _column(keys, "place"))), n), 1e-4
    )
    u["gemeente"]["gelijk"] = max(_collision(Counter(filter(None, _column(keys, "gem"))), n), 1e-4)
    u["bsn"]["gelijk"] = 1.0 / n / 10
    u["bsn"]["conflict"] = 1.0
    return u


def _em_pairs(
    keys: Sequence[Keys],
    by: str,
    limit: int,
    rng: random.Random,
    heavy: Container[str] = frozenset(),
) -> list[Comparison]:
    """Pairs of register identities that share the birth date (`by` = "datum") or
    both phonetic names ("naam"), from a sample of the register."""
    # Row numbers are sampled and grouped, not Keys: `random.sample` draws the
    # same positions from range(n) as from any sequence of length n, and only
    # the rows that end up in a pair are looked at as Keys.
    n = len(keys)
    sample: Sequence[int] = range(n) if n <= 40_000 else rng.sample(range(n), 40_000)
    if by == "datum":
        dates = _column(keys, "datum")
        values = [dates[i] for i in sample]
        # not a heavy date: its carriers are mostly strangers to each other
        values = [v if v and not v.endswith("00") and v not in heavy else "" for v in values]
    else:
        sur, giv, initials = (_column(keys, f) for f in ("sur", "giv", "initials"))
        values = []
        for i in sample:
            g = "" if initials[i] else phonetic(giv[i].split(" ", 1)[0] if giv[i] else "")
            values.append(f"{phonetic(sur[i])}|{g}" if sur[i] and g else "")
    groups: dict[str, list[int]] = {}
    for i, v in zip(sample, values, strict=True):
        if v:
            groups.setdefault(v, []).append(i)
    pairs: list[tuple[int, int]] = []
    for idx in groups.values():
        if 1 < len(idx) <= 12:
            pairs.extend((a, b) for n_, a in enumerate(idx) for b in idx[n_ + 1 :])
    if len(pairs) > limit:
        pairs = rng.sample(pairs, limit)
    return [compare(keys[a], keys[b]) for a, b in pairs]


def _em(
    comps: Sequence[Comparison],
    fields: Sequence[str],
    m: dict[str, dict[str, float]],
    u: dict[str, dict[str, float]],
    strength: float = 1000.0,
    rounds: int = 8,
) -> None:
    """EM for m of `fields` (u fixed), shrunk towards the prior with `strength` pseudo-pairs."""
    lam = 0.05
    for _ in range(rounds):
        acc: dict[str, dict[str, float]] = {f: {lv: 0.0 for lv in LEVELS[f]} for f in fields}
        tot_w = 0.0
        for c in comps:
            lm, lu = math.log(lam), math.log(1 - lam)
            for f in FIELDS:
                lv = c.levels[f]
                if lv == "leeg":
                    continue
                lm += math.log(max(m[f][lv], 1e-9))
                lu += math.log(max(u[f][lv], 1e-9))
            d = lm - lu
            w = 1.0 / (1.0 + math.exp(-d)) if d > -40 else 0.0
            tot_w += w
            for f in fields:
                lv = c.levels[f]
                if lv != "leeg":
                    acc[f][lv] += w
        lam = min(max(tot_w / max(len(comps), 1), 1e-4), 0.5)
        for f in fields:
            total = sum(acc[f].values())
            new = {
                lv: (acc[f][lv] + strength * M_PRIOR[f][lv]) / (total + strength)
                for lv in LEVELS[f]
            }
            # keep each m within a factor 1.5 of its prior: pairs a register
            # brings up against itself are mostly relatives and namesakes, and
            # must not teach the model that typos never happen
            for lv in LEVELS[f]:
                p = M_PRIOR[f][lv]
                new[lv] = min(max(new[lv], p / 1.5), min(1.0, p * 1.5))
            s = sum(new.values())
            m[f] = {lv: v / s for lv, v in new.items()}


def train(keys: Sequence[Keys], seed: int = 12) -> Model:
    """Weights from the register itself (u: random pairs and counts; m: EM)."""
    n = len(keys)
    # Term frequencies count persons, not markings: a client known at two VHs
    # is one carrier of his name (else "Stan Blonk" at two VHs looked like a
    # name two people share, and neither marking reached bekend). Read by
    # column: a KeyTable of a register import makes no Keys for this.
    sur, giv, initials = _column(keys, "sur"), _column(keys, "giv"), _column(keys, "initials")
    datum, lit = _column(keys, "datum"), _column(keys, "giv_lit")
    sur_lit, place = _column(keys, "sur_lit"), _column(keys, "place")
    first = {g: g.split(" ", 1)[0] if g else "" for g in set(giv)}
    persons: dict[tuple[str, str, str, bool], tuple[str, str, str, str]] = {}
    for s_, g_, d_, ini, li, sl, pl in zip(
        sur, giv, datum, initials, lit, sur_lit, place, strict=True
    ):
        persons.setdefault((s_, first[g_], d_, ini), (g_, li, sl, pl))
    heavy = heavy_dates(Counter(p[2] for p in persons if p[2]))
    u = estimate_u(keys, seed, heavy)
    m = {f: dict(v) for f, v in M_PRIOR.items()}
    em_n = 0
    if n >= _MIN_FOR_ESTIMATE:
        rng = random.Random(seed + 1)
        by_date = _em_pairs(keys, "datum", 4_000, rng, heavy)
        _em(by_date, ("achternaam", "voornaam", "geboorteplaats", "gemeente", "bsn"), m, u)
        by_name = _em_pairs(keys, "naam", 4_000, rng)
        _em(by_name, ("geboortedatum",), m, u)
        em_n = len(by_date) + len(by_name)
    tf_sur = Counter(p[0] for p in persons if p[0])
    tf_sur_lit = Counter(v[2] for v in persons.values() if v[2])
    tf_giv: Counter[str] = Counter()
    tf_pair: Counter[str] = Counter()
    tf_lit: Counter[str] = Counter()
    # per person with a surname, as `tf_sur` counts them
    tf_place = Counter(f"{k[0]}|{v[3]}" for k, v in persons.items() if k[0] and v[3])
    seconds: Counter[str] = Counter()
    for (s_, g0, _d, ini), (g_, li, _sl, _pl) in persons.items():
        if not g0 or ini:
            continue
        tf_giv[g0] += 1
        if s_:
            tf_pair[f"{s_}|{g0}"] += 1
        if li:
            tf_lit[li] += 1
        if " " in g_:
            seconds[g_.split()[1]] += 1
    if n < _MIN_FOR_ESTIMATE:
        # Too small to learn weights from; its persons still tell which
        # first names people carry (`two_names`: Filmon and Ailton are on no
        # list, typo generator with half its persons from the small name
        # groups, 1,500 persons, seed 106, a twin `bekend`).
        return replace(default_model(), tf_lit={k: v for k, v in tf_lit.items() if v > 1})
    n2 = sum(seconds.values())
    u_second = max(_collision(seconds, n2), 1e-3) if n2 > 100 else 0.02
    return Model(
        n=max(n, 1),
        m=m,
        u=u,
        tf_sur={k: v for k, v in tf_sur.items() if v > 1},
        tf_giv={k: v for k, v in tf_giv.items() if v > 1},
        em_pairs=em_n,
        tf_pair={k: v for k, v in tf_pair.items() if v > 1},
        u_second=u_second,
        tf_lit={k: v for k, v in tf_lit.items() if v > 1},
        tf_sur_lit={k: v for k, v in tf_sur_lit.items() if v > 1},
        tf_date=heavy,
        tf_place={k: v for k, v in tf_place.items() if v > 1},
    )


#: Fields whose m the feed teaches: how often the queue writes a name or a
#: date one letter or digit off depends on who types it (a police desk, an
#: OCR'd form), not on the register.
FEED_FIELDS = ("achternaam", "voornaam", "geboortedatum")
#: Pseudo-pairs of the register model's m in the feed EM: a batch with few
#: known clients moves the weights little.
FEED_STRENGTH = 50.0
#: The feed's m stays within this factor of the prior m.
FEED_BOUND = 5.0
#: Pairs under this weight (at the register model) cannot be a hit after the
#: feed EM either: three fields, each m at most FEED_BOUND * 1.5 times the
#: register model's, gain at most 8.7 bits.
FEED_FLOOR = -14.0


def _m_bits(m: dict[str, dict[str, float]], lv: dict[str, str]) -> float:
    """The part of a pair's weight that depends on m of FEED_FIELDS."""
    total = 0.0
    for f in FEED_FIELDS:
        level = lv[f]
        if level != "leeg" and (f, level) not in _PARTIAL_M:
            total += _log2(m[f][level])
    return total


def feed_model(
    model: Model, pairs: Sequence[tuple[float, dict[str, str]]], rounds: int = 6
) -> Model:
    """The model with m of FEED_FIELDS re-estimated by EM on the pairs a batch
    of suspects brought up: (weight, levels) of each judged pair from
    :func:`judge` at ``mogelijk_bits=FEED_FLOOR``. u and the term frequencies
    stay the register's: only how the queue writes names and dates is learned
    (the issue's benchmark: m from the data, not from hand-set priors).

    The E-step uses each pair's full weight (term frequencies, the name-pair
    cap and the prior included), so a common name agreeing teaches little.
    """
    if model.reference or not pairs:
        return model
    base = [(bits - _m_bits(model.m, lv), lv) for bits, lv in pairs]
    m = {f: dict(v) for f, v in model.m.items()}
    for _ in range(rounds):
        acc = {f: dict.fromkeys(LEVELS[f], 0.0) for f in FEED_FIELDS}
        for b0, lv in base:
            b = b0 + _m_bits(m, lv)
            p = 1.0 / (1.0 + 2.0 ** (-b)) if b > -60 else 0.0
            for f in FEED_FIELDS:
                if lv[f] != "leeg":
                    acc[f][lv[f]] += p
        for f in FEED_FIELDS:
            total = sum(acc[f].values())
            new = {
                level: (acc[f][level] + FEED_STRENGTH * model.m[f][level]) / (total + FEED_STRENGTH)
                for level in LEVELS[f]
            }
            # bounded after normalising, so the bound holds (the sum may then
            # be off 1 by a little; each weight reads only its own m)
            s = sum(new.values())
            m[f] = {
                level: min(max(v / s, M_PRIOR[f][level] / FEED_BOUND),
                           min(0.99, M_PRIOR[f][level] * FEED_BOUND))
                for level, v in new.items()
            }  # fmt: skip
    return with_m(model, m)


def with_m(model: Model, m: dict[str, dict[str, float]]) -> Model:
    """The model with m of the fields in `m` replaced (the rest, u and the term
    frequencies shared, not copied: a model is not changed after it is made)."""
    merged = {f: dict(m.get(f, v)) for f, v in model.m.items()}
    return replace(model, m=merged)


def default_model(n: int = 200_000) -> Model:
    """Reference weights for a register too small to learn from (tests, a first VH)."""
    return Model(n=n, m={f: dict(v) for f, v in M_PRIOR.items()},
                 u={f: dict(v) for f, v in U_DEFAULT.items()}, tf_sur={}, tf_giv={},
                 reference=True)  # fmt: skip


# --- decision -----------------------------------------------------------------------

#: Match weight (bits, prior included) from which a hit is `bekend` / `mogelijk`.
#: 8 bits is a posterior of 0.996, -4 bits one of 0.06. Chosen on the tuning
#: seeds of both generators (benchmarks/README-matching.md): the highest
#: weight a different person reached there was 7.8 bits (0.4 bits under the
#: later rules; 4.4 bits on held-out typo seeds at 200,000 persons).
BEKEND_BITS = 8.0
MOGELIJK_BITS = -4.0

_FIELD_LABEL = {
    "achternaam": "achternaam",
    "voornaam": "voornaam",
    "geboortedatum": "geboortedatum",
    "bsn": "BSN",
    "geboorteplaats": "geboorteplaats",
    "gemeente": "gemeente",
}
_LEVEL_TEXT = {
    ("achternaam", "exact"): "gelijk",
    ("achternaam", "fonetisch"): "klinkt gelijk, andere spelling",
    ("achternaam", "1-letter"): "1 letter verschil",
    ("achternaam", "2-letters"): "2 letters verschil",
    ("achternaam", "deel"): "één deel van dubbele naam of partnernaam gelijk",
    ("achternaam", "anders"): "verschilt",
    ("voornaam", "exact"): "gelijk",
    ("voornaam", "roepnaam"): "roepnaam gelijk",
    ("voornaam", "fonetisch"): "klinkt gelijk, andere spelling",
    ("voornaam", "1-letter"): "1 letter verschil",
    ("voornaam", "2-letters"): "2 letters verschil",
    ("voornaam", "andere-voornaam"): "een andere voornaam dan de eerste gelijk",
    ("voornaam", "voorletters"): "alleen voorletters, die passen",
    ("voornaam", "anders"): "verschilt",
    ("geboortedatum", "exact"): "gelijk",
    ("geboortedatum", "dag-maand"): "dag en maand verwisseld",
    ("geboortedatum", "cijfer"): "1 cijfer verschil",
    ("geboortedatum", "dag-maand-cijfer"): "dag en maand verwisseld en 1 cijfer verschil",
    ("geboortedatum", "dagen"): "tot drie dagen verschil",
    ("geboortedatum", "onvolledig"): "onvolledig, bekende delen gelijk",
    ("geboortedatum", "anders"): "verschilt",
    ("bsn", "gelijk"): "gelijk (elfproef geldig)",
    ("bsn", "typfout"): "1 cijfer verschil (tikfout)",
    ("bsn", "conflict"): "verschilt, beide geldig",
    ("geboorteplaats", "gelijk"): "gelijk",
    ("geboorteplaats", "anders"): "verschilt",
    ("gemeente", "gelijk"): "gelijk",
    ("gemeente", "anders"): "verschilt",
}
#: Short machine-readable reason terms (interfaces.md §5 `reden`).
_REDEN_NAME = {"exact": "", "roepnaam": "", "leeg": "?"}
_REDEN_DATE = {
    "exact": "geboortedatum",
    "dag-maand": "geboortedatum~dag-maand-gewisseld",
    "cijfer": "geboortedatum~cijfer",
    "dag-maand-cijfer": "geboortedatum~dag-maand-cijfer",
    "dagen": "geboortedatum~dagen",
    "onvolledig": "geboortedatum~onvolledig",
}


def _bits(x: float) -> str:
    return f"{x:+.1f}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class Verdict:
    status: MatchStatus
    probability: float
    bits: float
    levels: dict[str, str]
    exchanged: bool
    reden: str
    details: tuple[str, ...]


def veto(c: Comparison) -> str:
    """The hard safety rule a pair breaks, or "" (BSN equality is handled by the caller)."""
    lv = c.levels
    if lv["geboortedatum"] == "anders":
        return "naamgenoot"  # clearly another birth date
    if (
        lv["geboortedatum"] in ("exact", "onvolledig")
        and lv["achternaam"] in ("exact", "fonetisch", "1-letter", "deel")
        and lv["voornaam"] == "anders"
        and not c.exchanged
    ):
        # same surname and date (or the year a partial date gives), clearly
        # another first name: a twin or a sibling
        return "tweeling"
    return ""


def _near(a: str, b: str) -> bool:
    """Could `_str_level(a, b)` be anything but "anders"? Exactly its limits:
    one edit, two on names of five letters or more, or equal once the OCR
    confusions are undone (`_edits_near` or `_ocr_near`, written out: a big
    check asks this some three million times)."""
    d = OSA.distance(a, b, score_cutoff=2)
    if d <= 1:
        return True
    la, lb = len(a), len(b)
    if d == 2 and la >= 5 and lb >= 5:
        return True
    return -2 <= la - lb <= 2 and la >= 4 and lb >= 4 and _ocr(a) == _ocr(b)


def _ocr_near(a: str, b: str) -> bool:
    """The OCR half of `_near`: equal once the OCR confusions are undone."""
    return _ocr_lengths(a, b) and _ocr(a) == _ocr(b)


def _ocr_lengths(a: str, b: str) -> bool:
    """The lengths at which `_str_level` tries OCR equality at all."""
    la, lb = len(a), len(b)
    return -2 <= la - lb <= 2 and la >= 4 and lb >= 4


def _edits_near(d: int, a: str, b: str) -> bool:
    """The edit limits of `_str_level` for the OSA distance `d` of a and b:
    two letters apart is "anders" on a name shorter than five (Sam / Siem)."""
    return d <= 1 or (d == 2 and len(a) >= 5 and len(b) >= 5)


def _names_far(s: Keys, c: Keys) -> bool:
    """Cheap certainty that both surname and given names compare as "anders",
    the two exchanged too; the same limits as `_str_level`, so it never drops
    a pair `compare` would have kept (and 47 % of the compared pairs of a big
    check ended with both names "anders" under the looser limits before)."""
    if s.initials or c.initials or not s.giv or not c.giv:
        return False
    if (s.sur_parts or c.sur_parts) and not _parts_apart(s, c):
        return False  # a part in common: `compare_surname`'s "deel"
    sg, cg, ss, cs = s.giv0, c.giv0, s.sur, c.sur
    # `_near` of the four, its cheap part inline first: this runs for every
    # pair that passed the date test (a quarter of a million per 10,000 items)
    dist = OSA.distance
    if (
        _edits_near(dist(ss, cs, score_cutoff=2), ss, cs)
        or _edits_near(dist(sg, cg, score_cutoff=2), sg, cg)
        or _edits_near(dist(ss, cg, score_cutoff=2), ss, cg)
        or _edits_near(dist(sg, cs, score_cutoff=2), sg, cs)
        or (s.sur_ocr == c.sur_ocr and _ocr_lengths(ss, cs))
        or (s.giv0_ocr == c.giv0_ocr and _ocr_lengths(sg, cg))
        or (s.sur_ocr == c.giv0_ocr and _ocr_lengths(ss, cg))
        or (s.giv0_ocr == c.sur_ocr and _ocr_lengths(sg, cs))
    ):
        return False
    # a shared further given name (one each: equal names met the test above)
    several = s.giv_j2 or c.giv_j2
    if several and not set(s.giv.split()).isdisjoint(c.giv.split()):
        return False
    # `_near` is never true for lengths more than two apart: that test, written
    # before each call, spares the call for half of them (a far pair asks up
    # to seven, and 139,000 of the 243,000 pairs a 20,000-item check gets
    # here are far)
    gl, cgl = s.giv_lit, c.giv_lit
    if gl and cgl and -3 < len(gl) - len(cgl) < 3 and _near(gl, cgl):
        return False  # compare_given may still compare a slip as written (Daas / Klaas)
    a, b = gl or sg, cgl or cg
    if a[:2] == b[:2] and _truncated(a, b):
        return False  # a first name cut short (an abbreviation, Mhd, needs the surname)
    if ss[:2] == cg[:2] and _truncated(ss, cg):
        return False  # ... in the surname field (exchanged)
    sl = s.sur_lit
    if sl and cgl and -3 < len(sl) - len(cgl) < 3 and _near(sl, cgl):
        return False  # exchanged, compared as written
    # compare_surname compares a slip as written (Boxch / Bosch): never more
    # than two edits apart, which OSA tells in C before the rest is looked at
    cl = c.sur_lit
    if sl and cl and dist(sl, cl, score_cutoff=2) <= 2 and _surname_as_written(sl, cl):
        return False
    if several:  # a blank inside a first name, a double surname
        js, jc = s.giv_j2 or sg, c.giv_j2 or cg
        ljs, ljc, lsg, lcg = len(js), len(jc), len(sg), len(cg)
        if (
            (-3 < ljs - lcg < 3 and _near(js, cg))
            or (-3 < lsg - ljc < 3 and _near(sg, jc))
            or (-3 < ljs - ljc < 3 and _near(js, jc))
        ):
            return False
        sa, ca = s.giv_all or sg, c.giv_all or cg
        if (-3 < len(sa) - len(cs) < 3 and _near(sa, cs)) or (
            -3 < len(ss) - len(ca) < 3 and _near(ss, ca)
        ):
            return False
    return True


def _parts_apart(s: Keys, c: Keys) -> bool:
    """No part of one surname (`Keys.sur_parts`, or the whole) is one of the
    other's: where `compare_surname` finds none, a double surname or one with
    a voorvoegsel compares as any other (a tenth of a big check's compared
    pairs have one, and nearly all end with both names "anders")."""
    mine = s.sur_parts.split()
    mine.append(s.sur)
    theirs = c.sur_parts.split()
    theirs.append(c.sur)
    return set(mine).isdisjoint(theirs)


def judge(
    model: Model,
    s: Keys,
    c: Keys,
    bekend_bits: float | None = None,
    mogelijk_bits: float | None = None,
    date: str = "",
) -> Verdict | None:
    """Compare a suspect with one register identity; None when it is no hit
    at all. `date` is the date level when the caller already has it."""
    date = date or compare_date(s.datum, c.datum)
    if date in ("anders", "onvolledig") and (pair := _year_only(model, s, c)) is not None:
        floor = PLACEHOLDER_FLOOR if mogelijk_bits is None else mogelijk_bits
        v = judge(model, *pair, bekend_bits, floor)
        return None if v is None else _placeholder_said(model, v, s if pair[0] is not s else c)
    if not s.bsn or s.bsn != c.bsn:
        if date == "anders":
            return None  # namesake veto, decided before any name comparison
        if _names_far(s, c):
            return None  # neither name (nor the two exchanged) is anywhere near
        if _under(model, s, c, date, MOGELIJK_BITS if mogelijk_bits is None else mogelijk_bits):
            return None  # under the floor whatever the given names compare as
    return _judged(model, s, c, bekend_bits, mogelijk_bits, date)


#: Other carriers of a surname from which the share of a birth place among
#: them is trusted (`_judged`): fewer say nothing about where the name is from.
_PLACE_GIVEN_SURNAME = 5

#: The `mogelijk` floor of a pair `_year_only` compares as its year: a
#: placeholder meets every same-name person of that year, so it takes more
#: than the usual floor to show one to a person. Half the foreign-born
#: written 1 January by the police, seeds 1-3 (recall / false `mogelijk` per
#: 1,000, typo-level and Dutch-style without BSN and birth place): at -4
#: 96.9 % / 16.3 and 99.2 % / 7.7; at -2 95.5 % / 13.2 and 99.0 % / 7.3; at
#: 0 93.3 % / 9.3 and 98.5 % / 6.2; before any of this 90.3 % / 9.2 and
#: 91.9 % / 6.3.
PLACEHOLDER_FLOOR = -2.0

#: `judge_all`'s mark for a date `_year_only` compares as its year.
_PLACEHOLDER = "jaar"


def placeholder_date(model: Model, d: str) -> bool:
    """A whole date that may stand for "day and month unknown": 1 January,
    which registrations and the police write for a person without papers, or
    a date far more persons carry than the days around it (`Model.tf_date`)."""
    return (
        len(d) == 8 and (d.endswith("0101") or d in model.tf_date) and "00" not in (d[4:6], d[6:])
    )


def _year_only(model: Model, s: Keys, c: Keys) -> tuple[Keys, Keys] | None:
    """Two other days of one year, one of them a placeholder (`placeholder_date`):
    the pair with that side's date as its year alone ("onvolledig", with the
    rules of a partial date: never `bekend` on names alone), None otherwise.
    Also against a partial date of that year: the month of 1 January is no
    more known than its day (nl generator with `eerste_januari` as well,
    fresh seed 263: "Rudsel Rosaria" 1986-01-01 against a register's
    1986-01-00, a same-name person of that year, was `bekend` on "the month
    known on both sides").
    Before, the namesake veto dropped a suspect the police wrote as born on
    1 January against the register's real date (nl generator with
    `politie_eerste_januari`: recall 91.9 % without BSN and birth place)."""
    sd, cd = s.datum, c.datum
    if not sd or sd[:4] != cd[:4] or sd == cd:
        return None
    if placeholder_date(model, sd):
        return replace(s, datum=sd[:4] + "0000"), c
    if placeholder_date(model, cd):
        return s, replace(c, datum=cd[:4] + "0000")
    return None


def _placeholder_said(model: Model, v: Verdict, placeholder: Keys) -> Verdict:
    """`v` with the line that says why only the year of the dates counted
    (before a gate's line and the total, which stays the last line)."""
    d = placeholder.datum
    shown = f"{d[6:]}-{d[4:6]}-{d[:4]}"
    carriers = model.tf_date.get(d, 0)
    line = (
        f"{shown} is de geboortedatum van {carriers} personen in het register (vaak een "
        "onbekende dag en maand): alleen het geboortejaar telt"
        if carriers
        else f"geboortedatum {shown} staat vaak voor een onbekende dag en maand: "
        "alleen het geboortejaar telt"
    )
    # the date's own line (the review's row, short: the line above says why)
    # says so too, not "onvolledig" of two dates that are both whole
    details = [
        "geboortedatum: alleen het jaar vergeleken " + d_line[d_line.rindex("(") :]
        if d_line.startswith("geboortedatum: ") and "(" in d_line
        else d_line
        for d_line in v.details[:-1]
    ]
    # before the gate's line, if any: the why of the date first
    at = next((i for i, d_line in enumerate(details) if d_line.endswith("bevestiging nodig")), None)
    at = len(details) if at is None else at
    return replace(v, details=(*details[:at], line, *details[at:], v.details[-1]))


def _date_weight(model: Model, s: Keys, c: Keys, date: str) -> float:
    """The weight of the date level; a partial date's by the partial value
    (the weights are memoised per value)."""
    if date == "onvolledig":
        # the part both sides know: the year, and the month when both have it
        # (a year alone against a year and month agrees on the year only)
        a, b = s.datum, c.datum
        month = a[4:6] if a[4:6] == b[4:6] else "00"
        return model.weight("geboortedatum", date, a[:4] + month + "00")
    # a heavy date of the suspect's (`Model.tf_date`) weighs by how many carry it
    heavy = s.datum if s.datum in model.tf_date else ""
    return model.weight("geboortedatum", date, heavy)


def _second_name_bits(model: Model, s: Keys, c: Keys) -> float | None:
    """The weight of a second given name agreeing as well, when both sides
    have one; None otherwise. Not the second half of a hyphenated first name,
    which the first half predicts ("Luc" after "Jean": nl generator, 3 %
    known, 200,000 persons, seed 106: two persons called Jean-Luc Rosaria
    born the same day, 9.0 bits with this bonus, 4.3 without). One function
    for `_judged` and the bound `_under`, which must never be lower."""
    if " " in s.giv and " " in c.giv and not s.giv_compound:
        return _log2(0.95 / model.u_second)
    return None


#: Rounding room for `_under`: its sum is added in another order than `_judged`'s.
_SLACK = 1e-9


def _under(model: Model, s: Keys, c: Keys, date: str, floor: float) -> bool:
    """Certainty that `_judged` finds this pair under `floor`, so no hit,
    without comparing the given names: an upper bound on its weight with the
    surname's level, the given name at its best level for the register's
    name, and, where an exchange is possible at all, both names at their best
    less the exchange's penalty. A big check compares about five pairs for
    each near one that is a hit at all (20,000 items: 104,000 pairs compared,
    82 hits); four in five of them are under the floor by this bound alone,
    most of them a shared surname with another first name. Not with initials
    (`compare` has an exchange of its own for them) nor an equal BSN (always
    a hit)."""
    if s.initials or c.initials:
        return False
    bsn = compare_bsn(s, c)
    if bsn == "gelijk":
        return False
    weight = model.weight
    place, gem = compare_place(s.place, c.place), compare_place(s.gem, c.gem)
    base = (
        model.prior_bits
        + _date_weight(model, s, c, date)
        + (0.0 if bsn == "leeg" else weight("bsn", bsn))
        + (0.0 if place == "leeg" else weight("geboorteplaats", place))
        + (0.0 if gem == "leeg" else weight("gemeente", gem))
    )
    w2 = _second_name_bits(model, s, c)
    if w2 is not None:
        base += max(w2, 0.0)  # a second given name, at best
    giv = model.level_max("voornaam", c.giv0)
    limit = floor - _SLACK
    if base + weight("achternaam", compare_surname(s, c), c.sur) + giv >= limit:
        return False
    return (
        base + model.level_max("achternaam", c.sur) + giv + EXCHANGE_PENALTY < limit
        or _exchanged_surname(s, c) == "anders"
    )


def _shared_part(model: Model, s: Keys, c: Keys) -> str:
    """The part of a double or partner surname a "deel" pair shares, the most
    common of them when more (its term frequency weighs the level: "El
    Amrani" of "Mokhtari-El Amrani" is a name many carry); "" when the
    suspect's parts cannot be told (the level's weight as it is)."""
    theirs = {c.sur, *c.sur_parts.split()}
    mine = {s.sur, *s.sur_parts.split(), s.giv0, s.giv.replace(" ", "")}
    shared = theirs & mine
    return max(sorted(shared), key=lambda p: model.tf_sur.get(p, 0)) if shared else ""


def _judged(
    model: Model,
    s: Keys,
    c: Keys,
    bekend_bits: float | None,
    mogelijk_bits: float | None,
    date: str,
) -> Verdict | None:
    """`judge` of a pair that passed its first two tests (`judge_all` makes
    them itself, without a call per pair)."""
    comp = compare(s, c, date)
    lv = comp.levels
    bsn = lv["bsn"]
    if bsn != "gelijk":
        if veto(comp):
            return None
        if lv["achternaam"] == "anders" and lv["voornaam"] == "anders":
            return None
    # Term frequencies of the register person's names in their own roles:
    # with exchanged fields the suspect's "surname" is a first name, and
    # "Nikolai" looked up as a surname is rare where as a first name it is not.
    sur_lv, giv_lv, date_lv = lv["achternaam"], lv["voornaam"], lv["geboortedatum"]
    weight = model.weight
    w_sur = weight("achternaam", sur_lv, _shared_part(model, s, c) if sur_lv == "deel" else c.sur)
    w_giv = weight("voornaam", giv_lv, c.giv0)
    if giv_lv in _TF_LEVELS["voornaam"] and not comp.exchanged and s.giv0 != c.giv0:
        # One name on both sides, written apart on one: a blank typed inside
        # it ("Elisangel a" against "Elisangela"). The agreed name is the
        # whole one, as common as it is; the split part "elisangel" is a name
        # no one else carries, and weighed 13.8 bits instead of 7.3 (typo
        # generator, half the persons from the small name groups, fresh seed
        # 282: there the cap on the pair of names took it back, but not where
        # no one else carries the pair).
        w_giv = min(w_giv, weight("voornaam", giv_lv, s.giv0))
    # in the order of FIELDS, one sum as before (the same bits to the last digit)
    ws = (
        w_sur,
        w_giv,
        _date_weight(model, s, c, date_lv),
        0.0 if bsn == "leeg" else weight("bsn", bsn),
        0.0 if lv["geboorteplaats"] == "leeg" else weight("geboorteplaats", lv["geboorteplaats"]),
        0.0 if lv["gemeente"] == "leeg" else weight("gemeente", lv["gemeente"]),
    )
    bits = model.prior_bits
    for w in ws:
        bits += w
    name_bits = 0.0 + w_sur + w_giv
    # (text, weight) per line, rendered only for a pair that is a hit at all:
    # nearly every pair that gets this far is not one, and the lines cost more
    # than the weights
    extra: list[tuple[str, float]] = []
    if sur_lv in _STR_LEVELS and giv_lv in (*_STR_LEVELS, "roepnaam") and not model.reference:
        # The two names together are worth no more than the pair is rare:
        # names are not independent (an Eritrean first name comes with an
        # Eritrean surname), and a surname one letter off a common spelling
        # ("Filmon Beehane" against "Filmon Berhane", held-out seed 103) is as
        # ordinary as the pair it resembles. Only when someone besides the
        # candidate carries the same pair (as the suspect or the register
        # writes it); for exact names this is the joint term frequency.
        n = max(model.n, 1)
        pairs = [f"{c.sur}|{c.giv0}"]
        if not comp.exchanged:
            pairs.append(f"{s.sur}|{s.giv0}")
        # the candidate's own pair counted without the candidate
        own = model.tf_pair.get(pairs[0], 0) - 1
        others = [model.tf_pair.get(p, 0) for p in pairs[1:] if p != pairs[0]]
        u_joint = max([own, *others]) / n
        if u_joint > 0:
            m_names = model.m["achternaam"][sur_lv] * model.m["voornaam"][giv_lv]
            cap = _log2(m_names / (u_joint * (2.0 if giv_lv == "roepnaam" else 1.0)))
            if name_bits > cap:
                corr = cap - name_bits
                bits += corr
                extra.append(("deze voor- en achternaam komen vaak samen voor", corr))
    if lv["geboorteplaats"] == "gelijk" and not model.reference and c.sur:
        # The birth place beside the surname, likewise: a place abroad weighs
        # by how rare it is among all persons, but among the carriers of a
        # surname from there it is common (nl generator, 1 January for an
        # unknown date, fresh seed 265: two "Jurgen Rosaria" born in
        # Oranjestad on 01-01-2014, 11.9 bits with +8.7 for the place). The
        # place then weighs by its share among the surname's other carriers.
        sur_others = model.tf_sur.get(c.sur, 0) - 1
        if sur_others >= _PLACE_GIVEN_SURNAME:
            same = max(model.tf_place.get(f"{c.sur}|{c.place}", 0) - 1, 0.5)
            cap = _log2(model.m["geboorteplaats"]["gelijk"] / (same / sur_others))
            if ws[4] > cap:
                bits += cap - ws[4]
                extra.append(
                    ("deze achternaam en geboorteplaats komen vaak samen voor", cap - ws[4])
                )
    # Every further given name equal counts beside a first name one slip off
    # as beside an equal one ("Ubrahim Rick Wouter" against "Ibrahom Rick
    # Wouter"): the slip gates (`_review_reason`) look at the first name.
    w2 = (
        _second_name_bits(model, s, c)
        if giv_lv == "exact"
        or (giv_lv in _FUZZY_LEVELS and not comp.exchanged and _further_names_equal(s, c))
        else None
    )
    if w2 is not None:
        bits += w2
        extra.append(("ook tweede voornaam gelijk", w2))
    if comp.exchanged:
        bits += EXCHANGE_PENALTY
        extra.append(("voornaam en achternaam verwisseld", EXCHANGE_PENALTY))
    if bits < (MOGELIJK_BITS if mogelijk_bits is None else mogelijk_bits) and bsn != "gelijk":
        return None  # an equal valid BSN is always worth a look
    details = _field_lines(comp, ws) + [f"{text} ({_bits(w)})" for text, w in extra]
    carriers = model.tf_date.get(s.datum, 0) if date_lv != "onvolledig" else 0
    if carriers:
        # why an equal date weighs less than a day among 365
        details.append(
            f"{s.datum[6:]}-{s.datum[4:6]}-{s.datum[:4]} is de geboortedatum van {carriers} personen in het "
            "register (vaak een onbekende dag en maand): telt minder zwaar"
        )
    top = BEKEND_BITS if bekend_bits is None else bekend_bits
    if (
        giv_lv == "roepnaam"
        and bsn != "gelijk"
        and "gelijk" not in (lv["geboorteplaats"], lv["gemeente"])
    ):
        # Only the first of several given names agrees ("Jean-Luc" against
        # "Jean-Luc Eugene") and nothing else backs it up: the further names
        # might have told two persons apart. A wider margin (held-out seed 101
        # at 200,000 persons: a same-year namesake born the same day, 9.0 bits).
        top += ROEPNAAM_MARGIN
        if top - ROEPNAAM_MARGIN <= bits < top:
            details.append(ROEPNAAM_ELSEWHERE)
    if bsn != "gelijk" and (
        date == "cijfer" or (date == "dag-maand" and lv["geboorteplaats"] != "gelijk")
    ):
        # A date one digit off (or day and month swapped, without the birth
        # place to back it) is a typo or a namesake born days later; the weight
        # of the date level says how often, a wider margin covers the families
        # in which one name recurs.
        top += DATE_MARGIN
        if top - DATE_MARGIN <= bits < top and _place_backs(model, lv, date):
            details.append(
                "geboortedatum niet gelijk en de namen zijn niet zeldzaam genoeg: bevestiging nodig"
            )
    if bsn != "gelijk" and date == "onvolledig":
        # A year (or year and month) with every given name equal and the
        # gemeente or birth place to back it: a same-year namesake would have
        # to share all of that; still a wider margin (see `_partial_backed`).
        top += DATE_MARGIN
    status = MatchStatus.BEKEND if bits >= top else MatchStatus.MOGELIJK
    # Structural gates on top of the posterior: these never go without review.
    # Asked of every hit, not only of one the weight calls `bekend`: the gate
    # that holds tells a reviewer more than the weight under the line does
    # (and a pass of the first items down to FEED_FLOOR does not pay for it).
    reason = None
    if bsn != "gelijk" and (status is MatchStatus.BEKEND or bits >= MOGELIJK_BITS):
        reason = _review_reason(model, s, c, comp)
        if reason is not None:
            status = MatchStatus.MOGELIJK
            if reason not in details:  # the roepnaam margin may have said it already
                details.append(reason)
    if (
        status is MatchStatus.BEKEND
        and bsn == "gelijk"
        and all(lv[f] in ("anders", "leeg") for f in ("achternaam", "voornaam", "geboortedatum"))
    ):
        status = MatchStatus.MOGELIJK  # a BSN alone on a foreign identity
    if bsn == "conflict" and not (
        lv["achternaam"] == "exact" and lv["voornaam"] == "exact" and lv["geboortedatum"] == "exact"
    ):
        return None
    prob = 1.0 / (1.0 + 2.0 ** (-bits)) if bits > -60 else 0.0
    # under the line for `bekend`: say where it lies, or a reviewer reads
    # "kans 98,54 %" and `mogelijk` with no word of why
    below = f" (bekend vanaf {_bits(top)} bits)" if bits < top and reason is None else ""
    details.append(f"totaal {_bits(bits)} bits: kans op dezelfde persoon {_pct(prob)}{below}")
    return Verdict(status, prob, bits, lv, comp.exchanged, _reden(comp), tuple(details))


#: A blocked candidate: (vh_code, persoon_id, keys).
Cand = tuple[str, str, Keys]


def judge_all(
    model: Model, s: Keys, cands: Iterable[Cand], mogelijk_bits: float | None = None
) -> Iterator[tuple[Cand, Verdict]]:
    """:func:`judge` over a suspect's candidates, the hits only.

    Half the candidates of a big check fail the namesake veto on the date
    alone (a name block holds everyone of that name born that year): that
    test comes first here, once per distinct candidate date, before any call
    per pair. The same verdicts as `judge` on each pair."""
    sd, sb = s.datum, s.bsn
    floor = MOGELIJK_BITS if mogelijk_bits is None else mogelijk_bits
    dates: dict[str, str] = {}
    # `_year_only`'s cheap half, once per suspect and inline per date
    s_placeholder, heavy = placeholder_date(model, sd), model.tf_date
    for cand in cands:
        c = cand[2]
        cd = c.datum
        date = dates.get(cd)
        if date is None:
            date = compare_date(sd, cd)
            if (
                (date == "anders" or date == "onvolledig")
                and sd[:4] == cd[:4]
                and (s_placeholder or cd.endswith("0101") or cd in heavy)
                and _year_only(model, s, c) is not None
            ):
                date = _PLACEHOLDER
            dates[cd] = date
        if date is _PLACEHOLDER:
            # 1 January against another day of its year: as `judge` has it
            # (a pair in a few thousand, so no shortcut of its own)
            v = judge(model, s, c, None, mogelijk_bits)
            if v is not None:
                yield cand, v
            continue
        # judge's first two tests, here without a call per pair: a quarter of
        # a big check's pairs end at the second
        if (not sb or sb != c.bsn) and (
            date == "anders" or _names_far(s, c) or _under(model, s, c, date, floor)
        ):
            continue
        v = _judged(model, s, c, None, mogelijk_bits, date)
        if v is not None:
            yield cand, v


def _field_lines(comp: Comparison, ws: Sequence[float]) -> list[str]:
    """The evidence line of each field (in the order of FIELDS), with its weight."""
    out = []
    for f, w in zip(FIELDS, ws, strict=True):
        level = comp.levels[f]
        if level != "leeg":
            text = _LEVEL_TEXT[(f, level)]
            if f == "voornaam" and comp.roepnaam:
                text = "roepnaam van de andere voornaam (zoals Kees en Cornelis)"
            elif f == "voornaam" and comp.truncated:
                text = "afgekort, het begin past"
            out.append(f"{_FIELD_LABEL[f]}: {text} ({_bits(w)})")
        elif f in ("bsn", "geboorteplaats", "gemeente"):
            out.append(f"{_FIELD_LABEL[f]}: niet aan beide kanten bekend (0)")
    return out


#: Spellings the transliteration table lists as one name (Mohamed / Mohammed,
#: Yusuf / Youssef): one name written from another script, not two names.
_LISTED: dict[str, int] = {
    fold(v).replace(" ", ""): n for n, family in enumerate(TRANSLITERATIONS) for v in family
}


def _spelled_apart(model: Model, s: Keys, c: Keys, comp: Comparison) -> bool:
    """The first given names agree only on their spelling skeleton, not as written
    nor as listed transliterations of one name, and both spellings are names
    people carry (Luc / Luuk, Thijs / Tijs; not Juulian / Julian). With the
    fields exchanged, the suspect's first name is in its surname field, as
    written (nl generator, 1 % known, names exchanged, seed 106: "Aeije |
    Rik" against a twin "Rick Antonius Theodorus Aeije", 27.5 bits)."""
    if comp.levels["voornaam"] not in ("exact", "roepnaam"):
        return False
    if comp.exchanged:
        a, b = s.sur_lit, c.giv_lit
        if not a or a == b:
            return False
        if " " in c.giv and a.startswith(b) and _all_given_glued(s, c):
            # every given name in the surname field, the first as written
            # (Gecko's exchanged fields: "Stefan Wolfgang | Schönemann")
            return False
    else:
        a, b = s.giv_lit, c.giv_lit
        if a == b or _split_by_blank(s, c) or _split_by_blank(c, s):
            return False
        if _further_names_equal(s, c):
            return False  # every further given name equal too (Puk Elisa / Puck Elisa)
    fa, fb = _LISTED.get(a), _LISTED.get(b)
    # Two transliterations of one name (Mohamed / Muhammed) are one name
    # written twice when every given name agrees and the fields are where
    # they belong. When only the first agrees ("Mohamed Bradley" against
    # "Muhammed"), or the fields are exchanged ("Jaceps | Mohamed"), nothing
    # beyond a spelling family tells him from a brother of the family's other
    # spelling (typo generator, fresh seed 165: a twin, same day and gemeente,
    # 21.4 bits, and 22.7 exchanged).
    one_name = (
        fa is not None and fa == fb and comp.levels["voornaam"] == "exact" and not comp.exchanged
    )
    return not one_name and two_names(model, a, b)


def _further_names_apart(s: Keys, c: Keys) -> bool:
    """Both have given names after the first, and no further name of one is
    a further name of the other (not a hyphenated first name's second half)."""
    rest_s, rest_c = s.giv.split()[1:], c.giv.split()[1:]
    return (
        bool(rest_s and rest_c)
        and not (s.giv_compound or c.giv_compound)
        and set(rest_s).isdisjoint(rest_c)
    )


def _further_names_equal(s: Keys, c: Keys) -> bool:
    """Both have given names after the first, and they are all equal (not the
    second half of a hyphenated first name: Jean-Luc is one name)."""
    rest_s, rest_c = s.giv.split(" ", 1)[1:], c.giv.split(" ", 1)[1:]
    return bool(rest_s) and rest_s == rest_c and not s.giv_compound


def _split_by_blank(a: Keys, b: Keys) -> bool:
    """`a`'s first given name is `b`'s with a blank typed inside it ("Jay den"
    / Jayden, "Ju lian" / Julian): its first two parts joined are `b`'s first
    name, and as written they begin it. Both parts at least two letters: "Mila
    N" is Mila with a second initial as often as a split Milan (a twin)."""
    ta = a.giv.split(" ", 2)
    return (
        len(ta) > 1
        and len(ta[0]) >= 2
        and len(ta[1]) >= 2
        and b.giv0 in _blank_joins(ta[0], ta[1])
        and bool(a.giv_lit)
        and b.giv_lit.startswith(a.giv_lit)
    )


#: Extra bits a pair needs when its birth date is one digit off, or has day
#: and month swapped without an equal birth place.
DATE_MARGIN = 2.0

#: Extra bits a roepnaam-only agreement needs without an equal birth place
#: or gemeente.
ROEPNAAM_MARGIN = 2.0
#: Why a pair whose only agreeing given name is the first goes to a person.
ROEPNAAM_ELSEWHERE = (
    "alleen de eerste voornaam gelijk, geen geboorteplaats of gemeente die het "
    "bevestigt: bevestiging nodig"
)

#: A spelling carried by fewer people than this share of the other spelling's
#: carriers is a slip of that name, not a name of its own (Tohmas beside
#: Thomas). On the Dutch-style benchmark register every pair of real names one
#: letter apart is above 0.2 (Luc/Luca, Stef/Sten); its spelling variants and
#: the typo generator's slips, which repeat in a big register, stay under 0.1.
TYPO_SHARE = 0.1


def two_names(model: Model, a: str, b: str) -> bool:
    """Are two close first-name spellings two names (Thomas / Tomasz, Lars / Lara)
    rather than one name and a typo of it? Only a spelling within two letters
    of the other, as written, can be a slip of it.

    A spelling is a name when it is on the list of given names people carry
    (``given_names_data``: a small register need not hold every real name), or
    when the register's own persons say so: at least two carry it, and not far
    fewer than carry the other spelling. A register too small to learn
    weights from (the reference model) counts its persons all the same
    (`train`). (Without counts every spelling used to count as a name, so
    that no first-name slip was ever `bekend` against a register under
    2,000 persons: 441 of the 700 true pairs held back on the Febrl set 3,
    "Dominxic" against "Dominic".)
    """
    if not a or not b:
        return True
    if OSA.distance(a, b, score_cutoff=2) > 2:
        # as written they are far apart ("Matthjis" against "Morris" only meet
        # on their skeletons): a slip of some third name, not of this one
        return True
    ca, cb = _carried(model.tf_lit, a, b)
    return (a in GIVEN_NAMES or ca) and (b in GIVEN_NAMES or cb)


def _carried(counts: dict[str, int], a: str, b: str) -> tuple[bool, bool]:
    """Is each of two close spellings one the register's persons carry as a
    name: at least two of them, and not far fewer than carry the other
    (`TYPO_SHARE`: a slip repeated in a big register, Jnasen beside Jansen or
    Tohmas beside Thomas, stays a slip)."""
    na, nb = counts.get(a, 0), counts.get(b, 0)
    floor = max(2.0, TYPO_SHARE * max(na, nb))
    return na >= floor, nb >= floor


def _surnames_spelled_apart(model: Model, a: str, b: str) -> bool:
    """Two surname fields as written (`Keys.sur_lit`) that differ, both carried
    as surnames by the register's persons (`_carried`: Jansen and Janssen;
    not a slip such as Jnasen, nor "van Dijk" written with its voorvoegsel
    against a register that keeps that apart). Never without counts."""
    if not a or not b or a == b or model.reference or not model.tf_sur_lit:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_.endswith(short) and _voorvoegsels(long_[: len(long_) - len(short)]):
        return False  # one surname, its voorvoegsel written in the field or apart
    return all(_carried(model.tf_sur_lit, a, b))


@lru_cache(maxsize=4096)
def _voorvoegsels(glued: str) -> bool:
    """Is this run of letters one or more voorvoegsel words glued ("vander")?"""
    return any(
        glued.startswith(w) and (glued == w or _voorvoegsels(glued[len(w) :]))
        for w in VOORVOEGSEL_WORDS
    )


def two_surnames(model: Model, a: str, b: str) -> bool:
    """Are two close surname skeletons two surnames rather than one and a slip
    of it? Both carried as names (`_carried`). Without term frequencies
    nothing can be told, and the other gates decide."""
    if model.reference or not model.tf_sur:
        return False
    return all(_carried(model.tf_sur, a, b))


#: The list of given names in a fixed order, for the nearest-name search.
#: (Adding the names the register carries found no further twin on the
#: benchmarks and held back 1.5 points more of the typo-level true pairs:
#: a noisy register carries its repeated slips too.)
_GIVEN_LIST = sorted(GIVEN_NAMES)


def slip_between_names(model: Model, a: str, b: str) -> bool:
    """One first name is a name, the other a slip (no name anybody carries),
    and the slip is as close to some other name on the list of given names
    people carry as to this one: "Lkïs" is a slip of Lois as much as of Luis,
    "Jrt" of Jet as much as of Jort. Within one family (same surname and
    date) that other name is a twin's (typo generator with more slips, seed
    106: "Lkïs", the twin of a register "Lois", at 12.1 bits). A slip only one
    name is near (Arjhur) is the weight's to decide."""
    if not a or not b or a == b:
        return False
    ca, cb = _carried(model.tf_lit, a, b)  # a name as `two_names` tells one
    name_a = a in GIVEN_NAMES or ca
    name_b = b in GIVEN_NAMES or cb
    if name_a == name_b:
        return False  # two names (`two_names`), or two slips: nothing to tell
    slip, name = (b, a) if name_a else (a, b)
    d = OSA.distance(slip, name)
    family = _LISTED.get(name)
    return any(
        other != name and (family is None or _LISTED.get(other) != family)
        for other, _, _ in extract(
            slip, _GIVEN_LIST, scorer=OSA.distance, score_cutoff=d, limit=None
        )
    )


def _review_reason(model: Model, s: Keys, c: Keys, comp: Comparison) -> str | None:
    """Why a pair the weights call `bekend` goes to a person all the same
    (without an equal BSN): the line the review shows; None when none holds."""
    lv = comp.levels
    gate = _needs_review(model, s, c, comp)
    if gate is not None:
        return gate
    if lv["geboortedatum"] == "cijfer" and s.datum[:4] != c.datum[:4]:
        # A digit off in the year is another age. A father, son or
        # grandfather of the same names, born the same day and month, lives
        # in the same gemeente, so the gemeente that backs a typo backs him
        # too: "Kees Jan Kolkman" 1968-07-21 against 1998-07-21 was `bekend`
        # (typo generator with such juniors for 10 % of the queue, ten seeds:
        # 45 wrong). A slip in either copy's year brings him within a digit
        # at any distance (1963 against a junior's 1989 written 1969: 6 of
        # the 45 were a few years apart), so every year digit, not only a
        # generation; a digit off in the day or month keeps the year, which
        # no father shares. A person looks.
        return (
            "geboortejaar anders: ook een vader, zoon of grootvader met dezelfde naam "
            "past; bevestiging nodig"
        )
    if (
        lv["achternaam"] == "exact"
        and not comp.exchanged
        and _surnames_spelled_apart(model, s.sur_lit, c.sur_lit)
    ):
        # Jansen against Janssen: one spelling skeleton, two surnames many
        # people carry, so two families, as `two_surnames` has it for a
        # surname a letter off (nl generator, seed 135, without BSN and
        # birth place: "Thomas Jansen" against a register "Thomas Janssen"
        # born the same day, living elsewhere, 8.8 bits, two persons).
        return (
            "achternaam alleen gelijk na spellingsnormalisatie, en beide schrijfwijzen "
            "komen voor: bevestiging nodig"
        )
    if _spelled_apart(model, s, c, comp):
        # Same surname and date with a sound-alike first name (Luc / Luuk,
        # Mohamed / Mohammed) is also what twins and cousins look like; the
        # weight of the skeleton cannot tell them apart, a person can.
        return "voornaam alleen gelijk na spellingsnormalisatie: bevestiging nodig"
    if (
        lv["achternaam"] in _FUZZY_LEVELS
        and not comp.exchanged
        and two_surnames(model, s.sur, c.sur)
    ):
        # A surname close to the register's only as another surname people
        # carry: Muijs against Huijs (18 and 10 of 20,000 register persons)
        # is two families, not a slip, whatever the level's average weight
        # says (typo generator with a clean register, seed 104: "Jim Muijs"
        # against "Jim Huijs", same day, 9.8 bits, two persons).
        return "achternaam wijkt af naar een andere achternaam die ook voorkomt: bevestiging nodig"
    return None


def _needs_review(model: Model, s: Keys, c: Keys, comp: Comparison) -> str | None:
    """Without an equal BSN, these pairs are never `bekend`, whatever the
    weight: the line that tells the reviewer why (a 99.99 % pair held back
    with no word of why reads as a fault), None when none of them holds."""
    lv = comp.levels
    sur, giv, date = lv["achternaam"], lv["voornaam"], lv["geboortedatum"]
    if lv["bsn"] == "conflict":
        return "twee verschillende geldige BSN's: bevestiging nodig"
    # Two slips in one date, or a few days off: weak evidence, never more.
    if date in ("dag-maand-cijfer", "dagen"):
        return (
            "geboortedatum "
            + ("tot drie dagen verschil" if date == "dagen" else "verwisseld en 1 cijfer anders")
            + "; een naamgenoot die kort erna geboren is past ook: bevestiging nodig"
        )
    # A year (or year and month) alone is no date exactness: name-only
    # evidence on a partial date is a namesake as often as the person.
    if date not in ("exact", "dag-maand", "cijfer") and not _partial_backed(s, c, comp):
        return (
            "geboortedatum onvolledig; een naamgenoot uit hetzelfde jaar past ook: "
            "bevestiging nodig"
        )
    # Both on a date the register shows many carry (`Model.tf_date`): two
    # persons of one name whose day and month nobody knows look exactly like
    # this (nl generator with `eerste_januari`, fresh seed 268: two "Chantal
    # Sital" on 01-01-2005, 10.8 bits, `bekend`). Its weight already says how
    # many carry it; as for a year alone, only every given name, at least
    # two, and the gemeente or birth place back it.
    if (
        date == "exact"
        and s.datum in model.tf_date
        and not _backed_as_year(s, c, comp, month=False)
    ):
        return (
            "geboortedatum die veel mensen in het register hebben (vaak een onbekende dag en "
            "maand); een naamgenoot met dezelfde datum past ook: bevestiging nodig"
        )
    # One digit apart, or day and month swapped, is also what a namesake
    # born days later looks like: the benchmark generators' namesakes with
    # every given name equal reached 11-13 bits on a one-digit date, all
    # living elsewhere. Only with an equal birth place or gemeente to back
    # it (plus DATE_MARGIN), and never on reference weights, which cannot
    # tell a rare name from a common one; an equal birth place alone
    # backs a swap, as before.
    if date != "exact" and not _place_backs(model, lv, date):
        return (
            "geboortedatum niet gelijk en geen geboorteplaats of gemeente die het "
            "bevestigt; een naamgenoot die kort erna geboren is past ook: bevestiging nodig"
        )
    # A date one digit off with an equal birth place, but living elsewhere:
    # a relative of the same names born that year, in the family's city, as
    # often as a typo (nl generator, fresh seed 200: "Rachid Yassine
    # BouKhattaoui", Casablanca, 1965-07-07 against 1965-05-07, another
    # gemeente, 21.6 bits; a foreign birth city is shared by many).
    if date == "cijfer" and lv["gemeente"] == "anders":
        return (
            "geboortedatum 1 cijfer verschil en een andere gemeente; een familielid of "
            "naamgenoot uit hetzelfde jaar past ook: bevestiging nodig"
        )
    if comp.roepnaam:
        return (
            "voornaam is een roepnaam van de andere (zoals Kees en Cornelis); broers of "
            "een naamgenoot kunnen ook zo heten: bevestiging nodig"
        )
    every_initial = _every_initial(s, c, comp)
    if giv in ("voorletters", "andere-voornaam", "anders", "leeg") and not every_initial:
        return {
            "voorletters": (
                "alleen voorletters of een afgekorte voornaam; een tweeling of naamgenoot "
                "met dezelfde voorletter past ook: bevestiging nodig"
            ),
            "andere-voornaam": "niet de eerste voornaam gelijk maar een andere: bevestiging nodig",
            "anders": "voornaam verschilt: bevestiging nodig",
            "leeg": "voornaam ontbreekt: bevestiging nodig",
        }[giv]
    if sur in ("anders", "leeg"):
        return f"achternaam {'verschilt' if sur == 'anders' else 'ontbreekt'}: bevestiging nodig"
    # exchanged: both names exact, or only the first of the register's
    # given names (then the roepnaam rules below and in `judge` hold), or
    # one name a slip that the gates below read as written
    if (
        comp.exchanged
        and not (sur == "exact" and giv in ("exact", "roepnaam"))
        and not _one_slip_exchanged(model, s, c, comp)
    ):
        return "voornaam en achternaam verwisseld en niet allebei gelijk: bevestiging nodig"
    # another birth place: two people of one name born the same day
    if lv["geboorteplaats"] == "anders":
        return "andere geboorteplaats: bevestiging nodig"
    # Within one family (same surname, same birth date) a first name that
    # is only close is what twins look like (Thomas / Tomasz, Lars / Lara),
    # unless one of the two spellings is no name anybody carries (Arjhur).
    # A surname a letter off is one family as much (twin veto's levels;
    # typo generator, half its persons from the small name groups, seed
    # 102: "Ailton Bito" against a twin "Wilson Brito", 8.5 bits), and so is
    # one two letters off, which in a short name is one slip as written
    # (typo generator with a clean register, names exchanged, fresh seed
    # 303: a twin "Jack van Mii" against "Ian Bas Fabian Mil", same day and
    # village, both names "2 letters verschil", 12.8 bits, `bekend`).
    if (
        sur in ("exact", "fonetisch", "1-letter", "2-letters", "deel")
        and giv not in ("exact", "roepnaam")
        and not every_initial  # initials are no slip, nor a twin's other name
        # a slip in a further given name after an equal first name, which
        # compare_given let through only when it is no other name
        and (comp.exchanged or s.giv0 != c.giv0)
    ):
        # the suspect's first name as written: in its surname field when
        # the fields are exchanged (then it has no further given names)
        first = s.sur_lit if comp.exchanged else s.giv_lit
        if two_names(model, first, c.giv_lit):
            return (
                "voornamen lijken op elkaar maar zijn twee namen die mensen dragen; in één "
                "familie kan dit een tweeling zijn: bevestiging nodig"
            )
        if not comp.exchanged and _further_names_apart(s, c):
            # the first name a slip off, and further given names on both
            # sides that share none: a brother of the same first name, as
            # "andere-voornaam" has it for an equal one (clerk generator,
            # fresh seed 276: "Alexadner Tijmen" against "Alexander Casper
            # Rayan Hulshouts-Evelingen", same day, `bekend`)
            return (
                "voornaam wijkt af en de verdere voornamen verschillen; in één familie kan dit "
                "een broer of tweeling zijn: bevestiging nodig"
            )
        # a twin's further given names are his own: with every further name
        # equal the slip is this person's (typo generator, seeds 101-105: 22
        # true pairs held back, no other person among them)
        if slip_between_names(model, first, c.giv_lit) and (
            comp.exchanged or not _further_names_equal(s, c)
        ):
            return (
                "voornaam is een verschrijving die net zo dicht bij een andere voornaam ligt; "
                "in één familie kan dit een tweeling zijn: bevestiging nodig"
            )
    # Only the first given name agrees, and the person lives elsewhere
    # (clerk generator, 3 % known, seed 106: "Sophia van Schweinfurt"
    # against "Sophia Bente Lynn van Schweinfurt", same day, another
    # gemeente, 10.6 bits: a same-name person of the same year). The
    # further given names could have told them apart; a person looks.
    if giv == "roepnaam" and lv["gemeente"] == "anders" and lv["geboorteplaats"] != "gelijk":
        return ROEPNAAM_ELSEWHERE
    return None


def _one_slip_exchanged(model: Model, s: Keys, c: Keys, comp: Comparison) -> bool:
    """Given name and surname exchanged with one of them a slip (a letter off
    or one sound; for the first name also two letters of its skeleton): the
    weight decides, as without the exchange, under the same gates on the
    names as written — a surname slip that is no other surname people carry
    (`two_surnames`, the suspect's given-name field read as a surname), a
    first-name slip that is no other name (`two_names` and
    `slip_between_names` in `_needs_review`, on the suspect's surname
    field). Febrl, names exchanged: 468 of the 500 true pairs this gate held
    back at 8 bits or more were one such slip, no other person among them."""
    sur, giv = comp.levels["achternaam"], comp.levels["voornaam"]
    if giv in ("exact", "roepnaam") and sur in ("fonetisch", "1-letter"):
        return bool(s.giv_lit) and not two_surnames(model, _surname_keys(s.giv_lit, "")[0], c.sur)
    return sur == "exact" and giv in ("fonetisch", "1-letter", "2-letters") and not comp.truncated


def _every_initial(s: Keys, c: Keys, comp: Comparison) -> bool:
    """Initials on one side for every given name on the other, in order, at
    least two, letter for letter ("J.A.W." for Jan Adrianus Wilhelmus): as
    much as the names written out, where one initial ("J." for Jan) is also
    a twin's or a brother's (Joost)."""
    return (
        comp.levels["voornaam"] == "voorletters"
        and not comp.exchanged
        and s.initials != c.initials
        and len(s.letters) >= 2
        and s.letters == c.letters
    )


def _partial_backed(s: Keys, c: Keys, comp: Comparison) -> bool:
    """A partial date (year, or year and month) that may still be `bekend`
    (`_backed_as_year`, the month counting when both sides know it). (A
    partial date alone is a namesake as often as the person: "David Ketting
    2009"; a namesake born the same month of the same year in the same
    gemeente is as rare as one with the same second name.)"""
    return comp.levels["geboortedatum"] == "onvolledig" and _backed_as_year(
        s, c, comp, month="00" not in (s.datum[4:6], c.datum[4:6])
    )


def _backed_as_year(s: Keys, c: Keys, comp: Comparison, *, month: bool) -> bool:
    """Names and place back a date that says no more than its year: the
    surname and every given name equal, not exchanged, an equal gemeente or
    birth place, and either at least two given names on both sides, or
    `month` (the month known on both; never for a date many carry, whose
    month is as unknown as its day), or the gemeente and the birth place
    both equal (one given name each: a namesake of that year born in the
    same place and living in the same gemeente is as rare as one with the
    same second name; splink's historical persons, where a third of the
    dates are 1 January and most people have one first name)."""
    lv = comp.levels
    places = (lv["geboorteplaats"], lv["gemeente"])
    return (
        lv["achternaam"] == "exact"
        and lv["voornaam"] == "exact"
        and not comp.exchanged
        and ((" " in s.giv and " " in c.giv) or month or places == ("gelijk", "gelijk"))
        and "gelijk" in places
    )


def _place_backs(model: Model, lv: dict[str, str], date: str) -> bool:
    """Does an equal birth place or gemeente back a date that is not exact?"""
    if date == "dag-maand" and lv["geboorteplaats"] == "gelijk":
        return True
    return not model.reference and "gelijk" in (lv["geboorteplaats"], lv["gemeente"])


def _pct(p: float) -> str:
    if p >= 0.9999:
        return "> 99,99 %"
    return f"{p * 100:.2f} %".replace(".", ",")


def _reden(comp: Comparison) -> str:
    lv = comp.levels
    terms: list[str] = []
    if lv["bsn"] == "gelijk":
        terms.append("bsn")
    elif lv["bsn"] == "conflict":
        terms.append("bsn-conflict")
    elif lv["bsn"] == "typfout":
        terms.append("bsn~typfout")
    sur, giv = lv["achternaam"], lv["voornaam"]
    if sur == "exact" and giv in ("exact", "roepnaam") and not comp.exchanged:
        terms.append("naam")
    elif sur != "anders" or giv != "anders":
        parts = []
        if sur not in ("exact", "anders", "leeg"):
            parts.append(f"an:{sur}")
        if giv not in ("exact", "roepnaam", "anders", "leeg"):
            vn = "roepnaamvorm" if comp.roepnaam else "afgekort" if comp.truncated else giv
            parts.append(f"vn:{vn}")
        if comp.exchanged:
            parts.append("verwisseld")
        terms.append("naam~" + ("," + ",".join(parts) if parts else ""))
    d = lv["geboortedatum"]
    if d in _REDEN_DATE:
        terms.append(_REDEN_DATE[d])
    return "+".join(terms)[:80]


def same_person(a: Keys, b: Keys) -> bool:
    """Could two register identities be one person (the same client at two VHs)?"""
    if a.bsn and b.bsn:
        return a.bsn == b.bsn
    c = compare(a, b)
    if c.levels["voornaam"] in ("anders", "andere-voornaam"):
        return False
    return c.levels["geboortedatum"] in ("exact", "dag-maand", "cijfer", "onvolledig", "leeg")


__all__ = [
    "BEKEND_BITS",
    "BLOCK_KINDS",
    "FEED_FIELDS",
    "FEED_FLOOR",
    "FIELDS",
    "KEY_FIELDS",
    "LEVELS",
    "MODEL_VERSION",
    "MOGELIJK_BITS",
    "Comparison",
    "KeyTable",
    "Keys",
    "Model",
    "Verdict",
    "block_keys",
    "compare",
    "default_model",
    "elfproef",
    "feed_model",
    "judge",
    "key_rows",
    "keys_of",
    "phonetic",
    "probe_keys",
    "same_person",
    "train",
    "veto",
    "with_m",
]
