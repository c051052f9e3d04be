"""Studying: the deck overview, a sitting's queue, and answering its cards.

Answers are recorded by the one answer operation (`services.answering`); a sitting only
keeps its place. Edit → Undo is the collection's one undo stack: when it takes back an
answer of a sitting, the sitting hears of it through the `Changes` (`Sitting.take_back`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from quizapp.core import sm2
from quizapp.core.changes import Changes
from quizapp.core.deck_options import options_from_json
from quizapp.core.grading import Answer
from quizapp.core.ids import CardUuid, ReviewId
from quizapp.core.model import Card
from quizapp.core.queue import (
    Limits,
    SessionQueue,
    day_seed,
    plan_session,
)
from quizapp.core.review import Mode, Schedule, Scheduler
from quizapp.services import answering
from quizapp.services.collection import Collection
from quizapp.services.overview import DeckFacts, DeckSummary, own_limits, summaries_of
from quizapp.storage import repo
from quizapp.storage.tables import DeckRow


def _limits(col: Collection) -> Limits:
    return Limits(col.settings.new_per_day, col.settings.reviews_per_day)


def _own_limits(decks: Sequence[DeckRow], default: Limits) -> dict[int, Limits]:
    """Each deck's daily limits: its options' own, or Settings' (Anki's per-deck limits)."""
    return {d.id: own_limits(d.options, default) for d in decks if d.id is not None}


def deck_overview(col: Collection) -> list[DeckSummary]:
    """Every deck with today's new, learning and due counts, held to the daily limits."""
    today = col.today().toordinal()
    limits = _limits(col)
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        ids = [d.id for d in decks if d.id is not None]
        sizes = repo.count_cards_by_deck(session=session)
        own = _own_limits(decks, limits)
        candidates = repo.count_candidates(
            ids,
            today,
            new_limit=limits.new_per_day,
            review_limit=limits.reviews_per_day,
            session=session,
            own_limits=own,
        )
    facts = [DeckFacts(d.id, d.uuid, d.name, d.section, d.description) for d in decks]
    return summaries_of(facts, sizes, candidates, own)


@dataclass(frozen=True)
class CardView:
    card: Card
    deck_name: str
    schedule: Schedule
    is_drill: bool
    scheduler: Scheduler
    """The deck's: what the grade buttons ask for each grade's next interval."""

    @property
    def is_new(self) -> bool:
        return self.schedule.is_new

    @property
    def state(self) -> sm2.Sm2State:
        return self.schedule.sm2


@dataclass(frozen=True)
class Given:
    """One answer given in a sitting: what the sitting needs to take it back."""

    review_id: ReviewId
    card_uuid: CardUuid
    queue_before: SessionQueue
    right: bool
    seconds: float


@dataclass
class Sitting:
    """One sitting at the desk: the cards to go through and what was answered so far.

    A sitting writes nothing itself: `answer_current` records each answer through the one
    answer operation (`services.answering`), and when Edit → Undo removes one of this
    sitting's answers, `take_back` (called with the `Changes` the undo published) puts the
    card back in front of the queue. (The database session is `session`; a learner's
    sitting is never called that.)
    """

    deck_uuids: tuple[str, ...]
    queue: SessionQueue
    total: int
    mode: Mode = Mode.STUDY
    label: str = ""
    """What a cram sitting studies ("Ownership", "tag async")."""
    given: list[Given] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return len(self.given)

    @property
    def correct(self) -> int:
        return sum(g.right for g in self.given)

    @property
    def graded(self) -> int:
        return len(self.given)

    @property
    def seconds(self) -> float:
        return sum(g.seconds for g in self.given)

    @property
    def progress(self) -> tuple[int, int]:
        """(done, done + still to come) for a progress bar; drill cards make the total grow."""
        return self.answered, self.answered + self.queue.remaining

    @property
    def finished(self) -> bool:
        return self.queue.current() is None

    def owns(self, changes: Changes) -> bool:
        """Whether `changes` undid one of this sitting's answers (the study page asks after
        every answer: those undo nothing, so the answers given so far are not gone through)."""
        if not changes.answers_undone:
            return False
        mine = {g.review_id for g in self.given}
        return any(r in mine for r in changes.answers_undone)

    def take_back(self, changes: Changes) -> CardUuid | None:
        """Forget the answers an undo removed; the card to show again, if any was ours."""
        undone = set(changes.answers_undone)
        back = None
        while self.given and self.given[-1].review_id in undone:
            gone = self.given.pop()
            self.queue = gone.queue_before
            back = gone.card_uuid
        return back


