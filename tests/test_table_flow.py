"""Issue 13 (at the table): times, the one age rule, old advice, correction, aanmelding.

Real database (SQLite and PostgreSQL), real SMTP server (aiosmtpd), the CLI
in-process and once as a subprocess in a UTC process zone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from sqlalchemy import select

from tests.smtp_server import SmtpTestServer
from tests.test_decide import (
    ADULT_KNOWN,
    ADULT_UNKNOWN_COMPLEX,
    ADULT_UTR_ONLY,
    ALL,
    KPC,
    TZ,
    _item,
    decide,
    item_id,
    setup_case,
)
from zsm_desk.app_context import AppContext, open_app
from zsm_desk.cli import main
from zsm_desk.domain.age import age_at_instroom
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus
from zsm_desk.domain.terugkoppeling import REF_RE
from zsm_desk.services.decisions import decisions_service as ds
from zsm_desk.services.intake import queue
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers import vh_info
from zsm_desk.services.storage.models import AuditEntry, Decision, OutboxMessage, RegisterMarking

DECIDED_AT = dt.datetime(2026, 11, 22, 15, 50, tzinfo=TZ)  # 14:50 UTC


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def send_and_read(app: AppContext) -> list[EmailMessage]:
    """Send everything due to a real SMTP server; the messages as the VH mailbox has them."""
    with SmtpTestServer() as srv:
        outbox.send_due(app.db, account=app.account, roles=ALL, manual=True,
                        smtp=srv.settings(), now=DECIDED_AT + dt.timedelta(days=1))  # fmt: skip
        return [r.message for r in srv.handler.received]


def body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def attachment(msg: EmailMessage) -> Any:
    for part in msg.iter_attachments():
        return json.loads(part.get_content())  # type: ignore[attr-defined]
    raise AssertionError("geen JSON-bijlage")


# --- §3 times in Amsterdam ---------------------------------------------------------------


def test_besloten_op_is_amsterdam_time_in_mail_json_and_cli(
    app: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_case(app)
    out = decide(app, ADULT_UTR_ONLY, besloten_door="mr. Officier",
                 advies_gevolgd="ja", now=DECIDED_AT.astimezone(dt.UTC))  # fmt: skip
    assert out.to_dict()["besloten_op"] == "2026-11-22T15:50:00+01:00"
    [msg] = send_and_read(app)
    text = body(msg)
    assert "22-11-2026 15:50" in text and "14:50" not in text
    # the addressee as the VH reads it: name and central mailbox, not a code
    assert "Aan: Veiligheidshuis Regio Utrecht <centraal@vh-utrecht.example.org>" in text
    data = attachment(msg)
    assert data["besloten_op"] == "2026-11-22T15:50:00+01:00"
    assert data["opgesteld_op"].endswith("+01:00")


def test_summer_time_carries_plus_two() -> None:
    from zsm_desk.domain.terugkoppeling import _iso, _ts

    summer = dt.datetime(2026, 7, 1, 13, 50, tzinfo=dt.UTC)
    assert _iso(summer) == "2026-07-01T15:50:00+02:00"
    assert _ts(summer) == "01-07-2026 15:50"


def test_cli_decide_json_in_a_utc_process(db_url: str, tmp_path: Any) -> None:
    """The desk's times do not depend on the OS time zone."""
    app = open_app(db_url)
    setup_case(app)
    app.db.dispose()
    env = {**os.environ, "TZ": "UTC"}
    env.pop("ZSM_DESK_DB", None)
    p = subprocess.run(
        [sys.executable, "-m", "zsm_desk", "decide", ADULT_UTR_ONLY, "--db", db_url, "--json",
         "--beslissing", "strafbeschikking", "--advies-gevolgd", "ja"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    besloten = dt.datetime.fromisoformat(data["besloten_op"])
    assert besloten.utcoffset() == besloten.astimezone(TZ).utcoffset()
    assert data["besloten_op"][-6:] in ("+01:00", "+02:00")


# --- §4 one age rule ----------------------------------------------------------------------


def _domain_item(geboortedatum: str, at: dt.datetime, status: str = "in behandeling") -> Any:
    return InstroomItem(
        bvh_nummer="PL0900-2026000099", ingestroomd_op=at,
        identity=Identity("Jansen", "Kees", geboortedatum), feit="x",
        status=InstroomStatus(status),
    )  # fmt: skip


def test_age_rule_uses_the_amsterdam_instroom_day() -> None:
    # 00:30 in Amsterdam on the 18th birthday is 23:30 UTC the day before.
    at = dt.datetime(2026, 11, 21, 23, 30, tzinfo=dt.UTC)
    v = age_at_instroom("2008-11-22", at)
    assert (v.age, v.minor) == (18, False)
    unreadable = age_at_instroom("22-11-08", at)
    assert (unreadable.age, unreadable.minor) == (None, True)
    partial = age_at_instroom("2008-00-00", at)
    assert partial.minor and partial.partial


def test_queue_detail_and_decision_agree_on_age(app: AppContext) -> None:
    birthday = {**_item("PL0900-2026000050", "Vermeer", "Joost", "2008-11-22"),
                "ingestroomd_op": "2026-11-22T00:30:00+01:00"}  # fmt: skip
    unreadable = {**_item("PL0900-2026000051", "Dekker", "Mila", "2008-11-22"),
                  "ingestroomd_op": "2026-11-22T09:00:00+01:00"}  # fmt: skip
    setup_case(app, extra_items=[birthday, unreadable])
    with app.db.session() as s:
        from zsm_desk.services.storage.models import InstroomItem as ItemRow

        row = s.execute(
            select(ItemRow).where(ItemRow.bvh_nummer == "PL0900-2026000051")
        ).scalar_one()
        row.geboortedatum = "onleesbaar"  # a legacy row the feed would now refuse
    with app.db.session() as s:
        rows = {r.bvh_nummer: r for r in queue.load_queue(s, ALL)}
        for bvh, age, minor in (("PL0900-2026000050", 18, False),
                                ("PL0900-2026000051", None, True)):  # fmt: skip
            iid = ds.item_id_by_bvh(s, bvh)
            assert (rows[bvh].leeftijd, rows[bvh].minderjarig) == (age, minor)
            detail = vh_info.case_detail(s, iid, account=app.account, roles=ALL)
            assert detail is not None
            assert (detail.view.age, detail.view.minor) == (age, minor)
            ctx = ds.decision_context(s, iid, account=app.account, roles=ALL)
            assert ctx.minderjarig is minor


# --- §2 old advice ------------------------------------------------------------------------


def _age_advice(app: AppContext, persoon_id: str, datum: dt.date) -> None:
    with app.db.session() as s:
        mk = s.execute(
            select(RegisterMarking).where(RegisterMarking.persoon_id == persoon_id)
        ).scalar_one()
        mk.advies_datum = datum


def test_old_advice_is_still_an_advice(app: AppContext) -> None:
    setup_case(app)
    _age_advice(app, "UTR3", dt.date(2025, 10, 30))  # > 12 months before the decision
    with pytest.raises(ds.DecisionRefused) as exc:
        decide(app, ADULT_UTR_ONLY, besloten_door="mr. Officier", now=DECIDED_AT,
               advies_gevolgd="geen advies")  # fmt: skip
    assert "ja, nee of deels" in str(exc.value)
    out = decide(app, ADULT_UTR_ONLY, besloten_door="mr. Officier", now=DECIDED_AT,
                 advies_gevolgd="deels", motivering="Advies is oud; deels gevolgd.")  # fmt: skip
    assert out.to_dict()["advies_actualiteit"] == "niet actueel"
    with app.db.session() as s:
        row = s.execute(select(Decision)).scalar_one()
        assert row.advies_datum == dt.date(2025, 10, 30)
        assert row.advies_actualiteit == "niet actueel"
    [msg] = send_and_read(app)
    assert "advies van 30-10-2025 (niet actueel)" in body(msg)
    data = attachment(msg)
    assert (data["advies_datum"], data["advies_actualiteit"]) == ("2025-10-30", "niet actueel")


def test_geen_advies_only_without_advice(app: AppContext) -> None:
    setup_case(app)
    from tests.test_decide import ADULT_UNKNOWN

    with pytest.raises(ds.DecisionRefused):
        decide(app, ADULT_UNKNOWN, besloten_door="mr. Officier", advies_gevolgd="ja",
               now=DECIDED_AT)  # fmt: skip
    out = decide(app, ADULT_UNKNOWN, besloten_door="mr. Officier", now=DECIDED_AT)
    assert out.advies_datum is None


# --- §8 aanmelding ------------------------------------------------------------------------


def test_aanmelding_carries_ticked_criteria_and_its_own_subject(app: AppContext) -> None:
    setup_case(app)
    from zsm_desk.services.adviesvragen import screening_service

    with app.db.session() as s:
        iid = ds.item_id_by_bvh(s, ADULT_UNKNOWN_COMPLEX)
        cl = screening_service.load_checklists(s)[0]
        ticked = [c.code for c in cl.criteria][:3]
        screening_service.screen(s, iid, cl.code, ticked, account=app.account, roles=ALL)
        expected = screening_service.aanmelding_gegevens(s, iid)
    assert expected is not None and expected[1]
    out = decide(app, ADULT_UNKNOWN_COMPLEX, besloten_door="mr. Officier", now=DECIDED_AT)
    assert out.uitkomst == "aanmelding"
    [msg] = send_and_read(app)
    ref = out.messages[0].ref
    assert msg["Subject"] == f"ZSM-aanmelding {ref}"
    data = attachment(msg)
    assert data["aanmelding"]["criteria"] == expected[1]
    assert data["aanmelding"]["criteria"]


# --- §6 correction ----------------------------------------------------------------------


def test_correction_after_sending_goes_to_the_same_vhs(
    app: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_case(app)
    first = decide(app, ADULT_UTR_ONLY, besloten_door="mr. Officier", advies_gevolgd="ja",
                   now=DECIDED_AT)  # fmt: skip
    [earlier] = send_and_read(app)
    earlier_ref = first.messages[0].ref
    url = app.db.url
    rc, out, err = run(capsys, "decide", ADULT_UTR_ONLY, "--db", url, "--json", "--corrigeer",
                       "--reden", "Verkeerde code gekozen", "--beslissing", "dagvaarden",
                       "--advies-gevolgd", "ja", "--besloten-door", "mr. Officier")  # fmt: skip
    assert rc == 0, err
    data = json.loads(out)
    assert data["correctie"] is True and data["beslissing"] == "dagvaarden"
    [msg] = send_and_read(app)
    new_ref = data["berichten"][0]["ref"]
    assert msg["Subject"] == f"ZSM-terugkoppeling {new_ref} (correctie)"
    assert msg["To"] == earlier["To"]
    assert attachment(msg)["corrigeert"] == earlier_ref
    assert f"vervangt het eerdere bericht {earlier_ref}" in body(msg)
    with app.db.session() as s:
        row = s.execute(select(Decision)).scalar_one()
        assert row.beslissing == "dagvaarden" and row.gecorrigeerd_op is not None
        entry = s.execute(
            select(AuditEntry).where(AuditEntry.purpose == "beslissing gecorrigeerd")
        ).scalar_one()
        assert entry.detail["reden"] == "Verkeerde code gekozen"
        assert entry.detail["oud"]["beslissing"] == "strafbeschikking"


def test_correction_needs_a_reason_and_a_recorded_decision(
    app: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_case(app)
    url = app.db.url
    rc, _, err = run(capsys, "decide", ADULT_UTR_ONLY, "--db", url, "--corrigeer", "--reden",
                     "Typfout", "--beslissing", "dagvaarden", "--advies-gevolgd", "ja")  # fmt: skip
    assert rc != 0 and "nog geen beslissing" in err
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)
    rc, _, err = run(capsys, "decide", ADULT_UTR_ONLY, "--db", url, "--corrigeer",
                     "--beslissing", "dagvaarden", "--advies-gevolgd", "ja")  # fmt: skip
    assert rc != 0 and "--reden" in err
    assert "Traceback" not in err


def test_correction_before_sending_withdraws_the_unsent_message(app: AppContext) -> None:
    setup_case(app)
    first = decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)
    with app.db.session() as s:
        iid = ds.item_id_by_bvh(s, ADULT_UTR_ONLY)
        out = ds.correct_decision(
            s, iid, ds.DecisionInput(beslissing="dagvaarden", advies_gevolgd="ja"),
            reden="Verkeerde code", account=app.account, roles=ALL, now=DECIDED_AT,
        )  # fmt: skip
    [msg] = send_and_read(app)
    assert msg["Subject"] == f"ZSM-terugkoppeling {out.messages[0].ref}"  # not a correction
    assert attachment(msg)["corrigeert"] is None
    assert first.messages[0].ref not in str(msg)


def test_correction_to_sepot_01_purges_and_sends_only_vervalt(app: AppContext) -> None:
    setup_case(app)
    first = decide(app, ADULT_KNOWN, advies_gevolgd="ja", now=DECIDED_AT)
    refs = {m.vh_code: m.ref for m in first.messages}
    with app.db.session() as s:  # VH-UTR's message left; VH-GV's still waits for the digest
        s.execute(
            OutboxMessage.__table__.update()
            .where(OutboxMessage.ref == refs["VH-UTR"])
            .values(state="verzonden", sent_at=DECIDED_AT)
        )
    with app.db.session() as s:
        iid = ds.item_id_by_bvh(s, ADULT_KNOWN)
        out = ds.correct_decision(
            s, iid, ds.DecisionInput(beslissing="sepot", sepotcode="01"),
            reden="Ten onrechte aangehouden", account=app.account, roles=ALL, now=DECIDED_AT,
        )  # fmt: skip
    assert out.gegevens_verwijderd
    assert [m.vh_code for m in out.messages] == ["VH-UTR"]
    [msg] = send_and_read(app)
    raw = msg.as_string()
    assert f"Eerdere terugkoppeling {refs['VH-UTR']} vervalt" in body(msg)
    assert msg["Subject"].endswith("(correctie)")
    for personal in ("Jansma", "Pieter", "1990", "111222333", ADULT_KNOWN, "16/123456"):
        assert personal not in raw
    data = attachment(msg)
    assert data["corrigeert"] == refs["VH-UTR"] and REF_RE.match(data["ref"])
    with app.db.session() as s:
        left = s.execute(select(OutboxMessage.ref, OutboxMessage.soort)).all()
        assert refs["VH-GV"] not in {r for r, _ in left}  # never sent: purged, nothing to void
    with pytest.raises(LookupError):
        item_id(app, ADULT_KNOWN)


def test_kpc_corrects_on_behalf_of_the_officer(app: AppContext) -> None:
    setup_case(app)
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)
    with app.db.session() as s:
        iid = ds.item_id_by_bvh(s, ADULT_UTR_ONLY)
        with pytest.raises(ds.DecisionRefused):
            ds.correct_decision(s, iid, ds.DecisionInput(beslissing="dagvaarden",
                                advies_gevolgd="ja"), reden="Fout", account=app.account,
                                roles=KPC, now=DECIDED_AT)  # fmt: skip
        out = ds.correct_decision(
            s, iid, ds.DecisionInput(beslissing="dagvaarden", advies_gevolgd="ja",
                                     besloten_door="mr. Officier"),
            reden="Verkeerde code", account=app.account, roles=KPC, now=DECIDED_AT,
        )  # fmt: skip
    assert out.namens == app.account


@pytest.fixture
def _unused() -> Iterator[None]:
    yield


# --- §10 the demo never wipes work unasked ------------------------------------------------


def test_demo_refuses_a_database_with_decisions(
    app: AppContext, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_case(app)
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)
    url = app.db.url
    rc, _out, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22", "--db", url)
    assert rc != 0
    assert "--overschrijven" in err and "1 beslissing" in err and "Traceback" not in err
    with app.db.session() as s:
        assert s.execute(select(Decision)).scalar_one().beslissing == "strafbeschikking"
    rc, _out, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22", "--db", url,
                       "--overschrijven")  # fmt: skip
    assert rc == 0, err


