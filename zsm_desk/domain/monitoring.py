"""Monitoring indicators for a period (pure computation; shape in README, "Monitor").

The service (`zsm_desk.services.monitoring.monitoring`) turns database rows into the plain
event records below; `compute` turns those into the figures, a JSON-able dict
with a stable shape (`SCHEMA`). Nothing here touches a database, a clock or
the network, so the same events always give the same figures.

Counting rules (also in README, "Monitor"):

* **Period.** ``van``..``tot`` are local dates (Europe/Amsterdam), both
  inclusive: from 00:00 local time on ``van`` to 00:00 local time on the day
  after ``tot``, so a period cuts correctly across the summer-time changes.
  Months are local calendar months (``YYYY-MM``).
* **Age group.** Age on the local date of instroom; an unknown birth day or
  month gives the youngest possible age (`PartialDate.age_on`); under 18 is
  *minderjarig*. An unreadable birth date counts as possibly minor (`domain.age`).
* **Known ("eerder bekend").** A suspect with at least one certain hit
  (matcher verdict ``bekend`` or a confirmed ``mogelijk`` hit) on an active
  marking. Unreviewed ``mogelijk`` hits do not count.
* **Split per VH.** Each known suspect counts once, so the split sums to the
  known total (as in the pilot table): at the VH that serves the suspect's
  gemeente if that VH knows them, otherwise at the first knowing VH by code.
  How many were known at more than one VH is reported separately.
* **Terugkoppeling** is counted per (decision, veiligheidshuis) pair: every VH
  that knows the suspect, plus any VH a terugkoppeling was composed for
  (advising VH, VH of the family). A pair is fed back when a terugkoppeling for
  that item and VH was sent, itself or as member of a daily digest that was
  sent. Messages whose case was purged still count by their ``decided_at``.
* **Privacy.** The figures hold counts, shares, medians, VH codes and the
  motivations typed by officers; never a bvh-nummer, parketnummer, name or
  internal id. A purged case only appears as a count per purge reason.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from zsm_desk.domain.age import age_on
from zsm_desk.domain.freshness import Freshness, freshness, whole_months

TZ = ZoneInfo("Europe/Amsterdam")
SCHEMA = "zsm-monitor/1"
MEERDERJARIG_VANAF = 18

GROEPEN = ("meerderjarig", "minderjarig", "totaal")
ADVIES_WAARDEN = ("ja", "deels", "nee", "geen advies")
VERZONDEN = "verzonden"
SOORT_TERUGKOPPELING = "terugkoppeling"
SOORT_AANMELDING = "aanmelding"
BEVESTIGD = "bevestigd"
AFGEWEZEN = "afgewezen"

Figures = dict[str, Any]


# --- the period ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates, both inclusive."""

    van: dt.date
    tot: dt.date

    def __post_init__(self) -> None:
        if self.tot < self.van:
            raise ValueError("de einddatum ligt vóór de begindatum")

    @property
    def start(self) -> dt.datetime:
        """00:00 local time on `van`, as UTC (so comparisons never go by wall clock)."""
        return dt.datetime.combine(self.van, dt.time(0), TZ).astimezone(dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """00:00 local time on the day after `tot`, as UTC (exclusive)."""
        return dt.datetime.combine(self.tot + dt.timedelta(days=1), dt.time(0), TZ).astimezone(
            dt.UTC
        )

    def contains(self, ts: dt.datetime | None) -> bool:
        return ts is not None and self.start <= ts < self.end

    def months(self) -> list[str]:
        out = []
        y, m = self.van.year, self.van.month
        while (y, m) <= (self.tot.year, self.tot.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def local_date(ts: dt.datetime) -> dt.date:
    return ts.astimezone(TZ).date()


def month_of(ts: dt.datetime) -> str:
    d = local_date(ts)
    return f"{d.year:04d}-{d.month:02d}"


def is_minor_on(geboortedatum: str, on: dt.date) -> bool:
    """The one age rule (`domain.age`): youngest possible age, unreadable = possibly minor."""
    g = geboortedatum
    if len(g) == 10 and g[4] == "-" and g[7] == "-" and g[:4].isdigit() and g[5:7].isdigit() \
            and g[8:].isdigit() and g[5:7] != "00" and g[8:] != "00":  # fmt: skip
        # complete date: the common case, without the regex of PartialDate.parse
        y, m, d = int(g[:4]), int(g[5:7]), int(g[8:])
        if 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 28:
            return on.year - y - ((on.month, on.day) < (m, d)) < MEERDERJARIG_VANAF
    return age_on(g, on).minor


# --- event records --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VhInfo:
    code: str
    naam: str
    gemeenten: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ItemEvent:
    """An instroom item. Items outside the period may be given for decisions."""

    item_id: int
    ingestroomd_op: dt.datetime
    geboortedatum: str
    gemeente: str = ""
    known_vhs: tuple[str, ...] = ()  # VHs with a certain (or confirmed) hit


@dataclass(frozen=True, slots=True)
class DecisionEvent:
    item_id: int
    besloten_op: dt.datetime
    advies_gevolgd: str = "geen advies"
    motivering: str = ""


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """A terugkoppeling or aanmelding; digest facts filled in for digest members."""

    soort: str
    vh_code: str
    state: str
    created_at: dt.datetime
    item_id: int | None = None
    sent_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    minderjarig: bool = False
    digest_state: str | None = None
    digest_sent_at: dt.datetime | None = None

    @property
    def effective_sent_at(self) -> dt.datetime | None:
        if self.state == VERZONDEN and self.sent_at is not None:
            return self.sent_at
        if self.digest_state == VERZONDEN and self.digest_sent_at is not None:
            return self.digest_sent_at
        return None


@dataclass(frozen=True, slots=True)
class AdviesvraagEvent:
    vh_code: str
    gesteld_op: dt.datetime
    deadline: dt.datetime
    beantwoord_op: dt.datetime | None = None
    zonder_advies_op: dt.datetime | None = None
    besloten_op: dt.datetime | None = None  # the decision on the item, if any
    minderjarig: bool = False


@dataclass(frozen=True, slots=True)
class ConsultEvent:
    """One consulted marking ("inzage-vh"); `advies_datum` None = not resolvable."""

    at: dt.datetime
    vh_code: str
    advies_datum: dt.date | None


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    vh_code: str
    review: str  # bevestigd / afgewezen
    reviewed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PurgeEvent:
    at: dt.datetime
    reden: str
    aantal: int


@dataclass(frozen=True, slots=True)
class MonitorInput:
    period: Period
    vhs: Sequence[VhInfo] = ()
    items: Sequence[ItemEvent] = ()
    decisions: Sequence[DecisionEvent] = ()
    outbox: Sequence[OutboxEvent] = ()
    adviesvragen: Sequence[AdviesvraagEvent] = ()
    consults: Sequence[ConsultEvent] = ()
    reviews: Sequence[ReviewEvent] = ()
    purges: Sequence[PurgeEvent] = ()
    zsm_locatie: str = ""


# --- small helpers ----------------------------------------------------------------------


def share(part: int, whole: int) -> float:
    """Fraction rounded to 4 decimals; 0.0 for an empty whole."""
    return round(part / whole, 4) if whole else 0.0


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded half up as in the pilot report; 0 for an empty whole."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def nl_int(n: int) -> str:
    """Dutch thousands separator: 11580 → 11.580."""
    return f"{n:,}".replace(",", ".")


def nl_count_pct(part: int, whole: int) -> str:
    """`9.396 (81%)` as in the pilot table."""
    return f"{nl_int(part)} ({percent(part, whole)}%)"


def nl_number(x: float | None, decimals: int = 1) -> str:
    if x is None:
        return "–"
    return f"{x:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _median_hours(deltas: Iterable[dt.timedelta]) -> float | None:
    hours = [d.total_seconds() / 3600 for d in deltas]
    return round(statistics.median(hours), 2) if hours else None


def _groups() -> dict[str, int]:
    return dict.fromkeys(GROEPEN, 0)


def _add(counts: dict[str, int], minor: bool, n: int = 1) -> None:
    counts["minderjarig" if minor else "meerderjarig"] += n
    counts["totaal"] += n


def attribute_vh(known_vhs: Iterable[str], gemeente_vh: str | None) -> str | None:
    """The one VH a known suspect counts for in the split (see module docstring)."""
    if not known_vhs:
        return None
    codes = set(known_vhs)
    if gemeente_vh is not None and gemeente_vh in codes:
        return gemeente_vh
    return min(codes)


def short_name(naam: str) -> str:
    """`Zorg- en Veiligheidshuis Regio Utrecht` → `Utrecht`, for chart labels."""
    out = naam.strip()
    for prefix in ("Zorg- en Veiligheidshuis ", "Zorg- en veiligheidshuis ", "Veiligheidshuis ",
                   "Regio ", "regio "):  # fmt: skip
        if out.startswith(prefix) and len(out) > len(prefix):
            out = out[len(prefix) :]
    return out


def gemeente_map(vhs: Iterable[VhInfo]) -> dict[str, str]:
    out: dict[str, str] = {}
    for vh in sorted(vhs, key=lambda v: v.code):
        for g in vh.gemeenten:
            out.setdefault(g.strip().casefold(), vh.code)
    return out


class _PeriodClock:
    """Period bounds and local months precomputed in UTC (bisect, no time-zone maths per event)."""

    def __init__(self, p: Period) -> None:
        self.start, self.end = p.start, p.end
        self.keys = p.months()
        self.bounds: list[dt.datetime] = []
        for key in self.keys:
            y, m = int(key[:4]), int(key[5:])
            self.bounds.append(dt.datetime(y, m, 1, tzinfo=TZ).astimezone(dt.UTC))

    def contains(self, ts: dt.datetime | None) -> bool:
        return ts is not None and self.start <= ts < self.end

    def month_of(self, ts: dt.datetime) -> str:
        """Local month of a timestamp inside the period."""
        return self.keys[max(bisect.bisect_right(self.bounds, ts) - 1, 0)]


# --- the computation ------------------------------------------------------------------------


def compute(inp: MonitorInput) -> Figures:
    """All indicators for the period, as a JSON-able dict (README, "Monitor")."""
    p = inp.period
    months = p.months()
    clock = _PeriodClock(p)
    inside = clock.contains
    month_of = clock.month_of  # same result as the module function, without tz maths
    gem_vh = gemeente_map(inp.vhs)
    item_by_id = {it.item_id: it for it in inp.items}

    minor_cache: dict[int, bool] = {}

    def minor(it: ItemEvent) -> bool:
        m = minor_cache.get(it.item_id)
        if m is None:
            m = is_minor_on(it.geboortedatum, local_date(it.ingestroomd_op))
            minor_cache[it.item_id] = m
        return m

    def home_vh(it: ItemEvent) -> str | None:
        return gem_vh.get(it.gemeente.strip().casefold())

    codes: set[str] = {v.code for v in inp.vhs}

    # --- instroom and known -----------------------------------------------------------------
    ingestroomd = _groups()
    bekend = _groups()
    per_vh_bekend: dict[str, dict[str, int]] = defaultdict(_groups)
    meervoudig = 0
    m_instroom: dict[str, dict[str, int]] = {m: _groups() for m in months}
    m_bekend: dict[str, dict[str, int]] = {m: _groups() for m in months}
    m_vh_bekend: dict[str, Counter[str]] = {m: Counter() for m in months}
    instroom_per_vh: dict[str, dict[str, int]] = defaultdict(_groups)  # by gemeente's VH
    for it in inp.items:
        if not inside(it.ingestroomd_op):
            continue
        mi = minor(it)
        mo = month_of(it.ingestroomd_op)
        _add(ingestroomd, mi)
        _add(m_instroom[mo], mi)
        home = home_vh(it)
        if home is not None:
            _add(instroom_per_vh[home], mi)
        vh = attribute_vh(it.known_vhs, home)
        if vh is None:
            continue
        codes.add(vh)
        _add(bekend, mi)
        _add(m_bekend[mo], mi)
        _add(per_vh_bekend[vh], mi)
        m_vh_bekend[mo][vh] += 1
        if len(set(it.known_vhs)) > 1:
            meervoudig += 1

    # --- decisions: terugkoppeling and advice ---------------------------------------------------
    sent_by_pair: dict[tuple[int, str], dt.datetime | None] = {}
    outbox_vhs: dict[int, set[str]] = defaultdict(set)
    orphan_tk: list[OutboxEvent] = []
    aanmeldingen: list[OutboxEvent] = []
    for o in inp.outbox:
        if o.soort == SOORT_TERUGKOPPELING:
            if o.item_id is None:
                orphan_tk.append(o)
                continue
            key = (o.item_id, o.vh_code)
            outbox_vhs[o.item_id].add(o.vh_code)
            sent = o.effective_sent_at
            prev = sent_by_pair.get(key)
            if key not in sent_by_pair or (sent is not None and (prev is None or sent < prev)):
                sent_by_pair[key] = sent
        elif o.soort == SOORT_AANMELDING:
            aanmeldingen.append(o)

    tk_totaal = {"verwacht": 0, "verzonden": 0}
    tk_beslissingen = 0
    tk_volledig = 0
    tk_groups = {"verwacht": _groups(), "verzonden": _groups()}
    tk_per_vh: dict[str, dict[str, int]] = defaultdict(lambda: {"verwacht": 0, "verzonden": 0})
    tk_delta_vh: dict[str, list[dt.timedelta]] = defaultdict(list)
    tk_deltas: list[dt.timedelta] = []
    m_tk: dict[str, dict[str, int]] = {m: {"verwacht": 0, "verzonden": 0} for m in months}
    m_tk_vh: dict[str, dict[str, dict[str, int]]] = {m: {} for m in months}

    advies = dict.fromkeys(ADVIES_WAARDEN, 0)
    advies_vh: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ADVIES_WAARDEN, 0))
    motiveringen: list[tuple[tuple[dt.datetime, int], dict[str, Any]]] = []

    def count_pair(
        vh: str, mo: str, mi: bool, decided: dt.datetime, sent: dt.datetime | None
    ) -> None:
        codes.add(vh)
        tk_totaal["verwacht"] += 1
        _add(tk_groups["verwacht"], mi)
        tk_per_vh[vh]["verwacht"] += 1
        m_tk[mo]["verwacht"] += 1
        cell = m_tk_vh[mo].setdefault(vh, {"verwacht": 0, "verzonden": 0})
        cell["verwacht"] += 1
        if sent is not None:
            tk_totaal["verzonden"] += 1
            _add(tk_groups["verzonden"], mi)
            tk_per_vh[vh]["verzonden"] += 1
            m_tk[mo]["verzonden"] += 1
            cell["verzonden"] += 1
            delta = max(sent - decided, dt.timedelta(0))
            tk_deltas.append(delta)
            tk_delta_vh[vh].append(delta)

    for d in inp.decisions:
        if not inside(d.besloten_op):
            continue
        it = item_by_id.get(d.item_id)
        known = it.known_vhs if it else ()
        mi = minor(it) if it else False
        mo = month_of(d.besloten_op)
        extra = outbox_vhs.get(d.item_id)
        pair_vhs = sorted(set(known) | extra) if extra else sorted(set(known)) if known else []
        gevolgd = d.advies_gevolgd if d.advies_gevolgd in ADVIES_WAARDEN else "geen advies"
        related = bool(pair_vhs) or gevolgd != "geen advies"
        if pair_vhs:
            tk_beslissingen += 1
            all_sent = True
            for vh in pair_vhs:
                sent = sent_by_pair.get((d.item_id, vh))
                all_sent &= sent is not None
                count_pair(vh, mo, mi, d.besloten_op, sent)
            tk_volledig += all_sent
        if related:
            advies[gevolgd] += 1
            vh_attr = attribute_vh(pair_vhs, home_vh(it) if it else None)
            if vh_attr is not None:
                advies_vh[vh_attr][gevolgd] += 1
            if gevolgd in ("nee", "deels") and d.motivering.strip():
                motiveringen.append(
                    (
                        (d.besloten_op, d.item_id),
                        {
                            "maand": mo,
                            "vh_code": vh_attr,
                            "advies_gevolgd": gevolgd,
                            "motivering": d.motivering.strip(),
                        },
                    )
                )

    # Terugkoppelingen whose case was purged: the message is the evidence of the decision.
    for o in orphan_tk:
        decided = o.decided_at or o.created_at
        if not inside(decided):
            continue
        count_pair(o.vh_code, month_of(decided), o.minderjarig, decided, o.effective_sent_at)
        # counted as its own decision: the item is gone, so pairs cannot be grouped
        tk_beslissingen += 1
        tk_volledig += o.effective_sent_at is not None

    # --- aanmeldingen --------------------------------------------------------------------------
    aanm = {"aantal": 0, "verzonden": 0, "meerderjarig": 0, "minderjarig": 0}
    aanm_vh: dict[str, dict[str, int]] = defaultdict(lambda: {"aantal": 0, "verzonden": 0})
    m_aanm: dict[str, int] = dict.fromkeys(months, 0)
    for o in aanmeldingen:
        when = o.decided_at or o.created_at
        if not inside(when):
            continue
        codes.add(o.vh_code)
        aanm["aantal"] += 1
        aanm["minderjarig" if o.minderjarig else "meerderjarig"] += 1
        aanm_vh[o.vh_code]["aantal"] += 1
        m_aanm[month_of(when)] += 1
        if o.effective_sent_at is not None:
            aanm["verzonden"] += 1
            aanm_vh[o.vh_code]["verzonden"] += 1

    # --- adviesvragen ----------------------------------------------------------------------------
    av = {"aantal": 0, "beantwoord": 0, "voor_deadline": 0, "zonder_advies": 0}
    av_deltas: list[dt.timedelta] = []
    av_vh: dict[str, dict[str, int]] = defaultdict(
        lambda: {"aantal": 0, "beantwoord": 0, "voor_deadline": 0, "zonder_advies": 0}
    )
    av_delta_vh: dict[str, list[dt.timedelta]] = defaultdict(list)
    m_av: dict[str, int] = dict.fromkeys(months, 0)
    for q in inp.adviesvragen:
        if not inside(q.gesteld_op):
            continue
        codes.add(q.vh_code)
        row = av_vh[q.vh_code]
        av["aantal"] += 1
        row["aantal"] += 1
        m_av[month_of(q.gesteld_op)] += 1
        if q.beantwoord_op is not None:
            av["beantwoord"] += 1
            row["beantwoord"] += 1
            delta = max(q.beantwoord_op - q.gesteld_op, dt.timedelta(0))
            av_deltas.append(delta)
            av_delta_vh[q.vh_code].append(delta)
            if q.beantwoord_op <= q.deadline:
                av["voor_deadline"] += 1
                row["voor_deadline"] += 1
        without = q.zonder_advies_op is not None or (
            q.besloten_op is not None
            and (q.beantwoord_op is None or q.beantwoord_op > q.besloten_op)
        )
        if without:
            av["zonder_advies"] += 1
            row["zonder_advies"] += 1

    # --- age of the advice when consulted ---------------------------------------------------------
    age = {"inzages": 0, "ouder_dan_6_maanden": 0, "ouder_dan_12_maanden": 0, "niet_herleidbaar": 0}
    age_months: list[int] = []
    age_vh: dict[str, dict[str, int]] = defaultdict(
        lambda: {"inzages": 0, "ouder_dan_6_maanden": 0, "ouder_dan_12_maanden": 0}
    )
    for c in inp.consults:
        if not inside(c.at):
            continue
        if c.advies_datum is None:
            age["niet_herleidbaar"] += 1
            continue
        codes.add(c.vh_code)
        on = local_date(c.at)
        level = freshness(c.advies_datum, on).level
        age["inzages"] += 1
        age_vh[c.vh_code]["inzages"] += 1
        age_months.append(whole_months(c.advies_datum, on))
        if level != Freshness.ACTUEEL:
            age["ouder_dan_6_maanden"] += 1
            age_vh[c.vh_code]["ouder_dan_6_maanden"] += 1
        if level == Freshness.NIET_ACTUEEL:
            age["ouder_dan_12_maanden"] += 1
            age_vh[c.vh_code]["ouder_dan_12_maanden"] += 1

    # --- reviewed uncertain hits ---------------------------------------------------------------
    hits = {BEVESTIGD: 0, AFGEWEZEN: 0}
    hits_vh: dict[str, dict[str, int]] = defaultdict(lambda: {BEVESTIGD: 0, AFGEWEZEN: 0})
    m_hits: dict[str, dict[str, int]] = {m: {BEVESTIGD: 0, AFGEWEZEN: 0} for m in months}
    for r in inp.reviews:
        if r.review not in hits or not inside(r.reviewed_at):
            continue
        codes.add(r.vh_code)
        hits[r.review] += 1
        hits_vh[r.vh_code][r.review] += 1
        m_hits[month_of(r.reviewed_at)][r.review] += 1

    # --- purges (counts only) ----------------------------------------------------------------------
    purged: Counter[str] = Counter()
    for pr in inp.purges:
        if inside(pr.at):
            purged[pr.reden] += pr.aantal

    # --- assemble ------------------------------------------------------------------------------------
    names = {v.code: v.naam for v in inp.vhs}

    def bekend_totaal(c: str) -> int:
        return per_vh_bekend[c]["totaal"] if c in per_vh_bekend else 0

    # As in the pilot report: the VH with the most known suspects first.
    vh_order = sorted(codes, key=lambda c: (-bekend_totaal(c), c))

    def vh_dict(src: Mapping[str, Any], default: Any) -> dict[str, Any]:
        return {c: dict(src[c]) if c in src else default() for c in vh_order}

    per_vh_rows = []
    for c in vh_order:
        b = per_vh_bekend.get(c) or _groups()
        tk = tk_per_vh.get(c) or {"verwacht": 0, "verzonden": 0}
        q = av_vh.get(c) or dict.fromkeys(
            ("aantal", "beantwoord", "voor_deadline", "zonder_advies"), 0
        )
        a = age_vh.get(c) or dict.fromkeys(
            ("inzages", "ouder_dan_6_maanden", "ouder_dan_12_maanden"), 0
        )
        h = hits_vh.get(c) or {BEVESTIGD: 0, AFGEWEZEN: 0}
        ins = instroom_per_vh.get(c) or _groups()
        per_vh_rows.append(
            {
                "vh_code": c,
                "naam": names.get(c, c),
                "instroom_gemeente": ins["totaal"],
                "bekend": dict(b),
                "aandeel_van_bekend": share(b["totaal"], bekend["totaal"]),
                "terugkoppeling": {
                    "verwacht": tk["verwacht"],
                    "verzonden": tk["verzonden"],
                    "aandeel": share(tk["verzonden"], tk["verwacht"]),
                    "mediaan_uren": _median_hours(tk_delta_vh.get(c, ())),
                },
                "adviesvragen": {
                    **q,
                    "mediaan_antwoord_uren": _median_hours(av_delta_vh.get(c, ())),
                },
                "aanmeldingen": aanm_vh[c]["aantal"] if c in aanm_vh else 0,
                "adviesleeftijd": dict(a),
                "hits": dict(h),
            }
        )

    per_maand = []
    for mo in months:
        per_maand.append(
            {
                "maand": mo,
                "ingestroomd": m_instroom[mo],
                "bekend": m_bekend[mo],
                "bekend_per_vh": {c: m_vh_bekend[mo].get(c, 0) for c in vh_order},
                "terugkoppeling": {
                    **m_tk[mo],
                    "aandeel": share(m_tk[mo]["verzonden"], m_tk[mo]["verwacht"]),
                    "per_vh": {
                        c: {
                            **m_tk_vh[mo][c],
                            "aandeel": share(
                                m_tk_vh[mo][c]["verzonden"], m_tk_vh[mo][c]["verwacht"]
                            ),
                        }
                        for c in vh_order
                        if c in m_tk_vh[mo]
                    },
                },
                "adviesvragen": m_av[mo],
                "aanmeldingen": m_aanm[mo],
                "hits": m_hits[mo],
            }
        )

    motiveringen.sort(key=lambda t: t[0])
    figures: Figures = {
        "schema": SCHEMA,
        "periode": {
            "van": p.van.isoformat(),
            "tot": p.tot.isoformat(),
            "tijdzone": str(TZ),
            "maanden": months,
        },
        "zsm_locatie": inp.zsm_locatie,
        "veiligheidshuizen": [{"code": c, "naam": names.get(c, c)} for c in vh_order],
        "instroom": {
            "ingestroomd": ingestroomd,
            "bekend": bekend,
            "aandeel_bekend": {g: share(bekend[g], ingestroomd[g]) for g in GROEPEN},
            "verdeling_per_vh": vh_dict(per_vh_bekend, _groups),
            "meervoudig_bekend": meervoudig,
            "tabel": pilot_table(ingestroomd, bekend, per_vh_bekend, vh_order, names),
        },
        "terugkoppeling": {
            "beslissingen_bekend": tk_beslissingen,
            "beslissingen_volledig_teruggekoppeld": tk_volledig,
            "verwacht": tk_totaal["verwacht"],
            "verzonden": tk_totaal["verzonden"],
            "aandeel": share(tk_totaal["verzonden"], tk_totaal["verwacht"]),
            "mediaan_uren": _median_hours(tk_deltas),
            "per_leeftijd": tk_groups,
        },
        "advies": {
            "beslissingen": sum(advies.values()),
            "aantallen": advies,
            "aandelen": {k: share(v, sum(advies.values())) for k, v in advies.items()},
            "per_vh": vh_dict(advies_vh, lambda: dict.fromkeys(ADVIES_WAARDEN, 0)),
            "motiveringen": [m for _, m in motiveringen],
        },
        "adviesvragen": {
            **av,
            "aandeel_voor_deadline": share(av["voor_deadline"], av["aantal"]),
            "aandeel_zonder_advies": share(av["zonder_advies"], av["aantal"]),
            "mediaan_antwoord_uren": _median_hours(av_deltas),
        },
        "aanmeldingen": {**aanm, "per_vh": vh_dict(aanm_vh, lambda: {"aantal": 0, "verzonden": 0})},
        "adviesleeftijd": {
            **age,
            "aandeel_ouder_dan_6_maanden": share(age["ouder_dan_6_maanden"], age["inzages"]),
            "aandeel_ouder_dan_12_maanden": share(age["ouder_dan_12_maanden"], age["inzages"]),
            "mediaan_maanden": statistics.median(age_months) if age_months else None,
        },
        "hits": {**hits, "per_vh": vh_dict(hits_vh, lambda: {BEVESTIGD: 0, AFGEWEZEN: 0})},
        "opgeschoond": dict(sorted(purged.items())),
        "per_vh": per_vh_rows,
        "per_maand": per_maand,
    }
    return figures


