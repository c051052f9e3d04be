"""Start-up refusals and the settings dialog, in the real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.core.settings import Settings
from quizapp.services.collection import CollectionError, open_collection
from quizapp.ui.launch import collection_error_box
from quizapp.ui.settings_dialog import SettingsDialog


def test_locked_collection_is_explained(qtbot: QtBot, tmp_path: Path) -> None:
    first = open_collection(tmp_path)
    try:
        with pytest.raises(CollectionError) as info:
            open_collection(tmp_path)
    finally:
        first.close()
    box = collection_error_box(info.value)
    qtbot.add_widget(box)
    assert box.windowTitle() == "quizapp is already open"
    assert str(tmp_path) in box.informativeText()
    assert "Nothing has been changed" in box.informativeText()


@pytest.mark.parametrize(
    ("content", "title"),
    [(b"definitely not sqlite", "The collection file is damaged")],
)
def test_corrupt_collection_is_explained(
    qtbot: QtBot, tmp_path: Path, content: bytes, title: str
) -> None:
    (tmp_path / "collection.sqlite3").write_bytes(content)
    with pytest.raises(CollectionError) as info:
        open_collection(tmp_path)
    box = collection_error_box(info.value)
    qtbot.add_widget(box)
    assert box.windowTitle() == title
    assert (tmp_path / "collection.sqlite3").read_bytes() == content


def test_settings_dialog_round_trip(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings(new_per_day=20, theme="system"))
    qtbot.add_widget(dialog)
    dialog.new_per_day.setValue(5)
    dialog.reviews_per_day.setValue(50)
    dialog.day_start_hour.setValue(6)
    dialog.theme.setCurrentIndex(2)
    assert dialog.settings() == Settings(
        new_per_day=5, reviews_per_day=50, day_start_hour=6, theme="dark"
    )
    assert dialog.day_start_hour.maximum() == 23
