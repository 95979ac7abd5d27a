"""Benchmark: from process start to a painted main window with a full queue.

    .venv/bin/python benchmarks/startup.py [--items 5000] [--runs 3]

The parent prepares a SQLite database with N synthetic instroom items (plus
N/10 register markings with matches, as in `benchmarks/queue_speed.py`) and then
starts a child process per run on the offscreen platform. The child opens the
database the way `zsm-desk-gui` does (`open_app`, migrations checked), creates
`MainWindow`, shows it, waits until the worker has delivered the rows, lets the
event loop paint once (`QTimer.singleShot(0)` + `win.grab()`) and reports:

* interpreter start → top of the script (Linux: from /proc, 10 ms resolution);
* top of the script → imports done → window shown → rows in the model → painted;
* the parent's wall time from `Popen` until the child reported "painted".

Window state goes to a temporary QSettings directory, never the user's own.
"""

# ruff: noqa: E402 - the clock starts before any import
from __future__ import annotations

import time

T0 = time.perf_counter()

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _process_age_s() -> float | None:
    """Seconds since this process was started (Linux), else None."""
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        start_ticks = int(stat[19])  # field 22: starttime, in clock ticks since boot
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def child(db_url: str, settings_dir: str) -> int:
    age_at_top = _process_age_s()
    marks: dict[str, float] = {}
    if age_at_top is not None:
        # perf_counter has no fixed origin; measure the age once and carry on.
        marks["interpreter start → script top"] = age_at_top - (time.perf_counter() - T0)
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer

    from zsm_desk.app_context import open_app
    from zsm_desk.ui.app import make_application
    from zsm_desk.ui.main_window import MainWindow

    marks["imports"] = time.perf_counter() - T0
    app = make_application(["zsm-desk-bench"])
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("ZSM Desk benchmark")
    ctx = open_app(db_url)
    marks["database open"] = time.perf_counter() - T0
    win = MainWindow(ctx)
    win.show()
    marks["window shown (empty)"] = time.perf_counter() - T0
    done: dict[str, object] = {}
    cpu: dict[str, float] = {}

    def painted() -> None:
        win.grab()  # renders the whole window, table rows included
        marks["painted with rows"] = time.perf_counter() - T0
        cpu["CPU time of the process until painted"] = time.process_time()
        done["rows"] = win.model.total
        print("PAINTED", flush=True)
        win.close()  # stops the worker thread
        app.quit()

    def on_rows() -> None:
        if win.model.total and "rows in model" not in marks:
            marks["rows in model"] = time.perf_counter() - T0
            QTimer.singleShot(0, painted)

    win.model.modelReset.connect(on_rows)
    app.exec()
    marks.update(cpu)  # since process start, all threads
    print(json.dumps({"marks": marks, "rows": done.get("rows", 0)}), flush=True)
    return 0


def _load_queue_bench():  # type: ignore[no-untyped-def]
    # Loaded by path, so the file name can never shadow a standard-library module.
    spec = importlib.util.spec_from_file_location("bench_queue", HERE / "queue_speed.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def parent(items: int, runs: int) -> int:
    sys.path.insert(0, str(ROOT))
    from zsm_desk.services.security.users import current_account
    from zsm_desk.services.storage.db import open_database

    bq = _load_queue_bench()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'startup.sqlite'}"
        db = open_database(url)
        t = time.perf_counter()
        counts = bq.fill_database(db, items, max(1, items // 10), current_account())
        db.dispose()
        print(f"Prepared {counts['items']:,} items, {counts['markings']:,} markings, "
              f"{counts['matches']:,} matches in {time.perf_counter() - t:.1f} s "
              f"(not part of the figures)")  # fmt: skip
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        results = []
        for n in range(runs):
            t = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--child", url, tmp],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            )  # fmt: skip
            assert proc.stdout is not None
            wall_painted = None
            lines = []
            for line in proc.stdout:
                if line.startswith("PAINTED") and wall_painted is None:
                    wall_painted = time.perf_counter() - t
                lines.append(line)
            proc.wait()
            wall_exit = time.perf_counter() - t
            if proc.returncode != 0 or wall_painted is None:
                print(f"run {n + 1}: child failed ({proc.returncode})\n{proc.stderr.read()}")  # type: ignore[union-attr]
                return 1
            data = json.loads(lines[-1])
            data["wall until painted"] = wall_painted
            data["wall until exit"] = wall_exit
            results.append(data)
    names = list(results[0]["marks"])
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPU(s), load average {load}, offscreen, "
          f"{results[0]['rows']:,} rows; seconds, {runs} run(s), median in the last column")  # fmt: skip
    header = "".join(f"  run {i + 1:>2}" for i in range(runs))
    print(f"{'':<44}{header}   median")
    for name in names:
        vals = [r["marks"][name] for r in results]
        label = name if name.startswith(("interpreter", "CPU")) else f"script top → {name}"
        print(f"{'child: ' + label:<44}" + "".join(f"{v:8.2f}" for v in vals)
              + f"{statistics.median(vals):9.2f}")  # fmt: skip
    for key in ("wall until painted", "wall until exit"):
        vals = [r[key] for r in results]
        print(f"{'parent: Popen → ' + key.removeprefix('wall until '):<44}"
              + "".join(f"{v:8.2f}" for v in vals) + f"{statistics.median(vals):9.2f}")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("DB_URL", "SETTINGS_DIR"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(*args.child)
    return parent(args.items, args.runs)


if __name__ == "__main__":
    sys.exit(main())
