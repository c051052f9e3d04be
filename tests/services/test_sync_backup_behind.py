"""The before-sync backup is copied on a thread while the merge works: it still holds the
collection as it was before the merge, and a backup that cannot be written keeps the merge
from committing anything (the next sync, once it can, merges everything)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from quizapp.services.backup import list_backups
from quizapp.services.collection import CollectionUnwritable
from quizapp.storage import snapshots
from tests.helpers.sync_devices import (
    Device,
    add_deck,
    answers,
    carry,
    joined_pair,
    make_device,
    study_some,
)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    with joined_pair(tmp_path) as (a, b):
        add_deck(b, "Mine", 2)
        study_some(b, 2)
        add_deck(a, "Theirs", 4)
        study_some(a, 4)
        carry(a, b)
        yield a, b


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        cards = conn.execute("SELECT count(*) FROM card").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    finally:
        conn.close()
    return int(cards), int(logged)


def test_the_backup_holds_the_collection_as_it_was_before_the_merge(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    before = counts(b.data / "collection.sqlite3")
    report = b.sync()
    assert report.reviews_added == 4
    taken = {x.id: x for x in list_backups(b.data)}
    assert report.backup in taken
    assert counts(taken[report.backup].path) == before  # none of the merge in it
    assert counts(b.data / "collection.sqlite3") == (before[0] + 4, before[1] + 4)
    assert answers(b) >= answers(a)


def test_a_backup_that_cannot_be_written_keeps_the_merge_from_committing(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    mine = answers(b)
    backups = b.data / snapshots.BACKUP_DIR
    if backups.exists():
        for old in backups.iterdir():
            old.unlink()
        backups.rmdir()
    backups.write_text("a file where the backups folder goes")
    with pytest.raises(CollectionUnwritable):
        b.sync()
    assert answers(b) == mine  # nothing of the merge committed
    backups.unlink()
    report = b.sync()  # the same events again: none was taken as merged
    assert report.reviews_added == 4 and report.backup
    assert answers(b) == mine | answers(a)


def test_an_insert_of_the_answers_that_fails_on_its_thread_leaves_nothing_merged(
    pair: tuple[Device, Device],
) -> None:
    """The answers go into the log on a thread of their own while the cards are
    rescheduled: its failure (here a trigger refusing every new answer, as a full disk
    would) reaches the merge, which then commits nothing; the next sync merges it all."""
    a, b = pair
    mine, state = answers(b), dump_states(b)
    refuse = [True]

    def on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        if refuse[0]:
            dbapi_conn.execute(
                "CREATE TEMP TRIGGER IF NOT EXISTS refuse_answers BEFORE INSERT ON "
                "main.review_log BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            dbapi_conn.execute("DROP TRIGGER IF EXISTS temp.refuse_answers")

    event.listen(b.col.db.engine, "checkout", on_checkout)
    try:
        with pytest.raises(Exception, match="refused by the test"):
            b.sync()
        assert answers(b) == mine and dump_states(b) == state  # nothing of the merge
        refuse[0] = False
        report = b.sync()  # the same events again: none was taken as merged
    finally:
        event.remove(b.col.db.engine, "checkout", on_checkout)
    assert report.reviews_added == 4
    assert answers(b) == mine | answers(a)
    assert dump_states(b) != state  # the merged answers rescheduled their cards


def dump_states(device: Device) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(device.data / "collection.sqlite3")
    try:
        return conn.execute("SELECT * FROM card_state ORDER BY card_id").fetchall()
    finally:
        conn.close()


def test_a_merge_into_an_empty_collection_takes_no_backup_and_one_into_cards_does(
    tmp_path: Path,
) -> None:
    """Nothing to lose, nothing to back up; once the collection holds cards, every merge
    that brings something is backed up first."""
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    try:
        add_deck(a, "Theirs", 3)
        study_some(a, 2)
        a.sync()
        carry(a, b)
        first = b.sync()
        assert first.reviews_added == 2 and first.backup == ""
        assert list_backups(b.data) == []
        study_some(a, 1)
        a.sync()
        carry(a, b)
        second = b.sync()
        assert second.reviews_added == 1 and second.backup
        assert [x.id for x in list_backups(b.data)] == [second.backup]
    finally:
        a.close()
        b.close()
