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

import threading
import time
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.core import log_replay
from quizapp.core.changes import Changes
from quizapp.core.deck_options import options_from_json
from quizapp.core.hlc import Hlc, HlcClock, wall_ms
from quizapp.core.ids import CardUuid, DeckUuid
from quizapp.core.settings import SPECS, Settings, settings_from_dict
from quizapp.core.sync_events import (
    CARD,
    CARD_DELETED,
    CARD_FLAGS,
    CARD_RESET,
    DECK,
    DECK_DELETED,
    DELETES,
    REVIEW,
    REVIEW_DELETED,
    SETTING,
    Event,
    key,
)
from quizapp.services import answering, backup, journal, ops
from quizapp.services.collection import Collection
from quizapp.storage import repo, sync_rows
from quizapp.storage.codec import card_from_json
from quizapp.storage.sync_rows import DECK_COLUMNS

SYNC_LABEL = "Sync"
DEVICE_KEY = "sync_device"
FOLDER_KEY = "sync_folder"
CURSORS_KEY = "sync_cursors"
CLOCK_KEY = "sync_hlc"
"""The largest clock this collection has seen: a new process ticks past it."""

_FEW = 2000
"""More changed cards than this and the merge's `Changes` names none (views redraw all)."""

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


# --- the journal writer --------------------------------------------------------------------


