"""The cards and decks a learner studies, as immutable values.

A deck file, the database and the window all speak in these types, so a card parsed from
TOML is the same object the scheduler and the grader see. Identity is the UUID from the
deck file, never a database row id: that is what lets a re-imported deck keep its history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    COMPILES = "compiles"
    OUTPUT = "output"
    CHOICE = "choice"
    SHORT = "short"
    FLASHCARD = "flashcard"
    FIX = "fix"
    """Make it compile: the learner edits `code` until rustc accepts it (see `fixed`)."""

    @property
    def has_code(self) -> bool:
        """Whether `code` is the question and rustc confirms the answer (`verify`, `checked`)."""
        return self in (Kind.COMPILES, Kind.OUTPUT, Kind.FIX)

    @property
    def is_self_graded(self) -> bool:
        return self is Kind.FLASHCARD


@dataclass(frozen=True, slots=True)
class Checked:
    """What rustc said about a code card when `quizapp verify --write` last ran.

    Stored in the deck so a learner without rustc still sees the real diagnostic.
    """

    rustc: str
    diagnostic: str = ""
    output: str = ""
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    """One card. Slotted: an import holds every card of its file until the transaction, and
    22 fields in a `__dict__` each cost 100,000 cards ~100 MiB more than slots do."""

    id: str
    kind: Kind
    prompt: str
    explanation: str = ""
    tags: tuple[str, ...] = ()
    code: str = ""
    edition: str = "2021"
    # compiles
    compiles: bool | None = None
    errors: tuple[str, ...] = ()
    ask_error: bool = False
    messages: tuple[str, ...] = ()
    """compiles/fix: rustc's primary messages of the errors that have no `E0000` code."""
    line: int | None = None
    """compiles/fix: the 1-based line of `code` that the first error's primary span blames."""
    # output
    stdout: str | None = None
    panics: bool = False
    # choice
    options: tuple[str, ...] = ()
    answer_indexes: tuple[int, ...] = ()
    explanations: tuple[str, ...] = ()
    multiple: bool = False
    # short
    accepted: tuple[str, ...] = ()
    # flashcard
    back: str = ""
    # fix (also uses `errors`, `messages`, `line` for the given code and `stdout` for the fix)
    fixed: str = ""
    checked: Checked | None = None

    @property
    def does_not_compile(self) -> bool:
        """A card whose `code` rustc rejects: a `compiles = false` card, or any fix card."""
        return self.kind is Kind.FIX or (self.kind is Kind.COMPILES and self.compiles is False)

    @property
    def is_multi_select(self) -> bool:
        return self.kind is Kind.CHOICE and (self.multiple or len(self.answer_indexes) > 1)


@dataclass(frozen=True)
class Deck:
    id: str
    name: str
    section: str = ""
    description: str = ""
    cards: tuple[Card, ...] = field(default_factory=tuple)
