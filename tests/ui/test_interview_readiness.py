"""The mock-interview setup shows each section's readiness beside its checkbox, worked out
off the GUI thread while the setup is already on screen, and the checked sections are still
read by name."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlmodel import select

from quizapp.core.model import Kind
from quizapp.core.readiness import NEW_CARD_RECALL
from quizapp.services import cards, memory, study
from quizapp.services.collection import Collection
from quizapp.storage.tables import Interview
from quizapp.ui.interview import InterviewSetupDialog
from tests.conftest import FakeClock
from tests.helpers.decks import SAMPLE_ID
from tests.helpers.study import answer_current
from tests.helpers.window import make_window, start_interview


def test_each_section_shows_its_readiness(qtbot: QtBot, col: Collection, clock: FakeClock) -> None:
    deck = cards.create_deck(col, "Extra", section="Unseen").decks[0]
    data = cards.new_card_data(Kind.SHORT)
    data.update(prompt="Which trait moves values between threads?", answer=["Send"])
    cards.add_card(col, deck, data)
    sitting = study.start_sitting(col, [SAMPLE_ID])  # the new deck stays unseen
    while not sitting.finished:
        answer_current(col, sitting)
    clock.advance(days=9)
    ready = memory.section_readiness(col)
    assert ready["Testing"] != ready["Unseen"] != NEW_CARD_RECALL  # the learner's own rate

    setup = InterviewSetupDialog(col)
    qtbot.add_widget(setup)
    with qtbot.wait_signal(setup.readiness_shown, timeout=20_000):
        pass
    texts = [setup.sections.item(i).text() for i in range(setup.sections.count())]
    assert texts == [  # each section shown by its deck's name, as the deck list does
        f"{ready['Testing']:>4.0%} ready · Sample",
        f"{ready['Unseen']:>4.0%} ready · Extra",
    ]
    setup.all_sections.setChecked(False)
    setup.sections.item(1).setCheckState(Qt.CheckState.Checked)
    assert setup.config().sections == ("Unseen",)


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list[bool]]]:
    """The real readiness computation, held until the test opens the gate; records whether
    each call ran on the GUI thread."""
    gate = threading.Event()
    on_gui: list[bool] = []
    real = memory.section_readiness

    def held(col: Collection) -> dict[str, float]:
        on_gui.append(threading.current_thread() is threading.main_thread())
        assert gate.wait(30)
        return real(col)

    monkeypatch.setattr(memory, "section_readiness", held)
    try:
        yield gate, on_gui
    finally:
        gate.set()  # never leave a worker waiting


def section_texts(setup: InterviewSetupDialog) -> list[str]:
    return [setup.sections.item(i).text() for i in range(setup.sections.count())]


def test_the_setup_shows_at_once_and_readiness_fills_in_from_a_worker(
    qtbot: QtBot, col: Collection, gated: tuple[threading.Event, list[bool]]
) -> None:
    gate, on_gui = gated
    setup = InterviewSetupDialog(col)
    qtbot.add_widget(setup)
    setup.show()
    qtbot.wait_exposed(setup)
    qtbot.wait_until(lambda: bool(on_gui))  # the worker is at it
    assert on_gui == [False]  # and not on the GUI thread
    # the setup is usable meanwhile: its decks listed, readiness said to be on its way
    assert section_texts(setup) == ["Sample"]
    assert "Working out" in setup.readiness_label.text()
    assert setup.start_button.isEnabled()
    with qtbot.wait_signal(setup.readiness_shown, timeout=20_000):
        gate.set()
    assert setup.readiness is not None
    assert section_texts(setup) == [f"{setup.readiness['Testing']:>4.0%} ready · Sample"]
    assert "predicted chance" in setup.readiness_label.text()


def test_start_before_readiness_waits_for_it_and_the_start_reuses_it(
    qtbot: QtBot,
    col: Collection,
    sample_decks: Path,
    gated: tuple[threading.Event, list[bool]],
) -> None:
    gate, on_gui = gated
    window = make_window(qtbot, col, sample_decks)
    setup = InterviewSetupDialog(col, window)
    qtbot.add_widget(setup)
    setup.count.setValue(3)
    setup.show()
    qtbot.wait_until(lambda: bool(on_gui))
    setup.start_button.click()  # before readiness is known
    assert setup.isVisible() and setup.result() == 0
    assert not setup.start_button.isEnabled()
    assert setup.start_button.text() == "Working out readiness…"
    with qtbot.wait_signal(setup.accepted, timeout=20_000):
        gate.set()
    assert setup.readiness is not None
    start_interview(qtbot, window, setup.config(), readiness=setup.readiness)
    assert on_gui == [False]  # the start did not work it out again, on the GUI thread
    run = window.study_menu.interview_page.run
    assert run is not None and len(run.questions) == 3
    with col.db.session() as session:
        stored = session.exec(select(Interview)).one()
    predicted = json.loads(stored.config)[memory.PREDICTED_KEY]
    assert predicted == [round(setup.readiness["Testing"], 4)] * 3


def test_the_questions_are_drawn_off_the_gui_thread(
    qtbot: QtBot, col: Collection, sample_decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing reads every question card and its failures (0.65 s at 100,000 cards): the
    window keeps the deck list, says it is drawing, and shows the interview when drawn."""
    from quizapp.core.interview import InterviewConfig
    from quizapp.services import interview

    gate, on_gui = threading.Event(), []
    real = interview.draw_interview

    def held(col: Collection, config: InterviewConfig) -> list[str]:
        on_gui.append(threading.current_thread() is threading.main_thread())
        assert gate.wait(30)
        return real(col, config)

    monkeypatch.setattr(interview, "draw_interview", held)
    window = make_window(qtbot, col, sample_decks)
    before = window.stack.currentWidget()
    try:
        window.study_menu.start_interview(InterviewConfig(count=3))
        qtbot.wait_until(lambda: bool(on_gui))
        assert on_gui == [False]
        assert window.stack.currentWidget() is before
        assert "Drawing" in window.statusBar().currentMessage()
        with qtbot.wait_signal(window.study_menu.interview_started, timeout=20_000):
            gate.set()
    finally:
        gate.set()
    assert window.stack.currentWidget() is window.study_menu.interview_page
    run = window.study_menu.interview_page.run
    assert run is not None and len(run.questions) == 3
    assert window.statusBar().currentMessage() == ""
