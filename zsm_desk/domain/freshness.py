"""How much weight a VH advice still carries (background-pilots §3 Q1).

Under 6 months "actueel"; 6–12 months "minder zwaarwegend"; over 12 months
"niet actueel" with a prompt to ask the VH for an update.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Freshness(StrEnum):
    ACTUEEL = "actueel"
    MINDER_ZWAARWEGEND = "minder zwaarwegend"
    NIET_ACTUEEL = "niet actueel"


@dataclass(frozen=True, slots=True)
class FreshnessVerdict:
    level: Freshness
    months: int  # whole months since the advice
    prompt: str  # what the user should do, empty when nothing


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    # clamp to the month's last day (31 Aug + 6 months = 28/29 Feb)
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def whole_months(since: dt.date, today: dt.date) -> int:
    months = (today.year - since.year) * 12 + today.month - since.month
    if _add_months(since, months) > today:
        months -= 1
    return max(months, 0)


def freshness(advies_datum: dt.date, today: dt.date) -> FreshnessVerdict:
    """Classify an advice date; exactly 6 months old counts as less weighty."""
    months = whole_months(advies_datum, today)
    if today < _add_months(advies_datum, 6):
        return FreshnessVerdict(Freshness.ACTUEEL, months, "")
    if today <= _add_months(advies_datum, 12):
        return FreshnessVerdict(
            Freshness.MINDER_ZWAARWEGEND,
            months,
            "Advies is ouder dan 6 maanden: weeg het minder zwaar of vraag een actualisatie.",
        )
    return FreshnessVerdict(
        Freshness.NIET_ACTUEEL,
        months,
        "Advies is ouder dan 12 maanden en niet actueel: vraag het veiligheidshuis om een update.",
    )
