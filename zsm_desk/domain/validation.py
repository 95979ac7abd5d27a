"""Turning wire records (interfaces.md §1, §2) into domain records.

Each parser takes one record as a dict of wire names and returns the domain
record or raises `FieldError` naming the field. The importers collect these
per record number and decide to refuse the file as a whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

from zsm_desk.domain.records import (
    DATE_FORMS,
    GESLACHTEN,
    Identity,
    InstroomItem,
    InstroomStatus,
    PartialDate,
    RegisterMarking,
    date_parts,
)

INSTROOM_FIELDS = (
    "bvh_nummer",
    "parketnummer",
    "ingestroomd_op",
    "achternaam",
    "voorvoegsel",
    "voornamen",
    "geboortedatum",
    "geboorteplaats",
    "geslacht",
    "bsn",
    "woonplaats",
    "gemeente",
    "feit",
    "categorie",
    "status",
)
INSTROOM_REQUIRED = (
    "bvh_nummer",
    "ingestroomd_op",
    "achternaam",
    "voornamen",
    "geboortedatum",
    "feit",
    "status",
)

#: A register marking's content: every field except its key (vh_code, persoon_id).
REGISTER_CONTENT = (
    "achternaam",
    "voorvoegsel",
    "voornamen",
    "geboortedatum",
    "bsn",
    "geboorteplaats",
    "gemeente",
    "doelgroep",
    "slagzin",
    "advies",
    "doel_interventie",
    "context",
    "hg_historie",
    "advies_datum",
    "plan_van_aanpak",
    "contactpersoon",
    "contact_telefoon",
    "actief",
)
REGISTER_FIELDS = ("vh_code", "persoon_id", *REGISTER_CONTENT)
REGISTER_REQUIRED = (
    "vh_code",
    "persoon_id",
    "achternaam",
    "voornamen",
    "geboortedatum",
    "slagzin",
    "advies_datum",
)

SLAGZIN_MAX = 200
_BSN_NOISE = re.compile(r"[\s.]")
_BVH_RE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{3,39}$")


@dataclass(frozen=True)
class FieldError(Exception):
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class RecordError:
    """A problem in record `number` (1-based, as a user counts them)."""

    number: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"record {self.number}, veld {self.field}: {self.message}"


def _text(rec: Mapping[str, Any], name: str, required: bool = False, max_len: int = 500) -> str:
    value = rec.get(name)
    # a register of 200,000 persons runs this ~4 million times: plain text first
    if value.__class__ is str:
        value = value.strip()
    else:
        if value is None:
            value = ""
        if not isinstance(value, str):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FieldError(name, "moet tekst zijn")
            value = str(value)
        value = value.strip()
    if required and not value:
        raise FieldError(name, "ontbreekt")
    if len(value) > max_len:
        raise FieldError(name, f"langer dan {max_len} tekens")
    if "\x00" in value:
        raise FieldError(name, "bevat een ongeldig teken")
    return value


def parse_timestamp(text: str, field: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(field, f"ongeldig tijdstip {text!r}") from None
    if value.tzinfo is None:
        raise FieldError(field, f"tijdstip {text!r} zonder tijdzone")
    try:  # 0001-01-01T00:00:00+01:00 has no UTC time; stored values are UTC
        in_utc = value.astimezone(dt.UTC)
    except OverflowError:
        raise FieldError(field, f"tijdstip {text!r} buiten bereik") from None
    if not 1900 <= in_utc.year <= 2199:
        raise FieldError(field, f"tijdstip {text!r} buiten bereik")
    return value


@lru_cache(maxsize=65_536)
def _iso_birth_date(text: str) -> tuple[str, str]:
    """(iso, "") or ("", error message); cached, as birth dates repeat a lot."""
    try:
        return PartialDate.parse(text).iso(), ""
    except ValueError as e:
        return "", str(e)


def _birth_date(rec: Mapping[str, Any], field: str = "geboortedatum") -> str:
    text = _text(rec, field, required=True, max_len=10)
    iso, error = _iso_birth_date(text)
    if error:
        raise FieldError(field, error)
    return iso


def _bsn_digits(text: str) -> str:
    """The BSN as nine digits; ValueError for a wrong length or other characters.

    A BSN may come in with spaces or dots from a spreadsheet; digits only is
    the wire format. A failing eleven-test is kept (it is what the source
    says) but the matcher never treats it as evidence.
    """
    if not (text.isdigit() and text.isascii()):
        text = _BSN_NOISE.sub("", text)
    if text and (not text.isdigit() or len(text) not in (8, 9)):
        raise ValueError(text)
    return text.zfill(9) if text else ""


def _bsn(rec: Mapping[str, Any]) -> str:
    try:
        return _bsn_digits(_text(rec, "bsn", max_len=20))
    except ValueError:
        raise FieldError("bsn", "moet 9 cijfers zijn") from None


def _identity(rec: Mapping[str, Any]) -> Identity:
    geslacht = _text(rec, "geslacht", max_len=1).upper() if "geslacht" in rec else ""
    if geslacht not in GESLACHTEN:
        raise FieldError("geslacht", "moet M, V, X of leeg zijn")
    return Identity(
        achternaam=_text(rec, "achternaam", required=True, max_len=200),
        voorvoegsel=_text(rec, "voorvoegsel", max_len=40),
        voornamen=_text(rec, "voornamen", required=True, max_len=200),
        geboortedatum=_birth_date(rec),
        bsn=_bsn(rec),
        geboorteplaats=_text(rec, "geboorteplaats", max_len=100),
        gemeente=_text(rec, "gemeente", max_len=100),
        geslacht=geslacht,
    )


def parse_instroom(rec: Mapping[str, Any]) -> InstroomItem:
    if not isinstance(rec, Mapping):
        raise FieldError("record", "is geen object")
    bvh = _text(rec, "bvh_nummer", required=True, max_len=40).upper()
    if not _BVH_RE.match(bvh):
        raise FieldError("bvh_nummer", f"ongeldig nummer {bvh!r}")
    status_text = _text(rec, "status", required=True, max_len=40).lower()
    try:
        status = InstroomStatus(status_text)
    except ValueError:
        allowed = ", ".join(s.value for s in InstroomStatus)
        raise FieldError(
            "status", f"onbekende status {status_text!r} (toegestaan: {allowed})"
        ) from None
    return InstroomItem(
        bvh_nummer=bvh,
        ingestroomd_op=parse_timestamp(
            _text(rec, "ingestroomd_op", required=True, max_len=40), "ingestroomd_op"
        ),
        identity=_identity(rec),
        feit=_text(rec, "feit", required=True),
        status=status,
        parketnummer=_text(rec, "parketnummer", max_len=40),
        woonplaats=_text(rec, "woonplaats", max_len=100),
        categorie=_text(rec, "categorie", max_len=40).lower(),
    )


def plain_date(text: str) -> dt.date:
    """A whole date, `YYYY-MM-DD` or the Dutch `DD-MM-YYYY` (`date_parts`);
    ValueError otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        y, mo, d = date_parts(text)
        return dt.date(y, mo, d)


