"""The big-merge path (issue 16's 2 s target) keeps every rule of the small one: foreign
keys are skipped only inside a merge that deletes no card, and every connection has them
again afterwards; a merge that deletes cards still cascades."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp.services import cards, sync
from tests.helpers.sync_devices import (
    Device,
    add_deck,
    answers,
    carry,
    joined_pair,
    study_some,
)


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Device, Device]]:
    monkeypatch.setattr(sync, "BIG_MERGE", 0)  # every merge takes the big path
    with joined_pair(tmp_path) as pair:
        yield pair


def pragmas(device: Device) -> tuple[int, list[object]]:
    with device.col.db.session() as session:
        on = session.execute(text("PRAGMA foreign_keys")).scalar_one()
        broken = list(session.execute(text("PRAGMA foreign_key_check")))
    return on, broken


def test_a_big_merge_gives_every_connection_its_foreign_keys_back(
    pair: tuple[Device, Device],
) -> None:
    a, b = pair
    add_deck(a, "Fast", 5)
    study_some(a, 5)
    carry(a, b)
    assert b.sync().reviews_added == 5
    assert answers(b) == answers(a)
    assert pragmas(b) == (1, [])


def test_a_big_merge_that_deletes_cards_still_cascades(pair: tuple[Device, Device]) -> None:
    a, b = pair
    _deck, uuids = add_deck(a, "Doomed", 3)
    study_some(a, 3)
    carry(a, b)
    b.sync()
    cards.delete_cards(a.col, uuids[:2], delete_history=True)
    carry(a, b)
    report = b.sync()
    assert report.cards_deleted == 2
    assert pragmas(b) == (1, [])  # no state or answer row left without its card
    with b.col.db.session() as session:
        left = session.execute(text("SELECT count(*) FROM card_state")).scalar_one()
        logged = session.execute(text("SELECT count(*) FROM review_log")).scalar_one()
    assert (left, logged) == (1, 1)


def test_a_big_merge_checkpoints_behind_its_commit(pair: tuple[Device, Device]) -> None:
    a, b = pair
    add_deck(a, "Behind", 4)
    study_some(a, 4)
    carry(a, b)
    b.col.db.checkpoints.join()
    done = b.col.db.checkpoints.done
    assert b.sync().reviews_added == 4
    b.col.db.checkpoints.join()
    assert b.col.db.checkpoints.done == done + 1  # the thread ran the commit's checkpoint
    assert answers(b) == answers(a)
    with b.col.db.session() as session:  # and the pooled connection has SQLite's own again
        assert session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() > 0
