"""The error picker and the fix input, driven by the keyboard in a real offscreen window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from quizapp.core.grading import NO_CODE, CompilesAnswer, FixAnswer
from quizapp.core.model import Card, Kind
from quizapp.services import guidance, tryit
from quizapp.services.collection import open_collection
from quizapp.services.decks import sync_shipped_decks
from quizapp.services.error_index import error_index
from quizapp.ui import answer_inputs
from quizapp.ui.answer_inputs import (
    AnswerInput,
    CompilesInput,
    ExplainDialog,
    FixInput,
    code_of_entry,
    input_for,
)
from quizapp.ui.launch import open_window
from tests.conftest import FakeClock

MOVED = 'fn main() {\n    let s = String::from("hi");\n    let t = s;\n    println!("{s}");\n}\n'
COMPILES = Card(
    id="a", kind=Kind.COMPILES, prompt="p", code=MOVED, compiles=False, errors=("E0382",)
)


class Host(QWidget):
    """Stands in for the study page: it has the keys unless an input takes them."""

    def __init__(self, widget: AnswerInput) -> None:
        super().__init__()
        self.input = widget
        self.answers: list[object] = []
        widget.submitted.connect(self.answers.append)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QVBoxLayout(self).addWidget(widget)

    def keyPressEvent(self, event: object) -> None:
        if not self.answers:
            if self.input.handle_key(event):  # type: ignore[arg-type]
                return
        elif self.input.handle_answered_key(event):  # type: ignore[arg-type]
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]


@pytest.fixture
def host(qtbot: QtBot, request: pytest.FixtureRequest) -> Iterator[Host]:
    card: Card = getattr(request, "param", COMPILES)
    widget = input_for(card, lambda: True)
    page = Host(widget)
    qtbot.add_widget(page)
    page.show()
    page.activateWindow()
    qtbot.wait_until(page.isActiveWindow)
    if not widget.focus_first():
        page.setFocus()
    yield page


def key(
    qtbot: QtBot, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "keyboard focus was lost"
    qtbot.keyClick(target, k, mods)


def type_text(qtbot: QtBot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def test_the_index_ships_with_titles_and_explanations() -> None:
    index = error_index()
    entry = next(e for e in index.codes if e.code == "E0382")
    assert "moved value" in entry.title and entry.emitted
    assert "moved" in (index.explain("E0382") or "")
    assert len(index.codes) > 400 and index.rustc.startswith("rustc ")


def test_entries_name_their_code() -> None:
    assert code_of_entry("E0382 borrow of moved value") == "E0382"
    assert code_of_entry("an error without a code") == NO_CODE
    assert code_of_entry("0499") == "E0499"
    assert code_of_entry("") == ""


def test_does_not_compile_gives_the_picker_the_focus_and_enter_answers(
    qtbot: QtBot, host: Host
) -> None:
    widget = host.input
    assert isinstance(widget, CompilesInput)
    assert not widget.picker.isVisible()
    key(qtbot, Qt.Key.Key_2)
    assert widget.picker.isVisible() and QApplication.focusWidget() is widget.picker
    assert host.answers == []
    type_text(qtbot, "0382")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, "E0382")]


def test_words_complete_to_a_code(qtbot: QtBot, host: Host) -> None:
    key(qtbot, Qt.Key.Key_2)
    type_text(qtbot, "borrow of moved")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, "E0382")]


def test_an_error_without_a_code_can_be_picked(qtbot: QtBot, host: Host) -> None:
    key(qtbot, Qt.Key.Key_N)
    type_text(qtbot, "without a code")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, NO_CODE)]


def test_esc_skips_naming_the_error(qtbot: QtBot, host: Host) -> None:
    key(qtbot, Qt.Key.Key_2)
    type_text(qtbot, "E05")
    key(qtbot, Qt.Key.Key_Escape)
    assert host.answers == [CompilesAnswer(False, "")]


def test_digits_are_shortcuts_until_the_picker_opens(qtbot: QtBot, host: Host) -> None:
    widget = host.input
    assert isinstance(widget, CompilesInput)
    key(qtbot, Qt.Key.Key_3)  # no meaning yet: it must not land in a hidden field
    assert widget.picker.text() == "" and QApplication.focusWidget() is host
    key(qtbot, Qt.Key.Key_1)
    assert host.answers == [CompilesAnswer(True, "")]
    assert widget.picker.text() == ""


def test_typing_e_first_opens_the_picker_with_it(qtbot: QtBot, host: Host) -> None:
    widget = host.input
    assert isinstance(widget, CompilesInput)
    key(qtbot, Qt.Key.Key_E)
    assert QApplication.focusWidget() is widget.picker and widget.picker.text().upper() == "E"
    type_text(qtbot, "0382")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, "E0382")]


LINE_CARD = replace(COMPILES, line=4)


@pytest.mark.parametrize("host", [LINE_CARD], indirect=True)
def test_the_line_comes_after_the_code(qtbot: QtBot, host: Host) -> None:
    widget = host.input
    assert isinstance(widget, CompilesInput)
    key(qtbot, Qt.Key.Key_2)
    type_text(qtbot, "E0382")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [] and QApplication.focusWidget() is widget.line_edit
    type_text(qtbot, "x4")  # the validator keeps letters out
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, "E0382", line=4)]


def test_after_answering_e_explains_the_code(qtbot: QtBot, host: Host) -> None:
    key(qtbot, Qt.Key.Key_2)
    key(qtbot, Qt.Key.Key_Escape)
    host.input.lock()
    host.setFocus()
    key(qtbot, Qt.Key.Key_E)
    dialog = host.input.explain_dialog
    assert isinstance(dialog, ExplainDialog) and dialog.isVisible()
    assert "moved" in dialog.browser.toPlainText()
    dialog.close()


FIX_CARD = Card(
    id="f",
    kind=Kind.FIX,
    prompt="Make it compile.",
    code=MOVED,
    errors=("E0382",),
    fixed=MOVED.replace("let t = s;", "let t = &s;"),
    stdout="hi",
)


@pytest.mark.rustc
@pytest.mark.parametrize("host", [FIX_CARD], indirect=True)
def test_a_fix_is_checked_by_rustc_off_the_gui_thread(qtbot: QtBot, host: Host) -> None:
    widget = host.input
    assert isinstance(widget, FixInput) and QApplication.focusWidget() is widget.editor
    widget.editor.setPlainText(FIX_CARD.fixed)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: bool(host.answers), timeout=120_000)
    [answer] = host.answers
    assert isinstance(answer, FixAnswer) and answer.attempt is not None
    assert answer.attempt.compiled and answer.attempt.ran and answer.attempt.stdout == "hi\n"


@pytest.mark.rustc
@pytest.mark.parametrize("host", [FIX_CARD], indirect=True)
def test_a_fix_that_still_fails_carries_the_diagnostic(qtbot: QtBot, host: Host) -> None:
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: bool(host.answers), timeout=120_000)
    [answer] = host.answers
    assert isinstance(answer, FixAnswer) and answer.attempt is not None
    assert not answer.attempt.compiled and "E0382" in answer.attempt.diagnostic


def test_without_rustc_the_fix_is_shown_for_self_grading(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tryit, "rustc_available", lambda: False)
    widget = answer_inputs.FixInput(FIX_CARD)
    page = Host(widget)
    qtbot.add_widget(page)
    page.show()
    page.activateWindow()
    qtbot.wait_until(page.isActiveWindow)
    widget.focus_first()
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.answers == [FixAnswer(FIX_CARD.code, None)]


FIX_DECK = f"""format = 1

