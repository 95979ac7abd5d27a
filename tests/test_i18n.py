"""Dutch throughout: Qt's own strings, argparse's strings, refusals; Qt options reach Qt."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zsm_desk import cli
from zsm_desk.domain.access import Action, refusal
from zsm_desk.ui.qt_options import split_qt_options

ROOT = Path(__file__).resolve().parents[1]
# argparse's own English; option names (--help, --verbose) are part of the CLI contract.
ENGLISH = re.compile(
    r"\b(usage|options|optional arguments|positional arguments|show this help|"
    r"show program's|error|invalid|required|unrecognized|expected|choose from)\b",
    re.IGNORECASE,
)


def english(text: str) -> list[str]:
    """argparse's English words in `text`, ignoring option names (--skip-invalid)."""
    return ENGLISH.findall(re.sub(r"--?[\w-]+", " ", text))


def _all_parsers() -> Iterator[tuple[str, argparse.ArgumentParser]]:
    cli._load_extra_commands()
    todo = [("zsm-desk", cli.build_parser())]
    while todo:
        name, p = todo.pop()
        yield name, p
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                todo += [(f"{name} {n}", sp) for n, sp in a.choices.items()]


def test_help_of_every_command_has_no_english_argparse_words() -> None:
    checked = 0
    for name, parser in _all_parsers():
        text = parser.format_help()
        assert text.startswith("gebruik: "), name
        assert not english(text), f"{name}: {english(text)}\n{text}"
        checked += 1
    assert checked > 20


