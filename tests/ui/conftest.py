"""Shared set-up of the window tests (tests/ui/): every test gets its own
QSettings directory, so saved geometry, splitter and column state never leak
between tests or into the user's own settings. Demo databases and the
synchronous worker stand-ins are in `tests/ui/helpers.py` and
`tests/helpers/stubs.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.helpers import temp_qsettings


@pytest.fixture(autouse=True)
def settings_dir(qapp, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    yield from temp_qsettings(tmp_path)
