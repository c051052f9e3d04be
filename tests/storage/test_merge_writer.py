"""A big merge's answers and schedules are written behind, on another thread, from batch
images (`storage.merge_writer`): every answer lands once in its columns, every schedule in
its card's row, in the caller's transaction; a failed write takes the whole transaction
back; no thread and no copy of the batches outlive the write; and a SQLite without images
gets the same rows through the plain path."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest

from quizapp.storage import merge_writer, sync_rows
from tests.helpers.review_values import answer

ORIGIN = "d" * 32


def card_ids(session: Any) -> list[int]:
    return [r[0] for r in session.connection().exec_driver_sql("SELECT id FROM card ORDER BY id")]


def answer_rows(cards: list[int], numbers: range) -> list[tuple[Any, ...]]:
    rows = [(cards[n % len(cards)], f"{ORIGIN}:{n}", *answer(n)) for n in numbers]
    return sorted(rows, key=lambda r: r[1])


def schedule_rows(cards: list[int]) -> list[tuple[Any, ...]]:
    # (*STATE_COLUMNS, card id): repetitions, easiness, interval, due, drill, lapses,
    # reviews, stability, difficulty, last review day
    return [
        (3, 260, 7 + i, 739700 + i, None, 1, 4, None, None, 739690, c) for i, c in enumerate(cards)
    ]


def stored(session: Any) -> tuple[list[tuple[Any, ...]], dict[int, tuple[Any, ...]]]:
    conn = session.connection()
    columns = ", ".join(merge_writer.ANSWER_COLUMNS)
    logged = [
        tuple(r) for r in conn.exec_driver_sql(f"SELECT {columns} FROM review_log ORDER BY origin")
    ]
    states = {
        r[-1]: tuple(r)
        for r in conn.exec_driver_sql(
            f"SELECT {', '.join(merge_writer.SCHEDULE_ROW)} FROM card_state"
        )
    }
    return logged, states


def as_stored(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """What SQLite hands back for a row that went in (a bool comes back as 0 or 1)."""
    return tuple(int(v) if isinstance(v, bool) else v for v in row)


@pytest.mark.parametrize("behind", [True, False])
def test_answers_and_schedules_land_once_in_their_columns(
    col: Any, monkeypatch: pytest.MonkeyPatch, behind: bool
) -> None:
    if behind:
        assert merge_writer.images_work()  # this SQLite (3.33 or newer) takes images
    else:  # a SQLite without images or UPDATE ... FROM: the plain path
        monkeypatch.setattr(merge_writer, "images_work", lambda: False)
    with col.db.session() as session:
        cards = card_ids(session)
        first = answer_rows(cards, range(0, 120))
        second = answer_rows(cards, range(100, 173))  # 20 already in the first batch
        schedules = schedule_rows(cards[:-1])
        writer = merge_writer.MergeWriter(session)
        writer.add_answers(first)
        writer.add_answers(second)
        writer.add_answers([])
        writer.set_schedules(schedules)
        assert writer.wait() == 173
        logged, states = stored(session)
        session.commit()
    expected = {r[1]: as_stored(r) for r in [*first, *second]}
    assert logged == [expected[o] for o in sorted(expected)]
    for row in schedules:
        assert states[row[-1]] == row
    assert states[cards[-1]][0] == 0  # a card not asked for keeps its schedule
    assert not [t for t in threading.enumerate() if t.name.startswith("quizapp-merge-write")]


def test_the_batches_are_not_held_once_the_transaction_ends(col: Any) -> None:
    with col.db.session() as session:
        writer = merge_writer.MergeWriter(session)
        writer.add_answers(answer_rows(card_ids(session), range(3)))
        assert writer.wait() == 3
        session.commit()
    with col.db.session() as session:
        raw = session.connection().connection.dbapi_connection
        names = {r[1] for r in raw.execute("PRAGMA database_list")}
        assert merge_writer.SCHEMA not in names


def test_a_failed_write_takes_the_whole_transaction_back(col: Any) -> None:
    with col.db.session() as session:
        cards = card_ids(session)
        before = stored(session)
        writer = merge_writer.MergeWriter(session)
        writer.add_answers(answer_rows(cards, range(50)))
        bad = list(schedule_rows(cards[:2]))
        bad[1] = (None, *bad[1][1:])  # repetitions may not be empty
        writer.set_schedules(bad)
        with pytest.raises(sqlite3.IntegrityError):
            writer.wait()
        session.rollback()
        assert stored(session) == before
    assert not [t for t in threading.enumerate() if t.name.startswith("quizapp-merge-write")]


def test_the_plain_review_insert_and_the_batches_agree(col: Any) -> None:
    """The fallback (`sync_rows.insert_reviews`) and the batch path store the same bytes."""
    with col.db.session() as session:
        rows = answer_rows(card_ids(session), range(40))
        assert sync_rows.insert_reviews(rows[:20], session=session) == 20
        writer = merge_writer.MergeWriter(session)
        writer.add_answers(rows[20:])
        assert writer.wait() == 20
        logged, _ = stored(session)
    assert logged == [as_stored(r) for r in rows]


def test_a_merge_with_nothing_to_write_starts_no_thread_and_attaches_nothing(col: Any) -> None:
    with col.db.session() as session:
        writer = merge_writer.MergeWriter(session)
        writer.add_answers([])
        writer.set_schedules([])
        assert writer.wait() == 0
        raw = session.connection().connection.dbapi_connection
        assert merge_writer.SCHEMA not in {r[1] for r in raw.execute("PRAGMA database_list")}
    assert not [t for t in threading.enumerate() if t.name.startswith("quizapp-merge-write")]
