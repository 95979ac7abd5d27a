"""Configuration TOML (interfaces.md §3): validation as a whole, import/export via the CLI."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.data import DATA
from zsm_desk.cli import main
from zsm_desk.domain.settings import ConfigError, Settings, validate_config
from zsm_desk.services.storage import audit, config
from zsm_desk.services.storage.app import AppContext

SAMPLE_CONFIG = DATA / "config-voorbeeld.toml"

FULL_TOML = """\
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
gemeenten = ["Aadorp", "Sint-Élise"]
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
"""


def sample_doc() -> dict[str, Any]:
    with SAMPLE_CONFIG.open("rb") as f:
        return tomllib.load(f)


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as exc:
        validate_config(doc)
    return exc.value.problems


def settings_of(app: AppContext) -> Settings:
    with app.db.session() as s:
        return config.load_settings(s)


# --- validation (no database) -------------------------------------------------------


def test_sample_config_is_valid() -> None:
    s = validate_config(sample_doc())
    assert s.zsm_locatie == "ZSM Midden-Nederland" and s.deadline_uren == 6
    assert s.smtp is not None and s.smtp.beveiliging == "starttls" and s.smtp.port == 587
    assert [v.code for v in s.veiligheidshuizen] == ["VH-UTR", "VH-FLE"]
    fle = s.vh("VH-FLE")
    assert fle is not None and fle.digest_time == "16:00" and fle.beveiligde_mail is False
    assert s.vh_for_gemeente("zeist") == s.vh("VH-UTR")


def test_unknown_keys_refused_everywhere() -> None:
    doc = sample_doc()
    doc["extra"] = 1
    doc["smtp"]["wachtwoord"] = "geheim"
    doc["veiligheidshuis"][1]["fax"] = "036-1"
    p = problems_of(doc)
    assert any("'extra'" in x for x in p)
    assert any("[smtp]" in x and "'wachtwoord'" in x for x in p)
    assert any("veiligheidshuis" in x and "nr. 2" in x and "'fax'" in x for x in p)


@pytest.mark.parametrize(
    "mailbox", ["centraal-at-vh.example.org", "centraal@vh", "a b@x.example.org", ""]
)
def test_invalid_mailbox_refused(mailbox: str) -> None:
    doc = sample_doc()
    doc["veiligheidshuis"][0]["mailbox"] = mailbox
    (p,) = problems_of(doc)
    assert "VH-UTR" in p and "mailbox" in p


@pytest.mark.parametrize("host", ["smtp.example.org", "192.0.2.10", "mail.test"])
def test_geen_beveiliging_only_to_loopback(host: str) -> None:
    doc = sample_doc()
    doc["smtp"].update(host=host, beveiliging="geen", port=25)
    (p,) = problems_of(doc)
    assert "geen" in p and "[smtp]" in p


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_geen_beveiliging_to_loopback_allowed(host: str) -> None:
    doc = sample_doc()
    doc["smtp"].update(host=host, beveiliging="geen", port=1025)
    s = validate_config(doc)
    assert s.smtp is not None and s.smtp.beveiliging == "geen"


def test_duplicate_vh_code_refused() -> None:
    doc = sample_doc()
    doc["veiligheidshuis"][1]["code"] = "vh-utr"  # case does not make it another VH
    doc["veiligheidshuis"][1]["gemeenten"] = ["Almere"]
    p = problems_of(doc)
    assert any("VH-UTR" in x and "dubbel" in x for x in p)


def test_gemeente_in_two_vhs_refused() -> None:
    doc = sample_doc()
    doc["veiligheidshuis"][1]["gemeenten"] = ["Almere", "utrecht"]
    (p,) = problems_of(doc)
    assert "VH-UTR" in p and "VH-FLE" in p and "utrecht" in p.lower()


@pytest.mark.parametrize("value", ["wekelijks", "dagelijks 25:00", "dagelijks 16", "Direct", 1])
def test_bad_terugkoppeling_refused(value: Any) -> None:
    doc = sample_doc()
    doc["veiligheidshuis"][0]["terugkoppeling"] = value
    p = problems_of(doc)
    assert len(p) == 1 and "VH-UTR" in p[0] and "terugkoppeling" in p[0]


def test_all_errors_reported_at_once() -> None:
    doc = sample_doc()
    doc["onbekend"] = True
    doc["deadline_uren"] = 0
    doc["smtp"]["beveiliging"] = "geen"
    doc["feed"] = {"url": "http://feed.example.org/api"}
    doc["veiligheidshuis"][0]["mailbox"] = "geen-adres"
    doc["veiligheidshuis"][1]["terugkoppeling"] = "wekelijks"
    doc["veiligheidshuis"][1]["gemeenten"] = ["Zeist"]
    doc["veiligheidshuis"].append(dict(doc["veiligheidshuis"][0], gemeenten=[]))
    p = problems_of(doc)
    for fragment in ("'onbekend'", "deadline_uren", "geen", "https", "geen-adres",
                     "terugkoppeling", "Zeist", "dubbel"):  # fmt: skip
        assert any(fragment in x for x in p), (fragment, p)
    assert len(p) >= 8


def test_parse_toml_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.toml"
    bad.write_text('zsm_locatie = "ZSM\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="geen geldige TOML"):
        config.parse_toml_file(bad)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('zsm_locatie = "ZSM Één"\n'.encode("cp1252"))
    with pytest.raises(ConfigError):
        config.parse_toml_file(latin)
    with pytest.raises(ConfigError, match="niet gevonden"):
        config.parse_toml_file(tmp_path / "weg.toml")


# --- import and export through the command line, on both databases ---------------------------


def test_sample_config_imports(app: AppContext, db_url: str,
                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["config", "import", str(SAMPLE_CONFIG), "--db", db_url]) == 0
    assert "2 veiligheidshuizen" in capsys.readouterr().out
    stored, expected = settings_of(app), validate_config(sample_doc())
    # The directory comes back ordered by code; otherwise exactly the file.
    assert {v.code: v for v in stored.veiligheidshuizen} == {
        v.code: v for v in expected.veiligheidshuizen}  # fmt: skip
    assert (stored.zsm_locatie, stored.deadline_uren, stored.smtp, stored.feed) == (
        expected.zsm_locatie, expected.deadline_uren, expected.smtp, expected.feed)  # fmt: skip
    with app.db.session() as s:
        assert audit.verify(s).ok


def test_export_import_round_trip(app: AppContext, db_url: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    src = tmp_path / "full.toml"
    src.write_text(FULL_TOML, encoding="utf-8")
    assert main(["config", "import", str(src), "--db", db_url]) == 0
    stored = settings_of(app)
    assert stored == config.parse_toml_file(src)
    assert stored.feed is not None and stored.feed.url == "https://feed.example.org/api"

    out = tmp_path / "export.toml"
    assert main(["config", "export", "--out", str(out), "--db", db_url]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert config.parse_toml_file(out) == stored
    capsys.readouterr()
    assert main(["config", "export", "--db", db_url]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")

    # Import the export again: nothing differs, not even the export text.
    assert main(["config", "import", str(out), "--db", db_url]) == 0
    assert settings_of(app) == stored
    again = tmp_path / "again.toml"
    assert main(["config", "export", "--out", str(again), "--db", db_url]) == 0
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_refused_config_changes_nothing(app: AppContext, db_url: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["config", "import", str(SAMPLE_CONFIG), "--db", db_url]) == 0
    before = settings_of(app)
    with app.db.session() as s:
        audits = audit.count(s)
    capsys.readouterr()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        FULL_TOML.replace("deadline_uren = 8", 'deadline_uren = 8\nkleur = "blauw"').replace(
            'mailbox = "postbus@vh-bbb.test"', 'mailbox = "postbus"'
        ),
        encoding="utf-8",
    )
    assert main(["config", "import", str(bad), "--db", db_url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "'kleur'" in err and "postbus" in err and "niets gewijzigd" in err
    assert settings_of(app) == before
    with app.db.session() as s:
        assert audit.count(s) == audits


def test_config_import_needs_beheerder(app: AppContext, db_url: str,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "kpc-zonder-beheer")
    assert main(["config", "import", str(SAMPLE_CONFIG), "--db", db_url]) == 2
    assert "beheerder" in capsys.readouterr().err
    assert settings_of(app).veiligheidshuizen == ()
