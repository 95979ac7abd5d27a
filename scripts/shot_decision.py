"""Screenshots of the decision dialog, the terugkoppeling preview and the outbox.

xvfb-run -a -s "-screen 0 1600x950x24" .venv/bin/python scripts/shot_decision.py /tmp/decision
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile

from sqlalchemy import select


def main() -> int:
    prefix = sys.argv[1] if len(sys.argv) > 1 else "decision"
    from zsm_desk.app_context import open_app
    from zsm_desk.desk import Desk
    from zsm_desk.services.decisions import decisions_service
    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.storage.config import load_settings
    from zsm_desk.services.storage.models import InstroomItem
    from zsm_desk.ui.app import make_application
    from zsm_desk.ui.decision_dialog import (
        DecisionContext,
        DecisionDialog,
        FeedbackDialog,
        describe_outcome,
    )
    from zsm_desk.ui.outbox_view import OutboxDialog
    from zsm_desk.ui.worker import DbWorker

    app = make_application()
    ctx = open_app(f"sqlite:///{tempfile.mkdtemp()}/shot.sqlite")
    demo_install.install(ctx, seed=1)
    roles = ctx.roles()
    with ctx.db.session() as s:
        item = s.execute(
            select(InstroomItem).where(InstroomItem.vh_status == "bekend").limit(1)
        ).scalar_one()
        dctx = DecisionContext(item.id, f"{item.voornamen} {item.achternaam}", item.bvh_nummer,
                               False, True, [(d.code, d.label, d.allowed_for(False),
                                              str(d.sepotcode)) for d in
                                             decisions_service.load_codelist(s)], False,
                               ctx.account)  # fmt: skip
    dlg = DecisionDialog(dctx)
    dlg.advies.setCurrentIndex(dlg.advies.findData("deels"))
    dlg.motivering.setPlainText("Contactverbod opgelegd; reclasseringstoezicht past niet.")
    dlg.show()
    app.processEvents()
    dlg.grab().save(f"{prefix}-dialog.png")
    with ctx.db.session() as s:
        out = decisions_service.record_decision(
            s, item.id,
            decisions_service.DecisionInput(beslissing="dagvaarden", advies_gevolgd="deels",
                                            motivering="Contactverbod opgelegd; toezicht past niet."),
            account=ctx.account, roles=roles, now=dt.datetime.now(dt.UTC),
        )  # fmt: skip
        names = {v.code: v.naam for v in load_settings(s).veiligheidshuizen}
        previews = {m.outbox_id: outbox.preview(s, m.outbox_id)[2] for m in out.messages}
    fb = FeedbackDialog(
        describe_outcome(out.to_dict(), names), out.to_dict()["berichten"], previews
    )
    fb.show()
    app.processEvents()
    fb.grab().save(f"{prefix}-feedback.png")
    w1, w2 = DbWorker(), DbWorker()
    ob = OutboxDialog(Desk(ctx.db, ctx.account), w1.submit, w2.submit, roles)
    ob.show()
    for _ in range(30):
        app.processEvents()
        import time

        time.sleep(0.05)
    ob.table.selectRow(0)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.05)
    ob.grab().save(f"{prefix}-outbox.png")
    w1.stop()
    w2.stop()
    print("saved", prefix)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
