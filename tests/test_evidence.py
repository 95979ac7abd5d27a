"""Issue 12: calibrated evidence model, multi-key blocking, persisted match keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from zsm_desk.app_context import AppContext, open_app
from zsm_desk.domain import evidence as ev
from zsm_desk.domain.matching import Candidate, RegisterIndex, decide_batch
from zsm_desk.domain.records import Identity, MatchStatus
from zsm_desk.services.registers import known_clients, match_store
from zsm_desk.services.storage.models import Setting
from zsm_desk.services.storage.models_match import MatchKey

from .test_import_register import csv_text, import_feed, import_register, marking, write

BEKEND, MOGELIJK = MatchStatus.BEKEND, MatchStatus.MOGELIJK


def one(register: Identity, suspect: Identity) -> tuple[MatchStatus, str] | None:
    hits = RegisterIndex([Candidate("VH-UTR", "P1", register)]).match(suspect)
    assert len(hits) <= 1
    return (hits[0].status, hits[0].reden) if hits else None


def _feed(tmp_path: Path, *people: tuple[str, str, str]) -> Path:
    """A feed file of one item per (achternaam, voornamen, geboortedatum),
    numbered from 1, a minute apart."""
    items = [
        {"bvh_nummer": f"PL0900-2026{n:06d}", "ingestroomd_op": f"2026-11-22T07:{n - 1:02d}:00+01:00",
         "achternaam": last, "voornamen": first, "geboortedatum": born,
         "feit": "Diefstal", "status": "aangemeld"}
        for n, (last, first, born) in enumerate(people, 1)
    ]  # fmt: skip
    return write(tmp_path, "f.json", {"items": items})


# --- the misses reported in the issue ---------------------------------------------


@pytest.mark.parametrize(
    ("reg_sur", "reg_giv", "sus_sur", "sus_giv", "expected"),
    [
        ("Kathagen", "Pieter", "Kthagen", "Pieter", BEKEND),
        ("Erhout", "Pieter", "Erhoht", "Pieter", BEKEND),
        ("Huel", "Sanne", "Huml", "Sanne", BEKEND),
        ("Bouzidi", "Saïd", "Bouzdi", "Said", BEKEND),
        ("Pace", "Roberto", "Apce", "Roberto", BEKEND),  # first letter not equal
        ("Jolly", "Mark", "Jollu", "Mark", BEKEND),  # JW 0.883 before
        # a slip inside a letter group the spelling skeleton rewrites: as
        # skeletons three letters apart (bunsfhoten / bun§oten), as written one
        ("Bunschoten", "Damian", "Bunsfhoten", "Damian", BEKEND),
        ("Bosch", "Max", "Boxch", "Max", BEKEND),
        ("Velden", "Nathan", "Vel den", "Nathan", BEKEND),  # "den" no voorvoegsel here
        ("Veen", "Dani", "Veeri", "Dani", BEKEND),  # OCR n → ri, as written
        # a given-name typo with the same surname and date is what twins look
        # like: found, but a person confirms
        ("Visser", "Arthur", "Visser", "Arjhur", MOGELIJK),
        ("Bakker", "Joël", "Bakker", "Jol", MOGELIJK),
        ("Bakker", "Emma", "Bakker", "Emm", MOGELIJK),  # short names
    ],
)
def test_one_typo_with_exact_date_is_found(
    reg_sur: str, reg_giv: str, sus_sur: str, sus_giv: str, expected: MatchStatus
) -> None:
    got = one(Identity(reg_sur, reg_giv, "1990-03-14"), Identity(sus_sur, sus_giv, "1990-03-14"))
    assert got is not None and got[0] is expected, got


def test_name_typo_and_date_typo_together_meet_and_need_review() -> None:
    got = one(
        Identity("Kathagen", "Pieter", "1990-03-14"), Identity("Kthagen", "Pieter", "1990-03-24")
    )
    assert got == (MOGELIJK, "naam~,an:fonetisch+geboortedatum~cijfer")


def test_exchanged_name_fields_are_compared() -> None:
    reg = Identity("Vries", "Pieter", "1990-03-14", "de")
    got = one(reg, Identity("Pieter", "de Vries", "1990-03-14"))
    assert got == (BEKEND, "naam~,verwisseld+geboortedatum")
    # with a date typo as well: found, for review
    got2 = one(reg, Identity("Pieter", "de Vries", "1990-03-15"))
    assert got2 is not None and got2[0] is MOGELIJK


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        # a letter off in one name and two in the other (typo seed 101)
        (Identity("Sprugt", "Hendrik", "1967-06-06"), Identity("Hendfik", "Sprkyt", "1967-06-06")),
        # the double surname with its voorvoegsel behind a comma, in the
        # given-name field
        (Identity("West-Francië, van", "Merijn Johannes", "1982-02-02"),
         Identity("Merijn", "West-Francië, van", "1982-02-02")),
    ],
)  # fmt: skip
def test_exchanged_fields_with_typos_or_a_voorvoegsel_are_compared(
    register: Identity, suspect: Identity
) -> None:
    comp = ev.compare(ev.keys_of(suspect), ev.keys_of(register))
    assert comp.exchanged and "anders" not in comp.levels.values()
    got = one(register, suspect)
    assert got is not None and "verwisseld" in got[1]


def test_blank_inside_a_given_name_is_not_two_names() -> None:
    got = one(
        Identity("Melet", "Maja Robin", "2009-11-05"),
        Identity("Melet", "M aja Robin", "2009-11-05"),
    )
    assert got == (BEKEND, "naam+geboortedatum")
    # the blank falls later in the name, and the police copy has only the roepnaam
    split = ev.compare(
        ev.keys_of(Identity("Hazenveld", "Qui nn", "2000-07-18")),
        ev.keys_of(Identity("Hazenveld", "Quinn Adam Samuel", "2000-07-18")),
    )
    assert split.levels["voornaam"] == "roepnaam"
    # a doubled letter the blank kept apart, which the skeleton merges in the
    # whole name (Febrl, set 4: "ab bey" against "abbey", "an na")
    doubled = one(
        Identity("Milburn", "Abbey", "1963-11-14", gemeente="Rosebud"),
        Identity("Milburn", "Ab bey", "1963-11-14", gemeente="Rosebud"),
    )
    assert doubled == (BEKEND, "naam+geboortedatum")
    anna = ev.compare(
        ev.keys_of(Identity("Hazenveld", "An na", "2000-07-18")),
        ev.keys_of(Identity("Hazenveld", "Anna Maria", "2000-07-18")),
    )
    assert anna.levels["voornaam"] == "roepnaam"


def test_double_surname_in_the_given_name_field_is_compared_whole() -> None:
    got = one(
        Identity("Wipstrik-Erhout", "Samuel Ian", "1970-08-08"),
        Identity("Samuel", "Wipstrik-Erhout", "1970-08-08"),
    )
    assert got is not None and "verwisseld" in got[1]


# --- hard vetoes ------------------------------------------------------------------


def test_twin_of_other_gender_name_is_never_bekend() -> None:
    reg = Identity("Brand", "Victor", "1997-07-17", "van den", geboorteplaats="Born")
    sus = Identity("Brand", "Victoria Johanna", "1997-07-17", "van den", geboorteplaats="Born")
    assert one(reg, sus) is None


def test_twin_namesake_and_bsn_conflict_vetoes() -> None:
    base = ev.keys_of(Identity("Vries", "Pieter", "1990-03-14", "de"))
    twin = ev.keys_of(Identity("Vries", "Kees", "1990-03-14", "de"))
    namesake = ev.keys_of(Identity("Vries", "Pieter", "1972-11-30", "de"))
    assert ev.veto(ev.compare(base, twin)) == "tweeling"
    assert ev.veto(ev.compare(base, namesake)) == "naamgenoot"
    assert ev.judge(ev.default_model(), base, twin) is None
    assert ev.judge(ev.default_model(), base, namesake) is None


def test_missing_optional_field_is_neutral() -> None:
    m = ev.default_model()
    a = ev.keys_of(Identity("Kathagen", "Pieter", "1990-03-14", geboorteplaats="Utrecht"))
    b = ev.keys_of(Identity("Kathagen", "Pieter", "1990-03-14"))
    v = ev.judge(m, a, b)
    assert v is not None and v.levels["geboorteplaats"] == "leeg"
    assert "geboorteplaats: niet aan beide kanten bekend (0)" in v.details


# --- blocking ---------------------------------------------------------------------


def _meets(register: Identity, suspect: Identity) -> bool:
    """Does a probe value of the suspect meet a block key of the register person?"""
    reg = ev.block_keys(ev.keys_of(register))
    probes = ev.probe_keys(ev.keys_of(suspect, suspect=True))
    return any(reg[k] in v for k, v in probes.items() if reg[k])


@pytest.mark.parametrize(
    "suspect",
    [
        Identity("Kthagen", "Pieter", "1990-03-24"),  # surname typo + day typo
        Identity("Kathagen", "Pietr", "1990-08-14"),  # given typo + month typo
        Identity("Kathagen", "Pieter", "1909-03-14"),  # year typo
        Identity("Pieter", "Kathagen", "1990-03-14"),  # exchanged
        Identity("Kthagen", "Pieter", "1909-03-14"),  # surname typo + year typo
        Identity("Atkhagen", "Pieter", "1990-03-14"),  # first letter of the surname wrong
        Identity("Kathagen", "Qieter", "1980-03-14"),  # first-name typo + year typo
        Identity("Kahtagen", "Pieter", "1991-03-14"),  # surname transposition + year typo
    ],
)
def test_blocks_meet_with_typos_in_two_fields(suspect: Identity) -> None:
    assert _meets(Identity("Kathagen", "Pieter", "1990-03-14"), suspect)


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        # exchanged with day and month swapped: only the date blocks can meet,
        # and the surname's letter is its skeleton's (Cas → kas), the given
        # name's as written (typo seed 102)
        (Identity("Schuylenborch", "Cas Mohammed", "1992-04-08"),
         Identity("Cas", "Schuylenborch", "1992-08-04")),
        (Identity("Jansen", "Chris", "1980-05-03"), Identity("Chris", "Jansen", "1980-03-05")),
    ],
)  # fmt: skip
def test_blocks_meet_exchanged_fields_on_a_swapped_date(
    register: Identity, suspect: Identity
) -> None:
    assert _meets(register, suspect)
    assert one(register, suspect) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1996-09-03", "1966-03-09"),  # swapped, a year digit off (typo seed 107)
        ("2004-01-06", "2040-06-01"),  # swapped, year digits transposed
        ("1931-11-12", "1991-12-11"),
    ],
)
def test_day_month_swap_with_a_digit_off_is_found_for_review(a: str, b: str) -> None:
    assert ev.compare_date(ev.date_key(a), ev.date_key(b)) == "dag-maand-cijfer"
    register = Identity("Korstman", "Lars", b)
    suspect = Identity("KORSTMAN", "Lars", a)
    reg = ev.block_keys(ev.keys_of(register))
    probes = ev.probe_keys(ev.keys_of(suspect))
    assert reg["k_smd"] in probes["k_smd"]  # the swapped month+day is probed
    hits = RegisterIndex([Candidate("VH-UTR", "P1", register), *_named_register([])]).match(suspect)
    assert [(h.persoon_id, h.status) for h in hits] == [("P1", MOGELIJK)]
    assert hits[0].reden == "naam+geboortedatum~dag-maand-cijfer"
    assert any("dag en maand verwisseld en 1 cijfer verschil" in d for d in hits[0].details)


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("1998-05-30", "1998-05-29", "dagen"),  # a day earlier: midnight read in UTC
        ("1993-09-19", "1993-09-21", "dagen"),
        ("1998-05-31", "1998-06-01", "dagen"),  # over a month's end
        ("2007-12-31", "2008-01-01", "dagen"),  # over a year's end
        ("1979-12-12", "1979-12-09", "dagen"),  # three days
        ("2007-12-29", "2008-01-01", "dagen"),
        ("1999-02-26", "1999-03-01", "dagen"),  # 28 February between
        ("2005-05-19", "2005-05-18", "cijfer"),  # one digit: as before
        ("1979-12-12", "1979-12-08", "anders"),  # four days: a namesake
        ("1998-05-30", "1998-06-03", "anders"),
        ("2000-02-26", "2000-03-01", "anders"),  # 29 February between: four days
        ("1998-05-00", "1998-05-29", "onvolledig"),
    ],
)
def test_a_birth_date_a_few_days_off_is_found_for_review(a: str, b: str, level: str) -> None:
    """Gecko's noise model moves a date by days (19 against 20: two digits),
    and a date stored as midnight and read back in another time zone is a
    day off; the namesake veto dropped such a pair. Now it is shown, never
    `bekend`, up to three days apart; four days apart is another person."""
    assert ev.compare_date(ev.date_key(a), ev.date_key(b)) == level
    assert ev.compare_date(ev.date_key(b), ev.date_key(a)) == level
    if level != "dagen":
        return
    register = Identity("Simon", "Margret Hannelore", a, gemeente="Bopfingen")
    suspect = Identity("Simon", "Margret Hannelore", b, gemeente="Bopfingen")
    assert _meets(register, suspect)
    hits = RegisterIndex([Candidate("VH-UTR", "P1", register), *_named_register([])]).match(suspect)
    assert [(h.persoon_id, h.status) for h in hits] == [("P1", MOGELIJK)]
    assert hits[0].reden == "naam+geboortedatum~dagen"
    assert any("tot drie dagen verschil; een naamgenoot" in d for d in hits[0].details)


@pytest.mark.parametrize(
    ("registered", "written", "expected"),
    [
        ("Bernd Helmut Erich", "Bernd Helumt Erich", BEKEND),  # a slip: no name
        ("Thomas Jürgen", "Thomas Uürgen", BEKEND),
        ("Werner Jörg Bernd", "Werner Jörg Berdn", BEKEND),
        ("Jan Peter", "Jan Pieter", MOGELIJK),  # two names: brothers are called so
        ("Pieter Jan", "Pieter Willem", MOGELIJK),
        ("Bernd Helmut", "Bernd Helumt Erich", MOGELIJK),  # not as many names
    ],
)
def test_a_slip_in_a_further_given_name_is_no_other_given_name(
    registered: str, written: str, expected: MatchStatus
) -> None:
    """With the first given name equal, further given names that differ by a
    slip (one side no name people carry) compare as that slip; before, the
    pair was "another given name than the first" and held back."""
    got = one(
        Identity("Velten", registered, "1962-08-24", geboorteplaats="Rees"),
        Identity("Velten", written, "1962-08-24", geboorteplaats="Rees"),
    )
    assert got is not None and got[0] == expected, got


@pytest.mark.parametrize(
    ("registered", "written", "expected"),
    [
        ("Stefan Wolfgang", "Stefan Wolfgang", BEKEND),
        ("Birgit Claudia Angela", "Birgit Claudia Angela", BEKEND),  # "aa" merges when glued
        ("Stefan", "Stefan", BEKEND),  # as before
        ("Stefan Wolfgang Maria", "Stefan Wolfgang", MOGELIJK),  # not every given name
    ],
)
def test_every_given_name_in_the_surname_field_is_an_exchange_of_them_all(
    registered: str, written: str, expected: MatchStatus
) -> None:
    """Gecko exchanges the two fields whole: "Stefan Wolfgang | Schönemann"
    against Stefan Wolfgang Schönemann was held back as "equal only after
    spelling normalisation" (and "Birgit Claudia Angela" as two names)."""
    got = one(
        Identity("Schönemann", registered, "1971-12-26"),
        Identity(written, "Schönemann", "1971-12-26"),
    )
    assert got is not None and got[0] == expected, got


