"""Tests for zsm_desk.domain.screening (checklists as data, evaluation, serialisation)."""

from __future__ import annotations

import copy
import json
import tomllib
from typing import Any

import pytest
import tomli_w

from zsm_desk.domain.screening import (
    Checklist,
    Criterion,
    Groep,
    checklists_from_list,
    checklists_to_list,
    default_checklists,
    evaluate,
    from_dict,
    parse_regel,
    to_dict,
)


def by_code() -> dict[str, Checklist]:
    return {c.code: c for c in default_checklists()}


LEEF = ["leefgebied_wonen", "leefgebied_gezondheid", "leefgebied_werk"]


def simple(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "test",
        "naam": "Test",
        "bron": "unit test",
        "regel": "alle",
        "groepen": [{"code": "g", "naam": "Groep", "regel": "minstens 1"}],
        "criteria": [
            {"code": "a", "tekst": "A", "groep": "g"},
            {"code": "b", "tekst": "B", "groep": "g"},
        ],
    }
    data.update(overrides)
    return data


class TestDefaults:
    def test_codes(self) -> None:
        assert [c.code for c in default_checklists()] == [
            "zwb-hg",
            "rr-jeugd",
            "rr-hg",
            "rr-hit",
            "rr-sd",
        ]

    def test_every_default_has_a_source(self) -> None:
        for cl in default_checklists():
            assert cl.bron
            assert cl.criteria

    def test_nothing_ticked_never_proposes(self) -> None:
        for cl in default_checklists():
            outcome = evaluate(cl, set())
            assert not outcome.voorstel_aanmelding
            assert outcome.uitleg.startswith("Geen voorstel")


class TestZwbHg:
    cl = by_code()["zwb-hg"]

    @pytest.mark.parametrize("code", ["recidive", "bekend", "aard_ernstig"])
    def test_any_zwaar_criterion_proposes(self, code: str) -> None:
        outcome = evaluate(self.cl, {code})
        assert outcome.voorstel_aanmelding
        assert "veiligheidshuisloop" in outcome.uitleg
        assert "13:00" in outcome.uitleg

    def test_licht_is_informative(self) -> None:
        licht = {c.code for c in self.cl.criteria_van("licht")}
        outcome = evaluate(self.cl, licht)
        assert not outcome.voorstel_aanmelding
        assert "informatief, 5 van 5 aangevinkt" in outcome.uitleg
        # The alternative route (licht) is explained when there is no proposal.
        assert "ter kennisname" in outcome.uitleg

    def test_mixed_ticks_warn(self) -> None:
        outcome = evaluate(self.cl, {"recidive", "first_offender"})
        assert outcome.voorstel_aanmelding
        assert "Let op" in outcome.uitleg
        assert "ter kennisname" not in outcome.uitleg

    def test_group_outcomes(self) -> None:
        outcome = evaluate(self.cl, {"bekend"})
        zwaar, licht = outcome.groepen
        assert (zwaar.code, zwaar.aangevinkt, zwaar.nodig, zwaar.voldaan) == (
            "zwaar",
            ("bekend",),
            1,
            True,
        )
        assert licht.informatief and not licht.voldaan


class TestRrJeugd:
    cl = by_code()["rr-jeugd"]

    def test_minor_plus_one(self) -> None:
        assert evaluate(self.cl, {"minderjarig", "hka"}).voorstel_aanmelding

    def test_minor_alone_is_not_enough(self) -> None:
        outcome = evaluate(self.cl, {"minderjarig"})
        assert not outcome.voorstel_aanmelding
        assert "Jeugdcriteria: niet voldaan, 0 van 6 aangevinkt, 1 nodig" in outcome.uitleg

    def test_criterion_without_minor_is_not_enough(self) -> None:
        assert not evaluate(self.cl, {"hka", "dubbele_maatregel"}).voorstel_aanmelding


class TestRrHg:
    cl = by_code()["rr-hg"]

    def test_full(self) -> None:
        ticked = {"samenloop", *LEEF[:2], "kinderen"}
        assert evaluate(self.cl, ticked).voorstel_aanmelding

    def test_one_leefgebied_is_not_enough(self) -> None:
        outcome = evaluate(self.cl, {"samenloop", LEEF[0], "kinderen", "code_rood"})
        assert not outcome.voorstel_aanmelding
        assert "Problemen op leefgebieden: niet voldaan, 1 van 5 aangevinkt, 2 nodig" in (
            outcome.uitleg
        )

    def test_needs_hg_criterion(self) -> None:
        assert not evaluate(self.cl, {"samenloop", *LEEF}).voorstel_aanmelding

    def test_needs_samenloop(self) -> None:
        assert not evaluate(self.cl, {*LEEF, "stalking"}).voorstel_aanmelding


