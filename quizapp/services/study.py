"""Studying: the deck overview, a session's queue, answering a card, and undo.

`answer_card` is the one write on the hot path: one transaction that appends to the
review log and updates the card's state, then returns what changed. Undo restores the
state recorded in that log row and removes the row, as Anki does: an undone answer was
never given. Each answer is also a step of the collection's one undo stack
(`services.undo`), so Edit → Undo takes back answers and operations in the order they
were done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from fractions import Fraction

from quizapp.core import sm2
from quizapp.core.grading import (
    Answer,
    Verdict,
    answer_to_json,
    grade,
    quality_allowed,
)
from quizapp.core.model import Card
from quizapp.core.queue import DeckCounts, Limits, SessionQueue, counts_for, plan_session
from quizapp.services import undo
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.tables import CardState, Deck, ReviewLog


@dataclass(frozen=True)
class DeckSummary:
    uuid: str
    name: str
    section: str
    description: str
    cards: int
    counts: DeckCounts


def _limits(col: Collection) -> Limits:
    return Limits(col.settings.new_per_day, col.settings.reviews_per_day)


def deck_overview(col: Collection) -> list[DeckSummary]:
    """Every deck with today's new, learning and due counts, held to the daily limits."""
    today = col.today().toordinal()
    limits = _limits(col)
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        ids = [d.id for d in decks if d.id is not None]
        sizes = repo.count_cards_by_deck(session=session)
        candidates = repo.count_candidates(
            ids,
            today,
            new_limit=limits.new_per_day,
            review_limit=limits.reviews_per_day,
            session=session,
        )
    return [
        DeckSummary(
            uuid=d.uuid,
            name=d.name,
            section=d.section,
            description=d.description,
            cards=sizes.get(d.id, 0) if d.id is not None else 0,
            counts=counts_for(candidates[d.id], limits)
            if d.id is not None
            else DeckCounts(0, 0, 0),
        )
        for d in decks
    ]


@dataclass(frozen=True)
class CardView:
    card: Card
    deck_name: str
    state: sm2.Sm2State
    is_new: bool
    is_drill: bool


@dataclass(frozen=True)
class AnswerResult:
    card_uuid: str
    verdict: Verdict
    quality: int
    state_after: sm2.Sm2State
    due: date | None
    was_drill: bool


@dataclass(frozen=True)
class _UndoEntry:
    log_id: int
    queue: SessionQueue
    correct: bool | None
    seconds: float


@dataclass
class StudySession:
    """One sitting. Holds the queue and what undo needs; all writes go through the functions below."""

    deck_uuids: tuple[str, ...]
    queue: SessionQueue
    total: int
    answered: int = 0
    correct: int = 0
    graded: int = 0
    seconds: float = 0.0
    undo_stack: list[_UndoEntry] = field(default_factory=list)

    @property
    def progress(self) -> tuple[int, int]:
        """(done, done + still to come) for a progress bar; drill cards make the total grow."""
        return self.answered, self.answered + self.queue.remaining

    @property
    def finished(self) -> bool:
        return self.queue.current() is None


def start_session(col: Collection, deck_uuids: list[str] | None = None) -> StudySession:
    """A session over the given decks, or over every deck ("study all due")."""
    today = col.today().toordinal()
    limits = _limits(col)
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        chosen = [d for d in decks if deck_uuids is None or d.uuid in deck_uuids]
        ids = [d.id for d in chosen if d.id is not None]
        candidates = repo.get_candidates(
            ids,
            today,
            new_limit=limits.new_per_day,
            review_limit=limits.reviews_per_day,
            session=session,
        )
    queue = plan_session([candidates[i] for i in ids], limits)
    return StudySession(
        deck_uuids=tuple(d.uuid for d in chosen), queue=queue, total=queue.remaining
    )


def current_card(col: Collection, study: StudySession) -> CardView | None:
    uuid = study.queue.current()
    if uuid is None:
        return None
    with col.db.session() as session:
        found = repo.get_card_with_state(uuid, session=session)
        if found is None:
            raise LookupError(f"card {uuid} vanished from the collection")
        row, state = found
        deck_row = session.get(Deck, row.deck_id)
        return CardView(
            card=repo.load_card(row),
            deck_name=deck_row.name if deck_row else "",
            state=_sm2_state(state),
            is_new=state.due_day is None,
            is_drill=study.queue.is_drill(uuid),
        )


def check_answer(view: CardView, answer: Answer) -> Verdict:
    """Grade without saving: the window shows the verdict, then the learner picks q."""
    return grade(view.card, answer)


