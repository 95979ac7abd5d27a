"""The one answer to "how old is this suspect, and is this a minor?" (pure domain).

Queue, detail pane, decisions, prints and monitoring all ask `age_at_instroom`
(or `minor_at_instroom`), so they can never disagree again.

The rule, one way for every caller:

* **Reference day**: the day of instroom on ZSM, in Europe/Amsterdam. A
  suspect who came in at 00:30 on their 18th birthday (23:30 UTC the day
  before) is 18. Decisions use the same day, so the code list offered (Halt,
  reprimande) does not change between arrest and decision.
* **Partly unknown birth date** (``YYYY-00-00``, ``YYYY-MM-00``): the youngest
  possible age (`PartialDate.age_on`); `AgeVerdict.partial` says so.
* **Unreadable birth date** (not ``YYYY-MM-DD``, impossible day): age unknown
  (``None``) and treated as a **possible minor**: the minors rules apply
  (no VH content in selection, Halt/reprimande offered, raadsonderzoek). This
  is the safe reading; a person must correct the birth date to lift it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zsm_desk.domain.clock import local
from zsm_desk.domain.records import PartialDate

#: Age of majority.
MEERDERJARIG = 18


@dataclass(frozen=True, slots=True)
class AgeVerdict:
    """Age in whole years (None: unreadable birth date) and whether minors rules apply."""

    age: int | None
    minor: bool
    partial: bool = False  # day or month unknown: the youngest possible age

    def label(self) -> str:
        """Dutch text for screens and prints: `17 jaar — minderjarig`."""
        if self.age is None:
            return "leeftijd onbekend — behandeld als minderjarig"
        text = f"{self.age} jaar" + (" (of ouder)" if self.partial else "")
        return text + (" — minderjarig" if self.minor else "")


def age_on(geboortedatum: str, on: dt.date) -> AgeVerdict:
    """The verdict for a birth date (ISO with 00 for unknown parts) on a given day."""
    try:
        born = PartialDate.parse(geboortedatum)
    except ValueError:
        return AgeVerdict(None, True)
    age = born.age_on(on)
    return AgeVerdict(age, age < MEERDERJARIG, not born.complete)


def instroom_day(ingestroomd_op: dt.datetime) -> dt.date:
    """The reference day: the instroom date in Amsterdam (naive input is UTC)."""
    return local(ingestroomd_op).date()


def age_at_instroom(geboortedatum: str, ingestroomd_op: dt.datetime) -> AgeVerdict:
    """The one age rule of the desk (see the module docstring)."""
    return age_on(geboortedatum, instroom_day(ingestroomd_op))


def minor_at_instroom(geboortedatum: str, ingestroomd_op: dt.datetime) -> bool:
    return age_at_instroom(geboortedatum, ingestroomd_op).minor


__all__ = [
    "MEERDERJARIG",
    "AgeVerdict",
    "age_at_instroom",
    "age_on",
    "instroom_day",
    "minor_at_instroom",
]