@pytest.mark.parametrize(("part", "expected"), [("El Amrani", MOGELIJK), ("Verhoeckx", BEKEND)])
def test_a_shared_part_of_a_double_surname_weighs_by_how_many_carry_it(
    part: str, expected: MatchStatus
) -> None:
    """ "Nour El Amrani" against a namesake "Nur Mokhtari-El Amrani" born the
    same day (nl generator with the police's 1 January, fresh seed 120) was
    `bekend`: the level "one part in common" weighed the same whatever the
    part. Now no rarer than the persons called by that part alone (60 El
    Amrani among 2,600 here); a part nobody else carries weighs as before."""
    rng = random.Random(7)
    many = [("El Amrani", rng.choice(["Said", "Karim", "Fatima", "Mariam", "Anouar"]),
             f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            for _ in range(60)]  # fmt: skip
    register = _named_register([*many, (f"Mokhtari-{part}", "Nur", "2009-03-21")])
    hits = RegisterIndex(register).match(Identity(part, "Nour", "2009-03-21"))
    assert [(h.persoon_id, h.status) for h in hits] == [("X60", expected)]
    assert "an:deel" in hits[0].reden


def test_swap_with_a_digit_off_in_the_day_or_month_meets() -> None:
    """Same year, day and month swapped and one of them a digit off (typo seed
    104 at 200,000 persons): the swapped date's day or month still meets."""
    for reg_date in ("1994-01-04", "1994-02-05"):
        register = Identity("Pol", "Cornelis", reg_date, "van der")
        suspect = Identity("Pol", "Cornelis", "1994-04-02", "van der")
        assert _meets(register, suspect), reg_date
        got = one(register, suspect)
        assert got == (MOGELIJK, "naam+geboortedatum~dag-maand-cijfer"), reg_date


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        (Identity("Michiels", "Dean", "1964-10-25"), Identity("Dexn", "Michiels", "1964-10-25")),
        (Identity("Timmcrman", "Ayobu", "2002-08-21"),
         Identity("Ayoub", "Timmerman", "2002-08-21")),
    ],
)  # fmt: skip
def test_exchanged_first_name_is_also_compared_as_written(
    register: Identity, suspect: Identity
) -> None:
    # the skeletons drifted apart (deksn / dean); as written one letter
    got = one(register, suspect)
    assert got is not None and got[0] is MOGELIJK and "verwisseld" in got[1]


@pytest.mark.parametrize(("register", "written"), [("Bunschoten", "Bunsfhoten"), ("Veen", "Veeri")])
def test_exchanged_surname_is_also_compared_as_written(register: str, written: str) -> None:
    # the surname in the given-name field, its skeleton drifted two letters
    # or more off, one letter as written: found for review
    got = one(Identity(register, "Damian", "1990-03-14"), Identity("Damian", written, "1990-03-14"))
    assert got == (MOGELIJK, "naam~,an:1-letter,verwisseld+geboortedatum")


@pytest.mark.parametrize(
    ("register", "written", "expected"),
    [
        # each word's skeleton ends otherwise than the glued surname's (und → unt)
        ("Riley", "Riley", (BEKEND, "naam~,verwisseld+geboortedatum")),
        ("Riley", "Rilye", (MOGELIJK, "naam~,vn:fonetisch,verwisseld+geboortedatum")),
        ("R.", "Riley", (MOGELIJK, "naam~,vn:voorletters,verwisseld+geboortedatum")),
    ],
)
def test_a_surname_of_several_words_in_the_given_name_field_is_compared_as_written(
    register: str, written: str, expected: tuple[MatchStatus, str]
) -> None:
    # family generator, names exchanged: all six misses of "Coreth von und zu
    # Coredo und Starkenberg" in the given-name field, both names "anders"
    sur = "Coreth von und zu Coredo und Starkenberg"
    got = one(Identity(sur, register, "1997-02-04"), Identity(written, sur, "1997-02-04"))
    assert got == expected


@pytest.mark.parametrize(
    ("initial", "name"), [("J.", "Yusuf"), ("C.", "Kees"), ("K. M.", "Cornelis")]
)
def test_an_initial_written_with_another_first_letter_is_found_for_review(
    initial: str, name: str
) -> None:
    # one sound, two first letters (Jusuf / Yusuf, Cornelis / Kornelis); the
    # twin veto dropped these before (nl generator, 200,000 persons, seed 108)
    got = one(
        Identity("Kılıçkaya", initial, "2014-06-21"), Identity("Kılıçkaya", name, "2014-06-21")
    )
    assert got == (MOGELIJK, "naam~,vn:voorletters+geboortedatum")


def test_two_digits_off_stays_a_namesake() -> None:
    assert ev.compare_date("19641003", "19461003") == "cijfer"  # one transposition
    assert ev.compare_date("19881218", "19801217") == "anders"
    assert ev.compare_date("19961003", "19660309") == "anders"  # swapped, two digits off


# --- weights from the register itself ------------------------------------------------


def _register(n: int, common: int) -> list[ev.Keys]:
    rng = random.Random(3)
    syl = ["ka", "to", "me", "ri", "sa", "lo", "ve", "du", "ni", "pa", "go", "be", "zi", "mu"]
    firsts = ["Jan", "Piet", "Kees", "Anna", "Sara", "Noor", "Daan", "Sem", "Lars", "Eva"]
    out = []
    for i in range(n):
        sur = "Jong" if i < common else "".join(rng.choice(syl) for _ in range(4)).capitalize()
        date = f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(ev.keys_of(Identity(sur, rng.choice(firsts), date, gemeente="Utrecht")))
    return out


def test_weights_come_from_the_register_and_rare_names_weigh_more() -> None:
    keys = _register(3_000, common=300)
    model = ev.train(keys)
    assert not model.reference and model.n == 3_000 and model.em_pairs > 0
    rare = keys[-1].sur
    assert (
        model.weight("achternaam", "exact", rare) > model.weight("achternaam", "exact", "iong") + 5
    )
    # u of an exact date is the register's own collision rate, not a constant
    assert model.u["geboortedatum"]["exact"] != ev.U_DEFAULT["geboortedatum"]["exact"]
    # everything every pair shares (one gemeente) is worth next to nothing
    assert abs(model.weight("gemeente", "gelijk")) < 1.5
    assert ev.Model.from_json(model.to_json()).to_json() == model.to_json()


def test_a_name_written_apart_weighs_as_the_whole_name() -> None:
    """A register that wrote "Elisangel a" agrees with "Elisangela" as a
    whole name: the agreement weighs as that name does, however rare the
    split part "elisangel" is (it weighed as a name no one else carries)."""
    keys = _register(3_000, common=300)
    # forty women of that name (persons: another surname and date each)
    keys += [
        ev.keys_of(Identity(sur.sur.capitalize(), "Elisangela", f"1971-05-{n % 28 + 1:02d}"))
        for n, sur in enumerate(keys[1_000:1_040])
    ]
    model = ev.train(keys)
    register = ev.keys_of(Identity("Tesfamariam", "Elisangel a", "1968-03-25"))
    suspect = ev.keys_of(Identity("Tesfamariam", "Elisangela", "1968-03-25"), suspect=True)
    v = ev.judge(model, suspect, register)
    assert v is not None and v.levels["voornaam"] == "exact"
    whole = model.weight("voornaam", "exact", "elisangela")
    assert whole < model.weight("voornaam", "exact", "elisangel") - 2
    line = next(d for d in v.details if d.startswith("voornaam:"))
    assert line == f"voornaam: gelijk ({ev._bits(whole)})"
    # the other way round (the police wrote it apart) it was so already
    apart = ev.keys_of(Identity("Tesfamariam", "Elisangel a", "1968-03-25"), suspect=True)
    whole_name = ev.keys_of(Identity("Tesfamariam", "Elisangela", "1968-03-25"))
    back = ev.judge(model, apart, whole_name)
    assert back is not None and back.bits == v.bits


def test_further_given_names_count_beside_a_first_name_one_slip_off() -> None:
    """ "Ubrahim Rick Wouter" against "Ibrahom Rick Wouter": the further
    given names agree as they would beside an equal first name; where they
    differ, or one side has none, they add nothing."""
    model = ev.train(_register(3_000, common=300))
    register = ev.keys_of(Identity("Willems", "Ibrahom Rick Wouter", "1959-05-28"))

    def second(voornamen: str) -> list[str]:
        suspect = ev.keys_of(Identity("Willems", voornamen, "1959-05-28"), suspect=True)
        v = ev.judge(model, suspect, register)
        assert v is not None and v.levels["voornaam"] in ("1-letter", "2-letters", "fonetisch")
        return [d for d in v.details if d.startswith("ook tweede voornaam gelijk")]

    assert second("Ubrahim Rick Wouter") == [
        f"ook tweede voornaam gelijk ({ev._bits(ev._second_name_bits(model, register, register) or 0)})"
    ]
    assert second("Ubrahim Sem Wouter") == []
    assert second("Ubrahim") == []


def _named_register(extra: list[tuple[str, str, str]]) -> list[Candidate]:
    """2,500 persons with distinct surnames and a handful of first names, plus `extra`."""
    rng = random.Random(5)
    syl = ["ka", "to", "me", "ri", "sa", "lo", "ve", "du", "ni", "pa", "go", "be", "zi", "mu"]
    firsts = ["Thomas", "Tomas", "Arthur", "Anna", "Sara", "Noor", "Daan", "Nikolai", "Lars"]
    out = []
    for i in range(2_500):
        sur = "".join(rng.choice(syl) for _ in range(4)).capitalize()
        date = f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(Candidate("VH-UTR", f"P{i}", Identity(sur, rng.choice(firsts), date)))
    for n, (sur, giv, date) in enumerate(extra):
        out.append(Candidate("VH-UTR", f"X{n}", Identity(sur, giv, date)))
    return out


def test_two_surnames_one_skeleton_merges_are_two_families() -> None:
    """Jansen and Janssen share a spelling skeleton, and both are surnames
    people carry (nl generator, fresh seed 135, without BSN and birth place:
    "Thomas Jansen" against a register "Thomas Janssen" born the same day,
    8.8 bits, two persons). A slip nobody carries (Jannsen) stays the weight's."""
    extra = [("Jansen", "Daan", f"19{70 + n}-02-03") for n in range(6)]
    extra += [("Janssen", "Lars", f"19{70 + n}-04-05") for n in range(6)]
    extra.append(("Janssen", "Wolter", "1980-06-11"))
    index = RegisterIndex(_named_register(extra))
    other = index.match(Identity("Jansen", "Wolter", "1980-06-11"))
    assert [(h.persoon_id, h.status) for h in other] == [("X12", MOGELIJK)]
    assert any("beide schrijfwijzen komen voor" in d for d in other[0].details)
    same = index.match(Identity("Janssen", "Wolter", "1980-06-11"))
    assert [(h.persoon_id, h.status) for h in same] == [("X12", BEKEND)]
    slip = index.match(Identity("Jannssen", "Wolter", "1980-06-11"))
    assert [(h.persoon_id, h.status) for h in slip] == [("X12", BEKEND)]
    # the stored model keeps the counts
    model = index.model
    assert ev.Model.from_json(model.to_json()).tf_sur_lit == model.tf_sur_lit
    assert model.tf_sur_lit["jansen"] == 6 and model.tf_sur_lit["janssen"] == 7
    # one surname, its voorvoegsel written in the field or apart: one family
    both = dataclasses.replace(model, tf_sur_lit={"vandendijk": 5, "dijk": 5, "dyk": 5})
    assert not ev._surnames_spelled_apart(both, "vandendijk", "dijk")
    assert ev._surnames_spelled_apart(both, "dyk", "dijk")


_TWIN = "in één familie kan dit een tweeling zijn"


