"""Screenshots for the README: queue, detail pane, review and decision dialogs, light and dark,
at 150 % on a 1920×1080 screen (1280×720 logical).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py [MAP]

Writes ``MAP/{licht,donker}-{wachtrij,detail,controle,beslissing}.png`` (default
``docs/screenshots``). Each palette runs in its own process with
``QT_SCALE_FACTOR=1.5`` and ``ZSM_DESK_KLEUREN``, on a temporary demo database
(synthetic data only). The dialogs open through the main window's own actions;
``QDialog.exec`` is replaced by "show, settle, save, close".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
THEMES = ("licht", "donker")


def settle(app: Any, seconds: float, until: Any = None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            break
        time.sleep(0.02)


def save(widget: Any, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = widget.grab().save(str(out))
    print(f"{out}: {'ok' if ok else 'MISLUKT'}")


def shoot(theme: str, outdir: Path) -> int:
    """One palette: the main window and the two dialogs."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QDialog

    from zsm_desk.services.demo import demo_install
    from zsm_desk.services.storage.app import open_app
    from zsm_desk.ui.app import make_application
    from zsm_desk.ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    QSettings().clear()  # defaults, not the last session's layout
    ctx = open_app(f"sqlite:///{tempfile.mkdtemp(prefix='zsm-shot-')}/shot.sqlite")
    demo_install.install(ctx, seed=1, work=True)  # the 24 hours up to now: live countdowns
    win = MainWindow(ctx, poll=False)
    win.show()
    idle = lambda: win.worker.pending == 0 and not win._loading  # noqa: E731
    settle(app, 10, lambda: win.model.total > 0 and idle())
    settle(app, 0.5)

    def select(pred: Any) -> Any:
        for i in range(win.model.rowCount()):
            r = win.model.row_at(i)
            if r is not None and pred(r):
                win.table.selectRow(i)
                win.table.scrollTo(win.model.index(i, 0))
                settle(app, 5, lambda: bool(win.detail.toPlainText()) and idle())
                settle(app, 0.5)
                return r
        raise SystemExit("geen passende verdachte in de demodag")

    def grab_instead(name: str) -> Any:
        def fake_exec(dlg: QDialog) -> int:
            dlg.show()
            settle(app, 1.0)
            save(dlg, outdir / f"{theme}-{name}.png")
            dlg.reject()
            return 0

        return fake_exec

    select(lambda r: r.vh_status == "bekend" and not r.minderjarig and bool(r.slagzin)
           and r.status == "in behandeling")  # fmt: skip
    save(win, outdir / f"{theme}-wachtrij.png")
    save(win.detail.parentWidget(), outdir / f"{theme}-detail.png")
    QDialog.exec = grab_instead("beslissing")  # type: ignore[method-assign]
    win.decide_current()
    settle(app, 5, lambda: (outdir / f"{theme}-beslissing.png").exists())
    select(lambda r: r.vh_status == "mogelijk")
    QDialog.exec = grab_instead("controle")  # type: ignore[method-assign]
    win.review_current()
    settle(app, 5, lambda: (outdir / f"{theme}-controle.png").exists())
    settle(app, 1, idle)
    win.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--thema", choices=THEMES, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.thema:
        return shoot(args.thema, args.out)
    if not os.environ.get("DISPLAY"):
        print("Start onder Xvfb: xvfb-run -a -s '-screen 0 1920x1080x24' ...", file=sys.stderr)
        return 2
    rc = 0
    for theme in THEMES:
        env = {**os.environ, "QT_SCALE_FACTOR": "1.5", "ZSM_DESK_KLEUREN": theme,
               "QT_QPA_PLATFORM": "xcb", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
               "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="zsm-shot-cfg-")}  # fmt: skip
        rc |= subprocess.run([sys.executable, __file__, str(args.out), "--thema", theme],
                             env=env, check=False).returncode  # fmt: skip
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
