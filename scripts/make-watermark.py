"""Draw the diagonal "VERTROUWELIJK" watermark of the prints once, as a PNG resource.

    .venv/bin/python scripts/make-watermark.py

A picture, not text: it survives a copier and stays out of the PDF's text
(search, copy and paste, screen readers). Shipped as a file so every print
refers to it by name: reportlab embeds it once per document and the pages
share it, instead of hashing an in-memory picture on every page.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RESOURCES = Path(__file__).resolve().parents[1] / "zsm_desk" / "resources"
TEXT = "VERTROUWELIJK"
#: Light enough to read through, dark enough that a copier does not drop it
#: (copiers lose tints lighter than ~15 %): 0.86 of white.
GREY = round(0.86 * 255)
#: About 150 dpi across an A4 page is plenty for a grey watermark.
FONT_PX = 110


def main() -> None:
    font = ImageFont.truetype(str(RESOURCES / "fonts" / "DejaVuSans-Bold.ttf"), FONT_PX)
    left, top, right, bottom = font.getbbox(TEXT)
    mask = Image.new("L", (int(right - left) + 20, int(bottom - top) + 20), 0)
    ImageDraw.Draw(mask).text((10 - left, 10 - top), TEXT, fill=255, font=font)
    mask = mask.rotate(55, expand=True, resample=Image.Resampling.BICUBIC)
    img = Image.new("RGBA", mask.size, (GREY, GREY, GREY, 0))
    img.putalpha(mask)
    out = RESOURCES / "watermark.png"
    img.save(out, optimize=True)
    print(f"{out} ({img.size[0]}x{img.size[1]})")


if __name__ == "__main__":
    main()
