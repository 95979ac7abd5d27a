"""Domain rules for decisions and the feedback plan (synthetic data only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from zsm_desk.domain.decisions import (
    DEFAULT_BESLISSINGEN,
    DEFAULT_CODELIST,
    BeslissingSoort,
    CodeList,
    CodeListError,
    Decision,
    FeedbackOutcome,
    feedback_plan,
    is_minor,
    validate_decision,
)
from zsm_desk.domain.records import Identity, InstroomItem, InstroomStatus

TZ = ZoneInfo("Europe/Amsterdam")
INSTROOM = dt.datetime(2026, 11, 22, 7, 43, tzinfo=TZ)


def make_item(
    geboortedatum: str = "1991-03-14", status: InstroomStatus = InstroomStatus.IN_BEHANDELING
) -> InstroomItem:
    return InstroomItem(
        bvh_nummer="PL0900-2026000123",
        ingestroomd_op=INSTROOM,
        identity=Identity(
            achternaam="Testpersoon",
            voornamen="Jan",
            geboortedatum=geboortedatum,
            voorvoegsel="de",
            gemeente="Utrecht",
        ),
        feit="Mishandeling (art. 300 Sr)",
        status=status,
        parketnummer="16/123456-26",
    )


ADULT = make_item()
MINOR = make_item("2011-05-01")


def decision(**kw: object) -> Decision:
    base: dict[str, object] = {
        "beslissing": "dagvaarden",
        "besloten_op": INSTROOM + dt.timedelta(hours=3),
        "besloten_door": "mr. A. Officier",
        "advies_gevolgd": "ja",
    }
    base.update(kw)
    return Decision(**base)  # type: ignore[arg-type]


# --- code list ------------------------------------------------------------------------


def test_default_codelist_has_the_required_codes() -> None:
    codes = {d.code for d in DEFAULT_CODELIST}
    assert {
        "sepot",
        "voorwaardelijk-sepot",
        "strafbeschikking",
        "dagvaarden",
        "snelrecht",
        "voorgeleiden",
        "tom-zitting",
        "halt",
        "reprimande",
        "routering-parket",
        "overdracht",
        "overig",
    } <= codes
    assert {d.code for d in DEFAULT_CODELIST if d.intake} == {"sepot", "halt", "reprimande"}
    assert not DEFAULT_CODELIST["halt"].volwassenen
    assert DEFAULT_CODELIST["halt"].minderjarigen
    assert DEFAULT_CODELIST["routering-parket"].soort == BeslissingSoort.ROUTERING
    assert DEFAULT_CODELIST["strafbeschikking"].soort == BeslissingSoort.AFDOENING
    assert all(d.label for d in DEFAULT_CODELIST)
    adult_codes = {d.code for d in DEFAULT_CODELIST.for_group(is_minor=False)}
    assert "halt" not in adult_codes and "reprimande" not in adult_codes


def test_codelist_round_trips_through_dicts() -> None:
    again = CodeList.from_dicts(DEFAULT_CODELIST.to_dicts())
    assert again.to_dicts() == list(DEFAULT_BESLISSINGEN)


def test_custom_codelist_is_loaded() -> None:
    rows = [
        *DEFAULT_BESLISSINGEN,
        {"code": "loopzaak", "label": "Loopzaak", "soort": "routering"},
    ]
    cl = CodeList.from_dicts(rows, sepotcodes={"01": "ten onrechte", "02": "bewijs"})
    assert cl.label("loopzaak") == "Loopzaak"
    assert cl["loopzaak"].volwassenen and cl["loopzaak"].minderjarigen
    assert cl.sepotcode_label("02") == "bewijs"
    assert cl.sepotcode_label("45") == "sepotcode 45"


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([{"code": "dagvaarden", "label": "D", "soort": "afdoening"}], "mist 'sepot'"),
        ([*DEFAULT_BESLISSINGEN, {"code": "x", "label": "X", "soort": "vaag"}], "soort moet"),
        (
            [*DEFAULT_BESLISSINGEN, {"code": "x", "label": "X", "soort": "afdoening", "kleur": 1}],
            "onbekende velden kleur",
        ),
        ([*DEFAULT_BESLISSINGEN, DEFAULT_BESLISSINGEN[0]], "dubbel"),
        (
            [*DEFAULT_BESLISSINGEN, {"code": "Met Spatie", "label": "X", "soort": "afdoening"}],
            "ongeldig",
        ),
        (
            [*DEFAULT_BESLISSINGEN, {"code": "x", "label": " ", "soort": "afdoening"}],
            "label ontbreekt",
        ),
        ([*DEFAULT_BESLISSINGEN, {"code": "x", "soort": "afdoening"}], "ontbrekende velden"),
        (
            [
                {**d, "volwassenen": True} if d["code"] == "halt" else d
                for d in DEFAULT_BESLISSINGEN
            ],
            "alleen voor minderjarigen",
        ),
        (
            [
                {**d, "sepotcode": "nee"} if d["code"] == "sepot" else d
                for d in DEFAULT_BESLISSINGEN
            ],
            "sepotcode moet 'verplicht'",
        ),
        (
            [
                *DEFAULT_BESLISSINGEN,
                {"code": "x", "label": "X", "soort": "afdoening", "intake": "ja"},
            ],
            "waar of onwaar",
        ),
    ],
)
def test_invalid_codelist_is_rejected(rows: list[dict[str, object]], fragment: str) -> None:
    with pytest.raises(CodeListError) as err:
        CodeList.from_dicts(rows)
    assert any(fragment in e for e in err.value.errors), err.value.errors


# --- validation -------------------------------------------------------------------------


def test_valid_decision_has_no_errors() -> None:
    assert validate_decision(decision(), ADULT, is_minor=False, has_advice=True) == []


@pytest.mark.parametrize("gevolgd", ["nee", "deels"])
def test_motivering_required_when_advice_not_followed(gevolgd: str) -> None:
    errors = validate_decision(
        decision(advies_gevolgd=gevolgd), ADULT, is_minor=False, has_advice=True
    )
    assert any("Motivering is verplicht" in e for e in errors)
    short = validate_decision(
        decision(advies_gevolgd=gevolgd, motivering="nee"), ADULT, False, True
    )
    assert any("te kort" in e for e in short)
    ok = decision(advies_gevolgd=gevolgd, motivering="Advies past niet bij dit lichte feit.")
    assert validate_decision(ok, ADULT, False, True) == []


def test_sepot_needs_a_two_digit_sepotcode() -> None:
    sepot = decision(beslissing="sepot", advies_gevolgd="geen advies")
    assert any("sepotcode verplicht" in e for e in validate_decision(sepot, ADULT, False, False))
    for bad in ("2", "002", "ab", "00"):
        errs = validate_decision(dataclasses.replace(sepot, sepotcode=bad), ADULT, False, False)
        assert any("twee cijfers" in e for e in errs), bad
    assert validate_decision(dataclasses.replace(sepot, sepotcode="02"), ADULT, False, False) == []
    errs = validate_decision(decision(sepotcode="02"), ADULT, False, True)
    assert any("hoort niet bij" in e for e in errs)


def test_halt_and_reprimande_only_for_minors() -> None:
    for code in ("halt", "reprimande"):
        d = decision(beslissing=code, advies_gevolgd="geen advies")
        errs = validate_decision(d, ADULT, is_minor=False, has_advice=False)
        assert any("alleen mogelijk voor minderjarigen" in e for e in errs)
        assert validate_decision(d, MINOR, is_minor=True, has_advice=False) == []


def test_advies_gevolgd_must_match_whether_there_is_advice() -> None:
    errs = validate_decision(decision(advies_gevolgd="ja"), ADULT, False, has_advice=False)
    assert any("kies 'geen advies'" in e for e in errs)
    errs = validate_decision(decision(advies_gevolgd="geen advies"), ADULT, False, True)
    assert any("ja, nee of deels" in e for e in errs)
    errs = validate_decision(decision(advies_gevolgd="misschien"), ADULT, False, True)
    assert any("'ja', 'nee', 'deels' of 'geen advies'" in e for e in errs)


def test_youth_intake_in_selection_phase_ignores_vh_advice() -> None:
    item = make_item("2011-05-01", status=InstroomStatus.TE_ROUTEREN)
    halt = decision(beslissing="halt", advies_gevolgd="ja")
    errs = validate_decision(halt, item, is_minor=True, has_advice=True)
    assert any("selectiefase" in e for e in errs)
    ok = dataclasses.replace(halt, advies_gevolgd="geen advies")
    assert validate_decision(ok, item, is_minor=True, has_advice=True) == []


def test_voorwaarden_rules() -> None:
    vw = decision(beslissing="voorwaardelijk-sepot", sepotcode="02")
    assert any("voorwaarden verplicht" in e for e in validate_decision(vw, ADULT, False, True))
    vw = dataclasses.replace(vw, voorwaarden="Contactverbod met aangeefster")
    assert validate_decision(vw, ADULT, False, True) == []
    sepot = decision(beslissing="sepot", sepotcode="02", voorwaarden="iets", advies_gevolgd="ja")
    assert any("geen voorwaarden" in e for e in validate_decision(sepot, ADULT, False, True))


def test_who_and_when() -> None:
    errs = validate_decision(decision(besloten_door=" "), ADULT, False, True)
    assert any("wie de beslissing" in e for e in errs)
    naive = decision(besloten_op=dt.datetime(2026, 11, 22, 12, 0))
    assert any("tijdzone" in e for e in validate_decision(naive, ADULT, False, True))
    early = decision(besloten_op=INSTROOM - dt.timedelta(minutes=1))
    assert any(
        "vóór het moment van instroom" in e for e in validate_decision(early, ADULT, False, True)
    )
    same = decision(namens="mr. A. Officier")
    assert any("Namens" in e for e in validate_decision(same, ADULT, False, True))
    kpc = decision(namens="KPC B. Coördinator")
    assert validate_decision(kpc, ADULT, False, True) == []
    long = decision(toelichting="x" * 501)
    assert any("te lang" in e for e in validate_decision(long, ADULT, False, True))


def test_technical_sepot_needs_no_advice_judgement() -> None:
    d = decision(beslissing="sepot", sepotcode="01", advies_gevolgd="nee")
    assert validate_decision(d, ADULT, False, has_advice=True) == []


def test_unknown_code() -> None:
    errs = validate_decision(decision(beslissing="ophangen"), ADULT, False, True)
    assert errs and "Onbekende beslissing" in errs[0]


def test_is_minor_uses_youngest_possible_age() -> None:
    on = dt.date(2026, 11, 22)
    assert is_minor(Identity("A", "B", "2008-11-23"), on)
    assert not is_minor(Identity("A", "B", "2008-11-22"), on)
    assert is_minor(Identity("A", "B", "2008-00-00"), on)  # could still be 17
    assert not is_minor(Identity("A", "B", "1990-00-00"), on)


# --- feedback plan ------------------------------------------------------------------------


def test_sepot_01_is_purged_and_never_fed_back() -> None:
    d = decision(beslissing="sepot", sepotcode="01", advies_gevolgd="geen advies")
    for item, minor in ((ADULT, False), (MINOR, True)):
        plan = feedback_plan(
            d, item, minor, ["VH-UTR"], True, "VH-UTR", family_known_vh_codes=["VH-AMF"]
        )
        assert plan.outcome == FeedbackOutcome.PURGE
        assert plan.ontvangers == ()
        assert not plan.sends
        assert "01" in plan.reden


def test_minor_halt_fed_back_only_when_youth_or_family_known() -> None:
    halt = decision(beslissing="halt", advies_gevolgd="geen advies")
    none = feedback_plan(halt, MINOR, True, [], False, "VH-UTR")
    assert none.outcome == FeedbackOutcome.NIETS
    assert "alleen teruggekoppeld" in none.reden

    fam = feedback_plan(halt, MINOR, True, [], False, None, family_known_vh_codes=["VH-AMF"])
    assert fam.outcome == FeedbackOutcome.TERUGKOPPELING
    assert fam.ontvangers == ("VH-AMF",)
    assert fam.beperkt

    known = feedback_plan(
        decision(beslissing="reprimande", advies_gevolgd="geen advies"),
        MINOR,
        True,
        ["VH-UTR"],
        False,
        None,
    )
    assert known.outcome == FeedbackOutcome.TERUGKOPPELING
    assert known.ontvangers == ("VH-UTR",)


def test_other_decisions_on_known_minor_are_fed_back_in_full() -> None:
    plan = feedback_plan(decision(), MINOR, True, ["VH-UTR"], False, None)
    assert plan.outcome == FeedbackOutcome.TERUGKOPPELING
    assert not plan.beperkt


def test_adult_intake_sepot_is_beperkt() -> None:
    d = decision(beslissing="sepot", sepotcode="02", advies_gevolgd="geen advies")
    plan = feedback_plan(d, ADULT, False, ["VH-UTR"], False, None)
    assert plan.outcome == FeedbackOutcome.TERUGKOPPELING
    assert plan.beperkt
    assert "niet verder besproken" in plan.reden


def test_each_known_vh_once_family_ignored_for_adults() -> None:
    plan = feedback_plan(
        decision(),
        ADULT,
        False,
        ["VH-UTR", "VH-ALM", "VH-UTR"],
        False,
        None,
        family_known_vh_codes=["VH-GV"],
        advies_vh_codes=["VH-ALM", "VH-AMF"],
    )
    assert plan.ontvangers == ("VH-UTR", "VH-ALM", "VH-AMF")
    assert not plan.beperkt


def test_unknown_possibly_complex_becomes_aanmelding() -> None:
    plan = feedback_plan(decision(advies_gevolgd="geen advies"), ADULT, False, [], True, "VH-UTR")
    assert plan.outcome == FeedbackOutcome.AANMELDING
    assert plan.ontvangers == ("VH-UTR",)
    assert plan.beperkt

    no_vh = feedback_plan(decision(advies_gevolgd="geen advies"), ADULT, False, [], True, None)
    assert no_vh.outcome == FeedbackOutcome.NIETS
    assert "handmatig" in no_vh.waarschuwing

    nothing = feedback_plan(decision(advies_gevolgd="geen advies"), ADULT, False, [], False, "X")
    assert nothing.outcome == FeedbackOutcome.NIETS
    assert nothing.waarschuwing == ""


def test_plan_refuses_invalid_decisions() -> None:
    with pytest.raises(ValueError):
        feedback_plan(decision(beslissing="halt"), ADULT, False, ["VH-UTR"], False, None)
    with pytest.raises(ValueError):
        feedback_plan(decision(beslissing="onbekend"), ADULT, False, ["VH-UTR"], False, None)
