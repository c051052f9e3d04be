"""One answer, as a pure function: a card's schedule and a grade in, the next schedule and
the review-log entry out (py-fsrs's `review_card(card, rating, now) -> (card, log)`).

Every way of answering goes through `review_card`: study, the same-day drill, cram (logged,
schedule untouched) and mock-interview answers fed to the schedule. The service around it
(`services.answering`) only reads the stored schedule, calls this, and writes the two
values back in one operation.

The scheduler is the deck's (`core.scheduler`: SM-2 by default, whose rules `core.sm2`
states, or FSRS-6); the drill and cram rules are here because they are the same whatever
schedules the reviews (except that FSRS also takes each drill answer as a same-day review,
see `review_card`). Under either scheduler a scheduled answer records the recall the
scheduler predicted just before it (`Entry.predicted_recall`), which is what the
calibration chart compares with what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from quizapp.core import sm2
from quizapp.core.scheduler import (
    FsrsMemory,
    FsrsScheduler,
    Sm2Memory,
    Sm2Scheduler,
    sm2_recall,
)

Scheduler = Sm2Scheduler | FsrsScheduler


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
    stability: float | None = None
    """FSRS memory; None while the card has not been reviewed under FSRS."""
    difficulty: float | None = None
    last_review_day: int | None = None
    """The study day of the last scheduled answer, under either scheduler."""

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

    def last_review(self, today: date) -> date | None:
        """The last scheduled review's day, never after `today` (a clock set back, or a
        learner who crossed time zones, must not make the scheduler refuse an answer)."""
        if self.last_review_day is None:
            return None
        return date.fromordinal(min(self.last_review_day, today.toordinal()))

    def sm2_memory(self, today: date) -> Sm2Memory:
        return Sm2Memory(self.sm2, self.last_review(today))

    def fsrs_memory(self, scheduler: FsrsScheduler, today: date) -> FsrsMemory:
        """The card's FSRS memory; one with an SM-2 state but none under FSRS yet (its deck
        switched before its log was replayed, or progress imported) gets one derived from it."""
        last = self.last_review(today)
        if self.stability is not None and self.difficulty is not None and self.stability > 0:
            return FsrsMemory(self.stability, self.difficulty, self.interval, last)
        return scheduler.state_from_sm2(self.sm2_memory(today))

    def recall(self, scheduler: Scheduler, today: date) -> float | None:
        """Predicted recall today; None for a card never reviewed (no prediction to make)."""
        if self.last_review_day is None:
            return None
        if isinstance(scheduler, FsrsScheduler):
            memory = self.fsrs_memory(scheduler, today)
            return None if memory.is_new else scheduler.retrievability(memory, today)
        return scheduler.retrievability(self.sm2_memory(today), today)


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
    predicted_recall: float | None = None

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
    scheduler: Scheduler | None = None,
) -> tuple[Schedule, Entry]:
    """The schedule after this answer, and the log entry that records it.

    `scheduler` is the deck's (None: SM-2 with `max_interval`). A cram answer leaves the
    schedule alone. A drill answer (the card was failed earlier today) leaves SM-2's state
    alone, as SM-2's rules say; under FSRS it is a same-day review that moves the memory
    and the interval (`_fsrs_same_day`). A drill answer of 4 or more ends the drill.
    """
    day = today.toordinal()
    if mode is Mode.CRAM:
        return schedule, Entry("cram", quality, correct, day, schedule, schedule)
    kind = "new" if schedule.due_day is None else "review"
    if schedule.drill_day == day:
        drilled = schedule
        if isinstance(scheduler, FsrsScheduler):
            drilled = _fsrs_same_day(schedule, quality, today, scheduler)
        after = replace(drilled, drill_day=day if quality < sm2.DRILL_THRESHOLD else None)
        return after, Entry("drill", quality, correct, day, schedule, after)
    sch = scheduler or Sm2Scheduler(max_interval=max_interval)
    if isinstance(sch, Sm2Scheduler) and _plain_sm2(schedule):
        after, predicted = _sm2_answer(schedule, quality, day, today, sch)
        return after, Entry(kind, quality, correct, day, schedule, after, predicted)
    scheduled, predicted = _scheduled(schedule, quality, today, sch)
    after = replace(
        scheduled,
        reviews=schedule.reviews + 1,
        lapses=schedule.lapses + (quality < sm2.PASS_THRESHOLD and schedule.repetitions > 0),
        last_review_day=day,
        drill_day=day if quality < sm2.DRILL_THRESHOLD else None,
    )
    return after, Entry(kind, quality, correct, day, schedule, after, predicted)


def _fsrs_same_day(schedule: Schedule, quality: int, today: date, sch: FsrsScheduler) -> Schedule:
    """A drill answer under FSRS: a same-day review, which moves stability (FSRS-6's
    short-term formula), difficulty, and so the interval and due day, as Anki's learning
    and relearning steps do. The review count, lapses, n and the last review day stay
    the scheduled answer's: a drill is not another day's review."""
    memory, outcome = sch.review(schedule.fsrs_memory(sch, today), quality, today)
    return replace(
        schedule,
        interval=outcome.interval,
        due_day=outcome.due.toordinal(),
        stability=memory.stability,
        difficulty=memory.difficulty,
    )


def _plain_sm2(schedule: Schedule) -> bool:
    """A state `Sm2State` would accept as it is (anything else takes the long way, which
    raises the same error it always did)."""
    return (
        schedule.repetitions >= 0
        and schedule.interval >= 0
        and schedule.easiness_hundredths >= sm2.MIN_EASINESS_HUNDREDTHS
        and (schedule.last_review_day is None or schedule.last_review_day >= 1)
    )


def _sm2_answer(
    schedule: Schedule, quality: int, day: int, today: date, sch: Sm2Scheduler
) -> tuple[Schedule, float | None]:
    """A scheduled SM-2 answer, in integers: what `_scheduled` and `Schedule.recall` give
    through `Sm2State`'s fractions, without building them (the answer's hot path; a test
    holds the two ways equal)."""
    last = schedule.last_review_day
    predicted = (
        None
        if last is None
        else sm2_recall(max(0, day - min(last, day)), schedule.interval, sch.recall_at_interval)
    )
    n, easiness, interval = sm2.review_hundredths(
        schedule.repetitions,
        schedule.easiness_hundredths,
        schedule.interval,
        quality,
        max_interval=sch.max_interval,
    )
    after = Schedule(
        repetitions=n,
        easiness_hundredths=easiness,
        interval=interval,
        due_day=sm2.due_date(today, interval).toordinal(),
        drill_day=day if quality < sm2.DRILL_THRESHOLD else None,
        lapses=schedule.lapses + (quality < sm2.PASS_THRESHOLD and schedule.repetitions > 0),
        reviews=schedule.reviews + 1,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        last_review_day=day,
    )
    return after, predicted


def _scheduled(
    schedule: Schedule, quality: int, today: date, sch: Scheduler
) -> tuple[Schedule, float | None]:
    """The memory and due day one scheduled answer gives, under the deck's scheduler, and
    the recall it predicted before the answer (`Schedule.recall`; under FSRS the one the
    review computed anyway, for the same memory and day, not a second computation)."""
    if isinstance(sch, FsrsScheduler):
        memory, outcome = sch.review(schedule.fsrs_memory(sch, today), quality, today)
        passed = quality >= sm2.PASS_THRESHOLD
        predicted = None if schedule.last_review_day is None else outcome.predicted_recall
        return replace(
            schedule,
            # n counts passes in a row under either scheduler (mastery and the statistics
            # read it); EF is SM-2's alone and is kept for a switch back.
            repetitions=schedule.repetitions + 1 if passed else 0,
            interval=outcome.interval,
            due_day=outcome.due.toordinal(),
            stability=memory.stability,
            difficulty=memory.difficulty,
        ), predicted
    predicted = schedule.recall(sch, today)
    state = sm2.review(schedule.sm2, quality, max_interval=sch.max_interval)
    return replace(
        schedule,
        repetitions=state.repetitions,
        easiness_hundredths=int(state.easiness * 100),
        interval=state.interval,
        due_day=sm2.due_date(today, state.interval).toordinal(),
    ), predicted


def next_schedules(
    schedule: Schedule,
    *,
    today: date,
    max_interval: int = sm2.DEFAULT_MAX_INTERVAL,
    scheduler: Scheduler | None = None,
) -> dict[int, Schedule]:
    """Every grade's outcome, before the learner answers: what the grade buttons show."""
    return {
        q: review_card(
            schedule, q, None, today=today, max_interval=max_interval, scheduler=scheduler
        )[0]
        for q in range(6)
    }
