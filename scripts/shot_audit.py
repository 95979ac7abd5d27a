"""Screenshot of the audit viewer on a synthetic demo database.

    xvfb-run -a .venv/bin/python scripts/shot_audit.py /tmp/audit.png --verify

Options: --verify runs "Keten controleren" first; --actie NAME filters on an
action (e.g. inzage-vh); --geen-rol shows what a non-beheerder sees; --size WxH.
The dialog's worker jobs run synchronously on a temporary SQLite database
(synthetic data only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from _shot import show_and_grab  # scripts/ is on the path when run as a script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--verify", action="store_true")
    parser.add_argument("--actie", default="")
    parser.add_argument("--geen-rol", action="store_true")
    parser.add_argument("--size", default="1100x620")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from zsm_desk.app_context import open_app
    from zsm_desk.desk import Desk
    from zsm_desk.domain.access import Role
    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.registers import vh_info
    from zsm_desk.services.security import users
    from zsm_desk.services.storage import audit
    from zsm_desk.services.storage.models import InstroomItem
    from zsm_desk.ui.audit_view import AuditDialog

    tmp = tempfile.mkdtemp(prefix="zsm-shot-")
    ctx = open_app(f"sqlite:///{tmp}/shot.sqlite")
    day_end = dt.datetime.now(dt.UTC)
    demo_install.install(ctx, seed=1, day_end=day_end, items=150)
    with ctx.db.session() as s:
        from sqlalchemy import select

        users.set_roles(s, ctx.account, "jjansen", frozenset({Role.KPC}))
        known = s.execute(
            select(InstroomItem.id).where(InstroomItem.vh_status == "bekend")
        ).scalars()
        roles = users.roles_of(s, ctx.account)
        for item_id in list(known)[:8]:
            vh_info.case_detail(s, item_id, account="jjansen", roles=roles)
        audit.append(s, "pdevries", audit.PRINT, item_id=12, purpose="afdruk afstemmingsoverleg",
                     detail={"soort": "plan"})  # fmt: skip

    def run(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn()
        except Exception as e:
            if on_error:
                on_error(str(e))
            return
        if on_done:
            on_done(result)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    account = "jjansen" if args.geen_rol else ctx.account
    dialog = AuditDialog(Desk(ctx.db, account), run, today=dt.date.today())
    w, h = (int(v) for v in args.size.lower().split("x"))
    dialog.resize(w, h)
    if args.actie:
        dialog.action_filter.setCurrentText(args.actie)
    if args.verify:
        dialog.verify()
    ok = show_and_grab(app, dialog, args.out)
    ctx.db.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
