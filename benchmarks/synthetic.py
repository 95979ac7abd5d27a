"""Deterministic synthetic register + instroom with realistic identity noise.

Synthetic persons only (Faker nl_NL name lists plus hand-made Moroccan,
Turkish, Surinamese, Antillean and Polish names). The boundary for reuse is
:func:`generate`::

    register_records, instroom, truth = generate(seed, persons, items)

* ``register_records`` — list of dicts with the wire field names of
  interfaces.md §2, all values strings (``actief`` is ``ja``/``nee``);
* ``instroom`` — list of dicts with the §1 field names, values strings;
* ``truth`` — ``bvh_nummer`` → set of ``(vh_code, persoon_id)`` of the
  *active* markings that truly belong to that suspect (empty when unknown).

Noise in the register copy (independent per VH marking): voorvoegsel moved
into achternaam, case, diacritics dropped/added, roepnaam only or initials,
hyphenated partner names (either part first), transliteration variants and
spelling variants (ij/y, ou/u, kh/ch, el-prefix joined), BSN mostly missing
and sometimes mistyped (failing the elfproef), birth date partly unknown,
day/month swapped or one digit mistyped. Hard negatives among the unknown
suspects: twins of register persons (same surname, birth date, birth place,
address; another first name, also after the matcher's normalisation), namesakes (same full name, other birth date),
common names with the same birth year. Some register persons have their
twin in the register too, and some are known at two VHs.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from faker.providers.address.nl_NL import Provider as _NlAddress
from faker.providers.person.nl_NL import Provider as _NlPerson

from zsm_desk.domain.names import same_given_family

# --- name pools ---------------------------------------------------------------------

_COMMON_NL = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
    "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "van de Ven",
    "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom",
    "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen", "Post", "Kuiper", "Veenstra",
    "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma", "Martens", "Vink",
    "de Ruiter", "Timmermans", "Groen", "Gerritsen", "Jonker", "van Loon", "Boer",
    "van der Velde", "Willemsen", "Smeets", "de Lange", "de Vos", "Bosch", "van Dongen",
    "Schipper", "de Koning", "van der Laan", "Koning", "van der Velden", "Driessen",
    "van Doorn", "Hermans", "Evers", "van den Bosch", "van der Meulen", "Hofman", "Bosman",
    "Wolters", "in 't Veld", "van 't Hof", "ter Horst", "te Riele", "Bijl", "van der Bijl",
    "ten Brink", "op den Kamp", "van de Kerkhof", "Dijkman", "IJzerman", "van Rijn",
)  # fmt: skip
_MOROCCAN_SUR = (
    "El Amrani", "El Idrissi", "Bouzid", "Benali", "El Khattabi", "Ait Ouali", "Boukhari",
    "Ouali", "Azzouzi", "El Haddouchi", "Ahmadi", "Bakkali", "El Hamdaoui", "Tahiri", "Ziani",
    "Belhaj", "Amrani", "El Ouarti", "Bouchtaoui", "El Allouchi", "Ouchan", "Khachab",
    "El Bouhali", "Akhandaf", "Bouhouch", "Essaidi", "El Moussaoui", "Aboutaleb", "Laaroussi",
    "Chaara", "Zaanoun", "Mokhtari", "El Fassi", "Oulad Ali", "Boukhriss", "Ben Hammou",
)  # fmt: skip
_MOROCCAN_M = (
    "Mohamed", "Ahmed", "Youssef", "Said", "Rachid", "Karim", "Hamza", "Ilias", "Soufiane",
    "Zakaria", "Yassine", "Mustafa", "Hassan", "Bilal", "Ayoub", "Redouan", "Khalid",
    "Abdelkader", "Abdellah", "Omar", "Ibrahim", "Anouar", "Nordin", "Mehdi", "Othman",
    "Jamal", "Najib", "Hakim", "Adil", "Tarik", "Driss", "Mounir", "Abdel",
)  # fmt: skip
_MOROCCAN_F = (
    "Fatima", "Khadija", "Nour", "Samira", "Nadia", "Malika", "Aicha", "Mariam", "Salma",
    "Imane", "Houda", "Loubna", "Sanae", "Hafsa", "Soumaya", "Naima", "Latifa", "Zineb",
)  # fmt: skip
_TURKISH_SUR = (
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", "Polat", "Güneş", "Erdoğan", "Aktaş", "Karataş", "Bulut", "Keskin", "Ünal",
)  # fmt: skip
_TURKISH_M = (
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Emre",
    "Burak", "Ömer", "Yusuf", "Osman", "Kemal", "Gökhan", "Serkan", "Halil", "Recep", "Furkan",
)  # fmt: skip
_TURKISH_F = (
    "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Büşra", "Şeyma",
    "Özlem", "Esra", "Gülsüm", "Derya", "Songül", "Kübra",
)  # fmt: skip
_SURINAMESE_SUR = (
    "Ramdin", "Ramkisoen", "Sewdien", "Jagroep", "Mahabier", "Ramsaran", "Kartosen",
    "Soekhoe", "Biharie", "Lachman", "Kanhai", "Sital", "Pinas", "Kross", "Doelwijt",
    "Blinker", "Zeefuik", "Vlijter", "Wijngaarde", "Nelson", "Esajas", "Sabajo", "Karijo",
    "Soerjadi", "Ramautar", "Bhoelai", "Tjin-A-Tsoi", "Kromodimedjo",
)  # fmt: skip
_SURINAMESE_M = ("Ravi", "Anand", "Rakesh", "Ramon", "Glenn", "Romeo", "Gerold", "Marlon",
                 "Ricardo", "Quincy", "Dwayne", "Sunil", "Rishi", "Jermaine", "Roy")  # fmt: skip
_SURINAMESE_F = ("Sunita", "Kiran", "Priya", "Shanti", "Shirley", "Jennifer", "Sharda",
                 "Reshma", "Chantal", "Romaine", "Ilse", "Kavita")  # fmt: skip
_ANTILLEAN_SUR = (
    "Martina", "Isenia", "Rosaria", "Maduro", "Martha", "Cijntje", "Thodé", "Doran", "Leito",
    "Koeiman", "Girigorie", "Rosalia", "Pieternella", "Sulvaran", "Francisca", "Juliana",
    "Winklaar", "Victoria", "Bernadina", "Felida",
)  # fmt: skip
_ANTILLEAN_M = ("Jurgen", "Shurandy", "Giovanni", "Jair", "Rigo", "Jean-Luc", "Dave", "Rudsel",
                "Gilmar", "Churandy", "Eugene", "Kenrick")  # fmt: skip
_ANTILLEAN_F = ("Naomi", "Shakira", "Jeanine", "Sheritsa", "Roxanne", "Natasha", "Chanella",
                "Jusmaily", "Gisela")  # fmt: skip
_POLISH_SUR_M = (
    "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
    "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
    "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
)  # fmt: skip
_POLISH_M = ("Piotr", "Krzysztof", "Tomasz", "Paweł", "Michał", "Łukasz", "Marcin", "Jakub",
             "Andrzej", "Grzegorz", "Wojciech", "Mateusz")  # fmt: skip
_POLISH_F = ("Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Magdalena", "Joanna", "Zuzanna",
             "Ewa", "Barbara", "Dorota")  # fmt: skip
_NL_EXTRA_M = ("Johannes", "Cornelis", "Petrus", "Hendrik", "Jacobus", "Wilhelmus", "Adrianus",
               "Gerardus", "Jan", "Pieter", "Willem", "Dirk", "Theodorus", "Antonius")  # fmt: skip
_NL_EXTRA_F = ("Maria", "Johanna", "Cornelia", "Wilhelmina", "Hendrika", "Petronella",
               "Adriana", "Geertruida", "Elisabeth", "Anna", "Catharina")  # fmt: skip

# Roepnamen a VH writes for an official first name (`roepnaam_vorm`). Its own
# list, not the matcher's (`names.ROEPNAMEN`): some forms here are not there
# (Niels, Peer, Rik, Wiel, Sjra, Nelly, Janny, Ineke, Marieke, Lisette), so a
# run measures what the matcher misses as well.
_ROEPNAMEN_NL: dict[str, tuple[str, ...]] = {
    "Johannes": ("Jan", "Hans", "Joop", "Johan", "Jo"),
    "Cornelis": ("Kees", "Cor", "Cees", "Niels"),
    "Petrus": ("Piet", "Peter", "Pieter", "Peer"),
    "Hendrik": ("Henk", "Harry", "Rik", "Hein"),
    "Jacobus": ("Jaap", "Koos", "Sjaak", "Jack"),
    "Wilhelmus": ("Wim", "Willem", "Pim", "Wiel"),
    "Adrianus": ("Arie", "Aad", "Adrie", "Ad"),
    "Gerardus": ("Gerard", "Gert", "Geert", "Sjra"),
    "Theodorus": ("Theo", "Dorus"),
    "Antonius": ("Toon", "Ton", "Anton", "Teun", "Tony"),
    "Maria": ("Mies", "Marja", "Ria", "Mieke", "Marieke"),
    "Johanna": ("Jo", "Hanneke", "Joke", "Anneke", "Jannie", "Annie"),
    "Cornelia": ("Corrie", "Nel", "Cor", "Nelly"),
    "Wilhelmina": ("Wilma", "Mien", "Willy", "Mina"),
    "Hendrika": ("Riek", "Henny", "Rika", "Ineke"),
    "Petronella": ("Nel", "Pietje", "Ellie", "Nellie"),
    "Adriana": ("Jaantje", "Adrie", "Janny"),
    "Geertruida": ("Truus", "Trudy", "Geertje"),
    "Elisabeth": ("Els", "Bep", "Betty", "Lies", "Liesbeth", "Lisette"),
    "Catharina": ("Toos", "Tineke", "Rina", "Trijntje", "Cato", "Kitty"),
}

# Spelling variants as a registration clerk produces them. Deliberately not
# the matcher's own table: the generator has to test it, not mirror it.
_GIVEN_VARIANTS: dict[str, tuple[str, ...]] = {
    "Mohamed": ("Mohammed", "Muhammad", "Mohammad", "Mohamad", "Muhammed"),
    "Ahmed": ("Ahmet", "Achmed", "Ahmad"),
    "Ahmet": ("Ahmed", "Achmed"),
    "Youssef": ("Yusuf", "Youssouf", "Joesoef", "Yousef"),
    "Yusuf": ("Youssef", "Joesoef", "Yousef"),
    "Fatima": ("Fatma", "Fatimah"),
    "Fatma": ("Fatima",),
    "Abdel": ("Abdul", "Abdoel"),
    "Abdelkader": ("Abdulkadir", "Abdelkadir"),
    "Abdellah": ("Abdullah", "Abdallah"),
    "Mustafa": ("Moustafa", "Mustapha", "Moestafa"),
    "Hassan": ("Hasan",),
    "Hasan": ("Hassan",),
    "Hüseyin": ("Huseyin", "Hussein"),
    "Khadija": ("Chadija", "Khadidja"),
    "Said": ("Saïd",),
    "Rachid": ("Rashid", "Rasjid"),
    "Karim": ("Kareem",),
    "Nour": ("Nur", "Noor"),
    "Zakaria": ("Zakariya", "Zacharia"),
    "Yassine": ("Yassin", "Yasin"),
    "Soufiane": ("Sofian", "Soufian"),
    "Ilias": ("Ilyas",),
    "Omar": ("Oemar", "Umar"),
    "Ömer": ("Omer",),
    "Ibrahim": ("Ebrahim",),
    "Ayoub": ("Ayub",),
    "Redouan": ("Redouane", "Ridouan"),
    "Khalid": ("Chalid", "Khaled"),
    "Aicha": ("Aisha",),
    "Mariam": ("Maryam",),
    "Othman": ("Osman",),
}
_SPELLING_SWAPS = (("ij", "y"), ("y", "ij"), ("ou", "u"), ("oe", "u"), ("kh", "ch"),
                   ("ch", "kh"), ("ss", "s"), ("mm", "m"))  # fmt: skip

_FOREIGN_PLACES = {
    "ma": ("Nador", "Al Hoceima", "Casablanca", "Tanger", "Tetouan", "Oujda", "Rabat"),
    "tr": ("Istanbul", "Ankara", "Kayseri", "Konya", "Afyon", "Sivas"),
    "sr": ("Paramaribo", "Nieuw-Nickerie", "Moengo"),
    "an": ("Willemstad", "Oranjestad", "Kralendijk"),
    "pl": ("Warszawa", "Kraków", "Wrocław", "Łódź", "Poznań"),
}
_BIG_CITIES = ("Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht", "Eindhoven", "Tilburg",
               "Groningen", "Almere", "Breda", "Nijmegen", "Arnhem", "Haarlem", "Amersfoort",
               "Zaanstad", "Apeldoorn", "Zwolle", "Leiden", "Dordrecht", "Zoetermeer",
               "Maastricht", "Nieuwegein", "Zeist")  # fmt: skip

VH_CODES = ("VH-UTR", "VH-AMS", "VH-RDM", "VH-HGL", "VH-BRA", "VH-ZWB", "VH-GLD", "VH-NNL",
            "VH-LIM", "VH-FLE")  # fmt: skip
_FEITEN = (
    ("Mishandeling (art. 300 Sr)", "geweld"),
    ("Mishandeling partner (art. 300/304 Sr)", "huiselijk geweld"),
    ("Bedreiging (art. 285 Sr)", "huiselijk geweld"),
    ("Winkeldiefstal (art. 310 Sr)", "vermogen"),
    ("Inbraak (art. 311 Sr)", "vermogen"),
    ("Openlijke geweldpleging (art. 141 Sr)", "geweld"),
    ("Vernieling (art. 350 Sr)", "overlast"),
    ("Belediging ambtenaar (art. 267 Sr)", "overlast"),
    ("Rijden onder invloed (art. 8 WVW)", "overig"),
)
_STATUSES = ("aangemeld", "te routeren", "direct behandelen", "in behandeling", "afgedaan",
             "afgebogen")  # fmt: skip


def _split_prefix(name: str) -> tuple[str, str]:
    """`van der Meer` → (`van der`, `Meer`); Faker's `Bourgondië, van` form too."""
    if ", " in name:
        base, pre = name.split(", ", 1)
        return pre, base
    words = name.split(" ")
    prefixes = {"van", "de", "der", "den", "in", "'t", "ter", "te", "ten", "op", "het", "uit"}
    i = 0
    while i < len(words) - 1 and words[i] in prefixes:
        i += 1
    return " ".join(words[:i]), " ".join(words[i:])


