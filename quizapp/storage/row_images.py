"""Row images: the rows an operation is about to change, kept so undo can put them back.

An operation calls `capture` inside its own transaction, before it writes, for the rows it
will change or delete (whole rows, as SQLite holds them), and `note_added` after writing,
which records only the id ranges of the rows it inserted: for a 10,000-card import that is
two numbers, not 10,000 rows. `restore` puts the collection back, in the caller's
transaction: rows the operation added are deleted, rows it changed are updated back, rows
it deleted are inserted again with their original ids (review history included).

Derived rows are never captured: the search index (`card_fts`), the columns `card_state`
mirrors from `card`, and `deck_size` are kept by the triggers of migrations step 2 and
`search._FTS_SQL`, which fire on the plain INSERT, UPDATE and DELETE used here. Never
`INSERT OR REPLACE` into `card`: REPLACE removes the old row without firing the delete
triggers, and the external-content FTS5 index would go out of step.

Restoring refuses (`RestoreConflict`, nothing written) rather than lose anything: when a
card it would remove or roll back has been reviewed since the capture, or a row it would
put back collides with one written since.

Redo is the same machinery run the other way: `capture_inverse`, called in the undo's
transaction before `restore`, copies what the restore is about to change (the "after"
state: rows it will roll back, the rows an operation added, as whole rows with their state
and history) and lists in `RowImage.removed` the rows the restore will insert again, so
restoring that inverse image re-applies the operation with the original ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

Row = tuple[Any, ...]

_CHUNK = 500
"""Ids per `IN (...)`: well under SQLite's limit on bound parameters."""


class RestoreConflict(Exception):
    """The rows cannot be put back without losing something written since the capture."""


@dataclass(frozen=True)
class TableImage:
    """Whole rows of one table, with its column names and primary key."""

    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def key_of(self, row: Row) -> Row:
        return tuple(row[self.columns.index(k)] for k in self.key)


@dataclass(frozen=True)
class RowImage:
    """What one operation needs to be undone."""

    tables: tuple[TableImage, ...] = ()
    """In restore order: deck, card, card_state, review_log, question_set_card,
    interview_answer."""
    card_id_max: int = 0
    """The largest card id before the operation; ids above it up to `cards_added_to` are new."""
    cards_added_to: int = 0
    deck_id_max: int = 0
    decks_added_to: int = 0
    review_id_max: int = 0
    """The largest review-log id before the operation."""
    reviews_added_to: int = 0
    """The largest review-log id once the operation committed: the reviews it added (an
    answer's own log row) are those above `review_id_max` up to this; larger ones are
    reviews since, which a restore must never lose."""
    removed: tuple[TableImage, ...] = ()
    """Rows to delete again (in `_ORDER`; deleted in reverse): an inverse image's way of
    saying which rows the restore it inverts put back."""

    @property
    def added_cards(self) -> range:
        return range(self.card_id_max + 1, self.cards_added_to + 1)

    @property
    def added_reviews(self) -> range:
        return range(self.review_id_max + 1, self.reviews_added_to + 1)

    @property
    def reviews_since_after(self) -> int:
        """Reviews with a larger id were written after the operation."""
        return max(self.review_id_max, self.reviews_added_to)

    @property
    def added_decks(self) -> range:
        return range(self.deck_id_max + 1, self.decks_added_to + 1)

    def table(self, name: str) -> TableImage | None:
        return next((t for t in self.tables if t.table == name), None)

    def card_ids(self) -> set[int]:
        """Cards whose own rows (card, state or history) this image holds."""
        return self._ids({"card": "id", "card_state": "card_id", "review_log": "card_id"})

    def rewound_cards(self) -> set[int]:
        """Cards whose scheduling the restore sets back (a review since would be undone)."""
        return self._ids({"card_state": "card_id"})

    def removed_cards(self) -> set[int]:
        """Cards the restore deletes by key (an inverse image's)."""
        return self._ids({"card": "id"}, self.removed)

    def removed_decks(self) -> set[int]:
        return self._ids({"deck": "id"}, self.removed)

    def _ids(
        self, columns: dict[str, str], tables: tuple[TableImage, ...] | None = None
    ) -> set[int]:
        ids: set[int] = set()
        for image in self.tables if tables is None else tables:
            column = columns.get(image.table)
            if column is not None:
                at = image.columns.index(column)
                ids.update(row[at] for row in image.rows)
        return ids


