"""Retention: personal data kept no longer than needed (background-zvh-2020 §2.1 Q4).

What goes, and when (days; the beheerder changes them under Instellingen →
Bewaartermijnen, Setting ``bewaartermijnen``; reasons in README, "Bewaartermijnen"):

* a **closed case** (status afgedaan/afgebogen, or a decision recorded) with its
  person data, hits, decision, screenings and adviesvragen:
  ``afgesloten_zaak`` days after the instroom date (default 28);
* an **open case**: ``open_zaak`` days after both the instroom date and the last
  change (default 90) -- never sooner, whatever the other periods say;
* a case with **technical sepot 01** (person wrongly designated a suspect): at
  the next run, whatever its age (pilots-2014 §4);
* a **sent outbox message** (also one saved as .eml): payload, toelichting and
  error text are emptied ``verzonden_bericht`` days after sending (default
  14); the row with its monitoring facts (soort, vh_code, state, decided_at,
  sent_at, minderjarig) stays;
* an **inactive register marking**: ``inactieve_markering`` days after it became
  inactive (default 365).

The audit trail is never purged: it holds internal ids and codes only.

`purge` deletes in foreign-key-safe order, found by reflecting the live schema,
so tables added by later migrations (screening, adviesvraag_meta, ...) are
handled without code changes here: a referencing row is deleted (``CASCADE``,
``RESTRICT``, no action) or unlinked (``SET NULL``) explicitly, on SQLite and
PostgreSQL alike. It writes one `PurgeRecord` per reason and one audit line
with counts only, and running it twice removes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    and_,
    column,
    delete,
    exists,
    inspect,
    or_,
    select,
    table,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zsm_desk.domain.decisions import SEPOT, TECHNISCH_SEPOT
from zsm_desk.domain.settings import ConfigError
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.config import get_setting, put_setting
from zsm_desk.services.storage.db import Database, now_of
from zsm_desk.services.storage.models import (
    Decision,
    InstroomItem,
    OutboxMessage,
    PurgeRecord,
    RegisterMarking,
    Setting,
)

log = logging.getLogger(__name__)

TZ = ZoneInfo("Europe/Amsterdam")
SETTING_KEY = "bewaartermijnen"
LAST_RUN_KEY = "laatste_opschoning"
SYSTEM_ACCOUNT = "systeem"
CLOSED_STATUSES = ("afgedaan", "afgebogen")
#: Outbox states of a message that has left (sent, or saved as .eml by the user).
SENT_STATES = ("verzonden", "handmatig")
_CHUNK = 500
MAX_DAYS = 3650

# PurgeRecord.reden values (stable, used by the monitor).
REDEN_AFGESLOTEN = "afgesloten zaak"
REDEN_OPEN = "open zaak verlopen"
REDEN_SEPOT01 = "technisch sepot 01"
REDEN_BERICHT = "bericht ingekort"
REDEN_MARKERING = "inactieve markering"


@dataclass(frozen=True)
class Bewaartermijnen:
    """Retention periods in days."""

    afgesloten_zaak: int = 28
    open_zaak: int = 90
    verzonden_bericht: int = 14
    inactieve_markering: int = 365

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any] | None) -> Bewaartermijnen:
        """Validate a (partial) dict; missing keys take the default. ConfigError (Dutch) else."""
        doc = doc or {}
        problems: list[str] = []
        known = {f.name for f in fields(cls)}
        for k in doc:
            if k not in known:
                problems.append(f"bewaartermijnen: onbekende sleutel {k!r}")
        values: dict[str, int] = {}
        for f in fields(cls):
            v = doc.get(f.name, f.default)
            label = LABELS[f.name]
            if not isinstance(v, int) or isinstance(v, bool):
                problems.append(f"{label}: moet een geheel aantal dagen zijn")
                continue
            lo = MINIMA[f.name]
            if not lo <= v <= MAX_DAYS:
                problems.append(f"{label}: moet tussen {lo} en {MAX_DAYS} dagen liggen")
                continue
            values[f.name] = v
        if not problems and values["open_zaak"] < values["afgesloten_zaak"]:
            problems.append(
                f"{LABELS['open_zaak']}: mag niet korter zijn dan "
                f"{LABELS['afgesloten_zaak'].lower()}"
            )
        if problems:
            raise ConfigError(problems)
        return cls(**values)


LABELS = {
    "afgesloten_zaak": "Afgesloten zaak (na instroomdatum)",
    "open_zaak": "Open zaak (na instroom en laatste wijziging)",
    "verzonden_bericht": "Verzonden bericht inkorten (na verzending)",
    "inactieve_markering": "Inactieve registermarkering (na inactief worden)",
}
#: Lower bounds: the ZSM decision is taken within 7 days; an open case is
#: never purged within the weeks a case can reasonably still run.
MINIMA = {"afgesloten_zaak": 7, "open_zaak": 28, "verzonden_bericht": 1,
          "inactieve_markering": 1}  # fmt: skip


def load_periods(session: Session) -> Bewaartermijnen:
    """The configured periods; a damaged setting falls back to the defaults (logged)."""
    try:
        return Bewaartermijnen.from_dict(get_setting(session, SETTING_KEY))
    except (ConfigError, AttributeError, TypeError):
        log.warning("bewaartermijnen in de database ongeldig; standaardwaarden gebruikt")
        return Bewaartermijnen()


def save_periods(session: Session, periods: Bewaartermijnen, actor: str) -> None:
    """Store the periods (validated again) and audit the change."""
    periods = Bewaartermijnen.from_dict(periods.to_dict())
    put_setting(session, SETTING_KEY, periods.to_dict())
    session.flush()
    audit.append(session, actor, audit.SETTINGS, purpose="bewaartermijnen gewijzigd",
                 detail={"bewaartermijnen": periods.to_dict()})  # fmt: skip


@dataclass(frozen=True)
class PurgeReport:
    at: dt.datetime
    afgesloten_zaken: int = 0
    open_zaken: int = 0
    technisch_sepot: int = 0
    berichten: int = 0
    markeringen: int = 0

    @property
    def zaken(self) -> int:
        return self.afgesloten_zaken + self.open_zaken + self.technisch_sepot

    @property
    def total(self) -> int:
        return self.zaken + self.berichten + self.markeringen

    def counts(self) -> dict[str, int]:
        return {REDEN_AFGESLOTEN: self.afgesloten_zaken, REDEN_OPEN: self.open_zaken,
                REDEN_SEPOT01: self.technisch_sepot, REDEN_BERICHT: self.berichten,
                REDEN_MARKERING: self.markeringen}  # fmt: skip

    def summary(self) -> str:
        if not self.total:
            return "Opschoning: niets te verwijderen."
        return (
            f"Opschoning: {self.zaken} zaak/zaken verwijderd ({self.afgesloten_zaken} afgesloten, "
            f"{self.open_zaken} verlopen open, {self.technisch_sepot} technisch sepot 01), "
            f"{self.berichten} bericht(en) ingekort, {self.markeringen} inactieve markering(en) "
            "verwijderd."
        )


# --- FK-safe deletion -------------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
    child: str
    child_col: str
    parent_col: str
    set_null: bool


def _references(session: Session) -> dict[str, list[_Ref]]:
    """parent table -> the single-column foreign keys pointing at it, from the live schema."""
    conn = session.connection()
    insp = inspect(conn)
    out: dict[str, list[_Ref]] = defaultdict(list)
    if conn.dialect.name == "sqlite":
        # SQLAlchemy misses ON DELETE of an inline `col REFERENCES t(c) ON DELETE ...`;
        # SQLite's own pragma knows it.
        for t in insp.get_table_names():
            groups: dict[int, list[Any]] = defaultdict(list)
            for r in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{t}")'):
                groups[r[0]].append(r)
            for rows in groups.values():
                if len(rows) != 1:
                    continue
                _id, _seq, parent, col, pcol, _upd, ondelete, *_ = rows[0]
                if pcol is None:  # REFERENCES t without a column: its primary key
                    pk = insp.get_pk_constraint(parent).get("constrained_columns") or ["id"]
                    pcol = pk[0]
                out[parent].append(_Ref(child=t, child_col=col, parent_col=pcol,
                                        set_null=str(ondelete).upper() == "SET NULL"))  # fmt: skip
        return out
    for t in insp.get_table_names():
        for fk in insp.get_foreign_keys(t):
            cols, rcols = fk.get("constrained_columns") or [], fk.get("referred_columns") or []
            if len(cols) != 1 or len(rcols) != 1 or not fk.get("referred_table"):
                continue  # composite keys: none in this schema
            ondelete = str((fk.get("options") or {}).get("ondelete") or "").upper()
            out[fk["referred_table"]].append(
                _Ref(
                    child=t, child_col=cols[0], parent_col=rcols[0], set_null=ondelete == "SET NULL"
                )
            )
    return out


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield list(values[i : i + _CHUNK])


def _delete_where(session: Session, refs: dict[str, list[_Ref]], tbl: str, col: str,
                  values: Sequence[Any], depth: int = 0) -> int:  # fmt: skip
    """Delete rows of `tbl` whose `col` is in `values`, children first."""
    values = [v for v in dict.fromkeys(values) if v is not None]
    if not values:
        return 0
    if depth > 8:
        raise RuntimeError(f"opschoning: verwijzingen te diep genest bij tabel {tbl}")
    for ref in refs.get(tbl, []):
        # Values of the referenced column of the rows about to go.
        if ref.parent_col == col:
            parent_vals = list(values)
        else:
            t = table(tbl, column(col), column(ref.parent_col))
            parent_vals = []
            for chunk in _chunks(values):
                parent_vals += session.execute(
                    select(t.c[ref.parent_col]).where(t.c[col].in_(chunk))
                ).scalars().all()  # fmt: skip
        if ref.set_null:
            c = table(ref.child, column(ref.child_col))
            for chunk in _chunks(parent_vals):
                session.execute(
                    update(c).where(c.c[ref.child_col].in_(chunk)).values({ref.child_col: None})
                )
        elif ref.child != tbl:
            _delete_where(session, refs, ref.child, ref.child_col, parent_vals, depth + 1)
    t = table(tbl, column(col))
    n = 0
    for chunk in _chunks(values):
        n += session.execute(delete(t).where(t.c[col].in_(chunk))).rowcount or 0
    return n


def delete_cases(session: Session, item_ids: Sequence[int]) -> int:
    """Remove these suspects with everything that refers to them; returns the count.

    Outbox messages stay (their link is cleared) so monitoring keeps its facts;
    the audit trail is untouched. No audit here: the caller writes one line.
    """
    if not item_ids:
        return 0
    _secure_delete(session)
    from zsm_desk.services.storage import purge_hygiene

    purge_hygiene.mark_purged(session)  # WAL and migration backups emptied after the commit
    n = _delete_where(session, _references(session), InstroomItem.__tablename__, "id", item_ids)
    session.expire_all()
    return n


def _delete_markings(session: Session, marking_ids: Sequence[int]) -> int:
    if not marking_ids:
        return 0
    _secure_delete(session)
    n = _delete_where(session, _references(session), RegisterMarking.__tablename__, "id",
                      marking_ids)  # fmt: skip
    session.expire_all()
    return n


def _secure_delete(session: Session) -> None:
    """SQLite keeps deleted rows in free pages; make it overwrite them with zeros."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


