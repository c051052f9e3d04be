"""Mock interview, report, history, cram and statistics in the real window, on a fake clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlmodel import select

from quizapp.core.grading import ChoiceAnswer, ShortAnswer
from quizapp.core.interview import InterviewConfig
from quizapp.core.queue import SessionQueue
from quizapp.services import interview, study
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardState, ReviewLog
from quizapp.ui.interview import HistoryDialog, InterviewSetupDialog, QuestionSetDialog
from quizapp.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.helpers.window import make_window, right_choice_key, start_interview

SHORT = "a0000000-0000-4000-8000-000000000004"
CHOICE = "a0000000-0000-4000-8000-000000000003"


def schedule(col: Collection) -> list[tuple[object, ...]]:
    with col.db.session() as session:
        return [tuple(s.model_dump().values()) for s in session.exec(select(CardState))]


def logs(col: Collection) -> list[ReviewLog]:
    with col.db.session() as session:
        return list(session.exec(select(ReviewLog)))


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "keyboard focus was lost"
    qtbot.keyClick(target, k, mod)


def answer_right(qtbot: QtBot, kind: str) -> None:
    """The sample deck's right answers, typed as a learner would."""
    if kind == "compiles":
        key(qtbot, Qt.Key.Key_2)
        key(qtbot, Qt.Key.Key_Escape)  # the error picker: skip naming the error
    elif kind == "output":
        target = QApplication.focusWidget()
        for i, line in enumerate(["0", "1", "2"]):
            if i:
                qtbot.keyClick(target, Qt.Key.Key_Return)
            qtbot.keyClicks(target, line)
        key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    elif kind == "choice":
        key(qtbot, right_choice_key())
        key(qtbot, Qt.Key.Key_Return)
    else:
        qtbot.keyClicks(QApplication.focusWidget(), "E0382")
        key(qtbot, Qt.Key.Key_Return)


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    return make_window(qtbot, col, sample_decks)