def _faker_surnames() -> tuple[str, ...]:
    # Faker's nl_NL list has historical oddities (Aelftrud van Wessex); keep
    # plain one- or two-word names.
    keep = []
    for n in _NlPerson.last_names:
        pre, base = _split_prefix(n)
        if " " not in base and "," not in base and len(base) > 2 and base[0].isupper():
            keep.append(n if not pre else f"{pre} {base}")
    return tuple(sorted(set(keep)))


_FAKER_SUR = _faker_surnames()
_NL_CITIES = tuple(c for c in _NlAddress.cities if "(" not in c)
# Composed surnames give the long tail that the hand lists (the popular
# head) lack; without it every Polish suspect would be Piotr Kowalski.
# fmt: off
_COMPOSE = {
    "ma": (("El ", "Ben ", "Bou", "Ait ", "Ou", "", "", ""),
           ("Amr", "Idris", "Khatt", "Hadd", "Moussa", "Fass", "Ouaz", "Tahir", "Zian", "Bakk",
            "Azz", "Ghazal", "Jilal", "Karim", "Laar", "Mansour", "Nasr", "Rahm", "Sadk", "Yahy",
            "Chark", "Dahm", "Ferh", "Hamd", "Ismail", "Kadd", "Marz", "Oual", "Rif", "Salh"),
           ("ani", "i", "aoui", "ouchi", "ari", "ach", "ou", "")),
    "tr": (("Öz", "Kara", "Ak", "Yıldız", "Er", "Gül", "Demir", "Şen", "Kılıç", "Koç", "Tan",
            "Bay", "Can", "Ay", "Uçar", "Kaplan", "Sarı", "Ok"),
           ("", "", ""),
           ("türk", "taş", "yol", "oğlu", "kan", "han", "dağ", "soy", "en", "er", "bulut", "ci",
            "kaya", "el")),
    "sr": (("Ram", "Soek", "Jag", "Mahab", "Sew", "Bhoel", "Kalik", "Bis", "Doerg", "Moh"),
           ("", ""),
           ("dien", "lal", "sahai", "kisoen", "charan", "hoe", "dew", "nath", "baran", "adjin",
            "persad", "sing")),
    "an": (("Mart", "Ros", "Fel", "Ber", "Win", "Jul", "Fran", "Vict", "Cor", "Merc"),
           ("", ""),
           ("ina", "aria", "ida", "nadina", "klaar", "iana", "cisca", "oria", "sen", "ena")),
    "pl": (("Kowal", "Wiś", "Nowa", "Lewan", "Zieliń", "Dąbrow", "Kozłow", "Jan", "Kwiat",
            "Piotr", "Grab", "Pawł", "Wrób", "Sikor", "Baran", "Kub", "Mazur", "Czarn"),
           ("", ""),
           ("ski", "owski", "czyk", "ewicz", "iak", "ek", "ski")),
}
# fmt: on
_ORIGINS = ("nl", "ma", "tr", "sr", "an", "pl")
_ORIGIN_WEIGHTS = (0.72, 0.09, 0.07, 0.05, 0.03, 0.04)