def _date(rec: Mapping[str, Any], name: str) -> dt.date:
    text = _text(rec, name, required=True, max_len=10)
    try:
        return plain_date(text)
    except ValueError:
        raise FieldError(name, f"ongeldige datum {text!r} (verwacht {DATE_FORMS})") from None


def _bool(rec: Mapping[str, Any], name: str, default: bool) -> bool:
    value = rec.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("ja", "j", "true", "1", "yes"):
        return True
    if text in ("nee", "n", "false", "0", "no"):
        return False
    raise FieldError(name, f"moet ja of nee zijn, niet {value!r}")


def parse_register(rec: Mapping[str, Any]) -> RegisterMarking:
    if not isinstance(rec, Mapping):
        raise FieldError("record", "is geen object")
    slagzin = _text(rec, "slagzin", required=True, max_len=2000)
    if len(slagzin) > SLAGZIN_MAX:
        raise FieldError("slagzin", f"langer dan {SLAGZIN_MAX} tekens ({len(slagzin)})")
    long = 100_000
    return RegisterMarking(
        vh_code=_text(rec, "vh_code", required=True, max_len=32).upper(),
        persoon_id=_text(rec, "persoon_id", required=True, max_len=64),
        identity=_identity(rec),
        slagzin=slagzin,
        advies_datum=_date(rec, "advies_datum"),
        doelgroep=_text(rec, "doelgroep", max_len=100),
        advies=_text(rec, "advies", max_len=long),
        doel_interventie=_text(rec, "doel_interventie", max_len=long),
        context=_text(rec, "context", max_len=long),
        hg_historie=_text(rec, "hg_historie", max_len=long),
        plan_van_aanpak=_text(rec, "plan_van_aanpak", max_len=long),
        contactpersoon=_text(rec, "contactpersoon", max_len=200),
        contact_telefoon=_text(rec, "contact_telefoon", max_len=40),
        actief=_bool(rec, "actief", True),
    )


