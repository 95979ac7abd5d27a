"""Print preview for a generated PDF: look, print (A4) or save as PDF.

The caller hands over the finished PDF bytes (the day pack, a plan); this
dialog never regenerates them. After a successful print or save it calls
`on_export(kind, target)` with kind "afdruk" or "pdf-export" and a target that
is a printer name or a bare file name (never a full path), so the caller can
write the audit line.

QtPdf notes (6.12): `QPdfDocument.load(QIODevice)` reads from the device for
as long as the document is open, so the QBuffer is a child of the document: it
is destroyed after the document has closed. `QPdfDocument.render()` returns a
transparent ARGB32 image; for printing we put it on white first, so print
engines get an opaque image without an alpha mask.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QMargins,
    QObject,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zsm_desk.services.storage.files import write_private

KIND_PRINT = "afdruk"
KIND_PDF = "pdf-export"

#: Pages are rasterised for printing. Above this resolution the image only
#: grows (1200 dpi A4 is ~550 MB per page) without visibly sharper text, so the
#: page is rendered at most at this resolution and scaled onto the printer.
MAX_RENDER_DPI = 300

ZOOM_STEP = 1.25
ZOOM_MIN = 0.25
ZOOM_MAX = 5.0


class PrintError(RuntimeError):
    """Printing could not start or continue; the message is Dutch, for the user."""


def force_a4(printer: QPrinter) -> bool:
    """Set A4 portrait on `printer`, keeping the device's minimum margins.

    The PDF is laid out on A4 by the printing service. A printer (or its
    default paper) picked in the print dialog must not turn that into Letter or
    landscape: the pages would be scaled down or cut off. So this is applied
    again after the dialog. Returns whether the printer accepted A4.
    """
    current = printer.pageLayout()
    minimum = current.minimumMargins()
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        minimum,
        current.units(),
        minimum,
    )
    if not printer.setPageLayout(layout):
        # Some drivers reject a layout whose margins they did not compute
        # themselves; setting size and orientation keeps their margins.
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    return printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4


def _fit(page: QSizeF, area: QRectF) -> QRectF:
    """The largest rect with the aspect ratio of `page`, centred in `area`."""
    if page.isEmpty() or area.isEmpty():
        return QRectF()
    scale = min(area.width() / page.width(), area.height() / page.height())
    w, h = page.width() * scale, page.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


def _prepare_private(path: Path) -> None:
    """Create (or truncate) `path` with mode 0600 before Qt writes a PDF into it.

    QPrinter's "print to file" creates the file with the process umask (0644):
    every PDF of the desk must be readable by its owner only.
    """
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)


def _save_error(exc: OSError) -> str:
    reasons = {
        errno.EACCES: "geen schrijfrechten in deze map",
        errno.EPERM: "geen schrijfrechten in deze map",
        errno.ENOENT: "de map bestaat niet",
        errno.ENOSPC: "de schijf is vol",
        errno.EROFS: "de schijf is alleen-lezen",
        errno.EISDIR: "dit is een map",
    }
    reason = reasons.get(exc.errno or 0, "het bestand kon niet worden geschreven")
    return f"Opslaan mislukt: {reason}."


class PrintPreviewDialog(QDialog):
    def __init__(
        self,
        pdf: bytes,
        *,
        title: str,
        suggested_name: str,
        on_export: Callable[[str, str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._suggested_name = suggested_name
        self._on_export = on_export
        self._data = bytes(pdf)
        self.setWindowTitle(f"Afdrukvoorbeeld — {title}")
        self.setObjectName("printPreview")

        # Destruction order matters: Qt deletes children in creation order. The
        # view (and its page-render thread) goes first, then the document, then
        # the buffer it reads from lazily, which is the document's own child.
        self.view = QPdfView(self)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self.document)
        self._buffer.setData(QByteArray(self._data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setDocumentMargins(QMargins(16, 16, 16, 16))
        self.view.setPageSpacing(16)
        self.view.viewport().installEventFilter(self)  # fit-to-width zoom follows the width

        heading = QLabel(title, self)
        heading.setObjectName("previewTitle")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        heading.setFont(font)

        self.page_label = QLabel(self)
        self.page_label.setObjectName("pageLabel")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("000 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.zoom_out_action = self._action(
            "Uitzoomen", [QKeySequence.StandardKey.ZoomOut, QKeySequence("Ctrl+-")], self.zoom_out
        )
        self.zoom_in_action = self._action(
            "Inzoomen",
            [QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")],
            self.zoom_in,
        )
        self.fit_action = self._action("Paginabreedte", [QKeySequence("Ctrl+0")], self.fit_width)
        self.print_action = self._action(
            "Afdrukken…", [QKeySequence.StandardKey.Print, QKeySequence("Ctrl+P")], self.print_
        )
        self.save_action = self._action(
            "Opslaan als PDF…", [QKeySequence.StandardKey.Save, QKeySequence("Ctrl+S")], self.save
        )

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self._tool_button(self.zoom_out_action, "−"))
        top.addWidget(self.zoom_label)
        top.addWidget(self._tool_button(self.zoom_in_action, "+"))
        top.addWidget(self._tool_button(self.fit_action, "Paginabreedte"))
        top.addSpacing(12)
        top.addWidget(self.page_label)

        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton("&Afdrukken…", self)
        self.save_button = QPushButton("&Opslaan als PDF…", self)
        self.close_button = QPushButton("Sl&uiten", self)
        self.print_button.setToolTip("Afdrukken op A4 (Ctrl+P)")
        self.save_button.setToolTip("Opslaan als PDF-bestand (Ctrl+S)")
        self.close_button.setToolTip("Sluiten (Esc)")
        for b in (self.print_button, self.save_button, self.close_button):
            b.setAutoDefault(False)  # Enter must not start a print job
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_action.trigger)
        self.save_button.clicked.connect(self.save_action.trigger)
        self.close_button.clicked.connect(self.reject)  # Esc: QDialog.reject as well

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        self.view.zoomFactorChanged.connect(self._update_zoom_label)
        self.view.zoomModeChanged.connect(self._update_zoom_label)
        self.document.pageCountChanged.connect(self._update_page_label)
        self._update_page_label()
        self._update_zoom_label()

        ok = self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0
        self.print_action.setEnabled(ok)
        self.print_button.setEnabled(ok)
        if not ok:
            self.page_label.setText("PDF kon niet worden geladen")

        screen = self.screen().availableGeometry() if self.screen() else None
        height = min(screen.height() - 80, 1000) if screen else 900
        self.resize(max(720, int(height * 0.8)), height)
        self.view.setFocus()

    # --- widgets ---------------------------------------------------------------

    def _action(
        self,
        text: str,
        keys: list[QKeySequence | QKeySequence.StandardKey],
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        seqs: list[QKeySequence] = []
        for k in keys:
            std = isinstance(k, QKeySequence.StandardKey)
            for seq in QKeySequence.keyBindings(k) if std else [k]:
                if not seq.isEmpty() and seq not in seqs:
                    seqs.append(seq)
        action.setShortcuts(seqs)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _tool_button(self, action: QAction, text: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setText(text)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text()} ({shortcut})" if shortcut else action.text())
        button.setAutoRaise(False)
        return button

    # --- page and zoom -----------------------------------------------------------

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def _update_page_label(self) -> None:
        count = self.document.pageCount()
        if count:
            self.page_label.setText(f"pagina {self.current_page() + 1} van {count}")

    def _effective_zoom(self) -> float:
        """The zoom factor the view uses now, also in fit-to-width mode."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom:
            return self.view.zoomFactor()
        count = self.document.pageCount()
        if not count:
            return 1.0
        widest = max(self.document.pagePointSize(p).width() for p in range(count))
        # QPdfView scales points by the primary screen's logical dpi.
        screen = QGuiApplication.primaryScreen()
        dpi = screen.logicalDotsPerInch() if screen else 96.0
        margins = self.view.documentMargins()
        usable = self.view.viewport().width() - margins.left() - margins.right()
        return max(ZOOM_MIN, usable / (widest * dpi / 72.0)) if widest else 1.0

    def _set_zoom(self, factor: float) -> None:
        factor = min(ZOOM_MAX, max(ZOOM_MIN, factor))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._update_zoom_label()

    def zoom_in(self) -> None:
        self._set_zoom(self._effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self._effective_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(f"{round(self._effective_zoom() * 100)} %")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.view.viewport():
            self._update_zoom_label()
        return super().eventFilter(watched, event)

    # --- print -----------------------------------------------------------------

    def _page_list(self, printer: QPrinter) -> list[int]:
        count = self.document.pageCount()
        pages = list(range(count))
        rng = printer.printRange()
        if rng == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(1, printer.fromPage())
            last = min(count, printer.toPage() or count)
            pages = list(range(first - 1, last))
        elif rng == QPrinter.PrintRange.CurrentPage:
            pages = [min(self.current_page(), count - 1)] if count else []
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if copies == 1:
            return pages
        if printer.collateCopies():
            return pages * copies
        return [p for p in pages for _ in range(copies)]

    def _render_page(self, page: int, target: QRectF, printer_dpi: int) -> QImage:
        """Page `page` as an opaque image for `target` (device pixels)."""
        dpi = min(printer_dpi, MAX_RENDER_DPI) if printer_dpi > 0 else MAX_RENDER_DPI
        ratio = dpi / printer_dpi if printer_dpi > 0 else 1.0
        size = QSize(max(1, round(target.width() * ratio)), max(1, round(target.height() * ratio)))
        rendered = self.document.render(page, size)
        # QtPdf renders on a transparent background; print on white paper.
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(Qt.GlobalColor.white))
        p = QPainter(image)
        p.drawImage(0, 0, rendered)
        p.end()
        return image

    def print_to(self, printer: QPrinter) -> int:
        """Print the PDF on `printer` (forced to A4 portrait); returns pages printed.

        Each page is scaled into the printer's page rect with its aspect ratio
        kept. Raises PrintError when the printer cannot be used.
        """
        if self.document.status() != QPdfDocument.Status.Ready:
            raise PrintError("Afdrukken mislukt: het PDF-bestand kon niet worden gelezen.")
        force_a4(printer)
        pages = self._page_list(printer)
        if not pages:
            return 0
        if not printer.docName():
            printer.setDocName(self._title)
        out = printer.outputFileName()
        if out:
            _prepare_private(Path(out))  # Qt writes into it, keeping mode 0600
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        if not printer.fullPage():
            area.moveTo(0, 0)  # painter origin is the page rect's corner
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintError("Afdrukken mislukt: de printer kan niet worden gebruikt.")
        printed = 0
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            for page in pages:
                if printed and not printer.newPage():
                    raise PrintError("Afdrukken mislukt: de printer weigerde een nieuwe pagina.")
                target = _fit(self.document.pagePointSize(page), area)
                if not target.isEmpty():
                    painter.drawImage(target, self._render_page(page, target, printer.resolution()))
                printed += 1
        finally:
            painter.end()
        if out:
            with contextlib.suppress(OSError):
                os.chmod(out, 0o600)  # whatever the umask or an existing file's mode was
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise PrintError("Afdrukken mislukt: de printer meldt een fout.")
        self._notify(KIND_PRINT, self._print_target(printer))
        return printed

    @staticmethod
    def _print_target(printer: QPrinter) -> str:
        out = printer.outputFileName()
        if out:
            return Path(out).name
        return printer.printerName() or "printer"

    def print_(self) -> None:
        """Ctrl+P: the print dialog, then print on A4."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title)
        force_a4(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Afdrukken")
        dialog.setOptions(
            QPrintDialog.PrintDialogOption.PrintToFile
            | QPrintDialog.PrintDialogOption.PrintPageRange
            | QPrintDialog.PrintDialogOption.PrintCurrentPage
            | QPrintDialog.PrintDialogOption.PrintCollateCopies
        )
        dialog.setMinMax(1, max(1, self.document.pageCount()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        # The dialog may have applied the chosen printer's default paper.
        force_a4(printer)
        error = ""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.print_to(printer)
        except PrintError as exc:
            error = str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if error:
            QMessageBox.warning(self, "Afdrukken", error)

    # --- save ------------------------------------------------------------------

    def save_to(self, path: str | os.PathLike[str]) -> Path:
        """Write the PDF to `path` (mode 0600, atomic). Raises OSError on failure."""
        target = Path(path)
        write_private(target, self._data)
        self._notify(KIND_PDF, target.name)
        return target

    def _default_save_path(self) -> str:
        """Documents when that folder exists, else the home folder (issue 13 §9)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if not folder or not Path(folder).is_dir():
            folder = str(Path.home())
        return str(Path(folder) / self._suggested_name)

    def save(self) -> None:
        """Ctrl+S: ask for a file name, then save."""
        dialog = QFileDialog(self, "Opslaan als PDF", self._default_save_path(), "PDF (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(self._default_save_path())
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        try:
            self.save_to(dialog.selectedFiles()[0])
        except OSError as exc:
            QMessageBox.warning(self, "Opslaan als PDF", _save_error(exc))

    # --- plumbing --------------------------------------------------------------

    def _notify(self, kind: str, target: str) -> None:
        if self._on_export is not None:
            self._on_export(kind, target)

    def done(self, result: int) -> None:
        """Close; the dialog is single-use.

        Callers parent it to the main window, so the C++ object lives on after
        `exec()`; the rendered document and the buffer are released here.
        """
        super().done(result)
        # Not view.setDocument(None): QtPdf 6.12 warns "QObject::connect(QPdfDocument,
        # QPdfLinkModel): invalid nullptr parameter". A closed document is empty.
        self.document.close()  # before the buffer: the document reads from it
        self._buffer.close()
        self._buffer.setData(QByteArray())


__all__ = ["KIND_PDF", "KIND_PRINT", "PrintError", "PrintPreviewDialog", "force_a4"]