class TestRrHit:
    cl = by_code()["rr-hit"]

    @pytest.mark.parametrize("code", ["hit_volwassen", "hit_minderjarig"])
    def test_direct_to_vh(self, code: str) -> None:
        outcome = evaluate(self.cl, {code})
        assert outcome.voorstel_aanmelding
        assert "direct doorzetten" in outcome.uitleg


class TestRrSd:
    cl = by_code()["rr-sd"]

    @pytest.mark.parametrize(
        "ticked",
        [
            {"label_veelpleger"},
            {"hit_lijst"},
            {"jovo"},
            {*LEEF, "geen_pva"},
            {"oggz_psychiatrie"},
            {"oggz_lvb", LEEF[0]},
        ],
    )
    def test_proposes(self, ticked: set[str]) -> None:
        assert evaluate(self.cl, ticked).voorstel_aanmelding

    @pytest.mark.parametrize(
        "ticked",
        [
            set(LEEF),  # already has a PvA
            {*LEEF[:2], "geen_pva"},  # only 2 leefgebieden
            {"geen_pva"},
        ],
    )
    def test_does_not_propose(self, ticked: set[str]) -> None:
        assert not evaluate(self.cl, ticked).voorstel_aanmelding

    def test_explanation_shows_rule(self) -> None:
        outcome = evaluate(self.cl, set())
        assert "'Harde criteria' of (" in outcome.uitleg
        assert "nooit waterdicht" in outcome.uitleg


class TestEvaluate:
    def test_unknown_tick_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="kent deze criteria niet: onbekend"):
            evaluate(by_code()["rr-hit"], {"hit_volwassen", "onbekend"})

    def test_accepts_any_iterable(self) -> None:
        assert evaluate(by_code()["rr-hit"], ["hit_volwassen"]).voorstel_aanmelding

    def test_minstens_n_groups(self) -> None:
        data = simple(
            regel="minstens 2",
            groepen=[
                {"code": "x", "naam": "X"},
                {"code": "y", "naam": "Y"},
                {"code": "z", "naam": "Z"},
            ],
            criteria=[
                {"code": "a", "tekst": "A", "groep": "x"},
                {"code": "b", "tekst": "B", "groep": "y"},
                {"code": "c", "tekst": "C", "groep": "z"},
            ],
        )
        cl = from_dict(data)
        assert not evaluate(cl, {"a"}).voorstel_aanmelding
        assert evaluate(cl, {"a", "c"}).voorstel_aanmelding
        assert "minstens 2 groepen moeten voldaan zijn" in evaluate(cl, set()).uitleg

    def test_group_alle(self) -> None:
        data = simple()
        data["groepen"][0]["regel"] = "alle"
        cl = from_dict(data)
        assert not evaluate(cl, {"a"}).voorstel_aanmelding
        assert evaluate(cl, {"a", "b"}).voorstel_aanmelding


class TestParseRegel:
    def test_precedence(self) -> None:
        assert parse_regel("a of b en c") == (
            "of",
            (("groep", "a"), ("en", (("groep", "b"), ("groep", "c")))),
        )

    def test_parentheses(self) -> None:
        assert parse_regel("(a of b) en c")[0] == "en"

    @pytest.mark.parametrize("regel", ["", "a of", "(a en b", "a b", "en", "a of )", "a-b"])
    def test_malformed(self, regel: str) -> None:
        with pytest.raises(ValueError, match="Regel"):
            parse_regel(regel)


class TestSerialisation:
    def test_roundtrip_dict(self) -> None:
        for cl in default_checklists():
            assert from_dict(to_dict(cl)) == cl

    def test_roundtrip_json(self) -> None:
        data = json.loads(json.dumps(checklists_to_list(default_checklists())))
        assert checklists_from_list(data) == default_checklists()

    def test_roundtrip_toml(self) -> None:
        text = tomli_w.dumps({"screening": checklists_to_list(default_checklists())})
        assert checklists_from_list(tomllib.loads(text)["screening"]) == default_checklists()

    def test_optional_keys_default(self) -> None:
        data = simple()
        data["groepen"][0].pop("regel")
        cl = from_dict(data)
        assert cl.groep("g").regel == "minstens 1"
        assert cl.voorstel == "aanmelding bij het veiligheidshuis"

    def test_edited_criteria_take_effect(self) -> None:
        # The beheerder adds a ZWAAR criterion: it proposes straight away.
        data = to_dict(by_code()["zwb-hg"])
        data["criteria"].append({"code": "wapen", "tekst": "Wapen gebruikt", "groep": "zwaar"})
        assert evaluate(from_dict(data), {"wapen"}).voorstel_aanmelding

    def test_duplicate_checklist_codes(self) -> None:
        data = checklists_to_list(default_checklists())
        data.append(copy.deepcopy(data[0]))
        with pytest.raises(ValueError, match="Checklistcode 'zwb-hg' komt dubbel voor"):
            checklists_from_list(data)

    def test_list_required(self) -> None:
        with pytest.raises(ValueError, match="verwacht een lijst"):
            checklists_from_list({"code": "x"})


