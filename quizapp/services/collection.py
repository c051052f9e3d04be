"""The open collection: the database, the clock and the settings, passed to every use case.

It also carries the two things every write shares: the one undo stack, and the listeners
that hear of every `Changes` (the runner, `services.ops`, publishes them; the main window
listens and hands them to every open view).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from quizapp.adapters.paths import data_dir_from
from quizapp.core.changes import Changes
from quizapp.core.settings import Settings, settings_from_dict
from quizapp.core.sm2 import study_day
from quizapp.services.undo_stack import UndoStack
from quizapp.storage import repo
from quizapp.storage.database import (
    CollectionCorrupt,
    CollectionError,
    CollectionLocked,
    CollectionTooNew,
    CollectionUnwritable,
    Database,
    Session,
    open_database,
)
from quizapp.storage.early_check import DB_NAME
from quizapp.storage.snapshots import schema_version
from quizapp.storage.tables import SCHEMA_VERSION

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
    _listeners: list[Callable[[Changes], None]] = field(
        default_factory=list, repr=False, compare=False
    )
    _listeners_lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False
    )
    _stagers: list[Callable[[Session, Changes], None]] = field(
        default_factory=list, repr=False, compare=False
    )

    def listen(self, listener: Callable[[Changes], None]) -> Callable[[], None]:
        """Hear of every committed `Changes`, on the thread that made it; returns unlisten."""
        with self._listeners_lock:
            self._listeners.append(listener)

        def unlisten() -> None:
            with self._listeners_lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unlisten

    def stage(self, stager: Callable[[Session, Changes], None]) -> Callable[[], None]:
        """Run `stager` inside every operation's transaction, just before it commits, with
        what it changed: what it writes commits with the operation or not at all (the sync
        journal's outbox). Returns a function that stops it."""
        with self._listeners_lock:
            self._stagers.append(stager)

        def unstage() -> None:
            with self._listeners_lock:
                if stager in self._stagers:
                    self._stagers.remove(stager)

        return unstage

    def stages_operations(self) -> bool:
        """Whether anything writes into every operation's transaction (`stage`)."""
        with self._listeners_lock:
            return bool(self._stagers)

    def before_commit(self, session: Session, changes: Changes) -> None:
        with self._listeners_lock:
            stagers = list(self._stagers)
        for stager in stagers:
            stager(session, changes)

    def publish(self, changes: Changes) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes)

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
    data_dir: Path, *, clock: Clock = system_clock, lock: bool = True, check_behind: bool = False
) -> Collection:
    """Open the collection; `check_behind` (the window) reads before the integrity check's
    verdict is in, every write waiting for it (`storage.write_gate`)."""
    db = open_database(data_dir, lock=lock, check_behind=check_behind)
    with db.session() as session:
        settings, problems = settings_from_dict(repo.get_setting("settings", session=session))
    warnings = [f"{db.path}: setting {p}; the default is used" for p in problems]
    return Collection(db=db, clock=clock, settings=settings, warnings=warnings)


def needs_upgrade(data_dir: Path) -> bool:
    """Whether opening will upgrade a collection made by an older quizapp (a backup and the
    migration steps, seconds at 100,000 cards: the window says so meanwhile)."""
    try:
        version = schema_version(data_dir / DB_NAME)
    except sqlite3.Error:
        return False
    return 0 < version < SCHEMA_VERSION
