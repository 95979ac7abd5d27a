"""Installers: the generated MSI source (fast, always) and the slow end-to-end
installer tests (only with ZSM_INSTALLER_TESTS=1: wheel smoke test, MSI under
wine, .deb on a bare Debian 12 root)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installers" / "windows"))
import make_wxs  # noqa: E402

WIX = "{http://schemas.microsoft.com/wix/2006/wi}"
SLOW = pytest.mark.skipif(
    os.environ.get("ZSM_INSTALLER_TESTS") != "1",
    reason="installer tests are slow: set ZSM_INSTALLER_TESTS=1",
)


def _bundle(tmp_path: Path) -> Path:
    b = tmp_path / "bundle"
    for rel in (
        "zsm-desk.exe",
        "zsm-desk-gui.exe",
        "_internal/zsm_desk/migrations/env.py",
        "_internal/PySide6/Qt/translations/qtbase_nl.qm",
    ):
        (b / rel).parent.mkdir(parents=True, exist_ok=True)
        (b / rel).write_text(rel)
    return b


def _wxs(tmp_path: Path, version: str) -> ET.Element:
    out = tmp_path / version / "zsm-desk.wxs"
    assert make_wxs.main(["make_wxs", str(_bundle(tmp_path)), version, str(out)]) == 0
    return ET.fromstring(out.read_bytes())


def test_wxs_per_machine_fixed_upgrade_code_new_product_code(tmp_path: Path) -> None:
    a, b = _wxs(tmp_path, "0.1.0"), _wxs(tmp_path, "0.2.0rc1")
    pa, pb = a.find(f"{WIX}Product"), b.find(f"{WIX}Product")
    assert pa is not None and pb is not None
    assert pa.get("UpgradeCode") == pb.get("UpgradeCode") == make_wxs.UPGRADE_CODE
    assert pa.get("Id") != pb.get("Id")
    assert pa.get("Id") == make_wxs.product_code("0.1.0")  # reproducible per version
    assert pb.get("Version") == "0.2.0"
    package = pa.find(f"{WIX}Package")
    assert package is not None and package.get("InstallScope") == "perMachine"
    assert pa.find(f"{WIX}MajorUpgrade") is not None
    shortcut = a.find(f".//{WIX}Shortcut")
    assert shortcut is not None and shortcut.get("Target") == "[INSTALLDIR]zsm-desk-gui.exe"
    # component GUIDs follow the file, not the version (component rules)
    ga = {c.get("Id"): c.get("Guid") for c in a.iter(f"{WIX}Component")}
    gb = {c.get("Id"): c.get("Guid") for c in b.iter(f"{WIX}Component")}
    assert ga == gb and len(ga) == 6
    # nothing is installed outside Program Files but the shortcut and the HKLM key
    dirs = {d.get("Id") for d in a.iter(f"{WIX}Directory")}
    assert {"TARGETDIR", "ProgramFiles64Folder", "INSTALLDIR", "ProgramMenuFolder"} <= dirs
    assert not any("AppData" in (d.get("Id") or "") for d in a.iter(f"{WIX}Directory"))
    roots = {r.get("Root") for r in a.iter(f"{WIX}RegistryValue")}
    assert roots == {"HKLM"}


def test_app_user_model_id_matches_the_window() -> None:
    from zsm_desk.ui.app import APP_USER_MODEL_ID

    assert make_wxs.APP_USER_MODEL_ID == APP_USER_MODEL_ID


def test_msi_version_is_numeric() -> None:
    assert make_wxs.msi_version("1.2") == "1.2.0"
    assert make_wxs.msi_version("0.3.0.dev4") == "0.3.0"
    assert re.fullmatch(r"\{[0-9A-F-]{36}\}", make_wxs.product_code("0.1.0"))


def test_pyinstaller_spec_collects_what_a_naive_build_loses() -> None:
    spec = (ROOT / "installers" / "pyinstaller" / "zsm-desk.spec").read_text()
    for needle in (
        'collect_submodules("zsm_desk")',
        'include_py_files=True, subdir="migrations"',
        'subdir="resources"',
        "PySide6.QtPdf",
        "*_nl.qm",
        'collect_data_files("tzdata")',
        'name="zsm-desk-gui"',
        "console=False",
    ):
        assert needle in spec, needle


def _run(script: str, *args: str, timeout: int = 1800) -> None:
    r = subprocess.run(
        ["bash", str(ROOT / script), *args], capture_output=True, text=True, timeout=timeout
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert re.search(r"^\S+: \d+ passed, 0 failed$", r.stdout, re.M), r.stdout[-2000:]


@SLOW
def test_wheel_smoke() -> None:
    _run("scripts/wheel-smoke.sh")


@SLOW
@pytest.mark.skipif(shutil.which("wine") is None, reason="wine not installed")
def test_msi_under_wine() -> None:
    _run("installers/windows/test-msi-wine.sh")


@SLOW
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for debootstrap/chroot")
def test_deb_on_bare_debian() -> None:
    subprocess.run(["bash", str(ROOT / "installers/linux/build-deb.sh")], check=True, timeout=1800)
    _run("installers/linux/test-deb.sh", timeout=3600)


def test_runtime_dependencies_declared() -> None:
    """tzdata: Windows has no time-zone database; truststore: the system's certificates."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=\[ ]", d, maxsplit=1)[0].lower() for d in deps}
    assert {"tzdata", "truststore"} <= names
    lock = (ROOT / "installers" / "requirements.lock").read_text()
    for name in names:
        assert re.search(rf"^{re.escape(name.replace('_', '-'))}==", lock, re.M | re.I), name
    assert "--hash=sha256:" in lock


def test_desktop_file() -> None:
    text = (ROOT / "zsm_desk" / "resources" / "linux" / "zsm-desk.desktop").read_text()
    assert "Exec=zsm-desk\n" in text and "Icon=zsm-desk\n" in text
    if shutil.which("desktop-file-validate"):
        path = ROOT / "zsm_desk" / "resources" / "linux" / "zsm-desk.desktop"
        subprocess.run(["desktop-file-validate", str(path)], check=True)
