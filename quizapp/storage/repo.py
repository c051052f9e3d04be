"""Repository functions: verb-first, `*, session`, and they never commit (services do)."""

from __future__ import annotations

import itertools
import json
import operator
import sqlite3
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, text, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, SQLModel, col, select

from quizapp.core.model import Card as CoreCard
from quizapp.core.model import Deck as CoreDeck
from quizapp.core.model import Kind
from quizapp.core.queue import CandidateCounts, DeckCandidates, Limits, day_seed, order_new
from quizapp.storage import deck_glance
from quizapp.storage.codec import card_from_json, card_to_json
from quizapp.storage.tables import (
    CardRow,
    CardState,
    DeckRow,
    InterviewAnswer,
    QuestionSetCard,
    ReviewLog,
    Setting,
)


@dataclass(frozen=True)
class UnreadableSetting:
    """A stored setting that is not JSON (another program wrote it, or the disk damaged it).

    Returned in place of the value, so the caller falls back to its default and says so,
    as it does for a value out of range, instead of the collection failing to open.
    """

    raw: str

    def __repr__(self) -> str:
        return f"not JSON ({self.raw[:40]!r})"


def get_setting(key: str, *, session: Session) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return None
    try:
        return json.loads(row.value)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return UnreadableSetting(str(row.value))


def put_setting(key: str, value: Any, *, session: Session) -> None:
    row = session.get(Setting, key) or Setting(key=key, value="null")
    row.value = json.dumps(value, sort_keys=True)
    session.add(row)


def list_decks(*, session: Session) -> list[DeckRow]:
    return list(session.exec(select(DeckRow).order_by(col(DeckRow.position), col(DeckRow.name))))


def get_deck_by_uuid(uuid: str, *, session: Session) -> DeckRow | None:
    return session.exec(select(DeckRow).where(DeckRow.uuid == uuid)).first()


def get_deck_by_source(source: str, *, session: Session) -> DeckRow | None:
    return session.exec(select(DeckRow).where(DeckRow.source == source)).first()


def count_cards_by_deck(*, session: Session) -> dict[int, int]:
    """Cards in each deck, retired ones left out (kept by triggers in `deck_size`)."""
    rows = session.execute(text("SELECT deck_id, cards FROM deck_size WHERE cards > 0"))
    return {deck_id: n for deck_id, n in rows}


def get_cards_by_uuid(uuids: Iterable[str], *, session: Session) -> dict[str, CardRow]:
    """The stored cards of these uuids. Which exist is asked first in plain SQL and only those
    are loaded as ORM rows: an import of a new 100,000-card deck asks twice (preview, apply)
    and finds none, which through the ORM alone took ~0.5 s each time.

    The uuids are asked in sorted order: each chunk's probes then fall on neighbouring pages
    of the uuid index rather than all over it (100,000 new uuids: 0.094 s -> 0.02 s to sort
    and 0.038 s to ask)."""
    wanted = sorted(uuids)
    ids: list[int] = []
    session.flush()  # the plain query must see pending rows, as the ORM's autoflush made it
    cursor: Any = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            ids += [
                r[0] for r in cursor.execute(f"SELECT id FROM card WHERE uuid IN ({marks})", chunk)
            ]
    finally:
        cursor.close()
    found: dict[str, CardRow] = {}
    for start in range(0, len(ids), 500):
        chunk_ids = ids[start : start + 500]
        for row in session.exec(select(CardRow).where(col(CardRow.id).in_(chunk_ids))):
            found[row.uuid] = row
    return found


def live_card_uuids(deck_id: int, *, session: Session) -> set[str]:
    """The uuids of a deck's cards that are not retired: the shipped-deck check at every
    start reads these, not whole rows (~1,500 ORM objects built for one comparison)."""
    rows = session.execute(
        select(col(CardRow.uuid)).where(CardRow.deck_id == deck_id, col(CardRow.retired).is_(False))
    )
    return {uuid for (uuid,) in rows}


