"""The location's configuration (interfaces.md §3), validated as a whole.

`validate_config` takes the parsed TOML (a dict) and returns `Settings` or
raises `ConfigError` with every problem found, so a beheerder fixes the file
in one go and nothing changes on an error.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

_MAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_NAMED_MAIL_RE = re.compile(r"^(?P<name>[^<>]*)<(?P<addr>[^<>]+)>$")
_DAILY_RE = re.compile(r"^dagelijks ([01]\d|2[0-3]):([0-5]\d)$")
_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")


class ConfigError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1,
    ``::ffff:127.x``); no DNS lookup. The one check used by the config
    validation, the HTTP client and the mail transport."""
    if not host:
        return False
    h = host.strip().strip("[]").rstrip(".").lower()
    if h in ("localhost", "localhost.localdomain"):
        return True
    try:
        ip = ipaddress.ip_address(h.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def valid_mailbox(addr: str) -> bool:
    return bool(_MAIL_RE.match(addr))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    beveiliging: str = "starttls"
    gebruiker: str = ""
    afzender: str = ""


@dataclass(frozen=True)
class FeedConfig:
    url: str
    #: PEM file with the CA(s) to trust for this server instead of the system
    #: store ("" = system store). Its existence is checked at fetch time.
    ca_bundle: str = ""


@dataclass(frozen=True)
class VhEntry:
    code: str
    naam: str
    mailbox: str
    gemeenten: tuple[str, ...] = ()
    telefoon: str = ""
    bereikbaar: str = ""
    beveiligde_mail: bool = True
    terugkoppeling: str = "direct"
    register_url: str = ""
    #: PEM file with the CA(s) to trust for `register_url` ("" = system store).
    ca_bundle: str = ""

    @property
    def digest_time(self) -> str | None:
        """`"16:00"` for a daily digest, None for direct delivery."""
        m = _DAILY_RE.match(self.terugkoppeling)
        return f"{m.group(1)}:{m.group(2)}" if m else None


@dataclass(frozen=True)
class Settings:
    zsm_locatie: str
    deadline_uren: int = 6
    smtp: SmtpConfig | None = None
    feed: FeedConfig | None = None
    veiligheidshuizen: tuple[VhEntry, ...] = field(default_factory=tuple)

    def vh(self, code: str) -> VhEntry | None:
        return next((v for v in self.veiligheidshuizen if v.code == code), None)

    def vh_for_gemeente(self, gemeente: str) -> VhEntry | None:
        g = gemeente.strip().lower()
        return next(
            (v for v in self.veiligheidshuizen if g and g in (x.lower() for x in v.gemeenten)), None
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"zsm_locatie": self.zsm_locatie, "deadline_uren": self.deadline_uren}
        if self.smtp:
            out["smtp"] = {k: v for k, v in self.smtp.__dict__.items() if v != ""}
        if self.feed:
            out["feed"] = {"url": self.feed.url}
            if self.feed.ca_bundle:
                out["feed"]["ca_bundle"] = self.feed.ca_bundle
        out["veiligheidshuis"] = [
            {
                k: (list(v) if isinstance(v, tuple) else v)
                for k, v in vh.__dict__.items()
                if not (k in _OMIT_EMPTY and not v)
            }
            for vh in self.veiligheidshuizen
        ]
        return out


_TOP = {"zsm_locatie", "deadline_uren", "smtp", "feed", "veiligheidshuis"}
_SMTP = {"host", "port", "beveiliging", "gebruiker", "afzender"}
_FEED = {"url", "ca_bundle"}
_OMIT_EMPTY = ("register_url", "ca_bundle")
_VH = {
    "code",
    "naam",
    "mailbox",
    "gemeenten",
    "telefoon",
    "bereikbaar",
    "beveiligde_mail",
    "terugkoppeling",
    "register_url",
    "ca_bundle",
}


def _check_url(url: Any, where: str, problems: list[str]) -> str:
    if not isinstance(url, str) or not url:
        problems.append(f"{where}: url ontbreekt of is geen tekst")
        return ""
    p = urlparse(url)
    if p.scheme not in ("https", "http") or not p.hostname:
        problems.append(f"{where}: ongeldige url {url!r}")
    elif p.scheme == "http" and not is_loopback_host(p.hostname):
        problems.append(f"{where}: alleen https is toegestaan (http alleen voor deze computer)")
    return url


def _ca_bundle(d: Mapping[str, Any], where: str, problems: list[str]) -> str:
    """Optional `ca_bundle`: a path to a PEM file (checked for existence at fetch time)."""
    if "ca_bundle" not in d:
        return ""
    v = d["ca_bundle"]
    if not isinstance(v, str) or not v.strip():
        problems.append(f"{where}: ca_bundle moet het pad naar een PEM-bestand zijn (tekst)")
        return ""
    if any(ch in v for ch in "\r\n\x00"):
        problems.append(f"{where}: ca_bundle bevat ongeldige tekens")
        return ""
    return v.strip()


def _unknown(d: Mapping[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for k in d:
        if k not in allowed:
            problems.append(f"{where}: onbekende sleutel {k!r}")


def _str(
    d: Mapping[str, Any], key: str, where: str, problems: list[str], required: bool = False
) -> str:
    v = d.get(key, "")
    if not isinstance(v, str):
        problems.append(f"{where}: {key} moet tekst zijn")
        return ""
    if required and not v.strip():
        problems.append(f"{where}: {key} ontbreekt")
    return v.strip()


def _smtp(d: Any, problems: list[str]) -> SmtpConfig | None:
    if not isinstance(d, Mapping):
        problems.append("[smtp] moet een tabel zijn")
        return None
    _unknown(d, _SMTP, "[smtp]", problems)
    host = _str(d, "host", "[smtp]", problems, required=True)
    port = d.get("port", 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        problems.append("[smtp]: port moet een getal tussen 1 en 65535 zijn")
        port = 587
    bev = _str(d, "beveiliging", "[smtp]", problems) or "starttls"
    if bev not in ("starttls", "tls", "geen"):
        problems.append("[smtp]: beveiliging moet starttls, tls of geen zijn")
    elif bev == "geen" and host and not is_loopback_host(host):
        problems.append('[smtp]: beveiliging "geen" mag alleen naar een server op deze computer')
    afzender = _str(d, "afzender", "[smtp]", problems, required=True)
    if afzender:
        m = _NAMED_MAIL_RE.match(afzender)
        addr = m.group("addr").strip() if m else afzender
        if not valid_mailbox(addr):
            problems.append(f"[smtp]: afzender {afzender!r} is geen geldig adres")
    return SmtpConfig(
        host=host,
        port=port,
        beveiliging=bev,
        gebruiker=_str(d, "gebruiker", "[smtp]", problems),
        afzender=afzender,
    )


def _vh(d: Any, i: int, problems: list[str]) -> VhEntry | None:
    where = f"[[veiligheidshuis]] nr. {i}"
    if not isinstance(d, Mapping):
        problems.append(f"{where} moet een tabel zijn")
        return None
    _unknown(d, _VH, where, problems)
    code = _str(d, "code", where, problems, required=True).upper()
    if code:
        where = f"veiligheidshuis {code}"
        if not _CODE_RE.match(code):
            problems.append(f"{where}: code mag alleen hoofdletters, cijfers en - bevatten")
    naam = _str(d, "naam", where, problems, required=True)
    mailbox = _str(d, "mailbox", where, problems, required=True)
    if mailbox and not valid_mailbox(mailbox):
        problems.append(f"{where}: mailbox {mailbox!r} is geen geldig e-mailadres")
    gemeenten = d.get("gemeenten", [])
    if not isinstance(gemeenten, list) or not all(
        isinstance(g, str) and g.strip() for g in gemeenten
    ):
        problems.append(f"{where}: gemeenten moet een lijst van namen zijn")
        gemeenten = []
    secure = d.get("beveiligde_mail", True)
    if not isinstance(secure, bool):
        problems.append(f"{where}: beveiligde_mail moet true of false zijn")
        secure = True
    tk = _str(d, "terugkoppeling", where, problems) or "direct"
    if tk != "direct" and not _DAILY_RE.match(tk):
        problems.append(f'{where}: terugkoppeling moet "direct" of "dagelijks UU:MM" zijn')
    bereikbaar = _str(d, "bereikbaar", where, problems)
    if bereikbaar:
        try:
            from zsm_desk.domain.deadlines import OfficeHours

            OfficeHours.parse(bereikbaar)
        except ImportError:  # pragma: no cover - deadlines module always ships
            pass
        except ValueError as e:
            problems.append(f"{where}: bereikbaar: {e}")
    register_url = ""
    if "register_url" in d:
        register_url = _check_url(d.get("register_url"), f"{where} register_url", problems)
    return VhEntry(
        code=code,
        naam=naam,
        mailbox=mailbox,
        gemeenten=tuple(g.strip() for g in gemeenten),
        telefoon=_str(d, "telefoon", where, problems),
        bereikbaar=bereikbaar,
        beveiligde_mail=secure,
        terugkoppeling=tk,
        register_url=register_url,
        ca_bundle=_ca_bundle(d, where, problems),
    )


def validate_config(doc: Mapping[str, Any]) -> Settings:
    problems: list[str] = []
    _unknown(doc, _TOP, "configuratie", problems)
    locatie = _str(doc, "zsm_locatie", "configuratie", problems, required=True)
    uren = doc.get("deadline_uren", 6)
    if not isinstance(uren, int) or isinstance(uren, bool) or not 1 <= uren <= 24 * 7:
        problems.append("deadline_uren moet een geheel getal tussen 1 en 168 zijn")
        uren = 6
    smtp = _smtp(doc["smtp"], problems) if "smtp" in doc else None
    feed = None
    if "feed" in doc:
        f = doc["feed"]
        if isinstance(f, Mapping):
            _unknown(f, _FEED, "[feed]", problems)
            feed = FeedConfig(
                url=_check_url(f.get("url"), "[feed]", problems),
                ca_bundle=_ca_bundle(f, "[feed]", problems),
            )
        else:
            problems.append("[feed] moet een tabel zijn")
    vhs_raw = doc.get("veiligheidshuis", [])
    if not isinstance(vhs_raw, list):
        problems.append("veiligheidshuis moet een lijst [[veiligheidshuis]] zijn")
        vhs_raw = []
    vhs = [v for i, d in enumerate(vhs_raw, 1) if (v := _vh(d, i, problems)) is not None]
    seen: dict[str, str] = {}
    for v in vhs:
        if v.code in seen:
            problems.append(f"veiligheidshuis {v.code}: code komt dubbel voor")
        seen[v.code] = v.code
    gem_owner: dict[str, str] = {}
    for v in vhs:
        for g in v.gemeenten:
            other = gem_owner.setdefault(g.lower(), v.code)
            if other != v.code:
                problems.append(f"gemeente {g} staat bij zowel {other} als {v.code}")
    if problems:
        raise ConfigError(problems)
    return Settings(
        zsm_locatie=locatie, deadline_uren=uren, smtp=smtp, feed=feed, veiligheidshuizen=tuple(vhs)
    )
