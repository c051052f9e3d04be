"""Queries for statistics, mock interviews, question sets and cram.

Verb-first, `*, session`, never commit (the services do). Rows come back as the plain
values of `core.stats` and `core.interview`, so the figures are computed outside SQL.
A card's section is its deck's `section`, or the deck's name when the deck has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from quizapp.core.model import Card as CoreCard
from quizapp.core.model import Kind
from quizapp.core.stats import CardRow, ReviewRow
from quizapp.storage.codec import card_from_json
from quizapp.storage.tables import (
    Card,
    CardState,
    Deck,
    Interview,
    InterviewAnswer,
    QuestionSet,
    QuestionSetCard,
    ReviewLog,
)


def _section(deck: Deck) -> str:
    return deck.section or deck.name


def list_stat_cards(*, session: Session) -> list[CardRow]:
    """Every card still in a deck, with its SM-2 state."""
    query: Any = (
        select_columns(
            col(Card.uuid),
            col(Card.kind),
            col(Card.tags),
            col(Deck.section),
            col(Deck.name),
            CardState,
        )
        .join(Deck, col(Deck.id) == col(Card.deck_id))
        .join(CardState, col(CardState.card_id) == col(Card.id))
        .where(col(Card.retired).is_(False))
        .order_by(col(Deck.position), col(Card.position))
    )
    rows = session.exec(query)
    return [
        CardRow(
            uuid=uuid,
            section=section or name,
            kind=kind,
            repetitions=state.repetitions,
            interval=state.interval,
            easiness_hundredths=state.easiness_hundredths,
            due_day=state.due_day,
            suspended=state.suspended,
            tags=tuple(tags.split()),
        )
        for uuid, kind, tags, section, name, state in rows
    ]


def list_stat_reviews(*, session: Session) -> list[ReviewRow]:
    """The whole review log (retired cards included: their history still counts), oldest first."""
    query: Any = (
        select_columns(
            col(Card.uuid),
            col(Deck.section),
            col(Deck.name),
            col(ReviewLog.study_day),
            col(ReviewLog.kind),
            col(ReviewLog.quality),
            col(ReviewLog.correct),
            col(ReviewLog.answer),
            col(ReviewLog.seconds),
        )
        .join(Card, col(Card.id) == col(ReviewLog.card_id))
        .join(Deck, col(Deck.id) == col(Card.deck_id))
        .order_by(col(ReviewLog.id))
    )
    rows = session.exec(query)
    return [
        ReviewRow(
            card_uuid=uuid,
            section=section or name,
            study_day=day,
            log_kind=kind,
            quality=quality,
            correct=correct,
            answer=answer,
            seconds=seconds,
        )
        for uuid, section, name, day, kind, quality, correct, answer, seconds in rows
    ]


def get_cards_of_kind(kind: Kind, *, session: Session) -> dict[str, CoreCard]:
    rows = session.exec(select(Card).where(Card.kind == kind.value))
    return {row.uuid: card_from_json(row.content) for row in rows}


def get_cards_with_section(
    uuids: Sequence[str], *, session: Session
) -> dict[str, tuple[Card, CoreCard, str, str]]:
    """(row, card, section, deck name) by uuid, for the given cards."""
    found: dict[str, tuple[Card, CoreCard, str, str]] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        for row, deck in session.exec(
            select(Card, Deck)
            .join(Deck, col(Deck.id) == col(Card.deck_id))
            .where(col(Card.uuid).in_(wanted[start : start + 500]))
        ):
            found[row.uuid] = (row, card_from_json(row.content), _section(deck), deck.name)
    return found


def list_studyable_uuids(
    *,
    deck_uuid: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    session: Session,
) -> list[str]:
    """Cards in a deck, a section or with a tag (not retired, not suspended), in deck order."""
    query: Any = (
        select_columns(
            col(Card.uuid), col(Card.tags), col(Deck.uuid), col(Deck.section), col(Deck.name)
        )
        .join(Deck, col(Deck.id) == col(Card.deck_id))
        .join(CardState, col(CardState.card_id) == col(Card.id))
        .where(col(Card.retired).is_(False), col(CardState.suspended).is_(False))
        .order_by(col(Deck.position), col(Card.position))
    )
    chosen = []
    for uuid, tags, deck, deck_section, deck_name in session.exec(query):
        if deck_uuid is not None and deck != deck_uuid:
            continue
        if section is not None and (deck_section or deck_name) != section:
            continue
        if tag is not None and tag not in tags.split():
            continue
        chosen.append(uuid)
    return chosen


def list_tags(*, session: Session) -> list[str]:
    tags: set[str] = set()
    for text in session.exec(select(Card.tags).where(col(Card.retired).is_(False))):
        tags.update(text.split())
    return sorted(tags)


def set_suspended(card_uuid: str, suspended: bool, *, session: Session) -> bool:
    """False when the card does not exist."""
    found = session.exec(
        select(CardState)
        .join(Card, col(Card.id) == col(CardState.card_id))
        .where(Card.uuid == card_uuid)
    ).first()
    if found is None:
        return False
    found.suspended = suspended
    session.add(found)
    return True


# --- interviews ---------------------------------------------------------------------------


def add_interview(row: Interview, card_ids: Sequence[int], *, session: Session) -> Interview:
    session.add(row)
    session.flush()
    assert row.id is not None
    for position, card_id in enumerate(card_ids, start=1):
        session.add(InterviewAnswer(interview_id=row.id, position=position, card_id=card_id))
    session.flush()
    return row


def get_interview(uuid: str, *, session: Session) -> Interview | None:
    return session.exec(select(Interview).where(Interview.uuid == uuid)).first()


def list_interviews(*, session: Session) -> list[Interview]:
    """Finished interviews, newest first."""
    return list(
        session.exec(
            select(Interview)
            .where(col(Interview.finished_at).is_not(None))
            .order_by(col(Interview.started_at).desc(), col(Interview.id).desc())
        )
    )


def list_interview_answers(
    interview_id: int, *, session: Session
) -> list[tuple[InterviewAnswer, Card, Deck]]:
    return [
        (answer, card, deck)
        for answer, card, deck in session.exec(
            select(InterviewAnswer, Card, Deck)
            .join(Card, col(Card.id) == col(InterviewAnswer.card_id))
            .join(Deck, col(Deck.id) == col(Card.deck_id))
            .where(InterviewAnswer.interview_id == interview_id)
            .order_by(col(InterviewAnswer.position))
        )
    ]


def get_interview_answer(
    interview_id: int, position: int, *, session: Session
) -> InterviewAnswer | None:
    return session.exec(
        select(InterviewAnswer).where(
            InterviewAnswer.interview_id == interview_id, InterviewAnswer.position == position
        )
    ).first()


# --- question sets ------------------------------------------------------------------------


def get_question_set(name: str, *, session: Session) -> QuestionSet | None:
    return session.exec(select(QuestionSet).where(QuestionSet.name == name)).first()


def list_question_sets(*, session: Session) -> list[QuestionSet]:
    return list(session.exec(select(QuestionSet).order_by(col(QuestionSet.name))))


def save_question_set(
    name: str,
    uuid: str,
    card_ids: Sequence[int],
    *,
    description: str,
    created_at: datetime,
    session: Session,
) -> QuestionSet:
    """Create the set, or replace the cards of the one with this name."""
    row = get_question_set(name, session=session) or QuestionSet(
        uuid=uuid, name=name, created_at=created_at
    )
    row.description = description
    session.add(row)
    session.flush()
    assert row.id is not None
    for old in session.exec(select(QuestionSetCard).where(QuestionSetCard.set_id == row.id)):
        session.delete(old)
    session.flush()
    for position, card_id in enumerate(card_ids, start=1):
        session.add(QuestionSetCard(set_id=row.id, position=position, card_id=card_id))
    session.flush()
    return row


def list_question_set_cards(set_id: int, *, session: Session) -> list[str]:
    """The set's card uuids in order (retired cards included: the set still names them)."""
    return list(
        session.exec(
            select(Card.uuid)
            .join(QuestionSetCard, col(QuestionSetCard.card_id) == col(Card.id))
            .where(QuestionSetCard.set_id == set_id)
            .order_by(col(QuestionSetCard.position))
        )
    )


def delete_question_set(name: str, *, session: Session) -> bool:
    row = get_question_set(name, session=session)
    if row is None:
        return False
    for old in session.exec(select(QuestionSetCard).where(QuestionSetCard.set_id == row.id)):
        session.delete(old)
    session.flush()
    session.delete(row)
    return True