def list_deck_cards(deck_id: int, *, session: Session) -> list[CardRow]:
    return list(
        session.exec(
            select(CardRow).where(CardRow.deck_id == deck_id).order_by(col(CardRow.position))
        )
    )


def iter_deck_contents(deck_id: int, *, session: Session) -> Iterator[str]:
    """The stored JSON of a deck's cards still in it, in order. Consume it inside the session."""
    with closing(iter_deck_content_batches(deck_id, session=session)) as batches:
        for batch in batches:
            yield from batch


def iter_deck_content_batches(
    deck_id: int, *, session: Session
) -> Generator[list[str], None, None]:
    """`iter_deck_contents` 2,000 rows at a time (never an empty batch): what an export
    writes, a batch per call rather than a few calls per card.

    One column through the session's own sqlite3 connection: ORM rows for 100,000 cards took
    3.3 s and 370 MiB, and SQLAlchemy's result layer on the column alone still ~0.15 s. The
    connection's page cache is held to `_READ_THROUGH_CACHE_KIB` while it reads.
    Consume it inside the session, and close it there if not to the end (`contextlib.closing`).
    """
    cursor: Any = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    (before,) = cursor.execute("PRAGMA cache_size").fetchone()
    cursor.execute(f"PRAGMA cache_size=-{_READ_THROUGH_CACHE_KIB}")
    try:
        cursor.execute(
            "SELECT content FROM card WHERE deck_id = ? AND NOT retired ORDER BY position",
            (deck_id,),
        )
        while rows := cursor.fetchmany(2000):
            yield [content for (content,) in rows]
    finally:
        try:
            cursor.execute(f"PRAGMA cache_size={int(before)}")
            cursor.close()
        except sqlite3.ProgrammingError:
            pass  # finalized after its connection closed: nothing left to set back


_READ_THROUGH_CACHE_KIB = 2 * 1024
"""SQLite's page cache while a deck's rows are read through once (`iter_deck_content_batches`).
With the connection's usual 32 MiB every page read took new memory and the cache outgrew the
processor's: a 100,000-card export (~60 MB of pages) took 0.32 s; with SQLite's default
2 MiB its pages are reused while still in the processor's cache, 0.29 s, and the export's peak
is 15 MiB lower. Set back afterwards (the pages come back from the OS's cache when needed)."""


def save_deck(
    deck: CoreDeck, *, source: str, digest: str, position: int, session: Session
) -> DeckRow:
    row = get_deck_by_uuid(deck.id, session=session) or DeckRow(uuid=deck.id, name=deck.name)
    row.name, row.section, row.description = deck.name, deck.section, deck.description
    row.source, row.source_digest, row.position = source, digest, position
    session.add(row)
    session.flush()
    return row


_KIND_VALUE = {kind: kind.value for kind in Kind}


def card_values(card: CoreCard, *, deck_id: int, position: int) -> dict[str, Any]:
    """The `card` table's columns for a card (all but `id`), as one row of a bulk write."""
    return {
        "uuid": card.id,
        "deck_id": deck_id,
        "position": position,
        "kind": _KIND_VALUE[card.kind],  # `Enum.value` is a Python-level property: 0.03 s
        "prompt": card.prompt,
        "code": card.code,
        "explanation": card.explanation,
        "tags": " ".join(card.tags),
        "content": card_to_json(card),
        "retired": False,
    }


def defer_checkpoint(session: Session) -> None:
    """This transaction's commit leaves the WAL's checkpoint to `Checkpointer.soon`.

    SQLite checkpoints on the commit that takes the WAL past 1,000 pages, in the committing
    thread: after a 100,000-card import that copied ~120 MB into the file and synced it,
    ~0.4 s before the import could return. The commit is as durable without it (the WAL
    holds it). The connection gets its own setting back when it returns to the pool
    (`database._make_engine`), so nothing else runs without SQLite's checkpoint.
    """
    fairy: Any = session.connection().connection
    raw = fairy.dbapi_connection
    before = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    raw.execute("PRAGMA wal_autocheckpoint=0")
    fairy.info.setdefault("autocheckpoint_before", before)  # the first call's, if twice


