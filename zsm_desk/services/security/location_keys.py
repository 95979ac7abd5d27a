"""The location's keys, held outside the database.

Two keys: ``audit`` (HMAC of the audit chain) and ``opschoning`` (HMAC of the
bvh_nummer of a case purged after sepot 01). Someone with database access but
without the key can neither rewrite the chain so that it verifies nor turn a
tombstone back into the number by trying candidates.

Where a key lives, first found wins:

1. the OS keyring (secrets layer, names ``audit`` / ``opschoning``). The
   beheerder sets the same value on every desk of a location, like the SMTP
   secret: ``zsm-desk secret set audit`` (a random value, e.g.
   ``openssl rand -hex 32``);
2. a key file in this desk's local state directory (``keys/<name>.key``,
   mode 0600), made on first use. Good for a single desk on SQLite; for a
   location with several desks the beheerder must distribute one key (1.),
   otherwise each desk signs with its own key and `audit verify` says so.

The state directory is ``$ZSM_DESK_STATE_DIR`` or the platform's user state
directory; it is never the database's directory.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets as pysecrets
from pathlib import Path

import platformdirs

from zsm_desk.services.security.secrets import SecretStoreError, default_store

log = logging.getLogger(__name__)

AUDIT = "audit"
PURGE = "opschoning"
STATE_ENV = "ZSM_DESK_STATE_DIR"


def state_dir() -> Path:
    """This desk's local state directory (0700), made when missing."""
    path = Path(os.environ.get(STATE_ENV) or platformdirs.user_state_dir("zsm-desk", False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _derive(name: str, secret: str) -> bytes:
    return hashlib.sha256(f"zsm-desk:{name}:".encode() + secret.encode("utf-8")).digest()


def _from_file(name: str, create: bool) -> bytes | None:
    path = state_dir() / "keys" / f"{name}.key"
    if path.exists():
        return _derive(name, path.read_text(encoding="ascii").strip())
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = pysecrets.token_hex(32)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value)
    try:  # another process may have made one meanwhile: keep the first
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    log.info("nieuwe lokale sleutel %s gemaakt", name)
    return _derive(name, path.read_text(encoding="ascii").strip())


_cache: dict[str, bytes] = {}


def reset_cache() -> None:
    """Forget keys read in this process (tests; after `zsm-desk secret set`)."""
    _cache.clear()


def key(name: str, *, create: bool = True) -> bytes | None:
    """The key `name` (32 bytes), from the keyring or the local key file."""
    if name in _cache:
        return _cache[name]
    found = _lookup(name, create)
    if found is not None:
        _cache[name] = found
    return found


def _lookup(name: str, create: bool) -> bytes | None:
    try:
        value = default_store().get(name)
    except SecretStoreError:
        value = None
    if value:
        return _derive(name, value)
    return _from_file(name, create)


def fingerprint(k: bytes) -> str:
    """A short public id of a key (16 hex), to tell which key made a hash."""
    return hmac.new(k, b"zsm-desk-sleutel-id", hashlib.sha256).hexdigest()[:16]
