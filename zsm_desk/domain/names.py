"""Normalising Dutch (and Dutch-registered) person names for matching.

Pure functions, no I/O. Everything here is deterministic and cached, because
the register index normalises 200,000 identities at start-up and names repeat
a lot (the same surnames and given names over and over).

Layers, from raw text to comparison keys:

* :func:`fold` — lower case, diacritics removed (Öztürk → ozturk, ş → s,
  ı → i, ł → l), apostrophes dropped, other punctuation to spaces.
* :func:`surname_form` — the voorvoegsel is taken off wherever it was written
  (in `voorvoegsel` or at the front of `achternaam`), a double/partner name
  (`Jansen-de Vries`) is split into its parts, Arabic `el`/`al`/`ben` are glued
  to the name they belong to (`El Amrani` = `Elamrani`).
* :func:`skeleton` — a spelling skeleton that makes common transliteration
  and Dutch spelling variants equal (ij/y, oe/ou/u, kh/ch/h, c/k, dt/d/t,
  doubled letters).
* :func:`canonical_given` — skeleton plus the transliteration table for given
  names whose variants a skeleton alone does not unify (Mohamed/Muhammad,
  Youssef/Yusuf/Joesoef, Fatima/Fatma, Abdel/Abdul...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- folding ------------------------------------------------------------------

# Letters that NFKD does not decompose into base letter + combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ı": "i",  # Turkish dotless i (Yılmaz)
        "İ": "i",
        "ł": "l",  # Polish (Michał)
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
    }
)
_APOSTROPHES = re.compile(r"[’'`´‘]")
_NON_ALNUM = re.compile(r"[^a-z0-9\-]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case ASCII without diacritics; hyphens kept, other punctuation → space.

    Apostrophes vanish rather than become a space, so `'t` becomes the token
    `t` and `d'Ancona` becomes `dancona` on both sides alike.
    """
    if not text.isascii():  # plain ASCII has nothing to translate or decompose
        text = text.translate(_SPECIAL_LETTERS)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    text = _NON_ALNUM.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# --- spelling skeleton --------------------------------------------------------