class Journal:
    """This device's journal: a listener turning each `Changes` into events."""

    def __init__(self, col: Collection, folder: Path, device: str) -> None:
        self.col = col
        self.folder = folder
        self.device = device
        self.writer: journal.Writer | None = None
        self.clock = HlcClock(device)
        self.pending: list[Event] = []
        """Events the folder could not take (offline share): written with the next ones."""
        self.error = ""
        self._lock = threading.Lock()
        self._unlisten: Any = None
        self._settings_seen: dict[str, Any] = {}

    def start(self) -> None:
        with self.col.db.session() as session:
            stored = repo.get_setting(CLOCK_KEY, session=session)
            self._settings_seen = _spec_values(repo.get_setting("settings", session=session))
        joining = not (self.folder / self.device).exists()
        try:
            self.writer = journal.Writer(self.folder, self.device)
        except OSError as exc:
            self.error = str(exc)
        if self.writer is not None:
            self.clock.observe(self.writer.last_hlc)
        if isinstance(stored, str):
            self.clock.observe(Hlc.parse(stored))
        if joining and self.writer is not None:
            self.join()
        self._unlisten = self.col.listen(self.on_changes)

    def stop(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None

    def on_changes(self, changes: Changes) -> None:
        """Runs after the operation committed: a failure here must not look like the
        operation's own, so it is kept in `error` (shown by `quizapp sync --status`)."""
        if changes.label == SYNC_LABEL or changes.collection:
            return
        with self._lock:
            try:
                events = _events_for(self.col, changes, self.device, self._settings_seen)
            except Exception as exc:
                self.error = f"could not journal “{changes.label}”: {exc}"
                return
            self._emit(events)

    def join(self) -> int:
        """Everything this collection holds, as events from before any clock of a synced
        change (wall time 0): a device that never synced merges into the folder instead of
        overwriting it: its answers are added, and of a card both sides have, an edit made
        since syncing began wins over this state; two joining devices tie-break by id."""
        with self.col.db.session() as session:
            events = _whole_state(session, self.device)
        for counter, event in enumerate(events):
            event["h"] = Hlc(0, counter, self.device).text
        with self._lock:
            self._emit(events)
        return len(events)

    def flush(self) -> None:
        with self._lock:
            self._emit([])

    def _emit(self, events: list[Event]) -> None:
        now = int(self.col.now().timestamp() * 1000)
        for event in events:
            if "h" not in event:
                event["h"] = self.clock.tick(now).text
        self.pending.extend(events)
        if not self.pending:
            return
        try:
            if self.writer is None:
                self.writer = journal.Writer(self.folder, self.device)
            self.writer.append(self.pending)
        except OSError as exc:
            self.error = f"{self.folder}: {exc.strerror or exc}"
            return
        self.pending = []
        self.error = ""


def _spec_values(stored: object) -> dict[str, Any]:
    data = stored if isinstance(stored, dict) else {}
    return {spec.name: data.get(spec.name, spec.default) for spec in SPECS}


def _review_event(origin: str, card: str, values: list[Any]) -> Event:
    return {"t": REVIEW, "o": origin, "c": card, "r": values}


def _card_event(uuid: str, row: dict[str, Any]) -> Event:
    return {
        "t": CARD,
        "c": uuid,
        "d": row["deck"],
        "p": row["position"],
        "x": row["content"],
        "retired": row["retired"],
    }


def _deck_event(uuid: str, row: dict[str, Any]) -> Event:
    return {"t": DECK, "d": uuid, **{c: row[c] for c in DECK_COLUMNS}}


def _events_for(
    col: Collection, changes: Changes, device: str, settings_seen: dict[str, Any]
) -> list[Event]:
    """The current state of what `changes` names, as events (decks, cards, answers)."""
    events: list[Event] = []
    with col.db.session() as session:
        if changes.deck and changes.decks:
            found = sync_rows.deck_rows(changes.decks, session=session)
            for d in changes.decks:
                row = found.get(d)
                events.append({"t": DECK_DELETED, "d": d} if row is None else _deck_event(d, row))
        content: list[str] = list(changes.added)
        if changes.card:
            content += changes.updated
            if not changes.cards and changes.decks:
                # A bulk write (an import) that names its decks but not each card.
                content = sync_rows.deck_card_uuids(changes.decks, session=session)
        rows = sync_rows.card_rows(content, session=session)
        events.extend(_card_event(u, rows[u]) for u in dict.fromkeys(content) if u in rows)
        events.extend({"t": CARD_DELETED, "c": u} for u in changes.deleted)
        if changes.added:
            # A card that comes back with history (an undone delete) brings its answers back.
            ids = [rows[u]["id"] for u in changes.added if u in rows]
            for row_id, origin, card, values in sync_rows.reviews_of_cards(ids, session=session):
                events.append(_review_event(origin or f"{device}:{row_id}", card, values))
        if changes.answered:
            for row_id, origin, card, values in sync_rows.reviews_by_id(
                changes.answered, session=session
            ):
                events.append(_review_event(origin or f"{device}:{row_id}", card, values))
        for row_id in changes.answers_undone:
            undone: Event = {"t": REVIEW_DELETED, "o": f"{device}:{row_id}"}
            if len(changes.updated) == 1:
                undone["c"] = changes.updated[0]
            events.append(undone)
        if changes.schedule and not changes.answered and not changes.answers_undone:
            flagged = [u for u in changes.updated if u not in changes.added]
            states = sync_rows.card_rows(flagged, session=session)
            resetting = changes.label.startswith("Reset")
            for u in flagged:
                if u in states:
                    events.append({"t": CARD_FLAGS, "c": u, "suspended": states[u]["suspended"]})
                    if resetting:
                        events.append({"t": CARD_RESET, "c": u})
        if changes.settings:
            now = _spec_values(repo.get_setting("settings", session=session))
            for name, value in now.items():
                if settings_seen.get(name) != value:
                    events.append({"t": SETTING, "k": name, "v": value})
            settings_seen.clear()
            settings_seen.update(now)
    return events


def _whole_state(session: Any, device: str) -> list[Event]:
    events: list[Event] = []
    for uuid, row in sync_rows.deck_rows(session=session).items():
        events.append(_deck_event(uuid, row))
    for uuid, deck, position, content, retired in sync_rows.all_cards(session=session):
        row = {"deck": deck, "position": position, "content": content, "retired": retired}
        events.append(_card_event(uuid, row))
    for uuid in sync_rows.suspended_uuids(session=session):
        events.append({"t": CARD_FLAGS, "c": uuid, "suspended": True})
    for row_id, origin, card, values in sync_rows.all_reviews(session=session):
        events.append(_review_event(origin or f"{device}:{row_id}", card, values))
    stored = _spec_values(repo.get_setting("settings", session=session))
    for spec in SPECS:
        if stored[spec.name] != spec.default:
            events.append({"t": SETTING, "k": spec.name, "v": stored[spec.name]})
    return events


# --- merging -------------------------------------------------------------------------------


@dataclass
class SyncReport:
    folder: Path
    device: str
    events: dict[str, int] = field(default_factory=dict)
    """New events read per other device."""
    reviews_added: int = 0
    reviews_removed: int = 0
    cards_added: int = 0
    cards_changed: int = 0
    cards_deleted: int = 0
    decks_changed: int = 0
    settings_changed: int = 0
    kept_in_history: int = 0
    """Card contents that lost to a later edit, kept in `sync_card_history`."""
    rescheduled: int = 0
    backup: str = ""
    compacted: str = ""
    seconds: float = 0.0

    @property
    def merged(self) -> int:
        return sum(self.events.values())

    def lines(self) -> list[str]:
        if not self.merged:
            return [f"Nothing new in {self.folder} ({len(self.events)} other devices)."]
        out = [
            f"Merged {self.merged} events from {len(self.events)} other devices "
            f"in {self.seconds:.2f} s:"
        ]
        for label, n in (
            ("answers added", self.reviews_added),
            ("answers undone elsewhere", self.reviews_removed),
            ("cards added", self.cards_added),
            ("cards changed", self.cards_changed),
            ("cards deleted", self.cards_deleted),
            ("decks changed", self.decks_changed),
            ("settings changed", self.settings_changed),
            ("edits kept in history (a later edit won)", self.kept_in_history),
            ("cards rescheduled from their merged log", self.rescheduled),
        ):
            if n:
                out.append(f"  {n} {label}")
        if self.backup:
            out.append(f"  backup first: {self.backup}")
        if self.compacted:
            out.append(f"  this device's journal compacted into {self.compacted}")
        return out


def sync(col: Collection, folder: Path | None = None, *, compact: bool | None = None) -> SyncReport:
    """Merge every other device's new events from the folder (the chosen one by default;
    a new `folder` is chosen first). One operation: all of it or none of it.

    Merges of one collection take turns (the window's timer and its close may overlap):
    each reads the cursors the last one committed.
    """
    with _journals_lock:
        lock = _merge_locks.setdefault(id(col), threading.Lock())
    with lock:
        return _sync(col, folder, compact)


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
    new_cursors = dict(cursors)
    new_cursors[device] = own_cursor
    for other in journal.devices(folder):
        if other == device:
            continue
        events, cursor = journal.read_device(folder / other, cursors.get(other, journal.Cursor()))
        report.events[other] = len(events)
        remote.extend(events)
        new_cursors[other] = cursor
    if not own and not remote and new_cursors == cursors:
        report.seconds = time.perf_counter() - started
        return report
    if remote:
        with col.db.session() as session:
            cards, answers = sync_rows.card_counts(session=session)
        if cards or answers:
            report.backup = backup.take_backup(col, "before-sync").id
    merge = _Merge(col, folder, device, own, remote, report)

    def write(op: ops.Op) -> Changes:
        big = len(remote) > 10_000
        if big:
            sync_rows.use_big_cache(session=op.session)
        changes = merge.apply(op.session)
        if big:
            sync_rows.use_big_cache(session=op.session, on=False)
        repo.put_setting(
            CURSORS_KEY, {d: c.to_json() for d, c in new_cursors.items()}, session=op.session
        )
        if merge.newest:
            repo.put_setting(CLOCK_KEY, merge.newest, session=op.session)
        op.changed(changes)
        return changes

    changes = ops.run(col, SYNC_LABEL, write)
    if merge.newest:
        found.clock.observe(Hlc.parse(merge.newest))
    if changes.settings:
        with col.db.session() as session:
            col.settings = settings_from_dict(repo.get_setting("settings", session=session))[0]
        found._settings_seen = _spec_values(col.settings.to_dict())
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


def _log_time(ms: int) -> str:
    """A clock's wall time in the review log's text form, to compare with its times."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class _Merge:
    """One merge's work inside the sync operation's transaction."""

    def __init__(
        self,
        col: Collection,
        folder: Path,
        device: str,
        own: list[Event],
        remote: list[Event],
        report: SyncReport,
    ) -> None:
        self.col = col
        self.folder = folder
        self.device = device
        self.prefix = f"{device}:"
        self.own = own
        self.remote = sorted(remote, key=lambda e: e["h"])
        self.report = report
        self.newest = max((e["h"] for e in self.remote), default="")
        self.reschedule: set[str] = set()
        self.added: list[CardUuid] = []
        self.updated: list[CardUuid] = []
        self.deleted: list[CardUuid] = []
        self.decks: set[DeckUuid] = set()
        self.flags = {
            "card": False,
            "deck": False,
            "schedule": False,
            "settings": False,
            "history": False,
        }
        self._reschedule_ids: set[int] = set()
        self.resurrected: set[str] = set()
        self._known: dict[str, dict[str, Any]] = {}
        """Cards of this merge's card events: their row id (None: not inserted yet), deck
        and content, kept as the merge goes."""
        self._deck_ids: dict[str, int] = {}
        self._pending: dict[str, dict[str, Any]] = {}

    def apply(self, session: Any) -> Changes:
        other_keys = {key(e) for e in (*self.own, *self.remote) if e["t"] != REVIEW}
        clocks = sync_rows.clocks(other_keys, session=session)
        clocks.update(sync_rows.review_tombstones(session=session))
        dirty: dict[str, tuple[str, bool]] = {}

        # This device's own events are in the collection already: only their clocks count.
        for event in self.own:
            t, h = event["t"], event["h"]
            if t in (REVIEW, REVIEW_DELETED, CARD_RESET) and "c" in event:
                self.reschedule.add(event["c"])
            if t == REVIEW:
                continue  # an answer needs a clock only once undone (review_deleted)
            k = key(event)
            if k not in clocks or clocks[k][0] < h:
                clocks[k] = dirty[k] = (h, t in DELETES)

        reviews: dict[str, tuple[str, list[Any]]] = {}
        undone: set[str] = set()
        settings: dict[str, Any] = {}
        history: list[tuple[str, str, str]] = []
        undone_here = any(k.startswith("review:") for k in clocks)
        self._known = sync_rows.card_rows(
            (e["c"] for e in self.remote if e["t"] == CARD), session=session
        )
        self._deck_ids = {u: r["id"] for u, r in sync_rows.deck_rows(session=session).items()}
        for event in self.remote:
            t = event["t"]
            if t == REVIEW and not undone_here:
                # The bulk of a merge: no answer was ever undone, so no clock to compare.
                reviews[event["o"]] = (event["c"], event["r"])
                continue
            if t != CARD and self._pending:
                self._flush_cards(session)
            h = event["h"]
            k = "review:" + event["o"] if t == REVIEW else key(event)
            current = clocks.get(k)
            if current is not None and current[0] >= h:
                if t == CARD:
                    history.append((event["c"], h, event["x"]))
                continue
            if t != REVIEW or current is not None:
                clocks[k] = dirty[k] = (h, t in DELETES)
            if t == REVIEW:
                reviews[event["o"]] = (event["c"], event["r"])
            elif t == REVIEW_DELETED:
                reviews.pop(event["o"], None)
                undone.add(event["o"])
                undone_here = True
            elif t == CARD:
                if current is not None and current[1]:
                    self.resurrected.add(event["c"])  # deleted, and a later edit brings it back
                replaced = self._card(session, event)
                if replaced is not None:
                    history.append((event["c"], current[0] if current else "", replaced))
            elif t == CARD_DELETED:
                self._delete_cards(session, [event["c"]], reviews)
            elif t == CARD_FLAGS:
                ids = sync_rows.card_ids([event["c"]], session=session)
                if ids:
                    sync_rows.set_suspended(
                        [(bool(event["suspended"]), ids[event["c"]])], session=session
                    )
                    self.updated.append(CardUuid(event["c"]))
                    self.flags["schedule"] = True
            elif t == CARD_RESET:
                self.reschedule.add(event["c"])
            elif t == DECK:
                self._deck(session, event)
            elif t == DECK_DELETED:
                self._delete_deck(session, event["d"], reviews)
            elif t == SETTING:
                settings[event["k"]] = event["v"]
        self._flush_cards(session)
        sync_rows.put_clocks(((k, h, d) for k, (h, d) in dirty.items()), session=session)
        now = sync_rows.card_rows({c for c, _, _ in history}, session=session)
        self.report.kept_in_history = sync_rows.add_history(
            ((c, h, x) for c, h, x in history if c not in now or now[c]["content"] != x),
            session=session,
        )
        gone = sync_rows.delete_reviews(sorted(undone), self.prefix, session=session)
        self.report.reviews_removed = len(gone)
        sync_rows.drop_held(undone, session=session)
        if self.added:
            # Answers that came before their card (another device's journal was carried
            # here before the one that made the card) were held; now they have a card.
            for origin, card, values in sync_rows.take_held(self.added, session=session):
                reviews.setdefault(origin, (card, values))
        if self.resurrected:
            reviews.update(self._answers_of(self.resurrected))
        with_card = sync_rows.card_ids({c for c, _ in reviews.values()}, session=session)
        rescheduled = {
            *sync_rows.card_ids(self.reschedule, session=session).values(),
            *gone.values(),
            *self._reschedule_ids,
            *with_card.values(),
        }
        # The logs as they were, read before the new answers go in: a merge into cards
        # with little history (the usual case) then reads back little.
        logs = sync_rows.logs_for_replay(rescheduled, self.prefix, session=session)
        new = self._insert_reviews(session, reviews, with_card)
        for card_id, rows in new.items():
            old = logs.get(card_id)
            if old:
                known = {r[1] for r in old}
                rows = sorted([*old, *(r for r in rows if r[1] not in known)])
            logs[card_id] = rows
        if settings:
            self._settings(session, settings)
        self.report.rescheduled = self._reschedule(session, rescheduled, logs)
        return self._changes()

    def _card(self, session: Any, event: Event) -> str | None:
        """Apply a card's content; returns the content it replaced, if different.

        New cards wait in `_pending` and go in together (a joining device brings its whole
        collection: one bulk insert, not one per card) before any event that could need
        them as rows.
        """
        uuid = event["c"]
        existing = self._known.get(uuid)
        deck_id = self._deck_ids.get(event["d"])
        if deck_id is None:
            return None  # its deck was deleted here, later than the card was written
        card = card_from_json(event["x"])
        values = repo.card_values(card, deck_id=deck_id, position=int(event["p"]))
        values["content"] = event["x"]
        values["retired"] = bool(event.get("retired", False))
        self.decks.add(DeckUuid(event["d"]))
        self.flags["card"] = True
        if existing is None:
            self._pending[uuid] = values
            self._known[uuid] = {"id": None, "deck": event["d"], "content": event["x"]}
            self.added.append(CardUuid(uuid))
            self.report.cards_added += 1
            return None
        old: str = existing["content"]
        if existing["deck"] != event["d"]:
            self.decks.add(DeckUuid(existing["deck"]))
        existing.update(deck=event["d"], content=event["x"])
        if existing["id"] is None:
            self._pending[uuid] = values  # made earlier in this merge, not inserted yet
            return old if old != event["x"] else None
        repo.update_cards([{**values, "id": existing["id"]}], session=session)
        self.updated.append(CardUuid(uuid))
        self.report.cards_changed += 1
        return old if old != event["x"] else None

    def _flush_cards(self, session: Any) -> None:
        if not self._pending:
            return
        repo.insert_cards(list(self._pending.values()), session=session)
        ids = sync_rows.card_ids(self._pending, session=session)
        for uuid, card_id in ids.items():
            self._known[uuid]["id"] = card_id
        self._pending = {}

    def _delete_cards(
        self, session: Any, uuids: list[str], reviews: dict[str, tuple[str, list[Any]]]
    ) -> None:
        doomed = set(uuids)
        for origin in [o for o, (c, _) in reviews.items() if c in doomed]:
            del reviews[origin]
        ids = sync_rows.card_ids(uuids, session=session)
        for uuid in ids:
            self._known.pop(uuid, None)
        if not ids:
            return
        rows = sync_rows.card_rows(ids, session=session)
        self.decks.update(DeckUuid(r["deck"]) for r in rows.values())
        repo.delete_cards(list(ids.values()), session=session)
        self.deleted.extend(CardUuid(u) for u in ids)
        self.reschedule.difference_update(ids)
        self.report.cards_deleted += len(ids)
        self.flags["card"] = self.flags["history"] = True

    def _deck(self, session: Any, event: Event) -> None:
        before = sync_rows.deck_rows([event["d"]], session=session).get(event["d"])
        deck_id = sync_rows.save_deck(event["d"], event, session=session)
        self._deck_ids[event["d"]] = deck_id
        if before is not None and before["options"] != event["options"]:
            old = options_from_json(before["options"])[0]
            new = options_from_json(event["options"])[0]
            if old.scheduler != new.scheduler:
                rows = sync_rows.deck_card_ids(deck_id, session=session)
                self._reschedule_ids.update(rows)
        self.decks.add(DeckUuid(event["d"]))
        self.flags["deck"] = True
        self.report.decks_changed += 1

    def _delete_deck(
        self, session: Any, deck_uuid: str, reviews: dict[str, tuple[str, list[Any]]]
    ) -> None:
        deck = sync_rows.deck_rows([deck_uuid], session=session).get(deck_uuid)
        if deck is None:
            return
        self._delete_cards(
            session, sync_rows.deck_card_uuids([deck_uuid], session=session), reviews
        )
        sync_rows.remove_deck_row(deck["id"], session=session)
        self._deck_ids.pop(deck_uuid, None)
        self.decks.add(DeckUuid(deck_uuid))
        self.flags["deck"] = True
        self.report.decks_changed += 1

    def _insert_reviews(
        self, session: Any, reviews: dict[str, tuple[str, list[Any]]], ids: dict[str, int]
    ) -> dict[int, list[sync_rows.KeyedLogRow]]:
        """Insert the answers whose card is here, hold the others; returns each card's new
        answers as the replay reads them, sorted."""
        rows, held = [], []
        by_card: dict[int, list[sync_rows.KeyedLogRow]] = {}
        for origin, (card, values) in reviews.items():
            card_id = ids.get(card)
            if card_id is None:
                held.append((origin, card, values))
                continue
            rows.append((card_id, origin, *values))
            logged = (values[0], origin, values[1], values[2], values[5], values[4])
            by_card.setdefault(card_id, []).append(logged)
        rows.sort(key=lambda r: r[1])  # the origin index fills in order: a third faster
        sync_rows.hold(held, session=session)
        self.report.reviews_added = sync_rows.insert_reviews(rows, session=session)
        if self.report.reviews_added:
            self.flags["history"] = True
        for logged_rows in by_card.values():
            logged_rows.sort()
        return by_card

    def _answers_of(self, cards: set[str]) -> dict[str, tuple[str, list[Any]]]:
        """Every answer any journal in the folder holds for these cards, undone ones left
        out: a card deleted here and brought back by a later edit elsewhere gets back all
        its history, its deleter's included (rare: a delete and an edit at once)."""
        latest: dict[str, Event] = {}
        for device in journal.devices(self.folder):
            events, _cursor = journal.read_device(self.folder / device, journal.Cursor())
            for event in events:
                if event["t"] in (REVIEW, REVIEW_DELETED) and event.get("c") in cards:
                    held = latest.get(event["o"])
                    if held is None or held["h"] < event["h"]:
                        latest[event["o"]] = event
                elif (
                    event["t"] == REVIEW_DELETED
                    and event["o"] in latest
                    and latest[event["o"]]["h"] < event["h"]
                ):
                    latest[event["o"]] = event
        return {o: (e["c"], e["r"]) for o, e in latest.items() if e["t"] == REVIEW}

    def _settings(self, session: Any, changed: dict[str, Any]) -> None:
        stored = repo.get_setting("settings", session=session)
        values = dict(stored) if isinstance(stored, dict) else Settings().to_dict()
        values.update(changed)
        settings, _problems = settings_from_dict(values)
        repo.put_setting("settings", settings.to_dict(), session=session)
        self.report.settings_changed = len(changed)
        self.flags["settings"] = True

    def _reschedule(
        self, session: Any, card_ids: set[int], logs: dict[int, list[sync_rows.KeyedLogRow]]
    ) -> int:
        if not card_ids:
            return 0
        inputs = sync_rows.replay_inputs(sorted(card_ids), session=session)
        added = set(self.added)
        resets = sync_rows.clocks((f"reset:{u}" for u, _, _ in inputs.values()), session=session)
        settings = self.col.settings
        if self.flags["settings"]:
            stored = repo.get_setting("settings", session=session)
            settings = settings_from_dict(stored)[0]
        writes = []
        for card_id, (uuid, options, state) in inputs.items():
            scheduler = answering.deck_scheduler(self.col, options)
            reset = resets.get(f"reset:{uuid}")
            schedule = log_replay.replay(
                [(r[0], r[2], r[3], r[4], r[5]) for r in logs.get(card_id, ())],
                reset_at=_log_time(wall_ms(reset[0])) if reset else None,
                scheduler=scheduler,
                max_interval=settings.max_interval,
            )
            values = (
                schedule.repetitions,
                schedule.easiness_hundredths,
                schedule.interval,
                schedule.due_day,
                schedule.drill_day,
                schedule.lapses,
                schedule.reviews,
                schedule.stability,
                schedule.difficulty,
                schedule.last_review_day,
            )  # STATE_COLUMNS' order
            if values != state:
                writes.append((*values, card_id))
                if uuid not in added:
                    self.updated.append(CardUuid(uuid))
        sync_rows.write_states(writes, session=session)
        if writes:
            self.flags["schedule"] = True
        return len(writes)

    def _changes(self) -> Changes:
        def few(uuids: Iterable[CardUuid]) -> tuple[CardUuid, ...]:
            unique = tuple(dict.fromkeys(uuids))
            return unique if len(unique) <= _FEW else ()

        added = set(self.added)
        return Changes(
            added=few(self.added),
            updated=few(u for u in self.updated if u not in added),
            deleted=few(self.deleted),
            decks=tuple(sorted(self.decks)),
            card=self.flags["card"] or len(self.added) > _FEW or len(self.updated) > _FEW,
            deck=self.flags["deck"],
            schedule=self.flags["schedule"],
            history=self.flags["history"],
            settings=self.flags["settings"],
        )


# --- status --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatus:
    device: str
    applied: int
    """Events of this device merged here (its sequence number)."""
    waiting: int
    """Complete events in the folder not merged yet."""
    bytes: int


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
            f"Sync folder: {self.folder}",
            f"This device: {self.device} ({self.own_events} events, "
            f"{self.own_bytes / 2**20:.1f} MiB)",
        ]
        if self.pending:
            out.append(f"  {self.pending} events waiting for the folder: {self.error}")
        for d in self.others:
            out.append(
                f"Device {d.device}: {d.applied} events merged, {d.waiting} waiting, "
                f"{d.bytes / 2**20:.1f} MiB"
            )
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
    others = []
    for other in journal.devices(folder):
        if other == device:
            continue
        cursor = cursors.get(other, journal.Cursor())
        waiting, _ = journal.read_device(folder / other, cursor)
        others.append(
            DeviceStatus(other, cursor.seq, len(waiting), journal.folder_bytes(folder / other))
        )
    return SyncStatus(
        folder,
        device,
        own_events=journal.last_seq(folder / device),
        own_bytes=journal.folder_bytes(folder / device),
        pending=len(found.pending) if found else 0,
        error=found.error if found else "",
        others=tuple(others),
    )
