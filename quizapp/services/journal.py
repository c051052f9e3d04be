"""A sync folder's files: each device's journal, appended to by that device alone.

Layout: `DIR/<device id>/journal-000001.jsonl`, `journal-000002.jsonl`, … (one event per
line, `core.sync_events`; a new file every `EVENTS_PER_FILE` events, so a file-sync engine
re-sends a small file, not a year of study) and, after compaction, `snapshot-<n>.jsonl`:
the device's events up to the end of journal n-1, compacted, which replaces those files.

Nothing here assumes a file is whole. A device may read another's journal while the
file-sync engine is still copying it: only complete lines are read (a torn last line is
left for the next time), and the reader takes events in sequence order without gaps, so
a missing or half-copied file stops that device's events where they are complete instead
of skipping some. A snapshot counts only once its closing line (`{"end": count}`) is there.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson

from quizapp.core.hlc import ZERO, Hlc
from quizapp.core.shown import shown
from quizapp.core.sync_answers import decode_answers
from quizapp.core.sync_events import MAX_SEQ, TYPES, Event, compact, first_bad, well_formed

EVENTS_PER_FILE = 10_000
_SEQ = itemgetter("s")
COMPACT_AFTER_FILES = 4
"""Closed journal files of its own a device lets pile up before it writes a snapshot."""

_JOURNAL = re.compile(r"journal-(\d{6,})\.jsonl")
_SNAPSHOT = re.compile(r"snapshot-(\d{6,})\.jsonl")
_DEVICE = re.compile(r"[0-9a-f]{32}")


def journal_name(n: int) -> str:
    return f"journal-{n:06d}.jsonl"


def snapshot_name(n: int) -> str:
    return f"snapshot-{n:06d}.jsonl"


@dataclass(frozen=True)
class Cursor:
    """How far this collection has taken one device's events."""

    seq: int = 0
    file: str = ""
    offset: int = 0
    """Bytes of `file` read (up to the end of its last complete line)."""

    def to_json(self) -> list[Any]:
        return [self.seq, self.file, self.offset]

    @staticmethod
    def from_json(value: Any) -> Cursor:
        try:
            seq, file, offset = value
            return Cursor(int(seq), str(file), int(offset))
        except (TypeError, ValueError):
            return Cursor()


@dataclass(frozen=True)
class Files:
    journals: list[tuple[int, str]]
    snapshots: list[tuple[int, str]]


def devices(folder: Path) -> list[str]:
    """The device ids that have a directory in the folder (other files are left alone)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone, not a directory, unreadable: nothing to read now
        return []
    return sorted(e.name for e in entries if e.is_dir() and _DEVICE.fullmatch(e.name))


def list_files(directory: Path) -> Files:
    journals: list[tuple[int, str]] = []
    snapshots: list[tuple[int, str]] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return Files([], [])
    for entry in entries:
        if m := _JOURNAL.fullmatch(entry.name):
            journals.append((int(m.group(1)), entry.name))
        elif m := _SNAPSHOT.fullmatch(entry.name):
            snapshots.append((int(m.group(1)), entry.name))
    return Files(sorted(journals), sorted(snapshots))


class BadLine(Exception):
    """A complete line of another device's journal that cannot be merged: not JSON, or an
    event whose ids, numbers or strings are out of their bounds (`sync_events.event_problem`).
    The message names the file and the line; nothing of that device is merged meanwhile."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"{shown(str(path))}:{line}: {shown(problem)}")
        self.path = path
        self.line = line


def _line_number(path: Path, offset: int, pos: int, data: bytes) -> int:
    """The 1-based number of the line starting at `offset + pos` (read only on an error)."""
    with open(path, "rb") as f:
        before = f.read(offset).count(b"\n")
    return before + data.count(b"\n", 0, pos) + 1


