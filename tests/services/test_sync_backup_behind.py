"""The before-sync backup is copied on a thread while the merge works: it still holds the
collection as it was before the merge, and a backup that cannot be written keeps the merge
from committing anything (the next sync, once it can, merges everything)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.services.backup import list_backups
from quizapp.services.collection import CollectionUnwritable
from quizapp.storage import snapshots
from tests.helpers.sync_devices import (
    Device,
    add_deck,
    answers,
    carry,
    joined_pair,
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
