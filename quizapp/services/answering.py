"""Answering a card: the one write every kind of answer goes through.

Study, the same-day drill, cram and mock-interview answers fed to the schedule all call
`answer`. It is an ordinary operation (`services.ops`): one transaction that captures the
card's state row, appends to the review log and writes the state the pure
`core.review.review_card` computed, one undo step, one `Changes`. Undoing it is the same
row-image restore as for any other operation: the state goes back and the log row goes,
as in Anki (an undone answer was never given).

An answer is graded once: `check` grades it for the window to show the verdict, and the
`Graded` value it returns is what `answer` records, so the verdict shown is the verdict
stored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from quizapp.core import sm2
from quizapp.core.changes import Changes
from quizapp.core.deck_options import options_from_json
from quizapp.core.grading import Answer, Verdict, answer_to_json, grade, quality_allowed
from quizapp.core.ids import CardUuid, ReviewId
from quizapp.core.model import Card
from quizapp.core.review import Mode, Schedule, Scheduler, review_card
from quizapp.core.scheduler import scheduler_for
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.storage import answer_rows
from quizapp.storage.tables import CardState

STUDY_LABEL = "last answer"
CRAM_LABEL = "last cram answer"


@dataclass(frozen=True)
class Graded:
    """An answer with the verdict it earned: graded once, shown, then recorded as is."""

    card: Card
    answer: Answer
    verdict: Verdict


@dataclass(frozen=True)
class Answered:
    card_uuid: CardUuid
    review_id: ReviewId
    verdict: Verdict
    quality: int
    schedule: Schedule
    """The card's schedule after the answer."""
    kind: str
    """The log entry's kind: 'new', 'review', 'drill' or 'cram'."""

    @property
    def due(self) -> date | None:
        return date.fromordinal(self.schedule.due_day) if self.schedule.due_day else None

    @property
    def was_drill(self) -> bool:
        return self.kind == "drill"

    @property
    def state_after(self) -> sm2.Sm2State:
        return self.schedule.sm2


def check(card: Card, answer: Answer) -> Graded:
    """Grade without saving: the window shows the verdict, then the learner picks q."""
    return Graded(card, answer, grade(card, answer))


def answer(
    col: Collection,
    graded: Graded,
    quality: int,
    *,
    seconds: float,
    mode: Mode = Mode.STUDY,
    at: datetime | None = None,
) -> Answered:
    """Record one answer as one operation; `at` defaults to the collection's clock.

    The card's state row is read once, whole, and is both the input of the scheduler and
    the row undo puts back (`answer_rows.answer_image`): no second read to capture it. The
    operation runs on the connection kept for answers (`ops.run_answer`): committed before
    this returns, one undo step, one `Changes`, like any other.
    """
    uuid = CardUuid(graded.card.id)

    def write(op: ops.Op) -> Answered:
        state = state_of(op, uuid)
        done = record(op, state, graded, quality, seconds=seconds, mode=mode, at=at)
        changed = done.schedule != state.schedule
        op.capture_image(answer_rows.answer_image(state, done.review_id, schedule_changed=changed))
        return done

    return ops.run_answer(col, CRAM_LABEL if mode is Mode.CRAM else STUDY_LABEL, write)


def record(
    op: ops.Op,
    state: answer_rows.StateRow,
    graded: Graded,
    quality: int,
    *,
    seconds: float,
    mode: Mode = Mode.STUDY,
    at: datetime | None = None,
) -> Answered:
    """One answer inside an operation (which makes it undoable: `answer` captures the
    state row it read; feeding a mock interview captures every card's first).

    `answer` is this as an operation of its own; feeding a mock interview to the
    schedule records all its answers in one operation (one undo step).
    """
    verdict = graded.verdict
    if not quality_allowed(verdict, quality):
        band = "right" if verdict.correct else "wrong"
        raise ValueError(f"q={quality} is outside the band of a {band} answer")
    col = op.col
    settings = col.settings
    uuid = CardUuid(graded.card.id)
    before = state.schedule
    moment = col.now()  # one reading of the clock for the day and the log's time
    after, entry = review_card(
        before,
        quality,
        verdict.correct,
        today=sm2.study_day(moment, settings.day_start_hour),
        mode=mode,
        max_interval=settings.max_interval,
        scheduler=_scheduler(state.options, settings.max_interval, settings.day_start_hour),
    )
    moved = after != before
    review_id = ReviewId(
        op.answer_rows.write_answer(
            state,
            after if moved else None,
            entry,
            answer=answer_to_json(graded.answer),
            reviewed_at=at or moment,
            seconds=seconds,
        )
    )
    op.changed(
        Changes(
            label=op.label, updated=(uuid,), answered=(review_id,), schedule=moved, history=True
        )
    )
    return Answered(uuid, review_id, verdict, quality, after, entry.kind)


def deck_scheduler(col: Collection, options_json: str) -> Scheduler:
    """A deck's scheduler from its stored options and the learner's settings; cached, since
    the same few decks answer every card (building an FSRS engine costs more than a review)."""
    return _scheduler(options_json, col.settings.max_interval, col.settings.day_start_hour)


@functools.lru_cache(maxsize=64)
def _scheduler(options_json: str, max_interval: int, day_start_hour: int) -> Scheduler:
    options, _problems = options_from_json(options_json)
    return scheduler_for(
        options.scheduler,
        desired_retention=options.desired_retention,
        parameters=options.fsrs_parameters,
        max_interval=max_interval,
        day_start_hour=day_start_hour,
    )


def state_of(op: ops.Op, card: CardUuid) -> answer_rows.StateRow:
    """The card's whole state row and its deck's options, read inside `op`."""
    state = op.answer_rows.read_state(card)
    if state is None:
        raise LookupError(f"card {card} vanished from the collection")
    return state


def schedule_of(state: CardState) -> Schedule:
    """A stored state row as the pure `Schedule` value."""
    return Schedule(
        repetitions=state.repetitions,
        easiness_hundredths=state.easiness_hundredths,
        interval=state.interval,
        due_day=state.due_day,
        drill_day=state.drill_day,
        lapses=state.lapses,
        reviews=state.reviews,
        stability=state.stability,
        difficulty=state.difficulty,
        last_review_day=state.last_review_day,
    )