# --- persons --------------------------------------------------------------------------


@dataclass
class Person:
    """A true identity (what the BRP would say)."""

    achternaam: str
    voorvoegsel: str
    voornamen: list[str]
    geslacht: str
    geboren: dt.date
    bsn: str
    geboorteplaats: str
    gemeente: str
    origin: str
    partner: tuple[str, str] | None = None  # (voorvoegsel, achternaam) of a spouse
    vhs: list[tuple[str, str]] = field(default_factory=list)


def _make_bsn(rng: random.Random, used: set[str]) -> str:
    while True:
        head = [rng.randint(0, 9) for _ in range(8)]
        if head[0] == 0 and head[1] == 0:
            continue
        total = sum(d * w for d, w in zip(head, range(9, 1, -1), strict=True))
        check = total % 11
        if check == 10:
            continue
        bsn = "".join(map(str, head)) + str(check)
        if bsn not in used:
            used.add(bsn)
            return bsn


class _Pools:
    """Weighted choices prepared once (rng.choices with cum_weights is fast)."""

    def __init__(self) -> None:
        nl = list(_COMMON_NL) + [n for n in _FAKER_SUR if n not in _COMMON_NL]
        # Zipf-like: the common names really are common (Jansen, de Jong...)
        self.nl_sur = nl
        self.nl_sur_w = _cum([1.0 / (r + 8) ** 0.9 for r in range(len(nl))])
        self.nl_m = list(_NlPerson.first_names_male) + list(_NL_EXTRA_M) * 3
        self.nl_f = list(_NlPerson.first_names_female) + list(_NL_EXTRA_F) * 3
        self.by_origin = {
            "ma": (_MOROCCAN_SUR, _MOROCCAN_M, _MOROCCAN_F),
            "tr": (_TURKISH_SUR, _TURKISH_M, _TURKISH_F),
            "sr": (_SURINAMESE_SUR, _SURINAMESE_M, _SURINAMESE_F),
            "an": (_ANTILLEAN_SUR, _ANTILLEAN_M, _ANTILLEAN_F),
            "pl": (_POLISH_SUR_M, _POLISH_M, _POLISH_F),
        }
        self.origin_w = _cum(list(_ORIGIN_WEIGHTS))
        self.city_w = _CITY_W


