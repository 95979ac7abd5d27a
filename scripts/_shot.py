"""Shared end of the screenshot scripts: show a widget, let it settle, save a PNG."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def show_and_grab(app: Any, widget: Any, out: Path, settle: float = 0.8) -> bool:
    widget.show()
    end = time.monotonic() + settle
    while time.monotonic() < end:  # let the worker fill the widget
        app.processEvents()
        time.sleep(0.02)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = bool(widget.grab().save(str(out)))
    print(f"{out}: {'ok' if ok else 'MISLUKT'}")
    widget.close()
    return ok
