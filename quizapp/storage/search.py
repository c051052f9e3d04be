"""Finding cards for the browser: full-text search (SQLite FTS5) plus filters and sorting.

The index is an *external content* FTS5 table over `card` (prompt, code, explanation,
tags): it stores only the tokens, the text stays in `card`, and three triggers keep the two
in step whatever writes a card (an import, the editor, an older quizapp that knows nothing
of the index). It is created with the schema; a collection made before it existed gets it,
rebuilt from `card`, the first time it is opened.

Typed words are matched as prefixes (`mute` finds `Mutex`), all of them required, so the
browser can search as the learner types. Punctuation is not searchable (FTS5's unicode61
tokenizer splits on it): `spawn_blocking` is searched as the phrase "spawn blocking".

Results come back as card UUIDs in the chosen order, whole or a page at a time
(`offset`/`limit`); `get_browser_rows` then loads the columns of one page by UUID. The
browser takes the ordered UUIDs once per search and loads rows page by page as it
scrolls, so a page far down costs the same as the first (OFFSET would rescan every row
before it) and rows do not shift while the learner suspends or moves the ones on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Connection, func, literal, literal_column, text
from sqlalchemy import select as select_columns
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from quizapp.storage.tables import CardRow, CardState, DeckRow

FTS_TABLE = "card_fts"

_FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "prompt, code, explanation, tags, content='card', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON card BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, prompt, code, explanation, tags) "
    "VALUES (new.id, new.prompt, new.code, new.explanation, new.tags); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON card BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, prompt, code, explanation, tags) "
    "VALUES ('delete', old.id, old.prompt, old.code, old.explanation, old.tags); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF prompt, code, explanation, tags ON card "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, prompt, code, explanation, tags) "
    "VALUES ('delete', old.id, old.prompt, old.code, old.explanation, old.tags); "
    f"INSERT INTO {FTS_TABLE}(rowid, prompt, code, explanation, tags) "
    "VALUES (new.id, new.prompt, new.code, new.explanation, new.tags); END",
)


def ensure_search_index(conn: Connection) -> bool:
    """Create the index and its triggers if missing, filled from `card`; True if it was made.

    Runs inside the caller's transaction, so a collection never has half an index.
    """
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    if found is not None:
        return False
    for statement in _FTS_SQL:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


SortKey = Literal[
    "deck",
    "kind",
    "prompt",
    "tags",
    "due",
    "interval",
    "ease",
    "lapses",
    "reviews",
    "suspended",
    "recall",
]
SORT_KEYS: tuple[SortKey, ...] = (
    "deck",
    "kind",
    "prompt",
    "tags",
    "due",
    "interval",
    "ease",
    "lapses",
    "reviews",
    "suspended",
    "recall",
)
"""In the browser's column order. "recall" is not a column of the database (it depends on
the day and each deck's scheduler): here it orders as "deck" does, and the service sorts
the UUIDs by predicted recall afterwards (`services.browse`)."""
DueFilter = Literal["today", "overdue", "new"]


@dataclass(frozen=True)
class CardQuery:
    """What the browser asks for. Empty fields do not filter."""

    text: str = ""
    deck_uuid: str | None = None
    kind: str | None = None
    tag: str | None = None
    due: DueFilter | None = None
    """'today': due on or before today; 'overdue': before today; 'new': never studied."""
    min_lapses: int = 0
    suspended: bool | None = None
    sort: SortKey = "deck"
    descending: bool = False


@dataclass(frozen=True)
class BrowserRow:
    uuid: str
    deck_uuid: str
    deck_name: str
    deck_source: str
    kind: str
    prompt: str
    """The first `PROMPT_CHARS` characters: the table shows an excerpt."""
    tags: str
    due_day: int | None
    interval: int
    easiness_hundredths: int
    lapses: int
    reviews: int
    suspended: bool
    recall: float | None = None
    """Predicted recall today, filled in by the service for the rows drawn (None: never
    reviewed, or not computed)."""


PROMPT_CHARS = 300
MAX_SEARCH_CHARS = 500
MAX_SEARCH_TERMS = 16
"""Words of a search used; the rest is ignored. Every prefix term is one more scan of the
index: 20,000 one-letter words took 6 s per query on the GUI thread."""


def fts_expression(typed: str) -> str:
    """The FTS5 query for what the learner typed: every word, each as a prefix.

    Words are quoted, so FTS5 operators (AND, NEAR, `*`, `:`) typed by the learner are
    searched as text instead of breaking the query. Words without a letter or digit are
    dropped; they cannot match a token.
    """
    terms = []
    for word in typed[:MAX_SEARCH_CHARS].split():
        if not re.search(r"\w", word):
            continue
        terms.append('"' + word.replace('"', '""') + '"*')
        if len(terms) == MAX_SEARCH_TERMS:
            break
    return " ".join(terms)


class SearchStopped(Exception):
    """A search was stopped by its caller part-way (a newer one replaced it)."""


@contextmanager
def stoppable(session: Session, stop: Callable[[], bool] | None) -> Iterator[None]:
    """SQLite checks `stop` every few thousand steps of the statements run inside, and
    abandons the statement when it says so (`SearchStopped`): a search that a newer one
    replaced gives its thread back at once instead of listing 300,000 UUIDs for nothing."""
    if stop is None:
        yield
        return
    raw: Any = session.connection().connection.driver_connection
    raw.set_progress_handler(lambda: 1 if stop() else 0, 10_000)
    try:
        yield
    except OperationalError as exc:
        if stop():
            raise SearchStopped() from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)


def search_card_uuids(
    query: CardQuery,
    today: int,
    *,
    session: Session,
    offset: int = 0,
    limit: int | None = None,
) -> list[str]:
    """The UUIDs of the cards that match, in the query's order (retired cards excluded)."""
    statement = _filtered(select(CardRow.uuid), query, today)
    direction = [e.desc() if query.descending else e.asc() for e in _order_by(query.sort)]
    if query.sort == "due":
        # New cards (no due day) after every scheduled one, in either direction.
        direction.insert(0, col(CardState.due_day).is_(None).asc())
    tiebreak = col(CardRow.id).desc() if query.descending else col(CardRow.id).asc()
    statement = statement.order_by(*direction, tiebreak)
    if offset or limit is not None:
        statement = statement.offset(offset).limit(-1 if limit is None else limit)
        return [uuid for (uuid,) in session.connection().execute(statement)]
    if _state_only(query):
        return _state_uuids(query, today, session=session)
    # Every UUID in one row, joined by SQLite in the subquery's order, then split: one step
    # of SQLite instead of one per card. Python's sqlite3 lets go of the GIL for each step,
    # so 300,000 row steps in the browser's worker meant 300,000 handovers with the GUI
    # thread (the search took twice as long beside a drawing window); one step takes it
    # once. Alone it is faster too (1.0 s against 1.6 s at 300,000 cards, a loaded machine).
    ordered = statement.subquery()
    joined = (
        session.connection()
        .execute(select_columns(func.group_concat(ordered.c.uuid, " ")))
        .scalar_one()
    )
    return joined.split(" ") if joined else []


