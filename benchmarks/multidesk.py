"""Load benchmark: 8 desks on one PostgreSQL claim, decide and send (issue 15).

    .venv/bin/python benchmarks/multidesk.py [--desks 8] [--seconds 300] [--items 3000]
                                             [--db ADMIN_URL]

Starts a throw-away PostgreSQL from the installed binaries (tests/pg_server.py;
`--db` takes an admin URL of an existing server instead, where the role may
create databases), a mail server (aiosmtpd on 127.0.0.1, its own process,
recording every Message-ID) and N desk processes. Each desk listens for
changes (LISTEN/NOTIFY) and, until the time is up or the queue is empty:
picks an undecided suspect nobody has claimed, claims it, "works" a few
milliseconds, decides it (`decide_by_bvh`, the path of `zsm-desk decide`) and
every few decisions sends the outbox. With ``--drukte N`` all desks reach for
the same N oldest suspects, so claims collide and races are refused cleanly.
Synthetic people only.

Reported: claims seen by the other desks (latency p50/p95/max from the
claiming commit to the other desk's notification), decisions, refusals
(claimed/raced), double decisions (must be 0), messages duplicated or lost at
the mail server (must be 0), and `zsm-desk audit verify` afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

# The repository root instead of this folder: benchmarks/queue_speed.py would shadow
# the standard library's `queue` (psycopg, aiosmtpd import it).
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

SERVER = r"""
import socket, sys
from email.parser import BytesHeaderParser
from aiosmtpd.controller import Controller

out = open(sys.argv[1], "a", buffering=1)

class Recorder:
    async def handle_DATA(self, server, session, envelope):
        msg = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        out.write((msg["Message-ID"] or "?") + "\n")
        return "250 OK"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
