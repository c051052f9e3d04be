"""The deck list's numbers: one computation for the open collection (`study.deck_overview`)
and for the first paint, read in plain `sqlite3` before SQLAlchemy is imported (`glance`).

A desktop start spent about a quarter of a second importing SQLAlchemy, SQLModel and
pydantic before its first paint. `glance` needs none of them: the window paints the deck
list from it and opens the collection after (docs/performance.md, "Start-up: the deck
list before SQLAlchemy").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizapp.core import sm2
from quizapp.core.deck_options import options_from_json
from quizapp.core.queue import CandidateCounts, DeckCounts, Limits, counts_for
from quizapp.core.settings import Settings, settings_from_dict
from quizapp.storage import deck_glance
from quizapp.storage.early_check import DB_NAME


@dataclass(frozen=True)
class DeckSummary:
    uuid: str
    name: str
    section: str
    description: str
    cards: int
    counts: DeckCounts


@dataclass(frozen=True)
class DeckFacts:
    """What the deck list needs of a stored deck."""

    id: int | None
    uuid: str
    name: str
    section: str
    description: str


def own_limits(options: str, default: Limits) -> Limits:
    """A deck's daily limits: its options' own, or Settings' (Anki's per-deck limits)."""
    return options_from_json(options)[0].limits(default)


def summaries_of(
    decks: Sequence[DeckFacts],
    sizes: Mapping[int, int],
    candidates: Mapping[int, CandidateCounts],
    limits: Mapping[int, Limits],
) -> list[DeckSummary]:
    return [
        DeckSummary(
            uuid=d.uuid,
            name=d.name,
            section=d.section,
            description=d.description,
            cards=sizes.get(d.id, 0) if d.id is not None else 0,
            counts=counts_for(candidates[d.id], limits[d.id])
            if d.id is not None
            else DeckCounts(0, 0, 0),
        )
        for d in decks
    ]


def _stored_settings(text: str | None) -> Settings:
    try:
        data = None if text is None else json.loads(text)
    except (ValueError, RecursionError):
        data = text  # not JSON: the defaults, as opening uses them
    return settings_from_dict(data)[0]


def _today(text: str | None, clock: Callable[[], datetime]) -> int:
    return sm2.study_day(clock(), _stored_settings(text).day_start_hour).toordinal()


def warm_glance(data_dir: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """Read the pages `glance` reads farthest apart into the page cache, and nothing more
    (`services.startup.warm_deck_list`): today's answers, counted."""
    return deck_glance.warm(data_dir / DB_NAME, lambda text: _today(text, clock))


def glance(
    data_dir: Path, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> tuple[Settings, list[DeckSummary]] | None:
    """The settings and deck list of the collection in `data_dir`, read with the standard
    library alone before it is opened; None when it cannot be read so (a new, old, or
    damaged collection: opening it deals with each)."""
    settings = _stored_settings

    def today(text: str | None) -> int:
        return _today(text, clock)

    def limits(text: str | None) -> Limits:
        found = settings(text)
        return Limits(found.new_per_day, found.reviews_per_day)

    read = deck_glance.read(
        data_dir / DB_NAME, today, limits, lambda d, default: own_limits(d.options, default)
    )
    if read is None:
        return None
    default = limits(read.settings)
    facts = [DeckFacts(d.id, d.uuid, d.name, d.section, d.description) for d in read.decks]
    per_deck = {d.id: own_limits(d.options, default) for d in read.decks}
    return settings(read.settings), summaries_of(facts, read.sizes, read.candidates, per_deck)
