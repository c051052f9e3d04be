"""Which card comes next: daily limits, due reviews before new cards, and the same-day drill.

The database supplies the candidates; this module decides the order, so the rules can be
tested without a database or a clock. A session is a frozen value and every answer gives a
new one, which is also what makes undo trivial: keep the previous value.
"""

from __future__ import annotations

import random
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
    """New cards, in the order they should come (`order_new`)."""
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

    def without(self, card_id: str) -> SessionQueue:
        """The queue with `card_id` gone (it was deleted or retired while the sitting ran)."""
        return replace(
            self,
            pending=tuple(c for c in self.pending if c != card_id),
            drill=tuple(item for item in self.drill if item[0] != card_id),
        )


def plan_session(
    decks: Iterable[DeckCandidates],
    limits: Limits | Sequence[Limits],
    *,
    seed: str | None = None,
) -> SessionQueue:
    """Due reviews of every deck first, then new cards, each deck held to its daily limits.

    Cards already in today's drill come first: they were failed minutes or hours ago. With
    a `seed` (the study day's), the new cards of several decks are interleaved
    (`interleave`); without one they come deck after deck. `limits` is one for every deck,
    or each deck's own (its options may set them), in the order of `decks`.
    """
    decks = list(decks)
    per_deck = [limits] * len(decks) if isinstance(limits, Limits) else list(limits)
    due: list[str] = []
    new_lists: list[list[str]] = []
    drill: list[str] = []
    for deck, deck_limits in zip(decks, per_deck, strict=True):
        counts = counts_for(deck, deck_limits)
        due.extend(deck.due[: counts.due])
        new_lists.append(list(deck.new[: counts.new]))
        drill.extend(deck.drill)
    new = (
        interleave([n for n in new_lists if n], seed=seed)
        if seed is not None
        else [c for n in new_lists for c in n]
    )
    seen = set(drill)
    pending = tuple(c for c in (*due, *new) if c not in seen)
    return SessionQueue(pending=pending, drill=tuple((c, 0) for c in drill))


NEW_ORDERS = ("mixed", "file")
"""How a deck's new cards come: "mixed" interleaves kinds (the default), "file" keeps the
deck file's order (for a deck written as a sequence, where each card builds on the last)."""


def day_seed(study_day: int, salt: str = "") -> str:
    """The seed of a study day's mix: the day's ordinal, never the clock, so the same
    sitting started twice on one day brings the same cards in the same order."""
    return f"{study_day}:{salt}"


def order_new(
    cards: Sequence[tuple[str, str]], *, order: str = "mixed", seed: str = ""
) -> list[str]:
    """A deck's new cards, (uuid, kind) in file order, in the order they should come.

    "mixed" spreads every kind evenly through the sequence, each kind's cards keeping their
    file order (a deck's later cards may build on its earlier ones), and starts with one
    card of each kind in a seeded order, so even a deck that opens with eight compile
    cards shows its other kinds within the first few. "file" returns the file order.
    """
    if order != "mixed":
        return [uuid for uuid, _kind in cards]
    rng = random.Random(seed)
    by_kind: dict[str, list[str]] = {}
    for uuid, kind in cards:
        by_kind.setdefault(kind, []).append(uuid)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    offsets = {kind: rng.random() for kind in kinds}
    keyed: list[tuple[float, int, str]] = []
    for rank, kind in enumerate(kinds):
        uuids = by_kind[kind]
        for i, uuid in enumerate(uuids):
            # the first card of each kind opens the sequence; the rest are spread evenly
            key = -1.0 + rank / len(kinds) if i == 0 else (i - 1 + offsets[kind]) / len(uuids)
            keyed.append((key, rank, uuid))
    return [uuid for _key, _rank, uuid in sorted(keyed)]


def interleave(lists: Sequence[Sequence[str]], *, seed: str = "") -> list[str]:
    """Several decks' new cards merged so each deck keeps its own order and none waits for
    another to run out (Study all): each deck's cards spread evenly, with a seeded offset."""
    rng = random.Random(seed)
    keyed: list[tuple[float, int, str]] = []
    for rank, items in enumerate(lists):
        offset = rng.random()
        for i, uuid in enumerate(items):
            keyed.append(((i + offset) / len(items), rank, uuid))
    return [uuid for _key, _rank, uuid in sorted(keyed)]
