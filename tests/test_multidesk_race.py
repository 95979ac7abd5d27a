"""Several desks race on one PostgreSQL: losers get one clean Dutch line, exit code 1.

Real processes (`python -m zsm_desk decide`) against a real server; no SQL,
parameters, traceback or personal data on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.test_decide import ADULT_KNOWN, BSN_KNOWN, PURGE_CASE, PURGE_NAME, setup_case
from zsm_desk.domain.access import Role
from zsm_desk.services.security import logsafe, users
from zsm_desk.services.storage import audit, dberrors
from zsm_desk.services.storage.app import open_app
from zsm_desk.services.storage.models import Decision, InstroomItem

REPO = Path(__file__).resolve().parents[1]
DESKS = [f"kpc{i}" for i in range(6)]


def _env(account: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(USER=account, LOGNAME=account, PYTHONPATH=str(REPO))
    return env


def _race(url: str, bvh: str, extra: list[str]) -> list[tuple[str, int, str, str]]:
    procs = []
    for acct in DESKS:
        cmd = [sys.executable, "-m", "zsm_desk", "decide", bvh, "--db", url, *extra]
        procs.append((acct, subprocess.Popen(cmd, env=_env(acct), stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, text=True)))  # fmt: skip
    out = []
    for acct, p in procs:
        so, se = p.communicate(timeout=120)
        out.append((acct, p.returncode, so, se))
    return out


def test_concurrent_decisions_end_in_one_clean_line(pg_db: str) -> None:
    app = open_app(pg_db)
    setup_case(app)
    with app.db.session() as s:
        for acct in DESKS:
            users.set_roles(s, app.account, acct, frozenset({Role.OFFICIER}))
    motivering = f"Afwijkend van advies; BSN {BSN_KNOWN} volgens VH."
    results = _race(pg_db, ADULT_KNOWN, ["--beslissing", "dagvaarden", "--advies-gevolgd",
                                         "nee", "--motivering", motivering,
                                         "--reclasseringsonderzoek", "nee"])  # fmt: skip
    winners = [r for r in results if r[1] == 0]
    assert len(winners) == 1, results
    winner = winners[0][0]
    for acct, code, _out, err in results:
        if acct == winner:
            continue
        assert code == 1, (acct, code, err)
        assert err == f"zsm-desk: Deze verdachte is zojuist door {winner} besloten.\n", err
    all_err = "".join(r[3] for r in results)
    for bad in ("SQL", "INSERT", "parameters", "Traceback", BSN_KNOWN, "Jansma"):
        assert bad not in all_err
    with app.db.session() as s:
        assert len(s.execute(select(Decision)).scalars().all()) == 1
        assert audit.verify(s).ok
    app.db.dispose()


def test_concurrent_purge_and_decision(pg_db: str) -> None:
    """A sepot 01 purge racing decisions: the others are told who decided, no FK error."""
    app = open_app(pg_db)
    setup_case(app)
    with app.db.session() as s:
        for acct in DESKS:
            users.set_roles(s, app.account, acct, frozenset({Role.OFFICIER}))
    results = _race(pg_db, PURGE_CASE, ["--beslissing", "sepot", "--sepotcode", "01"])
    assert sum(r[1] == 0 for r in results) == 1, results
    winner = next(r[0] for r in results if r[1] == 0)
    for acct, code, _out, err in results:
        if acct != winner:
            assert code == 1 and f"zojuist door {winner} besloten" in err, (acct, err)
            assert PURGE_NAME[0] not in err and "SQL" not in err
    with app.db.session() as s:
        assert (
            s.execute(select(InstroomItem).where(InstroomItem.bvh_nummer == PURGE_CASE)).first()
            is None
        )
    app.db.dispose()


def test_database_error_text_is_scrubbed() -> None:
    """SQL, parameters and DETAIL values never reach a log line or the user."""
    orig = Exception("duplicate key value\nDETAIL:  Key (bvh_nummer)=(PL0900-1) already exists.")
    err = IntegrityError("INSERT INTO decision (motivering) VALUES (%(m)s)",
                         {"m": f"BSN {BSN_KNOWN} Jansma"}, orig)  # fmt: skip
    text = logsafe.mask(str(err))
    assert "INSERT" not in text and "Jansma" not in text and "PL0900-1" not in text
    assert BSN_KNOWN not in text
    line = dberrors.describe(err)
    assert "INSERT" not in line and "Jansma" not in line


def test_bad_feed_moment_is_refused_in_one_line(tmp_path: Path) -> None:
    import json

    from tests.test_decide import _item

    items = [_item(f"PL0900-20260001{i:02d}", "Quokkaveld", "Zebulon", "1985-06-02",
                   bsn="123456782") for i in range(3)]  # fmt: skip
    items[1]["ingestroomd_op"] = "0001-01-01T00:00:00+01:00"
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"items": items}), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'z.sqlite'}"
    p = subprocess.run([sys.executable, "-m", "zsm_desk", "import", "instroom", str(feed),
                        "--db", url], env=_env("kpc0"), capture_output=True, text=True)  # fmt: skip
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "ingestroomd_op" in p.stderr
    for bad in ("Quokkaveld", "Zebulon", "123456782", "PL0900", "SQL", "Traceback"):
        assert bad not in p.stderr


def test_log_lines_never_carry_sql_or_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    """The log filter covers exception text: a logged IntegrityError shows no SQL or values."""
    import logging

    logsafe.install_log_filter()
    handler = logging.StreamHandler()
    logging.getLogger().addHandler(handler)
    try:
        orig = Exception("duplicate key\nDETAIL:  Key (bvh_nummer)=(PL0900-7) already exists.")
        err = IntegrityError("INSERT INTO instroom_item (achternaam, bsn) VALUES (?, ?)",
                             ("Quokkaveld", BSN_KNOWN), orig)  # fmt: skip
        try:
            raise err
        except IntegrityError:
            logging.getLogger("zsm_desk.test").exception("opslaan mislukt: %s", err)
    finally:
        logging.getLogger().removeHandler(handler)
    out = capsys.readouterr().err
    assert "opslaan mislukt" in out and "IntegrityError" in out
    for bad in ("INSERT", "Quokkaveld", BSN_KNOWN, "PL0900-7"):
        assert bad not in out, bad


def test_deadlock_is_retried(pg_db: str) -> None:
    """Two transactions locking two rows in opposite order: PostgreSQL kills one with
    'deadlock detected'; `run_transaction` runs it again and both succeed."""
    import threading

    from sqlalchemy import text

    from zsm_desk.services.storage.db import open_database

    db = open_database(pg_db)
    with db.session() as s:
        s.execute(text("CREATE TABLE lockpair (id int primary key, n int)"))
        s.execute(text("INSERT INTO lockpair VALUES (1, 0), (2, 0)"))
    barrier = threading.Barrier(2)
    attempts = {"a": 0, "b": 0}
    errors: list[BaseException] = []

    def worker(name: str, first: int, second: int) -> None:
        def work(s: object) -> None:
            attempts[name] += 1
            s.execute(text("UPDATE lockpair SET n = n + 1 WHERE id = :i"), {"i": first})  # type: ignore[attr-defined]
            if attempts[name] == 1:
                barrier.wait(5)
            s.execute(text("UPDATE lockpair SET n = n + 1 WHERE id = :i"), {"i": second})  # type: ignore[attr-defined]

        try:
            dberrors.run_transaction(db, work)
        except BaseException as e:
            errors.append(e)

    ta = threading.Thread(target=worker, args=("a", 1, 2))
    tb = threading.Thread(target=worker, args=("b", 2, 1))
    ta.start()
    tb.start()
    ta.join(30)
    tb.join(30)
    assert errors == []
    assert attempts["a"] + attempts["b"] == 3  # one of them ran twice
    with db.session() as s:
        assert s.execute(text("SELECT sum(n) FROM lockpair")).scalar() == 4
    db.dispose()
