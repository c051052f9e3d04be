"""A full disk during an import or the shipped decks' sync: the real reason, status 1 (13.8).

SQLite's `max_page_count` makes the collection "full" a few pages past its size: SQLite then
fails as on a full disk (SQLITE_FULL) and rolls the whole transaction back itself.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

import quizapp.storage.database as database
from quizapp.app import main
from quizapp.services.collection import open_collection


def full_after(pages: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every collection opened from now on is full `pages` pages past its current size."""
    make = database._make_engine

    def limited(path: Path) -> Engine:
        engine = make(path)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            (count,) = cursor.execute("PRAGMA page_count").fetchone()
            cursor.execute(f"PRAGMA max_page_count = {count + pages}")
            cursor.close()

        return engine

    monkeypatch.setattr(database, "_make_engine", limited)


def dump(data: Path) -> str:
    conn = sqlite3.connect(data / "collection.sqlite3")
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def test_a_full_disk_during_a_bulk_import_is_named_not_hidden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "list"]) == 0
    before = dump(data)
    csv = tmp_path / "big.csv"
    rows = "".join(f"question {i} {'x' * 200},answer {i}\n" for i in range(3000))
    csv.write_text("prompt,back\n" + rows, encoding="utf-8")
    full_after(30, monkeypatch)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "import", "--yes", str(csv)]) == 1
    err = capsys.readouterr().err
    assert f"{csv}: Cannot save to" in err and "the disk is full" in err
    assert "savepoint" not in err and "Traceback" not in err
    assert "nothing was changed" in err
    monkeypatch.undo()
    assert dump(data) == before


def test_a_full_disk_during_the_first_shipped_sync_stops_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    open_collection(data).close()  # an empty collection: the shipped decks not loaded yet
    before = dump(data)
    full_after(10, monkeypatch)
    assert main(["--data-dir", str(data), "list"]) == 1
    err = capsys.readouterr().err
    assert "the disk is full" in err and "cannot be written" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    assert dump(data) == before
