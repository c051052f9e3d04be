"""The import preview of an mdbook-quiz file, in the real window with the real rustc: the
programs that do not compile are named, compiled only after the consent box says yes, and
the preview then shows each card's verdict and codes before anything is imported."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services.collection import Collection
from quizapp.services.exchange import find_deck, load_deck
from quizapp.services.quiz_errors import compile_consent_text
from quizapp.ui.import_dialog import ImportDialog, open_import_dialog
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow
from tests.conftest import DATA

pytestmark = pytest.mark.rustc

RUSTC_WAIT_MS = 120_000
"""A cold rustc on a busy two-core machine; the wait ends as soon as rustc answers."""


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    win = open_window(col, sample_decks)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


def db_hash(col: Collection) -> str:
    conn = sqlite3.connect(col.db.path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def previewed(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ImportDialog:
    quiz = tmp_path / "tracing.toml"
    shutil.copyfile(DATA / "mdbook-quiz-tracing.toml", quiz)
    dialog = open_import_dialog(window, quiz)
    qtbot.wait_until(lambda: dialog.plan is not None, timeout=10_000)
    return dialog


def consent(qtbot: QtBot, dialog: ImportDialog) -> QMessageBox:
    qtbot.mouseClick(dialog.compile_button, Qt.MouseButton.LeftButton)
    box = dialog.compile_box
    assert box is not None and box.isVisible()
    return box


def test_compile_after_consent_then_import_keeps_the_codes(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path, own_tempdir: Path
) -> None:
    dialog = previewed(qtbot, window, tmp_path)
    said = dialog.uncompiled.text()
    assert said.startswith("4 programs that do not compile were read without rustc's")
    assert f"{dialog.path}:46: questions[3]" in said
    assert dialog.compile_button.isVisible() and dialog.import_button.isEnabled()
    assert list(own_tempdir.iterdir()) == []  # the preview compiled nothing

    box = consent(qtbot, dialog)
    assert box.informativeText() == compile_consent_text(4)
    assert box.defaultButton().text() == "Don't compile"
    assert box.textFormat() == Qt.TextFormat.PlainText  # the file's name is not markup
    assert list(own_tempdir.iterdir()) == []  # nor does the question
    qtbot.mouseClick(box.property("compile_button"), Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: dialog.compiled is not None, timeout=RUSTC_WAIT_MS)
    assert dialog.job is None and dialog.import_button.isEnabled()
    said = dialog.uncompiled.text()
    assert said.startswith("rustc named the errors of 3 cards; 1 left without an error code:")
    assert "questions[3]: rustc compiles it, though the quiz says it does not" in said
    assert dialog.compile_button.isHidden()
    assert list(own_tempdir.iterdir()) == []  # rustc's build folders are gone

    with qtbot.wait_signal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    cards = load_deck(col, find_deck(col, "tracing")).cards
    assert [c.kind for c in cards] == [
        Kind.COMPILES,
        Kind.COMPILES,
        Kind.COMPILES,
        Kind.SHORT,
        Kind.OUTPUT,
    ]
    assert cards[0].errors == ("E0382",) and cards[2].errors == ("E0080",)


def test_declining_compiles_nothing_and_the_import_still_works(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path, own_tempdir: Path
) -> None:
    dialog = previewed(qtbot, window, tmp_path)
    before = db_hash(col)
    box = consent(qtbot, dialog)
    dont = next(b for b in box.buttons() if b.text() == "Don't compile")
    qtbot.mouseClick(dont, Qt.MouseButton.LeftButton)
    qtbot.wait_until(lambda: dialog.compile_box is None)
    assert dialog.job is None and dialog.compiled is None
    assert list(own_tempdir.iterdir()) == []  # rustc was not started
    assert db_hash(col) == before
    assert dialog.compile_button.isVisible()  # it can still be asked for
    with qtbot.wait_signal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    kinds = [c.kind for c in load_deck(col, find_deck(col, "tracing")).cards]
    assert Kind.COMPILES not in kinds and len(kinds) == 5
