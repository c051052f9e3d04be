"""Shared fixtures: a settable clock, a real collection in tmp_path, the sample deck."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


class FakeClock:
    """Local time that only moves when a test says so."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now = self.now + timedelta(**kwargs)

    def set_local(self, year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> None:
        self.now = datetime(year, month, day, hour, minute).astimezone()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that drives Qt widgets (it takes `qtbot`) is a `gui` test, without
    anyone having to remember the marker: `pytest -m "not gui"` runs the logic alone."""
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 12, 0).astimezone())


@pytest.fixture
def sample_decks(tmp_path: Path) -> Path:
    """A decks folder holding a copy of the sample deck (one card of each kind)."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "sample.toml").write_bytes((DATA / "sample.toml").read_bytes())
    return folder


@pytest.fixture
def col(tmp_path: Path, clock: FakeClock, sample_decks: Path) -> Iterator[object]:
    from quizapp.services.collection import open_collection
    from quizapp.services.decks import sync_shipped_decks

    collection = open_collection(tmp_path / "data", clock=clock)
    report = sync_shipped_decks(collection, sample_decks)
    assert report.errors == []
    from quizapp.services.guidance import mark_welcome_shown

    mark_welcome_shown(collection)  # past its first run: no welcome over a test's window
    yield collection
    collection.close()


@pytest.fixture
def team_col(tmp_path: Path, clock: FakeClock) -> Iterator[object]:
    """A collection holding the sample deck as a learner's import (`import:sample.toml`).

    For tests that re-import an edited sample: a file may update a deck it imported, never
    a deck that came with quizapp (`col` loads the sample as a shipped deck).
    """
    from quizapp.core.deckfile import parse_deck_bytes
    from quizapp.services.collection import open_collection
    from quizapp.services.decks import import_deck

    collection = open_collection(tmp_path / "data", clock=clock)
    path = DATA / "sample.toml"
    deck = parse_deck_bytes(path.read_bytes(), str(path))
    import_deck(collection, deck, source="import:sample.toml", file=str(path), position=0)
    yield collection
    collection.close()
