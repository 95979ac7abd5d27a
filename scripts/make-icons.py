"""Render the icon SVG into the PNG sizes and the Windows ICO (run after editing the SVG).

    .venv/bin/python scripts/make-icons.py

Uses Qt only (QtSvg renders, Qt's ICO plug-in writes); the results are committed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "zsm_desk" / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(p)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]  # the stub wants bytes, Qt a str
    buf.close()
    return bytes(data.data())


def write_ico(images: dict[int, bytes], target: Path) -> None:
    """An ICO whose entries are PNG images (Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries, blobs = b"", b""
    offset = 6 + 16 * len(images)
    for size, blob in sorted(images.items()):
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    target.write_bytes(header + entries + blobs)


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "zsm-desk.svg"))
    if not renderer.isValid():
        print("zsm-desk.svg is niet geldig", file=sys.stderr)
        return 1
    pngs: dict[int, bytes] = {}
    for size in SIZES:
        pngs[size] = png_bytes(render(renderer, size))
        if size in (48, 256):
            (ICONS / f"zsm-desk-{size}.png").write_bytes(pngs[size])
    write_ico({s: pngs[s] for s in (16, 24, 32, 48, 64, 256)}, ICONS / "zsm-desk.ico")
    print(f"iconen geschreven in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