def insert_cards(rows: Iterable[dict[str, Any]], *, session: Session) -> None:
    """Insert many cards (`card_values` rows): one executemany per chunk, derived rows set-wise.

    Core, not ORM objects: building a SQLModel object per card cost ~0.1 ms each (1 s for
    a 10,000-card deck). A new card also needs a state row, a place in the search index
    and one more in its deck's size; triggers write those for a single card, but per row
    they cost ~60 us (0.6 s for 10,000 cards) where set-based statements over the
    new cards take ~10 us. So a large batch runs with those triggers paused
    (`_insert_triggers_paused`) and does their work itself, in the caller's transaction.

    `rows` may be a generator: it is consumed 2,000 rows at a time, so an import of 100,000
    cards never holds all their rows (~100 MiB of JSON and dicts) at once.
    """
    rows = iter(rows)
    first = list(itertools.islice(rows, _BULK_ROWS))
    if len(first) < _BULK_ROWS:
        _insert_rows(first, session=session)
        return
    rows = itertools.chain(first, rows)
    with _insert_triggers_paused(session) as paused, _page_cache_limited(session):
        if not paused:
            _insert_rows(rows, session=session)
            return
        last_id = session.execute(text("SELECT coalesce(max(id), 0) FROM card")).scalar_one()
        added: Counter[int] = Counter()
        _insert_rows(_counted(rows, added), session=session)
        for statement in _DERIVED_FOR_NEW_CARDS:
            session.execute(text(statement), {"last_id": last_id})
        # deck_size_on_insert (migrations step 2): each deck's count of cards not retired,
        # counted as the rows went by (a count over the new rows read back was 0.1 s).
        if added:
            session.execute(
                text("UPDATE deck_size SET cards = cards + :n WHERE deck_id = :deck"),
                [{"n": n, "deck": deck} for deck, n in added.items()],
            )


def _counted(rows: Iterable[dict[str, Any]], added: Counter[int]) -> Iterator[dict[str, Any]]:
    for row in rows:
        if not row["retired"]:
            added[row["deck_id"]] += 1
        yield row


_BULK_ROWS = 200
"""From this many new cards on, derived rows are written set-wise, not by triggers."""

_INSERT_TRIGGERS = ("card_state_for_new_card", "card_fts_insert", "deck_size_on_insert")
"""The AFTER INSERT ON card triggers whose work `_DERIVED_FOR_NEW_CARDS` does in bulk."""

_DERIVED_FOR_NEW_CARDS = (
    # card_state_for_new_card (migrations step 4): the state row, mirrored columns included.
    "INSERT OR IGNORE INTO card_state (card_id, repetitions, easiness_hundredths, interval, "
    "lapses, reviews, suspended, uuid, deck_id, retired, position) "
    "SELECT id, 0, 250, 0, 0, 0, 0, uuid, deck_id, retired, position "
    "FROM card WHERE id > :last_id",
    # card_fts_insert (search._FTS_SQL): the search index's rows.
    "INSERT INTO card_fts (rowid, prompt, code, explanation, tags) "
    "SELECT id, prompt, code, explanation, tags FROM card WHERE id > :last_id",
)


_BULK_CACHE_KIB = 8 * 1024
"""SQLite's page cache during a bulk insert. The connection's usual 32 MiB
(`database._make_engine`) filled up with the new rows' pages, which are written once and
not read again: 26 MiB of a 100,000-card import's peak, for no measured gain in time."""


@contextmanager
def _page_cache_limited(session: Session) -> Iterator[None]:
    """The connection's page cache held to `_BULK_CACHE_KIB` inside the block, then set back.

    A smaller cache only makes SQLite write pages of the open transaction to the WAL
    sooner (a "spill"); they still commit or roll back with it.
    """
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


