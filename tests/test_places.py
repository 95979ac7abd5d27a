"""Place names written in other ways (`domain.places`, issue 12)."""

from __future__ import annotations

import pytest

from zsm_desk.domain.places import MAX_KEY, compare_place, place_key


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        # abbreviations written out
        ("Alphen a/d Rijn", "Alphen aan den Rijn", "gelijk"),
        ("Alphen a.d. Rijn", "Alphen aan de Rijn", "gelijk"),
        ("Koog a/d Zaan", "Koog aan de Zaan", "gelijk"),
        ("St. Michielsgestel", "Sint-Michielsgestel", "gelijk"),
        ("Nuenen c.a.", "Nuenen, Gerwen en Nederwetten", "gelijk"),
        # a province or country beside the name: no contradiction when on one side
        ("Hengelo (Gld)", "Hengelo", "gelijk"),
        ("Hengelo O", "Hengelo (Ov)", "gelijk"),
        ("Bergen N.H.", "Bergen (NH)", "gelijk"),
        ("Rijswijk (ZH)", "Rijswijk", "gelijk"),
        ("Nador", "Nador (Marokko)", "gelijk"),
        ("Nador, Morocco", "Nador (Marokko)", "gelijk"),
        ("Zeeland", "Zeeland (NB)", "gelijk"),
        # ... and two places when both say which, and they differ
        ("Hengelo (Gld)", "Hengelo (O)", "anders"),
        ("Bergen (NH)", "Bergen (L)", "anders"),
        ("Nador (Marokko)", "Nador (Turkije)", "anders"),
        # a country against a place in it: which place is not known
        ("Marokko", "Nador (Marokko)", "leeg"),
        ("Nador, Marokko", "Morocco", "leeg"),
        # other languages
        ("Marokko", "Morocco", "gelijk"),
        ("The Hague", "'s-Gravenhage", "gelijk"),
        ("Den Bosch", "'s-Hertogenbosch", "gelijk"),
        ("Leeuwarden", "Ljouwert", "gelijk"),
        ("Brussel", "Bruxelles", "gelijk"),
        # still other places
        ("Amsterdam", "Rotterdam", "anders"),
        ("Utrecht", "Amersfoort (U)", "anders"),
        ("Bergen", "Bergen op Zoom", "anders"),
        ("Alphen aan den Rijn", "Alphen", "anders"),
        # a slip in a long enough name, as before
        ("Amsterdam", "Amstredam", "gelijk"),
        ("Ede", "Epe", "anders"),
        # nothing to compare
        ("", "Nador", "leeg"),
        ("(NH)", "Bergen", "leeg"),
    ],
)
def test_one_place_written_in_other_ways(a: str, b: str, level: str) -> None:
    assert compare_place(place_key(a), place_key(b)) == level
    assert compare_place(place_key(b), place_key(a)) == level


def test_a_key_fits_its_column_whatever_the_name() -> None:
    """A qualifier written without brackets takes one character more in the
    key ("Hengelo O" is "hengelo|ov"); the key never outgrows the column."""
    for place in ("x" * 98 + " O", "Bergen " + "y" * 92 + " (Gld)", "a, " + "b" * 97):
        assert 0 < len(place_key(place)) <= MAX_KEY


def test_no_two_places_of_the_country_list_are_merged_that_were_apart() -> None:
    """Over Faker's list of 2,400 Dutch places: the new key merges no two
    names that the plain spelling skeleton (the key before) kept apart, and
    the qualifiers it reads are the province codes the list itself uses
    ("Beers NB", "Elst Ut", "Haren Gn", "Bergen (NH)")."""
    from faker.providers.address.nl_NL import Provider

    from zsm_desk.domain.names import fold, skeleton

    def before(place: str) -> str:
        return skeleton(fold(place).replace(" ", "").replace("-", ""))

    cities = sorted(set(Provider.cities))
    assert len(cities) > 2_000
    by_key: dict[str, set[str]] = {}
    for city in cities:
        by_key.setdefault(place_key(city), set()).add(before(city))
    assert all(len(olds) == 1 for olds in by_key.values())
    qualified = {place_key(c).partition("|")[2] for c in cities if "|" in place_key(c)}
    assert qualified <= {"nh", "zh", "gld", "l", "nb", "u", "gr", "fr", "dr", "ov", "z", "fl"}
    assert place_key("Haren Gn") != place_key("Haren") and place_key("Elst Ut") == "elst|u"