def test_zsm_desk_help_in_a_fresh_process_is_dutch() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "zsm_desk", "--help"], capture_output=True,
                       text=True, env=env, timeout=60)  # fmt: skip
    assert r.returncode == 0
    assert "gebruik: zsm-desk" in r.stdout and "opties:" in r.stdout
    assert "toon deze hulp en stop" in r.stdout
    assert not english(r.stdout), r.stdout


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        (["demo", "--seed", "x"], "ongeldige waarde 'x' (verwacht: een geheel getal)"),
        (["import", "instroom"], "deze argumenten zijn verplicht: BESTAND"),
        (["--onzin"], "onbekende argumenten: --onzin"),
        (["bestaatniet"], "ongeldige keuze: 'bestaatniet'"),
    ],
)
def test_argparse_errors_are_dutch(
    argv: list[str], expect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert expect in err and ": fout: " in err and "gebruik: " in err
    assert not english(err), err


def test_refusals_are_proper_dutch() -> None:
    assert refusal(Action.PRINT) == "geen recht om af te drukken met uw rol(len)"
    assert refusal(Action.DECIDE) == "geen recht om een beslissing vast te leggen met uw rol(len)"
    for action in Action:
        text = refusal(action)
        assert " te " in text and f"te {action.value}" not in text, text


def test_qt_options_are_split_from_ours() -> None:
    ours, qt = split_qt_options(
        ["-style", "fusion", "--db", "sqlite://", "-platform=offscreen", "-reverse", "demo"]
    )
    assert ours == ["--db", "sqlite://", "demo"]
    assert qt == ["-style", "fusion", "-platform=offscreen", "-reverse"]
    assert split_qt_options(["demo", "--", "-style"]) == (["demo", "--", "-style"], [])


def test_qt_options_reach_qapplication() -> None:
    """`make_application` hands all of argv to Qt: ``-style windows`` is honoured."""
    code = (
        "import sys; sys.argv=['zsm-desk','-style','windows'];"
        "from zsm_desk.ui.app import make_application; app=make_application();"
        "print(app.style().name(), app.property('zsm_translators'))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=60)  # fmt: skip
    assert r.returncode == 0, r.stderr
    style, catalogues = r.stdout.split()
    assert style.lower() == "windows"
    assert "qtbase_nl" in catalogues


@pytest.fixture
def dutch_qt(qapp):  # type: ignore[no-untyped-def]
    from zsm_desk.ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp)
    yield translators
    remove_translators(qapp, translators)


@pytest.mark.gui
def test_standard_buttons_and_context_menu_are_dutch(qtbot, dutch_qt) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

    assert dutch_qt, "qtbase_nl.qm not found"
    sb = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(sb.Ok | sb.Cancel | sb.Yes | sb.No | sb.Close | sb.Save)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert {"Annuleren", "Ja", "Nee", "Sluiten", "Opslaan"} <= texts
    msg = QMessageBox(
        QMessageBox.Icon.Question,
        "Vraag",
        "Doorgaan?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    assert {b.text().replace("&", "") for b in msg.buttons()} == {"Ja", "Nee"}
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = " ".join(a.text().replace("&", "") for a in menu.actions())
    assert "Plakken" in labels and "Knippen" in labels and "Ongedaan maken" in labels
    assert not re.search(r"\b(Undo|Cut|Paste|Copy|Select All)\b", labels)


@pytest.mark.gui
def test_translate_passes_dutch_source_through(qapp) -> None:  # type: ignore[no-untyped-def]
    from zsm_desk.ui.i18n import translate

    assert translate("MainWindow", "&Bestand") == "&Bestand"


def sample_hit():  # type: ignore[no-untyped-def]
    from zsm_desk.domain.records import Identity
    from zsm_desk.services.registers.known_clients import HitView

    a = Identity("Jansen", "Pieter", "1990-04-12", bsn="", gemeente="Delft")
    b = Identity("Janssen", "Pieter", "1990-04-12", bsn="", gemeente="Den Haag")
    return HitView(1, "VHH", "P1", "mogelijk", 0.9, "naam lijkt", ["achternaam lijkt"], None, a, b)


@pytest.mark.gui
def test_linguist_workflow_translates_a_dialog(qapp, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """pyside6-lupdate finds `translate(...)` strings; a released .qm changes the dialog."""
    import shutil
    import xml.etree.ElementTree as ET

    from PySide6.QtCore import QTranslator

    from zsm_desk.ui import review_dialog

    bindir = Path(sys.executable).parent
    lupdate, lrelease = bindir / "pyside6-lupdate", bindir / "pyside6-lrelease"
    if not (lupdate.exists() and lrelease.exists()) and not shutil.which("pyside6-lupdate"):
        pytest.skip("pyside6-lupdate not installed")
    ts = tmp_path / "zsm_desk_en.ts"
    subprocess.run([str(lupdate), review_dialog.__file__, "-ts", str(ts)], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    tree = ET.parse(ts)
    sources = {m.findtext("source"): m for m in tree.iter("message")}
    assert "&Bevestigen: zelfde persoon" in sources and "Annuleren" in sources
    t = sources["&Bevestigen: zelfde persoon"].find("translation")
    assert t is not None
    t.text, t.attrib = "&Confirm: same person", {}
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run([str(lrelease), str(ts)], check=True, capture_output=True, timeout=120)
    tr = QTranslator()
    assert tr.load(str(tmp_path / "zsm_desk_en.qm"))
    qapp.installTranslator(tr)
    try:
        dlg = review_dialog.ReviewDialog(sample_hit(), "VH Haaglanden")
        qtbot.addWidget(dlg)
        assert dlg.confirm_btn.text() == "&Confirm: same person"
        assert dlg.reject_btn.text() == "&Verwerpen: andere persoon"  # untranslated: Dutch source
    finally:
        qapp.removeTranslator(tr)


def test_qt_options_do_not_trip_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    """`zsm-desk -style fusion --version`: argparse never sees -style (it used to
    read it as -s -t -y -l -e and fail)."""
    with pytest.raises(SystemExit) as exc:
        cli.main(["-style", "fusion", "-platform", "offscreen", "--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("zsm-desk ")


@pytest.mark.gui
def test_file_and_print_dialogs_are_dutch(qtbot, dutch_qt) -> None:  # type: ignore[no-untyped-def]
    """Qt's own file and print dialogs, including the gaps in qtbase_nl.qm that
    resources/i18n/qt_supplement_nl.ts fills ("Look in:", "Long side binding", ...)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton

    from tests.window_tour import ENGLISH_UI

    def texts(w) -> list[str]:  # type: ignore[no-untyped-def]
        out = [b.text() for b in w.findChildren(QPushButton)]
        out += [lbl.text() for lbl in w.findChildren(QLabel)]
        for c in w.findChildren(QComboBox):
            out += [c.itemText(i) for i in range(c.count())]
        return [t.replace("&", "") for t in out if t]

    english = re.compile(
        ENGLISH_UI.pattern[:-3] + r"|Look in|Files of type|Long side|Short side|Off|Page Set)\b"
    )
    files = QFileDialog(None, "Opslaan als PDF")
    files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    files.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(files)
    printer = QPrinter()
    prints = QPrintDialog(printer)
    qtbot.addWidget(prints)
    for dlg in (files, prints):
        dlg.show()
        for b in dlg.findChildren(QPushButton):
            if b.text().replace("&", "").startswith("Opties"):
                b.click()  # the extra print options
        found = [t for t in texts(dlg) if english.search(t)]
        assert not found, found
        dlg.hide()
    assert "Zoeken in:" in texts(files)
