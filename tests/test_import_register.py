"""VH register import (interfaces.md §2), on SQLite and PostgreSQL.

A file export is a full snapshot of its veiligheidshuis; a malformed file is
refused as a whole and leaves the stored markings untouched; after every
import the instroom suspects are matched again, and reviews survive.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.data import DATA
from zsm_desk.app_context import AppContext
from zsm_desk.domain.settings import validate_config
from zsm_desk.domain.validation import REGISTER_REQUIRED
from zsm_desk.services.intake import instroom
from zsm_desk.services.intake.fileformats import FileFormatError, parse_bytes
from zsm_desk.services.registers import known_clients
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.storage import config
from zsm_desk.services.storage.models import InstroomItem as ItemRow
from zsm_desk.services.storage.models import Match
from zsm_desk.services.storage.models import RegisterMarking as MarkingRow

SAMPLES = DATA
SAMPLE_REGISTER = SAMPLES / "register-voorbeeld.csv"
SAMPLE_FEED = SAMPLES / "instroom-voorbeeld.json"

COLUMNS = ("vh_code", "persoon_id", "achternaam", "voorvoegsel", "voornamen", "geboortedatum",
           "bsn", "geboorteplaats", "gemeente", "doelgroep", "slagzin", "advies",
           "doel_interventie", "context", "hg_historie", "advies_datum", "plan_van_aanpak",
           "contactpersoon", "contact_telefoon", "actief")  # fmt: skip


def marking(pid: str, vh: str = "VH-UTR", **over: Any) -> dict[str, Any]:
    base = {
        "vh_code": vh, "persoon_id": pid, "achternaam": "Jansen", "voorvoegsel": "",
        "voornamen": "Piet", "geboortedatum": "1980-05-17", "bsn": "",
        "geboorteplaats": "Utrecht", "gemeente": "Utrecht", "doelgroep": "Top X",
        "slagzin": "Bij elk feit voorgeleiden; casusregisseur bellen.",
        "advies": "Dagvaarden.", "doel_interventie": "", "context": "",
        "hg_historie": "2025-01-01 melding\n2025-06-01 huisverbod", "advies_datum": "2026-09-01",
        "plan_van_aanpak": "Doel: rust.\nActie 1: schuldhulp.", "contactpersoon": "A. Test",
        "contact_telefoon": "030-0000000", "actief": "ja",
    }  # fmt: skip
    base.update(over)
    return base


def csv_text(records: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> str:
    def cell(v: Any) -> str:
        s = str(v)
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ';"\n') else s

    lines = [";".join(columns)] + [";".join(cell(r.get(c, "")) for c in columns) for r in records]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, name: str, data: str | bytes | Any) -> Path:
    p = tmp_path / name
    if isinstance(data, bytes):
        p.write_bytes(data)
    elif isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def import_register(app: AppContext, path: Path) -> registers.RegisterReport:
    with app.db.session() as s:
        return registers.import_file(s, path, actor=app.account)


def import_feed(app: AppContext, path: Path) -> None:
    with app.db.session() as s:
        instroom.import_file(s, path, actor=app.account)


def markings(app: AppContext) -> dict[tuple[str, str], dict[str, Any]]:
    with app.db.session() as s:
        return {
            (m.vh_code, m.persoon_id): {c: getattr(m, c) for c in (*COLUMNS, "imported_at")}
            for m in s.execute(select(MarkingRow)).scalars()
        }


def report_by_bvh(app: AppContext) -> dict[str, dict[str, Any]]:
    with app.db.session() as s:
        return {r["bvh_nummer"]: r for r in known_clients.match_report(s)}


def configure_directory(app: AppContext, codes: tuple[str, ...] = ("VH-UTR", "VH-FLE")) -> None:
    doc = {"zsm_locatie": "ZSM Test", "veiligheidshuis": [
        {"code": c, "naam": f"Veiligheidshuis {c}", "mailbox": f"zsm@{c.lower()}.example.org",
         "gemeenten": [c]} for c in codes]}  # fmt: skip
    with app.db.session() as s:
        config.save_settings(s, validate_config(doc), app.account, "test")


# --- the sample and snapshot semantics ----------------------------------------------


def test_sample_register_imports_two_markings(app: AppContext) -> None:
    rep = import_register(app, SAMPLE_REGISTER)
    assert rep.per_vh == {"VH-UTR": {"nieuw": 1, "bijgewerkt": 0, "inactief": 0},
                          "VH-FLE": {"nieuw": 1, "bijgewerkt": 0, "inactief": 0}}  # fmt: skip
    m = markings(app)
    assert set(m) == {("VH-UTR", "UTR0000417"), ("VH-FLE", "FLE0001020")}
    utr = m[("VH-UTR", "UTR0000417")]
    # Quoted fields keep their `;` and their line breaks.
    assert utr["slagzin"] == (
        "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH."
    )
    assert utr["hg_historie"].splitlines() == [
        "2025-02-11 melding ruzie, politie ter plaatse",
        "2025-08-03 tijdelijk huisverbod",
        "2026-04-19 aangifte bedreiging (geseponeerd)",
    ]
    assert utr["plan_van_aanpak"].count("\n") == 3
    assert utr["advies_datum"] == dt.date(2026, 8, 19)
    assert utr["actief"] is True and utr["contactpersoon"] == "Procesregisseur A. Jansen"
    fle = m[("VH-FLE", "FLE0001020")]
    assert (fle["achternaam"], fle["voornamen"], fle["bsn"]) == ("Çelik", "Elif Naz", "123456782")
    # Identical re-import: nothing new, nothing changed.
    rep = import_register(app, SAMPLE_REGISTER)
    assert rep.per_vh["VH-UTR"] == {"nieuw": 0, "bijgewerkt": 0, "inactief": 0}


def test_json_register_file_and_http_envelope(app: AppContext, tmp_path: Path) -> None:
    rep = import_register(app, write(tmp_path, "r.json", [marking("U1"), marking("F1", "VH-FLE")]))
    assert set(rep.per_vh) == {"VH-UTR", "VH-FLE"}
    env = {"generated_at": "2026-11-22T09:00:00+01:00", "vh_code": "VH-AMF",
           "personen": [{k: v for k, v in marking("A1").items() if k != "vh_code"}]}  # fmt: skip
    rep = import_register(app, write(tmp_path, "env.json", env))
    assert rep.per_vh == {"VH-AMF": {"nieuw": 1, "bijgewerkt": 0, "inactief": 0}}
    assert ("VH-AMF", "A1") in markings(app)


def test_snapshot_missing_person_becomes_inactive(app: AppContext, tmp_path: Path) -> None:
    import_feed(app, write(tmp_path, "feed.json", [{
        "bvh_nummer": "PL0900-2026000001", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
        "achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1980-05-17",
        "feit": "Mishandeling (art. 300 Sr)", "status": "aangemeld"}]))  # fmt: skip
    first = [marking("U1"), marking("U2", achternaam="Bakker", voornamen="Kees"),
             marking("F1", "VH-FLE", achternaam="Smit")]  # fmt: skip
    import_register(app, write(tmp_path, "r1.csv", csv_text(first)))
    assert report_by_bvh(app)["PL0900-2026000001"]["status"] == "bekend"

    # Second VH-UTR export without U1 (the suspect's marking).
    rep = import_register(app, write(tmp_path, "r2.csv", csv_text([first[1]])))
    assert rep.per_vh == {"VH-UTR": {"nieuw": 0, "bijgewerkt": 0, "inactief": 1}}
    m = markings(app)
    assert m[("VH-UTR", "U1")]["actief"] is False  # kept for history
    assert m[("VH-UTR", "U2")]["actief"] is True
    assert m[("VH-FLE", "F1")]["actief"] is True  # another VH's snapshot is not touched
    r = report_by_bvh(app)["PL0900-2026000001"]
    assert r == {"bvh_nummer": "PL0900-2026000001", "status": "onbekend", "matches": []}
    with app.db.session() as s:
        assert s.execute(select(ItemRow.vh_status)).scalar_one() == "onbekend"

    # Back in a later export: active and flagged again.
    import_register(app, write(tmp_path, "r3.csv", csv_text(first[:2])))
    assert markings(app)[("VH-UTR", "U1")]["actief"] is True
    assert report_by_bvh(app)["PL0900-2026000001"]["status"] == "bekend"


def test_inactive_marking_in_export_is_never_flagged(app: AppContext, tmp_path: Path) -> None:
    import_feed(app, SAMPLE_FEED)
    text = SAMPLE_REGISTER.read_text(encoding="utf-8").replace(";ja\n", ";nee\n", 1)
    import_register(app, write(tmp_path, "r.csv", text))
    assert markings(app)[("VH-UTR", "UTR0000417")]["actief"] is False
    r = report_by_bvh(app)
    assert r["PL0900-2026000101"]["status"] == "onbekend"
    assert r["PL0900-2026000103"]["status"] == "bekend"


# --- refused as a whole -----------------------------------------------------------------


def _bad_files() -> dict[str, bytes]:
    good = [marking("U1", slagzin="Nieuw advies"), marking("U9")]
    no_col = tuple(c for c in COLUMNS if c != "slagzin")
    return {
        "missing-column": csv_text(good, no_col).encode(),
        "broken-quoting": (csv_text(good) + 'VH-UTR;U7;"Jansen;;Piet;1980-05-17\n').encode(),
        "invalid-date": csv_text([*good, marking("U7", advies_datum="2026-02-30")]).encode(),
        "duplicate-persoon_id": csv_text([*good, marking("U1")]).encode(),
        "utf-16-bom": csv_text(good).encode("utf-16"),
        "utf-16-no-bom": csv_text(good).encode("utf-16-le"),
        "slagzin-too-long": csv_text([*good, marking("U7", slagzin="x" * 201)]).encode(),
        "unknown-vh": csv_text([*good, marking("X1", "VH-XYZ")]).encode(),
    }


BAD_CASES = {
    "missing-column": "slagzin",
    "broken-quoting": "aanhalingstekens",
    "invalid-date": "advies_datum",
    "duplicate-persoon_id": "persoon_id",
    "utf-16-bom": "UTF-16",
    "utf-16-no-bom": "UTF-16",
    "slagzin-too-long": "slagzin",
    "unknown-vh": "VH-XYZ",
}


def _refusal(data: bytes, known_vh: set[str]) -> str:
    """Why a register file is refused, without a database (same path as the import)."""
    try:
        raw = parse_bytes(data, REGISTER_REQUIRED, "personen")
    except FileFormatError as e:
        return str(e)
    _, errors = registers.validate_records(raw.records, known_vh)
    assert errors, "file was not refused"
    return "; ".join(str(e) for e in errors)


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_register_file_reason(case: str) -> None:
    assert BAD_CASES[case] in _refusal(_bad_files()[case], {"VH-UTR", "VH-FLE"})


def test_bad_register_files_refused_whole(app: AppContext, tmp_path: Path) -> None:
    configure_directory(app)  # VH-UTR and VH-FLE; VH-XYZ is unknown
    import_feed(app, SAMPLE_FEED)
    import_register(app, SAMPLE_REGISTER)
    extra = csv_text([marking("UTR0000417"), marking("U1")])
    import_register(app, write(tmp_path, "extra.csv", extra))
    before = markings(app)
    assert len(before) == 3
    report_before = report_by_bvh(app)
    for case, data in _bad_files().items():
        with pytest.raises((FileFormatError, instroom.ImportRefused)) as exc:
            import_register(app, write(tmp_path, f"{case}.csv", data))
        assert BAD_CASES[case] in str(exc.value), case
        if isinstance(exc.value, instroom.ImportRefused):
            assert "niets gewijzigd" in str(exc.value)
            assert exc.value.errors and exc.value.errors[0].number == 3
        assert markings(app) == before, case
    assert report_by_bvh(app) == report_before


def test_unknown_vh_allowed_without_directory(app: AppContext, tmp_path: Path) -> None:
    rep = import_register(app, write(tmp_path, "r.csv", csv_text([marking("X1", "VH-XYZ")])))
    assert "VH-XYZ" in rep.per_vh


def test_register_errors_name_record_and_field(app: AppContext, tmp_path: Path) -> None:
    bad = [marking("U1"), marking("U2", geboortedatum="1980-13-01"), marking("U3", slagzin="")]
    with pytest.raises(instroom.ImportRefused) as exc:
        import_register(app, write(tmp_path, "r.json", bad))
    assert [(e.number, e.field) for e in exc.value.errors] == [(2, "geboortedatum"), (3, "slagzin")]
    assert markings(app) == {}


# --- matching after import ------------------------------------------------------------------


def test_register_import_matches_instroom_automatically(app: AppContext, tmp_path: Path) -> None:
    feed = [{"bvh_nummer": "PL0900-2026000201", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
             "achternaam": "Visser", "voornamen": "Anna", "geboortedatum": "1975-01-02",
             "bsn": "111222333", "feit": "Vernieling (art. 350 Sr)",
             "status": "aangemeld"}]  # fmt: skip
    import_feed(app, write(tmp_path, "feed.json", feed))
    with app.db.session() as s:
        assert s.execute(select(ItemRow.vh_status)).scalar_one() == "onbekend"
    import_register(app, write(tmp_path, "r.csv", csv_text([
        marking("F7", "VH-FLE", achternaam="Visser", voornamen="Anna Maria",
                geboortedatum="1975-01-02", bsn="111222333")])))  # fmt: skip
    # No explicit match run: the import itself re-checked the queue.
    with app.db.session() as s:
        assert s.execute(select(ItemRow.vh_status)).scalar_one() == "bekend"
        (m,) = s.execute(select(Match)).scalars()
        assert m.status == "bekend" and "bsn" in m.reden
    r = report_by_bvh(app)["PL0900-2026000201"]
    assert r["status"] == "bekend"
    assert [(x["vh_code"], x["persoon_id"], x["status"]) for x in r["matches"]] == [
        ("VH-FLE", "F7", "bekend")]  # fmt: skip


def test_sample_feed_against_sample_register(app: AppContext) -> None:
    import_feed(app, SAMPLE_FEED)
    import_register(app, SAMPLE_REGISTER)
    r = report_by_bvh(app)
    assert r["PL0900-2026000103"]["status"] == "bekend"
    assert r["PL0900-2026000103"]["matches"][0]["persoon_id"] == "FLE0001020"
    assert r["PL0900-2026000101"]["status"] in ("bekend", "mogelijk")
    assert r["PL0900-2026000102"] == {"bvh_nummer": "PL0900-2026000102", "status": "onbekend",
                                      "matches": []}  # fmt: skip


def test_reimport_keeps_reviews(app: AppContext, tmp_path: Path) -> None:
    def item(n: int, last: str, first: str, born: str) -> dict[str, Any]:
        return {"bvh_nummer": f"PL0900-2026{n:06d}", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
                "achternaam": last, "voornamen": first, "geboortedatum": born,
                "feit": "Winkeldiefstal (art. 310 Sr)", "status": "te routeren"}  # fmt: skip

    import_feed(
        app,
        write(
            tmp_path,
            "feed.json",
            [item(1, "Vries", "Jan Pieter", "1991-03-14"), item(2, "Bakker", "Kees", "1980-05-17")],
        ),
    )
    # Partial birth dates in the register: both hits need review.
    reg = [
        marking("U1", achternaam="Vries", voornamen="Jan Pieter", geboortedatum="1991-03-00"),
        marking("U2", achternaam="Bakker", voornamen="Kees", geboortedatum="1980-05-00"),
    ]
    import_register(app, write(tmp_path, "r1.csv", csv_text(reg)))
    r = report_by_bvh(app)
    assert r["PL0900-2026000001"]["status"] == "mogelijk"
    assert r["PL0900-2026000002"]["status"] == "mogelijk"

    with app.db.session() as s:
        ids = {m.marking.persoon_id: m.id for m in s.execute(select(Match)).scalars()}
        known_clients.review(s, ids["U1"], confirm=True, actor=app.account)
        known_clients.review(s, ids["U2"], confirm=False, actor=app.account)
    after_review = report_by_bvh(app)
    assert after_review["PL0900-2026000001"]["status"] == "bekend"
    assert after_review["PL0900-2026000001"]["matches"][0]["status"] == "bekend"
    assert after_review["PL0900-2026000002"] == {
        "bvh_nummer": "PL0900-2026000002", "status": "onbekend", "matches": []}  # fmt: skip

    # The same export again, and one with changed advice: reviews are remembered.
    import_register(app, write(tmp_path, "r2.csv", csv_text(reg)))
    assert report_by_bvh(app) == after_review
    reg2 = [dict(x, slagzin="Nieuw advies: dagvaarden.") for x in reg]
    rep = import_register(app, write(tmp_path, "r3.csv", csv_text(reg2)))
    assert rep.per_vh["VH-UTR"]["bijgewerkt"] == 2
    assert report_by_bvh(app) == after_review
    # An instroom re-send of the same items does not ask again either.
    import_feed(app, write(tmp_path, "feed2.json", [
        dict(item(1, "Vries", "Jan Pieter", "1991-03-14"), status="in behandeling"),
        dict(item(2, "Bakker", "Kees", "1980-05-17"), status="in behandeling")]))  # fmt: skip
    assert report_by_bvh(app) == after_review
    with app.db.session() as s:
        reviews = {m.marking.persoon_id: m.review for m in s.execute(select(Match)).scalars()}
        statuses = dict(s.execute(select(ItemRow.bvh_nummer, ItemRow.vh_status)).all())
    assert reviews == {"U1": "bevestigd", "U2": "afgewezen"}
    assert statuses == {"PL0900-2026000001": "bekend", "PL0900-2026000002": "onbekend"}


def test_reimport_relearns_and_rechecks_only_when_who_changed(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A VH's daily snapshot is mostly the same file: the same markings again,
    or only their advice changed. Keys, weights and hits then still hold and
    are not worked out again; a changed identity, a new marking or one no
    longer in the export is."""
    from zsm_desk.services.registers import match_store
    from zsm_desk.services.storage.models import Setting
    from zsm_desk.services.storage.models_match import MatchKey

    feed = [{"bvh_nummer": "PL0900-2026000301", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
             "achternaam": "Visser", "voornamen": "Anna", "geboortedatum": "1975-01-02",
             "feit": "Vernieling (art. 350 Sr)", "status": "aangemeld"}]  # fmt: skip
    import_feed(app, write(tmp_path, "feed.json", feed))
    reg = [
        marking("U1", achternaam="Visser", voornamen="Anna", geboortedatum="1975-01-02"),
        marking("U2", achternaam="Bakker", voornamen="Kees", geboortedatum="1980-05-17"),
    ]
    import_register(app, write(tmp_path, "r1.csv", csv_text(reg)))

    def state() -> tuple[Any, ...]:
        with app.db.session() as s:
            model = s.get(Setting, match_store.MODEL_KEY)
            keys = sorted(tuple(k) for k in s.execute(select(MatchKey.marking_id, MatchKey.sur)))
            hits = sorted((m.id, m.status) for m in s.execute(select(Match)).scalars())
            return match_store.register_version(s), model and model.value, keys, hits

    checks: list[int] = []
    check_all = known_clients.check_all
    monkeypatch.setattr(known_clients, "check_all", lambda s: checks.append(1) or check_all(s))
    before = state()
    assert before[3] and before[3][0][1] == "bekend"

    rep = import_register(app, write(tmp_path, "r2.csv", csv_text(reg)))
    assert rep.per_vh["VH-UTR"] == {"nieuw": 0, "bijgewerkt": 0, "inactief": 0}
    assert not rep.matching_changed and state() == before and not checks

    advice = [dict(x, slagzin="Nieuw advies: dagvaarden.") for x in reg]
    rep = import_register(app, write(tmp_path, "r3.csv", csv_text(advice)))
    assert rep.per_vh["VH-UTR"]["bijgewerkt"] == 2
    assert not rep.matching_changed and state() == before and not checks
    assert {m["slagzin"] for m in markings(app).values()} == {"Nieuw advies: dagvaarden."}

    renamed = [advice[0], dict(advice[1], achternaam="Bakkers")]
    rep = import_register(app, write(tmp_path, "r4.csv", csv_text(renamed)))
    after = state()
    assert rep.matching_changed and checks == [1]
    assert after[0] == before[0] + 1 and after[1] != before[1]
    # the renamed marking's keys are worked out again (skeleton "bakers")
    assert {k[1] for k in before[2]} == {"viser", "baker"}
    assert {k[1] for k in after[2]} == {"viser", "bakers"} and after[3] == before[3]

    rep = import_register(app, write(tmp_path, "r5.csv", csv_text(renamed[:1])))
    assert rep.per_vh["VH-UTR"]["inactief"] == 1
    assert rep.matching_changed and checks == [1, 1] and state()[0] == after[0] + 1


