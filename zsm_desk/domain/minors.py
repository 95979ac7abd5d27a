"""Minor or adult: thin names over `domain.age`, the one age rule of the desk.

Age counts on the *local* (Europe/Amsterdam) day of the instroom; a birth date
with an unknown day or month counts with the youngest possible age. An
unreadable birth date has no age: `is_minor` gives None, and
`treated_as_minor` (what the queue, print and decision use) counts it as a
minor, as `domain.age` does.
"""

from __future__ import annotations

import datetime as dt

from zsm_desk.domain import age as _age
from zsm_desk.domain.age import MEERDERJARIG, instroom_day


def age_on(geboortedatum: str, on: dt.date) -> int | None:
    """The (youngest possible) age on `on`; None for an unreadable birth date."""
    return _age.age_on(geboortedatum, on).age


def is_minor(geboortedatum: str, on: dt.date) -> bool | None:
    """Under 18 on `on`; None when the birth date cannot be read."""
    verdict = _age.age_on(geboortedatum, on)
    return None if verdict.age is None else verdict.minor


def treated_as_minor(geboortedatum: str, on: dt.date) -> bool:
    """The safe reading: an unknown age counts as minor (`domain.age`)."""
    return _age.age_on(geboortedatum, on).minor


__all__ = ["MEERDERJARIG", "age_on", "instroom_day", "is_minor", "treated_as_minor"]
