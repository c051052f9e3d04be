"""The journal writer: a listener on the collection turning each operation into events.

Every committed operation publishes a `Changes` (services.ops); `Journal.on_changes`
reads the current rows it names and appends their state, as events (`core.sync_events`),
to this device's journal in the sync folder (`services.journal`). It never writes for
the merge's own operation (label `SYNC_LABEL`), and a failure here is kept in `error`
instead of surfacing as the committed operation's. See services/sync.py and docs/sync.md.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from quizapp.core.changes import Changes
from quizapp.core.hlc import Hlc, HlcClock
from quizapp.core.settings import SPECS
from quizapp.core.sync_events import (
    CARD,
    CARD_DELETED,
    CARD_FLAGS,
    CARD_RESET,
    DECK,
    DECK_DELETED,
    REVIEW,
    REVIEW_DELETED,
    SETTING,
    Event,
)
from quizapp.services import journal
from quizapp.services.collection import Collection
from quizapp.storage import repo, sync_rows
from quizapp.storage.sync_rows import DECK_COLUMNS

SYNC_LABEL = "Sync"
"""The label of the sync operations (choosing a folder, merging): never journaled."""
CLOCK_KEY = "sync_hlc"
"""The largest clock this collection has seen: a new process ticks past it."""


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
        self.settings_seen: dict[str, Any] = {}
        """The learner's settings as last journaled or merged: only a change is written."""

    def start(self) -> None:
        with self.col.db.session() as session:
            stored = repo.get_setting(CLOCK_KEY, session=session)
            self.settings_seen = spec_values(repo.get_setting("settings", session=session))
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
                events = _events_for(self.col, changes, self.device, self.settings_seen)
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


def spec_values(stored: object) -> dict[str, Any]:
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
            now = spec_values(repo.get_setting("settings", session=session))
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
    stored = spec_values(repo.get_setting("settings", session=session))
    for spec in SPECS:
        if stored[spec.name] != spec.default:
            events.append({"t": SETTING, "k": spec.name, "v": stored[spec.name]})
    return events
