"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1), SQLite and PostgreSQL.

Nothing of ours is mocked: messages go over a socket, with real STARTTLS and
AUTH where the test says so; the crash test kills a real `zsm-desk outbox send`
process between the server receiving the message and the database recording it.
After every scenario each message is either delivered (exactly once, or twice
with an identical Message-ID in the ambiguous cases) or still in the outbox
with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select

from tests.smtp_server import RecordingHandler, SmtpTestServer, free_port, make_tls_files
from tests.test_decide import (
    ADULT_FL,
    ADULT_GV_2,
    ADULT_GV_3,
    ADULT_KNOWN,
    ADULT_UTR_ONLY,
    KPC,
    TZ,
    decide,
    setup_case,
)
from zsm_desk.services.mail import outbox
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.app import AppContext, open_app
from zsm_desk.services.storage.models import AuditEntry, OutboxMessage, Setting

NOW_MORNING = dt.datetime(2026, 11, 22, 10, 0, tzinfo=TZ)


@pytest.fixture
def sqlite_app(sqlite_url: str) -> Iterator[AppContext]:
    """For scenarios that do not depend on the database engine (keeps the suite fast);
    delivery, crash, concurrency and digest run on SQLite and PostgreSQL (`app`)."""
    ctx = open_app(sqlite_url)
    yield ctx
    ctx.db.dispose()


class _Store:
    def __init__(self, value: str) -> None:
        self.value = value
        self.asked: list[str] = []

    def get(self, name: str) -> str | None:
        self.asked.append(name)
        return self.value


def _rows(app: AppContext) -> list[OutboxMessage]:
    with app.db.session() as s:
        return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())


def _ids(srv: SmtpTestServer) -> list[str]:
    return [str(r.message["Message-ID"]) for r in srv.received]


def assert_nothing_lost(
    app: AppContext, received_ids: list[str], *, ambiguous: bool = False
) -> None:
    """Each message delivered (once; twice with the same ID only if ambiguous) or waiting."""
    counts = Counter(received_ids)
    for row in _rows(app):
        n = counts.get(row.message_id, 0)
        if row.state == outbox.VERZONDEN:
            if row.digest_id is not None:  # delivered inside its digest
                assert n == 0
                continue
            assert n == 1 or (ambiguous and n == 2), (row.ref, n)
            assert row.sent_at is not None and row.sending_since is None
        else:
            assert row.state in outbox.WAITING_STATES, row.state
            if row.soort != outbox.SOORT_DIGEST and row.digest_id is None:
                assert n == 0 or ambiguous
            assert row.last_error or row.state == outbox.KLAAR


def _two_direct(app: AppContext) -> None:
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja")  # → VH-UTR (direct)


# --- delivery -------------------------------------------------------------------------------------


def test_starttls_auth_delivery_and_never_twice(app: AppContext, tmp_path: Path) -> None:
    tls = make_tls_files(tmp_path / "tls")
    setup_case(app)
    _two_direct(app)
    store = _Store("geheim-wachtwoord")
    with SmtpTestServer(security="starttls", tls=tls, users={"zsm": "geheim-wachtwoord"}) as srv:
        smtp = srv.settings(gebruiker="zsm")
        report = outbox.send_due(app.db, account=app.account, roles=KPC, store=store, smtp=smtp)
        assert report.ok and len(report.verzonden) == 1, report
        assert store.asked == ["smtp"]
        [row] = _rows(app)
        assert row.state == "verzonden" and row.attempts == 1
        [rec] = srv.received
        assert rec.tls and rec.login == "zsm"
        assert rec.rcpt_tos == ["centraal@vh-utrecht.example.org"]
        msg = rec.message
        assert msg["Message-ID"] == row.message_id
        assert msg["Subject"] == f"ZSM-terugkoppeling {row.ref}"
        assert msg["Date"] is not None
        [att] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/json"]
        assert json.loads(att.get_content())["ref"] == row.ref
        # again, manual and automatic: a recorded success is never resent
        again = outbox.send_due(app.db, account=app.account, roles=KPC, store=store, smtp=smtp,
                                manual=True)  # fmt: skip
        assert again.ok and not again.verzonden
        assert len(srv.received) == 1
        assert_nothing_lost(app, _ids(srv))
    with app.db.session() as s:
        sends = s.execute(select(AuditEntry).where(AuditEntry.action == audit.SEND)).scalars().all()
        assert [e.detail["ref"] for e in sends] == [row.ref]
        assert "Bosmans" not in json.dumps(sends[0].detail)
        assert outbox.waiting_count(s) == 0
        assert outbox.preview(s, row.id)[0] == f"ZSM-terugkoppeling {row.ref}"


