"""What a desktop start does before the collection is opened, without SQLAlchemy, SQLModel
or pydantic (a quarter of a second to import): read the deck list for the first paint.

The integrity check is not started here: the window starts it once the deck list has
painted (`ui.start_check`), so its read of the whole file (708 MB at 300,000 cards) does
not compete with Qt's loading and the deck list's reads for a cold disk."""

from __future__ import annotations

import threading
from pathlib import Path

from quizapp.core.settings import Settings
from quizapp.services.overview import DeckSummary, glance, warm_glance
from quizapp.storage import deck_glance, early_check

FirstDeckList = tuple[Settings, list[DeckSummary]] | None


def warm_deck_list(data_dir: Path) -> None:
    """Start reading, in a thread of its own, the pages the first deck list needs that lie
    farthest apart, so that the list's own read later finds them in the page cache.

    From a cold disk, today's answers each with its card's deck are a few hundred scattered
    page reads (30-80 ms at 300,000 cards, 2 ms at 10,000); begun before Qt is imported,
    they overlap Qt's loading instead of following it. The thread runs two statements and
    hands nothing back: SQLite holds no GIL while it reads, and a thread that needed the GIL
    between many short statements would wait for it behind the imports."""
    threading.Thread(
        target=warm_glance, args=(data_dir,), name="quizapp-warm-deck-list", daemon=True
    ).start()


def first_deck_list(data_dir: Path) -> FirstDeckList:
    """The settings and deck list to paint before the collection opens, or None: nothing
    to paint early
    when another quizapp holds the collection (this start hands over to it) or when the
    file cannot be read in plain SQLite (new, older, damaged: opening deals with it)."""
    if not (data_dir / early_check.DB_NAME).is_file():
        return None  # a new collection: nothing to show, nothing made here
    if deck_glance.in_use_elsewhere(data_dir):
        return None
    return glance(data_dir)
