"""Claims and change notification between desks (issue 15), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select, update

from tests.test_decide import ADULT_KNOWN, ADULT_UNKNOWN, setup_case
from zsm_desk.app_context import AppContext, open_app
from zsm_desk.cli import main
from zsm_desk.domain.access import Role
from zsm_desk.services.decisions import claims
from zsm_desk.services.decisions.decisions_service import (
    DecisionInput,
    decide_by_bvh,
    item_id_by_bvh,
)
from zsm_desk.services.security import users
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import AuditEntry, ItemClaim, OutboxMessage
from zsm_desk.services.storage.notify import Change, ChangeListener, wait_for


@pytest.fixture
def desk(db_url: str) -> AppContext:
    app = open_app(db_url)
    setup_case(app)
    with app.db.session() as s:
        for acct in ("kpc1", "kpc2"):
            users.set_roles(s, app.account, acct, frozenset({Role.OFFICIER, Role.KPC}))
    return app


def _as(monkeypatch: pytest.MonkeyPatch, account: str) -> None:
    monkeypatch.setattr(users, "current_account", lambda: account)


def test_claim_decide_takeover_release(desk: AppContext, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    url = desk.db.url

    def run(account: str, *argv: str) -> tuple[int, str, str]:
        _as(monkeypatch, account)
        code = main([*argv, "--db", url])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("kpc1", "claim", ADULT_KNOWN)
    assert code == 0 and "in behandeling bij kpc1, sinds " in out
    code, _, err = run("kpc2", "decide", ADULT_KNOWN, "--beslissing", "dagvaarden",
                       "--advies-gevolgd", "ja", "--reclasseringsonderzoek", "nee")  # fmt: skip
    assert code == 1 and "in behandeling bij kpc1" in err and err.count("\n") == 1
    code, _, err = run("kpc2", "claim", ADULT_KNOWN)
    assert code == 1 and "--overnemen" in err
    code, out, _ = run("kpc2", "claim", ADULT_KNOWN, "--overnemen")
    assert code == 0 and "kpc2" in out
    with desk.db.session() as s:
        e = s.execute(select(AuditEntry).where(AuditEntry.action == claims.TAKEOVER)).scalar_one()
        assert e.account == "kpc2" and e.detail["van"] == "kpc1"
    code, _, err = run("kpc2", "decide", ADULT_KNOWN, "--beslissing", "dagvaarden",
                       "--advies-gevolgd", "ja", "--reclasseringsonderzoek", "nee")  # fmt: skip
    assert code == 0, err
    with desk.db.session() as s:  # the decision ended the claim
        assert s.execute(select(ItemClaim)).first() is None
        assert audit.verify(s).ok
    code, out, _ = run("kpc1", "claim", ADULT_UNKNOWN)
    assert code == 0
    code, out, _ = run("kpc1", "claim", ADULT_UNKNOWN, "--vrijgeven")
    assert code == 0 and "vrijgegeven" in out
    code, out, _ = run("kpc2", "claim", ADULT_UNKNOWN)
    assert code == 0


def test_idle_claim_lapses(desk: AppContext) -> None:
    now = dt.datetime(2026, 11, 22, 9, 42, tzinfo=dt.UTC)
    with desk.db.session() as s:
        iid = item_id_by_bvh(s, ADULT_UNKNOWN)
        c = claims.claim(s, iid, account="kpc1", naam="A. de Vries", now=now)
        assert c.label() == "in behandeling bij A. de Vries, sinds 10:42"
    with desk.db.session() as s, pytest.raises(claims.ClaimedByOther):
        claims.claim(s, iid, account="kpc2", now=now + dt.timedelta(minutes=5))
    later = now + claims.DEFAULT_IDLE + dt.timedelta(seconds=1)
    with desk.db.session() as s:
        assert claims.current(s, iid, later) is None
        assert claims.claim(s, iid, account="kpc2", now=later).account == "kpc2"


def test_other_desk_sees_changes_within_a_second(desk: AppContext) -> None:
    seen: list[tuple[float, Change]] = []
    lock = threading.Lock()

    def got(c: Change) -> None:
        with lock:
            seen.append((time.monotonic(), c))

    listener = ChangeListener(desk.db.url, got).start()
    try:
        assert listener.ready.wait(5)
        other = open_app(desk.db.url)  # another desk
        with other.db.session() as s:
            iid = item_id_by_bvh(s, ADULT_UNKNOWN)
        t0 = time.monotonic()
        with other.db.session() as s:
            claims.claim(s, iid, account="kpc2", now=other.clock.now())
        assert wait_for(lambda: bool(seen), 1.0), "claim not seen within 1 s"
        latency = seen[0][0] - t0
        assert latency < 1.0
        if not other.db.is_sqlite:
            assert any(c == Change("claim", iid) for _t, c in seen)
        # a decision, and an outbox state change of another desk (a failure), are seen too
        decide_by_bvh(other.db, ADULT_KNOWN, DecisionInput(beslissing="dagvaarden",
                      advies_gevolgd="ja"), account="kpc2")  # fmt: skip
        assert wait_for(lambda: bool(seen), 1.0), "decision not seen within 1 s"
        time.sleep(0.3)
        with lock:
            seen.clear()
        with other.db.session() as s:
            s.execute(update(OutboxMessage).values(last_error="verbinding geweigerd"))
        assert wait_for(lambda: bool(seen), 1.0), "outbox change not seen within 1 s"
        other.db.dispose()
    finally:
        listener.stop()
