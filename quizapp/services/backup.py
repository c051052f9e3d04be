"""Backups of the collection: taken automatically, listed, restored, pruned to the last N.

When: at the first start of each day (`daily_backup`), before an import that can change,
hide or delete what the collection holds (`before_import`; `services.exchange.apply_import`
decides: an import that only adds is one transaction and an undo step, see
docs/performance.md), before a schema upgrade (storage does that one, it runs before a
`Collection` exists), and before every restore, so a restore can itself be undone. Each backup is a consistent copy made with SQLite's online backup API, never a raw
copy of the live WAL database, and is one self-contained file in `<data dir>/backups/`
named `<YYYYMMDD-HHMMSS>-<reason>.sqlite3`; its stem is its id (`quizapp backup restore ID`).

How many are kept is the setting `backup.keep` (default 10); the oldest go first, except the
newest of each kind (daily, before an import, before a sync...), which stays (`prune`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from quizapp.core.changes import EVERYTHING, Changes
from quizapp.core.settings import settings_from_dict
from quizapp.services import ops
from quizapp.services.collection import Collection, CollectionError, CollectionUnwritable
from quizapp.storage import database, repo, snapshots
from quizapp.storage.tables import SCHEMA_VERSION

KEEP_SETTING = "backup.keep"
DEFAULT_KEEP = 10
MAX_KEEP = 1000


@dataclass(frozen=True)
class BackupInfo:
    id: str
    path: Path
    taken_at: datetime
    """Local time, from the name."""
    reason: str
    bytes: int

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}  {self.reason}"


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    safety: BackupInfo | None
    """The backup of the state just before the restore (None when that state was unreadable)."""
    damaged_moved_to: Path | None = None


def backups_dir(data_dir: Path) -> Path:
    return data_dir / snapshots.BACKUP_DIR


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every finished backup, newest first (half-written ones end in `.partial` and are skipped)."""
    found = []
    for path in backups_dir(data_dir).glob(f"*{snapshots.BACKUP_SUFFIX}"):
        info = _info(path)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda b: (b.taken_at, b.id), reverse=True)


def _info(path: Path) -> BackupInfo | None:
    stem = path.name.removesuffix(snapshots.BACKUP_SUFFIX)
    try:
        taken = datetime.strptime(stem[:15], "%Y%m%d-%H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(id=stem, path=path, taken_at=taken, reason=stem[16:] or "manual", bytes=size)


def find_backup(data_dir: Path, backup_id: str) -> BackupInfo:
    """The backup with this id (or an unambiguous prefix of it); LookupError otherwise."""
    matches = [b for b in list_backups(data_dir) if b.id == backup_id]
    if not matches:
        matches = [b for b in list_backups(data_dir) if b.id.startswith(backup_id)]
    if len(matches) != 1:
        known = ", ".join(b.id for b in list_backups(data_dir)[:5]) or "none yet"
        what = "No backup" if not matches else "More than one backup"
        raise LookupError(f"{what} matches {backup_id!r}. Recent ones: {known}.")
    return matches[0]


def keep_count(col: Collection) -> int:
    with col.db.session() as session:
        value = repo.get_setting(KEEP_SETTING, session=session)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_KEEP:
        return value
    return DEFAULT_KEEP


def set_keep_count(col: Collection, keep: int) -> int:
    if not 1 <= keep <= MAX_KEEP:
        raise ValueError(f"keep must be a whole number from 1 to {MAX_KEEP}")

    def write(op: ops.Op) -> None:
        repo.put_setting(KEEP_SETTING, keep, session=op.session)
        op.changed(Changes(settings=True))

    ops.run(col, "Change backups kept", write)
    prune(col.data_dir, keep)
    return keep


def take_backup(col: Collection, reason: str = "manual") -> BackupInfo:
    """A consistent copy of the collection now; the oldest beyond the kept number go.

    Never of a file the start-up check has not passed: the copy would be damaged too, and
    pruning could delete the last good one."""
    col.db.wait_for_check()
    info = _copy(col.db.path, col.data_dir, reason, col.now())
    prune(col.data_dir, keep_count(col))
    return info


def take_backup_behind(col: Collection, reason: str) -> Callable[[], BackupInfo]:
    """`take_backup` on a thread of its own; returns what waits for it (and raises what it
    raised). SQLite's backup step and the file's sync let go of the GIL, so the copy runs on
    another core while the caller works in Python.

    The copy is of the last commit before it started, whatever the caller writes meanwhile
    (SQLite's backup reads one snapshot: WAL readers never see a transaction that has not
    committed). A caller that must have the backup before its change counts (a sync
    merge) waits for it before it commits, and rolls back if it failed."""
    col.db.wait_for_check()
    keep, now = keep_count(col), col.now()

    def copy() -> BackupInfo:
        info = _copy(col.db.path, col.data_dir, reason, now)
        prune(col.data_dir, keep)
        return info

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"quizapp-backup-{reason}")
    copied = pool.submit(copy)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return copied.result