def test_dates_written_the_dutch_way_are_stored_as_iso(app: AppContext, tmp_path: Path) -> None:
    """A spreadsheet in the nl-NL locale writes 05-01-1990 or 5-1-1990: day
    first, the year in four digits last. Read as that date (never month
    first), stored as JJJJ-MM-DD, so the file written the other way later
    changes nothing; 00 still marks an unknown day or month."""
    # (as written: birth date, advies_datum; as stored: birth date, advies_datum)
    cases = {
        "D1": ("05-01-1990", "15-01-2026", "1990-01-05", dt.date(2026, 1, 15)),
        "D2": ("5-1-1990", "1-2-2026", "1990-01-05", dt.date(2026, 2, 1)),
        "D3": ("00-00-1985", "31.12.2025", "1985-00-00", dt.date(2025, 12, 31)),
        "D4": ("00/03/1985", "2026-09-01", "1985-03-00", dt.date(2026, 9, 1)),
    }
    dutch = [marking(p, geboortedatum=b, advies_datum=a) for p, (b, a, _, _) in cases.items()]
    rep = import_register(app, write(tmp_path, "nl.csv", csv_text(dutch)))
    assert rep.per_vh["VH-UTR"]["nieuw"] == 4
    got = {k[1]: (m["geboortedatum"], m["advies_datum"]) for k, m in markings(app).items()}
    assert got == {p: (b, a) for p, (_, _, b, a) in cases.items()}
    iso = [
        marking(p, geboortedatum=b, advies_datum=a.isoformat()) for p, (_, _, b, a) in cases.items()
    ]
    rep = import_register(app, write(tmp_path, "iso.csv", csv_text(iso)))
    assert rep.per_vh["VH-UTR"] == {"nieuw": 0, "bijgewerkt": 0, "inactief": 0}