@pytest.mark.parametrize(
    ("suspect", "register", "line"),
    [
        (Identity("Kalverda", "T.", "1991-05-02"), None, "alleen voorletters"),
        (Identity("Kalverda", "Thomas", "1991-05"), None, "geboortedatum onvolledig"),
        (Identity("Kalverda", "Thomas", "1991-05-03"), None, "geen geboorteplaats of gemeente"),
        (Identity("Kalverda", "Lara", "1991-05-02"), Identity("Kalverda", "Lars", "1991-05-02"),
         _TWIN),
        (Identity("Kalverda", "Thomas Jan", "1991-05-02", gemeente="Zwolle"), None,
         "alleen de eerste voornaam gelijk"),
        (Identity("Kalverda", "Thomas", "1991-05-02", geboorteplaats="Zwolle"), None,
         "andere geboorteplaats"),
        (Identity("Thonas", "Kalverde", "1991-05-02"), None, "verwisseld en niet allebei gelijk"),
    ],
)  # fmt: skip
def test_a_pair_held_back_whatever_its_weight_says_why(
    suspect: Identity, register: Identity | None, line: str
) -> None:
    """Review shows the evidence: a pair the weights would call `bekend` and a
    gate sends to a person carries the line that says which gate, or the
    reviewer sees "99,99 %" and `mogelijk` with no word of why."""
    reg = register or Identity(
        "Kalverda", "Thomas", "1991-05-02", gemeente="Deventer", geboorteplaats="Almelo"
    )
    s, c = ev.keys_of(suspect, suspect=True), ev.keys_of(reg)
    reason = ev._review_reason(ev.default_model(), s, c, ev.compare(s, c))
    assert reason is not None and line in reason and reason.endswith("bevestiging nodig")


@pytest.mark.parametrize(
    ("initials", "register", "held"),
    [
        ("T.J.", "Thomas Jan", False),  # every name, in order
        ("T.J.W.", "Thomas Jan Willem", False),
        ("TJ", "Thomas Jan", False),
        ("T.J.", "Thomas-Jan", False),  # a hyphenated name is two names
        ("T.", "Thomas", True),  # one initial: a twin's (Tim) as much
        ("T.J.", "Thomas", True),  # not every initial stands for a name
        ("T.", "Thomas Jan", True),
        ("J.T.", "Thomas Jan", True),  # another order ("voornaam verschilt")
        ("T.J.", "Thomas Jan Willem", True),  # a third name left out
    ],
)
def test_initials_for_every_given_name_are_not_held_back_as_initials(
    initials: str, register: str, held: bool
) -> None:
    """Initials "J.A.W." for Jan Adrianus Wilhelmus, letter for letter, says as much as
    the names written out; one initial ("J." for Jan) is also a twin's or a
    brother's, and stays with a person (nl generator without BSN and birth
    place: the registers that keep only initials were a third of the true
    pairs held back)."""
    reg = Identity("Kalverda", register, "1991-05-02", gemeente="Deventer")
    for suspect, other in ((Identity("Kalverda", initials, "1991-05-02"), reg),
                           (reg, Identity("Kalverda", initials, "1991-05-02"))):  # fmt: skip
        s, c = ev.keys_of(suspect, suspect=True), ev.keys_of(other)
        reason = ev._review_reason(ev.default_model(), s, c, ev.compare(s, c))
        assert (reason is not None) is held


def test_initials_for_every_given_name_with_a_date_typo_still_go_to_a_person() -> None:
    s = ev.keys_of(Identity("Kalverda", "T.J.", "1991-05-03"), suspect=True)
    c = ev.keys_of(Identity("Kalverda", "Thomas Jan", "1991-05-02"))
    reason = ev._review_reason(ev.default_model(), s, c, ev.compare(s, c))
    assert reason is not None and "geboortedatum niet gelijk" in reason


@pytest.mark.parametrize(
    ("register", "held"),
    [
        ("Alexander Casper Rayan", True),  # further names, none shared: a brother
        ("Alexander Tijmen", False),
        ("Alexander Tijmen Casper", False),
        ("Alexander", False),
    ],
)
def test_a_slip_in_the_first_name_beside_other_further_names_goes_to_a_person(
    register: str, held: bool
) -> None:
    """Clerk generator, fresh seed 276: "Alexadner Tijmen" against "Alexander
    Casper Rayan Hulshouts-Evelingen", same day, was `bekend`: a brother of
    the same first name, as "andere-voornaam" has it for an equal one."""
    model = dataclasses.replace(ev.default_model(), reference=False, tf_lit={"alexander": 9})
    s = ev.keys_of(Identity("Kalverda", "Alexadner Tijmen", "1991-05-02"), suspect=True)
    c = ev.keys_of(Identity("Kalverda", register, "1991-05-02", gemeente="Zwolle"))
    reason = ev._review_reason(model, s, c, ev.compare(s, c)) or ""
    assert ("verdere voornamen verschillen" in reason) is held, reason


def test_a_hit_under_the_line_says_where_the_line_is_or_which_gate_holds() -> None:
    """A `mogelijk` hit whose weight is under the line for `bekend` says where
    the line lies; one a gate would hold back anyway says which gate."""
    extra = [("Kalverda", "Lars", "1985-01-09"), ("Kalverda", "Noor Maria", "1986-02-03")]
    index = RegisterIndex(_named_register(extra))
    (short,) = index.match(Identity("Kalverda", "Noor", "1986-02-03"))
    assert short.status is MOGELIJK and short.details[-1].endswith("(bekend vanaf +10,0 bits)")
    (twin,) = index.match(Identity("Kalverda", "Lara", "1985-01-09"))
    assert twin.status is MOGELIJK and "tweeling" in twin.details[-2]
    assert twin.details[-1].endswith("%")


def test_a_transliteration_is_one_name_only_when_every_given_name_agrees() -> None:
    """Mohamed and Muhammed, both carried, are one name written twice when
    that is all either side holds; with only the first given name agreeing
    ("Mohamed Bradley" against "Muhammed"), or with the fields exchanged, a
    twin of the other spelling fits as well (typo generator, fresh seed 165:
    same day and gemeente, 21.4 and 22.7 bits)."""
    extra = [(f"Fam{n}", "Mohamed", f"19{70 + n}-02-03") for n in range(6)]
    extra += [(f"Gez{n}", "Muhammed", f"19{70 + n}-04-05") for n in range(6)]
    cands = _named_register(extra)
    twin = Identity("Jaceps", "Muhammed", "1978-07-13", gemeente="Dreumel")
    cands.append(Candidate("VH-UTR", "TW", twin))
    index = RegisterIndex(cands)
    one = index.match(Identity("Jaceps", "Mohamed", "1978-07-13", gemeente="Dreumel"))
    assert [(h.persoon_id, h.status) for h in one] == [("TW", BEKEND)]
    first = index.match(Identity("Jaceps", "Mohamed Bradley", "1978-07-13", gemeente="Dreumel"))
    assert [(h.persoon_id, h.status) for h in first] == [("TW", MOGELIJK)]
    assert any("spellingsnormalisatie" in d for d in first[0].details)
    swapped = index.match(Identity("Mohamed", "Jaceps", "1978-07-13", gemeente="Dreumel"))
    assert [(h.persoon_id, h.status) for h in swapped] == [("TW", MOGELIJK)]
    # exchanged and written as the register writes it: one name, however the
    # surname's spelling skeleton renders a first name
    same = index.match(Identity("Muhammed", "Jaceps", "1978-07-13", gemeente="Dreumel"))
    assert [(h.persoon_id, h.status, h.reden) for h in same] == [
        ("TW", BEKEND, "naam~,verwisseld+geboortedatum")
    ]


def test_a_typo_of_a_first_name_is_no_twin_but_two_real_names_are() -> None:
    extra = [("Kalverda", "Arthur", "1990-03-14"), ("Kalverda", "Thomas", "1991-05-02"),
             ("Kalverda", "Wolter", "1988-06-21")]  # fmt: skip
    index = RegisterIndex(_named_register(extra))
    # nobody is called Wolten: a slip of the one Wolter, and the weight decides
    typo = index.match(Identity("Kalverda", "Wolten", "1988-06-21"))
    assert [(h.persoon_id, h.status) for h in typo] == [("X2", BEKEND)]
    # nor Arjhur, but a ninth of this register is called Arthur, and every one of
    # them is as close to it: found, and the weight says a person looks
    typo = index.match(Identity("Kalverda", "Arjhur", "1990-03-14"))
    assert [(h.persoon_id, h.status) for h in typo] == [("X0", MOGELIJK)]
    assert not any("bevestiging nodig" in d for d in typo[0].details)
    # Tomas is a name hundreds carry: Tomas and Thomas could be twins, a person looks
    twin = index.match(Identity("Kalverda", "Tomas", "1991-05-02"))
    assert [(h.persoon_id, h.status) for h in twin] == [("X1", MOGELIJK)]
    assert ev.two_names(index.model, "tomas", "thomas")
    assert not ev.two_names(index.model, "arjhur", "arthur")
    # without a register's counts the list of names people carry decides
    assert not ev.two_names(ev.default_model(), "arjhur", "arthur")
    assert ev.two_names(ev.default_model(), "tomas", "thomas")


def test_a_small_register_tells_a_slip_from_a_name_as_a_big_one_does() -> None:
    """A register under 2,000 persons gets the reference weights, but its
    persons still say which first names people carry. Febrl set 3 (a register
    of about 1,000): "Dominxic" against "Dominic", same surname and day, was
    held back as "two names people carry" (441 of 700 held back true pairs);
    typo generator, half its persons from the small name groups, 1,500
    persons, seed 106: a twin "Filmon" against "Ailton", names on no list."""
    rng = random.Random(7)
    syl = ["ka", "to", "me", "ri", "sa", "lo", "ve", "du", "ni", "pa", "go", "be", "zi", "mu"]
    small = []
    for i in range(600):
        sur = "".join(rng.choice(syl) for _ in range(4)).capitalize()
        date = f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        giv = ("Filmon", "Ailton", "Anna", "Daan")[i % 4]
        small.append(Candidate("VH-UTR", f"P{i}", Identity(sur, giv, date)))
    small += [
        Candidate("VH-UTR", "X0", Identity("Flockhart", "Dominic", "1989-06-21", gemeente="Ede")),
        Candidate("VH-UTR", "X1", Identity("Brito", "Ailton", "1987-09-03", gemeente="Ede")),
    ]
    index = RegisterIndex(small)
    assert index.model.reference
    assert not ev.two_names(index.model, "dominxic", "dominic")
    assert ev.two_names(index.model, "filmon", "ailton")
    slip = index.match(Identity("Flockhart", "Dominxic", "1989-06-21", gemeente="Ede"))
    assert [(h.persoon_id, h.status) for h in slip] == [("X0", BEKEND)]
    twin = index.match(Identity("Brito", "Filmon", "1987-09-03", gemeente="Ede"))
    assert twin and all(h.status is not BEKEND for h in twin)


def test_a_surname_close_to_another_surname_people_carry_is_no_slip() -> None:
    """Muijs against Huijs, same first name and day: two families, each carried
    by several register persons, not a slip of one of them (typo generator
    with a clean register, seed 104: a wrong `bekend` at 9.8 bits before)."""
    dates = ["1970-02-03", "1975-06-07", "1980-10-11", "1985-04-05", "1990-08-09"]
    extra = [("Huijs", "Jim", "2001-01-11")]
    extra += [
        ("Huijs", g, d) for g, d in zip(("Anna", "Sara", "Daan", "Lars"), dates[:4], strict=True)
    ]
    extra += [
        ("Muijs", g, d) for g, d in zip(("Noor", "Tom", "Anna", "Daan", "Sara"), dates, strict=True)
    ]
    index = RegisterIndex(_named_register(extra))
    assert ev.two_surnames(index.model, "muis", "huis")
    hits = index.match(Identity("Muijs", "Jim", "2001-01-11"))
    assert [(h.persoon_id, h.status) for h in hits] == [("X0", MOGELIJK)]
    assert any("andere achternaam die ook voorkomt" in d for d in hits[0].details)
    # a slip nobody carries is still the weight's to decide
    assert not ev.two_surnames(index.model, "hius", "huis")
    slip = index.match(Identity("Hiujs", "Jim", "2001-01-11"))
    assert [(h.persoon_id, h.status) for h in slip] == [("X0", BEKEND)]
    # without term frequencies the other gates decide
    assert not ev.two_surnames(ev.default_model(), "muis", "huis")


def test_a_slip_as_near_to_another_name_is_a_twin_as_often_as_a_slip() -> None:
    """Within one family (same surname and day) a first name that is no name
    is a slip of the register's name only when no other name is as near:
    "Lkis" is Lois or Luis (a twin), "Arjhur" only Arthur (typo generator with
    more slips, seed 106: a wrong `bekend` at 12.1 bits before)."""
    extra = [("Kalverda", "Lois", "1975-07-22"), ("Kalverda", "Arthur", "1990-03-14")]
    index = RegisterIndex(_named_register(extra))
    assert ev.slip_between_names(index.model, "lkis", "lois")
    assert not ev.slip_between_names(index.model, "arjhur", "arthur")
    assert not ev.slip_between_names(index.model, "luis", "lois")  # two names: two_names
    twin = index.match(Identity("Kalverda", "Lkis", "1975-07-22"))
    assert [(h.persoon_id, h.status) for h in twin] == [("X0", MOGELIJK)]
    # the list of names decides without a register's counts as well
    assert ev.slip_between_names(ev.default_model(), "lkis", "lois")


def test_a_slip_with_every_further_given_name_equal_is_no_twin() -> None:
    """ "Lkis Maria Johanna" against "Lois Maria Johanna": a twin's further
    given names are his own, so the slip is this person's and the weight
    decides; with another or no further name the slip gate still holds."""
    extra = [("Kalverda", "Lois Maria Johanna", "1975-07-22")]
    index = RegisterIndex(_named_register(extra))
    same = index.match(Identity("Kalverda", "Lkis Maria Johanna", "1975-07-22"))
    assert [(h.persoon_id, h.status) for h in same] == [("X0", BEKEND)]
    for other in ("Lkis Maria Petra", "Lkis"):
        twin = index.match(Identity("Kalverda", other, "1975-07-22"))
        assert [(h.persoon_id, h.status) for h in twin] == [("X0", MOGELIJK)], other


