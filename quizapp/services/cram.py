"""Cram: study a deck, a section or a tag right now, ahead of schedule, leaving SM-2 alone.

Like Anki's filtered deck without rescheduling and Mnemosyne's cramming: answers are logged
with kind "cram" (so the heatmap and misconceptions see them) with the card's state copied
unchanged into the before and after columns, and `card_state` is never written. Cards graded
below 4 come back in the same sitting, as in a study session.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC

from quizapp.core.grading import Answer, grade, quality_allowed
from quizapp.core.queue import SessionQueue
from quizapp.services import study, undo
from quizapp.services.collection import Collection
from quizapp.storage import repo, stats_repo
from quizapp.storage.tables import ReviewLog

CRAM_KIND = "cram"


class NothingToCram(Exception):
    """The chosen deck, section or tag holds no card that can be studied."""


@dataclass
class CramSession(study.StudySession):
    """A study session whose answers do not reschedule; `cram_log` is what undo takes back."""

    label: str = ""
    cram_log: list[tuple[int, SessionQueue, bool, float]] = field(default_factory=list)


@dataclass(frozen=True)
class CramTargets:
    decks: list[tuple[str, str]]
    """(uuid, name)"""
    sections: list[str]
    tags: list[str]


def cram_targets(col: Collection) -> CramTargets:
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        tags = stats_repo.list_tags(session=session)
    return CramTargets(
        decks=[(d.uuid, d.name) for d in decks],
        sections=list(dict.fromkeys(d.section or d.name for d in decks)),
        tags=tags,
    )


def start_cram(
    col: Collection,
    *,
    deck_uuid: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
    rng: random.Random | None = None,
) -> CramSession:
    """A sitting over every studyable card of the target, shuffled, at most `limit` of them."""
    with col.db.session() as session:
        cards = stats_repo.list_studyable_cards(
            deck_uuid=deck_uuid, section=section, tag=tag, session=session
        )
        all_decks = repo.list_decks(session=session)
    uuids = [card for card, _deck in cards]
    holding = {deck for _card, deck in cards}
    decks = {d.uuid: d.name for d in all_decks}
    deck_uuids = tuple(d.uuid for d in all_decks if d.uuid in holding)
    if not uuids:
        raise NothingToCram("Nothing to cram there: no card that can be studied.")
    (rng or random.Random()).shuffle(uuids)
    if limit is not None:
        uuids = uuids[: max(1, limit)]
    label = decks.get(deck_uuid or "", "") or section or (f"tag {tag}" if tag else "")
    queue = SessionQueue(pending=tuple(uuids))
    return CramSession(deck_uuids=deck_uuids, queue=queue, total=len(uuids), label=label)


def answer_cram(
    col: Collection,
    sitting: CramSession,
    view: study.CardView,
    answer: Answer,
    quality: int,
    *,
    seconds: float,
) -> bool | None:
    """Log one cram answer (never touching `card_state`) and move the sitting on."""
    verdict = grade(view.card, answer)
    if not quality_allowed(verdict, quality):
        raise ValueError(f"q={quality} is outside the band this answer earned")
    from quizapp.core.grading import answer_to_json

    with col.db.session() as session:
        found = repo.get_card_with_state(view.card.id, session=session)
        if found is None:
            raise LookupError(f"card {view.card.id} vanished from the collection")
        _row, state = found
        log = ReviewLog(
            card_id=state.card_id,
            reviewed_at=col.now().astimezone(UTC),
            study_day=col.today().toordinal(),
            kind=CRAM_KIND,
            answer=answer_to_json(answer),
            correct=verdict.correct,
            quality=quality,
            repetitions_before=state.repetitions,
            repetitions_after=state.repetitions,
            easiness_before=state.easiness_hundredths,
            easiness_after=state.easiness_hundredths,
            interval_before=state.interval,
            interval_after=state.interval,
            due_day_before=state.due_day,
            due_day_after=state.due_day,
            drill_day_before=state.drill_day,
            seconds=max(0.0, seconds),
        )
        repo.add_review(log, session=session)
        session.commit()
        assert log.id is not None
        log_id = log.id
    right = verdict.correct if verdict.correct is not None else quality >= 3
    sitting.cram_log.append((log_id, sitting.queue, right, max(0.0, seconds)))
    undo.record_answer(col, sitting, "last cram answer")
    sitting.queue = sitting.queue.after_answer(view.card.id, quality)
    sitting.answered += 1
    sitting.graded += 1
    sitting.correct += right
    sitting.seconds += max(0.0, seconds)
    return verdict.correct


def undo_cram(col: Collection, sitting: CramSession) -> str | None:
    """Take back the last cram answer: its log row goes; there is no state to restore."""
    if not sitting.cram_log or not undo.answer_is_newest(col, sitting):
        return None
    log_id, queue, right, seconds = sitting.cram_log[-1]
    with col.db.session() as session:
        log = repo.get_review(log_id, session=session)
        if log is not None and log.kind == CRAM_KIND:
            session.delete(log)
            session.commit()
    undo.forget_answer(col, sitting)
    sitting.cram_log.pop()
    sitting.queue = queue
    sitting.answered -= 1
    sitting.graded -= 1
    sitting.correct -= right
    sitting.seconds -= seconds
    return queue.current()