def test_mock_interview_with_time_outs_to_the_report(
    qtbot: QtBot, window: MainWindow, col: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    before = schedule(col)
    menu = window.study_menu
    start_interview(qtbot, window, InterviewConfig(count=4, seconds_per_question=5))
    page = menu.interview_page
    assert window.stack.currentWidget() is page
    assert page.timer.isActive() and page.countdown.text() == "0:05"
    assert page.position_label.text() == "Question 1 of 4"
    run = page.run
    assert run is not None
    kinds = [q.card.kind.value for q in run.questions]

    clock.advance(seconds=2)
    page.tick()
    assert page.countdown.text() == "0:03"
    answer_right(qtbot, kinds[0])  # right, 2 s
    assert page.position_label.text() == "Question 2 of 4"
    assert "Right" not in page.browser.toPlainText()  # no verdict during the interview

    clock.advance(seconds=6)  # the second question's time runs out
    page.tick()
    assert page.position_label.text() == "Question 3 of 4"

    clock.advance(seconds=1)
    answer_right(qtbot, kinds[2])

    # the fourth runs out on the real timer: the clock moves, the QTimer notices
    clock.advance(seconds=30)
    with qtbot.wait_signal(page.finished, timeout=3000):
        pass
    report = menu.report_page
    assert window.stack.currentWidget() is report
    text = report.browser.toPlainText()
    assert "Score: 2 / 4 (50 %)" in text
    assert "time ran out" in text and "Right answer:" in text
    assert "5 s per question" in text
    assert report.report is not None
    assert [q.seconds for q in report.report.questions] == [2.0, 5.0, 1.0, 5.0]
    assert not page.timer.isActive()

    # SM-2 untouched, nothing in the review log
    assert schedule(col) == before and logs(col) == []

    # saving as Markdown and HTML
    md = report.save(tmp_path / "r.md")
    html = report.save(tmp_path / "r.html")
    assert md is not None and "**Score: 2 / 4 (50 %)**" in md.read_text()
    assert html is not None and html.read_text().startswith("<!doctype html>")

    # the history reopens it
    dialog = HistoryDialog(col, window)
    qtbot.add_widget(dialog)
    assert dialog.list.count() == 1 and dialog.chosen() == report.uuid
    assert "2 / 4 (50 %)" in dialog.list.item(0).text()

    # a weakest-topic link starts cramming that section: a real link on the page
    assert 'href="quizapp:cram?section=Testing"' in report.browser.toHtml()
    report.follow_link(QUrl("quizapp:cram?section=Testing"))
    assert window.stack.currentWidget() is menu.cram_page
    assert menu.cram_page.deck_label.text() == "Cram · Testing"

    # only when asked do the answers feed SM-2
    window.stack.setCurrentWidget(report)
    report.feed()
    assert len(logs(col)) == 2 and schedule(col) != before
    assert not report.feed_button.isEnabled()


def test_session_limit_and_ending_early(
    qtbot: QtBot, window: MainWindow, col: Collection, clock: FakeClock
) -> None:
    menu = window.study_menu
    start_interview(
        qtbot, window, InterviewConfig(count=4, seconds_per_question=None, seconds_per_session=60)
    )
    page = menu.interview_page
    assert page.countdown.text() == "1:00"
    clock.advance(seconds=50)
    page.tick()
    assert page.countdown.styleSheet().count("color") == 1 and page.countdown.text() == "0:10"
    page.end_now()
    assert window.stack.currentWidget() is menu.report_page
    assert "Score: 0 / 4 (0 %)" in menu.report_page.browser.toPlainText()


def test_setup_dialog_and_hand_picked_sets(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    picker = QuestionSetDialog(col, window)
    qtbot.add_widget(picker)
    picker.name.setText("Errors")
    picker.filter.setText("error code")
    picker.check([SHORT])
    assert picker.chosen() == [SHORT]
    picker.save()
    assert picker.saved_name == "Errors"

    setup = InterviewSetupDialog(col, window)
    qtbot.add_widget(setup)
    assert setup.source.count() == 2
    setup.source.setCurrentIndex(1)
    setup.per_question.setValue(20)
    config = setup.config()
    assert (config.set_name, config.seconds_per_question, config.seconds_per_session) == (
        "Errors",
        20,
        None,
    )
    assert not setup.count.isEnabled() and setup.export_button.isEnabled()
    setup.source.setCurrentIndex(0)
    setup.all_sections.setChecked(False)
    setup.sections.item(0).setCheckState(Qt.CheckState.Checked)
    assert setup.sections.item(0).text() == "Sample"  # the deck's name; its section is "Testing"
    assert setup.config().sections == ("Testing",)

    start_interview(qtbot, window, config)
    page = window.study_menu.interview_page
    assert page.run is not None and [q.card.id for q in page.run.questions] == [SHORT]
    answer_right(qtbot, "short")
    assert "Score: 1 / 1 (100 %)" in window.study_menu.report_page.browser.toPlainText()


def test_cram_in_the_window_leaves_the_schedule(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    before = schedule(col)
    menu = window.study_menu
    menu.start_cram(section="Testing")
    page = menu.cram_page
    while window.stack.currentWidget() is page:
        assert page.view is not None
        kind = page.view.card.kind.value
        if kind == "flashcard":
            key(qtbot, Qt.Key.Key_Space)
        else:
            answer_right(qtbot, kind)
        assert "schedule kept" in page.grade_buttons[2].text()
        key(qtbot, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.summary
    assert window.summary.values["answered"].text() == "5"
    assert "schedule is unchanged" in window.summary.title.text()
    assert schedule(col) == before
    assert {r.kind for r in logs(col)} == {"cram"} and len(logs(col)) == 5


def answer(col: Collection, uuid: str, given: object, quality: int) -> None:
    sitting = study.Sitting((), SessionQueue(pending=(uuid,)), 1)
    view = study.current_card(col, sitting)
    assert view is not None
    study.answer_card(col, sitting, view, given, quality, seconds=3)  # type: ignore[arg-type]


def test_statistics_window_shows_the_figures(
    qtbot: QtBot, window: MainWindow, col: Collection, clock: FakeClock
) -> None:
    today = col.today().toordinal()
    for day in range(8):
        answer(col, SHORT, ShortAnswer("no"), 1)
        if day < 3:
            answer(col, CHOICE, ChoiceAnswer(frozenset({0})), 1)
        clock.advance(days=1)
    stats_window = window.study_menu.open_statistics()
    qtbot.wait_until(stats_window.isVisible)
    qtbot.wait_until(lambda: stats_window.stats is not None)  # computed in a worker
    s = stats_window.stats
    assert s is not None and s.reviews_per_day[today] == 2 and s.streak.current == 8
    tabs = [stats_window.tabs.tabText(i) for i in range(stats_window.tabs.count())]
    assert tabs == [
        "Overview",
        "Sections",
        "Intervals and easiness",
        "Misconceptions (1)",
        "Leeches (1)",
        "Memory",
    ]
    assert stats_window.heatmap.per_day == s.reviews_per_day
    bars = stats_window.forecast_view.chart().series()[0].barSets()[0]
    assert [bars.at(i) for i in range(3)] == [2.0, 0.0, 0.0]  # both failed cards due today

    leech = stats_window.current_leech()
    assert leech is not None and leech.card.id == SHORT and leech.failures == 8
    assert "Which error code" in stats_window.leech_detail.toPlainText()
    stats_window.toggle_suspend()
    assert stats_window.current_leech() is not None
    assert stats_window.current_leech().suspended  # type: ignore[union-attr]
    assert stats_window.suspend_button.text() == "Unsuspend"
    stats_window.close()


def test_the_submit_button_says_it_records_and_moves_on(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    """No verdict is shown in an interview, so the button does not promise a "Check"."""
    from PySide6.QtWidgets import QPushButton

    menu = window.study_menu
    start_interview(qtbot, window, InterviewConfig(count=4))
    page = menu.interview_page
    run = page.run
    assert run is not None
    seen: list[str] = []
    while run.current is not None:
        assert page.input is not None
        texts = [b.text() for b in page.input.findChildren(QPushButton)]
        assert not any(t.startswith("Check") for t in texts), texts
        last = run.current.position == len(run.questions)
        then = "finish" if last else "next question"
        recorded = [t for t in texts if t.startswith("Record answer")]
        assert all(t.startswith(f"Record answer, {then}") for t in recorded), recorded
        seen += recorded
        answer_right(qtbot, run.current.card.kind.value)
    assert seen  # output, choice and short cards have one; compiles cards their two choices


def test_the_interview_input_sits_right_under_the_question(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1440, 900)
    menu = window.study_menu
    start_interview(qtbot, window, InterviewConfig(count=3))
    page = menu.interview_page
    assert page.input is not None
    qtbot.wait_until(lambda: page.input is not None and page.input.isVisible())
    question_bottom = page.browser.mapTo(page, page.browser.rect().bottomLeft()).y()
    input_top = page.input.mapTo(page, page.input.rect().topLeft()).y()
    assert 0 <= input_top - question_bottom < 40  # not pinned to the window's bottom
    assert page.browser.height() < 600  # as tall as its text


def test_an_interview_shuffles_a_choice_cards_options_and_grades_the_option_picked(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    """As in study, the options come in a fresh order (what is known, not where it sat), and
    the pick is graded and kept as the file's option."""
    interview.save_question_set(col, "one choice", [CHOICE])
    menu = window.study_menu
    start_interview(qtbot, window, InterviewConfig(count=1, set_name="one choice"))
    page = menu.interview_page
    shown = page.shown
    assert shown is not None and shown.card.kind.value == "choice"
    original = page.run.questions[0].card  # type: ignore[union-attr]
    assert sorted(shown.order) == list(range(len(original.options)))
    assert shown.order != tuple(range(len(original.options)))  # this seed moves them
    assert [original.options[i] for i in shown.order] == list(shown.card.options)
    key(qtbot, right_choice_key())
    with qtbot.wait_signal(page.finished, timeout=3000):
        key(qtbot, Qt.Key.Key_Return)
    report = menu.report_page.report
    assert report is not None
    (asked,) = report.questions
    assert asked.correct
    assert json.loads(asked.answer) == {"selected": list(original.answer_indexes)}