def test_only_the_first_given_name_and_another_gemeente_is_never_bekend() -> None:
    """ "Sophia" against "Sophia Bente Lynn", same rare surname and day, living
    elsewhere: a same-name person of that year as often as the person (clerk
    generator, 3 % known, seed 106: a wrong `bekend` at 10.6 bits before)."""
    people = _named_register([])
    reg = Identity("Schweinfurt", "Sophia Bente Lynn", "1971-03-16", voorvoegsel="van",
                   gemeente="Noordhoek")  # fmt: skip
    index = RegisterIndex([*people, Candidate("VH-UTR", "S1", reg)])
    elsewhere = Identity("Schweinfurt", "Sophia", "1971-03-16", voorvoegsel="van",
                         gemeente="Weidum")  # fmt: skip
    assert [(h.persoon_id, h.status) for h in index.match(elsewhere)] == [("S1", MOGELIJK)]
    here = Identity("Schweinfurt", "Sophia", "1971-03-16", voorvoegsel="van",
                    gemeente="Noordhoek")  # fmt: skip
    assert [(h.persoon_id, h.status) for h in index.match(here)] == [("S1", BEKEND)]


def test_only_the_first_given_name_is_a_roepnaam_with_the_fields_exchanged_too() -> None:
    """ "Aschman | Maud" (fields exchanged) against "Maud Demi Isa Feline
    Aschman", same day, another gemeente: as without the exchange, only the
    first given name agrees (clerk generator, names exchanged, 200,000
    persons, seed 105: a same-name person of that year at 9.0 bits)."""
    reg = Identity("Aschman", "Maud Demi Isa Feline", "2004-12-14", gemeente="Babyloniënbroek")
    index = RegisterIndex([*_named_register([]), Candidate("VH-UTR", "M1", reg)])
    elsewhere = index.match(Identity("Maud", "Aschman", "2004-12-14", gemeente="Bingelrade"))
    assert [(h.persoon_id, h.status) for h in elsewhere] == [("M1", MOGELIJK)]
    assert "voornaam: roepnaam gelijk" in " ".join(elsewhere[0].details)
    here = index.match(Identity("Maud", "Aschman", "2004-12-14", gemeente="Babyloniënbroek"))
    assert [(h.persoon_id, h.status) for h in here] == [("M1", BEKEND)]


def test_a_surname_a_letter_off_is_still_one_family_for_twins() -> None:
    """ "Ailton Bito" against "Wilson Brito", same day and gemeente: a twin with
    a slip in the family name, two real first names only close (typo
    generator, half its persons from the small name groups, seed 102: a
    wrong `bekend` at 8.5 bits before)."""
    people = _named_register([("Brito", "Anna", "1980-01-02"), ("Brito", "Lars", "1975-05-06"),
                              ("Tavares", "Ailton", "1990-02-03"), ("Fortes", "Ailton", "1991-03-04"),
                              ("Lopes", "Ailton", "1992-04-05")])  # fmt: skip
    reg = Identity("Brito", "Wilson", "2000-01-28", gemeente="Bennekom")
    index = RegisterIndex([*people, Candidate("VH-UTR", "W1", reg)])
    twin = index.match(Identity("Bito", "Ailton", "2000-01-28", gemeente="Bennekom"))
    assert [(h.persoon_id, h.status) for h in twin] == [("W1", MOGELIJK)]


def test_exchanged_fields_with_a_first_name_spelled_apart_are_never_bekend() -> None:
    """ "Aeije | Rik" (fields exchanged) against "Rick Antonius Theodorus
    Aeije": Rik and Rick are two names, as without the exchange (nl
    generator, 1 % known, seed 106: a twin at 27.5 bits before)."""
    reg = Identity("Aeije", "Rick Antonius Theodorus", "2008-07-31")
    index = RegisterIndex([*_named_register([]), Candidate("VH-UTR", "A1", reg)])
    apart = index.match(Identity("Rik", "Aeije", "2008-07-31"))
    assert [(h.persoon_id, h.status) for h in apart] == [("A1", MOGELIJK)]
    same = index.match(Identity("Rick", "Aeije", "2008-07-31"))
    assert [(h.persoon_id, h.status) for h in same] == [("A1", BEKEND)]


def test_exchanged_fields_with_one_name_a_slip_are_weighed_as_without_the_exchange() -> None:
    """Febrl, names exchanged: "Dominxic | Flockhart" against "Dominic
    Flockhart" was held back whatever its weight (468 such true pairs of 500
    on set 4). One slip is now the weight's to decide, under the gates the
    names as written meet without the exchange: another name people carry
    (Tomas / Thomas), another surname people carry (Muijs / Huijs); two slips
    stay with a person."""
    dates = ["1970-02-03", "1975-06-07", "1980-10-11", "1985-04-05", "1990-08-09"]
    extra = [
        ("Flockhart", "Dominic", "1989-06-21"),
        ("Kalverda", "Thomas", "1991-05-02"),
        ("Huijs", "Jim", "2001-01-11"),
    ]
    extra += [
        ("Huijs", g, d) for g, d in zip(("Anna", "Sara", "Daan", "Lars"), dates, strict=False)
    ]
    extra += [
        ("Muijs", g, d) for g, d in zip(("Noor", "Tom", "Anna", "Daan", "Sara"), dates, strict=True)
    ]
    index = RegisterIndex(_named_register(extra))

    def status(sur: str, giv: str, born: str) -> list[tuple[str, MatchStatus]]:
        return [(h.persoon_id, h.status) for h in index.match(Identity(sur, giv, born))]

    assert status("Dominxic", "Flockhart", "1989-06-21") == [("X0", BEKEND)]
    assert status("Dominic", "Flickhart", "1989-06-21") == [("X0", BEKEND)]
    assert status("Dominxic", "Flickhart", "1989-06-21") == [("X0", MOGELIJK)]
    assert status("Tomas", "Kalverda", "1991-05-02") == [("X1", MOGELIJK)]  # two names
    assert status("Jim", "Muijs", "2001-01-11") == [("X2", MOGELIJK)]  # two surnames


def test_a_short_surname_two_letters_off_is_one_family_for_twins() -> None:
    """Typo generator with a clean register, names exchanged, fresh seed 303:
    "Jack van Mii" against "Ian Bas Fabian Mil", same day and village; both
    names compare "2 letters verschil" (Mii / Mil is one slip as written),
    and the twin gate only looked at surnames a letter off: 12.8 bits,
    `bekend`. Two real first names in one family go to a person."""
    reg = Identity("Mil", "Ian Bas Fabian", "1983-09-12", gemeente="Hoogmade")
    index = RegisterIndex([*_named_register([]), Candidate("VH-UTR", "M1", reg)])
    twin = index.match(Identity("Mii", "Jack", "1983-09-12", "van", gemeente="Hoogmade"))
    assert [(h.persoon_id, h.status) for h in twin] == [("M1", MOGELIJK)]
    assert any("twee namen die mensen dragen" in d for d in twin[0].details)
    # a slip of the first name that is no other name stays the weight's
    slip = index.match(Identity("Mii", "Iam Bas Fabian", "1983-09-12", "van", gemeente="Hoogmade"))
    assert [(h.persoon_id, h.status) for h in slip] == [("M1", BEKEND)]


def test_a_hyphenated_first_name_is_one_given_name() -> None:
    """ "Jean-Luc" is one name: "Luc" after "Jean" is no second given name
    that agrees as well (nl generator, 3 % known, 200,000 persons, seed 106:
    two persons called Jean-Luc Rosaria born the same day, 9.0 bits with the
    bonus)."""
    compound = ev.keys_of(Identity("Rosaria", "Jean-Luc", "1996-08-06"), suspect=True)
    assert compound.giv_compound and compound.giv == "iean luk"
    assert not ev.keys_of(Identity("Rosaria", "Jean Luc", "1996-08-06"), suspect=True).giv_compound
    assert not ev.keys_of(Identity("Rosaria", "Jean-Luc", "1996-08-06")).giv_compound
    reg = ev.keys_of(Identity("Rosaria", "Jean-Luc", "1996-08-06"))
    model = RegisterIndex(_named_register([])).model
    two = ev.keys_of(Identity("Rosaria", "Jean Luc", "1996-08-06"), suspect=True)
    one, both = ev.judge(model, compound, reg), ev.judge(model, two, reg)
    assert one is not None and both is not None
    assert not any("tweede voornaam" in d for d in one.details)
    assert any("tweede voornaam" in d for d in both.details)
    assert one.bits < both.bits


def test_a_real_name_the_register_does_not_hold_is_still_a_name() -> None:
    """Nobody in this register is called Lara or Luuk; both are names, not slips."""
    index = RegisterIndex(
        _named_register([("Kalverda", "Lars", "1990-03-14"), ("Kalverda", "Luc", "1991-05-02")])
    )
    assert "lara" not in index.model.tf_lit and "luuk" not in index.model.tf_lit
    for suspect, pid in ((Identity("Kalverda", "Lara", "1990-03-14"), "X0"),
                         (Identity("Kalverda", "Luuk", "1991-05-02"), "X1")):  # fmt: skip
        assert [(h.persoon_id, h.status) for h in index.match(suspect)] == [(pid, MOGELIJK)]


def test_term_frequencies_count_persons_not_markings() -> None:
    """A client known at two VHs is one carrier of his name, not two."""
    people = _named_register([])
    twice = [Candidate("VH-UTR", "Z1", Identity("Blonk", "Stan", "1985-10-09")),
             Candidate("VH-HGL", "Z2", Identity("Blonk", "Stan", "1985-10-09"))]  # fmt: skip
    index = RegisterIndex(people + twice)
    assert "blonk|stan" not in index.model.tf_pair
    hits = index.match(Identity("Blonk", "Stan", "1985-10-09"))
    assert [h.status for h in hits] == [BEKEND, BEKEND]


def test_term_frequencies_leave_the_candidate_out() -> None:
    """The candidate carries his own name by definition: a surname, or a pair of
    names, that two persons carry has one other carrier, not two (nl seed 105:
    "Mika Bakker" with one namesake in another year stayed `mogelijk` on an
    exact name and date, the pair weighed as if two others carried it)."""
    wolters = [("Kalverda", "Wolter", f"19{60 + n}-0{1 + n}-1{n}") for n in range(3)]
    alone = RegisterIndex(_named_register(wolters[:1])).model
    two = RegisterIndex(_named_register(wolters[:2]))
    three = RegisterIndex(_named_register(wolters))
    assert two.model.tf_sur["kalverda"] == 2 and two.model.tf_pair["kalverda|wolter"] == 2
    # one other carrier: as rare as a surname nobody else carries
    assert two.model.weight("achternaam", "exact", "kalverda") == pytest.approx(
        alone.weight("achternaam", "exact", "kalverda"), abs=0.01
    )
    # the pair's cap: one other carrier against two others is one bit
    suspect = Identity("Kalverda", "Wolter", wolters[0][2])
    bits = []
    for index in (two, three):
        (hit,) = index.match(suspect)
        assert any("vaak samen" in d for d in hit.details)
        bits.append(ev.judge(index.model, ev.keys_of(suspect), ev.keys_of(suspect)))
    assert bits[0] is not None and bits[1] is not None
    assert bits[0].bits - bits[1].bits == pytest.approx(1.0, abs=0.01)


def test_exchanged_fields_weigh_the_names_in_their_own_roles() -> None:
    """'Nikolai' is a common first name; read as a surname it would look rare."""
    reg = [("Marinov", "Nikolai", "1998-07-28")] + [
        ("Marinov", "Nikolai", f"19{70 + n}-0{1 + n % 9}-1{n % 9}") for n in range(12)
    ]
    index = RegisterIndex(_named_register(reg))
    straight = index.match(Identity("Marinov", "Nikolai", "1998-07-28"))
    swapped = index.match(Identity("Nikolai", "Marinov", "1998-07-28"))
    assert straight and swapped
    assert swapped[0].status is MOGELIJK  # a common name pair, exchanged: a person looks
    s_bits = [d for d in straight[0].details if d.startswith("achternaam")]
    x_bits = [d for d in swapped[0].details if d.startswith("achternaam")]
    assert s_bits == x_bits  # the same surname weight either way


def test_exchanged_fields_against_initials_are_found_for_review() -> None:
    got = one(Identity("Jansen", "G.", "1993-11-08"), Identity("Guus", "Jansen", "1993-11-08"))
    assert got is not None and got[0] is MOGELIJK and "verwisseld" in got[1]


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        # one part of the register's double surname in the given-name field
        # (nl seed 101: missed before, both names "anders")
        (Identity("Boudewijns-de Jong", "Fatima", "1987-01-16"),
         Identity("Fatima", "de Jong", "1987-01-16")),
        (Identity("Demir-Aslan", "Büşra", "2007-05-09"), Identity("Büşra", "Demir", "2007-05-09")),
        # and against initials
        (Identity("El Idrissi-Ahmadi", "S.H.", "1997-01-17"),
         Identity("Samira", "Ahmadi", "1997-01-17")),
    ],
)  # fmt: skip
def test_exchanged_fields_with_one_part_of_a_double_surname(
    register: Identity, suspect: Identity
) -> None:
    comp = ev.compare(ev.keys_of(suspect), ev.keys_of(register))
    assert comp.exchanged and comp.levels["achternaam"] == "deel"
    got = one(register, suspect)
    assert got is not None and got[0] is MOGELIJK and "an:deel" in got[1]


