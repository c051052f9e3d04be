"""A wait cursor for the few actions that run on the GUI thread and can pass half a second.

Starting a mock interview over a whole 100,000-card collection takes ~0.7 s (the draw
reads every candidate card and sums the review log), a cram sitting over all of it 0.25 s:
too short for a worker and a progress page, too long to leave the pointer looking idle
on a slower machine (DESIGN.md: "a progress indicator on anything that takes over half a
second").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget


@contextmanager
def busy_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def notice(text: str) -> QWidget:
    """A small window saying what the app is doing before its main window exists, shown and
    painted now (the caller then blocks; close it when done)."""
    label = QLabel(text)
    label.setWindowTitle("quizapp")
    label.setWindowFlag(Qt.WindowType.SplashScreen)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMargin(24)
    label.setMinimumWidth(420)
    label.adjustSize()
    area = label.screen().availableGeometry()
    label.move(area.center() - label.rect().center())
    label.show()
    label.repaint()
    QApplication.processEvents()
    return label
