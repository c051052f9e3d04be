"""Predicted recall, readiness and their calibration, on a real collection."""

from __future__ import annotations

import json
import random

import pytest

from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, ShortAnswer
from quizapp.core.interview import InterviewConfig
from quizapp.core.readiness import NEW_CARD_PRIOR_WEIGHT, NEW_CARD_RECALL
from quizapp.services import interview, memory, study
from quizapp.services.collection import Collection
from quizapp.storage import stats_repo
from tests.conftest import FakeClock
from tests.helpers.study import answer_current, logs

COMPILES = "a0000000-0000-4000-8000-000000000001"
OUTPUT = "a0000000-0000-4000-8000-000000000002"
SHORT = "a0000000-0000-4000-8000-000000000004"


def test_a_new_collection_is_ready_at_the_stated_prior(col: Collection) -> None:
    assert memory.section_readiness(col) == {"Testing": pytest.approx(NEW_CARD_RECALL)}
    assert all(c.recall is None for c in memory.card_recalls(col))


def test_recall_falls_with_time_and_every_scheduled_answer_is_calibrated(
    col: Collection, clock: FakeClock
) -> None:
    for _day in range(8):
        s = study.start_sitting(col)
        while not s.finished:
            answer_current(col, s)
        clock.advance(days=1)
    soon = {c.card_uuid: c.recall for c in memory.card_recalls(col)}
    clock.advance(days=60)
    later = {c.card_uuid: c.recall for c in memory.card_recalls(col)}
    assert all(later[u] < soon[u] for u in soon)  # type: ignore[operator]
    report = memory.memory_report(col)
    reviews = [r for r in logs(col) if r.kind == "review"]
    assert report.predictions == len(reviews) > 0
    assert report.rmse is not None and 0.0 <= report.rmse <= 1.0
    # every first answer was right: new cards count at the prior pulled up by 5 successes
    first = 5
    assert report.new_card_recall == pytest.approx(
        (first + NEW_CARD_RECALL * NEW_CARD_PRIOR_WEIGHT) / (first + NEW_CARD_PRIOR_WEIGHT)
    )
    assert report.readiness["Testing"] == pytest.approx(
        sum(later.values()) / len(later)  # type: ignore[arg-type]
    )


def test_an_interview_keeps_the_readiness_it_was_asked_under_and_scores_it(
    col: Collection,
) -> None:
    ready = memory.section_readiness(col)["Testing"]
    run = interview.start_interview(col, InterviewConfig(count=3), random.Random(1))
    with col.db.session() as session:
        row = stats_repo.get_interview(run.uuid, session=session)
    assert row is not None
    stored = json.loads(row.config)[memory.PREDICTED_KEY]
    assert stored == [round(ready, 4)] * len(run.questions)
    right = {COMPILES: CompilesAnswer(False, "E0382"), OUTPUT: OutputAnswer("0\n1\n2\n")}
    outcomes = []
    while run.current is not None:
        card = run.current.card
        if card.kind.value == "choice":
            wrong: object = ChoiceAnswer(frozenset({0}))
        else:
            wrong = ShortAnswer("not it")
        outcomes.append(interview.answer_question(col, run, right.get(card.id, wrong)))  # type: ignore[arg-type]
    interview.finish_interview(col, run)
    [point] = memory.memory_report(col).interviews
    p = round(ready, 4)
    expected = sum((p - o) ** 2 for o in outcomes) / len(outcomes)
    assert point.brier == pytest.approx(expected) and point.running_brier == pytest.approx(expected)
    assert point.score == pytest.approx(sum(outcomes) / len(outcomes))
