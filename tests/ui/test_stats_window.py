"""The statistics window computes its figures in a worker: busy first, then the tabs; a
suspended leech shows as suspended at once and stays selected when the figures return."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from quizapp.core.grading import ShortAnswer
from quizapp.core.queue import SessionQueue
from quizapp.services import memory, stats, study
from quizapp.services.collection import Collection
from quizapp.ui.stats_window import StatsWindow
from tests.conftest import FakeClock

SHORT = "a0000000-0000-4000-8000-000000000004"


def fail_eight_times(col: Collection, clock: FakeClock) -> None:
    for _ in range(8):
        sitting = study.Sitting((), SessionQueue(pending=(SHORT,)), 1)
        view = study.current_card(col, sitting)
        assert view is not None
        study.answer_card(col, sitting, view, ShortAnswer("no"), 1, seconds=3)
        clock.advance(days=1)


def test_busy_until_the_worker_hands_over_the_figures(
    qtbot: QtBot, col: Collection, clock: FakeClock
) -> None:
    fail_eight_times(col, clock)
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    # the worker starts on the next turn of the event loop: nothing is computed yet
    assert window.stats is None
    assert window.pages.currentWidget() is window.busy
    with qtbot.wait_signal(window.loaded, timeout=10_000):
        pass
    assert window.pages.currentWidget() is window.tabs
    assert window.stats is not None and window.stats.answers == 8
    assert window.tabs.tabText(4) == "Leeches (1)"

    window.tabs.setCurrentIndex(4)
    window.toggle_suspend()
    assert window.current_leech().suspended  # type: ignore[union-attr]
    assert not window.tabs.isEnabled()  # greyed while the figures are recomputed
    with qtbot.wait_signal(window.loaded, timeout=10_000):
        pass
    assert window.tabs.isEnabled() and window.tabs.currentIndex() == 4
    leech = window.current_leech()
    assert leech is not None and leech.card.id == SHORT and leech.suspended
    assert window.suspend_button.text() == "Unsuspend"
    assert "(suspended)" in window.leech_list.item(0).text()


def test_a_closed_window_does_not_draw_a_late_result(
    qtbot: QtBot, col: Collection, clock: FakeClock
) -> None:
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    job = window.job
    assert job is not None
    window.close()
    with qtbot.wait_signal(job.signals.cancelled, timeout=10_000):  # it ran to its end
        pass
    assert window.stats is None and window.tabs.count() == 0


def test_many_sections_and_weeks_still_fit_the_screen(
    qtbot: QtBot, col: Collection, clock: FakeClock
) -> None:
    """30 sections and 70 weeks of answers: the window fits the screen, the tabs scroll."""
    from quizapp.core.model import Kind
    from quizapp.services import cards

    for i in range(30):
        deck = cards.create_deck(col, f"Deck {i}", section=f"Section {i:02d}").decks[0]
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt=f"Question {i}?", answer=["yes"])
        cards.add_card(col, deck, data)
    for _ in range(70):
        fail_eight_times(col, clock)  # 8 days a round: answers over 80 weeks
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    screen = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= screen.height()
    assert window.minimumSizeHint().height() < screen.height()
    assert window.stats is not None
    assert len(window.stats.retention_by_week) > 52
    assert len(window.stats.mastery_by_section) > 30


def test_the_first_figures_come_before_the_rest(
    qtbot: QtBot, col: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streak, today's work and the heatmap are drawn on the busy page while the rest
    is still being added up (held here, as 3,000,000 answers would hold it), then the tabs."""
    fail_eight_times(col, clock)
    release = threading.Event()
    real = stats.collection_stats

    def slow(collection: Collection) -> object:
        assert release.wait(20), "never released"
        return real(collection)

    monkeypatch.setattr(stats, "collection_stats", slow)
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.first_shown, timeout=10_000):
        pass
    assert window.pages.currentWidget() is window.busy and window.stats is None
    first = window.first
    assert first is not None and first.cards == 5 and first.streak.study_days == 8
    shown = [w.findChildren(QLabel)[0].text() for w in _figures(window.busy_figures)]
    assert shown[:2] == ["8 days", "0"]  # eight days in a row up to yesterday, none today
    assert window.busy_heatmap.isVisible() and sum(window.busy_heatmap.per_day.values()) == 8
    with qtbot.wait_signal(window.loaded, timeout=10_000):
        release.set()
    assert window.pages.currentWidget() is window.tabs
    assert window.stats is not None and window.stats.answers == 8
    assert window.stats.streak == first.streak and window.stats.cards == first.cards


def _figures(layout: QHBoxLayout) -> list[QWidget]:
    return [w for i in range(layout.count()) if (w := layout.itemAt(i).widget()) is not None]


def test_every_tab_but_memory_is_drawn_before_the_memory_report(
    qtbot: QtBot, col: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Predicted recall of every card takes longest (2.5 s at 300,000 cards): the other
    tabs are shown first, the learner can use them, and Memory fills in where it is."""
    fail_eight_times(col, clock)
    release = threading.Event()
    real = memory.memory_report

    def slow(collection: Collection) -> object:
        assert release.wait(20), "never released"
        return real(collection)

    monkeypatch.setattr(memory, "memory_report", slow)
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_until(lambda: window.pages.currentWidget() is window.tabs)
    assert window.memory is None and window.tabs.count() == 6
    assert window.tabs.tabText(4) == "Leeches (1)" and window.tabs.isEnabled()
    window.tabs.setCurrentIndex(4)  # the learner looks at the leeches meanwhile
    with qtbot.wait_signal(window.loaded, timeout=10_000):
        release.set()
    assert window.memory is not None and window.tabs.currentIndex() == 4
    assert window.tabs.tabText(5) == "Memory" and window.readiness_view is not None