@contextmanager
def _insert_triggers_paused(session: Session) -> Iterator[bool]:
    """Drop `_INSERT_TRIGGERS` and re-create them from their own stored SQL on the way out.

    SQLite's DDL is transactional, and this runs in a savepoint of the caller's open
    transaction: if the batch fails, the savepoint is rolled back (triggers back, no card
    half-inserted) and the exception goes on; if the import is later cancelled or the
    process dies, the whole transaction goes, triggers included. No other connection can
    write meanwhile (one writer). Yields False, pausing nothing, outside a transaction
    (where DDL would commit at once) or if the schema lacks one of these triggers.
    """
    conn = session.connection()
    names = ", ".join(f"'{name}'" for name in _INSERT_TRIGGERS)
    found = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    ).all()
    in_transaction = conn.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]
    if len(found) != len(_INSERT_TRIGGERS) or not in_transaction:
        yield False
        return
    conn.exec_driver_sql("SAVEPOINT bulk_insert")
    try:
        for name, _sql in found:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
        yield True
        for _name, sql in found:
            conn.exec_driver_sql(sql)
    except BaseException:
        try:
            conn.exec_driver_sql("ROLLBACK TO bulk_insert")
            conn.exec_driver_sql("RELEASE bulk_insert")
        except OperationalError:
            # SQLite rolled the whole transaction back itself (a full disk, an I/O error),
            # savepoint included; the error that did it is the one to report, not this one.
            pass
        raise
    conn.exec_driver_sql("RELEASE bulk_insert")


_INSERT_COLUMNS = [
    "uuid",
    "deck_id",
    "position",
    "kind",
    "prompt",
    "code",
    "explanation",
    "tags",
    "content",
    "retired",
]
_INSERT_CARD = (
    f"INSERT INTO card ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)})"
)


def _insert_rows(rows: Iterable[dict[str, Any]], *, session: Session) -> None:
    """One prepared INSERT for every row, through the session's own connection (so in its
    transaction): SQLAlchemy's executemany compiled and processed each row's parameters,
    ~40% of an insert of 100,000 cards; sqlite3 takes the rows from a generator."""
    values = operator.itemgetter(*_INSERT_COLUMNS)
    session.flush()  # rows the ORM still holds go first, as they would have before a Core insert
    cursor: Any = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(_INSERT_CARD, map(values, rows))
    except sqlite3.Error as exc:
        # As SQLAlchemy would have raised it, so a full disk still reads as one upstream.
        raise DBAPIError.instance(_INSERT_CARD, None, exc, sqlite3.Error) from exc
    finally:
        cursor.close()


def update_cards(rows: Sequence[dict[str, Any]], *, session: Session) -> None:
    """Overwrite many existing cards (`card_values` rows plus their `id`), one executemany.

    Only the card's content and place change; its state and review log are other tables.
    """
    if not rows:
        return
    table = _CARD_TABLE
    columns = [c for c in rows[0] if c != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("card_row_id"))
        .values({c: bindparam(c) for c in columns})
    )
    session.execute(statement, [{**r, "card_row_id": r["id"]} for r in rows])


def save_card(
    card: CoreCard, *, deck_id: int, position: int, existing: CardRow | None, session: Session
) -> CardRow:
    row = existing or CardRow(
        uuid=card.id, deck_id=deck_id, kind=card.kind.value, prompt=card.prompt, content=""
    )
    row.deck_id, row.position, row.kind = deck_id, position, card.kind.value
    row.prompt, row.code, row.explanation = card.prompt, card.code, card.explanation
    row.tags, row.content, row.retired = " ".join(card.tags), card_to_json(card), False
    # A new card's state row is made by a trigger (migrations step 2) when the card is
    # inserted, so many new cards go out in one batched INSERT at the next flush instead of
    # a flush per card; `row.id` is set by that flush.
    session.add(row)
    return row