def test_server_down_then_backoff_then_delivered(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    _two_direct(app)
    down = SmtpTestServer().settings(port=free_port())
    t0 = app.clock.now()
    report = outbox.send_due(app.db, account=app.account, smtp=down)
    assert not report.ok and len(report.uitgesteld) == 1
    [row] = _rows(app)
    assert row.state == "klaar" and row.attempts == 1 and "weigert de verbinding" in row.last_error
    assert row.next_attempt_at is not None
    assert dt.timedelta(seconds=50) < row.next_attempt_at - t0 < dt.timedelta(seconds=70)
    # automatic run before the backoff: nothing attempted
    assert not outbox.send_due(app.db, account=app.account, smtp=down).uitgesteld
    # after the backoff, automatic: 2nd attempt, next wait 5 minutes
    later = row.next_attempt_at + dt.timedelta(seconds=1)
    outbox.send_due(app.db, account=app.account, smtp=down, now=later)
    [row] = _rows(app)
    assert row.attempts == 2 and row.next_attempt_at == later + dt.timedelta(minutes=5)
    assert_nothing_lost(app, [])
    with SmtpTestServer() as srv:  # the server is back; a person presses "Verzenden"
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert report.ok and len(report.verzonden) == 1
        assert _ids(srv) == [row.message_id]
        assert_nothing_lost(app, _ids(srv))


def test_temporary_refusals_retry(app: AppContext) -> None:
    setup_case(app)
    _two_direct(app)
    handler = RecordingHandler(data_reply="421 4.3.2 Dienst tijdelijk niet beschikbaar")
    with SmtpTestServer(handler=handler) as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings())
        assert len(report.uitgesteld) == 1 and not report.ok
        [row] = _rows(app)
        assert row.state == "klaar" and "421" in row.last_error and row.next_attempt_at
        assert_nothing_lost(app, _ids(srv))
        handler.data_reply = "451 4.3.0 Probeer later"
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        [row] = _rows(app)
        assert len(report.uitgesteld) == 1 and "451" in row.last_error and row.attempts == 2
        assert_nothing_lost(app, _ids(srv))
        handler.data_reply = None
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert report.ok and _ids(srv) == [row.message_id]
        assert_nothing_lost(app, _ids(srv))


def test_permanent_refusal_needs_manual_retry(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    _two_direct(app)
    handler = RecordingHandler(rcpt_reply="550 5.1.1 Mailbox onbekend")
    with SmtpTestServer(handler=handler) as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings())
        assert len(report.mislukt) == 1
        [row] = _rows(app)
        assert row.state == "mislukt" and "550" in row.last_error and row.next_attempt_at is None
        handler.rcpt_reply = None
        # automatic runs leave a permanent failure alone
        assert not outbox.send_due(app.db, account=app.account, smtp=srv.settings()).verzonden
        assert srv.received == []
        with app.db.session() as s:
            assert outbox.waiting_count(s) == 1
            outbox.retry(s, row.id, app.account, roles=KPC)
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings())
        assert report.ok and _ids(srv) == [row.message_id]
        assert_nothing_lost(app, _ids(srv))
        with app.db.session() as s, pytest.raises(outbox.OutboxError, match="al verzonden"):
            outbox.retry(s, row.id, app.account)


def test_dropped_after_data_resends_same_message_id(app: AppContext) -> None:
    setup_case(app)
    _two_direct(app)
    with SmtpTestServer(handler=RecordingHandler(drop_after_data=True)) as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings())
        assert len(report.uitgesteld) == 1  # ambiguous: treated as temporary
        [row] = _rows(app)
        assert row.state == "klaar" and len(srv.received) == 1
        srv.handler.drop_after_data = False
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert report.ok
        assert _ids(srv) == [row.message_id, row.message_id]  # duplicate, identical ID
        first, second = (r.data for r in srv.received)
        assert first == second  # the very same message
        assert_nothing_lost(app, _ids(srv), ambiguous=True)


