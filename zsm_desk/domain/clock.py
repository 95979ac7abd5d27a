"""The one source of "now" and of the desk's time zone.

Nothing outside this module reads the wall clock for domain time: deadlines,
retention, freshness, audit stamps and terugkoppeling times all take their
"now" from a `Clock` handed in by the caller (the Desk owns one). Tests and
the `--pin-date` run give a `FixedClock`, so the suite passes on any date.
Measuring durations (`time.monotonic`, `time.perf_counter`) is not domain
time and may stay where it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

#: Every time the desk shows, prints or sends is Europe/Amsterdam (CET/CEST),
#: whatever the operating system's zone is.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until moved; for tests and pinned runs."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        self._at += delta


def local(at: dt.datetime) -> dt.datetime:
    """`at` in Europe/Amsterdam; a naive value is taken as UTC (as stored)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(AMSTERDAM)


def local_today(clock: Clock) -> dt.date:
    """Today's date at the desk (Amsterdam), from the clock."""
    return clock.now().astimezone(AMSTERDAM).date()
