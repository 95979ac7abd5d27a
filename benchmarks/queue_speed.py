"""Benchmark of the verdachtenmonitor queue: the table model and `load_queue`.

    .venv/bin/python benchmarks/queue_speed.py [--rows 50000] [--repeat 5] [--no-db]

Part 1 times `QueueModel` on N synthetic `QueueRow` values: `set_rows`, a
filter keystroke (1, 2 and 3 letters, as typed), each column's sort in both
orders and a clock tick. Part 2 bulk-inserts N instroom items, ~N/10 register
markings with matches (so the VH join has work) and some decisions into a
temporary SQLite database opened with `open_database`, and times `load_queue`
and `change_token` (what the window polls every 3 s). Figures are the median
of `--repeat` runs, in milliseconds. Synthetic data only, fixed seed.
"""

# ruff: noqa: E402 - the import path is fixed first (see below)
from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `queue`; keep its folder off
# the import path so `import queue` (threading, SQLAlchemy) finds the real one.
_HERE = Path(__file__).resolve().parent
for _p in [p for p in sys.path if Path(p or ".").resolve() == _HERE]:
    sys.path.remove(_p)
sys.path.insert(0, str(_HERE.parent))

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert

from zsm_desk.domain.access import DESK_ROLES
from zsm_desk.services.intake.queue import QueueRow, change_token, load_queue
from zsm_desk.services.storage.db import Database, open_database
from zsm_desk.services.storage.models import (
    Decision,
    InstroomItem,
    Match,
    RegisterMarking,
    UserRole,
    Veiligheidshuis,
)

NOW = dt.datetime(2026, 11, 22, 14, 0, tzinfo=dt.UTC)
STATUSES = ("aangemeld", "te routeren", "direct behandelen", "in behandeling", "afgedaan",
            "afgebogen")  # fmt: skip
SURNAMES = ("Jansen", "de Vries", "van Dijk", "Bakker", "Yılmaz", "El Amrani", "Öztürk",
            "Kowalski", "van der Berg", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "Bouzid", "Kaya", "Ramdin", "Martina", "Nowak", "Hendriks")  # fmt: skip
GIVEN = ("Jan", "Pieter", "Fatima", "Mehmet", "Sanne", "Piotr", "Noa", "Ahmed", "Eva", "Daan",
         "Youssef", "Lisa", "Emre", "Anouk", "Rachid", "Sem", "Zeynep", "Lucas", "Naima")  # fmt: skip
FEITEN = (("Mishandeling (art. 300 Sr)", "geweld"), ("Winkeldiefstal (art. 310 Sr)", "vermogen"),
          ("Vernieling (art. 350 Sr)", "overlast"),
          ("Mishandeling partner (art. 300/304 Sr)", "huiselijk geweld"),
          ("Rijden onder invloed (art. 8 WVW)", "overig"))  # fmt: skip
VHS = ("VH-UTR", "VH-AMF", "VH-FLE", "VH-GV")
SLAGZIN = "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH."


def _split(surname: str) -> tuple[str, str]:
    parts = surname.split()
    if parts[0] in ("de", "van"):
        vv = " ".join(parts[:-1])
        return vv, parts[-1]
    return "", surname


# --- part 1: the model ---------------------------------------------------------------


def synthetic_rows(n: int, seed: int = 1) -> list[QueueRow]:
    rng = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        vv, sur = _split(rng.choice(SURNAMES))
        given = " ".join(rng.sample(GIVEN, rng.choice((1, 1, 2, 3))))
        status = rng.choice(STATUSES)
        instroom = NOW - dt.timedelta(seconds=rng.randint(0, 7 * 24 * 3600))
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25_000))
        age = (NOW.date() - born).days // 365
        vh = rng.choices(("bekend", "mogelijk", "onbekend"), (8, 2, 90))[0]
        feit, cat = rng.choice(FEITEN)
        rows.append(QueueRow(
            id=i, bvh_nummer=f"PL{rng.randint(1000, 9999)}-2026{i:06d}",
            parketnummer=f"16/{rng.randint(100000, 999999)}-26" if rng.random() < 0.4 else "",
            ingestroomd_op=instroom,
            deadline=None if status in ("afgedaan", "afgebogen")
            else instroom + dt.timedelta(hours=6),
            naam=" ".join(p for p in (given, vv, sur) if p),
            sort_naam=" ".join(p for p in (sur, given, vv) if p).lower(),
            geboortedatum=born.strftime("%d-%m-%Y"), geboortedatum_sort=born.isoformat(),
            leeftijd=age, minderjarig=age < 18,
            bsn=f"{rng.randint(100000000, 999999999)}" if rng.random() < 0.55 else "",
            feit=feit, categorie=cat, status=status, vh_status=vh,
            vh_label=rng.choice(VHS) if vh == "bekend" else
            ("mogelijk bekend — controleer" if vh == "mogelijk" else ""),
            slagzin=SLAGZIN if vh == "bekend" else "", vh_tooltip="", beslist=False,
            open_vragen=0,
        ))  # fmt: skip
    return rows