# --- what is due ----------------------------------------------------------------------


def _due_cases(session: Session, now: dt.datetime, p: Bewaartermijnen) -> dict[str, list[int]]:
    closed_before = now - dt.timedelta(days=p.afgesloten_zaak)
    open_before = now - dt.timedelta(days=p.open_zaak)
    decided = exists().where(Decision.item_id == InstroomItem.id)
    sepot01 = exists().where(Decision.item_id == InstroomItem.id, Decision.beslissing == SEPOT,
                             Decision.sepotcode == TECHNISCH_SEPOT)  # fmt: skip
    closed = or_(InstroomItem.status.in_(CLOSED_STATUSES), decided)
    ids_sepot = list(session.execute(select(InstroomItem.id).where(sepot01)).scalars())
    if ids_sepot:
        from zsm_desk.services.storage import tombstones

        for bvh in session.execute(
            select(InstroomItem.bvh_nummer).where(InstroomItem.id.in_(ids_sepot))
        ).scalars():
            tombstones.remember(session, bvh, now)  # a re-sent feed item stays out
    ids_closed = list(session.execute(
        select(InstroomItem.id).where(closed, ~sepot01, InstroomItem.ingestroomd_op < closed_before)
    ).scalars())  # fmt: skip
    ids_open = list(session.execute(
        select(InstroomItem.id).where(~closed, InstroomItem.ingestroomd_op < open_before,
                                      InstroomItem.updated_at < open_before)
    ).scalars())  # fmt: skip
    return {REDEN_SEPOT01: ids_sepot, REDEN_AFGESLOTEN: ids_closed, REDEN_OPEN: ids_open}


