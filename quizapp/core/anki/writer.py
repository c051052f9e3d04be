"""quizapp decks written as an `.apkg` that current Anki imports.

The package holds a `collection.anki2` in the schema-11 layout (note types and decks as
JSON in the `col` row): every Anki since 2.0 imports it, and current Anki upgrades it on
import, so there is no newer format to track. One note type, "quizapp", has the fields
Front, Back and quizapp and one template; each card becomes one note whose faces are rendered by
`core.anki.faces` (HTML with inline styles: Anki shows it as is).

Identity: a note's GUID is the card's UUID, the note type's id is fixed and the deck's id
derives from the deck's UUID, so exporting again and importing into Anki updates the notes
there instead of duplicating them (Anki matches notes by GUID). A third field, "quizapp",
shown by no template, carries the original card and its deck (`core.anki.carried`), so a
package that went through Anki comes back into quizapp as the same cards, not flashcards.

Scheduling is written only when progress is given (see `core.anki.scheduling`). This
module decides the rows; `quizapp.adapters.apkg` writes them to SQLite and zips the file.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from quizapp.core.anki import carried
from quizapp.core.anki.faces import back_html, front_html
from quizapp.core.anki.scheduling import anki_from_progress
from quizapp.core.bundle import Bundle
from quizapp.core.model import Deck

NOTETYPE_ID = 1_580_000_000_001
"""Fixed, so every export shares one note type in the learner's Anki."""
NOTETYPE_NAME = "quizapp"
FIELDS = ("Front", "Back", carried.FIELD)
"""The template shows Front and Back; the last field carries the card (`core.anki.carried`)."""
DEFAULT_DECK_ID = 1
CARD_CSS = (
    ".card { font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 17px;"
    " line-height: 1.4; text-align: left; color: #1f2328; background-color: #ffffff;"
    " max-width: 52em; margin: 0 auto; }"
)


@dataclass(frozen=True)
class CollectionContent:
    """Every row of the schema-11 collection an export holds, ready to insert.

    `quizapp.adapters.apkg` creates the tables (`SCHEMA` there), inserts these and zips the
    file; this module decides what the rows say.
    """

    notes: list[tuple[object, ...]]
    cards: list[tuple[object, ...]]
    col: tuple[object, ...]
    """The `col` row's values after its fixed `id` 1 (crt, mod, scm, ver, dty, usn, ls,
    conf, models, decks, dconf, tags)."""


def collection_content(bundle: Bundle, now: datetime) -> CollectionContent:
    """The rows for the bundle's decks (and its progress, if any).

    `now` stamps the notes: Anki updates a note it already has only from a newer one, so
    an export must carry the real time (tests pass their own).
    """
    created = _creation_day(now.date(), (p.due for p in bundle.progress.values()))
    return _content(bundle, created, now)


def deck_id(deck: Deck) -> int:
    """A positive id below 2^52 from the deck's UUID, stable across exports."""
    return (uuid.UUID(deck.id).int >> 76) + 2


def _creation_day(today: date, dues: Iterable[date | None]) -> date:
    """Today, or the earliest due day if earlier, so no due day number is negative."""
    return min([today, *(d for d in dues if d is not None)])


def _content(bundle: Bundle, created: date, now: datetime) -> CollectionContent:
    secs = int(now.timestamp())
    base_id = secs * 1000
    crt = int(datetime.combine(created, time(4)).timestamp())
    notes: list[tuple[object, ...]] = []
    cards: list[tuple[object, ...]] = []
    position = 0
    for deck in bundle.decks:
        did = deck_id(deck)
        for card in deck.cards:
            position += 1
            nid = cid = base_id + position
            front, back = front_html(card), back_html(card)
            sort_text = _plain(front)
            notes.append(
                (
                    nid,
                    card.id,
                    NOTETYPE_ID,
                    secs,
                    -1,
                    _tags(card.tags),
                    "\x1f".join((front, back, carried.encode(deck, card))),
                    sort_text,
                    _checksum(sort_text),
                    0,
                    "",
                )
            )
            s = anki_from_progress(bundle.progress.get(card.id), created, position)
            cards.append(
                (
                    cid,
                    nid,
                    did,
                    0,
                    secs,
                    -1,
                    s.type,
                    s.queue,
                    s.due,
                    s.ivl,
                    s.factor,
                    s.reps,
                    s.lapses,
                    0,
                    0,
                    0,
                    0,
                    "",
                )
            )
    col = (
        crt,
        base_id,
        base_id,
        11,
        0,
        0,
        0,
        json.dumps(_conf(position)),
        json.dumps(_models(secs, bundle.decks)),
        json.dumps(_decks(secs, bundle.decks)),
        json.dumps(_deck_configs()),
        "{}",
    )
    return CollectionContent(notes, cards, col)


