"""Plain records shared by every layer.

These are the border formats of interfaces.md §1 and §2 as immutable Python
values. Services turn files, HTTP bodies and database rows into these; the
domain (matching, freshness, decisions) works only on them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

# --- enumerations -----------------------------------------------------------


class InstroomStatus(StrEnum):
    AANGEMELD = "aangemeld"
    TE_ROUTEREN = "te routeren"
    DIRECT_BEHANDELEN = "direct behandelen"
    IN_BEHANDELING = "in behandeling"
    AFGEDAAN = "afgedaan"
    AFGEBOGEN = "afgebogen"


#: Statuses in which the case is still in intake/selection (process step 1).
#: For minors no VH advice content may be shown in these (background §1.1).
SELECTION_STATUSES = frozenset(
    {InstroomStatus.AANGEMELD, InstroomStatus.TE_ROUTEREN, InstroomStatus.DIRECT_BEHANDELEN}
)


class MatchStatus(StrEnum):
    BEKEND = "bekend"
    MOGELIJK = "mogelijk"
    ONBEKEND = "onbekend"


CATEGORIEEN = ("huiselijk geweld", "geweld", "vermogen", "overlast", "overig")
GESLACHTEN = ("M", "V", "X", "")


# --- partial birth dates ----------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
#: A date as Dutch people and a spreadsheet in the nl-NL locale write it: day
#: first, the year in four digits last, "-", "/" or "." between (14-03-1991,
#: 5-1-1990, 00-00-1990 for an unknown day and month). Never month first, and
#: never a two-digit year, which cannot be told apart safely.
_NL_DATE_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
#: What a refused date message asks for.
DATE_FORMS = "JJJJ-MM-DD of DD-MM-JJJJ"


def date_parts(text: str) -> tuple[int, int, int]:
    """(year, month, day) of `YYYY-MM-DD` or the Dutch `DD-MM-YYYY` (parts
    may be 0); ValueError when it is neither."""
    t = text.strip()
    m = _DATE_RE.match(t)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    n = _NL_DATE_RE.match(t)
    if n:
        return int(n.group(4)), int(n.group(3)), int(n.group(1))
    raise ValueError(f"ongeldige datum {text!r} (verwacht {DATE_FORMS})")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A birth date whose day or month may be unknown (`YYYY-00-00`, `YYYY-MM-00`)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY-MM-DD` (or the Dutch `DD-MM-YYYY`, `date_parts`) with 00
        for unknown parts; ValueError when invalid."""
        y, mo, d = date_parts(text)
        if y < 1900 or y > 2100:
            raise ValueError(f"ongeldig jaar in {text!r}")
        if mo == 0:
            if d != 0:
                raise ValueError(f"dag zonder maand in {text!r}")
            return cls(y)
        if not 1 <= mo <= 12:
            raise ValueError(f"ongeldige maand in {text!r}")
        if d == 0:
            return cls(y, mo)
        try:
            dt.date(y, mo, d)  # 2026-02-30
        except ValueError:
            raise ValueError(f"ongeldige dag in {text!r}") from None
        return cls(y, mo, d)

    @property
    def complete(self) -> bool:
        return self.month is not None and self.day is not None

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month or 0:02d}-{self.day or 0:02d}"

    def display(self) -> str:
        """Dutch display: 14-03-1991, or 03-1991 / 1991 when partly unknown."""
        if self.month is None:
            return f"{self.year}"
        if self.day is None:
            return f"{self.month:02d}-{self.year}"
        return f"{self.day:02d}-{self.month:02d}-{self.year}"

    def age_on(self, when: dt.date) -> int:
        """Age in whole years; with an unknown day/month the youngest possible age.

        Choosing the youngest age means a suspect of unknown exact birth date is
        treated as a minor when they could be one, which is the safe side for
        the minors rules.
        """
        month = self.month or 12
        day = self.day or 31
        if self.day is None and self.month is not None:
            # last day of that month
            nxt = dt.date(self.year + (month == 12), month % 12 + 1, 1)
            day = (nxt - dt.timedelta(days=1)).day
        age = when.year - self.year
        if (when.month, when.day) < (month, day):
            age -= 1
        return age


# --- BSN ----------------------------------------------------------------------


def bsn_valid(bsn: str | None) -> bool:
    """The eleven-test (elfproef) for a 9-digit BSN; a failing BSN is no evidence."""
    if not bsn or len(bsn) != 9 or not bsn.isdigit():
        return False
    if bsn == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(bsn[:8], range(9, 1, -1), strict=True))
    total -= int(bsn[8])
    return total % 11 == 0


# --- identity -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a record is about, as written in the source system."""

    achternaam: str
    voornamen: str
    geboortedatum: str  # ISO with 00 for unknown parts
    voorvoegsel: str = ""
    bsn: str = ""
    geboorteplaats: str = ""
    gemeente: str = ""
    geslacht: str = ""

    def display_name(self) -> str:
        """Name as Dutch people write it: `Jan Pieter de Vries`."""
        parts = [self.voornamen, self.voorvoegsel, self.achternaam]
        return " ".join(p for p in parts if p)

    def sort_name(self) -> str:
        """Name for lists: `Vries, Jan Pieter de`."""
        tail = " ".join(p for p in (self.voornamen, self.voorvoegsel) if p)
        return f"{self.achternaam}, {tail}" if tail else self.achternaam


# --- the two border records ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstroomItem:
    """One suspect on the verdachtenmonitor (interfaces.md §1)."""

    bvh_nummer: str
    ingestroomd_op: dt.datetime  # aware
    identity: Identity
    feit: str
    status: InstroomStatus
    parketnummer: str = ""
    woonplaats: str = ""
    categorie: str = ""


@dataclass(frozen=True, slots=True)
class RegisterMarking:
    """One (vh_code, persoon_id) marking from a VH register export (§2)."""

    vh_code: str
    persoon_id: str
    identity: Identity
    slagzin: str
    advies_datum: dt.date
    doelgroep: str = ""
    advies: str = ""
    doel_interventie: str = ""
    context: str = ""
    hg_historie: str = ""
    plan_van_aanpak: str = ""
    contactpersoon: str = ""
    contact_telefoon: str = ""
    actief: bool = True


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One hit of a suspect on one register marking (interfaces.md §5 shape)."""

    vh_code: str
    persoon_id: str
    status: MatchStatus  # BEKEND or MOGELIJK, never ONBEKEND
    score: float
    reden: str
    details: tuple[str, ...] = field(default_factory=tuple)
