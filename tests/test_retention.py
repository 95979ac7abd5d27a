"""Retention (services.retention) on SQLite and PostgreSQL.

Periods and their validation, what `purge` removes and keeps, that it writes
one audit line and one PurgeRecord per reason, that it is idempotent, that it
copes with tables added by later migrations (found by reflection), and the
once-a-day scheduling of `run_if_due`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from zsm_desk.domain.settings import ConfigError
from zsm_desk.services.security import retention
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.app import AppContext
from zsm_desk.services.storage.models import (
    AuditEntry,
    Decision,
    InstroomItem,
    Match,
    OutboxMessage,
    PurgeRecord,
    RegisterMarking,
    Setting,
)

T0 = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def add_item(s: Any, n: int, *, status: str, at: dt.datetime, updated: dt.datetime | None = None,
             bsn: str = "") -> InstroomItem:  # fmt: skip
    item = InstroomItem(bvh_nummer=f"PL0900-2026{n:06d}", ingestroomd_op=at,
                        achternaam=f"Achternaam{n}", voornamen=f"Voornaam{n}",
                        geboortedatum="1990-01-01", bsn=bsn or f"{100000000 + n}", feit="Diefstal",
                        status=status, updated_at=updated or at, vh_status="onbekend")  # fmt: skip
    s.add(item)
    s.flush()
    return item


def add_marking(s: Any, n: int, *, actief: bool = True, at: dt.datetime = T0) -> RegisterMarking:
    m = RegisterMarking(vh_code="VH-UTR", persoon_id=f"P{n}", achternaam=f"Achternaam{n}",
                        voornamen=f"Voornaam{n}", geboortedatum="1990-01-01", slagzin="Slagzin",
                        advies_datum=dt.date(2026, 1, 1), actief=actief, imported_at=at)  # fmt: skip
    s.add(m)
    s.flush()
    return m


def add_decision(
    s: Any, item: InstroomItem, beslissing: str = "sepot", sepotcode: str = "02"
) -> None:
    s.add(Decision(item_id=item.id, beslissing=beslissing, sepotcode=sepotcode,
                   besloten_door="ovj", besloten_op=item.ingestroomd_op))  # fmt: skip


def add_message(s: Any, n: int, *, item: InstroomItem | None, sent: dt.datetime | None,
                state: str = "verzonden") -> OutboxMessage:  # fmt: skip
    payload = {"schema": "zsm-terugkoppeling/1", "soort": "terugkoppeling", "vh_code": "VH-UTR",
               "persoon": {"achternaam": "Geheim", "voornamen": "Persoon", "bsn": "123456782"},
               "bvh_nummer": "PL0900-2026999999", "feit": "Mishandeling",
               "beslissing": {"code": "sepot", "label": "Sepot", "soort": "afdoening"},
               "motivering": "vrije tekst over de persoon", "advies_gevolgd": "ja"}  # fmt: skip
    m = OutboxMessage(ref=f"TK-{n}", soort="terugkoppeling", item_id=item.id if item else None,
                      vh_code="VH-UTR", mailbox="centraal@vh.example.org",
                      message_id=f"<{n}@zsm.example.org>", state=state, payload=payload,
                      toelichting="toelichting met naam", created_at=sent or T0, sent_at=sent,
                      decided_at=T0, minderjarig=False)  # fmt: skip
    s.add(m)
    s.flush()
    return m


def count(s: Any, model: Any) -> int:
    return s.execute(select(func.count()).select_from(model)).scalar_one()


# --- periods ----------------------------------------------------------------------------


def test_defaults_and_partial_dict() -> None:
    p = retention.Bewaartermijnen()
    assert p.to_dict() == {"afgesloten_zaak": 28, "open_zaak": 90, "verzonden_bericht": 14,
                           "inactieve_markering": 365}  # fmt: skip
    assert retention.Bewaartermijnen.from_dict({"afgesloten_zaak": 35}).afgesloten_zaak == 35
    assert retention.Bewaartermijnen.from_dict(None) == p


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        ({"afgesloten_zaak": 3}, "tussen 7 en 3650"),
        ({"open_zaak": 10}, "tussen 28"),
        ({"verzonden_bericht": "14"}, "geheel aantal dagen"),
        ({"verzonden_bericht": True}, "geheel aantal dagen"),
        ({"inactieve_markering": 99999}, "3650"),
        ({"afgesloten_zaak": 60, "open_zaak": 40}, "niet korter"),
        ({"onbekend": 1}, "onbekende sleutel"),
    ],
)
def test_invalid_periods_are_refused_in_dutch(doc: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigError) as e:
        retention.Bewaartermijnen.from_dict(doc)
    assert any(fragment in p for p in e.value.problems), e.value.problems


def test_save_and_load_periods_is_audited(app: AppContext) -> None:
    with app.db.session() as s:
        assert retention.load_periods(s) == retention.Bewaartermijnen()
        retention.save_periods(s, retention.Bewaartermijnen(afgesloten_zaak=42), app.account)
    with app.db.session() as s:
        assert retention.load_periods(s).afgesloten_zaak == 42
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert last is not None and last.action == audit.SETTINGS
        assert last.detail["bewaartermijnen"]["afgesloten_zaak"] == 42
        # A damaged setting never stops the purge: defaults are used.
        s.get(Setting, retention.SETTING_KEY).value = {"afgesloten_zaak": "x"}  # type: ignore[union-attr]
    with app.db.session() as s:
        assert retention.load_periods(s) == retention.Bewaartermijnen()


# --- purge ------------------------------------------------------------------------------


def test_closed_cases_go_after_28_days_open_after_90(app: AppContext) -> None:
    with app.db.session() as s:
        old_closed = add_item(s, 1, status="afgedaan", at=T0 - dt.timedelta(days=29))
        young_closed = add_item(s, 2, status="afgebogen", at=T0 - dt.timedelta(days=27))
        decided_open = add_item(s, 3, status="in behandeling", at=T0 - dt.timedelta(days=29))
        add_decision(s, decided_open)
        old_open = add_item(s, 4, status="in behandeling", at=T0 - dt.timedelta(days=91))
        touched_open = add_item(s, 5, status="aangemeld", at=T0 - dt.timedelta(days=91),
                                updated=T0 - dt.timedelta(days=2))  # fmt: skip
        open_60 = add_item(s, 6, status="te routeren", at=T0 - dt.timedelta(days=60))
        mk = add_marking(s, 1)
        s.add(
            Match(item_id=old_closed.id, marking_id=mk.id, status="bekend", score=1.0, reden="bsn")
        )
        ids = {k: v.id for k, v in {"old_closed": old_closed, "young_closed": young_closed,
               "decided_open": decided_open, "old_open": old_open, "touched_open": touched_open,
               "open_60": open_60}.items()}  # fmt: skip
        audits = audit.count(s)
    with app.db.session() as s:
        report = retention.purge(s, T0, "beheer")
        if s.get_bind().dialect.name == "sqlite":  # deleted rows are overwritten in the file
            assert s.execute(text("PRAGMA secure_delete")).scalar_one() == 1
    assert (report.afgesloten_zaken, report.open_zaken, report.technisch_sepot) == (2, 1, 0)
    assert report.zaken == 3 and "3 zaak/zaken verwijderd" in report.summary()
    with app.db.session() as s:
        left = set(s.execute(select(InstroomItem.id)).scalars())
        assert left == {ids["young_closed"], ids["touched_open"], ids["open_60"]}
        assert count(s, Match) == 0 and count(s, Decision) == 0
        assert count(s, RegisterMarking) == 1  # an active marking is the VH's, not ours
        records = {r.reden: r.aantal for r in s.execute(select(PurgeRecord)).scalars()}
        assert records == {retention.REDEN_AFGESLOTEN: 2, retention.REDEN_OPEN: 1}
        assert audit.count(s) == audits + 1
        line = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert line is not None and line.action == audit.PURGE and line.account == "beheer"
        assert line.item_id is None
        assert line.detail["aantallen"][retention.REDEN_AFGESLOTEN] == 2
        assert audit.verify(s).ok
    # Idempotent: nothing more goes, no new audit line or record.
    with app.db.session() as s:
        again = retention.purge(s, T0, "beheer")
        assert again.total == 0
        assert audit.count(s) == audits + 1
        assert count(s, PurgeRecord) == 2


def test_technical_sepot_01_goes_at_once(app: AppContext) -> None:
    with app.db.session() as s:
        item = add_item(s, 1, status="afgedaan", at=T0 - dt.timedelta(hours=2))
        add_decision(s, item, "sepot", "01")
        keep = add_item(s, 2, status="afgedaan", at=T0 - dt.timedelta(hours=2))
        add_decision(s, keep, "sepot", "02")
        keep_id = keep.id
    with app.db.session() as s:
        report = retention.purge(s, T0)
        assert report.technisch_sepot == 1 and report.afgesloten_zaken == 0
        assert list(s.execute(select(InstroomItem.id)).scalars()) == [keep_id]


def test_sent_messages_are_reduced_after_14_days(app: AppContext) -> None:
    with app.db.session() as s:
        item = add_item(s, 1, status="afgedaan", at=T0 - dt.timedelta(days=40))
        old = add_message(s, 1, item=item, sent=T0 - dt.timedelta(days=15))
        manual = add_message(s, 2, item=None, sent=T0 - dt.timedelta(days=20), state="handmatig")
        young = add_message(s, 3, item=None, sent=T0 - dt.timedelta(days=13))
        unsent = add_message(s, 4, item=None, sent=None, state="mislukt")
        ids = old.id, manual.id, young.id, unsent.id
    with app.db.session() as s:
        report = retention.purge(s, T0)
        assert report.berichten == 2 and report.afgesloten_zaken == 1
    with app.db.session() as s:
        for mid in ids[:2]:
            m = s.get(OutboxMessage, mid)
            assert m is not None and m.item_id is None  # the case went, the message stays
            assert (m.payload, m.toelichting, m.last_error) == ({}, "", "")
            # The monitoring facts are the row's columns.
            assert m.soort == "terugkoppeling" and m.vh_code == "VH-UTR"
            assert m.sent_at is not None and m.decided_at is not None and m.minderjarig is False
        assert "persoon" in s.get(OutboxMessage, ids[2]).payload  # type: ignore[union-attr]
        assert "persoon" in s.get(OutboxMessage, ids[3]).payload  # type: ignore[union-attr]
    with app.db.session() as s:
        assert retention.purge(s, T0).berichten == 0  # already reduced


def test_outbox_recognises_a_reduced_message(app: AppContext) -> None:
    outbox = pytest.importorskip("zsm_desk.services.mail.outbox")
    with app.db.session() as s:
        mid = add_message(s, 1, item=None, sent=T0 - dt.timedelta(days=20)).id
    with app.db.session() as s:
        retention.purge(s, T0)
    with app.db.session() as s:
        m = s.get(OutboxMessage, mid)
        with pytest.raises(outbox.OutboxError, match="bewaartermijn"):
            outbox.row_content(m)


def test_inactive_markings_go_after_a_year(app: AppContext) -> None:
    with app.db.session() as s:
        gone = add_marking(s, 1, actief=False, at=T0 - dt.timedelta(days=366))
        recent = add_marking(s, 2, actief=False, at=T0 - dt.timedelta(days=100))
        active = add_marking(s, 3, actief=True, at=T0 - dt.timedelta(days=800))
        item = add_item(s, 1, status="in behandeling", at=T0)
        s.add(
            Match(item_id=item.id, marking_id=gone.id, status="mogelijk", score=0.8, reden="naam")
        )
        ids = gone.id, recent.id, active.id
        version = s.get(Setting, "register_versie")
        before = int(version.value) if version else 0
    with app.db.session() as s:
        assert retention.purge(s, T0).markeringen == 1
    with app.db.session() as s:
        assert set(s.execute(select(RegisterMarking.id)).scalars()) == set(ids[1:])
        assert count(s, Match) == 0 and count(s, InstroomItem) == 1
        assert int(s.get(Setting, "register_versie").value) == before + 1  # type: ignore[union-attr]


@pytest.fixture
def extra_tables(app: AppContext) -> Iterator[None]:
    """Tables a later migration might add: FK without ON DELETE, a grandchild, SET NULL."""
    ddl = [
        "CREATE TABLE extra_child (id INTEGER PRIMARY KEY, "
        "item_id INTEGER NOT NULL REFERENCES instroom_item(id), notitie VARCHAR(100))",
        "CREATE TABLE extra_grandchild (id INTEGER PRIMARY KEY, "
        "child_id INTEGER NOT NULL REFERENCES extra_child(id))",
        "CREATE TABLE extra_stat (id INTEGER PRIMARY KEY, "
        "item_id INTEGER REFERENCES instroom_item(id) ON DELETE SET NULL, soort VARCHAR(20))",
    ]
    with app.db.engine.begin() as c:
        for stmt in ddl:
            c.execute(text(stmt))
    yield
    with app.db.engine.begin() as c:
        for t in ("extra_grandchild", "extra_child", "extra_stat"):
            c.execute(text(f"DROP TABLE {t}"))


def test_tables_of_later_migrations_are_handled(app: AppContext, extra_tables: None) -> None:
    with app.db.session() as s:
        item = add_item(s, 1, status="afgedaan", at=T0 - dt.timedelta(days=40))
        s.execute(text("INSERT INTO extra_child (id, item_id, notitie) VALUES (1, :i, 'naam')"),
                  {"i": item.id})  # fmt: skip
        s.execute(text("INSERT INTO extra_grandchild (id, child_id) VALUES (1, 1)"))
        s.execute(text("INSERT INTO extra_stat (id, item_id, soort) VALUES (1, :i, 'x')"),
                  {"i": item.id})  # fmt: skip
    with app.db.session() as s:
        assert retention.purge(s, T0).afgesloten_zaken == 1
    with app.db.session() as s:
        assert s.execute(text("SELECT count(*) FROM extra_child")).scalar_one() == 0
        assert s.execute(text("SELECT count(*) FROM extra_grandchild")).scalar_one() == 0
        assert s.execute(text("SELECT item_id FROM extra_stat")).all() == [(None,)]


def test_demo_day_purged_completely_keeps_audit_valid(demo_app: AppContext) -> None:
    later = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
    with demo_app.db.session() as s:
        total = count(s, InstroomItem)
        report = retention.purge(s, later, demo_app.account)
    assert report.zaken == total
    with demo_app.db.session() as s:
        assert count(s, InstroomItem) == 0 and count(s, Match) == 0
        assert audit.verify(s).ok


# --- scheduling -------------------------------------------------------------------------


def test_run_if_due_once_a_day(app: AppContext) -> None:
    # open_app already ran it today.
    with app.db.session() as s:
        assert retention.last_run(s) is not None
        add_item(s, 1, status="afgedaan", at=T0 - dt.timedelta(days=40))
    assert retention.run_if_due(app.db, app.account) is None
    tomorrow = app.clock.now() + dt.timedelta(days=1)
    report = retention.run_if_due(app.db, app.account, now=tomorrow)
    assert report is not None and report.afgesloten_zaken == 1
    assert retention.run_if_due(app.db, app.account, now=tomorrow) is None
    with app.db.session() as s:
        last = retention.last_run(s)
        assert last is not None and abs((last - tomorrow).total_seconds()) < 1


def test_is_due_by_local_calendar_day() -> None:
    # 23:30 UTC on 22 Nov is already 23 Nov in Amsterdam.
    last = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    assert not retention.is_due(last, dt.datetime(2026, 11, 22, 22, 30, tzinfo=dt.UTC))
    assert retention.is_due(last, dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC))
    assert retention.is_due(None, last)
