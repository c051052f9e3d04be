"""Paint first, check behind: reads go ahead of the integrity check, writes never do."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from quizapp.storage import early_check
from quizapp.storage.database import DB_NAME, CollectionCorrupt, open_database
from quizapp.storage.tables import SCHEMA_VERSION
from tests.helpers.damage import add_filler, damage_last_pages, held_check
from tests.helpers.old_collections import build_old_collection


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def setting_count(db: object) -> int:
    with db.engine.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.exec_driver_sql("SELECT count(*) FROM setting").scalar_one())


def new_collection(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    open_database(data).close()
    return data


def test_a_write_before_the_verdict_waits_for_it_then_succeeds(tmp_path: Path) -> None:
    data = new_collection(tmp_path)
    release = held_check(data)
    db = open_database(data, check_behind=True)
    try:
        assert db.gate is not None and not db.gate.settled  # opened while the check runs
        assert setting_count(db) == 0  # and reads ahead of it
        events: list[str] = []

        def waiting() -> None:
            events.append("write waits")
            release.set()  # the check may now end; the write must still wait for it

        db.gate.on_wait(waiting)
        with db.session() as session:
            session.connection().exec_driver_sql("INSERT INTO setting VALUES ('k', '1')")
            events.append(f"written, check passed: {db.gate.passed}")
            session.commit()
        assert events == ["write waits", "written, check passed: True"]
        assert setting_count(db) == 1
    finally:
        db.close()


def test_after_a_passed_check_writes_no_longer_wait(tmp_path: Path) -> None:
    data = new_collection(tmp_path)
    db = open_database(data, check_behind=True)
    try:
        assert db.gate is not None and db.gate.verdict() is None
        waits: list[int] = []
        db.gate.on_wait(lambda: waits.append(1))
        for n in range(3):
            with db.session() as session:
                session.connection().exec_driver_sql(f"INSERT INTO setting VALUES ('k{n}', '1')")
                session.commit()
        assert waits == [] and setting_count(db) == 3
    finally:
        db.close()


def test_a_damaged_file_is_read_but_every_write_is_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    data = new_collection(tmp_path)
    add_filler(data)
    damage_last_pages(data)
    before = digest(data / DB_NAME)
    db = open_database(data, check_behind=True)
    try:
        assert setting_count(db) == 0  # the collection's own tables still read
        for statement in (
            "INSERT INTO setting VALUES ('k', '1')",
            "DELETE FROM setting",
            "CREATE TABLE more (x)",
            "PRAGMA user_version=99",
        ):
            with pytest.raises(CollectionCorrupt, match="damaged"), db.session() as session:
                session.connection().exec_driver_sql(statement)
                session.commit()
        assert db.refusal() is not None
    finally:
        db.close()
    assert digest(data / DB_NAME) == before


def test_the_command_line_still_waits_for_the_verdict_before_opening(tmp_path: Path) -> None:
    data = new_collection(tmp_path)
    add_filler(data)
    damage_last_pages(data)
    with pytest.raises(CollectionCorrupt, match="damaged"):
        open_database(data)


def test_an_upgrade_waits_for_the_verdict_and_a_damaged_old_file_is_never_upgraded(
    tmp_path: Path,
) -> None:
    data = tmp_path / "old"
    build_old_collection(data, 1, cards=50)
    add_filler(data)
    damage_last_pages(data)
    before = digest(data / DB_NAME)
    with pytest.raises(CollectionCorrupt, match="damaged"):
        open_database(data, check_behind=True)
    assert digest(data / DB_NAME) == before
    assert not (data / "backups").exists() or not any((data / "backups").iterdir())


def test_an_old_file_is_backed_up_and_upgraded_before_anything_reads_it(tmp_path: Path) -> None:
    data = tmp_path / "old"
    build_old_collection(data, 1, cards=50)
    release = held_check(data)
    release.set()
    db = open_database(data, check_behind=True)
    try:
        assert db.gate is not None and db.gate.passed  # the upgrade waited for the verdict
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA user_version").scalar_one() == SCHEMA_VERSION
    finally:
        db.close()
    backups = list((data / "backups").glob("*"))
    assert backups, "a backup before the upgrade"
    with sqlite3.connect(f"file:{backups[0]}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_closing_at_once_does_not_read_the_whole_file(tmp_path: Path) -> None:
    data = new_collection(tmp_path)
    db = open_database(data, check_behind=True)
    assert db.gate is not None and not db.gate.check.started
    db.close()  # nothing was written: nothing to checkpoint, no verdict needed
    assert not db.gate.check.started
    assert (data / DB_NAME) not in early_check._STARTED


def test_closing_waits_for_the_verdict_when_the_wal_holds_a_crashed_sessions_frames(
    tmp_path: Path,
) -> None:
    """Closing the last connection checkpoints the WAL into the file: a write, so it waits."""
    source = new_collection(tmp_path)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    conn = sqlite3.connect(source / DB_NAME)
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("INSERT INTO setting VALUES ('left', 'in the wal')")
    conn.commit()
    for suffix in ("", "-wal"):  # a copy as a killed process leaves it: frames in the WAL
        (crashed / f"{DB_NAME}{suffix}").write_bytes((source / f"{DB_NAME}{suffix}").read_bytes())
    conn.close()
    db = open_database(crashed, check_behind=True)
    assert db.gate is not None and not db.gate.check.started
    assert setting_count(db) == 1  # the WAL's committed frames are read
    db.close()
    assert db.gate.check.done and db.gate.passed


def test_the_answers_kept_connection_is_held_to_the_same_gate(tmp_path: Path) -> None:
    """Answers commit on a connection of their own (`answer_transaction`), not a session:
    before the verdict an answer waits for it, and on a damaged file it is refused too."""
    data = new_collection(tmp_path)
    release = held_check(data)
    db = open_database(data, check_behind=True)
    try:
        assert db.gate is not None
        events: list[str] = []
        db.gate.on_wait(lambda: (events.append("answer waits"), release.set()))
        with db.answer_transaction() as rows:
            rows._conn.execute("INSERT INTO setting VALUES ('k', '1')")
            events.append(f"written, check passed: {db.gate.passed}")
        assert events == ["answer waits", "written, check passed: True"]
        assert setting_count(db) == 1
    finally:
        db.close()

    damaged = tmp_path / "damaged"
    open_database(damaged).close()
    add_filler(damaged)
    damage_last_pages(damaged)
    before = digest(damaged / DB_NAME)
    db = open_database(damaged, check_behind=True)
    try:
        with pytest.raises(CollectionCorrupt, match="damaged"), db.answer_transaction() as rows:
            rows._conn.execute("INSERT INTO setting VALUES ('k', '1')")
    finally:
        db.close()
    assert digest(damaged / DB_NAME) == before
