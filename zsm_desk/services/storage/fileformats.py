"""Reading border files (JSON or CSV) into plain records.

CSV: separator `;` or `,` detected from the header line, encoding UTF-8 (with
or without BOM) or Windows-1252 detected, quoted fields may hold separators
and line breaks. Any structural problem (broken quoting, a row with the wrong
number of fields, a missing required column) refuses the whole file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsm_desk.domain.validation import RecordError

#: How many refused records an error message names before "(en nog N)".
MAX_REPORTED = 10


class ImportRefused(Exception):
    """Nothing was imported; `errors` says why, record by record."""

    def __init__(self, message: str, errors: Sequence[RecordError] = ()):
        super().__init__(message)
        self.errors = list(errors)


class FileFormatError(Exception):
    """The file cannot be read as a whole; the message is one Dutch line."""


@dataclass
class RawFile:
    records: list[dict[str, Any]]
    kind: str  # "json" or "csv"
    encoding: str = "utf-8"
    separator: str = ""
    envelope: dict[str, Any] = field(default_factory=dict)  # JSON envelope fields


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 when it decodes, else Windows-1252 (what Excel on Windows writes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileFormatError("bestand is UTF-16; sla het op als UTF-8 of Windows-1252")
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM (or a binary file) decodes as "UTF-8" with NULs.
        raise FileFormatError("bestand is UTF-16 of binair; sla het op als UTF-8 of Windows-1252")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise FileFormatError(
            f"onbekende tekenset (geen UTF-8 of Windows-1252) bij byte {e.start}"
        ) from None
    return text, "cp1252"


def _detect_separator(header: str) -> str:
    semi, comma = header.count(";"), header.count(",")
    if semi == 0 and comma == 0:
        raise FileFormatError("geen scheidingsteken (; of ,) gevonden in de kopregel")
    return ";" if semi >= comma else ","


def read_csv_text(text: str, required: Sequence[str]) -> RawFile:
    first_line = text.split("\n", 1)[0]
    sep = _detect_separator(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise FileFormatError("bestand is leeg") from None
    except csv.Error as e:
        raise FileFormatError(f"kopregel onleesbaar: {e}") from None
    header = [h.strip().lower() for h in header]
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise FileFormatError(f"kolom dubbel in kopregel: {', '.join(sorted(dupes))}")
    missing = [r for r in required if r not in header]
    if missing:
        raise FileFormatError(f"verplichte kolom ontbreekt: {', '.join(missing)}")
    records: list[dict[str, Any]] = []
    append = records.append
    width = len(header)
    number = 0
    try:  # one try around the loop: a register export has 200,000 rows
        for row in reader:
            if not row or (not row[0].strip() and not "".join(row).strip()):
                continue  # blank line
            number += 1
            if len(row) != width:
                raise FileFormatError(
                    f"record {number}: {len(row)} velden, verwacht {width} "
                    "(scheidingsteken of aanhalingstekens kloppen niet); niets ingelezen"
                )
            append(dict(zip(header, row, strict=True)))
    except csv.Error as e:
        raise FileFormatError(
            f"record {number + 1}: aanhalingstekens kloppen niet ({e}); niets ingelezen"
        ) from None
    return RawFile(records=records, kind="csv", separator=sep)


def read_json_text(text: str, list_key: str) -> RawFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise FileFormatError(
            f"ongeldige JSON op regel {e.lineno}, kolom {e.colno}: {e.msg}"
        ) from None
    envelope: dict[str, Any] = {}
    if isinstance(doc, dict):
        if list_key not in doc:
            raise FileFormatError(f"JSON-object zonder lijst {list_key!r}")
        envelope = {k: v for k, v in doc.items() if k != list_key}
        doc = doc[list_key]
    if not isinstance(doc, list):
        raise FileFormatError(f"verwacht een JSON-lijst van records of een object met {list_key!r}")
    return RawFile(records=doc, kind="json", envelope=envelope)


def read_records(path: Path, required: Sequence[str], list_key: str) -> RawFile:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileFormatError(f"bestand niet gevonden: {path}") from None
    except OSError as e:
        raise FileFormatError(f"bestand niet leesbaar: {e.strerror}") from None
    return parse_bytes(data, required, list_key)


def parse_bytes(data: bytes, required: Sequence[str], list_key: str) -> RawFile:
    text, encoding = decode(data)
    stripped = text.lstrip()
    if not stripped:
        raise FileFormatError("bestand is leeg")
    raw = read_json_text(text, list_key) if stripped[0] in "[{" else read_csv_text(text, required)
    raw.encoding = encoding
    return raw
