"""The study screen a new learner meets (issue 12): grades that say what they change, the
shuffled options, the answer column, nothing clipped, Esc, the welcome and the keys."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.core.interview import InterviewConfig
from quizapp.core.option_order import showing_seed, shuffled
from quizapp.core.queue import SessionQueue
from quizapp.services import deck_options, guidance, interview, study
from quizapp.services.collection import Collection, open_collection
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow
from quizapp.ui.study_page import COLUMN_WIDTH, StudyPage, interval_text
from tests.conftest import FakeClock
from tests.helpers.study import logs
from tests.helpers.window import key, make_window, start_interview, type_text

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASHCARD = "a0000000-0000-4000-8000-000000000005"
SAMPLE_DECK = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    return make_window(qtbot, col, sample_decks)


def show(window: MainWindow, *uuids: str) -> StudyPage:
    """The study page over just these cards, in this order."""
    sitting = study.Sitting((SAMPLE_DECK,), SessionQueue(pending=uuids), len(uuids))
    window.stack.setCurrentWidget(window.study)
    window.study.start(sitting)
    return window.study


def details(page: StudyPage) -> list[str]:
    """Each enabled grade button's lines under its name: what the grade changes."""
    return [" · ".join(b.text().split("\n")[1:]) for b in page.grade_buttons if b.isEnabled()]


def test_each_pass_grade_shows_its_interval_the_one_after_and_change_of_ease(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_2)  # right: does not compile
    key(qtbot, Qt.Key.Key_Escape)  # the error picker: skip naming the code
    assert page.verdict is not None and page.verdict.correct
    # SM-2 on a new card: 1 day whatever the grade, 6 after a Good then; the ease differs
    assert details(page) == [
        "1d, then 6d · ease −0.14",
        "1d, then 6d · ease ±0",
        "1d, then 6d · ease +0.10",
    ]
    assert len(set(details(page))) == 3
    assert not page.fail_note.isVisible()
    assert [b.property("grade") for b in page.grade_buttons] == ["", "hard", "good", "easy"]
    assert all(b.toolTip() for b in page.grade_buttons if b.isEnabled())
    assert "comes back once more today" in page.grade_buttons[1].toolTip()
    assert "ease is how fast its intervals grow" in page.legend.text()


def test_the_interval_after_next_follows_the_ease_each_grade_leaves(
    qtbot: QtBot, window: MainWindow, col: Collection, clock: FakeClock
) -> None:
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_2)
    key(qtbot, Qt.Key.Key_Escape)
    key(qtbot, Qt.Key.Key_3)  # Good: 1 day
    clock.advance(days=1)
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_2)
    key(qtbot, Qt.Key.Key_Escape)
    # second pass: 6 days, then ceil(6 × the ease this grade leaves): 2.36, 2.5, 2.6
    assert details(page) == [
        "6d, then 15d · ease −0.14",
        "6d, then 15d · ease ±0",
        "6d, then 16d · ease +0.10",
    ]


def test_fail_grades_are_red_say_what_each_records_and_once_what_they_all_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_1)  # wrong: it does not compile
    assert page.verdict is not None and page.verdict.correct is False
    assert details(page) == ["did not know it", "thought I knew it", "knew it, slipped"]
    labels = [b.text().split("\n")[0] for b in page.grade_buttons if b.isEnabled()]
    assert labels == ["No idea  (1)", "Wrong  (2)", "Slip  (3)"]
    # SM-2 restarts the card alike on every fail and keeps its ease: said once, not thrice
    note = page.fail_note.text()
    assert page.fail_note.isVisible()
    assert "No idea, Wrong and Slip all restart the card alike (1d, then 1d, ease ±0)" in note
    assert "differ only in what your review history records" in note
    # Slip is a fail: red like the others, never green
    assert [b.property("grade") for b in page.grade_buttons[:3]] == ["again"] * 3
    tips = {b.toolTip() for b in page.grade_buttons[:3]}
    assert len(tips) == 3 and all("fail" in t for t in tips)


def test_flashcard_grades_differ_alike(qtbot: QtBot, window: MainWindow) -> None:
    page = show(window, FLASHCARD)
    key(qtbot, Qt.Key.Key_Space)
    shown = details(page)
    assert shown == [
        "1d, then 1d · ease ±0",  # Again: starts over, so a Good next time gives 1 day again
        "1d, then 6d · ease −0.14",
        "1d, then 6d · ease ±0",
        "1d, then 6d · ease +0.10",
    ]
    assert not page.fail_note.isVisible()  # one fail grade: nothing to tell apart


