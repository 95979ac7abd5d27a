"""MIME composition and SMTP transport for terugkoppeling messages.

No database here: the persistent outbox (composed → queued → sent / failed)
is built on top of these functions. Its contract with this module:

* `build_message` is deterministic for the same content, Message-ID and Date:
  the outbox fixes the Message-ID *before* the first attempt and stores the
  message, so a resend after an ambiguous failure carries the same Message-ID
  and the receiving side can recognise the duplicate.
* `send` either returns (the server accepted the message: mark it sent) or
  raises `TemporaryFailure` (try again later) or `PermanentFailure` (stop, show
  `reden` to a person). `reden` is one Dutch line, safe to store and show: it
  never contains the password or message content.

Transport rules (interfaces.md §3/§4, platform notes):

* ``starttls`` (usually port 587) or ``tls`` (implicit TLS, usually 465); the
  certificate and host name are always verified, against the operating system's
  certificate store (truststore), or only against `SmtpSettings.ca_bundle`.
* ``geen`` (plain text) only to a loopback host (a local relay); refused
  before any connection is made otherwise.
* AUTH only over an encrypted connection; a configured `gebruiker` with
  ``geen`` is refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.parser
import email.policy
import email.utils
import json
import os
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from zsm_desk.domain.settings import is_loopback_host
from zsm_desk.domain.terugkoppeling import (
    TerugkoppelingContent,
    aan_text,
    digest_json,
    digest_title,
    render_digest_html,
    render_digest_text,
)
from zsm_desk.services.runtime.tls import client_context

BEVEILIGINGEN = ("starttls", "tls", "geen")
JSON_MIME = ("application", "json")
_MAX_REDEN = 300
#: OpenSSL reasons that mean "wrong port or wrong beveiliging": retrying will not help.
_TLS_CONFIG_REASONS = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "UNSUPPORTED_PROTOCOL",
        "TLSV1_ALERT_PROTOCOL_VERSION",
        "HTTP_REQUEST",
        "RECORD_LAYER_FAILURE",
    }
)


# --- errors ---------------------------------------------------------------------------


class MailError(Exception):
    """A send that did not succeed; `reden` is one Dutch line for the user."""

    def __init__(self, reden: str, code: int | None = None) -> None:
        self.reden = " ".join(reden.split())[:_MAX_REDEN]
        self.code = code
        super().__init__(self.reden)


class TemporaryFailure(MailError):
    """Try again later (4xx, no connection, timeout, dropped connection)."""


class PermanentFailure(MailError):
    """Retrying the same way will not help (5xx, refused settings, bad certificate)."""


# --- composing --------------------------------------------------------------------------


def _single_address(value: str, what: str) -> tuple[str, str]:
    """(display name, addr-spec) of exactly one mailbox; ValueError otherwise."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"{what}: regeleinde in adres")
    pairs = email.utils.getaddresses([value])
    if len(pairs) != 1:
        raise ValueError(f"{what}: precies één adres verwacht, niet {value!r}")
    name, addr = pairs[0]
    local, _, domain = addr.rpartition("@")
    if not local or not domain or "." not in domain or " " in addr:
        raise ValueError(f"{what}: ongeldig e-mailadres {value!r}")
    return name, addr


def make_message_id(domain: str) -> str:
    """A new globally unique Message-ID `<…@domain>` (no personal data)."""
    domain = domain.strip().strip(".")
    if not domain or any(c in domain for c in "<>@ \r\n\t"):
        raise ValueError(f"ongeldig domein voor Message-ID: {domain!r}")
    return email.utils.make_msgid(domain=domain)


def domain_of(address: str) -> str:
    """The domain of a mailbox such as `ZSM MN <zsm-mn@example.org>`."""
    return _single_address(address, "adres")[1].rpartition("@")[2]


