"""The rows a sync folder merge reads and writes, set-wise.

Plain SQL over the driver's connection: a year of another device's study is 100,000
answers to insert and as many cards to reschedule, and one ORM object per row would cost
more than the whole merge is allowed (issue 16: 2 s).
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import event
from sqlmodel import Session

from quizapp.core.ids import CardUuid
from quizapp.storage.answer_rows import LOG_COLUMNS, SCHEDULE_COLUMNS

REVIEW_COLUMNS = tuple(c for c in LOG_COLUMNS if c != "card_id")
"""A review's columns as a journal carries them, in this order (a list, not a dict: a
year of answers is a third the size)."""

STATE_COLUMNS = SCHEDULE_COLUMNS

_CHUNK = 500


def _raw(session: Session) -> Any:
    """The session's own DB-API connection, inside its transaction."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    return raw


def _sql(session: Session, statement: str, params: Any = ()) -> Any:
    """Run on the session's own DB-API connection, inside its transaction: SQLAlchemy's
    result rows cost 8 us each, a second for the 137,000 rows a big merge reads."""
    cursor = _raw(session).cursor()
    if isinstance(params, list):
        cursor.executemany(statement, params)
    else:
        cursor.execute(statement, params)
    return cursor


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _marks_rows(n: int) -> str:
    """`n` one-value rows of a VALUES list."""
    return ",".join(["(?)"] * n)


# --- clocks ------------------------------------------------------------------------------


def clocks(keys: Iterable[str], *, session: Session) -> dict[str, tuple[str, bool]]:
    """(clock text, deleted) of each key that has one."""
    found: dict[str, tuple[str, bool]] = {}
    wanted = list(dict.fromkeys(keys))
    for chunk in _chunks(wanted):
        rows = _sql(
            session,
            f"SELECT key, hlc, deleted FROM sync_clock WHERE key IN ({_marks(len(chunk))})",
            tuple(chunk),
        )
        for key, hlc, deleted in rows:
            found[key] = (hlc, bool(deleted))
    return found


def review_tombstones(*, session: Session) -> dict[str, tuple[str, bool]]:
    """Every clock kept for an answer (only undone answers have one: few)."""
    return clocks_with_prefix("review:", session=session)


