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
    INTERVIEW,
    QUESTION_SET,
    QUESTION_SET_DELETED,
    REVIEW,
    REVIEW_DELETED,
    SETTING,
    Event,
)
from quizapp.services import journal
from quizapp.services.collection import Collection
from quizapp.storage import repo, sync_history_rows, sync_rows
from quizapp.storage.sync_rows import DECK_COLUMNS

SYNC_LABEL = "Sync"
"""The label of the sync operations (choosing a folder, merging): never journaled."""
CLOCK_KEY = "sync_hlc"
"""The largest clock this collection has seen: a new process ticks past it."""


class Journal:
    """This device's journal: an operation's events go into an outbox in the operation's
    own transaction (`stage`), and from there, after it commits, into the folder (`drain`).

    A process killed between the commit and the append loses nothing: the events are in
    the collection's outbox, and the next start (or sync) appends them. The outbox is
    drained by clock: an event whose clock is not past the last one the journal holds is
    already in it (each event's clock is unique, this device's clock only moves forward,
    and the outbox is in commit order), so draining twice writes nothing twice.
    """

    def __init__(self, col: Collection, folder: Path, device: str) -> None:
        self.col = col
        self.folder = folder
        self.device = device
        self.writer: journal.Writer | None = None
        self.clock = HlcClock(device)
        self.unsent: list[Event] = []
        """A join the folder could not take yet (an offline share): written first."""
        self.error = ""
        self._written = ""
        """The clock of the newest event the journal holds (text form)."""
        self._lock = threading.Lock()
        self._staged: dict[int, tuple[Changes, list[Event]]] = {}
        """The outbox each operation wrote, by its `Changes` (held, so that an operation
        rolled back after staging never lends its id to a later one), until published."""
        self._backlog = True
        """Whether the stored outbox may hold events the journal does not (at start, or
        after the folder refused a write): then it is read back, not taken from memory."""
        self._unlisten: Any = None
        self._unstage: Any = None
        self.settings_seen: dict[str, Any] = {}
        """The learner's settings as last journaled or merged: only a change is written."""

    def start(self) -> None:
        with self.col.db.session() as session:
            stored = repo.get_setting(CLOCK_KEY, session=session)
            self.settings_seen = spec_values(repo.get_setting("settings", session=session))
        joining = not (self.folder / self.device).exists()
        try:
            self._open()
        except OSError as exc:
            self.error = str(exc)
        if isinstance(stored, str):
            self.clock.observe(Hlc.parse(stored))
        if joining and self.writer is not None:
            self.join()
        self._unstage = self.col.stage(self.stage)
        self._unlisten = self.col.listen(self.on_changes)
        self.flush()  # what a process killed after its commit left in the outbox

    def stop(self) -> None:
        for stop in (self._unlisten, self._unstage):
            if stop is not None:
                stop()
        self._unlisten = self._unstage = None

    def _open(self) -> journal.Writer:
        if self.writer is None:
            self.writer = journal.Writer(self.folder, self.device)
            self.clock.observe(self.writer.last_hlc)
            self._written = max(self._written, self.writer.last_hlc.text)
        return self.writer

    def stage(self, session: Any, changes: Changes) -> None:
        """Inside the operation's transaction: its events (their clocks ticked now) join the
        outbox, so they commit with it or not at all. A failure to describe them is kept in
        `error` rather than failing the operation."""
        if changes.label == SYNC_LABEL or changes.collection:
            return
        session.flush()  # the operation's ORM writes, for the plain reads below
        with self._lock:
            try:
                events = _events_for(session, changes, self.device, self.settings_seen)
            except Exception as exc:
                self.error = f"could not journal “{changes.label}”: {exc}"
                return
            if not events:
                return
            # What committed operations left that the journal does not hold yet (another
            # thread's operation may have committed and not appended yet): kept, in order.
            waiting = self._unwritten(sync_rows.outbox(session=session))
            now = int(self.col.now().timestamp() * 1000)
            for event in events:
                event["h"] = self.clock.tick(now).text
            outbox = [*waiting, *events]
            sync_rows.put_outbox(outbox, session=session)
            self._staged[id(changes)] = (changes, outbox)

    def on_changes(self, changes: Changes) -> None:
        """Runs after the operation committed: a failure here must not look like the
        operation's own, so it is kept in `error` (shown by `quizapp sync --status`)."""
        if changes.label == SYNC_LABEL or changes.collection:
            return
        with self._lock:
            entry = self._staged.pop(id(changes), None)
            staged = entry[1] if entry is not None and entry[0] is changes else None
            if staged is not None or self._backlog:
                self._drain(None if self._backlog else staged)

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
            self.unsent.extend(events)
            self._drain(None)
        return len(events)

    def flush(self) -> None:
        """Append what the stored outbox holds that the journal does not (idempotent)."""
        with self._lock:
            self._drain(None)

    def waiting(self) -> int:
        """Events committed here and not in the folder yet."""
        with self.col.db.session() as session, self._lock:
            return len(self.unsent) + len(self._unwritten(sync_rows.outbox(session=session)))

    def _unwritten(self, events: list[Event]) -> list[Event]:
        return [e for e in events if isinstance(e.get("h"), str) and e["h"] > self._written]

    def _drain(self, committed: list[Event] | None) -> None:
        """Append the outbox an operation just committed (`committed`: every event of it
        not yet in the journal, since no write failed), or the stored one (None)."""
        try:
            writer = self._open()
            if committed is None:
                with self.col.db.session() as session:
                    committed = sync_rows.outbox(session=session)
            events = [*self.unsent, *self._unwritten(committed)]
            if events:
                writer.append(events)
        except OSError as exc:
            self.error = f"{self.folder}: {exc.strerror or exc}"
            self._backlog = True
            return
        self.unsent = []
        if events:
            self._written = max(self._written, *(e["h"] for e in events))
        self._backlog = False
        self.error = ""