@pytest.mark.parametrize(
    "written",
    ["05-01-90", "1990/01/05", "01-13-1990", "31-02-1990", "05-01/1990", "19900105"],
)
def test_a_date_in_no_form_we_can_read_safely_refuses_the_file(
    app: AppContext, tmp_path: Path, written: str
) -> None:
    """A two-digit year, month first, an impossible day or mixed separators:
    refused with record and field, and both forms named."""
    recs = [marking("P1"), marking("P2", geboortedatum=written)]
    with pytest.raises(registers.ImportRefused) as exc:
        import_register(app, write(tmp_path, "bad.csv", csv_text(recs)))
    msg = str(exc.value)
    assert "record 2, veld geboortedatum" in msg and "niets gewijzigd" in msg
    assert f"{written!r}" in msg  # in Dutch, with the value as written
    assert not markings(app)


def test_a_birth_year_typed_into_the_future_is_kept_and_still_matches(
    app: AppContext, tmp_path: Path
) -> None:
    """A year digit typed wrong can give a date in the future ("2054" for
    2004; our own Dutch-registration generator writes 576 such among 210,000
    markings). Refusing the whole export for it would stop all matching
    against that veiligheidshuis; the record is kept as written, and the
    suspect it belongs to is still found (a digit off: never `bekend`
    without more)."""
    import_register(app, write(tmp_path, "r.csv", csv_text([
        marking("P1", achternaam="Kathagen", voornamen="Pieter", geboortedatum="2054-03-14"),
    ])))  # fmt: skip
    assert markings(app)[("VH-UTR", "P1")]["geboortedatum"] == "2054-03-14"
    feed = [{"bvh_nummer": "PL0900-2026000001", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
             "achternaam": "Kathagen", "voornamen": "Pieter", "geboortedatum": "2004-03-14",
             "feit": "Diefstal", "status": "aangemeld"}]  # fmt: skip
    import_feed(app, write(tmp_path, "f.json", {"items": feed}))
    with app.db.session() as s:
        (item,) = known_clients.match_report(s)
    assert [(m["persoon_id"], m["status"]) for m in item["matches"]] == [("P1", "mogelijk")]