Figure = tuple[float, float]  # wall ms, CPU ms (the CPU figure is steadier on a busy machine)


def median_ms(fn: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None) -> Figure:
    wall, cpu = [], []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def bench_model(n: int, repeat: int) -> list[tuple[str, Figure]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from zsm_desk.ui.queue_model import COLUMNS, QueueModel

    _app = QApplication.instance() or QApplication([])
    rows = synthetic_rows(n)
    model = QueueModel()
    out: list[tuple[str, Figure]] = []
    out.append((f"set_rows({n:,})", median_ms(lambda: model.set_rows(rows, NOW), repeat)))

    def reset() -> None:
        model.set_filter(text="", statuses=None, only_known=False)

    for text in ("j", "ja", "jan"):
        ms = median_ms(lambda t=text: model.set_filter(text=t), repeat, reset)
        out.append((f"filter keystroke {text!r} → {model.rowCount():,} rows", ms))
    ms = median_ms(lambda: model.set_filter(text="jan visser"), repeat, reset)
    out.append((f"filter 'jan visser' (two words) → {model.rowCount():,} rows", ms))
    reset()
    ms = median_ms(lambda: model.set_filter(statuses=frozenset({"in behandeling"})), repeat, reset)
    out.append(("status filter 'in behandeling'", ms))
    reset()
    for col, c in enumerate(COLUMNS):
        for order, name in ((Qt.SortOrder.AscendingOrder, "asc"),
                            (Qt.SortOrder.DescendingOrder, "desc")):  # fmt: skip
            # Start from another order each time, so the sort has work to do.
            ms = median_ms(lambda col=col, order=order: model.sort(col, order), repeat,
                           lambda col=col: model.sort((col + 2) % len(COLUMNS)))  # fmt: skip
            out.append((f"sort {c.title} {name}", ms))
    later = NOW + dt.timedelta(minutes=1)
    out.append(("tick (countdown column)", median_ms(lambda: model.tick(later), repeat)))
    return out


# --- part 2: the database ------------------------------------------------------------


def fill_database(db: Database, n_items: int, n_markings: int, account: str, seed: int = 1,
                  decisions: int | None = None) -> dict[str, int]:  # fmt: skip
    """Bulk-insert a synthetic queue: items, markings, matches, decisions."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with db.session() as s:
        s.add(UserRole(account=account, roles=sorted(r.value for r in DESK_ROLES)))
        for code in VHS:
            s.add(Veiligheidshuis(code=code, naam=f"Veiligheidshuis {code[3:]}",
                                  mailbox=f"zsm@{code.lower()}.example.org"))  # fmt: skip
        items = []
        for i in range(1, n_items + 1):
            vv, sur = _split(rng.choice(SURNAMES))
            born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25_000))
            feit, cat = rng.choice(FEITEN)
            items.append({
                "id": i, "bvh_nummer": f"PL{rng.randint(1000, 9999)}-2026{i:06d}",
                "parketnummer": f"16/{rng.randint(100000, 999999)}-26" if rng.random() < 0.4
                else "",
                "ingestroomd_op": now - dt.timedelta(seconds=rng.randint(0, 7 * 24 * 3600)),
                "achternaam": sur, "voorvoegsel": vv,
                "voornamen": " ".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                "geboortedatum": born.isoformat(), "geboorteplaats": "Utrecht",
                "geslacht": rng.choice("MV"),
                "bsn": f"{rng.randint(100000000, 999999999)}" if rng.random() < 0.55 else "",
                "woonplaats": "Utrecht", "gemeente": "Utrecht", "feit": feit, "categorie": cat,
                "status": rng.choice(STATUSES), "updated_at": now, "vh_status": "onbekend",
                "vh_checked_at": now,
            })  # fmt: skip
        markings = []
        for m in range(1, n_markings + 1):
            vv, sur = _split(rng.choice(SURNAMES))
            markings.append({
                "id": m, "vh_code": VHS[m % len(VHS)], "persoon_id": f"P{m:07d}",
                "achternaam": sur, "voorvoegsel": vv, "voornamen": rng.choice(GIVEN),
                "geboortedatum": "1990-01-01", "slagzin": SLAGZIN,
                "advies_datum": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
                "actief": rng.random() > 0.02, "imported_at": now,
            })  # fmt: skip
        matches = []
        hit_items = rng.sample(range(1, n_items + 1), min(n_items, n_markings))
        for k, item_id in enumerate(hit_items):
            status = "bekend" if rng.random() < 0.8 else "mogelijk"
            matches.append({"item_id": item_id, "marking_id": k + 1, "status": status,
                            "score": rng.random(), "reden": "naam+geboortedatum",
                            "details": []})  # fmt: skip
            items[item_id - 1]["vh_status"] = status
            if rng.random() < 0.1:  # known at a second VH
                other = rng.randint(1, n_markings)
                if other != k + 1:
                    matches.append({"item_id": item_id, "marking_id": other, "status": "bekend",
                                    "score": 0.5, "reden": "bsn", "details": []})  # fmt: skip
        decided = rng.sample(range(1, n_items + 1), decisions if decisions is not None
                             else n_items // 10)  # fmt: skip
        rows = [{"item_id": i, "beslissing": "dagvaarden", "besloten_door": account,
                 "besloten_op": now} for i in decided]  # fmt: skip
        for chunk in range(0, len(items), 5000):
            s.execute(insert(InstroomItem), items[chunk : chunk + 5000])
        s.execute(insert(RegisterMarking), markings)
        s.execute(insert(Match), matches)
        if rows:
            s.execute(insert(Decision), rows)
    return {"items": n_items, "markings": n_markings, "matches": len(matches),
            "decisions": len(rows)}  # fmt: skip


def bench_database(n: int, repeat: int) -> list[tuple[str, Figure]]:
    out: list[tuple[str, Figure]] = []
    with tempfile.TemporaryDirectory() as tmp:
        counts: dict[str, int] = {}

        def prepare() -> None:
            db = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
            counts.update(fill_database(db, n, max(1, n // 10), "bench"))
            db.dispose()

        figure = median_ms(prepare, 1)
        out.append((f"prepare DB ({counts['items']:,} items, {counts['markings']:,} markings, "
                    f"{counts['matches']:,} matches, {counts['decisions']:,} decisions)",
                    figure))  # fmt: skip
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        roles = frozenset(DESK_ROLES)
        result: list[QueueRow] = []

        def load() -> None:
            with db.session() as s:
                result[:] = load_queue(s, roles)

        out.append((f"load_queue, desk role ({n:,} rows)", median_ms(load, repeat)))
        assert len(result) == n
        known = sum(r.vh_status == "bekend" for r in result)

        def load_no_role() -> None:
            with db.session() as s:
                load_queue(s, frozenset())

        out.append((f"load_queue, no role (no VH join; {known:,} bekend hidden)",
                    median_ms(load_no_role, repeat)))  # fmt: skip

        def token() -> None:
            with db.session() as s:
                change_token(s)

        out.append(("change_token (the 3-s poll)", median_ms(token, repeat)))
        db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-db", action="store_true", help="only the model")
    args = ap.parse_args(argv)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), load average {load}; "
          f"median of {args.repeat}; wall and CPU time of this process")  # fmt: skip
    sections = [("QueueModel", bench_model(args.rows, args.repeat))]
    if not args.no_db:
        sections.append(("SQLite", bench_database(args.rows, args.repeat)))
    for title, figures in sections:
        width = max(len(name) for name, _ in figures)
        print(f"\n{title:<{width}}   wall ms    CPU ms\n" + "-" * (width + 20))
        for name, (wall, cpu) in figures:
            print(f"{name:<{width}}  {wall:8.1f}  {cpu:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
