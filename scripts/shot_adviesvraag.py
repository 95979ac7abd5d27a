"""Screenshots of the adviesvraag dialogs over the demo day (synthetic data only).

    xvfb-run -a .venv/bin/python scripts/shot_adviesvraag.py /tmp/lijst.png --view lijst
    xvfb-run -a .venv/bin/python scripts/shot_adviesvraag.py /tmp/nieuw.png --view nieuw
    xvfb-run -a .venv/bin/python scripts/shot_adviesvraag.py /tmp/screening.png --view screening

Builds a temporary SQLite database with the demo day (seed 1, 22-11-2026), adds
a few questions in every state (overdue, almost due, running, failed mail,
concept, answered) and opens one dialog with a synchronous `run_in_worker` and
a fixed clock (Tuesday 24-11-2026 10:00). Uses the xcb platform (under Xvfb)
unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from zsm_desk.services.demo.demo_data import TZ  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=TZ)  # after the demo day's instroom


def build(url: str) -> tuple[Any, int, int]:
    """Demo database with questions; returns (app, known item id, unknown item id)."""
    from sqlalchemy import select

    from zsm_desk.app_context import open_app
    from zsm_desk.domain.access import Role
    from zsm_desk.services.adviesvragen import adviesvragen as svc
    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.storage.models import InstroomItem, Match, OutboxMessage, RegisterMarking

    app = open_app(url)
    demo_install.install(app, seed=1, day_end=dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ))
    roles = frozenset(Role)
    with app.db.session() as s:
        known = s.execute(
            select(InstroomItem.id, RegisterMarking.vh_code)
            .join(Match, Match.item_id == InstroomItem.id)
            .join(RegisterMarking, RegisterMarking.id == Match.marking_id)
            .where(Match.status == "bekend", InstroomItem.geboortedatum < "2005")
            .order_by(InstroomItem.status != "in behandeling", InstroomItem.id)
        ).all()  # fmt: skip
        unknown = s.execute(
            select(InstroomItem.id)
            .where(InstroomItem.vh_status == "onbekend", InstroomItem.gemeente == "Utrecht")
            .order_by(InstroomItem.id)
        ).scalars().all()  # fmt: skip

        def ask(item: int, vh: str, termijn: str, per: dt.datetime, vraag: str) -> Any:
            return svc.nieuw(s, item_id=item, vh_code=vh, vraag=vraag, termijn=termijn,
                             account=app.account, roles=roles, per=per, now=per)  # fmt: skip

        def mark(v: Any, state: str, sent: dt.datetime | None = None, error: str = "") -> None:
            row = s.get(OutboxMessage, v.outbox_id)
            row.state, row.sent_at, row.last_error = state, sent, error
            s.flush()

        (k1, vh1), (k2, vh2), (k3, vh3) = known[0], known[1], known[2]
        late = ask(k1, vh1, "24-uur", NOW - dt.timedelta(days=1, hours=1, minutes=30),
                   "Is het plan van aanpak nog actueel en welke afdoening adviseert u?")  # fmt: skip
        mark(late, outbox.VERZONDEN, NOW - dt.timedelta(days=1, hours=1, minutes=30))
        soon = ask(k2, vh2, "24-uur", NOW - dt.timedelta(hours=23, minutes=25),
                   "Loopt er een zorgtraject? Is een meldplicht bij de reclassering zinvol?")  # fmt: skip
        mark(soon, outbox.VERZONDEN, NOW - dt.timedelta(hours=23, minutes=25))
        running = ask(k3, vh3, "volgende-werkdag-13", NOW - dt.timedelta(hours=2),
                      "Welke bijzondere voorwaarden adviseert u bij een voorwaardelijk sepot?")  # fmt: skip
        mark(running, outbox.VERZONDEN, NOW - dt.timedelta(hours=2))
        failed = ask(unknown[0], "VH-GV", "5-werkdagen", NOW - dt.timedelta(minutes=40),
                     "Is betrokkene bekend bij het zorg- en veiligheidshuis?")  # fmt: skip
        mark(failed, outbox.MISLUKT, error="550 5.1.1 <zsm@zvh-gooi.example.org>: mailbox onbekend")
        svc.nieuw(s, item_id=unknown[1], vh_code="VH-FLE", vraag="Actueel beeld gevraagd.",
                  termijn="7-dagen", account=app.account, roles=roles, per=NOW, now=NOW,
                  verzenden=False)  # fmt: skip
        done = ask(unknown[2], "VH-UTR", "24-uur", NOW - dt.timedelta(hours=5), "Advies?")
        mark(done, outbox.VERZONDEN, NOW - dt.timedelta(hours=5))
        svc.registreer_antwoord(s, done.id, tekst="Geen bezwaar tegen sepot.", van="M. Bakker",
                                via="telefoon", account=app.account, roles=roles,
                                op=NOW - dt.timedelta(hours=1), now=NOW)  # fmt: skip
    return app, known[0][0], unknown[3]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--view", choices=("lijst", "nieuw", "screening"), default="lijst")
    ap.add_argument("--size", default="")
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    from zsm_desk.desk import Desk
    from zsm_desk.domain.access import Role
    from zsm_desk.ui import adviesvraag_dialog as ui

    tmp = tempfile.mkdtemp(prefix="zsm-shot-")
    app, known_id, unknown_id = build(f"sqlite:///{tmp}/adviesvraag.sqlite")
    roles = frozenset(Role)
    desk = Desk(app.db, app.account)

    def run_in_worker(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn()
        except Exception as e:  # shown in the dialog like the real worker does
            if on_error is not None:
                on_error(str(e))
            return
        if on_done is not None:
            on_done(result)

    def load(fn: Any) -> Any:
        out: list[Any] = []
        run_in_worker(fn, out.append, lambda m: sys.exit(f"laden mislukt: {m}"))
        return out[0]

    qapp = QApplication.instance() or QApplication(sys.argv)
    dlg: Any
    if args.view == "lijst":
        dlg = ui.AdviesvragenDialog(run_in_worker, desk, roles, clock=lambda: NOW)
        dlg.gesloten.setChecked(True)
        dlg.table.selectRow(1)
    elif args.view == "nieuw":
        prep = load(lambda: desk.adviesvraag_voorbereiden(known_id, now=NOW))
        dlg = ui.NewAdviesvraagDialog(prep, run_in_worker, desk, roles, clock=lambda: NOW)
        dlg.vraag_edit.setPlainText(
            "Het huidige plan van aanpak dateert van maart. Welke afdoening adviseert u, en "
            "is een contactverbod met het slachtoffer nog nodig?"
        )
        dlg.kies_termijn("volgende-werkdag-13")
    else:
        prep = load(lambda: desk.screening_voorbereiden(unknown_id))
        dlg = ui.ScreeningDialog(prep, run_in_worker, desk, roles)
        dlg.tick("recidive", "aard_ernstig", "first_offender")
    if args.size:
        w, h = (int(x) for x in args.size.split("x"))
        dlg.resize(w, h)
    dlg.show()
    for _ in range(10):
        qapp.processEvents()
    dlg.grab().save(args.out)
    print(args.out)
    dlg.close()
    del dlg  # before the QApplication goes: a widget must not outlive it
    app.db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
