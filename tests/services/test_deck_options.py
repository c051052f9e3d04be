"""A deck's scheduler: switching SM-2 <-> FSRS replays each card's log, loses nothing, and
is one undo step; answers under FSRS record the recall predicted before them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from quizapp.core.deck_options import DeckOptions, options_from_json
from quizapp.core.scheduler import FsrsScheduler, LoggedReview, Sm2Scheduler
from quizapp.services import study, undo
from quizapp.services.collection import Collection
from quizapp.services.deck_options import DeckOptionsError, deck_options, set_deck_options
from quizapp.storage.tables import CardRow, CardState, ReviewLog
from tests.conftest import FakeClock
from tests.helpers.decks import SAMPLE_ID
from tests.helpers.study import answer_current, logs
from tests.helpers.undo_checks import dump

FSRS = DeckOptions(scheduler="fsrs")


def study_for_a_while(col: Collection, clock: FakeClock) -> None:
    """Two weeks of daily study: every card due is answered, one card failed each day."""
    for day in range(14):
        s = study.start_sitting(col)
        first = True
        while not s.finished:
            answer_current(col, s, right=not (first and day % 3 == 1))
            first = False
        clock.advance(days=1)


def states(col: Collection) -> dict[str, CardState]:
    with col.db.session() as session:
        rows = session.exec(select(CardRow, CardState).where(CardRow.id == CardState.card_id))
        return {card.uuid: state for card, state in rows}


def scheduled_log(col: Collection, card_id: int) -> list[LoggedReview]:
    return [
        LoggedReview(r.quality, date.fromordinal(r.study_day), r.kind)
        for r in logs(col)
        if r.card_id == card_id
    ]


def test_switching_to_fsrs_and_back_derives_each_state_from_the_log(
    col: Collection, clock: FakeClock
) -> None:
    study_for_a_while(col, clock)
    sm2_before = states(col)
    reviews_before = logs(col)
    set_deck_options(col, SAMPLE_ID, FSRS)
    assert deck_options(col, SAMPLE_ID).scheduler == "fsrs"
    fsrs = FsrsScheduler()
    for uuid, state in states(col).items():
        direct = fsrs.state_from_log(scheduled_log(col, state.card_id))
        assert (state.stability, state.difficulty, state.interval) == (
            direct.stability,
            direct.difficulty,
            direct.interval,
        ), uuid
        assert state.due_day == direct.due.toordinal()  # type: ignore[union-attr]
        assert state.last_review_day == direct.last_review.toordinal()  # type: ignore[union-attr]
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="sm2"))
    sm2 = Sm2Scheduler()
    for uuid, state in states(col).items():
        before = sm2_before[uuid]
        direct = sm2.state_from_log(scheduled_log(col, state.card_id))
        assert (state.repetitions, state.easiness_hundredths, state.interval, state.due_day) == (
            before.repetitions,
            before.easiness_hundredths,
            before.interval,
            before.due_day,
        ), uuid
        assert state.interval == direct.interval
    assert logs(col) == reviews_before  # the history itself is never touched


def test_a_switch_is_one_undo_step(col: Collection, clock: FakeClock) -> None:
    study_for_a_while(col, clock)
    before = dump(col)
    set_deck_options(col, SAMPLE_ID, FSRS)
    assert dump(col) != before
    step = undo.newest(col)
    assert step is not None and step.label == "Switch Sample to FSRS"
    undo.undo_last(col)
    assert dump(col) == before


def test_answers_under_fsrs_predict_recall_and_undo_exactly(
    col: Collection, clock: FakeClock
) -> None:
    study_for_a_while(col, clock)
    set_deck_options(col, SAMPLE_ID, FSRS)
    clock.advance(days=30)
    s = study.start_sitting(col)
    view = study.current_card(col, s)
    assert view is not None and isinstance(view.scheduler, FsrsScheduler)
    expected_recall = view.schedule.recall(view.scheduler, col.today())
    before = dump(col)
    answered = answer_current(col, s)
    newest: ReviewLog = logs(col)[-1]
    assert newest.kind == "review" and newest.predicted_recall == pytest.approx(expected_recall)
    assert 0.0 < newest.predicted_recall < 1.0  # type: ignore[operator]
    state = states(col)[answered.card_uuid]
    assert state.stability is not None and state.stability > 0
    assert state.due_day == col.today().toordinal() + answered.schedule.interval
    undo.undo_last(col)
    assert dump(col) == before


def test_sm2_answers_predict_recall_too(col: Collection, clock: FakeClock) -> None:
    study_for_a_while(col, clock)
    reviews = [r for r in logs(col) if r.kind == "review"]
    assert reviews and all(r.predicted_recall is not None for r in reviews)
    assert all(r.predicted_recall is None for r in logs(col) if r.kind in ("new", "drill"))


@pytest.mark.parametrize(
    "options",
    [
        DeckOptions(scheduler="leitner"),
        DeckOptions(scheduler="fsrs", desired_retention=0.5),
        DeckOptions(scheduler="fsrs", fsrs_parameters=(1.0,) * 3),
        DeckOptions(scheduler="fsrs", fsrs_parameters=(float("nan"),) * 21),
    ],
)
def test_options_out_of_bounds_are_refused_and_change_nothing(
    col: Collection, options: DeckOptions
) -> None:
    before = dump(col)
    with pytest.raises(DeckOptionsError):
        set_deck_options(col, SAMPLE_ID, options)
    assert dump(col) == before


@pytest.mark.parametrize(
    "stored",
    [
        "not json",
        '{"scheduler": "fsrs", "desired_retention": 1e308}',
        '{"scheduler": "fsrs", "fsrs_parameters": [1, 2]}',
        "[" * 100_000,
    ],
)
def test_a_damaged_options_row_falls_back_to_the_defaults(stored: str) -> None:
    options, problems = options_from_json(stored)
    assert problems
    assert options.desired_retention == 0.9 and options.fsrs_parameters is None


def test_a_deck_keeps_its_own_daily_limits_and_new_card_order(col: Collection) -> None:
    """Anki's per-deck limits: the deck list and the sitting both follow the deck's own
    numbers, Settings' apply again when it gives them up, and the change is one undo step."""
    settings_new = study.deck_overview(col)[0].counts.new
    assert settings_new > 2
    set_deck_options(col, SAMPLE_ID, DeckOptions(new_per_day=2, new_order="file"))
    assert study.deck_overview(col)[0].counts.new == 2
    sitting = study.start_sitting(col, [SAMPLE_ID])
    assert sitting.total == 2
    stored = deck_options(col, SAMPLE_ID)
    assert (stored.new_per_day, stored.reviews_per_day, stored.new_order) == (2, None, "file")
    undo.undo_last(col)
    assert deck_options(col, SAMPLE_ID) == DeckOptions()
    assert study.deck_overview(col)[0].counts.new == settings_new


