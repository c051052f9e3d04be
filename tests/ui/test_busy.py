"""Work on the GUI thread that can pass half a second shows a wait cursor (DESIGN.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.services.collection import Collection
from quizapp.ui.launch import open_window
from tests.helpers.old_collections import OLD_VERSIONS, build_old_collection


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


def test_an_old_collection_says_it_is_upgrading_then_opens(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    from quizapp.storage.tables import SCHEMA_VERSION
    from quizapp.ui.launch import open_with_notice, upgrade_notice

    old = build_old_collection(tmp_path / "old", OLD_VERSIONS[-1], cards=5).parent
    shown = upgrade_notice(old)
    assert isinstance(shown, QLabel) and shown.isVisible()
    assert "Upgrading your collection" in shown.text()
    shown.close()

    col = open_with_notice(old)
    try:
        assert col.db.path.exists()
        with sqlite3.connect(col.db.path) as conn:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        col.close()
    # The notice went with the upgrade; an upgraded or a new collection shows none.
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QLabel) and w.isVisible()
    ]
    assert upgrade_notice(old) is None
    assert upgrade_notice(tmp_path / "nothing-here") is None
