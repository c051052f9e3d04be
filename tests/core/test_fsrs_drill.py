"""Under FSRS a same-day drill answer is a same-day review (FSRS-6's short-term stability),
and every path that builds a schedule takes it the same way: answering (`review_card`),
a log replayed after a merge (`log_replay`), a deck switched (`state_from_log`) and the
optimizer's training histories. SM-2 keeps its rule: drill answers move nothing."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.fsrs_optimizer import TrainingHistory, training_items
from quizapp.core.log_replay import replay
from quizapp.core.review import Mode, Schedule, review_card
from quizapp.core.scheduler import (
    DEFAULT_FSRS_PARAMETERS,
    FsrsScheduler,
    LoggedReview,
    Sm2Scheduler,
)

DAY0 = date(2026, 1, 5)
W = DEFAULT_FSRS_PARAMETERS


def failed_on(day: date, scheduler: FsrsScheduler | Sm2Scheduler) -> Schedule:
    """A card answered right on DAY0, then failed (q=1) on `day`: drilling."""
    schedule, _ = review_card(Schedule(), 4, True, today=DAY0, scheduler=scheduler)
    schedule, entry = review_card(schedule, 1, False, today=day, scheduler=scheduler)
    assert entry.kind == "review" and schedule.drilling(day)
    return schedule


def test_a_drill_answer_under_fsrs_is_a_same_day_review() -> None:
    fsrs = FsrsScheduler()
    day = DAY0 + timedelta(days=4)
    before = failed_on(day, fsrs)
    after, entry = review_card(before, 4, True, today=day, scheduler=fsrs)
    assert entry.kind == "drill" and entry.predicted_recall is None
    # S' = S·e^(w17·(G−3+w18))·S^(−w19), at least S for a pass (Good: G = 3).
    assert before.stability is not None and after.stability is not None
    growth = max(1.0, math.exp(W[17] * W[18]) * before.stability ** -W[19])
    assert after.stability == pytest.approx(before.stability * growth, rel=1e-12)
    assert after.difficulty != before.difficulty  # every rating moves D (here: reverts)
    assert after.due_day == day.toordinal() + after.interval
    # A drill is not another day's review: the counters and n stay the scheduled answer's.
    assert (after.reviews, after.lapses, after.repetitions, after.last_review_day) == (
        before.reviews,
        before.lapses,
        before.repetitions,
        before.last_review_day,
    )
    assert after.drill_day is None  # q >= 4 ends the drill, as under SM-2


def test_a_failed_drill_answer_lowers_stability_and_keeps_drilling() -> None:
    fsrs = FsrsScheduler()
    day = DAY0 + timedelta(days=4)
    before = failed_on(day, fsrs)
    after, entry = review_card(before, 1, False, today=day, scheduler=fsrs)
    assert entry.kind == "drill" and after.drilling(day)
    assert after.stability is not None and before.stability is not None
    assert after.stability < before.stability
    assert after.difficulty is not None and before.difficulty is not None
    assert after.difficulty > before.difficulty


def test_a_drill_answer_under_sm2_still_moves_nothing_but_the_drill() -> None:
    sm2 = Sm2Scheduler()
    day = DAY0 + timedelta(days=4)
    before = failed_on(day, sm2)
    after, entry = review_card(before, 4, True, today=day, scheduler=sm2)
    assert entry.kind == "drill"
    assert after == replace(before, drill_day=None)


def test_the_grade_buttons_of_a_drilled_fsrs_card_show_the_moved_intervals() -> None:
    fsrs = FsrsScheduler()
    day = DAY0 + timedelta(days=4)
    before = failed_on(day, fsrs)
    shown = {
        q: review_card(before, q, None, today=day, scheduler=fsrs)[0].interval for q in range(6)
    }
    assert shown[5] >= shown[4] >= shown[3] >= shown[1]
    assert shown == {
        q: fsrs.review(before.fsrs_memory(fsrs, day), q, day)[1].interval for q in range(6)
    }


# ------------------------------------------------------------------ every path the same

answers = st.lists(
    st.tuples(
        st.integers(0, 4),  # days after the previous answer (0: the same day)
        st.sampled_from(["study", "study", "study", "cram"]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(answers, st.sampled_from([0.8, 0.9]))
def test_answering_replaying_and_switching_give_the_same_fsrs_state(
    drawn: list[tuple[int, str, int]], retention: float
) -> None:
    fsrs = FsrsScheduler(desired_retention=retention)
    schedule, day = Schedule(), DAY0.toordinal()
    log: list[tuple[str, int, str, int, bool | None]] = []
    for n, (gap, mode, quality) in enumerate(drawn):
        day += gap
        schedule, entry = review_card(
            schedule, quality, None, today=date.fromordinal(day), mode=Mode(mode), scheduler=fsrs
        )
        log.append(
            (f"{date.fromordinal(day).isoformat()} 10:{n:02d}", day, entry.kind, quality, None)
        )
    # A sync merge replays the log through review_card: the same schedule.
    assert replay(log, reset_at=None, scheduler=fsrs, max_interval=36500) == schedule
    # A deck switched to FSRS replays the log through state_from_log: the same memory.
    memory = fsrs.state_from_log(
        LoggedReview(q, date.fromordinal(d), kind) for _, d, kind, q, _ in log
    )
    assert (memory.stability, memory.difficulty) == (schedule.stability, schedule.difficulty)
    if not memory.is_new:
        assert memory.interval == schedule.interval
        assert memory.due is not None and memory.due.toordinal() == schedule.due_day
    # ...and SM-2 over the same log ignores the drill answers, as its rules say.
    sm2_memory = Sm2Scheduler().state_from_log(
        LoggedReview(q, date.fromordinal(d), kind) for _, d, kind, q, _ in log if kind != "drill"
    )
    assert sm2_memory == Sm2Scheduler().state_from_log(
        LoggedReview(q, date.fromordinal(d), kind) for _, d, kind, q, _ in log
    )


def test_training_histories_carry_drill_answers_but_items_are_across_days() -> None:
    """Anki's rule: same-day answers are in the history (delta 0) and fit w17..w19 through
    the next day's outcome; an item is scored only on an answer given on a later day."""
    d = DAY0
    logs = {
        "a": [
            (d, 1),  # a first answer, failed...
            (d, 1),  # ...drilled: failed again
            (d, 4),  # ...and right
            (d + timedelta(days=1), 4),
            (d + timedelta(days=5), 2),
            (d + timedelta(days=5), 4),  # drill
        ]
    }
    assert training_items(logs) == [
        TrainingHistory((1, 1, 3, 3), (0, 0, 0, 1)),
        TrainingHistory((1, 1, 3, 3, 1), (0, 0, 0, 1, 4)),
    ]
