"""Persisted match keys of register markings (migration 0100_match_keys).

One row per register marking: the normalised fields the evidence model
compares and the blocking keys, each blocking key in an indexed column, so a
fresh process finds candidates by indexed lookup instead of rebuilding an
index from all markings. Written at register import
(`services.registers.match_store`); the learned weights live in the
`setting` row ``match_model``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from zsm_desk.services.storage.models import Base


class MatchKey(Base):
    __tablename__ = "match_key"
    marking_id: Mapped[int] = mapped_column(
        ForeignKey("register_marking.id", ondelete="CASCADE"), primary_key=True
    )
    sur: Mapped[str] = mapped_column(String(200), default="")
    sur_parts: Mapped[str] = mapped_column(String(400), default="")
    giv: Mapped[str] = mapped_column(String(200), default="")
    initials: Mapped[bool] = mapped_column(Boolean, default=False)
    letters: Mapped[str] = mapped_column(String(40), default="")
    datum: Mapped[str] = mapped_column(String(8), default="")
    bsn: Mapped[str] = mapped_column(String(9), default="")
    bsn_raw: Mapped[str] = mapped_column(String(20), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    gem: Mapped[str] = mapped_column(String(100), default="")
    giv_lit: Mapped[str] = mapped_column(String(100), default="")  # migration 0101_match_lit
    sur_lit: Mapped[str] = mapped_column(String(200), default="")  # migration 0103_match_sur_lit
    k_bsn: Mapped[str] = mapped_column(String(9), default="", index=True)
    k_ds: Mapped[str] = mapped_column(String(12), default="", index=True)
    k_dg: Mapped[str] = mapped_column(String(12), default="", index=True)
    k_sy: Mapped[str] = mapped_column(String(20), default="", index=True)
    k_sym: Mapped[str] = mapped_column(String(20), default="", index=True)
    k_syd: Mapped[str] = mapped_column(String(20), default="", index=True)
    k_gym: Mapped[str] = mapped_column(String(20), default="", index=True)
    k_gyd: Mapped[str] = mapped_column(String(20), default="", index=True)
    # migration 0102_match_md: phonetic surname / first name + month and day
    k_smd: Mapped[str] = mapped_column(String(24), default="", index=True)
    k_gmd: Mapped[str] = mapped_column(String(24), default="", index=True)