def _reduce_messages(session: Session, now: dt.datetime, p: Bewaartermijnen) -> int:
    """Empty the payload, toelichting and error text of messages sent long enough ago.

    The monitoring facts are columns of the row (soort, vh_code, state,
    decided_at, sent_at, minderjarig) and stay; an empty payload is what the
    outbox recognises as "content removed after the retention period".
    """
    before = now - dt.timedelta(days=p.verzonden_bericht)
    n = 0
    q = select(OutboxMessage).where(
        OutboxMessage.state.in_(SENT_STATES), OutboxMessage.sent_at.is_not(None),
        OutboxMessage.sent_at < before,
    ).order_by(OutboxMessage.id)  # fmt: skip
    for msg in session.execute(q).scalars():
        if not msg.payload and not msg.toelichting and not msg.last_error:
            continue  # already reduced
        msg.payload = {}
        msg.toelichting = ""
        msg.last_error = ""
        n += 1
    session.flush()
    return n


def _due_markings(session: Session, now: dt.datetime, p: Bewaartermijnen) -> list[int]:
    before = now - dt.timedelta(days=p.inactieve_markering)
    # `imported_at` is set when an import marks a marking inactive (services.registers).
    q = select(RegisterMarking.id).where(
        and_(RegisterMarking.actief.is_(False), RegisterMarking.imported_at < before)
    )
    return list(session.execute(q).scalars())


