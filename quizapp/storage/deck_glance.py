"""The deck list's reads in plain `sqlite3`: the one copy of its SQL.

The window paints its deck list before SQLAlchemy and SQLModel are imported (a quarter of
a second of a desktop start): `read` opens the file with the standard library alone and
reads the decks, their sizes, the settings row and the day's counts. The same counting
(`count_candidates`) serves the open collection too (`repo.count_candidates` hands it its
session's DBAPI connection), so the first paint and every later one count alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.core.queue import CandidateCounts, Limits
from quizapp.storage.schema_version import SCHEMA_VERSION

# The study queries read a few rows per deck through the indexes of migration step 2:
# `card_state.deck_id` (a trigger-maintained copy of the card's deck) with `due_day`, and
# `LIMIT` at the daily limit, so their cost follows the limits, not the collection's size.
DUE_WHERE = (
    "FROM card_state s WHERE s.deck_id = :deck AND s.retired = 0 AND s.suspended = 0 "
    "AND s.due_day <= :today AND (s.drill_day IS NULL OR s.drill_day != :today)"
)
NEW_WHERE = (
    "FROM card_state s WHERE s.deck_id = :deck AND s.retired = 0 AND s.suspended = 0 "
    "AND s.due_day IS NULL AND (s.drill_day IS NULL OR s.drill_day != :today)"
)
DUE_COUNT = f"SELECT count(*) FROM (SELECT 1 {DUE_WHERE} LIMIT :n)"
NEW_COUNT = f"SELECT count(*) FROM (SELECT 1 {NEW_WHERE} LIMIT :n)"
DRILL = (
    "SELECT s.uuid, s.deck_id FROM card_state s "
    "WHERE s.drill_day = :today AND s.suspended = 0 AND s.retired = 0 ORDER BY s.position"
)
DRILL_COUNT = (
    "SELECT s.deck_id, count(*) FROM card_state s "
    "WHERE s.drill_day = :today AND s.suspended = 0 AND s.retired = 0 GROUP BY s.deck_id"
)
"""Each deck's cards in today's drill: read from the drill index alone (migration step 10)."""
DONE_TODAY = (
    "SELECT s.deck_id, r.kind, count(*) FROM review_log r JOIN card_state s "
    "ON s.card_id = r.card_id WHERE r.study_day = :today GROUP BY s.deck_id, r.kind"
)
"""The deck through `card_state.deck_id`, not the card row: a card row holds its whole
content, so today's few hundred answers read a page each from a far bigger table (at
300,000 cards from a cold cache, 0.085 s against 0.026 s: most of what the start's deck
list cost more than at 10,000)."""
DECKS = "SELECT id, uuid, name, section, description, options FROM deck ORDER BY position, name"
SIZES = "SELECT deck_id, cards FROM deck_size WHERE cards > 0"
"""Cards in each deck, retired ones left out (kept by triggers in `deck_size`)."""
SETTINGS = "SELECT value FROM setting WHERE key = 'settings'"


@dataclass(frozen=True)
class GlanceDeck:
    id: int
    uuid: str
    name: str
    section: str
    description: str
    options: str


@dataclass(frozen=True)
class Glance:
    """What the deck list shows, read before the collection is opened."""

    settings: str | None
    """The stored settings' JSON text, or None if none are stored."""
    decks: list[GlanceDeck]
    sizes: dict[int, int]
    candidates: dict[int, CandidateCounts]


def read(
    path: Path, today: Callable[[str | None], int], limits: Callable[[str | None], Limits],
    own: Callable[[GlanceDeck, Limits], Limits],
) -> Glance | None:  # fmt: skip
    """The deck list of the collection at `path`, or None when it cannot be read here and
    now: no file, another schema version (opening upgrades it first), any SQLite error (a
    damaged file: opening says what is wrong). `today` and `limits` get the settings' JSON
    (the study day and the daily limits depend on them); `own`, a deck's own limits.
    Nothing is written: the connection is read-only."""
    if not path.is_file():
        return None
    try:
        # Read-only, as the integrity check's: closing it never checkpoints a crashed
        # session's WAL into the file, a write that waits for the check's verdict.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every read below
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return None
        found = conn.execute(SETTINGS).fetchone()
        settings = None if found is None else str(found[0])
        decks = [GlanceDeck(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in conn.execute(DECKS)]
        sizes = dict(conn.execute(SIZES).fetchall())
        default = limits(settings)
        candidates = count_candidates(
            conn, [d.id for d in decks], today(settings), {d.id: own(d, default) for d in decks}
        )
        return Glance(settings, decks, sizes, candidates)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def warm(path: Path, today: Callable[[str | None], int]) -> int:
    """Read today's answers with their cards' decks, and today's drill: from a cold disk
    these are the deck list's scattered page reads, and once read they sit in the page
    cache for `read`. The answers read (for the record; the caller drops them), 0 on any
    failure: `read` meets the same failure and answers for it."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return 0
    try:
        found = conn.execute(SETTINGS).fetchone()
        day = today(None if found is None else str(found[0]))
        answers = sum(n for _deck, _kind, n in conn.execute(DONE_TODAY, {"today": day}))
        conn.execute(DRILL_COUNT, {"today": day}).fetchall()
        return int(answers)
    except Exception:  # only a head start: `read` meets the same failure and answers for it
        return 0
    finally:
        conn.close()


def count_candidates(
    conn: Any, deck_ids: Sequence[int], today: int, limits: Mapping[int, Limits]
) -> dict[int, CandidateCounts]:
    """Each deck's due, new and drill candidates, counted up to its limits, and what it
    has had today, on a DBAPI `sqlite3` connection."""
    done: dict[tuple[int, str], int] = {
        (deck, kind): n for deck, kind, n in conn.execute(DONE_TODAY, {"today": today})
    }
    drill: dict[int, int] = dict(conn.execute(DRILL_COUNT, {"today": today}).fetchall())
    result = {}
    for d in deck_ids:
        limit = limits[d]
        due = conn.execute(DUE_COUNT, {"deck": d, "today": today, "n": limit.reviews_per_day})
        new = conn.execute(NEW_COUNT, {"deck": d, "today": today, "n": limit.new_per_day})
        result[d] = CandidateCounts(
            due=int(due.fetchone()[0]),
            new=int(new.fetchone()[0]),
            drill=drill.get(d, 0),
            new_done_today=done.get((d, "new"), 0),
            reviews_done_today=done.get((d, "review"), 0),
        )
    return result


def in_use_elsewhere(data_dir: Path) -> bool:
    """Whether another quizapp holds the collection's lock now (it is then that one's to
    show: this start hands over to it, and paints nothing of its own)."""
    from filelock import FileLock, Timeout

    from quizapp.storage.early_check import LOCK_NAME

    lock = FileLock(str(data_dir / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return True
    except OSError:
        return False  # an unwritable folder: opening says so
    lock.release()
    return False
