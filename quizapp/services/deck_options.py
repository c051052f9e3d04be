"""A deck's options, and switching its scheduler without losing anything.

Switching a deck between SM-2 and FSRS replays each card's review log through the new
scheduler (`Scheduler.state_from_log`), so the new state is what that scheduler would have
given had it planned every one of the card's reviews, and switching back gives exactly the
state the old scheduler had computed from the same log. The log itself is never touched.
A card with a schedule but no scheduled answers in its log (progress imported from a file
that carried no history) keeps its SM-2 state; under FSRS it gets one derived from it
(`FsrsScheduler.state_from_sm2`). The switch is one operation: one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from quizapp.core import sm2
from quizapp.core.changes import Changes
from quizapp.core.deck_options import DeckOptions, check_options, options_from_json
from quizapp.core.ids import CardUuid, DeckUuid
from quizapp.core.review import Schedule
from quizapp.core.scheduler import FsrsScheduler, LoggedReview, Sm2Scheduler
from quizapp.services import answering, ops
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.tables import CardState, ReviewLog


class DeckOptionsError(Exception):
    """Options that cannot be stored, or a deck that does not exist; nothing changed."""


def deck_options(col: Collection, deck_uuid: str) -> DeckOptions:
    with col.db.session() as session:
        row = repo.get_deck_by_uuid(deck_uuid, session=session)
        if row is None:
            raise DeckOptionsError(f"no deck with id {deck_uuid}")
        return options_from_json(row.options)[0]


def set_deck_options(col: Collection, deck_uuid: str, options: DeckOptions) -> Changes:
    """Store a deck's options; a change of scheduler replays every card's log through the
    new one. One operation, undone as one step."""
    problems = check_options(options)
    if problems:
        raise DeckOptionsError("; ".join(problems))

    def write(op: ops.Op) -> Changes:
        deck = repo.get_deck_by_uuid(deck_uuid, session=op.session)
        if deck is None or deck.id is None:
            raise DeckOptionsError(f"no deck with id {deck_uuid}")
        before = options_from_json(deck.options)[0]
        switching = before.scheduler != options.scheduler
        cards = repo.list_deck_cards(deck.id, session=op.session) if switching else []
        ids = [c.id for c in cards if c.id is not None]
        op.capture(decks=[deck.id], states=ids)
        op.label = (
            f"Switch {deck.name} to {options.scheduler.upper()}"
            if switching
            else f"Options of {deck.name}"
        )
        repo.set_deck_options(deck.id, options.to_json(), session=op.session)
        changed: list[CardUuid] = []
        if switching:
            scheduler = answering.deck_scheduler(col, options.to_json())
            logs = repo.list_reviews(ids, session=op.session)
            today = col.today()
            for card in cards:
                state = op.session.get(CardState, card.id)
                if state is None or card.id is None:
                    continue
                replayed = replay(
                    answering.schedule_of(state), logs.get(card.id, []), scheduler, today
                )
                if replayed != answering.schedule_of(state):
                    _write_schedule(state, replayed)
                    op.session.add(state)
                    changed.append(CardUuid(card.uuid))
        return Changes(
            updated=tuple(changed),
            decks=(DeckUuid(deck_uuid),),
            deck=True,
            schedule=switching,
        )

    result: Changes = ops.run(col, "Deck options", _changing(write))
    return result


def replay(
    schedule: Schedule,
    log: list[ReviewLog],
    scheduler: Sm2Scheduler | FsrsScheduler,
    today: date,
) -> Schedule:
    """The card's schedule as `scheduler` computes it from the card's own log."""
    scheduled = [
        LoggedReview(r.quality, date.fromordinal(r.study_day), r.kind)
        for r in log
        if r.kind in scheduler.answer_kinds
    ]
    if not scheduled:
        if isinstance(scheduler, FsrsScheduler) and schedule.due_day is not None:
            memory = schedule.fsrs_memory(scheduler, today)
            return replace(schedule, stability=memory.stability, difficulty=memory.difficulty)
        return schedule
    last = scheduled[-1].at
    assert isinstance(last, date)
    if isinstance(scheduler, FsrsScheduler):
        fsrs_memory = scheduler.state_from_log(scheduled)
        return replace(
            schedule,
            stability=fsrs_memory.stability,
            difficulty=fsrs_memory.difficulty,
            interval=fsrs_memory.interval,
            due_day=sm2.due_date(last, fsrs_memory.interval).toordinal(),
            last_review_day=last.toordinal(),
        )
    sm2_memory = scheduler.state_from_log(scheduled)
    return replace(
        schedule,
        repetitions=sm2_memory.sm2.repetitions,
        easiness_hundredths=int(sm2_memory.sm2.easiness * 100),
        interval=sm2_memory.interval,
        due_day=sm2.due_date(last, sm2_memory.interval).toordinal(),
        last_review_day=last.toordinal(),
    )


def _write_schedule(state: CardState, schedule: Schedule) -> None:
    state.repetitions = schedule.repetitions
    state.easiness_hundredths = schedule.easiness_hundredths
    state.interval = schedule.interval
    state.due_day = schedule.due_day
    state.stability = schedule.stability
    state.difficulty = schedule.difficulty
    state.last_review_day = schedule.last_review_day


def _changing(write: Callable[[ops.Op], Changes]) -> Callable[[ops.Op], Changes]:
    def run(op: ops.Op) -> Changes:
        changes = write(op)
        op.changed(changes)
        return changes

    return run
