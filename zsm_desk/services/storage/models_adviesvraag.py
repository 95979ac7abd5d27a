"""Tables of the adviesvraag and screening feature (migration 0004).

Kept apart from `models.py` so this feature owns its schema; the classes use
the same `Base`, so `Base.metadata` knows them once this module is imported
(`services.adviesvragen` and `services.screening_service` import it, and so
does `migrations/env.py` for autogenerate).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zsm_desk.services.storage.models import Base, UTCDateTime


class AdviesvraagMeta(Base):
    """What `Adviesvraag` (migration 0001) lacks: reference, cause, actual send time.

    ``verzonden_op`` is copied from the outbox row's ``sent_at`` the first time
    the service sees it sent; from then on the deadline counts from
    ``max(gesteld_op, verzonden_op)`` (domain.adviesvraag).
    """

    __tablename__ = "adviesvraag_meta"
    adviesvraag_id: Mapped[int] = mapped_column(
        ForeignKey("adviesvraag.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    aanleiding: Mapped[str] = mapped_column(String(40), default="")
    verzonden_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    zonder_advies_door: Mapped[str] = mapped_column(String(100), default="")
    zonder_advies_voor_termijn: Mapped[bool] = mapped_column(Boolean, default=False)


class Screening(Base):
    """One screening of a suspect against a checklist (Q6), ticked criteria kept as a snapshot.

    ``criteria`` is a list of ``{code, tekst, groep, informatief}`` as the checklist read
    at the time: checklists are editable, the dossier must show what was ticked.
    """

    __tablename__ = "screening"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("instroom_item.id", ondelete="CASCADE"), index=True
    )
    checklist: Mapped[str] = mapped_column(String(64))
    checklist_naam: Mapped[str] = mapped_column(String(200), default="")
    criteria: Mapped[Any] = mapped_column(JSON, default=list)
    voorstel: Mapped[bool] = mapped_column(Boolean, default=False)
    voorstel_tekst: Mapped[str] = mapped_column(Text, default="")
    uitleg: Mapped[str] = mapped_column(Text, default="")
    door: Mapped[str] = mapped_column(String(100))
    op: Mapped[dt.datetime] = mapped_column(UTCDateTime)
