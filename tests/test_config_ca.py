"""The optional `ca_bundle` of [feed] and [[veiligheidshuis]] (issue 3).

Validation, the database round trip (the per-VH path lives in Setting
``ca_bundles``), an export of a configuration without it that is byte for byte
what it was before the key existed, and sync against a real HTTPS server on
127.0.0.1 with a self-signed certificate: trusted with `ca_bundle`, refused in
Dutch without it.
"""

from __future__ import annotations

import json
import ssl
import threading
import tomllib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import null
from sqlalchemy import select

from tests.test_config import FULL_TOML
from tests.tls_helpers import write_self_signed
from zsm_desk.app_context import AppContext
from zsm_desk.cli import main
from zsm_desk.domain.settings import ConfigError, validate_config
from zsm_desk.services.intake import sync
from zsm_desk.services.keys.secrets import SecretStore
from zsm_desk.services.storage import config
from zsm_desk.services.storage.models import InstroomItem, RegisterMarking, Setting

# A configuration file from before `ca_bundle` existed ...
OLD_TOML = FULL_TOML

# ... and its export as produced by the version without `ca_bundle` (byte for byte).
OLD_EXPORT = """\
# ZSM Desk configuratie (interfaces.md §3). Wachtwoorden staan niet in dit bestand:
# zet ze met `zsm-desk secret set smtp|feed|register`.
zsm_locatie = "ZSM Test-Noord"
deadline_uren = 8

[smtp]
host = "smtp.example.org"
port = 465
beveiliging = "tls"
afzender = "zsm-test@example.org"

[feed]
url = "https://feed.example.org/api"

[[veiligheidshuis]]
code = "VH-AAA"
naam = "Veiligheidshuis Één"
mailbox = "centraal@vh-aaa.example.org"
gemeenten = [
    "Aadorp",
    "Sint-Élise",
]
telefoon = "010-0000000"
bereikbaar = "ma-vr 08:30-17:00"
beveiligde_mail = false
terugkoppeling = "dagelijks 07:05"
register_url = "https://vh-aaa.example.org/api"

[[veiligheidshuis]]
code = "VH-BBB"
naam = "Veiligheidshuis Twee"
mailbox = "postbus@vh-bbb.test"
gemeenten = []
telefoon = ""
bereikbaar = ""
beveiligde_mail = true
terugkoppeling = "direct"
"""

NEW_TOML = OLD_TOML.replace(
    'url = "https://feed.example.org/api"\n',
    'url = "https://feed.example.org/api"\nca_bundle = "/etc/zsm/feed-ca.pem"\n',
).replace(
    'register_url = "https://vh-aaa.example.org/api"\n',
    'register_url = "https://vh-aaa.example.org/api"\nca_bundle = "/etc/zsm/vh-aaa-ca.pem"\n',
)