def test_demo_refuses_a_database_with_a_sent_message(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = open_app(sqlite_url)
    setup_case(app)
    out = decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)
    with app.db.session() as s:
        s.execute(Decision.__table__.delete())
        s.execute(OutboxMessage.__table__.update().values(state="verzonden", sent_at=DECIDED_AT))
    assert out.messages
    rc, _, err = run(capsys, "demo", "--db", sqlite_url)
    assert rc != 0 and "1 verzonden bericht" in err
    app.db.dispose()


def test_demo_uses_its_own_database_file(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from zsm_desk.services.storage import db as dbmod

    real = f"sqlite:///{tmp_path / 'echt.sqlite'}"
    demo = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    monkeypatch.setattr(dbmod, "default_url", lambda: real)
    monkeypatch.setattr(dbmod, "demo_url", lambda: demo)
    monkeypatch.delenv("ZSM_DESK_DB", raising=False)
    for _ in range(2):  # the demo's own file is refilled without asking
        rc, out, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22")
        assert rc == 0, err
        assert str(tmp_path / "demo.sqlite") in out
    assert not (tmp_path / "echt.sqlite").exists()


def test_start_demo_script_uses_the_demo_database() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "scripts" / "start-demo.sh").read_text()
    assert "demo_url()" in text and "--overschrijven" in text


