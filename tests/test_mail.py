"""MIME composition and SMTP transport against a real SMTP server (aiosmtpd).

Nothing of ours is mocked: every send goes over a socket to aiosmtpd on
127.0.0.1 (see tests/smtp_server.py), with real TLS where the test says so.
Synthetic data only; addresses under example.org / .test.
"""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import email.utils
import json
import os
import socket
import stat
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.smtp_server import (
    LOOPBACK,
    RecordingHandler,
    SmtpTestServer,
    TlsFiles,
    free_port,
    make_tls_files,
)
from zsm_desk.domain.decisions import Decision, feedback_plan
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus
from zsm_desk.domain.terugkoppeling import (
    TerugkoppelingContent,
    ZsmContact,
    build_terugkoppeling,
    make_ref,
)
from zsm_desk.services.mail.transport import (
    PermanentFailure,
    SmtpSettings,
    TemporaryFailure,
    build_message,
    domain_of,
    make_message_id,
    save_eml,
    send,
)
from zsm_desk.services.mail.transport import test_connection as check_connection

TZ = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 22, 11, 5, tzinfo=TZ)
VH_MAILBOX = "centraal@vh-utrecht.example.org"
SENDER = "ZSM Midden-Nederland <zsm-mn@example.org>"
PASSWORD = "correct horse battery staple"

ITEM = InstroomItem(
    bvh_nummer="PL0900-2026004242",
    ingestroomd_op=dt.datetime(2026, 11, 22, 7, 43, tzinfo=TZ),
    identity=Identity(
        achternaam="Proefpersoon",
        voornamen="Anna Maria",
        geboortedatum="1988-07-12",
        voorvoegsel="de",
        bsn="111222333",
        gemeente="Utrecht",
    ),
    feit="Mishandeling (art. 300 Sr)",
    status=InstroomStatus.IN_BEHANDELING,
    parketnummer="16/424242-26",
)
PERSONAL = ("Proefpersoon", "Anna", "1988", "111222333", "PL0900", "16/424242", "Mishandeling")


def make_content(voornamen: str = "Anna Maria") -> TerugkoppelingContent:
    item = InstroomItem(
        **{
            **_fields(ITEM),
            "identity": Identity(**{**_fields(ITEM.identity), "voornamen": voornamen}),
        }
    )
    d = Decision(
        beslissing="strafbeschikking",
        besloten_op=dt.datetime(2026, 11, 22, 10, 30, tzinfo=TZ),
        besloten_door="mr. A. Officier",
        advies_gevolgd="deels",
        motivering="Taakstraf in plaats van geldboete; contactverbod overgenomen.",
        voorwaarden="Contactverbod met aangeefster",
    )
    plan = feedback_plan(d, item, False, ["VH-UTR"], False, None)
    return build_terugkoppeling(
        d,
        item,
        plan,
        vh_code="VH-UTR",
        ref=make_ref("MN", NOW.date()),
        zsm_contact=ZsmContact("ZSM Midden-Nederland", "030-0000001", "zsm-mn@example.org"),
        is_minor=False,
        opgesteld_op=NOW,
        vh_bsn="111222333",
    )


def _fields(obj: Any) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in type(obj).__dataclass_fields__}


def make_msg(content: TerugkoppelingContent | None = None) -> EmailMessage:
    return build_message(
        content or make_content(),
        to=VH_MAILBOX,
        sender=SENDER,
        message_id=make_message_id("example.org"),
        date=NOW,
    )


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def plain_server() -> Iterator[SmtpTestServer]:
    with SmtpTestServer() as srv:
        yield srv


def parts(msg: EmailMessage) -> dict[str, EmailMessage]:
    return {p.get_content_type(): p for p in msg.walk() if not p.is_multipart()}  # type: ignore[misc]


# --- composition, checked on the delivered message -------------------------------------


def test_delivered_message_has_the_agreed_shape(plain_server: SmtpTestServer) -> None:
    content = make_content()
    msg = make_msg(content)
    send(msg, plain_server.settings(), None)

    [got] = plain_server.received
    assert got.rcpt_tos == [VH_MAILBOX]
    assert got.mail_from == "zsm-mn@example.org"
    back = got.message
    assert back["Subject"] == f"ZSM-terugkoppeling {content.ref}"
    assert not any(p in back["Subject"] for p in PERSONAL)
    assert back["To"] == VH_MAILBOX
    assert back["Cc"] is None and back["Bcc"] is None
    assert back["Message-ID"] == msg["Message-ID"]
    assert back["Message-ID"].endswith("@example.org>")
    assert email.utils.parsedate_to_datetime(back["Date"]) == NOW
    assert back.get_content_type() == "multipart/mixed"

    by_type = parts(back)
    assert set(by_type) == {"text/plain", "text/html", "application/json"}
    assert "Proefpersoon" in by_type["text/plain"].get_content()
    assert "<table" in by_type["text/html"].get_content()
    attachment = by_type["application/json"]
    assert attachment.get_filename() == f"terugkoppeling-{content.ref}.json"
    assert attachment.get_content_disposition() == "attachment"
    data = json.loads(attachment.get_payload(decode=True).decode("utf-8"))
    assert data == content.to_json_dict()
    alternative = next(p for p in back.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]


