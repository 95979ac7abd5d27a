"""VH register import (interfaces.md §2).

A file export of a `vh_code` is a full snapshot of that veiligheidshuis:
markings missing from it become inactive (kept for history, never flagged).
An HTTP delta (`since`) only adds and updates. A malformed file is refused as
a whole and leaves the stored markings untouched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from zsm_desk.domain.records import RegisterMarking
from zsm_desk.domain.validation import (
    REGISTER_CONTENT,
    REGISTER_FIELDS,
    REGISTER_IDENTITY,
    REGISTER_REQUIRED,
    FieldError,
    RecordError,
    parse_register,
    register_columns,
    register_identities,
)
from zsm_desk.services.registers import match_store
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.bulk import gc_paused, insert_rows
from zsm_desk.services.storage.config import bump_register_version
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.fileformats import MAX_REPORTED, ImportRefused, RawFile, read_records
from zsm_desk.services.storage.models import RegisterMarking as MarkingRow


@dataclass
class RegisterReport:
    per_vh: dict[str, dict[str, int]] = field(default_factory=dict)
    #: a marking was added, made inactive, or changed in its identity fields
    #: or `actief`: keys, weights and hits are worked out again
    matching_changed: bool = False

    def summary(self) -> str:
        return "; ".join(
            f"{vh}: {c['nieuw']} nieuw, {c['bijgewerkt']} bijgewerkt, "
            f"{c['inactief']} niet meer in export (inactief)"
            for vh, c in sorted(self.per_vh.items())
        )


#: The identity fields of a row of `REGISTER_FIELDS` (after vh_code, persoon_id).
_IDENTITY = slice(2, 2 + len(REGISTER_IDENTITY))


def _row(m: RegisterMarking) -> tuple[Any, ...]:
    """A marking as a row of `REGISTER_FIELDS`."""
    i = m.identity
    return (
        m.vh_code, m.persoon_id, i.achternaam, i.voorvoegsel, i.voornamen, i.geboortedatum,
        i.bsn, i.geboorteplaats, i.gemeente, m.doelgroep, m.slagzin, m.advies,
        m.doel_interventie, m.context, m.hg_historie, m.advies_datum, m.plan_van_aanpak,
        m.contactpersoon, m.contact_telefoon, m.actief,
    )  # fmt: skip


def _fast_rows(records: list[Any], known_vh: set[str] | None) -> list[tuple[Any, ...]] | None:
    """The rows of a clean file, checked column by column; None when any record
    fails a check (then `validate_records` names record and field)."""
    cols = register_columns(records)
    if cols is None:
        return None
    keys = set(zip(cols["vh_code"], cols["persoon_id"], strict=True))
    if len(keys) != len(records) or (known_vh is not None and not set(cols["vh_code"]) <= known_vh):
        return None
    return list(zip(*(cols[f] for f in REGISTER_FIELDS), strict=True))


def validate_records(
    records: Sequence[Any], known_vh: set[str] | None
) -> tuple[list[RegisterMarking], list[RecordError]]:
    out: list[RegisterMarking] = []
    errors: list[RecordError] = []
    seen: dict[tuple[str, str], int] = {}
    for n, rec in enumerate(records, 1):
        try:
            m = parse_register(rec)
        except FieldError as e:
            errors.append(RecordError(n, e.field, e.message))
            continue
        if known_vh is not None and m.vh_code not in known_vh:
            errors.append(RecordError(n, "vh_code", f"{m.vh_code} staat niet in de VH-lijst"))
            continue
        key = (m.vh_code, m.persoon_id)
        if key in seen:
            errors.append(
                RecordError(
                    n, "persoon_id", f"{m.persoon_id} komt dubbel voor (ook record {seen[key]})"
                )
            )
            continue
        seen[key] = n
        out.append(m)
    return out, errors


def bump_version(session: Session) -> None:
    """Mark the registers changed so cached match indexes are rebuilt."""
    bump_register_version(session)


def store_markings(
    session: Session, markings: Sequence[RegisterMarking], *, snapshot: bool
) -> RegisterReport:
    return store_rows(session, [_row(m) for m in markings], snapshot=snapshot)


def _insert(session: Session, rows: list[tuple[Any, ...]], now: dt.datetime) -> None:
    """New markings through the driver's executemany (SQLAlchemy's per-row
    parameter handling costs more than SQLite for 200,000 markings)."""
    table = cast(Table, MarkingRow.__table__)
    insert_rows(session, table, REGISTER_FIELDS, rows, {"imported_at": now})


def store_rows(
    session: Session,
    rows: Sequence[tuple[Any, ...]],
    *,
    snapshot: bool,
    ahead: match_store.KeysAhead | None = None,
) -> RegisterReport:
    """Store markings given as rows of `REGISTER_FIELDS` (vh_code, persoon_id, content)."""
    report = RegisterReport()
    now = now_of(session)
    by_vh: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        by_vh[r[0]].append(r)
    cols = [getattr(MarkingRow, c) for c in REGISTER_CONTENT]
    changed_ids: list[int] = []
    new_rows: list[tuple[Any, ...]] = []
    for vh, rs in by_vh.items():
        existing: dict[str, tuple[Any, ...]] = {}
        for row in session.execute(
            select(MarkingRow.id, MarkingRow.persoon_id, *cols).where(MarkingRow.vh_code == vh)
        ):
            existing[row[1]] = tuple(row)
        inserts: list[tuple[Any, ...]] = []
        updates: list[dict[str, Any]] = []
        if not existing:
            inserts = list(rs)
        else:
            for r in rs:
                old = existing.get(r[1])
                if old is None:
                    inserts.append(r)
                elif r[2:] != old[2:]:
                    updates.append(
                        {**dict(zip(REGISTER_FIELDS, r, strict=True)), "id": old[0],
                         "imported_at": now}
                    )  # fmt: skip
                    if r[_IDENTITY] != old[_IDENTITY] or r[-1] != old[-1]:
                        changed_ids.append(old[0])  # who it is, or whether active
        gone = []
        if snapshot and existing:
            present = {r[1] for r in rs}
            gone = [
                {"id": old[0], "actief": False, "imported_at": now}
                for pid, old in existing.items()
                if pid not in present and old[-1]  # still active
            ]
        new_rows.extend(inserts)
        if updates:
            session.execute(update(MarkingRow), updates)
        if gone:
            session.execute(update(MarkingRow), gone)
        report.per_vh[vh] = {
            "nieuw": len(inserts),
            "bijgewerkt": len(updates),
            "inactief": len(gone),
        }
    stored: list[tuple[Any, ...]] = []
    if new_rows:
        # When all are new (a first import) in the file's order: keys_ahead
        # worked out their keys in that order, so match_store.KeysAhead lines
        # them up without a lookup per marking.
        stored = list(rows) if len(new_rows) == len(rows) else new_rows
        _insert(session, stored, now)
    report.matching_changed = bool(new_rows or changed_ids) or any(
        c["inactief"] for c in report.per_vh.values()
    )
    if report.matching_changed:
        bump_version(session)
        session.flush()
        # keys of new and changed markings, weights re-estimated (issue 12)
        match_store.refresh(session, changed_ids, ahead, stored if len(stored) == len(rows) else ())
    # Otherwise (the same file again, or only slagzin, advies and the like
    # changed: a VH's daily snapshot) every key, weight and hit still holds,
    # and relearning the weights from 200,000 markings would take seconds.
    return report


def import_raw(
    session: Session,
    raw: RawFile,
    *,
    actor: str,
    snapshot: bool = True,
    source: str = "bestand",
    recheck: bool = True,
) -> RegisterReport:
    from zsm_desk.services.storage.config import load_settings

    settings = load_settings(session)
    known = {v.code for v in settings.veiligheidshuizen} or None
    if raw.envelope.get("vh_code"):
        # HTTP envelope: records may omit vh_code; the envelope names it.
        for rec in raw.records:
            if isinstance(rec, dict):
                rec.setdefault("vh_code", raw.envelope["vh_code"])
    with gc_paused():
        return _import(session, raw, known, actor=actor, snapshot=snapshot, source=source,
                       recheck=recheck)  # fmt: skip


def _import(
    session: Session,
    raw: RawFile,
    known: set[str] | None,
    *,
    actor: str,
    snapshot: bool,
    source: str,
    recheck: bool,
) -> RegisterReport:
    # A first import: the match keys are worked out in a forked child while
    # this process checks and stores the markings (keys_ahead).
    first = not session.scalar(select(func.count()).select_from(MarkingRow))
    records = raw.records
    with match_store.keys_ahead(
        partial(register_identities, records), len(records) if first else 0
    ) as ahead:
        return _checked_and_stored(session, raw, known, ahead, actor=actor, snapshot=snapshot,
                                   source=source, recheck=recheck)  # fmt: skip


def _checked_and_stored(
    session: Session,
    raw: RawFile,
    known: set[str] | None,
    ahead: match_store.KeysAhead | None,
    *,
    actor: str,
    snapshot: bool,
    source: str,
    recheck: bool,
) -> RegisterReport:
    rows = _fast_rows(raw.records, known)
    if rows is None:
        markings, errors = validate_records(raw.records, known)
        if errors:
            first = "; ".join(str(e) for e in errors[:MAX_REPORTED])
            more = f" (en nog {len(errors) - MAX_REPORTED})" if len(errors) > MAX_REPORTED else ""
            raise ImportRefused(
                f"registerbestand geweigerd, niets gewijzigd: {len(errors)} fout(en): "
                f"{first}{more}",
                errors,
            )
        if not markings:
            raise ImportRefused("registerbestand bevat geen personen; niets gewijzigd")
        rows = [_row(m) for m in markings]
    report = store_rows(session, rows, snapshot=snapshot, ahead=ahead)
    audit.append(
        session,
        actor,
        audit.IMPORT,
        purpose=f"register uit {source}",
        detail={"per_vh": report.per_vh},
    )
    if recheck and report.matching_changed:
        from zsm_desk.services.registers import known_clients

        known_clients.check_all(session)
    return report


def import_file(session: Session, path: Path, *, actor: str) -> RegisterReport:
    with gc_paused():
        raw = read_records(path, REGISTER_REQUIRED, "personen")
        return import_raw(session, raw, actor=actor, snapshot=True, source=path.name)
