"""The terugkoppeling message content, its JSON and its rendering (synthetic data)."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

from zsm_desk.domain.decisions import Decision, FeedbackPlan, feedback_plan
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus
from zsm_desk.domain.terugkoppeling import (
    REF_RE,
    Onderzoek,
    Persoon,
    TerugkoppelingContent,
    ZsmContact,
    build_aanmelding,
    build_terugkoppeling,
    digest_json,
    locatie_code,
    make_ref,
    render_digest_html,
    render_digest_text,
)

TZ = ZoneInfo("Europe/Amsterdam")
INSTROOM = dt.datetime(2026, 11, 22, 7, 43, tzinfo=TZ)
NOW = dt.datetime(2026, 11, 22, 11, 5, tzinfo=TZ)
CONTACT = ZsmContact("ZSM Midden-Nederland", "030-0000001", "zsm-mn@example.org")

JSON_KEYS = {
    "schema",
    "ref",
    "soort",
    "beperkt",
    "vh_code",
    "opgesteld_op",
    "persoon",
    "bvh_nummer",
    "parketnummer",
    "ingestroomd_op",
    "feit",
    "beslissing",
    "sepotcode",
    "sepotcode_omschrijving",
    "voorwaarden",
    "onderzoek",
    "advies_gevolgd",
    "motivering",
    "toelichting",
    "besloten_op",
    "advies_datum",  # issue 13 §2: the advice the decision weighed
    "advies_actualiteit",
    "corrigeert",  # issue 13 §6: ref of the corrected message, else null
    "aanmelding",
    "zsm_contact",
}
CASE_KEYS = (
    "bvh_nummer",
    "parketnummer",
    "feit",
    "voorwaarden",
    "onderzoek",
    "advies_gevolgd",
    "motivering",
    "toelichting",
)


def make_item(feit: str = "Bedreiging (art. 285 Sr)", **ident: str) -> InstroomItem:
    values = {
        "achternaam": "Testpersoon",
        "voornamen": "Jan Pieter",
        "geboortedatum": "1991-03-00",
        "voorvoegsel": "van der",
        "bsn": "111222333",
        "gemeente": "Utrecht",
    }
    values.update(ident)
    return InstroomItem(
        bvh_nummer="PL0900-2026000777",
        ingestroomd_op=INSTROOM,
        identity=Identity(**values),
        feit=feit,
        status=InstroomStatus.IN_BEHANDELING,
        parketnummer="16/999999-26",
    )


def make_decision(**kw: object) -> Decision:
    base: dict[str, object] = {
        "beslissing": "dagvaarden",
        "besloten_op": INSTROOM + dt.timedelta(hours=3),
        "besloten_door": "mr. A. Officier",
        "advies_gevolgd": "nee",
        "motivering": "Advies is ouder dan een jaar en past niet bij dit feit.",
        "voorwaarden": "Gedragsaanwijzing: contactverbod",
        "onderzoek_gepland": True,
        "toelichting": "Zitting binnen 4 weken.",
    }
    base.update(kw)
    return Decision(**base)  # type: ignore[arg-type]


def content_for(
    item: InstroomItem, d: Decision, *, minor: bool = False, vh_bsn: str | None = None
) -> TerugkoppelingContent:
    plan = feedback_plan(d, item, minor, ["VH-UTR"], False, None)
    return build_terugkoppeling(
        d,
        item,
        plan,
        vh_code="VH-UTR",
        ref=make_ref("MN", NOW.date()),
        zsm_contact=CONTACT,
        is_minor=minor,
        opgesteld_op=NOW,
        vh_bsn=vh_bsn,
    )


# --- full terugkoppeling ----------------------------------------------------------------


def test_full_terugkoppeling_json_has_the_stable_fields() -> None:
    c = content_for(make_item(), make_decision(), vh_bsn="111222333")
    data = json.loads(json.dumps(c.to_json_dict(), ensure_ascii=False))
    assert set(data) == JSON_KEYS
    assert data["schema"] == "zsm-terugkoppeling/1"
    assert data["soort"] == "terugkoppeling" and data["beperkt"] is False
    assert data["persoon"] == {
        "achternaam": "Testpersoon",
        "voorvoegsel": "van der",
        "voornamen": "Jan Pieter",
        "geboortedatum": "1991-03-00",
        "bsn": "111222333",
    }
    assert data["bvh_nummer"] == "PL0900-2026000777"
    assert data["parketnummer"] == "16/999999-26"
    assert data["ingestroomd_op"] == "2026-11-22"
    assert data["beslissing"] == {"code": "dagvaarden", "label": "Dagvaarden", "soort": "afdoening"}
    assert data["onderzoek"] == {"soort": "reclasseringsonderzoek", "gepland": True}
    assert data["advies_gevolgd"] == "nee"
    assert data["motivering"].startswith("Advies is ouder")
    assert data["besloten_op"] == "2026-11-22T10:43:00+01:00"
    assert data["aanmelding"] is None
    assert data["zsm_contact"]["mailbox"] == "zsm-mn@example.org"


def test_bsn_only_when_the_vh_supplied_it() -> None:
    c = content_for(make_item(), make_decision())
    assert c.to_json_dict()["persoon"]["bsn"] is None
    assert "111222333" not in c.render_text()
    assert "111222333" not in c.render_html()


def test_minor_gets_raadsonderzoek() -> None:
    item = make_item(geboortedatum="2011-05-01")
    c = content_for(item, make_decision(), minor=True)
    assert c.to_json_dict()["onderzoek"] == {"soort": "raadsonderzoek", "gepland": True}
    assert "Raadsonderzoek opgedragen" in c.render_text()


def test_text_rendering_has_dutch_labels() -> None:
    text = content_for(make_item(), make_decision()).render_text()
    for label in (
        "Persoonsgegevens",
        "Naam:",
        "van der Testpersoon",
        "Geboortedatum:",
        "03-1991",
        "BVH-nummer:",
        "Ingestroomd op ZSM:",
        "22-11-2026",
        "Afdoeningsbeslissing:",
        "Reclasseringsonderzoek opgedragen:",
        "Advies veiligheidshuis gevolgd: nee",
        "Afwijking van PvA/advies:",
        "Motivering:",
        "Contact voor vragen",
        "030-0000001",
    ):
        assert label in text, label


def test_html_escapes_everything() -> None:
    evil = "<script>alert('x')</script>"
    item = make_item(feit=f"Vernieling {evil}", achternaam=f"O'Brien & {evil}")
    c = content_for(item, make_decision(motivering=f"Omdat {evil} & meer", toelichting=evil))
    page = c.render_html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "O&#x27;Brien &amp;" in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "<table" in page and "Persoonsgegevens" in page
    # the text part keeps the text as written
    assert evil in c.render_text()


def test_multiline_values() -> None:
    c = content_for(make_item(), make_decision(motivering="Regel een\nRegel twee is langer"))
    assert "Regel een<br>\nRegel twee" in c.render_html()
    lines = c.render_text().splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("Motivering:"))
    assert lines[i + 1].strip() == "Regel twee is langer"


# --- beperkt and aanmelding: no case content ----------------------------------------------


def test_intake_sepot_carries_only_instroom_and_decision() -> None:
    item = make_item(feit="Diefstal UNIEKFEIT")
    d = make_decision(
        beslissing="sepot",
        sepotcode="02",
        voorwaarden="",
        advies_gevolgd="nee",
        motivering="UNIEKEMOTIVERING hier",
        toelichting="UNIEKETOELICHTING",
    )
    c = content_for(item, d)
    assert c.beperkt
    data = c.to_json_dict()
    assert data["beperkt"] is True
    assert all(data[k] is None for k in CASE_KEYS)
    assert data["ingestroomd_op"] == "2026-11-22"
    assert data["beslissing"]["code"] == "sepot"
    assert data["sepotcode"] == "02"
    assert data["sepotcode_omschrijving"] == "onvoldoende wettig bewijs"
    for rendered in (c.render_text(), c.render_html(), json.dumps(data)):
        for secret in ("UNIEKFEIT", "UNIEKEMOTIVERING", "UNIEKETOELICHTING", "PL0900", "16/999"):
            assert secret not in rendered
    assert "niet verder besproken" in c.render_text()


def test_aanmelding_has_personal_data_only() -> None:
    item = make_item(feit="Huiselijk geweld UNIEKFEIT")
    d = make_decision(advies_gevolgd="geen advies", motivering="", toelichting="UNIEK2")
    plan = feedback_plan(d, item, False, [], True, "VH-UTR")
    c = build_aanmelding(
        item,
        plan,
        ref=make_ref("MN", NOW.date()),
        zsm_contact=CONTACT,
        reden="Mogelijk complex: HG met minderjarige kinderen in huis",
        criteria=["kinderen betrokken", "problemen op 2 leefgebieden", " "],
        opgesteld_op=NOW,
    )
    data = c.to_json_dict()
    assert set(data) == JSON_KEYS
    assert data["soort"] == "aanmelding"
    assert data["vh_code"] == "VH-UTR"
    for key in (*CASE_KEYS, "ingestroomd_op", "beslissing", "sepotcode", "besloten_op"):
        assert data[key] is None, key
    assert data["persoon"]["bsn"] is None  # the VH does not know the person
    assert data["aanmelding"] == {
        "reden": "Mogelijk complex: HG met minderjarige kinderen in huis",
        "criteria": ["kinderen betrokken", "problemen op 2 leefgebieden"],
    }
    for rendered in (c.render_text(), c.render_html(), json.dumps(data)):
        for secret in ("UNIEKFEIT", "UNIEK2", "PL0900", "16/999", "111222333", "Dagvaarden"):
            assert secret not in rendered
    assert "Testpersoon" in c.render_text()
    assert "kinderen betrokken" in c.render_html()


def test_content_that_breaks_the_rules_cannot_be_made() -> None:
    persoon = Persoon("Testpersoon", "Jan", "1991-03-14")
    common = {
        "ref": "ZSM-MN-20261122-ABCDEF",
        "vh_code": "VH-UTR",
        "persoon": persoon,
        "zsm_contact": CONTACT,
        "opgesteld_op": NOW,
    }
    with pytest.raises(ValueError, match="geen zaaksgegevens"):
        TerugkoppelingContent(soort="aanmelding", aanmelding_reden="x", feit="iets", **common)
    with pytest.raises(ValueError, match="geen BSN"):
        TerugkoppelingContent(
            soort="aanmelding",
            aanmelding_reden="x",
            **{**common, "persoon": Persoon("T", "J", "1991-03-14", bsn="111222333")},
        )
    decided = {
        "beslissing_code": "sepot",
        "beslissing_label": "Sepot",
        "besloten_op": NOW,
        "ingestroomd_op": INSTROOM.date(),
    }
    with pytest.raises(ValueError, match="alleen instroom en beslissing"):
        TerugkoppelingContent(
            soort="terugkoppeling", beperkt=True, bvh_nummer="PL1", **decided, **common
        )
    with pytest.raises(ValueError, match="motivering ontbreekt"):
        TerugkoppelingContent(
            soort="terugkoppeling",
            bvh_nummer="PL1",
            feit="f",
            advies_gevolgd="deels",
            onderzoek=Onderzoek("reclasseringsonderzoek", False),
            **decided,
            **common,
        )
    with pytest.raises(ValueError, match="referentie"):
        TerugkoppelingContent(
            soort="aanmelding", aanmelding_reden="x", **{**common, "ref": "ZSM-Jan-de-Vries"}
        )


def test_builders_follow_the_plan() -> None:
    item = make_item()
    d = make_decision(
        beslissing="sepot",
        sepotcode="01",
        advies_gevolgd="geen advies",
        motivering="",
        voorwaarden="",
    )
    purge = feedback_plan(d, item, False, ["VH-UTR"], False, None)
    with pytest.raises(ValueError):
        build_terugkoppeling(
            d,
            item,
            purge,
            vh_code="VH-UTR",
            ref=make_ref("MN", NOW.date()),
            zsm_contact=CONTACT,
            is_minor=False,
            opgesteld_op=NOW,
        )
    plan = FeedbackPlan(
        feedback_plan(make_decision(), item, False, ["VH-UTR"], False, None).outcome,
        "x",
        ("VH-UTR",),
    )
    with pytest.raises(ValueError, match="geen ontvanger"):
        build_terugkoppeling(
            make_decision(),
            item,
            plan,
            vh_code="VH-ALM",
            ref=make_ref("MN", NOW.date()),
            zsm_contact=CONTACT,
            is_minor=False,
            opgesteld_op=NOW,
        )


# --- references --------------------------------------------------------------------------


def test_make_ref_format_and_uniqueness() -> None:
    refs = {make_ref("ZSM Midden-Nederland", dt.date(2026, 11, 22)) for _ in range(200)}
    assert len(refs) == 200
    for ref in refs:
        assert REF_RE.match(ref)
        assert re.fullmatch(r"ZSM-MN-20261122-[0-9A-F]{6}", ref)
    assert make_ref("MN", dt.date(2026, 11, 22), token="7f3a9c") == "ZSM-MN-20261122-7F3A9C"
    with pytest.raises(ValueError):
        make_ref("MN", dt.date(2026, 11, 22), token="7f3a9c", taken={"ZSM-MN-20261122-7F3A9C"})
    taken = {make_ref("MN", dt.date(2026, 11, 22), token="000000")}
    assert make_ref("MN", dt.date(2026, 11, 22), taken=taken) not in taken


@pytest.mark.parametrize(
    ("naam", "code"),
    [
        ("ZSM Midden-Nederland", "MN"),
        ("ZSM Rotterdam-Rijnmond", "RR"),
        ("ZSM Zeeland-West-Brabant", "ZWB"),
        ("ZSM Oost-Nederland", "ON"),
        ("ZSM Amsterdam", "AMS"),
        ("ZSM Fryslân", "FRY"),
        ("", "X"),
    ],
)
def test_locatie_code(naam: str, code: str) -> None:
    assert locatie_code(naam) == code


# --- digest ------------------------------------------------------------------------------


def test_digest_has_one_section_per_message() -> None:
    a = content_for(make_item(), make_decision())
    b = content_for(make_item(voornamen="Piet"), make_decision(beslissing="strafbeschikking"))
    day = dt.date(2026, 11, 22)
    text = render_digest_text([a, b], day)
    assert text.startswith("ZSM-terugkoppeling dagoverzicht VH-UTR 2026-11-22")
    assert "[1/2]" in text and "[2/2]" in text
    assert a.ref in text and b.ref in text
    page = render_digest_html([a, b], day)
    assert page.count("<section>") == 2
    data = digest_json([a, b])
    assert [x["ref"] for x in data] == [a.ref, b.ref]
    other = content_for(make_item(), make_decision())
    other = TerugkoppelingContent(**{**_fields(other), "vh_code": "VH-ALM"})
    with pytest.raises(ValueError, match="één veiligheidshuis"):
        digest_json([a, other])
    with pytest.raises(ValueError):
        render_digest_text([], day)


def _fields(c: TerugkoppelingContent) -> dict[str, object]:
    return {f: getattr(c, f) for f in TerugkoppelingContent.__dataclass_fields__}