def test_under_fsrs_the_grades_show_both_intervals_and_nothing_about_ease(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    from quizapp.core.grade_preview import preview_grades

    options = deck_options.deck_options(col, SAMPLE_DECK)
    deck_options.set_deck_options(col, SAMPLE_DECK, replace(options, scheduler="fsrs"))
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_2)
    key(qtbot, Qt.Key.Key_Escape)  # skip the error picker
    assert page.view is not None and page.view.scheduler.name == "fsrs"
    shown = details(page)
    assert all("ease" not in d and ", then " in d for d in shown)
    assert all("ease" not in b.toolTip() for b in page.grade_buttons if b.isEnabled())
    assert "ease" not in page.legend.text() and "desired retention" in page.legend.text()
    assert len(set(shown)) == 3  # Hard, Good and Easy schedule differently under FSRS
    previews = preview_grades(page.view.schedule, page.view.scheduler, col.today())
    expected = [
        f"{interval_text(previews[q].interval)}, then {interval_text(previews[q].then)}"
        for q in (3, 4, 5)
    ]
    assert shown == expected
    firsts = [previews[q].interval for q in (3, 4, 5)]
    thens = [previews[q].then for q in (3, 4, 5)]
    assert firsts == sorted(firsts) and thens == sorted(set(thens))
    assert all(t > f for f, t in zip(firsts, thens, strict=True))
    # and what a grade promises is what it does
    key(qtbot, Qt.Key.Key_4)  # Easy
    stored = logs(col)[-1]
    assert stored.quality == 5 and stored.interval_after == previews[5].interval


