"""The audit head as this desk last saw it, kept outside the database.

Each desk remembers the highest (count, hash) of the audit chain it has seen
for each database, in its local state directory. Someone who cuts the last
rows off the chain and resets `audit_head` cannot reset this file on every
desk: `audit verify` on a desk that saw more rows reports the truncation, and
a rewritten row at a remembered position no longer has the remembered hash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from zsm_desk.services.security.location_keys import state_dir

try:
    import fcntl
except ImportError:  # Windows: one desk process at a time writes this file
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Anchor:
    count: int
    hash: str
    #: hash of the first entry: tells this database from a new one at the same URL
    first: str = ""


def database_id(url: str) -> str:
    """A stable id of a database from its URL (no user or password in it)."""
    u = make_url(url)
    ident = f"{u.get_backend_name()}|{u.host or ''}|{u.port or ''}|{u.database or ''}"
    return hashlib.sha256(ident.encode()).hexdigest()[:24]


@contextlib.contextmanager
def _locked() -> Iterator[dict[str, dict[str, object]]]:
    path = state_dir() / "audit-anker.json"
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        if fcntl is not None:
            fcntl.flock(f, fcntl.LOCK_EX)
        try:
            data = json.loads(f.read() or "{}")
        except ValueError:
            data = {}
        before = json.dumps(data, sort_keys=True)
        yield data
        after = json.dumps(data, sort_keys=True)
        if after != before:
            f.seek(0)
            f.truncate()
            f.write(after)
            f.flush()


def load(url: str) -> Anchor | None:
    with _locked() as data:
        row = data.get(database_id(url))
    if not isinstance(row, dict):
        return None
    return Anchor(
        int(str(row.get("count", 0))), str(row.get("hash", "")), str(row.get("first", ""))
    )


def remember(url: str, count: int, hash_: str, first: str = "", *, replace: bool = False) -> None:
    """Keep (count, hash) when it is further along than what this desk saw before.

    `replace`: forget what was seen before (the beheerder confirmed a new database).
    """
    with _locked() as data:
        key = database_id(url)
        row = data.get(key)
        if isinstance(row, dict) and not replace:
            first = first or str(row.get("first", ""))
            if int(str(row.get("count", 0))) >= count:
                if first and not row.get("first"):
                    row["first"] = first
                return
        data[key] = {"count": count, "hash": hash_, "first": first}
