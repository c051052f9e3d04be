"""The deck list read in plain SQLite before the collection opens (`services.startup`):
the same numbers as the open collection's, and nothing when it must not paint early."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from quizapp.core.deck_options import DeckOptions
from quizapp.services import overview, startup, study
from quizapp.services.collection import Collection
from quizapp.services.deck_options import set_deck_options
from quizapp.services.settings import set_setting
from tests.conftest import FakeClock
from tests.helpers.study import answer_current, db_hash


def glanced(col: Collection) -> list[overview.DeckSummary]:
    found = overview.glance(col.db.path.parent, col.clock)
    assert found is not None
    return found[1]


def test_the_glance_counts_as_the_open_collection_does(col: Collection) -> None:
    assert glanced(col) == study.deck_overview(col)
    (deck,) = study.deck_overview(col)
    s = study.start_sitting(col)
    answer_current(col, s)  # a new card learnt today
    answer_current(col, s, right=False)  # one failed: in today's drill
    assert glanced(col) == study.deck_overview(col)
    set_setting(col, "new_per_day", "3")  # held to what is left of the day's limit
    assert glanced(col) == study.deck_overview(col)
    set_deck_options(col, deck.uuid, DeckOptions(new_per_day=1, reviews_per_day=0))
    summaries = glanced(col)
    assert summaries == study.deck_overview(col)
    assert summaries[0].counts.new == 0 and summaries[0].counts.learning == 1


def test_the_glance_follows_the_settings_study_day(col: Collection) -> None:
    set_setting(col, "day_start_hour", "13")  # 12:00 is still yesterday's study day
    s = study.start_sitting(col)
    answer_current(col, s)
    assert glanced(col) == study.deck_overview(col)


def test_nothing_is_glanced_while_another_quizapp_holds_the_collection(col: Collection) -> None:
    assert startup.first_deck_list(col.db.path.parent) is None  # `col` holds its lock


def test_the_glance_writes_nothing(col: Collection, tmp_path: Path) -> None:
    before = db_hash(col)
    data = col.db.path.parent
    col.close()
    found = startup.first_deck_list(data)
    assert found is not None and found[1]
    conn = sqlite3.connect(data / "collection.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM deck").fetchone() == (1,)
    finally:
        conn.close()
    assert db_hash(col) == before


def test_nothing_is_glanced_from_a_file_opening_must_deal_with(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert startup.first_deck_list(data) is None  # no folder, no file: a new collection
    data.mkdir()
    (data / "collection.sqlite3").write_bytes(b"not a database at all" * 100)
    assert startup.first_deck_list(data) is None  # damaged: opening says what is wrong
    (data / "collection.sqlite3").unlink()
    conn = sqlite3.connect(data / "collection.sqlite3")
    conn.execute("PRAGMA user_version=3")  # an older quizapp's: it is upgraded first
    conn.execute("CREATE TABLE deck (id INTEGER)")
    conn.close()
    assert startup.first_deck_list(data) is None


def test_the_glance_leaves_a_crashed_sessions_wal_for_the_checked_open(col: Collection) -> None:
    """Closing the last connection to a WAL database checkpoints it into the file: a write,
    which must wait for the integrity check. The glance reads read-only, so it never does."""
    data = col.db.path.parent
    path = col.db.path
    col.close()
    crash = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA wal_autocheckpoint=0')\n"
        "conn.execute(\"UPDATE deck SET description = 'written, never checkpointed'\")\n"
        "conn.commit()\n"
        "os._exit(0)  # a crash: no close, no checkpoint\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(path)], check=True, timeout=60)
    wal = path.with_name(path.name + "-wal")
    frames, file_bytes = wal.stat().st_size, path.read_bytes()
    assert frames > 32
    found = startup.first_deck_list(data)
    assert found is not None
    assert found[1][0].description == "written, never checkpointed"  # read through the WAL
    assert wal.stat().st_size == frames and path.read_bytes() == file_bytes


def test_the_early_read_expects_the_schema_this_code_writes() -> None:
    from quizapp.storage import schema_version, tables

    assert schema_version.SCHEMA_VERSION == tables.SCHEMA_VERSION


def test_warming_reads_todays_answers_and_writes_nothing(col: Collection, clock: FakeClock) -> None:
    """The start's head start on the deck list (`startup.warm_deck_list`) reads what the
    glance reads from farthest apart: today's answers, on the settings' study day."""
    data = col.db.path.parent
    set_setting(col, "day_start_hour", "13")  # 12:00 is still yesterday's study day
    s = study.start_sitting(col)
    answer_current(col, s)
    answer_current(col, s, right=False)
    before = db_hash(col)
    assert overview.warm_glance(data, col.clock) == 2
    clock.advance(days=1)
    assert overview.warm_glance(data, col.clock) == 0  # a new day: nothing answered yet
    assert db_hash(col) == before


def test_warming_is_quiet_about_a_file_opening_must_deal_with(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert overview.warm_glance(data) == 0  # no folder, no file
    assert not data.exists()  # and none made
    data.mkdir()
    (data / "collection.sqlite3").write_bytes(b"not a database at all" * 100)
    assert overview.warm_glance(data) == 0
    (data / "collection.sqlite3").unlink()
    conn = sqlite3.connect(data / "collection.sqlite3")
    conn.execute("CREATE TABLE setting (key TEXT, value TEXT)")
    conn.execute("INSERT INTO setting VALUES ('settings', '{\"day_start_hour\": [1]}')")
    conn.commit()
    conn.close()
    assert overview.warm_glance(data) == 0  # odd settings, no review_log: nothing raised
