"""Mock interviews on a real collection: drawing, time-outs on a fake clock, the stored
report and history, feeding SM-2 only when asked, and question sets as deck files."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, ShortAnswer
from quizapp.core.interview import InterviewConfig, Score
from quizapp.services import interview, undo
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardState, ReviewLog
from tests.conftest import FakeClock

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"
FLASHCARD = "a0000000-0000-4000-8000-000000000005"
RIGHT = {
    COMPILES: CompilesAnswer(False, "E0382"),
    OUTPUT: OutputAnswer("0\n1\n2\n"),
    CHOICE: ChoiceAnswer(frozenset({1})),
    SHORT: ShortAnswer("E0382"),
}


def schedule(col: Collection) -> list[tuple[object, ...]]:
    with col.db.session() as session:
        return [tuple(s.model_dump().values()) for s in session.exec(select(CardState))]


def log_size(col: Collection) -> int:
    with col.db.session() as session:
        return len(list(session.exec(select(ReviewLog))))


def test_an_interview_with_time_outs_leaves_sm2_alone(col: Collection, clock: FakeClock) -> None:
    before = schedule(col)
    config = InterviewConfig(count=10, seconds_per_question=30)
    run = interview.start_interview(col, config, random.Random(3))
    assert len(run.questions) == 4  # the flashcard is never drawn
    assert FLASHCARD not in {q.card.id for q in run.questions}
    uuids = [q.card.id for q in run.questions]

    interview.begin_question(col, run)
    clock.advance(seconds=12)
    assert run.remaining(col.now()) == 18
    assert interview.answer_question(col, run, RIGHT[uuids[0]]) is True

    interview.begin_question(col, run)
    clock.advance(seconds=29)
    assert interview.time_up(col, run) is False
    clock.advance(seconds=5)
    assert interview.time_up(col, run) is True  # counted missed, 30 s recorded

    interview.begin_question(col, run)
    clock.advance(seconds=3)
    assert run.current is not None
    assert interview.answer_question(col, run, _wrong(run.current.card.id)) is False

    interview.begin_question(col, run)
    clock.advance(seconds=7)
    interview.answer_question(col, run, RIGHT[uuids[3]])
    report = interview.finish_interview(col, run)

    assert report.overall == Score(2, 4)
    assert [q.seconds for q in report.questions] == [12.0, 30.0, 3.0, 7.0]
    assert [q.timed_out for q in report.questions] == [False, True, False, False]
    assert report.total_seconds == 52.0
    assert schedule(col) == before and log_size(col) == 0

    history = interview.list_history(col)
    assert [(h.uuid, h.score, h.fed) for h in history] == [(run.uuid, Score(2, 4), False)]
    reopened = interview.load_report(col, run.uuid)
    assert reopened.overall == report.overall and reopened.missed == report.missed


def _wrong(uuid: str) -> object:
    return {
        COMPILES: CompilesAnswer(True),
        OUTPUT: OutputAnswer("nothing"),
        CHOICE: ChoiceAnswer(frozenset({0})),
        SHORT: ShortAnswer("nope"),
    }[uuid]


def test_session_time_running_out_misses_every_question_left(
    col: Collection, clock: FakeClock
) -> None:
    config = InterviewConfig(count=4, seconds_per_question=None, seconds_per_session=60)
    run = interview.start_interview(col, config, random.Random(1))
    interview.begin_question(col, run)
    clock.advance(seconds=50)
    interview.answer_question(col, run, RIGHT[run.questions[0].card.id])
    interview.begin_question(col, run)
    assert run.remaining(col.now()) == 10
    clock.advance(seconds=11)
    assert interview.time_up(col, run) is True
    assert run.finished
    report = interview.finish_interview(col, run)
    assert report.overall == Score(1, 4)
    assert [q.timed_out for q in report.questions] == [False, True, True, True]


def test_feeding_the_results_reviews_answered_cards_once(col: Collection, clock: FakeClock) -> None:
    run = interview.start_interview(col, InterviewConfig(count=4), random.Random(5))
    for i, question in enumerate(run.questions):
        interview.begin_question(col, run)
        clock.advance(seconds=2)
        interview.answer_question(col, run, None if i == 0 else RIGHT[question.card.id])
    interview.finish_interview(col, run)
    result = interview.feed_results(col, run.uuid)
    assert (result.fed, result.skipped_timeouts) == (3, 1)
    assert log_size(col) == 3
    with col.db.session() as session:
        reviewed = [s for s in session.exec(select(CardState)) if s.due_day is not None]
    assert len(reviewed) == 3 and all(s.repetitions == 1 for s in reviewed)
    assert interview.feed_results(col, run.uuid).fed == 0  # only once
    assert interview.list_history(col)[0].fed


def test_an_undone_feed_is_fed_again_not_redone(col: Collection, clock: FakeClock) -> None:
    """Redo put back the mark and the schedules but not the answers' log rows: a feed is
    answers, and an undone answer is answered again, not redone."""
    run = interview.start_interview(col, InterviewConfig(count=3), random.Random(5))
    for question in run.questions:
        interview.begin_question(col, run)
        clock.advance(seconds=2)
        interview.answer_question(col, run, RIGHT[question.card.id])
    interview.finish_interview(col, run)
    assert interview.feed_results(col, run.uuid).fed == 3
    assert undo.undo_last(col) is not None
    assert log_size(col) == 0 and not interview.list_history(col)[0].fed
    assert undo.newest_undone(col) is None and undo.redo_last(col) is None
    assert interview.feed_results(col, run.uuid).fed == 3  # fed again: mark and answers
    assert log_size(col) == 3 and interview.list_history(col)[0].fed


def test_sections_filter_and_nothing_to_ask(col: Collection) -> None:
    with pytest.raises(interview.NoQuestions):
        interview.start_interview(col, InterviewConfig(sections=("Nowhere",)), random.Random(1))
    run = interview.start_interview(
        col, InterviewConfig(sections=("Testing",), count=2), random.Random(1)
    )
    assert len(run.questions) == 2
    assert interview.list_sections(col) == ["Testing"]


def test_question_sets_save_rerun_and_travel_as_deck_files(
    col: Collection, tmp_path: Path, clock: FakeClock
) -> None:
    info = interview.save_question_set(col, "Move semantics", [SHORT, COMPILES, FLASHCARD, SHORT])
    assert info.size == 2  # the flashcard is left out, the repeat kept once
    run = interview.start_question_set(
        col, "Move semantics", InterviewConfig(seconds_per_question=20)
    )
    assert [q.card.id for q in run.questions] == [SHORT, COMPILES]
    assert run.config.set_name == "Move semantics" and run.config.seconds_per_question == 20
    for q in run.questions:
        interview.begin_question(col, run)
        interview.answer_question(col, run, RIGHT[q.card.id])
    assert interview.finish_interview(col, run).title == "Move semantics"

    path = interview.export_question_set(col, "Move semantics", tmp_path / "set.toml")
    text = path.read_text()
    assert 'name = "Move semantics"' in text and SHORT in text and OUTPUT not in text
    assert interview.delete_question_set(col, "Move semantics")
    assert interview.list_question_sets(col) == []
    back = interview.import_question_set(col, path)
    assert (back.name, back.size) == ("Move semantics", 2)
    assert interview.question_set_cards(col, "Move semantics") == [SHORT, COMPILES]

    with pytest.raises(interview.QuestionSetError, match="needs a name"):
        interview.save_question_set(col, "  ", [SHORT])
    with pytest.raises(interview.QuestionSetError, match="no question set"):
        interview.start_question_set(col, "Missing")
    broken = tmp_path / "broken.toml"
    broken.write_text("format = 1\n[deck]\nname = 3\n")
    with pytest.raises(interview.QuestionSetError, match=r"broken\.toml"):
        interview.import_question_set(col, broken)
