"""The privacy rules, proven end to end (background-zvh-2020 §2, pilots-2014 §4).

* who may do what: the role × action matrix;
* an account without roles (and a beheerder without desk role) sees no VH
  content anywhere: queue, detail, print, command line;
* `match --json` shows dat-information only (README, "Bewaartermijnen");
* no secret in the database, the exported configuration or the logs;
* no BSN or full name in the logs;
* the SQLite database and exported files are readable by the user only;
* retention removes old cases completely and keeps the audit chain valid.
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import logging
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
import tomli_w
from keyring.backend import KeyringBackend
from keyring.backends import null
from sqlalchemy import inspect, select, text

from tests.data import DATA
from tests.helpers.stubs import MemoryKeyring
from zsm_desk.app_context import AppContext
from zsm_desk.cli import main
from zsm_desk.domain.access import ALL_ROLES, DESK_ROLES, Action, Role, allowed
from zsm_desk.services.intake import queue
from zsm_desk.services.keys import secrets
from zsm_desk.services.printing import print_jobs
from zsm_desk.services.registers import vh_info
from zsm_desk.services.security import logsafe, retention
from zsm_desk.services.security.users import NotAllowed
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.db import sqlite_path
from zsm_desk.services.storage.models import AuditEntry, InstroomItem, RegisterMarking

SAMPLES = DATA
SAMPLE_FEED = SAMPLES / "instroom-voorbeeld.json"
SECRET = "Sup3r-Geheim-Wachtwoord-4821"
FEED_TOKEN = "feedtoken-Geheim-9917"
STRANGER = "niet-gekoppeld-account"

K, P, OVJ, B = Role.KPC, Role.PARKETSECRETARIS, Role.OFFICIER, Role.BEHEERDER


# --- who may do what ----------------------------------------------------------------------

MATRIX: dict[Action, set[Role]] = {
    Action.SEE_FLAG: {K, P, OVJ},
    Action.SEE_CONTENT: {K, P, OVJ},
    Action.REVIEW_HIT: {K, P, OVJ},
    Action.PRINT: {K, P, OVJ},
    Action.DECIDE: {OVJ, K},  # the KPC'er records on the officer's behalf
    Action.SEND_TERUGKOPPELING: {K},
    Action.ADVIESVRAAG: {K, P, OVJ},
    Action.MONITOR: {K, OVJ, B},
    Action.SETTINGS: {B},
    Action.AUDIT: {B},
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_role_action_matrix(role: Role, action: Action) -> None:
    assert allowed({role}, action) is (role in MATRIX[action])


def test_matrix_covers_every_action() -> None:
    assert set(MATRIX) == set(Action)


@pytest.mark.parametrize("action", list(Action))
def test_no_roles_no_rights(action: Action) -> None:
    assert not allowed(frozenset(), action)


def test_combinations_that_matter() -> None:
    # The beheerder manages, but sees no VH information without a desk role.
    for a in (Action.SEE_FLAG, Action.SEE_CONTENT, Action.PRINT, Action.REVIEW_HIT, Action.DECIDE):
        assert not allowed({B}, a)
    # A desk role never manages settings or reads the audit trail.
    for r in DESK_ROLES:
        assert not allowed({r}, Action.SETTINGS) and not allowed({r}, Action.AUDIT)
    # Roles add up.
    assert allowed({B, K}, Action.SEE_CONTENT) and allowed({B, K}, Action.SETTINGS)
    assert all(allowed(ALL_ROLES, a) for a in Action)
    # Only the KPC'er sends terugkoppeling; the parketsecretaris does not decide.
    assert not allowed({P, OVJ}, Action.SEND_TERUGKOPPELING)
    assert not allowed({P}, Action.DECIDE)


# --- no roles: no VH content anywhere -----------------------------------------------------


def _known_ids(s: Any) -> list[int]:
    return list(s.execute(
        select(InstroomItem.id).where(InstroomItem.vh_status.in_(("bekend", "mogelijk")))
    ).scalars())  # fmt: skip


def _content_strings(s: Any) -> set[str]:
    """Every slagzin, advice and plan text of the registers (what must not leak)."""
    out: set[str] = set()
    for m in s.execute(select(RegisterMarking)).scalars():
        for v in (m.slagzin, m.advies, m.plan_van_aanpak, m.doel_interventie, m.context):
            if v and len(v) > 12:
                out.add(v)
    return out


@pytest.mark.parametrize("roles", [frozenset(), frozenset({B})], ids=["geen-rol", "beheerder"])
def test_queue_shows_no_vh_fields(demo_app: AppContext, roles: frozenset[Role]) -> None:
    with demo_app.db.session() as s:
        rows = queue.load_queue(s, roles)
        full = queue.load_queue(s, frozenset({K}))
    assert rows and any(r.vh_status for r in full)  # there is something to hide
    for r in rows:
        assert (r.vh_status, r.vh_label, r.slagzin, r.vh_tooltip) == ("", "", "", "")


@pytest.mark.parametrize("roles", [frozenset(), frozenset({B})], ids=["geen-rol", "beheerder"])
def test_detail_and_print_show_nothing(demo_app: AppContext, roles: frozenset[Role]) -> None:
    with demo_app.db.session() as s:
        ids = _known_ids(s)
        content = _content_strings(s)
        views_before = audit.count(s)
        assert ids
        for item_id in ids:
            d = vh_info.case_detail(s, item_id, account=STRANGER, roles=roles)
            assert d is not None
            assert not d.view.any_content_shown
            assert d.sheet.sections == () and not d.sheet.may_see_content
            assert not any(c in repr(d.sheet) for c in content)
            with pytest.raises(NotAllowed):
                print_jobs.plan_pdf(s, item_id, account=STRANGER, roles=roles)
        with pytest.raises(NotAllowed):
            print_jobs.day_pack_pdf(s, ids, account=STRANGER, roles=roles)
        # Nothing disclosed, so nothing to audit.
        assert audit.count(s) == views_before
        # The same suspect with a desk role does show content (the test has teeth).
        shown = [vh_info.case_detail(s, i, account="kpc", roles=frozenset({K})) for i in ids]
        assert any(d is not None and d.view.any_content_shown for d in shown)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def as_stranger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: STRANGER)


def test_cli_print_refused_without_role(demo_app: AppContext, capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path, as_stranger: None) -> None:  # fmt: skip
    with demo_app.db.session() as s:
        bvh = s.get(InstroomItem, _known_ids(s)[0]).bvh_nummer  # type: ignore[union-attr]
        audits = audit.count(s)
    out = tmp_path / "plan.pdf"
    rc, _o, err = run_cli(capsys, "print", "plan", bvh, "--out", str(out), "--db", demo_app.db.url)
    assert rc == 2 and "geen recht" in err and not out.exists()
    rc, _o, err = run_cli(capsys, "print", "dag", "--out", str(out), "--db", demo_app.db.url)
    assert rc == 2 and not out.exists()
    with demo_app.db.session() as s:
        assert audit.count(s) == audits


def test_cli_match_is_dat_information_only(demo_app: AppContext,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    rc, out, err = run_cli(capsys, "match", "--json", "--db", demo_app.db.url)
    assert rc == 0, err
    report = json.loads(out)
    assert any(r["matches"] for r in report)
    for r in report:
        assert set(r) == {"bvh_nummer", "status", "matches"}
        for m in r["matches"]:
            assert set(m) == {"vh_code", "persoon_id", "status", "score", "reden"}
    with demo_app.db.session() as s:
        content = _content_strings(s)
        names = {f"{i.voornamen} {i.achternaam}" for i in s.execute(select(InstroomItem)).scalars()}
        bsns = {i.bsn for i in s.execute(select(InstroomItem)).scalars() if i.bsn}
    assert not any(c in out for c in content)
    assert not any(n in out for n in names) and not any(b in out for b in bsns)


# --- secrets ------------------------------------------------------------------------------


@pytest.fixture(params=["veilig", "null"])
def keyring_backend(request: pytest.FixtureRequest) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    backend: KeyringBackend = MemoryKeyring() if request.param == "veilig" else null.Keyring()
    keyring.set_keyring(backend)
    secrets.reset_default_store()
    yield backend
    keyring.set_keyring(previous)
    secrets.reset_default_store()


def _files_of(db_url: str) -> list[Path]:
    path = sqlite_path(db_url)
    assert path is not None
    return sorted(path.parent.glob(path.name + "*"))


def test_no_secret_in_database_export_or_logs(
    sqlite_url: str, tmp_path: Path, keyring_backend: KeyringBackend,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    db = ("--db", sqlite_url)
    rc, _o, err = run_cli(capsys, "demo", "--aantal", "30", *db)
    assert rc == 0, err
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    rc, out_set, err_set = run_cli(capsys, "secret", "set", "smtp", *db)
    secure = isinstance(keyring_backend, MemoryKeyring)
    assert rc == (0 if secure else 2), err_set
    store = secrets.default_store()
    if secure:
        assert keyring_backend.values[(secrets.SERVICE_NAME, "smtp")] == SECRET
    store.set("smtp", SECRET)  # the null store keeps it for this session
    store.set("feed", FEED_TOKEN)
    assert store.get("smtp") == SECRET

    # A configuration with a user name and a feed that does not answer.
    from zsm_desk.services.storage.db import open_database

    d = open_database(sqlite_url)
    with d.session() as s:
        doc = config.load_settings(s).to_dict()
    d.dispose()
    doc["smtp"] = {"host": "127.0.0.1", "port": 9, "beveiliging": "starttls",
                   "gebruiker": "zsm-desk", "afzender": "ZSM <zsm@example.org>"}  # fmt: skip
    doc["feed"] = {"url": "http://127.0.0.1:9/api"}
    cfg = tmp_path / "config.toml"
    cfg.write_text(tomli_w.dumps(doc), encoding="utf-8")
    rc, _o, err = run_cli(capsys, "config", "import", str(cfg), *db)
    assert rc == 0, err

    # Use the secrets: a feed fetch and an SMTP test that both fail.
    from zsm_desk.services.intake import sync
    from zsm_desk.services.mail import transport as mail

    d = open_database(sqlite_url)
    feed_report = sync.sync_feed(d, "tester", store=store)
    assert not feed_report.ok
    ok, smtp_msg = mail.test_connection(
        mail.SmtpSettings(host="127.0.0.1", port=9, beveiliging="starttls", gebruiker="zsm-desk",
                          afzender="ZSM <zsm@example.org>", timeout=2.0),
        store.get("smtp"),
    )  # fmt: skip
    assert not ok
    d.dispose()

    rc, out_match, err = run_cli(capsys, "match", "--json", *db)
    assert rc == 0, err
    report = json.loads(out_match)
    bvh = next((r["bvh_nummer"] for r in report if r["matches"]), report[0]["bvh_nummer"])
    pdf = tmp_path / "plan.pdf"
    rc, _o, err = run_cli(capsys, "print", "plan", bvh, "--out", str(pdf), *db)
    assert rc == 0, err
    rc, _o, err = run_cli(capsys, "audit", "verify", *db)
    assert rc == 0, err
    exported = tmp_path / "export.toml"
    rc, _o, err = run_cli(capsys, "config", "export", "--out", str(exported), *db)
    assert rc == 0, err
    rc, out_stdout_export, _e = run_cli(capsys, "config", "export", *db)
    assert rc == 0

    texts = {
        "log": caplog.text + "".join(r.exc_text or "" for r in caplog.records),
        "export": exported.read_text("utf-8") + out_stdout_export,
        "cli": out_set + err_set + out_match + smtp_msg + feed_report.summary(),
    }
    for secret in (SECRET, FEED_TOKEN):
        for what, t in texts.items():
            assert secret not in t, what
        for f in [*_files_of(sqlite_url), pdf]:
            assert secret.encode() not in f.read_bytes(), f
    assert "password" not in texts["export"].lower() and "wachtwoord =" not in texts["export"]


# --- logs: no BSN, no full name -----------------------------------------------------------


@pytest.fixture
def log_filter() -> Iterator[None]:
    logsafe.install_log_filter()
    yield
    logsafe.uninstall_log_filter()


def test_log_filter_masks_bsn_everywhere(
    caplog: pytest.LogCaptureFixture, log_filter: None
) -> None:
    caplog.set_level(logging.DEBUG)
    child = logging.getLogger("zsm_desk.test.privacy")
    child.debug("verdachte met bsn %s en %s", "123456782", "1234.56.782")
    try:
        raise ValueError("BSN 987654321 ongeldig")
    except ValueError:
        child.exception("fout bij %d", 5)
    child.info("bvh PL0900-2026000123, tijd 1700000000123, id 42")
    assert "123456782" not in caplog.text and "1234.56.782" not in caplog.text
    assert "987654321" not in caplog.text
    assert all("987654321" not in (r.exc_text or "") for r in caplog.records)
    assert logsafe.MASK in caplog.text
    # Longer numbers (bvh, timestamps) stay readable.
    assert "PL0900-2026000123" in caplog.text and "1700000000123" in caplog.text
    logsafe.install_log_filter()  # twice is harmless
    child.warning("nog een 111222333")
    assert "111222333" not in caplog.text


@pytest.mark.parametrize("with_filter", [False, True], ids=["zonder-filter", "met-filter"])
def test_import_and_match_log_no_bsn_or_name(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    with_filter: bool,
) -> None:  # fmt: skip
    """The code itself never logs them (without filter); the filter is a safety net."""
    if with_filter:
        logsafe.install_log_filter()
    try:
        caplog.set_level(logging.DEBUG)
        db = ("--db", sqlite_url)
        rc, _o, err = run_cli(capsys, "-v", "demo", "--aantal", "40", *db)
        assert rc == 0, err
        rc, _o, err = run_cli(
            capsys, "-v", "import", "instroom", str(SAMPLE_FEED), "--skip-invalid", *db
        )
        assert rc == 0, err
        rc, _o, err = run_cli(capsys, "-v", "match", "--json", *db)
        assert rc == 0, err
    finally:
        if with_filter:
            logsafe.uninstall_log_filter()
    from zsm_desk.services.storage.db import open_database

    d = open_database(sqlite_url)
    with d.session() as s:
        people = list(s.execute(select(InstroomItem)).scalars())
    d.dispose()
    assert people
    log_text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    for p in people:
        if p.bsn:
            assert p.bsn not in log_text
        full = " ".join(x for x in (p.voornamen, p.voorvoegsel, p.achternaam) if x)
        assert full not in log_text
        assert f"{p.voornamen} {p.achternaam}" not in log_text


# --- files readable by the user only ------------------------------------------------------


def test_database_and_exports_are_private(sqlite_url: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    db = ("--db", sqlite_url)
    rc, _o, err = run_cli(capsys, "demo", "--aantal", "30", *db)
    assert rc == 0, err
    rc, out, _e = run_cli(capsys, "match", "--json", *db)
    report = json.loads(out)
    bvh = next((r["bvh_nummer"] for r in report if r["matches"]), report[0]["bvh_nummer"])
    outputs = [tmp_path / "config.toml", tmp_path / "plan.pdf", tmp_path / "dag.pdf"]
    assert run_cli(capsys, "config", "export", "--out", str(outputs[0]), *db)[0] == 0
    assert run_cli(capsys, "print", "plan", bvh, "--out", str(outputs[1]), *db)[0] == 0
    assert run_cli(capsys, "print", "dag", "--out", str(outputs[2]), *db)[0] == 0
    files = [*_files_of(sqlite_url), *outputs]
    assert any(f.name.endswith(".sqlite") for f in files)
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    from zsm_desk.services.storage.files import write_private
    from zsm_desk.ui.audit_view import AuditRow, to_csv

    csv_file = tmp_path / "audit.csv"
    write_private(
        csv_file,
        to_csv(
            [AuditRow(1, dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC), "a", "b", None, "", "{}")]
        ),
    )
    assert stat.S_IMODE(csv_file.stat().st_mode) == 0o600


# --- retention ----------------------------------------------------------------------------


def _all_text(s: Any, skip: set[str]) -> str:
    """Every stored value of every table (reflected) except `skip`, as one string."""
    parts: list[str] = []
    for t in inspect(s.connection()).get_table_names():
        if t in skip or t == "alembic_version":
            continue
        for row in s.execute(text(f'SELECT * FROM "{t}"')):
            parts.append(repr(tuple(row)))
    return "\n".join(parts)


def test_retention_leaves_no_personal_data_and_a_valid_chain(demo_app: AppContext) -> None:
    with demo_app.db.session() as s:
        people = [(i.bvh_nummer, i.bsn, i.voornamen, i.achternaam, i.parketnummer)
                  for i in s.execute(select(InstroomItem)).scalars()]  # fmt: skip
        register_bsns = set(s.execute(select(RegisterMarking.bsn)).scalars())
        # Some VH content was viewed and printed (audited) before the purge.
        ids = _known_ids(s)
        vh_info.case_detail(s, ids[0], account=demo_app.account, roles=frozenset({K}))
        print_jobs.plan_pdf(s, ids[0], account=demo_app.account, roles=frozenset({K}))
    # As in a database in use for weeks: the data sit in the main file, not only in the WAL.
    retention.checkpoint(demo_app.db)
    later = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
    report = retention.run_if_due(demo_app.db, demo_app.account, now=later)
    assert report is not None and report.zaken == len(people)
    with demo_app.db.session() as s:
        assert s.execute(select(InstroomItem)).first() is None
        assert audit.verify(s).ok
        line = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
        assert line is not None and line.action == audit.PURGE
        stored = _all_text(s, skip={"register_marking"})  # the VH's own live register
    for bvh, bsn, voornamen, achternaam, parket in people:
        assert bvh not in stored
        assert f"{voornamen} {achternaam}" not in stored and f"'{achternaam}'" not in stored
        if bsn and bsn not in register_bsns:
            assert bsn not in stored
        if parket:
            assert parket not in stored
    # On SQLite not even the file keeps them (secure_delete + WAL checkpoint).
    path = sqlite_path(demo_app.db.url)
    if path is not None:
        demo_app.db.dispose()
        blob = b"".join(f.read_bytes() for f in _files_of(demo_app.db.url))
        leftovers = [bvh for bvh, *_ in people if bvh.encode() in blob]
        assert leftovers == []
