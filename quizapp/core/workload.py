"""How many reviews a day a deck will ask for, at a desired retention: a seeded simulation.

The model is the one Anki's FSRS simulator uses, run through the deck's own scheduler:

- Every simulated day, the cards due that day or earlier are reviewed, most overdue
  first, up to the daily review limit; the rest wait for tomorrow. Then up to the daily
  new-card limit of new cards are introduced, in deck order.
- A review is recalled with the probability the scheduler itself predicts
  (``retrievability``): the simulation assumes the memory model is right, which is what
  "expected workload at this retention" means.
- A recalled review is rated Hard, Good or Easy with ``REVIEW_RATING_PROB``; a forgotten
  one Again. A new card's first rating is drawn from ``FIRST_RATING_PROB``. Both are
  Anki's defaults (taken from Anki users' logs); the caller may pass the learner's own.
- An answer below Good (Again or Hard) puts the card in that day's drill, as in the app,
  modelled as one Good drill answer. It counts as no review. SM-2 ignores it; FSRS takes it
  as a same-day review (``Scheduler.answer_kinds``), so it moves the card's memory and can
  move its next due day.
- ``runs`` independent runs from ``seed`` are averaged, so the figures are expectations
  with little noise, and the same arguments give the same numbers.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from quizapp.core.scheduler import (
    RATING_TO_QUALITY,
    FsrsMemory,
    Scheduler,
    Sm2Memory,
    fsrs_rating,
)
from quizapp.core.sm2 import DRILL_THRESHOLD

FIRST_RATING_PROB = (0.24, 0.094, 0.495, 0.171)
"""P(Again, Hard, Good, Easy) on a card's first answer (Anki's simulator default)."""
REVIEW_RATING_PROB = (0.224, 0.631, 0.145)
"""P(Hard, Good, Easy) given a review was recalled (Anki's simulator default)."""
DEFAULT_RUNS = 20


@dataclass(frozen=True)
class WorkloadForecast:
    """Expected counts per simulated day, from ``start`` on."""

    start: date
    reviews: tuple[float, ...]
    """Expected reviews of cards already learned, per day."""
    new: tuple[float, ...]
    """Expected new cards introduced, per day."""

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(self.start + timedelta(days=i) for i in range(len(self.reviews)))

    @property
    def total_reviews(self) -> float:
        return sum(self.reviews)


def simulate_workload(
    scheduler: Scheduler[Any],
    states: Sequence[Sm2Memory | FsrsMemory],
    *,
    start: date,
    days: int = 365,
    new_per_day: int = 20,
    reviews_per_day: int = 200,
    seed: int = 0,
    runs: int = DEFAULT_RUNS,
    first_rating_prob: Sequence[float] = FIRST_RATING_PROB,
    review_rating_prob: Sequence[float] = REVIEW_RATING_PROB,
) -> WorkloadForecast:
    """Expected reviews and new cards per day over ``days`` days from ``start``.

    ``states`` are the deck's cards in deck order, under ``scheduler`` (a new card is one
    never answered). Desired retention is the scheduler's own (``FsrsScheduler``).
    """
    if days < 0 or runs < 1:
        raise ValueError("days is never negative and there is at least one run")
    if new_per_day < 0 or reviews_per_day < 0:
        raise ValueError("daily limits are never negative")
    if len(first_rating_prob) != 4 or len(review_rating_prob) != 3:
        raise ValueError("four first-answer and three recalled-review rating probabilities")
    reviews = [0.0] * days
    new = [0.0] * days
    rng = random.Random(seed)
    for _ in range(runs):
        run_reviews, run_new = _one_run(
            scheduler,
            states,
            start,
            days,
            new_per_day,
            reviews_per_day,
            random.Random(rng.getrandbits(64)),
            first_rating_prob,
            review_rating_prob,
        )
        for i in range(days):
            reviews[i] += run_reviews[i] / runs
            new[i] += run_new[i] / runs
    return WorkloadForecast(start, tuple(reviews), tuple(new))


def _one_run(
    scheduler: Scheduler[Any],
    states: Sequence[Sm2Memory | FsrsMemory],
    start: date,
    days: int,
    new_per_day: int,
    reviews_per_day: int,
    rng: random.Random,
    first_rating_prob: Sequence[float],
    review_rating_prob: Sequence[float],
) -> tuple[list[int], list[int]]:
    cards = list(states)
    waiting = [i for i, s in enumerate(cards) if s.last_review is None]
    waiting.reverse()  # pop() takes the next in deck order
    queue: list[tuple[int, int]] = []  # (due day ordinal, card index): most overdue first
    for i, s in enumerate(cards):
        if s.due is not None:
            heapq.heappush(queue, (s.due.toordinal(), i))
    ratings = (1, 2, 3, 4)
    passed = (2, 3, 4)
    drills = "drill" in scheduler.answer_kinds
    drilled = fsrs_rating(DRILL_THRESHOLD) - 1  # Again and Hard send the card to the drill
    reviews = [0] * days
    new = [0] * days
    for offset in range(days):
        today = start + timedelta(days=offset)
        ordinal = today.toordinal()
        done = 0
        while queue and queue[0][0] <= ordinal and done < reviews_per_day:
            _, i = heapq.heappop(queue)
            state = cards[i]
            if rng.random() < scheduler.retrievability(state, today):
                rating = rng.choices(passed, review_rating_prob)[0]
            else:
                rating = 1
            state, outcome = scheduler.review(state, RATING_TO_QUALITY[rating], today)
            if drills and rating <= drilled:
                state, outcome = scheduler.review(state, DRILL_THRESHOLD, today)
            cards[i] = state
            heapq.heappush(queue, (outcome.due.toordinal(), i))
            done += 1
        reviews[offset] = done
        introduced = 0
        while waiting and introduced < new_per_day:
            i = waiting.pop()
            rating = rng.choices(ratings, first_rating_prob)[0]
            state, outcome = scheduler.review(cards[i], RATING_TO_QUALITY[rating], today)
            if drills and rating <= drilled:
                state, outcome = scheduler.review(state, DRILL_THRESHOLD, today)
            cards[i] = state
            heapq.heappush(queue, (outcome.due.toordinal(), i))
            introduced += 1
        new[offset] = introduced
    return reviews, new