def retire_cards(deck_id: int, keep: set[str], *, session: Session) -> int:
    """Hide cards that left their deck file; their history stays."""
    ids = session.execute(
        select(col(CardRow.id), col(CardRow.uuid)).where(
            CardRow.deck_id == deck_id, col(CardRow.retired).is_(False)
        )
    )
    gone = [{"card_row_id": card_id} for card_id, uuid in ids if uuid not in keep]
    if gone:
        table = _CARD_TABLE
        statement = update(table).where(table.c.id == bindparam("card_row_id"))
        session.execute(statement.values(retired=True), gone)
    return len(gone)


def load_card(row: CardRow) -> CoreCard:
    return card_from_json(row.content)


def get_card_with_state(uuid: str, *, session: Session) -> tuple[CardRow, CardState] | None:
    found = session.exec(
        select(CardRow, CardState)
        .join(CardState, col(CardState.card_id) == col(CardRow.id))
        .where(CardRow.uuid == uuid)
    ).first()
    return None if found is None else (found[0], found[1])


# The study queries: one copy of their conditions, shared with the deck list's plain reads.
_DUE_WHERE = deck_glance.DUE_WHERE
_NEW_WHERE = deck_glance.NEW_WHERE
_UUID = "s.uuid"
_DUE_SQL = text(f"SELECT {_UUID} {_DUE_WHERE} ORDER BY s.due_day, s.position LIMIT :n")
_NEW_SQL = text(
    f"SELECT {_UUID}, (SELECT c.kind FROM card c WHERE c.id = s.card_id) {_NEW_WHERE} "
    "ORDER BY s.position LIMIT :n"
)
NEW_MIX_WINDOW = 4
"""A mixed order draws the day's new cards from this many times the daily limit of the
deck's next new cards (at least `NEW_MIX_MINIMUM`): the mix stays near the deck's own
order, and the query's cost still follows the limit."""
NEW_MIX_MINIMUM = 60
_DRILL_SQL = text(deck_glance.DRILL)
_DONE_TODAY_SQL = text(deck_glance.DONE_TODAY)


def get_candidates(
    deck_ids: Sequence[int],
    today: int,
    *,
    new_limit: int,
    review_limit: int,
    session: Session,
    new_order: Mapping[int, str] | None = None,
    own_limits: Mapping[int, Limits] | None = None,
) -> dict[int, DeckCandidates]:
    """Each deck's cards that could come up today, at most a day's limit of each sort.

    New cards come in each deck's `new_order` ("mixed" unless it says "file"; see
    `core.queue.order_new`), mixed with the study day as the seed. A deck in `own_limits`
    is held to its own limits instead of `new_limit` and `review_limit`.
    """
    done = _done_today(deck_ids, today, session=session)
    drill = _drill_cards(deck_ids, today, session=session)
    result = {}
    for d in deck_ids:
        new_n, review_n = _limits_of(d, own_limits, new_limit, review_limit)
        order = (new_order or {}).get(d, "mixed")
        window = new_n if order == "file" else max(new_n * NEW_MIX_WINDOW, NEW_MIX_MINIMUM)
        due = session.execute(_DUE_SQL, {"deck": d, "today": today, "n": review_n})
        new = session.execute(_NEW_SQL, {"deck": d, "today": today, "n": window})
        ordered = order_new([(u, k) for u, k in new], order=order, seed=day_seed(today, str(d)))
        result[d] = DeckCandidates(
            due=[u for (u,) in due],
            new=ordered[:new_n],
            drill=drill.get(d, []),
            new_done_today=done.get((d, "new"), 0),
            reviews_done_today=done.get((d, "review"), 0),
        )
    return result


def _limits_of(
    deck: int, own: Mapping[int, Limits] | None, new_limit: int, review_limit: int
) -> tuple[int, int]:
    if own is not None and deck in own:
        return own[deck].new_per_day, own[deck].reviews_per_day
    return new_limit, review_limit


