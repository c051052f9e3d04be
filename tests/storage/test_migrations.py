"""Upgrading: a collection made by every earlier schema opens with all of its data.

Old collections are built from the frozen DDL in `tests/storage/schemas/v<N>.sql` (what
that version of quizapp created), filled with decks, cards, states, a review log and
settings, then opened by today's code.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection
from sqlmodel import SQLModel

from quizapp.storage import migrations
from quizapp.storage.database import DB_NAME, open_database
from quizapp.storage.snapshots import BACKUP_DIR
from quizapp.storage.tables import SCHEMA_VERSION
from tests.helpers.old_collections import DATA_TABLES, OLD_VERSIONS, build_old_collection


def dump(
    path: Path, like: dict[str, list[dict[str, object]]] | None = None
) -> dict[str, list[dict[str, object]]]:
    """Every row of the data tables; with `like`, only the columns that dump had."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = {
            t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")]
            for t in DATA_TABLES
        }
    finally:
        conn.close()
    if like is not None:
        for t, rows in tables.items():
            keys = list(like[t][0]) if like[t] else []
            tables[t] = [{k: r[k] for k in keys} for r in rows]
    return tables


def schema_of(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(
            conn.execute(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'card_fts_%'"
            ).fetchall()
        )
    finally:
        conn.close()


def test_the_chain_ends_at_the_schema_version_and_has_no_gaps() -> None:
    assert [s.version for s in migrations.STEPS] == list(range(1, SCHEMA_VERSION + 1))
    assert list(range(1, SCHEMA_VERSION)) == OLD_VERSIONS, "freeze each old schema in schemas/"


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_an_old_collection_upgrades_without_losing_anything(tmp_path: Path, version: int) -> None:
    path = build_old_collection(tmp_path / "old", version)
    before = dump(path)
    db = open_database(path.parent)
    db.close()
    assert dump(path, like=before) == before
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # The search index was built from the cards already there.
        hits = conn.execute("SELECT rowid FROM card_fts WHERE card_fts MATCH 'rareword7'")
        assert hits.fetchall() == [(8,)]
    finally:
        conn.close()
    [backup] = (path.parent / BACKUP_DIR).glob(f"*before-upgrade-from-{version}*")
    assert dump(backup) == before
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == version


@pytest.mark.parametrize("version", OLD_VERSIONS)
def test_upgraded_and_new_collections_have_the_same_schema(tmp_path: Path, version: int) -> None:
    old = build_old_collection(tmp_path / "old", version, cards=5)
    open_database(old.parent).close()
    open_database(tmp_path / "new").close()
    assert schema_of(old) == schema_of(tmp_path / "new" / DB_NAME)


def test_every_table_the_code_declares_is_made_by_the_chain(tmp_path: Path) -> None:
    """A table added to storage/tables.py without a migration step fails here."""
    import quizapp.storage.tables  # noqa: F401  (registers every quizapp table)

    open_database(tmp_path).close()
    made = {name for kind, name in schema_of(tmp_path / DB_NAME) if kind == "table"}
    declared = set(SQLModel.metadata.tables)
    assert declared <= made


def test_an_upgrade_that_fails_leaves_the_old_collection_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build_old_collection(tmp_path / "old", OLD_VERSIONS[-1], cards=20)
    before = dump(path)
    last = migrations.STEPS[-1]

    def broken(conn: Connection) -> None:
        last.apply(conn)
        conn.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("a step that fails half-way")

    steps = (*migrations.STEPS[:-1], migrations.Step(last.version, last.why, broken))
    monkeypatch.setattr(migrations, "STEPS", steps)
    with pytest.raises(RuntimeError):
        open_database(path.parent)
    assert dump(path) == before
    assert ("table", "half_done") not in schema_of(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == OLD_VERSIONS[-1]


def test_every_declared_column_is_made_by_the_chain(tmp_path: Path) -> None:
    """A column added to a table class without a migration step fails here."""
    import quizapp.storage.tables  # noqa: F401

    open_database(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    try:
        for name, table in SQLModel.metadata.tables.items():
            made = {row[1] for row in conn.execute(f"PRAGMA table_info({name})")}
            # Extra columns may exist: ones only triggers write (see migrations step 2).
            assert {c.name for c in table.columns} <= made, name
    finally:
        conn.close()


def test_an_analysed_collection_keeps_statistics_for_the_new_card_index(tmp_path: Path) -> None:
    """Step 8 swaps card's deck index; planner statistics known for the old one and not the
    new one made SQLite read a page of browser rows by walking whole decks."""
    path = build_old_collection(tmp_path / "old", 7, cards=30)
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    open_database(path.parent).close()
    conn = sqlite3.connect(path)
    try:
        indexes = {idx for (idx,) in conn.execute("SELECT idx FROM sqlite_stat1")}
    finally:
        conn.close()
    assert "ix_card_deck_position" in indexes and "ix_card_deck_id" not in indexes