# --- whole-file fast path ---------------------------------------------------------

#: (field, required, max_len) of every text field `parse_register` reads with `_text`.
_REGISTER_TEXT = (
    ("vh_code", True, 32),
    ("persoon_id", True, 64),
    ("achternaam", True, 200),
    ("voorvoegsel", False, 40),
    ("voornamen", True, 200),
    ("geboortedatum", True, 10),
    ("bsn", False, 20),
    ("geboorteplaats", False, 100),
    ("gemeente", False, 100),
    ("doelgroep", False, 100),
    ("slagzin", True, SLAGZIN_MAX),  # also <= 2000, implied
    ("advies", False, 100_000),
    ("doel_interventie", False, 100_000),
    ("context", False, 100_000),
    ("hg_historie", False, 100_000),
    ("advies_datum", True, 10),
    ("plan_van_aanpak", False, 100_000),
    ("contactpersoon", False, 200),
    ("contact_telefoon", False, 40),
)
_NO_VALUE = object()


def _raw_column(records: list[dict[str, Any]], name: str) -> Sequence[Any]:
    try:
        return list(map(itemgetter(name), records))
    except KeyError:  # a missing key reads as "" (None)
        return [r.get(name, "") for r in records]


def _raw_columns(records: list[dict[str, Any]], names: Sequence[str]) -> list[Sequence[Any]]:
    """The values of `names` as columns: one pass over the records (a C-level
    multi-key get, then a transpose) instead of one per column."""
    try:
        return list(zip(*map(itemgetter(*names), records), strict=True))
    except KeyError:  # some record lacks an optional key
        return [_raw_column(records, name) for name in names]


def _text_column(
    records: list[dict[str, Any]],
    name: str,
    required: bool,
    max_len: int,
    raw: Sequence[Any] | None = None,
) -> list[str] | None:
    """`_text` over a whole column of plain strings; None when any value needs a closer look."""
    if raw is None:
        raw = _raw_column(records, name)
    try:
        # str.strip refuses anything but text, so no pass of its own over the
        # types (each pass over 200,000 values scattered over the records'
        # memory costs about 20 ms, and a register has nineteen such columns)
        col = list(map(str.strip, raw))
    except TypeError:
        return None
    if required and not all(col):
        return None
    joined = "".join(col)
    # no value is longer than the whole column: most free-text columns of an
    # export are short in all, and then no value needs measuring
    if "\x00" in joined or (len(joined) > max_len and max(map(len, col)) > max_len):
        return None
    return col


def _mapped(col: list[Any], convert: Any) -> list[Any] | None:
    """`convert` per distinct value; None when it refuses any."""
    out: dict[str, Any] = {}
    for v in set(col):
        try:
            out[v] = convert(v)
        except (FieldError, ValueError):
            return None
    return list(map(out.__getitem__, col))


