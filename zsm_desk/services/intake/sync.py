"""Fetching the verdachtenmonitor feed and the VH register endpoints.

Network first, database after: the HTTP request runs outside any database
transaction, so a slow server never holds a lock. The feed is asked for what
changed `since` the last document (`generated_at`), with the last ETag; a
register endpoint likewise. The first fetch of a register (no `since` yet) is
a full snapshot; later fetches only add and update.

Authentication: a token (`Authorization: Bearer`) when a secret is stored for
the source (`zsm-desk secret set feed`, `register` or `register:VH-CODE`),
otherwise none.

TLS: certificates are always verified, against the system store or, when the
configuration names one (``ca_bundle`` in ``[feed]`` or a
``[[veiligheidshuis]]``), against that PEM file; a missing file is a Dutch
error at fetch time (http_client).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from zsm_desk.domain.validation import parse_timestamp
from zsm_desk.services.intake import instroom
from zsm_desk.services.intake.fileformats import RawFile
from zsm_desk.services.intake.http_client import (
    FetchConfig,
    FetchError,
    fetch_instroom,
    fetch_register,
)
from zsm_desk.services.registers import register_import as registers
from zsm_desk.services.security.secrets import SecretStore, SecretStoreError, default_store
from zsm_desk.services.storage.config import load_settings
from zsm_desk.services.storage.db import Database
from zsm_desk.services.storage.models import FeedState

# Retries with backoff on connection errors and 5xx (tests lower these).
RETRIES = 3
BACKOFF = 0.5


@dataclass
class SyncReport:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return "; ".join(self.errors or self.lines) or "niets ingesteld om op te halen"


def _secret_or_none(store: SecretStore, name: str) -> str | None:
    try:
        return name if store.get(name) else None
    except SecretStoreError:
        return None


def _ca(path: str) -> str | None:
    """The configured CA bundle (``~`` expanded), or None for the system store."""
    return os.path.expanduser(path) if path else None


def _state(db: Database, source: str) -> tuple[str, dt.datetime | None]:
    with db.session() as s:
        row = s.get(FeedState, source)
        return (row.etag, row.last_since) if row else ("", None)


def _record(
    db: Database,
    source: str,
    *,
    etag: str | None = None,
    since: dt.datetime | None = None,
    error: str = "",
) -> None:
    with db.session() as s:
        row = s.get(FeedState, source) or FeedState(source=source)
        now = db.clock.now()
        if error:
            row.last_error = error
        else:
            row.last_error = ""
            row.last_ok_at = now
            if etag is not None:
                row.etag = etag
            if since is not None:
                row.last_since = since
        s.add(row)


def _generated_at(doc: dict[str, object]) -> dt.datetime | None:
    value = doc.get("generated_at")
    if isinstance(value, str):
        try:
            return parse_timestamp(value, "generated_at")
        except Exception:
            return None
    return None


def sync_feed(db: Database, account: str, store: SecretStore | None = None) -> SyncReport:
    report = SyncReport()
    store = store or default_store()
    with db.session() as s:
        settings = load_settings(s)
    if settings.feed is None:
        return report
    source = "feed"
    etag, since = _state(db, source)
    cfg = FetchConfig(
        url=settings.feed.url,
        auth="token" if _secret_or_none(store, "feed") else None,
        secret_name="feed",
        ca_bundle=_ca(settings.feed.ca_bundle),
        retries=RETRIES,
        backoff=BACKOFF,
    )
    try:
        res = fetch_instroom(cfg, since=since, etag=etag or None, store=store)
    except FetchError as e:
        _record(db, source, error=str(e))
        report.errors.append(f"verdachtenmonitor: {e}")
        return report
    if res.not_modified or res.document is None:
        _record(db, source)
        report.lines.append("verdachtenmonitor: niets nieuws")
        return report
    try:
        with db.session() as s:
            rep = instroom.import_raw(
                s,
                RawFile(records=list(res.document.get("items", [])), kind="json"),
                actor=account,
                skip_invalid=True,
                source="verdachtenmonitor",
            )
    except instroom.ImportRefused as e:
        _record(db, source, error=str(e))
        report.errors.append(f"verdachtenmonitor: {e}")
        return report
    _record(db, source, etag=res.etag, since=_generated_at(res.document))
    report.lines.append(f"verdachtenmonitor: {rep.summary()}")
    return report


def sync_registers(db: Database, account: str, store: SecretStore | None = None) -> SyncReport:
    report = SyncReport()
    store = store or default_store()
    with db.session() as s:
        settings = load_settings(s)
    for vh in settings.veiligheidshuizen:
        if not vh.register_url:
            continue
        source = f"register:{vh.code}"
        secret = _secret_or_none(store, source) or _secret_or_none(store, "register")
        etag, since = _state(db, source)
        cfg = FetchConfig(
            url=vh.register_url,
            auth="token" if secret else None,
            secret_name=secret,
            ca_bundle=_ca(vh.ca_bundle),
            retries=RETRIES,
            backoff=BACKOFF,
        )
        try:
            res = fetch_register(
                cfg, since=since, etag=etag or None, store=store, expected_vh_code=vh.code
            )
        except FetchError as e:
            _record(db, source, error=str(e))
            report.errors.append(f"{vh.code}: {e}")
            continue
        if res.not_modified or res.document is None:
            _record(db, source)
            report.lines.append(f"{vh.code}: niets nieuws")
            continue
        personen = list(res.document.get("personen", []))
        if not personen:
            _record(db, source, etag=res.etag, since=_generated_at(res.document))
            report.lines.append(f"{vh.code}: niets nieuws")
            continue
        raw = RawFile(records=personen, kind="json", envelope={"vh_code": vh.code})
        try:
            with db.session() as s:
                rep = registers.import_raw(
                    s, raw, actor=account, snapshot=since is None, source=f"register {vh.code}"
                )
        except instroom.ImportRefused as e:
            _record(db, source, error=str(e))
            report.errors.append(f"{vh.code}: {e}")
            continue
        _record(db, source, etag=res.etag, since=_generated_at(res.document))
        report.lines.append(rep.summary())
    return report