def _cum(weights: list[float]) -> list[float]:
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


_CITY_W = _cum([30.0 if c in _BIG_CITIES else 1.0 for c in _NL_CITIES])


def _skewed_first(rng: random.Random, names: tuple[str, ...] | list[str]) -> str:
    # the first few names of each list are the popular ones (Mohamed, Mehmet)
    i = int(rng.expovariate(1 / (len(names) / 1.5)))
    return names[i] if i < len(names) else rng.choice(names)


def _given(rng: random.Random, pools: _Pools, origin: str, sex: str) -> list[str]:
    if origin == "nl":
        src = pools.nl_m if sex == "M" else pools.nl_f
        n = rng.choices((1, 2, 3, 4), cum_weights=(40, 75, 95, 100))[0]
        names = [rng.choice(src)]
        while len(names) < n:
            extra = rng.choice(_NL_EXTRA_M if sex == "M" else _NL_EXTRA_F)
            if extra not in names:
                names.append(extra)
        return names
    _, m, f = pools.by_origin[origin]
    src = m if sex == "M" else f
    names = [_skewed_first(rng, src)]
    if rng.random() < 0.3:
        extra = rng.choice(src)
        if extra != names[0]:
            names.append(extra)
    return names


def _surname(rng: random.Random, pools: _Pools, origin: str, sex: str) -> tuple[str, str]:
    if origin == "nl":
        return _split_prefix(rng.choices(pools.nl_sur, cum_weights=pools.nl_sur_w)[0])
    if rng.random() < 0.5:
        sur = _skewed_first(rng, pools.by_origin[origin][0])
    else:
        a, b, c = _COMPOSE[origin]
        sur = rng.choice(a) + rng.choice(b) + rng.choice(c)
        sur = sur[0].upper() + sur[1:]
    if origin == "pl" and sex == "V" and sur.endswith("ski"):
        sur = sur[:-1] + "a"
    return "", sur