[deck]
id = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e99"
name = "Fixes"

[[cards]]
id = "a0000000-0000-4000-8000-0000000000f1"
kind = "fix"
prompt = "Make it compile."
code = '''
{MOVED}'''
errors = ["E0382"]
fixed = '''
{FIX_CARD.fixed}'''
explanation = "Borrow it."
"""


@pytest.mark.rustc
def test_a_fix_card_in_the_study_window(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    decks = tmp_path / "fix-decks"
    decks.mkdir()
    (decks / "fixes.toml").write_text(FIX_DECK, encoding="utf-8")
    col = open_collection(tmp_path / "fix-data", clock=clock)
    assert sync_shipped_decks(col, decks).errors == []
    guidance.mark_welcome_shown(col)  # the first-run welcome would sit over the window
    try:
        window = open_window(col, decks)
        qtbot.add_widget(window)
        window.show()
        window.activateWindow()
        qtbot.wait_until(window.isActiveWindow)
        key(qtbot, Qt.Key.Key_Return)
        page = window.study
        assert page.view is not None and page.view.card.kind is Kind.FIX
        assert isinstance(page.input, FixInput)
        assert QApplication.focusWidget() is page.input.editor
        page.input.editor.setPlainText(FIX_CARD.fixed)
        key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait_until(lambda: page.verdict is not None, timeout=120_000)
        assert page.verdict is not None and page.verdict.correct is True
        assert "A fix" in page.answer_view.toPlainText()
        # Under the offscreen platform the window loses activation while the worker runs
        # (not seen with the bare input above); give it back, as a click would.
        window.activateWindow()
        qtbot.wait_until(window.isActiveWindow)
        page.setFocus()
        key(qtbot, Qt.Key.Key_E)
        dialog = page.input.explain_dialog
        assert dialog is not None and "E0382" in dialog.windowTitle()
        dialog.close()
        page.setFocus()
        key(qtbot, Qt.Key.Key_Return)  # the default grade
        assert window.stack.currentWidget() is not page or page.view is None
    finally:
        col.close()


@pytest.mark.parametrize("host", [LINE_CARD], indirect=True)
def test_clicking_a_line_number_answers_the_line(qtbot: QtBot, host: Host) -> None:
    widget = host.input
    assert isinstance(widget, CompilesInput)
    widget.line_clicked(4)  # what the study page does on a `line:4` link
    assert QApplication.focusWidget() is widget.picker and widget.line_edit.text() == "4"
    type_text(qtbot, "E0382")
    key(qtbot, Qt.Key.Key_Return)
    assert host.answers == [CompilesAnswer(False, "E0382", line=4)]


def test_line_numbers_are_links_only_on_cards_that_ask_for_the_line() -> None:
    from quizapp.core.cardhtml import question_html

    assert 'href="line:4"' in question_html(LINE_CARD, "light")
    assert "href=" not in question_html(COMPILES, "light")