@pytest.mark.parametrize("limit", [-1, 10_000, True, 2.5, "20"])
def test_a_daily_limit_out_of_bounds_is_refused_or_falls_back(
    col: Collection, limit: object
) -> None:
    """Stored options may come from a damaged file: a bad limit is reported and not used;
    the same value handed to the service is refused with nothing changed."""
    options, problems = options_from_json(json.dumps({"scheduler": "sm2", "new_per_day": limit}))
    assert options.new_per_day is None
    assert len(problems) == 1 and problems[0].startswith("new_per_day:")
    with pytest.raises(DeckOptionsError, match="new_per_day"):
        set_deck_options(col, SAMPLE_ID, DeckOptions(new_per_day=limit))  # type: ignore[arg-type]
    assert deck_options(col, SAMPLE_ID) == DeckOptions()


def test_the_decks_desired_retention_reaches_every_interval(
    col: Collection, clock: FakeClock
) -> None:
    """The learner simulator sweeps desired retention through FsrsScheduler directly; the
    app must give the same intervals from the deck's stored option, on switching and on
    answering, or the simulator's figures say nothing about the app."""
    study_for_a_while(col, clock)
    set_deck_options(col, SAMPLE_ID, DeckOptions(scheduler="fsrs", desired_retention=0.8))
    at_08, at_09 = FsrsScheduler(desired_retention=0.8), FsrsScheduler()
    replayed = states(col)
    for state in replayed.values():
        assert state.interval == at_08.state_from_log(scheduled_log(col, state.card_id)).interval
    longer = sum(s.interval for s in replayed.values())
    shorter = sum(
        at_09.state_from_log(scheduled_log(col, s.card_id)).interval for s in replayed.values()
    )
    assert longer > shorter  # 0.8 waits longer than 0.9 for the same memory
    clock.advance(days=30)
    answered = answer_current(col, study.start_sitting(col))
    state = states(col)[answered.card_uuid]
    direct = at_08.state_from_log(scheduled_log(col, state.card_id))
    assert (state.interval, state.stability) == (direct.interval, direct.stability)
    assert logs(col)[-1].kind == "review"