def _birth_date(rng: random.Random, today: dt.date) -> dt.date:
    # suspects are mostly 18-40; a tail of minors and older people
    age = min(max(rng.gauss(29, 11), 12.0), 75.0)
    return today - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))


def _person(rng: random.Random, pools: _Pools, used_bsn: set[str], today: dt.date) -> Person:
    origin = rng.choices(_ORIGINS, cum_weights=pools.origin_w)[0]
    sex = "M" if rng.random() < 0.8 else "V"  # suspects are mostly men
    vv, sur = _surname(rng, pools, origin, sex)
    if origin != "nl" and rng.random() < 0.6:
        place = rng.choice(_FOREIGN_PLACES[origin])
    else:
        place = rng.choices(_NL_CITIES, cum_weights=pools.city_w)[0]
    gemeente = rng.choices(_NL_CITIES, cum_weights=pools.city_w)[0]
    partner = None
    if sex == "V" and rng.random() < 0.35:
        partner = _surname(rng, pools, origin if rng.random() < 0.7 else "nl", "M")
    return Person(
        achternaam=sur,
        voorvoegsel=vv,
        voornamen=_given(rng, pools, origin, sex),
        geslacht=sex,
        geboren=_birth_date(rng, today),
        bsn=_make_bsn(rng, used_bsn),
        geboorteplaats=place,
        gemeente=gemeente,
        origin=origin,
        partner=partner,
    )


# --- noise ---------------------------------------------------------------------------

_DIACRITIC_ADD = {"e": "ë", "i": "ï", "o": "ö", "u": "ü", "c": "ç", "s": "ş"}


def _strip_diacritics(text: str) -> str:
    import unicodedata

    text = text.replace("ı", "i").replace("İ", "I").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _spelling_variant(rng: random.Random, name: str) -> str:
    low = name.lower()
    options = [(a, b) for a, b in _SPELLING_SWAPS if a in low]
    if not options:
        return name
    a, b = rng.choice(options)
    i = low.index(a)
    new = name[:i] + (b.capitalize() if i == 0 else b) + name[i + len(a) :]
    return new


def _el_variant(name: str) -> str:
    """El Amrani ↔ Elamrani ↔ El-Amrani."""
    if name.startswith(("El ", "Al ")):
        return name[:2] + name[3:].lower()
    if name.startswith(("El", "Al")) and len(name) > 4 and name[2].islower():
        return name[:2] + " " + name[2].upper() + name[3:]
    return name


def _date_iso(d: dt.date) -> str:
    return d.isoformat()


def _digit_typo(rng: random.Random, d: dt.date) -> str:
    s = d.strftime("%Y%m%d")
    for _ in range(50):
        pos = rng.choice((2, 3, 5, 6, 7))  # the century digit is rarely mistyped
        new = s[:pos] + str(rng.randint(0, 9)) + s[pos + 1 :]
        if new == s:
            continue
        try:
            nd = dt.date(int(new[:4]), int(new[4:6]), int(new[6:]))
        except ValueError:
            continue
        return nd.isoformat()
    return s[:4] + "-" + s[4:6] + "-" + s[6:]


