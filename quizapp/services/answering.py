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
from datetime import UTC, date, datetime

from quizapp.core import sm2
from quizapp.core.changes import Changes
from quizapp.core.deck_options import options_from_json
from quizapp.core.grading import Answer, Verdict, answer_to_json, grade, quality_allowed
from quizapp.core.ids import CardUuid, ReviewId
from quizapp.core.model import Card
from quizapp.core.review import Entry, Mode, Schedule, Scheduler, review_card
from quizapp.core.scheduler import scheduler_for
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.tables import CardState, ReviewLog

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
    """Record one answer as one operation; `at` defaults to the collection's clock."""
    uuid = CardUuid(graded.card.id)

    def write(op: ops.Op) -> Answered:
        state = _state(op, uuid)
        op.capture(states=[state.card_id] if mode is Mode.STUDY else [])
        return record(op, state, graded, quality, seconds=seconds, mode=mode, at=at)

    label = CRAM_LABEL if mode is Mode.CRAM else STUDY_LABEL
    return ops.run(col, label, write, answer=True)


def record(
    op: ops.Op,
    state: CardState,
    graded: Graded,
    quality: int,
    *,
    seconds: float,
    mode: Mode = Mode.STUDY,
    at: datetime | None = None,
) -> Answered:
    """One answer inside an operation that has already captured the card's state row.

    `answer` is this as an operation of its own; feeding a mock interview to the
    schedule records all its answers in one operation (one undo step).
    """
    if not quality_allowed(graded.verdict, quality):
        band = "right" if graded.verdict.correct else "wrong"
        raise ValueError(f"q={quality} is outside the band of a {band} answer")
    col = op.col
    uuid = CardUuid(graded.card.id)
    before = schedule_of(state)
    after, entry = review_card(
        before,
        quality,
        graded.verdict.correct,
        today=col.today(),
        mode=mode,
        max_interval=col.settings.max_interval,
        scheduler=scheduler_of_card(op, state.card_id),
    )
    if after != before:
        repo.update_state(_state_row(state, after), session=op.session)
    log = _log_row(state.card_id, entry, graded.answer, at or col.now(), seconds)
    review_id = ReviewId(repo.insert_review(log, session=op.session))
    op.changed(
        Changes(updated=(uuid,), answered=(review_id,), schedule=after != before, history=True)
    )
    return Answered(uuid, review_id, graded.verdict, quality, after, entry.kind)


def scheduler_of_card(op: ops.Op, card_id: int) -> Scheduler:
    """The scheduler of the card's deck (SM-2 unless the deck chose FSRS)."""
    return deck_scheduler(op.col, repo.get_deck_options_of_card(card_id, session=op.session))


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


def state_of(op: ops.Op, card: CardUuid) -> CardState:
    """The card's stored state row, read inside `op` (before it captures and writes)."""
    return _state(op, card)


def _state(op: ops.Op, uuid: CardUuid) -> CardState:
    state = repo.get_state_by_uuid(uuid, session=op.session)
    if state is None:
        raise LookupError(f"card {uuid} vanished from the collection")
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


def _state_row(state: CardState, schedule: Schedule) -> CardState:
    return CardState(
        card_id=state.card_id,
        repetitions=schedule.repetitions,
        easiness_hundredths=schedule.easiness_hundredths,
        interval=schedule.interval,
        due_day=schedule.due_day,
        drill_day=schedule.drill_day,
        lapses=schedule.lapses,
        reviews=schedule.reviews,
        suspended=state.suspended,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        last_review_day=schedule.last_review_day,
    )


def _log_row(
    card_id: int, entry: Entry, answer: Answer, now: datetime, seconds: float
) -> ReviewLog:
    before, after = entry.before, entry.after
    return ReviewLog(
        card_id=card_id,
        reviewed_at=now.astimezone(UTC),
        study_day=entry.study_day,
        kind=entry.kind,
        answer=answer_to_json(answer),
        correct=entry.correct,
        quality=entry.quality,
        repetitions_before=before.repetitions,
        easiness_before=before.easiness_hundredths,
        interval_before=before.interval,
        due_day_before=before.due_day,
        drill_day_before=before.drill_day,
        repetitions_after=after.repetitions,
        easiness_after=after.easiness_hundredths,
        interval_after=after.interval,
        due_day_after=after.due_day,
        seconds=max(0.0, seconds),
        predicted_recall=entry.predicted_recall,
    )