def test_digest_message(plain_server: SmtpTestServer) -> None:
    a, b = make_content(), make_content("Bea")
    msg = build_message(
        [a, b], to=VH_MAILBOX, sender=SENDER, message_id=make_message_id("example.org"), date=NOW
    )
    send(msg, plain_server.settings(), None)
    back = plain_server.received[0].message
    assert back["Subject"] == "ZSM-terugkoppeling dagoverzicht VH-UTR 2026-11-22"
    attachment = parts(back)["application/json"]
    assert attachment.get_filename() == "terugkoppeling-dagoverzicht-VH-UTR-2026-11-22.json"
    data = json.loads(attachment.get_payload(decode=True))
    assert [x["ref"] for x in data] == [a.ref, b.ref]
    assert parts(back)["text/html"].get_content().count("<section>") == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"to": f"{VH_MAILBOX}, ander@example.org"},
        {"to": "geen-adres"},
        {"to": "x@example.org\r\nBcc: y@example.org"},
        {"date": dt.datetime(2026, 11, 22, 11, 5)},
        {"message_id": "zonder-haken@example.org"},
    ],
)
def test_build_message_rejects_bad_arguments(kwargs: dict[str, Any]) -> None:
    args: dict[str, Any] = {
        "to": VH_MAILBOX,
        "sender": SENDER,
        "message_id": make_message_id("example.org"),
        "date": NOW,
    }
    args.update(kwargs)
    with pytest.raises(ValueError):
        build_message(make_content(), **args)


def test_message_ids_are_unique() -> None:
    ids = {make_message_id("example.org") for _ in range(100)}
    assert len(ids) == 100
    assert domain_of(SENDER) == "example.org"
    with pytest.raises(ValueError):
        make_message_id("bad domain")


def test_save_eml_is_private_and_parses_back(tmp_path: Path) -> None:
    msg = make_msg()
    path = save_eml(msg, tmp_path / "bericht.eml")
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    assert b"\r\n" in raw
    back = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
    assert back["Message-ID"] == msg["Message-ID"]
    assert back["X-Unsent"] is None
    draft = save_eml(msg, tmp_path / "concept.eml", unsent=True)
    assert b"X-Unsent: 1" in draft.read_bytes()
    assert msg["X-Unsent"] is None  # the original is not changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.eml", "concept.eml"]


# --- TLS and authentication -----------------------------------------------------------------


def test_starttls_with_auth(tls: TlsFiles) -> None:
    with SmtpTestServer(security="starttls", tls=tls, users={"zsm-desk": PASSWORD}) as srv:
        settings = srv.settings()
        assert settings.beveiliging == "starttls" and settings.gebruiker == "zsm-desk"
        ok, text = check_connection(settings, PASSWORD)
        assert ok, text
        assert "STARTTLS" in text and "zsm-desk" in text

        send(make_msg(), settings, PASSWORD)
        [got] = srv.received
        assert got.tls and got.login == "zsm-desk"

        with pytest.raises(PermanentFailure) as wrong:
            send(make_msg(), settings, "fout wachtwoord")
        assert wrong.value.code == 535
        assert PASSWORD not in wrong.value.reden and "fout wachtwoord" not in wrong.value.reden

        # the server requires AUTH: without a user the message is refused
        with pytest.raises(PermanentFailure) as anon:
            send(make_msg(), srv.settings(gebruiker=""), None)
        assert anon.value.code == 530
        assert len(srv.received) == 1

        ok, text = check_connection(settings, "fout wachtwoord")
        assert not ok and "wachtwoord onjuist" in text


def test_untrusted_certificate_is_refused(tls: TlsFiles, tmp_path: Path) -> None:
    other_ca = make_tls_files(tmp_path, prefix="ander")
    with SmtpTestServer(security="starttls", tls=tls, users={"zsm-desk": PASSWORD}) as srv:
        with pytest.raises(PermanentFailure, match="niet vertrouwd"):
            send(make_msg(), srv.settings(ca_bundle=other_ca.ca_cert), PASSWORD)
        assert srv.received == []
    # a trusted CA, but the certificate is for another host name
    wrong_name = make_tls_files(tmp_path, hostnames=("smtp.vh.test",), ips=(), prefix="naam")
    with SmtpTestServer(security="tls", tls=wrong_name) as srv:
        with pytest.raises(PermanentFailure, match="niet vertrouwd"):
            send(make_msg(), srv.settings(), None)
        assert srv.received == []


