"""`zsm-desk zelftest`: does this installation work? (for IT and the installer tests)

Checks that Qt's Dutch catalogue (qtbase_nl.qm) is where Qt looks for it,
opens the real window on the database, selects the first known suspect, asks
for the plan van aanpak exactly as the print button does, and waits until the
print preview (QtPdf) shows the PDF. Exit 0 and one line on success; exit 1 and
one Dutch line on failure. ``--screenshot FILE`` saves the preview.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

TIMEOUT_S = 60.0


def cmd_selftest(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from zsm_desk.services.printing import print_jobs
    from zsm_desk.services.storage.app import open_app
    from zsm_desk.ui.app import make_application

    app = make_application()
    ctx = open_app(getattr(args, "db", None))
    with ctx.db.session() as s:
        known = set(print_jobs.known_item_ids(s))
    if not known:
        print("zsm-desk: zelftest: geen bekende verdachte in de database (laad eerst `zsm-desk demo`)",
              file=sys.stderr)  # fmt: skip
        return 1
    try:
        from zsm_desk.ui.main_window import MainWindow
        from zsm_desk.ui.print_preview import PrintPreviewDialog
        from zsm_desk.ui.queue_model import ID_ROLE
    except ImportError as e:  # QtPdf or another Qt part missing from the installation
        print(f"zsm-desk: zelftest: onderdeel ontbreekt ({e.name})", file=sys.stderr)
        return 1

    from PySide6.QtCore import QLibraryInfo

    qm = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_nl.qm"
    if not qm.exists():  # the installer must bring Qt's Dutch catalogue (buttons, dialogs)
        print(f"zsm-desk: zelftest: Qt-vertaling ontbreekt ({qm})", file=sys.stderr)
        return 1

    win = MainWindow(ctx)
    win.show()
    state: dict[str, Any] = {"phase": "laden", "result": 1, "pages": 0}
    started = time.monotonic()

    def step() -> None:
        if time.monotonic() - started > TIMEOUT_S:
            state["message"] = (
                f"zsm-desk: zelftest: {state['phase']} duurde langer dan {TIMEOUT_S:.0f} s"
            )
            _finish()
            return
        if state["phase"] == "laden":
            view = win.table
            model = view.model()
            for row in range(model.rowCount()):
                index = model.index(row, 0)
                if index.data(ID_ROLE) in known:
                    view.setCurrentIndex(index)
                    view.selectRow(row)
                    state["phase"] = "afdrukvoorbeeld"
                    QTimer.singleShot(0, win.print_current)  # opens a modal dialog
                    break
        elif state["phase"] == "afdrukvoorbeeld":
            for w in QApplication.topLevelWidgets():
                if isinstance(w, PrintPreviewDialog) and w.isVisible():
                    pages = w.document.pageCount()
                    if pages > 0:
                        state["pages"] = pages
                        QTimer.singleShot(300, lambda dlg=w: _shoot_and_close(dlg))
                        state["phase"] = "afsluiten"
                        return
        QTimer.singleShot(100, step)

    def _shoot_and_close(dlg: Any) -> None:
        if args.screenshot:
            dlg.grab().save(str(Path(args.screenshot)))
        state["result"] = 0
        state["message"] = (
            f"Zelftest geslaagd: venster en afdrukvoorbeeld "
            f"({state['pages']} {'pagina' if state['pages'] == 1 else 'pagina' + chr(39) + 's'}) "
            f"op {ctx.db.url.split('://', 1)[0]}."
        )
        dlg.reject()
        QTimer.singleShot(0, _finish)

    def _finish() -> None:
        win.close()
        app.quit()

    QTimer.singleShot(0, step)
    app.exec()
    ctx.db.dispose()
    message = state.get("message", "zsm-desk: zelftest mislukt")
    print(message, file=sys.stdout if state["result"] == 0 else sys.stderr)
    return int(state["result"])


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "zelftest",
        parents=[common],
        help="controleer de installatie: venster en afdrukvoorbeeld (plan van aanpak)",
    )
    p.add_argument("--screenshot", metavar="PNG", help="sla het afdrukvoorbeeld op als afbeelding")
    p.set_defaults(func=cmd_selftest)
