"""What every importer produces and every exporter consumes: decks, plus optional progress.

Deck files, Anki packages, mdbook-quiz files and CSV all become a `Bundle`, so the
import service (preview, one transaction, progress kept by UUID) is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from quizapp.core.model import Deck
from quizapp.core.sm2 import Sm2State


@dataclass(frozen=True)
class CardProgress:
    """A card's scheduling, as carried between machines or from another app."""

    state: Sm2State
    due: date | None
    """None for a card never studied."""
    lapses: int = 0
    reviews: int = 0
    suspended: bool = False


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


class ImportFailed(Exception):
    """A file that cannot be imported. The message names the file and the place."""
