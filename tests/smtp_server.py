"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, optional TLS and AUTH.

Usage::

    tls = make_tls_files(tmp_path)                 # throw-away CA + server cert
    with SmtpTestServer(security="starttls", tls=tls, users={"zsm": "pw"}) as srv:
        send(msg, srv.settings(gebruiker="zsm"), "pw")
        [received] = srv.handler.received
        received.message["Subject"]

`security`: ``"geen"`` (plain), ``"starttls"`` (STARTTLS required before
MAIL; AUTH only after TLS) or ``"tls"`` (implicit TLS). With `users`, the
server requires AUTH. `RecordingHandler` records every accepted message and
can be told to answer RCPT or DATA with an error, or to drop the connection
after DATA. The server binds port 0, so tests never collide on a port.

Certificates: `make_tls_files` creates a CA and a server certificate for
``localhost``, ``127.0.0.1`` and ``::1`` with `cryptography` (EC P-256, valid
for two days). Clients trust `TlsFiles.ca_cert` via ``SmtpSettings.ca_bundle``.
"""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import ipaddress
import socket
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zsm_desk.services.mail.transport import SmtpSettings

LOOPBACK = "127.0.0.1"

# --- certificates ----------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path  # PEM: what the client trusts (SmtpSettings.ca_bundle)
    cert: Path  # PEM: server certificate
    key: Path  # PEM: server private key (unencrypted, mode 0600)

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_tls_files(
    directory: Path,
    *,
    hostnames: tuple[str, ...] = ("localhost",),
    ips: tuple[str, ...] = ("127.0.0.1", "::1"),
    prefix: str = "smtp",
) -> TlsFiles:
    """A throw-away CA and a server certificate signed by it, written as PEM files."""
    directory.mkdir(parents=True, exist_ok=True)
    # OpenSSL checks validity against the real wall clock, which a `--wandklok`
    # run moves only for Python: a wide window keeps both valid.
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(days=3650), now + dt.timedelta(days=3650)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"ZSM Desk test-CA {prefix}")
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    san: list[x509.GeneralName] = [x509.DNSName(h) for h in hostnames]
    san += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hostnames[0] if hostnames else "localhost"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    files = TlsFiles(
        ca_cert=directory / f"{prefix}-ca.pem",
        cert=directory / f"{prefix}-cert.pem",
        key=directory / f"{prefix}-key.pem",
    )
    files.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files.key.touch(mode=0o600)
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


# --- handler -------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None  # the AUTH login used, None when not authenticated
    tls: bool  # whether the session was encrypted

    @property
    def message(self) -> EmailMessage:
        parser = email.parser.BytesParser(_class=EmailMessage, policy=email.policy.default)
        return parser.parsebytes(self.data)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Records accepted messages; can answer with errors or drop the connection.

    `rcpt_reply` / `data_reply`: an SMTP reply line such as ``"550 5.1.1 Onbekend"``
    or ``"451 4.3.0 Probeer later"`` to give instead of accepting.
    `drop_after_data`: record the message, then close the connection without
    a reply (the ambiguous case for the client).
    """

    rcpt_reply: str | None = None
    data_reply: str | None = None
    drop_after_data: bool = False
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        data = envelope.original_content or b""
        auth = session.auth_data
        login = auth.login if isinstance(auth, LoginPassword) else None
        self.received.append(
            Received(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                data=data,
                login=login.decode() if isinstance(login, bytes) else login,
                tls=session.ssl is not None  # STARTTLS
                or (
                    server.transport is not None  # implicit TLS
                    and server.transport.get_extra_info("sslcontext") is not None
                ),
            )
        )
        if self.drop_after_data:
            assert server.transport is not None
            server.transport.close()  # the reply below goes nowhere
        return "250 Message accepted for delivery"


class _Authenticator:
    def __init__(self, users: Mapping[str, str]) -> None:
        self.users = dict(users)

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        # handled=False: aiosmtpd itself answers "535 ... credentials invalid".
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        if login in self.users and self.users[login] == password:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


# --- server ----------------------------------------------------------------------------------


class _PortZeroController(Controller):
    """A Controller that may bind port 0 and learns the port the OS chose."""

    def factory(self) -> SMTP:
        # Implicit TLS + required AUTH makes aiosmtpd warn that AUTH does not
        # require (STARTTLS) TLS; the session is encrypted from the first byte.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
            return SMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        if self.server is not None and self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpTestServer:
    """aiosmtpd on the loopback interface; use as a context manager."""

    def __init__(
        self,
        *,
        security: str = "geen",
        tls: TlsFiles | None = None,
        users: Mapping[str, str] | None = None,
        handler: RecordingHandler | None = None,
        host: str = LOOPBACK,
    ) -> None:
        if security not in ("geen", "starttls", "tls"):
            raise ValueError(security)
        if security != "geen" and tls is None:
            raise ValueError("TLS needs certificate files (make_tls_files)")
        self.security = security
        self.tls = tls
        self.users = dict(users or {})
        self.handler = handler or RecordingHandler()
        self.host = host
        kwargs: dict[str, Any] = {"server_hostname": "smtp.zsm.test", "ready_timeout": 5.0}
        if self.users:
            kwargs.update(
                authenticator=_Authenticator(self.users),
                auth_required=True,
                # aiosmtpd only knows STARTTLS as "TLS"; an implicit-TLS session is
                # encrypted from the first byte, so the check is moot there.
                auth_require_tls=security != "tls",
            )
        if security == "starttls":
            assert tls is not None
            kwargs.update(tls_context=tls.server_context(), require_starttls=True)
        elif security == "tls":
            assert tls is not None
            kwargs.update(ssl_context=tls.server_context())
        self._controller = _PortZeroController(self.handler, hostname=host, port=0, **kwargs)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> SmtpTestServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settings(self, **overrides: Any) -> SmtpSettings:
        """Client settings for this server (short timeout, trusts the test CA)."""
        values: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "beveiliging": self.security,
            "gebruiker": next(iter(self.users), ""),
            "afzender": "ZSM Test <zsm-test@example.org>",
            "timeout": 5.0,
            "ca_bundle": self.tls.ca_cert if self.tls else None,
            "ehlo_naam": "zsm-desk.test",
        }
        values.update(overrides)
        return SmtpSettings(**values)


def free_port() -> int:
    """A port nobody listens on right now (for 'server down' tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


__all__ = [
    "LOOPBACK",
    "Received",
    "RecordingHandler",
    "SmtpTestServer",
    "TlsFiles",
    "free_port",
    "make_tls_files",
]
