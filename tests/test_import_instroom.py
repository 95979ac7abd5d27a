"""Verdachtenmonitor import (interfaces.md §1): JSON and CSV files, on SQLite and PostgreSQL.

Pure parsing (encodings, separators, quoting) needs no database; everything
that stores, updates or refuses runs on both databases through `app`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.data import DATA
from zsm_desk.app_context import AppContext
from zsm_desk.domain.validation import INSTROOM_REQUIRED
from zsm_desk.services.intake import instroom
from zsm_desk.services.intake.fileformats import FileFormatError, parse_bytes, read_records
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import InstroomItem as ItemRow

SAMPLES = DATA
SAMPLE_FEED = SAMPLES / "instroom-voorbeeld.json"

COLUMNS = ("bvh_nummer", "parketnummer", "ingestroomd_op", "achternaam", "voorvoegsel",
           "voornamen", "geboortedatum", "geslacht", "bsn", "woonplaats", "gemeente", "feit",
           "categorie", "status")  # fmt: skip


def rec(n: int = 1, **over: Any) -> dict[str, Any]:
    """A valid synthetic feed item; `n` varies the bvh_nummer."""
    base = {
        "bvh_nummer": f"PL0900-2026{n:06d}", "parketnummer": f"16/{n:06d}-26",
        "ingestroomd_op": "2026-11-22T07:43:00+01:00", "achternaam": "Jansen",
        "voorvoegsel": "", "voornamen": "Piet", "geboortedatum": "1990-05-17", "geslacht": "M",
        "bsn": "", "woonplaats": "Utrecht", "gemeente": "Utrecht",
        "feit": "Winkeldiefstal (art. 310 Sr)", "categorie": "vermogen", "status": "aangemeld",
    }  # fmt: skip
    base.update(over)
    return base


def csv_text(records: list[dict[str, Any]], sep: str = ";") -> str:
    def cell(v: Any) -> str:
        s = str(v)
        if sep in s or '"' in s or "\n" in s:
            s = '"' + s.replace('"', '""') + '"'
        return s

    lines = [sep.join(COLUMNS)]
    lines += [sep.join(cell(r.get(c, "")) for c in COLUMNS) for r in records]
    return "\r\n".join(lines) + "\r\n"


def write(tmp_path: Path, name: str, data: str | bytes | Any) -> Path:
    p = tmp_path / name
    if isinstance(data, bytes):
        p.write_bytes(data)
    elif isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def do_import(app: AppContext, path: Path, **kw: Any) -> instroom.ImportReport:
    with app.db.session() as s:
        return instroom.import_file(s, path, actor=app.account, **kw)


def rows(app: AppContext) -> dict[str, ItemRow]:
    with app.db.session() as s:
        return {r.bvh_nummer: r for r in s.execute(select(ItemRow)).scalars()}


def item_count(app: AppContext) -> int:
    with app.db.session() as s:
        return s.execute(select(func.count()).select_from(ItemRow)).scalar_one()


# --- pure parsing ------------------------------------------------------------------


def test_csv_separator_semicolon_and_comma_detected() -> None:
    r = [rec(1, feit="Mishandeling (art. 300, 304 Sr)"), rec(2, feit="Bedreiging; art. 285 Sr")]
    semi = parse_bytes(csv_text(r, ";").encode(), INSTROOM_REQUIRED, "items")
    comma = parse_bytes(csv_text(r, ",").encode(), INSTROOM_REQUIRED, "items")
    assert semi.separator == ";" and comma.separator == ","
    assert semi.records == comma.records
    assert semi.records[0]["feit"] == "Mishandeling (art. 300, 304 Sr)"
    assert semi.records[1]["feit"] == "Bedreiging; art. 285 Sr"


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_csv_encodings_detected(encode: Any, encoding: str) -> None:
    r = [rec(1, achternaam="Öztürk", voornamen="Zoë Renée", woonplaats="Almere")]
    raw = parse_bytes(encode(csv_text(r)), INSTROOM_REQUIRED, "items")
    assert raw.encoding == encoding
    # The BOM must not end up in the first column name.
    assert raw.records[0]["bvh_nummer"] == "PL0900-2026000001"
    assert raw.records[0]["achternaam"] == "Öztürk"
    assert raw.records[0]["voornamen"] == "Zoë Renée"


@pytest.mark.parametrize(
    "body",
    [
        # unterminated quote swallows the rest of the file
        'PL0900-2026000001;;2026-11-22T07:43:00+01:00;"Jansen;;Piet;1990-05-17;M;;;;x;;aangemeld\r\n'
        "PL0900-2026000002;;2026-11-22T07:43:00+01:00;Smit;;Kees;1990-05-17;M;;;;x;;aangemeld\r\n",
        # text after a closing quote
        'PL0900-2026000001;;2026-11-22T07:43:00+01:00;"Jansen"x;;Piet;1990-05-17;M;;;;x;;aangemeld\r\n',
        # a row with a field too few
        "PL0900-2026000001;;2026-11-22T07:43:00+01:00;Jansen;;Piet;1990-05-17;M;;;;x;aangemeld\r\n",
    ],
    ids=["unterminated", "garbage-after-quote", "field-count"],
)
def test_broken_csv_refused_as_a_whole(body: str) -> None:
    good = csv_text([rec(9)]).split("\r\n", 1)[1]  # a valid record before the broken one
    with pytest.raises(FileFormatError, match="niets ingelezen"):
        parse_bytes((";".join(COLUMNS) + "\r\n" + good + body).encode(), INSTROOM_REQUIRED, "items")


def test_csv_missing_required_column_refused() -> None:
    text = "bvh_nummer;achternaam;voornamen\r\nPL0900-2026000001;Jansen;Piet\r\n"
    with pytest.raises(FileFormatError, match="verplichte kolom ontbreekt"):
        parse_bytes(text.encode(), INSTROOM_REQUIRED, "items")


# --- import into the database --------------------------------------------------------


def test_json_envelope_and_bare_array(app: AppContext, tmp_path: Path) -> None:
    env = {"generated_at": "2026-11-22T09:00:00+01:00", "zsm_locatie": "ZSM Test",
           "items": [rec(1), rec(2)]}  # fmt: skip
    rep = do_import(app, write(tmp_path, "env.json", env))
    assert (rep.nieuw, rep.bijgewerkt) == (2, 0)
    rep = do_import(app, write(tmp_path, "bare.json", [rec(3), rec(4)]))
    assert (rep.nieuw, rep.bijgewerkt) == (2, 0)
    assert set(rows(app)) == {f"PL0900-2026{n:06d}" for n in (1, 2, 3, 4)}


def test_sample_feed_imports(app: AppContext) -> None:
    rep = do_import(app, SAMPLE_FEED)
    assert rep.nieuw == 3 and not rep.overgeslagen
    r = rows(app)
    assert set(r) == {"PL0900-2026000101", "PL0900-2026000102", "PL0900-2026000103"}
    jan = r["PL0900-2026000101"]
    assert (jan.achternaam, jan.voorvoegsel, jan.voornamen) == ("Berg", "van den", "Sander Willem")
    assert jan.ingestroomd_op == dt.datetime(2026, 11, 22, 1, 14, tzinfo=dt.UTC)
    assert jan.status == "te routeren" and jan.categorie == "huiselijk geweld"
    assert r["PL0900-2026000102"].geboortedatum == "2009-04-00"  # partial date kept
    assert r["PL0900-2026000103"].achternaam == "Çelik"
    assert r["PL0900-2026000103"].bsn == "123456782"
    # Every imported suspect was checked against the registers straight away.
    assert all(x.vh_status == "onbekend" for x in r.values())


def test_csv_import_both_separators(app: AppContext, tmp_path: Path) -> None:
    semi = [rec(1, feit="Mishandeling (art. 300, 304 Sr)"), rec(2, status="te routeren")]
    comma = [rec(3, feit="Bedreiging; art. 285 Sr"), rec(4, status="afgebogen")]
    assert do_import(app, write(tmp_path, "semi.csv", csv_text(semi, ";"))).nieuw == 2
    assert do_import(app, write(tmp_path, "comma.csv", csv_text(comma, ","))).nieuw == 2
    stored = rows(app)
    assert stored["PL0900-2026000001"].feit == "Mishandeling (art. 300, 304 Sr)"
    assert stored["PL0900-2026000002"].status == "te routeren"
    assert stored["PL0900-2026000003"].feit == "Bedreiging; art. 285 Sr"
    assert stored["PL0900-2026000004"].status == "afgebogen"


def test_csv_import_diacritics_all_encodings(app: AppContext, tmp_path: Path) -> None:
    encodings = {
        1: lambda t: t.encode("utf-8"),
        2: lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        3: lambda t: t.encode("cp1252"),
    }
    for n, encode in encodings.items():
        r = [rec(n, achternaam="Öztürk", voornamen="Zoë", feit="Bedreiging café-eigenaar")]
        do_import(app, write(tmp_path, f"feed{n}.csv", encode(csv_text(r))))
    stored = rows(app)
    assert len(stored) == 3
    for row in stored.values():
        assert (row.achternaam, row.voornamen) == ("Öztürk", "Zoë")
        assert row.feit == "Bedreiging café-eigenaar"


def test_resent_bvh_updates_status_never_duplicates(app: AppContext, tmp_path: Path) -> None:
    do_import(app, write(tmp_path, "a.json", [rec(1, status="aangemeld"), rec(2)]))
    rep = do_import(app, write(tmp_path, "b.json", [rec(1, status="in behandeling"), rec(2)]))
    assert (rep.nieuw, rep.bijgewerkt, rep.ongewijzigd) == (0, 1, 1)
    # Same item once more via CSV, lower-case bvh_nummer: still the same item.
    again = csv_text([rec(1, bvh_nummer="pl0900-2026000001", status="afgedaan")])
    rep = do_import(app, write(tmp_path, "c.csv", again))
    assert (rep.nieuw, rep.bijgewerkt) == (0, 1)
    assert item_count(app) == 2
    assert rows(app)["PL0900-2026000001"].status == "afgedaan"
    # Within one file the later record wins, as a re-send would.
    rep = do_import(app, write(tmp_path, "d.json", [rec(2, status="te routeren"),
                                                    rec(2, status="afgedaan")]))  # fmt: skip
    assert (rep.nieuw, rep.bijgewerkt) == (0, 1)
    assert rows(app)["PL0900-2026000002"].status == "afgedaan"
    assert item_count(app) == 2
    # Sent again unchanged (timestamp with microseconds): nothing changes.
    p = write(tmp_path, "e.json", [rec(5, ingestroomd_op="2026-11-22T07:43:12.345678+01:00")])
    do_import(app, p)
    rep = do_import(app, p)
    assert (rep.nieuw, rep.bijgewerkt, rep.ongewijzigd) == (0, 0, 1)


INVALID = [
    ({"achternaam": ""}, "achternaam", "ontbreekt"),
    ({"geboortedatum": "1991-13-01"}, "geboortedatum", "1991-13-01"),
    ({"ingestroomd_op": "2026-11-22T07:43:00"}, "ingestroomd_op", "tijdzone"),
    ({"status": "gearresteerd"}, "status", "gearresteerd"),
]


@pytest.mark.parametrize(
    ("bad", "field", "fragment"),
    INVALID,
    ids=["missing-achternaam", "bad-birthdate", "timestamp-without-offset", "unknown-status"],
)
@pytest.mark.parametrize("kind", ["json", "csv"])
def test_invalid_record_named_by_number_and_field(bad: dict[str, str], field: str,
                                                  fragment: str, kind: str) -> None:  # fmt: skip
    records = [rec(1), rec(2, **bad), rec(3)]
    data = json.dumps(records) if kind == "json" else csv_text(records)
    raw = parse_bytes(data.encode(), INSTROOM_REQUIRED, "items")
    items, errors = instroom.validate_records(raw.records)
    assert [i.bvh_nummer for i in items] == ["PL0900-2026000001", "PL0900-2026000003"]
    (err,) = errors
    assert (err.number, err.field) == (2, field)
    assert fragment in err.message
    assert str(err).startswith(f"record 2, veld {field}:")


def test_missing_json_field_named() -> None:
    r = rec(1)
    del r["achternaam"]
    _, errors = instroom.validate_records([rec(2), r])
    assert [(e.number, e.field) for e in errors] == [(2, "achternaam")]


def test_one_invalid_record_refuses_the_file(app: AppContext, tmp_path: Path) -> None:
    for i, (bad, field, _) in enumerate(INVALID):
        records = [rec(1), rec(2, **bad), rec(3)]
        for name, data in ((f"f{i}.json", records), (f"f{i}.csv", csv_text(records))):
            with pytest.raises(instroom.ImportRefused) as exc:
                do_import(app, write(tmp_path, name, data))
            (err,) = exc.value.errors
            assert (err.number, err.field) == (2, field)
            msg = str(exc.value)
            assert "record 2" in msg and field in msg and "niets ingelezen" in msg
    assert item_count(app) == 0


def test_refused_file_leaves_stored_items_untouched(app: AppContext, tmp_path: Path) -> None:
    do_import(app, write(tmp_path, "a.json", [rec(1, status="aangemeld"), rec(2)]))
    with app.db.session() as s:
        audits_before = audit.count(s)
    before = {k: (v.status, v.achternaam, v.updated_at) for k, v in rows(app).items()}
    # Would update item 1 and add item 3, but record 3 is invalid.
    bad = [rec(1, status="afgedaan", achternaam="Anders"), rec(3),
           rec(4, geboortedatum="1991-13-01")]  # fmt: skip
    with pytest.raises(instroom.ImportRefused):
        do_import(app, write(tmp_path, "b.json", bad))
    after = {k: (v.status, v.achternaam, v.updated_at) for k, v in rows(app).items()}
    assert after == before
    with app.db.session() as s:
        assert audit.count(s) == audits_before
    # A structurally broken CSV leaves them untouched too.
    broken = csv_text([rec(1, status="afgedaan")]) + '"PL0900-2026000005;\r\n'
    with pytest.raises(FileFormatError):
        do_import(app, write(tmp_path, "c.csv", broken))
    assert {k: (v.status, v.achternaam, v.updated_at) for k, v in rows(app).items()} == before


def test_skip_invalid_imports_valid_and_reports_rest(app: AppContext, tmp_path: Path) -> None:
    records = [rec(1), rec(2, geboortedatum="1991-13-01"), rec(3),
               rec(4, status="onbekend"), rec(5, ingestroomd_op="2026-11-22 07:43")]  # fmt: skip
    rep = do_import(app, write(tmp_path, "f.json", records), skip_invalid=True)
    assert rep.nieuw == 2
    assert [(e.number, e.field) for e in rep.overgeslagen] == [
        (2, "geboortedatum"), (4, "status"), (5, "ingestroomd_op")]  # fmt: skip
    assert "2 nieuw" in rep.summary() and "3 overgeslagen" in rep.summary()
    assert set(rows(app)) == {"PL0900-2026000001", "PL0900-2026000003"}


def test_partial_birth_dates_accepted(app: AppContext, tmp_path: Path) -> None:
    records = [rec(1, geboortedatum="1988-00-00"), rec(2, geboortedatum="2009-07-00")]
    do_import(app, write(tmp_path, "f.csv", csv_text(records)))
    r = rows(app)
    assert r["PL0900-2026000001"].geboortedatum == "1988-00-00"
    assert r["PL0900-2026000002"].geboortedatum == "2009-07-00"
    with pytest.raises(instroom.ImportRefused) as exc:  # a day without a month is not a date
        do_import(app, write(tmp_path, "g.json", [rec(3, geboortedatum="1988-00-05")]))
    assert exc.value.errors[0].field == "geboortedatum"


def test_empty_and_unreadable_files_refused(tmp_path: Path) -> None:
    for name, data in (("leeg.csv", b""), ("spaties.csv", b"  \r\n"),
                       ("kapot.json", b'{"items": [ {"bvh_nummer": '),
                       ("geen-lijst.json", b'{"generated_at": "2026-11-22T09:00:00+01:00"}'),
                       ("geen-kolommen.csv", b"alleen tekst\r\n")):  # fmt: skip
        with pytest.raises(FileFormatError):
            read_records(write(tmp_path, name, data), INSTROOM_REQUIRED, "items")
    with pytest.raises(FileFormatError, match="niet gevonden"):
        read_records(tmp_path / "bestaat-niet.json", INSTROOM_REQUIRED, "items")


def test_a_birth_date_written_the_dutch_way_is_stored_as_iso(
    app: AppContext, tmp_path: Path
) -> None:
    records = [rec(1, geboortedatum="17-05-1990"), rec(2, geboortedatum="00-00-1991")]
    do_import(app, write(tmp_path, "nl.csv", csv_text(records)))
    got = {b: r.geboortedatum for b, r in rows(app).items()}
    assert got == {"PL0900-2026000001": "1990-05-17", "PL0900-2026000002": "1991-00-00"}
