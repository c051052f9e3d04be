"""The real main window under qtbot, and the keyboard as a learner uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.services import guidance
from quizapp.services.collection import Collection
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow


def make_window(qtbot: QtBot, col: Collection, decks: Path, *, welcome: bool = False) -> MainWindow:
    """The window as a returning learner sees it; `welcome` for a first run, which opens
    the welcome dialog once the event loop runs."""
    if not welcome:
        guidance.mark_welcome_shown(col)
    window = open_window(col, decks)
    qtbot.add_widget(window)
    window.show()
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    return window


def focused() -> object:
    return QApplication.focusWidget()


def key(
    qtbot: QtBot, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "keyboard focus was lost"
    qtbot.keyClick(target, k, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(target, Qt.Key.Key_Return)
        qtbot.keyClicks(target, line)


def right_choice_key() -> Qt.Key:
    """The digit of a choice card's right option as shown: the study, cram and interview
    pages shuffle the options on every showing and keep what they showed (`shown`)."""
    widget = QApplication.focusWidget()
    while widget is not None and getattr(widget, "shown", None) is None:
        widget = widget.parentWidget()
    assert widget is not None, "no page showing a card has the focus"
    return Qt.Key(Qt.Key.Key_1 + widget.shown.card.answer_indexes[0])  # type: ignore[attr-defined]


def start_interview(qtbot: QtBot, window: MainWindow, config: Any, **kwargs: Any) -> None:
    """Start a mock interview and wait for its page: its questions are drawn on a worker."""
    with qtbot.wait_signal(window.study_menu.interview_started, timeout=20_000):
        window.study_menu.start_interview(config, **kwargs)


def searched(qtbot: QtBot, browser: object) -> None:
    """Wait for the browser's newest search to be in its table (searches run in a worker)."""
    model = browser.model  # type: ignore[attr-defined]
    qtbot.wait_until(lambda: not model.searching)
