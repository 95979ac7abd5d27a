"""Every state colour of the windows in one place, light and dark.

A state colour is a text colour (`fg`) and, for cells and banners, a
background (`bg`). Which variant applies follows the palette: a window colour
with a lightness below 128 means a dark theme. Every pair meets WCAG AA
(contrast at least 4.5:1); text-only colours meet it on the usual window and
base colours of their variant (`REFERENCE_BACKGROUNDS`). `tests/test_theme.py`
computes all of them.

Usage: ``theme.fg(State.LATE)`` (a `QColor`), ``theme.css(State.KNOWN)``
(``color:…;background:…`` for HTML and style sheets), ``theme.hex_fg(…)``.
`dark_palette()` is a complete dark palette for ``ZSM_DESK_KLEUREN=donker``,
screenshots and tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtGui import QColor, QGuiApplication, QPalette


class State(StrEnum):
    KNOWN = "bekend bij een veiligheidshuis"
    MAYBE = "mogelijk bekend"
    SLAGZIN = "slagzin"
    MINOR = "minderjarig"
    LATE = "termijn verstreken"
    SOON = "termijn bijna verstreken"
    CLOSED = "afgesloten"
    FRESH = "advies actueel"
    AGING = "advies minder zwaarwegend"
    OLD = "advies niet actueel"
    DIFF = "verschillend veld"
    ERROR = "fout"
    WARN = "waarschuwing"
    OK = "gelukt"
    MUTED = "bijzaak"
    HIDDEN = "afgeschermd"


@dataclass(frozen=True)
class Pair:
    """A text colour and, where the state paints one, its background (``#rrggbb``)."""

    fg: str
    bg: str | None = None
    border: str | None = None  # decoration only (the slagzin's left bar)


LIGHT: dict[State, Pair] = {
    State.KNOWN: Pair("#0b3d91", "#e6f0ff"),
    State.MAYBE: Pair("#5c4300", "#fff7cc"),
    State.SLAGZIN: Pair("#0b2a5c", "#eef4ff", "#1f4e9c"),
    State.MINOR: Pair("#8a5300"),
    State.LATE: Pair("#b00020", "#fde2e4"),
    State.SOON: Pair("#7a4600", "#fff1d6"),
    State.CLOSED: Pair("#5c6670"),
    State.FRESH: Pair("#1b5e20", "#e8f5e9"),
    State.AGING: Pair("#7a4600", "#fff3e0"),
    State.OLD: Pair("#b00020", "#fde2e4"),
    State.DIFF: Pair("#3d2e00", "#ffe680"),
    State.ERROR: Pair("#b00020"),
    State.WARN: Pair("#8a5300"),
    State.OK: Pair("#1b5e20"),
    State.MUTED: Pair("#555d66"),
    State.HIDDEN: Pair("#444444"),
}

DARK: dict[State, Pair] = {
    State.KNOWN: Pair("#d6e4ff", "#1c3a66"),
    State.MAYBE: Pair("#ffe9a8", "#4a3b00"),
    State.SLAGZIN: Pair("#e3ecff", "#1f2f4d", "#6f9be0"),
    State.MINOR: Pair("#ffb74d"),
    State.LATE: Pair("#ffc4c4", "#5c1a1f"),
    State.SOON: Pair("#ffd699", "#4d3300"),
    State.CLOSED: Pair("#a9b3bd"),
    State.FRESH: Pair("#b9e4bb", "#1b3a1e"),
    State.AGING: Pair("#ffd699", "#4d3300"),
    State.OLD: Pair("#ffc4c4", "#5c1a1f"),
    State.DIFF: Pair("#fff3b0", "#5c4a00"),
    State.ERROR: Pair("#ffaaa3"),
    State.WARN: Pair("#ffb74d"),
    State.OK: Pair("#81c784"),
    State.MUTED: Pair("#b3bcc6"),
    State.HIDDEN: Pair("#c8c8c8"),
}

# Window, base and alternate-row colours a text-only state colour is drawn on:
# Qt's Fusion and Windows palettes, and `dark_palette()` plus the Windows 11 dark theme.
REFERENCE_BACKGROUNDS: dict[str, tuple[str, ...]] = {
    "licht": ("#ffffff", "#efefef", "#f0f0f0", "#f7f7f7", "#f5f5f5"),
    "donker": (
        "#1e1e1e",
        "#202020",
        "#232323",
        "#2b2b2b",
        "#2d2d2d",
        "#303030",
        "#353535",
        "#383838",
        "#262626",
        "#404040",  # Fusion's tab pane on dark_palette()
    ),
}

# Bars in the monitor charts (graphics: WCAG asks 3:1 against the background).
CHART_LIGHT = {
    "volwassen": "#3b6ea5",
    "minderjarig": "#b86e00",
    "accent": "#1f3a5f",
    "spoor": "#e4e8ee",
    "raster": "#d3d8de",
}
CHART_DARK = {
    "volwassen": "#7fa8d9",
    "minderjarig": "#f0a43a",
    "accent": "#8fb8ea",
    "spoor": "#3a4048",
    "raster": "#4a525c",
}

AA = 4.5


def _linear(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's window colour is dark (lightness below 128)."""
    if palette is None:
        if QGuiApplication.instance() is None:
            return False
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def pair(state: State, palette: QPalette | None = None) -> Pair:
    return (DARK if is_dark(palette) else LIGHT)[state]


def hex_fg(state: State, palette: QPalette | None = None) -> str:
    return pair(state, palette).fg


def hex_bg(state: State, palette: QPalette | None = None) -> str | None:
    return pair(state, palette).bg


def fg(state: State, palette: QPalette | None = None) -> QColor:
    return QColor(pair(state, palette).fg)


def bg(state: State, palette: QPalette | None = None) -> QColor | None:
    b = pair(state, palette).bg
    return QColor(b) if b else None


def css(state: State, palette: QPalette | None = None) -> str:
    """``color:…`` plus ``background:…`` when the state has one; for HTML and style sheets."""
    p = pair(state, palette)
    return f"color:{p.fg}" + (f";background:{p.bg}" if p.bg else "")


def chart(name: str, palette: QPalette | None = None) -> QColor:
    return QColor((CHART_DARK if is_dark(palette) else CHART_LIGHT)[name])


def dark_palette() -> QPalette:
    """A complete dark palette (for ``ZSM_DESK_KLEUREN=donker``, screenshots, tests)."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#232323",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#303030",
        QPalette.ColorRole.AlternateBase: "#383838",
        QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.PlaceholderText: "#9aa3ad",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#333333",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Light: "#5a5a5a",
        QPalette.ColorRole.Midlight: "#4a4a4a",
        QPalette.ColorRole.Mid: "#6a6a6a",
        QPalette.ColorRole.Dark: "#8a8a8a",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8a8a8a"))
    return p


def apply_from_environment(app: QGuiApplication) -> None:
    """``ZSM_DESK_KLEUREN=donker`` forces the dark palette (with the Fusion style),
    ``licht`` the light one; otherwise the platform's own theme stays."""
    choice = os.environ.get("ZSM_DESK_KLEUREN", "").strip().lower()
    if choice not in ("donker", "licht"):
        return
    from PySide6.QtWidgets import QApplication

    if isinstance(app, QApplication):
        app.setStyle("Fusion")
    if choice == "donker":
        app.setPalette(dark_palette())
    else:
        app.setPalette(
            app.style().standardPalette() if isinstance(app, QApplication) else QPalette()
        )
