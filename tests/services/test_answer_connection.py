"""The connection kept for answers (`Database.answer_transaction`) keeps every guarantee an
ORM operation gave: each answer is committed, seen at once by every other connection,
before `answer_card` returns; a failure halfway leaves nothing and the next answer works;
closing lets it go, and what it wrote is there on the next start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.services import study
from quizapp.services.collection import Collection, open_collection
from quizapp.storage import answer_rows, checkpoints
from tests.helpers.study import answer_current, db_hash, logs


def count_outside(col: Collection) -> tuple[int, int]:
    """Review-log rows and reviewed states as a second process would see them."""
    conn = sqlite3.connect(col.db.path)
    try:
        (log,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
        (states,) = conn.execute("SELECT count(*) FROM card_state WHERE reviews > 0").fetchone()
        return log, states
    finally:
        conn.close()


def test_each_answer_is_committed_before_the_next_card_shows(col: Collection) -> None:
    s = study.start_sitting(col)
    for n in range(1, 4):
        answer_current(col, s)
        assert count_outside(col) == (n, n)


def test_an_answer_failing_halfway_leaves_nothing_and_the_next_one_works(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = study.start_sitting(col)
    answer_current(col, s)
    before, steps = db_hash(col), len(col.undo.steps())

    def broken(moment: object) -> str:  # after the state's UPDATE, before the log's INSERT
        raise OSError("the log row could not be written")

    monkeypatch.setattr(answer_rows, "_timestamp", broken)
    with pytest.raises(OSError):
        answer_current(col, s)
    monkeypatch.undo()
    assert db_hash(col) == before and len(col.undo.steps()) == steps
    answer_current(col, s)  # the kept connection was rolled back, not left mid-transaction
    assert count_outside(col) == (2, 2) and len(logs(col)) == 2


def test_closing_and_reopening_after_answers_keeps_them(col: Collection) -> None:
    s = study.start_sitting(col)
    answer_current(col, s)
    answer_current(col, s)
    data = col.db.path.parent
    col.close()
    again = open_collection(data, clock=col.clock)
    try:
        assert count_outside(again) == (2, 2)
        s = study.start_sitting(again)
        answer_current(again, s)
        assert count_outside(again) == (3, 3)
    finally:
        again.close()


def test_answers_leave_the_wal_checkpoint_to_a_thread_behind_them(col: Collection) -> None:
    """SQLite checkpoints on the commit that takes the WAL past 1,000 pages: one answer in
    about 80 took 100+ ms. The answers' connection never does; a thread does, every
    `checkpoints.EVERY` answers, with its own connection, and other connections keep
    SQLite's own checkpoint."""
    s = study.start_sitting(col)
    answer_current(col, s)
    held = col.db._held.driver_connection  # the connection answers are written on
    assert held.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    with col.db.session() as session:
        assert session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    wal = col.db.path.with_name(col.db.path.name + "-wal")
    frames_before = wal.stat().st_size
    assert frames_before > 32  # the answer is in the WAL, not yet in the file
    for _ in range(checkpoints.EVERY - 1):  # with the one above: a checkpoint is due
        col.db.checkpoints.answered()
    col.db.checkpoints.join()
    assert col.db.checkpoints.done == 1
    # The frames are in the file now: a checkpoint from outside finds nothing left to copy.
    conn = sqlite3.connect(col.db.path)
    try:
        busy, log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()
    assert busy == 0 and log == copied
    answer_current(col, s)
    assert count_outside(col) == (2, 2)


def test_one_thread_serves_every_checkpoint_and_ends_with_the_collection(
    col: Collection,
) -> None:
    """A thread started per checkpoint made the answer that started it wait 2-4 ms."""
    s = study.start_sitting(col)
    answer_current(col, s)
    behind = col.db.checkpoints
    threads = []
    for n in (1, 2):
        for _ in range(checkpoints.EVERY):
            behind.answered()
        behind.join()
        assert behind.done == n
        threads.append(behind._thread)
    assert threads[0] is threads[1] and threads[0] is not None and threads[0].is_alive()
    answer_current(col, s)  # answers go on beside the kept thread
    assert count_outside(col) == (2, 2)
    col.close()
    assert not threads[0].is_alive()


def test_the_answers_connection_starts_with_an_empty_small_page_cache(col: Collection) -> None:
    """The pooled connection kept for answers arrives with the ORM's pages in its cache;
    commits on it were slower (docs/performance.md, "The answer's slow 5%")."""
    with col.db.session() as session:  # an ORM read fills a pooled connection's cache
        session.connection().exec_driver_sql("SELECT count(*) FROM card").scalar()
    s = study.start_sitting(col)
    answer_current(col, s)
    held = col.db._held.driver_connection
    assert held.execute("PRAGMA cache_size").fetchone() == (-2048,)
    with col.db.session() as session:
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -32768


def test_no_checkpoint_runs_before_the_start_up_check_has_passed(tmp_path: Path) -> None:
    allowed: list[bool] = [False]
    behind = checkpoints.Checkpointer(tmp_path / "none.sqlite3", lambda: allowed[0])
    for _ in range(3 * checkpoints.EVERY):
        behind.answered()
    behind.join()
    assert behind.done == 0  # a checkpoint writes the file: it waits like any write
    allowed[0] = True
    behind.answered()
    behind.join()
    assert behind.done == 1
    behind.close()
    assert behind._thread is not None and not behind._thread.is_alive()
