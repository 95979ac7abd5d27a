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
import socket
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from zsm_desk.domain.decisions import Decision, feedback_plan
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus
from zsm_desk.domain.settings import validate_config
from zsm_desk.domain.terugkoppeling import build_terugkoppeling
from zsm_desk.services import config, outbox
from zsm_desk.services.app import open_app

TZ = ZoneInfo("Europe/Amsterdam")
TARGET_S = 10.0


class Counter:
    def __init__(self) -> None:
        self.n = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.n += 1
        return "250 OK"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--db", help="SQLAlchemy URL of an empty database (default: temp SQLite)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}"
    handler = Counter()
    with socket.socket() as sock:  # a free port (aiosmtpd's Controller cannot bind port 0)
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
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

        now = dt.datetime.now(TZ).replace(microsecond=0)
        t0 = time.perf_counter()
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
                               payload=content.to_json_dict(), account=app.account, now=now)  # fmt: skip
        t1 = time.perf_counter()
        report = outbox.send_due(app.db, account=app.account)
        t2 = time.perf_counter()
    finally:
        controller.stop()
        app.db.dispose()
        tmp.cleanup()

    total = t2 - t0
    ok = report.ok and len(report.verzonden) == args.n and handler.n == args.n
    print(f"database: {app.db.engine.dialect.name}")
    print(f"composed+queued {args.n} terugkoppelingen: {t1 - t0:.2f} s")
    print(f"delivered {len(report.verzonden)} via SMTP (server received {handler.n}): "
          f"{t2 - t1:.2f} s ({(t2 - t1) / max(args.n, 1) * 1000:.1f} ms/bericht)")  # fmt: skip
    print(f"total: {total:.2f} s (target < {TARGET_S:.0f} s for 500) -> "
          f"{'OK' if ok and (args.n != 500 or total < TARGET_S) else 'FAIL'}")  # fmt: skip
    return 0 if ok and (args.n != 500 or total < TARGET_S) else 1


if __name__ == "__main__":
    raise SystemExit(main())
