"""HTTPS and SMTP-TLS trust the operating system's certificate store (truststore).

The "system store" here is the CA file named by SSL_CERT_FILE, which the
system's OpenSSL (and so truststore on Linux) reads; certifi, which requests
used before, does not. A configured ca_bundle still overrides.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import truststore

from tests.smtp_server import SmtpTestServer, TlsFiles, make_tls_files
from tests.tls_helpers import write_self_signed
from zsm_desk.services.intake.http_client import FetchConfig, FetchError, fetch_instroom
from zsm_desk.services.mail import transport
from zsm_desk.services.runtime.tls import client_context

DOC = {"generated_at": "2026-11-22T08:00:00+01:00", "items": []}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(DOC).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert, key = write_self_signed(tmp_path, "Organisatie-CA test")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    t.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/api", cert
    httpd.shutdown()
    httpd.server_close()


def _no_store() -> Any:
    return None


def test_https_trusts_a_ca_in_the_system_store(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the organisation CA, rolled out by IT
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    result = fetch_instroom(FetchConfig(url, retries=0), None, None, None)
    assert result.document == DOC


def test_https_without_the_ca_anywhere_is_refused(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, _cert = https_server
    other, _ = write_self_signed(tmp_path, "Andere CA", cert_name="other.pem")
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    with pytest.raises(FetchError, match="niet vertrouwd"):
        fetch_instroom(FetchConfig(url, retries=0), None, None, None)


def test_https_ca_bundle_overrides_the_system_store(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, cert = https_server
    other, _ = write_self_signed(tmp_path, "Andere CA", cert_name="other.pem")
    # the system trusts the server, but the configured bundle does not: refused
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with pytest.raises(FetchError, match="niet vertrouwd"):
        fetch_instroom(FetchConfig(url, retries=0, ca_bundle=str(other)), None, None, None)
    # and the bundle alone is enough
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    result = fetch_instroom(FetchConfig(url, retries=0, ca_bundle=str(cert)), None, None, None)
    assert result.document == DOC


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


def test_smtp_tls_uses_the_system_store(tls: TlsFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_cert))
    with SmtpTestServer(security="starttls", tls=tls) as srv:
        settings = srv.settings(ca_bundle=None)
        assert isinstance(transport._tls_context(settings), truststore.SSLContext)
        ok, text = transport.test_connection(settings, None)
        assert ok, text


def test_smtp_ca_bundle_is_an_override(tls: TlsFiles) -> None:
    with SmtpTestServer(security="starttls", tls=tls) as srv:
        ctx = transport._tls_context(srv.settings(ca_bundle=tls.ca_cert))
        assert not isinstance(ctx, truststore.SSLContext)
        ok, text = transport.test_connection(srv.settings(ca_bundle=tls.ca_cert), None)
        assert ok, text


def test_client_context_is_strict() -> None:
    ctx = client_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.minimum_version >= ssl.TLSVersion.TLSv1_2
