"""Opening a collection safely: one writer, never overwrite what we do not understand.

Before anything is written, the file is checked: it must be an SQLite database, pass
`PRAGMA quick_check`, and not come from a newer quizapp. Each failure raises a distinct
error the window can explain; in none of them is the file touched. A lock file keeps a
second instance from writing alongside the first.

The schema is made and upgraded by the numbered steps in `storage.migrations`; an existing
collection is backed up (SQLite's backup API, `storage.snapshots`) before it is upgraded.
A write that fails because the disk is full or read-only raises `CollectionUnwritable`
with what happened; the transaction is rolled back and everything committed before stays.

Start-up order, and why: the integrity check may start early, in a thread
(`storage.early_check`, started by `quizapp.app` before its heavy imports). The command
line waits for its verdict before opening, as it always did. The window opens with
`check_behind=True`: it reads and paints while the check reads the file (seconds for a big
file not in the page cache), and `storage.write_gate` holds every write back until the
check has passed, refusing them all if it failed. Only what must write at once waits for
the verdict here: an upgrade (backup, then the migration steps, before anything reads
with the new schema) and a repair of a missing index (docs/performance.md, "Start-up").
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import Session as Session  # re-exported: services name it without sqlmodel
from sqlmodel import create_engine

from quizapp.storage import answer_rows, early_check, migrations, shown_rows, snapshots
from quizapp.storage.checkpoints import Checkpointer
from quizapp.storage.early_check import DB_NAME, LOCK_NAME
from quizapp.storage.tables import SCHEMA_VERSION
from quizapp.storage.write_gate import WriteGate

_HELD_CACHE_KIB = 2048
"""The page cache of the connection kept for answers (SQLite's default size); every other
connection keeps 32 MiB (`_make_engine`)."""
_SQLITE_MAGIC = b"SQLite format 3\x00"


class CollectionError(Exception):
    """A problem with the collection file that the learner can act on (not a bug)."""


class CollectionLocked(CollectionError):
    pass


class CollectionCorrupt(CollectionError):
    pass


class CollectionTooNew(CollectionError):
    pass


class CollectionUnwritable(CollectionError):
    pass


@dataclass
class Database:
    path: Path
    engine: Engine
    lock: FileLock | None = field(default=None, repr=False)
    _held: Any = field(default=None, repr=False, compare=False)
    """The pooled connection kept out for answers (`answer_transaction`), once one was given."""
    _held_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @contextmanager
    def answer_transaction(self) -> Iterator[answer_rows.AnswerRows]:
        """One write transaction for an answer, on a connection kept open for answers only.

        The answer is the one write a learner makes hundreds of times in a row, and an ORM
        session per answer (a pool checkout, SQLAlchemy's transaction bookkeeping, its
        commit) cost more than SQLite's own work: this is a connection from the same pool
        (the same pragmas), held for the collection's life, with `answer_rows`' statements
        prepared on it once. BEGIN IMMEDIATE takes the write lock up front, so an answer
        waits behind another writer (an import on a worker thread) instead of failing
        halfway; the commit happens before this returns, as for every operation.
        """
        with self._held_lock:
            conn = self._held_connection()
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield answer_rows.AnswerRows(conn)
                conn.commit()
                self.checkpoints.answered()
            except sqlite3.OperationalError as exc:
                _rollback(conn)
                raise unwritable_error(self.path, exc) from exc
            except sqlite3.DatabaseError as exc:  # refused by the write gate: a failed check
                _rollback(conn)
                verdict = self.refusal()
                if verdict is None:
                    raise
                raise CollectionCorrupt(verdict) from exc
            except BaseException:
                _rollback(conn)
                raise

    @contextmanager
    def kept_reads(self) -> Iterator[shown_rows.ShownRows]:
        """The next card's read (`shown_rows`) on the connection kept for answers, between
        them: the read that follows every answer gets the same prepared-once statement and
        no pool checkout. No transaction is opened (each SELECT reads the latest commit,
        whichever connection made it) and nothing is written."""
        with self._held_lock:
            conn = self._held_connection()
            try:
                yield shown_rows.ShownRows(conn)
            except sqlite3.OperationalError as exc:
                raise unwritable_error(self.path, exc) from exc

    def _held_connection(self) -> sqlite3.Connection:
        """The connection kept for answers (under `_held_lock`): its commits never run the
        WAL's checkpoint, which `checkpoints` runs behind them instead.

        It comes from the pool with whatever page cache the ORM's reads left in it (the
        sitting's queue, the deck counts: up to 32 MiB). On such a connection about one
        answer in 15 had a COMMIT 4-5x its usual 0.03 ms, the same answers in every run, and
        they set the answer's p95; emptied and held to `_HELD_CACHE_KIB`, one in 30-80 did
        (docs/performance.md, "The answer's slow 5%"). The answer's own pages come back
        from the OS's page cache in microseconds."""
        if self._held is None:
            self._held = self.engine.raw_connection()
            conn = self._held.driver_connection
            conn.execute("PRAGMA wal_autocheckpoint=0")
            conn.execute(f"PRAGMA cache_size=-{_HELD_CACHE_KIB}")
            conn.execute("PRAGMA shrink_memory")  # the ORM's pages out, whatever the size
        held: sqlite3.Connection = self._held.driver_connection
        return held

    def _release_held(self) -> None:
        with self._held_lock:
            if self._held is not None:
                held, self._held = self._held, None
                held.invalidate()  # closed, not returned to a pool about to be disposed

    gate: WriteGate | None = field(default=None, repr=False)
    """While the start-up integrity check runs behind the window: what holds writes back."""
    checkpoints: Checkpointer = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.checkpoints = Checkpointer(self.path, self._may_write)

    def _may_write(self) -> bool:
        return self.gate is None or (self.gate.settled and self.refusal() is None)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed only by the caller (the service).

        A full or read-only disk surfaces as `CollectionUnwritable`; the transaction is
        rolled back, so nothing half-written stays and earlier commits are untouched.
        """
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except OperationalError as exc:
                session.rollback()
                raise unwritable_error(self.path, exc) from exc
            except DatabaseError as exc:
                session.rollback()
                verdict = self.refusal()
                if verdict is None:
                    raise
                raise CollectionCorrupt(verdict) from exc

    def wait_for_check(self) -> None:
        """For what is not a write yet must not run on a damaged file (a backup, which
        prunes older ones): waits for the start-up check, raises if it failed."""
        if self.gate is not None:
            _raise_if_failed(self.gate)

    def refusal(self) -> str | None:
        """Why writes are refused (the start-up check failed), or None if they are not."""
        if self.gate is None or not self.gate.settled:
            return None
        return self.gate.verdict()

    def close(self) -> None:
        if self.gate is not None and not self.gate.settled and _wal_has_frames(self.path):
            # Closing the last connection checkpoints the WAL into the file: a write, so it
            # waits for the check's verdict like any other. Without frames in the WAL (no
            # write got past the gate, and the last session closed cleanly) it writes
            # nothing, and a window closed at once need not wait for the whole file's read.
            self.gate.check.wait()
        self.checkpoints.close()
        self._release_held()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _wal_has_frames(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 32  # more than the WAL's header
    except OSError:
        return False


def open_database(data_dir: Path, *, lock: bool = True, check_behind: bool = False) -> Database:
    """Open (creating or upgrading) the collection in `data_dir`, holding its one-writer lock.

    `check_behind`: do not wait for the integrity check's verdict unless something must be
    written now (an upgrade, a repair); writes wait for it instead (`storage.write_gate`).
    """
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CollectionUnwritable(
            f"Cannot create the data directory {data_dir}: {exc.strerror}."
        ) from exc
    path = data_dir / DB_NAME
    file_lock = _acquire_lock(data_dir) if lock else None
    try:
        gate = _gate_for(path) if check_behind else None
        version = _check_existing(path) if gate is None else _version_if_current(path, gate)
        if 0 < version < SCHEMA_VERSION:
            _backup_before_upgrade(path, version)
        engine = _make_engine(path)
        if gate is not None:
            _install_gate(engine, gate)
        try:
            if gate is None or version != SCHEMA_VERSION or _needs_repair(engine):
                if gate is not None:
                    _raise_if_failed(gate)
                _create_schema(engine)
        except OperationalError as exc:
            engine.dispose()
            raise unwritable_error(path, exc) from exc
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if file_lock is not None:
            file_lock.release()
        raise
    return Database(path=path, engine=engine, lock=file_lock, gate=gate)


def _gate_for(path: Path) -> WriteGate | None:
    """A gate on the check of an existing file; None for a new one (nothing to check)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    return WriteGate(early_check.take(path))


def _version_if_current(path: Path, gate: WriteGate) -> int:
    """The file's schema version, read from its first page without waiting for the check,
    unless an upgrade is due: then the verdict first (a damaged file is never upgraded)."""
    _refuse_if_not_sqlite(path)
    try:
        version = snapshots.schema_version(path)
    except sqlite3.DatabaseError as exc:
        raise CollectionCorrupt(f"{path} is damaged: {exc}.") from exc
    _refuse_if_newer(path, version)
    if version != SCHEMA_VERSION:
        _raise_if_failed(gate)
    return version


def _refuse_if_not_sqlite(path: Path) -> None:
    with path.open("rb") as f:
        if f.read(16) != _SQLITE_MAGIC:
            raise CollectionCorrupt(f"{path} is not a quizapp collection (not an SQLite database).")


def _refuse_if_newer(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise CollectionTooNew(
            f"{path} was written by a newer quizapp (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}). Update quizapp; the file has not been changed."
        )


def _raise_if_failed(gate: WriteGate) -> None:
    verdict = gate.verdict()
    if verdict is not None:
        raise CollectionCorrupt(verdict)


def _needs_repair(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return migrations.needs_repair(conn)
    except DatabaseError as exc:
        raise CollectionCorrupt(f"{engine.url.database} is damaged: {exc.orig}.") from exc


def _acquire_lock(data_dir: Path) -> FileLock:
    file_lock = FileLock(str(data_dir / LOCK_NAME), timeout=0)
    try:
        file_lock.acquire()
    except Timeout as exc:
        raise CollectionLocked(
            f"Another quizapp is already using {data_dir}. Close it first, or start this one "
            "with another --data-dir."
        ) from exc
    except OSError as exc:
        raise CollectionUnwritable(
            f"Cannot write to {data_dir}: {exc.strerror}. quizapp keeps its collection there; "
            "make it writable or start with another --data-dir. Nothing was changed."
        ) from exc
    return file_lock


def _check_existing(path: Path) -> int:
    """The schema version of the existing file (0 if none); raises if it must not be opened."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    _refuse_if_not_sqlite(path)
    try:
        version, check = early_check.result(path)
    except sqlite3.DatabaseError as exc:
        raise CollectionCorrupt(f"{path} is damaged: {exc}.") from exc
    _refuse_if_newer(path, version)
    if check != "ok":
        raise CollectionCorrupt(f"{path} is damaged: {check}.")
    return int(version)


def _backup_before_upgrade(path: Path, version: int) -> None:
    """A consistent copy of the collection as this older schema, before the upgrade touches it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = snapshots.new_backup_path(path.parent, f"before-upgrade-from-{version}", stamp)
    try:
        snapshots.copy_database(path, target)
    except (OSError, sqlite3.Error) as exc:
        raise CollectionUnwritable(
            f"Cannot back up {path} before upgrading it ({exc}); it has not been changed. "
            "Free some disk space and start quizapp again."
        ) from exc


_UNWRITABLE_HINTS = {
    "full": "the disk is full. Free some space",
    "readonly": "the disk or file is read-only. Make it writable",
    "read-only": "the disk or file is read-only. Make it writable",
    "i/o": "the disk reported an I/O error (it may be full, removed or failing). Check it",
    "unable to open": "the file cannot be opened for writing. Check the folder's permissions",
}


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.rollback()


def unwritable_error(
    path: Path, exc: OperationalError | sqlite3.OperationalError
) -> CollectionError:
    """What to tell the learner about a write SQLite refused; a bug stays a bug."""
    message = str(exc.orig if isinstance(exc, OperationalError) else exc).lower()
    for key, hint in _UNWRITABLE_HINTS.items():
        if key in message:
            return CollectionUnwritable(
                f"Cannot save to {path}: {hint}, then try again. Everything saved before "
                "is kept; the last change was not saved."
            )
    if "locked" in message or "busy" in message:
        return CollectionLocked(f"{path} is busy in another program; the change was not saved.")
    raise exc


def _make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 5})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL + synchronous=NORMAL survives an application crash or kill with every
        # committed transaction intact; only a power cut can lose the last few.
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 32 MiB of page cache (SQLite's default is 2 MiB), taken only as pages are read: a
        # bulk import touches random leaves of the uuid and FTS indexes of a 200 MB file.
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: Any, record: Any) -> None:
        # A connection whose commit skipped the checkpoint (`repo.defer_checkpoint`) gets
        # SQLite's own back before anything else uses it.
        before = record.info.pop("autocheckpoint_before", None)
        if before is not None and dbapi_conn is not None:
            dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={int(before)}")

    return engine


def _install_gate(engine: Engine, gate: WriteGate) -> None:
    """Every connection of `engine` asks `gate` before it prepares a write (storage.write_gate).

    Registered after `_make_engine`'s own connect listener, so its pragmas run ungated.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        if not gate.passed:
            dbapi_conn.set_authorizer(gate.authorize)
            record.info["gated"] = True

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # Once the check has passed, the authorizer comes off: SQLite would otherwise
        # call into Python for every statement it prepares, for the whole session.
        if record.info.get("gated") and gate.passed:
            dbapi_conn.set_authorizer(None)
            record.info["gated"] = False


def _create_schema(engine: Engine) -> None:
    """Run the migration steps this file has not had yet, all in one transaction."""
    with engine.connect() as conn:
        # pysqlite would otherwise commit before DDL; BEGIN IMMEDIATE makes every step and
        # the version bump one transaction that a crash rolls back whole.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
            if version < SCHEMA_VERSION:
                migrations.upgrade(conn, version)
            migrations.repair(conn)
            conn.exec_driver_sql("COMMIT")
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise


def restore_into(db: Database, source: Path) -> None:
    """Replace the open collection's contents with the database `source`, then upgrade it.

    The copy goes through SQLite's backup API into the live file (one transaction), so the
    WAL stays consistent; the caller has taken a backup of the current state first.
    """
    _refuse_unusable_backup(source)
    db._release_held()
    db.engine.dispose()
    try:
        snapshots.copy_into(source, db.path)
        _create_schema(db.engine)
    except OperationalError as exc:
        raise unwritable_error(db.path, exc) from exc
    except sqlite3.Error as exc:
        raise CollectionUnwritable(f"Cannot restore into {db.path}: {exc}.") from exc


def replace_damaged(data_dir: Path, source: Path) -> Path:
    """Put the backup `source` in place of a damaged collection that cannot be opened.

    The damaged file (and its -wal/-shm) is moved aside, never deleted or overwritten, so
    nothing is lost even if the learner later wants it examined. Returns where it went.
    """
    _refuse_unusable_backup(source)
    file_lock = _acquire_lock(data_dir)
    try:
        path = data_dir / DB_NAME
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{DB_NAME}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{path}{suffix}")
            if part.exists():
                part.replace(Path(f"{aside}{suffix}"))
        snapshots.copy_database(source, path)
        return aside
    finally:
        file_lock.release()


def _refuse_unusable_backup(source: Path) -> None:
    check = snapshots.integrity(source, quick=True)
    if check != "ok":
        raise CollectionCorrupt(f"The backup {source.name} is damaged too: {check}.")
    if snapshots.schema_version(source) > SCHEMA_VERSION:
        raise CollectionTooNew(f"The backup {source.name} was written by a newer quizapp.")