def _tags(tags: tuple[str, ...]) -> str:
    return f" {' '.join(tags)} " if tags else ""


def _plain(text: str) -> str:
    """What Anki sorts and checksums: the field without markup, collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _checksum(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)


def _conf(next_position: int) -> dict[str, Any]:
    return {
        "activeDecks": [DEFAULT_DECK_ID],
        "curDeck": DEFAULT_DECK_ID,
        "curModel": NOTETYPE_ID,
        "nextPos": next_position + 1,
        "sortType": "noteFld",
        "sortBackwards": False,
        "addToCur": True,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": True,
        "dueCounts": True,
    }


def _models(secs: int, decks: tuple[Deck, ...]) -> dict[str, Any]:
    fields = [
        {
            "name": name,
            "ord": i,
            "sticky": False,
            "rtl": False,
            "font": "Arial",
            "size": 20,
            "media": [],
        }
        for i, name in enumerate(FIELDS)
    ]
    template = {
        "name": "Card 1",
        "ord": 0,
        "qfmt": "{{Front}}",
        "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
        "bqfmt": "",
        "bafmt": "",
        "did": None,
        "bfont": "",
        "bsize": 0,
    }
    model = {
        "id": NOTETYPE_ID,
        "name": NOTETYPE_NAME,
        "type": 0,
        "mod": secs,
        "usn": -1,
        "sortf": 0,
        "did": deck_id(decks[0]) if decks else DEFAULT_DECK_ID,
        "tmpls": [template],
        "flds": fields,
        "css": CARD_CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    }
    return {str(NOTETYPE_ID): model}


def _deck(did: int, name: str, description: str, secs: int) -> dict[str, Any]:
    return {
        "id": did,
        "name": name,
        "desc": description,
        "mod": secs,
        "usn": -1,
        "dyn": 0,
        "conf": 1,
        "collapsed": False,
        "browserCollapsed": False,
        "extendNew": 0,
        "extendRev": 0,
        "newToday": [0, 0],
        "revToday": [0, 0],
        "lrnToday": [0, 0],
        "timeToday": [0, 0],
    }


def _decks(secs: int, decks: tuple[Deck, ...]) -> dict[str, Any]:
    out = {str(DEFAULT_DECK_ID): _deck(DEFAULT_DECK_ID, "Default", "", 0)}
    for deck in decks:
        out[str(deck_id(deck))] = _deck(
            deck_id(deck), deck.name, html.escape(deck.description), secs
        )
    return out


def _deck_configs() -> dict[str, Any]:
    return {
        "1": {
            "id": 1,
            "name": "Default",
            "mod": 0,
            "usn": 0,
            "dyn": False,
            "maxTaken": 60,
            "timer": 0,
            "autoplay": True,
            "replayq": True,
            "new": {
                "delays": [1.0, 10.0],
                "ints": [1, 4, 0],
                "initialFactor": 2500,
                "order": 1,
                "perDay": 20,
            },
            "rev": {"perDay": 200, "ease4": 1.3, "maxIvl": 36500, "hardFactor": 1.2},
            "lapse": {
                "delays": [10.0],
                "mult": 0.0,
                "minInt": 1,
                "leechFails": 8,
                "leechAction": 1,
            },
        }
    }