def _bsn_column(col: list[str]) -> list[str] | None:
    """`_bsn_digits` over a column (`_mapped`); the column as it is when every
    value is already nine ASCII digits or empty, as an export writes them
    (200,000 distinct values, each converted to itself, cost a fifth of a
    second)."""
    if set(map(len, col)) <= {0, 9}:
        digits = "".join(col)
        if digits.isascii() and (digits.isdigit() or not digits):
            return col
    return _mapped(col, _bsn_digits)


def _fast_birth(text: str) -> str:
    iso, error = _iso_birth_date(text)
    if error:
        raise ValueError(error)
    return iso


def _fast_bool(value: Any) -> bool:
    if value is _NO_VALUE:
        return True
    return _bool({"v": value}, "v", True)


#: The identity fields of a register record, in `REGISTER_FIELDS` order.
REGISTER_IDENTITY = REGISTER_CONTENT[:7]


def register_identities(records: list[Any]) -> list[tuple[Any, ...]]:
    """The identity fields of every record as :func:`register_columns` gives
    them (trimmed, birth date ISO, BSN as digits), with the same conversions;
    [] when any of them needs a closer look. For working out match keys ahead
    of the whole check: a value that differs from what is stored in the end
    only costs that record's keys being worked out again. So it leaves out
    the checks that accept or refuse without changing a value (required,
    length, NUL): a file they refuse is refused by the whole check, and these
    keys are thrown away."""
    if not records or set(map(type, records)) != {dict}:
        return []
    try:
        cols = [list(map(str.strip, raw)) for raw in _raw_columns(records, REGISTER_IDENTITY)]
    except TypeError:  # a value that is not text
        return []
    n = REGISTER_IDENTITY.index("geboortedatum")
    births = _mapped(cols[n], _fast_birth)
    m = REGISTER_IDENTITY.index("bsn")
    bsns = _bsn_column(cols[m])
    if births is None or bsns is None:
        return []
    cols[n], cols[m] = births, bsns
    return list(zip(*cols, strict=True))


def register_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]] | None:
    """Every record through the checks of :func:`parse_register` at once, column
    by column: the parsed values per field (``REGISTER_FIELDS`` plus ``geslacht``),
    or None when any record fails any check or is not a plain dict of strings.

    The caller then runs :func:`parse_register` per record for the exact
    refusal (record and field named); this path only makes the common case of
    a clean file fast (a register export has ~4 million text fields).
    """
    if not records or set(map(type, records)) != {dict}:
        return None
    cols: dict[str, list[Any]] = {}
    raws = _raw_columns(records, [name for name, _, _ in _REGISTER_TEXT])
    for (name, required, max_len), raw in zip(_REGISTER_TEXT, raws, strict=True):
        col = _text_column(records, name, required, max_len, raw)
        if col is None:
            return None
        cols[name] = col
    cols["vh_code"] = list(map(str.upper, cols["vh_code"]))
    if any("geslacht" in r for r in records):
        gcol = _text_column(records, "geslacht", False, 1)
        if gcol is None:
            return None
        gcol = list(map(str.upper, gcol))
        if set(gcol) - set(GESLACHTEN):
            return None
        cols["geslacht"] = gcol
    else:
        cols["geslacht"] = [""] * len(records)
    for name, convert in (
        ("geboortedatum", _fast_birth),
        ("advies_datum", plain_date),
    ):
        converted = _mapped(cols[name], convert)
        if converted is None:
            return None
        cols[name] = converted
    bsns = _bsn_column(cols["bsn"])
    if bsns is None:
        return None
    cols["bsn"] = bsns
    actief = [r.get("actief", _NO_VALUE) for r in records]
    if set(map(type, actief)) - {str, bool, type(None), object}:
        return None
    flags = _mapped(actief, _fast_bool)
    if flags is None:
        return None
    cols["actief"] = flags
    return cols
