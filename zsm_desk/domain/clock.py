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
import time
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


class ShiftedClock:
    """A running clock that started at a chosen instant (demo and test runs of
    the real program: `ZSM_DESK_NU`); it ticks like the wall clock from there."""

    def __init__(self, start: dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ShiftedClock needs an aware datetime")
        self._start = start.astimezone(dt.UTC)
        self._t0 = time.monotonic()

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=time.monotonic() - self._t0)


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant; a date alone means 09:00 Amsterdam time that day.

    Raises ValueError on anything else (the caller words the message).
    """
    text = text.strip()
    if len(text) == 10:
        d = dt.date.fromisoformat(text)
        return dt.datetime.combine(d, dt.time(9, 0), AMSTERDAM)
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=AMSTERDAM)


def local(at: dt.datetime) -> dt.datetime:
    """`at` in Europe/Amsterdam; a naive value is taken as UTC (as stored)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(AMSTERDAM)


def local_today(clock: Clock) -> dt.date:
    """Today's date at the desk (Amsterdam), from the clock."""
    return clock.now().astimezone(AMSTERDAM).date()