def _doc(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def _problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        validate_config(doc)
    return exc.value.problems


# --- validation and export ----------------------------------------------------------------


def test_ca_bundle_is_optional_and_carried() -> None:
    old = validate_config(_doc(OLD_TOML))
    assert old.feed is not None and old.feed.ca_bundle == ""
    assert all(v.ca_bundle == "" for v in old.veiligheidshuizen)
    new = validate_config(_doc(NEW_TOML))
    assert new.feed is not None and new.feed.ca_bundle == "/etc/zsm/feed-ca.pem"
    aaa, bbb = new.veiligheidshuizen
    assert aaa.ca_bundle == "/etc/zsm/vh-aaa-ca.pem" and bbb.ca_bundle == ""


def test_export_without_ca_bundle_is_unchanged_and_with_it_round_trips(tmp_path: Path) -> None:
    old = tmp_path / "oud.toml"
    old.write_text(OLD_TOML, encoding="utf-8")
    assert config.export_toml(config.parse_toml_file(old)) == OLD_EXPORT
    assert "ca_bundle" not in OLD_EXPORT

    new = tmp_path / "nieuw.toml"
    new.write_text(NEW_TOML, encoding="utf-8")
    settings = config.parse_toml_file(new)
    text = config.export_toml(settings)
    exported = tomllib.loads(text)
    assert exported["feed"] == {"url": "https://feed.example.org/api",
                                "ca_bundle": "/etc/zsm/feed-ca.pem"}  # fmt: skip
    assert exported["veiligheidshuis"][0]["ca_bundle"] == "/etc/zsm/vh-aaa-ca.pem"
    assert "ca_bundle" not in exported["veiligheidshuis"][1]
    assert validate_config(exported) == settings


@pytest.mark.parametrize("value", ["", "   ", 5, True, ["/a.pem"], {"pad": "/a.pem"}, "/a\n.pem"])
def test_bad_ca_bundle_refused(value: Any) -> None:
    doc = _doc(NEW_TOML)
    doc["feed"]["ca_bundle"] = value
    doc["veiligheidshuis"][1]["ca_bundle"] = value
    problems = _problems(doc)
    assert any(p.startswith("[feed]: ca_bundle") for p in problems), problems
    assert any(p.startswith("veiligheidshuis VH-BBB: ca_bundle") for p in problems), problems


def test_unknown_keys_still_refused() -> None:
    doc = _doc(NEW_TOML)
    doc["feed"]["ca_bundel"] = "/x.pem"
    doc["veiligheidshuis"][0]["cabundle"] = "/x.pem"
    doc["ca_bundle"] = "/x.pem"  # only in [feed] and [[veiligheidshuis]]
    doc["smtp"]["ca_bundle"] = "/x.pem"  # not (yet) a key of [smtp]
    problems = _problems(doc)
    assert "[feed]: onbekende sleutel 'ca_bundel'" in problems
    assert "[[veiligheidshuis]] nr. 1: onbekende sleutel 'cabundle'" in problems
    assert "configuratie: onbekende sleutel 'ca_bundle'" in problems
    assert "[smtp]: onbekende sleutel 'ca_bundle'" in problems


# --- the database ---------------------------------------------------------------------------


def test_database_round_trip_with_and_without_ca_bundle(
    app: AppContext, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "oud.toml"
    old.write_text(OLD_TOML, encoding="utf-8")
    assert main(["config", "import", str(old), "--db", db_url]) == 0
    out = tmp_path / "export.toml"
    assert main(["config", "export", "--out", str(out), "--db", db_url]) == 0
    assert out.read_text(encoding="utf-8") == OLD_EXPORT
    with app.db.session() as s:
        assert s.get(Setting, config.CA_BUNDLES) is None
        assert s.get(Setting, "feed").value == {"url": "https://feed.example.org/api"}

    new = tmp_path / "nieuw.toml"
    new.write_text(NEW_TOML, encoding="utf-8")
    assert main(["config", "import", str(new), "--db", db_url]) == 0
    with app.db.session() as s:
        assert s.get(Setting, config.CA_BUNDLES).value == {"VH-AAA": "/etc/zsm/vh-aaa-ca.pem"}
        st = config.load_settings(s)
    assert st == config.parse_toml_file(new)
    assert main(["config", "export", "--out", str(out), "--db", db_url]) == 0
    again = tmp_path / "opnieuw.toml"
    again.write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["config", "import", str(again), "--db", db_url]) == 0
    assert main(["config", "export", "--out", str(again), "--db", db_url]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")

    # Importing the old file again removes both paths.
    assert main(["config", "import", str(old), "--db", db_url]) == 0
    assert main(["config", "export", "--out", str(out), "--db", db_url]) == 0
    assert out.read_text(encoding="utf-8") == OLD_EXPORT
    with app.db.session() as s:
        assert s.get(Setting, config.CA_BUNDLES) is None
    capsys.readouterr()


# --- sync against a real HTTPS server --------------------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_self_signed(
        tmp_path_factory.mktemp("ca"), "ZSM Desk CA-test", with_localhost=False, cert_name="ca.pem"
    )


FEED_DOC = {
    "generated_at": "2026-11-22T09:00:00+01:00",
    "zsm_locatie": "ZSM MN",
    "items": [
        {
            "bvh_nummer": "PL0900-2026000902",
            "ingestroomd_op": "2026-11-22T02:14:00+01:00",
            "achternaam": "Jansen",
            "voornamen": "Piet",
            "geboortedatum": "1990-01-02",
            "gemeente": "Utrecht",
            "feit": "Winkeldiefstal (art. 310 Sr)",
            "status": "te routeren",
        }
    ],
}
REGISTER_DOC = {
    "generated_at": "2026-11-22T09:00:00+01:00",
    "vh_code": "VH-UTR",
    "personen": [
        {
            "persoon_id": "UTR0000999",
            "achternaam": "Jansen",
            "voornamen": "Piet",
            "geboortedatum": "1990-01-02",
            "slagzin": "Bij nieuw feit: contact met het veiligheidshuis.",
            "advies_datum": "2026-08-19",
            "gemeente": "Utrecht",
        }
    ],
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *a: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/feed/instroom"):
            doc: dict[str, Any] = FEED_DOC
        elif self.path.startswith("/utr/personen"):
            doc = REGISTER_DOC
        else:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps(doc).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client refusing the certificate is expected here


@pytest.fixture
def https_port(self_signed: tuple[Path, Path]) -> Iterator[int]:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*self_signed)
    httpd = _QuietServer(("127.0.0.1", 0), _Handler)
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.daemon = True
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


Configure = Callable[[str | None], None]


@pytest.fixture
def configure(app: AppContext, https_port: int, monkeypatch: pytest.MonkeyPatch) -> Configure:
    monkeypatch.setattr(sync, "BACKOFF", 0.01)
    base = f"https://127.0.0.1:{https_port}"

    def apply(ca: str | None) -> None:
        feed: dict[str, Any] = {"url": f"{base}/feed"}
        vh: dict[str, Any] = {
            "code": "VH-UTR",
            "naam": "VH Utrecht",
            "mailbox": "centraal@vh-utrecht.example.org",
            "gemeenten": ["Utrecht"],
            "register_url": f"{base}/utr",
        }
        if ca is not None:
            feed["ca_bundle"] = vh["ca_bundle"] = ca
        settings = validate_config(
            {"zsm_locatie": "ZSM Midden-Nederland", "feed": feed, "veiligheidshuis": [vh]}
        )
        with app.db.session() as s:
            config.save_settings(s, settings, app.account, "test")

    return apply


@pytest.fixture
def store() -> SecretStore:
    return SecretStore(null.Keyring())


def test_https_sync_trusts_the_configured_ca_bundle(
    app: AppContext, configure: Configure, self_signed: tuple[Path, Path], store: SecretStore
) -> None:
    configure(str(self_signed[0]))
    reg = sync.sync_registers(app.db, app.account, store)
    assert reg.ok, reg.summary()
    feed = sync.sync_feed(app.db, app.account, store)
    assert feed.ok, feed.summary()
    with app.db.session() as s:
        assert s.execute(select(InstroomItem)).scalar_one().bvh_nummer == "PL0900-2026000902"
        assert s.execute(select(RegisterMarking)).scalar_one().vh_code == "VH-UTR"


def test_https_sync_without_ca_bundle_fails_in_dutch(
    app: AppContext, configure: Configure, store: SecretStore
) -> None:
    configure(None)
    feed = sync.sync_feed(app.db, app.account, store)
    reg = sync.sync_registers(app.db, app.account, store)
    for report, prefix in ((feed, "verdachtenmonitor: "), (reg, "VH-UTR: ")):
        assert not report.ok
        (error,) = report.errors
        assert error.startswith(prefix + "Het certificaat van 127.0.0.1")
        assert "wordt niet vertrouwd" in error and "ca_bundle" in error
    with app.db.session() as s:
        assert s.execute(select(InstroomItem)).first() is None
        assert s.execute(select(RegisterMarking)).first() is None


def test_https_sync_with_a_missing_ca_file_says_so(
    app: AppContext, configure: Configure, tmp_path: Path, store: SecretStore
) -> None:
    missing = tmp_path / "bestaat-niet.pem"
    configure(str(missing))
    feed = sync.sync_feed(app.db, app.account, store)
    reg = sync.sync_registers(app.db, app.account, store)
    assert feed.errors == [f"verdachtenmonitor: Het CA-bestand {missing} bestaat niet."]
    assert reg.errors == [f"VH-UTR: Het CA-bestand {missing} bestaat niet."]
