"""Finding a queue item by its BVH number: one lookup for the CLI, print, decide
and adviesvraag (issue 11, "one rule, one place")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zsm_desk.services.storage.models import InstroomItem


def normalize_bvh(bvh_nummer: str) -> str:
    """BVH numbers are stored in capitals without surrounding space."""
    return bvh_nummer.strip().upper()


def item_id_by_bvh(session: Session, bvh_nummer: str) -> int | None:
    """The item's id, or None when no suspect with this BVH number is in the queue."""
    found = session.execute(
        select(InstroomItem.id).where(InstroomItem.bvh_nummer == normalize_bvh(bvh_nummer))
    ).scalar_one_or_none()
    return None if found is None else int(found)
