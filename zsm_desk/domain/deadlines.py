"""Termijnen: the ZSM queue countdown and deadlines for advies op aanvraag.

Pure domain code: no I/O, no Qt, no SQL. Two families of deadlines live here.

* The **queue deadline** (background-pilots §1.2, Q9): a suspect must be decided
  within the ZSM norm (``deadline_uren`` in the configuration, 6 hours by
  default) after ``ingestroomd_op``. This is elapsed time; the clock on the wall
  is irrelevant, so it is computed in UTC.
* The **adviesvraag deadline** (KV-4, Q8): the KPC guards a pre-agreed deadline
  for a question to a veiligheidshuis (VH). The presets come from the pilots:
  "volgende werkdag 13:00" (ZWB), "24 uur" and "7 dagen" (generic model) and
  "5 werkdagen" (ON). See :func:`compute_deadline` for the exact definitions.

Two Python pitfalls shape this module and explain the many ``_utc`` calls:

1. ``aware + timedelta`` with a ``ZoneInfo`` tzinfo is *wall-clock* arithmetic:
   ``01:30 CET + 2 h`` on 29 March gives 03:30 CEST, only one real hour later.
2. Subtracting or comparing two aware datetimes that share the *same* tzinfo
   object ignores their offsets. ``ZoneInfo`` caches instances, so two
   Europe/Amsterdam datetimes on either side of a DST change are off by an hour.

So anything that means "real elapsed time" converts to UTC first.

Werkdagen (working days) are Monday–Friday minus Dutch public holidays as the
``holidays`` package defines them in its default ("public") category for NL,
further narrowed by a VH's office hours (a VH that is closed on Fridays has no
working Friday). Choices inherited from the package (holidays 0.109), documented
on purpose because they are debatable:

* **Goede Vrijdag counts as a holiday.** It is not in the Algemene termijnenwet
  and many employers work on it, but the package lists it in NL's public
  category. We follow the package so that the application has one source of
  truth; a region that works on Goede Vrijdag passes
  ``WorkCalendar(negeer=frozenset({"Goede vrijdag"}))``.
* **Bevrijdingsdag (5 May) counts only in lustrum years** (2025, 2030, ...), the
  way most CAOs treat it; the package keeps the yearly 5 May in its "optional"
  category, which we do not use.
* Koningsdag is 27 April, or Saturday 26 April when the 27th is a Sunday (a
  weekend day either way). Eerste paasdag and eerste pinksterdag are Sundays.

A question asked outside the VH's office hours (the VH is closed, ZSM is not:
background §1.2) counts as asked at the VH's next opening moment for the
working-day presets; see :func:`effective_asking_moment`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

UTC = dt.UTC
AMSTERDAM = "Europe/Amsterdam"

#: The ``bereikbaar`` value assumed when a VH has none configured (interfaces §3).
DEFAULT_BEREIKBAAR = "ma-vr 08:30-17:00"
#: End of the office day when the office hours give no closing time ("24/7").
EINDE_KANTOORDAG = dt.time(17, 0)
#: "Volgende werkdag 13:00": the ZWB routekaart wants the advice before 13:00.
ADVIES_TIJDSTIP = dt.time(13, 0)
#: Below this much time left the queue shows "bijna" (amber).
BIJNA_DREMPEL = dt.timedelta(hours=1)

_DAG = dt.timedelta(days=1)
_MINUUT = dt.timedelta(minutes=1)
_MINUTEN_PER_DAG = 24 * 60
# Enough to cross any cluster of weekend days and holidays (kerst + nieuwjaar
# is the worst case); only a guard against an impossible infinite loop.
_MAX_ZOEKDAGEN = 400


# ---------------------------------------------------------------------------
# Time helpers
# ---------------------------------------------------------------------------


def _zone(tz: str | dt.tzinfo) -> dt.tzinfo:
    if isinstance(tz, dt.tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Onbekende tijdzone {tz!r}.") from exc


def _require_aware(moment: dt.datetime, wat: str) -> None:
    # A naive timestamp is a bug upstream (the feed always carries an offset,
    # interfaces §0); guessing a zone here would hide it.
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"{wat} moet een datetime zijn, niet {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{wat} ({moment.isoformat()}) heeft geen tijdzone.")


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def _add_elapsed(moment: dt.datetime, delta: dt.timedelta, tz: dt.tzinfo) -> dt.datetime:
    """Add real elapsed time (UTC arithmetic), result expressed in ``tz``."""
    return (_utc(moment) + delta).astimezone(tz)


def resolve_local(wall: dt.datetime, tz: str | dt.tzinfo = AMSTERDAM) -> dt.datetime:
    """Turn a naive wall-clock time in ``tz`` into an aware datetime, deterministically.

    * Ambiguous time (the repeated hour when summer time ends, e.g. 02:30 on
      25 Oct 2026): the **first** occurrence (``fold=0``, still summer time),
      i.e. the earlier instant, so a deadline is never silently an hour later.
    * Non-existent time (the skipped hour when summer time starts, e.g. 02:30
      on 29 Mar 2026): **shifted forward by the gap**, to 03:30 CEST. This is
      the instant the pre-transition offset gives (what ``fold=0`` means for a
      gap), so "7 days later at 02:30" lands on exactly 7×24 elapsed hours.
    """
    zone = _zone(tz)
    candidate = wall.replace(tzinfo=zone, fold=0)
    # The UTC round trip normalises a time inside the gap to a real wall time.
    return _utc(candidate).astimezone(zone)


# ---------------------------------------------------------------------------
# Queue deadline (ZSM norm)
# ---------------------------------------------------------------------------


class DeadlineState(StrEnum):
    OK = "ok"
    BIJNA = "bijna"
    VERLOPEN = "verlopen"


def queue_deadline(
    ingestroomd_op: dt.datetime, norm_hours: int = 6, tz: str | dt.tzinfo = AMSTERDAM
) -> dt.datetime:
    """Moment by which a ZSM case must be decided: ``norm_hours`` of real time later.

    Elapsed time, not wall-clock: a suspect entering at 00:30 on the night
    summer time starts is due at 07:30 CEST (6 real hours, 7 on the clock).
    The result is expressed in ``tz`` (Europe/Amsterdam) for display.
    """
    _require_aware(ingestroomd_op, "Het instroommoment")
    if isinstance(norm_hours, bool) or not isinstance(norm_hours, int) or norm_hours <= 0:
        raise ValueError(
            f"De ZSM-norm moet een positief geheel aantal uren zijn, niet {norm_hours!r}."
        )
    return _add_elapsed(ingestroomd_op, dt.timedelta(hours=norm_hours), _zone(tz))


def deadline_state(
    deadline: dt.datetime, now: dt.datetime, *, bijna: dt.timedelta = BIJNA_DREMPEL
) -> tuple[DeadlineState, dt.timedelta]:
    """Classify a deadline: ``verlopen`` at or after it, ``bijna`` under ``bijna`` left.

    Returns the state and the remaining real time (negative when late).
    """
    _require_aware(deadline, "De termijn")
    _require_aware(now, "Het huidige tijdstip")
    remaining = _utc(deadline) - _utc(now)  # UTC: see pitfall 2 in the module docstring
    if remaining <= dt.timedelta(0):
        return DeadlineState.VERLOPEN, remaining
    if remaining < bijna:
        return DeadlineState.BIJNA, remaining
    return DeadlineState.OK, remaining


def _duur(minuten: int) -> str:
    dagen, rest = divmod(minuten, _MINUTEN_PER_DAG)
    uren, mins = divmod(rest, 60)
    if dagen:
        # At day scale minutes are noise (a 7-day question); hours still matter.
        tekst = f"{dagen} {'dag' if dagen == 1 else 'dagen'}"
        return f"{tekst} {uren} u" if uren else tekst
    if uren:
        return f"{uren} u {mins:02d} min"
    return f"{mins} min"


def format_remaining(remaining: dt.timedelta) -> str:
    """Dutch text for a countdown: ``"nog 2 u 05 min"``, ``"nog 12 min"``,
    ``"3 u 10 min te laat"``, ``"nog 6 dagen 4 u"``.

    Minutes are rounded down in both directions, so the screen never promises
    more time than there is. Zero or less counts as late, like
    :func:`deadline_state`; under a minute reads ``"nog minder dan 1 min"`` or
    ``"zojuist verlopen"``.
    """
    late = remaining <= dt.timedelta(0)
    minuten = abs(remaining) // _MINUUT
    if late:
        return "zojuist verlopen" if minuten == 0 else f"{_duur(minuten)} te laat"
    return "nog minder dan 1 min" if minuten == 0 else f"nog {_duur(minuten)}"


# ---------------------------------------------------------------------------
# Working-day calendar
# ---------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _feestdagen(country: str, year: int) -> dict[dt.date, str]:
    # One frozen dict per year instead of one expanding HolidayBase: the latter
    # mutates itself on lookups of new years, which is unsafe across threads.
    return dict(holidays.country_holidays(country, years=year, language="nl"))


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Public holidays per the ``holidays`` package (default category), adjustable.

    ``negeer`` holds holiday names (Dutch, as the package spells them, e.g.
    ``"Goede vrijdag"``) that are nevertheless working days; ``extra_vrij`` adds
    closing days of one's own.
    """

    country: str = "NL"
    negeer: frozenset[str] = frozenset()
    extra_vrij: frozenset[dt.date] = frozenset()

    def feestdag(self, day: dt.date) -> str | None:
        """Name of the holiday on ``day`` (Dutch), or None."""
        if day in self.extra_vrij:
            return "extra vrije dag"
        naam = _feestdagen(self.country, day.year).get(day)
        if naam is None:
            return None
        # The package joins two holidays on one date with "; ".
        namen = [n for n in naam.split("; ") if n not in self.negeer]
        return "; ".join(namen) or None

    def is_werkdag(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.feestdag(day) is None


# ---------------------------------------------------------------------------
# Office hours ("bereikbaar")
# ---------------------------------------------------------------------------

_DAGNAMEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DAGCODES = {naam[:2]: i for i, naam in enumerate(_DAGNAMEN)} | {
    naam: i for i, naam in enumerate(_DAGNAMEN)
}
_ALTIJD = {"24/7", "24x7", "24 x 7", "altijd", "dag en nacht"}
_VOORBEELDEN = "'ma-vr 08:30-17:00', 'ma-do 09:00-17:00, vr 09:00-12:00' of '24/7'"

_TIJD = r"(\d{1,2})[:.](\d{2})"
_VENSTER_RE = re.compile(rf"{_TIJD}\s*-\s*{_TIJD}")
_VENSTER_SCHEIDING_RE = re.compile(r"\s*(?:\ben\b|&|\+|/)?\s*")
_DAGEN_RE = re.compile(r"([a-z]+)(?:\s*(?:-|\bt/m\b|\btot en met\b)\s*([a-z]+))?")

Venster = tuple[int, int]  # (start, end) in minutes after local midnight; end may be 1440


def _minuten(uur: str, minuut: str, spec: str, *, einde: bool) -> int:
    h, m = int(uur), int(minuut)
    if m > 59 or h > 24 or (h == 24 and (m != 0 or not einde)):
        raise _fout(spec, f"ongeldige tijd '{uur}:{minuut}'")
    return h * 60 + m


def _fout(spec: str, detail: str) -> ValueError:
    return ValueError(
        f"Bereikbaarheid {spec!r} is ongeldig: {detail}. Voorbeelden: {_VOORBEELDEN}."
    )


def _hhmm(minuten: int) -> str:
    return f"{minuten // 60:02d}:{minuten % 60:02d}"


def _parse_dagen(tekst: str, spec: str) -> list[int]:
    m = _DAGEN_RE.fullmatch(tekst)
    if m is None:
        raise _fout(spec, f"kan de dagen '{tekst}' niet lezen")
    codes = [c for c in m.groups() if c is not None]
    for code in codes:
        if code not in _DAGCODES:
            raise _fout(spec, f"onbekende dag '{code}' (gebruik ma, di, wo, do, vr, za of zo)")
    eerste = _DAGCODES[codes[0]]
    laatste = _DAGCODES[codes[-1]]
    # "vr-ma" wraps over the weekend: Friday, Saturday, Sunday, Monday.
    return [(eerste + i) % 7 for i in range((laatste - eerste) % 7 + 1)]


def _parse_vensters(tekst: str, spec: str) -> list[Venster]:
    vensters: list[Venster] = []
    pos = 0
    while pos < len(tekst):
        scheiding = _VENSTER_SCHEIDING_RE.match(tekst, pos)
        if scheiding is not None:
            pos = scheiding.end()
        m = _VENSTER_RE.match(tekst, pos)
        if m is None:
            raise _fout(spec, f"kan de tijden '{tekst[pos:] or tekst}' niet lezen")
        start = _minuten(m.group(1), m.group(2), spec, einde=False)
        einde = _minuten(m.group(3), m.group(4), spec, einde=True)
        if einde <= start:
            raise _fout(
                spec,
                f"eindtijd {_hhmm(einde)} ligt niet na begintijd {_hhmm(start)}; "
                "splits tijden over middernacht per dag, bijv. 'vr 22:00-24:00, za 00:00-06:00'",
            )
        vensters.append((start, einde))
        pos = m.end()
    if not vensters:
        raise _fout(spec, "tijden ontbreken")
    return vensters


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """When a VH can be reached, parsed from the ``bereikbaar`` setting.

    Weekly opening windows in local time of ``tz``. An office with a weekly
    schedule is **closed on public holidays** (per ``kalender``); ``24/7`` is
    open always, holidays included. Build it with :meth:`parse`.
    """

    spec: str
    vensters: tuple[tuple[Venster, ...], ...]  # index = weekday (0 = maandag)
    altijd_open: bool = False
    tz: dt.tzinfo = field(default_factory=lambda: ZoneInfo(AMSTERDAM))
    kalender: WorkCalendar = field(default_factory=WorkCalendar)

    @classmethod
    def parse(
        cls,
        spec: str,
        *,
        tz: str | dt.tzinfo = AMSTERDAM,
        kalender: WorkCalendar | None = None,
    ) -> OfficeHours:
        """Parse e.g. ``"ma-vr 08:30-17:00"``, ``"ma-do 09:00-17:00, vr 09:00-12:00"``,
        ``"24/7"``.

        Also accepted: full day names, ``t/m`` for day ranges, ``08.30`` for
        times, several windows per day (``"ma-vr 08:30-12:00 en 13:00-17:00"``),
        ``;`` between segments, and ``24:00`` as a closing time. Windows cannot
        run past midnight; split them per day. Raises ``ValueError`` with a
        Dutch message (shown by the configuration validator) on anything else,
        including overlapping windows on a day.
        """
        zone = _zone(tz)
        kal = kalender if kalender is not None else WorkCalendar()
        if not isinstance(spec, str) or not spec.strip():
            raise ValueError(f"Bereikbaarheid is leeg. Vul bijvoorbeeld {_VOORBEELDEN} in.")
        tekst = " ".join(spec.strip().lower().replace("–", "-").replace("—", "-").split())
        if tekst in _ALTIJD:
            return cls(spec, tuple(() for _ in range(7)), True, zone, kal)

        per_dag: list[list[Venster]] = [[] for _ in range(7)]
        dagen: list[int] | None = None
        for segment in re.split(r"\s*[,;]\s*", tekst):
            if not segment:
                raise _fout(spec, "lege regel tussen komma's")
            if segment[0].isdigit():
                # "ma-vr 08:30-12:00, 13:00-17:00": more windows for the same days.
                if dagen is None:
                    raise _fout(spec, f"bij '{segment}' staan geen dagen")
                tijden = segment
            else:
                m = re.match(r"(.*?)\s*(?=\d)", segment)
                if m is None or not m.group(1):
                    raise _fout(spec, f"bij '{segment}' staan geen tijden")
                dagen = _parse_dagen(m.group(1), spec)
                tijden = segment[m.end() :]
            for start, einde in _parse_vensters(tijden, spec):
                for dag in dagen:
                    per_dag[dag].append((start, einde))

        for dag, vensters in enumerate(per_dag):
            vensters.sort()
            for (_, einde), (start, _) in itertools.pairwise(vensters):
                if start < einde:
                    raise _fout(spec, f"tijden op {_DAGNAMEN[dag]} overlappen")
        return cls(spec, tuple(tuple(v) for v in per_dag), False, zone, kal)

    # -- queries -----------------------------------------------------------

    def _open_dag(self, day: dt.date) -> bool:
        if self.altijd_open:
            return True
        return bool(self.vensters[day.weekday()]) and self.kalender.feestdag(day) is None

    def is_werkdag(self, day: dt.date) -> bool:
        """Monday–Friday, no public holiday, and the office has hours that day.

        A "werkdag" stays Monday–Friday even for an office open on Saturdays;
        office hours can only remove days (a VH closed on Fridays).
        """
        if not self.kalender.is_werkdag(day):
            return False
        return self.altijd_open or bool(self.vensters[day.weekday()])

    def is_open(self, moment: dt.datetime) -> bool:
        _require_aware(moment, "Het tijdstip")
        if self.altijd_open:
            return True
        local = moment.astimezone(self.tz)
        if not self._open_dag(local.date()):
            return False
        # Seconds since local midnight, as wall-clock: opening hours are wall-clock.
        sec = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        return any(
            start * 60 <= sec < einde * 60 for start, einde in self.vensters[local.weekday()]
        )

    def next_opening(self, moment: dt.datetime) -> dt.datetime:
        """First moment at or after ``moment`` when the office is open.

        Returns ``moment`` itself (in ``tz``) when the office is open then.
        """
        _require_aware(moment, "Het tijdstip")
        local = moment.astimezone(self.tz)
        if self.is_open(moment):
            return local
        for offset in range(_MAX_ZOEKDAGEN):
            day = local.date() + offset * _DAG
            if not self._open_dag(day):
                continue
            for start, _ in self.vensters[day.weekday()]:
                wall = dt.datetime.combine(day, dt.time(start // 60, start % 60))
                opening = resolve_local(wall, self.tz)
                if _utc(opening) > _utc(moment):
                    return opening
        raise ValueError(f"Bereikbaarheid {self.spec!r}: geen openingstijd gevonden.")

    def einde_kantoordag(self, day: dt.date) -> dt.datetime:
        """Closing moment on ``day``: end of its last window, or 17:00 for 24/7."""
        vensters = self.vensters[day.weekday()]
        if self.altijd_open or not vensters:
            wall = dt.datetime.combine(day, EINDE_KANTOORDAG)
        else:
            einde = vensters[-1][1]
            # 24:00 is midnight at the start of the next day.
            wall = dt.datetime.combine(day, dt.time(0)) + einde * _MINUUT
        return resolve_local(wall, self.tz)

    def describe(self) -> str:
        """Dutch description, e.g. ``"maandag t/m vrijdag 08:30–17:00 (niet op feestdagen)"``."""
        if self.altijd_open:
            return "dag en nacht bereikbaar (24/7), ook op feestdagen"
        delen: list[str] = []
        dag = 0
        while dag < 7:
            vensters = self.vensters[dag]
            tot = dag
            while tot + 1 < 7 and self.vensters[tot + 1] == vensters:
                tot += 1
            if vensters:
                if tot == dag:
                    dagen = _DAGNAMEN[dag]
                elif tot == dag + 1:
                    dagen = f"{_DAGNAMEN[dag]} en {_DAGNAMEN[tot]}"
                else:
                    dagen = f"{_DAGNAMEN[dag]} t/m {_DAGNAMEN[tot]}"
                tijden = " en ".join(f"{_hhmm(s)}–{_hhmm(e)}" for s, e in vensters)
                delen.append(f"{dagen} {tijden}")
            dag = tot + 1
        return "; ".join(delen) + " (niet op feestdagen)"


def parse_office_hours(
    spec: str, *, tz: str | dt.tzinfo = AMSTERDAM, kalender: WorkCalendar | None = None
) -> OfficeHours:
    """Alias of :meth:`OfficeHours.parse` for the configuration validator."""
    return OfficeHours.parse(spec, tz=tz, kalender=kalender)


# ---------------------------------------------------------------------------
# Adviesvraag deadlines
# ---------------------------------------------------------------------------


class Preset(StrEnum):
    VOLGENDE_WERKDAG_13 = "volgende-werkdag-13"
    VIERENTWINTIG_UUR = "24-uur"
    VIJF_WERKDAGEN = "5-werkdagen"
    ZEVEN_DAGEN = "7-dagen"


#: Dutch labels for the UI, in the order to offer them.
PRESET_LABELS: dict[Preset, str] = {
    Preset.VOLGENDE_WERKDAG_13: "volgende werkdag 13:00",
    Preset.VIERENTWINTIG_UUR: "24 uur",
    Preset.VIJF_WERKDAGEN: "5 werkdagen",
    Preset.ZEVEN_DAGEN: "7 dagen",
}


def effective_asking_moment(asked_at: dt.datetime, office_hours: OfficeHours) -> dt.datetime:
    """When the VH can first see the question: ``asked_at`` if open, else the next opening.

    ZSM works evenings and weekends, the VH mostly does not (background §1.2,
    step 2); a question mailed on Saturday night reaches the VH on Monday morning.
    """
    _require_aware(asked_at, "Het vraagmoment")
    return office_hours.next_opening(asked_at)


def _volgende_werkdag(day: dt.date, office_hours: OfficeHours) -> dt.date:
    for offset in range(1, _MAX_ZOEKDAGEN):
        kandidaat = day + offset * _DAG
        if office_hours.is_werkdag(kandidaat):
            return kandidaat
    raise ValueError(f"Bereikbaarheid {office_hours.spec!r}: geen werkdag gevonden.")


def _office(office_hours: OfficeHours | str | None, zone: dt.tzinfo) -> OfficeHours:
    if isinstance(office_hours, OfficeHours):
        return office_hours
    # None means "not configured"; an empty string is a configuration error.
    return OfficeHours.parse(DEFAULT_BEREIKBAAR if office_hours is None else office_hours, tz=zone)


def _custom_deadline(tekst: str, asked_at: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    keuzes = ", ".join(f"'{p.value}'" for p in Preset)
    try:
        dt.date.fromisoformat(tekst)
    except ValueError:
        pass
    else:
        # "2026-05-14" alone: start or end of that day? Refuse rather than guess.
        raise ValueError(f"Termijn {tekst!r} mist een tijd; geef bijv. '{tekst}T13:00'.")
    try:
        parsed = dt.datetime.fromisoformat(tekst)
    except ValueError:
        raise ValueError(
            f"Onbekende termijn {tekst!r}: kies {keuzes} "
            "of geef een tijdstip als '2026-05-14T13:00+02:00'."
        ) from None
    # The deadline picker in the UI works in local time, so a time without an
    # offset means wall-clock time in ``zone`` (gap/overlap: see resolve_local).
    deadline = resolve_local(parsed, zone) if parsed.tzinfo is None else parsed.astimezone(zone)
    if _utc(deadline) <= _utc(asked_at):
        raise ValueError(
            f"Termijn {deadline:%d-%m-%Y %H:%M} ligt niet na het vraagmoment "
            f"{asked_at.astimezone(zone):%d-%m-%Y %H:%M}."
        )
    return deadline


def compute_deadline(
    preset_or_iso: str,
    asked_at: dt.datetime,
    tz: str | dt.tzinfo = AMSTERDAM,
    *,
    office_hours: OfficeHours | str | None = None,
) -> dt.datetime:
    """Deadline for an adviesvraag asked at ``asked_at``.

    ``tz`` is the zone whose wall clock the presets use ("13:00", "same time
    7 days later"); the result is expressed in it.

    ``office_hours`` is the VH's ``bereikbaar`` (string or parsed); default
    ``"ma-vr 08:30-17:00"``. Definitions:

    ``"volgende-werkdag-13"``
        13:00 local on the first working day *after* the asking day, where the
        asking day is the date of :func:`effective_asking_moment`. Asked on a
        working day before 13:00 still gives the *next* working day: the VH
        must screen the case first (ZWB routekaart: phone advice "de volgende
        werkdag vóór 13:00"). Asked Friday 18:00 or Saturday night: the VH sees
        it Monday morning, so the advice is due Tuesday 13:00. The time stays
        13:00 even if the office closes earlier that day.
    ``"5-werkdagen"``
        End of the office day (the last closing time that weekday, 17:00 if the
        hours give none) of the 5th working day after the asking day, again from
        the effective asking moment.
    ``"24-uur"``
        Exactly 24 hours of elapsed time (UTC arithmetic). Across a DST change
        the wall clock shows 25 h (March) or 23 h (October) difference. Office
        hours play no part: the parties agreed on a clock.
    ``"7-dagen"``
        The same wall-clock time 7 calendar days later in ``tz``, so a DST
        change keeps the local time (167 or 169 real hours). Non-existent or
        ambiguous results are resolved by :func:`resolve_local`.
    an ISO 8601 timestamp
        Used as given (converted to ``tz``). Without an offset it is read as
        local wall-clock time in ``tz``. A date without time, a moment not
        after ``asked_at``, or any other text raises ``ValueError`` (Dutch).

    Working days: see the module docstring (weekends, NL public holidays per
    the ``holidays`` package, days the office has no hours).
    """
    zone = _zone(tz)
    _require_aware(asked_at, "Het vraagmoment")
    tekst = preset_or_iso.strip()
    try:
        preset = Preset(tekst.lower())
    except ValueError:
        return _custom_deadline(tekst, asked_at, zone)

    if preset is Preset.VIERENTWINTIG_UUR:
        return _add_elapsed(asked_at, dt.timedelta(hours=24), zone)
    if preset is Preset.ZEVEN_DAGEN:
        wall = asked_at.astimezone(zone).replace(tzinfo=None) + 7 * _DAG
        return resolve_local(wall, zone)

    kantoor = _office(office_hours, zone)
    vraagdag = effective_asking_moment(asked_at, kantoor).astimezone(kantoor.tz).date()
    if preset is Preset.VOLGENDE_WERKDAG_13:
        dag = _volgende_werkdag(vraagdag, kantoor)
        return resolve_local(dt.datetime.combine(dag, ADVIES_TIJDSTIP), kantoor.tz).astimezone(zone)
    dag = vraagdag
    for _ in range(5):
        dag = _volgende_werkdag(dag, kantoor)
    return kantoor.einde_kantoordag(dag).astimezone(zone)
