"""SQLAlchemy 2 typed models for the whole domain.

Every timestamp is stored as naive UTC through `UTCDateTime`, because SQLite
has no time zone type; values come back aware (UTC) on both SQLite and
PostgreSQL. Person data live on the instroom item (one suspect per item), so
purging an item removes the person with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Location-wide settings (zsm_locatie, deadline_uren, smtp, feed, code lists)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Veiligheidshuis(Base):
    __tablename__ = "veiligheidshuis"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    mailbox: Mapped[str] = mapped_column(String(254))
    gemeenten: Mapped[list[str]] = mapped_column(JSON, default=list)
    telefoon: Mapped[str] = mapped_column(String(40), default="")
    bereikbaar: Mapped[str] = mapped_column(String(100), default="")
    beveiligde_mail: Mapped[bool] = mapped_column(Boolean, default=True)
    terugkoppeling: Mapped[str] = mapped_column(String(40), default="direct")
    register_url: Mapped[str] = mapped_column(String(500), default="")


class InstroomItem(Base):
    """A suspect on the verdachtenmonitor, with the person data."""

    __tablename__ = "instroom_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bvh_nummer: Mapped[str] = mapped_column(String(40), unique=True)
    parketnummer: Mapped[str] = mapped_column(String(40), default="")
    ingestroomd_op: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    achternaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str] = mapped_column(String(40), default="")
    voornamen: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[str] = mapped_column(String(10))
    geboorteplaats: Mapped[str] = mapped_column(String(100), default="")
    geslacht: Mapped[str] = mapped_column(String(1), default="")
    bsn: Mapped[str] = mapped_column(String(9), default="")
    woonplaats: Mapped[str] = mapped_column(String(100), default="")
    gemeente: Mapped[str] = mapped_column(String(100), default="")
    feit: Mapped[str] = mapped_column(String(500))
    categorie: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(40), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Result of the known-client check, cached for the queue (strongest match
    # still counting after review); None = not yet checked.
    vh_status: Mapped[str | None] = mapped_column(String(16), default=None)
    vh_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    mogelijk_complex: Mapped[bool] = mapped_column(Boolean, default=False)

    matches: Mapped[list[Match]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )


class RegisterMarking(Base):
    """One (vh_code, persoon_id) marking of a VH register (interfaces.md §2)."""

    __tablename__ = "register_marking"
    __table_args__ = (UniqueConstraint("vh_code", "persoon_id", name="uq_marking_vh_persoon"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vh_code: Mapped[str] = mapped_column(String(32), index=True)
    persoon_id: Mapped[str] = mapped_column(String(64))
    achternaam: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str] = mapped_column(String(40), default="")
    voornamen: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[str] = mapped_column(String(10))
    bsn: Mapped[str] = mapped_column(String(9), default="")
    geboorteplaats: Mapped[str] = mapped_column(String(100), default="")
    gemeente: Mapped[str] = mapped_column(String(100), default="")
    doelgroep: Mapped[str] = mapped_column(String(100), default="")
    slagzin: Mapped[str] = mapped_column(String(200))
    advies: Mapped[str] = mapped_column(Text, default="")
    doel_interventie: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[str] = mapped_column(Text, default="")
    hg_historie: Mapped[str] = mapped_column(Text, default="")
    advies_datum: Mapped[dt.date] = mapped_column(Date)
    plan_van_aanpak: Mapped[str] = mapped_column(Text, default="")
    contactpersoon: Mapped[str] = mapped_column(String(200), default="")
    contact_telefoon: Mapped[str] = mapped_column(String(40), default="")
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class Match(Base):
    """A hit of an instroom item on a marking, and its review."""

    __tablename__ = "match"
    __table_args__ = (UniqueConstraint("item_id", "marking_id", name="uq_match_item_marking"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("instroom_item.id", ondelete="CASCADE"))
    marking_id: Mapped[int] = mapped_column(ForeignKey("register_marking.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # matcher's verdict: bekend / mogelijk
    score: Mapped[float] = mapped_column(Float)
    reden: Mapped[str] = mapped_column(String(80))
    details: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Review of a `mogelijk` hit: None, "bevestigd" or "afgewezen". Remembered
    # for this suspect, so a re-match does not ask again.
    review: Mapped[str | None] = mapped_column(String(16), default=None)
    reviewed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)

    item: Mapped[InstroomItem] = relationship(back_populates="matches")
    marking: Mapped[RegisterMarking] = relationship()


Index("ix_match_item", Match.item_id)


class Decision(Base):
    """The officer's decision, recorded once per item."""

    __tablename__ = "decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("instroom_item.id", ondelete="CASCADE"), unique=True
    )
    beslissing: Mapped[str] = mapped_column(String(40))
    sepotcode: Mapped[str] = mapped_column(String(4), default="")
    voorwaarden: Mapped[str] = mapped_column(Text, default="")
    onderzoek_gepland: Mapped[bool] = mapped_column(Boolean, default=False)
    advies_gevolgd: Mapped[str] = mapped_column(String(16), default="geen advies")
    motivering: Mapped[str] = mapped_column(Text, default="")
    toelichting: Mapped[str] = mapped_column(Text, default="")
    besloten_door: Mapped[str] = mapped_column(String(100))
    namens: Mapped[str] = mapped_column(String(100), default="")
    besloten_op: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The VH advice the decision weighed (None: no advice) and its freshness then.
    advies_datum: Mapped[dt.date | None] = mapped_column(Date, default=None)
    advies_actualiteit: Mapped[str | None] = mapped_column(String(24), default=None)
    gecorrigeerd_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class OutboxMessage(Base):
    """A terugkoppeling, aanmelding or adviesvraag on its way to a VH mailbox.

    The Message-ID is fixed when the row is created, before any attempt, so a
    resend after a crash carries the same Message-ID and the VH can de-duplicate.
    """

    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    soort: Mapped[str] = mapped_column(String(24))  # terugkoppeling/aanmelding/adviesvraag/digest
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("instroom_item.id", ondelete="SET NULL"), default=None, index=True
    )
    vh_code: Mapped[str] = mapped_column(String(32), index=True)
    mailbox: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[str] = mapped_column(String(254), unique=True)
    # concept/klaar/verzonden/mislukt/handmatig (services/outbox.py)
    state: Mapped[str] = mapped_column(String(16), index=True)
    payload: Mapped[Any] = mapped_column(JSON)  # structured content; bodies cleared after retention
    toelichting: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deliver_after: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    sending_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    sending_by: Mapped[str] = mapped_column(String(100), default="")  # lease owner host:pid
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL"), default=None, index=True
    )
    bevestigd_onbeveiligd: Mapped[bool] = mapped_column(Boolean, default=False)
    # Facts kept for monitoring after the case itself is purged (no personal data).
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    minderjarig: Mapped[bool] = mapped_column(Boolean, default=False)