def count_candidates(
    deck_ids: Sequence[int],
    today: int,
    *,
    new_limit: int,
    review_limit: int,
    session: Session,
    own_limits: Mapping[int, Limits] | None = None,
) -> dict[int, CandidateCounts]:
    """What `get_candidates` would return, counted instead of listed (the deck list's
    numbers): `deck_glance`'s counting, which the first paint uses before SQLAlchemy is
    imported, on this session's connection."""
    raw = session.connection().connection.driver_connection
    limits = {d: Limits(*_limits_of(d, own_limits, new_limit, review_limit)) for d in deck_ids}
    return deck_glance.count_candidates(raw, deck_ids, today, limits)


def _drill_cards(deck_ids: Sequence[int], today: int, *, session: Session) -> dict[int, list[str]]:
    wanted = set(deck_ids)
    drill: dict[int, list[str]] = {}
    for uuid, deck_id in session.execute(_DRILL_SQL, {"today": today}):
        if deck_id in wanted:
            drill.setdefault(deck_id, []).append(uuid)
    return drill


def _done_today(
    deck_ids: Sequence[int], today: int, *, session: Session
) -> dict[tuple[int, str], int]:
    wanted = set(deck_ids)
    rows = session.execute(_DONE_TODAY_SQL, {"today": today})
    return {(deck_id, kind): n for deck_id, kind, n in rows if deck_id in wanted}


_STATE_BY_UUID = text(
    "SELECT s.card_id, s.repetitions, s.easiness_hundredths, s.interval, s.due_day, "
    "s.drill_day, s.lapses, s.reviews, s.suspended, s.stability, s.difficulty, "
    "s.last_review_day FROM card c JOIN card_state s ON s.card_id = c.id WHERE c.uuid = :uuid"
)


_CARD_TABLE: Table = SQLModel.metadata.tables["card"]
_STATE_TABLE: Table = SQLModel.metadata.tables["card_state"]
_LOG_TABLE: Table = SQLModel.metadata.tables["review_log"]
_STATE_FIELDS = [c.name for c in _STATE_TABLE.columns if c.name != "card_id"]
_LOG_FIELDS = [c.name for c in _LOG_TABLE.columns if c.name != "id"]


def get_state_by_uuid(uuid: str, *, session: Session) -> CardState | None:
    """The card's scheduling state as a detached value (answering reads it once, then writes)."""
    row = session.execute(_STATE_BY_UUID, {"uuid": uuid}).mappings().first()
    return None if row is None else CardState(**{**row, "suspended": bool(row["suspended"])})


def update_state(state: CardState, *, session: Session) -> None:
    """Write a detached state back in one statement (no ORM load, no flush)."""
    values = {c: getattr(state, c) for c in _STATE_FIELDS}
    statement = update(_STATE_TABLE).where(col(CardState.card_id) == state.card_id)
    session.connection().execute(statement, values)


def insert_review(log: ReviewLog, *, session: Session) -> int:
    """Append to the review log in one statement; returns the new row's id."""
    statement = insert(_LOG_TABLE)
    result = session.connection().execute(statement, {c: getattr(log, c) for c in _LOG_FIELDS})
    new_id = result.lastrowid
    assert isinstance(new_id, int)
    return new_id


def add_review(log: ReviewLog, *, session: Session) -> ReviewLog:
    session.add(log)
    session.flush()
    return log


def get_review(log_id: int, *, session: Session) -> ReviewLog | None:
    return session.get(ReviewLog, log_id)


def get_earliest_due(deck_ids: Sequence[int], after: int, *, session: Session) -> int | None:
    value = session.exec(
        select(func.min(CardState.due_day))
        .join(CardRow, col(CardRow.id) == col(CardState.card_id))
        .where(
            col(CardRow.deck_id).in_(deck_ids),
            col(CardRow.retired).is_(False),
            col(CardState.suspended).is_(False),
            col(CardState.due_day) > after,
        )
    ).first()
    return value


def next_card_position(deck_id: int, *, session: Session) -> int:
    """One past the last card of the deck, so a new card is added at its end."""
    last = session.exec(
        select(func.max(CardRow.position)).where(CardRow.deck_id == deck_id)
    ).first()
    return 0 if last is None else last + 1


