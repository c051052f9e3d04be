"""A big import's commit leaves SQLite's WAL checkpoint to a thread behind it
(`repo.defer_checkpoint`, `Checkpointer.soon`): the checkpoint still runs, and the pooled
connection gets SQLite's own setting back, so no later commit goes without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Deck, Kind
from quizapp.services import exchange
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, load_deck, plan_import
from quizapp.services.importers import read_bundle
from quizapp.storage import repo

DECK_ID = "7a000000-0000-4000-8000-000000000001"


def autocheckpoint(raw: object) -> int:
    return int(raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0])  # type: ignore[attr-defined]


def test_a_deferred_checkpoint_gives_the_connection_its_setting_back(col: Collection) -> None:
    with col.db.session() as session:
        raw = session.connection().connection.dbapi_connection
        before = autocheckpoint(raw)
        repo.defer_checkpoint(session)
        repo.defer_checkpoint(session)  # twice: the first setting is the one kept
        assert autocheckpoint(raw) == 0
        session.commit()
    assert before > 0 and autocheckpoint(raw) == before  # back in the pool, as it was


def test_a_big_import_checkpoints_behind_its_commit(
    col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exchange, "_DEFER_CHECKPOINT_FROM", 1)
    col.db.checkpoints.join()
    done = col.db.checkpoints.done
    cards = tuple(
        Card(id=f"7a000000-0000-4000-8000-{n:012d}", kind=Kind.FLASHCARD, prompt=f"Q{n}", back="A")
        for n in range(2, 12)
    )
    path = tmp_path / "new.toml"
    path.write_text(write_deck(Deck(id=DECK_ID, name="New", cards=cards)), encoding="utf-8")
    apply_import(col, plan_import(col, read_bundle(path)))
    col.db.checkpoints.join()
    assert col.db.checkpoints.done == done + 1
    assert load_deck(col, DECK_ID).cards == cards
    with col.db.session() as session:
        assert autocheckpoint(session.connection().connection.dbapi_connection) > 0
