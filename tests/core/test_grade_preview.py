"""The grade buttons' preview is what the answer then does, under SM-2 and FSRS alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from quizapp.core.grade_preview import THEN_QUALITY, fail_grades_alike, preview_grades
from quizapp.core.review import Schedule, review_card
from quizapp.core.scheduler import FsrsScheduler, Sm2Scheduler

DAY = date(2026, 3, 2)


def answered(scheduler: Sm2Scheduler | FsrsScheduler, *qualities: int) -> tuple[Schedule, date]:
    """A card after these scheduled answers, each given on its due day."""
    schedule, today = Schedule(), DAY
    for q in qualities:
        schedule, _ = review_card(schedule, q, None, today=today, scheduler=scheduler)
        assert schedule.due_day is not None
        today = date.fromordinal(schedule.due_day)
    return schedule, today


def test_sm2_on_a_new_card_every_pass_is_one_day_then_six_and_only_the_ease_differs() -> None:
    previews = preview_grades(Schedule(), Sm2Scheduler(), DAY)
    assert [(p.interval, p.then, p.ease_change) for p in previews.values()] == [
        (1, 1, 0),  # q 0, 1, 2: a fail restarts, keeps the ease; a Good next gives 1 day
        (1, 1, 0),
        (1, 1, 0),
        (1, 6, -14),
        (1, 6, 0),
        (1, 6, 10),
    ]


def test_sm2_the_interval_after_next_uses_the_ease_this_grade_leaves() -> None:
    schedule, today = answered(Sm2Scheduler(), 4, 4)  # interval 6, EF 2.5
    previews = preview_grades(schedule, Sm2Scheduler(), today)
    # 15 days (ceil 6 × 2.5) on any pass; after it ceil(15 × EF'): 2.36, 2.5, 2.6
    assert [(previews[q].interval, previews[q].then) for q in (3, 4, 5)] == [
        (15, 36),
        (15, 38),
        (15, 39),
    ]


@pytest.mark.parametrize("scheduler", [Sm2Scheduler(), FsrsScheduler()], ids=["sm2", "fsrs"])
@pytest.mark.parametrize("history", [(), (4,), (5, 3), (4, 1, 4)])
def test_a_preview_is_what_the_answer_and_a_good_after_it_do(
    scheduler: Sm2Scheduler | FsrsScheduler, history: tuple[int, ...]
) -> None:
    schedule, today = answered(scheduler, *history)
    previews = preview_grades(schedule, scheduler, today)
    for q in range(6):
        after, _ = review_card(replace(schedule), q, None, today=today, scheduler=scheduler)
        assert previews[q].interval == after.interval
        assert after.due_day is not None
        then, _ = review_card(
            replace(after, drill_day=None),
            THEN_QUALITY,
            None,
            today=date.fromordinal(after.due_day),
            scheduler=scheduler,
        )
        assert previews[q].then == then.interval
        if isinstance(scheduler, Sm2Scheduler):
            assert (
                previews[q].ease_change == after.easiness_hundredths - schedule.easiness_hundredths
            )
        else:
            assert previews[q].ease_change is None


def test_fsrs_passes_differ_in_both_intervals_and_its_fails_act_alike() -> None:
    previews = preview_grades(Schedule(), FsrsScheduler(), DAY)
    firsts = [previews[q].interval for q in (3, 4, 5)]
    thens = [previews[q].then for q in (3, 4, 5)]
    assert firsts == sorted(firsts) and len(set(thens)) == 3
    assert fail_grades_alike(previews, [0, 1, 2])
    assert not fail_grades_alike(previews, [2, 3])
