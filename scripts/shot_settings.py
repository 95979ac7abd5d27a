"""Screenshot of the settings dialog on a synthetic demo database.

    xvfb-run -a .venv/bin/python scripts/shot_settings.py /tmp/settings.png --tab 1

Options: --tab N (0 Algemeen, 1 Veiligheidshuizen, 2 SMTP, 3 Feed,
4 Bewaartermijnen, 5 Gebruikers en rollen); --problems fills in a bad mailbox
and saves, to show the list of problems; --geen-rol shows what an account
without the beheerder role sees; --size WxH. Runs the dialog's worker jobs
synchronously on a temporary SQLite database (synthetic data only).
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
    parser.add_argument("--tab", type=int, default=0)
    parser.add_argument("--problems", action="store_true")
    parser.add_argument("--geen-rol", action="store_true")
    parser.add_argument("--size", default="980x640")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from zsm_desk.app_context import open_app
    from zsm_desk.desk import Desk
    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.demo.demo_data import TZ
    from zsm_desk.ui.settings_dialog import SettingsDialog

    tmp = tempfile.mkdtemp(prefix="zsm-shot-")
    ctx = open_app(f"sqlite:///{tmp}/shot.sqlite")
    demo_install.install(ctx, seed=1, day_end=dt.datetime(2026, 11, 22, 23, 0, tzinfo=TZ), items=40)
    with ctx.db.session() as s:
        from zsm_desk.domain.access import Role
        from zsm_desk.services.security import users

        users.set_roles(s, ctx.account, "jjansen", frozenset({Role.KPC}))
        users.set_roles(s, ctx.account, "pdevries", frozenset({Role.OFFICIER, Role.KPC}))
        users.set_roles(s, ctx.account, "stagiair", frozenset())

    def run(fn: Any, on_done: Any = None, on_error: Any = None) -> None:
        try:
            result = fn()
        except Exception as e:
            if on_error:
                on_error(str(e))
            return
        if on_done:
            on_done(result)

    def fake_http(cfg: Any, store: Any, endpoint: str = "instroom") -> tuple[bool, str]:
        return False, "De server antwoordde niet binnen de tijd (vh-utrecht.example.org)."

    app = QApplication.instance() or QApplication(sys.argv[:1])
    account = "stagiair" if args.geen_rol else ctx.account
    dialog = SettingsDialog(Desk(ctx.db, account), run, http_tester=fake_http)
    w, h = (int(v) for v in args.size.lower().split("x"))
    dialog.resize(w, h)
    dialog.tabs.setCurrentIndex(args.tab)
    if args.tab == 1 and dialog.vh_table.rowCount() > 1:
        dialog.vh_table.setCurrentCell(1, 0)
        dialog.test_register()
    if args.problems:
        dialog.vh_fields["mailbox"].setText("niet-een-adres")
        dialog._vh_edited("mailbox")
        dialog.locatie.setText("")
        dialog.save()
    ok = show_and_grab(app, dialog, args.out)
    ctx.db.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
