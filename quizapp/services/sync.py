"""Sync through a folder: every machine a learner uses, with no server and no conflicts.

The learner's machines share a folder that something else keeps in sync (Syncthing,
Dropbox, a network share, git). Each device appends what it does to journal files of its
own in that folder (`services.journal`), never touching another device's, so the engine
underneath never sees two writers of one file. Merging reads the others' journals and
applies their events, in clock order, as one operation:

- answers are a union by origin key (`<device id>:<its row id>`): never lost, however
  often, in whatever order and with whatever delay devices sync;
- a card's content, a deck, a suspension and each setting are last-writer-wins by hybrid
  logical clock (`core.hlc`); content that loses is kept in `sync_card_history`; a delete
  wins over an older edit and loses to a newer one;
- then every card whose answers (or reset) changed gets its schedule recomputed from its
  whole merged log, answer by answer through `core.review.review_card` (what answering
  does), so the schedule is a function of the merged log and every device ends with the
  same one, whoever answered first.

The journal is written by a listener on the collection (`Journal.on_changes`): every
committed operation publishes a `Changes`, and the listener reads the rows it names and
appends their current state. It never writes for the merge's own operation.

See docs/sync.md for the guarantees and what this does not do.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import uuid as uuid_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.core.changes import Changes
from quizapp.core.hlc import Hlc
from quizapp.core.settings import settings_from_dict
from quizapp.core.shown import shown
from quizapp.core.sync_events import (
    CARD,
    CARD_DELETED,
    INTERVIEW,
    QUESTION_SET,
    Event,
    history_cards,
    of_types,
)
from quizapp.core.wording import count
from quizapp.services import backup, journal, ops
from quizapp.services.collection import Collection
from quizapp.services.sync_listener import CLOCK_KEY, SYNC_LABEL, Journal, spec_values
from quizapp.services.sync_merge import Merge, SyncReport, card_problem
from quizapp.storage import repo, sync_history_rows, sync_rows

__all__ = [
    "SYNC_LABEL",
    "Journal",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "attach",
    "choose_folder",
    "detach",
    "device_id",
    "status",
    "sync",
    "sync_folder",
]

DEVICE_KEY = "sync_device"
FOLDER_KEY = "sync_folder"
CURSORS_KEY = "sync_cursors"


BIG_MERGE = 10_000
"""Events from other devices above which a merge skips the foreign-key lookups of the
answers it inserts (`sync_rows.pause_foreign_keys`) and leaves its commit's WAL checkpoint
to the thread behind it (`repo.defer_checkpoint`)."""

_journals: dict[int, Journal] = {}
_journals_lock = threading.Lock()
_merge_locks: dict[int, threading.Lock] = {}


class SyncError(Exception):
    """No folder chosen, or the folder cannot be used; nothing was merged."""


# --- the device and its folder -------------------------------------------------------------


def sync_folder(col: Collection) -> Path | None:
    with col.db.session() as session:
        value = repo.get_setting(FOLDER_KEY, session=session)
    return Path(value) if isinstance(value, str) and value else None


def device_id(col: Collection) -> str | None:
    with col.db.session() as session:
        value = repo.get_setting(DEVICE_KEY, session=session)
    return value if isinstance(value, str) else None


def choose_folder(col: Collection, folder: Path) -> Journal:
    """Sync through `folder` from now on: this device's id is made on first use, and its
    whole collection goes into its journal if the folder has none of it yet (joining
    merges: both sides keep everything; see `Journal.join`)."""
    folder = folder.expanduser().resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SyncError(f"cannot use {folder}: {exc.strerror or exc}") from exc

    def write(op: ops.Op) -> None:
        if not isinstance(repo.get_setting(DEVICE_KEY, session=op.session), str):
            repo.put_setting(DEVICE_KEY, uuid_module.uuid4().hex, session=op.session)
        repo.put_setting(FOLDER_KEY, str(folder), session=op.session)

    detach(col)
    ops.run(col, SYNC_LABEL, write)
    found = attach(col)
    assert found is not None
    return found


def attach(col: Collection) -> Journal | None:
    """Start journaling this collection's operations, if the learner chose a folder.

    Called when the collection opens (the window, the command line); idempotent.
    """
    with _journals_lock:
        found = _journals.get(id(col))
    if found is not None:
        return found
    folder, device = sync_folder(col), device_id(col)
    if folder is None or device is None:
        return None
    new = Journal(col, folder, device)
    new.start()
    with _journals_lock:
        _journals[id(col)] = new
    return new


def detach(col: Collection) -> None:
    with _journals_lock:
        found = _journals.pop(id(col), None)
    if found is not None:
        found.stop()


def sync(col: Collection, folder: Path | None = None, *, compact: bool | None = None) -> SyncReport:
    """Merge every other device's new events from the folder (the chosen one by default;
    a new `folder` is chosen first). One operation: all of it or none of it.

    Merges of one collection take turns (the window's timer and its close may overlap):
    each reads the cursors the last one committed.
    """
    with _journals_lock:
        lock = _merge_locks.setdefault(id(col), threading.Lock())
    with lock, _no_cycle_collection():
        return _sync(col, folder, compact)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A big merge holds millions of small objects (a year of parsed events) and makes
    hundreds of thousands more: the cyclic collector would walk all of them again and again
    (~0.7 s of a 5 s merge). None of them form cycles, so reference counting frees them;
    the collector (for the whole process, for the seconds a merge takes) resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sync(col: Collection, folder: Path | None, compact: bool | None) -> SyncReport:
    started = time.perf_counter()
    chosen = sync_folder(col)
    if folder is not None and (chosen is None or folder.expanduser().resolve() != chosen):
        choose_folder(col, folder)
    found = attach(col)
    if found is None:
        raise SyncError("no sync folder chosen (quizapp sync DIR, or File → Sync folder…)")
    found.flush()
    device, folder = found.device, found.folder
    if not folder.is_dir():
        raise SyncError(f"the sync folder {folder} is not there (a disconnected drive?)")
    with col.db.session() as session:
        stored = repo.get_setting(CURSORS_KEY, session=session)
    cursors = {
        d: journal.Cursor.from_json(v)
        for d, v in (stored.items() if isinstance(stored, dict) else ())
    }
    own, own_cursor = journal.read_device(folder / device, cursors.get(device, journal.Cursor()))
    remote: list[Event] = []
    report = SyncReport(folder, device)
    report.lap()
    new_cursors = dict(cursors)
    new_cursors[device] = own_cursor
    read: dict[str, tuple[list[Event], journal.Cursor]] = {}
    for other in journal.devices(folder):
        if other == device:
            continue
        try:
            read[other] = read_other(folder, other, cursors.get(other, journal.Cursor()))
        except journal.BadLine as exc:
            report.warnings.append(f"device {other}: {exc}")
            continue  # none of its new events, its cursor where it was: read again next time
    with col.db.session() as session:
        unknown = unknown_cards(folder, read, own, session=session)
    for other, problem in unknown.items():
        report.warnings.append(f"device {other}: {problem}")
        del read[other]
    for other, (events, cursor) in read.items():
        report.events[other] = len(events)
        remote.extend(events)
        new_cursors[other] = cursor
    report.lap("read")
    if not own and not remote and new_cursors == cursors:
        report.seconds = time.perf_counter() - started
        return report
    backed_up: Callable[[], backup.BackupInfo] | None = None
    if remote:
        with col.db.session() as session:
            holds_anything = sync_rows.holds_cards_or_answers(session=session)
        if holds_anything:
            # The copy (0.1 s of a 100,000-card collection, its sync half of it) runs on
            # another core while the merge works in Python; the merge commits only once
            # it is done, and not at all if it failed.
            backed_up = backup.take_backup_behind(col, "before-sync")
    merge = Merge(col, folder, device, own, remote, report)
    big = len(remote) > BIG_MERGE

    def write(op: ops.Op) -> Changes:
        if big and not merge.deletes_cards:
            sync_rows.pause_foreign_keys(session=op.session)
        if big:
            # The connection's own 32 MiB page cache, not a bigger one: 256 MiB took 77 MiB
            # more at the peak of a year's merge (230 MiB more over 1,000,000 older
            # answers) for no time saved (docs/sync.md, "Sizes and speed").
            # The commit's checkpoint copied ~57 MB of WAL into the file and synced it
            # twice before the merge returned (0.25 s of a year's merge): the thread that
            # checkpoints behind answers runs it instead. The WAL holds the commit as safely.
            repo.defer_checkpoint(op.session)
        changes = merge.apply(op.session)
        repo.put_setting(
            CURSORS_KEY, {d: c.to_json() for d, c in new_cursors.items()}, session=op.session
        )
        if merge.newest:
            repo.put_setting(CLOCK_KEY, merge.newest, session=op.session)
        op.changed(changes)
        report.lap("apply events")
        if backed_up is not None:
            report.backup = backed_up().id  # a merge never commits before its backup
            report.lap("backup")
        return changes

    try:
        changes = ops.run(col, SYNC_LABEL, write)
    finally:
        if backed_up is not None and not report.backup:
            with contextlib.suppress(Exception):
                backed_up()  # the merge failed: its backup's thread ends before it returns
    if big:
        col.db.checkpoints.soon()
    report.lap("commit")
    if merge.newest:
        found.clock.observe(Hlc.parse(merge.newest))
    if changes.settings:
        with col.db.session() as session:
            col.settings = settings_from_dict(repo.get_setting("settings", session=session))[0]
        found.settings_seen = spec_values(col.settings.to_dict())
    if remote:
        col.undo.clear()  # an undo step from before the merge would write over merged rows
    if found.writer is not None and (compact or compact is None):
        try:
            target = found.writer.compact(force=bool(compact))
        except OSError:
            target = None
        report.compacted = target.name if target is not None else ""
    report.seconds = time.perf_counter() - started
    return report


def read_other(
    folder: Path, other: str, cursor: journal.Cursor
) -> tuple[list[Event], journal.Cursor]:
    """Another device's new events, each held to its bounds (`journal.BadLine` otherwise):
    its journal comes from outside this machine."""
    events, after = journal.read_device(folder / other, cursor, strict=True)
    for event in events:
        if event["t"] == CARD and (problem := card_problem(event)) is not None:
            path, line = journal.locate(folder / other, event["s"])
            raise journal.BadLine(path, line, problem)
    return events, after


_NAMING = frozenset({QUESTION_SET, INTERVIEW})
_CARRYING = frozenset({CARD, CARD_DELETED})


def unknown_cards(
    folder: Path,
    read: dict[str, tuple[list[Event], journal.Cursor]],
    own: list[Event],
    *,
    session: Any,
) -> dict[str, journal.BadLine]:
    """Devices whose question set or interview names a card no one has: not here, never
    deleted here, in no card event (or deletion) of this merge. The device that ran the interview had
    the card, so its journal or another device's brings it; until then (or from a hostile
    device, for ever) the line is named and that device waits, as for any bad line."""
    # A card deleted counts (a compacted journal keeps only its deletion): its questions
    # are then left out, as a delete here leaves them out.
    carried = {
        e["c"]
        for events in (own, *(events for events, _ in read.values()))
        for e in of_types(events, _CARRYING)
    }
    # Of a year of answers, only the few question sets and interviews name cards.
    naming = {other: of_types(events, _NAMING) for other, (events, _) in read.items()}
    named = {c for events in naming.values() for e in events for c in history_cards(e)} - carried
    known = carried | sync_history_rows.known_cards(named, session=session)
    bad: dict[str, journal.BadLine] = {}
    for other, events in naming.items():
        for event in events:
            missing = [c for c in history_cards(event) if c not in known]
            if missing:
                path, line = journal.locate(folder / other, event["s"])
                what = "interview" if event["t"] == INTERVIEW else "question set"
                bad[other] = journal.BadLine(
                    path, line, f"the {what} names a card no device has ({missing[0]})"
                )
                break
    return bad


# --- status --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatus:
    device: str
    applied: int
    """Events of this device merged here (its sequence number)."""
    waiting: int
    """Complete events in the folder not merged yet."""
    bytes: int
    problem: str = ""
    """A line that stops its events from being merged (`journal.BadLine`), escaped."""


@dataclass(frozen=True)
class SyncStatus:
    folder: Path | None
    device: str | None
    own_events: int = 0
    own_bytes: int = 0
    pending: int = 0
    """Events this process could not write to the folder yet."""
    error: str = ""
    others: tuple[DeviceStatus, ...] = ()

    def lines(self) -> list[str]:
        if self.folder is None or self.device is None:
            return ["No sync folder chosen (quizapp sync DIR)."]
        out = [
            f"Sync folder: {shown(str(self.folder))}",
            f"This device: {self.device} ({count(self.own_events, 'event')}, "
            f"{self.own_bytes / 2**20:.1f} MiB)",
        ]
        if self.pending:
            waiting = count(self.pending, "event")
            out.append(f"  {waiting} waiting for the folder: {shown(self.error)}")
        for d in self.others:
            out.append(
                f"Device {d.device}: {count(d.applied, 'event')} merged, {d.waiting} waiting, "
                f"{d.bytes / 2**20:.1f} MiB"
            )
            if d.problem:
                out.append(f"  not merged until fixed: {d.problem}")
        return out


def status(col: Collection) -> SyncStatus:
    folder, device = sync_folder(col), device_id(col)
    if folder is None or device is None:
        return SyncStatus(folder, device)
    with col.db.session() as session:
        stored = repo.get_setting(CURSORS_KEY, session=session)
    cursors = {
        d: journal.Cursor.from_json(v)
        for d, v in (stored.items() if isinstance(stored, dict) else ())
    }
    with _journals_lock:
        found = _journals.get(id(col))
    read: dict[str, tuple[list[Event], journal.Cursor]] = {}
    problems: dict[str, str] = {}
    for other in journal.devices(folder):
        if other == device:
            continue
        cursor = cursors.get(other, journal.Cursor())
        try:
            read[other] = read_other(folder, other, cursor)
        except journal.BadLine as exc:
            problems[other] = str(exc)
    # A device whose interview names a card no one has waits at the merge: say so here too.
    with col.db.session() as session:
        for other, bad in unknown_cards(folder, read, [], session=session).items():
            problems[other] = str(bad)
    others = [
        DeviceStatus(
            other,
            cursors.get(other, journal.Cursor()).seq,
            0 if other in problems else len(read[other][0]),
            journal.folder_bytes(folder / other),
            problems.get(other, ""),
        )
        for other in sorted({*read, *problems})
    ]
    return SyncStatus(
        folder,
        device,
        own_events=journal.last_seq(folder / device),
        own_bytes=journal.folder_bytes(folder / device),
        pending=found.waiting() if found else 0,
        error=found.error if found else "",
        others=tuple(others),
    )