# Ordered rewrite rules; earlier rules feed later ones (ij → y → i).
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("ij", "y"),  # Bijl / Byl, Dijkstra / Dykstra
    ("sch", "§"),  # keep Dutch sch apart, so Bosch/Bos stay different names
    ("kh", "h"),  # Khadija / Chadija / Hadija, Boukhari / Bouchari
    ("ch", "h"),  # Achmed / Ahmed
    ("sh", "s"),  # Rashid / Rasid (Rachid is in the table)
    ("sj", "s"),  # Rasjid
    ("ph", "f"),  # Mustapha / Mustafa
    ("th", "t"),
    ("dt", "t"),
    ("ck", "k"),
    ("c", "k"),  # Cornelis / Kornelis
    ("q", "k"),
    ("x", "ks"),
    ("oe", "u"),  # Joesoef / Yusuf (Dutch spelling of the u sound)
    ("ou", "u"),  # Youssef / Yusef, Mouhamed
    ("y", "i"),
    ("j", "i"),  # Jusuf / Yusuf / Ioesoef: Dutch j = English y
)
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Spelling skeleton of one folded token (letters only).

    Doubled letters collapse (Mohammed/Mohamed, Hassan/Hasan) and a final
    `d` becomes `t` (Ahmed/Ahmet, Mehmed/Mehmet), as Dutch pronounces it.
    """
    s = "".join(c for c in token if c.isalpha())
    for old, new in _SKELETON_RULES:
        if old in s:
            s = s.replace(old, new)
    s = _DOUBLES.sub(r"\1", s)
    if len(s) > 2 and s.endswith("d"):
        s = s[:-1] + "t"
    # a silent h after a vowel at the end (Fatimah / Fatima, Aisha / Aisa)
    if len(s) > 3 and s.endswith("h"):
        s = s[:-1]
    return s


# --- transliteration table for given names ------------------------------------

#: Families of spellings of one given name, as met in Dutch registrations.
#: The first spelling is the canonical one. Only variants that the skeleton
#: does not already make equal need to be listed, but listing them is harmless.
# fmt: off
TRANSLITERATIONS: tuple[tuple[str, ...], ...] = (
    ("mohamed", "mohammed", "muhammad", "mohammad", "mohamad", "muhammed", "mohamet",
     "mouhamed", "mohamud", "mahomed", "mhamed", "muhamed", "mohammet"),
    ("ahmed", "ahmet", "achmed", "ahmad", "achmad", "ahmat"),
    ("youssef", "yusuf", "youssouf", "joesoef", "yousef", "yussuf", "jusuf", "yousuf",
     "youssuf", "joussef", "yosef"),
    ("fatima", "fatma", "fatimah", "fadma", "fatiha"),
    ("abdel", "abdul", "abdoel", "abdal", "abdell", "abdol"),
    ("abdelkader", "abdulkadir", "abdelkadir", "abdoelkadir", "abdulkader"),
    ("abdellah", "abdullah", "abdallah", "abdoellah", "abdulla"),
    ("mustafa", "moustafa", "mustapha", "moestafa", "mostafa", "mustapa"),
    ("hassan", "hasan", "hasaan"),
    ("hussein", "husein", "hoessein", "huseyin", "hussain", "husain", "houssein", "hüseyin"),
    ("ibrahim", "ibrahiem", "ebrahim", "brahim"),
    ("khadija", "chadija", "hatice", "khadidja", "kadija", "hadija"),
    ("aicha", "aisha", "aischa", "aysha", "aïcha"),
    ("omar", "umar", "oemar", "ömer", "omer"),
    ("said", "saïd", "sait", "saeed", "saied"),
    ("rachid", "rashid", "rasjid", "rachied", "rashied", "reshid"),
    ("karim", "kareem", "kerim", "kariem"),
    ("nour", "nur", "noor", "noer"),
    ("zakaria", "zakariya", "zakariyya", "zacharia", "zakarya"),
    ("yassine", "yassin", "yasin", "jasin", "yacine"),
    ("soufiane", "sofian", "sufyan", "soufian", "sofiane", "sufian"),
    ("ilias", "ilyas", "ilyass", "iliass"),
    ("ismail", "ismaïl", "ismael", "esmail"),
    ("mehmet", "mehmed", "mehmat"),
    ("hamza", "hamzah", "hamsa"),
    ("othman", "osman", "oetman", "otman", "uthman"),
    ("jamal", "djamal", "gamal", "jamaal"),
    ("najib", "nadjib", "nagib"),
    ("mariam", "maryam", "meryem", "meriem", "mariyam"),
    ("zeynep", "zainab", "zaynab", "zeinab"),
    ("hakim", "hakiem", "hachim"),
    ("salah", "salaheddine", "salahdine"),
    ("bilal", "bilaal"),
    ("ayoub", "ayub", "ajoeb", "eyup", "eyüp"),
    ("redouan", "redouane", "ridouan", "redwan", "ridwan", "rédouane"),
    ("khalid", "chalid", "halit", "khaled", "chaled"),
    ("anouar", "anwar", "enver", "anoear"),
    ("nadia", "nadja", "nadiya"),
    ("malika", "malikah", "maleeka"),
    ("samira", "sameera", "semira"),
)
# fmt: on


def _build_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for family in TRANSLITERATIONS:
        canonical = skeleton(fold(family[0]))
        for variant in family:
            table[skeleton(fold(variant))] = canonical
    return table


_GIVEN_TABLE = _build_table()


@lru_cache(maxsize=100_000)
def canonical_given(token: str) -> str:
    """Canonical key of one folded given-name token (skeleton + transliteration table)."""
    sk = skeleton(token)
    return _GIVEN_TABLE.get(sk, sk)


def same_given_family(a: str, b: str) -> bool:
    """Whether two given-name spellings are transliteration variants of each other."""
    return canonical_given(fold(a)) == canonical_given(fold(b))


# --- roepnamen ------------------------------------------------------------------

#: Official given names (as the BRP and so the police write them) with the
#: roepnamen Dutch families use for them, often not the official name's
#: beginning: a VH that registered "Kees Bakker" knows the "Cornelis Bakker"
#: the police bring. Such a pair was "anders", and with the same surname and
#: birth date the twin veto turned it away unseen. A name may be in several
#: families (Ria: Maria, Catharina). Spellings the skeleton makes equal
#: (Kees / Cees) need not be listed.
# fmt: off
ROEPNAMEN: tuple[tuple[str, ...], ...] = (
    ("johannes", "jan", "hans", "johan", "joop", "jo", "hannes", "john", "jannes"),
    ("cornelis", "kees", "cor", "cornelius", "neel"),
    ("hendrik", "hendrikus", "henk", "hein", "harrie", "harry", "hendrick"),
    ("jacobus", "jacob", "jaap", "koos", "co", "ko", "sjaak", "jack"),
    ("wilhelmus", "willem", "wim", "pim", "wil", "willy"),
    ("petrus", "pieter", "piet", "peter", "pier"),
    ("gerardus", "gerard", "gert", "gerrit", "ger", "geert", "gerhard"),
    ("adrianus", "adriaan", "arie", "adri", "adrie", "aad", "ad", "janus"),
    ("antonius", "anton", "antoon", "ton", "toon", "teun", "tonnie", "tony"),
    ("theodorus", "theo", "dorus", "ted"),
    ("franciscus", "frans", "frank", "cis"),
    ("josephus", "jozef", "joseph", "joop", "jos", "sjef", "jef", "jo"),
    ("nicolaas", "klaas", "nico", "niek", "nick", "claas"),
    ("lambertus", "lambert", "bert", "bertus"),
    ("albertus", "albert", "bert", "ab", "appie"),
    ("everardus", "evert", "eef"),
    ("diederik", "dirk", "dick", "diederick"),
    ("gijsbertus", "gijsbert", "gijs", "bert"),
    ("hubertus", "hubert", "huub", "bert"),
    ("martinus", "martin", "tinus", "maarten"),
    ("mattheus", "matthijs", "thijs", "mathieu", "matthias"),
    ("bernardus", "bernard", "ben", "bennie", "nard", "bernd"),
    ("leonardus", "leonard", "leo", "leon", "nard"),
    ("marinus", "rinus", "rien"),
    ("fredericus", "frederik", "frits", "fred", "freek"),
    ("ludovicus", "lodewijk", "louis", "lou", "lewis", "luis", "luigi", "ludwig"),
    ("arnoldus", "arnold", "arno", "noud", "nol"),
    ("augustinus", "guus", "gust", "augustijn"),
    ("bartholomeus", "bart", "bartel"),
    ("sebastiaan", "bas", "sebastian"),
    ("engelbertus", "engelbert", "engel", "bert"),
    ("aloysius", "louis", "wies"),
    ("rudolf", "rudolph", "ruud", "rudi", "rudy", "dolf"),
    ("roelof", "roel", "roelf"),
    ("gustaaf", "guus", "staf", "gustav"),
    ("ferdinand", "ferdi", "nand"),
    ("eduard", "eduardus", "ed", "eddy", "ward", "edo"),
    ("richard", "rick", "rik", "rich"),
    ("robert", "robertus", "rob", "bob", "robbie"),
    ("thomas", "tom", "thom", "tommy"),
    ("alexander", "alex", "sander", "lex", "sasja"),
    ("maximiliaan", "max"),
    ("benjamin", "ben", "benny", "benji"),
    ("christoffel", "chris", "stoffel"),
    ("leendert", "leen"),
    ("wouter", "wout", "walter", "walt", "wally"),
    ("hermanus", "herman", "manus", "harm"),
    ("abraham", "bram", "abe"),
    ("samuel", "sam", "sammy", "sammie"),
    ("daniel", "daan", "danny", "dan", "dani"),
    ("michael", "michiel", "michel", "mike", "mick"),
    ("johanna", "jo", "anneke", "hanneke", "hanna", "joke", "jannie", "janneke", "annie",
     "ans", "jopie", "hanny"),
    ("maria", "marie", "mia", "ria", "mieke", "marja", "maaike", "mies", "marijke", "rietje"),
    ("wilhelmina", "wilma", "mien", "mina", "willy", "wil", "minie"),
    ("cornelia", "corrie", "corry", "nel", "nelleke", "cor", "cokkie", "kee"),
    ("hendrika", "riek", "rika", "henny", "hennie", "drika", "riky"),
    ("elisabeth", "els", "lies", "liesbeth", "bep", "betty", "bets", "elsbeth", "liesje"),
    ("catharina", "toos", "trijntje", "tineke", "ina", "rina", "katrien", "kitty", "ria",
     "cato", "trees"),
    ("geertruida", "truus", "trudy", "geertje", "trui", "truida"),
    ("margaretha", "greet", "grietje", "margriet", "gretha", "marga", "meta", "greetje"),
    ("petronella", "nel", "nelleke", "pietje", "ellie", "pien", "nella"),
    ("jacoba", "coby", "co", "koosje", "cobie", "jacobien"),
    ("antonia", "toos", "tonny", "toni", "ton", "teuntje"),
    ("adriana", "adri", "adrie", "jaantje", "janna"),
    ("gerarda", "gerda", "gerrie", "ger"),
    ("francisca", "fien", "francien", "cisca"),
    ("theodora", "dora", "thea", "door"),
    ("helena", "leni", "lenie", "lena", "heleen", "lenny"),
    ("christina", "tineke", "stien", "christien", "tina", "stina"),
    ("josephina", "fien", "josje", "fientje", "pien", "jose"),
    ("dorothea", "dora", "thea", "dorien", "doortje"),
    ("hermina", "mien", "herma", "mina"),
    ("jacomina", "mien", "mina", "co"),
    ("aleida", "leida", "alie", "ida"),
    ("alexandra", "sandra", "alex", "lex"),
    ("susanna", "suzanna", "suus", "sanne", "susan", "suzan"),
    ("anna", "anneke", "annie", "ans", "anja"),
    ("theresia", "trees", "resi", "tes"),
    ("carolina", "caroline", "lien", "lina", "carla", "caro"),
    ("judith", "juud", "judy"),
    ("paulina", "pauline", "lien"),
    ("magdalena", "magda", "lena", "leni", "lenie"),
)

#: The same for English short forms and the forms of one name in other
#: languages that the queue and a VH's register meet (Bill for William,
#: Karel for Charles, Joris for George). A family here names the Dutch
#: official name and those of its Dutch forms it is to meet (William with
#: Wilhelmus and Wim, not with Pim); where every Dutch form belongs, the
#: Dutch family above carries the other forms itself (Wouter and Walter).
#: Before, "William Bailey" against the VH's "Billy Bailey", same day, was a
#: clearly other first name and the twin veto dropped it unseen; on splink's historical persons (data nobody here
#: wrote, 16th session) such pairs were most of the true persons not even
#: found. A pair is only ever found for review (`evidence._roepnaam_level`),
#: so a family too wide costs a review, never a wrong `bekend`.
ROEPNAMEN_INTERNATIONAAL: tuple[tuple[str, ...], ...] = (
    ("william", "wilhelmus", "bill", "billy", "will", "willie", "willy", "liam", "wim"),
    ("charles", "karel", "charlie", "charley", "chas", "chuck", "carl", "karl", "carlos"),
    ("james", "jim", "jimmy", "jimmie", "jamie"),
    ("edward", "eduard", "ed", "eddie", "eddy", "ned", "ted", "teddy", "edouard", "eduardo"),
    ("edmund", "edmond", "ed", "eddie", "ned"),
    ("henry", "hendrik", "henri", "harry", "hal", "hank", "heinrich", "enrique", "enrico"),
    ("harold", "harry", "hal"),
    ("robert", "bob", "bobby", "rob", "robbie", "robby", "roberto"),
    ("richard", "dick", "rick", "ricky", "rich", "richie", "ricardo", "riccardo"),
    ("thomas", "tom", "tommy", "tomas", "tommaso"),
    ("john", "johannes", "jack", "johnny", "jan", "jean", "juan", "johann", "sean", "ian",
     "giovanni", "joao", "hans"),
    ("jacob", "jacobus", "jake", "jakob", "jacques", "giacomo", "jaap", "koos"),
    ("joseph", "josephus", "joe", "joey", "jose", "josef", "giuseppe", "jozef", "sjef"),
    ("peter", "petrus", "pete", "pierre", "pedro", "pietro", "piotr", "piet"),
    ("paul", "paulus", "pablo", "paolo", "pavel", "paulo"),
    ("michael", "mike", "mikey", "mick", "mickey", "michele", "miguel", "mikhail", "michal",
     "michiel"),
    ("alexander", "alex", "alec", "sandy", "sasha", "sacha", "aleksandr", "alejandro", "sander"),
    ("isaac", "ike", "izaak", "isak"),
    ("bernard", "bernardus", "bernie", "bernd", "bernardo"),
    ("horatio", "horace", "horatius", "orazio"),
    ("bertram", "bert", "bertie"),
    ("percival", "percy"),
    ("alfred", "alf", "alfie", "fred", "freddie", "freddy"),
    ("frederick", "fredericus", "frederik", "fred", "freddie", "freddy", "fritz", "federico",
     "friedrich", "frits"),
    ("archibald", "archie", "archy"),
    ("david", "dave", "davy", "davey", "dafydd", "davide"),
    ("george", "georgie", "georg", "joris", "sjors", "jorge", "giorgio", "georgios"),
    ("arthur", "art", "artie", "arturo", "artur"),
    ("albert", "albertus", "bert", "bertie", "alberto"),
    ("herbert", "herb", "bert", "bertie"),
    ("andrew", "andreas", "andy", "drew", "andre", "andries", "dries", "andrzej"),
    ("anthony", "antonius", "tony", "antonio", "antoine", "anton"),
    ("nicholas", "nicolaas", "nicolas", "nick", "nicky", "nicola", "klaas", "niek"),
    ("patrick", "pat", "paddy", "patricio"),
    ("philip", "philippus", "phil", "flip", "filip", "philippe", "felipe", "filippo"),
    ("stephen", "steven", "steve", "stevie", "stefan", "stephan", "esteban", "stefano"),
    ("timothy", "timotheus", "tim", "timmy"),
    ("laurentius", "laurens", "lawrence", "laurence", "larry", "lars", "lorenzo"),
    ("leonard", "leonardus", "len", "lenny", "leonardo", "leo"),
    ("matthew", "mattheus", "matthijs", "matt", "matteo", "mathieu"),
    ("christopher", "christoffel", "chris", "kit", "christophe", "cristobal"),
    ("francis", "franciscus", "frank", "frans", "francesco", "francois", "francisco"),
    ("gerald", "gerardus", "gerard", "gerry", "jerry"),
    ("hugo", "hugh", "huug", "hughie", "huey", "hugues"),
    ("nathaniel", "nathan", "nat", "nate"),
    ("oliver", "olivier", "ollie", "olly"),
    ("raymond", "ray", "ramon", "raimondo"),
    ("ronald", "ron", "ronnie", "ronny"),
    ("donald", "don", "donnie"),
    ("kenneth", "ken", "kenny"),
    ("reginald", "reg", "reggie"),
    ("augustus", "augustinus", "august", "gus", "guus"),
    ("elizabeth", "elisabeth", "liz", "lizzie", "lizzy", "beth", "bess", "bessie", "betsy",
     "betty", "eliza", "elsie", "els", "liesbeth"),
    ("margaret", "margaretha", "maggie", "meg", "peggy", "madge", "margarita", "margot",
     "greta", "greet"),
    ("catherine", "catharina", "katherine", "kathleen", "kate", "katie", "kathy", "cathy",
     "kitty", "katarina", "katja", "katrien"),
    ("mary", "maria", "molly", "polly", "mae", "mamie", "marie", "mia"),
    ("eleanor", "elinor", "nell", "nellie", "nelly", "ellie", "leonora", "nora"),
    ("helen", "helena", "ellen", "elena", "nell", "nellie", "lena"),
    ("ann", "anna", "anne", "annie", "nan", "nancy", "anneke"),
    ("joan", "joanna", "johanna", "jo", "hanneke", "hanna"),
    ("jane", "janey", "jenny", "jennie"),
    ("jennifer", "jenny", "jen"),
    ("sophia", "sophie", "sofie", "sofia", "fie"),
    ("isabella", "isabel", "bella", "isa", "izzy"),
    ("dorothy", "dorothea", "dot", "dolly", "dottie", "dora", "thea"),
    ("florence", "florentina", "flo", "florrie", "floor"),
    ("frances", "francisca", "fanny", "franny", "fien"),
    ("caroline", "carolina", "carrie", "carol", "carla", "lina"),
    ("sarah", "sara", "sally", "sadie", "saartje"),
    ("susan", "susanna", "sue", "susie", "suzy", "suus", "sanne"),
    ("emily", "emilie", "emmy", "emmie", "milly", "millie"),
    ("emma", "emmy", "emmie"),
    ("charlotte", "lotte", "lottie", "charlie", "lot"),
    ("henrietta", "henriette", "hetty", "jet", "jetje", "harriet", "hattie", "etta"),
    ("martha", "marta", "mattie"),
    ("rebecca", "rebekka", "becky", "becca"),
    ("victoria", "vicky", "vicki", "tori"),
    ("matilda", "mathilde", "tilly", "tilda", "maud"),
    ("gertrude", "geertruida", "gertie", "trudy", "truus"),
    ("christine", "christina", "chris", "kristina", "tineke", "stien"),
    ("patricia", "pat", "patty", "trish", "tricia"),
    ("barbara", "babs", "barb"),
    ("deborah", "debbie", "debby", "debra"),
    ("abigail", "abby", "abbie", "gail"),
)
# fmt: on


def _build_roepnamen() -> dict[str, frozenset[int]]:
    table: dict[str, set[int]] = {}
    for n, family in enumerate((*ROEPNAMEN, *ROEPNAMEN_INTERNATIONAAL)):
        for name in family:
            # under the given-name key that `Keys.giv` carries (the
            # transliteration table's canonical form: "Joseph" is "iusef",
            # as Youssef) and under its plain skeleton, which a name out of
            # the surname field is looked up by; before, only the skeleton,
            # so Joseph never met Joe, nor Sjef
            table.setdefault(skeleton(fold(name)), set()).add(n)
            table.setdefault(canonical_given(fold(name)), set()).add(n)
    return {k: frozenset(v) for k, v in table.items()}


_ROEPNAMEN = _build_roepnamen()


def roepnaam_pair(a: str, b: str) -> bool:
    """Whether two given-name skeletons (as in `Keys.giv`) are an official name
    and a roepnaam of it, or two roepnamen of one official name (Kees, Cornelis)."""
    if a == b:
        return False
    fa = _ROEPNAMEN.get(a)
    return fa is not None and not fa.isdisjoint(_ROEPNAMEN.get(b, ()))


# --- given names ----------------------------------------------------------------

_VOWELS = set("aeiouy")


@dataclass(frozen=True, slots=True)
class GivenNames:
    """Voornamen split into tokens.

    `tokens` are canonical keys (transliteration-insensitive); `initials` is
    True when the source only had initials (`J.P.`, `J P`, `JP`), and then
    `tokens` holds single letters.
    """

    tokens: tuple[str, ...]
    folded: tuple[str, ...]
    initials: bool

    @property
    def first_letters(self) -> str:
        return "".join(t[0] for t in self.folded if t)


#: A name in brackets or quotes beside the given names: the roepnaam a VH
#: writes with the official names ("Cornelis (Kees)", 'Cornelis "Kees"').
_BESIDE = re.compile(r"""[(\[“"‘']([^()\[\]“”"‘’']+)[)\]”"’']""")


def _has_letter(token: str) -> bool:
    # nearly every token is letters only: that test runs in C
    return token.isalpha() or any(c.isalpha() for c in token)


@lru_cache(maxsize=200_000)
def given_names(voornamen: str) -> GivenNames:
    raw = voornamen.strip()
    if not raw:
        return GivenNames((), (), False)
    if _BESIDE.search(raw):
        # Without the roepnaam the official names compare as they are: with
        # it, "Cornelis (Kees)" had a second given name that "Cornelis
        # Johannes" contradicts. Only a listed roepnaam of one of them is
        # left out (`roepnaam_pair`, which still finds a queue's "Kees");
        # anything else in brackets stays a given name, as it was.
        official = given_names(_BESIDE.sub(" ", raw))
        beside = given_names(" ".join(_BESIDE.findall(raw)))
        if (
            official.tokens
            and not official.initials
            and beside.tokens
            and all(any(roepnaam_pair(b, t) for t in official.tokens) for b in beside.tokens)
        ):
            return official
    pieces = [t for t in re.split(r"[\s.]+", raw) if t]
    looks_like_initials = all(len(t) == 1 for t in pieces) or (
        # `JP`: all capitals, short, no vowel — nobody is called that
        len(pieces) == 1
        and pieces[0].isupper()
        and len(pieces[0]) <= 3
        and not (_VOWELS & set(pieces[0].lower()))
    )
    compact = "".join(pieces)
    if looks_like_initials:
        letters = tuple(c for c in fold(compact) if c.isalpha())
        return GivenNames(letters, letters, True)
    # hyphenated given names (Jan-Willem) count as two names; a word without
    # a letter is none ("(1860-1945)" in the field: its tokens were empty
    # strings, and a blank-only key made the matcher fail on its first name)
    folded = tuple(t for t in fold(raw).replace("-", " ").split() if _has_letter(t))
    tokens = tuple(canonical_given(t) if len(t) > 1 else t for t in folded)
    # a mixed form like `Jan P.` keeps its single letters as initials of names
    return GivenNames(tokens, folded, False)


# --- surnames -------------------------------------------------------------------

#: Single words that make up Dutch (and Flemish/French/German) voorvoegsels,
#: so combinations (`van der`, `in 't`, `van 't`, `uit den`, `op ten`) are covered.
VOORVOEGSEL_WORDS = frozenset(
    {
        "van", "de", "der", "den", "het", "t", "ter", "te", "ten", "in", "op", "aan",
        "bij", "uit", "onder", "over", "voor", "vd", "v", "d", "la", "le", "les",
        "du", "da", "di", "dos", "das", "del", "della", "von", "zu", "vom", "zum",
        "dela", "l", "s", "tot", "thoe", "toe", "af", "am", "auf", "im", "o",
    }
)  # fmt: skip

#: Words of one surname part are glued together, so Arabic particles never
#: depend on spacing (El Amrani = Elamrani, Ben Ali = Benali). The form
#: without a leading `el`/`al` is kept as a secondary key because
#: registrations also drop it (Amrani).
_DROPPABLE_PARTICLES = ("el", "al")
#: Voorvoegsels written glued to the surname ("Dejong", "Vandenberg",
#: "Terhorst"): the form without it is kept as a secondary key, so "de Jong"
#: meets it as a part ("deel"); before, a glued prefix made the surname
#: "anders", and with a date one digit off the pair was not even a hit.
#: Longest first: only the longest that fits is taken off. ("Devos" is not
#: taken apart: three letters left over are as often a word of the name.)
_GLUED_VOORVOEGSELS = ("vanden", "vander", "vande", "van", "den", "der", "de", "ter", "ten")


@dataclass(frozen=True, slots=True)
class SurnameForm:
    """A surname reduced for comparison.

    `full` is the whole surname without voorvoegsels, parts joined by `-`;
    `parts` each part of a double/partner name; `keys` the spelling skeletons
    used for blocking and transliteration-insensitive comparison (the whole
    name, each part, and the forms without a leading el/al); `part_keys` the
    skeleton of each part and `whole_key` that of all parts together.
    """

    full: str
    parts: tuple[str, ...]
    keys: frozenset[str]
    part_keys: tuple[str, ...]
    whole_key: str  # skeleton of all parts together


def _strip_voorvoegsel(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) - 1 and words[i] in VOORVOEGSEL_WORDS:
        i += 1
    return words[i:]


def _split_at_voorvoegsel(words: list[str]) -> list[str]:
    """The two names of a double surname written with a blank, one word, a
    voorvoegsel and one word ("Smit de Vries", "Rodrigues da Silva",
    "Schimmelpenninck van der Oye"): secondary keys, as a hyphen's parts
    are, so that "de Vries" or "Silva" alone finds it. Each name at least
    three letters. "Al Hassan" has no voorvoegsel word inside, and a longer
    name ("Coreth von und zu Coredo und Starkenberg") is no pair of two:
    both stay one name."""
    if len(words) < 3 or words[0] in VOORVOEGSEL_WORDS or words[1] not in VOORVOEGSEL_WORDS:
        return []
    right = _strip_voorvoegsel(words[1:])
    if len(right) != 1 or len(words[0]) < 3 or len(right[0]) < 3:
        return []
    return [words[0], right[0]]


def _glue(words: list[str]) -> str:
    """Join the words of one surname part; particles are glued so spacing never matters."""
    return "".join(words)


@lru_cache(maxsize=200_000)
def surname_form(achternaam: str, voorvoegsel: str = "") -> SurnameForm:
    text = fold(f"{voorvoegsel} {achternaam}")
    # "Bourgondië, van" style (prefix after a comma) is folded to a trailing
    # prefix word; drop trailing prefix words too.
    raw_parts = [p.split() for p in text.split("-")]
    parts: list[str] = []
    inner: list[str] = []
    for words in raw_parts:
        words = [w for w in words if w]
        if not words:
            continue
        words = _strip_voorvoegsel(words)
        while len(words) > 1 and words[-1] in VOORVOEGSEL_WORDS:
            words = words[:-1]
        parts.append(_glue(words))
        inner.extend(_split_at_voorvoegsel(words))
    if not parts:
        parts = [text.replace(" ", "").replace("-", "")]
    part_keys = tuple(skeleton(p) for p in parts)
    whole_key = skeleton("".join(parts))
    keys = set(part_keys)
    keys.add(whole_key)
    for p in parts:
        for particle in _DROPPABLE_PARTICLES:
            if p.startswith(particle) and len(p) > len(particle) + 2:
                keys.add(skeleton(p[len(particle) :]))
        glued = next((g for g in _GLUED_VOORVOEGSELS if p.startswith(g)), "")
        rest = p[len(glued) :] if glued else ""
        # at least four letters left, not starting with a doubled one: "Demir"
        # is no "de Mir", "Dekker" no "de Kker"
        if len(rest) >= 4 and rest[0] != rest[1]:
            keys.add(skeleton(rest))
    keys.update(skeleton(p) for p in inner)
    keys.discard("")
    return SurnameForm("-".join(parts), tuple(parts), frozenset(keys), part_keys, whole_key)


__all__ = [
    "ROEPNAMEN",
    "ROEPNAMEN_INTERNATIONAAL",
    "TRANSLITERATIONS",
    "VOORVOEGSEL_WORDS",
    "GivenNames",
    "SurnameForm",
    "canonical_given",
    "fold",
    "given_names",
    "roepnaam_pair",
    "same_given_family",
    "skeleton",
    "surname_form",
]