def read_complete(
    path: Path, offset: int = 0, *, strict: bool = False
) -> tuple[list[Event], int, bool]:
    """The events on the complete lines after `offset`, the offset after them, and whether
    the file ended there (False: a torn line, or an event of a newer quizapp, follows, to
    be read later).

    `strict` (another device's file): every event is held to its bounds, and a complete
    line that is not JSON or not a valid event raises `BadLine`. A device's own file is
    read by shape only: this device wrote it, and cuts a torn tail off it.
    """
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return [], offset, False
    end = data.rfind(b"\n") + 1
    if end:
        # One parse for the whole run of complete lines (a year of study is 200,000 lines;
        # a parse per line costs twice as much); line by line only to find a bad one.
        lines = data.count(b"\n", 0, end)
        if strict:
            # Another device's run of answers (nearly all of a year) parsed and held to
            # their bounds at once; anything else goes the general way below.
            answers = decode_answers(memoryview(data)[:end])
            if answers is not None and len(answers) == lines:
                return answers, offset + end, end == len(data)
        array = b"[" + data[: end - 1].replace(b"\n", b",") + b"]"
        try:
            whole = orjson.loads(array)
        except orjson.JSONDecodeError:
            whole = None
        if isinstance(whole, list) and len(whole) == lines:
            if not strict and _all_well_formed(whole):
                return whole, offset + end, end == len(data)
            if strict and first_bad(whole) is None:
                return whole, offset + end, end == len(data)
    events: list[Event] = []
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            return events, offset + pos, False
        try:
            event = orjson.loads(data[pos:end])
        except orjson.JSONDecodeError as exc:
            if strict:
                raise BadLine(
                    path, _line_number(path, offset, pos, data), f"not a journal line ({exc})"
                ) from None
            return events, offset + pos, False
        if not well_formed(event):
            if strict and not (isinstance(event, dict) and _unknown_type(event.get("t"))):
                raise BadLine(
                    path, _line_number(path, offset, pos, data), "not an event of this journal"
                )
            return events, offset + pos, False  # a newer quizapp's event: wait for an upgrade
        if strict:
            found = first_bad([event])
            if found is not None:
                raise BadLine(path, _line_number(path, offset, pos, data), found[1])
        events.append(event)
        pos = end + 1
    return events, offset + pos, True


def _unknown_type(t: object) -> bool:
    """Whether `t` names a type of event this version does not know (a newer quizapp's,
    to wait for); a `t` that is no name at all (a list, an object) is a bad line."""
    return type(t) is str and t not in TYPES


def _all_well_formed(events: list[Any]) -> bool:
    """`well_formed` for each, with answers (nearly all of a year) checked inline."""
    for e in events:
        if (
            type(e) is dict
            and e.get("t") == "review"
            and type(e.get("s")) is int
            and type(e.get("h")) is str
            and "o" in e
            and "c" in e
            and "r" in e
        ):
            continue
        if not well_formed(e):
            return False
    return True


def _first_seq(path: Path) -> int | None:
    try:
        with open(path, "rb") as f:
            line = f.readline()
    except FileNotFoundError:
        return None
    if not line.endswith(b"\n"):
        return None
    try:
        event = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return event["s"] if well_formed(event) else None


def read_snapshot(path: Path, *, strict: bool = False) -> tuple[int, list[Event]] | None:
    """(the last sequence number it covers, its events), or None while incomplete;
    `strict` as for `read_complete`."""
    try:
        lines = path.read_bytes().split(b"\n")
    except FileNotFoundError:
        return None
    if len(lines) < 3 or lines[-1] != b"":
        return None
    try:
        head, tail = orjson.loads(lines[0]), orjson.loads(lines[-2])
    except orjson.JSONDecodeError:
        return None
    if not isinstance(head, dict) or not isinstance(tail, dict):
        return None
    if tail.get("end") != len(lines) - 3:
        return None  # not complete yet
    events: list[Event] = []
    for number, line in enumerate(lines[1:-2], 2):
        try:
            event = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            if strict:
                raise BadLine(path, number, f"not a journal line ({exc})") from None
            return None
        if strict and (found := first_bad([event])) is not None:
            raise BadLine(path, number, found[1] or "not an event of this journal")
        if not well_formed(event):
            return None
        events.append(event)
    upto = head.get("upto")
    return (upto, events) if type(upto) is int and 0 <= upto <= MAX_SEQ else None