class Adviesvraag(Base):
    __tablename__ = "adviesvraag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("instroom_item.id", ondelete="CASCADE"), index=True
    )
    vh_code: Mapped[str] = mapped_column(String(32))
    vraag: Mapped[str] = mapped_column(Text)
    casusschets: Mapped[str] = mapped_column(Text, default="")
    termijn: Mapped[str] = mapped_column(String(40))
    gesteld_door: Mapped[str] = mapped_column(String(100))
    gesteld_op: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL"), default=None
    )
    antwoord: Mapped[str] = mapped_column(Text, default="")
    antwoord_van: Mapped[str] = mapped_column(String(200), default="")
    antwoord_via: Mapped[str] = mapped_column(String(20), default="")  # telefoon / mail
    beantwoord_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    zonder_advies_reden: Mapped[str] = mapped_column(Text, default="")
    zonder_advies_op: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class UserRole(Base):
    __tablename__ = "user_role"
    account: Mapped[str] = mapped_column(String(100), primary_key=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)


class FeedState(Base):
    """ETag and last `since` per HTTP source (feed, register per VH)."""

    __tablename__ = "feed_state"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    etag: Mapped[str] = mapped_column(String(200), default="")
    last_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    last_ok_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """Append-only audit trail; each row's hash covers the previous row's hash.

    `item_id` is the internal id (no personal data); it is not a foreign key so
    the line survives a purge.
    """

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    account: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40), index=True)
    item_id: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    purpose: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[Any] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: Fingerprint of the location's HMAC key that made `hash` (None: unkeyed SHA-256).
    sleutel: Mapped[str | None] = mapped_column(String(16), default=None)


class ItemClaim(Base):
    """A desk working on a suspect: "in behandeling bij <naam>, sinds HH:MM" (one per item)."""

    __tablename__ = "item_claim"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("instroom_item.id", ondelete="CASCADE"), primary_key=True
    )
    account: Mapped[str] = mapped_column(String(100))
    naam: Mapped[str] = mapped_column(String(200))
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AuditHead(Base):
    """One row: how many audit entries exist and the last hash.

    Every append first updates this row, which serialises appenders on both
    SQLite (write lock) and PostgreSQL (row lock), and lets `audit verify`
    notice rows cut off the end of the chain.
    """

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class PurgedKey(Base):
    """HMAC of the bvh_nummer of a case purged after sepot 01 (no personal data)."""

    __tablename__ = "purged_key"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PurgeRecord(Base):
    """Counts of purged cases for the monitor, without any identifying data."""

    __tablename__ = "purge_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reden: Mapped[str] = mapped_column(String(40))
    aantal: Mapped[int] = mapped_column(Integer)
