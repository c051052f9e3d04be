"""Cram leaves SM-2 alone; the statistics service reads the same figures from a real log;
leeches can be suspended and come with their guide section."""

from __future__ import annotations

import random

import pytest
from sqlmodel import select

from quizapp.core.grading import (
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
)
from quizapp.core.stats import Retention
from quizapp.services import cram, stats, study
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardState
from tests.conftest import FakeClock
from tests.helpers.study import logs, undo_answer

COMPILES = "a0000000-0000-4000-8000-000000000001"
CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"


def schedule(col: Collection) -> list[tuple[object, ...]]:
    with col.db.session() as session:
        return [tuple(s.model_dump().values()) for s in session.exec(select(CardState))]


def test_cram_logs_answers_but_never_touches_card_state(col: Collection) -> None:
    before = schedule(col)
    sitting = cram.start_cram(col, section="Testing", rng=random.Random(2))
    assert sitting.total == 5 and sitting.label == "Testing"
    seen = 0
    while not sitting.finished:
        view = study.current_card(col, sitting)
        assert view is not None
        if view.card.id == CHOICE and seen == 0:
            study.answer_card(col, sitting, view, ChoiceAnswer(frozenset({0})), 1, seconds=2)
            seen += 1
            continue
        right = {
            "compiles": CompilesAnswer(False, "E0382"),
            "output": OutputAnswer("0\n1\n2"),
            "choice": ChoiceAnswer(frozenset({1})),
            "short": ShortAnswer("E0382"),
            "flashcard": SelfGraded(),
        }[view.card.kind.value]
        study.answer_card(col, sitting, view, right, 4, seconds=1)
    rows = logs(col)
    assert len(rows) == 6  # the failed choice card came back once
    assert {r.kind for r in rows} == {"cram"}
    assert schedule(col) == before
    assert sitting.answered == 6 and sitting.correct == 5
    # undo takes back the last cram answer only
    assert undo_answer(col, sitting) is not None
    assert len(logs(col)) == 5 and sitting.answered == 5
    # cram answers do not use up today's new-card limit
    assert study.deck_overview(col)[0].counts.new == 5


def test_cram_by_tag_and_deck_and_nothing(col: Collection) -> None:
    assert cram.start_cram(col, tag="ownership").queue.pending == (COMPILES,)
    deck = study.deck_overview(col)[0].uuid
    assert cram.start_cram(col, deck_uuid=deck, limit=2).total == 2
    with pytest.raises(cram.NothingToCram):
        cram.start_cram(col, tag="nope")
    targets = cram.cram_targets(col)
    assert targets.sections == ["Testing"] and targets.tags == ["ownership"]


def answer(col: Collection, uuid: str, given: object, quality: int) -> None:
    from quizapp.core.queue import SessionQueue

    sitting = study.Sitting(deck_uuids=(), queue=SessionQueue(pending=(uuid,)), total=1)
    view = study.current_card(col, sitting)
    assert view is not None
    study.answer_card(col, sitting, view, given, quality, seconds=3)  # type: ignore[arg-type]


def test_statistics_from_real_answers(col: Collection, clock: FakeClock) -> None:
    today = col.today().toordinal()
    answer(col, SHORT, ShortAnswer("E0382"), 4)  # new, passed: I = 1
    answer(col, CHOICE, ChoiceAnswer(frozenset({0})), 1)  # new, failed
    clock.advance(days=1)
    answer(col, SHORT, ShortAnswer("E0382"), 5)  # review, passed: I = 6
    answer(col, CHOICE, ChoiceAnswer(frozenset({2})), 1)  # review, failed again
    s = stats.collection_stats(col)
    assert s.today == today + 1
    assert s.reviews_per_day == {today: 2, today + 1: 2}
    assert (s.streak.current, s.streak.longest) == (2, 2)
    assert s.retention == Retention(2, 4)
    assert s.mastery.new == 3 and s.mastery.learning == 1 and s.mastery.young == 1
    assert s.forecast[1] == 1 and s.forecast[6] == 1  # the choice card tomorrow, short in 6 days
    assert [(m.chosen_index, m.count) for m in s.misconceptions] == [(0, 1), (2, 1)]
    assert "`Copy` says nothing about threads" in s.misconceptions[1].why


def test_leeches_show_their_guide_section_and_can_be_suspended(
    col: Collection, clock: FakeClock
) -> None:
    for _ in range(8):
        answer(col, SHORT, ShortAnswer("no"), 1)
        clock.advance(days=1)
    s = stats.collection_stats(col)
    assert [(leech.card_uuid, leech.failures) for leech in s.leeches] == [(SHORT, 8)]
    [view] = stats.leech_views(col, s.leeches)
    assert view.section == "Testing" and view.guide is None  # the guide has no "Testing"
    assert not view.suspended
    stats.suspend_card(col, SHORT)
    assert stats.leech_views(col, s.leeches)[0].suspended
    assert study.deck_overview(col)[0].cards == 5
    assert SHORT not in study.start_sitting(col).queue.pending
    with pytest.raises(LookupError):
        stats.suspend_card(col, "nope")


def test_the_guide_ships_with_a_section_per_deck() -> None:
    from quizapp.core.stats import guide_section

    guide = stats.read_guide()
    text = guide_section(guide, "Concurrency: Fearless Parallelism Through Types")
    assert text is not None and "Send" in text