def build_message(
    content_or_list: TerugkoppelingContent | Sequence[TerugkoppelingContent],
    *,
    to: str,
    sender: str,
    message_id: str,
    date: dt.datetime,
    digest_datum: dt.date | None = None,
    vh_naam: str = "",
) -> EmailMessage:
    """Compose the mail for one terugkoppeling or a daily digest (a list).

    Structure: ``multipart/mixed`` of ``multipart/alternative`` (text/plain,
    text/html) and an ``application/json`` attachment
    ``terugkoppeling-{ref}.json`` (digest: ``terugkoppeling-dagoverzicht-{vh}-{datum}.json``
    holding a JSON array). The subject carries no personal data. `to` must be
    one mailbox (the VH's central mailbox from the directory); `date` must be
    timezone-aware. A digest's date defaults to `date`'s date.
    """
    _single_address(to, "Aan")
    _single_address(sender, "Afzender")
    if (
        not message_id.startswith("<")
        or not message_id.endswith(">")
        or "@" not in message_id
        or any(c.isspace() for c in message_id)
    ):
        raise ValueError(f"ongeldige Message-ID {message_id!r}")
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("Date zonder tijdzone")

    if isinstance(content_or_list, TerugkoppelingContent):
        c = content_or_list
        subject = c.titel
        aan = aan_text(vh_naam, _single_address(to, "Aan")[1]) if vh_naam else ""
        text, body_html = c.render_text(aan), c.render_html(aan)
        payload: object = c.to_json_dict()
        filename = f"terugkoppeling-{c.ref}.json"
        ref_header = c.ref
    else:
        contents = list(content_or_list)
        datum = digest_datum or date.date()
        aan = aan_text(vh_naam, _single_address(to, "Aan")[1]) if vh_naam else ""
        text = render_digest_text(contents, datum, aan)  # validates: non-empty, one VH
        body_html = render_digest_html(contents, datum, aan)
        payload = digest_json(contents)
        vh_code = contents[0].vh_code
        subject = digest_title(vh_code, datum)
        filename = f"terugkoppeling-dagoverzicht-{vh_code}-{datum.isoformat()}.json"
        ref_header = " ".join(x.ref for x in contents)

    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = message_id
    msg["X-ZSM-Referentie"] = ref_header
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(body_html, subtype="html", charset="utf-8")
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    msg.add_attachment(data, maintype=JSON_MIME[0], subtype=JSON_MIME[1], filename=filename)
    return msg


