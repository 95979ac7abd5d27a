"""Advies op aanvraag: service, outbox integration and CLI (issue 6).

The deadline arithmetic itself is covered by test_deadlines.py; here we check
that the service stores what `compute_deadline` says, with the VH's office
hours, and that the term only runs once the mail has actually left.
"""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.smtp_server import RecordingHandler, SmtpTestServer
from zsm_desk.cli import main
from zsm_desk.domain import adviesvraag as av
from zsm_desk.domain.access import Role
from zsm_desk.domain.deadlines import OfficeHours, compute_deadline
from zsm_desk.domain.freshness import Freshness
from zsm_desk.domain.settings import Settings, VhEntry
from zsm_desk.services.adviesvragen import adviesvragen as svc
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers import vh_info
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.app import AppContext
from zsm_desk.services.storage.models import AuditEntry, Match, OutboxMessage, RegisterMarking
from zsm_desk.services.storage.models import InstroomItem as ItemRow

TZ = ZoneInfo("Europe/Amsterdam")
BVH = "PL0900-2026000123"
ALL = frozenset(Role)
PS = frozenset({Role.PARKETSECRETARIS})
KPC = frozenset({Role.KPC})
UTR_UREN = "ma-vr 08:30-17:00"
GV_UREN = "ma-do 08:30-17:00, vr 08:30-12:30"
# Friday before Koningsdag (Monday 27 April 2026).
VRIJDAG = dt.datetime(2026, 4, 24, 14, 0, tzinfo=TZ)


def _local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def _setup(s, account: str) -> int:  # type: ignore[no-untyped-def]
    settings = Settings(
        zsm_locatie="ZSM Midden-Nederland",
        veiligheidshuizen=(
            VhEntry("VH-UTR", "Veiligheidshuis Regio Utrecht", "centraal@vh-utrecht.example.org",
                    bereikbaar=UTR_UREN),
            VhEntry("VH-GV", "Zorg- en Veiligheidshuis Gooi en Vechtstreek",
                    "zsm@zvh-gooi.example.org", bereikbaar=GV_UREN),
        ),
    )  # fmt: skip
    config.save_settings(s, settings, account, "test")
    item = ItemRow(
        bvh_nummer=BVH, parketnummer="16/123456-26", ingestroomd_op=_local(2026, 4, 24, 9, 0),
        achternaam="Vries", voorvoegsel="de", voornamen="Jan", geboortedatum="1990-05-12",
        feit="Mishandeling partner (art. 300 Sr)", status="in behandeling",
        updated_at=_local(2026, 4, 24, 9, 0),
    )  # fmt: skip
    s.add(item)
    s.flush()
    return item.id


@pytest.fixture
def item_id(app: AppContext) -> int:
    with app.db.session() as s:
        return _setup(s, app.account)


def _ask(s, item_id: int, *, vh: str = "VH-UTR", termijn: str = "volgende-werkdag-13",  # type: ignore[no-untyped-def]
         per: dt.datetime = VRIJDAG, roles: frozenset[Role] = ALL, account: str = "ps1",
         verzenden: bool = True) -> svc.AdviesvraagView:  # fmt: skip
    return svc.nieuw(
        s, item_id=item_id, vh_code=vh, vraag="Welke afdoening adviseert u?", termijn=termijn,
        account=account, roles=roles, per=per, verzenden=verzenden, now=per,
    )  # fmt: skip


def _mark_outbox(s, view: svc.AdviesvraagView, state: str, *, sent_at=None, error: str = ""):  # type: ignore[no-untyped-def]
    row = s.get(OutboxMessage, view.outbox_id)
    row.state, row.sent_at, row.last_error = state, sent_at, error
    s.flush()


# --- deadlines --------------------------------------------------------------------------


def _check_presets(app, item_id) -> None:  # type: ignore[no-untyped-def]
    utr = OfficeHours.parse(UTR_UREN)
    expected = {
        "volgende-werkdag-13": _local(2026, 4, 28, 13, 0),  # Koningsdag Monday skipped
        "24-uur": _local(2026, 4, 25, 14, 0),
        "5-werkdagen": _local(2026, 5, 4, 17, 0),  # Tue 28 Apr .. Mon 4 May
        "7-dagen": _local(2026, 5, 1, 14, 0),
        "2026-04-29T12:00": _local(2026, 4, 29, 12, 0),
    }
    with app.db.session() as s:
        for termijn, want in expected.items():
            v = _ask(s, item_id, termijn=termijn, verzenden=False)
            assert v.deadline == compute_deadline(termijn, VRIJDAG, office_hours=utr) == want
            assert v.gesteld_op == VRIJDAG
            assert v.status is av.AdviesvraagState.CONCEPT
        # Across the DST change (29 March 2026): 24 h real time, 7 days same wall time.
        zat = _local(2026, 3, 28, 10, 0)
        v = _ask(s, item_id, termijn="24-uur", per=zat, verzenden=False)
        assert v.deadline == _local(2026, 3, 29, 11, 0)
        v = _ask(s, item_id, termijn="7-dagen", per=zat, verzenden=False)
        assert v.deadline == _local(2026, 4, 4, 10, 0)


