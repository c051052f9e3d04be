"""The editor keeps quiet until the learner starts, forgets a check once its card is
added, and edits code as Try it does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards
from quizapp.services.collection import Collection
from quizapp.ui.editor import CardEditor
from quizapp.ui.try_it import CodeEditor, RustHighlighter


def new_editor(qtbot: QtBot, col: Collection, kind: Kind) -> CardEditor:
    deck = cards.create_deck(col, "Team idioms").decks[0]
    editor = CardEditor(col, deck_uuid=deck, kind=kind)
    qtbot.add_widget(editor)
    editor.show()
    qtbot.wait_exposed(editor)
    return editor


def visible_errors(editor: CardEditor) -> list[str]:
    shown = [label.text() for label in editor.field_errors.values() if label.isVisible()]
    return shown + ([editor.general_errors.text()] if editor.general_errors.isVisible() else [])


def test_no_errors_before_the_first_edit(qtbot: QtBot, col: Collection) -> None:
    editor = new_editor(qtbot, col, Kind.SHORT)
    assert editor.problems and not editor.save_button.isEnabled()  # known, not yet shown
    assert visible_errors(editor) == []
    qtbot.keyClicks(editor.prompt, "Which trait does `?` use to convert errors?")
    assert visible_errors(editor)  # the answer is still missing: now it says so
    qtbot.keyClicks(editor.accepted, "From")
    assert visible_errors(editor) == [] and editor.save_button.isEnabled()


def test_adding_clears_the_last_rustc_check_and_the_next_card_starts_quiet(
    qtbot: QtBot, col: Collection
) -> None:
    editor = new_editor(qtbot, col, Kind.SHORT)
    editor.tags.setText("errors")
    qtbot.keyClicks(editor.prompt, "Which trait does `?` use?")
    qtbot.keyClicks(editor.accepted, "From")
    editor.check_status.setText("Compiles with rustc 1.95.0. The answer fields are filled in.")
    assert editor.save() is not None
    assert editor.check_status.text() == ""
    assert editor.tags.text() == "errors"  # kept for the next card
    assert visible_errors(editor) == []


def test_code_is_coloured_and_indented_as_in_try_it(qtbot: QtBot, col: Collection) -> None:
    editor = new_editor(qtbot, col, Kind.COMPILES)
    assert isinstance(editor.code, CodeEditor)
    assert isinstance(editor.code.highlighter, RustHighlighter)
    editor.code.setPlainText("fn main() {\n    let v = 1;")
    cursor = editor.code.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.code.setTextCursor(cursor)
    editor.code.setFocus()
    qtbot.keyClick(editor.code, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.code, "}")
    assert editor.code.toPlainText().endswith("    let v = 1;\n    }")
    layout = editor.code.document().firstBlock().layout()
    assert layout is not None and layout.formats()  # `fn` coloured like the cards' code
