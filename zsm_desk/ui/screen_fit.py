"""Windows that fit the screen at 125-150 % scaling.

A 1920×1080 desktop at 150 % is 1280×720 logical pixels. `initial_size`
derives a window's first size from the available screen geometry;
`ScreenFitter` (installed on the application by `install`) clamps every
top-level window and dialog to the available geometry of its screen when
it is shown, and moves it back onto the screen, so no button starts
off-screen. Content that cannot shrink that far belongs in a scroll area
(`scrolling`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget

# Room for the window frame and title bar the window manager adds.
FRAME_ALLOWANCE = QSize(16, 40)


def available(widget: QWidget | None = None) -> QRect:
    """The available geometry of the widget's screen (or the primary screen)."""
    screen: QScreen | None = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def _limit(widget: QWidget | None) -> QSize:
    area = available(widget).size()
    return QSize(
        max(area.width() - FRAME_ALLOWANCE.width(), 200),
        max(area.height() - FRAME_ALLOWANCE.height(), 200),
    )


def initial_size(widget: QWidget | None, preferred: QSize, fraction: float = 0.92) -> QSize:
    """`preferred`, but at most `fraction` of the available screen (inside the frame)."""
    limit = _limit(widget)
    return QSize(
        min(preferred.width(), int(limit.width() * fraction)),
        min(preferred.height(), int(limit.height() * fraction)),
    )


def fit(widget: QWidget) -> None:
    """Shrink `widget` to the available screen and move it onto that screen."""
    limit = _limit(widget)
    if widget.width() > limit.width() or widget.height() > limit.height():
        widget.resize(min(widget.width(), limit.width()), min(widget.height(), limit.height()))
    area = available(widget)
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()) and widget.isWindow():
        widget.move(QPoint(max(x, area.x()), max(y, area.y())))


def scrolling(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """`content` in a frameless, resizable scroll area (for long forms and tab pages)."""
    area = QScrollArea(parent)
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return area


class ScreenFitter(QObject):
    """Application event filter: every top-level window fits its screen when shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
        ):
            fit(watched)
        return False


def install(app: QApplication) -> ScreenFitter:
    """Install the fitter once on `app` (idempotent); returns it."""
    existing = app.findChild(ScreenFitter, "zsm_screen_fitter")
    if isinstance(existing, ScreenFitter):
        return existing
    fitter = ScreenFitter(app)
    fitter.setObjectName("zsm_screen_fitter")
    app.installEventFilter(fitter)
    return fitter
