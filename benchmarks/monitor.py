"""Benchmark: the monitoring figures over a year of data in SQLite.

    .venv/bin/python benchmarks/monitor.py [--items 20000] [--runs 5] [--db URL]

Builds (bulk insert, not timed) a year (2025) of synthetic data: `--items`
instroom items, ~12 % known (some at two VHs, some `mogelijk` hits reviewed),
a decision for ~90 % of the items, terugkoppelingen for decisions on known
suspects (~80 % sent, a third of them through a daily digest), aanmeldingen,
adviesvragen and "inzage-vh" audit lines. Then times `monitoring.figures` for
the whole year (load + compute; target < 2 s) `--runs` times and prints the
figures. No real persons; audit lines are inserted in bulk with dummy hashes,
so `audit verify` on this database fails by design.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from zsm_desk.domain.monitoring import TZ, Period, compute
from zsm_desk.services.monitoring import monitoring
from zsm_desk.services.storage.db import open_database
from zsm_desk.services.storage.models import (
    Adviesvraag,
    AuditEntry,
    AuditHead,
    Decision,
    Match,
    OutboxMessage,
    RegisterMarking,
    Veiligheidshuis,
)
from zsm_desk.services.storage.models import InstroomItem as ItemRow

VHS = {
    "VH-UTR": ("Veiligheidshuis Regio Utrecht", ["Utrecht", "Nieuwegein", "Zeist"]),
    "VH-AMF": ("Zorg- en Veiligheidshuis Regio Amersfoort", ["Amersfoort", "Soest"]),
    "VH-FLE": ("Zorg- en Veiligheidshuis Flevoland", ["Almere", "Lelystad"]),
    "VH-GV": ("Zorg- en Veiligheidshuis Gooi en Vechtstreek", ["Hilversum", "Huizen"]),
}


def build(url: str, n_items: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    db = open_database(url)
    t_year = dt.datetime(2025, 1, 1, tzinfo=TZ)
    now = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    counts: dict[str, int] = {}
    with db.session() as s:
        s.execute(insert(Veiligheidshuis), [
            {"code": c, "naam": n, "mailbox": f"{c.lower()}@vh.example.org", "gemeenten": g,
             "telefoon": "", "bereikbaar": "", "beveiligde_mail": True, "terugkoppeling": "direct",
             "register_url": ""} for c, (n, g) in VHS.items()
        ])  # fmt: skip
        codes = sorted(VHS)
        markings = []
        for i in range(4000):
            markings.append({
                "vh_code": codes[i % 4], "persoon_id": f"P{i:06d}", "achternaam": "Synthetisch",
                "voorvoegsel": "", "voornamen": "Demo", "geboortedatum": "1990-01-01", "bsn": "",
                "geboorteplaats": "", "gemeente": "", "doelgroep": "", "slagzin": "Synthetisch.",
                "advies": "", "doel_interventie": "", "context": "", "hg_historie": "",
                "advies_datum": dt.date(2025, 1, 1) - dt.timedelta(days=rng.randrange(0, 700)),
                "plan_van_aanpak": "", "contactpersoon": "", "contact_telefoon": "",
                "actief": rng.random() > 0.05, "imported_at": now,
            })  # fmt: skip
        s.execute(insert(RegisterMarking), markings)
        marking_ids = {
            c: [
                r.id
                for r in s.execute(select(RegisterMarking.id).where(RegisterMarking.vh_code == c))
            ]
            for c in codes
        }
        items = []
        for i in range(n_items):
            when = t_year + dt.timedelta(seconds=rng.randrange(0, 365 * 86400))
            code = rng.choice(codes)
            minor = rng.random() < 0.19
            geb = (
                f"{rng.randint(2008, 2012)}-00-00"
                if minor
                else f"{rng.randint(1960, 2005)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
            )
            items.append({
                "bvh_nummer": f"PL0900-2025{i:06d}", "parketnummer": "", "ingestroomd_op": when,
                "achternaam": "Synthetisch", "voorvoegsel": "", "voornamen": "Demo",
                "geboortedatum": geb, "geboorteplaats": "", "geslacht": "", "bsn": "",
                "woonplaats": "", "gemeente": rng.choice(VHS[code][1]), "feit": "Diefstal",
                "categorie": "", "status": "afgedaan", "updated_at": when, "vh_status": None,
                "vh_checked_at": None, "mogelijk_complex": False,
            })  # fmt: skip
        s.execute(insert(ItemRow), items)
        rows = s.execute(select(ItemRow.id, ItemRow.ingestroomd_op, ItemRow.gemeente)).all()
        gem_vh = {g: c for c, (_n, gs) in VHS.items() for g in gs}
        matches, decisions, outbox, vragen, audits = [], [], [], [], []
        digests: dict[tuple[str, dt.date], int] = {}
        ref = 0

        def msg(soort: str, item_id: int | None, vh: str, state: str, created: dt.datetime,
                sent: dt.datetime | None, **kw: object) -> dict[str, object]:  # fmt: skip
            nonlocal ref
            ref += 1
            return {"ref": f"ZSM-MN-2025-{ref:07d}", "soort": soort, "item_id": item_id,
                    "vh_code": vh, "mailbox": "x@vh.example.org",
                    "message_id": f"<{ref}@zsm.example.org>", "state": state, "payload": {},
                    "toelichting": "", "attempts": 1, "last_error": "", "created_at": created,
                    "sent_at": sent, "minderjarig": False, **kw}  # fmt: skip

        for item_id, when, gem in rows:
            home = gem_vh[gem]
            known: list[str] = []
            r = rng.random()
            if r < 0.12:
                known = [home] if rng.random() < 0.85 else [rng.choice(codes)]
                if rng.random() < 0.1:
                    known.append(rng.choice([c for c in codes if c not in known]))
                for vh in known:
                    matches.append({"item_id": item_id, "marking_id": rng.choice(marking_ids[vh]),
                                    "status": "bekend", "score": 0.99, "reden": "bsn",
                                    "details": []})  # fmt: skip
            elif r < 0.14:
                ok = rng.random() < 0.5
                vh = rng.choice(codes)
                matches.append({"item_id": item_id, "marking_id": rng.choice(marking_ids[vh]),
                                "status": "mogelijk", "score": 0.8, "reden": "naam", "details": [],
                                "review": "bevestigd" if ok else "afgewezen",
                                "reviewed_by": "bench", "reviewed_at": when + dt.timedelta(minutes=30)})  # fmt: skip
                if ok:
                    known = [vh]
            if known and rng.random() < 0.7:
                audits.append((when + dt.timedelta(minutes=40), item_id, known))
            if known and rng.random() < 0.15:
                asked = when + dt.timedelta(minutes=45)
                answered = (
                    asked + dt.timedelta(hours=rng.uniform(0.3, 10))
                    if rng.random() < 0.85
                    else None
                )
                vragen.append({"item_id": item_id, "vh_code": known[0], "vraag": "Actueel?",
                               "casusschets": "", "termijn": "6 uur", "gesteld_door": "bench",
                               "gesteld_op": asked, "deadline": asked + dt.timedelta(hours=6),
                               "antwoord": "", "antwoord_van": "", "antwoord_via": "",
                               "beantwoord_op": answered, "zonder_advies_reden": "",
                               "zonder_advies_op": None})  # fmt: skip
            if rng.random() > 0.9:
                continue
            decided = when + dt.timedelta(hours=rng.uniform(1, 8))
            gevolgd = (
                rng.choices(["ja", "deels", "nee", "geen advies"], [6, 2, 1, 2])[0]
                if known
                else "geen advies"
            )
            decisions.append({"item_id": item_id, "beslissing": "dagvaarden", "sepotcode": "",
                              "voorwaarden": "", "onderzoek_gepland": False,
                              "advies_gevolgd": gevolgd,
                              "motivering": "Synthetische motivering." if gevolgd in ("nee", "deels") else "",
                              "toelichting": "", "besloten_door": "bench", "namens": "",
                              "besloten_op": decided})  # fmt: skip
            for vh in known:
                roll = rng.random()
                if roll < 0.55:
                    outbox.append(msg("terugkoppeling", item_id, vh, "verzonden", decided,
                                      decided + dt.timedelta(minutes=rng.randrange(1, 600)),
                                      decided_at=decided))  # fmt: skip
                elif roll < 0.8:
                    day = decided.astimezone(TZ).date()
                    if (vh, day) not in digests:
                        digests[(vh, day)] = -1
                    outbox.append(msg("terugkoppeling", item_id, vh, "in digest", decided, None,
                                      decided_at=decided, _digest=(vh, day)))  # fmt: skip
                else:
                    outbox.append(msg("terugkoppeling", item_id, vh, "mislukt", decided, None,
                                      decided_at=decided))  # fmt: skip
            if not known and rng.random() < 0.01:
                outbox.append(msg("aanmelding", item_id, home, "verzonden", decided,
                                  decided + dt.timedelta(minutes=5), decided_at=decided))  # fmt: skip
        s.execute(insert(Match), matches)
        s.execute(insert(Decision), decisions)
        digest_rows = [msg("digest", None, vh, "verzonden",
                           dt.datetime.combine(day, dt.time(16), TZ),
                           dt.datetime.combine(day, dt.time(16, 1), TZ)) for vh, day in digests]  # fmt: skip
        s.execute(insert(OutboxMessage), digest_rows)
        ids = dict(s.execute(select(OutboxMessage.ref, OutboxMessage.id)).all())
        for (vh, day), row in zip(digests, digest_rows, strict=True):
            digests[(vh, day)] = ids[row["ref"]]
        for m in outbox:
            key = m.pop("_digest", None)
            m["digest_id"] = digests[key] if key else None  # type: ignore[index]
        s.execute(insert(OutboxMessage), outbox)
        if vragen:
            s.execute(insert(Adviesvraag), vragen)
        s.execute(insert(AuditEntry), [
            {"at": at, "account": "bench", "action": "inzage-vh", "item_id": iid,
             "purpose": "afstemmingsoverleg", "detail": {"vh_codes": vhs}, "prev_hash": "0" * 64,
             "hash": "0" * 64} for at, iid, vhs in audits
        ])  # fmt: skip
        s.execute(update(AuditHead).values(count=AuditHead.count + len(audits)))
        counts = {"items": n_items, "matches": len(matches), "decisions": len(decisions),
                  "outbox": len(outbox) + len(digest_rows), "adviesvragen": len(vragen),
                  "inzages": len(audits)}  # fmt: skip
    db.dispose()
    return counts


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='zsm-bench-')}/monitor.sqlite"
    t = time.perf_counter()
    counts = build(url, args.items)
    print(f"opgebouwd in {time.perf_counter() - t:.1f} s: {counts}")

    db = open_database(url)
    period = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    totals, loads, computes = [], [], []
    f = None
    for _ in range(args.runs):
        with db.session() as s:
            t0 = time.perf_counter()
            inp = monitoring.load_input(s, period)
            t1 = time.perf_counter()
            f = compute(inp)
            t2 = time.perf_counter()
        loads.append(t1 - t0)
        computes.append(t2 - t1)
        totals.append(t2 - t0)
    assert f is not None
    print(f"figures for 2025 (load + compute), {args.runs} runs: "
          f"median {statistics.median(totals):.3f} s, best {min(totals):.3f} s, "
          f"worst {max(totals):.3f} s (load {statistics.median(loads):.3f} s, "
          f"compute {statistics.median(computes):.3f} s)")  # fmt: skip
    print("target < 2 s:", "OK" if max(totals) < 2 else "NOT MET")
    ins = f["instroom"]
    for r in ins["tabel"]["rijen"]:
        print(f"  {r['label']:<48}" + "".join(f"{c:>16}" for c in r["cellen"]))
    tk = f["terugkoppeling"]
    print(f"  terugkoppeling {tk['verzonden']}/{tk['verwacht']} ({tk['aandeel']:.1%}), "
          f"mediaan {tk['mediaan_uren']} uur; adviesvragen {f['adviesvragen']['aantal']}; "
          f"inzages {f['adviesleeftijd']['inzages']} (>6 mnd "
          f"{f['adviesleeftijd']['aandeel_ouder_dan_6_maanden']:.1%})")  # fmt: skip
    db.dispose()
    return 0 if max(totals) < 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