def spec_values(stored: object) -> dict[str, Any]:
    data = stored if isinstance(stored, dict) else {}
    return {spec.name: data.get(spec.name, spec.default) for spec in SPECS}


def _review_event(origin: str, feed: str | None, card: str, values: list[Any]) -> Event:
    event: Event = {"t": REVIEW, "o": origin, "c": card, "r": values}
    if feed is not None:
        event["f"] = feed  # an interview's answer: one interview counts once (sync_merge)
    return event


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
    session: Any, changes: Changes, device: str, settings_seen: dict[str, Any]
) -> list[Event]:
    """The current state of what `changes` names, as events (decks, cards, answers), read
    inside the operation's transaction."""
    events: list[Event] = []
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
        for row_id, origin, feed, card, values in sync_rows.reviews_of_cards(ids, session=session):
            events.append(_review_event(origin or f"{device}:{row_id}", feed, card, values))
    if changes.answered:
        for row_id, origin, feed, card, values in sync_rows.reviews_by_id(
            changes.answered, session=session
        ):
            events.append(_review_event(origin or f"{device}:{row_id}", feed, card, values))
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
    events.extend(_history_events(session, changes.question_sets, changes.interviews))
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
    for row_id, origin, feed, card, values in sync_rows.all_reviews(session=session):
        events.append(_review_event(origin or f"{device}:{row_id}", feed, card, values))
    events.extend(_history_events(session, None, None))
    stored = spec_values(repo.get_setting("settings", session=session))
    for spec in SPECS:
        if stored[spec.name] != spec.default:
            events.append({"t": SETTING, "k": spec.name, "v": stored[spec.name]})
    return events


def _history_events(
    session: Any, question_sets: tuple[str, ...] | None, interviews: tuple[str, ...] | None
) -> list[Event]:
    """Question sets (their state, or their deletion) and mock interviews (their whole
    state: the merge takes the union), of the uuids named, or all of them with None."""
    events: list[Event] = []
    if question_sets is None or question_sets:
        found = sync_history_rows.question_sets(question_sets, session=session)
        for uuid in found if question_sets is None else question_sets:
            state = found.get(uuid)
            if state is None:
                events.append({"t": QUESTION_SET_DELETED, "q": uuid})
            else:
                events.append({"t": QUESTION_SET, "q": uuid, **state})
    if interviews is None or interviews:
        for uuid, state in sync_history_rows.interviews(interviews, session=session).items():
            events.append({"t": INTERVIEW, "i": uuid, **state})
    return events