class _KillOnData(RecordingHandler):
    """Records the message, then SIGKILLs the sending process before replying 250."""

    kill_pid: int | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if self.kill_pid is not None:
            os.kill(self.kill_pid, signal.SIGKILL)
            self.kill_pid = None
        return reply


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_crash_between_send_and_record(app: AppContext) -> None:
    handler = _KillOnData()
    with SmtpTestServer(handler=handler) as srv:
        setup_case(app, smtp_port=srv.port)
        _two_direct(app)
        cmd = [sys.executable, "-m", "zsm_desk", "outbox", "send", "--db", app.db.url]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        handler.kill_pid = child.pid
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        [row] = _rows(app)
        assert len(srv.received) == 1 and _ids(srv) == [row.message_id]
        # the server has it, the database does not know: still in the outbox, lease set
        assert row.state == "klaar" and row.sending_since is not None and row.attempts == 1
        assert_nothing_lost(app, _ids(srv), ambiguous=True)

        done = subprocess.run([*cmd, "--json"], env=env, capture_output=True, text=True,
                              timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)["verzonden"]) == 1
        [row] = _rows(app)
        assert row.state == "verzonden" and row.attempts == 2 and row.sending_since is None
        assert _ids(srv) == [row.message_id, row.message_id]
        assert_nothing_lost(app, _ids(srv), ambiguous=True)
        # and never a third time
        again = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert again.ok and not again.verzonden
        assert len(srv.received) == 2


def test_live_lease_of_another_sender_is_respected(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    _two_direct(app)
    [row] = _rows(app)
    with app.db.session() as s:  # another desk (other host) is sending right now
        r = s.get(OutboxMessage, row.id)
        assert r is not None
        r.sending_since, r.sending_by = app.clock.now(), "andere-pc:4242"
    with SmtpTestServer() as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert not report.verzonden and len(report.overgeslagen) == 1 and srv.received == []
        # once the lease is stale it is taken over, with the same Message-ID
        later = app.clock.now() + dt.timedelta(seconds=outbox.LEASE_SECONDS + 1)
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), now=later)
        assert len(report.verzonden) == 1 and _ids(srv) == [row.message_id]


def test_two_desks_concurrently_send_each_message_once(app: AppContext) -> None:
    setup_case(app)
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja")
    decide(app, ADULT_KNOWN, advies_gevolgd="ja")  # VH-UTR direct + VH-GV (digest, waits)
    decide(app, ADULT_FL, advies_gevolgd="ja")  # concept: unsecured, waits
    with SmtpTestServer() as srv:
        settings = srv.settings()
        errors: list[BaseException] = []

        def desk() -> None:
            try:
                outbox.send_due(app.db, account=app.account, smtp=settings, manual=True)
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=desk) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        assert len(srv.received) == 2 and len(set(_ids(srv))) == 2
        assert_nothing_lost(app, _ids(srv))
        states = Counter(r.state for r in _rows(app))
        assert states == {"verzonden": 2, "klaar": 1, "concept": 1}


# --- digest -----------------------------------------------------------------------------------------


def test_daily_digest(app: AppContext) -> None:
    setup_case(app)
    a = decide(app, ADULT_GV_2, advies_gevolgd="ja", now=NOW_MORNING)
    b = decide(app, ADULT_GV_3, advies_gevolgd="ja", toelichting="Tweede zaak.",
               now=NOW_MORNING + dt.timedelta(hours=2))  # fmt: skip
    due = dt.datetime(2026, 11, 22, 16, 0, tzinfo=TZ)
    assert [m.deliver_after for m in a.messages + b.messages] == [due, due]
    with SmtpTestServer() as srv:
        before = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True,
                                 now=due - dt.timedelta(minutes=1))  # fmt: skip
        assert before.ok and not before.verzonden and srv.received == []
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(),
                                 now=due + dt.timedelta(minutes=1))  # fmt: skip
        assert report.ok and len(report.dagoverzichten) == 1 and len(report.verzonden) == 1
        [rec] = srv.received
        msg = rec.message
        assert msg["Subject"] == "ZSM-terugkoppeling dagoverzicht VH-GV 2026-11-22"
        assert rec.rcpt_tos == ["zsm@vh-gv.example.org"]
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Aantal berichten: 2" in text and "Kramer" in text and "Smeets" in text
        assert "Tweede zaak." in text
        count, _, head_hash = msg[outbox.AUDIT_HEAD_HEADER].partition(":")  # anchor (issue 15)
        assert int(count) > 0 and len(head_hash) == 64
        [att] = list(msg.iter_attachments())
        array = json.loads(att.get_content())
        refs = [m.ref for m in a.messages + b.messages]
        assert [x["ref"] for x in array] == refs
        rows = {r.id: r for r in _rows(app)}
        digest = rows[report.dagoverzichten[0]]
        assert digest.soort == "digest" and digest.state == "verzonden"
        assert msg["Message-ID"] == digest.message_id
        members = [r for r in rows.values() if r.digest_id == digest.id]
        assert sorted(m.ref for m in members) == sorted(refs)
        assert all(m.state == "verzonden" and m.sent_at for m in members)
        assert_nothing_lost(app, _ids(srv))
        # nothing more, ever
        assert not outbox.send_due(app.db, account=app.account, smtp=srv.settings(),
                                   manual=True).verzonden  # fmt: skip
        with app.db.session() as s:
            assert outbox.waiting_count(s) == 0
            subject, text, _html = outbox.preview(s, digest.id)
            assert subject.startswith("ZSM-terugkoppeling dagoverzicht")