@dataclass
class NoiseRates:
    """Probabilities of each noise kind in a register copy (tunable)."""

    voorvoegsel_in_achternaam: float = 0.35
    case: float = 0.10
    strip_diacritics: float = 0.45
    add_diacritic: float = 0.02
    roepnaam_only: float = 0.25
    initials: float = 0.035
    partner_name: float = 0.5  # of women with a partner
    transliteration: float = 0.30  # of names with known variants
    spelling: float = 0.04
    el_variant: float = 0.35
    bsn_present: float = 0.40
    bsn_typo: float = 0.03
    date_year_only: float = 0.015
    date_year_month: float = 0.015
    date_swap: float = 0.02
    date_typo: float = 0.02
    moved: float = 0.20  # gemeente in the register copy is an old address
    #: of persons whose first name is an official one with known roepnamen: the
    #: register copy holds only a roepnaam ("Kees" for "Cornelis Johannes");
    #: 0 by default, so that the seeds of every other run stay as they were
    roepnaam_vorm: float = 0.0
    #: of the same persons: the register copy writes the roepnaam beside the
    #: official names, in brackets or quotes ("Cornelis (Kees) Johannes")
    roepnaam_haakjes: float = 0.0
    #: of persons with a voorvoegsel: the register copy glues it to the
    #: surname, voorvoegsel field empty ("Dejong", "VanDijk")
    voorvoegsel_vast: float = 0.0
    #: of partner names written: with a blank instead of a hyphen
    #: ("Jansen de Vries")
    partner_spatie: float = 0.0


def _noisy_identity(rng: random.Random, p: Person, rates: NoiseRates) -> dict[str, str]:
    vv, sur = p.voorvoegsel, p.achternaam
    given = list(p.voornamen)
    if p.origin in ("ma", "tr") and rng.random() < rates.transliteration:
        first = given[0]
        if first in _GIVEN_VARIANTS:
            given[0] = rng.choice(_GIVEN_VARIANTS[first])
    if rng.random() < rates.spelling:
        if rng.random() < 0.5:
            sur = _spelling_variant(rng, sur)
        else:
            given[0] = _spelling_variant(rng, given[0])
    if sur.startswith(("El", "Al")) and rng.random() < rates.el_variant:
        sur = _el_variant(sur)
    if p.partner and rng.random() < rates.partner_name:
        pvv, psur = p.partner
        partner = f"{pvv} {psur}".strip()
        own = f"{vv} {sur}".strip()
        # partner name first (Jansen-de Vries) or own first (de Vries-Jansen)
        full = f"{partner}-{own}" if rng.random() < 0.6 else f"{own}-{partner}"
        if rates.partner_spatie and rng.random() < rates.partner_spatie:
            full = full.replace("-", " ", 1)
        vv, sur = "", full
    if vv and rates.voorvoegsel_vast and rng.random() < rates.voorvoegsel_vast:
        glued = vv.replace(" ", "") + (sur if rng.random() < 0.5 else sur[0].lower() + sur[1:])
        vv, sur = "", glued[0].upper() + glued[1:]
    elif vv and rng.random() < rates.voorvoegsel_in_achternaam:
        sur, vv = f"{vv} {sur}", ""
        if rng.random() < 0.3:
            sur = sur[0].upper() + sur[1:]
    if rng.random() < rates.strip_diacritics:
        sur = _strip_diacritics(sur)
        given = [_strip_diacritics(g) for g in given]
    elif rng.random() < rates.add_diacritic:
        g = given[-1]
        idx = [i for i, c in enumerate(g) if c in _DIACRITIC_ADD and i > 0]
        if idx:
            i = rng.choice(idx)
            given[-1] = g[:i] + _DIACRITIC_ADD[g[i]] + g[i + 1 :]
    if rates.roepnaam_vorm and given[0] in _ROEPNAMEN_NL and rng.random() < rates.roepnaam_vorm:
        given = [rng.choice(_ROEPNAMEN_NL[given[0]])]
    elif (
        rates.roepnaam_haakjes
        and given[0] in _ROEPNAMEN_NL
        and rng.random() < rates.roepnaam_haakjes
    ):
        roep = rng.choice(_ROEPNAMEN_NL[given[0]])
        given[0] += f" ({roep})" if rng.random() < 0.7 else f' "{roep}"'
    elif len(given) > 1 and rng.random() < rates.roepnaam_only:
        given = given[:1]
    voornamen = " ".join(given)
    if rng.random() < rates.initials:
        voornamen = "".join(f"{g[0].upper()}." for g in given)
    if rng.random() < rates.case:
        sur = sur.upper() if rng.random() < 0.6 else sur.lower()
        if rng.random() < 0.5:
            voornamen = voornamen.upper()

    d = p.geboren
    r = rng.random()
    if r < rates.date_year_only:
        datum = f"{d.year:04d}-00-00"
    elif r < rates.date_year_only + rates.date_year_month:
        datum = f"{d.year:04d}-{d.month:02d}-00"
    elif r < rates.date_year_only + rates.date_year_month + rates.date_swap and d.day <= 12:
        datum = _date_iso(dt.date(d.year, d.day, d.month))
    elif r < rates.date_year_only + rates.date_year_month + rates.date_swap + rates.date_typo:
        datum = _digit_typo(rng, d)
    else:
        datum = _date_iso(d)

    gemeente = p.gemeente
    if rng.random() < rates.moved:
        gemeente = rng.choices(_NL_CITIES, cum_weights=_CITY_W)[0]
    bsn = ""
    if rng.random() < rates.bsn_present:
        bsn = p.bsn
        if rng.random() < rates.bsn_typo:
            i = rng.randrange(9)
            bsn = bsn[:i] + str((int(bsn[i]) + rng.randint(1, 9)) % 10) + bsn[i + 1 :]
    return {
        "achternaam": sur,
        "voorvoegsel": vv,
        "voornamen": voornamen,
        "geboortedatum": datum,
        "bsn": bsn,
        "geboorteplaats": p.geboorteplaats if rng.random() < 0.85 else "",
        "gemeente": gemeente,
    }


