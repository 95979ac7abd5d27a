"""The `zsm-desk` command line (interfaces.md §5), in-process via `main(argv)`,
plus one real subprocess through `python -m zsm_desk`."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.data import DATA
from zsm_desk import __version__
from zsm_desk.cli import main
from zsm_desk.domain.records import CATEGORIEEN, InstroomStatus, PartialDate
from zsm_desk.services.demo.demo_data import TZ, generate
from zsm_desk.services.storage import config
from zsm_desk.services.storage.db import open_database
from zsm_desk.services.storage.models import InstroomItem as ItemRow

SAMPLES = DATA
SAMPLE_FEED = SAMPLES / "instroom-voorbeeld.json"
SAMPLE_REGISTER = SAMPLES / "register-voorbeeld.csv"
DEMO_DAY = dt.date(2026, 11, 22)

ITEM_KEYS = {"bvh_nummer", "status", "matches"}
MATCH_KEYS = {"vh_code", "persoon_id", "status", "score", "reden"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def match_json(capsys: pytest.CaptureFixture[str], db_url: str) -> list[dict[str, Any]]:
    rc, out, err = run(capsys, "match", "--json", "--db", db_url)
    assert rc == 0, err
    doc = json.loads(out)
    assert isinstance(doc, list)
    return doc


def assert_match_shape(report: list[dict[str, Any]]) -> None:
    """Exactly the shape of interfaces.md §5."""
    for item in report:
        assert set(item) == ITEM_KEYS
        assert isinstance(item["bvh_nummer"], str) and item["bvh_nummer"]
        assert item["status"] in ("bekend", "mogelijk", "onbekend")
        assert isinstance(item["matches"], list)
        if item["status"] == "onbekend":
            assert item["matches"] == []
        else:
            assert item["matches"]
        for m in item["matches"]:
            assert set(m) == MATCH_KEYS
            assert m["status"] in ("bekend", "mogelijk")
            assert isinstance(m["vh_code"], str) and isinstance(m["persoon_id"], str)
            assert isinstance(m["score"], float | int) and 0 <= m["score"] <= 1
            assert isinstance(m["reden"], str) and m["reden"]
        # The item status is the strongest of its matches.
        st = {m["status"] for m in item["matches"]}
        strongest = "bekend" if "bekend" in st else "mogelijk" if st else "onbekend"
        assert item["status"] == strongest
    assert len({i["bvh_nummer"] for i in report}) == len(report)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"zsm-desk {__version__}"


def test_demo_day_end_to_end(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22", "--json",
                       "--db", db_url)  # fmt: skip
    assert rc == 0, err
    summary = json.loads(out)
    assert summary["instroom"] == 150 and summary["veiligheidshuizen"] == 4
    first = match_json(capsys, db_url)

    # Same seed, same data: the second run replaces the first and matches identically
    # (the first run recorded decisions: replacing them needs --overschrijven, issue 13).
    rc, out, err = run(capsys, "demo", "--seed", "1", "--datum", "2026-11-22", "--db", db_url,
                       "--overschrijven")  # fmt: skip
    assert rc == 0, err
    assert "150 verdachten" in out
    second = match_json(capsys, db_url)
    assert first == second
    assert_match_shape(first)

    # What the day looks like, read from the database.
    db = open_database(db_url)
    try:
        with db.session() as s:
            items = list(s.execute(select(ItemRow)).scalars())
            settings = config.load_settings(s)
    finally:
        db.dispose()
    assert len(items) == 150 == len(first)
    day_start = dt.datetime.combine(DEMO_DAY, dt.time(23), TZ) - dt.timedelta(hours=24)
    assert all(day_start <= i.ingestroomd_op <= day_start + dt.timedelta(hours=24) for i in items)
    minors = sum(
        PartialDate.parse(i.geboortedatum).age_on(i.ingestroomd_op.astimezone(TZ).date()) < 18
        for i in items
    )
    assert 0.12 <= minors / 150 <= 0.27, minors  # about 19 % minors, 81 % adults
    assert all(0 < PartialDate.parse(i.geboortedatum).age_on(DEMO_DAY) < 100 for i in items)
    statuses = Counter(i.status for i in items)
    assert set(statuses) <= {s.value for s in InstroomStatus}
    assert len(statuses) >= 5, statuses
    categories = Counter(i.categorie for i in items)
    assert set(categories) <= set(CATEGORIEEN)
    assert categories["huiselijk geweld"] >= 5
    assert len(categories) >= 4
    assert len({i.bvh_nummer for i in items}) == 150
    assert len(settings.veiligheidshuizen) == 4
    for vh in settings.veiligheidshuizen:
        assert vh.mailbox.split("@")[1].endswith(".example.org"), vh.mailbox
    assert settings.smtp is not None and settings.smtp.host.endswith("example.org")
    flagged = [r for r in first if r["status"] != "onbekend"]
    assert 0.05 <= len(flagged) / 150 <= 0.2, len(flagged)  # about 10 % known
    assert any(r["status"] == "bekend" for r in first)
    # Exactly the suspects the generator put in a register, twins never.
    truth = generate(1, day_end=dt.datetime.combine(DEMO_DAY, dt.time(23), TZ)).known_bvh
    assert {r["bvh_nummer"] for r in flagged} == set(truth)
    assert {m["vh_code"] for r in flagged for m in r["matches"]} <= {
        v.code for v in settings.veiligheidshuizen
    }

    # The sample feed imports on top of the demo day.
    rc, out, err = run(capsys, "import", "instroom", str(SAMPLE_FEED), "--db", db_url)
    assert rc == 0, err
    assert "3 nieuw" in out
    after = match_json(capsys, db_url)
    assert len(after) == 153
    assert_match_shape(after)
    assert {r["bvh_nummer"] for r in after} >= {"PL0900-2026000101", "PL0900-2026000103"}


def test_import_and_match_json(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "import", "instroom", str(SAMPLE_FEED), "--json",
                       "--db", sqlite_url)  # fmt: skip
    assert rc == 0, err
    assert json.loads(out) == {"nieuw": 3, "bijgewerkt": 0, "ongewijzigd": 0, "overgeslagen": []}
    rc, out, err = run(capsys, "import", "register", str(SAMPLE_REGISTER), "--json",
                       "--db", sqlite_url)  # fmt: skip
    assert rc == 0, err
    assert json.loads(out) == {"VH-UTR": {"nieuw": 1, "bijgewerkt": 0, "inactief": 0},
                               "VH-FLE": {"nieuw": 1, "bijgewerkt": 0, "inactief": 0}}  # fmt: skip
    report = match_json(capsys, sqlite_url)
    assert_match_shape(report)
    by_bvh = {r["bvh_nummer"]: r for r in report}
    assert [r["bvh_nummer"] for r in report] == [
        "PL0900-2026000101", "PL0900-2026000102", "PL0900-2026000103"]  # fmt: skip
    assert by_bvh["PL0900-2026000103"]["status"] == "bekend"
    (m,) = by_bvh["PL0900-2026000103"]["matches"]
    assert (m["vh_code"], m["persoon_id"], m["status"]) == ("VH-FLE", "FLE0001020", "bekend")
    assert m["reden"].split("+")[0] == "bsn"
    assert by_bvh["PL0900-2026000102"] == {
        "bvh_nummer": "PL0900-2026000102", "status": "onbekend", "matches": []}  # fmt: skip
    # Without --json: a human summary, still exit 0.
    rc, out, _ = run(capsys, "match", "--db", sqlite_url)
    assert rc == 0 and "3 verdachten gecontroleerd" in out


def test_import_skip_invalid_json(sqlite_url: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    doc = json.loads(SAMPLE_FEED.read_text(encoding="utf-8"))
    doc["items"][1]["geboortedatum"] = "1991-13-01"
    p = tmp_path / "feed.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    rc, out, err = run(capsys, "import", "instroom", str(p), "--db", sqlite_url)
    assert rc == 2 and out == ""
    assert "record 2" in err and "geboortedatum" in err
    rc, out, err = run(capsys, "import", "instroom", str(p), "--skip-invalid", "--json",
                       "--db", sqlite_url)  # fmt: skip
    assert rc == 0, err
    rep = json.loads(out)
    assert rep["nieuw"] == 2
    assert [(e["record"], e["veld"]) for e in rep["overgeslagen"]] == [(2, "geboortedatum")]


def _bad_inputs(tmp_path: Path) -> list[list[str]]:
    broken_csv = tmp_path / "kapot.csv"
    broken_csv.write_text(
        "bvh_nummer;ingestroomd_op;achternaam;voornamen;geboortedatum;feit;status\n"
        'PL0900-2026000001;2026-11-22T07:00:00+01:00;"Jansen;Piet;1990-01-01;x;aangemeld\n',
        encoding="utf-8",
    )
    invalid = tmp_path / "ongeldig.json"
    invalid.write_text(json.dumps([{"bvh_nummer": "PL0900-2026000001"}]), encoding="utf-8")
    utf16 = tmp_path / "register.csv"
    utf16.write_bytes(SAMPLE_REGISTER.read_text(encoding="utf-8").encode("utf-16"))
    toml = tmp_path / "config.toml"
    toml.write_text('zsm_locatie = "x"\nonbekend = 1\n', encoding="utf-8")
    return [
        ["import", "instroom", str(tmp_path / "bestaat-niet.json")],
        ["import", "instroom", str(broken_csv)],
        ["import", "instroom", str(invalid)],
        ["import", "register", str(utf16)],
        ["import", "register", str(broken_csv)],
        ["config", "import", str(toml)],
        ["demo", "--datum", "2026-13-01"],
    ]


def test_bad_input_exit_2_one_line(sqlite_url: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    for argv in _bad_inputs(tmp_path):
        rc, out, err = run(capsys, *argv, "--db", sqlite_url)
        assert rc == 2, (argv, err)
        assert out == "", argv
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("zsm-desk: "), (argv, err)
        assert "Traceback" not in err
    # Nothing of it reached the database.
    report = match_json(capsys, sqlite_url)
    assert report == []


def test_module_entry_point_subprocess(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = run(capsys, "import", "instroom", str(SAMPLE_FEED), "--db", db_url)
    assert rc == 0, err
    in_process = match_json(capsys, db_url)
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               QT_QPA_PLATFORM="offscreen")  # fmt: skip
    env.pop("ZSM_DESK_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "zsm_desk", "--db", db_url, "match", "--json"],
        capture_output=True, text=True, timeout=120, env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == in_process
    assert len(in_process) == 3


_SPLIT_PROBE = """
import sys
from zsm_desk.services.registers import known_clients, match_store
seen = []
check = known_clients.check_items
def probe(session, item_ids, *args, **kwargs):
    seen.append(match_store.readable_apart(session))
    return check(session, item_ids, *args, **kwargs)