def answer_card(
    col: Collection,
    study: StudySession,
    view: CardView,
    answer: Answer,
    quality: int,
    *,
    seconds: float,
) -> AnswerResult:
    """Record one answer in one transaction and advance the session."""
    verdict = grade(view.card, answer)
    if not quality_allowed(verdict, quality):
        raise ValueError(
            f"q={quality} is outside the band of a {'right' if verdict.correct else 'wrong'} answer"
        )
    now = col.now()
    today = col.today()
    with col.db.session() as session:
        # Plain statements, not ORM loads and flushes: this runs on every answer.
        state = repo.get_state_by_uuid(view.card.id, session=session)
        if state is None:
            raise LookupError(f"card {view.card.id} vanished from the collection")
        before = _sm2_state(state)
        drill = state.drill_day == today.toordinal()
        log_kind = "drill" if drill else ("new" if state.due_day is None else "review")
        log = ReviewLog(
            card_id=state.card_id,
            reviewed_at=now.astimezone(UTC),
            study_day=today.toordinal(),
            kind=log_kind,
            answer=answer_to_json(answer),
            correct=verdict.correct,
            quality=quality,
            repetitions_before=before.repetitions,
            easiness_before=_hundredths(before.easiness),
            interval_before=before.interval,
            due_day_before=state.due_day,
            drill_day_before=state.drill_day,
            repetitions_after=before.repetitions,
            easiness_after=_hundredths(before.easiness),
            interval_after=before.interval,
            due_day_after=state.due_day,
            seconds=max(0.0, seconds),
        )
        after, due = before, state.due_day
        if not drill:
            after = sm2.review(before, quality, max_interval=col.settings.max_interval)
            due = sm2.due_date(today, after.interval).toordinal()
            state.repetitions = after.repetitions
            state.easiness_hundredths = _hundredths(after.easiness)
            state.interval = after.interval
            state.due_day = due
            state.reviews += 1
            state.lapses += quality < sm2.PASS_THRESHOLD and before.repetitions > 0
            log.repetitions_after, log.easiness_after = (
                after.repetitions,
                _hundredths(after.easiness),
            )
            log.interval_after, log.due_day_after = after.interval, due
        state.drill_day = today.toordinal() if quality < sm2.DRILL_THRESHOLD else None
        repo.update_state(state, session=session)
        log_id = repo.insert_review(log, session=session)
        session.commit()
    study.undo_stack.append(_UndoEntry(log_id, study.queue, verdict.correct, seconds))
    undo.record_answer(col, study)
    study.queue = study.queue.after_answer(view.card.id, quality)
    study.answered += 1
    study.seconds += max(0.0, seconds)
    if verdict.correct is not None:
        study.graded += 1
        study.correct += bool(verdict.correct)
    else:
        study.graded += 1
        study.correct += quality >= sm2.PASS_THRESHOLD
    return AnswerResult(
        card_uuid=view.card.id,
        verdict=verdict,
        quality=quality,
        state_after=after,
        due=date.fromordinal(due) if due is not None else None,
        was_drill=drill,
    )


def undo_last(col: Collection, study: StudySession) -> str | None:
    """Take back the session's last answer; returns the card's uuid, to show it again.

    Only while that answer is the newest step of the collection's undo stack: something
    done since (an operation in the browser) is undone first.
    """
    if not study.undo_stack or not undo.answer_is_newest(col, study):
        return None
    entry = study.undo_stack[-1]
    with col.db.session() as session:
        log = repo.get_review(entry.log_id, session=session)
        if log is None:
            raise LookupError("the answer to undo is no longer in the review log")
        state = session.get(CardState, log.card_id)
        assert state is not None
        state.repetitions = log.repetitions_before
        state.easiness_hundredths = log.easiness_before
        state.interval = log.interval_before
        state.due_day = log.due_day_before
        state.drill_day = log.drill_day_before
        if log.kind != "drill":
            state.reviews -= 1
            state.lapses -= log.quality < sm2.PASS_THRESHOLD and log.repetitions_before > 0
        session.add(state)
        session.delete(log)
        session.commit()
    undo.forget_answer(col, study)
    study.undo_stack.pop()
    study.queue = entry.queue
    study.answered -= 1
    study.seconds -= max(0.0, entry.seconds)
    study.graded -= 1
    if entry.correct is not None:
        study.correct -= bool(entry.correct)
    else:
        study.correct -= log.quality >= sm2.PASS_THRESHOLD
    return entry.queue.current()


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct_percent: float | None
    seconds: float
    next_due: date | None
    due_left_today: int


def summarize(col: Collection, study: StudySession) -> SessionSummary:
    today = col.today().toordinal()
    with col.db.session() as session:
        decks = [d for d in repo.list_decks(session=session) if d.uuid in study.deck_uuids]
        ids = [d.id for d in decks if d.id is not None]
        next_due = repo.get_earliest_due(ids, today, session=session)
    overview = [s for s in deck_overview(col) if s.uuid in study.deck_uuids]
    return SessionSummary(
        answered=study.answered,
        correct_percent=(100.0 * study.correct / study.graded) if study.graded else None,
        seconds=study.seconds,
        next_due=date.fromordinal(next_due) if next_due is not None else None,
        due_left_today=sum(s.counts.due + s.counts.learning for s in overview),
    )


def _sm2_state(state: CardState) -> sm2.Sm2State:
    return sm2.Sm2State(
        repetitions=state.repetitions,
        easiness=Fraction(state.easiness_hundredths, 100),
        interval=state.interval,
    )


def _hundredths(easiness: Fraction) -> int:
    return int(easiness * 100)
