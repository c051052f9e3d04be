"""What every importer produces and every exporter consumes: decks, plus optional progress.

Deck files, Anki packages, mdbook-quiz files and CSV all become a `Bundle`, so the
import service (preview, one transaction, progress kept by UUID) is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from quizapp.core.model import Deck
from quizapp.core.sm2 import DEFAULT_MAX_INTERVAL, Sm2State

MAX_COUNT = 1_000_000
"""Repetitions, reviews and lapses: a card reviewed every minute for two years stays under it.
A bound keeps a file's 2^63-1 from overflowing SQLite's integers on the next answer."""
MAX_EASINESS = 1000
"""SM-2 easiness (the progress file's `easiness_hundredths` up to 100,000)."""
MAX_INTERVAL = DEFAULT_MAX_INTERVAL
"""Days, as SM-2 caps them (100 years)."""
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""Due and study days outside these are refused: date arithmetic on them must not overflow."""
MAX_SECONDS = 86_400.0
"""Time spent on one answer, as logged."""


@dataclass(frozen=True)
class CardProgress:
    """A card's scheduling, as carried between machines or from another app."""

    state: Sm2State
    due: date | None
    """None for a card never studied."""
    lapses: int = 0
    reviews: int = 0
    suspended: bool = False


def progress_problem(progress: CardProgress) -> str | None:
    """The first number of `progress` out of its bound, in words; None when all are in.

    Every importer that carries scheduling checks with this, so a file cannot hand the
    scheduler a value it would overflow on.
    """
    state = progress.state
    for name, value, top in (
        ("repetitions", state.repetitions, MAX_COUNT),
        ("interval", state.interval, MAX_INTERVAL),
        ("lapses", progress.lapses, MAX_COUNT),
        ("reviews", progress.reviews, MAX_COUNT),
    ):
        if not 0 <= value <= top:
            return f"{name} {value} is out of range (0 to {top})"
    if state.easiness > MAX_EASINESS:
        return f"easiness {float(state.easiness):g} is over {MAX_EASINESS}"
    return day_problem(progress.due, "due")


def day_problem(day: date | None, name: str) -> str | None:
    """`name`'s day out of `FIRST_DAY`..`LAST_DAY`, in words; None when in range or absent."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        return f"{name} {day.isoformat()} is out of range ({FIRST_DAY} to {LAST_DAY})"
    return None


@dataclass(frozen=True)
class Bundle:
    decks: tuple[Deck, ...]
    progress: dict[str, CardProgress] = field(default_factory=dict)
    """By card UUID; empty when the source carries no scheduling or it was not asked for."""
    source: str = ""
    """The file it came from, for messages."""
    flattened: frozenset[str] = frozenset()
    """Cards read as flashcards from a format that could not say their kind (Anki notes
    without quizapp's card data): the import preview says so before anything changes."""
    validated: bool = False
    """Every deck already passed the deck-file rules while its file was read (the deck-file
    reader validates as it parses): the import plan does not check 10,000 cards twice."""
    uncompiled: dict[str, str] = field(default_factory=dict)
    """Cards whose program does not compile, read without rustc's errors (an mdbook-quiz
    Tracing question: reading compiles nothing), by card UUID, with their place in the
    file. `services.quiz_errors` fills them in after the preview, with the learner's go-ahead."""


class ImportFailed(Exception):
    """A file that cannot be imported. The message names the file and the place."""
