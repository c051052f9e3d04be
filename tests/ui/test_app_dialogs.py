"""Start-up refusals and the settings dialog, in the real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.core.settings import SPECS, Settings
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
    dialog.fields["new_per_day"].setValue(5)  # type: ignore[union-attr]
    dialog.fields["reviews_per_day"].setValue(50)  # type: ignore[union-attr]
    dialog.fields["day_start_hour"].setValue(6)  # type: ignore[union-attr]
    dialog.fields["theme"].setCurrentIndex(2)  # type: ignore[union-attr]
    assert dialog.settings() == Settings(
        new_per_day=5, reviews_per_day=50, day_start_hour=6, theme="dark"
    )


def test_settings_dialog_offers_exactly_what_the_declaration_allows(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.add_widget(dialog)
    assert list(dialog.fields) == [s.name for s in SPECS]
    for spec in SPECS:
        field = dialog.fields[spec.name]
        assert field.toolTip() == spec.description
        if spec.is_choice:
            assert [field.itemText(i).lower() for i in range(field.count())] == list(spec.choices)  # type: ignore[union-attr]
        else:
            assert (field.minimum(), field.maximum()) == (spec.low, spec.high)  # type: ignore[union-attr]