def count_reviews(card_ids: Sequence[int], *, session: Session) -> int:
    """How many answers these cards have on record: what deleting them with history loses.

    Review-log rows and mock-interview answers both count: either is the learner's history.
    """
    total = 0
    ids = list(card_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in (ReviewLog, InterviewAnswer):
            total += session.exec(
                select(func.count()).select_from(table).where(col(table.card_id).in_(chunk))
            ).one()
    return total


def delete_cards(card_ids: Sequence[int], *, session: Session) -> int:
    """Delete cards with their state, review log and interview answers; how many answers went.

    The log has no cascade on purpose: only a caller that asked for it gets here. A card
    also leaves any question set holding it (the set keeps its other cards, in order).
    Set-wise, 500 cards a statement: one ORM delete and flush per card took 1.6 s for 1,000.
    """
    ids = list(card_ids)
    lost = count_reviews(ids, session=session)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table in (ReviewLog, InterviewAnswer, QuestionSetCard, CardState):
            session.execute(delete(table).where(col(table.card_id).in_(chunk)))
        session.execute(delete(CardRow).where(col(CardRow.id).in_(chunk)))
    session.expire_all()  # ORM objects of these rows are stale now
    return lost


def list_card_states(*, session: Session) -> list[tuple[CardRow, CardState]]:
    """Every card with its scheduling state, retired ones included: a progress export keeps all."""
    rows = session.exec(
        select(CardRow, CardState)
        .join(CardState, col(CardState.card_id) == col(CardRow.id))
        .order_by(col(CardRow.id))
    )
    return [(card, state) for card, state in rows]


def list_reviews(card_ids: Sequence[int], *, session: Session) -> dict[int, list[ReviewLog]]:
    """The review log of these cards, oldest first, by card id."""
    found: dict[int, list[ReviewLog]] = {}
    ids = list(card_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for log in session.exec(
            select(ReviewLog)
            .where(col(ReviewLog.card_id).in_(chunk))
            .order_by(col(ReviewLog.reviewed_at), col(ReviewLog.id))
        ):
            found.setdefault(log.card_id, []).append(log)
    return found


def get_deck_name(deck_id: int, *, session: Session) -> str:
    row = session.get(DeckRow, deck_id)
    return row.name if row is not None else ""


_OPTIONS_OF_CARD = text(
    "SELECT d.options FROM card c JOIN deck d ON d.id = c.deck_id WHERE c.id = :id"
)


def get_deck_options_of_card(card_id: int, *, session: Session) -> str:
    """The stored options (JSON) of the card's deck: which scheduler plans its reviews."""
    value = session.execute(_OPTIONS_OF_CARD, {"id": card_id}).scalar()
    return value if isinstance(value, str) else "{}"


def get_deck_options(deck_id: int, *, session: Session) -> str:
    row = session.get(DeckRow, deck_id)
    return row.options if row is not None else "{}"


def set_deck_options(deck_id: int, options: str, *, session: Session) -> None:
    row = session.get(DeckRow, deck_id)
    if row is not None:
        row.options = options
        session.add(row)


def first_card_of_each_kind(deck_ids: Sequence[int], *, session: Session) -> dict[str, str]:
    """{kind: card uuid}: the first studyable card of each kind, in deck then card order
    (the welcome's sampler: one card of each kind from the decks a beginner starts with)."""
    if not deck_ids:
        return {}
    rows = session.execute(
        text(
            "SELECT c.kind, c.uuid FROM card c JOIN card_state s ON s.card_id = c.id "
            "JOIN deck d ON d.id = c.deck_id WHERE c.retired = 0 AND s.suspended = 0 "
            "AND c.deck_id IN :decks ORDER BY d.position, d.name, c.position"
        ).bindparams(bindparam("decks", expanding=True)),
        {"decks": list(deck_ids)},
    )
    found: dict[str, str] = {}
    for kind, uuid in rows:
        found.setdefault(kind, uuid)
    return found
