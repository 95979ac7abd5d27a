"""Reading instroom and register files: moved to `services.storage.fileformats`
(shared by intake and registers); the names stay importable from here."""

from zsm_desk.services.storage.fileformats import (
    FileFormatError,
    RawFile,
    decode,
    parse_bytes,
    read_csv_text,
    read_json_text,
    read_records,
)

__all__ = [
    "FileFormatError",
    "RawFile",
    "decode",
    "parse_bytes",
    "read_csv_text",
    "read_json_text",
    "read_records",
]
