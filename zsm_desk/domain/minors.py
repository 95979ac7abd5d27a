"""Minor or adult: one rule for the queue, the detail pane, the print and the decision.

Age counts on the *local* (Europe/Amsterdam) day of the instroom; a birth date
with an unknown day or month counts with the youngest possible age
(`PartialDate.age_on`), so a doubtful case gets the minors' rules. An
unreadable birth date gives None: each caller says what that means for it
(the queue and the print treat it as a minor, see `treated_as_minor`).
"""

from __future__ import annotations

import datetime as dt

from zsm_desk.domain.clock import AMSTERDAM
from zsm_desk.domain.records import PartialDate

#: The age from which a suspect is an adult (meerderjarig).
MEERDERJARIG = 18


def instroom_day(ingestroomd_op: dt.datetime) -> dt.date:
    """The calendar day of the instroom in Amsterdam (a naive time counts as UTC)."""
    if ingestroomd_op.tzinfo is None:
        ingestroomd_op = ingestroomd_op.replace(tzinfo=dt.UTC)
    return ingestroomd_op.astimezone(AMSTERDAM).date()


def age_on(geboortedatum: str, on: dt.date) -> int | None:
    """The (youngest possible) age on `on`; None for an unreadable birth date."""
    try:
        return PartialDate.parse(geboortedatum).age_on(on)
    except ValueError:
        return None


def is_minor(geboortedatum: str, on: dt.date) -> bool | None:
    """Under 18 on `on`; None when the birth date cannot be read."""
    age = age_on(geboortedatum, on)
    return None if age is None else age < MEERDERJARIG


def treated_as_minor(geboortedatum: str, on: dt.date) -> bool:
    """The safe reading for showing and printing: an unknown age counts as minor."""
    return is_minor(geboortedatum, on) is not False
