"""SM-2 scheduling (P. Woźniak, 1990), with every open point decided.

- State per card: repetitions ``n`` (0 for a new card), easiness ``EF`` (starts 2.5),
  interval ``I`` in whole days, due date.
- Grade ``q`` in 0..5. EF' = EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)), floor 1.3, no ceiling.
  EF only ever moves in steps of 0.02, so it is kept exact as a ``Fraction`` (the database
  stores whole hundredths); it never drifts the way a float would.
- ``q ≥ 3``: n += 1; I = 1 if n == 1, 6 if n == 2, else ceil(I_prev × EF_before_this_review);
  then EF is updated.
- ``q < 3``: n = 0, I = 1, **EF unchanged** (the original: "without changing the E-Factor").
- Intervals are capped at 36500 days (configurable); the cap never overflows a date.
- Same-day drill: a card graded below 4 comes back in the same session until it scores
  4 or more. Drill answers are logged but do not change n, EF or I (see ``core.queue``).
- The due date counts from the day of the review. A day starts at 04:00 local time by
  default (configurable), as in Anki (see ``study_day``).

Everything here is a pure function over frozen values: the time comes in as an argument,
nothing is mutated, and ``next_states`` tells the window every possible outcome before the
learner answers.

How answers become ``q`` is documented in ``core.grading``: correctness decides the band
(pass q ≥ 3, fail q < 3) and the learner may only move the grade inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

INITIAL_EASINESS = Fraction(5, 2)
MIN_EASINESS = Fraction(13, 10)
MIN_EASINESS_HUNDREDTHS = 130
DEFAULT_MAX_INTERVAL = 36500
DEFAULT_DAY_START_HOUR = 4
PASS_THRESHOLD = 3
"""q at or above this is a successful recall."""
DRILL_THRESHOLD = 4
"""q below this brings the card back in the same session."""


@dataclass(frozen=True)
class Sm2State:
    """A card's SM-2 state. ``Sm2State()`` is a new card."""

    repetitions: int = 0
    easiness: Fraction = INITIAL_EASINESS
    interval: int = 0

    def __post_init__(self) -> None:
        if self.repetitions < 0 or self.interval < 0:
            raise ValueError("repetitions and interval are never negative")
        if self.easiness < MIN_EASINESS:
            raise ValueError(f"easiness {float(self.easiness)} is below the floor 1.3")
        if (self.easiness * 100).denominator != 1:
            raise ValueError("easiness is kept in whole hundredths")

    @property
    def is_new(self) -> bool:
        return self.repetitions == 0 and self.interval == 0


def updated_easiness(easiness: Fraction, quality: int) -> Fraction:
    """EF' from SM-2's formula, floored at 1.3. Exact: the steps are multiples of 0.02."""
    miss = 5 - quality
    delta = Fraction(1, 10) - miss * (Fraction(8, 100) + miss * Fraction(2, 100))
    return max(MIN_EASINESS, easiness + delta)


def review(state: Sm2State, quality: int, *, max_interval: int = DEFAULT_MAX_INTERVAL) -> Sm2State:
    """The state after one graded review (not a drill answer: those leave the state alone)."""
    n, easiness, interval = review_hundredths(
        state.repetitions,
        int(state.easiness * 100),  # whole hundredths: Sm2State checks it
        state.interval,
        quality,
        max_interval=max_interval,
    )
    return Sm2State(repetitions=n, easiness=Fraction(easiness, 100), interval=interval)


def review_hundredths(
    repetitions: int,
    easiness_hundredths: int,
    interval: int,
    quality: int,
    *,
    max_interval: int = DEFAULT_MAX_INTERVAL,
) -> tuple[int, int, int]:
    """`review` on (n, EF in whole hundredths, I): the same rules in integers, which is exact
    because EF·100 is whole (I × EF rounds up as ⌈I × EF·100 / 100⌉, the step
    0.1 − (5−q)(0.08 + (5−q)·0.02) is 10 − (5−q)(8 + 2(5−q)) hundredths). The answer's hot
    path calls this; `review` is it on `Sm2State`'s exact fractions."""
    _check_quality(quality)
    if max_interval < 1:
        raise ValueError("max_interval must be at least one day")
    if quality < PASS_THRESHOLD:
        return 0, easiness_hundredths, 1
    n = repetitions + 1
    if n == 1:
        interval = 1
    elif n == 2:
        interval = 6
    else:
        interval = -(-interval * easiness_hundredths // 100)
    miss = 5 - quality
    easiness = max(MIN_EASINESS_HUNDREDTHS, easiness_hundredths + 10 - miss * (8 + 2 * miss))
    return n, easiness, min(max(interval, 1), max_interval)


def next_states(
    state: Sm2State, *, max_interval: int = DEFAULT_MAX_INTERVAL
) -> dict[int, Sm2State]:
    """Every possible next state, by grade, so the window can show "Good: 6 days" up front."""
    return {q: review(state, q, max_interval=max_interval) for q in range(6)}


def due_date(review_day: date, interval: int) -> date:
    """The day a card is due, counted from the review day; saturates at the last date."""
    room = (date.max - review_day).days
    return review_day + timedelta(days=min(interval, room))


def study_day(now: datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR) -> date:
    """The learner's day that ``now`` belongs to: before ``day_start_hour`` it is still yesterday.

    ``now`` is converted to local time when it carries a time zone, so a review at 01:30
    after a late session counts for the evening before, as in Anki.
    """
    if not 0 <= day_start_hour <= 23:
        raise ValueError("day_start_hour is an hour of the day, 0 to 23")
    local = now.astimezone() if now.tzinfo is not None else now
    return (local - timedelta(hours=day_start_hour)).date()


def _check_quality(quality: int) -> None:
    if not isinstance(quality, int) or isinstance(quality, bool) or not 0 <= quality <= 5:
        raise ValueError(f"quality is an integer from 0 to 5, not {quality!r}")