def test_implicit_tls(tls: TlsFiles) -> None:
    with SmtpTestServer(security="tls", tls=tls, users={"zsm-desk": PASSWORD}) as srv:
        ok, text = check_connection(srv.settings(), PASSWORD)
        assert ok and "TLS" in text
        send(make_msg(), srv.settings(), PASSWORD)
        [got] = srv.received
        assert got.tls and got.login == "zsm-desk"


def test_implicit_tls_against_plain_port_is_a_setting_error(plain_server: SmtpTestServer) -> None:
    with pytest.raises(PermanentFailure, match="controleer poort"):
        send(make_msg(), plain_server.settings(beveiliging="tls"), None)


def test_starttls_not_offered_is_refused(plain_server: SmtpTestServer, tls: TlsFiles) -> None:
    settings = plain_server.settings(beveiliging="starttls", ca_bundle=tls.ca_cert)
    with pytest.raises(PermanentFailure, match="geen STARTTLS"):
        send(make_msg(), settings, None)
    assert plain_server.received == []


def test_plaintext_only_to_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[object] = []

    def no_network(*args: object, **kwargs: object) -> socket.socket:
        connects.append(args)
        raise AssertionError("no connection may be attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    plain = SmtpSettings(host="smtp.vh.test", port=25, beveiliging="geen", afzender=SENDER)
    with pytest.raises(PermanentFailure, match="alleen naar deze computer"):
        send(make_msg(), plain, None)
    ok, text = check_connection(plain, None)
    assert not ok and "alleen naar deze computer" in text
    # AUTH never goes over an unencrypted connection, not even to loopback
    local_auth = SmtpSettings(host=LOOPBACK, port=25, beveiliging="geen", gebruiker="zsm")
    with pytest.raises(PermanentFailure, match="versleutelde verbinding"):
        send(make_msg(), local_auth, PASSWORD)
    # a user without a password in the keyring
    no_pw = SmtpSettings(host="smtp.vh.test", port=587, beveiliging="starttls", gebruiker="zsm")
    with pytest.raises(PermanentFailure, match="Geen wachtwoord"):
        send(make_msg(), no_pw, None)
    assert connects == []


# --- failures ------------------------------------------------------------------------------


def test_server_down_is_temporary() -> None:
    settings = SmtpSettings(host=LOOPBACK, port=free_port(), beveiliging="geen", timeout=2)
    with pytest.raises(TemporaryFailure, match="weigert de verbinding"):
        send(make_msg(), settings, None)
    ok, text = check_connection(settings, None)
    assert not ok and "niet bereikbaar" in text


def test_silent_server_times_out_as_temporary() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(1)  # accepts the TCP connection, never greets
        port = listener.getsockname()[1]
        settings = SmtpSettings(host=LOOPBACK, port=port, beveiliging="geen", timeout=0.3)
        with pytest.raises(TemporaryFailure, match="time-out"):
            send(make_msg(), settings, None)


@pytest.mark.parametrize(
    ("where", "reply", "failure"),
    [
        ("data", "421 4.3.2 Service shutting down", TemporaryFailure),
        ("data", "451 4.3.0 Probeer het later", TemporaryFailure),
        ("rcpt", "451 4.4.3 Greylisted", TemporaryFailure),
        ("rcpt", "550 5.1.1 Mailbox onbekend", PermanentFailure),
        ("data", "554 5.7.1 Geweigerd", PermanentFailure),
    ],
)
def test_server_replies_are_classified(where: str, reply: str, failure: type[Exception]) -> None:
    handler = RecordingHandler(**{f"{where}_reply": reply})
    with SmtpTestServer(handler=handler) as srv:
        with pytest.raises(failure) as err:
            send(make_msg(), srv.settings(), None)
        assert isinstance(err.value, TemporaryFailure | PermanentFailure)
        assert err.value.code == int(reply[:3])
        assert reply[:3] in err.value.reden
        assert "\n" not in err.value.reden
        assert srv.received == []


def test_connection_dropped_after_data_is_temporary_and_resend_keeps_message_id() -> None:
    msg = make_msg()
    with SmtpTestServer(handler=RecordingHandler(drop_after_data=True)) as srv:
        with pytest.raises(TemporaryFailure, match="verbroken"):
            send(msg, srv.settings(), None)
        # ambiguous: the server did receive it ...
        assert len(srv.received) == 1
        # ... so the outbox's resend carries the same Message-ID for de-duplication
        srv.handler.drop_after_data = False
        send(msg, srv.settings(), None)
        ids = [r.message["Message-ID"] for r in srv.received]
        assert ids == [msg["Message-ID"], msg["Message-ID"]]


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        SmtpSettings(host="smtp.example.org", port=587, beveiliging="ssl")
    with pytest.raises(ValueError):
        SmtpSettings(host="smtp.example.org", port=0, beveiliging="tls")
    with pytest.raises(ValueError):
        SmtpSettings(host=" ", port=465, beveiliging="tls")
