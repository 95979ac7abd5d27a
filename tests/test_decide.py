"""Recording decisions and what they produce (issue 5), on SQLite and PostgreSQL.

Synthetic persons only. The helpers at the top are shared with test_outbox.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from zsm_desk.domain.access import Role
from zsm_desk.domain.settings import validate_config
from zsm_desk.services.decisions import decisions_service
from zsm_desk.services.decisions.decisions_service import (
    DecisionInput,
    DecisionRefused,
    record_decision,
)
from zsm_desk.services.intake import instroom
from zsm_desk.services.intake.fileformats import RawFile
from zsm_desk.services.mail import outbox
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.security.users import NotAllowed
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.app import AppContext, open_app
from zsm_desk.services.storage.models import (
    Adviesvraag,
    AuditEntry,
    Base,
    Decision,
    InstroomItem,
    Match,
    OutboxMessage,
    PurgeRecord,
    Setting,
)

TZ = ZoneInfo("Europe/Amsterdam")
ALL = frozenset(Role)
KPC = frozenset({Role.KPC})
OFFICIER = frozenset({Role.OFFICIER})
PS = frozenset({Role.PARKETSECRETARIS})

BSN_KNOWN = "111222333"
BSN_PURGE = "123456782"
PURGE_NAME = ("Quokkaveld", "Zebulon Ambrosius")


def base_config(
    *, smtp_port: int | None = None, gv_digest: str = "dagelijks 16:00"
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "zsm_locatie": "ZSM Midden-Nederland",
        "veiligheidshuis": [
            {"code": "VH-UTR", "naam": "Veiligheidshuis Regio Utrecht",
             "mailbox": "centraal@vh-utrecht.example.org", "gemeenten": ["Utrecht", "Zeist"],
             "terugkoppeling": "direct"},
            {"code": "VH-GV", "naam": "Veiligheidshuis Gooi en Vechtstreek",
             "mailbox": "zsm@vh-gv.example.org", "gemeenten": ["Hilversum"],
             "terugkoppeling": gv_digest},
            {"code": "VH-FL", "naam": "Veiligheidshuis Flevoland",
             "mailbox": "post@vh-flevoland.example.org", "gemeenten": ["Almere"],
             "beveiligde_mail": False},
        ],
    }  # fmt: skip
    if smtp_port is not None:
        doc["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "beveiliging": "geen",
                       "afzender": "ZSM Midden-Nederland <zsm-mn@example.org>"}  # fmt: skip
    return doc


def _item(bvh: str, achternaam: str, voornamen: str, geboortedatum: str, *, bsn: str = "",
          gemeente: str = "Utrecht", status: str = "in behandeling") -> dict[str, Any]:  # fmt: skip
    return {
        "bvh_nummer": bvh, "parketnummer": "16/123456-26",
        "ingestroomd_op": "2026-11-22T07:43:00+01:00", "achternaam": achternaam,
        "voorvoegsel": "", "voornamen": voornamen, "geboortedatum": geboortedatum,
        "bsn": bsn, "gemeente": gemeente, "woonplaats": gemeente,
        "feit": "Mishandeling (art. 300 Sr)", "categorie": "geweld", "status": status,
    }  # fmt: skip


def _marking(vh: str, pid: str, achternaam: str, voornamen: str, geboortedatum: str,
             bsn: str) -> dict[str, Any]:  # fmt: skip
    return {
        "vh_code": vh, "persoon_id": pid, "achternaam": achternaam, "voornamen": voornamen,
        "geboortedatum": geboortedatum, "bsn": bsn,
        "slagzin": "Bij nieuw feit: voorgeleiden; PvA loopt via VH.",
        "advies": "Voorgeleiden.", "advies_datum": "2026-10-01", "actief": "ja",
    }  # fmt: skip


#: bvh → what it is about
ADULT_KNOWN = "PL0900-2026000001"  # known at VH-UTR (BSN) and VH-GV (daily digest)
ADULT_UNKNOWN_COMPLEX = "PL0900-2026000002"  # unknown, mogelijk complex, gemeente Zeist
ADULT_UNKNOWN = "PL0900-2026000003"
PURGE_CASE = "PL0900-2026000004"  # known at VH-UTR, will get sepot 01
ADULT_UTR_ONLY = "PL0900-2026000005"  # known at VH-UTR only
ADULT_FL = "PL0900-2026000006"  # known at VH-FL (no secure mail)
ADULT_GV_2 = "PL0900-2026000007"  # known at VH-GV only
ADULT_GV_3 = "PL0900-2026000008"  # known at VH-GV only


def setup_case(app: AppContext, *, smtp_port: int | None = None,
               extra_items: list[dict[str, Any]] | None = None) -> None:  # fmt: skip
    """Directory, register and instroom of a small synthetic day."""
    with app.db.session() as s:
        config.save_settings(s, validate_config(base_config(smtp_port=smtp_port)), app.account,
                             "test")  # fmt: skip
        registers.import_raw(s, RawFile(records=[
            _marking("VH-UTR", "UTR1", "Jansma", "Pieter Klaas", "1990-03-14", BSN_KNOWN),
            _marking("VH-GV", "GV1", "Jansma", "Pieter Klaas", "1990-03-14", ""),
            _marking("VH-UTR", "UTR2", PURGE_NAME[0], PURGE_NAME[1], "1985-06-02", BSN_PURGE),
            _marking("VH-UTR", "UTR3", "Bosmans", "Henk", "1975-01-20", ""),
            _marking("VH-FL", "FL1", "Wolters", "Anke", "1988-08-08", ""),
            _marking("VH-GV", "GV2", "Kramer", "Dirk", "1992-02-02", ""),
            _marking("VH-GV", "GV3", "Smeets", "Ilse", "1993-03-03", ""),
        ], kind="json"), actor=app.account, recheck=False)  # fmt: skip
        items = [
            _item(ADULT_KNOWN, "Jansma", "Pieter Klaas", "1990-03-14", bsn=BSN_KNOWN),
            _item(ADULT_UNKNOWN_COMPLEX, "Veldhuis", "Sanne", "1995-05-05", gemeente="Zeist"),
            _item(ADULT_UNKNOWN, "Brouwer", "Tom", "1980-01-01"),
            _item(PURGE_CASE, PURGE_NAME[0], PURGE_NAME[1], "1985-06-02", bsn=BSN_PURGE),
            _item(ADULT_UTR_ONLY, "Bosmans", "Henk", "1975-01-20"),
            _item(ADULT_FL, "Wolters", "Anke", "1988-08-08", gemeente="Almere"),
            _item(ADULT_GV_2, "Kramer", "Dirk", "1992-02-02", gemeente="Hilversum"),
            _item(ADULT_GV_3, "Smeets", "Ilse", "1993-03-03", gemeente="Hilversum"),
            *(extra_items or []),
        ]
        instroom.import_raw(s, RawFile(records=items, kind="json"), actor=app.account)
        row = s.execute(
            select(InstroomItem).where(InstroomItem.bvh_nummer == ADULT_UNKNOWN_COMPLEX)
        ).scalar_one()
        row.mogelijk_complex = True


def item_id(app: AppContext, bvh: str) -> int:
    with app.db.session() as s:
        return decisions_service.item_id_by_bvh(s, bvh)


def decide(app: AppContext, bvh: str, *, roles: frozenset[Role] = ALL,
           now: dt.datetime | None = None, **kw: Any) -> decisions_service.DecisionOutcome:  # fmt: skip
    kw.setdefault("beslissing", "strafbeschikking")
    with app.db.session() as s:
        iid = decisions_service.item_id_by_bvh(s, bvh)
        return record_decision(s, iid, DecisionInput(**kw), account=app.account, roles=roles,
                               now=now)  # fmt: skip


@pytest.fixture
def sqlite_app(sqlite_url: str) -> Iterator[AppContext]:
    """For logic that does not depend on the database engine (keeps the suite fast);
    the transactional paths (recording, purge, sending, digests) run on both."""
    ctx = open_app(sqlite_url)
    yield ctx
    ctx.db.dispose()


# --- the tests ---------------------------------------------------------------------------------


def test_known_person_gets_terugkoppeling_per_vh(app: AppContext) -> None:
    setup_case(app)
    out = decide(app, ADULT_KNOWN, voorwaarden="Contactverbod met ex-partner",
                 advies_gevolgd="deels", motivering="Geen voorgeleiding: first offender bij dit feit.",
                 toelichting="Zaak afgedaan met strafbeschikking.", onderzoek_gepland=True,
                 onderzoek_soort="reclasseringsonderzoek")  # fmt: skip
    assert out.uitkomst == "terugkoppeling"
    assert {m.vh_code for m in out.messages} == {"VH-UTR", "VH-GV"}
    by_vh = {m.vh_code: m for m in out.messages}
    assert by_vh["VH-UTR"].state == "klaar" and by_vh["VH-UTR"].deliver_after is None
    assert by_vh["VH-GV"].deliver_after is not None  # daily digest at 16:00 local
    assert by_vh["VH-GV"].deliver_after.astimezone(TZ).time() == dt.time(16, 0)
    with app.db.session() as s:
        dec = s.execute(select(Decision)).scalar_one()
        assert dec.besloten_door == app.account and dec.namens == ""
        utr = s.get(OutboxMessage, by_vh["VH-UTR"].outbox_id)
        assert utr is not None
        assert utr.mailbox == "centraal@vh-utrecht.example.org"
        assert utr.payload["persoon"]["bsn"] == BSN_KNOWN  # VH-UTR supplied it
        assert utr.toelichting == "Zaak afgedaan met strafbeschikking."
        gv = s.get(OutboxMessage, by_vh["VH-GV"].outbox_id)
        assert gv is not None and gv.payload["persoon"]["bsn"] is None  # VH-GV did not
        subject, text, html = outbox.preview(s, utr.id)
        assert subject == f"ZSM-terugkoppeling {utr.ref}"
        assert "Jansma" not in subject
        assert "Contactverbod met ex-partner" in text and "first offender" in text
        assert "Reclasseringsonderzoek opgedragen:" in text
        assert "<html" in html and "Jansma" in html
        outbox.set_toelichting(s, utr.id, "Aangepaste toelichting voor Utrecht.", app.account)
        assert "Aangepaste toelichting voor Utrecht." in outbox.preview(s, utr.id)[1]
        entries = (
            s.execute(select(AuditEntry).where(AuditEntry.action == audit.DECISION)).scalars().all()
        )
        assert len(entries) == 1
        assert entries[0].detail["uitkomst"] == "terugkoppeling"
        assert "Jansma" not in json.dumps(entries[0].detail)
        assert outbox.waiting_count(s) == 2


def test_second_decision_is_refused(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    decide(app, ADULT_UNKNOWN)
    with pytest.raises(DecisionRefused, match="al een beslissing"):
        decide(app, ADULT_UNKNOWN, beslissing="dagvaarden")


def test_validation_errors_are_reported(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    with pytest.raises(DecisionRefused) as ei:
        decide(app, ADULT_KNOWN, beslissing="sepot")  # no sepotcode, advice not judged
    text = " ".join(ei.value.errors)
    assert "sepotcode" in text and "advies" in text
    with pytest.raises(DecisionRefused, match="Motivering is verplicht"):
        decide(app, ADULT_KNOWN, advies_gevolgd="nee")
    with pytest.raises(DecisionRefused, match="raadsonderzoek"):
        decide(app, ADULT_UNKNOWN, onderzoek_soort="raadsonderzoek", onderzoek_gepland=True)
    with app.db.session() as s:
        assert s.execute(select(Decision)).first() is None
        assert s.execute(select(OutboxMessage)).first() is None


def test_codelist_from_settings(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    codes = [
        {"code": "sepot", "label": "Sepot", "soort": "afdoening", "intake": True,
         "sepotcode": "verplicht", "voorwaarden": "nee"},
        {"code": "taakstraf-eis", "label": "Taakstraf (eis)", "soort": "afdoening"},
    ]  # fmt: skip
    with app.db.session() as s:
        s.add(Setting(key="beslissingen", value=codes))
    with pytest.raises(DecisionRefused, match="Onbekende beslissing 'strafbeschikking'"):
        decide(app, ADULT_UNKNOWN)
    out = decide(app, ADULT_UNKNOWN, beslissing="taakstraf-eis")
    assert out.uitkomst == "niets" and out.messages == []
    with app.db.session() as s:
        s.get(Setting, "beslissingen").value = [{"code": "x"}]  # type: ignore[union-attr]
    with pytest.raises(DecisionRefused, match="codelijst is ongeldig"):
        decide(app, ADULT_UTR_ONLY)


def test_unknown_possibly_complex_gets_aanmelding(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    out = decide(app, ADULT_UNKNOWN_COMPLEX, aanmelding_reden="HG-criteria: herhaald geweld.")
    assert out.uitkomst == "aanmelding"
    [m] = out.messages
    assert (m.soort, m.vh_code, m.deliver_after) == ("aanmelding", "VH-UTR", None)
    with app.db.session() as s:
        row = s.get(OutboxMessage, m.outbox_id)
        assert row is not None
        assert row.payload["feit"] is None and row.payload["persoon"]["bsn"] is None
        assert row.payload["aanmelding"]["reden"] == "HG-criteria: herhaald geweld."
        with pytest.raises(outbox.OutboxError, match="geen toelichting"):
            outbox.set_toelichting(s, row.id, "mag niet", app.account)
    assert decide(app, ADULT_UNKNOWN).uitkomst == "niets"


def test_intake_sepot_is_limited(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    out = decide(app, ADULT_UTR_ONLY, beslissing="sepot", sepotcode="02", advies_gevolgd="ja")
    [m] = out.messages
    with app.db.session() as s:
        row = s.get(OutboxMessage, m.outbox_id)
        assert row is not None and row.payload["beperkt"] is True
        assert row.payload["feit"] is None and row.payload["bvh_nummer"] is None


def test_minor_halt_not_known_produces_nothing(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app, extra_items=[
        _item("PL0900-2026000099", "Teunissen", "Bram", "2012-04-04", status="aangemeld")
    ])  # fmt: skip
    out = decide(app, "PL0900-2026000099", beslissing="halt")
    assert out.uitkomst == "niets" and not out.messages
    with pytest.raises(DecisionRefused, match="alleen mogelijk voor minderjarigen"):
        decide(app, ADULT_UNKNOWN, beslissing="halt")


def test_unsecured_vh_needs_confirmation_or_is_blocked(sqlite_app: AppContext) -> None:
    app = sqlite_app
    setup_case(app)
    out = decide(app, ADULT_FL, advies_gevolgd="ja")
    [m] = out.messages
    assert m.state == "concept" and out.waarschuwingen
    with app.db.session() as s:
        with pytest.raises(outbox.OutboxError, match="geen beveiligde mail"):
            outbox.mark_ready(s, m.outbox_id, account=app.account)
        s.add(Setting(key="onbeveiligd_blokkeren", value=True))
        s.flush()
        with pytest.raises(outbox.OutboxError, match="geblokkeerd"):
            outbox.mark_ready(s, m.outbox_id, account=app.account, bevestigd_onbeveiligd=True)
        s.get(Setting, "onbeveiligd_blokkeren").value = False  # type: ignore[union-attr]
        s.flush()
        row = outbox.mark_ready(s, m.outbox_id, account=app.account, bevestigd_onbeveiligd=True)
        assert row.state == "klaar" and row.bevestigd_onbeveiligd
        assert (
            s.execute(
                select(AuditEntry).where(AuditEntry.purpose == "onbeveiligd verzenden bevestigd")
            )
            .scalar_one()
            .detail["vh_code"]
            == "VH-FL"
        )


def test_roles(app: AppContext) -> None:
    setup_case(app)
    with pytest.raises(NotAllowed):
        decide(app, ADULT_UNKNOWN, roles=PS)
    with pytest.raises(DecisionRefused, match="welke officier"):
        decide(app, ADULT_UNKNOWN, roles=KPC)
    out = decide(app, ADULT_UNKNOWN, roles=KPC, besloten_door="mr. A. Officier")
    assert out.namens == app.account and out.besloten_door == "mr. A. Officier"
    out2 = decide(app, ADULT_UTR_ONLY, roles=OFFICIER, advies_gevolgd="ja")
    assert out2.namens == "" and out2.besloten_door == app.account
    with app.db.session() as s:
        dec = s.execute(select(Decision).where(Decision.item_id == out.item_id)).scalar_one()
        assert (dec.namens, dec.besloten_door) == (app.account, "mr. A. Officier")
        mid = out2.messages[0].outbox_id
        with pytest.raises(NotAllowed):  # only the KPC'er sends / prepares terugkoppeling
            outbox.set_toelichting(s, mid, "x", app.account, roles=OFFICIER)
    # a parketsecretaris never sends a terugkoppeling (refused, or the row is skipped
    # when the roles may send other kinds such as adviesvragen)
    try:
        report = outbox.send_due(app.db, account=app.account, roles=PS, manual=True)
    except NotAllowed:
        pass
    else:
        assert not report.verzonden
        assert {r.id for r in report.overgeslagen} == {m.outbox_id for m in out2.messages}


def _all_rows_text(app: AppContext) -> str:
    """Every row of every table, stringified."""
    from sqlalchemy import MetaData

    parts: list[str] = []
    reflected = MetaData()
    reflected.reflect(app.db.engine)  # the database's tables, also of features not imported
    names = {t.name for t in Base.metadata.sorted_tables} | set(reflected.tables)
    assert {"instroom_item", "outbox_message", "audit_entry"} <= names
    with app.db.session() as s:
        for name in sorted(names):
            table = reflected.tables.get(name)
            if table is None:
                continue
            for row in s.execute(select(table)).all():
                parts.append(repr(tuple(row)))
    return "\n".join(parts)


def test_sepot_01_purges_everything(app: AppContext) -> None:
    setup_case(app)
    iid = item_id(app, PURGE_CASE)
    with app.db.session() as s:  # something linked to the case, to be removed with it
        s.add(Adviesvraag(item_id=iid, vh_code="VH-UTR", vraag=f"Wat weet u van {PURGE_NAME[0]}?",
                          casusschets=f"BSN {BSN_PURGE}", termijn="2 uur", gesteld_door="kpc",
                          gesteld_op=app.clock.now(), deadline=app.clock.now()))  # fmt: skip
        s.flush()
        outbox.enqueue(s, soort="terugkoppeling", vh_code="VH-UTR", account=app.account,
                       item_id=iid, payload={"concept": f"{PURGE_NAME[0]} {BSN_PURGE}"})  # fmt: skip
        assert s.execute(select(Match).where(Match.item_id == iid)).first() is not None
    before = _all_rows_text(app)
    assert PURGE_NAME[0] in before and BSN_PURGE in before
    out = decide(app, PURGE_CASE, beslissing="sepot", sepotcode="01")
    assert out.gegevens_verwijderd and out.uitkomst == "purge" and not out.messages
    assert out.decision_id is None

    # Only the register of the VH itself still holds the person (it is the VH's
    # own data and comes back with every register import): leave that out.
    with app.db.session() as s:
        from zsm_desk.services.storage.models import RegisterMarking

        s.query(RegisterMarking).filter(RegisterMarking.persoon_id == "UTR2").delete()
    text = _all_rows_text(app)
    for needle in (PURGE_NAME[0], PURGE_NAME[1], BSN_PURGE, PURGE_CASE):
        assert needle not in text, needle
    with app.db.session() as s:
        assert s.get(InstroomItem, iid) is None
        assert s.execute(select(Match).where(Match.item_id == iid)).first() is None
        assert s.execute(select(OutboxMessage).where(OutboxMessage.item_id == iid)).first() is None
        assert s.execute(select(Adviesvraag)).first() is None
        [rec] = s.execute(select(PurgeRecord)).scalars().all()
        assert (rec.reden, rec.aantal) == ("sepot-01", 1)
        purge = s.execute(select(AuditEntry).where(AuditEntry.action == audit.PURGE)).scalar_one()
        assert purge.item_id == iid and purge.detail["verdachten"] == 1
        assert audit.verify(s).ok
    # the other cases are untouched
    assert decide(app, ADULT_UTR_ONLY, advies_gevolgd="ja").messages


def test_cli_decide_and_list(sqlite_app: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    app = sqlite_app
    from zsm_desk.cli import main

    setup_case(app)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", app.db.url])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("decide", ADULT_KNOWN, "--beslissing", "dagvaarden",
                         "--advies-gevolgd", "ja", "--reclasseringsonderzoek", "nee",
                         "--toelichting", "Zitting volgt.", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["uitkomst"] == "terugkoppeling" and data["gegevens_verwijderd"] is False
    assert {m["vh_code"] for m in data["berichten"]} == {"VH-UTR", "VH-GV"}
    code, out, err = run("decide", PURGE_CASE, "--beslissing", "sepot", "--sepotcode", "01")
    assert code == 0, err
    assert "gegevens verwijderd" in out
    code, out, err = run("decide", ADULT_KNOWN, "--beslissing", "dagvaarden")
    assert code == 2 and "al een beslissing" in err
    code, out, err = run("decide", "PL0900-0000000000", "--beslissing", "dagvaarden")
    assert code == 2 and "geen verdachte" in err
    code, out, err = run("decide", ADULT_UNKNOWN, "--beslissing", "dagvaarden",
                         "--raadsonderzoek", "ja")  # fmt: skip
    assert code == 2 and "raadsonderzoek" in err
    code, out, err = run("outbox", "list", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 2
    assert set(rows[0]) >= {"id", "ref", "soort", "vh_code", "mailbox", "state", "attempts",
                            "last_error", "created_at", "next_attempt_at", "sent_at",
                            "message_id"}  # fmt: skip
    assert "Jansma" not in out and BSN_KNOWN not in out
    code, out, err = run("outbox", "list")
    assert code == 0 and "2 bericht(en), 2 wachtend." in out


def test_sepot01_case_stays_out_when_the_feed_sends_it_again(demo_app) -> None:  # type: ignore[no-untyped-def]
    """The purged case does not come back; only a keyed hash of its number is kept."""
    from sqlalchemy import select as _select

    from zsm_desk.services.decisions import decisions_service as ds
    from zsm_desk.services.intake import instroom as _instroom
    from zsm_desk.services.intake.fileformats import RawFile
    from zsm_desk.services.storage.models import InstroomItem as _Item
    from zsm_desk.services.storage.models import PurgedKey

    app = demo_app
    with app.db.session() as s:
        item = s.execute(_select(_Item).limit(1)).scalar_one()
        item_id, bvh = item.id, item.bvh_nummer
        record = {
            "bvh_nummer": bvh, "ingestroomd_op": item.ingestroomd_op.isoformat(),
            "achternaam": item.achternaam, "voornamen": item.voornamen,
            "geboortedatum": item.geboortedatum, "feit": item.feit, "status": "afgedaan",
        }  # fmt: skip
        ds.purge_case(s, item_id, account=app.account)
    with app.db.session() as s:
        rep = _instroom.import_raw(s, RawFile(records=[record], kind="json"), actor=app.account)
        assert rep.genegeerd == 1 and rep.nieuw == 0
        assert s.execute(_select(_Item).where(_Item.bvh_nummer == bvh)).first() is None
        keys = list(s.execute(_select(PurgedKey.key_hash)).scalars())
        assert keys and all(bvh not in k for k in keys)
