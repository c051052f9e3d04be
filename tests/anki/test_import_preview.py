"""The import preview says plainly, before anything changes, which Anki cards become
flashcards."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from quizapp.services.collection import Collection
from quizapp.services.exchange import export_deck
from quizapp.ui.import_dialog import open_import_dialog
from quizapp.ui.launch import open_window
from tests.anki.conftest import AnkiSource

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


def test_anki_notes_without_quizapp_cards_are_announced_as_flashcards(
    qtbot: QtBot, col: Collection, sample_decks: Path, anki_source: AnkiSource, tmp_path: Path
) -> None:
    window = open_window(col, sample_decks)
    qtbot.add_widget(window)
    path = anki_source.export(tmp_path / "rust.apkg", legacy=False)
    dialog = open_import_dialog(window, path)
    qtbot.wait_until(lambda: dialog.plan is not None, timeout=10_000)
    assert dialog.notice.isVisible()
    assert dialog.notice.text().startswith("All 6 cards will become flashcards")
    assert "keep their quizapp kinds" not in dialog.notice.text()
    assert dialog.deck_choice.isHidden()  # Anki names its own decks


def test_a_quizapp_package_is_not_announced(
    qtbot: QtBot, col: Collection, sample_decks: Path, tmp_path: Path
) -> None:
    window = open_window(col, sample_decks)
    qtbot.add_widget(window)
    path = tmp_path / "sample.apkg"
    export_deck(col, SAMPLE, path)
    dialog = open_import_dialog(window, path)
    qtbot.wait_until(lambda: dialog.plan is not None, timeout=10_000)
    assert dialog.notice.isHidden()
    assert "0 added · 0 changed · 0 removed · 5 unchanged" in dialog.tree.topLevelItem(0).text(0)
