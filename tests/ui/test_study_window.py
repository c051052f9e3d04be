"""The real window, driven only by the keyboard, through one card of each kind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.services.collection import Collection, open_collection
from tests.conftest import FakeClock
from tests.helpers.study import in_file_order, logs
from tests.helpers.window import key, make_window, right_choice_key, type_text


def test_one_card_of_each_kind_by_keyboard(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    in_file_order(col)
    assert window.decks.tree.topLevelItemCount() == 1
    assert window.decks.tree.topLevelItem(0).text(1) == "5"  # new
    key(qtbot, Qt.Key.Key_Return)  # study the selected deck
    page = window.study
    assert window.stack.currentWidget() is page
    assert page.view is not None and page.view.card.kind.value == "compiles"

    # compiles: "2" = does not compile; the error picker takes the keys, Esc skips naming it
    key(qtbot, Qt.Key.Key_2)
    assert page.verdict is None
    key(qtbot, Qt.Key.Key_Escape)
    assert page.verdict is not None and page.verdict.correct is True
    assert "E0382" in page.shown_text()
    assert [b.isEnabled() for b in page.grade_buttons] == [False, True, True, True]
    key(qtbot, Qt.Key.Key_4)  # Easy

    # output: type into the box, Ctrl+Enter checks
    assert page.view.card.kind.value == "output"
    type_text(qtbot, "0\n1\n2")
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.verdict is not None and page.verdict.correct is True
    key(qtbot, Qt.Key.Key_Return)  # default grade: Good

    # choice: a wrong pick, then Enter; only the fail band is open
    assert page.view.card.kind.value == "choice" and page.shown is not None
    wrong = next(i for i in range(4) if i not in page.shown.card.answer_indexes)
    key(qtbot, Qt.Key(Qt.Key.Key_1 + wrong))  # options are shuffled: pick a wrong one
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None and page.verdict.correct is False
    text = page.shown_text()
    assert "spawn requires F: Send + 'static" in text  # every option's explanation is shown
    assert "Copy says nothing about threads" in text
    assert [b.isEnabled() for b in page.grade_buttons] == [True, True, True, False]
    key(qtbot, Qt.Key.Key_4)  # refused: a wrong answer cannot be graded Easy
    assert page.view.card.kind.value == "choice"
    key(qtbot, Qt.Key.Key_3)  # Slip, q=2

    # short: type and Enter
    assert page.view.card.kind.value == "short"
    type_text(qtbot, "e0382")
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None and page.verdict.correct is True
    key(qtbot, Qt.Key.Key_Space)

    # flashcard: Space reveals, 1 = Again
    assert page.view.card.kind.value == "flashcard"
    key(qtbot, Qt.Key.Key_Space)
    assert "declaration" in page.shown_text()
    key(qtbot, Qt.Key.Key_1)

    qualities = [(r.correct, r.quality) for r in logs(col)]
    assert qualities == [(True, 5), (True, 4), (False, 2), (True, 4), (None, 1)]

    # the failed choice and the flashcard come back the same day; Ctrl+Z takes back the last answer
    assert page.view is not None and page.view.is_drill
    key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(logs(col)) == 4
    assert page.view.card.kind.value == "flashcard" and page.verdict is None


def test_session_summary_after_the_last_card(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    key(qtbot, Qt.Key.Key_A)  # study all due
    page = window.study
    while window.stack.currentWidget() is page:
        assert page.view is not None
        kind = page.view.card.kind.value
        if kind == "compiles":
            key(qtbot, Qt.Key.Key_2)
            key(qtbot, Qt.Key.Key_Escape)  # skip naming the error
        elif kind == "output":
            type_text(qtbot, "0\n1\n2")
            key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        elif kind == "choice":
            key(qtbot, right_choice_key())
            key(qtbot, Qt.Key.Key_Return)
        elif kind == "short":
            type_text(qtbot, "E0382")
            key(qtbot, Qt.Key.Key_Return)
        else:
            key(qtbot, Qt.Key.Key_Space)
        key(qtbot, Qt.Key.Key_Return)
    summary = window.summary
    assert window.stack.currentWidget() is summary
    assert summary.values["answered"].text() == "5"
    assert summary.values["correct"].text() == "100 %"
    assert summary.values["next"].text() == "tomorrow"
    key(qtbot, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.decks
    assert window.decks.tree.topLevelItem(0).text(1) == "0"


def test_progress_bar_follows_the_session(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    in_file_order(col)
    key(qtbot, Qt.Key.Key_Return)
    page = window.study
    assert (page.progress.value(), page.progress.maximum()) == (0, 5)
    key(qtbot, Qt.Key.Key_1)  # wrong: it does not compile
    key(qtbot, Qt.Key.Key_Return)
    assert (page.progress.value(), page.progress.maximum()) == (1, 6)  # the failed card comes back


def test_broken_deck_file_is_reported_and_the_app_starts(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    (sample_decks / "zz-broken.toml").write_text("format = 1\n[deck]\nname = 3\n")
    col = open_collection(tmp_path / "data", clock=clock)
    try:
        window = make_window(qtbot, col, sample_decks)
        box = window.load_problems
        assert isinstance(box, QMessageBox)
        assert "zz-broken.toml" in box.detailedText() and "deck.name" in box.detailedText()
        assert window.decks.tree.topLevelItemCount() == 1
        box.close()
    finally:
        col.close()
