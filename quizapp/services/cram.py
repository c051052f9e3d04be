"""Cram: study a deck, a section or a tag right now, ahead of schedule, leaving SM-2 alone.

Like Anki's filtered deck without rescheduling and Mnemosyne's cramming: answers are logged
with kind "cram" (so the heatmap and misconceptions see them) with the card's state copied
unchanged into the before and after columns, and `card_state` is never written. Cards graded
below 4 come back in the same sitting, as in a study session.

A cram sitting is a `study.Sitting` in `Mode.CRAM`: its answers go through the same answer
operation (`services.answering`), which leaves the schedule alone in that mode, and the
same undo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizapp.core.queue import SessionQueue
from quizapp.core.review import Mode
from quizapp.services import study
from quizapp.services.collection import Collection
from quizapp.storage import repo, stats_repo

CRAM_KIND = "cram"


class NothingToCram(Exception):
    """The chosen deck, section or tag holds no card that can be studied."""


@dataclass(frozen=True)
class CramTargets:
    decks: list[tuple[str, str]]
    """(uuid, name)"""
    sections: list[str]
    tags: list[str]


def cram_targets(col: Collection) -> CramTargets:
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        tags = stats_repo.list_tags(session=session)
    return CramTargets(
        decks=[(d.uuid, d.name) for d in decks],
        sections=list(dict.fromkeys(d.section or d.name for d in decks)),
        tags=tags,
    )


def start_cram(
    col: Collection,
    *,
    deck_uuid: str | None = None,
    section: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
    rng: random.Random | None = None,
) -> study.Sitting:
    """A sitting over every studyable card of the target, shuffled, at most `limit` of them."""
    with col.db.session() as session:
        cards = stats_repo.list_studyable_cards(
            deck_uuid=deck_uuid, section=section, tag=tag, session=session
        )
        all_decks = repo.list_decks(session=session)
    uuids = [card for card, _deck in cards]
    holding = {deck for _card, deck in cards}
    decks = {d.uuid: d.name for d in all_decks}
    deck_uuids = tuple(d.uuid for d in all_decks if d.uuid in holding)
    if not uuids:
        raise NothingToCram("Nothing to cram there: no card that can be studied.")
    (rng or random.Random()).shuffle(uuids)
    if limit is not None:
        uuids = uuids[: max(1, limit)]
    label = decks.get(deck_uuid or "", "") or section or (f"tag {tag}" if tag else "")
    queue = SessionQueue(pending=tuple(uuids))
    return study.Sitting(
        deck_uuids=deck_uuids, queue=queue, total=len(uuids), mode=Mode.CRAM, label=label
    )
