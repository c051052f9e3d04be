"""A schedule replayed from a log equals what answering built, on either path."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.core.log_replay import replay, replay_general
from quizapp.core.review import Mode, Schedule, review_card
from quizapp.core.scheduler import Sm2Scheduler

DAY0 = date(2026, 1, 5).toordinal()

answers = st.lists(
    st.tuples(
        st.integers(0, 3),  # days after the previous answer
        st.sampled_from(["study", "study", "study", "cram"]),
        st.integers(0, 5),
    ),
    max_size=30,
)


def as_log(drawn: list[tuple[int, str, int]]) -> list[tuple[str, int, str, int, bool | None]]:
    """Answers given one after another through `review_card`, logged as answering logs them."""
    log = []
    schedule, day = Schedule(), DAY0
    for n, (gap, mode, quality) in enumerate(drawn):
        day += gap
        schedule, entry = review_card(
            schedule, quality, None, today=date.fromordinal(day), mode=Mode(mode)
        )
        at = f"{date.fromordinal(day).isoformat()} 10:{n // 60:02d}:{n % 60:02d}.000000"
        log.append((at, day, entry.kind, quality, None))
    return log


@settings(max_examples=300, deadline=None)
@given(answers, st.sampled_from([36500, 30]), st.none() | st.integers(0, 30))
def test_the_fast_sm2_path_equals_answering_one_by_one(
    drawn: list[tuple[int, str, int]], max_interval: int, reset_after: int | None
) -> None:
    log = as_log(drawn)
    reset_at = None
    if reset_after is not None and log:
        reset_at = log[min(reset_after, len(log) - 1)][0][:-1] + "5"
    scheduler = Sm2Scheduler(max_interval=max_interval)
    fast = replay(log, reset_at=reset_at, scheduler=scheduler, max_interval=max_interval)
    slow = replay_general(log, reset_at=reset_at, scheduler=scheduler, max_interval=max_interval)
    assert fast == slow


@settings(max_examples=100, deadline=None)
@given(answers)
def test_replaying_a_log_gives_the_schedule_answering_built(
    drawn: list[tuple[int, str, int]],
) -> None:
    schedule, day = Schedule(), DAY0
    for gap, mode, quality in drawn:
        day += gap
        schedule, _ = review_card(
            schedule, quality, None, today=date.fromordinal(day), mode=Mode(mode)
        )
    replayed = replay(as_log(drawn), reset_at=None, scheduler=Sm2Scheduler(), max_interval=36500)
    assert replayed == schedule