def _state_only(query: CardQuery) -> bool:
    """Whether the state rows alone answer `query` in deck order: they mirror each card's
    uuid, deck, retired flag and position (migrations step 2, kept by triggers, what the
    study queue reads), and hold every column the other filters test.

    Only for typed words, whose matches are looked up one by one: there a narrow row is
    what counts. Without words every card of a deck is read, and the cards' own rows,
    stored in deck order, are read in the order of their pages (0.36 s at 300,000 cards,
    against 0.44 s for the state rows in the study index's order).
    """
    return (
        query.sort in ("deck", "recall")
        and query.kind is None
        and not query.tag
        and bool(fts_expression(query.text))
    )


def _state_uuids(query: CardQuery, today: int, *, session: Session) -> list[str]:
    """`search_card_uuids`' whole answer in deck order, from `card_state` and `deck` only.

    A card's own row holds its text and JSON (a few hundred bytes to kilobytes); its state
    row is a tenth of that. Looking up each match's narrow row, and sorting by those
    columns, made a word in 30% of 100,000 cards faster (49 -> 30 ms of SQLite),
    in the same order: (lower deck name, deck id, position, card id), each column the
    mirror of the card's own.
    """
    where: list[str] = ["s.retired = 0"]
    params: dict[str, Any] = {"today": today}
    expression = fts_expression(query.text)
    if expression:
        where.append(f"s.card_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts)")
        params["fts"] = expression
    if query.deck_uuid is not None:
        where.append("d.uuid = :deck")
        params["deck"] = query.deck_uuid
    if query.due == "today":
        where.append("s.due_day <= :today")
    elif query.due == "overdue":
        where.append("s.due_day < :today")
    elif query.due == "new":
        where.append("s.due_day IS NULL")
    if query.min_lapses > 0:
        where.append("s.lapses >= :lapses")
        params["lapses"] = query.min_lapses
    if query.suspended is not None:
        where.append("s.suspended = :suspended")
        params["suspended"] = int(query.suspended)
    way = " DESC" if query.descending else ""
    order = ", ".join(
        f"{key}{way}" for key in ("lower(d.name)", "s.deck_id", "s.position", "s.card_id")
    )
    sql = (
        "SELECT group_concat(uuid, ' ') FROM (SELECT s.uuid AS uuid FROM card_state AS s "
        f"JOIN deck AS d ON d.id = s.deck_id WHERE {' AND '.join(where)} ORDER BY {order})"
    )
    joined = session.connection().exec_driver_sql(sql, params).scalar_one()
    return joined.split(" ") if joined else []


