"""Opening a collection: a real SQLite file, and every refusal leaves it untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from quizapp.storage.database import (
    DB_NAME,
    CollectionCorrupt,
    CollectionLocked,
    CollectionTooNew,
    open_database,
)
from quizapp.storage.tables import SCHEMA_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_collection_has_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA user_version").scalar_one() == SCHEMA_VERSION
            names = {
                r[0]
                for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
            }
        assert {"deck", "card", "card_state", "review_log", "setting"} <= names
    finally:
        db.close()


def test_a_second_instance_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    first = open_database(tmp_path)
    try:
        with pytest.raises(CollectionLocked, match="Another quizapp"):
            open_database(tmp_path)
    finally:
        first.close()
    open_database(tmp_path).close()  # free again once the first is closed


def test_not_a_database_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"these are my notes, not a database" * 100)
    before = digest(path)
    with pytest.raises(CollectionCorrupt, match="not a quizapp collection"):
        open_database(tmp_path)
    assert digest(path) == before


def test_damaged_database_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    db = open_database(tmp_path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE filler (x TEXT)")
        for _ in range(200):
            conn.exec_driver_sql("INSERT INTO filler VALUES (hex(randomblob(500)))")
    db.close()
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(raw), 12 * page)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    before = digest(path)
    with pytest.raises(CollectionCorrupt, match="damaged"):
        open_database(tmp_path)
    assert digest(path) == before


def test_database_from_a_newer_quizapp_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    open_database(tmp_path).close()
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(path)
    with pytest.raises(CollectionTooNew, match="newer quizapp"):
        open_database(tmp_path)
    assert digest(path) == before


def test_refusal_releases_the_lock(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"garbage" * 10)
    for _ in range(2):
        with pytest.raises(CollectionCorrupt):
            open_database(tmp_path)
