"""The rows that let one mock interview count once when it was fed on two machines.

Feeding an interview to the schedule turns its answers into review-log rows, tagged with
the feed that gave them (`review_log.feed`, `core.sync_events.feed_tag`). Two machines
that feed one interview before they sync make two feeds; the merge keeps the newer
feed's mark (`sync_history_rows.merge_interview`) and, through these functions, only that
feed's answers in the log. The other feed's answers are parked (`sync_parked_review`),
not deleted: a learner's answers are never lost, and a parked feed counts again if a
later merge makes it the interview's mark. See services/sync_merge.py and docs/sync.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session

from quizapp.core.sync_events import _review_ok, feed_tag
from quizapp.storage.sync_rows import REVIEW_COLUMNS, _chunks, _marks, _sql

Parked = tuple[str, str, str, list[Any]]
"""(origin, feed tag, card uuid, the review's values in `REVIEW_COLUMNS` order)."""


def fed_mark(interview: str, *, session: Session) -> str | None:
    """The interview's "fed to the schedule" time as stored (the text every machine holds
    for the same feed), or None when it is not fed or not here."""
    row = _sql(session, "SELECT fed_at FROM interview WHERE uuid = ?", (interview,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def tag_answers(review_ids: Sequence[int], tag: str, *, session: Session) -> None:
    """Mark these just-written answers as the feed `tag`'s."""
    _sql(session, "UPDATE review_log SET feed = ? WHERE id = ?", [(tag, i) for i in review_ids])


def current_tags(interviews: Iterable[str], *, session: Session) -> dict[str, str | None]:
    """Each interview's counting feed: its tag, or None when it is not fed (or not here)."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(list(dict.fromkeys(interviews))):
        rows = _sql(
            session,
            f"SELECT uuid, fed_at FROM interview WHERE uuid IN ({_marks(len(chunk))})",
            tuple(chunk),
        )
        found.update((u, None if fed is None else feed_tag(u, str(fed))) for u, fed in rows)
    return found


def park_replaced(
    counting: dict[str, str | None], local_prefix: str, *, session: Session
) -> dict[str, int]:
    """Move out of the log every answer of these interviews whose feed is not the one that
    counts (`counting`, by interview); returns the card id of each moved answer by origin.

    This device's own answers have no stored origin; they take their sync key
    (`local_prefix` + row id), which is how other devices know them too.
    """
    moved: dict[str, int] = {}
    columns = ", ".join(f"r.{c}" for c in REVIEW_COLUMNS)
    for interview, tag in counting.items():
        rows = _sql(
            session,
            "SELECT r.id, coalesce(r.origin, ? || r.id), r.feed, r.card_id, c.uuid, "
            f"{columns} FROM review_log r JOIN card c ON c.id = r.card_id "
            "WHERE r.feed >= ? AND r.feed < ? AND r.feed IS NOT ?",
            (local_prefix, f"{interview}@", f"{interview}A", tag),
        ).fetchall()
        if not rows:
            continue
        park(
            [(origin, feed, card, list(values)) for _id, origin, feed, _c, card, *values in rows],
            session=session,
        )
        _sql(session, "DELETE FROM review_log WHERE id = ?", [(r[0],) for r in rows])
        moved.update((r[1], int(r[3])) for r in rows)
    return moved


def park(rows: Iterable[Parked], *, session: Session) -> int:
    """Keep answers of a feed that does not count (now); returns how many."""
    values = [(o, f, c, json.dumps(v)) for o, f, c, v in rows]
    if values:
        _sql(
            session,
            "INSERT OR REPLACE INTO sync_parked_review (origin, feed, card_uuid, review)"
            " VALUES (?, ?, ?, ?)",
            values,
        )
    return len(values)


def unpark(tags: Iterable[str], *, session: Session) -> list[Parked]:
    """The parked answers of these feeds (they count now), removed from the parking.

    A row whose review does not read back as one within a journal answer's bounds (the
    file edited by some other tool) is left where it is: the merge goes on without it,
    and nothing outside those bounds reaches the log."""
    found: list[Parked] = []
    for chunk in _chunks(list(dict.fromkeys(tags))):
        rows = _sql(
            session,
            "SELECT origin, feed, card_uuid, review FROM sync_parked_review"
            f" WHERE feed IN ({_marks(len(chunk))})",
            tuple(chunk),
        ).fetchall()
        for origin, feed, card, text in rows:
            values = _review_values(text)
            if values is not None:
                found.append((origin, feed, card, values))
    _sql(session, "DELETE FROM sync_parked_review WHERE origin = ?", [(f[0],) for f in found])
    return found


def _review_values(text: object) -> list[Any] | None:
    try:
        values = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return values if _review_ok(values) else None  # the bounds of a journal's answer


def drop_parked(origins: Iterable[str], *, session: Session) -> None:
    """Answers undone on their own machine: parked or not, they are gone."""
    rows = [(o,) for o in origins]
    if rows:
        _sql(session, "DELETE FROM sync_parked_review WHERE origin = ?", rows)


def tag_merged(tags: dict[str, str], *, session: Session) -> None:
    """Write the feed of answers a merge just inserted (by origin), or held until their
    card comes (as one more value after the review's: `sync_merge` takes it off again)."""
    if tags:
        pairs = [(t, o) for o, t in tags.items()]
        _sql(session, "UPDATE review_log SET feed = ? WHERE origin = ?", pairs)
        _sql(
            session,
            "UPDATE sync_held_review SET review = json_insert(review, '$[#]', ?)"
            f" WHERE origin = ? AND json_array_length(review) = {len(REVIEW_COLUMNS)}",
            pairs,
        )