def test_exchanged_levels_are_in_the_register_persons_roles() -> None:
    """The register's surname is compared with the suspect's given-name field:
    its level is the surname's, and so is the line the reviewer reads."""
    comp = ev.compare(
        ev.keys_of(Identity("Rowan", "Rehorzt", "1983-10-05")),
        ev.keys_of(Identity("Rehorst", "Rowan Ivan", "1983-10-05")),
    )
    assert comp.exchanged
    # "Rowan" is the first of the register's two given names: its roepnaam
    assert comp.levels["achternaam"] != "exact" and comp.levels["voornaam"] == "roepnaam"


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        (Identity("Doorn", "Jayden Hugo", "2002-10-15", "van"),
         Identity("Doorn", "Jay", "2002-10-15", "van")),
        # cut short and exchanged (clerk seed 101)
        (Identity("Doorn", "Aiden Mats", "1984-04-25", "van"),
         Identity("Ai", "van Doorn", "1984-04-25")),
        (Identity("Takkelenburg-Krabbe", "Jasper Noud", "1967-07-02"),
         Identity("Jas", "Takkelenburg-Kabbe", "1967-07-02")),
    ],
)  # fmt: skip
def test_a_first_name_cut_short_is_found_for_review(register: Identity, suspect: Identity) -> None:
    hits = RegisterIndex([Candidate("VH-UTR", "P1", register)]).match(suspect)
    assert len(hits) == 1 and hits[0].status is MOGELIJK
    assert "vn:afgekort" in hits[0].reden
    assert any(d.startswith("voornaam: afgekort") for d in hits[0].details)


def test_a_cut_short_name_is_no_other_gender_twin() -> None:
    # Johan / Johanna: the longer is the other-gender form, not Johan cut short
    reg = Identity("Brand", "Johanna", "1997-07-17")
    assert one(reg, Identity("Brand", "Johan", "1997-07-17")) is None
    # a single letter more is a letter-off level, not a cut
    lv = ev.compare(
        ev.keys_of(Identity("Bakker", "Emm", "1990-03-14")),
        ev.keys_of(Identity("Bakker", "Emma", "1990-03-14")),
    )
    assert lv.levels["voornaam"] == "2-letters" and not lv.truncated


@pytest.mark.parametrize(
    ("register", "suspect"),
    [
        # the VH registered the roepnaam, the police bring the official names
        (Identity("Janssen", "Jan", "1961-05-02", gemeente="Utrecht"),
         Identity("Janssen", "Johannes Petrus", "1961-05-02", gemeente="Utrecht")),
        (Identity("Bakker", "Kees", "1958-11-23"), Identity("Bakker", "Cornelis", "1958-11-23")),
        (Identity("Veen", "Ruud", "1975-04-12", "van"), Identity("Veen", "Rudolf", "1975-04-12", "van")),
        (Identity("Vries", "Maria Johanna", "1949-02-08", "de"),
         Identity("Vries", "Ria", "1949-02-08", "de")),
        # and with a slip in the surname
        (Identity("Hoekstra", "Hendrik", "1970-09-30"), Identity("Hoekstar", "Henk", "1970-09-30")),
        # and with the fields exchanged
        (Identity("Bakker", "Cornelis", "1958-11-23"), Identity("Kees", "Bakker", "1958-11-23")),
        # English short forms and a name's form in another language
        # (`names.ROEPNAMEN_INTERNATIONAAL`; splink's historical persons)
        (Identity("Bailey", "William", "1935-10-06"), Identity("Bailey", "Billy", "1935-10-06")),
        (Identity("Ballard", "Ike", "1946-03-11"), Identity("Ballard", "Isaac", "1946-03-11")),
        (Identity("Dekker", "Karel", "1982-07-19"), Identity("Dekker", "Charles", "1982-07-19")),
        (Identity("Pullein", "Catherine", "1973-08-12"), Identity("Pullein", "Kate", "1973-08-12")),
        (Identity("Smit", "Joris", "1990-01-30"), Identity("Smit", "George", "1990-01-30")),
        # "Joseph" is keyed as Youssef is (the transliteration table): the
        # roepnamen are looked up under that key too
        (Identity("Gillow", "Joseph", "1970-10-05"), Identity("Gillow", "Joe", "1970-10-05")),
        (Identity("Pauwels", "Sjef", "1964-02-11"), Identity("Pauwels", "Joseph", "1964-02-11")),
    ],
)  # fmt: skip
def test_a_roepnaam_against_the_official_name_is_found_for_review(
    register: Identity, suspect: Identity
) -> None:
    """Before, "Jan" against "Johannes" was "anders" and the twin veto turned the
    pair away unseen; now it is found, and never `bekend` without a person."""
    hits = RegisterIndex([Candidate("VH-UTR", "P1", register)]).match(suspect)
    assert len(hits) == 1 and hits[0].status is MOGELIJK
    assert "vn:roepnaamvorm" in hits[0].reden
    assert any(d.startswith("voornaam: roepnaam van de andere") for d in hits[0].details)
    assert any(d.startswith("voornaam is een roepnaam") for d in hits[0].details)


def test_a_roepnaam_of_a_further_name_or_beside_another_surname() -> None:
    # Kees is the roepnaam of the second name: a further given name agrees
    reg = Identity("Bakker", "Johannes Cornelis", "1958-11-23")
    hits = RegisterIndex([Candidate("VH-UTR", "P1", reg)]).match(
        Identity("Bakker", "Kees", "1958-11-23")
    )
    assert len(hits) == 1 and hits[0].status is MOGELIJK
    assert "vn:andere-voornaam" in hits[0].reden
    # two names that are no roepnaam of each other: the twin veto, as before
    assert one(reg, Identity("Bakker", "Pieter", "1958-11-23")) is None
    # also between two English short forms of other names (a twin Bill and Bob)
    bill = Identity("Bailey", "Bill", "1935-10-06")
    assert one(bill, Identity("Bailey", "Bob", "1935-10-06")) is None
    assert one(bill, Identity("Bailey", "Georgina", "1935-10-06")) is None
    # a roepnaam pair under another surname is no hit
    assert one(reg, Identity("Smit", "Jan", "1958-11-23")) is None
    comp = ev.compare(
        ev.keys_of(Identity("Smit", "Jan", "1958-11-23")),
        ev.keys_of(Identity("Bakker", "Johannes", "1958-11-23")),
    )
    assert comp.levels["voornaam"] == "anders" and not comp.roepnaam


def test_a_slip_that_sounds_like_the_name_as_written_is_no_twin() -> None:
    # Guuzje / Guusje: skeletons two apart, as written one sound (clerk seed 102)
    got = one(
        Identity("Hazenveld", "Guusje Eliza", "2001-09-30"),
        Identity("Hazenveld", "Guuzje", "2001-09-30"),
    )
    # the weight decides, in a one-person register as in a big one
    assert got is not None and got[0] is BEKEND


def test_a_partial_date_is_bekend_only_with_all_given_names_and_the_gemeente() -> None:
    """nl seed 102: "Ties Pieter de Bruin 2007-12-14" against the register's
    "Ties Pieter de Bruin 2007-00-00" in the same gemeente, 15 bits, was never bekend."""
    people = [c for c in _named_register([])]
    people.append(Candidate("VH-UTR", "X0", Identity(
        "Bruin", "Ties Pieter", "2007-00-00", "de", gemeente="Utrecht")))  # fmt: skip
    index = RegisterIndex(people)
    full = Identity("Bruin", "Ties Pieter", "2007-12-14", "de", gemeente="Utrecht")
    assert [(h.persoon_id, h.status) for h in index.match(full)] == [("X0", BEKEND)]
    # without the gemeente, with only the first given name (and no month), or
    # exchanged: review
    for other in (
        Identity("Bruin", "Ties Pieter", "2007-12-14", "de"),
        Identity("Bruin", "Ties", "2007-12-14", "de", gemeente="Utrecht"),
        Identity("Ties Pieter", "de Bruin", "2007-12-14", gemeente="Utrecht"),
    ):
        hits = index.match(other)
        assert [(h.persoon_id, h.status) for h in hits] == [("X0", MOGELIJK)], other


def test_a_partial_date_with_its_month_is_bekend_with_one_given_name_and_the_gemeente() -> None:
    """nl seeds 101-104: "Kevin Beekman 2001-12-20" against the register's
    "Kevin Beekman 2001-12-00" in the same gemeente, 18 bits, was never bekend:
    a namesake born the same month of the same year in the same gemeente is
    as rare as one with the same second given name."""
    people = [c for c in _named_register([])]
    people.append(Candidate("VH-UTR", "X0", Identity(
        "Beekman", "Kevin", "2001-12-00", gemeente="Utrecht")))  # fmt: skip
    people.append(Candidate("VH-UTR", "X1", Identity(
        "Kriens", "Antonius", "1986-00-00", gemeente="Utrecht")))  # fmt: skip
    index = RegisterIndex(people)
    full = Identity("Beekman", "Kevin", "2001-12-20", gemeente="Utrecht")
    assert [(h.persoon_id, h.status) for h in index.match(full)] == [("X0", BEKEND)]
    # the year alone, or another gemeente: review
    for other, pid in (
        (Identity("Kriens", "Antonius", "1986-05-20", gemeente="Utrecht"), "X1"),
        (Identity("Beekman", "Kevin", "2001-12-20", gemeente="Zwolle"), "X0"),
    ):
        hits = index.match(other)
        assert [(h.persoon_id, h.status) for h in hits] == [(pid, MOGELIJK)], other


def test_a_suspect_written_as_born_on_1_january_meets_the_register_date_of_that_year() -> None:
    """The police write 1 January for a suspect without papers; the register
    keeps the real date. Before, the namesake veto dropped the pair and
    blocking never met it (nl generator with `politie_eerste_januari=0.5`:
    recall 91.9 %). Now the year alone is compared, as for a partial date:
    found for review, with the line that says why, or `bekend` as a year alone
    would be (every given name, the gemeente, and a wider margin)."""
    people = [c for c in _named_register([])]
    people.append(Candidate("VH-UTR", "X0", Identity("Felcisca", "Shurandy", "1995-11-15")))
    people.append(Candidate("VH-UTR", "X1", Identity(
        "Ramkisoen", "Ricardo Jair", "1999-05-19", gemeente="Zoetermeer")))  # fmt: skip
    index = RegisterIndex(people)
    (hit,) = index.match(Identity("Felcisca", "Shurandy", "1995-01-01"))
    assert (hit.persoon_id, hit.status) == ("X0", MOGELIJK)
    assert hit.reden.endswith("geboortedatum~onvolledig")
    assert any("01-01-1995 staat vaak voor een onbekende dag en maand" in d for d in hit.details)
    # the why of the date before the gate it leads to
    said = [i for i, d in enumerate(hit.details) if "staat vaak voor een onbekende" in d]
    gate = [i for i, d in enumerate(hit.details) if d.endswith("bevestiging nodig")]
    assert said and gate and said[0] < gate[0]
    # the review's date row: not "onvolledig" of two whole dates
    assert any(d.startswith("geboortedatum: alleen het jaar vergeleken (+") for d in hit.details)
    assert hit.details[-1].startswith("totaal")
    full = Identity("Ramkisoen", "Ricardo Jair", "1999-01-01", gemeente="Zoetermeer")
    assert [(h.persoon_id, h.status) for h in index.match(full)] == [("X1", BEKEND)]
    # against a year and month: the month of 1 January is no more known than
    # its day (fresh nl seed 263: a same-name person of that year was bekend)
    people.append(Candidate("VH-UTR", "X2", Identity(
        "Rosaria", "Rudsel", "1986-01-00", gemeente="Willemstad")))  # fmt: skip
    index = RegisterIndex(people)
    for day, status in (("1986-01-01", MOGELIJK), ("1986-01-20", BEKEND)):
        hits = index.match(Identity("Rosaria", "Rudsel", day, gemeente="Willemstad"))
        assert [(h.persoon_id, h.status) for h in hits] == [("X2", status)], day
    # another year, or another day that is no placeholder: a namesake
    assert index.match(Identity("Felcisca", "Shurandy", "1996-01-01")) == []
    assert index.match(Identity("Felcisca", "Shurandy", "1995-02-01")) == []


def test_a_register_date_many_carry_counts_as_its_year_against_another_day() -> None:
    """The other way round: the register holds a placeholder, the suspect a
    real date of that year; the pair (and the single-pair `judge`) compares
    the year alone."""
    model = ev.default_model()
    s = ev.keys_of(Identity("Felcisca", "Shurandy", "1995-11-15"), suspect=True)
    c = ev.keys_of(Identity("Felcisca", "Shurandy", "1995-01-01"))
    v = ev.judge(model, s, c)
    assert v is not None and v.levels["geboortedatum"] == "onvolledig"
    heavy = dataclasses.replace(model, tf_date={"19950701": 40})
    c = ev.keys_of(Identity("Felcisca", "Shurandy", "1995-07-01"))
    assert ev.judge(model, s, c) is None  # 1 July, an ordinary day here
    v = ev.judge(heavy, s, c)
    assert v is not None and v.levels["geboortedatum"] == "onvolledig"


def test_a_birth_place_weighs_by_its_share_among_the_surname_s_carriers() -> None:
    """Oranjestad is rare among all persons and common among the Rosarias: an
    equal birth place beside that surname weighs by its share among the
    surname's other carriers (fresh nl seed 265: two "Jurgen Rosaria" born in
    Oranjestad on 01-01-2014 were `bekend` on +8.7 bits for the place)."""
    people = [c for c in _named_register([])]
    for i in range(12):
        place = "Oranjestad" if i < 8 else "Willemstad"
        people.append(Candidate("VH-UTR", f"R{i}", Identity(
            "Rosaria", ["Dave", "Shurandy", "Ricardo", "Jair"][i % 4], f"19{70 + i}-03-04",
            geboorteplaats=place)))  # fmt: skip
    people.append(Candidate("VH-UTR", "X0", Identity(
        "Rosaria", "Jurgen", "2014-06-01", geboorteplaats="Oranjestad")))  # fmt: skip
    people.append(Candidate("VH-UTR", "X1", Identity(
        "Kalverda", "Mirto", "1988-09-12", geboorteplaats="Oranjestad")))  # fmt: skip
    index = RegisterIndex(people)
    line = "deze achternaam en geboorteplaats komen vaak samen voor"
    (hit,) = index.match(Identity("Rosaria", "Jurgen", "2014-06-01", geboorteplaats="Oranjestad"))
    capped = [d for d in hit.details if d.startswith(line)]
    assert hit.persoon_id == "X0" and len(capped) == 1
    place = next(d for d in hit.details if d.startswith("geboorteplaats: gelijk"))
    # 8 of the 12 other Rosarias were born there: the place is worth about
    # log2(0.9 / (8 / 12)), half a bit, whatever it weighed on its own
    weight = float(place.rsplit("(", 1)[1].rstrip(")").replace(",", "."))
    cut = float(capped[0].rsplit("(", 1)[1].rstrip(")").replace(",", "."))
    assert weight > 5 and weight + cut == pytest.approx(0.43, abs=0.1)
    # a surname nobody else carries says nothing of where it is from
    (other,) = index.match(Identity("Kalverda", "Mirto", "1988-09-12", geboorteplaats="Oranjestad"))
    assert other.persoon_id == "X1" and not any(d.startswith(line) for d in other.details)
    # the stored model keeps the counts (model version 6)
    model = index.model
    assert model.tf_place and ev.Model.from_json(model.to_json()).tf_place == model.tf_place