def test_start_demo_script_reads_no_machine_or_user_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The demo points both settings files at an empty one in the repository:
    a `configuratie` rolled out in /etc/zsm-desk never lands in the demo day."""
    from pathlib import Path

    from zsm_desk.services.runtime import deployment

    scripts = Path(__file__).resolve().parents[1] / "scripts"
    text = (scripts / "start-demo.sh").read_text()
    for var in ("ZSM_DESK_MACHINE_CONFIG", "ZSM_DESK_USER_CONFIG"):
        assert f'{var}="${{{var}:-$ROOT/scripts/demo-instellingen.toml}}"' in text
        monkeypatch.setenv(var, str(scripts / "demo-instellingen.toml"))
    assert "export ZSM_DESK_MACHINE_CONFIG ZSM_DESK_USER_CONFIG" in text
    assert deployment.load_deployment() == deployment.Deployment()


# --- §9 prints tell the truth (CLI) -------------------------------------------------------


def test_day_pack_print_tells_the_truth(
    sqlite_url: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    from tests.test_printing import HAVE_PDFTOTEXT, flat, pdf_text
    from zsm_desk.services.registers import known_clients
    from zsm_desk.services.storage.models import InstroomItem as ItemRow
    from zsm_desk.services.storage.models import Match

    if not HAVE_PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    rc, _, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22", "--db", sqlite_url)
    assert rc == 0, err
    db = open_app(sqlite_url).db
    with db.session() as s:  # a person confirms every "mogelijk" hit
        maybe = s.execute(select(Match).where(Match.status == "mogelijk")).scalars().all()
        assert maybe
        for m in maybe:
            known_clients.review(s, m.id, confirm=True, actor="kpc-test")
        names = {r.achternaam for r in s.execute(
            select(ItemRow).where(ItemRow.id.in_([m.item_id for m in maybe]))).scalars()}  # fmt: skip
    db.dispose()
    out = tmp_path / "dag.pdf"
    rc, _, err = run(capsys, "print", "dag", "--datum", "2026-11-22", "--out", str(out),
                     "--db", sqlite_url)  # fmt: skip
    assert rc == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdf_text(out.read_bytes(), tmp_path, page=1)
    cover = flat(text)
    assert "TIJD OVER" in cover and "STATUS" in cover
    assert "Selectie: alle bekende verdachten van de dag." in cover
    assert "(mogelijk)" not in cover  # every hit was confirmed by a person
    assert names
    assert "besloten" in cover  # the demo's decided cases
    assert "VERTROUWELIJK — alleen voor het afstemmingsoverleg" in cover
    assert cover.count("VERTROUWELIJK") == 1  # the watermark is a picture, not text


# --- outbox: a server problem stops the run -----------------------------------------------


class _Pw:
    def __init__(self, pw: str) -> None:
        self.pw = pw

    def get(self, name: str) -> str | None:
        return self.pw


def _three_direct(app: AppContext) -> None:
    from tests.test_decide import ADULT_UNKNOWN_COMPLEX as COMPLEX

    setup_case(app)
    decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja", now=DECIDED_AT)  # VH-UTR, direct
    decide(app, ADULT_KNOWN, advies_gevolgd="ja", now=DECIDED_AT)  # VH-UTR + VH-GV (digest)
    decide(app, COMPLEX, now=DECIDED_AT)  # aanmelding VH-UTR


def test_wrong_smtp_password_stops_the_run_and_leaves_the_rest_klaar(
    app: AppContext, tmp_path: Any
) -> None:
    from tests.smtp_server import make_tls_files

    _three_direct(app)
    tls = make_tls_files(tmp_path / "tls")
    with SmtpTestServer(security="starttls", tls=tls, users={"zsm": "juist"}) as srv:
        report = outbox.send_due(app.db, account=app.account, roles=ALL, manual=True,
                                 store=_Pw("fout"), smtp=srv.settings(gebruiker="zsm"),
                                 now=DECIDED_AT)  # fmt: skip
        assert not srv.received
    assert "wachtwoord onjuist" in report.fout
    assert len(report.uitgesteld) == 1 and not report.mislukt
    with app.db.session() as s:
        states = (
            s.execute(select(OutboxMessage.state).where(OutboxMessage.vh_code == "VH-UTR"))
            .scalars()
            .all()
        )
    assert len(states) == 3 and set(states) == {"klaar"}


def test_a_hanging_server_costs_one_time_out_per_run(app: AppContext) -> None:
    import socket
    import threading
    import time

    _three_direct(app)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:  # accepts and never says a word
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        srv = SmtpTestServer()
        smtp = srv.settings(port=port, timeout=1.0, gebruiker="")
        started = time.monotonic()
        report = outbox.send_due(app.db, account=app.account, roles=ALL, manual=True,
                                 smtp=smtp, now=DECIDED_AT)  # fmt: skip
        took = time.monotonic() - started
    finally:
        stop.set()
        t.join(2)
        for c in accepted:
            c.close()
        listener.close()
    assert "time-out" in report.fout
    assert len(accepted) == 1 and took < 2.5, (len(accepted), took)
    with app.db.session() as s:
        assert set(s.execute(select(OutboxMessage.state)).scalars()) <= {"klaar"}


def test_daily_digest_times_are_amsterdam(app: AppContext) -> None:
    from tests.test_decide import ADULT_GV_2

    setup_case(app)
    decide(app, ADULT_GV_2, advies_gevolgd="ja", now=DECIDED_AT)  # VH-GV: dagelijks 16:00
    with SmtpTestServer() as srv:
        outbox.send_due(app.db, account=app.account, roles=ALL, smtp=srv.settings(),
                        now=DECIDED_AT + dt.timedelta(minutes=15))  # 16:05 local  # fmt: skip
        [msg] = [r.message for r in srv.handler.received]
    assert "dagoverzicht" in msg["Subject"]
    assert "22-11-2026 15:50" in body(msg)
    [item] = attachment(msg)
    assert item["besloten_op"] == "2026-11-22T15:50:00+01:00"
