"""Machine-wide and per-user start settings (database, ZSM-locatie, configuratie).

IT sets these once per machine; a user may put their own on top.

====================  ==================================================
machine (IT)          Linux ``/etc/zsm-desk/zsm-desk.toml``;
                      Windows ``%ProgramData%\\ZSM Desk\\zsm-desk.toml``;
                      macOS ``/Library/Application Support/ZSM Desk/zsm-desk.toml``
user                  ``zsm-desk.toml`` in the user's configuration folder
                      (``~/.config/zsm-desk``, ``%LOCALAPPDATA%\\zsm-desk``)
====================  ==================================================

Keys (all optional; any other key is an error, so a typo is not silently
ignored)::

    database = "postgresql+psycopg://zsm@db.example.org/zsm"
    zsm_locatie = "ZSM Midden-Nederland"
    configuratie = "/etc/zsm-desk/configuratie.toml"   # interfaces.md §3

Precedence for the database: ``--db`` > ``$ZSM_DESK_DB`` > user file >
machine file > the built-in SQLite file. For the other keys: user file >
machine file. ``configuratie`` (relative to the file that names it) is
imported into the database whenever its content changed since the last import
(whole file validated first; on an error nothing changes and a warning is
logged); ``zsm_locatie`` then overrides the location in the database.

``$ZSM_DESK_MACHINE_CONFIG`` and ``$ZSM_DESK_USER_CONFIG`` name other files
(tests, or IT testing a rollout).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from zsm_desk.services.storage.db import set_machine_database as _set_machine_database

__all__ = [
    "Deployment",
    "DeploymentError",
    "apply_to_database",
    "load_deployment",
    "machine_config_path",
    "user_config_path",
]

log = logging.getLogger(__name__)

MACHINE_CONFIG_ENV = "ZSM_DESK_MACHINE_CONFIG"
USER_CONFIG_ENV = "ZSM_DESK_USER_CONFIG"
FILE_NAME = "zsm-desk.toml"
KEYS = ("database", "zsm_locatie", "configuratie")
#: Setting recording the last imported configuratie file {"pad", "sha256"}.
APPLIED_SETTING = "machineconfiguratie"


class DeploymentError(Exception):
    """A start-settings file cannot be used; ``str()`` is one Dutch line."""


@dataclass(frozen=True)
class Deployment:
    """The merged start settings and where each came from."""

    database: str | None = None
    zsm_locatie: str | None = None
    configuratie: Path | None = None
    sources: tuple[tuple[str, Path], ...] = ()  # (key, file) for every key set

    def source_of(self, key: str) -> Path | None:
        found = [path for k, path in self.sources if k == key]
        return found[-1] if found else None


def machine_config_path() -> Path:
    """The machine-wide file IT rolls out (issue 16); a missing file means "no
    settings". The tests and the wheel smoke test point `$ZSM_DESK_MACHINE_CONFIG`
    at a private file, so they never read the machine's own."""
    override = os.environ.get(MACHINE_CONFIG_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "ZSM Desk" / FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ZSM Desk") / FILE_NAME
    return Path("/etc/zsm-desk") / FILE_NAME


def user_config_path() -> Path:
    override = os.environ.get(USER_CONFIG_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("zsm-desk", appauthor=False)) / FILE_NAME


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            doc = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except PermissionError:
        raise DeploymentError(f"{path}: geen leesrechten") from None
    except tomllib.TOMLDecodeError as e:
        raise DeploymentError(f"{path}: geen geldige TOML ({e})") from None
    except UnicodeDecodeError:
        raise DeploymentError(f"{path}: bestand is geen UTF-8") from None
    except OSError as e:
        raise DeploymentError(f"{path}: niet leesbaar ({e.strerror})") from None
    unknown = sorted(set(doc) - set(KEYS))
    if unknown:
        raise DeploymentError(
            f"{path}: onbekende sleutel {unknown[0]!r} (toegestaan: {', '.join(KEYS)})"
        )
    for key, value in doc.items():
        if not isinstance(value, str) or not value.strip():
            raise DeploymentError(f"{path}: {key} moet een niet-lege tekst zijn")
    return {k: v.strip() for k, v in doc.items()}


def load_deployment() -> Deployment:
    """Read the machine file, then the user file on top. Missing files are fine."""
    result = Deployment()
    for path in (machine_config_path(), user_config_path()):
        doc = _read(path)
        if not doc:
            continue
        changes: dict[str, Any] = {}
        if "database" in doc:
            changes["database"] = doc["database"]
        if "zsm_locatie" in doc:
            changes["zsm_locatie"] = doc["zsm_locatie"]
        if "configuratie" in doc:
            target = Path(os.path.expandvars(os.path.expanduser(doc["configuratie"])))
            changes["configuratie"] = target if target.is_absolute() else path.parent / target
        result = dataclasses.replace(
            result, **changes, sources=result.sources + tuple((k, path) for k in changes)
        )
    return result


def apply_to_database(db: Any, account: str, deployment: Deployment | None = None) -> list[str]:
    """Bring the configuratie file and zsm_locatie into `db` (a storage Database).

    Returns what changed (Dutch, for the log). Never raises for a bad
    configuratie file: that is logged and the database keeps its settings.
    """
    from zsm_desk.domain.settings import ConfigError
    from zsm_desk.services.storage import config

    dep = deployment if deployment is not None else load_deployment()
    done: list[str] = []
    if dep.configuratie is not None:
        try:
            data = dep.configuratie.read_bytes()
        except OSError as e:
            log.warning(
                "configuratiebestand %s niet leesbaar (%s); instellingen ongewijzigd",
                dep.configuratie,
                e.strerror or type(e).__name__,
            )
        else:
            digest = hashlib.sha256(data).hexdigest()
            with db.session() as s:
                applied = config.get_setting(s, APPLIED_SETTING) or {}
                if applied.get("sha256") != digest:
                    try:
                        settings = config.parse_toml_file(dep.configuratie)
                    except ConfigError as e:
                        log.warning(
                            "configuratiebestand %s geweigerd, niets gewijzigd: %s",
                            dep.configuratie,
                            e,
                        )
                    else:
                        config.save_settings(
                            s, settings, account, f"machineconfiguratie {dep.configuratie.name}"
                        )
                        config.put_setting(
                            s, APPLIED_SETTING, {"pad": str(dep.configuratie), "sha256": digest}
                        )
                        done.append(f"configuratie uit {dep.configuratie}")
    if dep.zsm_locatie is not None:
        with db.session() as s:
            current = config.load_settings(s)
            if current.zsm_locatie != dep.zsm_locatie:
                config.save_settings(
                    s,
                    dataclasses.replace(current, zsm_locatie=dep.zsm_locatie),
                    account,
                    "ZSM-locatie uit machineconfiguratie",
                )
                done.append(f"ZSM-locatie {dep.zsm_locatie}")
    for line in done:
        log.info("machineconfiguratie toegepast: %s", line)
    return done


def _machine_database() -> str | None:
    return load_deployment().database


_set_machine_database(_machine_database)
