"""Collections built to hang or exhaust the reader: refused before or during the read, quickly.

Each package here is a valid zip holding a valid SQLite file; what is hostile is inside the
database (issue 13, item 1). Every case must end in `ImportFailed` naming the file.
"""

from __future__ import annotations

import sqlite3
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import zstandard

from quizapp.adapters import apkg
from quizapp.core.bundle import ImportFailed
from quizapp.services.collection import Collection
from quizapp.services.exchange import plan_import
from quizapp.services.importers import read_bundle
from tests.anki.test_bad_input import edited_collection, package
from tests.services.test_exchange import db_hash

MiB = 1024 * 1024

RECURSIVE_NOTES = (
    "CREATE VIEW notes AS WITH RECURSIVE r(id, guid, mid, tags, flds) AS ("
    " SELECT 1, 'g', 1, '', 'x' UNION ALL"
    " SELECT id + 1, hex(randomblob(64)), mid, tags, flds FROM r)"
    " SELECT id, guid, mid, tags, flds FROM r"
)


def recursive_view_package(path: Path) -> Path:
    """The attack as reported: `notes` is an endless recursive view, the package ~2.4 KB."""
    db_path = path.with_suffix(".sqlite")
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE col (crt integer, models text, decks text)")
        db.execute(
            "CREATE TABLE cards (id, nid, did, ord, type, queue, due, ivl, factor,"
            " reps, lapses, odue, odid)"
        )
        db.execute(RECURSIVE_NOTES)
        db.execute("INSERT INTO col VALUES (0, '{}', '{}')")
    db.close()
    raw = db_path.read_bytes()
    db_path.unlink()
    return package(path, {"collection.anki2": raw})


def test_the_recursive_view_package_is_refused_before_any_query(
    col: Collection, tmp_path: Path
) -> None:
    path = recursive_view_package(tmp_path / "view.apkg")
    assert path.stat().st_size < 4096
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        plan_import(col, read_bundle(path))
    assert str(info.value) == (
        f"{path}: collection.anki2: refused: 'notes' is a view, not a plain table"
    )
    assert db_hash(col) == before


@pytest.mark.parametrize("table", ["col", "cards"])
def test_any_expected_table_as_a_view_is_refused(tmp_path: Path, table: str) -> None:
    raw = edited_collection(
        tmp_path,
        f"ALTER TABLE {table} RENAME TO real_{table}",
        f"CREATE VIEW {table} AS SELECT * FROM real_{table}",
    )
    path = package(tmp_path / "v.apkg", {"collection.anki2": raw})
    with pytest.raises(ImportFailed, match=f"'{table}' is a view, not a plain table"):
        read_bundle(path)


def test_a_trigger_and_a_generated_column_are_refused(tmp_path: Path) -> None:
    trigger = edited_collection(
        tmp_path,
        "CREATE TRIGGER boom AFTER INSERT ON notes BEGIN DELETE FROM cards; END",
    )
    with pytest.raises(ImportFailed, match=r"refused: a trigger \('boom'\) on table 'notes'"):
        read_bundle(package(tmp_path / "t.apkg", {"collection.anki2": trigger}))
    generated = edited_collection(
        tmp_path,
        "ALTER TABLE notes ADD COLUMN big text GENERATED ALWAYS AS (zeroblob(1000000)) VIRTUAL",
    )
    with pytest.raises(ImportFailed, match=r"'notes' has a generated column \('big'\)"):
        read_bundle(package(tmp_path / "g.apkg", {"collection.anki2": generated}))


def test_the_step_and_row_budgets_stop_a_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = edited_collection(tmp_path)
    path = package(tmp_path / "ok.apkg", {"collection.anki2": raw})
    assert read_bundle(path).decks  # within the real budgets
    monkeypatch.setattr(apkg, "_STEP_GRANULARITY", 1)
    monkeypatch.setattr(apkg, "MAX_SQLITE_STEPS", 1)
    with pytest.raises(ImportFailed, match=r"refused: reading it took more than 1 SQLite steps"):
        read_bundle(path)
    monkeypatch.undo()
    monkeypatch.setattr(apkg, "MAX_ROWS", 2)
    with pytest.raises(ImportFailed, match=r"refused: table '\w+' holds more than 2 rows"):
        read_bundle(path)


def test_a_value_over_the_length_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = edited_collection(tmp_path, "UPDATE notes SET flds = flds || zeroblob(5000)")
    monkeypatch.setattr(apkg, "MAX_VALUE_BYTES", 4096)
    with pytest.raises(ImportFailed, match=r"collection\.anki2: damaged database"):
        read_bundle(package(tmp_path / "long.apkg", {"collection.anki2": raw}))


def test_a_padded_zstd_bomb_never_holds_more_than_a_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Padding raises the ratio cap; what is decompressed still goes to disk, not memory."""
    cap = 24 * MiB
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", cap)
    bomb = zstandard.ZstdCompressor().compress(b"SQLite format 3\x00" + bytes(64 * MiB))
    skippable = b"\x50\x2a\x4d\x18" + (cap // apkg.MAX_RATIO).to_bytes(4, "little")
    padded = bomb + skippable + bytes(cap // apkg.MAX_RATIO)
    path = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("collection.anki21b", padded)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFailed, match="decompresses to more than"):
            read_bundle(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < cap // 4, f"peak {peak} bytes"