def read_device(
    directory: Path, cursor: Cursor, *, strict: bool = False
) -> tuple[list[Event], Cursor]:
    """A device's events after `cursor`, in sequence order and without gaps (`strict`:
    another device's, held to their bounds; `BadLine` names a line that is not).

    The usual case is cheap: the cursor names the file and offset read last time, so a
    device with nothing new costs one `open` and an empty read. When that file is gone
    (compacted) or there is none yet, reading starts at the journal holding the next
    sequence number, after the newest whole snapshot if the journals no longer reach
    back that far.
    """
    files = list_files(directory)
    names = [name for _, name in files.journals]
    seq = cursor.seq
    events: list[Event] = []
    if cursor.file in names:
        start, offset = names.index(cursor.file), cursor.offset
    else:
        offset = 0
        firsts = [_first_seq(directory / name) for name in names]
        start = _holding(firsts, seq)
        if start < 0:
            for _, name in reversed(files.snapshots):
                snap = read_snapshot(directory / name, strict=strict)
                if snap is None or snap[0] <= seq:
                    continue
                events.extend(e for e in snap[1] if e["s"] > seq)
                seq = snap[0]
                start = _holding(firsts, seq)
                break
        if start < 0:
            if strict:
                # No journal starts where reading must: a first line that is bad (not one
                # torn mid-copy, nor a newer quizapp's) would hold this device back silently.
                for name, first in zip(names, firsts, strict=True):
                    if first is None:
                        read_complete(directory / name, 0, strict=True)
            return events, Cursor(seq, "", 0)
    file, position = names[start], offset
    for index in range(start, len(names)):
        name = names[index]
        got, end, whole = read_complete(
            directory / name, offset if index == start else 0, strict=strict
        )
        before, seq_before = len(events), seq
        if list(map(_SEQ, got)) == list(range(seq + 1, seq + 1 + len(got))):
            # The usual file: every event the next one (a check in C, not a loop here).
            events.extend(got)
            seq += len(got)
            got = []
        for event in got:
            s = event["s"]
            if s <= seq:
                continue
            if s != seq + 1:
                # A gap: a file between is not here yet. Keep only what came before it.
                del events[before:]
                return events, Cursor(seq_before, file, position)
            events.append(event)
            seq = s
        file, position = name, end
        if not whole:
            break  # torn or half-copied: the rest is read next time
    return events, Cursor(seq, file, position)


def _holding(firsts: list[int | None], seq: int) -> int:
    """The index of the last journal starting at or before `seq + 1`, or -1."""
    found = -1
    for index, first in enumerate(firsts):
        if first is not None and first <= seq + 1:
            found = index
    return found