c = Controller(Recorder(), hostname="127.0.0.1", port=port)
c.start()
print(port, flush=True)
sys.stdin.read()
c.stop()
"""


def _config(smtp_port: int) -> dict[str, Any]:
    return {
        "zsm_locatie": "ZSM Midden-Nederland",
        "veiligheidshuis": [
            {"code": "VH-UTR", "naam": "Veiligheidshuis Regio Utrecht",
             "mailbox": "centraal@vh-utrecht.example.org", "gemeenten": ["Utrecht"],
             "terugkoppeling": "direct"},
        ],
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "beveiliging": "geen",
                 "afzender": "ZSM Midden-Nederland <zsm-mn@example.org>"},
    }  # fmt: skip


def _bsn(i: int) -> str:
    """A synthetic number that passes the elfproef (9 digits)."""
    k = 0
    while True:
        digits = [int(c) for c in f"{(10_000_000 + i * 37 + k) % 100_000_000:08d}"]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)
        k += 100_000_001


def _people(n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(15)
    recent = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=7)).isoformat()
    items, markings = [], []
    for i in range(n):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
        achternaam, voornamen = f"Testpersoon{i:05d}", rng.choice(["Jan", "Sanne", "Ali", "Iris"])
        items.append({
            "bvh_nummer": f"PL0900-2099{i:06d}", "parketnummer": f"16/{i:06d}-99",
            "ingestroomd_op": "2026-11-22T07:43:00+01:00", "achternaam": achternaam,
            "voorvoegsel": "", "voornamen": voornamen, "geboortedatum": born.isoformat(),
            "bsn": _bsn(i), "gemeente": "Utrecht", "woonplaats": "Utrecht",
            "feit": "Winkeldiefstal (art. 310 Sr)", "categorie": "vermogen",
            "status": "in behandeling",
        })  # fmt: skip
        markings.append({
            "vh_code": "VH-UTR", "persoon_id": f"UTR{i}", "achternaam": achternaam,
            "voornamen": voornamen, "geboortedatum": born.isoformat(), "bsn": _bsn(i),
            "slagzin": "Bij nieuw feit: voorgeleiden.", "advies": "Voorgeleiden.",
            "advies_datum": recent, "actief": "ja",
        })  # fmt: skip
    return items, markings


def setup(url: str, smtp_port: int, n_items: int, desks: int) -> None:
    from zsm_desk.app_context import open_app
    from zsm_desk.domain.access import Role
    from zsm_desk.domain.settings import validate_config
    from zsm_desk.services.intake import instroom
    from zsm_desk.services.intake.fileformats import RawFile
    from zsm_desk.services.registers import known_clients
    from zsm_desk.services.registers import register_import as registers
    from zsm_desk.services.security import users
    from zsm_desk.services.storage import config

    app = open_app(url)
    items, markings = _people(n_items)
    with app.db.session() as s:
        config.save_settings(s, validate_config(_config(smtp_port)), app.account, "benchmark")
        registers.import_raw(s, RawFile(records=markings, kind="json"), actor=app.account,
                             recheck=False)  # fmt: skip
        instroom.import_raw(s, RawFile(records=items, kind="json"), actor=app.account)
        known_clients.check_all(s)
        for d in range(desks):
            users.set_roles(s, app.account, f"desk{d}", frozenset({Role.OFFICIER, Role.KPC}))
    app.db.dispose()


def desk(index: int, url: str, deadline: float, out_dir: str, crowd: int) -> None:
    """One desk process: listen, claim, decide, send until the deadline."""
    from sqlalchemy import func, select

    from zsm_desk.domain.decisions import AdviesGevolgd
    from zsm_desk.services.decisions import claims
    from zsm_desk.services.decisions import decisions_service as ds
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.storage import dberrors
    from zsm_desk.services.storage.db import open_database
    from zsm_desk.services.storage.models import Decision, InstroomItem, ItemClaim
    from zsm_desk.services.storage.notify import Change, ChangeListener

    account = f"desk{index}"
    db = open_database(url, run_migrations=False)
    seen: list[tuple[int, float]] = []
    lock = threading.Lock()

    def heard(c: Change) -> None:
        if c.onderwerp == "claim" and c.item_id is not None:
            t = time.time()
            with lock:
                seen.append((c.item_id, t))

    listener = ChangeListener(url, heard).start()
    listener.ready.wait(10)
    rng = random.Random(index)
    # Under --drukte every fourth desk decides without claiming (like a bare
    # `zsm-desk decide`): it meets other desks' claims and races.
    skips_claim = bool(crowd) and index % 4 == 3
    claimed: list[tuple[int, float]] = []
    stats = {"beslissingen": 0, "geweigerd_claim": 0, "geweigerd_race": 0, "fouten": 0,
             "verzonden": 0, "claim_bezet": 0}  # fmt: skip
    inp = ds.DecisionInput(beslissing="dagvaarden", advies_gevolgd=AdviesGevolgd.JA,
                           onderzoek_soort="reclasseringsonderzoek")  # fmt: skip
    while time.time() < deadline:
        with db.session() as s:
            q = (
                select(InstroomItem.id, InstroomItem.bvh_nummer)
                .where(~InstroomItem.id.in_(select(Decision.item_id)))
                .where(~InstroomItem.id.in_(select(ItemClaim.item_id)))
            )
            # --drukte N: every desk reaches for the same N oldest suspects
            q = q.order_by(InstroomItem.id).limit(crowd) if crowd else q.order_by(func.random())
            candidates = s.execute(q.limit(crowd or 1)).all()
        if not candidates:
            break
        free = rng.choice(candidates)
        iid, bvh = int(free[0]), str(free[1])

        def take(s: Any, iid: int = iid) -> Any:
            return claims.claim(s, iid, account=account, now=dt.datetime.now(dt.UTC))

        try:
            if not skips_claim:
                dberrors.run_transaction(db, take)
                claimed.append((iid, time.time()))
        except claims.ClaimedByOther:
            stats["claim_bezet"] += 1
            continue
        except LookupError:
            continue
        except Exception:  # an IntegrityError when two desks insert the claim at once
            stats["claim_bezet"] += 1
            continue
        time.sleep(rng.uniform(0.005, 0.04))  # looking at the case
        try:
            ds.decide_by_bvh(db, bvh, inp, account=account)
            stats["beslissingen"] += 1
        except ds.CaseClaimed:
            stats["geweigerd_claim"] += 1
        except ds.DecisionRace:
            stats["geweigerd_race"] += 1
        except Exception as e:
            stats["fouten"] += 1
            print(f"desk{index}: {type(e).__name__}: {e}"[:300], file=sys.stderr)
            with db.session() as s:
                claims.release(s, iid, account=account)
        if stats["beslissingen"] % 5 == 0:
            stats["verzonden"] += len(outbox.send_due(db, account=account, manual=True).verzonden)
    stats["verzonden"] += len(outbox.send_due(db, account=account, manual=True).verzonden)
    time.sleep(1.0)  # the last notifications arrive
    listener.stop()
    with lock:
        heard_list = list(seen)
    Path(out_dir, f"desk{index}.json").write_text(json.dumps(
        {"stats": stats, "claimed": claimed, "seen": heard_list}))  # fmt: skip
    db.dispose()


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desks", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=300.0, help="duur (standaard 5 minuten)")
    ap.add_argument("--items", type=int, default=3000)
    ap.add_argument("--db", help="admin-URL van een bestaande PostgreSQL-server")
    ap.add_argument("--drukte", type=int, default=0, metavar="N",
                    help="alle desks kiezen uit dezelfde N oudste verdachten (botsingen)")  # fmt: skip
    args = ap.parse_args()

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    work = Path(tempfile.mkdtemp(prefix="zsm-multidesk-"))
    os.environ["ZSM_DESK_STATE_DIR"] = str(work / "state")  # one location key for all desks
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    server = None
    admin_url = args.db
    if not admin_url:
        from tests import pg_server

        server = pg_server.start(max_connections=200)
        admin_url = server.url
    name = f"zsm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    received_file = work / "ontvangen.txt"
    smtp = subprocess.Popen([sys.executable, "-c", SERVER, str(received_file)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert smtp.stdout is not None
        port = int(smtp.stdout.readline())
        t0 = time.time()
        setup(url, port, args.items, args.desks)
        print(f"opgezet in {time.time() - t0:.1f} s: {args.items} verdachten, "
              f"{args.desks} desks, {args.seconds:.0f} s")  # fmt: skip
        deadline = time.time() + args.seconds
        ctx = mp.get_context("spawn")
        procs = [ctx.Process(target=desk, args=(i, url, deadline, str(work), args.drukte))
                 for i in range(args.desks)]  # fmt: skip
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        time.sleep(0.5)
        results = [json.loads((work / f"desk{i}.json").read_text()) for i in range(args.desks)]
        verify = subprocess.run([sys.executable, "-m", "zsm_desk", "audit", "verify", "--db", url],
                                capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        with create_engine(url).connect() as c:
            doubles = c.execute(text(
                "SELECT count(*) FROM (SELECT item_id FROM audit_entry WHERE action = 'beslissing' "
                "GROUP BY item_id HAVING count(*) > 1) d")).scalar_one()  # fmt: skip
            decided = c.execute(text("SELECT count(*) FROM decision")).scalar_one()
            sent_ids = set(c.execute(text(
                "SELECT message_id FROM outbox_message WHERE state = 'verzonden' "
                "AND soort <> 'digest'")).scalars())  # fmt: skip
            unsent = c.execute(text(
                "SELECT count(*) FROM outbox_message WHERE state <> 'verzonden'")).scalar_one()  # fmt: skip
    finally:
        if smtp.stdin:
            smtp.stdin.close()
        smtp.wait(10)
    received = [line.strip() for line in received_file.read_text().splitlines() if line.strip()]
    dupes = len(received) - len(set(received))
    lost = len(sent_ids - {r.strip("<>") for r in received} - set(received))
    # claim-seen latency: the claiming desk's commit -> each other desk's notification
    latencies: list[float] = []
    missed = 0
    for i, r in enumerate(results):
        for iid, t_claim in r["claimed"]:
            for j, other in enumerate(results):
                if j == i:
                    continue
                times = [t for (it, t) in other["seen"] if it == iid and t >= t_claim - 0.05]
                if times:
                    latencies.append(max(0.0, min(times) - t_claim))
                else:
                    missed += 1
    stats = {k: sum(r["stats"][k] for r in results) for k in results[0]["stats"]}
    report = {
        "desks": args.desks, "seconden": args.seconds, "beslissingen": decided,
        "per_desk": stats,
        "claim_gezien_ms": {"n": len(latencies), "p50": round(_pct(latencies, 50) * 1000, 1),
                            "p95": round(_pct(latencies, 95) * 1000, 1),
                            "max": round(max(latencies, default=0) * 1000, 1),
                            "niet_gezien": missed},
        "dubbele_beslissingen": doubles,
        "berichten": {"verzonden_volgens_db": len(sent_ids), "ontvangen": len(received),
                      "dubbel": dupes, "kwijt": lost, "niet_verzonden": unsent},
        "audit_verify": verify.stdout.strip() or verify.stderr.strip(),
        "audit_ok": verify.returncode == 0,
    }  # fmt: skip
    print(json.dumps(report, indent=2, ensure_ascii=False))
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()
    if server is not None:
        server.stop()
    ok = doubles == 0 and dupes == 0 and lost == 0 and verify.returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