def _check_office_hours(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        utr = _ask(s, item_id, vh="VH-UTR", verzenden=False)
        gv = _ask(s, item_id, vh="VH-GV", verzenden=False)
    # Gooi is closed on Friday afternoon: it sees the question on Tuesday
    # (Monday is Koningsdag), so the advice is due Wednesday 13:00.
    assert utr.deadline == _local(2026, 4, 28, 13, 0)
    assert gv.deadline == _local(2026, 4, 29, 13, 0)
    assert gv.deadline == compute_deadline("volgende-werkdag-13", VRIJDAG, office_hours=GV_UREN)
    assert gv.bereikbaarheid == OfficeHours.parse(GV_UREN).describe()
    assert "vrijdag 08:30–12:30" in gv.bereikbaarheid


def _check_refusals(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        with pytest.raises(svc.AdviesvraagError, match="onbekend veiligheidshuis 'VH-XXX'"):
            _ask(s, item_id, vh="VH-XXX")
        with pytest.raises(svc.AdviesvraagError, match="Onbekende termijn"):
            _ask(s, item_id, termijn="morgen")
        with pytest.raises(svc.AdviesvraagError, match="ligt niet na het vraagmoment"):
            _ask(s, item_id, termijn="2026-04-24T10:00")
        with pytest.raises(svc.AdviesvraagError, match="vraag is leeg"):
            svc.nieuw(s, item_id=item_id, vh_code="VH-UTR", vraag="  ", termijn="24-uur",
                      account="ps1", roles=ALL)  # fmt: skip
        n = s.execute(select(OutboxMessage)).all()
    assert n == []


def test_deadlines_office_hours_and_refusals(app, item_id) -> None:  # type: ignore[no-untyped-def]
    # One database per test is the slow part on PostgreSQL: related checks share one.
    _check_refusals(app, item_id)
    _check_presets(app, item_id)
    _check_office_hours(app, item_id)


# --- the term runs only once the mail has left --------------------------------------------


def test_failed_mail_is_visibly_not_sent_and_its_term_does_not_run(app, item_id) -> None:  # type: ignore[no-untyped-def]
    later = _local(2026, 5, 6, 9, 0)  # long after the provisional deadline
    with app.db.session() as s:
        v = _ask(s, item_id)
        assert v.status is av.AdviesvraagState.WACHT and v.outbox_id is not None
        assert v.stand.tekst == av.NIET_GESTART and not v.stand.loopt
        _mark_outbox(s, v, outbox.MISLUKT, error="550 5.1.1 mailbox onbekend")
        [row] = svc.lijst(s, account="ps1", roles=KPC, now=later)
        assert row.status is av.AdviesvraagState.MISLUKT
        assert str(row.status) == "verzending mislukt"
        assert row.stand.tekst == "termijn loopt nog niet"
        assert not row.te_laat and row.stand.state is None
        assert row.verzendmelding == "550 5.1.1 mailbox onbekend"
        assert row.to_json()["termijn_loopt"] is False
        # Not past a deadline that never started: deciding without needs the explicit flag.
        with pytest.raises(svc.AdviesvraagError, match="termijn loopt nog niet"):
            svc.besluit_zonder_advies(s, v.id, reden="geen advies", account="k", roles=KPC,
                                      now=later)  # fmt: skip

        # Retried and sent on Monday 4 May 10:00: the term starts then.
        sent = _local(2026, 5, 4, 10, 0)
        svc.verzend(s, v.id, account="ps1", roles=PS, now=later)
        assert s.get(OutboxMessage, v.outbox_id).state == outbox.KLAAR
        _mark_outbox(s, v, outbox.VERZONDEN, sent_at=sent)
        row = svc.get(s, v.id, roles=PS, now=_local(2026, 5, 4, 11, 0))
        assert row.status is av.AdviesvraagState.VERZONDEN
        assert row.verzonden_op == sent
        assert row.deadline == _local(2026, 5, 5, 13, 0)
        assert row.deadline == compute_deadline("volgende-werkdag-13", sent, office_hours=UTR_UREN)
        assert row.stand.loopt and row.stand.tekst == "nog 1 dag 2 u"
        # Sent before --per: the explicit asking moment wins (max).
        early = _ask(s, item_id, per=_local(2026, 4, 24, 14, 0))
        _mark_outbox(s, early, outbox.VERZONDEN, sent_at=_local(2026, 4, 24, 13, 0))
        assert svc.get(s, early.id, roles=PS).deadline == _local(2026, 4, 28, 13, 0)


def test_mail_through_the_real_outbox(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        v = _ask(s, item_id)
    now = VRIJDAG + dt.timedelta(minutes=1)
    with SmtpTestServer() as srv:
        report = outbox.send_due(app.db, now=now, account="ps1", smtp=srv.settings())
        [received] = srv.received
    assert [r.ref for r in report.verzonden] == [v.ref]
    msg: EmailMessage = received.message
    assert msg["Subject"] == f"ZSM-adviesvraag {v.ref}"
    assert "Vries" not in msg["Subject"] and BVH not in msg["Subject"]
    assert received.rcpt_tos == ["centraal@vh-utrecht.example.org"]
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Jan de Vries" in body and "12-05-1990" in body and BVH in body
    assert "Welke afdoening adviseert u?" in body and "28-04-2026 13:00" in body
    [att] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/json"]
    data = json.loads(att.get_content())
    assert data["schema"] == "zsm-adviesvraag/1" and data["ref"] == v.ref
    assert data["termijn"]["deadline"] == "2026-04-28T13:00:00+02:00"
    with app.db.session() as s:
        row = svc.get(s, v.id, roles=PS, now=now)
    assert row.status is av.AdviesvraagState.VERZONDEN and row.verzonden_op == now
    assert row.deadline == _local(2026, 4, 28, 13, 0)

    # A permanent failure (5xx) shows as "verzending mislukt".
    with app.db.session() as s:
        v2 = _ask(s, item_id)
    with SmtpTestServer(handler=RecordingHandler(rcpt_reply="550 5.1.1 Onbekend")) as srv:
        outbox.send_due(app.db, now=now, account="ps1", smtp=srv.settings())
    with app.db.session() as s:
        row2 = svc.get(s, v2.id, roles=PS, now=now)
    assert row2.status is av.AdviesvraagState.MISLUKT and not row2.stand.loopt
    assert "550" in row2.verzendmelding


# --- answer and decision without advice --------------------------------------------------


def _check_answer(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        v = _ask(s, item_id)
        _mark_outbox(s, v, outbox.VERZONDEN, sent_at=VRIJDAG)
        op = _local(2026, 4, 28, 11, 15)
        row = svc.registreer_antwoord(
            s, v.id, tekst="Advies: VW sepot met meldplicht reclassering.", van="M. Bakker",
            via="telefoon", op=op, account="ps1", roles=PS, now=op,
        )  # fmt: skip
        assert row.status is av.AdviesvraagState.BEANTWOORD and not row.open
        assert row.beantwoord_op == op and row.antwoord_via == "telefoon"
        with pytest.raises(svc.AdviesvraagError, match="al beantwoord"):
            svc.registreer_antwoord(s, v.id, tekst="nog een", van="x", via="mail",
                                    account="ps1", roles=PS)  # fmt: skip
        with pytest.raises(svc.AdviesvraagError, match="kies 'telefoon' of 'mail'"):
            v2 = _ask(s, item_id)
            svc.registreer_antwoord(s, v2.id, tekst="a", van="b", via="fax", account="ps1",
                                    roles=PS)  # fmt: skip
        entries = s.execute(
            select(AuditEntry).where(AuditEntry.action == audit.ADVIESVRAAG)
        ).scalars().all()  # fmt: skip
        details = [e.detail for e in entries]
        assert any(d["actie"] == "antwoord" and d["adviesvraag_id"] == v.id for d in details)
        assert all("M. Bakker" not in json.dumps(d) for d in details)
        sheet = vh_info.build_sheet(s, s.get(ItemRow, item_id), account="ps1", roles=PS)
        [answer] = sheet.answers
        assert answer.antwoord.startswith("Advies: VW sepot") and answer.van_wie == "M. Bakker"
        assert answer.vh_naam == "Veiligheidshuis Regio Utrecht"
        assert audit.verify(s).ok


def _check_zonder_advies(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        v = _ask(s, item_id)
        _mark_outbox(s, v, outbox.VERZONDEN, sent_at=VRIJDAG)
        voor = _local(2026, 4, 28, 12, 0)
        with pytest.raises(svc.AdviesvraagError, match="pas na de termijn"):
            svc.besluit_zonder_advies(s, v.id, reden="ZSM-norm", account="ps1", roles=PS, now=voor)
        with pytest.raises(users.NotAllowed, match="KPC'er of officier"):
            svc.besluit_zonder_advies(s, v.id, reden="ZSM-norm", account="ps1", roles=PS,
                                      voor_termijn=True, now=voor)  # fmt: skip
        with pytest.raises(svc.AdviesvraagError, match="reden"):
            svc.besluit_zonder_advies(s, v.id, reden=" ", account="k", roles=KPC,
                                      now=_local(2026, 4, 29, 9, 0))  # fmt: skip
        # After the deadline: overdue in the list, and a decision without is allowed.
        na = _local(2026, 4, 28, 13, 30)
        [row] = svc.lijst(s, account="kpc1", roles=KPC, now=na)
        assert row.te_laat and row.stand.tekst == "30 min te laat"
        done = svc.besluit_zonder_advies(s, v.id, reden="Geen advies ontvangen; OvJ beslist.",
                                         account="kpc1", roles=KPC, now=na)  # fmt: skip
        assert done.status is av.AdviesvraagState.ZONDER_ADVIES
        assert done.zonder_advies_door == "kpc1" and done.zonder_advies_op == na
        assert svc.lijst(s, account="kpc1", roles=KPC, now=na) == []
        with pytest.raises(svc.AdviesvraagError, match="al besloten zonder advies"):
            svc.registreer_antwoord(s, v.id, tekst="te laat", van="x", via="mail",
                                    account="kpc1", roles=KPC)  # fmt: skip
        # Early, explicitly, by the KPC'er: allowed and recorded as such.
        v2 = _ask(s, item_id)
        svc.besluit_zonder_advies(s, v2.id, reden="Voorgeleiding, geen tijd.", account="kpc1",
                                  roles=KPC, voor_termijn=True, now=voor)  # fmt: skip
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).scalar_one()
        assert last.detail["actie"] == "zonder-advies" and last.detail["voor_termijn"] is True


def test_decision_without_advice_then_answer(app, item_id) -> None:  # type: ignore[no-untyped-def]
    _check_zonder_advies(app, item_id)
    _check_answer(app, item_id)


# --- roles and refresh -------------------------------------------------------------------------


def _check_roles(app, item_id) -> None:  # type: ignore[no-untyped-def]
    with app.db.session() as s:
        with pytest.raises(users.NotAllowed):
            _ask(s, item_id, roles=frozenset())
        with pytest.raises(users.NotAllowed):
            svc.lijst(s, account="niemand", roles=frozenset())
        with pytest.raises(users.NotAllowed):
            _ask(s, item_id, roles=frozenset({Role.BEHEERDER}))
        _ask(s, item_id, account="ps1", roles=PS)
        _ask(s, item_id, account="ps2", roles=frozenset({Role.OFFICIER}))
        assert [v.gesteld_door for v in svc.lijst(s, account="ps1", roles=PS)] == ["ps1"]
        assert len(svc.lijst(s, account="kpc1", roles=KPC)) == 2  # the KPC sees every term
        with pytest.raises(users.NotAllowed, match="KPC'er"):
            svc.lijst(s, account="ps1", roles=PS, alle=True)


def _check_refresh(app, item_id) -> None:  # type: ignore[no-untyped-def]
    now = _local(2026, 11, 20, 10, 0)
    with app.db.session() as s:
        ids = []
        for pid, datum in (("UTR1", dt.date(2026, 3, 2)), ("UTR2", dt.date(2026, 9, 1))):
            mk = RegisterMarking(
                vh_code="VH-UTR", persoon_id=pid, achternaam="Vries", voorvoegsel="de",
                voornamen="Jan", geboortedatum="1990-05-12", slagzin="Top X",
                advies_datum=datum, imported_at=now,
            )  # fmt: skip
            s.add(mk)
            s.flush()
            m = Match(item_id=item_id, marking_id=mk.id, status="bekend", score=1.0, reden="bsn")
            s.add(m)
            s.flush()
            ids.append(m.id)
        v = svc.actualisatie(s, match_id=ids[0], termijn="5-werkdagen", account="ps1", roles=PS,
                             now=now, verzenden=False)  # fmt: skip
        assert v.vraag.startswith(
            "Graag een actueel advies; het huidige advies dateert van 02-03-2026"
        )
        assert "minder zwaarwegend" in v.vraag and v.aanleiding == "actualisatie"
        assert v.vh_code == "VH-UTR" and v.to_json()["aanleiding"] == "actualisatie"
        with pytest.raises(svc.AdviesvraagError, match="actueel"):
            svc.actualisatie(s, match_id=ids[1], termijn="24-uur", account="ps1", roles=PS,
                             now=now)  # fmt: skip
        [keuze, *_] = svc.vh_keuzes(s, item_id)
        assert keuze.code == "VH-UTR" and keuze.match_status == "bekend"


def test_roles_and_refresh(app, item_id) -> None:  # type: ignore[no-untyped-def]
    _check_roles(app, item_id)
    _check_refresh(app, item_id)


# --- pure bits -------------------------------------------------------------------------------


def test_state_mapping_and_refresh_text() -> None:
    S = av.AdviesvraagState
    assert av.derive_state(None, beantwoord=False, zonder_advies=False) is S.CONCEPT
    assert av.derive_state("concept", beantwoord=False, zonder_advies=False) is S.CONCEPT
    assert av.derive_state("klaar", beantwoord=False, zonder_advies=False) is S.WACHT
    assert av.derive_state("mislukt", beantwoord=False, zonder_advies=False) is S.MISLUKT
    assert av.derive_state("verzonden", beantwoord=False, zonder_advies=False) is S.VERZONDEN
    assert av.derive_state("iets-nieuws", beantwoord=False, zonder_advies=False) is S.WACHT
    assert av.derive_state("mislukt", beantwoord=True, zonder_advies=False) is S.BEANTWOORD
    assert av.derive_state("verzonden", beantwoord=False, zonder_advies=True) is S.ZONDER_ADVIES
    with pytest.raises(ValueError, match="actueel"):
        av.actualisatievraag(dt.date(2026, 1, 1), Freshness.ACTUEEL)
    text = av.actualisatievraag(dt.date(2025, 1, 31), Freshness.NIET_ACTUEEL, 22)
    assert "dateert van 31-01-2025 (niet actueel, 22 maanden oud)" in text


# --- CLI -----------------------------------------------------------------------------------------


def test_cli(app, item_id, db_url, capsys) -> None:  # type: ignore[no-untyped-def]
    rc = main(["adviesvraag", "nieuw", BVH, "--vh", "VH-GV", "--vraag", "Advies graag",
               "--termijn", "volgende-werkdag-13", "--per", "2026-04-24T14:00", "--json",
               "--db", db_url])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0, out
    data = json.loads(out)
    assert data["deadline"] == "2026-04-29T13:00:00+02:00"
    assert data["gesteld_op"] == "2026-04-24T14:00:00+02:00"
    assert data["status"] == "wacht op verzending" and data["termijn_loopt"] is False
    assert main(["adviesvraag", "list", "--json", "--db", db_url]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == data["id"] and listed["resterend"] == "termijn loopt nog niet"

    rc = main(["adviesvraag", "zonder-advies", str(data["id"]), "--reden", "x", "--db", db_url])
    assert rc == 2 and "pas na de termijn" in capsys.readouterr().err
    rc = main(["adviesvraag", "antwoord", str(data["id"]), "--tekst", "Voorgeleiden", "--van",
               "VH-secretaris", "--via", "mail", "--op", "2026-04-24T15:00", "--json",
               "--db", db_url])  # fmt: skip
    assert rc == 0
    answered = json.loads(capsys.readouterr().out)
    assert answered["status"] == "beantwoord"
    assert answered["antwoord"]["ontvangen_op"] == "2026-04-24T15:00:00+02:00"
    rc = main(["adviesvraag", "nieuw", "PL-ONBEKEND", "--vh", "VH-GV", "--vraag", "v",
               "--termijn", "24-uur", "--db", db_url])  # fmt: skip
    assert rc == 2 and "geen verdachte" in capsys.readouterr().err
    rc = main(["adviesvraag", "nieuw", BVH, "--vh", "VH-NOPE", "--vraag", "v",
               "--termijn", "24-uur", "--db", db_url])  # fmt: skip
    assert rc == 2 and "onbekend veiligheidshuis" in capsys.readouterr().err