# --- the pilot table ----------------------------------------------------------------------------


def pilot_table(
    ingestroomd: Mapping[str, int],
    bekend: Mapping[str, int],
    per_vh: Mapping[str, Mapping[str, int]],
    vh_order: Sequence[str],
    names: Mapping[str, str],
) -> dict[str, Any]:
    """The pilot report's table: rows × (meerderjarig, minderjarig, totaal).

    Ingestroomd: share of the total inflow; eerder bekend: share of the inflow
    of that group; verdeling per VH: share of the known suspects of that group.
    """
    rows: list[dict[str, Any]] = [
        {
            "label": "Ingestroomd op ZSM",
            "soort": "kop",
            "cellen": [nl_count_pct(ingestroomd[g], ingestroomd["totaal"]) for g in GROEPEN],
        },
        {
            "label": "Eerder bekend bij het veiligheidshuis",
            "soort": "kop",
            "cellen": [nl_count_pct(bekend[g], ingestroomd[g]) for g in GROEPEN],
        },
        {"label": "Verdeling per veiligheidshuis", "soort": "kop", "cellen": ["", "", ""]},
    ]
    for c in vh_order:
        counts = per_vh.get(c, {})
        rows.append(
            {
                "label": names.get(c, c),
                "soort": "vh",
                "vh_code": c,
                "cellen": [nl_count_pct(counts.get(g, 0), bekend[g]) for g in GROEPEN],
            }
        )
    return {"kolommen": ["", "Meerderjarig", "Minderjarig", "Totaal"], "rijen": rows}


