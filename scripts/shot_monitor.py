"""Screenshot of the Monitor dialog over a demo database with three months of data.

    xvfb-run -a .venv/bin/python scripts/shot_monitor.py /tmp/monitor.png [--tab N]

Builds a temporary SQLite database with the demo day (seed 1, 22-11-2026) plus
synthetic earlier suspects, decisions, outbox rows, adviesvragen and consults
inserted directly, then opens the dialog for 1-9 up to 30-11-2026 with a
synchronous `run_in_worker`. Uses the xcb platform (under Xvfb) unless
QT_QPA_PLATFORM says otherwise. Synthetic data only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def build(url: str) -> Any:
    """A demo database with history; returns the AppContext."""
    from sqlalchemy import insert, select

    from zsm_desk.app_context import open_app
    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.demo.demo_data import TZ
    from zsm_desk.services.storage import audit
    from zsm_desk.services.storage.models import (
        Adviesvraag,
        Decision,
        Match,
        OutboxMessage,
        RegisterMarking,
        Veiligheidshuis,
    )
    from zsm_desk.services.storage.models import InstroomItem as ItemRow

    app = open_app(url)
    demo_install.install(app, seed=1, day_end=dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ))
    rng = random.Random(5)
    with app.db.session() as s:
        vhs = {v.code: v.gemeenten for v in s.execute(select(Veiligheidshuis)).scalars()}
        markings = s.execute(
            select(RegisterMarking.id, RegisterMarking.vh_code)
            .where(RegisterMarking.actief.is_(True))
            .order_by(RegisterMarking.id)
        ).all()
        start = dt.datetime(2026, 9, 1, 0, 0, tzinfo=TZ)
        items = []
        for n in range(320):
            when = start + dt.timedelta(minutes=rng.randrange(0, 81 * 24 * 60))
            code = rng.choice(sorted(vhs))
            items.append({
                "bvh_nummer": f"PL0900-2026{700000 + n:06d}", "ingestroomd_op": when,
                "achternaam": "Synthetisch", "voornamen": "Demo",
                "geboortedatum": rng.choice(["1988-04-12", "1995-00-00", "2009-06-00"]),
                "feit": "Winkeldiefstal (art. 310 Sr)", "status": "afgedaan", "updated_at": when,
                "gemeente": rng.choice(vhs[code]), "vh_status": "onbekend",
            })  # fmt: skip
        s.execute(insert(ItemRow), items)
        rows = s.execute(
            select(ItemRow.id, ItemRow.ingestroomd_op).where(
                ItemRow.bvh_nummer.like("PL0900-20267%")
            )
        ).all()
        demo_known = s.execute(
            select(Match.item_id, RegisterMarking.vh_code)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(Match.status == "bekend")
        ).all()
        known: list[tuple[int, dt.datetime, str]] = []
        matches = []
        for item_id, when in rows:
            if rng.random() < 0.14:
                mid, vh = rng.choice(markings)
                matches.append({"item_id": item_id, "marking_id": mid, "status": "bekend",
                                "score": 0.99, "reden": "bsn", "details": []})  # fmt: skip
                known.append((item_id, when, vh))
            elif rng.random() < 0.03:
                mid, vh = rng.choice(markings)
                review = rng.choice(["bevestigd", "afgewezen"])
                matches.append({"item_id": item_id, "marking_id": mid, "status": "mogelijk",
                                "score": 0.8, "reden": "naam+geboortedatum", "details": [],
                                "review": review, "reviewed_by": app.account,
                                "reviewed_at": when + dt.timedelta(minutes=20)})  # fmt: skip
        s.execute(insert(Match), matches)
        demo_items = dict(s.execute(select(ItemRow.id, ItemRow.ingestroomd_op)).all())
        known += [(iid, demo_items[iid], vh) for iid, vh in demo_known]
        by_item: dict[int, tuple[dt.datetime, list[str]]] = {}
        for item_id, when, vh in known:
            by_item.setdefault(item_id, (when, []))[1].append(vh)
        decisions, outbox, vragen = [], [], []
        n = 0
        motiveringen = ["Nieuw feit weegt zwaarder dan het advies; voorgeleid.",
                        "Alleen het contactverbod overgenomen.",
                        "Advies ouder dan een jaar; eigen afweging gemaakt."]  # fmt: skip
        for item_id, (when, item_vhs) in sorted(by_item.items()):
            vh = item_vhs[0]
            decided = when + dt.timedelta(hours=rng.uniform(1, 6))
            gevolgd = rng.choices(["ja", "deels", "nee", "geen advies"], [6, 2, 1, 2])[0]
            decisions.append({"item_id": item_id, "beslissing": "dagvaarden",
                              "advies_gevolgd": gevolgd, "besloten_door": "ovj",
                              "motivering": rng.choice(motiveringen) if gevolgd in ("nee", "deels") else "",
                              "besloten_op": decided})  # fmt: skip
            for vh in item_vhs:
                n += 1
                sent = rng.random() < 0.8
                outbox.append({"ref": f"ZSM-MN-20261122-{n:06X}", "soort": "terugkoppeling",
                             "item_id": item_id, "vh_code": vh, "mailbox": "vh@example.org",
                             "message_id": f"<shot{n}@zsm.example.org>",
                             "state": "verzonden" if sent else "mislukt", "payload": {},
                             "created_at": decided, "decided_at": decided,
                             "sent_at": decided + dt.timedelta(hours=rng.uniform(0.1, 20)) if sent else None,
                             })  # fmt: skip
            if rng.random() < 0.3:
                asked = when + dt.timedelta(minutes=30)
                vragen.append({"item_id": item_id, "vh_code": item_vhs[0], "vraag": "Actueel advies?",
                               "termijn": "6 uur", "gesteld_door": app.account, "gesteld_op": asked,
                               "deadline": asked + dt.timedelta(hours=6),
                               "beantwoord_op": asked + dt.timedelta(hours=rng.uniform(0.5, 9))})  # fmt: skip
            if rng.random() < 0.7:
                audit.append(s, app.account, audit.VIEW_VH, item_id=item_id,
                             purpose="afstemmingsoverleg", detail={"vh_codes": item_vhs},
                             at=when + dt.timedelta(minutes=40))  # fmt: skip
        s.execute(insert(Decision), decisions)
        s.execute(insert(OutboxMessage), outbox)
        if vragen:
            s.execute(insert(Adviesvraag), vragen)
        for n in range(9):
            when = start + dt.timedelta(days=rng.randrange(0, 80))
            s.execute(insert(OutboxMessage), [{
                "ref": f"ZSM-MN-20261122-A{n:05X}", "soort": "aanmelding", "item_id": None,
                "vh_code": rng.choice(sorted(vhs)), "mailbox": "vh@example.org",
                "message_id": f"<aanm{n}@zsm.example.org>", "state": "verzonden", "payload": {},
                "created_at": when, "sent_at": when + dt.timedelta(minutes=5),
            }])  # fmt: skip
    return app


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tab", type=int, default=0, help="open this tab (0 = Overzicht)")
    ap.add_argument("--size", default="1180x780")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from zsm_desk.desk import Desk
    from zsm_desk.ui.monitor_view import MonitorDialog

    tmp = tempfile.mkdtemp(prefix="zsm-shot-")
    app = build(f"sqlite:///{tmp}/monitor.sqlite")

    def run_in_worker(fn: Any, on_done: Any, on_error: Any) -> None:
        try:
            result = fn()
        except Exception as e:  # shown in the dialog like the real worker does
            on_error(str(e))
            return
        on_done(result)

    qapp = QApplication.instance() or QApplication(sys.argv)
    dlg = MonitorDialog(
        run_in_worker, Desk(app.db, app.account), van=dt.date(2026, 9, 1), tot=dt.date(2026, 11, 30)
    )
    w, h = (int(x) for x in args.size.split("x"))
    dlg.resize(w, h)
    dlg.tabs.setCurrentIndex(args.tab)
    dlg.show()
    for _ in range(10):
        qapp.processEvents()
    dlg.grab().save(args.out)
    print(f"{args.out}: {dlg.status.text()}")
    dlg.close()
    del dlg  # before the QApplication goes: a widget must not outlive it
    app.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
