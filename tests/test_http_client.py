"""Tests for zsm_desk.services.intake.http_client against real servers on loopback."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from keyring.backends import null

from tests.tls_helpers import write_self_signed
from zsm_desk.services.intake import http_client
from zsm_desk.services.intake.http_client import (
    HTTPS_ONLY_MESSAGE,
    FetchConfig,
    FetchError,
    InsecureURLError,
    check_connection,
    check_url,
    fetch_instroom,
    fetch_register,
    is_loopback_host,
)
from zsm_desk.services.keys.secrets import SecretStore

SECRET = "Geheim-Token-4b1d9e"
CET = dt.timezone(dt.timedelta(hours=1))
INSTROOM_DOC = {
    "generated_at": "2026-11-22T08:00:00+01:00",
    "zsm_locatie": "ZSM Midden-Nederland",
    "items": [{"bvh_nummer": "PL0900-2026000123", "status": "aangemeld"}],
}
REGISTER_DOC = {
    "generated_at": "2026-11-22T08:00:00+01:00",
    "vh_code": "VH-UTR",
    "personen": [{"vh_code": "VH-UTR", "persoon_id": "UTR0001"}],
}

Responder = Callable[["Handler", "Server"], None]


# --------------------------------------------------------------------------- test servers


@dataclass
class Server:
    url: str
    responder: Responder
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        state: Server = self.server.state  # type: ignore[attr-defined]
        with state.lock:
            state.requests.append({"path": self.path, "headers": dict(self.headers.items())})
        state.responder(self, state)

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b""
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and status != 304:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # e.g. the client gave up on a slow answer: expected in these tests


def ok_instroom(handler: Handler, state: Server) -> None:
    handler.reply(200, INSTROOM_DOC, {"ETag": '"v1"'})


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    servers: list[QuietServer] = []

    def start(responder: Responder = ok_instroom, tls: ssl.SSLContext | None = None) -> Server:
        httpd = QuietServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        state = Server(
            url=f"{scheme}://127.0.0.1:{httpd.server_address[1]}/api", responder=responder
        )
        httpd.state = state  # type: ignore[attr-defined]
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
        thread.daemon = True
        thread.start()
        servers.append(httpd)
        return state

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fake_sleep(sleeps: list[float]) -> Callable[[float], None]:
    return sleeps.append


@pytest.fixture
def store() -> SecretStore:
    """A session-only store (null backend): the real API, nothing on disk."""
    s = SecretStore(null.Keyring())
    s.set("feed", SECRET)
    s.set("register", SECRET)
    return s


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_self_signed(tmp_path_factory.mktemp("tls"), "ZSM Desk test")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- basics


def test_200_with_etag_and_since(serve: Callable[..., Server], store: SecretStore) -> None:
    server = serve()
    since = dt.datetime(2026, 11, 22, 7, 43, 12, 345678, tzinfo=CET)
    result = fetch_instroom(FetchConfig(server.url), since, None, store)
    assert result.status_code == 200
    assert not result.not_modified
    assert result.etag == '"v1"'
    assert result.document == INSTROOM_DOC

    (request,) = server.requests
    parts = urlsplit(request["path"])
    assert parts.path == "/api/instroom"
    assert parse_qs(parts.query) == {"since": ["2026-11-22T07:43:12+01:00"]}
    assert request["headers"]["Accept"] == "application/json"
    assert "Authorization" not in request["headers"]
    assert "If-None-Match" not in request["headers"]


def test_no_since_no_parameter_and_trailing_slash(
    serve: Callable[..., Server], store: SecretStore
) -> None:
    server = serve()
    fetch_instroom(FetchConfig(server.url + "/"), None, None, store)
    assert server.requests[0]["path"] == "/api/instroom"


def test_304_on_matching_etag(serve: Callable[..., Server], store: SecretStore) -> None:
    def responder(handler: Handler, state: Server) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.reply(304, headers={"ETag": '"v1"'})
        else:
            handler.reply(200, INSTROOM_DOC, {"ETag": '"v1"'})

    server = serve(responder)
    cfg = FetchConfig(server.url)
    first = fetch_instroom(cfg, None, None, store)
    second = fetch_instroom(cfg, None, first.etag, store)
    assert second.not_modified
    assert second.document is None
    assert second.status_code == 304
    assert second.etag == '"v1"'
    assert server.requests[1]["headers"]["If-None-Match"] == '"v1"'


def test_register_endpoint(serve: Callable[..., Server], store: SecretStore) -> None:
    server = serve(lambda h, s: h.reply(200, REGISTER_DOC, {"ETag": 'W/"r7"'}))
    since = dt.datetime(2026, 11, 21, 23, 0, tzinfo=dt.UTC)
    result = fetch_register(FetchConfig(server.url), since, None, store, expected_vh_code="VH-UTR")
    assert result.document == REGISTER_DOC
    assert result.etag == 'W/"r7"'
    parts = urlsplit(server.requests[0]["path"])
    assert parts.path == "/api/personen"
    assert parse_qs(parts.query) == {"since": ["2026-11-21T23:00:00+00:00"]}

    with pytest.raises(FetchError, match="hoort bij VH-UTR, niet bij VH-AMS"):
        fetch_register(FetchConfig(server.url), None, None, store, expected_vh_code="VH-AMS")


@pytest.mark.parametrize(
    ("endpoint", "body", "needle"),
    [
        ("instroom", {"generated_at": "x"}, "'items'"),
        ("instroom", {"items": {}}, "'items'"),
        ("instroom", [1, 2], "geen JSON-object"),
        ("register", {"vh_code": "VH-UTR"}, "'personen'"),
        ("register", {"personen": []}, "'vh_code'"),
    ],
)
def test_envelope_shape_checked(
    serve: Callable[..., Server], store: SecretStore, endpoint: str, body: Any, needle: str
) -> None:
    server = serve(lambda h, s: h.reply(200, body))
    fetch = fetch_instroom if endpoint == "instroom" else fetch_register
    with pytest.raises(FetchError, match=needle):
        fetch(FetchConfig(server.url), None, None, store)


def test_invalid_json_names_url_without_query(
    serve: Callable[..., Server], store: SecretStore
) -> None:
    server = serve(lambda h, s: h.reply(200, b"<html>niet json</html>"))
    cfg = FetchConfig(server.url + "?apikey=QUERY-GEHEIM")
    with pytest.raises(FetchError) as info:
        fetch_instroom(cfg, dt.datetime(2026, 11, 22, tzinfo=CET), None, store)
    message = str(info.value)
    assert "geen geldige JSON" in message
    assert f"{server.url}/instroom" in message
    assert "QUERY-GEHEIM" not in message and "since" not in message
    # The configured query is still sent along.
    assert "apikey=QUERY-GEHEIM" in server.requests[0]["path"]


# --------------------------------------------------------------------------- retries


def test_500_twice_then_200_is_retried(
    serve: Callable[..., Server], store: SecretStore, sleeps: list[float], fake_sleep: Any
) -> None:
    def responder(handler: Handler, state: Server) -> None:
        if state.count <= 2:
            handler.reply(500, {"fout": "tijdelijk"})
        else:
            handler.reply(200, INSTROOM_DOC)

    server = serve(responder)
    result = fetch_instroom(FetchConfig(server.url), None, None, store, sleep=fake_sleep)
    assert result.document == INSTROOM_DOC
    assert server.count == 3
    assert sleeps == [0.5, 1.0]


def test_5xx_gives_up_after_retries(
    serve: Callable[..., Server], store: SecretStore, sleeps: list[float], fake_sleep: Any
) -> None:
    server = serve(lambda h, s: h.reply(503))
    with pytest.raises(FetchError, match=r"HTTP 503\), ook na 4 pogingen") as info:
        fetch_instroom(FetchConfig(server.url), None, None, store, sleep=fake_sleep)
    assert info.value.status_code == 503
    assert server.count == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_404_not_retried(
    serve: Callable[..., Server], store: SecretStore, sleeps: list[float], fake_sleep: Any
) -> None:
    server = serve(lambda h, s: h.reply(404, {"fout": "weg"}))
    with pytest.raises(FetchError, match="Niet gevonden") as info:
        fetch_instroom(FetchConfig(server.url), None, None, store, sleep=fake_sleep)
    assert info.value.status_code == 404
    assert server.count == 1
    assert sleeps == []


def test_redirect_not_followed(
    serve: Callable[..., Server], store: SecretStore, fake_sleep: Any
) -> None:
    server = serve(lambda h, s: h.reply(302, headers={"Location": "http://feed.example.org/x"}))
    with pytest.raises(FetchError, match="doorverwijzingen worden niet gevolgd"):
        fetch_instroom(FetchConfig(server.url), None, None, store, sleep=fake_sleep)
    assert server.count == 1


def test_connection_refused_after_retries(
    store: SecretStore, sleeps: list[float], fake_sleep: Any
) -> None:
    cfg = FetchConfig(f"http://127.0.0.1:{closed_port()}/api", retries=3)
    with pytest.raises(FetchError, match=r"Geen verbinding met 127\.0\.0\.1") as info:
        fetch_instroom(cfg, None, None, store, sleep=fake_sleep)
    assert "geweigerd" in str(info.value)
    assert "na 4 pogingen" in str(info.value)
    assert sleeps == [0.5, 1.0, 2.0]


def test_read_timeout_is_retried(
    serve: Callable[..., Server], store: SecretStore, sleeps: list[float], fake_sleep: Any
) -> None:
    def slow(handler: Handler, state: Server) -> None:
        time.sleep(0.6)
        handler.reply(200, INSTROOM_DOC)

    server = serve(slow)
    cfg = FetchConfig(server.url, timeout=(2, 0.15), retries=1)
    with pytest.raises(FetchError, match="niet op tijd"):
        fetch_instroom(cfg, None, None, store, sleep=fake_sleep)
    assert server.count == 2
    assert sleeps == [0.5]


# --------------------------------------------------------------------------- authentication


def test_token_auth_header(serve: Callable[..., Server], store: SecretStore) -> None:
    server = serve()
    fetch_instroom(FetchConfig(server.url, auth="token"), None, None, store)
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"


def test_basic_auth_header_utf8(serve: Callable[..., Server]) -> None:
    password = "wachtwoord-met-ë-en-€"
    s = SecretStore(null.Keyring())
    s.set("register:VH-UTR", password)
    server = serve(lambda h, st: h.reply(200, REGISTER_DOC))
    cfg = FetchConfig(server.url, auth="basic", username="zsm-desk", secret_name="register:VH-UTR")
    fetch_register(cfg, None, None, s)
    header = server.requests[0]["headers"]["Authorization"]
    scheme, _, token = header.partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(token).decode("utf-8") == f"zsm-desk:{password}"


def test_missing_secret_named_and_no_request(serve: Callable[..., Server]) -> None:
    server = serve()
    with pytest.raises(FetchError, match="zsm-desk secret set feed"):
        fetch_instroom(
            FetchConfig(server.url, auth="token"), None, None, SecretStore(null.Keyring())
        )
    assert server.count == 0


def test_basic_auth_needs_username(serve: Callable[..., Server], store: SecretStore) -> None:
    with pytest.raises(FetchError, match="gebruikersnaam"):
        fetch_instroom(FetchConfig(serve().url, auth="basic"), None, None, store)


@pytest.mark.parametrize("status", [401, 403])
def test_login_refused_not_retried_and_secret_not_shown(
    serve: Callable[..., Server],
    store: SecretStore,
    sleeps: list[float],
    fake_sleep: Any,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = serve(lambda h, s: h.reply(status, {"fout": "nee"}))
    port = urlsplit(server.url).port
    cfg = FetchConfig(server.url, auth="basic", username="zsm", secret_name="feed")
    with pytest.raises(FetchError) as info:
        fetch_instroom(cfg, None, None, store, sleep=fake_sleep)
    assert str(info.value) == (
        f"Aanmelden bij 127.0.0.1:{port} geweigerd "
        "(controleer het wachtwoord met `zsm-desk secret set feed`)."
    )
    assert server.count == 1 and sleeps == []
    basic = base64.b64encode(f"zsm:{SECRET}".encode()).decode()
    for text in (str(info.value), repr(info.value), str(info.value.detail), caplog.text):
        assert SECRET not in text and basic not in text


def test_secret_never_in_error_text_or_logs(
    store: SecretStore, fake_sleep: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cfg = FetchConfig(f"http://127.0.0.1:{closed_port()}/api", auth="token", retries=1)
    with pytest.raises(FetchError) as info:
        fetch_instroom(cfg, None, None, store, sleep=fake_sleep)
    texts = [str(info.value), repr(info.value), str(info.value.detail), caplog.text]
    assert info.value.__cause__ is None
    assert all(SECRET not in t for t in texts)

    # A token that cannot be sent as a header: refused in words, secret not echoed.
    bad = "geheim met\nregelovergang"
    s = SecretStore(null.Keyring())
    s.set("feed", bad)
    with pytest.raises(FetchError, match="tekens") as info2:
        fetch_instroom(cfg, None, None, s, sleep=fake_sleep)
    assert "geheim met" not in str(info2.value) and "geheim met" not in caplog.text


# --------------------------------------------------------------------------- HTTPS only


@pytest.mark.parametrize(
    "url",
    [
        "http://feed.example.org/api",
        "http://10.0.0.5/api",
        "http://127.0.0.1.example.org/api",
        "http://[2001:db8::1]/api",
        "ftp://127.0.0.1/api",
    ],
)
def test_plain_http_to_other_computer_refused_before_any_network(
    url: str, store: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(requests.Session, "request", no_network)
    for fetch in (fetch_instroom, fetch_register):
        with pytest.raises(InsecureURLError) as info:
            fetch(FetchConfig(url, auth="token"), None, None, store)
        assert str(info.value) == HTTPS_ONLY_MESSAGE
        assert isinstance(info.value, ValueError)
    ok, message = check_connection(FetchConfig(url), store)
    assert not ok and message == HTTPS_ONLY_MESSAGE


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/api",
        "http://127.3.2.1/api",
        "http://localhost:8080",
        "http://LOCALHOST./api",
        "http://[::1]:8080/api",
        "https://feed.example.org/api",
        "https://10.0.0.5:8443/api",
    ],
)
def test_allowed_urls(url: str) -> None:
    check_url(url)


def test_credentials_in_url_refused() -> None:
    with pytest.raises(InsecureURLError, match="geen gebruikersnaam of wachtwoord") as info:
        check_url(f"https://zsm:{SECRET}@feed.example.org/api")
    assert SECRET not in str(info.value) and SECRET not in str(info.value.url)


def test_is_loopback_host() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("::1")
    assert is_loopback_host("::ffff:127.0.0.1")
    assert is_loopback_host("localhost")
    assert not is_loopback_host("localhost.example.org")
    assert not is_loopback_host("0.0.0.0")
    assert not is_loopback_host(None)


def test_loopback_ignores_proxy_from_environment(
    serve: Callable[..., Server], store: SecretStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(var, f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server = serve()
    assert fetch_instroom(FetchConfig(server.url), None, None, store).document == INSTROOM_DOC


# --------------------------------------------------------------------------- TLS


def _tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def test_https_with_ca_bundle(
    serve: Callable[..., Server], store: SecretStore, self_signed: tuple[Path, Path]
) -> None:
    cert, key = self_signed
    server = serve(tls=_tls_context(cert, key))
    assert server.url.startswith("https://127.0.0.1:")
    cfg = FetchConfig(server.url, auth="token", ca_bundle=str(cert))
    result = fetch_instroom(cfg, None, None, store)
    assert result.document == INSTROOM_DOC
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert check_connection(cfg, store) == (
        True,
        f"Verbinding met 127.0.0.1:{urlsplit(server.url).port} gelukt: "
        "de verdachtenmonitor antwoordt.",
    )


def test_https_self_signed_without_ca_bundle_refused(
    serve: Callable[..., Server],
    store: SecretStore,
    self_signed: tuple[Path, Path],
    sleeps: list[float],
    fake_sleep: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = serve(tls=_tls_context(*self_signed))
    cfg = FetchConfig(server.url, auth="token")
    with pytest.raises(FetchError) as info:
        fetch_instroom(cfg, None, None, store, sleep=fake_sleep)
    message = str(info.value)
    assert "certificaat" in message
    assert "wordt niet vertrouwd" in message
    assert sleeps == []  # a certificate problem is not retried
    assert server.count == 0  # nothing was sent
    assert SECRET not in message + caplog.text


def test_missing_ca_bundle_file(store: SecretStore, tmp_path: Path) -> None:
    cfg = FetchConfig("https://127.0.0.1:1/api", ca_bundle=str(tmp_path / "nope.pem"))
    with pytest.raises(FetchError, match="CA-bestand"):
        fetch_instroom(cfg, None, None, store)


# --------------------------------------------------------------------------- connection test


def test_check_connection_messages(
    serve: Callable[..., Server], store: SecretStore, fake_sleep: Any
) -> None:
    server = serve(lambda h, s: h.reply(200, REGISTER_DOC))
    ok, message = check_connection(FetchConfig(server.url), store, endpoint="register")
    assert ok and "register van VH-UTR" in message
    assert "since=" in server.requests[0]["path"]

    down = FetchConfig(f"http://127.0.0.1:{closed_port()}/api", retries=5)
    ok, message = check_connection(down, store, sleep=fake_sleep)
    assert not ok
    assert message.startswith("Geen verbinding met 127.0.0.1") and "na 1 poging)" in message


def test_module_uses_its_own_logger() -> None:
    assert http_client.log.name == "zsm_desk.services.intake.http_client"