def test_under_fsrs_the_fail_grades_say_once_what_they_all_do(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    options = deck_options.deck_options(col, SAMPLE_DECK)
    deck_options.set_deck_options(col, SAMPLE_DECK, replace(options, scheduler="fsrs"))
    page = show(window, COMPILES)
    key(qtbot, Qt.Key.Key_1)  # wrong
    assert details(page) == ["did not know it", "thought I knew it", "knew it, slipped"]
    note = page.fail_note.text()
    assert "all restart the card alike (1d, then " in note and "ease" not in note


def test_the_legend_shows_until_the_grades_were_used_a_few_times(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    for n in range(guidance.LEGEND_UNTIL):
        page = show(window, FLASHCARD)
        key(qtbot, Qt.Key.Key_Space)
        assert page.legend.isVisible()
        key(qtbot, Qt.Key.Key_3)
        assert guidance.read_guidance(col).grades_used == n + 1
    page = show(window, FLASHCARD)
    key(qtbot, Qt.Key.Key_Space)
    assert not page.legend.isVisible()
    assert len(col.undo.steps()) == len(logs(col))  # counting grades adds no undo step


def test_choice_options_are_shuffled_per_showing_and_graded_by_option(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    page = show(window, CHOICE)
    assert page.shown is not None and page.view is not None
    day = col.today().toordinal()
    assert page.shown == shuffled(page.view.card, showing_seed(CHOICE, day, 0))  # seeded
    orders = {shuffled(page.view.card, showing_seed(CHOICE, day, step)).order for step in range(12)}
    assert len(orders) > 1  # a new order on other showings
    right_shown = page.shown.card.answer_indexes[0]
    assert page.shown.card.options[right_shown] == "`T: Send + 'static`"
    key(qtbot, Qt.Key(Qt.Key.Key_1 + right_shown))
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None and page.verdict.correct
    # the answer view lists the options in the order they were shown
    text = page.answer_view.toPlainText()
    positions = [text.index(o.strip("`")) for o in page.shown.card.options]
    assert positions == sorted(positions)
    key(qtbot, Qt.Key.Key_Return)
    assert json.loads(logs(col)[-1].answer) == {"selected": [1]}  # the option, as filed


def test_a_wrong_output_shows_a_line_diff_and_no_big_input(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = show(window, OUTPUT)
    type_text(qtbot, "0\n2")
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.verdict is not None and page.verdict.correct is False
    assert page.input is not None and not page.input.isVisible()
    text = page.answer_view.toPlainText()
    assert "Your answer against the output" in text
    assert "+ 1" in text and "  0" in text and "  2" in text


def test_the_diagnostic_comes_after_the_explanation_and_stays_folded(
    qtbot: QtBot, window: MainWindow, col: Collection, sample_decks: Path
) -> None:
    from quizapp.core.model import Checked

    page = show(window, COMPILES)
    assert page.view is not None
    card = page.view.card
    from quizapp.core.checked import card_digest

    diagnostic = "error[E0382]: borrow of moved value: `s`\n"
    checked = Checked(rustc="rustc 1.95.0 (x)", diagnostic=diagnostic, digest=card_digest(card))
    page.view = replace(page.view, card=replace(card, checked=checked))
    assert page.shown is not None
    page.shown = replace(page.shown, card=page.view.card)
    key(qtbot, Qt.Key.Key_2)
    key(qtbot, Qt.Key.Key_Escape)  # skip the error picker
    assert "moves the" in page.answer_view.toPlainText()
    assert "borrow of moved value" not in page.answer_view.toPlainText()
    assert "borrow of moved value" in page.diagnostic.toPlainText()
    assert page.diagnostic.isVisible() and page.diagnostic_toggle.isVisible()
    assert page.diagnostic.y() > page.answer_view.y()
    key(qtbot, Qt.Key.Key_D)
    assert not page.diagnostic.isVisible()
    assert guidance.read_guidance(col).diagnostic_open is False
    fresh = StudyPage(col)
    qtbot.add_widget(fresh)
    assert fresh.guidance.diagnostic_open is False  # remembered


@pytest.mark.parametrize("size", [(1024, 640), (1000, 760), (1440, 900)])
def test_nothing_is_clipped_and_the_column_is_readable(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    for uuid, keys in (
        (COMPILES, [Qt.Key.Key_2, Qt.Key.Key_Escape]),
        (FLASHCARD, [Qt.Key.Key_Space]),
    ):
        page = show(window, uuid)
        for k in keys:
            key(qtbot, k)
        qtbot.wait_until(lambda p=page: p.grade_row.isVisible())
        assert_fits(page.grade_buttons)
        assert page.column.width() <= COLUMN_WIDTH
        left = page.column.mapTo(window, page.column.rect().topLeft()).x()
        right = window.width() - left - page.column.width()
        assert abs(left - right) <= 40  # centred
        assert page.question.height() < 600  # as tall as its text, no more
    menu = window.study_menu
    menu.start_cram(deck_uuid=SAMPLE_DECK)
    cram = menu.cram_page
    if cram.view is not None and cram.view.card.kind.value == "flashcard":
        key(qtbot, Qt.Key.Key_Space)
    else:
        cram.on_submitted(study_answer_for(cram))
    assert_fits(cram.grade_buttons)
    assert "schedule kept" in " ".join(b.text() for b in cram.grade_buttons)


def study_answer_for(page: StudyPage) -> object:
    from quizapp.core.grading import ChoiceAnswer
    from tests.helpers.study import RIGHT

    assert page.shown is not None
    if page.shown.card.kind.value == "choice":  # the right option where it is shown
        return ChoiceAnswer(frozenset(page.shown.card.answer_indexes))
    return RIGHT[page.shown.card.kind]


def assert_fits(buttons: list[QPushButton]) -> None:
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        metrics = button.fontMetrics()
        for line in button.text().split("\n"):
            assert metrics.horizontalAdvance(line) < button.contentsRect().width(), line


def test_esc_leaves_a_study_session_with_its_answers_kept(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    key(qtbot, Qt.Key.Key_Return)  # study the deck
    page = window.study
    assert page.view is not None and page.shown is not None
    first = page.view.card.id
    key(qtbot, Qt.Key.Key_Escape)  # nothing answered yet: out at once
    assert window.stack.currentWidget() is window.decks
    key(qtbot, Qt.Key.Key_Return)
    assert page.view is not None and page.view.card.id == first
    if page.view.card.kind.value == "flashcard":
        key(qtbot, Qt.Key.Key_Space)
    else:
        page.on_submitted(study_answer_for(page))
    key(qtbot, Qt.Key.Key_Return)  # graded: stored
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Escape)  # from the next card's input, if it has focus
    assert window.stack.currentWidget() is window.decks
    assert len(logs(col)) == 1
    assert window.decks.tree.topLevelItem(0).text(1) == "4"  # one new card fewer


def test_esc_leaves_cram_and_an_interview(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    window.study_menu.start_cram(deck_uuid=SAMPLE_DECK)
    assert window.stack.currentWidget() is window.study_menu.cram_page
    qtbot.keyClick(window.study_menu.cram_page, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.decks
    start_interview(qtbot, window, InterviewConfig(count=3))
    page = window.study_menu.interview_page
    assert window.stack.currentWidget() is page
    qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.decks
    assert page.run is None and not page.timer.isActive()
    assert len(interview.list_history(col)) == 1  # ended and recorded, not lost


def test_question_mark_lists_the_keys_but_types_into_a_text_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window.decks.tree, "?")
    dialog = window.help_menu.shortcuts
    assert dialog is not None and dialog.isVisible()
    assert "Esc" in dialog.text.text() and "leave a study" in dialog.text.text()
    dialog.close()
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    show(window, SHORT)
    edit = QApplication.focusWidget()
    qtbot.keyClicks(edit, "why?")
    assert edit.text() == "why?"  # type: ignore[attr-defined]
    assert not dialog.isVisible()


def test_the_welcome_shows_once_and_its_sampler_has_one_card_of_each_kind(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    col = open_collection(tmp_path / "fresh", clock=clock)
    try:
        window = open_window(col, sample_decks)
        qtbot.add_widget(window)
        window.show()
        qtbot.wait_until(lambda: window.help_menu.welcome is not None)
        welcome = window.help_menu.welcome
        assert welcome is not None and welcome.isVisible()
        text = welcome.text.text()
        assert all(word in text for word in ("New", "Learning", "Due", "Flashcard", "Esc"))
        assert guidance.read_guidance(col).welcome_shown
        welcome.sampler_button.click()  # the five-minute sampler
        page = window.help_menu.sampler_page
        assert window.stack.currentWidget() is page and page.sitting is not None
        kinds = []
        while window.stack.currentWidget() is page:
            assert page.view is not None
            kinds.append(page.view.card.kind.value)
            if kinds[-1] == "flashcard":
                qtbot.keyClick(page, Qt.Key.Key_Space)
            else:
                page.on_submitted(study_answer_for(page))
            qtbot.keyClick(
                page, Qt.Key.Key_4 if page.verdict and page.verdict.correct else Qt.Key.Key_3
            )
            if len(kinds) > 10:
                break
        assert sorted(set(kinds)) == sorted(guidance.SAMPLER_KINDS)
        assert window.stack.currentWidget() is window.summary
        assert {r.kind for r in logs(col)} == {"cram"}  # the schedule is left alone
        window.close()

        again = open_window(col, sample_decks)
        qtbot.add_widget(again)
        again.show()
        qtbot.wait(50)
        assert again.help_menu.welcome is None  # shown once per collection
    finally:
        col.close()


def test_the_wheel_over_the_answer_scrolls_the_page(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    window.resize(1024, 640)
    page = show(window, OUTPUT)
    type_text(qtbot, "\n".join(str(n) for n in range(40)) + "\n" + "wide " * 80)
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    bar = page.scroll.verticalScrollBar()
    qtbot.wait_until(lambda: bar.maximum() > 0)  # the diff makes the page taller than 640
    assert page.answer_view.horizontalScrollBar().maximum() > 0  # and wider than the column
    target = page.answer_view.viewport()
    wheel = QWheelEvent(
        QPointF(10, 10),
        QPointF(target.mapToGlobal(QPoint(10, 10))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, wheel)
    # passed on: Qt hands a real (spontaneous) wheel event to the parents, the page's
    # scroll area; the view's own sideways bar does not take a vertical wheel
    assert not wheel.isAccepted()
    assert page.answer_view.horizontalScrollBar().value() == 0
    QApplication.sendEvent(page.scroll.viewport(), wheel)
    assert bar.value() > 0


def test_under_fsrs_the_grade_that_ends_a_drill_shows_the_interval_it_sets(
    qtbot: QtBot, window: MainWindow, col: Collection
) -> None:
    """FSRS takes a drill answer as a same-day review: the grade that ends the drill moves
    the interval, so its button says which (SM-2's says only "done today")."""
    from quizapp.core.grade_preview import preview_grades

    options = deck_options.deck_options(col, SAMPLE_DECK)
    deck_options.set_deck_options(col, SAMPLE_DECK, replace(options, scheduler="fsrs"))
    page = show(window, FLASHCARD, FLASHCARD)
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_1)  # Again: back in today's drill
    assert page.view is not None and page.view.is_drill
    key(qtbot, Qt.Key.Key_Space)
    previews = preview_grades(page.view.schedule, page.view.scheduler, col.today())
    shown = details(page)
    assert shown[0] == "again today"
    ends = [f"done today · {interval_text(previews[q].interval)}, then " for q in (4, 5)]
    assert [d[: len(e)] for d, e in zip(shown[-2:], ends, strict=True)] == ends
    key(qtbot, Qt.Key.Key_3)  # Good: the drill ends
    stored = logs(col)[-1]
    assert stored.kind == "drill" and stored.interval_after == previews[4].interval
