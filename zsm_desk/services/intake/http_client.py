"""HTTP client for the verdachtenmonitor feed (interfaces §1) and VH registers (§2).

One small, careful client:

* HTTPS only, except for an address on this computer (127.0.0.0/8, ::1,
  ``localhost``); anything else is refused before any network traffic.
* TLS certificates are always verified against the operating system's
  certificate store (``truststore``), so an organisation's own CA rolled out by
  IT counts; ``FetchConfig.ca_bundle`` overrides it with one CA file.
* Token (``Authorization: Bearer``) or basic authentication; the secret comes
  from the :class:`~zsm_desk.services.security.secrets.SecretStore` and never appears in
  an error message or a log line.
* Retries with exponential backoff on connection errors, time-outs and 5xx
  answers (not on 4xx); ``If-None-Match`` with the last ``ETag`` and ``304``
  means "nothing new".
* Redirects are not followed (a redirect could leave HTTPS or the configured
  host); a 3xx answer other than 304 is an error.

Only the JSON envelope is checked here (``items`` list; ``personen`` list and
``vh_code``); records are validated elsewhere.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, Protocol
from urllib.parse import quote, quote_plus, urlencode, urlsplit, urlunsplit

import requests

from zsm_desk import __version__
from zsm_desk.domain.clock import SystemClock
from zsm_desk.domain.settings import is_loopback_host
from zsm_desk.services.runtime.tls import system_trust_session
from zsm_desk.services.security.secrets import SecretStoreError, default_store

__all__ = [
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "InsecureURLError",
    "SecretSource",
    "check_connection",
    "check_url",
    "display_url",
    "fetch_instroom",
    "fetch_register",
    "is_loopback_host",
]

log = logging.getLogger(__name__)

AuthKind = Literal["token", "basic"]
Endpoint = Literal["instroom", "register"]

HTTPS_ONLY_MESSAGE = "Alleen HTTPS is toegestaan, behalve voor een adres op deze computer."
_TOKEN_RE = re.compile(r"^[\x21-\x7e]+$")
_ENDPOINT_PATHS: dict[str, str] = {"instroom": "instroom", "register": "personen"}
_DEFAULT_SECRET: dict[str, str] = {"instroom": "feed", "register": "register"}


class SecretSource(Protocol):
    """What the client needs from a secret store."""

    def get(self, name: str) -> str | None: ...


class FetchError(Exception):
    """Fetching failed; ``str(error)`` is a Dutch sentence without secrets.

    ``url`` is the address without query string, ``status_code`` the HTTP
    status when there was an answer, ``detail`` a redacted technical detail.
    """

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status_code: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.status_code = status_code
        self.detail = detail


class InsecureURLError(FetchError, ValueError):
    """The address is not allowed (plain HTTP to another computer, no host, ...)."""


@dataclass(frozen=True)
class FetchConfig:
    """Where and how to fetch. ``url`` is the base (``.../api``), without a secret."""

    url: str
    auth: AuthKind | None = None
    username: str | None = None
    secret_name: str | None = None
    ca_bundle: str | None = None
    timeout: tuple[float, float] = (5, 30)
    retries: int = 3
    backoff: float = 0.5


@dataclass(frozen=True)
class FetchResult:
    """The outcome of a successful fetch; ``document`` is None when ``not_modified``."""

    not_modified: bool
    etag: str | None = None
    document: dict[str, Any] | None = None
    status_code: int = 200


# --------------------------------------------------------------------------- addresses


def display_url(url: str) -> str:
    """``url`` without user info, query string and fragment (safe to show and log)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return "(ongeldig adres)"
    return urlunsplit((parts.scheme, f"{host}{port}", parts.path, "", ""))


