"""One answer, as a pure function: a card's schedule and a grade in, the next schedule and
the review-log entry out (py-fsrs's `review_card(card, rating, now) -> (card, log)`).

Every way of answering goes through `review_card`: study, the same-day drill, cram (logged,
schedule untouched) and mock-interview answers fed to the schedule. The service around it
(`services.answering`) only reads the stored schedule, calls this, and writes the two
values back in one operation.

The scheduler itself is SM-2 (`core.sm2`, whose docstring states the rules); the drill and
cram rules are here because they are the same whatever schedules the reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from quizapp.core import sm2


class Mode(StrEnum):
    STUDY = "study"
    """Reviews reschedule; a card failed today is drilled until it scores 4 or more."""
    CRAM = "cram"
    """Ahead of schedule: logged (the heatmap and misconceptions see it), nothing moves."""


@dataclass(frozen=True)
class Schedule:
    """A card's stored scheduling state (`card_state`), as plain values."""

    repetitions: int = 0
    easiness_hundredths: int = 250
    """EF in whole hundredths: SM-2 moves it in steps of 0.02, an integer cannot drift."""
    interval: int = 0
    due_day: int | None = None
    """Ordinal of the study day the card is due; None for a card never reviewed."""
    drill_day: int | None = None
    """The study day on which the card still needs a drill answer of 4 or more."""
    lapses: int = 0
    reviews: int = 0

    @property
    def sm2(self) -> sm2.Sm2State:
        return sm2.Sm2State(
            repetitions=self.repetitions,
            easiness=Fraction(self.easiness_hundredths, 100),
            interval=self.interval,
        )

    @property
    def is_new(self) -> bool:
        return self.due_day is None

    def drilling(self, today: date) -> bool:
        return self.drill_day == today.toordinal()


@dataclass(frozen=True)
class Entry:
    """The review-log row one answer adds (what `review_log` stores besides ids and times)."""

    kind: str
    """'new', 'review', 'drill' or 'cram'."""
    quality: int
    correct: bool | None
    study_day: int
    before: Schedule
    after: Schedule

    @property
    def reschedules(self) -> bool:
        return self.kind in ("new", "review")


def review_card(
    schedule: Schedule,
    quality: int,
    correct: bool | None,
    *,
    today: date,
    mode: Mode = Mode.STUDY,
    max_interval: int = sm2.DEFAULT_MAX_INTERVAL,
) -> tuple[Schedule, Entry]:
    """The schedule after this answer, and the log entry that records it.

    A drill answer (the card was failed earlier today) and a cram answer leave n, EF and
    the interval alone; a drill answer of 4 or more ends the drill.
    """
    day = today.toordinal()
    if mode is Mode.CRAM:
        return schedule, Entry("cram", quality, correct, day, schedule, schedule)
    drill = schedule.drilling(today)
    after = schedule
    if not drill:
        state = sm2.review(schedule.sm2, quality, max_interval=max_interval)
        after = replace(
            schedule,
            repetitions=state.repetitions,
            easiness_hundredths=int(state.easiness * 100),
            interval=state.interval,
            due_day=sm2.due_date(today, state.interval).toordinal(),
            reviews=schedule.reviews + 1,
            lapses=schedule.lapses + (quality < sm2.PASS_THRESHOLD and schedule.repetitions > 0),
        )
    after = replace(after, drill_day=day if quality < sm2.DRILL_THRESHOLD else None)
    kind = "drill" if drill else ("new" if schedule.is_new else "review")
    return after, Entry(kind, quality, correct, day, schedule, after)


def next_schedules(
    schedule: Schedule, *, today: date, max_interval: int = sm2.DEFAULT_MAX_INTERVAL
) -> dict[int, Schedule]:
    """Every grade's outcome, before the learner answers: what the grade buttons show."""
    return {
        q: review_card(schedule, q, None, today=today, max_interval=max_interval)[0]
        for q in range(6)
    }
