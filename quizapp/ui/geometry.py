"""Window sizes that fit the learner's screen, and pages that scroll only down."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """The preferred size, shrunk to 90% of the screen when the screen is smaller (a
    1280x800 laptop would otherwise get a browser whose preview pane is off-screen)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * 0.9))
        height = min(height, int(available.height() * 0.9))
    widget.resize(width, height)


def vertical_scroll(page: QWidget) -> QScrollArea:
    """`page` in a frameless area that scrolls down only (its lines wrap to the width) and
    never takes the keyboard focus from the answer fields inside it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(page)
    return area
