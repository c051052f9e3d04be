"""Which card comes next: daily limits, due reviews before new cards, and the same-day drill.

The database supplies the candidates; this module decides the order, so the rules can be
tested without a database or a clock. A session is a frozen value and every answer gives a
new one, which is also what makes undo trivial: keep the previous value.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


class SessionQueue:
    """A sitting's queue: a frozen value, and every answer gives a new one (undo keeps the
    previous value).

    Answering the card in front costs the same whatever the queue's length: the new value
    shares the old one's tuple of cards and only moves past its head, so a 3,000-answer
    sitting neither rebuilds a long tuple per answer nor keeps a copy of it per answer
    for undo. A card is never both pending and in the drill (`plan_session` keeps them
    apart, `after_answer` moves a card from one to the other).
    """

    __slots__ = ("_cards", "_head", "answered", "drill", "step")

    _cards: tuple[str, ...]
    _head: int
    drill: tuple[tuple[str, int], ...]
    """(card id, the step from which it may come back)."""
    step: int
    answered: int

    def __init__(
        self,
        pending: tuple[str, ...] = (),
        drill: tuple[tuple[str, int], ...] = (),
        step: int = 0,
        answered: int = 0,
    ) -> None:
        self._set(tuple(pending), 0, tuple(drill), step, answered)

    def _set(
        self, cards: tuple[str, ...], head: int, drill: tuple[tuple[str, int], ...], step: int,
        answered: int,
    ) -> None:  # fmt: skip
        put = object.__setattr__
        put(self, "_cards", cards)
        put(self, "_head", head)
        put(self, "drill", drill)
        put(self, "step", step)
        put(self, "answered", answered)

    @classmethod
    def _of(
        cls, cards: tuple[str, ...], head: int, drill: tuple[tuple[str, int], ...], step: int,
        answered: int,
    ) -> SessionQueue:  # fmt: skip
        queue = cls.__new__(cls)
        queue._set(cards, head, drill, step, answered)
        return queue

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a SessionQueue is frozen: cannot set {name}")

    @property
    def pending(self) -> tuple[str, ...]:
        """The cards still to come, drill aside, in order."""
        return self._cards[self._head :] if self._head else self._cards

    def _key(self) -> tuple[object, ...]:
        return (self.pending, self.drill, self.step, self.answered)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SessionQueue):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[object, ...]:
        return (SessionQueue, self._key())

    def __repr__(self) -> str:
        return (
            f"SessionQueue(pending={self.pending!r}, drill={self.drill!r}, "
            f"step={self.step!r}, answered={self.answered!r})"
        )

    @property
    def remaining(self) -> int:
        return len(self._cards) - self._head + len(self.drill)

    def current(self) -> str | None:
        step = self.step
        for card, at in self.drill:
            if at <= step:
                return card
        if self._head < len(self._cards):
            return self._cards[self._head]
        if self.drill:
            return min(self.drill, key=lambda item: item[1])[0]
        return None

    def after_answer(self, card_id: str, quality: int) -> SessionQueue:
        """The queue once `card_id` was answered with `quality`."""
        cards, head, drill = self._cards, self._head, self.drill
        if any(card == card_id for card, _ in drill):
            drill = tuple(item for item in drill if item[0] != card_id)
        elif head < len(cards) and cards[head] == card_id:
            head += 1  # the usual case: the card in front
        elif card_id in cards[head:]:  # answered out of turn: the one rebuild
            cards, head = tuple(c for c in cards[head:] if c != card_id), 0
        if quality < DRILL_THRESHOLD:
            drill += ((card_id, self.step + 1 + DRILL_GAP),)
        return SessionQueue._of(cards, head, drill, self.step + 1, self.answered + 1)

    def is_drill(self, card_id: str) -> bool:
        return any(card == card_id for card, _ in self.drill)

    def without(self, card_id: str) -> SessionQueue:
        """The queue with `card_id` gone (it was deleted or retired while the sitting ran)."""
        return SessionQueue._of(
            tuple(c for c in self.pending if c != card_id),
            0,
            tuple(item for item in self.drill if item[0] != card_id),
            self.step,
            self.answered,
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
