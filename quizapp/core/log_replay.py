"""A card's whole schedule from its review log, as answering would have built it.

A sync merge gives a card answers from several devices; its schedule is then recomputed
from the merged log, answer by answer on the study day each was given, so every device
holds the same schedule whoever answered first (issue 16). This is `review.review_card`
folded over the log (drills, lapses and the review count included), with a reset where
one fell among the answers. SM-2 decks take a path of plain integers with the SM-2 step
memoized: the general path costs ~50 us an answer, which for a year of two devices'
study (200,000 answers) is ten seconds; a test holds the two paths equal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from fractions import Fraction

from quizapp.core import sm2
from quizapp.core.review import Mode, Schedule, Scheduler, review_card
from quizapp.core.scheduler import Sm2Scheduler

LogRow = tuple[str, int, str, int, int | bool | None]
"""(when, as sortable text; study day ordinal; kind; quality; correct, as stored: 0/1)."""

_MAX_ORDINAL = date.max.toordinal()


def reset(schedule: Schedule) -> Schedule:
    """What resetting a card's progress does (`services.cards.reset_progress`): new again,
    with its counters and FSRS memory kept."""
    return Schedule(
        lapses=schedule.lapses,
        reviews=schedule.reviews,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        last_review_day=schedule.last_review_day,
    )


def replay(
    log: Sequence[LogRow], *, reset_at: str | None, scheduler: Scheduler, max_interval: int
) -> Schedule:
    """The schedule after every answer of `log` (in order), reset at `reset_at` (same text
    form as the log's times) if given."""
    if isinstance(scheduler, Sm2Scheduler):
        return _replay_sm2(log, reset_at, scheduler.max_interval)
    return replay_general(log, reset_at=reset_at, scheduler=scheduler, max_interval=max_interval)


def replay_general(
    log: Sequence[LogRow], *, reset_at: str | None, scheduler: Scheduler, max_interval: int
) -> Schedule:
    schedule = Schedule()
    pending = reset_at
    for at, day, kind, quality, correct in log:
        if pending is not None and at > pending:
            schedule, pending = reset(schedule), None
        schedule, _entry = review_card(
            schedule,
            quality,
            None if correct is None else bool(correct),
            today=date.fromordinal(day),
            mode=Mode.CRAM if kind == "cram" else Mode.STUDY,
            max_interval=max_interval,
            scheduler=scheduler,
        )
    if pending is not None:
        schedule = reset(schedule)
    return schedule


@functools.lru_cache(maxsize=65536)
def _sm2_step(
    repetitions: int, easiness: int, interval: int, quality: int, max_interval: int
) -> tuple[int, int, int]:
    state = sm2.review(
        sm2.Sm2State(repetitions, Fraction(easiness, 100), interval),
        quality,
        max_interval=max_interval,
    )
    return state.repetitions, int(state.easiness * 100), state.interval


def _replay_sm2(log: Sequence[LogRow], reset_at: str | None, max_interval: int) -> Schedule:
    return Schedule(
        *sm2_fold(
            [(at, "", day, kind, quality, correct) for at, day, kind, quality, correct in log],
            reset_at,
            max_interval,
        )
    )


KeyedRow = tuple[str, str, int, str, int, int | bool | None]
"""A `LogRow` with the answer's origin key second: (when, key, day, kind, quality, correct),
the order a merge sorts a card's answers in."""


def sm2_fold(
    log: Sequence[KeyedRow],
    reset_at: str | None,
    max_interval: int,
    *,
    _step: Callable[[int, int, int, int, int], tuple[int, int, int]] = _sm2_step,
    _pass: int = sm2.PASS_THRESHOLD,
    _drill: int = sm2.DRILL_THRESHOLD,
    _last_day: int = _MAX_ORDINAL,
) -> tuple[int, int, int, int | None, int | None, int, int, None, None, int | None]:
    """An SM-2 card's schedule after `log`, as `Schedule`'s fields in order (repetitions,
    easiness hundredths, interval, due day, drill day, lapses, reviews, no stability or
    difficulty, last review day): `replay` of an SM-2 deck, for a merge rescheduling
    75,000 cards, without building a `Schedule` or a second row per answer.
    (The step and the thresholds are bound as defaults: looked up as globals for each of a
    year's 200,000 answers they were a fifth of the fold.)"""
    reps, ef, interval = 0, 250, 0
    due: int | None = None
    drill: int | None = None
    lapses = reviews = 0
    last: int | None = None
    pending = reset_at
    for at, _key, day, kind, quality, _correct in log:
        if pending is not None and at > pending:
            reps, ef, interval, due, drill, pending = 0, 250, 0, None, None, None
        if kind == "cram":
            continue
        if drill != day:
            if quality < _pass and reps > 0:
                lapses += 1
            reviews += 1
            reps, ef, interval = _step(reps, ef, interval, quality, max_interval)
            due = day + interval if interval < _last_day - day else _last_day
            last = day
        drill = day if quality < _drill else None
    if pending is not None:
        reps, ef, interval, due, drill = 0, 250, 0, None, None
    return reps, ef, interval, due, drill, lapses, reviews, None, None, last