def test_small_register_uses_reference_weights() -> None:
    assert ev.train(_register(10, common=0)).reference


def test_a_model_stored_before_a_level_existed_still_weighs_it() -> None:
    """An older stored model lacks "dag-maand-cijfer": read with the reference
    values (and `load_model` retrains a model of an older version)."""
    data = ev.train(_register(3_000, common=300)).to_json()
    assert data["versie"] == ev.MODEL_VERSION
    for part in ("m", "u"):
        del data[part]["geboortedatum"]["dag-maand-cijfer"]
    old = ev.Model.from_json(data)
    assert old.weight("geboortedatum", "dag-maand-cijfer") == pytest.approx(
        ev.default_model().weight("geboortedatum", "dag-maand-cijfer")
    )


# --- persisted keys, fresh process, bulk writes --------------------------------------


def test_register_import_persists_keys_and_weights(app: AppContext, tmp_path: Path) -> None:
    people = [marking(f"U{i}", achternaam=f"Naam{i}", voornamen="Kees") for i in range(5)]
    people.append(marking("U9", achternaam="Kathagen", voornamen="Pieter",
                          geboortedatum="1990-03-14"))  # fmt: skip
    import_register(app, write(tmp_path, "r.csv", csv_text(people)))
    with app.db.session() as s:
        assert s.scalar(select(func.count()).select_from(MatchKey)) == len(people)
        stored = s.get(Setting, match_store.MODEL_KEY)
        assert stored is not None
        assert stored.value["register_versie"] == match_store.register_version(s)
        expected = ev.block_keys(ev.keys_of(Identity("Kathagen", "Pieter", "1990-03-14")))
        assert (
            s.scalar(select(MatchKey.k_sym).where(MatchKey.sur == "katagen")) == expected["k_sym"]
        )


def test_a_model_of_an_older_version_is_retrained(app: AppContext, tmp_path: Path) -> None:
    people = [marking(f"U{i}", achternaam=f"Naam{i}", voornamen="Kees") for i in range(5)]
    import_register(app, write(tmp_path, "r.csv", csv_text(people)))
    with app.db.session() as s:
        row = s.get(Setting, match_store.MODEL_KEY)
        assert row is not None
        old = dict(row.value)
        old["versie"] = 1
        del old["m"]["geboortedatum"]["dag-maand-cijfer"]
        row.value = old
        s.commit()
    with app.db.session() as s:
        model = match_store.load_model(s)
        assert "dag-maand-cijfer" in model.m["geboortedatum"]
        row = s.get(Setting, match_store.MODEL_KEY)
        assert row is not None and row.value["versie"] == ev.MODEL_VERSION