class TestValidation:
    @pytest.mark.parametrize(
        ("mutate", "fragment"),
        [
            (lambda d: d.update(extra="x"), "onbekende sleutel(s): extra"),
            (lambda d: d.pop("bron"), "ontbrekende sleutel(s): bron"),
            (
                lambda d: d["groepen"][0].update(kleur="rood"),
                "groep 1: onbekende sleutel(s): kleur",
            ),
            (lambda d: d["criteria"][1].update(txt="B"), "criterium 2: onbekende sleutel(s): txt"),
            (lambda d: d["criteria"][1].pop("groep"), "criterium 2: ontbrekende sleutel(s): groep"),
            (lambda d: d["criteria"][1].update(code="a"), "criteriumcode 'a' komt dubbel voor"),
            (
                lambda d: d["groepen"].append({"code": "g", "naam": "Nog eens"}),
                "groepcode 'g' komt dubbel voor",
            ),
            (lambda d: d["criteria"][1].update(groep="h"), "onbekende groep 'h'"),
            (lambda d: d.update(naam=""), "'naam' moet een niet-lege tekst zijn"),
            (lambda d: d.update(naam=3), "'naam' moet tekst zijn"),
            (lambda d: d.update(code="Hoofd Letters"), "Checklistcode"),
            (lambda d: d["groepen"][0].update(code="en"), "groepcode 'en' is ongeldig"),
            (lambda d: d["groepen"][0].update(code="met-streep"), "groepcode"),
            (lambda d: d["groepen"][0].update(regel="veel"), "gebruik 'alle', 'minstens N'"),
            (lambda d: d["groepen"][0].update(regel="minstens 3"), "minstens 3 van 2"),
            (lambda d: d["groepen"][0].update(regel="minstens 0"), "minstens 0 van 2"),
            (
                lambda d: d["groepen"][0].update(regel="informatief"),
                "alle groepen zijn informatief",
            ),
            (lambda d: d.update(regel="minstens 2"), "vraagt 2 groepen, er zijn er 1"),
            (lambda d: d.update(regel="g of h"), "onbekende groep(en): h"),
            (lambda d: d.update(regel="g of"), "onverwacht einde"),
            (lambda d: d.update(groepen=[]), "er zijn geen groepen"),
            (lambda d: d.update(criteria="a"), "verwacht een lijst"),
            (lambda d: d["criteria"].__setitem__(0, "a"), "verwacht een tabel"),
        ],
    )
    def test_errors(self, mutate: Any, fragment: str) -> None:
        data = simple()
        mutate(data)
        with pytest.raises(ValueError) as info:
            from_dict(data)
        assert fragment in str(info.value)

    def test_group_without_criteria(self) -> None:
        data = simple(groepen=[{"code": "g", "naam": "G"}, {"code": "leeg", "naam": "Leeg"}])
        with pytest.raises(ValueError, match="groep 'leeg' heeft geen criteria"):
            from_dict(data)

    def test_expression_must_use_every_decisive_group(self) -> None:
        data = to_dict(by_code()["rr-sd"])
        data["regel"] = "hard of oggz"
        with pytest.raises(ValueError, match="leefgebieden ontbreken in de regel"):
            from_dict(data)

    def test_expression_may_not_use_informative_group(self) -> None:
        data = to_dict(by_code()["zwb-hg"])
        data["regel"] = "zwaar of licht"
        with pytest.raises(ValueError, match="informatieve groep"):
            from_dict(data)

    def test_direct_construction_is_validated(self) -> None:
        with pytest.raises(ValueError, match="onbekende groep"):
            Checklist(
                code="x",
                naam="X",
                bron="test",
                regel="alle",
                groepen=(Groep("g", "G"),),
                criteria=(Criterion("a", "A", "g"), Criterion("b", "B", "nope")),
            )
