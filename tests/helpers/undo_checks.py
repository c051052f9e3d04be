"""Checks every undo test makes: a dump of the whole database before and after, and the
rows the triggers derive (search index, state copies, deck sizes) in step."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from quizapp.services import cards, undo
from quizapp.services.collection import Collection


def dump(col: Collection) -> list[tuple[object, ...]]:
    """The schema and every row of every user table, in a fixed order.

    The FTS5 index's own tables are left out: its segments are laid out differently after
    a delete and re-insert, although it indexes the same text; `check_derived` checks it.
    """
    conn = sqlite3.connect(col.db.path)
    try:
        schema = conn.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'card_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
        ).fetchall()
        rows: list[tuple[object, ...]] = list(schema)
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'card_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall():
            rows.append((table,))
            # Sorted by value, not rowid: a table keyed by (set_id, position) gives a row put
            # back a new hidden rowid, which nothing reads; every real key is a column here.
            rows.extend(sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr))
        return rows
    finally:
        conn.close()


def check_derived(col: Collection, words: tuple[str, ...] = ()) -> None:
    """The trigger-kept rows agree with the cards they derive from."""
    conn = sqlite3.connect(col.db.path)
    try:
        conn.execute("INSERT INTO card_fts(card_fts, rank) VALUES('integrity-check', 1)")
        for word in (*words, "compile", "print"):
            found = {
                r
                for (r,) in conn.execute(
                    "SELECT rowid FROM card_fts WHERE card_fts MATCH ?", (f'"{word}"*',)
                )
            }
            expected = {
                i
                for (i, text) in conn.execute(
                    "SELECT id, lower(prompt || ' ' || code || ' ' || explanation || ' ' || tags) "
                    "FROM card"
                )
                if any(t.startswith(word.lower()) for t in _tokens(text))
            }
            assert found == expected, word
        sizes = dict(conn.execute("SELECT deck_id, cards FROM deck_size").fetchall())
        counts = {
            d: n
            for d, n in conn.execute(
                "SELECT deck.id, (SELECT count(*) FROM card WHERE deck_id = deck.id "
                "AND NOT retired) FROM deck"
            )
        }
        assert sizes == counts
        assert (
            conn.execute("SELECT count(*) FROM card").fetchone()
            == conn.execute("SELECT count(*) FROM card_state").fetchone()
        )
        (mismatched,) = conn.execute(
            "SELECT count(*) FROM card c JOIN card_state s ON s.card_id = c.id "
            "WHERE s.uuid IS NOT c.uuid OR s.deck_id IS NOT c.deck_id "
            "OR s.retired IS NOT c.retired OR s.position IS NOT c.position"
        ).fetchone()
        assert mismatched == 0
    finally:
        conn.close()


def _tokens(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text).split()


def undo_restores(
    col: Collection, operation: Callable[[], object], label: str, words: tuple[str, ...] = ()
) -> cards.Changes:
    """Run `operation`, undo it, redo it, undo it again: each time exactly before or after.

    Checks it changed something, that undo leaves nothing of it, that redo puts back
    exactly what it did (with the derived rows in step), and that the redo is undone too.
    """
    before = dump(col)
    operation()
    after = dump(col)
    assert after != before
    step = undo.newest(col)
    assert step is not None and step.label == label
    assert undo.newest_undone(col) is None
    undone = undo.undo_last(col)
    assert undone is not None and undone.label == label
    assert dump(col) == before
    check_derived(col, words)
    assert undo.newest(col) is None or undo.newest(col) is not step
    redo_step = undo.newest_undone(col)
    assert redo_step is not None and redo_step.label == label

    redone = undo.redo_last(col)
    assert redone is not None and redone.label == label
    assert dump(col) == after
    check_derived(col, words)
    assert undo.newest_undone(col) is None
    again = undo.newest(col)
    assert again is not None and again.label == label

    undone_again = undo.undo_last(col)
    assert undone_again is not None and undone_again.label == label
    assert dump(col) == before
    check_derived(col, words)
    assert undone_again.changes == undone.changes
    return undone.changes