def test_fresh_process_matches_from_persisted_keys(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_register(app, write(tmp_path, "r.csv", csv_text([
        marking("U1", achternaam="Kathagen", voornamen="Pieter", geboortedatum="1990-03-14"),
        marking("U2", achternaam="Bakker", voornamen="Kees", geboortedatum="1971-01-30"),
        marking("U3", achternaam="Felcisca", voornamen="Shurandy", geboortedatum="1995-11-15"),
    ])))  # fmt: skip
    url = app.db.url
    app.db.dispose()

    def no_index(*_: object, **__: object) -> None:
        raise AssertionError("no in-memory index may be built for matching")

    monkeypatch.setattr(RegisterIndex, "__init__", no_index)
    monkeypatch.setattr(ev, "train", no_index)  # weights are read, not re-learned
    fresh = open_app(url)
    try:
        import_feed(
            fresh,
            _feed(
                tmp_path,
                ("Kthagen", "Pieter", "1990-03-14"),
                ("Bakker", "Kees", "1971-01-31"),
                ("Felcisca", "Shurandy", "1995-01-01"),  # the police's placeholder
            ),
        )
        with fresh.db.session() as s:
            report = {r["bvh_nummer"]: r for r in known_clients.match_report(s)}
        first = report["PL0900-2026000001"]
        assert first["status"] == "bekend"
        assert first["matches"][0]["reden"] == "naam~,an:fonetisch+geboortedatum"
        second = report["PL0900-2026000002"]
        assert second["status"] == "mogelijk"
        assert second["matches"][0]["reden"] == "naam+geboortedatum~cijfer"
        third = report["PL0900-2026000003"]
        assert third["status"] == "mogelijk"
        assert third["matches"][0]["reden"] == "naam+geboortedatum~onvolledig"
        with fresh.db.session() as s:
            hits = known_clients.hits(s, 2)
        assert any(d.startswith("geboortedatum: 1 cijfer verschil (") for d in hits[0].details)
    finally:
        fresh.db.dispose()


def _migrated_from(
    app: AppContext, tmp_path: Path, revision: str, first: dict[str, Any], then: str = ""
) -> AppContext:
    """`first` and four other markings imported; the database taken back to
    `revision` (`then`: SQL run there, keys as an older reading stored them),
    and opened again, which migrates it to head: its keys and weights were
    dropped. The caller disposes of the app it gets."""
    from alembic import command

    from zsm_desk.services.storage import db as storage_db

    import_register(app, write(tmp_path, "r.csv", csv_text([
        first, *(marking(f"U{i}", achternaam=f"Naam{i}", voornamen="Kees") for i in range(2, 6)),
    ])))  # fmt: skip
    with app.db.engine.begin() as conn:
        command.downgrade(storage_db._alembic_config(conn), revision)
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM match_key").scalar() == 5
        if then:
            conn.exec_driver_sql(then)
    url = app.db.url
    app.db.dispose()
    fresh = open_app(url)
    with fresh.db.session() as s:
        assert s.scalar(select(func.count()).select_from(MatchKey)) == 0
        assert s.get(Setting, match_store.MODEL_KEY) is None
    return fresh


def _matches_after_migration(
    app: AppContext,
    tmp_path: Path,
    revision: str,
    first: dict[str, Any],
    suspect: tuple[str, str, str],
    then: str = "",
) -> list[dict[str, Any]]:
    """`_migrated_from`, then one suspect's feed imported: its matches."""
    fresh = _migrated_from(app, tmp_path, revision, first, then)
    try:
        import_feed(fresh, _feed(tmp_path, suspect))
        with fresh.db.session() as s:
            report = known_clients.match_report(s)
        return list(report[0]["matches"])
    finally:
        fresh.db.dispose()


def test_keys_stored_before_the_surname_as_written_are_rebuilt(
    app: AppContext, tmp_path: Path
) -> None:
    """A database whose keys were stored without `sur_lit` (before migration
    0103): the migration drops keys and weights, the next check rebuilds them
    with it, and a slip the skeleton widens is found."""
    first = marking("U1", achternaam="Bunschoten", voornamen="Damian", geboortedatum="1990-03-14")
    fresh = _migrated_from(app, tmp_path, "0102_match_md", first)
    try:
        import_feed(fresh, _feed(tmp_path, ("Bunsfhoten", "Damian", "1990-03-14")))
        with fresh.db.session() as s:
            lits = list(s.scalars(select(MatchKey.sur_lit)))
            report = known_clients.match_report(s)
        assert "bunschoten" in lits and len(lits) == 5
        assert report[0]["matches"][0]["reden"] == "naam~,an:1-letter+geboortedatum"
    finally:
        fresh.db.dispose()


def test_a_first_name_that_is_a_voorvoegsel_word_is_a_given_name(
    app: AppContext, tmp_path: Path
) -> None:
    """ "Ten Daniel Zakaria" was read as a surname in the given-name field and
    glued into one word: a slip "Teun" then met the twin veto. Keys stored
    before migration 0130 are dropped and rebuilt; an exchanged "de Vries"
    still reads as a surname."""
    assert ev.keys_of(Identity("Boeser", "Ten Daniel Zakaria", "1980-06-15")).giv_lit == "ten"
    assert ev.keys_of(Identity("Anna", "de Vries", "1980-06-15")).giv == "vries"
    first = marking("U1", achternaam="Boeser", voornamen="Teun Daniel Zakaria",
                    geboortedatum="1980-06-15")  # fmt: skip
    old_reading = "UPDATE match_key SET giv = 'danielzakaria' WHERE giv = 'teun daniel zakaria'"
    suspect = ("Boeser", "Ten Daniel Zakaria", "1980-06-15")
    (m,) = _matches_after_migration(
        app, tmp_path, "0103_match_sur_lit", first, suspect, old_reading
    )
    # a slip with every further given name equal: the weight decides
    assert m["status"] == "bekend" and m["reden"] == "naam~,vn:fonetisch+geboortedatum"


def test_a_roepnaam_in_brackets_and_a_glued_voorvoegsel_compare_as_written_apart(
    app: AppContext, tmp_path: Path
) -> None:
    """A VH's "Cornelis (Kees)" against the police's "Cornelis Johannes": Kees
    was a second given name that Johannes contradicts, and only "andere
    voornaam"; a listed roepnaam in brackets or quotes is now left out (an
    unlisted one stays a given name, as before). "Dejong" against "de Jong"
    was "anders", and with a date digit off no hit at all; it is now a part
    of the surname, as a hyphenated one. Keys stored before migration 0131
    are dropped and rebuilt."""
    assert ev.keys_of(Identity("Bakker", "Cornelis (Kees)", "1980-06-15")).giv == "kornelis"
    assert ev.keys_of(Identity("Bakker", 'Cornelis "Kees" Jan', "1980-06-15")).giv == "kornelis ian"
    assert ev.keys_of(Identity("Bakker", "Hendrikus (Rik)", "1980-06-15")).giv == "hendrikus rik"
    assert "iong" in ev.keys_of(Identity("Dejong", "Pieter", "1980-06-15")).sur_parts.split()
    assert ev.keys_of(Identity("Dekker", "Pieter", "1980-06-15")).sur_parts == ""
    assert ev.keys_of(Identity("Demir", "Pieter", "1980-06-15")).sur_parts == ""
    first = marking("U1", achternaam="Jong", voorvoegsel="de", voornamen="Cornelis (Kees)",
                    geboortedatum="1980-06-15")  # fmt: skip
    old_reading = "UPDATE match_key SET giv = 'kornelis kes' WHERE giv = 'kornelis'"
    suspect = ("Dejong", "Cornelis Johannes", "1980-06-16")
    (m,) = _matches_after_migration(app, tmp_path, "0130_match_given", first, suspect, old_reading)
    assert m["reden"] == "naam~,an:deel+geboortedatum~cijfer"


def test_review_dialog_shows_each_fields_level(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableWidget

    from zsm_desk.ui.review_dialog import ReviewDialog

    reg = Identity("Kathagen", "Pieter Jan", "1990-03-14", geboorteplaats="Utrecht")
    sus = Identity("Kthagen", "Pieter", "1990-03-24", geboorteplaats="Utrecht")
    h = RegisterIndex([Candidate("VH-UTR", "P1", reg)]).match(sus)[0]
    hit = known_clients.HitView(1, "VH-UTR", "P1", h.status.value, h.score, h.reden,
                                list(h.details), None, sus, reg)  # fmt: skip
    dlg = ReviewDialog(hit, "Veiligheidshuis Utrecht")
    qtbot.addWidget(dlg)
    table = dlg.findChild(QTableWidget, "vergelijking")
    assert table is not None
    texts = {
        table.verticalHeaderItem(r).text(): table.item(r, 2).text() for r in range(table.rowCount())
    }
    assert texts["Achternaam"] == "klinkt gelijk, andere spelling (+7,2)"
    assert texts["Geboortedatum"].startswith("1 cijfer verschil (+")
    assert texts["Voornamen"].startswith("roepnaam gelijk (+")


def test_bulk_key_path_writes_the_same_keys(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the first-import path (driver executemany, indexes rebuilt) on a small register
    monkeypatch.setattr(match_store, "_BULK", 0)
    people = [
        marking("U1", achternaam="Koning", voornamen="Luuk", geboortedatum="2000-07-19",
                bsn="", geboorteplaats="Utrecht"),
        marking("U2", achternaam="Kathagen", voornamen="Pieter Jan", geboortedatum="1990-03-14"),
    ]  # fmt: skip
    import_register(app, write(tmp_path, "r.csv", csv_text(people)))
    with app.db.session() as s:
        rows = {r.sur: r for r in s.scalars(select(MatchKey))}
        assert set(rows) == {"koning", "katagen"}
        want = ev.keys_of(Identity("Koning", "Luuk", "2000-07-19", geboorteplaats="Utrecht"))
        got = rows["koning"]
        assert got.giv_lit == "luuk" and got.place == want.place and got.giv == want.giv
        assert got.k_gym == ev.block_keys(want)["k_gym"]
        assert rows["katagen"].initials is False
        ix = {
            r[0]
            for r in s.execute(select(MatchKey.__table__.c.marking_id).where(MatchKey.k_ds != ""))
        }
        assert len(ix) == 2
    import_feed(app, _feed(tmp_path, ("Koning", "Luc", "2000-07-19")))
    with app.db.session() as s:
        report = {r["bvh_nummer"]: r for r in known_clients.match_report(s)}
    assert report["PL0900-2026000001"]["status"] == "mogelijk"  # Luc is not Luuk


def test_roepnaam_alone_needs_a_wider_margin_without_place_or_gemeente() -> None:
    """Held-out seed 101 at 200,000 persons: "Jean-Luc" against "Jean-Luc Eugene",
    same surname and day, another gemeente, was a same-year namesake at 9.0 bits."""
    model = ev.default_model()
    reg = ev.keys_of(Identity("Coriana", "Jean-Luc Eugene", "1989-03-12", gemeente="Tienhoven"))
    moved = ev.keys_of(Identity("Coriana", "Jean-Luc", "1989-03-12", gemeente="Baaium"))
    same = ev.keys_of(Identity("Coriana", "Jean-Luc", "1989-03-12", gemeente="Tienhoven"))
    v_moved, v_same = ev.judge(model, moved, reg), ev.judge(model, same, reg)
    assert v_moved is not None and v_same is not None
    assert v_moved.levels["voornaam"] == "roepnaam"
    assert v_same.status is BEKEND
    # enough for bekend on its own, not with the margin: a person confirms
    assert ev.BEKEND_BITS <= v_moved.bits < ev.BEKEND_BITS + ev.ROEPNAAM_MARGIN
    assert v_moved.status is MOGELIJK
    assert any("alleen de eerste voornaam" in d for d in v_moved.details)


def test_a_misspelt_common_pair_weighs_no_more_than_the_pair_is_rare() -> None:
    """Held-out seed 103: "Filmon Berhane" against a register "Filmon Beehane" of
    the same day, where a hundred persons are called Filmon Berhane."""
    reg = [("Berhane", "Filmon", f"19{60 + n % 40}-0{1 + n % 9}-1{n % 9}") for n in range(60)]
    index = RegisterIndex(_named_register([*reg, ("Beehane", "Filmon", "1968-05-06")]))
    hits = [
        h for h in index.match(Identity("Berhane", "Filmon", "1968-05-06")) if h.persoon_id == "X60"
    ]
    assert hits and hits[0].status is MOGELIJK
    assert any("komen vaak samen voor" in d for d in hits[0].details)


def test_a_slip_of_a_third_name_is_no_slip_of_the_register_name() -> None:
    """Clerk generator, held-out seed 101: twin "Matthjis" (a slip of Matthijs)
    against "Morris", same surname and day; the skeletons are two letters apart."""
    index = RegisterIndex(
        _named_register([("Laon", "Morris Hidde", "1963-08-31"), ("Laon", "Arthur", "1971-02-03")])
    )
    assert not ev.two_names(index.model, "arjhur", "arthur")
    assert ev.two_names(index.model, "matthjis", "morris")
    hits = index.match(Identity("Laon", "Matthjis", "1963-08-31"))
    assert all(h.status is not BEKEND for h in hits)


def test_a_date_one_digit_off_is_bekend_only_when_the_gemeente_backs_a_rare_name() -> None:
    """A digit typo in the birth date of a rare name, the same gemeente: bekend on
    learned weights. Living elsewhere (the benchmark generators' namesakes with
    every given name equal, 11-13 bits) or on reference weights: a person looks."""
    reg = Identity("Kalverda", "Arthur Jan", "1990-03-14", gemeente="Tiel")
    people = [*_named_register([]), Candidate("VH-UTR", "X0", reg)]
    index = RegisterIndex(people)
    typo = index.match(Identity("Kalverda", "Arthur Jan", "1990-03-24", gemeente="Tiel"))
    assert [(h.persoon_id, h.status) for h in typo] == [("X0", BEKEND)]
    assert typo[0].reden == "naam+geboortedatum~cijfer"
    moved = index.match(Identity("Kalverda", "Arthur Jan", "1990-03-24", gemeente="Zwolle"))
    assert [(h.persoon_id, h.status) for h in moved] == [("X0", MOGELIJK)]
    # a single-record register: reference weights cannot tell rare from common
    assert one(reg, Identity("Kalverda", "Arthur Jan", "1990-03-24", gemeente="Tiel")) == (
        MOGELIJK,
        "naam+geboortedatum~cijfer",
    )


@pytest.mark.parametrize(
    "born",
    [
        "1960-03-14",  # a father: a digit off in the decade
        "1930-03-14",  # a grandfather
        "1909-03-14",  # two year digits transposed (81 years)
        "1980-03-14",  # a neighbouring key in the decade
        "1993-03-14",  # a son born 1999, written 1993 (a slip in the year)
    ],
)
def test_a_date_one_digit_off_in_the_year_is_never_bekend(born: str) -> None:
    """A father, son or grandfather of the same names, born the same day and
    month, lives in the same gemeente: the gemeente that backs a digit typo
    backs him too. A digit off in the day or month keeps the year, which no
    father shares: still `bekend` with the gemeente."""
    reg = Identity("Kalverda", "Arthur Jan", "1990-03-14", gemeente="Tiel")
    index = RegisterIndex([*_named_register([]), Candidate("VH-UTR", "X0", reg)])
    hits = index.match(Identity("Kalverda", "Arthur Jan", born, gemeente="Tiel"))
    assert [(h.persoon_id, h.status) for h in hits] == [("X0", MOGELIJK)]
    assert hits[0].reden == "naam+geboortedatum~cijfer"
    assert any("vader, zoon of grootvader" in d for d in hits[0].details)
    for day_or_month in ("1990-03-24", "1990-08-14"):
        typo = index.match(Identity("Kalverda", "Arthur Jan", day_or_month, gemeente="Tiel"))
        assert [(h.persoon_id, h.status) for h in typo] == [("X0", BEKEND)], day_or_month


def test_a_near_miss_name_weighs_no_more_than_the_registered_spelling_is_rare() -> None:
    """Held-out typo seed 103 at 200,000 persons: "Ruben Salm" met a registered
    "Robin Sam" of the same day at 6.9 bits; every other Robin is as close."""
    extra = [("Salm", "Robin", f"19{60 + n % 40}-0{1 + n % 9}-1{n % 9}") for n in range(200)]
    model = RegisterIndex(_named_register(extra)).model
    m = model.m["voornaam"]["fonetisch"]
    common = model.weight("voornaam", "fonetisch", "robin")
    assert common == pytest.approx(ev._log2(m * model.n / model.tf_giv["robin"]))
    # a spelling nobody else carries (a register typo) keeps the level's weight
    rare = model.weight("voornaam", "fonetisch", "rqbin")
    assert rare == pytest.approx(ev._log2(m / model.u["voornaam"]["fonetisch"]))
    assert common < rare


def test_a_slip_the_skeleton_pushed_away_is_compared_as_written() -> None:
    """Dexn becomes 'deksn' on its skeleton, two letters from Dean; as written it is one."""
    dean = ev.keys_of(Identity("Michiels", "Dean", "1964-10-25"))
    assert ev.compare_given(ev.keys_of(Identity("Michiels", "Dexn", "1964-10-25")), dean) in (
        "1-letter",
        "2-letters",
    )
    # two names people carry stay apart (Axel / Abel): that is what twins look like
    abel = ev.keys_of(Identity("Michiels", "Abel", "1964-10-25"))
    assert ev.compare_given(ev.keys_of(Identity("Michiels", "Axel", "1964-10-25")), abel) == (
        "anders"
    )


def test_a_date_digit_off_beside_a_birth_place_but_elsewhere_is_reviewed() -> None:
    """Every name and the birth place equal, the date one digit off, living in
    another gemeente: a relative of the same names born that year in the
    family's city as often as a typo (nl generator, fresh seed 200: two
    "Rachid Yassine BouKhattaoui" of Casablanca, 21.6 bits). A person looks;
    in the same gemeente it stays bekend."""
    reg = Identity("Boukhattaoui", "Rachid Yassine", "1965-05-07", geboorteplaats="Casablanca",
                   gemeente="Rogat")  # fmt: skip
    index = RegisterIndex([*_named_register([]), Candidate("VH-UTR", "X0", reg)])

    def seen(gemeente: str) -> tuple[Any, ...]:
        sus = Identity("BouKhattaoui", "Rachid Yassine", "1965-07-07",
                       geboorteplaats="Casablanca", gemeente=gemeente)  # fmt: skip
        (h,) = index.match(sus)
        return h.persoon_id, h.status, any("1 cijfer verschil en een andere gemeente" in d
                                           for d in h.details)  # fmt: skip

    assert seen("Thesinge") == ("X0", MOGELIJK, True)
    assert seen("Rogat") == ("X0", BEKEND, False)


def test_a_partial_date_weighs_its_known_part_and_a_sibling_is_no_hit() -> None:
    """A register date of only a year (or year and month) compares what it holds:
    the part that is missing is neutral, not a penalty. Never bekend without BSN."""
    model = ev.train(_register(3_000, common=0))
    year = model.weight("geboortedatum", "onvolledig", "19900000")
    month = model.weight("geboortedatum", "onvolledig", "19900300")
    assert 3 < year < month  # a year agreeing is worth bits; year and month more
    assert model.weight("voornaam", "voorletters") > 0  # initials that agree, likewise
    reg = Identity("Ketting", "David", "2009-00-00")
    assert one(reg, Identity("Ketting", "David", "2009-08-05")) == (
        MOGELIJK,
        "naam+geboortedatum~onvolledig",
    )
    # the same surname and year, a clearly other first name: a sibling, no hit
    assert one(reg, Identity("Ketting", "Riley", "2009-08-05")) is None


def test_the_cheap_name_check_never_drops_a_pair_compare_keeps() -> None:
    """`_names_far` says "both names anders" only where `compare` says so too
    (it skips `compare` for most pairs of a big check)."""
    rng = random.Random(11)
    sur = [
        "Jansen",
        "Janssen",
        "Jnasen",
        "Vries",
        "Bakker",
        "Bakkre",
        "Marinus",
        "Mannus",
        "Ouazari",
        "Wipstrik-Erhout",
        "Erhout",
        "Kathagen",
        "Klaassen",
        "Daassen",
        "Maas",
        "Bosch",
        "Boxch",
        "Bunschoten",
        "Bunsfhoten",
        "Veen",
        "Veeri",
        "Vel den",
        "Velden",
        "Coreth von und zu Coredo und Starkenberg",
        "Riley",
        # double surnames and voorvoegsels: parts in common compare "deel"
        "Boudewijns-de Jong",
        "Jong",
        "de Jong",
        "El Idrissi-Ahmadi",
        "Ahmadi",
        "Idrisi",
        "van der Berg-El Amrani",
        "Amrani",
        "Berg",
        "Bergh",
    ]
    giv = ["Piet", "Pieter Jan", "Pjeter", "Dexn", "Dean", "Axel", "Abel", "Marinus",
           "Jansen", "Rianne", "Nanne", "Klaas", "Daas", "Qui nn Adam", "Quinn", "Wipstrik Erhout",
           "Mohamed", "Mohammed Ali", "Erhout Piet", "Sam", "Siem", "Daan", "Dian", "Lars",
           "Lara", "Coreth von und zu Coredo und Starkenberg", "Riley", "Rilye", "Jong",
           "Ahmadi", "Amrani Piet", "de Jong", "Berg"]  # fmt: skip
    vv = ["", "", "", "de", "van der", "El"]
    people = [
        Identity(rng.choice(sur), rng.choice(giv), "1990-03-14", voorvoegsel=rng.choice(vv))
        for _ in range(400)
    ]
    suspects = [ev.keys_of(i, suspect=True) for i in people]
    ids = [ev.keys_of(i) for i in people]
    far = 0
    parts = 0
    for a in suspects:
        for b in ids[:160]:
            if ev._names_far(a, b):
                parts += bool(a.sur_parts or b.sur_parts)
                far += 1
                comp = ev.compare(a, b)
                assert not comp.exchanged, (a, b)
                assert comp.levels["achternaam"] == comp.levels["voornaam"] == "anders", (a, b)
    assert far > 1_000  # the check does cut pairs
    assert parts > 500  # ... also of double surnames and voorvoegsels


# --- the queue teaches how it writes names and dates ---------------------------------


def test_the_queue_teaches_how_often_it_writes_a_date_one_digit_off() -> None:
    """A quarter of this queue's known clients come with the birth day one digit
    off: the batch learns it (m), the register's rarity (u, term frequencies)
    stays, and no unknown suspect becomes `bekend`."""
    people = _named_register([])
    index = RegisterIndex(people)
    rng = random.Random(8)
    known = rng.sample(people, 400)
    suspects = []
    for n, c in enumerate(known):
        i = c.identity
        date = i.geboortedatum
        if n % 4 == 0:
            date = date[:-1] + ("2" if date[-1] == "1" else "1")
        suspects.append(Identity(i.achternaam, i.voornamen, date))
    suspects += [
        Identity(f"Onbekend{chr(97 + n % 26)}{n}", "Sara", f"19{60 + n % 40}-0{1 + n % 9}-1{n % 9}")
        for n in range(1_600)
    ]
    learned, hits = decide_batch(index.model, index.batch(suspects))
    reg = index.model
    assert learned.m["geboortedatum"]["cijfer"] > 3 * reg.m["geboortedatum"]["cijfer"]
    assert learned.m["geboortedatum"]["cijfer"] <= ev.M_PRIOR["geboortedatum"]["cijfer"] * 5.01
    assert learned.weight("geboortedatum", "cijfer") > reg.weight("geboortedatum", "cijfer") + 2
    assert learned.u is reg.u and learned.tf_pair is reg.tf_pair
    assert hits == index.match_many(suspects)
    for n, (c, item_hits) in enumerate(zip(known, hits[:400], strict=True)):
        assert (c.vh_code, c.persoon_id) in {(h.vh_code, h.persoon_id) for h in item_hits}, n
    assert not any(h.status is BEKEND for item_hits in hits[400:] for h in item_hits)


def test_one_suspect_moves_the_weights_next_to_nothing() -> None:
    """A check of one item keeps (about) the register's weights; a register too
    small to learn from keeps its reference weights whatever the queue says."""
    people = _named_register([])
    index = RegisterIndex(people)
    c = people[7].identity
    sus = Identity(c.achternaam, c.voornamen, c.geboortedatum[:-1] + "9")
    learned, hits = decide_batch(index.model, index.batch([sus]))
    assert [h.persoon_id for h in hits[0]] == [people[7].persoon_id]
    assert learned.weight("geboortedatum", "cijfer") == pytest.approx(
        index.model.weight("geboortedatum", "cijfer"), abs=0.1
    )
    small = RegisterIndex(people[:50])
    assert small.model.reference
    assert decide_batch(small.model, small.batch([sus]))[0] is small.model


# --- a birth date many persons carry (1 January for an unknown day) ------------------


def test_only_a_day_that_stands_out_from_the_days_around_it_is_heavy() -> None:
    dates: Counter[str] = Counter()
    for day in range(365):  # one carrier a day, thirty a day in an age band of six weeks
        d = (dt.date(1990, 1, 1) + dt.timedelta(days=day)).strftime("%Y%m%d")
        dates[d] = 30 if 100 <= day < 142 else 1
    dates["19900101"] = 60  # the placeholder
    dates["19900715"] = 6  # a chance clump, six where one is usual
    dates["19900500"] = 90  # a partial date is never a day
    assert ev.heavy_dates(dates) == {"19900101": 60}


@pytest.mark.parametrize(
    ("suspect", "held"),
    [
        (Identity("Sital", "Chantal", "2005-01-01"), True),
        (Identity("Sital", "Chantal", "2005-01-01", gemeente="Sneek"), True),  # one given name
        (Identity("Sital", "Chantal Devi", "2005-01-01"), True),  # nothing backs it
        (Identity("Sital", "Chantal Devi", "2005-01-01", gemeente="Sneek"), False),
        (Identity("Sital", "Chantal", "2005-03-14"), False),  # an ordinary day
        # one given name, with the birth place and the gemeente both equal
        (Identity("Sital", "Chantal", "2005-01-01", gemeente="Sneek", geboorteplaats="Paramaribo"),
         False),
        (Identity("Sital", "Chantal", "2005-01-01", geboorteplaats="Paramaribo"), True),
        (Identity("Sital", "Chantal", "2005-01-01", gemeente="Sneek", geboorteplaats="Nickerie"),
         True),
    ],
)  # fmt: skip
def test_two_of_one_name_on_a_date_many_carry_go_to_a_person(suspect: Identity, held: bool) -> None:
    """Two "Chantal Sital" on 01-01-2005, a date the register shows many
    carry, and no more: two persons whose day and month nobody knows look
    exactly like this (fresh nl seed 268 with `eerste_januari`: `bekend` at
    10.8 bits). Backed as a year alone is: every given name, and either at
    least two of them and the gemeente or birth place, or both the gemeente
    and the birth place (splink's historical persons, 16th session: 853
    true pairs held with one name and both places equal, no other person)."""
    model = dataclasses.replace(ev.default_model(), reference=False, tf_date={"20050101": 31})
    reg = Identity(
        "Sital", "Chantal Devi" if " " in suspect.voornamen else "Chantal",
        suspect.geboortedatum, gemeente="Sneek", geboorteplaats="Paramaribo",
    )  # fmt: skip
    s, c = ev.keys_of(suspect, suspect=True), ev.keys_of(reg)
    reason = ev._review_reason(model, s, c, ev.compare(s, c))
    assert (reason is not None and "veel mensen in het register" in reason) is held, reason


def test_a_birth_date_many_persons_carry_weighs_by_how_many() -> None:
    """Registrations write 1 January for an unknown day and month: agreeing on
    it says little, and two namesakes born that "day" are no match to accept
    (nl generator with eerste_januari=0.5: false `mogelijk` 38.5 per 1,000)."""
    syl = ["ka", "to", "me", "ri", "sa", "lo", "ve", "du", "ni", "pa", "go", "be"]
    placeholders = [
        ("Bel" + syl[n // 12] + syl[n % 12], ["Thomas", "Anna", "Sara", "Daan"][n % 4],
         "1990-01-01" if n % 2 else "1991-01-01")
        for n in range(144)
    ]  # fmt: skip
    cands = _named_register([*placeholders, ("Kalverda", "Thomas", "1990-01-01"),
                             ("Kalverda", "Daan", "1987-06-12")])  # fmt: skip
    index = RegisterIndex(cands)
    model = index.model
    assert set(model.tf_date) == {"19900101", "19910101"}  # nothing else in the register
    carriers = model.tf_date["19900101"]
    assert carriers >= 73
    plain = model.weight("geboortedatum", "exact")
    assert model.weight("geboortedatum", "exact", "19900101") < plain - 5
    # a date one digit from the suspect's placeholder says as little
    assert model.weight("geboortedatum", "cijfer", "19900101") < model.weight(
        "geboortedatum", "cijfer"
    )
    assert ev.Model.from_json(model.to_json()).tf_date == model.tf_date
    # the same names: bekend on an ordinary day, a person looks on the placeholder
    (hit,) = index.match(Identity("Kalverda", "Daan", "1987-06-12"))
    assert hit.status is BEKEND
    (hit,) = index.match(Identity("Kalverda", "Thomas", "1990-01-01"))
    assert hit.status is MOGELIJK
    assert any(f"01-01-1990 is de geboortedatum van {carriers} personen" in d for d in hit.details)
    # the u of an ordinary day is learned without the placeholders' carriers,
    # whose two years are also one digit apart
    without = RegisterIndex(_named_register([("Kalverda", "Daan", "1987-06-12")])).model
    assert plain == pytest.approx(without.weight("geboortedatum", "exact"), abs=0.3)
    ratio = model.u["geboortedatum"]["cijfer"] / without.u["geboortedatum"]["cijfer"]
    assert 0.8 < ratio < 1.25, ratio


def test_a_double_surname_written_with_a_blank_finds_either_name(
    app: AppContext, tmp_path: Path
) -> None:
    """ "Smit de Vries" or "Rodrigues da Silva" written with a blank was one
    name, "anders" against "de Vries" or "Silva" alone; split where a
    voorvoegsel starts the second name, each name is a part, as with a
    hyphen. "Al Hassan" has no voorvoegsel inside and stays one name. Keys
    stored before migration 0132 are dropped and rebuilt."""
    parts = {
        name: set(ev.keys_of(Identity(name, "Anna", "1980-06-15")).sur_parts.split())
        for name in ("Smit de Vries", "Rodrigues da Silva", "Garcia de la Cruz", "Al Hassan",
                     "Jansen Bakker", "Smit-de Vries")
    }  # fmt: skip
    assert parts["Smit de Vries"] == parts["Smit-de Vries"] == {"smit", "vries"}
    assert parts["Rodrigues da Silva"] == {"rodrigues", "silva"}
    assert parts["Garcia de la Cruz"] == {"garkia", "kruz"}
    assert parts["Al Hassan"] == {"hasan"}  # the particle dropped, as before; no split
    assert parts["Jansen Bakker"] == set()  # no voorvoegsel inside: one name
    first = marking("U1", achternaam="Smit de Vries", voornamen="Anna", geboortedatum="1980-06-15")
    suspect = ("de Vries", "Anna", "1980-06-15")
    (m,) = _matches_after_migration(app, tmp_path, "0131_match_beside", first, suspect)
    assert m["reden"] == "naam~,an:deel+geboortedatum"


def test_keys_of_names_without_letters_stored_before_0133_are_rebuilt(
    app: AppContext, tmp_path: Path
) -> None:
    """An older reading stored "(1860-1945)" as a blank-only given name, which
    made training and matching fail; migration 0133 drops the keys and
    weights, and the next check rebuilds them: the odd marking has no given
    name, and "William (Bill)" is William beside his listed roepnaam."""
    first = marking("U1", achternaam="Bailey", voornamen="William (Bill)",
                    geboortedatum="1935-10-06")  # fmt: skip
    stale = "UPDATE match_key SET giv = ' ' WHERE giv = 'kes'"  # the four "Kees"
    (m,) = _matches_after_migration(
        app, tmp_path, "0132_match_double", first, ("Bailey", "William", "1935-10-06"), stale
    )
    assert m["status"] == "bekend" and m["persoon_id"] == "U1"
    assert ev.keys_of(Identity("Naam", "(1860-1945)", "1935-10-06")).giv == ""


@pytest.mark.parametrize(
    ("registered", "written", "expected"),
    [
        ("Alphen aan den Rijn", "Alphen a/d Rijn", BEKEND),
        ("Nador (Marokko)", "Nador", BEKEND),
        ("Hengelo (O)", "Hengelo", BEKEND),
        ("Hengelo (O)", "Hengelo (Gld)", MOGELIJK),  # two places of one name
        ("Nador (Marokko)", "Marokko", BEKEND),  # a country says nothing either way
    ],
)
def test_a_birth_place_written_another_way_is_no_other_birth_place(
    registered: str, written: str, expected: MatchStatus
) -> None:
    """A slip in the surname with an equal date is `bekend` with an equal
    birth place or none; "another birth place" held it back even when the
    police wrote the same place in another way."""
    got = one(
        Identity("Kathagen", "Pieter Jan", "1991-04-12", geboorteplaats=registered),
        Identity("Kthagen", "Pieter Jan", "1991-04-12", geboorteplaats=written),
    )
    assert got is not None and got[0] == expected


def test_place_keys_stored_before_0134_are_rebuilt(app: AppContext, tmp_path: Path) -> None:
    """Keys stored before migration 0134 read "Alphen a/d Rijn" as another
    place than "Alphen aan den Rijn"; the migration drops keys and weights,
    and the next check rebuilds them."""
    first = marking("U1", achternaam="Kathagen", voornamen="Pieter Jan", geboortedatum="1991-04-12",
                    geboorteplaats="Alphen a/d Rijn")  # fmt: skip
    stale = "UPDATE match_key SET place = 'alfenadrin' WHERE place = 'alfenandenrin'"
    fresh = _migrated_from(app, tmp_path, "0133_match_letters", first, stale)
    try:
        item = {"bvh_nummer": "PL0900-2026000001", "ingestroomd_op": "2026-11-22T07:00:00+01:00",
                "achternaam": "Kthagen", "voornamen": "Pieter Jan", "geboortedatum": "1991-04-12",
                "geboorteplaats": "Alphen aan den Rijn", "feit": "Diefstal", "status": "aangemeld"}  # fmt: skip
        import_feed(fresh, write(tmp_path, "f.json", {"items": [item]}))
        with fresh.db.session() as s:
            (m,) = known_clients.match_report(s)[0]["matches"]
        assert (m["persoon_id"], m["status"]) == ("U1", "bekend")
    finally:
        fresh.db.dispose()


def test_a_register_with_a_given_name_without_letters_imports_and_matches(
    app: AppContext, tmp_path: Path
) -> None:
    """End to end, big enough to learn weights (2,000 persons or more): with
    a marking whose given names are "(1860-1945)" the session-start code
    refused the register import ("onverwachte fout (IndexError)"), and an
    instroom file meeting such a stored marking failed as a whole."""
    rng = random.Random(8)
    recs = [
        marking(f"U{n}", achternaam=f"Naam{n % 700}", voornamen=rng.choice(["Kees", "Anna", "Jan"]),
                geboortedatum=f"19{50 + n % 40}-0{1 + n % 9}-1{n % 10}")
        for n in range(2_100)
    ]  # fmt: skip
    recs[7] = marking("U7", achternaam="Moses", voornamen="(1860-1945)", geboortedatum="1980-02-23")
    recs[9] = marking("U9", achternaam="Veldkamp", voornamen="Pieter", geboortedatum="1985-04-02")
    import_register(app, write(tmp_path, "r.csv", csv_text(recs)))
    import_feed(app, _feed(tmp_path, ("Moses", "Jan", "1980-02-23"),
                           ("Veldkamp", "Pieter", "1985-04-02")))  # fmt: skip
    with app.db.session() as s:
        report = {it["bvh_nummer"]: it for it in known_clients.match_report(s)}
        assert not match_store.load_model(s).reference  # weights learned, not the reference
    assert [m["persoon_id"] for m in report["PL0900-2026000001"]["matches"]] == ["U7"]
    (hit,) = report["PL0900-2026000002"]["matches"]
    assert (hit["persoon_id"], hit["status"]) == ("U9", "bekend")


@pytest.mark.parametrize(
    ("written", "register", "expected"),
    [
        ("Mhd", "Mohammed", "naam~,vn:afgekort+geboortedatum"),
        ("Md", "Muhammad", "naam~,vn:afgekort+geboortedatum"),
        ("Mhmd", "Mohamed Ali", "naam~,vn:afgekort+geboortedatum"),
        ("Wm", "Willem", "naam~,vn:afgekort+geboortedatum"),
        ("Mhd", "Karim", None),  # another first name: a brother, not shown
        ("Mrk", "Mark", None),  # one letter short is a slip, not an abbreviation
    ],
)
def test_a_first_name_abbreviated_to_its_consonants_is_found_for_review(
    written: str, register: str, expected: str | None
) -> None:
    """Syrian papers write Mohammed as "Mhd": consonants only, in order, from
    the first letter. Like a name cut short it is weighed as initials and
    never `bekend`; before, the twin veto hid it."""
    got = one(
        Identity("Bouzidi", register, "1990-03-14"), Identity("Bouzidi", written, "1990-03-14")
    )
    if expected is None:
        assert got is None or "afgekort" not in got[1]
    else:
        assert got == (MOGELIJK, expected)
        # the fields exchanged, "Mhd" in the surname field: also as written,
        # as the spelling skeleton of Muhammad (mohamet) has no d
        swapped = one(Identity("Bouzidi", register, "1990-03-14"),
                      Identity(written, "Bouzidi", "1990-03-14"))  # fmt: skip
        assert swapped == (MOGELIJK, "naam~,vn:afgekort,verwisseld+geboortedatum")
