"""Secrets (SMTP, feed and register passwords) kept only in the OS keyring.

ZSM Desk never writes a secret to a file. When the operating system offers a
secure credential store (Windows Credential Manager, macOS Keychain, Secret
Service / KWallet on Linux) secrets live there under the service name
``zsm-desk``. When it does not -- ``keyring``'s ``fail`` or ``null`` backend,
or a plaintext / "alternative" backend such as those of ``keyrings.alt`` --
secrets are kept in process memory for this session only
(:class:`SessionSecrets`) and the window says so with
:data:`NO_SECURE_STORE_MESSAGE`.

Errors of the keyring (locked wallet, no D-Bus, ...) are reported as Dutch
sentences (:class:`SecretStoreError`), never as a traceback.

Secret names: ``smtp``, ``feed``, ``register`` and ``register:VH-CODE`` for a
veiligheidshuis-specific register credential.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

__all__ = [
    "NO_SECURE_STORE_MESSAGE",
    "SECRET_NAMES",
    "SERVICE_NAME",
    "WINDOWS_CREDENTIAL_MAX_CHARS",
    "SecretNameError",
    "SecretStore",
    "SecretStoreError",
    "SecretUnavailableError",
    "SecretValueError",
    "SessionSecrets",
    "StoreResult",
    "default_store",
    "is_secure_backend",
    "register_secret_name",
    "reset_default_store",
    "secure_store_available",
    "status_message",
    "validate_secret_name",
]

log = logging.getLogger(__name__)

SERVICE_NAME = "zsm-desk"
SECRET_NAMES: tuple[str, ...] = ("smtp", "feed", "register", "audit", "opschoning")

NO_SECURE_STORE_MESSAGE = (
    "Geen beveiligde sleutelopslag beschikbaar: "
    "wachtwoorden worden alleen voor deze sessie onthouden."
)
SESSION_ONLY_SUFFIX = "Het wachtwoord wordt alleen voor deze sessie onthouden."

# Windows Credential Manager stores the secret as UTF-16 in a blob of at most
# CRED_MAX_CREDENTIAL_BLOB_SIZE (5 * 512) bytes; beyond it CredWrite fails with
# the obscure error 1783.
WINDOWS_CREDENTIAL_MAX_BYTES = 5 * 512
WINDOWS_CREDENTIAL_MAX_CHARS = WINDOWS_CREDENTIAL_MAX_BYTES // 2

_REGISTER_NAME_RE = re.compile(r"^register:[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class SecretStoreError(Exception):
    """A problem with the secret store; ``str(error)`` is a Dutch sentence for the user."""


class SecretUnavailableError(SecretStoreError):
    """The OS keyring could not be used (locked, not reachable, ...)."""


class SecretNameError(SecretStoreError, ValueError):
    """An unknown secret name."""


class SecretValueError(SecretStoreError, ValueError):
    """A secret value that cannot be stored (empty, too long for the store)."""


@dataclass(frozen=True)
class StoreResult:
    """Outcome of :meth:`SecretStore.set`; ``message`` is Dutch, for the user."""

    stored_in_keyring: bool
    message: str


def validate_secret_name(name: str) -> str:
    """Return ``name`` if it is a known secret name, else raise :class:`SecretNameError`."""
    if name in SECRET_NAMES or _REGISTER_NAME_RE.match(name):
        return name
    raise SecretNameError(
        f"Onbekende naam voor een wachtwoord: {name!r}. "
        "Gebruik smtp, feed, register, register:VH-CODE, audit of opschoning."
    )


def register_secret_name(vh_code: str | None) -> str:
    """The secret name for a veiligheidshuis register (``register`` or ``register:CODE``)."""
    if not vh_code:
        return "register"
    return validate_secret_name(f"register:{vh_code}")


class SessionSecrets:
    """Secrets held only in this process's memory, for this session.

    Nothing here is ever written anywhere; the values are gone when the
    application exits. ``repr`` never shows a value.
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        with self._lock:
            self._values[name] = value

    def delete(self, name: str) -> None:
        with self._lock:
            self._values.pop(name, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._values

    def __repr__(self) -> str:
        with self._lock:
            names = sorted(self._values)
        return f"SessionSecrets(names={names!r})"


# --------------------------------------------------------------------------- backends


def _class_module(backend: object) -> str:
    return type(backend).__module__ or ""


def _priority(backend: object) -> float | None:
    try:
        value = backend.priority  # type: ignore[attr-defined]
    except Exception:  # a non-viable backend raises from its priority
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _chained_backends(backend: KeyringBackend) -> list[KeyringBackend] | None:
    """The backends a ChainerBackend delegates to, or None when ``backend`` is no chainer."""
    from keyring.backends.chainer import ChainerBackend

    if not isinstance(backend, ChainerBackend):
        return None
    try:
        return list(backend.backends)
    except Exception:
        log.warning("Sleutelopslag: de gekoppelde opslagen konden niet worden bepaald.")
        return []


def is_secure_backend(backend: KeyringBackend | None) -> bool:
    """True when ``backend`` keeps secrets in a secure OS credential store.

    Not secure: no backend, ``fail.Keyring``, ``null.Keyring``, any class from
    ``keyrings.alt`` (plaintext or weakly encrypted files), any backend with a
    priority below 1 (keyring's own mark for "not recommended"), and a chainer
    whose first backend -- the one that receives new secrets -- is not secure
    (so also a chainer made only of such backends, or an empty one).
    """
    if backend is None:
        return False
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if _class_module(backend).startswith("keyrings.alt"):
        return False
    chained = _chained_backends(backend)
    if chained is not None:
        # ChainerBackend.set_password writes to the first backend that accepts it.
        return bool(chained) and is_secure_backend(chained[0])
    priority = _priority(backend)
    return priority is not None and priority >= 1


def _write_target(backend: KeyringBackend) -> KeyringBackend:
    chained = _chained_backends(backend)
    if chained:
        return chained[0]
    return backend


def _is_windows_credential_manager(backend: KeyringBackend) -> bool:
    target = _write_target(backend)
    return (
        _class_module(target).startswith("keyring.backends.Windows")
        or type(target).__name__ == "WinVaultKeyring"
    )


def _backend_name(backend: KeyringBackend) -> str:
    try:
        return str(type(backend).name)  # type: ignore[attr-defined]
    except Exception:
        return type(backend).__name__


def _describe_keyring_error(exc: BaseException) -> str:
    """A Dutch sentence for a keyring failure; never includes a secret or a traceback."""
    if isinstance(exc, keyring.errors.KeyringLocked):
        return (
            "De sleutelopslag van het systeem is vergrendeld. Ontgrendel de sleutelbos "
            "(bijvoorbeeld door opnieuw aan te melden) en probeer het opnieuw."
        )
    if isinstance(exc, keyring.errors.NoKeyringError):
        return "Er is geen sleutelopslag van het systeem beschikbaar."
    if isinstance(exc, keyring.errors.InitError):
        return (
            "De sleutelopslag van het systeem is niet bereikbaar "
            "(kon niet worden gestart of geopend)."
        )
    if isinstance(exc, keyring.errors.PasswordSetError):
        return "De sleutelopslag van het systeem weigerde het wachtwoord op te slaan."
    if isinstance(exc, keyring.errors.KeyringError):
        return "De sleutelopslag van het systeem gaf een fout en is nu niet bruikbaar."
    return (
        "De sleutelopslag van het systeem is niet bruikbaar "
        f"(onverwachte fout: {type(exc).__name__})."
    )


# --------------------------------------------------------------------------- store


class SecretStore:
    """Get and set the application's secrets.

    The keyring backend is examined once, when the store is made: ``secure``
    tells whether it is a secure OS store. If it is not, nothing is ever
    handed to it; secrets set in this session live in memory only.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._session = SessionSecrets()
        self._backend: KeyringBackend | None
        self._init_problem: str | None = None
        if backend is None:
            try:
                backend = keyring.get_keyring()
            except Exception as exc:  # e.g. a broken PYTHON_KEYRING_BACKEND
                self._init_problem = _describe_keyring_error(exc)
                log.warning("Sleutelopslag kon niet worden gekozen (%s).", type(exc).__name__)
                backend = None
        self._backend = backend
        self._secure = is_secure_backend(backend)
        if not self._secure:
            log.info(
                "Geen beveiligde sleutelopslag (%s): wachtwoorden alleen in het geheugen.",
                type(backend).__name__ if backend is not None else "geen",
            )

    # -- properties

    @property
    def secure(self) -> bool:
        """True when secrets are stored in a secure OS keyring."""
        return self._secure

    @property
    def backend(self) -> KeyringBackend | None:
        return self._backend

    @property
    def backend_name(self) -> str:
        return _backend_name(self._backend) if self._backend is not None else "geen"

    def status(self) -> str:
        """A Dutch sentence for the window about where passwords are kept."""
        if not self._secure or self._backend is None:
            if self._init_problem:
                return f"{self._init_problem} {NO_SECURE_STORE_MESSAGE}"
            return NO_SECURE_STORE_MESSAGE
        return (
            "Wachtwoorden worden bewaard in de beveiligde sleutelopslag van het systeem "
            f"({self.backend_name})."
        )

    # -- operations

    def get(self, name: str) -> str | None:
        """The secret ``name``, or None when none is set.

        A secret entered in this session (kept in memory because the keyring
        was not usable) wins. Raises :class:`SecretUnavailableError` with a
        Dutch sentence when the keyring cannot be read (e.g. locked).
        """
        validate_secret_name(name)
        value = self._session.get(name)
        if value is not None or not self._secure or self._backend is None:
            return value
        try:
            return self._backend.get_password(SERVICE_NAME, name)
        except Exception as exc:
            message = _describe_keyring_error(exc)
            log.warning(
                "Wachtwoord %r niet gelezen uit sleutelopslag: %s", name, type(exc).__name__
            )
            raise SecretUnavailableError(message) from None

    def set(self, name: str, value: str) -> StoreResult:
        """Store secret ``name``.

        Returns a :class:`StoreResult`; when the keyring is not secure or
        fails, the secret is kept in memory for this session and the message
        says why. Raises :class:`SecretNameError` / :class:`SecretValueError`
        for a bad name or value (empty, or too long for Windows Credential
        Manager) before anything is stored.
        """
        validate_secret_name(name)
        if not isinstance(value, str) or value == "":
            raise SecretValueError("Een leeg wachtwoord kan niet worden opgeslagen.")
        if (
            self._secure
            and self._backend is not None
            and _is_windows_credential_manager(self._backend)
            and len(value.encode("utf-16-le")) > WINDOWS_CREDENTIAL_MAX_BYTES
        ):
            raise SecretValueError(
                "Dit wachtwoord is te lang voor Windows Referentiebeheer: maximaal "
                f"{WINDOWS_CREDENTIAL_MAX_CHARS} tekens, dit wachtwoord heeft er {len(value)}."
            )
        if not self._secure or self._backend is None:
            self._session.set(name, value)
            return StoreResult(stored_in_keyring=False, message=NO_SECURE_STORE_MESSAGE)
        try:
            self._backend.set_password(SERVICE_NAME, name, value)
        except Exception as exc:
            self._session.set(name, value)
            log.warning(
                "Wachtwoord %r niet opgeslagen in sleutelopslag: %s", name, type(exc).__name__
            )
            return StoreResult(
                stored_in_keyring=False,
                message=f"{_describe_keyring_error(exc)} {SESSION_ONLY_SUFFIX}",
            )
        self._session.delete(name)
        log.info("Wachtwoord %r opgeslagen in de sleutelopslag.", name)
        return StoreResult(
            stored_in_keyring=True,
            message=f"Het wachtwoord '{name}' is opgeslagen in de sleutelopslag van het systeem.",
        )

    def delete(self, name: str) -> None:
        """Forget secret ``name`` (memory and keyring). A missing secret is not an error.

        Raises :class:`SecretUnavailableError` when the keyring cannot be changed.
        """
        validate_secret_name(name)
        self._session.delete(name)
        if not self._secure or self._backend is None:
            return
        try:
            self._backend.delete_password(SERVICE_NAME, name)
        except keyring.errors.PasswordDeleteError:
            return  # not there: nothing to delete
        except Exception as exc:
            log.warning(
                "Wachtwoord %r niet verwijderd uit sleutelopslag: %s", name, type(exc).__name__
            )
            raise SecretUnavailableError(_describe_keyring_error(exc)) from None

    def __repr__(self) -> str:
        return f"SecretStore(backend={self.backend_name!r}, secure={self._secure})"


# --------------------------------------------------------------------------- singleton

_default_store: SecretStore | None = None
_default_lock = threading.Lock()


def default_store() -> SecretStore:
    """The application's secret store (made on first use, then shared)."""
    global _default_store
    with _default_lock:
        if _default_store is None:
            _default_store = SecretStore()
        return _default_store


def reset_default_store() -> None:
    """Forget the shared store (tests; after ``keyring.set_keyring``)."""
    global _default_store
    with _default_lock:
        _default_store = None


def secure_store_available() -> bool:
    """True when the shared store keeps secrets in a secure OS keyring."""
    return default_store().secure


def status_message() -> str:
    """The Dutch status sentence of the shared store, for the window."""
    return default_store().status()
