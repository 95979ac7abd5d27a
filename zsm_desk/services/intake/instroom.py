"""Verdachtenmonitor import (interfaces.md §1): files and feed documents.

A re-sent `bvh_nummer` updates its item; it never duplicates it. A file with
invalid records imports nothing unless `skip_invalid` is set. Every new or
changed suspect is checked against the registers straight away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from zsm_desk.domain.records import InstroomItem
from zsm_desk.domain.validation import INSTROOM_REQUIRED, FieldError, RecordError, parse_instroom
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.bulk import chunks, gc_paused, insert_rows
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.fileformats import (
    MAX_REPORTED,
    ImportRefused,
    RawFile,
    read_records,
)
from zsm_desk.services.storage.models import InstroomItem as ItemRow


@dataclass
class ImportReport:
    nieuw: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0
    genegeerd: int = 0  # cases purged after sepot 01, sent again by the feed
    overgeslagen: list[RecordError] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.nieuw} nieuw",
            f"{self.bijgewerkt} bijgewerkt",
            f"{self.ongewijzigd} ongewijzigd",
        ]
        if self.overgeslagen:
            parts.append(f"{len(self.overgeslagen)} overgeslagen")
        if self.genegeerd:
            parts.append(f"{self.genegeerd} genegeerd (verwijderd na sepot 01)")
        return ", ".join(parts)


def validate_records(records: Sequence[Any]) -> tuple[list[InstroomItem], list[RecordError]]:
    items: list[InstroomItem] = []
    errors: list[RecordError] = []
    seen: dict[str, int] = {}
    for n, rec in enumerate(records, 1):
        try:
            item = parse_instroom(rec)
        except FieldError as e:
            errors.append(RecordError(n, e.field, e.message))
            continue
        if item.bvh_nummer in seen:
            # Within one file the later record wins, as a re-send would.
            items[seen[item.bvh_nummer]] = item
            continue
        seen[item.bvh_nummer] = len(items)
        items.append(item)
    return items, errors


def _row_values(item: InstroomItem) -> dict[str, Any]:
    i = item.identity
    return {
        "parketnummer": item.parketnummer,
        "ingestroomd_op": item.ingestroomd_op,
        "achternaam": i.achternaam,
        "voorvoegsel": i.voorvoegsel,
        "voornamen": i.voornamen,
        "geboortedatum": i.geboortedatum,
        "geboorteplaats": i.geboorteplaats,
        "geslacht": i.geslacht,
        "bsn": i.bsn,
        "woonplaats": item.woonplaats,
        "gemeente": i.gemeente,
        "feit": item.feit,
        "categorie": item.categorie,
        "status": item.status.value,
    }


IDENTITY_COLUMNS = (
    "achternaam",
    "voorvoegsel",
    "voornamen",
    "geboortedatum",
    "bsn",
    "geboorteplaats",
    "gemeente",
    "geslacht",
)


def upsert_items(session: Session, items: Sequence[InstroomItem]) -> ImportReport:
    """Insert or update by bvh_nummer; returns ids whose identity is new or changed."""
    report = ImportReport()
    now = now_of(session)
    from zsm_desk.services.storage import tombstones

    purged = tombstones.purged_among(session, [i.bvh_nummer for i in items])
    if purged:
        report.genegeerd = sum(1 for i in items if i.bvh_nummer in purged)
        items = [i for i in items if i.bvh_nummer not in purged]
    existing: dict[str, ItemRow] = {}
    numbers = [i.bvh_nummer for i in items]
    for chunk in chunks(numbers):
        for r in session.execute(select(ItemRow).where(ItemRow.bvh_nummer.in_(chunk))).scalars():
            existing[r.bvh_nummer] = r
    new_values: list[tuple[Any, ...]] = []
    for item in items:
        values = _row_values(item)
        row = existing.get(item.bvh_nummer)
        if row is None:
            new_values.append((item.bvh_nummer, now, *values.values()))
            report.nieuw += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if not changed:
            report.ongewijzigd += 1
            continue
        for k, v in changed.items():
            setattr(row, k, v)
        row.updated_at = now
        report.bijgewerkt += 1
        if any(k in IDENTITY_COLUMNS for k in changed):
            row.vh_status = None  # identity changed: check again
            report.changed_ids.append(row.id)
    session.flush()
    if new_values:
        # one executemany: an ORM object per new item costs several times
        # more and nothing here needs the objects
        names = ("bvh_nummer", "updated_at", *_row_values(items[0]))
        insert_rows(session, cast(Table, ItemRow.__table__), names, new_values)
        new_numbers = [v[0] for v in new_values]
        ids: dict[str, int] = {}
        for chunk in chunks(new_numbers):
            for bvh, item_id in session.execute(
                select(ItemRow.bvh_nummer, ItemRow.id).where(ItemRow.bvh_nummer.in_(chunk))
            ):
                ids[bvh] = item_id
        report.changed_ids.extend(ids[b] for b in new_numbers)
    return report


def import_raw(
    session: Session,
    raw: RawFile,
    *,
    actor: str,
    skip_invalid: bool = False,
    source: str = "bestand",
) -> ImportReport:
    with gc_paused():
        return _import(session, raw, actor=actor, skip_invalid=skip_invalid, source=source)


def _import(
    session: Session, raw: RawFile, *, actor: str, skip_invalid: bool, source: str
) -> ImportReport:
    from zsm_desk.services.registers import known_clients

    # A big file: the register's blocks are read in a forked child, and the
    # candidates of its suspects found there, while this process checks and
    # stores the items (known_clients.candidates_ahead).
    with known_clients.candidates_ahead(session, raw.records) as ahead:
        items, errors = validate_records(raw.records)
        if errors and not skip_invalid:
            first = "; ".join(str(e) for e in errors[:MAX_REPORTED])
            more = f" (en nog {len(errors) - MAX_REPORTED})" if len(errors) > MAX_REPORTED else ""
            raise ImportRefused(
                f"{len(errors)} ongeldige record(s), niets ingelezen: {first}{more}", errors
            )
        report = upsert_items(session, items)
        report.overgeslagen = errors
        audit.append(
            session,
            actor,
            audit.IMPORT,
            purpose=f"instroom uit {source}",
            detail={
                "nieuw": report.nieuw,
                "bijgewerkt": report.bijgewerkt,
                "overgeslagen": len(errors),
            },
        )
        known_clients.check_items(session, report.changed_ids, ahead=ahead)
    return report


def import_file(
    session: Session, path: Path, *, actor: str, skip_invalid: bool = False
) -> ImportReport:
    with gc_paused():
        raw = read_records(path, INSTROOM_REQUIRED, "items")
        return import_raw(session, raw, actor=actor, skip_invalid=skip_invalid, source=path.name)