@dataclass(frozen=True)
class Restored:
    """Card and deck UUIDs by what the restore did to them (for a `cards.Changes`)."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    deleted: tuple[str, ...]
    decks: tuple[str, ...]
    reviews_removed: tuple[int, ...] = ()
    """Review-log ids the restore deleted (an undone answer's own row)."""
    content: bool = False
    """Whether a card's own row (its text, deck, place) was put back, not just its state:
    only that is an edit of the card (sync sends its text again)."""
    interviews: tuple[str, ...] = ()
    """UUIDs of mock interviews whose own row was put back (an undone "fed" mark): sync
    sends their state again, or the mark would stay on the other machines."""


_KEYS: dict[str, tuple[str, ...]] = {
    "deck": ("id",),
    "card": ("id",),
    "card_state": ("card_id",),
    "review_log": ("id",),
    "question_set_card": ("set_id", "position"),
    "interview": ("id",),
    "interview_answer": ("id",),
}
_ORDER = tuple(_KEYS)


def capture(
    *,
    session: Session,
    decks: Iterable[int] = (),
    cards: Iterable[int] = (),
    states: Iterable[int] = (),
    histories: Iterable[int] = (),
    interviews: Iterable[int] = (),
) -> RowImage:
    """Copy the rows an operation will change, before it writes.

    `decks` and `cards` are row ids whose own row changes; `states` card ids whose
    scheduling changes; `histories` card ids that will be deleted with their review log,
    their mock-interview answers and their places in question sets; `interviews`
    interview ids whose own row changes (fed to the schedule).
    """
    conn = session.connection()
    wanted: dict[str, tuple[str, list[int]]] = {
        "deck": ("id", sorted(set(decks))),
        "card": ("id", sorted(set(cards) | set(histories))),
        "card_state": ("card_id", sorted(set(states) | set(histories))),
        "review_log": ("card_id", sorted(set(histories))),
        "question_set_card": ("card_id", sorted(set(histories))),
        "interview": ("id", sorted(set(interviews))),
        "interview_answer": ("card_id", sorted(set(histories))),
    }
    tables = []
    for table in _ORDER:
        column, ids = wanted[table]
        if ids:
            tables.append(_read(conn, table, column, ids))
    card_max, deck_max, review_max = _maxima(conn)
    return RowImage(
        tables=tuple(tables),
        card_id_max=card_max,
        cards_added_to=card_max,
        deck_id_max=deck_max,
        decks_added_to=deck_max,
        review_id_max=review_max,
        reviews_added_to=review_max,
    )


def image_of_answer(
    state_columns: tuple[str, ...], state_row: tuple[Any, ...] | None, review_id: int
) -> RowImage:
    """An answer's image without a query: its card's state row as read before the write
    (None when the answer left the schedule alone: cram) and the one log row it added."""
    tables: tuple[TableImage, ...] = ()
    if state_row is not None:
        tables = (TableImage("card_state", _KEYS["card_state"], state_columns, (state_row,)),)
    return RowImage(tables=tables, review_id_max=review_id - 1, reviews_added_to=review_id)


def note_added(image: RowImage, *, session: Session) -> RowImage:
    """The image, with the cards and decks the operation inserted since `capture`."""
    card_max, deck_max, reviews = _maxima(session.connection())
    return replace(
        image, cards_added_to=card_max, decks_added_to=deck_max, reviews_added_to=reviews
    )


def capture_inverse(image: RowImage, *, session: Session) -> RowImage | None:
    """Before `restore(image)`, in its transaction: an image whose restore undoes that restore.

    It holds, as they are now, the rows the restore will change or delete (the cards and
    decks in `image`'s added ranges whole, with state and history), and in `removed` the
    rows it will insert again; its id ranges are empty, since what it puts back it holds.

    None when the operation added answers to cards that were already there (a fed mock
    interview, an imported progress file): the image does not hold those rows, and a redo
    would bring back the schedules they advanced without them. Such a step is done again
    (fed, imported), not redone.
    """
    conn = session.connection()
    if image.added_reviews:
        first, last = image.added_reviews.start, image.added_reviews.stop - 1
        on_old_cards = conn.exec_driver_sql(
            "SELECT 1 FROM review_log WHERE id BETWEEN ? AND ? "
            "AND card_id NOT BETWEEN ? AND ? LIMIT 1",
            (first, last, image.card_id_max + 1, image.cards_added_to),
        ).first()
        if on_old_cards is not None:
            return None
    existing_added = [
        i
        for (i,) in conn.exec_driver_sql(
            "SELECT id FROM card WHERE id BETWEEN ? AND ? ORDER BY id",
            (image.card_id_max + 1, image.cards_added_to),
        )
    ]
    added = capture(session=session, decks=image.added_decks, histories=existing_added)
    now = [*added.tables, *(_current(conn, t) for t in (*image.tables, *image.removed))]
    found: dict[str, dict[Row, Row]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    for table in now:
        columns.setdefault(table.table, table.columns)
        found.setdefault(table.table, {}).update((table.key_of(r), r) for r in table.rows)
    removed = []
    for table in image.tables:
        absent = tuple(r for r in table.rows if table.key_of(r) not in found.get(table.table, {}))
        if absent:
            removed.append(replace(table, rows=absent))
    tables = tuple(
        TableImage(name, _KEYS[name], columns[name], tuple(row for _k, row in sorted(rows.items())))
        for name in _ORDER
        if (rows := found.get(name))
    )
    # Reviews the restore puts back are not reviews since: count from above them.
    put_back = image.table("review_log")
    reviews = [put_back.key_of(r)[0] for r in put_back.rows] if put_back else []
    review_max = max([added.review_id_max, *reviews])
    return replace(
        added,
        tables=tables,
        removed=tuple(removed),
        review_id_max=review_max,
        reviews_added_to=review_max,
    )


def _current(conn: Connection, image: TableImage) -> TableImage:
    """The rows now at `image`'s keys, whole, in the table's own columns."""
    probe = conn.exec_driver_sql(f"SELECT * FROM {image.table} LIMIT 0")
    columns = tuple(probe.keys())
    probe.close()
    rows = _rows_by_key(conn, image, select=columns)
    return TableImage(image.table, image.key, columns, tuple(rows))


def restore(image: RowImage, *, session: Session) -> Restored:
    """Put back what `image` holds and remove what the operation added; the caller commits.

    Raises `RestoreConflict` when that would lose or overwrite something written since;
    the caller's transaction is then to be rolled back.
    """
    conn = session.connection()
    _refuse_reviews_since(conn, image)
    try:
        return _restore(conn, image)
    except IntegrityError as exc:
        raise RestoreConflict(
            "the collection changed since (a card or review written later is in the way)"
        ) from exc


def _restore(conn: Connection, image: RowImage) -> Restored:
    decks_touched: set[int] = set()
    cards_in_image = image.card_ids()
    added = image.added_cards
    deleted_uuids: list[str] = []
    if added:
        for uuid, deck_id in conn.exec_driver_sql(
            "SELECT uuid, deck_id FROM card WHERE id BETWEEN ? AND ? ORDER BY id",
            (added.start, added.stop - 1),
        ):
            deleted_uuids.append(uuid)
            decks_touched.add(deck_id)
    decks_touched.update(_deck_ids_of(conn, cards_in_image))
    for table in image.tables:
        if table.table in ("card", "deck"):
            column = "deck_id" if table.table == "card" else "id"
            at = table.columns.index(column)
            decks_touched.update(row[at] for row in table.rows)
    removed_cards = image.removed_cards()
    deleted_uuids.extend(_card_uuids(conn, removed_cards).values())
    decks_touched.update(_deck_ids_of(conn, removed_cards))
    removed_decks = image.removed_decks()
    deck_uuids = _deck_uuids(conn, decks_touched | set(image.added_decks) | removed_decks)

    reviews_removed: list[int] = []
    if image.added_reviews:
        first, last = image.added_reviews.start, image.added_reviews.stop - 1
        reviews_removed = [
            i
            for (i,) in conn.exec_driver_sql(
                "SELECT id FROM review_log WHERE id BETWEEN ? AND ? ORDER BY id", (first, last)
            )
        ]
        conn.exec_driver_sql("DELETE FROM review_log WHERE id BETWEEN ? AND ?", (first, last))
    for table in reversed(image.removed):
        _delete(conn, table)
    if added:
        # card_state goes with its card (ON DELETE CASCADE); a review log would stop it.
        conn.exec_driver_sql(
            "DELETE FROM card WHERE id BETWEEN ? AND ?", (added.start, added.stop - 1)
        )
    if image.added_decks:
        first, last = image.added_decks.start, image.added_decks.stop - 1
        left = conn.exec_driver_sql(
            "SELECT count(*) FROM card WHERE deck_id BETWEEN ? AND ?", (first, last)
        ).scalar_one()
        if left:
            raise RestoreConflict(
                f"{left} card(s) were put into the new deck since; move them out first"
            )
        conn.exec_driver_sql("DELETE FROM deck WHERE id BETWEEN ? AND ?", (first, last))

    inserted_cards: set[int] = set()
    updated_cards: set[int] = set()
    interviews: list[str] = []
    content = False
    for table in image.tables:
        inserted, updated = _put_back(conn, table)
        if table.table == "card":
            inserted_cards = {k[0] for k in inserted}
            updated_cards |= {k[0] for k in updated}
            content = content or bool(inserted or updated)
        elif table.table == "card_state":
            updated_cards |= {k[0] for k in updated}
        elif table.table == "interview" and (inserted or updated):
            at = table.columns.index("uuid")
            changed = inserted | updated
            interviews.extend(row[at] for row in table.rows if table.key_of(row) in changed)
    deck_uuids.update(_deck_uuids(conn, decks_touched))
    uuids = _card_uuids(conn, inserted_cards | updated_cards)
    return Restored(
        added=tuple(sorted(uuids[i] for i in inserted_cards if i in uuids)),
        updated=tuple(sorted(uuids[i] for i in updated_cards - inserted_cards if i in uuids)),
        deleted=tuple(deleted_uuids),
        decks=tuple(sorted(set(deck_uuids.values()))),
        reviews_removed=tuple(reviews_removed),
        interviews=tuple(sorted(interviews)),
        content=content,
    )


def _delete(conn: Connection, image: TableImage) -> None:
    """Delete the rows at `image`'s keys (plain DELETE: the triggers keep the derived rows)."""
    where = " AND ".join(f'"{k}" = ?' for k in image.key)
    conn.exec_driver_sql(
        f"DELETE FROM {image.table} WHERE {where}", [image.key_of(r) for r in image.rows]
    )


def _put_back(conn: Connection, image: TableImage) -> tuple[set[Row], set[Row]]:
    """Update the rows that differ from the image, insert the missing ones; their keys."""
    current = {image.key_of(row): row for row in _rows_by_key(conn, image)}
    to_insert = [row for row in image.rows if image.key_of(row) not in current]
    to_update = [
        row
        for row in image.rows
        if (now := current.get(image.key_of(row))) is not None and tuple(now) != row
    ]
    _refuse_overwriting_others(image, current, to_update)
    names = ", ".join(f'"{c}"' for c in image.columns)
    if to_update:
        values = [c for c in image.columns if c not in image.key]
        assignments = ", ".join(f'"{c}" = ?' for c in values)
        where = " AND ".join(f'"{k}" = ?' for k in image.key)
        positions = [image.columns.index(c) for c in (*values, *image.key)]
        conn.exec_driver_sql(
            f"UPDATE {image.table} SET {assignments} WHERE {where}",
            [tuple(row[i] for i in positions) for row in to_update],
        )
    if to_insert:
        marks = ", ".join("?" for _ in image.columns)
        conn.exec_driver_sql(
            f"INSERT INTO {image.table} ({names}) VALUES ({marks})", list(to_insert)
        )
    return {image.key_of(r) for r in to_insert}, {image.key_of(r) for r in to_update}


_APPEND_ONLY = ("review_log", "question_set_card", "interview_answer")
"""Rows never edited in place: one at the same key that differs was written since."""
_IDENTITY = {"card": "uuid", "deck": "uuid"}
"""The column that says which card or deck a row is: the same id with another is another."""


def _refuse_overwriting_others(
    image: TableImage, current: dict[Row, Row], to_update: Sequence[Row]
) -> None:
    if to_update and image.table in _APPEND_ONLY:
        raise RestoreConflict(f"a {image.table} row written since has taken the place of one")
    column = _IDENTITY.get(image.table)
    if column is None:
        return
    at = image.columns.index(column)
    for row in to_update:
        if current[image.key_of(row)][at] != row[at]:
            raise RestoreConflict(f"a {image.table} made since has taken the place of one")


def _rows_by_key(
    conn: Connection, image: TableImage, select: tuple[str, ...] | None = None
) -> list[Row]:
    """The rows now at `image`'s keys, with its columns (or those of `select`)."""
    names = ", ".join(f'"{c}"' for c in (image.columns if select is None else select))
    if len(image.key) == 1:
        at = image.columns.index(image.key[0])
        ids = [row[at] for row in image.rows]
        found: list[Row] = []
        for chunk in _chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            found.extend(
                tuple(r)
                for r in conn.exec_driver_sql(
                    f'SELECT {names} FROM {image.table} WHERE "{image.key[0]}" IN ({marks})',
                    tuple(chunk),
                )
            )
        return found
    where = " AND ".join(f'"{k}" = ?' for k in image.key)
    result = []
    for row in image.rows:
        hit = conn.exec_driver_sql(
            f"SELECT {names} FROM {image.table} WHERE {where}", image.key_of(row)
        ).first()
        if hit is not None:
            result.append(tuple(hit))
    return result


def _refuse_reviews_since(conn: Connection, image: RowImage) -> None:
    """A card reviewed after the capture keeps that review: undo must not drop or rewind it."""
    since = conn.exec_driver_sql(
        "SELECT DISTINCT card_id FROM review_log WHERE id > ?", (image.reviews_since_after,)
    ).all()
    reviewed = {card_id for (card_id,) in since}
    if not reviewed:
        return
    hit = (reviewed & (image.rewound_cards() | image.removed_cards())) | {
        c for c in reviewed if c in image.added_cards
    }
    if hit:
        raise RestoreConflict(
            f"{len(hit)} of these cards have been reviewed since; undoing would lose those reviews"
        )


def _read(conn: Connection, table: str, column: str, ids: Sequence[int]) -> TableImage:
    columns: tuple[str, ...] = ()
    rows: list[Row] = []
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        result = conn.exec_driver_sql(
            f'SELECT * FROM {table} WHERE "{column}" IN ({marks}) ORDER BY rowid', tuple(chunk)
        )
        columns = tuple(result.keys())
        rows.extend(tuple(r) for r in result)
    return TableImage(table=table, key=_KEYS[table], columns=columns, rows=tuple(rows))


def _maxima(conn: Connection) -> tuple[int, int, int]:
    row = conn.exec_driver_sql(
        "SELECT (SELECT coalesce(max(id), 0) FROM card), (SELECT coalesce(max(id), 0) FROM deck), "
        "(SELECT coalesce(max(id), 0) FROM review_log)"
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def _deck_ids_of(conn: Connection, card_ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(sorted(card_ids)):
        marks = ", ".join("?" for _ in chunk)
        found.update(
            d
            for (d,) in conn.exec_driver_sql(
                f"SELECT DISTINCT deck_id FROM card WHERE id IN ({marks})", tuple(chunk)
            )
        )
    return found


def _deck_uuids(conn: Connection, deck_ids: Iterable[int]) -> dict[int, str]:
    return _uuids(conn, "deck", deck_ids)


def _card_uuids(conn: Connection, card_ids: Iterable[int]) -> dict[int, str]:
    return _uuids(conn, "card", card_ids)


def _uuids(conn: Connection, table: str, ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(sorted(ids)):
        marks = ", ".join("?" for _ in chunk)
        for row_id, uuid in conn.exec_driver_sql(
            f"SELECT id, uuid FROM {table} WHERE id IN ({marks})", tuple(chunk)
        ):
            found[row_id] = uuid
    return found


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
