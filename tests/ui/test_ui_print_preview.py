"""Print preview dialog: preview, print to a (PDF) printer on A4, save as PDF.

No physical printer is needed: `print_to` gets a QPrinter in PdfFormat and the
output is read back with QtPdf. Qt warnings fail the test (qt_log_level_fail).
"""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdfWidgets")

from PySide6.QtCore import QSize
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zsm_desk.ui.print_preview import KIND_PDF, KIND_PRINT, PrintPreviewDialog, force_a4

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform plugin warns whenever a top-level widget with a layout
    # is shown (QPlatformWindow::propagateSizeHints is not implemented there); it is
    # not about this dialog. Every other Qt warning still fails the test.
    pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$"),
]

FONT = Path(__file__).parents[2] / "zsm_desk" / "resources" / "fonts" / "DejaVuSans.ttf"
A4_POINTS = (595.28, 841.89)


def make_pdf(pages: int = 3) -> bytes:
    """A real A4 PDF with non-ASCII text (ë, ş) on every page."""
    if "TestSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestSans", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        c.setFont("TestSans", 20)
        c.drawString(72, 770, f"Dagpakket — pagina {n}")
        c.setFont("TestSans", 12)
        c.drawString(72, 740, "Verdachte: Zoë Yılmaz-Kuşçu, geboren te Den Haag")
        c.rect(72, 400, 451, 300)
        c.showPage()
    c.save()
    return buf.getvalue()


class Exports:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, kind: str, target: str) -> None:
        self.calls.append((kind, target))


@pytest.fixture
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture
def exports() -> Exports:
    return Exports()


@pytest.fixture
def dialog(qtbot, pdf: bytes, exports: Exports) -> PrintPreviewDialog:  # type: ignore[no-untyped-def]
    dlg = PrintPreviewDialog(
        pdf, title="Dagpakket", suggested_name="dagpakket-2025-11-20.pdf", on_export=exports
    )
    qtbot.addWidget(dlg)
    dlg.resize(700, 800)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def read_back(path: Path) -> QPdfDocument:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    return doc


def assert_a4(doc: QPdfDocument, pages: int) -> None:
    assert doc.pageCount() == pages
    for p in range(pages):
        size = doc.pagePointSize(p)
        assert size.width() == pytest.approx(A4_POINTS[0], abs=1.5)
        assert size.height() == pytest.approx(A4_POINTS[1], abs=1.5)


def has_ink(doc: QPdfDocument, page: int) -> bool:
    """Some dark pixels on the page: the content was printed, not a blank sheet."""
    image = doc.render(page, QSize(150, 212))
    return any(
        image.pixelColor(x, y).alpha() > 0 and image.pixelColor(x, y).lightness() < 128
        for x in range(0, 150, 2)
        for y in range(0, 212, 2)
    )


# --- preview -----------------------------------------------------------------------


def test_dialog_opens_with_page_count(dialog: PrintPreviewDialog) -> None:
    assert "Dagpakket" in dialog.windowTitle()
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() == 3
    assert dialog.page_label.text() == "pagina 1 van 3"
    assert dialog.print_button.isEnabled()
    texts = {b.text().replace("&", "") for b in (dialog.print_button, dialog.save_button)}
    assert texts == {"Afdrukken…", "Opslaan als PDF…"}


def test_page_label_follows_scrolling(qtbot, dialog: PrintPreviewDialog) -> None:  # type: ignore[no-untyped-def]
    bar = dialog.view.verticalScrollBar()
    assert bar.maximum() > 0  # multi-page, continuous
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: dialog.page_label.text() == "pagina 3 van 3")
    bar.setValue(0)
    qtbot.waitUntil(lambda: dialog.page_label.text() == "pagina 1 van 3")


def test_zoom_in_out_and_fit(dialog: PrintPreviewDialog) -> None:
    from PySide6.QtPdfWidgets import QPdfView

    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fit = dialog._effective_zoom()
    dialog.zoom_in()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert dialog.view.zoomFactor() == pytest.approx(fit * 1.25, rel=0.01)
    dialog.zoom_out()
    dialog.zoom_out()
    assert dialog.view.zoomFactor() == pytest.approx(fit / 1.25, rel=0.01)
    dialog.fit_width()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_shortcuts(dialog: PrintPreviewDialog) -> None:
    def keys(action) -> set[str]:  # type: ignore[no-untyped-def]
        return {s.toString() for s in action.shortcuts()}

    assert "Ctrl+P" in keys(dialog.print_action)
    assert "Ctrl+S" in keys(dialog.save_action)
    assert "Ctrl++" in keys(dialog.zoom_in_action)
    assert "Ctrl+-" in keys(dialog.zoom_out_action)


