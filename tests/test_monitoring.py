"""Monitoring indicators: pure domain (pilot table, periods, rules) and the service.

The pilot tables of background-pilots-2014 §7.1 (MN and ZWB) are rebuilt from
synthetic events with exactly those counts; no database is needed for that.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from zsm_desk.domain.monitoring import (
    TZ,
    AdviesvraagEvent,
    ConsultEvent,
    DecisionEvent,
    ItemEvent,
    MonitorInput,
    OutboxEvent,
    Period,
    PurgeEvent,
    ReviewEvent,
    VhInfo,
    attribute_vh,
    compute,
    nl_count_pct,
    report_tables,
    short_name,
)

UTC = dt.UTC
ADULT = "1990-05-05"
MINOR = "2010-00-00"


# --- synthetic pilot events ---------------------------------------------------------------


def pilot_input(
    van: dt.date,
    tot: dt.date,
    adults: int,
    minors: int,
    split: list[tuple[str, str, str, int, int]],
) -> MonitorInput:
    """Items spread over the period; `split` = (code, naam, gemeente, adults, minors) known.

    Some known suspects are known at a second VH too, in three variants that the
    attribution rule must all resolve to the VH of the split.
    """
    vhs = [VhInfo(code, naam, (gem,)) for code, naam, gem, _, _ in split]
    codes = sorted(v.code for v in vhs)
    plan: list[tuple[bool, str, tuple[str, ...]]] = []
    for i, (code, _naam, gem, a, m) in enumerate(split):
        other = next(c for c in codes if c != code)
        for n in range(a + m):
            minor = n >= a
            if n % 7 == 0:  # also known elsewhere, lives in this VH's gemeente
                plan.append((minor, gem, (other, code)))
            elif n % 11 == 0 and code == codes[0]:  # lives elsewhere: first VH by code
                plan.append((minor, "Nergenshuizen", (codes[-1], code)))
            else:
                plan.append((minor, gem, (code,)))
        del i
    known_a = sum(1 for p in plan if not p[0])
    known_m = len(plan) - known_a
    plan += [(False, split[0][2], ())] * (adults - known_a)
    plan += [(True, split[0][2], ())] * (minors - known_m)
    random.Random(7).shuffle(plan)
    start = dt.datetime.combine(van, dt.time(0), TZ)
    end = dt.datetime.combine(tot + dt.timedelta(days=1), dt.time(0), TZ)
    step = (end - start) / len(plan)
    items = [
        ItemEvent(i, start + step * i, MINOR if minor else ADULT, gem, known)
        for i, (minor, gem, known) in enumerate(plan)
    ]
    return MonitorInput(Period(van, tot), vhs=vhs, items=items)


MN_SPLIT = [
    ("VH-UTR", "Utrecht", "Utrecht", 575, 91),
    ("VH-AMF", "Amersfoort", "Amersfoort", 265, 41),
    ("VH-FLE", "Almere", "Almere", 92, 15),
    ("VH-GV", "Gooi & Vechtstreek", "Hilversum", 81, 13),
]
ZWB_SPLIT = [
    ("VH-MB", "Midden-Brabant", "Tilburg", 612, 106),
    ("VH-ZL", "Zeeland", "Middelburg", 307, 53),
    ("VH-BR", "Breda", "Breda", 286, 49),
    ("VH-BOZ", "Bergen op Zoom", "Bergen op Zoom", 245, 42),
]


def table_rows(f: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(r["label"], *r["cellen"]) for r in f["instroom"]["tabel"]["rijen"]]


def test_pilot_table_mn_reproduced_exactly() -> None:
    f = compute(pilot_input(dt.date(2013, 9, 1), dt.date(2014, 4, 30), 9396, 2184, MN_SPLIT))
    assert f["instroom"]["tabel"]["kolommen"] == ["", "Meerderjarig", "Minderjarig", "Totaal"]
    assert table_rows(f) == [
        ("Ingestroomd op ZSM", "9.396 (81%)", "2.184 (19%)", "11.580 (100%)"),
        ("Eerder bekend bij het veiligheidshuis", "1.013 (11%)", "160 (7%)", "1.173 (10%)"),
        ("Verdeling per veiligheidshuis", "", "", ""),
        ("Utrecht", "575 (57%)", "91 (57%)", "666 (57%)"),
        ("Amersfoort", "265 (26%)", "41 (26%)", "306 (26%)"),
        ("Almere", "92 (9%)", "15 (9%)", "107 (9%)"),
        ("Gooi & Vechtstreek", "81 (8%)", "13 (8%)", "94 (8%)"),
    ]
    ins = f["instroom"]
    assert sum(v["totaal"] for v in ins["verdeling_per_vh"].values()) == ins["bekend"]["totaal"]
    assert ins["meervoudig_bekend"] > 0
    assert f["periode"]["maanden"][0] == "2013-09" and f["periode"]["maanden"][-1] == "2014-04"
    assert sum(m["ingestroomd"]["totaal"] for m in f["per_maand"]) == 11580
    assert sum(m["bekend"]["totaal"] for m in f["per_maand"]) == 1173


def test_pilot_table_zwb_reproduced_exactly() -> None:
    f = compute(pilot_input(dt.date(2013, 9, 1), dt.date(2014, 2, 28), 7400, 1037, ZWB_SPLIT))
    assert table_rows(f) == [
        ("Ingestroomd op ZSM", "7.400 (88%)", "1.037 (12%)", "8.437 (100%)"),
        ("Eerder bekend bij het veiligheidshuis", "1.450 (20%)", "250 (24%)", "1.700 (20%)"),
        ("Verdeling per veiligheidshuis", "", "", ""),
        ("Midden-Brabant", "612 (42%)", "106 (42%)", "718 (42%)"),
        ("Zeeland", "307 (21%)", "53 (21%)", "360 (21%)"),
        ("Breda", "286 (20%)", "49 (20%)", "335 (20%)"),
        ("Bergen op Zoom", "245 (17%)", "42 (17%)", "287 (17%)"),
    ]


def test_same_events_same_figures_in_any_order() -> None:
    inp = pilot_input(dt.date(2013, 9, 1), dt.date(2014, 4, 30), 9396, 2184, MN_SPLIT)
    first = json.dumps(compute(inp), sort_keys=True)
    assert json.dumps(compute(inp), sort_keys=True) == first
    shuffled = list(inp.items)
    random.Random(3).shuffle(shuffled)
    again = MonitorInput(inp.period, vhs=list(reversed(inp.vhs)), items=shuffled)
    assert json.dumps(compute(again), sort_keys=True) == first


def test_attribution_rule() -> None:
    assert attribute_vh(["VH-UTR", "VH-AMF"], "VH-UTR") == "VH-UTR"
    assert attribute_vh(["VH-UTR", "VH-AMF"], "VH-GV") == "VH-AMF"
    assert attribute_vh(["VH-UTR", "VH-AMF"], None) == "VH-AMF"
    assert attribute_vh([], "VH-UTR") is None


def test_formatting() -> None:
    assert nl_count_pct(9396, 11580) == "9.396 (81%)"
    assert nl_count_pct(1234567, 1234567) == "1.234.567 (100%)"
    assert nl_count_pct(0, 0) == "0 (0%)"
    assert nl_count_pct(1, 8) == "1 (13%)"  # 12.5 rounds half up, as in the report
    assert short_name("Zorg- en Veiligheidshuis Regio Utrecht") == "Utrecht"
    assert short_name("Veiligheidshuis") == "Veiligheidshuis"


# --- periods and local midnight -------------------------------------------------------------


def _count(period: Period, stamps: list[dt.datetime]) -> int:
    items = [ItemEvent(i, t, ADULT) for i, t in enumerate(stamps)]
    return compute(MonitorInput(period, items=items))["instroom"]["ingestroomd"]["totaal"]


def u(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_period_cut_at_local_midnight_spring_forward() -> None:
    p = Period(dt.date(2026, 3, 29), dt.date(2026, 3, 29))  # 23 hours long
    assert p.start == u(2026, 3, 28, 23) and p.end == u(2026, 3, 29, 22)
    assert p.end - p.start == dt.timedelta(hours=23)
    stamps = [u(2026, 3, 28, 22, 59, 59), u(2026, 3, 28, 23), u(2026, 3, 29, 21, 59, 59),
              u(2026, 3, 29, 22)]  # fmt: skip
    assert _count(p, stamps) == 2
    assert _count(Period(dt.date(2026, 3, 28), dt.date(2026, 3, 28)), stamps) == 1
    assert _count(Period(dt.date(2026, 3, 30), dt.date(2026, 3, 30)), stamps) == 1


def test_period_cut_at_local_midnight_fall_back() -> None:
    p = Period(dt.date(2026, 10, 25), dt.date(2026, 10, 25))  # 25 hours long
    assert p.start == u(2026, 10, 24, 22) and p.end == u(2026, 10, 25, 23)
    stamps = [u(2026, 10, 24, 21, 59, 59), u(2026, 10, 24, 22), u(2026, 10, 25, 0, 30),
              u(2026, 10, 25, 1, 30), u(2026, 10, 25, 22, 59, 59), u(2026, 10, 25, 23)]  # fmt: skip
    assert _count(p, stamps) == 4
    assert _count(Period(dt.date(2026, 10, 24), dt.date(2026, 10, 24)), stamps) == 1
    assert _count(Period(dt.date(2026, 10, 26), dt.date(2026, 10, 26)), stamps) == 1


def test_months_are_local_months() -> None:
    p = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    items = [ItemEvent(1, u(2026, 3, 31, 22, 30), ADULT),  # 1 April 00:30 local
             ItemEvent(2, u(2026, 3, 31, 21, 30), ADULT)]  # fmt: skip
    f = compute(MonitorInput(p, items=items))
    by_month = {m["maand"]: m["ingestroomd"]["totaal"] for m in f["per_maand"]}
    assert by_month == {"2026-03": 1, "2026-04": 1}
    assert Period(dt.date(2025, 11, 3), dt.date(2026, 2, 1)).months() == [
        "2025-11", "2025-12", "2026-01", "2026-02"]  # fmt: skip
    with pytest.raises(ValueError):
        Period(dt.date(2026, 2, 2), dt.date(2026, 2, 1))


def test_age_on_instroom_date_youngest_possible() -> None:
    p = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    when = dt.datetime(2026, 3, 15, 12, tzinfo=TZ)
    items = [
        ItemEvent(1, when, "2008-03-00"),  # could be born 31 March: still 17 → minor
        ItemEvent(2, when, "2008-03-15"),  # 18 today → adult
        ItemEvent(3, when, "2008-00-00"),  # could be born 31 December → minor
        ItemEvent(4, when, "2007-00-00"),  # 18 at the latest on 31-12-2025 → adult
        ItemEvent(5, when, "onbekend"),  # unreadable: possibly minor (domain.age)
    ]
    g = compute(MonitorInput(p, items=items))["instroom"]["ingestroomd"]
    assert g == {"meerderjarig": 2, "minderjarig": 3, "totaal": 5}


def test_empty_period_gives_zeros_not_errors() -> None:
    vhs = [VhInfo("VH-UTR", "Veiligheidshuis Regio Utrecht", ("Utrecht",))]
    f = compute(MonitorInput(Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31)), vhs=vhs))
    assert f["instroom"]["ingestroomd"] == {"meerderjarig": 0, "minderjarig": 0, "totaal": 0}
    assert table_rows(f)[0] == ("Ingestroomd op ZSM", "0 (0%)", "0 (0%)", "0 (0%)")
    assert table_rows(f)[-1] == ("Veiligheidshuis Regio Utrecht", "0 (0%)", "0 (0%)", "0 (0%)")
    assert f["terugkoppeling"]["verwacht"] == 0 and f["terugkoppeling"]["aandeel"] == 0.0
    assert f["terugkoppeling"]["mediaan_uren"] is None
    assert f["adviesvragen"]["aantal"] == 0 and f["adviesleeftijd"]["inzages"] == 0
    assert f["advies"]["motiveringen"] == [] and f["opgeschoond"] == {}
    assert [m["maand"] for m in f["per_maand"]] == ["2026-01"]
    assert report_tables(f)  # renders without data
    json.dumps(f)


# --- the other indicators ----------------------------------------------------------------------


def _scenario() -> MonitorInput:
    p = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    t0 = dt.datetime(2026, 11, 10, 9, tzinfo=TZ)
    h = dt.timedelta(hours=1)
    vhs = [VhInfo("VH-UTR", "Veiligheidshuis Regio Utrecht", ("Utrecht",)),
           VhInfo("VH-AMF", "Veiligheidshuis Amersfoort", ("Amersfoort",))]  # fmt: skip
    items = [
        ItemEvent(1, t0, ADULT, "Utrecht", ("VH-UTR", "VH-AMF")),
        ItemEvent(2, t0, MINOR, "Amersfoort", ("VH-AMF",)),
        ItemEvent(3, t0, ADULT, "Utrecht", ()),  # unknown; an advising VH got feedback
        ItemEvent(4, t0 - 40 * 24 * h, ADULT, "Utrecht", ("VH-UTR",)),  # instroom in October
    ]
    decisions = [
        DecisionEvent(1, t0 + 2 * h, "nee", "Recidive sinds het advies; voorgeleid."),
        DecisionEvent(2, t0 + 3 * h, "ja"),
        DecisionEvent(3, t0 + 4 * h, "deels", "Alleen het contactverbod overgenomen."),
        DecisionEvent(4, t0 + 5 * h, "geen advies"),
    ]
    tk = "terugkoppeling"
    outbox = [
        OutboxEvent(tk, "VH-UTR", "verzonden", t0 + 2 * h, 1, sent_at=t0 + 4 * h),  # 2 h
        OutboxEvent(tk, "VH-AMF", "in digest", t0 + 2 * h, 1, digest_state="verzonden",
                    digest_sent_at=t0 + 12 * h),  # 10 h, via the daily digest
        OutboxEvent(tk, "VH-AMF", "mislukt", t0 + 3 * h, 2),  # not sent
        OutboxEvent(tk, "VH-UTR", "verzonden", t0 + 4 * h, 3, sent_at=t0 + 10 * h),  # 6 h
        # item 4: no message at all; a purged case's message still counts:
        OutboxEvent(tk, "VH-AMF", "verzonden", t0, None, sent_at=t0 + 8 * h,
                    decided_at=t0 + 7 * h, minderjarig=True),  # 1 h
        OutboxEvent("aanmelding", "VH-UTR", "verzonden", t0, 99, sent_at=t0 + h),
        OutboxEvent("aanmelding", "VH-AMF", "klaar", t0, 98, minderjarig=True),
        OutboxEvent("aanmelding", "VH-AMF", "verzonden", t0 - 30 * 24 * h, 97),  # October
    ]  # fmt: skip
    vragen = [
        AdviesvraagEvent("VH-UTR", t0, t0 + 6 * h, beantwoord_op=t0 + 2 * h, besloten_op=t0 + 3 * h),
        AdviesvraagEvent("VH-UTR", t0, t0 + 6 * h, beantwoord_op=t0 + 8 * h, besloten_op=t0 + 7 * h),
        AdviesvraagEvent("VH-AMF", t0, t0 + 6 * h, zonder_advies_op=t0 + 6 * h),
        AdviesvraagEvent("VH-AMF", t0, t0 + 6 * h),  # still open, no decision yet
    ]  # fmt: skip
    day = dt.date(2026, 11, 10)
    consults = [
        ConsultEvent(t0, "VH-UTR", day - dt.timedelta(days=90)),
        ConsultEvent(t0, "VH-UTR", dt.date(2026, 5, 10)),  # exactly 6 months: older than 6
        ConsultEvent(t0, "VH-AMF", dt.date(2025, 9, 1)),  # over 12 months
        ConsultEvent(t0, "VH-AMF", None),  # purged case: skipped
    ]
    reviews = [
        ReviewEvent("VH-UTR", "bevestigd", t0),
        ReviewEvent("VH-UTR", "afgewezen", t0),
        ReviewEvent("VH-AMF", "afgewezen", t0),
        ReviewEvent("VH-AMF", "bevestigd", t0 + 30 * 24 * h),  # December
    ]
    purges = [PurgeEvent(t0, "sepot-01", 2), PurgeEvent(t0 + 30 * 24 * h, "sepot-01", 5)]
    return MonitorInput(p, vhs=vhs, items=items, decisions=decisions, outbox=outbox,
                        adviesvragen=vragen, consults=consults, reviews=reviews,
                        purges=purges)  # fmt: skip


def test_terugkoppeling_pairs_digest_and_median() -> None:
    f = compute(_scenario())
    tk = f["terugkoppeling"]
    # pairs: (1,UTR) sent, (1,AMF) sent via digest, (2,AMF) not, (3,UTR) sent,
    # (4,UTR) not, purged case (AMF) sent
    assert (tk["verwacht"], tk["verzonden"]) == (6, 4)
    assert tk["beslissingen_bekend"] == 5 and tk["beslissingen_volledig_teruggekoppeld"] == 3
    assert tk["aandeel"] == round(4 / 6, 4)
    assert tk["mediaan_uren"] == 4.0  # median of 2, 10, 6, 1
    assert tk["per_leeftijd"]["verzonden"] == {"meerderjarig": 3, "minderjarig": 1, "totaal": 4}
    per = {v["vh_code"]: v["terugkoppeling"] for v in f["per_vh"]}
    assert (per["VH-UTR"]["verwacht"], per["VH-UTR"]["verzonden"]) == (3, 2)
    assert (per["VH-AMF"]["verwacht"], per["VH-AMF"]["verzonden"]) == (3, 2)
    nov = f["per_maand"][0]["terugkoppeling"]
    assert nov["per_vh"]["VH-UTR"] == {"verwacht": 3, "verzonden": 2, "aandeel": 0.6667}


def test_advice_followed_with_motivations() -> None:
    f = compute(_scenario())
    ad = f["advies"]
    assert ad["aantallen"] == {"ja": 1, "deels": 1, "nee": 1, "geen advies": 1}
    assert ad["motiveringen"] == [
        {"maand": "2026-11", "vh_code": "VH-UTR", "advies_gevolgd": "nee",
         "motivering": "Recidive sinds het advies; voorgeleid."},
        {"maand": "2026-11", "vh_code": "VH-UTR", "advies_gevolgd": "deels",
         "motivering": "Alleen het contactverbod overgenomen."},
    ]  # fmt: skip
    assert ad["per_vh"]["VH-AMF"]["ja"] == 1


def test_adviesvragen_aanmeldingen_age_hits_purges() -> None:
    f = compute(_scenario())
    q = f["adviesvragen"]
    assert (q["aantal"], q["beantwoord"], q["voor_deadline"], q["zonder_advies"]) == (4, 2, 1, 2)
    assert q["mediaan_antwoord_uren"] == 5.0 and q["aandeel_voor_deadline"] == 0.25
    a = f["aanmeldingen"]
    assert (a["aantal"], a["verzonden"], a["minderjarig"]) == (2, 1, 1)
    assert a["per_vh"]["VH-AMF"] == {"aantal": 1, "verzonden": 0}
    g = f["adviesleeftijd"]
    assert (g["inzages"], g["ouder_dan_6_maanden"], g["ouder_dan_12_maanden"]) == (3, 2, 1)
    assert g["niet_herleidbaar"] == 1 and g["aandeel_ouder_dan_6_maanden"] == 0.6667
    assert (f["hits"]["bevestigd"], f["hits"]["afgewezen"]) == (1, 2)
    assert f["opgeschoond"] == {"sepot-01": 2}
    # known at two VHs, lives in Utrecht → counted at Utrecht only
    assert f["instroom"]["verdeling_per_vh"]["VH-UTR"]["totaal"] == 1
    assert f["instroom"]["meervoudig_bekend"] == 1
    # item 4 entered in October: not in November's instroom, its decision is
    assert f["instroom"]["ingestroomd"]["totaal"] == 3


def test_report_tables_and_renderers_without_database(tmp_path: Path) -> None:
    from zsm_desk.services.monitoring.monitoring import to_csv, to_pdf, to_xlsx

    f = compute(_scenario())
    keys = [t.key for t in report_tables(f)]
    assert keys[:3] == ["instroom", "per_maand", "per_vh"]
    for t in report_tables(f):
        assert all(len(r) == len(t.kolommen) for r in t.rijen), t.key
    csv_bytes = to_csv(f)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    text = csv_bytes.decode("utf-8-sig")
    assert "Ingestroomd op ZSM;2 (67%);1 (33%);3 (100%)" in text
    assert to_pdf(f).startswith(b"%PDF")
    from openpyxl import load_workbook

    (tmp_path / "m.xlsx").write_bytes(to_xlsx(f))
    wb = load_workbook(tmp_path / "m.xlsx")
    assert wb.sheetnames[:3] == ["Instroom", "Per maand", "Per veiligheidshuis"]
    assert "Advies" in wb.sheetnames and "Opschoning" in wb.sheetnames
    # empty period renders too
    empty = compute(MonitorInput(Period(dt.date(2026, 1, 1), dt.date(2026, 1, 1))))
    assert to_pdf(empty).startswith(b"%PDF") and to_xlsx(empty) and to_csv(empty)


def test_spreadsheet_cells_never_become_formulas() -> None:
    from zsm_desk.services.monitoring.monitoring import to_csv

    inp = _scenario()
    evil = DecisionEvent(3, dt.datetime(2026, 11, 12, tzinfo=TZ), "nee", '=HYPERLINK("x")')
    inp = MonitorInput(inp.period, vhs=inp.vhs, items=inp.items,
                       decisions=[*inp.decisions[:2], evil])  # fmt: skip
    import csv
    import io

    rows = list(csv.reader(io.StringIO(to_csv(compute(inp)).decode("utf-8-sig")), delimiter=";"))
    assert ["2026-11", "–", "nee", '\'=HYPERLINK("x")'] in rows


# --- the service on SQLite and PostgreSQL ---------------------------------------------------------

SECRET_BVH = "PL0900-2026999001"
SECRET_NAME = "Geheimhoudingsma"


def seed_small(app: Any) -> None:
    """Three suspects in November 2026, one purged technical sepot, and its traces."""
    from sqlalchemy import delete

    from zsm_desk.services.storage import audit
    from zsm_desk.services.storage.models import (
        Adviesvraag,
        Decision,
        Match,
        OutboxMessage,
        PurgeRecord,
        RegisterMarking,
        Veiligheidshuis,
    )
    from zsm_desk.services.storage.models import InstroomItem as ItemRow

    t0 = dt.datetime(2026, 11, 10, 9, tzinfo=TZ)
    h = dt.timedelta(hours=1)
    with app.db.session() as s:
        s.add_all([
            Veiligheidshuis(code="VH-UTR", naam="Veiligheidshuis Regio Utrecht",
                            mailbox="utr@vh.example.org", gemeenten=["Utrecht"]),
            Veiligheidshuis(code="VH-AMF", naam="Veiligheidshuis Amersfoort",
                            mailbox="amf@vh.example.org", gemeenten=["Amersfoort"]),
        ])  # fmt: skip

        def item(n: int, geb: str, gem: str, when: dt.datetime, naam: str = "Jansen") -> ItemRow:
            row = ItemRow(bvh_nummer=f"PL0900-20260000{n:02d}", ingestroomd_op=when,
                          achternaam=naam, voornamen="Piet", geboortedatum=geb, feit="Diefstal",
                          status="afgedaan", updated_at=when, gemeente=gem)  # fmt: skip
            s.add(row)
            return row

        def marking(vh: str, pid: str, adv: dt.date) -> RegisterMarking:
            row = RegisterMarking(vh_code=vh, persoon_id=pid, achternaam="Jansen",
                                  voornamen="Piet", geboortedatum=ADULT, slagzin="Let op.",
                                  advies_datum=adv, imported_at=t0)  # fmt: skip
            s.add(row)
            return row

        a = item(1, ADULT, "Utrecht", t0)
        b = item(2, MINOR, "Amersfoort", t0 + h)
        c = item(3, ADULT, "Utrecht", t0 + 2 * h)
        late = item(4, ADULT, "Utrecht", dt.datetime(2026, 12, 1, 0, 30, tzinfo=TZ))  # December
        m1 = marking("VH-UTR", "U1", dt.date(2026, 1, 5))  # 10 months old at consult
        m2 = marking("VH-AMF", "A1", dt.date(2026, 9, 1))
        m3 = marking("VH-AMF", "A2", dt.date(2024, 1, 1))
        m4 = marking("VH-UTR", "U2", dt.date(2026, 10, 1))
        s.flush()
        s.add_all([
            Match(item_id=a.id, marking_id=m1.id, status="bekend", score=0.99, reden="bsn"),
            Match(item_id=a.id, marking_id=m2.id, status="mogelijk", score=0.8, reden="naam",
                  review="bevestigd", reviewed_by="x", reviewed_at=t0 + h),
            Match(item_id=b.id, marking_id=m3.id, status="mogelijk", score=0.7, reden="naam",
                  review="afgewezen", reviewed_by="x", reviewed_at=t0 + h),
            Match(item_id=c.id, marking_id=m4.id, status="mogelijk", score=0.7, reden="naam"),
            Match(item_id=late.id, marking_id=m4.id, status="bekend", score=0.99, reden="bsn"),
        ])  # fmt: skip
        s.add_all([
            Decision(item_id=a.id, beslissing="dagvaarden", advies_gevolgd="deels",
                     motivering="Contactverbod overgenomen, geen meldplicht.",
                     besloten_door="ovj", besloten_op=t0 + 3 * h),
            Decision(item_id=b.id, beslissing="halt", besloten_door="ovj",
                     besloten_op=t0 + 4 * h),
        ])  # fmt: skip

        def msg(n: int, soort: str, item_id: int | None, vh: str, state: str,
                sent: dt.datetime | None, **kw: Any) -> OutboxMessage:  # fmt: skip
            row = OutboxMessage(ref=f"ZSM-MN-20261110-00000{n}", soort=soort, item_id=item_id,
                                vh_code=vh, mailbox="x@vh.example.org",
                                message_id=f"<{n}@zsm.example.org>", state=state, payload={},
                                created_at=t0 + 3 * h, sent_at=sent, **kw)  # fmt: skip
            s.add(row)
            return row

        digest = msg(1, "digest", None, "VH-AMF", "verzonden", t0 + 9 * h)
        s.flush()
        msg(2, "terugkoppeling", a.id, "VH-UTR", "verzonden", t0 + 5 * h, decided_at=t0 + 3 * h)
        msg(3, "terugkoppeling", a.id, "VH-AMF", "in digest", None, digest_id=digest.id,
            decided_at=t0 + 3 * h)  # fmt: skip
        msg(4, "aanmelding", c.id, "VH-UTR", "klaar", None)
        s.add(Adviesvraag(item_id=a.id, vh_code="VH-UTR", vraag="Actueel advies?", termijn="6 uur",
                          gesteld_door="ps", gesteld_op=t0 + h, deadline=t0 + 7 * h,
                          beantwoord_op=t0 + 2 * h))  # fmt: skip
        # the technical sepot: consulted, decided, then purged without a trace
        secret = item(9, ADULT, "Utrecht", t0 + 5 * h, naam=SECRET_NAME)
        secret.bvh_nummer = SECRET_BVH
        s.flush()
        sm = Match(item_id=secret.id, marking_id=m1.id, status="bekend", score=0.99, reden="bsn")
        s.add(sm)
        s.flush()
        for iid, codes in ((a.id, ["VH-UTR", "VH-AMF"]), (secret.id, ["VH-UTR"])):
            audit.append(s, app.account, audit.VIEW_VH, item_id=iid, purpose="afstemmingsoverleg",
                         detail={"vh_codes": codes}, at=t0 + 2 * h)  # fmt: skip
        s.execute(delete(ItemRow).where(ItemRow.id == secret.id))
        s.add(PurgeRecord(at=t0 + 6 * h, reden="sepot-01", aantal=1))


def test_service_on_both_databases(app: Any) -> None:
    from zsm_desk.services.monitoring import monitoring

    seed_small(app)
    with app.db.session() as s:
        f = monitoring.figures(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30),
                               roles=app.roles())  # fmt: skip
    with app.db.session() as s:
        again = monitoring.figures(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert json.dumps(f, sort_keys=True) == json.dumps(again, sort_keys=True)
    ins = f["instroom"]
    assert ins["ingestroomd"] == {"meerderjarig": 2, "minderjarig": 1, "totaal": 3}
    # a: certain at UTR + confirmed at AMF (lives in Utrecht → UTR); b: rejected; c: unreviewed
    assert ins["bekend"] == {"meerderjarig": 1, "minderjarig": 0, "totaal": 1}
    assert ins["verdeling_per_vh"]["VH-UTR"]["totaal"] == 1 and ins["meervoudig_bekend"] == 1
    tk = f["terugkoppeling"]
    assert (tk["verwacht"], tk["verzonden"], tk["mediaan_uren"]) == (2, 2, 4.0)
    assert f["advies"]["aantallen"]["deels"] == 1
    assert f["advies"]["motiveringen"][0]["motivering"].startswith("Contactverbod")
    assert f["adviesvragen"]["aantal"] == 1 and f["adviesvragen"]["voor_deadline"] == 1
    assert f["adviesvragen"]["mediaan_antwoord_uren"] == 1.0
    assert f["aanmeldingen"]["aantal"] == 1 and f["aanmeldingen"]["verzonden"] == 0
    g = f["adviesleeftijd"]
    assert (g["inzages"], g["ouder_dan_6_maanden"], g["ouder_dan_12_maanden"]) == (2, 1, 0)
    assert g["niet_herleidbaar"] == 1  # the purged case's consult is skipped
    assert (f["hits"]["bevestigd"], f["hits"]["afgewezen"]) == (1, 1)
    assert f["opgeschoond"] == {"sepot-01": 1}
    with app.db.session() as s:
        dec = monitoring.figures(s, dt.date(2026, 12, 1), dt.date(2026, 12, 1))
        empty = monitoring.figures(s, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert dec["instroom"]["bekend"]["totaal"] == 1  # 00:30 local on 1 December
    assert empty["instroom"]["ingestroomd"]["totaal"] == 0 and len(empty["per_maand"]) == 12


def test_purged_case_not_identifiable(app: Any, tmp_path: Path) -> None:
    from zsm_desk.services.monitoring import monitoring

    seed_small(app)
    with app.db.session() as s:
        f = monitoring.figures(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    outputs = [json.dumps(f, ensure_ascii=False).encode(), monitoring.to_csv(f)]
    for blob in outputs:
        text = blob.decode("utf-8-sig")
        assert SECRET_BVH not in text and SECRET_NAME not in text
        assert "PL0900" not in text and "Jansen" not in text  # no bvh or name of anyone
    (tmp_path / "m.xlsx").write_bytes(monitoring.to_xlsx(f))
    from openpyxl import load_workbook

    cells = [str(c.value) for ws in load_workbook(tmp_path / "m.xlsx") for row in ws.iter_rows()
             for c in row if c.value is not None]  # fmt: skip
    assert not any("PL0900" in c or "Jansen" in c or SECRET_NAME in c for c in cells)
    assert f["opgeschoond"] == {"sepot-01": 1}


def test_cli_json_shape_audit_and_files(app: Any, tmp_path: Path, capsys: Any) -> None:
    from sqlalchemy import select

    from zsm_desk.cli import main
    from zsm_desk.services.storage.models import AuditEntry

    seed_small(app)
    url = app.db.url
    rc = main(["monitor", "--db", url, "--van", "2026-11-01", "--tot", "2026-11-30", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["schema"] == "zsm-monitor/1"
    assert set(out) == {"schema", "periode", "zsm_locatie", "veiligheidshuizen", "instroom",
                        "terugkoppeling", "advies", "adviesvragen", "aanmeldingen",
                        "adviesleeftijd", "hits", "opgeschoond", "per_vh", "per_maand"}  # fmt: skip
    assert set(out["instroom"]) == {"ingestroomd", "bekend", "aandeel_bekend", "verdeling_per_vh",
                                    "meervoudig_bekend", "tabel"}  # fmt: skip
    assert out["periode"] == {"van": "2026-11-01", "tot": "2026-11-30",
                              "tijdzone": "Europe/Amsterdam", "maanden": ["2026-11"]}  # fmt: skip
    files = {k: tmp_path / f"m.{k}" for k in ("pdf", "csv", "xlsx")}
    rc = main(["monitor", "--db", url, "--van", "2026-11-01", "--tot", "2026-11-30",
               "--pdf", str(files["pdf"]), "--csv", str(files["csv"]),
               "--xlsx", str(files["xlsx"])])  # fmt: skip
    assert rc == 0
    for p in files.values():
        assert p.stat().st_mode & 0o777 == 0o600
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    assert files["csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    with app.db.session() as s:
        lines = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "export")).scalars()
        formats = [d["formaten"] for d in lines if d.get("soort") == "monitor"]
    assert formats == [["json"], ["csv", "pdf", "xlsx"]]


def test_cli_refuses_without_role_and_bad_dates(app: Any, capsys: Any) -> None:
    from zsm_desk.cli import main
    from zsm_desk.services.storage.models import UserRole

    url = app.db.url
    assert main(["monitor", "--db", url, "--van", "2026-13-01", "--tot", "2026-11-30"]) == 2
    assert main(["monitor", "--db", url, "--van", "2026-11-30", "--tot", "2026-11-01"]) == 2
    with app.db.session() as s:
        row = s.get(UserRole, app.account)
        row.roles = ["parketsecretaris"]
    assert main(["monitor", "--db", url, "--van", "2026-11-01", "--tot", "2026-11-30"]) == 2
    assert "geen recht" in capsys.readouterr().err