def test_digest_time_is_dst_safe() -> None:
    # the day clocks go forward (29 March 2026): 16:00 is 14:00 UTC, not 15:00
    before = dt.datetime(2026, 3, 28, 17, 0, tzinfo=TZ)
    nxt = outbox.next_digest_time(before, "16:00")
    assert nxt.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 14, 0, tzinfo=dt.UTC)
    # and back (25 October 2026): 16:00 is 15:00 UTC
    nxt = outbox.next_digest_time(dt.datetime(2026, 10, 24, 18, 0, tzinfo=TZ), "16:00")
    assert nxt.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 15, 0, tzinfo=dt.UTC)
    # a wall time that does not exist that night still yields one moment that day
    nxt = outbox.next_digest_time(dt.datetime(2026, 3, 28, 12, 0, tzinfo=TZ), "02:30")
    assert nxt.astimezone(TZ).date() == dt.date(2026, 3, 29)
    # exactly at the time: the next day
    at = dt.datetime(2026, 11, 22, 16, 0, tzinfo=TZ)
    assert outbox.next_digest_time(at, "16:00") == at + dt.timedelta(days=1)
    assert [outbox.backoff(n).seconds // 60 for n in (1, 2, 3, 4, 5, 9)] == [1, 5, 15, 60, 60, 60]


# --- unsecured VH, eml, misc --------------------------------------------------------------------------


def test_unsecured_vh_confirmed_or_blocked_at_send(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    out = decide(app, ADULT_FL, advies_gevolgd="ja")
    [m] = out.messages
    with SmtpTestServer() as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert not report.verzonden and srv.received == []  # concept: waits for confirmation
        with app.db.session() as s:
            outbox.mark_ready(s, m.outbox_id, account=app.account, roles=KPC,
                              bevestigd_onbeveiligd=True)  # fmt: skip
            s.add(Setting(key="onbeveiligd_blokkeren", value=True))
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert len(report.mislukt) == 1 and "geblokkeerd" in report.mislukt[0].reden
        with app.db.session() as s:
            s.get(Setting, "onbeveiligd_blokkeren").value = False  # type: ignore[union-attr]
            outbox.retry(s, m.outbox_id, app.account)
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert report.ok and len(srv.received) == 1
        assert srv.received[0].rcpt_tos == ["post@vh-flevoland.example.org"]
        assert_nothing_lost(app, _ids(srv))


def test_eml_export_is_handmatig_and_not_sent(sqlite_app: AppContext, tmp_path: Path) -> None:
    app = sqlite_app
    setup_case(app)
    _two_direct(app)
    [row] = _rows(app)
    with app.db.session() as s:
        path = outbox.export_eml(s, row.id, tmp_path / "bericht.eml", account=app.account,
                                 roles=KPC)  # fmt: skip
    data = path.read_bytes()
    assert row.message_id.encode() in data and b"X-Unsent: 1" in data
    assert (path.stat().st_mode & 0o777) == 0o600
    [row] = _rows(app)
    assert row.state == "handmatig" and row.sent_at is not None
    with SmtpTestServer() as srv:
        report = outbox.send_due(app.db, account=app.account, smtp=srv.settings(), manual=True)
        assert not report.verzonden and srv.received == []
    with app.db.session() as s:
        assert outbox.waiting_count(s) == 0
        assert s.execute(select(AuditEntry).where(AuditEntry.action == audit.EXPORT)).scalar_one()


def test_no_smtp_configured_and_cli_exit_codes(sqlite_app: AppContext,
                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    app = sqlite_app
    from zsm_desk.cli import main

    setup_case(app)
    _two_direct(app)
    report = outbox.send_due(app.db, account=app.account)
    assert report.fout and not report.ok
    assert main(["outbox", "send", "--db", app.db.url]) == 1
    out = capsys.readouterr().out
    assert "Geen mailserver ingesteld" in out and "Nog wachtend: 1" in out
    [row] = _rows(app)
    assert row.attempts == 0 and row.state == "klaar"


def test_cli_send_json(sqlite_app: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    app = sqlite_app
    from zsm_desk.cli import main

    with SmtpTestServer(handler=RecordingHandler(rcpt_reply="550 5.1.1 Onbekend")) as srv:
        setup_case(app, smtp_port=srv.port)
        _two_direct(app)
        assert main(["outbox", "send", "--json", "--db", app.db.url]) == 1
        captured = capsys.readouterr()
        data = json.loads(captured.out)
        assert data["ok"] is False and len(data["mislukt"]) == 1 and data["wachtend"] == 1
        assert "1 mislukt" in captured.err
        srv.handler.rcpt_reply = None
        assert main(["outbox", "send", "--json", "--db", app.db.url]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["ok"] is True and len(data["verzonden"]) == 1 and data["wachtend"] == 0
        assert len(srv.received) == 1


def test_generic_kind_via_registry(sqlite_app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    app = sqlite_app
    from zsm_desk.domain.access import Action

    outbox.load_plugins()  # register the real kinds first, into the real registry
    monkeypatch.setattr(outbox, "_KINDS", dict(outbox._KINDS))  # keep the registry clean

    def render(req: outbox.RenderRequest) -> Any:
        return outbox.compose_simple(
            req, subject=f"ZSM-testvraag {req.row.ref}", text=req.row.payload["vraag"],
            html=f"<p>{req.row.payload['vraag']}</p>", json_payload=req.row.payload,
        )  # fmt: skip

    outbox.register_renderer("testvraag", render, action=Action.ADVIESVRAAG)
    setup_case(app)
    with app.db.session() as s:
        row = outbox.enqueue(s, soort="testvraag", vh_code="VH-GV", account=app.account,
                             payload={"vraag": "Is er een actueel plan van aanpak?"})  # fmt: skip
        assert row.deliver_after is None  # only terugkoppelingen go into a digest
        with pytest.raises(outbox.OutboxError, match="Onbekende berichtsoort"):
            outbox.enqueue(s, soort="onbekend", vh_code="VH-GV", account=app.account, payload={})
        with pytest.raises(outbox.OutboxError, match="adreslijst"):
            outbox.enqueue(s, soort="testvraag", vh_code="VH-XX", account=app.account, payload={})
    with SmtpTestServer() as srv:
        from zsm_desk.domain.access import Role

        ps = frozenset({Role.PARKETSECRETARIS})
        report = outbox.send_due(app.db, account=app.account, roles=ps, smtp=srv.settings())
        assert report.ok and len(report.verzonden) == 1
        assert srv.received[0].message["Subject"] == f"ZSM-testvraag {row.ref}"


def test_background_sends_only_digests_and_retries(sqlite_app: AppContext) -> None:
    """The window's timer never overtakes a fresh terugkoppeling; digests go at their time."""
    from dataclasses import replace

    from zsm_desk.domain.settings import SmtpConfig
    from zsm_desk.services.storage import config

    app = sqlite_app
    setup_case(app)
    digest_case = decide(app, ADULT_GV_2, advies_gevolgd="ja", now=NOW_MORNING)
    direct_case = decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=NOW_MORNING)
    with SmtpTestServer() as srv:
        with app.db.session() as s:
            smtp = SmtpConfig(host="127.0.0.1", port=srv.port, beveiliging="geen",
                              afzender="ZSM Test <zsm-test@example.org>")  # fmt: skip
            config.save_settings(s, replace(config.load_settings(s), smtp=smtp), app.account, "t")
        due = digest_case.messages[0].deliver_after
        assert due is not None
        assert (
            outbox.send_background(app.db, account=app.account, now=due - dt.timedelta(minutes=5))
            is None
        )
        report = outbox.send_background(
            app.db, account=app.account, now=due + dt.timedelta(minutes=1)
        )
        assert report is not None and len(report.dagoverzichten) == 1
        assert len(srv.received) == 1  # the digest only
        with app.db.session() as s:
            direct = s.get(OutboxMessage, direct_case.messages[0].outbox_id)
            assert direct is not None and direct.state == "klaar" and direct.attempts == 0


def test_missing_password_leaves_messages_waiting(sqlite_app: AppContext) -> None:
    from dataclasses import replace

    from zsm_desk.domain.settings import SmtpConfig
    from zsm_desk.services.storage import config

    app = sqlite_app
    setup_case(app)
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja")
    with app.db.session() as s:
        smtp = SmtpConfig(host="smtp.example.org", port=587, beveiliging="starttls",
                          gebruiker="zsm-desk", afzender="ZSM Test <zsm-test@example.org>")  # fmt: skip
        config.save_settings(s, replace(config.load_settings(s), smtp=smtp), app.account, "t")
    report = outbox.send_due(app.db, account=app.account, manual=True)
    assert "wachtwoord" in report.fout.lower()
    assert not report.mislukt
    assert {r.state for r in _rows(app)} == {"klaar"}
