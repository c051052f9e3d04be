"""The open collection: the database, the clock and the settings, passed to every use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from quizapp.adapters.paths import data_dir_from
from quizapp.core.settings import Settings, settings_from_dict, validate_settings
from quizapp.core.sm2 import study_day
from quizapp.services.undo import UndoStack
from quizapp.storage import repo
from quizapp.storage.database import (
    CollectionCorrupt,
    CollectionError,
    CollectionLocked,
    CollectionTooNew,
    CollectionUnwritable,
    Database,
    open_database,
)

Clock = Callable[[], datetime]
"""Returns the current time, time-zone aware. Tests pass a fixed or stepping clock."""

__all__ = [
    "Clock",
    "Collection",
    "CollectionCorrupt",
    "CollectionError",
    "CollectionLocked",
    "CollectionTooNew",
    "CollectionUnwritable",
    "open_collection",
    "resolve_data_dir",
]


def system_clock() -> datetime:
    return datetime.now(UTC)


def resolve_data_dir(cli_value: str | None = None) -> Path:
    """--data-dir wins, then $QUIZAPP_DATA_DIR, then the platform's user data directory."""
    return data_dir_from(cli_value)


@dataclass
class Collection:
    db: Database
    clock: Clock = system_clock
    settings: Settings = field(default_factory=Settings)
    warnings: list[str] = field(default_factory=list)
    undo: UndoStack = field(default_factory=UndoStack, repr=False, compare=False)
    """Edit → Undo: every answer and operation since the collection opened (services.undo)."""

    @property
    def data_dir(self) -> Path:
        return self.db.path.parent

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return study_day(self.clock(), self.settings.day_start_hour)

    def close(self) -> None:
        self.db.close()


def open_collection(
    data_dir: Path, *, clock: Clock = system_clock, lock: bool = True
) -> Collection:
    db = open_database(data_dir, lock=lock)
    with db.session() as session:
        settings, problems = settings_from_dict(repo.get_setting("settings", session=session))
    warnings = [f"{db.path}: setting {p}; the default is used" for p in problems]
    return Collection(db=db, clock=clock, settings=settings, warnings=warnings)


def save_settings(col: Collection, settings: Settings) -> Settings:
    """Validate and store; refuses invalid values instead of storing them."""
    problems = validate_settings(settings)
    if problems:
        raise ValueError("; ".join(problems))
    with col.db.session() as session:
        repo.put_setting("settings", settings.to_dict(), session=session)
        session.commit()
    col.settings = settings
    return settings
