"""The editor: validation as you type, saving a card that can then be studied, real rustc."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards, study
from quizapp.services.collection import Collection
from quizapp.ui.editor import CardEditor

USE_AFTER_MOVE = """fn main() {
    let v = vec![1, 2, 3];
    let w = v;
    println!("{:?} {:?}", v, w);
}
"""


def editor_for(qtbot: QtBot, col: Collection, **kwargs: object) -> CardEditor:
    editor = CardEditor(col, **kwargs)  # type: ignore[arg-type]
    qtbot.add_widget(editor)
    editor.show()
    qtbot.wait_exposed(editor)
    return editor


@pytest.fixture
def deck(col: Collection) -> str:
    return cards.create_deck(col, "Team idioms").decks[0]


def test_an_invalid_choice_card_cannot_be_saved_and_a_valid_one_is_studied(
    qtbot: QtBot, col: Collection, deck: str
) -> None:
    editor = editor_for(qtbot, col, deck_uuid=deck, kind=Kind.CHOICE)
    qtbot.keyClicks(editor.prompt, "Which type gives shared ownership across threads?")
    first, second = editor.option_rows
    qtbot.keyClicks(first.text, "`Rc<T>`")
    qtbot.keyClicks(first.explanation, "Not `Send`: its count is not atomic.")
    qtbot.keyClicks(second.text, "`Arc<T>`")
    qtbot.keyClicks(second.explanation, "Its count is atomic.")
    first.correct.setChecked(False)  # no correct option: invalid
    assert not editor.save_button.isEnabled()
    message = editor.field_errors["options"]
    assert message.isVisible() and "mark at least one option as correct" in message.text()
    assert editor.save() is None
    assert cards.search_cards(col, cards.CardQuery(deck_uuid=deck)) == []

    second.correct.setChecked(True)
    assert editor.save_button.isEnabled()
    assert not message.isVisible()
    qtbot.wait_until(lambda: "Arc" in editor.preview.toPlainText())
    with qtbot.wait_signal(editor.saved) as saved:
        editor.save_button.click()
    (uuid,) = saved.args[0].added
    session = study.start_sitting(col, [deck])
    view = study.current_card(col, session)
    assert view is not None and view.card.id == uuid
    assert view.card.options == ("`Rc<T>`", "`Arc<T>`") and view.card.answer_indexes == (1,)
    assert editor.prompt.toPlainText() == ""  # ready for the next card


def test_the_form_follows_the_kind(qtbot: QtBot, col: Collection, deck: str) -> None:
    editor = editor_for(qtbot, col, deck_uuid=deck, kind=Kind.SHORT)
    assert editor.rows["answer"][1].isVisible() and not editor.rows["options"][1].isVisible()
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("output"))
    assert editor.rows["stdout"][1].isVisible() and editor.check_button.isVisible()
    assert not editor.rows["answer"][1].isVisible()
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("flashcard"))
    assert editor.rows["back"][1].isVisible() and not editor.check_button.isVisible()


def test_editing_a_shipped_card_warns_and_keeps_history(qtbot: QtBot, col: Collection) -> None:
    uuid = "a0000000-0000-4000-8000-000000000004"
    editor = editor_for(qtbot, col, card_uuid=uuid)
    assert editor.shipped_row.isVisible()
    assert "next quizapp update" in editor.shipped_note.text()
    editor.prompt.setPlainText("Which error code does rustc give for a use after a move?")
    with qtbot.wait_signal(editor.saved):
        editor.save()
    assert cards.load_card(col, uuid).data["prompt"].endswith("after a move?")


@pytest.mark.rustc
def test_check_with_rustc_fills_in_the_error_code(qtbot: QtBot, col: Collection, deck: str) -> None:
    editor = editor_for(qtbot, col, deck_uuid=deck, kind=Kind.COMPILES)
    editor.prompt.setPlainText("Does this compile?")
    editor.code.setPlainText(USE_AFTER_MOVE)
    assert editor.compiles.isChecked()  # the author's guess, wrong
    assert editor.check_button.isEnabled()
    with qtbot.wait_signal(editor.check_done, timeout=180_000) as done:
        editor.check_button.click()
        assert editor.check_progress.isVisible()
    assert isinstance(done.args[0], cards.CodeCheck)
    assert editor.card_data()["errors"] == ["E0382"]
    assert not editor.compiles.isChecked()
    assert "E0382" in editor.check_status.text()
    assert editor.save_button.isEnabled()
    with qtbot.wait_signal(editor.saved) as saved:
        editor.save()
    stored = cards.load_card(col, saved.args[0].added[0]).data
    assert stored["errors"] == ["E0382"] and "E0382" in stored["checked"]["diagnostic"]