def first_uuids(query: CardQuery, today: int, limit: int, *, session: Session) -> list[str]:
    """The first `limit` UUIDs of `search_card_uuids`'s answer, found without sorting them all.

    In deck order (the browser's default) the decks, a few dozen rows, are ordered here and
    each deck's cards are walked through the (deck, position) index until `limit` match:
    at 300,000 cards a word in a third of them gives its first screen in about 15 ms, where
    sorting every match took 0.2 s. Any other order is the same query with a LIMIT.
    """
    if query.sort != "deck" or _few_matches(query.text, session):
        return search_card_uuids(query, today, session=session, limit=limit)
    decks = select_columns(col(DeckRow.id)).order_by(func.lower(col(DeckRow.name)), col(DeckRow.id))
    if query.deck_uuid is not None:
        decks = decks.where(col(DeckRow.uuid) == query.deck_uuid)
    ascending = [col(CardRow.position), col(CardRow.id)]
    order: list[Any] = [e.desc() for e in ascending] if query.descending else list(ascending)
    walk = [deck_id for (deck_id,) in session.connection().execute(decks)]
    found: list[str] = []
    for deck_id in reversed(walk) if query.descending else walk:
        statement = (
            # one deck at a time: no join with the deck table (the sort key only decides that)
            _filtered(
                select(CardRow.uuid),
                replace(query, deck_uuid=None, sort="prompt"),
                today,
                walk=True,
            )
            .where(col(CardRow.deck_id) == deck_id)
            .order_by(*order)
            .limit(limit - len(found))
        )
        found += [uuid for (uuid,) in session.connection().execute(statement)]
        if len(found) >= limit:
            break
    return found


FEW_MATCHES = 2000
"""Below this many matches of the words, sorting them all is cheaper than walking every
deck's cards in order to find a rare word's few (a few ms against 70 at 300,000 cards)."""


def _few_matches(typed: str, session: Session) -> bool:
    expression = fts_expression(typed)
    if not expression:
        return False
    found = (
        session.connection()
        .exec_driver_sql(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT ?)",
            (expression, FEW_MATCHES + 1),
        )
        .scalar_one()
    )
    return int(found) <= FEW_MATCHES


def count_cards(query: CardQuery, today: int, *, session: Session) -> int:
    statement = _filtered(select(func.count()).select_from(CardRow), query, today)
    return int(session.exec(statement).one())


