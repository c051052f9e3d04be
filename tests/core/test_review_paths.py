"""The answer's SM-2 shortcut in `core.review` gives exactly what the long way gives.

`review_card` computes a plain SM-2 answer in integers (`sm2.review_hundredths`) instead of
through `Sm2State`'s fractions, `Schedule.recall` and three `replace` calls; here the long
way is written out from those public pieces and compared over all inputs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from quizapp.core import sm2
from quizapp.core.review import Schedule, review_card
from quizapp.core.scheduler import FsrsScheduler, Sm2Scheduler

TODAY = date(2026, 12, 3)


def long_way(schedule: Schedule, quality: int, sch: Sm2Scheduler) -> tuple[Schedule, float | None]:
    day = TODAY.toordinal()
    predicted = schedule.recall(sch, TODAY)
    state = sm2.review(schedule.sm2, quality, max_interval=sch.max_interval)
    after = replace(
        schedule,
        repetitions=state.repetitions,
        easiness_hundredths=int(state.easiness * 100),
        interval=state.interval,
        due_day=sm2.due_date(TODAY, state.interval).toordinal(),
        reviews=schedule.reviews + 1,
        lapses=schedule.lapses + (quality < sm2.PASS_THRESHOLD and schedule.repetitions > 0),
        last_review_day=day,
        drill_day=day if quality < sm2.DRILL_THRESHOLD else None,
    )
    return after, predicted


schedules = st.builds(
    Schedule,
    repetitions=st.integers(0, 30),
    easiness_hundredths=st.integers(130, 350),
    interval=st.integers(0, 40000),
    due_day=st.one_of(st.none(), st.integers(TODAY.toordinal() - 900, TODAY.toordinal() + 900)),
    drill_day=st.one_of(st.none(), st.just(TODAY.toordinal() - 1)),
    lapses=st.integers(0, 20),
    reviews=st.integers(0, 200),
    stability=st.one_of(st.none(), st.floats(0.1, 1000)),
    difficulty=st.one_of(st.none(), st.floats(1, 10)),
    last_review_day=st.one_of(
        st.none(), st.integers(TODAY.toordinal() - 900, TODAY.toordinal() + 5)
    ),
)


@given(schedules, st.integers(0, 5), st.integers(1, 36500))
def test_the_sm2_shortcut_equals_the_long_way(
    schedule: Schedule, quality: int, max_interval: int
) -> None:
    sch = Sm2Scheduler(max_interval=max_interval)
    after, entry = review_card(schedule, quality, True, today=TODAY, scheduler=sch)
    want, predicted = long_way(schedule, quality, sch)
    assert after == want
    assert entry.predicted_recall == predicted
    assert entry.kind == ("new" if schedule.due_day is None else "review")


def test_a_stored_state_sm2_refuses_is_still_refused() -> None:
    """Hostile or damaged state (EF under the floor) raises as before, not scheduled."""
    bad = Schedule(repetitions=2, easiness_hundredths=90, interval=6, due_day=1, reviews=2)
    try:
        review_card(bad, 4, True, today=TODAY)
    except ValueError as exc:
        assert "below the floor" in str(exc)
    else:
        raise AssertionError("an EF below 1.3 was scheduled")


@given(schedules, st.integers(0, 5))
def test_an_fsrs_answer_records_the_recall_schedule_recall_predicts(
    schedule: Schedule, quality: int
) -> None:
    """Under FSRS the prediction is the one the review computed, not a second computation:
    it must still be exactly what `Schedule.recall` says before the answer."""
    sch = FsrsScheduler()
    _after, entry = review_card(schedule, quality, True, today=TODAY, scheduler=sch)
    assert entry.predicted_recall == schedule.recall(sch, TODAY)
