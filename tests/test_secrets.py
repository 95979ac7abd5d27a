"""Tests for zsm_desk.services.keys.secrets: secrets only in a secure OS keyring."""

from __future__ import annotations

import base64
import importlib.util
import logging
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from zsm_desk.services.keys import secrets
from zsm_desk.services.keys.secrets import (
    NO_SECURE_STORE_MESSAGE,
    SERVICE_NAME,
    SecretNameError,
    SecretStore,
    SecretUnavailableError,
    SecretValueError,
    is_secure_backend,
)

REPO = Path(__file__).resolve().parents[1]
SECRET = "Zeer-Geheim-7f3a9c-wachtwoord"


class MemoryKeyring(KeyringBackend):
    """A secure-looking in-memory backend for tests.

    ``viable = False`` keeps keyring's auto-detection from ever picking this
    class for other tests in the same process; it is only used explicitly.
    """

    priority = 1
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.store[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


class LockedKeyring(KeyringBackend):
    priority = 1
    viable = False

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class BrokenKeyring(LockedKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.InitError("Failed to create the collection: no D-Bus.")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringError(f"boom with {password}")


class LowPriorityKeyring(MemoryKeyring):
    priority = 0.5


class AltLookalikeKeyring(MemoryKeyring):
    """Pretends to come from keyrings.alt (which must never be installed)."""


AltLookalikeKeyring.__module__ = "keyrings.alt.file"


class WindowsLookalikeKeyring(MemoryKeyring):
    pass


WindowsLookalikeKeyring.__module__ = "keyring.backends.Windows"


class FakeChainer(chainer.ChainerBackend):
    viable = False
    chained: list[KeyringBackend] = []  # noqa: RUF012

    @property
    def backends(self) -> list[KeyringBackend]:  # type: ignore[override]
        return self.chained


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    original = keyring.get_keyring()
    secrets.reset_default_store()
    yield
    keyring.set_keyring(original)
    secrets.reset_default_store()


# --------------------------------------------------------------------------- secure backend


def test_secure_backend_stores_reads_and_deletes() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert store.secure
    assert "sleutelopslag" in store.status()

    result = store.set("feed", SECRET)
    assert result.stored_in_keyring
    assert SECRET not in result.message
    assert backend.store == {(SERVICE_NAME, "feed"): SECRET}
    assert store.get("feed") == SECRET
    # A second store (e.g. the next run) reads it from the keyring.
    assert SecretStore(backend).get("feed") == SECRET

    store.delete("feed")
    assert store.get("feed") is None
    store.delete("feed")  # deleting a missing secret is fine


def test_set_keyring_is_picked_up_and_default_store_is_shared() -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    store = secrets.default_store()
    assert store is secrets.default_store()
    assert store.secure and secrets.secure_store_available()
    store.set("register:VH-UTR", SECRET)
    assert backend.store[(SERVICE_NAME, "register:VH-UTR")] == SECRET


@pytest.mark.parametrize("name", ["smtp", "feed", "register", "register:VH-UTR"])
def test_known_names(name: str) -> None:
    store = SecretStore(MemoryKeyring())
    assert store.set(name, SECRET).stored_in_keyring
    assert store.get(name) == SECRET


@pytest.mark.parametrize("name", ["", "imap", "register:", "register: VH", "feed:x", "SMTP"])
def test_unknown_names_rejected(name: str) -> None:
    store = SecretStore(MemoryKeyring())
    with pytest.raises(SecretNameError, match="Onbekende naam"):
        store.set(name, SECRET)
    with pytest.raises(SecretNameError):
        store.get(name)


def test_register_secret_name() -> None:
    assert secrets.register_secret_name(None) == "register"
    assert secrets.register_secret_name("VH-UTR") == "register:VH-UTR"


def test_empty_value_rejected() -> None:
    with pytest.raises(SecretValueError, match="leeg"):
        SecretStore(MemoryKeyring()).set("smtp", "")


# --------------------------------------------------------------------------- no secure store


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), LowPriorityKeyring(), AltLookalikeKeyring()],
    ids=["fail", "null", "low-priority", "keyrings.alt"],
)
def test_insecure_backends_keep_secrets_in_memory_only(backend: KeyringBackend) -> None:
    store = SecretStore(backend)
    assert not store.secure
    assert store.status() == NO_SECURE_STORE_MESSAGE
    result = store.set("smtp", SECRET)
    assert not result.stored_in_keyring
    assert result.message == NO_SECURE_STORE_MESSAGE
    assert store.get("smtp") == SECRET
    if isinstance(backend, MemoryKeyring):
        assert backend.store == {}  # never handed to a plaintext backend
    # Only this session: a new store (= next start) does not know it.
    assert SecretStore(backend).get("smtp") is None
    store.delete("smtp")
    assert store.get("smtp") is None


def test_default_fail_keyring_reports_no_secure_store() -> None:
    keyring.set_keyring(fail.Keyring())
    assert not secrets.secure_store_available()
    assert secrets.status_message() == (
        "Geen beveiligde sleutelopslag beschikbaar: "
        "wachtwoorden worden alleen voor deze sessie onthouden."
    )


