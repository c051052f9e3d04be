"""What a desktop start does before the collection is opened, without SQLAlchemy, SQLModel
or pydantic (a quarter of a second to import): start the integrity check, and read the deck
list for the first paint."""

from __future__ import annotations

from pathlib import Path

from quizapp.core.settings import Settings
from quizapp.services.overview import DeckSummary, glance
from quizapp.storage import deck_glance, early_check


def start_integrity_check(data_dir: Path) -> None:
    """Start reading the collection file for its integrity check now, in the background,
    so it overlaps the heavy imports (`storage.early_check`); a no-op if already started."""
    early_check.start(data_dir)


def first_deck_list(data_dir: Path) -> tuple[Settings, list[DeckSummary]] | None:
    """The settings and deck list to paint before the collection opens, or None: nothing
    to paint early
    when another quizapp holds the collection (this start hands over to it) or when the
    file cannot be read in plain SQLite (new, older, damaged: opening deals with it)."""
    if not (data_dir / early_check.DB_NAME).is_file():
        return None  # a new collection: nothing to show, nothing made here
    if deck_glance.in_use_elsewhere(data_dir):
        return None
    return glance(data_dir)