def test_escape_closes(qtbot, dialog: PrintPreviewDialog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_broken_pdf_disables_printing(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = PrintPreviewDialog(b"not a pdf", title="Kapot", suggested_name="kapot.pdf")
    qtbot.addWidget(dlg)
    assert not dlg.print_button.isEnabled()
    assert dlg.page_label.text() == "PDF kon niet worden geladen"


# --- print -------------------------------------------------------------------------


def test_print_to_pdf_printer_gives_three_a4_pages(
    dialog: PrintPreviewDialog, exports: Exports, tmp_path: Path
) -> None:
    out = tmp_path / "afdruk.pdf"
    printer = pdf_printer(out)
    # A printer whose default is Letter landscape must still get A4 portrait.
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)

    assert dialog.print_to(printer) == 3

    doc = read_back(out)
    assert_a4(doc, 3)
    assert all(has_ink(doc, p) for p in range(3))
    assert exports.calls == [(KIND_PRINT, "afdruk.pdf")]


def test_print_page_range(dialog: PrintPreviewDialog, tmp_path: Path) -> None:
    out = tmp_path / "deel.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.print_to(printer) == 2
    assert_a4(read_back(out), 2)


def test_force_a4() -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Legal))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    assert force_a4(printer)
    layout = printer.pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.A4
    assert layout.orientation() == QPageLayout.Orientation.Portrait


def test_print_dialog_keeps_a4(
    dialog: PrintPreviewDialog, exports: Exports, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The user picks a printer with Letter paper: the print is A4 all the same."""
    out = tmp_path / "via-dialoog.pdf"

    def accept(self: QPrintDialog) -> int:
        p = self.printer()
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(out))
        p.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog.print_action.trigger()
    assert_a4(read_back(out), 3)
    assert exports.calls == [(KIND_PRINT, "via-dialoog.pdf")]


def test_print_dialog_cancelled(dialog: PrintPreviewDialog, exports: Exports, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    dialog.print_button.click()
    assert exports.calls == []


# --- save --------------------------------------------------------------------------


def test_save_to_writes_private_copy(
    dialog: PrintPreviewDialog, pdf: bytes, exports: Exports, tmp_path: Path
) -> None:
    target = tmp_path / "dagpakket.pdf"
    dialog.save_to(target)
    assert target.read_bytes() == pdf
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert exports.calls == [(KIND_PDF, "dagpakket.pdf")]  # file name only, no path


def test_save_via_file_dialog(
    dialog: PrintPreviewDialog, pdf: bytes, exports: Exports, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "gekozen.pdf"
    seen: dict[str, object] = {}

    def accept(self: QFileDialog) -> int:
        seen["filter"] = self.nameFilters()
        seen["suffix"] = self.defaultSuffix()
        self.selectFile(str(target))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QFileDialog, "exec", accept)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda self: [str(target)])
    dialog.save_button.click()
    assert seen == {"filter": ["PDF (*.pdf)"], "suffix": "pdf"}
    assert target.read_bytes() == pdf
    assert exports.calls == [(KIND_PDF, "gekozen.pdf")]


def test_failed_save_shows_one_dutch_line(
    dialog: PrintPreviewDialog, exports: Exports, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "bestaat-niet" / "x.pdf"
    messages: list[str] = []
    monkeypatch.setattr(QFileDialog, "exec", lambda self: QDialog.DialogCode.Accepted.value)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda self: [str(target)])
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: messages.append(text)
    )
    dialog.save_action.trigger()
    assert messages == ["Opslaan mislukt: de map bestaat niet."]
    assert exports.calls == []
    assert not target.exists()


def test_document_released_on_close(qtbot, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    dlg = PrintPreviewDialog(pdf, title="Plan", suggested_name="plan.pdf")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.reject()
    assert dlg.document.status() == QPdfDocument.Status.Null
    assert dlg.document.pageCount() == 0


def test_buffer_outlives_document(qtbot, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    """Deleting the dialog mid-render: view first, then document, then its buffer."""
    import shiboken6
    from PySide6.QtWidgets import QApplication

    dlg = PrintPreviewDialog(pdf, title="Plan", suggested_name="plan.pdf")
    dlg.resize(600, 700)
    dlg.show()
    QApplication.processEvents()
    order: list[str] = []
    dlg.view.destroyed.connect(lambda: order.append("view"))
    dlg.document.destroyed.connect(lambda: order.append("document"))
    dlg._buffer.destroyed.connect(lambda: order.append("buffer"))
    shiboken6.delete(dlg)
    assert order == ["view", "document", "buffer"]