def test_chainer_classification() -> None:
    FakeChainer.chained = [LowPriorityKeyring(), AltLookalikeKeyring()]
    assert not is_secure_backend(FakeChainer())
    FakeChainer.chained = []
    assert not is_secure_backend(FakeChainer())
    FakeChainer.chained = [MemoryKeyring(), LowPriorityKeyring()]
    assert is_secure_backend(FakeChainer())
    FakeChainer.chained = [AltLookalikeKeyring(), MemoryKeyring()]
    assert not is_secure_backend(FakeChainer())  # new secrets would go to the first
    assert not is_secure_backend(None)


def test_keyrings_alt_is_not_installed_nor_a_dependency() -> None:
    assert importlib.util.find_spec("keyrings") is None or (
        importlib.util.find_spec("keyrings.alt") is None
    )
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        deps.extend(extra)
    assert not any("keyrings.alt" in d.lower() or "keyrings-alt" in d.lower() for d in deps)


# --------------------------------------------------------------------------- keyring failures


def test_locked_keyring_reported_in_words(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(LockedKeyring())
    assert store.secure
    with pytest.raises(SecretUnavailableError, match="vergrendeld") as info:
        store.get("feed")
    assert info.value.__cause__ is None and info.value.__suppress_context__

    result = store.set("feed", SECRET)
    assert not result.stored_in_keyring
    assert "vergrendeld" in result.message and "deze sessie" in result.message
    # Usable for this session after all.
    assert store.get("feed") == SECRET
    assert SECRET not in caplog.text


def test_delete_on_locked_keyring_raises_words() -> None:
    with pytest.raises(SecretUnavailableError, match="vergrendeld"):
        SecretStore(LockedKeyring()).delete("smtp")


def test_unavailable_and_generic_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(BrokenKeyring())
    with pytest.raises(SecretUnavailableError, match="niet bereikbaar"):
        store.get("smtp")
    result = store.set("smtp", SECRET)
    assert not result.stored_in_keyring
    assert "fout" in result.message
    assert SECRET not in result.message
    assert SECRET not in caplog.text


def test_windows_credential_manager_limit_checked_before_trying() -> None:
    backend = WindowsLookalikeKeyring()
    store = SecretStore(backend)
    assert store.set("smtp", "x" * 1280).stored_in_keyring
    with pytest.raises(SecretValueError, match="te lang voor Windows Referentiebeheer"):
        store.set("feed", "x" * 1281)
    assert (SERVICE_NAME, "feed") not in backend.store
    # Other stores have no such limit.
    assert SecretStore(MemoryKeyring()).set("feed", "x" * 5000).stored_in_keyring


def test_reprs_do_not_show_values() -> None:
    store = SecretStore(null.Keyring())
    store.set("smtp", SECRET)
    assert SECRET not in repr(store)
    assert SECRET not in repr(store._session)


# --------------------------------------------------------------------------- never on disk


def _isolate_home(monkeypatch: pytest.MonkeyPatch, root: Path) -> dict[str, str]:
    env = {
        "HOME": root / "home",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_DATA_HOME": root / "data",
        "XDG_CACHE_HOME": root / "cache",
        "XDG_STATE_HOME": root / "state",
        "XDG_RUNTIME_DIR": root / "runtime",
        "TMPDIR": root / "tmp",
    }
    for key, path in env.items():
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(key, str(path))
    return {k: str(v) for k, v in env.items()}


def _assert_not_on_disk(root: Path, secret: str) -> None:
    needles = [
        secret.encode(),
        secret.encode("utf-16-le"),
        base64.b64encode(secret.encode()),
    ]
    files = [p for p in root.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"secret found in {path}"


def test_secret_never_reaches_disk_with_null_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _isolate_home(monkeypatch, tmp_path)
    keyring.set_keyring(null.Keyring())
    store = secrets.default_store()
    for name in ("smtp", "feed", "register", "register:VH-UTR"):
        assert not store.set(name, SECRET).stored_in_keyring
    assert store.get("feed") == SECRET
    _assert_not_on_disk(tmp_path, SECRET)


@pytest.mark.parametrize(
    "backend", ["keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"]
)
def test_secret_never_reaches_disk_in_a_fresh_process(tmp_path: Path, backend: str) -> None:
    """A whole process (keyring's own start-up included) with the user dirs in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTHON_KEYRING"))}
    for key in (
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "XDG_RUNTIME_DIR",
        "TMPDIR",
    ):
        path = tmp_path / key.lower()
        path.mkdir()
        env[key] = str(path)
    env["PYTHON_KEYRING_BACKEND"] = backend
    env["ZSM_TEST_SECRET"] = SECRET
    code = (
        "import os, sys\n"
        "from zsm_desk.services.keys import secrets\n"
        "s = secrets.default_store()\n"
        "r = s.set('smtp', os.environ.pop('ZSM_TEST_SECRET'))\n"
        "assert not s.secure and not r.stored_in_keyring\n"
        "print(s.status())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert NO_SECURE_STORE_MESSAGE in proc.stdout
    assert SECRET not in proc.stdout + proc.stderr
    _assert_not_on_disk(tmp_path, SECRET)