def _police_identity(rng: random.Random, p: Person) -> dict[str, str]:
    """The suspect as the police register it: close to the BRP, BSN often missing."""
    given = list(p.voornamen)
    if len(given) > 1 and rng.random() < 0.12:
        given = given[:1]
    bsn = p.bsn if rng.random() < 0.55 else ""
    if bsn and rng.random() < 0.01:
        bsn = bsn[:8] + str((int(bsn[8]) + 1) % 10)  # typo: fails the elfproef
    sur, vv = p.achternaam, p.voorvoegsel
    if p.partner and rng.random() < 0.15:
        pvv, psur = p.partner
        sur, vv = f"{sur}-{pvv} {psur}".replace("- ", "-").strip(), vv
    datum = p.geboren.isoformat()
    if rng.random() < 0.005:
        datum = f"{p.geboren.year:04d}-00-00"  # undocumented suspect, only the year known
    return {
        "achternaam": sur,
        "voorvoegsel": vv,
        "voornamen": " ".join(given),
        "geboortedatum": datum,
        "geslacht": p.geslacht,
        "bsn": bsn,
        "geboorteplaats": p.geboorteplaats if rng.random() < 0.9 else "",
        "gemeente": p.gemeente,
        "woonplaats": p.gemeente,
    }


# --- register + instroom ---------------------------------------------------------------

_SLAGZINNEN = (
    "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner, PvA loopt via VH.",
    "Top X: bij elk feit contact met regievoerder VH; geen transactie.",
    "ZAVP: snelrecht overwegen, reclassering is betrokken.",
    "Jeugd: Halt niet meer passend; afstemmen met jeugdreclassering.",
    "Verward gedrag: eerst zorgcoördinator VH bellen.",
)
_DOELGROEPEN = ("Top X", "huiselijk geweld", "ZAVP", "jeugd", "verward gedrag", "")


def _marking(
    rng: random.Random, p: Person, vh: str, pid: str, rates: NoiseRates, today: dt.date
) -> dict[str, str]:
    ident = _noisy_identity(rng, p, rates)
    return {
        "vh_code": vh,
        "persoon_id": pid,
        **ident,
        "doelgroep": rng.choice(_DOELGROEPEN),
        "slagzin": rng.choice(_SLAGZINNEN),
        "advies": "",
        "doel_interventie": "",
        "context": "",
        "hg_historie": "",
        "advies_datum": (today - dt.timedelta(days=rng.randint(0, 700))).isoformat(),
        "plan_van_aanpak": "",
        "contactpersoon": "",
        "contact_telefoon": "",
        "actief": "nee" if rng.random() < 0.02 else "ja",
    }


def _variant_person(rng: random.Random, pools: _Pools, used: set[str], p: Person,
                    kind: str, today: dt.date) -> Person:  # fmt: skip
    """A different person built to look like `p` (hard negative)."""
    other = _person(rng, pools, used, today)
    if kind == "twin":
        # The first name must differ after the matcher's normalisation and
        # transliteration, not just as a string: real twins are not called
        # Mohamed and Mohammed, and no matcher could tell those apart.
        first = p.voornamen[0]
        names = other.voornamen
        for _ in range(20):
            if not same_given_family(names[0], first):
                break
            names = _given(rng, pools, p.origin, rng.choice("MV"))
        return replace(p, voornamen=names, bsn=other.bsn, geslacht=other.geslacht, vhs=[],
                       partner=None)  # fmt: skip
    if kind == "namesake":
        geboren = p.geboren
        while geboren == p.geboren:
            if rng.random() < 0.4:  # the same year: the hardest case
                geboren = dt.date(p.geboren.year, rng.randint(1, 12), rng.randint(1, 28))
            else:
                geboren = _birth_date(rng, today)
        return replace(p, geboren=geboren, bsn=other.bsn, geboorteplaats=other.geboorteplaats,
                       gemeente=other.gemeente, vhs=[], partner=None)  # fmt: skip
    # common name, same birth year
    geboren = dt.date(p.geboren.year, rng.randint(1, 12), rng.randint(1, 28))
    given = _given(rng, pools, p.origin, p.geslacht)
    return replace(other, achternaam=p.achternaam, voorvoegsel=p.voorvoegsel, voornamen=given,
                   geboren=geboren, origin=p.origin, vhs=[])  # fmt: skip


def _placeholder(rng: random.Random, p: Person, rate: float) -> Person:
    """With probability `rate`, a person born abroad (not of Dutch origin)
    registered as born on 1 January of the birth year: the date that
    registrations write when day and month are unknown, shared by many. No
    draw at rate 0, so the data of every other run stay as they were."""
    if not rate or p.origin == "nl" or p.geboorteplaats not in _FOREIGN_PLACES.get(p.origin, ()):
        return p
    if rng.random() >= rate:
        return p
    return replace(p, geboren=dt.date(p.geboren.year, 1, 1))


