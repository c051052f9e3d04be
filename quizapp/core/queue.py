"""Which card comes next: daily limits, due reviews before new cards, and the same-day drill.

The database supplies the candidates; this module decides the order, so the rules can be
tested without a database or a clock. A session is a frozen value and every answer gives a
new one, which is also what makes undo trivial: keep the previous value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from quizapp.core.sm2 import DRILL_THRESHOLD

DRILL_GAP = 3
"""A drilled card waits for this many other answers, when there are any, before it returns."""


@dataclass(frozen=True)
class Limits:
    new_per_day: int = 20
    reviews_per_day: int = 200

    def __post_init__(self) -> None:
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits are never negative")


@dataclass(frozen=True)
class DeckCandidates:
    """One deck's cards that could be studied today, in the order they should come."""

    due: Sequence[str] = ()
    """Review cards due today or earlier, most overdue first."""
    new: Sequence[str] = ()
    """New cards, in deck order."""
    drill: Sequence[str] = ()
    """Cards graded below 4 earlier today that have not yet scored 4 or more."""
    new_done_today: int = 0
    reviews_done_today: int = 0


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    due: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.due


@dataclass(frozen=True)
class CandidateCounts:
    """How many candidates a deck has (the database counts them; the list is not needed)."""

    due: int = 0
    new: int = 0
    drill: int = 0
    new_done_today: int = 0
    reviews_done_today: int = 0


def counts_for(candidates: DeckCandidates | CandidateCounts, limits: Limits) -> DeckCounts:
    """Today's counts of a deck, held to what is left of the daily limits."""
    if isinstance(candidates, DeckCandidates):
        candidates = CandidateCounts(
            due=len(candidates.due),
            new=len(candidates.new),
            drill=len(candidates.drill),
            new_done_today=candidates.new_done_today,
            reviews_done_today=candidates.reviews_done_today,
        )
    return DeckCounts(
        new=min(candidates.new, max(0, limits.new_per_day - candidates.new_done_today)),
        learning=candidates.drill,
        due=min(candidates.due, max(0, limits.reviews_per_day - candidates.reviews_done_today)),
    )


@dataclass(frozen=True)
class SessionQueue:
    pending: tuple[str, ...] = ()
    drill: tuple[tuple[str, int], ...] = ()
    """(card id, the step from which it may come back)."""
    step: int = 0
    answered: int = field(default=0)

    @property
    def remaining(self) -> int:
        return len(self.pending) + len(self.drill)

    def current(self) -> str | None:
        ready = [card for card, at in self.drill if at <= self.step]
        if ready:
            return ready[0]
        if self.pending:
            return self.pending[0]
        if self.drill:
            return min(self.drill, key=lambda item: item[1])[0]
        return None

    def after_answer(self, card_id: str, quality: int) -> SessionQueue:
        """The queue once `card_id` was answered with `quality`."""
        pending = tuple(c for c in self.pending if c != card_id)
        drill = tuple(item for item in self.drill if item[0] != card_id)
        if quality < DRILL_THRESHOLD:
            drill += ((card_id, self.step + 1 + DRILL_GAP),)
        return replace(
            self, pending=pending, drill=drill, step=self.step + 1, answered=self.answered + 1
        )

    def is_drill(self, card_id: str) -> bool:
        return any(card == card_id for card, _ in self.drill)


def plan_session(decks: Iterable[DeckCandidates], limits: Limits) -> SessionQueue:
    """Due reviews of every deck first, then new cards, each deck held to its daily limits.

    Cards already in today's drill come first: they were failed minutes or hours ago.
    """
    due: list[str] = []
    new: list[str] = []
    drill: list[str] = []
    for deck in decks:
        counts = counts_for(deck, limits)
        due.extend(deck.due[: counts.due])
        new.extend(deck.new[: counts.new])
        drill.extend(deck.drill)
    seen = set(drill)
    pending = tuple(c for c in (*due, *new) if c not in seen)
    return SessionQueue(pending=pending, drill=tuple((c, 0) for c in drill))