known_clients.check_items = probe
from zsm_desk.cli import main
rc = main(["--db", sys.argv[1], "import", "instroom", sys.argv[2]])
print("split allowed:", rc, seen)
"""


def test_command_line_import_may_split_its_check_over_processes(sqlite_url: str) -> None:
    """`zsm-desk import instroom` checks from a single-threaded process on an
    SQLite file in WAL mode, so its check may be judged over forked processes
    with read-only connections of their own (`readable_apart`). A thread
    started at start-up (a keyring or logging helper) would silently turn
    that off, and a big file would take twice as long."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.pop("ZSM_DESK_DB", None)
    proc = subprocess.run(
        [sys.executable, "-c", _SPLIT_PROBE, sqlite_url, str(SAMPLE_FEED)],
        capture_output=True, text=True, timeout=120, env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "split allowed: 0 [True]" in proc.stdout


def test_demo_command_shows_a_day_in_progress(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`zsm-desk demo` leaves decided cases with terugkoppelingen waiting and an adviesvraag."""
    import json as _json

    from zsm_desk.cli import main as _main

    assert _main(["--db", sqlite_url, "demo", "--seed", "1", "--datum", "2026-11-22"]) == 0
    capsys.readouterr()
    assert _main(["--db", sqlite_url, "outbox", "list", "--json"]) == 0
    rows = _json.loads(capsys.readouterr().out)
    assert sum(r["soort"] == "terugkoppeling" for r in rows) >= 2
    assert all(r["state"] != "verzonden" for r in rows)  # nothing is sent by the demo
    assert _main(["--db", sqlite_url, "adviesvraag", "list", "--json"]) == 0
    assert len(_json.loads(capsys.readouterr().out)) == 1


def test_date_arguments_take_the_dutch_form_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--datum 22-11-2026` is the same day as `--datum 2026-11-22`, as the
    import files take it; a two-digit year is refused in one Dutch line."""
    from zsm_desk.cli import CliError, cli_date

    assert cli_date("22-11-2026") == cli_date("2026-11-22") == dt.date(2026, 11, 22)
    assert cli_date("1-2-2026") == dt.date(2026, 2, 1)
    with pytest.raises(CliError) as exc:
        cli_date("22-11-26", "--van")
    assert str(exc.value) == (
        "ongeldige datum voor --van: '22-11-26' (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
    )
