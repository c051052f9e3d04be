"""The statistics' Memory tab, drawn from a collection with a known log: readiness per
section, recall calibration against the log's own (prediction, grade) pairs binned here by
hand, and a mock interview's readiness against its score."""

from __future__ import annotations

import random
import sqlite3

import pytest
from PySide6.QtCharts import QBarSeries, QChartView, QHorizontalBarSeries, QLineSeries
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, ShortAnswer
from quizapp.core.interview import InterviewConfig
from quizapp.services import interview, memory, study
from quizapp.services.collection import Collection
from quizapp.ui.stats_window import NO_INTERVIEWS, NO_PREDICTIONS, StatsWindow
from tests.conftest import FakeClock
from tests.helpers.study import answer_current

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"


def loaded(qtbot: QtBot, col: Collection) -> StatsWindow:
    window = StatsWindow(col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    assert window.tabs.tabText(window.tabs.count() - 1) == "Memory"
    return window


def line(view: QChartView, name: str) -> list[tuple[float, float]]:
    [series] = [s for s in view.chart().series() if s.name().startswith(name)]
    assert isinstance(series, QLineSeries)
    return [(p.x(), p.y()) for p in series.points()]


def by_hand(col: Collection) -> list[tuple[float, float, int]]:
    """(mean prediction, share passed, count) per tenth, straight from the log's rows."""
    conn = sqlite3.connect(col.db.path)
    try:
        rows = conn.execute(
            "SELECT predicted_recall, quality FROM review_log "
            "WHERE predicted_recall IS NOT NULL AND kind IN ('new', 'review')"
        ).fetchall()
    finally:
        conn.close()
    bins: dict[int, list[tuple[float, int]]] = {}
    for p, q in rows:
        bins.setdefault(min(int(p * 10), 9), []).append((p, q))
    return [
        (
            sum(p for p, _ in pairs) / len(pairs),
            sum(q >= 3 for _, q in pairs) / len(pairs),
            len(pairs),
        )
        for _, pairs in sorted(bins.items())
    ]


def test_the_memory_tab_draws_the_log(qtbot: QtBot, col: Collection, clock: FakeClock) -> None:
    for day in range(12):  # every day's first card is failed every third day
        s = study.start_sitting(col)
        first = True
        while not s.finished:
            answer_current(col, s, right=not (first and day % 3 == 2))
            first = False
        clock.advance(days=1 + day % 4)
    ready = memory.section_readiness(col)["Testing"]
    run = interview.start_interview(col, InterviewConfig(count=4), random.Random(2))
    right = {COMPILES: CompilesAnswer(False, "E0382"), OUTPUT: OutputAnswer("0\n1\n2\n")}
    outcomes = []
    while run.current is not None:
        card = run.current.card
        wrong = ChoiceAnswer(frozenset({0})) if card.kind.value == "choice" else ShortAnswer("?")
        outcomes.append(interview.answer_question(col, run, right.get(card.id, wrong)))  # type: ignore[arg-type]
    interview.finish_interview(col, run)

    window = loaded(qtbot, col)
    assert window.memory is not None

    [bars] = window.readiness_view.chart().series()
    assert isinstance(bars, QHorizontalBarSeries) and not isinstance(bars, QBarSeries)
    assert bars.barSets()[0].at(0) == round(memory.section_readiness(col)["Testing"] * 100)

    expected = by_hand(col)
    count = sum(n for *_, n in expected)
    assert count >= 10 and len(expected) >= 2  # several bins, not one
    drawn = line(window.calibration_view, "remembered")
    flat = [v for point in drawn for v in point]
    assert flat == pytest.approx([v for p, o, _ in expected for v in (p * 100, o * 100)])
    assert line(window.calibration_view, "perfect") == [(0.0, 0.0), (100.0, 100.0)]
    title = window.calibration_view.chart().title()
    squares = sum(n * (p - o) ** 2 for p, o, n in expected)
    assert f"RMSE over bins {(squares / count) ** 0.5:.3f}" in title
    assert f"{count:,} answers" in title

    p = round(ready, 4)
    brier = sum((p - o) ** 2 for o in outcomes) / len(outcomes)
    assert f"running Brier {brier:.3f}" in window.interviews_view.chart().title()
    [(_, predicted)] = line(window.interviews_view, "readiness predicted")
    [(_, score)] = line(window.interviews_view, "score")
    assert predicted == pytest.approx(p * 100)
    assert score == pytest.approx(100 * sum(outcomes) / len(outcomes))

    window.grab()  # draws without complaint
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_empty_charts_say_why(qtbot: QtBot, col: Collection) -> None:
    window = loaded(qtbot, col)
    assert NO_PREDICTIONS in window.calibration_view.chart().title()
    assert NO_INTERVIEWS in window.interviews_view.chart().title()
    assert line(window.calibration_view, "remembered") == []
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