def save_eml(msg: EmailMessage, path: str | os.PathLike[str], *, unsent: bool = False) -> Path:
    """Write the message as an .eml file readable only by the user (mode 0o600).

    Written to a temporary file in the same folder and renamed, so a reader
    never sees half a file. `unsent=True` adds ``X-Unsent: 1`` so Outlook opens
    it as a draft the user can send from their own mail program.
    """
    target = Path(path)
    if unsent and msg["X-Unsent"] is None:
        msg = _copy(msg)
        msg["X-Unsent"] = "1"
    data = msg.as_bytes(policy=email.policy.SMTP)
    fd, tmp = tempfile.mkstemp(prefix=".zsm-", suffix=".eml.tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        os.chmod(target, 0o600)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def _copy(msg: EmailMessage) -> EmailMessage:
    parser = email.parser.BytesParser(_class=EmailMessage, policy=email.policy.SMTP)
    return parser.parsebytes(msg.as_bytes(policy=email.policy.SMTP))  # type: ignore[return-value]


# --- settings -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """The ``[smtp]`` section (interfaces.md §3) plus transport details.

    `ca_bundle`: PEM file with the CA(s) to trust instead of the system store
    (an organisation CA or, in tests, a self-signed certificate).
    `ehlo_naam`: the name sent in EHLO; default the machine's FQDN.
    """

    host: str
    port: int
    beveiliging: str
    gebruiker: str = ""
    afzender: str = ""
    timeout: float = 30.0
    ca_bundle: str | os.PathLike[str] | None = None
    ehlo_naam: str | None = None

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise ValueError("SMTP-server ontbreekt")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"ongeldige SMTP-poort {self.port}")
        if self.beveiliging not in BEVEILIGINGEN:
            raise ValueError(
                f"beveiliging moet starttls, tls of geen zijn, niet {self.beveiliging!r}"
            )
        if self.timeout <= 0:
            raise ValueError("timeout moet positief zijn")

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


# --- transport ---------------------------------------------------------------------------------


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """The system's certificate store, or only `ca_bundle` when one is set."""
    try:
        return client_context(settings.ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        cafile = os.fspath(settings.ca_bundle) if settings.ca_bundle else None
        raise PermanentFailure(f"CA-bundel {cafile} kan niet worden gelezen: {exc}") from exc


def _server_text(exc: smtplib.SMTPResponseException) -> str:
    raw = exc.smtp_error
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def _by_code(code: int, wat: str, server_text: str) -> MailError:
    detail = f" ({code} {server_text})" if server_text else f" ({code})"
    if 400 <= code < 500:
        return TemporaryFailure(
            f"Mailserver weigert tijdelijk {wat}{detail}; later opnieuw proberen.", code
        )
    return PermanentFailure(f"Mailserver weigert {wat}{detail}.", code)


def classify(exc: BaseException, settings: SmtpSettings) -> MailError:
    """Map an exception from smtplib/ssl/socket to a Temporary/PermanentFailure."""
    srv = settings.server
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (550, b""))
        txt = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return _by_code(code, "de ontvanger", " ".join(txt.split()))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return _by_code(exc.smtp_code, "de afzender", _server_text(exc))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        if 400 <= exc.smtp_code < 500:
            return _by_code(exc.smtp_code, "het aanmelden", _server_text(exc))
        return PermanentFailure(
            "Aanmelden bij de mailserver mislukt: gebruikersnaam of wachtwoord onjuist "
            f"({exc.smtp_code}).",
            exc.smtp_code,
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return _by_code(exc.smtp_code, "het bericht", _server_text(exc))
    if isinstance(exc, smtplib.SMTPConnectError):
        return _by_code(exc.smtp_code, "de verbinding", _server_text(exc))
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code, "de opdracht", _server_text(exc))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PermanentFailure(f"Mailserver {srv} ondersteunt dit niet: {exc}.")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, TimeoutError):  # smtplib wraps a read time-out
            return TemporaryFailure(f"Mailserver {srv} reageert niet (time-out).")
        return TemporaryFailure(
            f"Verbinding met mailserver {srv} onverwacht verbroken; later opnieuw proberen."
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentFailure(
            f"Certificaat van mailserver {srv} niet vertrouwd: {exc.verify_message or exc.reason}."
        )
    if isinstance(exc, ssl.SSLError):
        reason = (exc.reason or "").upper()
        if reason in _TLS_CONFIG_REASONS:
            return PermanentFailure(
                f"TLS-fout met mailserver {srv} ({exc.reason}): controleer poort en "
                "beveiliging (starttls of tls)."
            )
        return TemporaryFailure(f"TLS-fout met mailserver {srv} ({exc.reason or exc}).")
    if isinstance(exc, socket.gaierror):
        return TemporaryFailure(f"Mailserver {settings.host} niet gevonden (DNS): {exc.strerror}.")
    if isinstance(exc, ConnectionRefusedError):
        return TemporaryFailure(f"Mailserver {srv} weigert de verbinding (niet bereikbaar).")
    if isinstance(exc, TimeoutError):
        return TemporaryFailure(f"Mailserver {srv} reageert niet (time-out).")
    if isinstance(exc, smtplib.SMTPException):
        return TemporaryFailure(f"SMTP-fout met mailserver {srv}: {exc}.")
    if isinstance(exc, OSError):
        return TemporaryFailure(
            f"Netwerkfout met mailserver {srv}: {exc.strerror or exc.__class__.__name__}."
        )
    return PermanentFailure(f"Onverwachte fout bij versturen: {exc.__class__.__name__}.")


def _check_settings(settings: SmtpSettings, password: str | None) -> None:
    """Refuse unsafe or incomplete settings before any connection is made."""
    if settings.beveiliging == "geen":
        if not is_loopback_host(settings.host):
            raise PermanentFailure(
                f"Onversleuteld mailen ('geen') mag alleen naar deze computer, niet naar "
                f"{settings.host}: kies starttls of tls."
            )
        if settings.gebruiker:
            raise PermanentFailure(
                "Aanmelden bij de mailserver gebeurt alleen over een versleutelde verbinding: "
                "kies starttls of tls, of laat de gebruiker leeg."
            )
    if settings.gebruiker and not password:
        raise PermanentFailure(
            "Geen wachtwoord voor de mailserver: stel het in met 'zsm-desk secret set smtp'."
        )


def open_connection(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    """Connect, secure the connection, EHLO and AUTH; the caller closes it."""
    _check_settings(settings, password)
    ctx = _tls_context(settings) if settings.beveiliging != "geen" else None
    conn: smtplib.SMTP
    if settings.beveiliging == "tls":
        conn = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            local_hostname=settings.ehlo_naam,
            timeout=settings.timeout,
            context=ctx,
        )
    else:
        conn = smtplib.SMTP(
            settings.host,
            settings.port,
            local_hostname=settings.ehlo_naam,
            timeout=settings.timeout,
        )
    try:
        conn.ehlo()
        if settings.beveiliging == "starttls":
            if not conn.has_extn("starttls"):
                raise PermanentFailure(
                    f"Mailserver {settings.server} biedt geen STARTTLS aan; er wordt niet "
                    "onversleuteld verstuurd."
                )
            conn.starttls(context=ctx)
            conn.ehlo()  # capabilities may differ after TLS (e.g. AUTH appears)
        if settings.gebruiker:
            # Only reached on an encrypted connection (_check_settings).
            conn.login(settings.gebruiker, password or "")
    except BaseException:
        close(conn)
        raise
    return conn


def close(conn: smtplib.SMTP) -> None:
    """QUIT politely; on a broken connection just close the socket."""
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def send(msg: EmailMessage, settings: SmtpSettings, password: str | None) -> None:
    """Deliver `msg` to the mailbox in its To header via the configured server.

    The envelope sender is the address in the From header (compose with
    ``sender=settings.afzender``); the envelope recipient is the one To address.

    Returns when the server accepted the message (250 after DATA). Raises
    `TemporaryFailure` or `PermanentFailure` with a Dutch one-line `reden`.
    """
    to_header = msg["To"]
    from_header = msg["From"]
    if not to_header or not from_header or not msg["Message-ID"]:
        raise PermanentFailure("Bericht mist To, From of Message-ID.")
    try:
        to_addr = _single_address(str(to_header), "Aan")[1]
        from_addr = _single_address(str(from_header), "Afzender")[1]
    except ValueError as exc:
        raise PermanentFailure(f"Ongeldig adres: {exc}.") from exc

    try:
        conn = open_connection(settings, password)
    except Exception as exc:
        raise classify(exc, settings) from exc
    try:
        # A connection dropped after DATA was sent but before the server's
        # final reply is ambiguous: the message may or may not have been
        # accepted. It surfaces here as SMTPServerDisconnected and is
        # classified as temporary: the outbox resends the stored message with
        # the same Message-ID, so a duplicate can be recognised by the VH.
        # Losing a terugkoppeling is worse than receiving it twice.
        conn.send_message(msg, from_addr=from_addr, to_addrs=[to_addr])
    except Exception as exc:
        close(conn)
        raise classify(exc, settings) from exc
    # Accepted. A failing QUIT afterwards does not undo the delivery.
    close(conn)


def test_connection(settings: SmtpSettings, password: str | None) -> tuple[bool, str]:
    """Connect, secure, log in and say goodbye; (ok, Dutch message) for the settings screen."""
    try:
        conn = open_connection(settings, password)
    except Exception as exc:
        return False, classify(exc, settings).reden
    try:
        conn.noop()
    except Exception as exc:
        close(conn)
        return False, classify(exc, settings).reden
    close(conn)
    how = {
        "starttls": "versleuteld met STARTTLS",
        "tls": "versleuteld met TLS",
        "geen": "onversleuteld (alleen lokaal)",
    }[settings.beveiliging]
    who = f", aangemeld als {settings.gebruiker}" if settings.gebruiker else ""
    return True, f"Verbinding met mailserver {settings.server} gelukt ({how}{who})."


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test

__all__ = [
    "BEVEILIGINGEN",
    "MailError",
    "PermanentFailure",
    "SmtpSettings",
    "TemporaryFailure",
    "build_message",
    "classify",
    "close",
    "domain_of",
    "is_loopback_host",
    "make_message_id",
    "open_connection",
    "save_eml",
    "send",
    "test_connection",
]
