"""Bringing decks into the collection: the shipped ones at start-up, and any deck file.

A deck is matched by its UUID and each card by its own, so an updated deck file changes
the text of the cards a learner already studies without touching their schedule or
history. Cards that leave the file are retired (hidden), never deleted. Each deck is one
transaction: a file that fails half-way changes nothing. The work is done by the import
pipeline in `services.exchange`, the same one every user import goes through.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.model import Deck
from quizapp.core.sources import SHIPPED_PREFIX
from quizapp.services.collection import Collection, CollectionError
from quizapp.storage import repo


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
    unwritable: bool = False
    """The collection refused the writes (a full or read-only disk): the sync stopped there,
    the deck it was loading rolled back whole."""


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
            if (
                known is not None
                and known.source_digest == digest
                and known.id is not None
                and _card_ids(raw) == _live_card_ids(known.id, session)
            ):
                continue
        # Parsing and importing come only when a deck changed: not on an everyday start.
        from quizapp.core.deckfile import DeckFileError, parse_deck_bytes

        try:
            deck = parse_deck_bytes(raw, str(path))
        except DeckFileError as exc:
            report.errors.append(str(exc))
            continue
        try:
            report.changes.append(
                import_deck(
                    col,
                    deck,
                    source=source,
                    digest=digest,
                    position=position,
                    file=str(path),
                    validated=True,
                )
            )
        except DeckConflict as exc:
            report.errors.append(str(exc))
        except CollectionError as exc:
            report.errors.append(f"{path}: {exc}")
            report.unwritable = True
            break  # the next deck would hit the same full disk
    return report


_ID_LINE = re.compile(rb'^id\s*=\s*"([^"\n]*)"', re.MULTILINE)


def _card_ids(raw: bytes) -> set[str]:
    """The card ids of a shipped deck file, without parsing it (the digest check is per start).

    The shipped files are written by `core.deckwriter`: one `id = "..."` line for the deck,
    then one per card (tests/decks check this holds for every shipped file).
    """
    ids = [m.decode("utf-8", "replace") for m in _ID_LINE.findall(raw)]
    return set(ids[1:])


def _live_card_ids(deck_id: int, session: Any) -> set[str]:
    """The ids of the cards a deck shows: a shipped deck holds exactly its file's cards,
    unless an older quizapp let a deck file take it over; then the sync restores it."""
    return repo.live_card_uuids(deck_id, session=session)


class DeckConflict(Exception):
    """A deck that cannot be loaded: its cards belong to another deck, or it breaks the rules."""


def import_deck(
    col: Collection,
    deck: Deck,
    *,
    source: str,
    digest: str = "",
    position: int | None = None,
    file: str = "",
    validated: bool = False,
) -> DeckChanges:
    """Load one deck through the import pipeline (`services.exchange`), keeping history.

    `validated` skips re-checking the deck-file rules for a deck the deck-file parser read.
    """
    from quizapp.core.bundle import Bundle
    from quizapp.services.exchange import apply_import, plan_import

    plan = plan_import(
        col,
        Bundle(decks=(deck,), source=file),
        source=source,
        digest=digest,
        position=position,
        validated=validated,
    )
    if not plan.ok:
        raise DeckConflict("\n".join(plan.errors))
    # Shipped decks only add and update content: no backup for them (one per deck at install).
    backup = not source.startswith(SHIPPED_PREFIX)
    [result] = apply_import(col, plan, backup=backup).decks
    return DeckChanges(
        deck_uuid=deck.id,
        name=deck.name,
        added=result.added,
        updated=result.changed,
        retired=result.retired,
    )
