"""Print a finished PDF in one action: the last-used printer, on A4 (issue 13, should).

Ctrl+P prints the plan straight to the printer used last time (remembered in
QSettings), with the page forced to A4 portrait. The print dialog appears only
the first time, when that printer is gone, or on request (Ctrl+Shift+P). The
preview is a separate action. Rendering and the A4 rule are the preview
dialog's (`PrintPreviewDialog.print_to`), so both paths print the same pages.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from zsm_desk.ui.print_preview import PrintError, PrintPreviewDialog, force_a4

SETTINGS_KEY = "afdrukken/laatste_printer"


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def last_printer() -> str:
    value = QSettings().value(SETTINGS_KEY, "")
    return str(value or "")


def remember_printer(name: str) -> None:
    if name:
        QSettings().setValue(SETTINGS_KEY, name)


def make_printer() -> QPrinter:
    return QPrinter(QPrinter.PrinterMode.HighResolution)


def _choose(parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Afdrukken")
    dialog.setOptions(
        QPrintDialog.PrintDialogOption.PrintToFile
        | QPrintDialog.PrintDialogOption.PrintPageRange
        | QPrintDialog.PrintDialogOption.PrintCollateCopies
    )
    dialog.setMinMax(1, max(1, pages))
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_pdf(
    parent: QWidget | None,
    pdf: bytes,
    *,
    title: str,
    choose: bool = False,
    on_printed: Callable[[str], None] | None = None,
) -> bool:
    """Print `pdf`; True when it went to a printer. `on_printed(target)` audits it."""
    helper = PrintPreviewDialog(
        pdf,
        title=title,
        suggested_name="afdruk.pdf",
        on_export=(lambda _kind, target: on_printed(target)) if on_printed else None,
        parent=parent,
    )
    try:
        printer = make_printer()
        printer.setDocName(title)
        name = last_printer()
        if name and not choose and name in available_printers():
            printer.setPrinterName(name)
        elif not _choose(parent, printer, helper.document.pageCount()):
            return False
        force_a4(printer)
        try:
            helper.print_to(printer)
        except PrintError as exc:
            QMessageBox.warning(parent, "Afdrukken", str(exc))
            return False
        if not printer.outputFileName():
            remember_printer(printer.printerName())
        return True
    finally:
        helper.done(0)
        helper.deleteLater()


__all__ = ["SETTINGS_KEY", "last_printer", "print_pdf", "remember_printer"]
