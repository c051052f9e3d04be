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


def answer_on_days(
    col: Collection, clock: FakeClock, answers_then_gaps: list[tuple[int, int]]
) -> None:
    """For each (answers, days): answer SHORT that many times today, then let days pass."""
    for answers, days in answers_then_gaps:
        for _ in range(answers):
            sitting = study.Sitting((), SessionQueue(pending=(SHORT,)), 1)
            view = study.current_card(col, sitting)
            assert view is not None
            study.answer_card(col, sitting, view, ShortAnswer("no"), 1, seconds=3)
        clock.advance(days=days)


def test_the_first_figures_read_only_the_heatmaps_weeks_yet_equal_the_whole(
    qtbot: QtBot, col: Collection, clock: FakeClock
) -> None:
    """The first figures count answers only over the heatmap's weeks (the streak needs only
    which days were studied); a longer, busier run a year ago still counts in the streak,
    and both heatmaps, the first and the Overview's, are the same, shades included."""
    # three days in a row a year ago, the first the busiest day ever; then two days to now
    answer_on_days(col, clock, [(3, 1), (1, 1), (1, 300), (1, 1), (1, 1)])
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    first, whole = window.first, window.stats
    assert first is not None and whole is not None
    assert first.streak == whole.streak
    assert (first.streak.current, first.streak.longest, first.streak.study_days) == (2, 3, 5)
    assert first.answers_today == 0 and first.cards == whole.cards
    recent = {first.today - 2: 1, first.today - 1: 1}
    assert first.answers_per_day == recent  # the year-old days were never counted
    assert sum(whole.reviews_per_day.values()) == 7
    assert window.busy_heatmap.per_day == window.heatmap.per_day == recent
    shades = [window.heatmap.level(n) for n in range(4)]
    assert shades == [window.busy_heatmap.level(n) for n in range(4)] == [0, 4, 4, 4]


def test_the_rest_is_summed_only_once_the_first_figures_are_drawn(
    qtbot: QtBot, col: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker waits for the first figures to be on screen before the long sums, which
    would share the GIL with their drawing."""
    fail_eight_times(col, clock)
    events: list[str] = []
    real_sum, real_draw = stats.collection_stats, StatsWindow._draw_first

    def summed(collection: Collection) -> object:
        events.append("summed")
        return real_sum(collection)

    def drawn(self: StatsWindow, first: stats.FirstFigures) -> None:
        real_draw(self, first)
        events.append("drawn")

    monkeypatch.setattr(stats, "collection_stats", summed)
    monkeypatch.setattr(StatsWindow, "_draw_first", drawn)
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    assert events == ["drawn", "summed"]
