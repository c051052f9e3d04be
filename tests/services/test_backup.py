"""Backups: consistent copies, the day's backup, pruning, restore (itself backed up), damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.services import backup, study, undo
from quizapp.services.collection import Collection, CollectionCorrupt, open_collection
from quizapp.storage.database import DB_NAME
from tests.conftest import FakeClock


def review_count(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        conn.close()


def answer_one(col: Collection) -> None:
    from quizapp.core.grading import ChoiceAnswer, CompilesAnswer, OutputAnswer, SelfGraded
    from quizapp.core.grading import ShortAnswer as Short
    from quizapp.core.model import Kind

    right = {
        Kind.COMPILES: CompilesAnswer(False, "E0382"),
        Kind.OUTPUT: OutputAnswer("0\n1\n2"),
        Kind.CHOICE: ChoiceAnswer(frozenset({1})),
        Kind.SHORT: Short("E0382"),
        Kind.FLASHCARD: SelfGraded(),
    }
    s = study.start_sitting(col)
    view = study.current_card(col, s)
    assert view is not None
    study.answer_card(col, s, view, right[view.card.kind], 4, seconds=1.0)


def test_a_backup_is_a_consistent_copy_of_the_live_wal_database(col: Collection) -> None:
    answer_one(col)  # committed, still in the -wal file: a raw copy of the main file misses it
    info = backup.take_backup(col)
    assert review_count(info.path) == 1
    assert sqlite3.connect(info.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not Path(f"{info.path}-wal").exists()
    assert [b.id for b in backup.list_backups(col.data_dir)] == [info.id]


def test_the_first_start_of_a_day_takes_one_backup(col: Collection, clock: FakeClock) -> None:
    assert backup.daily_backup(col) is not None
    clock.advance(hours=2)
    assert backup.daily_backup(col) is None
    clock.advance(days=1)
    assert backup.daily_backup(col) is not None
    assert [b.reason for b in backup.list_backups(col.data_dir)] == ["daily", "daily"]


def test_only_the_last_n_are_kept(col: Collection, clock: FakeClock) -> None:
    backup.set_keep_count(col, 3)
    for _ in range(5):
        clock.advance(minutes=1)
        backup.take_backup(col)
    kept = backup.list_backups(col.data_dir)
    assert len(kept) == 3
    assert kept[0].taken_at > kept[-1].taken_at
    with pytest.raises(ValueError):
        backup.set_keep_count(col, 0)


def test_frequent_backups_of_one_kind_do_not_push_out_the_days_backup(
    col: Collection, clock: FakeClock
) -> None:
    """A sync every five minutes backs up before each merge; pruned by age alone, those
    would leave no daily backup and no backup from before the last import."""
    backup.set_keep_count(col, 3)
    daily = backup.daily_backup(col)
    clock.advance(minutes=1)
    imported = backup.before_import(col)
    for _ in range(6):
        clock.advance(minutes=5)
        backup.take_backup(col, "before-sync")
        backup.take_backup(col, "before-sync")  # the same second: "...-before-sync-2"
    kept = backup.list_backups(col.data_dir)
    assert daily is not None and daily.id in {b.id for b in kept}
    assert imported.id in {b.id for b in kept}
    syncs = [b for b in kept if backup.kind_of(b) == "before-sync"]
    assert len(syncs) == 3 and len(kept) == 5  # the newest 3, and the newest of each kind
    assert syncs[0].reason == "before-sync-2"  # the very newest, its counter and all


def test_only_quizapps_own_kinds_keep_their_newest(col: Collection, clock: FakeClock) -> None:
    """Files put in the backups folder under other names are pruned by age alone: each
    would otherwise be a kind of its own and stay for ever."""
    backup.set_keep_count(col, 2)
    folder = col.data_dir / "backups"
    for i in range(4):
        clock.advance(minutes=1)
        taken = backup.take_backup(col)
        taken.path.rename(folder / f"{taken.id[:15]}-copied{i}.sqlite3")
    for _ in range(2):
        clock.advance(minutes=1)
        backup.take_backup(col)
    assert all(b.reason == "manual" for b in backup.list_backups(col.data_dir))


def test_restore_brings_back_the_state_and_is_itself_backed_up(
    col: Collection, clock: FakeClock
) -> None:
    first = backup.take_backup(col)
    clock.advance(minutes=1)
    answer_one(col)
    assert undo.newest(col) is not None
    result = backup.restore_backup(col, first.id)
    assert review_count(col.db.path) == 0
    # Undo steps taken before the restore describe another collection: they are gone.
    assert undo.newest(col) is None
    assert result.safety is not None and review_count(result.safety.path) == 1
    # The restore can be undone by restoring the safety copy.
    clock.advance(minutes=1)
    backup.restore_backup(col, result.safety.id)
    assert review_count(col.db.path) == 1
    answer_one(col)  # the collection works normally afterwards
    assert review_count(col.db.path) == 2


def test_an_unknown_backup_id_says_which_exist(col: Collection) -> None:
    info = backup.take_backup(col)
    with pytest.raises(LookupError, match=info.id):
        backup.restore_backup(col, "20000101-000000-nothing")


def damage(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    for offset in range(2 * 4096, min(len(raw), 40 * 4096)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))


def test_a_damaged_collection_is_replaced_by_the_latest_good_backup_and_kept_aside(
    tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    from quizapp.services.decks import sync_shipped_decks

    data = tmp_path / "data"
    col = open_collection(data, clock=clock)
    sync_shipped_decks(col, sample_decks)
    answer_one(col)
    good = backup.take_backup(col)
    clock.advance(minutes=1)
    broken_backup = backup.take_backup(col)
    damage(broken_backup.path)
    col.close()
    damage(data / DB_NAME)
    damaged_bytes = (data / DB_NAME).read_bytes()
    with pytest.raises(CollectionCorrupt):
        open_collection(data, clock=clock)

    latest = backup.latest_good_backup(data)
    assert latest is not None and latest.id == good.id  # the damaged newer one is skipped
    result = backup.restore_damaged(data, latest.id)
    assert result.damaged_moved_to is not None
    assert result.damaged_moved_to.read_bytes() == damaged_bytes  # kept, not overwritten
    reopened = open_collection(data, clock=clock)
    try:
        assert review_count(reopened.db.path) == 1
    finally:
        reopened.close()
