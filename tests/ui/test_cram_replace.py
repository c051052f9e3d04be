"""Cram asks before it replaces a sitting the learner left half-way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.services import cards
from quizapp.services.collection import Collection
from tests.helpers.window import make_window


def answer_one(page: object) -> None:
    view = page.view  # type: ignore[attr-defined]
    page.on_submitted(cards.model_answer(view.card))  # type: ignore[attr-defined]
    page.grade_key(3)  # type: ignore[attr-defined]


def test_an_unfinished_cram_is_replaced_only_when_the_learner_agrees(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    menu = window.study_menu
    menu.start_cram(section="Testing")
    page = menu.cram_page
    answer_one(page)
    first = page.sitting
    assert first is not None and first.answered == 1 and not first.finished

    def answer_box(button: QMessageBox.StandardButton) -> None:
        box = menu.replace_box
        assert "1 answer(s) are kept" in box.text()
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer_box(QMessageBox.StandardButton.No))
    menu.start_cram(section="Testing")
    assert page.sitting is first  # kept: the learner said no

    QTimer.singleShot(0, lambda: answer_box(QMessageBox.StandardButton.Yes))
    menu.start_cram(section="Testing")
    assert page.sitting is not first and page.sitting is not None