def get_browser_rows(uuids: Sequence[str], *, session: Session) -> list[BrowserRow]:
    """The browser's columns for these cards, in the order given; unknown UUIDs are skipped."""
    statement = (
        select_columns(
            col(CardRow.uuid),
            col(DeckRow.uuid),
            col(DeckRow.name),
            col(DeckRow.source),
            col(CardRow.kind),
            func.substr(CardRow.prompt, 1, PROMPT_CHARS),
            col(CardRow.tags),
            col(CardState.due_day),
            col(CardState.interval),
            col(CardState.easiness_hundredths),
            col(CardState.lapses),
            col(CardState.reviews),
            col(CardState.suspended),
        )
        .join(CardState, col(CardState.card_id) == col(CardRow.id))
        .join(DeckRow, col(DeckRow.id) == col(CardRow.deck_id))
    )
    found: dict[str, BrowserRow] = {}
    wanted = list(uuids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for values in session.connection().execute(statement.where(col(CardRow.uuid).in_(chunk))):
            row = BrowserRow(*values)
            found[row.uuid] = row
    return [found[u] for u in wanted if u in found]


def list_tags(*, session: Session) -> list[str]:
    """Every tag used by a card that is not retired, sorted case-insensitively."""
    tags: set[str] = set()
    statement = select(CardRow.tags).where(col(CardRow.retired).is_(False), CardRow.tags != "")
    for (joined,) in session.connection().execute(statement.distinct()):
        tags.update(joined.split())
    return sorted(tags, key=lambda t: (t.lower(), t))


def _filtered(statement: Any, query: CardQuery, today: int, *, walk: bool = False) -> Any:
    """`walk`: the matches are found by walking an index in order, never by their ids."""
    statement = statement.join(CardState, col(CardState.card_id) == col(CardRow.id)).where(
        col(CardRow.retired).is_(False)
    )
    if query.sort in ("deck", "recall") or query.deck_uuid is not None:
        statement = statement.join(DeckRow, col(DeckRow.id) == col(CardRow.deck_id))
    expression = fts_expression(query.text)
    if expression:
        matching = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :fts").bindparams(
            fts=expression
        )
        # Walking: the id written `+card.id` is not a lookup SQLite may drive by (with
        # planner statistics it chose to sort every match of a common word instead).
        card_id = literal_column("+card.id") if walk else col(CardRow.id)
        statement = statement.where(card_id.in_(matching))
    if query.deck_uuid is not None:
        statement = statement.where(DeckRow.uuid == query.deck_uuid)
    if query.kind is not None:
        statement = statement.where(CardRow.kind == query.kind)
    if query.tag:
        padded = literal(" ") + col(CardRow.tags) + literal(" ")
        statement = statement.where(func.instr(padded, f" {query.tag} ") > 0)
    if query.due == "today":
        statement = statement.where(col(CardState.due_day) <= today)
    elif query.due == "overdue":
        statement = statement.where(col(CardState.due_day) < today)
    elif query.due == "new":
        statement = statement.where(col(CardState.due_day).is_(None))
    if query.min_lapses > 0:
        statement = statement.where(col(CardState.lapses) >= query.min_lapses)
    if query.suspended is not None:
        statement = statement.where(col(CardState.suspended).is_(query.suspended))
    return statement


def _order_by(key: SortKey) -> list[Any]:
    if key in ("deck", "recall"):
        return [func.lower(col(DeckRow.name)), col(CardRow.deck_id), col(CardRow.position)]
    columns: dict[str, Any] = {
        "kind": col(CardRow.kind),
        "due": col(CardState.due_day),
        "prompt": func.lower(col(CardRow.prompt)),
        "tags": func.lower(col(CardRow.tags)),
        "interval": col(CardState.interval),
        "ease": col(CardState.easiness_hundredths),
        "lapses": col(CardState.lapses),
        "reviews": col(CardState.reviews),
        "suspended": col(CardState.suspended),
    }
    return [columns[key]]
