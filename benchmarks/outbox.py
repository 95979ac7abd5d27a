"""Benchmark: 500 terugkoppelingen composed and delivered through the outbox.

    .venv/bin/python benchmarks/outbox.py [--n 500] [--db URL]

Composes N terugkoppelingen (content per interfaces.md §4 with its JSON,
`outbox.enqueue`: a fixed Message-ID, one outbox row each) and delivers them
with `outbox.send_due` to a local aiosmtpd (plain SMTP on 127.0.0.1), the
full crash-safe path per message: claim transaction, SMTP session, record
transaction with audit line. Target: everything under 10 s for N = 500.
Synthetic data only (mail addresses on example.org). Default database: a
temporary SQLite file; `--db` takes any SQLAlchemy URL (an empty database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

# The repository root instead of this folder: benchmarks/queue_speed.py would shadow
# the standard library's `queue` (psycopg, aiosmtpd import it).
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from zsm_desk.app_context import open_app  # noqa: E402
from zsm_desk.domain.decisions import Decision, feedback_plan  # noqa: E402
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus  # noqa: E402
from zsm_desk.domain.settings import validate_config  # noqa: E402
from zsm_desk.domain.terugkoppeling import build_terugkoppeling  # noqa: E402
from zsm_desk.services.mail import outbox  # noqa: E402
from zsm_desk.services.storage import config  # noqa: E402

TZ = ZoneInfo("Europe/Amsterdam")
TARGET_S = 10.0


#: The mail server runs in its own process, as a real one would: it must not
#: share the interpreter (GIL) with the desk being measured.
SERVER = r"""
import socket, sys, time
from aiosmtpd.controller import Controller

class Counter:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Counter.n += 1
        return "250 OK"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
c = Controller(Counter(), hostname="127.0.0.1", port=port)
c.start()
print(port, flush=True)
sys.stdin.read()  # until the benchmark closes stdin
c.stop()
print(Counter.n, flush=True)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--db", help="SQLAlchemy URL of an empty database (default: temp SQLite)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}"
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    port = int(server.stdout.readline())
    received = -1
    app = open_app(url)
    try:
        with app.db.session() as s:
            doc = {
                "zsm_locatie": "ZSM Midden-Nederland",
                "smtp": {"host": "127.0.0.1", "port": port, "beveiliging": "geen",
                         "afzender": "ZSM Midden-Nederland <zsm-mn@example.org>"},
                "veiligheidshuis": [{"code": "VH-UTR", "naam": "Veiligheidshuis Regio Utrecht",
                                     "mailbox": "centraal@vh-utrecht.example.org",
                                     "gemeenten": ["Utrecht"]}],
            }  # fmt: skip
            config.save_settings(s, validate_config(doc), app.account, "benchmark")
            settings = config.load_settings(s)

        now = dt.datetime.now(TZ).replace(microsecond=0)
        t0, c0 = time.perf_counter(), time.process_time()
        with app.db.session() as s:
            contact = outbox.zsm_contact(s)
            for i in range(args.n):
                item = InstroomItem(
                    bvh_nummer=f"PL0900-2026{i:06d}", ingestroomd_op=now - dt.timedelta(hours=3),
                    identity=Identity(achternaam=f"Testpersoon{i}", voornamen="Jan",
                                      geboortedatum="1990-01-01", bsn=""),
                    feit="Mishandeling (art. 300 Sr)", status=InstroomStatus.IN_BEHANDELING,
                    parketnummer=f"16/{i:06d}-26",
                )  # fmt: skip
                dec = Decision(beslissing="strafbeschikking", besloten_op=now,
                               besloten_door="officier", advies_gevolgd="ja")  # fmt: skip
                plan = feedback_plan(dec, item, False, ["VH-UTR"], False, None)
                ref = outbox.new_ref(s, "ZSM Midden-Nederland", now)
                content = build_terugkoppeling(
                    dec, item, plan, vh_code="VH-UTR", ref=ref, zsm_contact=contact,
                    is_minor=False, opgesteld_op=now,
                )  # fmt: skip
                outbox.enqueue(s, soort="terugkoppeling", vh_code="VH-UTR", ref=ref,
                               payload=content.to_json_dict(), account=app.account, now=now,
                               settings=settings)  # fmt: skip
        t1, c1 = time.perf_counter(), time.process_time()
        report = outbox.send_due(app.db, account=app.account)
        t2, c2 = time.perf_counter(), time.process_time()
    finally:
        out, _ = server.communicate("", timeout=30)
        received = int(out.strip() or -1)
        app.db.dispose()
        tmp.cleanup()

    total = t2 - t0
    ok = report.ok and len(report.verzonden) == args.n and received == args.n
    print(f"database: {app.db.engine.dialect.name}")
    print(f"composed+queued {args.n} terugkoppelingen: {t1 - t0:.2f} s (cpu {c1 - c0:.2f} s)")
    print(f"delivered {len(report.verzonden)} via SMTP (server received {received}): "
          f"{t2 - t1:.2f} s (cpu {c2 - c1:.2f} s; {(t2 - t1) / max(args.n, 1) * 1000:.1f} ms/bericht)")  # fmt: skip
    print(f"total: {total:.2f} s (target < {TARGET_S:.0f} s for 500) -> "
          f"{'OK' if ok and (args.n != 500 or total < TARGET_S) else 'FAIL'}")  # fmt: skip
    return 0 if ok and (args.n != 500 or total < TARGET_S) else 1


if __name__ == "__main__":
    raise SystemExit(main())