# --- tables for exports and the window ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One table of the report: the same in the window, CSV, XLSX and PDF."""

    key: str
    titel: str
    kolommen: tuple[str, ...]
    rijen: tuple[tuple[str | int | float | None, ...], ...]
    groep: str = ""


def _pct(x: float) -> str:
    return f"{percent(round(x * 10000), 10000)}%"


def report_tables(f: Figures) -> list[ReportTable]:
    """All indicator tables in display order; cells are plain values."""
    tables: list[ReportTable] = []
    t = f["instroom"]["tabel"]
    tables.append(
        ReportTable(
            "instroom",
            "Instroom en eerder bekend bij het veiligheidshuis",
            tuple(t["kolommen"]),
            tuple((r["label"], *r["cellen"]) for r in t["rijen"]),
            "Instroom",
        )
    )

    names = {v["code"]: v["naam"] for v in f["veiligheidshuizen"]}
    codes = [v["code"] for v in f["veiligheidshuizen"]]
    rows: list[tuple[Any, ...]] = []
    for m in f["per_maand"]:
        tk = m["terugkoppeling"]
        rows.append(
            (
                m["maand"],
                m["ingestroomd"]["meerderjarig"],
                m["ingestroomd"]["minderjarig"],
                m["ingestroomd"]["totaal"],
                m["bekend"]["meerderjarig"],
                m["bekend"]["minderjarig"],
                m["bekend"]["totaal"],
                *(m["bekend_per_vh"].get(c, 0) for c in codes),
                tk["verwacht"],
                tk["verzonden"],
                _pct(tk["aandeel"]),
                m["adviesvragen"],
                m["aanmeldingen"],
                m["hits"][BEVESTIGD],
                m["hits"][AFGEWEZEN],
            )
        )
    tables.append(
        ReportTable(
            "per_maand",
            "Per maand",
            (
                "Maand",
                "Instroom meerderjarig",
                "Instroom minderjarig",
                "Instroom totaal",
                "Bekend meerderjarig",
                "Bekend minderjarig",
                "Bekend totaal",
                *(f"Bekend {c}" for c in codes),
                "Terugkoppeling verwacht",
                "Teruggekoppeld",
                "Aandeel teruggekoppeld",
                "Adviesvragen",
                "Aanmeldingen",
                "Hits bevestigd",
                "Hits afgewezen",
            ),
            tuple(rows),
            "Per maand",
        )
    )

    rows = []
    for v in f["per_vh"]:
        tk, q, a, h = v["terugkoppeling"], v["adviesvragen"], v["adviesleeftijd"], v["hits"]
        rows.append(
            (
                v["naam"],
                v["vh_code"],
                v["bekend"]["totaal"],
                _pct(v["aandeel_van_bekend"]),
                tk["verwacht"],
                tk["verzonden"],
                _pct(tk["aandeel"]),
                nl_number(tk["mediaan_uren"]),
                q["aantal"],
                q["voor_deadline"],
                v["aanmeldingen"],
                a["inzages"],
                a["ouder_dan_6_maanden"],
                a["ouder_dan_12_maanden"],
                h[BEVESTIGD],
                h[AFGEWEZEN],
            )
        )
    tables.append(
        ReportTable(
            "per_vh",
            "Per veiligheidshuis",
            (
                "Veiligheidshuis",
                "Code",
                "Bekend",
                "Aandeel van bekend",
                "Terugkoppeling verwacht",
                "Teruggekoppeld",
                "Aandeel teruggekoppeld",
                "Mediaan beslissing→verzending (uur)",
                "Adviesvragen",
                "Beantwoord vóór deadline",
                "Aanmeldingen",
                "Inzages advies",
                "Advies > 6 mnd",
                "Advies > 12 mnd",
                "Hits bevestigd",
                "Hits afgewezen",
            ),
            tuple(rows),
            "Per veiligheidshuis",
        )
    )

    tk = f["terugkoppeling"]
    tables.append(
        ReportTable(
            "terugkoppeling",
            "Terugkoppeling aan het veiligheidshuis",
            ("Indicator", "Waarde"),
            (
                ("Beslissingen over bekende cliënten", tk["beslissingen_bekend"]),
                (
                    "Beslissingen volledig teruggekoppeld",
                    tk["beslissingen_volledig_teruggekoppeld"],
                ),
                ("Terugkoppelingen verwacht (beslissing × veiligheidshuis)", tk["verwacht"]),
                ("Terugkoppelingen verzonden", tk["verzonden"]),
                ("Aandeel teruggekoppeld", _pct(tk["aandeel"])),
                ("Mediaan beslissing → verzending (uur)", nl_number(tk["mediaan_uren"])),
            ),
            "Terugkoppeling",
        )
    )

    ad = f["advies"]
    labels = {
        "ja": "Gevolgd",
        "deels": "Deels gevolgd",
        "nee": "Niet gevolgd",
        "geen advies": "Geen advies",
    }
    tables.append(
        ReportTable(
            "advies",
            "VH-advies gevolgd",
            ("Advies", "Aantal", "Aandeel"),
            tuple((labels[k], ad["aantallen"][k], _pct(ad["aandelen"][k])) for k in ADVIES_WAARDEN),
            "Advies",
        )
    )
    tables.append(
        ReportTable(
            "motiveringen",
            "Motiveringen bij niet of deels gevolgd advies",
            ("Maand", "Veiligheidshuis", "Advies gevolgd", "Motivering"),
            tuple(
                (
                    m["maand"],
                    names.get(m["vh_code"] or "", m["vh_code"] or "–"),
                    m["advies_gevolgd"],
                    m["motivering"],
                )
                for m in ad["motiveringen"]
            ),
            "Advies",
        )
    )

    q = f["adviesvragen"]
    tables.append(
        ReportTable(
            "adviesvragen",
            "Adviesvragen aan het veiligheidshuis",
            ("Indicator", "Waarde"),
            (
                ("Gesteld", q["aantal"]),
                ("Beantwoord", q["beantwoord"]),
                ("Mediaan antwoordtijd (uur)", nl_number(q["mediaan_antwoord_uren"])),
                ("Beantwoord vóór de deadline", q["voor_deadline"]),
                ("Aandeel vóór de deadline", _pct(q["aandeel_voor_deadline"])),
                ("Beslist zonder het antwoord", q["zonder_advies"]),
                ("Aandeel beslist zonder het antwoord", _pct(q["aandeel_zonder_advies"])),
            ),
            "Adviesvragen",
        )
    )

    a = f["aanmeldingen"]
    tables.append(
        ReportTable(
            "aanmeldingen",
            "Aanmeldingen van nieuwe complexe casussen",
            ("Veiligheidshuis", "Aanmeldingen", "Verzonden"),
            (
                *((names.get(c, c), v["aantal"], v["verzonden"]) for c, v in a["per_vh"].items()),
                ("Totaal", a["aantal"], a["verzonden"]),
            ),
            "Aanmeldingen",
        )
    )

    g = f["adviesleeftijd"]
    h = f["hits"]
    tables.append(
        ReportTable(
            "adviesleeftijd",
            "Leeftijd van het advies bij inzage",
            ("Indicator", "Waarde"),
            (
                ("Inzages van een advies", g["inzages"]),
                ("Ouder dan 6 maanden", g["ouder_dan_6_maanden"]),
                ("Aandeel ouder dan 6 maanden", _pct(g["aandeel_ouder_dan_6_maanden"])),
                ("Ouder dan 12 maanden", g["ouder_dan_12_maanden"]),
                ("Aandeel ouder dan 12 maanden", _pct(g["aandeel_ouder_dan_12_maanden"])),
                ("Mediaan leeftijd (maanden)", nl_number(g["mediaan_maanden"], 1)),
                ("Inzages niet meer herleidbaar (overgeslagen)", g["niet_herleidbaar"]),
            ),
            "Advies",
        )
    )
    tables.append(
        ReportTable(
            "hits",
            "Mogelijke hits beoordeeld",
            ("Veiligheidshuis", "Bevestigd", "Afgewezen"),
            (
                *((names.get(c, c), v[BEVESTIGD], v[AFGEWEZEN]) for c, v in h["per_vh"].items()),
                ("Totaal", h[BEVESTIGD], h[AFGEWEZEN]),
            ),
            "Hits",
        )
    )
    # Always present (possibly without rows), so every output has the same tables.
    tables.append(
        ReportTable(
            "opgeschoond",
            "Opgeschoonde zaken (alleen aantallen)",
            ("Reden", "Aantal"),
            tuple((k, v) for k, v in f["opgeschoond"].items()),
            "Opschoning",
        )
    )
    return tables