def _host_label(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        if ":" in host:
            host = f"[{host}]"
        return f"{host}:{parts.port}" if parts.port is not None else host
    except ValueError:
        return "?"


def check_url(url: str) -> None:
    """Raise :class:`InsecureURLError` unless ``url`` may be used. No network traffic."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise InsecureURLError(f"Ongeldig adres: {display_url(url)}") from None
    del port
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InsecureURLError(HTTPS_ONLY_MESSAGE, url=display_url(url))
    if not parts.hostname:
        raise InsecureURLError(
            f"Ongeldig adres (geen servernaam): {display_url(url)}", url=display_url(url)
        )
    if parts.username is not None or parts.password is not None:
        raise InsecureURLError(
            "Het adres mag geen gebruikersnaam of wachtwoord bevatten; "
            "zet het wachtwoord in de sleutelopslag met `zsm-desk secret set`.",
            url=display_url(url),
        )
    if scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureURLError(HTTPS_ONLY_MESSAGE, url=display_url(url))


def _endpoint_url(base: str, path: str, query: Mapping[str, str]) -> str:
    parts = urlsplit(base.strip())
    new_path = parts.path.rstrip("/") + "/" + path
    params = parts.query
    extra = urlencode(query)
    if extra:
        params = f"{params}&{extra}" if params else extra
    return urlunsplit((parts.scheme, parts.netloc, new_path, params, ""))


def _since_param(since: datetime | None) -> dict[str, str]:
    if since is None:
        return {}
    if since.tzinfo is None or since.utcoffset() is None:
        since = since.astimezone()  # naive: taken as local time
    # Whole seconds, rounded down: nothing is missed, a repeat only updates.
    return {"since": since.replace(microsecond=0).isoformat()}


# --------------------------------------------------------------------------- secrets


class _Redactor:
    """Removes every known form of the secrets from a text."""

    def __init__(self, forms: Iterable[str] = ()) -> None:
        self._forms = sorted({f for f in forms if f}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "***")
        return text


def _secret_forms(secret: str, username: str | None) -> list[str]:
    forms = [secret, quote(secret, safe=""), quote_plus(secret), repr(secret)[1:-1]]
    if username is not None:
        pair = f"{username}:{secret}"
        for encoding in ("utf-8", "latin-1"):
            with contextlib.suppress(UnicodeEncodeError):
                forms.append(base64.b64encode(pair.encode(encoding)).decode("ascii"))
    return forms


def _auth_header(
    cfg: FetchConfig, store: SecretSource | None, secret_name: str, host: str
) -> tuple[dict[str, str], _Redactor]:
    if cfg.auth is None:
        return {}, _Redactor()
    if cfg.auth not in ("token", "basic"):
        raise FetchError(
            f"Onbekende aanmeldmethode {cfg.auth!r} voor {host}: gebruik 'token' of 'basic'."
        )
    if cfg.auth == "basic" and not cfg.username:
        raise FetchError(f"Geen gebruikersnaam ingesteld voor het aanmelden bij {host}.")
    if store is None:
        store = default_store()
    try:
        secret = store.get(secret_name)
    except SecretStoreError as exc:
        raise FetchError(str(exc)) from None
    if not secret:
        raise FetchError(
            f"Geen wachtwoord ingesteld voor '{secret_name}': "
            f"stel het in met `zsm-desk secret set {secret_name}`."
        )
    redact = _Redactor(_secret_forms(secret, cfg.username))
    if cfg.auth == "token":
        if not _TOKEN_RE.match(secret):
            raise FetchError(
                f"Het token voor '{secret_name}' bevat tekens die niet in een HTTP-aanvraag "
                "passen (alleen zichtbare ASCII-tekens, geen spaties)."
            )
        return {"Authorization": f"Bearer {secret}"}, redact
    username = cfg.username or ""
    if ":" in username or any(ord(c) < 32 for c in username + secret):
        raise FetchError(
            f"De gebruikersnaam of het wachtwoord voor '{secret_name}' bevat tekens die "
            "niet zijn toegestaan (dubbele punt in de gebruikersnaam of stuurtekens)."
        )
    token = base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}, redact


# --------------------------------------------------------------------------- errors in words


_CERT_REASONS = {
    "self-signed certificate": "het certificaat is zelfondertekend en wordt niet vertrouwd",
    "self signed certificate": "het certificaat is zelfondertekend en wordt niet vertrouwd",
    "unable to get local issuer certificate": "de uitgever van het certificaat is onbekend",
    "certificate has expired": "het certificaat is verlopen",
    "certificate is not yet valid": "het certificaat is nog niet geldig",
    "hostname mismatch": "het certificaat hoort niet bij deze servernaam",
    "ip address mismatch": "het certificaat hoort niet bij dit adres",
}


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, its causes/contexts and urllib3's ``reason`` attributes."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.append(current)
        for attr in ("reason", "__cause__", "__context__"):
            nxt = getattr(current, attr, None)
            if isinstance(nxt, BaseException):
                todo.append(nxt)
        todo.extend(a for a in current.args if isinstance(a, BaseException))
    return seen


def _tls_message(exc: BaseException, host: str) -> str:
    text = " ".join(str(e) for e in _chain(exc)).lower()
    if "certificate" in text or "hostname" in text:
        reason = next(
            (nl for en, nl in _CERT_REASONS.items() if en in text),
            "het certificaat kon niet worden gecontroleerd",
        )
        return (
            f"Het certificaat van {host} wordt niet vertrouwd: {reason}. "
            "Controleer het adres, of stel het CA-bestand van uw organisatie in (ca_bundle)."
        )
    return (
        f"De beveiligde verbinding (TLS) met {host} is mislukt. "
        "Controleer het adres en de instellingen van de server."
    )


def _network_reason(exc: BaseException) -> str:
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, requests.exceptions.Timeout) or "timed out" in text:
        return "de server reageerde niet op tijd"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "de verbinding werd geweigerd"
    if "name or service not known" in text or "getaddrinfo" in text or "resolve" in text:
        return "de servernaam is onbekend"
    if any(isinstance(e, ConnectionResetError) for e in chain) or "reset" in text:
        return "de verbinding werd verbroken"
    return "netwerkfout"


# --------------------------------------------------------------------------- fetching


def _fetch(
    cfg: FetchConfig,
    endpoint: Endpoint,
    since: datetime | None,
    etag: str | None,
    store: SecretSource | None,
    session: requests.Session | None,
    sleep: Callable[[float], None],
) -> tuple[FetchResult, str]:
    """GET the endpoint; returns the result and the display URL of the request."""
    check_url(cfg.url)  # first: refuse before any other work or traffic
    request_url = _endpoint_url(cfg.url, _ENDPOINT_PATHS[endpoint], _since_param(since))
    shown = display_url(request_url)
    host = _host_label(cfg.url)
    if cfg.retries < 0 or cfg.backoff < 0:
        raise FetchError("Ongeldige instelling: retries en backoff mogen niet negatief zijn.")

    secret_name = cfg.secret_name or _DEFAULT_SECRET[endpoint]
    headers = {
        "Accept": "application/json",
        "User-Agent": f"zsm-desk/{__version__}",
    }
    if etag:
        if re.search(r"[\r\n\x00]", etag):
            log.warning("Ignoring a malformed stored ETag for %s", shown)
        else:
            headers["If-None-Match"] = etag
    auth_headers, redact = _auth_header(cfg, store, secret_name, host)
    headers.update(auth_headers)

    verify: bool | str = True
    if cfg.ca_bundle:
        if not os.path.exists(cfg.ca_bundle):
            raise FetchError(f"Het CA-bestand {cfg.ca_bundle} bestaat niet.", url=shown)
        verify = cfg.ca_bundle
    # A loopback address never goes through a proxy from the environment.
    proxies: dict[str, Any] | None = None
    if is_loopback_host(urlsplit(cfg.url).hostname):
        proxies = {"http": None, "https": None, "all": None}

    own_session = session is None
    http = session if session is not None else system_trust_session()
    attempts = cfg.retries + 1
    try:
        last_problem = ""
        last_detail: str | None = None
        last_status: int | None = None
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                delay = cfg.backoff * 2 ** (attempt - 2)
                log.warning(
                    "GET %s failed (%s); retry %d/%d in %.1f s",
                    shown,
                    last_problem,
                    attempt - 1,
                    cfg.retries,
                    delay,
                )
                sleep(delay)
            log.debug("GET %s (attempt %d/%d)", shown, attempt, attempts)
            try:
                response = http.get(
                    request_url,
                    headers=headers,
                    timeout=cfg.timeout,
                    verify=verify,
                    allow_redirects=False,
                    proxies=proxies,
                )
            except requests.exceptions.SSLError as exc:
                log.warning("TLS error for %s: %s", shown, type(exc).__name__)
                raise FetchError(
                    _tls_message(exc, host), url=shown, detail=redact(str(exc))
                ) from None
            except (
                requests.exceptions.ConnectionError,
                requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError,
            ) as exc:
                last_problem = _network_reason(exc)
                last_status = None
                last_detail = redact(str(exc))
                log.debug("GET %s: %s", shown, last_detail)
                continue
            except (requests.exceptions.RequestException, ValueError) as exc:
                detail = redact(str(exc))
                log.warning("GET %s failed: %s", shown, type(exc).__name__)
                raise FetchError(
                    f"Het verzoek aan {host} kon niet worden verstuurd ({type(exc).__name__}).",
                    url=shown,
                    detail=detail,
                ) from None
            if response.status_code >= 500:
                last_status = response.status_code
                last_problem = f"HTTP {response.status_code}"
                response.close()
                continue
            return _handle_response(response, shown, host, cfg, secret_name, etag), shown
        if last_status is not None:
            raise FetchError(
                f"De server {host} gaf een fout (HTTP {last_status}), ook na {attempts} "
                f"{'poging' if attempts == 1 else 'pogingen'}. Probeer het later opnieuw.",
                url=shown,
                status_code=last_status,
            )
        raise FetchError(
            f"Geen verbinding met {host}: {last_problem} "
            f"(na {attempts} {'poging' if attempts == 1 else 'pogingen'}).",
            url=shown,
            detail=last_detail,
        )
    finally:
        if own_session:
            http.close()


def _handle_response(
    response: requests.Response,
    shown: str,
    host: str,
    cfg: FetchConfig,
    secret_name: str,
    sent_etag: str | None,
) -> FetchResult:
    status = response.status_code
    etag = response.headers.get("ETag")
    if status == 304:
        log.info("GET %s: not modified", shown)
        return FetchResult(
            not_modified=True, etag=etag or sent_etag, document=None, status_code=status
        )
    if status in (401, 403):
        if cfg.auth is None:
            hint = (
                "er is geen aanmelding ingesteld; kies token of basic en zet het wachtwoord "
                f"met `zsm-desk secret set {secret_name}`"
            )
        else:
            hint = f"controleer het wachtwoord met `zsm-desk secret set {secret_name}`"
        raise FetchError(f"Aanmelden bij {host} geweigerd ({hint}).", url=shown, status_code=status)
    if status == 404:
        raise FetchError(
            f"Niet gevonden: {shown} (HTTP 404). Controleer het adres in de instellingen.",
            url=shown,
            status_code=status,
        )
    if 300 <= status < 400:
        raise FetchError(
            f"{host} verwijst door (HTTP {status}); doorverwijzingen worden niet gevolgd. "
            "Controleer het adres in de instellingen.",
            url=shown,
            status_code=status,
        )
    if not 200 <= status < 300:
        raise FetchError(
            f"{host} weigerde het verzoek (HTTP {status}) voor {shown}.",
            url=shown,
            status_code=status,
        )
    try:
        document = json.loads(response.content)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise FetchError(
            f"Het antwoord van {shown} is geen geldige JSON.",
            url=shown,
            status_code=status,
            detail=type(exc).__name__,
        ) from None
    if not isinstance(document, dict):
        raise FetchError(
            f"Het antwoord van {shown} heeft niet de verwachte vorm (geen JSON-object).",
            url=shown,
            status_code=status,
        )
    log.info("GET %s: HTTP %d", shown, status)
    return FetchResult(not_modified=False, etag=etag, document=document, status_code=status)


def _require_list(document: dict[str, Any], key: str, shown: str) -> None:
    if not isinstance(document.get(key), list):
        raise FetchError(
            f"Het antwoord van {shown} heeft niet de verwachte vorm: de lijst '{key}' ontbreekt.",
            url=shown,
        )


def fetch_instroom(
    cfg: FetchConfig,
    since: datetime | None = None,
    etag: str | None = None,
    store: SecretSource | None = None,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """``GET {url}/instroom?since=...``; the document has an ``items`` list.

    The secret is ``cfg.secret_name`` or ``feed``. Raises :class:`FetchError`.
    """
    result, shown = _fetch(cfg, "instroom", since, etag, store, session, sleep)
    if result.document is not None:
        _require_list(result.document, "items", shown)
    return result


def fetch_register(
    cfg: FetchConfig,
    since: datetime | None = None,
    etag: str | None = None,
    store: SecretSource | None = None,
    *,
    expected_vh_code: str | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """``GET {url}/personen?since=...``; the document has ``vh_code`` and a ``personen`` list.

    The secret is ``cfg.secret_name`` or ``register`` (use ``register:VH-CODE``
    for a VH-specific one; there is no fall-back from one to the other). With
    ``expected_vh_code`` an answer for another veiligheidshuis is refused.
    """
    result, shown = _fetch(cfg, "register", since, etag, store, session, sleep)
    document = result.document
    if document is not None:
        _require_list(document, "personen", shown)
        vh_code = document.get("vh_code")
        if not isinstance(vh_code, str) or not vh_code.strip():
            raise FetchError(
                f"Het antwoord van {shown} heeft niet de verwachte vorm: 'vh_code' ontbreekt.",
                url=shown,
            )
        if expected_vh_code is not None and vh_code != expected_vh_code:
            raise FetchError(
                f"Het register op {shown} hoort bij {vh_code}, niet bij {expected_vh_code}. "
                "Controleer het adres in de instellingen.",
                url=shown,
            )
    return result


def check_connection(
    cfg: FetchConfig,
    store: SecretSource | None = None,
    *,
    endpoint: Endpoint = "instroom",
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
) -> tuple[bool, str]:
    """For the settings screen's "test" button: ``(ok, Dutch message)``.

    Asks for what changed since now (a small answer), without retries and
    without an ETag, so address, certificate, login and JSON shape are checked.
    """
    quick = replace(cfg, retries=0)
    since = now or SystemClock().now()
    host = _host_label(cfg.url)
    try:
        if endpoint == "register":
            result = fetch_register(quick, since, None, store, session=session, sleep=sleep)
            vh = (result.document or {}).get("vh_code", "?")
            return True, f"Verbinding met {host} gelukt: het register van {vh} antwoordt."
        fetch_instroom(quick, since, None, store, session=session, sleep=sleep)
        return True, f"Verbinding met {host} gelukt: de verdachtenmonitor antwoordt."
    except FetchError as exc:
        return False, str(exc)
    except Exception as exc:  # the settings screen shows words, never a traceback
        log.error("Connection test for %s failed unexpectedly: %s", host, type(exc).__name__)
        return False, f"De verbinding met {host} kon niet worden getest ({type(exc).__name__})."
