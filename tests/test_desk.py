"""A whole day through the `Desk` only (issue 11): import, match, review, decide,
print, send to a real SMTP server on loopback, monitor; with a fixed clock.

No session, no service call: what the window and the command line can do, the
desk does, and this test drives nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.smtp_server import SmtpTestServer
from zsm_desk.desk import Desk
from zsm_desk.desk_types import Pdf, QueueSnapshot
from zsm_desk.domain.access import Role
from zsm_desk.domain.clock import AMSTERDAM, FixedClock
from zsm_desk.domain.settings import SmtpConfig
from zsm_desk.services.decisions.decisions_service import DecisionInput
from zsm_desk.services.storage.db import open_database

DATA = Path(__file__).resolve().parent / "data"
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=AMSTERDAM)


class NoSecrets:
    """A secret store with nothing in it (the test server needs no login)."""

    def get(self, name: str) -> str | None:
        return None


@pytest.fixture
def desk(db_url: str) -> Iterator[Desk]:
    db = open_database(db_url, clock=FixedClock(NOW))
    d = Desk(db, "ovj-desk", NoSecrets())
    from zsm_desk.services.security import users

    with db.session() as s:  # the first account of a new database (as Desk.open does)
        users.ensure_first_account(s, d.account)
    yield d
    db.dispose()


def test_a_day_through_the_desk(desk: Desk, tmp_path: Path) -> None:
    assert desk.now() == NOW.astimezone(dt.UTC)
    assert Role.BEHEERDER in desk.roles()

    # Configuration and registers first, then the suspects of the day.
    settings = desk.import_config(DATA / "config-voorbeeld.toml")
    assert settings.veiligheidshuizen
    desk.import_register(DATA / "register-voorbeeld.csv")
    report = desk.import_instroom(DATA / "instroom-voorbeeld.json")
    assert report.nieuw > 0

    snap = desk.load_queue()
    assert isinstance(snap, QueueSnapshot) and len(snap.rows) == report.nieuw
    assert desk.queue_token() == snap.token

    # A possible hit is reviewed, which changes the queue.
    possible = [r for r in snap.rows if r.vh_status == "mogelijk"]
    if possible:
        hits = desk.hits_to_review(possible[0].id)
        assert hits
        desk.review_hit(hits[0][0].match_id, confirm=True)
        assert desk.queue_token() != snap.token

    known = [r for r in desk.load_queue().rows if r.vh_status == "bekend"]
    assert known, "the sample data has suspects known at a VH"
    item = known[0]
    detail = desk.item_detail(item.id)
    assert detail is not None and detail.item_id == item.id

    # Print: real PDFs.
    plan = desk.print_plan(item.id)
    assert isinstance(plan, Pdf) and plan.data.startswith(b"%PDF") and plan.item_ids == (item.id,)
    pack = desk.print_day_pack([r.id for r in known])
    assert pack.data.startswith(b"%PDF") and set(pack.item_ids) <= {r.id for r in known}
    assert pack.name == "dagpakket-2026-11-22.pdf"
    desk.log_print(pack.item_ids, kind="afdruk", title="Dagpakket", target="printer")

    # Decide and send the terugkoppeling to a real SMTP server on loopback.
    ctx = desk.decision_context(item.id)
    assert ctx.item_id == item.id
    refused = desk.decide(item.id, DecisionInput(beslissing=""))
    assert not refused.ok and refused.errors
    with SmtpTestServer() as srv:
        smtp = SmtpConfig(host="127.0.0.1", port=srv.port, beveiliging="geen",
                          afzender="ZSM Test <zsm-test@example.org>")  # fmt: skip
        desk.save_settings(replace(desk.settings(), smtp=smtp))
        code = "dagvaarden"
        assert any(c == code and ok for c, _label, ok, _eis in ctx.beslissingen)
        advies = "ja" if ctx.heeft_advies else "geen advies"
        result = desk.decide(item.id, DecisionInput(beslissing=code, advies_gevolgd=advies))
        assert result.ok, result.errors
        ids = [m["id"] for m in result.outcome.get("berichten", [])]
        assert ids and all(i in result.previews for i in ids)
        overview = desk.outbox_list()
        assert overview.waiting >= len(ids)
        sent = desk.outbox_send(ids)
        assert sent.ok, sent.summary()
        assert len(srv.received) == len(ids)
    assert desk.outbox_list().waiting == overview.waiting - len(ids)

    # Monitor: figures and an export, audited.
    figures = desk.monitor_figures(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert figures
    out = tmp_path / "monitor.csv"
    desk.monitor_export(dt.date(2026, 11, 1), dt.date(2026, 11, 30), {"csv": out})
    assert out.read_bytes()

    # The audit trail saw all of it, and its chain holds.
    rows = desk.audit_rows(dt.date(2026, 11, 22), dt.date(2026, 11, 22))
    assert rows is not None and rows and all(r.at.tzinfo is not None for r in rows)
    assert desk.audit_verify().ok


def test_a_desk_without_a_role_sees_nothing(desk: Desk) -> None:
    other = Desk(desk.db, "niemand")
    assert other.roles() == frozenset()
    assert other.audit_rows(None, None) is None
    assert other.settings_state().may_manage is False


def test_adviesvraag_names_the_same_zsm_contact_as_the_terugkoppeling(desk: Desk) -> None:
    """One contact rule: phone and bare mailbox from the contact setting, in both mails."""
    from zsm_desk.services.mail import outbox
    from zsm_desk.services.storage.config import put_setting

    desk.import_config(DATA / "config-voorbeeld.toml")
    desk.import_register(DATA / "register-voorbeeld.csv")
    desk.import_instroom(DATA / "instroom-voorbeeld.json")
    with desk.db.session() as s:
        put_setting(s, outbox.SETTING_CONTACT, {"telefoon": "030-0000000"})
        expected = outbox.zsm_contact(s)
    assert expected.telefoon == "030-0000000"
    row = next(r for r in desk.load_queue().rows if r.vh_status == "bekend")
    prep = desk.adviesvraag_voorbereiden(row.id)
    view = desk.adviesvraag_nieuw(item_id=row.id, vh_code=prep.keuzes[0].code,
                                  vraag="Welke afdoening adviseert u?", termijn="24-uur",
                                  verzenden=True)  # fmt: skip
    assert view.outbox_id is not None
    _subject, text, _html = desk.outbox_preview(view.outbox_id)
    assert "030-0000000" in text


def test_the_mail_transport_is_injected(desk: Desk) -> None:
    """A desk with a recording transport sends without any server (the dummy back-end)."""
    from zsm_desk.services.mail.outbox import RecordingTransport

    recorder = RecordingTransport()
    quiet = Desk(desk.db, desk.account, NoSecrets(), mail=lambda smtp, password: recorder)
    quiet.import_config(DATA / "config-voorbeeld.toml")
    quiet.import_register(DATA / "register-voorbeeld.csv")
    quiet.import_instroom(DATA / "instroom-voorbeeld.json")
    smtp = SmtpConfig(host="127.0.0.1", port=9, beveiliging="geen",
                      afzender="ZSM Test <zsm-test@example.org>")  # fmt: skip
    quiet.save_settings(replace(quiet.settings(), smtp=smtp))
    item = next(r for r in quiet.load_queue().rows if r.vh_status == "bekend")
    result = quiet.decide(item.id, DecisionInput(beslissing="dagvaarden", advies_gevolgd="ja"))
    assert result.ok, result.errors
    ids = [m["id"] for m in result.outcome["berichten"]]
    report = quiet.outbox_send(ids)
    assert report.ok, report.summary()
    assert len(recorder.sent) == len(ids)
    assert all(m["Message-ID"] for m in recorder.sent)
