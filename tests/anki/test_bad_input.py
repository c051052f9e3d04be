"""Hostile and broken packages: refused naming the file and the place, nothing changed."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import zstandard

from quizapp.adapters.apkg import write_apkg
from quizapp.adapters.files import load_deck_file
from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from tests.conftest import DATA
from tests.helpers.study import db_hash

MiB = 1024 * 1024


def good_collection(tmp_path: Path) -> bytes:
    """A valid schema-11 collection holding the sample deck (as quizapp writes it)."""
    package = tmp_path / "good.apkg"
    write_apkg(Bundle((load_deck_file(DATA / "sample.toml"),)), package, now=datetime(2026, 1, 1))
    with zipfile.ZipFile(package) as archive:
        return archive.read("collection.anki2")


def edited_collection(tmp_path: Path, *sql: str) -> bytes:
    db_path = tmp_path / "edit.sqlite"
    db_path.write_bytes(good_collection(tmp_path))
    with sqlite3.connect(db_path) as db:
        for statement in sql:
            db.execute(statement)
    data = db_path.read_bytes()
    db_path.unlink()
    return data


def package(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def truncated(tmp_path: Path, path: Path) -> Path:
    whole = package(tmp_path / "whole.apkg", {"collection.anki2": good_collection(tmp_path)})
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def crc_damaged(tmp_path: Path, path: Path) -> Path:
    collection = good_collection(tmp_path)
    package(path, {"collection.anki2": collection}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def named(members_: dict[str, Callable[[Path], bytes]]) -> Callable[[Path, Path], Path]:
    def build(tmp_path: Path, path: Path) -> Path:
        return package(path, {n: f(tmp_path) for n, f in members_.items()})

    return build


CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("truncated", truncated, "not a readable zip archive"),
    ("crc", crc_damaged, "collection.anki2: damaged member"),
    ("not-anki", named({"readme.txt": lambda t: b"hello"}), "not an Anki package"),
    (
        "bomb",
        named({"collection.anki21": lambda t: bytes(30 * MiB)}),
        "member 'collection.anki21': compressed",
    ),
    (
        "zstd-bomb",
        named(
            {
                "meta": lambda t: b"\x08\x03",
                "collection.anki21b": lambda t: zstandard.ZstdCompressor().compress(
                    bytes(40 * MiB)
                ),
            }
        ),
        "collection.anki21b: decompresses to more than",
    ),
    (
        "zstd-junk",
        named({"meta": lambda t: b"\x08\x03", "collection.anki21b": lambda t: b"junk" * 100}),
        "collection.anki21b: not valid zstd data",
    ),
    (
        "meta-lies",
        named({"meta": lambda t: b"\x08\x03", "collection.anki2": good_collection}),
        "meta announces collection.anki21b but it is missing",
    ),
    (
        "climbs",
        named({"collection.anki2": good_collection, "../../evil.sh": lambda t: b"x"}),
        "member '../../evil.sh': path leaves the package's folder",
    ),
    (
        "absolute",
        named({"collection.anki2": good_collection, "/etc/cron.d/evil": lambda t: b"x"}),
        "member '/etc/cron.d/evil': path leaves the package's folder",
    ),
    (
        "not-sqlite",
        named({"collection.anki21": lambda t: b"definitely not a database" * 10}),
        "collection.anki21: not an SQLite database",
    ),
    (
        "no-tables",
        named({"collection.anki2": lambda t: edited_collection(t, "DROP TABLE notes")}),
        "collection.anki2: table 'notes' is missing",
    ),
    (
        "no-column",
        named(
            {
                "collection.anki2": lambda t: edited_collection(
                    t, "ALTER TABLE notes DROP COLUMN flds"
                )
            }
        ),
        "collection.anki2: table 'notes' lacks column(s) flds",
    ),
    (
        "wrong-type",
        named(
            {
                "collection.anki2": lambda t: edited_collection(
                    t,
                    "UPDATE notes SET mid = 'abc' WHERE id = (SELECT id FROM notes ORDER BY id LIMIT 1 OFFSET 1)",
                )
            }
        ),
        "collection.anki2: notes row 2 (id ",
    ),  # ...): mid is str, not an integer
    (
        "bad-json",
        named({"collection.anki2": lambda t: edited_collection(t, "UPDATE col SET models = '{'")}),
        "collection.anki2: col.models: not valid JSON",
    ),
    (
        "unknown-notetype",
        named({"collection.anki2": lambda t: edited_collection(t, "UPDATE notes SET mid = 42")}),
        "collection.anki2: notes row 1 (id ",
    ),
    (
        "duplicate-guid",
        named(
            {"collection.anki2": lambda t: edited_collection(t, "UPDATE notes SET guid = 'same'")}
        ),
        "notes row 2 (id ",
    ),
]


@pytest.mark.parametrize(("name", "build", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_packages_are_refused_and_nothing_changes(
    col: Collection,
    tmp_path: Path,
    name: str,
    build: Callable[[Path, Path], Path],
    words: str,
) -> None:
    path = build(tmp_path, tmp_path / f"{name}.apkg")
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        apply_import(col, plan_import(col, read_bundle(path)), with_progress=True)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert words in message, message
    assert db_hash(col) == before
    leftovers = [p for p in tmp_path.rglob("*") if "evil" in p.name or p.suffix == ".sh"]
    assert leftovers == []


def test_the_wrong_type_and_the_missing_note_type_are_named(tmp_path: Path) -> None:
    cases = [
        ("UPDATE notes SET mid = 42", r"notes row 1 \(id \d+\): note type 42 does not exist"),
        ("UPDATE notes SET flds = X'FFFE'", r"notes row 1 \(id \d+\): flds is not UTF-8"),
        ("UPDATE cards SET ivl = 'long'", r"cards row 1: ivl is str, not an integer"),
    ]
    for i, (sql, pattern) in enumerate(cases):
        build = named({"collection.anki2": lambda t, sql=sql: edited_collection(t, sql)})
        with pytest.raises(ImportFailed, match=pattern):
            read_bundle(build(tmp_path, tmp_path / f"{i}.apkg"))