def start_sitting(col: Collection, deck_uuids: list[str] | None = None) -> Sitting:
    """A sitting over the given decks, or over every deck ("study all due")."""
    today = col.today().toordinal()
    limits = _limits(col)
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        chosen = [d for d in decks if deck_uuids is None or d.uuid in deck_uuids]
        ids = [d.id for d in chosen if d.id is not None]
        own = _own_limits(chosen, limits)
        candidates = repo.get_candidates(
            ids,
            today,
            new_limit=limits.new_per_day,
            review_limit=limits.reviews_per_day,
            session=session,
            new_order={
                d.id: options_from_json(d.options)[0].new_order for d in chosen if d.id is not None
            },
            own_limits=own,
        )
    queue = plan_session([candidates[i] for i in ids], [own[i] for i in ids], seed=day_seed(today))
    return Sitting(deck_uuids=tuple(d.uuid for d in chosen), queue=queue, total=queue.remaining)


def current_card(col: Collection, sitting: Sitting) -> CardView | None:
    """The card to show now; cards deleted or retired since the sitting began (in the
    browser, the editor, a deck delete or an import) are skipped, never shown or crashed on.

    Read in plain SQL on the connection kept for answers (`storage.shown_rows`): this is
    what the learner waits on after every answer, and the ORM's three queries cost eight
    times the answer itself."""
    with col.db.kept_reads() as rows:
        while True:
            uuid = sitting.queue.current()
            if uuid is None:
                return None
            found = rows.read(uuid)
            if found is not None and not found.retired:
                break
            sitting.queue = sitting.queue.without(uuid)
            sitting.total = max(0, sitting.total - 1)
    return CardView(
        card=found.card,
        deck_name=found.deck_name,
        schedule=found.schedule,
        is_drill=sitting.queue.is_drill(uuid),
        scheduler=answering.deck_scheduler(col, found.options),
    )


check_answer = answering.check


def answer_current(
    col: Collection, sitting: Sitting, graded: answering.Graded, quality: int, *, seconds: float
) -> answering.Answered:
    """Record the answer to the sitting's current card and move the sitting on."""
    before = sitting.queue
    done = answering.answer(col, graded, quality, seconds=seconds, mode=sitting.mode)
    right = (
        graded.verdict.correct
        if graded.verdict.correct is not None
        else quality >= sm2.PASS_THRESHOLD
    )
    sitting.given.append(Given(done.review_id, done.card_uuid, before, right, max(0.0, seconds)))
    sitting.queue = before.after_answer(graded.card.id, quality)
    return done


def answer_card(
    col: Collection,
    sitting: Sitting,
    view: CardView,
    answer: Answer,
    quality: int,
    *,
    seconds: float,
) -> answering.Answered:
    """`answer_current` for callers with no verdict on screen (scripts, the CLI, tests):
    grades `answer` for `view`'s card, then records it the one way."""
    return answer_current(
        col, sitting, answering.check(view.card, answer), quality, seconds=seconds
    )


@dataclass(frozen=True)
class SessionSummary:
    answered: int
    correct_percent: float | None
    seconds: float
    next_due: date | None
    due_left_today: int


def summarize(col: Collection, sitting: Sitting) -> SessionSummary:
    today = col.today().toordinal()
    with col.db.session() as session:
        decks = [d for d in repo.list_decks(session=session) if d.uuid in sitting.deck_uuids]
        ids = [d.id for d in decks if d.id is not None]
        next_due = repo.get_earliest_due(ids, today, session=session)
    overview = deck_overview(col)  # "still to study today" counts every deck, not only these
    return SessionSummary(
        answered=sitting.answered,
        correct_percent=(100.0 * sitting.correct / sitting.graded) if sitting.graded else None,
        seconds=sitting.seconds,
        next_due=date.fromordinal(next_due) if next_due is not None else None,
        due_left_today=sum(s.counts.due + s.counts.learning for s in overview),
    )
