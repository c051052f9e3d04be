"""Bringing decks into the collection: the shipped ones at start-up, and any deck file.

A deck is matched by its UUID and each card by its own, so an updated deck file changes
the text of the cards a learner already studies without touching their schedule or
history. Cards that leave the file are retired (hidden), never deleted. Each deck is one
transaction: a file that fails half-way changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.core.deckfile import DeckFileError, parse_deck_bytes
from quizapp.core.model import Deck
from quizapp.core.paths import shipped_decks_dir
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.codec import card_to_json

SHIPPED_PREFIX = "shipped:"


@dataclass(frozen=True)
class DeckChanges:
    deck_uuid: str
    name: str
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: bool = False


@dataclass
class SyncReport:
    changes: list[DeckChanges] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sync_shipped_decks(col: Collection, decks_dir: Path | None = None) -> SyncReport:
    """Load new and changed shipped decks. A broken file is reported and skipped."""
    folder = decks_dir or shipped_decks_dir()
    report = SyncReport()
    if not folder.is_dir():
        report.errors.append(f"{folder}: the shipped decks folder is missing")
        return report
    for position, path in enumerate(sorted(folder.glob("*.toml"))):
        source = SHIPPED_PREFIX + path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.errors.append(f"{path}: cannot read the file: {exc.strerror}")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        with col.db.session() as session:
            known = repo.get_deck_by_source(source, session=session)
            if known is not None and known.source_digest == digest:
                continue
        try:
            deck = parse_deck_bytes(raw, str(path))
        except DeckFileError as exc:
            report.errors.append(str(exc))
            continue
        try:
            report.changes.append(
                import_deck(col, deck, source=source, digest=digest, position=position)
            )
        except DeckConflict as exc:
            report.errors.append(f"{path}: {exc}")
    return report


class DeckConflict(Exception):
    """A deck whose cards belong to another deck in the collection."""


def import_deck(
    col: Collection, deck: Deck, *, source: str, digest: str = "", position: int | None = None
) -> DeckChanges:
    with col.db.session() as session:
        existing_deck = repo.get_deck_by_uuid(deck.id, session=session)
        existing = repo.get_cards_by_uuid([c.id for c in deck.cards], session=session)
        if existing_deck is not None:
            foreign = [u for u, row in existing.items() if row.deck_id != existing_deck.id]
        else:
            foreign = list(existing)
        if foreign:
            raise DeckConflict(
                f"card {foreign[0]} already belongs to another deck; card ids must be unique"
            )
        if position is None:
            position = (
                existing_deck.position if existing_deck else len(repo.list_decks(session=session))
            )
        row = repo.save_deck(deck, source=source, digest=digest, position=position, session=session)
        assert row.id is not None
        added = updated = 0
        for index, card in enumerate(deck.cards):
            before = existing.get(card.id)
            changed = before is not None and (
                before.content != card_to_json(card) or before.retired
            )
            repo.save_card(card, deck_id=row.id, position=index, existing=before, session=session)
            added += before is None
            updated += changed
        retired = repo.retire_cards(row.id, {c.id for c in deck.cards}, session=session)
        session.commit()
    return DeckChanges(
        deck_uuid=deck.id, name=deck.name, added=added, updated=updated, retired=retired
    )
