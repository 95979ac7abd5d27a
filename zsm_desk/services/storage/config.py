"""Configuration in the database, and the TOML file of interfaces.md §3.

Stored in the database so every desk of a location shares it. Import
validates the whole file first; on any error nothing changes.

Where things live: Setting ``algemeen``, ``smtp`` and ``feed`` (dicts; the
feed's optional ``ca_bundle`` inside it), the veiligheidshuis table, and
Setting ``ca_bundles`` (``{vh_code: path}``, only the houses that have one:
the table has no column for it).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zsm_desk.domain.settings import (
    ConfigError,
    FeedConfig,
    Settings,
    SmtpConfig,
    VhEntry,
    validate_config,
)
from zsm_desk.services.storage import audit
from zsm_desk.services.storage.models import Setting, Veiligheidshuis

DEFAULT_LOCATIE = "ZSM (nog niet ingesteld)"
#: Setting with the per-veiligheidshuis CA bundle paths ``{vh_code: path}``.
CA_BUNDLES = "ca_bundles"


def get_setting(session: Session, key: str) -> Any:
    """The value of Setting ``key``, or None when it is not stored."""
    row = session.get(Setting, key)
    return None if row is None else row.value


def put_setting(session: Session, key: str, value: Any) -> None:
    """Store Setting ``key``; ``None`` removes it (not flushed)."""
    row = session.get(Setting, key)
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def load_settings(session: Session) -> Settings:
    general = get_setting(session, "algemeen") or {}
    smtp = get_setting(session, "smtp")
    feed = get_setting(session, "feed")
    ca_bundles = get_setting(session, CA_BUNDLES)
    if not isinstance(ca_bundles, dict):
        ca_bundles = {}
    vhs = session.execute(select(Veiligheidshuis).order_by(Veiligheidshuis.code)).scalars()
    return Settings(
        zsm_locatie=general.get("zsm_locatie", DEFAULT_LOCATIE),
        deadline_uren=int(general.get("deadline_uren", 6)),
        smtp=SmtpConfig(**smtp) if smtp else None,
        feed=FeedConfig(**feed) if feed else None,
        veiligheidshuizen=tuple(
            VhEntry(
                code=v.code,
                naam=v.naam,
                mailbox=v.mailbox,
                gemeenten=tuple(v.gemeenten),
                telefoon=v.telefoon,
                bereikbaar=v.bereikbaar,
                beveiligde_mail=v.beveiligde_mail,
                terugkoppeling=v.terugkoppeling,
                register_url=v.register_url,
                ca_bundle=str(ca_bundles.get(v.code, "")),
            )
            for v in vhs
        ),
    )


def save_settings(session: Session, settings: Settings, actor: str, purpose: str) -> None:
    """Replace the whole configuration (already validated) and audit it."""
    put_setting(
        session,
        "algemeen",
        {"zsm_locatie": settings.zsm_locatie, "deadline_uren": settings.deadline_uren},
    )
    put_setting(session, "smtp", dict(settings.smtp.__dict__) if settings.smtp else None)
    feed: dict[str, str] | None = None
    if settings.feed:
        feed = {"url": settings.feed.url}
        if settings.feed.ca_bundle:
            feed["ca_bundle"] = settings.feed.ca_bundle
    put_setting(session, "feed", feed)
    bundles = {v.code: v.ca_bundle for v in settings.veiligheidshuizen if v.ca_bundle}
    put_setting(session, CA_BUNDLES, bundles or None)
    keep = {v.code for v in settings.veiligheidshuizen}
    session.execute(delete(Veiligheidshuis).where(Veiligheidshuis.code.not_in(keep)))
    for v in settings.veiligheidshuizen:
        row = session.get(Veiligheidshuis, v.code) or Veiligheidshuis(code=v.code)
        row.naam, row.mailbox, row.gemeenten = v.naam, v.mailbox, list(v.gemeenten)
        row.telefoon, row.bereikbaar = v.telefoon, v.bereikbaar
        row.beveiligde_mail, row.terugkoppeling = v.beveiligde_mail, v.terugkoppeling
        row.register_url = v.register_url
        session.add(row)
    session.flush()
    audit.append(
        session, actor, audit.SETTINGS, purpose=purpose, detail={"veiligheidshuizen": sorted(keep)}
    )


def parse_toml_file(path: Path) -> Settings:
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError([f"bestand niet gevonden: {path}"]) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError([f"geen geldige TOML: {e}"]) from None
    except UnicodeDecodeError:
        raise ConfigError(["bestand is geen UTF-8"]) from None
    return validate_config(doc)


def export_toml(settings: Settings) -> str:
    header = (
        "# ZSM Desk configuratie (interfaces.md §3). Wachtwoorden staan niet in dit bestand:\n"
        "# zet ze met `zsm-desk secret set smtp|feed|register`.\n"
    )
    return header + tomli_w.dumps(settings.to_dict())


def bump_register_version(session: Session) -> None:
    """Mark the registers changed so cached match indexes are rebuilt."""
    row = session.get(Setting, "register_versie")
    if row is None:
        session.add(Setting(key="register_versie", value=1))
    else:
        row.value = int(row.value) + 1
