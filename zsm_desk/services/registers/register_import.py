"""VH register import (interfaces.md §2).

A file export of a `vh_code` is a full snapshot of that veiligheidshuis:
markings missing from it become inactive (kept for history, never flagged).
An HTTP delta (`since`) only adds and updates. A malformed file is refused as
a whole and leaves the stored markings untouched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from zsm_desk.domain.records import RegisterMarking
from zsm_desk.domain.validation import (
    REGISTER_CONTENT,
    REGISTER_REQUIRED,
    FieldError,
    RecordError,
    parse_register,
)
from zsm_desk.services.registers import match_store
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import bump_register_version
from zsm_desk.services.storage.db import now_of
from zsm_desk.services.storage.fileformats import MAX_REPORTED, ImportRefused, RawFile, read_records
from zsm_desk.services.storage.models import RegisterMarking as MarkingRow


@dataclass
class RegisterReport:
    per_vh: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        return "; ".join(
            f"{vh}: {c['nieuw']} nieuw, {c['bijgewerkt']} bijgewerkt, "
            f"{c['inactief']} niet meer in export (inactief)"
            for vh, c in sorted(self.per_vh.items())
        )


def _values(m: RegisterMarking) -> dict[str, Any]:
    i = m.identity
    return {
        "vh_code": m.vh_code,
        "persoon_id": m.persoon_id,
        "achternaam": i.achternaam,
        "voorvoegsel": i.voorvoegsel,
        "voornamen": i.voornamen,
        "geboortedatum": i.geboortedatum,
        "bsn": i.bsn,
        "geboorteplaats": i.geboorteplaats,
        "gemeente": i.gemeente,
        "doelgroep": m.doelgroep,
        "slagzin": m.slagzin,
        "advies": m.advies,
        "doel_interventie": m.doel_interventie,
        "context": m.context,
        "hg_historie": m.hg_historie,
        "advies_datum": m.advies_datum,
        "plan_van_aanpak": m.plan_van_aanpak,
        "contactpersoon": m.contactpersoon,
        "contact_telefoon": m.contact_telefoon,
        "actief": m.actief,
    }


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
    report = RegisterReport()
    now = now_of(session)
    by_vh: dict[str, list[RegisterMarking]] = defaultdict(list)
    for m in markings:
        by_vh[m.vh_code].append(m)
    cols = [getattr(MarkingRow, c) for c in REGISTER_CONTENT]
    changed_ids: list[int] = []
    for vh, ms in by_vh.items():
        existing: dict[str, tuple[Any, ...]] = {}
        for row in session.execute(
            select(MarkingRow.id, MarkingRow.persoon_id, *cols).where(MarkingRow.vh_code == vh)
        ):
            existing[row[1]] = tuple(row)
        inserts, updates = [], []
        present: set[str] = set()
        for m in ms:
            values = _values(m)
            present.add(m.persoon_id)
            old = existing.get(m.persoon_id)
            if old is None:
                values["imported_at"] = now
                inserts.append(values)
            elif tuple(values[c] for c in REGISTER_CONTENT) != old[2:]:
                values["id"] = old[0]
                values["imported_at"] = now
                updates.append(values)
        gone = []
        if snapshot:
            gone = [
                {"id": old[0], "actief": False, "imported_at": now}
                for pid, old in existing.items()
                if pid not in present and old[-1]  # still active
            ]
        if inserts:
            # Core executemany: the ORM bulk path costs ~3x more per row and
            # builds nothing we need here (no objects, no identity map)
            session.execute(insert(cast(Table, MarkingRow.__table__)), inserts)
        if updates:
            session.execute(update(MarkingRow), updates)
            changed_ids.extend(u["id"] for u in updates)
        if gone:
            session.execute(update(MarkingRow), gone)
        report.per_vh[vh] = {
            "nieuw": len(inserts),
            "bijgewerkt": len(updates),
            "inactief": len(gone),
        }
    bump_version(session)
    session.flush()
    # keys of new and changed markings, weights re-estimated (issue 12)
    match_store.refresh(session, changed_ids)
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
    markings, errors = validate_records(raw.records, known)
    if errors:
        first = "; ".join(str(e) for e in errors[:MAX_REPORTED])
        more = f" (en nog {len(errors) - MAX_REPORTED})" if len(errors) > MAX_REPORTED else ""
        raise ImportRefused(
            f"registerbestand geweigerd, niets gewijzigd: {len(errors)} fout(en): {first}{more}",
            errors,
        )
    if not markings:
        raise ImportRefused("registerbestand bevat geen personen; niets gewijzigd")
    report = store_markings(session, markings, snapshot=snapshot)
    audit.append(
        session,
        actor,
        audit.IMPORT,
        purpose=f"register uit {source}",
        detail={"per_vh": report.per_vh},
    )
    if recheck:
        from zsm_desk.services.registers import known_clients

        known_clients.check_all(session)
    return report


def import_file(session: Session, path: Path, *, actor: str) -> RegisterReport:
    raw = read_records(path, REGISTER_REQUIRED, "personen")
    return import_raw(session, raw, actor=actor, snapshot=True, source=path.name)