def generate(
    seed: int = 1,
    persons: int = 200_000,
    items: int = 2_000,
    known_share: float = 0.10,
    rates: NoiseRates | None = None,
    roepnaam_vorm: float = 0.0,
    roepnaam_haakjes: float = 0.0,
    voorvoegsel_vast: float = 0.0,
    eerste_januari: float = 0.0,
    partner_spatie: float = 0.0,
    politie_eerste_januari: float = 0.0,
) -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, set[tuple[str, str]]]]:
    """Register records (§2), instroom items (§1) and the ground truth, all
    deterministic; `roepnaam_vorm`, `roepnaam_haakjes` and `voorvoegsel_vast`
    set those rates of the register copy's noise, `eerste_januari` the share
    of persons born abroad whose official birth date is 1 January of their
    birth year, as registrations write an unknown day and month,
    `partner_spatie` the share of partner names written with a blank instead
    of a hyphen, `politie_eerste_januari` the share of persons born abroad
    whose police copy writes 1 January of the birth year (a suspect without
    papers; the register keeps the real date) (0: the data of every other
    run stay as they were)."""
    rng = random.Random(seed)
    rates = rates or NoiseRates()
    if roepnaam_vorm or roepnaam_haakjes or voorvoegsel_vast or partner_spatie:
        rates = replace(rates, roepnaam_vorm=roepnaam_vorm, roepnaam_haakjes=roepnaam_haakjes,
                        voorvoegsel_vast=voorvoegsel_vast,
                        partner_spatie=partner_spatie)  # fmt: skip
    pools = _Pools()
    today = dt.date(2026, 11, 22)
    used_bsn: set[str] = set()

    people: list[Person] = []
    twins_in_register = 0
    while len(people) < persons:
        p = _placeholder(rng, _person(rng, pools, used_bsn, today), eerste_januari)
        people.append(p)
        # ~0.5 % of register persons have their twin in the register too
        if rng.random() < 0.005 and len(people) < persons:
            twin = _variant_person(rng, pools, used_bsn, p, "twin", today)
            people.append(_placeholder(rng, twin, eerste_januari))
            twins_in_register += 1

    records: list[dict[str, str]] = []
    counters = dict.fromkeys(VH_CODES, 0)
    vh_w = _cum([1.0 / (i + 2) for i in range(len(VH_CODES))])
    for p in people:
        vhs = [rng.choices(VH_CODES, cum_weights=vh_w)[0]]
        if rng.random() < 0.06:  # known at two veiligheidshuizen
            second = rng.choice(VH_CODES)
            if second != vhs[0]:
                vhs.append(second)
        for vh in vhs:
            counters[vh] += 1
            pid = f"{vh[3:]}{counters[vh]:07d}"
            rec = _marking(rng, p, vh, pid, rates, today)
            records.append(rec)
            p.vhs.append((vh, pid) if rec["actief"] == "ja" else ("", ""))

    instroom: list[dict[str, str]] = []
    truth: dict[str, set[tuple[str, str]]] = {}
    start = dt.datetime(2026, 11, 22, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    n_known = round(items * known_share)
    hard = {"twin": 0.05, "namesake": 0.05, "common": 0.05}
    for n in range(items):
        if n < n_known:
            p = rng.choice(people)
            known = {vp for vp in p.vhs if vp[0]}
        else:
            r = rng.random()
            if r < hard["twin"]:
                p = _variant_person(rng, pools, used_bsn, rng.choice(people), "twin", today)
            elif r < hard["twin"] + hard["namesake"]:
                p = _variant_person(rng, pools, used_bsn, rng.choice(people), "namesake", today)
            elif r < sum(hard.values()):
                base = rng.choice(people)
                # prefer a popular name for this negative (Jansen, Yilmaz...)
                for _ in range(10):
                    if (base.achternaam in ("Jong", "Jansen", "Vries", "Berg", "Dijk", "Bakker")
                            or base.origin in ("ma", "tr")):  # fmt: skip
                        break
                    base = rng.choice(people)
                p = _variant_person(rng, pools, used_bsn, base, "common", today)
            else:
                p = _person(rng, pools, used_bsn, today)
            known = set()
            p = _placeholder(rng, p, eerste_januari)
        ident = _police_identity(rng, p)
        if politie_eerste_januari and _placeholder(rng, p, politie_eerste_januari) is not p:
            ident["geboortedatum"] = f"{p.geboren.year:04d}-01-01"
        feit, cat = rng.choice(_FEITEN)
        bvh = f"PL{rng.randint(1000, 9999):04d}-2026{n:06d}"
        instroom.append(
            {
                "bvh_nummer": bvh,
                "parketnummer": f"16/{rng.randint(100000, 999999)}-26"
                if rng.random() < 0.4
                else "",
                "ingestroomd_op": (start + dt.timedelta(seconds=17 * n)).isoformat(),
                **ident,
                "feit": feit,
                "categorie": cat,
                "status": rng.choice(_STATUSES),
            }
        )
        truth[bvh] = known
    # known suspects first would be a give-away for anything order-sensitive
    order = list(range(len(instroom)))
    rng.shuffle(order)
    instroom = [instroom[i] for i in order]
    return records, instroom, truth


__all__ = ["VH_CODES", "NoiseRates", "Person", "generate"]