def _copy(source: Path, data_dir: Path, reason: str, now: datetime) -> BackupInfo:
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    target = snapshots.new_backup_path(data_dir, reason, stamp)
    try:
        snapshots.copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise CollectionUnwritable(
            f"Cannot write a backup to {target.parent}: {exc}. Nothing else was changed."
        ) from exc
    info = _info(target)
    assert info is not None
    return info


def prune(data_dir: Path, keep: int) -> list[BackupInfo]:
    """Delete all but the newest `keep` backups, keeping besides the newest of each kind;
    returns the ones deleted.

    Backups of one kind can come often (before every sync that brings another machine's
    work: every five minutes while two machines are in use): pruned by age alone, they
    would push out the day's backup and the last one before an import or an upgrade, and
    leave only restore points from the last hour."""
    found = list_backups(data_dir)  # newest first
    newest_of_kind: dict[str, BackupInfo] = {}
    for info in found:
        if kind_of(info) in KINDS:  # a file named otherwise is pruned by age alone
            newest_of_kind.setdefault(kind_of(info), info)
    kept = {info.id for info in found[:keep]} | {info.id for info in newest_of_kind.values()}
    gone = [info for info in found if info.id not in kept]
    for info in gone:
        info.path.unlink(missing_ok=True)
    return gone


KINDS = frozenset(
    {
        "daily",
        "manual",
        "before-import",
        "before-delete",
        "before-restore",
        "before-sync",
        "before-upgrade-from",
    }
)
"""The kinds of backup quizapp takes, each of which keeps its newest (`prune`): a fixed
set, so files put in the folder under other names cannot keep themselves for ever."""


def kind_of(info: BackupInfo) -> str:
    """The backup's reason without its number: the counter two backups in one second get
    ("-2"), or the schema version an upgrade started from."""
    return re.sub(r"-\d+$", "", info.reason)


def daily_backup(col: Collection) -> BackupInfo | None:
    """The day's backup, if none was taken yet today (local calendar day); None otherwise."""
    today = col.now().astimezone().date()
    if any(b.taken_at.date() == today for b in list_backups(col.data_dir)):
        return None
    return take_backup(col, "daily")


def before_import(col: Collection) -> BackupInfo:
    """Call before an import writes anything: the import can then be undone by a restore."""
    return take_backup(col, "before-import")


def restore_backup(col: Collection, backup_id: str) -> RestoreResult:
    """Make the open collection what the backup holds, after backing up the current state."""
    chosen = find_backup(col.data_dir, backup_id)
    safety = take_backup(col, "before-restore")
    database.restore_into(col.db, chosen.path)
    # The undo steps describe the collection as it was before the restore; applied to the
    # restored one they would put back rows over it.
    col.undo.clear()
    with col.db.session() as session:
        col.settings, _problems = settings_from_dict(repo.get_setting("settings", session=session))
    # Not a transaction of ours (SQLite's backup API replaced the file), so not `ops.run`;
    # every view still hears that everything may have changed.
    ops.publish(col, replace(EVERYTHING, label="Restore backup"))
    return RestoreResult(restored=chosen, safety=safety)


def latest_good_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup that passes SQLite's integrity check and this quizapp can open."""
    for info in list_backups(data_dir):
        if snapshots.integrity(info.path) != "ok":
            continue
        try:
            if snapshots.schema_version(info.path) <= SCHEMA_VERSION:
                return info
        except sqlite3.Error:
            continue
    return None


def restore_damaged(data_dir: Path, backup_id: str) -> RestoreResult:
    """Put a backup in place of a collection that cannot be opened (damaged).

    The damaged file is moved aside (named `collection.sqlite3.damaged-<time>`), never
    deleted. Works without opening the collection, so it also works when it cannot be.
    """
    chosen = find_backup(data_dir, backup_id)
    try:
        moved = database.replace_damaged(data_dir, chosen.path)
    except OSError as exc:
        raise CollectionUnwritable(f"Cannot restore into {data_dir}: {exc.strerror}.") from exc
    return RestoreResult(restored=chosen, safety=None, damaged_moved_to=moved)


__all__ = [
    "BackupInfo",
    "CollectionError",
    "RestoreResult",
    "before_import",
    "daily_backup",
    "latest_good_backup",
    "list_backups",
    "restore_backup",
    "restore_damaged",
    "take_backup",
]