# --- the purge ------------------------------------------------------------------------


def purge(session: Session, now: dt.datetime | None = None, account: str = SYSTEM_ACCOUNT,
          periods: Bewaartermijnen | None = None) -> PurgeReport:  # fmt: skip
    """Remove what is past its period, in the caller's transaction.

    Writes one PurgeRecord per reason with a count and, when anything was
    removed or reduced, one audit line with counts only. Idempotent.
    """
    now = (now or now_of(session)).astimezone(dt.UTC)
    p = periods or load_periods(session)
    due = _due_cases(session, now, p)
    counts = {reden: delete_cases(session, ids) for reden, ids in due.items()}
    berichten = _reduce_messages(session, now, p)
    markeringen = _delete_markings(session, _due_markings(session, now, p))
    if markeringen:
        from zsm_desk.services.registers.register_import import bump_version

        bump_version(session)  # cached match indexes are rebuilt
    report = PurgeReport(at=now, afgesloten_zaken=counts[REDEN_AFGESLOTEN],
                         open_zaken=counts[REDEN_OPEN], technisch_sepot=counts[REDEN_SEPOT01],
                         berichten=berichten, markeringen=markeringen)  # fmt: skip
    if report.total:
        for reden, aantal in report.counts().items():
            if aantal:
                session.add(PurgeRecord(at=now, reden=reden, aantal=aantal))
        audit.append(session, account, audit.PURGE, purpose="bewaartermijn verstreken",
                     detail={"aantallen": report.counts(), "bewaartermijnen": p.to_dict()})  # fmt: skip
    session.flush()
    log.info("%s", report.summary())
    return report


# --- scheduling -----------------------------------------------------------------------


def last_run(session: Session) -> dt.datetime | None:
    value = get_setting(session, LAST_RUN_KEY)
    if not isinstance(value, str):
        return None
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def is_due(last: dt.datetime | None, now: dt.datetime) -> bool:
    """Once per calendar day (Europe/Amsterdam)."""
    return last is None or last.astimezone(TZ).date() != now.astimezone(TZ).date()


def run_if_due(db: Database, account: str, now: dt.datetime | None = None) -> PurgeReport | None:
    """Purge when it has not run today yet; returns the report, or None when not due.

    Called at start (services.app.open_app) and by the window's daily timer. The
    first statement updates the `laatste_opschoning` row, which serialises
    concurrent desks (SQLite write lock, PostgreSQL row lock).
    """
    now = (now or db.clock.now()).astimezone(dt.UTC)
    try:
        with db.session() as s:
            if s.get(Setting, LAST_RUN_KEY) is None:
                s.add(Setting(key=LAST_RUN_KEY, value=""))
    except IntegrityError:
        pass  # another desk made the row at the same moment
    with db.session() as s:
        s.execute(update(Setting).where(Setting.key == LAST_RUN_KEY).values(value=Setting.value))
        if not is_due(last_run(s), now):
            return None
        report = purge(s, now, account)
        s.execute(update(Setting).where(Setting.key == LAST_RUN_KEY)
                  .values(value=now.isoformat(timespec="seconds")))  # fmt: skip
    if report.total:
        checkpoint(db)
    return report


def checkpoint(db: Database) -> None:
    """SQLite: fold the WAL into the file and empty it, so no old page copy lingers."""
    if not db.is_sqlite:
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
