"""Screenshot of the print preview dialog with a generated 3-page PDF.

    xvfb-run -a .venv/bin/python scripts/shot_print_preview.py /tmp/preview.png

Options: --page N scrolls to page N first; --zoom-in K zooms in K steps;
--size WxH sets the dialog size. Uses the xcb platform (under Xvfb) unless
QT_QPA_PLATFORM says otherwise. Synthetic data only.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

FONT_DIR = ROOT / "zsm_desk" / "resources" / "fonts"


def sample_pdf(pages: int = 3) -> bytes:
    """An A4 document that looks a bit like a day pack, with ë and ş in it."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for name, file in (("ShotSans", "DejaVuSans.ttf"), ("ShotSansBold", "DejaVuSans-Bold.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    people = [
        ("Zoë de Vries", "12-03-1994", "Den Haag"),
        ("Ayşe Yılmaz", "01-07-2001", "Rotterdam"),
        ("Noël Brouwer", "23-11-1987", "Delft"),
    ]
    width, height = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, pages + 1):
        naam, geboren, plaats = people[(n - 1) % len(people)]
        c.setFillColor(colors.HexColor("#b00020"))
        c.setFont("ShotSansBold", 9)
        c.drawString(56, height - 40, "VERTROUWELIJK — alleen voor het ZSM-afstemmingsoverleg")
        c.setFillColor(colors.black)
        c.setFont("ShotSansBold", 18)
        c.drawString(56, height - 80, f"Dagpakket — {naam}")
        c.setFont("ShotSans", 10)
        rows = [
            ("Geboortedatum", geboren),
            ("Geboorteplaats", plaats),
            ("Veiligheidshuis", "VH Haaglanden"),
            ("Status", "bekend — bevestigd"),
        ]
        y = height - 115
        for label, value in rows:
            c.setFillColor(colors.HexColor("#555555"))
            c.drawString(56, y, label)
            c.setFillColor(colors.black)
            c.drawString(180, y, value)
            y -= 16
        c.setStrokeColor(colors.HexColor("#cccccc"))
        c.line(56, y - 4, width - 56, y - 4)
        y -= 28
        c.setFont("ShotSansBold", 12)
        c.drawString(56, y, "Slagzin")
        c.setFont("ShotSans", 10)
        y -= 16
        for line in (
            "Bij nieuw HG-feit: voorgeleiden; contactverbod met ex-partner,",
            "PvA loopt via VH. Casusregisseur: mevr. Kuşçu (bereikbaar tot 17:00).",
        ):
            c.drawString(56, y, line)
            y -= 14
        y -= 14
        c.setFont("ShotSansBold", 12)
        c.drawString(56, y, "Plan van aanpak")
        c.setFont("ShotSans", 10)
        for i in range(12):
            y -= 14
            c.drawString(
                56, y, f"{i + 1}. Afspraak {i + 1}: wekelijks gesprek, voortgang gemeld aan ZSM."
            )
        c.setFont("ShotSans", 8)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawRightString(width - 56, 30, f"pagina {n} van {pages}")
        c.setFillColor(colors.black)
        c.showPage()
    c.save()
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--zoom-in", type=int, default=0)
    parser.add_argument("--size", default="760x900")
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from zsm_desk.ui.print_preview import PrintPreviewDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    dialog = PrintPreviewDialog(
        sample_pdf(),
        title="Dagpakket 20-11-2025",
        suggested_name="dagpakket-2025-11-20.pdf",
        on_export=lambda kind, target: print(f"export: {kind} -> {target}"),
    )
    w, h = (int(v) for v in args.size.lower().split("x"))
    dialog.resize(w, h)
    dialog.show()

    def settle(seconds: float) -> None:
        # QPdfView renders pages in a worker thread; let it finish.
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    settle(0.5)
    for _ in range(args.zoom_in):
        dialog.zoom_in()
    if args.page > 1:
        nav = dialog.view.pageNavigator()
        nav.jump(args.page - 1, nav.currentLocation(), nav.currentZoom())
    settle(1.5)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(args.out))
    print(f"{args.out}: {'ok' if ok else 'MISLUKT'} ({dialog.page_label.text()})")
    dialog.close()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
