"""Start the window on a demo day under Xvfb and save a PNG.

xvfb-run -a -s "-screen 0 1600x950x24" .venv/bin/python scripts/screenshot.py out.png
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile

from PySide6.QtCore import QTimer


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "zsm-desk.png"

    from zsm_desk.app_context import open_app
    from zsm_desk.services.demo import demo_install
    from zsm_desk.ui.app import make_application
    from zsm_desk.ui.main_window import MainWindow

    app = make_application()
    from PySide6.QtCore import QSettings

    QSettings().clear()  # a screenshot shows the defaults, not the last session's layout
    url = os.environ.get("ZSM_DESK_DB") or f"sqlite:///{tempfile.mkdtemp()}/shot.sqlite"
    ctx = open_app(url)
    if not os.environ.get("ZSM_DESK_DB"):
        demo_install.install(ctx, seed=1, work=True)
    win = MainWindow(ctx, poll=False)
    win.resize(1600, 900)
    win.show()

    def select_known() -> None:
        m = win.model
        for i in range(m.rowCount()):
            r = m.row_at(i)
            if r and r.vh_status == "bekend" and not r.minderjarig and r.slagzin:
                win.table.selectRow(i)
                break
        QTimer.singleShot(800, shoot)

    def shoot() -> None:
        win.grab().save(out)
        print(f"screenshot: {out} ({dt.datetime.now():%H:%M:%S})")
        app.quit()

    QTimer.singleShot(1500, select_known)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
