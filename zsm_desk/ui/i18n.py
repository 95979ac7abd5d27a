"""Dutch throughout: Qt's own strings in Dutch, and a hook for translating ours.

`install_translators()` loads Qt's Dutch catalogue (``qtbase_nl.qm``: the
buttons of standard dialogs, the print and file dialogs, the right-click menu
of text fields) from PySide6's translations directory, or from
``zsm_desk/resources/i18n/`` when an installer put a copy there. The project's
own strings are written in Dutch (the source language); `translate()` passes
them through Qt's translator, so a ``.ts``/``.qm`` workflow for another
language is possible without touching the Dutch text:

    pyside6-lupdate zsm_desk/ui/*.py -ts zsm_desk/resources/i18n/zsm_desk_en.ts
    pyside6-linguist zsm_desk/resources/i18n/zsm_desk_en.ts
    pyside6-lrelease zsm_desk/resources/i18n/zsm_desk_en.ts

``ZSM_DESK_TAAL=en`` then loads ``zsm_desk_en.qm``; without it (or without the
file) the Dutch source text shows. lupdate finds calls written as
``translate("Context", "tekst")`` (see `tests/test_i18n.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

RESOURCE_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
QT_CATALOGUES = ("qtbase",)


# Gaps in Qt's own Dutch catalogue (qtbase_nl.qm of Qt 6.x) in the file and print
# dialogs, filled by resources/i18n/qt_supplement_nl.ts (compiled with pyside6-lrelease
# to the .qm next to it). Qt asks the translator installed last first.
QT_SUPPLEMENT = "qt_supplement_nl"


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The project's string `text` (Dutch) in the installed language; lupdate collects it."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def qt_translation_dirs() -> list[Path]:
    """Where Qt's ``.qm`` files are looked for: PySide6's own, then our bundled copy."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), RESOURCE_DIR]
    return [d for d in dirs if d.is_dir()]


def install_translators(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Install Qt's Dutch strings and, if asked for and present, a project catalogue.

    Returns the translators installed (``Path(t.filePath()).stem`` names the
    catalogue). They are parented to `app`, so they live as long as it does;
    `remove_translators` takes them out again (tests)."""
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    loaded: list[QTranslator] = []
    for name in QT_CATALOGUES:
        for directory in qt_translation_dirs():
            tr = QTranslator(app)
            if tr.load(f"{name}_nl", str(directory)):
                app.installTranslator(tr)
                loaded.append(tr)
                break
    extra = QTranslator(app)
    if loaded and extra.load(QT_SUPPLEMENT, str(RESOURCE_DIR)):
        app.installTranslator(extra)
        loaded.append(extra)
    language = (language or os.environ.get("ZSM_DESK_TAAL", "")).strip().lower()
    if language and language != "nl":
        tr = QTranslator(app)
        if tr.load(f"zsm_desk_{language}", str(RESOURCE_DIR)):
            app.installTranslator(tr)
            loaded.append(tr)
    return loaded


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for tr in translators:
        app.removeTranslator(tr)
        tr.deleteLater()


def catalogue_names(translators: list[QTranslator]) -> list[str]:
    return [Path(t.filePath()).stem for t in translators]
