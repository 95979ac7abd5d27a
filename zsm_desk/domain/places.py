"""Keys of place names (geboorteplaats, gemeente) as registrations write them.

One place is written in several ways, and before, each other way was "another
birth place", which holds a pair back from `bekend`:

* an abbreviation: "Alphen a/d Rijn" and "Alphen aan den Rijn",
  "St. Michielsgestel" and "Sint-Michielsgestel", "Nuenen c.a." and "Nuenen";
* the province or country beside it: "Hengelo (O)", "Bergen NH",
  "Nador (Marokko)", "Nador, Morocco" against "Hengelo", "Bergen", "Nador";
* another language: "Morocco" and "Marokko", "The Hague" and "Den Haag",
  "Ljouwert" and "Leeuwarden".

The key keeps the name and what tells namesakes apart (the qualifier: a
province or a country) apart: ``"hengelo|ov"``. Two keys agree when the
names agree and the qualifiers do not contradict: one missing is no
contradiction, but Hengelo (Gld) and Hengelo (O) are two places, and so are
Bergen (NH) and Bergen (L). A country alone against a place in that country
("Marokko" against "Nador (Marokko)") says nothing either way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from zsm_desk.domain.names import fold, skeleton

#: The stored key's column length (match_key.place and .gem).
MAX_KEY = 100
#: Between a place's name and its qualifier in a key.
QUALIFIED = "|"

# fmt: off
#: Provinces as written after a place name, to one code each.
_PROVINCES = {
    **dict.fromkeys(("o", "ov", "ovl", "overijssel"), "ov"),
    **dict.fromkeys(("gld", "gl", "gelderland"), "gld"),
    **dict.fromkeys(("nh", "noordholland"), "nh"),
    **dict.fromkeys(("zh", "zuidholland"), "zh"),
    **dict.fromkeys(("l", "lb", "li", "limburg"), "l"),
    **dict.fromkeys(("nb", "noordbrabant", "brabant"), "nb"),
    **dict.fromkeys(("u", "ut", "utr", "utrecht"), "u"),
    **dict.fromkeys(("fr", "fryslan", "friesland"), "fr"),
    **dict.fromkeys(("gr", "gn", "groningen"), "gr"),
    **dict.fromkeys(("dr", "drenthe"), "dr"),
    **dict.fromkeys(("fl", "flevoland"), "fl"),
    **dict.fromkeys(("z", "zl", "zld", "zeeland"), "z"),
}
#: Province codes that may follow a name without brackets ("Bergen NH"); a
#: full province name only in brackets or after a comma, since "Zeeland" and
#: "Utrecht" are places themselves.
_TRAILING = frozenset(k for k in _PROVINCES if len(k) <= 3)

#: Other ways of writing one place or country (folded, blanks and hyphens
#: out), each to the form that stands first.
_FAMILIES: tuple[tuple[str, ...], ...] = (
    # the Netherlands: official, short, Frisian and foreign names
    ("sgravenhage", "denhaag", "gravenhage", "thehague", "lahaye"),
    ("shertogenbosch", "denbosch", "hertogenbosch", "boisleduc"),
    ("leeuwarden", "ljouwert"), ("sneek", "snits"), ("heerenveen", "ithearrenfean", "hearrenfean"),
    ("harlingen", "harns"), ("franeker", "frjentsjer"), ("vlissingen", "flushing"),
    # countries, as a foreign-born person's birth place is often written
    ("marokko", "morocco", "maroc", "maroko", "almaghrib"),
    ("turkije", "turkey", "turkiye", "turkei", "turquie"),
    ("suriname", "surinam"), ("nederlandseantillen", "antillen", "netherlandsantilles"),
    ("duitsland", "germany", "deutschland", "allemagne"),
    ("belgie", "belgium", "belgique", "belgien"), ("frankrijk", "france"),
    ("polen", "poland", "polska"), ("roemenie", "romania", "romania"),
    ("bulgarije", "bulgaria"), ("hongarije", "hungary", "magyarorszag"),
    ("tsjechie", "czechia", "czechrepublic", "tsjechischerepubliek"),
    ("slowakije", "slovakia"), ("litouwen", "lithuania"), ("letland", "latvia"),
    ("estland", "estonia"), ("oekraine", "ukraine"), ("rusland", "russia"),
    ("witrusland", "belarus"), ("joegoslavie", "yugoslavia"), ("servie", "serbia"),
    ("kroatie", "croatia", "hrvatska"), ("bosnie", "bosnia", "bosnieherzegovina",
     "bosniaandherzegovina", "bosnienherzegovina"),
    ("albanie", "albania", "shqiperia"), ("griekenland", "greece"), ("spanje", "spain", "espana"),
    ("italie", "italy", "italia"), ("verenigdkoninkrijk", "unitedkingdom", "uk", "engeland",
     "england", "grootbrittannie", "greatbritain"),
    ("verenigdestaten", "unitedstates", "usa", "vs", "verenigdestatenvanamerika"),
    ("irak", "iraq"), ("syrie", "syria"), ("somalie", "somalia"), ("ethiopie", "ethiopia"),
    ("egypte", "egypt"), ("algerije", "algeria", "algerie"), ("tunesie", "tunisia", "tunisie"),
    ("libie", "libya"), ("kaapverdie", "capeverde", "caboverde"), ("indonesie", "indonesia"),
    ("brazilie", "brazil", "brasil"), ("colombia", "colombie"),
    ("dominicaanserepubliek", "dominicanrepublic"), ("soedan", "sudan"),
    # cities abroad with a Dutch name
    ("brussel", "brussels", "bruxelles"), ("antwerpen", "antwerp", "anvers"),
    ("keulen", "koln", "cologne"), ("aken", "aachen"), ("warschau", "warsaw", "warszawa"),
    ("boekarest", "bucharest", "bucuresti"), ("praag", "prague", "praha"),
    ("moskou", "moscow", "moskva"), ("kopenhagen", "copenhagen", "kobenhavn"),
    ("lissabon", "lisbon", "lisboa"), ("wenen", "vienna", "wien"), ("athene", "athens", "athina"),
    ("napels", "naples", "napoli"), ("milaan", "milan", "milano"), ("rome", "roma"),
    ("mogadishu", "mogadisho", "muqdisho"), ("damascus", "damaskus", "dimashq"),
    ("tanger", "tangier", "tangiers", "tanja"),
)
# fmt: on
_ALIASES = {form: f[0] for f in _FAMILIES for form in f}
#: Words written short inside a place's name.
_WORDS = {"st": "sint", "ste": "sint", "nw": "nieuw"}
_BRACKETS = re.compile(r"\(([^)]*)\)?")


def _joined(tokens: list[str]) -> str:
    key = "".join(tokens).replace("-", "")
    return _ALIASES.get(key, key)


def _name_tokens(folded: str) -> list[str]:
    """The words of a folded name with abbreviations written out: a/d (folded
    to "a d") and "aan de" become "aan den", St. becomes Sint, "c.a." goes."""
    tokens = folded.split()
    out: list[str] = []
    n = 0
    while n < len(tokens):
        t = tokens[n]
        nxt = tokens[n + 1] if n + 1 < len(tokens) else ""
        if out and t in ("a", "o") and nxt == "d":  # a/d, a.d., o/d
            out += ["aan" if t == "a" else "op", "den"]
            n += 2
            continue
        if out and t == "ad":
            out += ["aan", "den"]
        elif out and t == "de" and out[-1] in ("aan", "op"):
            out.append("den")
        elif out and " ".join(tokens[n:]) in ("c a", "ca"):  # Nuenen c.a.
            break
        else:
            out.append(_WORDS.get(t, t))
        n += 1
    return out


def _qualifier(text: str) -> str:
    folded = fold(text).replace("-", "").replace(" ", "")
    if not folded:
        return ""
    return _PROVINCES.get(folded) or skeleton(_ALIASES.get(folded, folded))


@lru_cache(maxsize=50_000)
def place_key(place: str) -> str:
    """The key of a place as written: ``name`` or ``name|qualifier``, each a
    spelling skeleton; "" when nothing is left."""
    qualifiers = [q for q in _BRACKETS.findall(place) if q.strip()]
    name = _BRACKETS.sub(" ", place)
    if "," in name:
        name, _, after = name.partition(",")
        qualifiers.append(after)
    tokens = _name_tokens(fold(name))
    if len(tokens) >= 2 and not qualifiers:
        # "Bergen NH", "Bergen N.H." (folded to "n h"), "Hengelo O"
        if len(tokens) >= 3 and len(tokens[-1]) == 1 and tokens[-2] + tokens[-1] in _TRAILING:
            qualifiers.append(tokens[-2] + tokens[-1])
            tokens = tokens[:-2]
        elif tokens[-1] in _TRAILING:
            qualifiers.append(tokens.pop())
    base = skeleton(_joined(tokens)) if tokens else ""
    qual = next((q for q in map(_qualifier, qualifiers) if q), "")
    if not base:
        # only a qualifier ("(Marokko)"): that is the place as written
        return qual[:MAX_KEY] if qual not in _PROVINCES.values() else ""
    if not qual:
        return base[:MAX_KEY]
    return f"{base}{QUALIFIED}{qual}"[:MAX_KEY]


def _same_name(a: str, b: str) -> bool:
    """Equal, or a letter apart when both are long enough to tell a slip
    from another place."""
    return a == b or (len(a) >= 5 and len(b) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1)


def compare_place(a: str, b: str) -> str:
    """The level of two place keys: "gelijk", "anders" or "leeg" (unknown on a side)."""
    if not a or not b:
        return "leeg"
    if a == b:
        return "gelijk"
    if QUALIFIED not in a and QUALIFIED not in b:
        # the usual case, first and inline (`_same_name`): this runs for every
        # judged pair whose places differ, a million in a big check
        if len(a) >= 5 and len(b) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1:
            return "gelijk"
        return "anders"
    name_a, _, qual_a = a.partition(QUALIFIED)
    name_b, _, qual_b = b.partition(QUALIFIED)
    if qual_a and qual_b and qual_a != qual_b:
        return "anders"  # Hengelo (Gld) and Hengelo (O)
    if name_a == qual_b or name_b == qual_a:
        return "leeg"  # Marokko against Nador (Marokko): which place is not known
    return "gelijk" if _same_name(name_a, name_b) else "anders"


__all__ = ["MAX_KEY", "QUALIFIED", "compare_place", "place_key"]