def clocks_with_prefix(prefix: str, *, session: Session) -> dict[str, tuple[str, bool]]:
    """Every clock whose key starts with `prefix` (for the few kinds of key most things
    never have: an undone answer, a reset)."""
    rows = _sql(
        session,
        "SELECT key, hlc, deleted FROM sync_clock WHERE key >= ? AND key < ?",
        (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
    )
    return {key: (hlc, bool(deleted)) for key, hlc, deleted in rows}


def put_clocks(values: Iterable[tuple[str, str, bool]], *, session: Session) -> None:
    rows = list(values)
    if rows:
        _sql(session, "INSERT OR REPLACE INTO sync_clock (key, hlc, deleted) VALUES (?,?,?)", rows)


def add_history(values: Iterable[tuple[str, str, str]], *, session: Session) -> int:
    rows = list(values)
    if rows:
        _sql(
            session,
            "INSERT INTO sync_card_history (card_uuid, hlc, content) VALUES (?,?,?)",
            rows,
        )
    return len(rows)


def history(card_uuid: str, *, session: Session) -> list[tuple[str, str]]:
    rows = _sql(
        session,
        "SELECT hlc, content FROM sync_card_history WHERE card_uuid = ? ORDER BY hlc, id",
        (card_uuid,),
    )
    return [(hlc, content) for hlc, content in rows]


# --- cards and decks ---------------------------------------------------------------------


def card_ids(uuids: Iterable[str], *, session: Session) -> dict[str, int]:
    wanted = list(dict.fromkeys(uuids))
    if len(wanted) > 5000:
        # Many: one pass over the uuid index beats a query per 500 (0.1 s, not 0.4).
        every: dict[str, int] = dict(_sql(session, "SELECT uuid, id FROM card").fetchall())
        ids: list[Any] = list(map(every.get, wanted))
        here = map(operator.is_not, ids, itertools.repeat(None))
        return dict(itertools.compress(zip(wanted, ids, strict=True), here))
    found: dict[str, int] = {}
    for chunk in _chunks(wanted):
        rows = _sql(
            session, f"SELECT uuid, id FROM card WHERE uuid IN ({_marks(len(chunk))})", tuple(chunk)
        )
        found.update(dict(rows.fetchall()))
    return found


def card_rows(uuids: Iterable[str], *, session: Session) -> dict[str, dict[str, Any]]:
    """uuid, id, deck uuid, position, content, retired, suspended of each card found."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(dict.fromkeys(uuids))):
        rows = _sql(
            session,
            "SELECT c.uuid, c.id, d.uuid, c.position, c.content, c.retired, s.suspended "
            "FROM card c JOIN deck d ON d.id = c.deck_id "
            "LEFT JOIN card_state s ON s.card_id = c.id "
            f"WHERE c.uuid IN ({_marks(len(chunk))})",
            tuple(chunk),
        )
        for uuid, id_, deck, position, content, retired, suspended in rows:
            found[uuid] = {
                "id": id_,
                "deck": deck,
                "position": position,
                "content": content,
                "retired": bool(retired),
                "suspended": bool(suspended),
            }
    return found


def deck_card_uuids(deck_uuids: Iterable[str], *, session: Session) -> list[str]:
    found: list[str] = []
    for chunk in _chunks(list(dict.fromkeys(deck_uuids))):
        rows = _sql(
            session,
            "SELECT c.uuid FROM card c JOIN deck d ON d.id = c.deck_id "
            f"WHERE d.uuid IN ({_marks(len(chunk))}) ORDER BY c.id",
            tuple(chunk),
        )
        found.extend(u for (u,) in rows)
    return found


DECK_COLUMNS = ("name", "section", "description", "source", "source_digest", "position", "options")


def deck_rows(uuids: Iterable[str] | None = None, *, session: Session) -> dict[str, dict[str, Any]]:
    """Decks by uuid (all of them without `uuids`), with their row id."""
    columns = ", ".join(DECK_COLUMNS)
    if uuids is None:
        rows = _sql(session, f"SELECT uuid, id, {columns} FROM deck ORDER BY position, id")
        return {r[0]: {"id": r[1], **dict(zip(DECK_COLUMNS, r[2:], strict=True))} for r in rows}
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(dict.fromkeys(uuids))):
        rows = _sql(
            session,
            f"SELECT uuid, id, {columns} FROM deck WHERE uuid IN ({_marks(len(chunk))})",
            tuple(chunk),
        )
        for r in rows:
            found[r[0]] = {"id": r[1], **dict(zip(DECK_COLUMNS, r[2:], strict=True))}
    return found


def save_deck(uuid: str, values: dict[str, Any], *, session: Session) -> int:
    """Insert or overwrite a deck row; returns its id."""
    existing = deck_rows([uuid], session=session).get(uuid)
    row = [values[c] for c in DECK_COLUMNS]
    if existing is None:
        result = _sql(
            session,
            f"INSERT INTO deck (uuid, {', '.join(DECK_COLUMNS)}) VALUES ({_marks(8)})",
            (uuid, *row),
        )
        new_id = result.lastrowid
        assert isinstance(new_id, int)
        return new_id
    sets = ", ".join(f"{c} = ?" for c in DECK_COLUMNS)
    _sql(session, f"UPDATE deck SET {sets} WHERE id = ?", (*row, existing["id"]))
    return int(existing["id"])


def deck_card_ids(deck_id: int, *, session: Session) -> list[int]:
    return [i for (i,) in _sql(session, "SELECT id FROM card WHERE deck_id = ?", (deck_id,))]


def remove_deck_row(deck_id: int, *, session: Session) -> None:
    _sql(session, "DELETE FROM deck WHERE id = ?", (deck_id,))


def set_suspended(values: Iterable[tuple[bool, int]], *, session: Session) -> None:
    rows = list(values)
    if rows:
        _sql(session, "UPDATE card_state SET suspended = ? WHERE card_id = ?", rows)


def set_retired(values: Iterable[tuple[bool, int]], *, session: Session) -> None:
    rows = list(values)
    if rows:
        _sql(session, "UPDATE card SET retired = ? WHERE id = ?", rows)


def suspended_uuids(*, session: Session) -> list[str]:
    rows = _sql(
        session,
        "SELECT c.uuid FROM card c JOIN card_state s ON s.card_id = c.id "
        "WHERE s.suspended ORDER BY c.id",
    )
    return [u for (u,) in rows]


def all_cards(*, session: Session) -> list[tuple[str, str, int, str, bool]]:
    """(uuid, deck uuid, position, content, retired) of every card, by deck and place."""
    rows = _sql(
        session,
        "SELECT c.uuid, d.uuid, c.position, c.content, c.retired "
        "FROM card c JOIN deck d ON d.id = c.deck_id ORDER BY d.position, d.id, c.position, c.id",
    )
    return [(u, d, p, x, bool(r)) for u, d, p, x, r in rows]


def holds_cards_or_answers(*, session: Session) -> bool:
    """Whether the collection has any card or answer (a merge into nothing needs no backup).
    Not a count: counting a log of 1,000,000 answers reads a whole index."""
    found = _sql(
        session, "SELECT EXISTS (SELECT 1 FROM card) OR EXISTS (SELECT 1 FROM review_log)"
    ).fetchone()[0]
    return bool(found)


# --- the review log ----------------------------------------------------------------------

_REVIEW_SELECT = (
    "SELECT r.id, r.origin, r.feed, c.uuid, " + ", ".join(f"r.{c}" for c in REVIEW_COLUMNS) + " "
    "FROM review_log r JOIN card c ON c.id = r.card_id "
)
LoggedReview = tuple[int, str | None, str | None, str, list[Any]]
"""(id, origin, feed, card uuid, the `REVIEW_COLUMNS` values) of an answer in the log."""


def reviews_by_id(ids: Sequence[int], *, session: Session) -> list[LoggedReview]:
    found: list[LoggedReview] = []
    for chunk in _chunks(list(ids)):
        rows = _sql(session, _REVIEW_SELECT + f"WHERE r.id IN ({_marks(len(chunk))})", tuple(chunk))
        found.extend((r[0], r[1], r[2], r[3], list(r[4:])) for r in rows)
    return sorted(found)


def reviews_of_cards(card_ids_: Sequence[int], *, session: Session) -> list[LoggedReview]:
    found: list[LoggedReview] = []
    for chunk in _chunks(list(card_ids_)):
        rows = _sql(
            session, _REVIEW_SELECT + f"WHERE r.card_id IN ({_marks(len(chunk))})", tuple(chunk)
        )
        found.extend((r[0], r[1], r[2], r[3], list(r[4:])) for r in rows)
    return sorted(found)


def all_reviews(*, session: Session) -> Iterator[LoggedReview]:
    for r in _sql(session, _REVIEW_SELECT + "ORDER BY r.id"):
        yield r[0], r[1], r[2], r[3], list(r[4:])


_ROWS_PER_INSERT = 50
"""Rows per INSERT statement (`insert_many`): 50 x 19 values stay under the 999 variables
an older SQLite allows a statement."""


def _stage_reviews(rows: Sequence[tuple[Any, ...]], *, session: Session) -> None:
    """Put (card id, origin, *REVIEW_COLUMNS) rows in the connection's temp table
    `sync_new_answers` for `insert_reviews` to move into the log, in this order."""
    columns = ", ".join(("card_id", "origin", *REVIEW_COLUMNS))
    _sql(session, f"CREATE TEMP TABLE IF NOT EXISTS sync_new_answers ({columns})")
    _sql(session, "DELETE FROM temp.sync_new_answers")
    insert_many(_raw(session), "temp.sync_new_answers", 2 + len(REVIEW_COLUMNS), rows)


def insert_many(raw: Any, table: str, width: int, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows of `width` values into `table` on the DB-API connection `raw`, in order.

    Fifty rows a statement (`INSERT ... VALUES (...), (...), ...`), the rest one by one:
    `executemany` of one row a statement spends as long again in the driver's per-row
    work as SQLite does in its own. Into a table with no index, this is nearly all of
    the driver's work and little of SQLite's."""
    one = f"({_marks(width)})"
    full = len(rows) - len(rows) % _ROWS_PER_INSERT
    if full:
        many = f"INSERT INTO {table} VALUES " + ",".join([one] * _ROWS_PER_INSERT)
        flat = itertools.chain.from_iterable
        for start in range(0, full, _ROWS_PER_INSERT):
            raw.execute(many, tuple(flat(rows[start : start + _ROWS_PER_INSERT])))
    if full < len(rows):
        raw.executemany(f"INSERT INTO {table} VALUES {one}", rows[full:])


def insert_reviews(rows: Sequence[tuple[Any, ...]], *, session: Session) -> int:
    """(card id, origin, *REVIEW_COLUMNS) each, into the review log now; an origin already
    present is skipped (the union is idempotent). Returns how many were new."""
    if not rows:
        return 0
    _stage_reviews(rows, session=session)
    return _move_staged(_raw(session))


def _move_staged(raw: Any) -> int:
    columns = ", ".join(("card_id", "origin", *REVIEW_COLUMNS))
    cursor = raw.cursor()
    cursor.execute(
        f"INSERT OR IGNORE INTO review_log ({columns}) "
        f"SELECT {columns} FROM temp.sync_new_answers"  # in the order they were staged
    )
    moved = int(cursor.rowcount)
    cursor.execute("DELETE FROM temp.sync_new_answers")
    return moved


def delete_reviews(
    origins: Iterable[str], local_prefix: str, *, session: Session
) -> dict[str, int]:
    """Delete answers by origin key (`local_prefix` + row id for this device's own, unless
    stored with its origin); returns the card id of each deleted one."""
    gone: dict[str, int] = {}
    for origin in origins:
        found = _sql(
            session, "SELECT id, card_id FROM review_log WHERE origin = ?", (origin,)
        ).fetchone()
        if found is None and origin.startswith(local_prefix):
            tail = origin[len(local_prefix) :]
            if tail.isdigit():
                found = _sql(
                    session,
                    "SELECT id, card_id FROM review_log WHERE id = ? AND origin IS NULL",
                    (int(tail),),
                ).fetchone()
        if found is not None:
            _sql(session, "DELETE FROM review_log WHERE id = ?", (found[0],))
            gone[origin] = int(found[1])
    return gone


def hold(values: Iterable[tuple[str, str, list[Any]]], *, session: Session) -> None:
    """Keep answers whose card is not here (yet): (origin, card uuid, review values)."""
    rows = [(o, c, json.dumps(v)) for o, c, v in values]
    if rows:
        _sql(
            session,
            "INSERT OR REPLACE INTO sync_held_review (origin, card_uuid, review) VALUES (?,?,?)",
            rows,
        )


def take_held(card_uuids: Iterable[str], *, session: Session) -> list[tuple[str, str, list[Any]]]:
    """The held answers of these cards, removed from the holding table."""
    found: list[tuple[str, str, list[Any]]] = []
    for chunk in _chunks(list(dict.fromkeys(card_uuids))):
        marks = _marks(len(chunk))
        rows = _sql(
            session,
            f"SELECT origin, card_uuid, review FROM sync_held_review WHERE card_uuid IN ({marks})",
            tuple(chunk),
        ).fetchall()
        found.extend((o, c, json.loads(r)) for o, c, r in rows)
        if rows:
            _sql(
                session, f"DELETE FROM sync_held_review WHERE card_uuid IN ({marks})", tuple(chunk)
            )
    return found


def drop_held(origins: Iterable[str], *, session: Session) -> None:
    rows = [(o,) for o in origins]
    if rows:
        _sql(session, "DELETE FROM sync_held_review WHERE origin = ?", rows)


def pause_foreign_keys(*, session: Session) -> bool:
    """Skip SQLite's foreign-key lookups for the rest of this transaction (a year's 200,000
    answers cost 200,000 lookups of a card the merge has just found: a tenth of the merge).
    Only before the transaction's first write (SQLite ignores the pragma inside one), and
    only for a merge that deletes no card (a delete needs the cascade). Every connection is
    given its foreign keys back as it returns to the pool, whatever happened; returns
    whether they were paused."""
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    if raw.in_transaction:
        return False
    engine = session.get_bind()
    if not event.contains(engine, "checkin", _foreign_keys_back):
        event.listen(engine, "checkin", _foreign_keys_back)
    raw.execute("PRAGMA foreign_keys=OFF")
    return True


def _foreign_keys_back(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _card_id_table(card_ids_: Iterable[int], *, session: Session) -> int:
    """The ids in a temporary table, for one join instead of a query per 500 ids (filled
    once when the replay's two reads ask for the same ids: the session remembers what it
    put there, where reading the 75,000 ids back to compare them cost 0.05 s); returns
    how many."""
    wanted = sorted(set(card_ids_))
    _sql(session, "CREATE TEMP TABLE IF NOT EXISTS sync_cards (id INTEGER PRIMARY KEY)")
    raw = session.connection().connection.dbapi_connection
    filled = session.info.get("sync_cards")
    if (
        filled is not None
        and filled[0] is raw
        and filled[1] == wanted
        # and no rollback took the rows back out (a count is a millisecond)
        and _sql(session, "SELECT count(*) FROM temp.sync_cards").fetchone()[0] == len(wanted)
    ):
        return len(wanted)
    _sql(session, "DELETE FROM temp.sync_cards")
    # 500 ids a statement: one a statement, a year's 75,000 cost 0.04 s, this 0.01.
    for chunk in _chunks(wanted):
        _sql(
            session, f"INSERT INTO temp.sync_cards (id) VALUES {_marks_rows(len(chunk))}", (*chunk,)
        )
    session.info["sync_cards"] = (raw, wanted)
    return len(wanted)


FEW_CARDS = 20
"""A replay of fewer than one card in this many reads their answers through the card index
(`logs_for_replay`); measured even at one in ten over 1,000,000 answers."""


def _join_for(asked: int, *, session: Session) -> str:
    """CROSS JOIN (the ids' table first, then each id's rows through an index) for fewer
    than one card in `FEW_CARDS`; otherwise JOIN, which SQLite runs as one pass over the
    other table (the card table for 10 cards: 15 ms at 100,000 cards)."""
    cards = _sql(session, "SELECT max(id) FROM card").fetchone()[0] or 0
    return "CROSS JOIN" if asked * FEW_CARDS < cards else "JOIN"


KeyedLogRow = tuple[str, str, int, str, int, Any]
"""(reviewed_at, origin key, study day, kind, quality, correct): one answer as a schedule
replay reads it, sortable in the order every device agrees on (time, then origin key)."""


def logs_for_replay(
    card_ids_: Iterable[int], local_prefix: str, *, session: Session
) -> dict[int, list[KeyedLogRow]]:
    """Each card's answers in replay order (`KeyedLogRow`).

    Each card's few answers are sorted here: one SQL sort of every row by text keys cost
    more than the whole rest of the read. Left to itself, SQLite reads the whole log and
    looks each answer's card up in the id table, whatever the number of cards: over
    1,000,000 answers that was 0.08 s for 10 cards and 0.18 s for 1,000, where the card
    index (the ids' table first: CROSS JOIN) takes 0.0003 s and 0.03 s. For many cards the
    whole read is the faster one (75,000 of 100,000: 0.94 s against 2.0 s through the
    index), so the index is taken for fewer than one card in `FEW_CARDS`."""
    join = _join_for(_card_id_table(card_ids_, session=session), session=session)
    rows = _sql(
        session,
        "SELECT r.card_id, r.reviewed_at, coalesce(r.origin, ? || r.id), r.study_day, "
        f"r.kind, r.quality, r.correct FROM temp.sync_cards t {join} review_log r "
        "ON r.card_id = t.id",
        (local_prefix,),
    ).fetchall()
    by_card: dict[int, list[KeyedLogRow]] = {}
    for row in rows:
        by_card.setdefault(row[0], []).append(row[1:])
    for found in by_card.values():
        found.sort()
    return by_card


def replay_inputs(
    card_ids_: Sequence[int], *, session: Session
) -> tuple[dict[int, tuple[CardUuid, int, tuple[Any, ...]]], dict[int, str]]:
    """card id -> (card uuid, its deck's id, its state columns); and every deck's options
    JSON by id (a few decks for 75,000 cards: their text read once, not once a card)."""
    columns = ", ".join(f"s.{c}" for c in STATE_COLUMNS)
    join = _join_for(_card_id_table(card_ids_, session=session), session=session)
    # The state row carries its card's uuid and deck (kept equal by triggers): reading
    # the card's own row too cost 0.05 s more for a year's 75,000 cards.
    rows = _sql(
        session,
        f"SELECT s.card_id, s.uuid, s.deck_id, {columns} FROM temp.sync_cards t "
        f"{join} card_state s ON s.card_id = t.id",
    ).fetchall()
    options = dict(_sql(session, "SELECT id, options FROM deck").fetchall())
    return {r[0]: (r[1], r[2], r[3:]) for r in rows}, options


def write_states(rows: Sequence[tuple[Any, ...]], *, session: Session) -> None:
    """(*STATE_COLUMNS, card id) each."""
    if rows:
        sets = ", ".join(f"{c} = ?" for c in STATE_COLUMNS)
        _sql(session, f"UPDATE card_state SET {sets} WHERE card_id = ?", list(rows))


# --- the journal's outbox ----------------------------------------------------------------

OUTBOX_KEY = "sync_outbox"
"""A setting row (device-local, never synced): the events of the operations committed
since the journal last confirmed a write, written in each operation's own transaction."""


def outbox(*, session: Session) -> list[dict[str, Any]]:
    """The events waiting in the outbox, in the order they were committed."""
    found = _sql(session, "SELECT value FROM setting WHERE key = ?", (OUTBOX_KEY,)).fetchone()
    if found is None:
        return []
    try:
        events = orjson.loads(found[0])
    except orjson.JSONDecodeError:
        return []  # not ours to read: the journal starts a new outbox
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def put_outbox(events: Sequence[dict[str, Any]], *, session: Session) -> None:
    """Replace the outbox (raw SQL: this runs in every answer's transaction)."""
    _sql(
        session,
        "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
        (OUTBOX_KEY, orjson.dumps(list(events)).decode()),
    )
