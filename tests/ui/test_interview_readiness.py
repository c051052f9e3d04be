"""The mock-interview setup shows each section's readiness beside its checkbox, and the
checked sections are still read by name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.core.readiness import NEW_CARD_RECALL
from quizapp.services import cards, memory, study
from quizapp.services.collection import Collection
from quizapp.ui.interview import InterviewSetupDialog
from tests.conftest import FakeClock
from tests.helpers.decks import SAMPLE_ID
from tests.helpers.study import answer_current


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
