"""Work on the GUI thread that can pass half a second shows a wait cursor (DESIGN.md)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from quizapp.app import open_window
from quizapp.services.collection import Collection


def test_a_slow_start_shows_a_wait_cursor_and_restores_it(
    qtbot: QtBot, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Starting a cram sitting runs on the GUI thread: the pointer says so, then comes back."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from quizapp.services import cram

    window = open_window(col)
    qtbot.addWidget(window)
    seen: list[object] = []
    real = cram.start_cram

    def watched(*args: object, **kwargs: object) -> object:
        cursor = QApplication.overrideCursor()
        seen.append(cursor.shape() if cursor is not None else None)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cram, "start_cram", watched)
    window.study_menu.start_cram()
    assert seen == [Qt.CursorShape.WaitCursor]
    assert QApplication.overrideCursor() is None
    assert window.stack.currentWidget() is window.study_menu.cram_page