class Writer:
    """This device's end of the folder: appends events, fsync'ed, to its newest journal."""

    def __init__(self, folder: Path, device: str) -> None:
        self.directory = folder / device
        self.directory.mkdir(parents=True, exist_ok=True)
        files = list_files(self.directory)
        self.number = files.journals[-1][0] if files.journals else 1
        self.seq = 0
        self.count = 0
        self.last_hlc = ZERO
        self._resume(files)

    @property
    def path(self) -> Path:
        return self.directory / journal_name(self.number)

    def _resume(self, files: Files) -> None:
        """Pick up after the last complete event; a torn tail (a crash mid-write) is cut off,
        which only this device may do, since the file is its own."""
        for _, name in reversed(files.journals):
            events, end, _whole = read_complete(self.directory / name)
            if name == journal_name(self.number):
                self.count = len(events)
                path = self.directory / name
                if path.stat().st_size != end:
                    with open(path, "r+b") as f:
                        f.truncate(end)
                        os.fsync(f.fileno())
            if events:
                self.seq = events[-1]["s"]
                self.last_hlc = Hlc.parse(max(e["h"] for e in events))
                return
        for _, name in reversed(files.snapshots):
            snap = read_snapshot(self.directory / name)
            if snap is not None:
                self.seq = snap[0]
                if snap[1]:
                    self.last_hlc = Hlc.parse(max(e["h"] for e in snap[1]))
                return

    def append(self, events: Iterable[Event]) -> int:
        """Number the events, write them and fsync; returns how many.

        All or nothing: a write the disk refuses is cut back off the file and the numbers
        are not used, so a retry continues without a gap or a torn line in the middle.
        """
        batch = list(events)
        if not batch:
            return 0
        if self.count >= EVENTS_PER_FILE:
            self.rotate()
        lines = []
        for seq, event in enumerate(batch, self.seq + 1):
            event["s"] = seq
            lines.append(orjson.dumps(event))
        data = b"\n".join(lines) + b"\n"
        with open(self.path, "ab") as f:
            start = f.tell()
            try:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            except OSError:
                with contextlib.suppress(OSError):
                    f.truncate(start)
                raise
        self.seq += len(batch)
        self.count += len(batch)
        return len(batch)

    def rotate(self) -> None:
        self.number += 1
        self.count = 0

    def compact(self, force: bool = False) -> Path | None:
        """Replace the closed journals by one snapshot of their events (last one per key).

        Starts a new journal first, so the snapshot covers every file before it; files
        are only deleted once the snapshot is complete on disk.
        """
        files = list_files(self.directory)
        closed = [(n, name) for n, name in files.journals if n < self.number]
        if len(closed) < COMPACT_AFTER_FILES and not force:
            return None
        if self.count > 0:
            self.rotate()
        files = list_files(self.directory)
        closed = [(n, name) for n, name in files.journals if n < self.number]
        if not closed:
            return None
        events: list[Event] = []
        base = 0
        for _, name in reversed(files.snapshots):
            snap = read_snapshot(self.directory / name)
            if snap is not None:
                base, events = snap[0], list(snap[1])
                break
        for _, name in closed:
            got, _end, _whole = read_complete(self.directory / name)
            events.extend(e for e in got if e["s"] > base)
        upto = max([base, *(e["s"] for e in events)])
        kept = compact(events)
        target = self.directory / snapshot_name(self.number)
        temporary = self.directory / f".{snapshot_name(self.number)}.tmp"
        lines = [json.dumps({"snapshot": 1, "upto": upto})]
        lines += [json.dumps(e, separators=(",", ":"), ensure_ascii=False) for e in kept]
        lines.append(json.dumps({"end": len(kept)}))
        with open(temporary, "wb") as f:
            f.write(("\n".join(lines) + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        for _, name in closed:
            (self.directory / name).unlink(missing_ok=True)
        for _, name in files.snapshots:
            if name != target.name:
                (self.directory / name).unlink(missing_ok=True)
        return target


def locate(directory: Path, seq: int) -> tuple[Path, int]:
    """The file and 1-based line holding a device's event `seq` (for a message)."""
    files = list_files(directory)
    for _, name in [*reversed(files.journals), *reversed(files.snapshots)]:
        try:
            lines = (directory / name).read_bytes().split(b"\n")
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            try:
                event = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(event, dict) and event.get("s") == seq and "t" in event:
                return directory / name, number
    return directory, 0


def folder_bytes(directory: Path) -> int:
    try:
        return sum(e.stat().st_size for e in os.scandir(directory) if e.is_file())
    except OSError:
        return 0


def last_seq(directory: Path) -> int:
    """The sequence number of a device's last complete event in the folder."""
    files = list_files(directory)
    for _, name in reversed(files.journals):
        events, _end, _whole = read_complete(directory / name)
        if events:
            return int(events[-1]["s"])
    for _, name in reversed(files.snapshots):
        snap = read_snapshot(directory / name)
        if snap is not None:
            return snap[0]
    return 0
