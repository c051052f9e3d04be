"""One merge of a sync folder's events into the collection, inside one operation.

Other devices' events are applied in clock order: answers as a union by origin key (held
when their card has not arrived yet), cards, decks, suspensions and settings
last-writer-wins against the `sync_clock` table, content that lost kept in
`sync_card_history`; this device's own new events only update the clocks. Then every
card whose answers changed is rescheduled from its whole merged log (`core.log_replay`).
Driven by `services.sync.sync`; see docs/sync.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import add, itemgetter, methodcaller
from pathlib import Path
from typing import Any

from quizapp.core import log_replay
from quizapp.core.changes import Changes
from quizapp.core.deck_options import options_from_json
from quizapp.core.hlc import wall_ms
from quizapp.core.ids import CardUuid, DeckUuid
from quizapp.core.scheduler import Sm2Scheduler
from quizapp.core.settings import Settings, settings_from_dict
from quizapp.core.shown import shown
from quizapp.core.sync_events import (
    CARD,
    CARD_DELETED,
    CARD_FLAGS,
    CARD_RESET,
    DECK,
    DECK_DELETED,
    DELETES,
    INTERVIEW,
    QUESTION_SET,
    QUESTION_SET_DELETED,
    REVIEW,
    REVIEW_DELETED,
    SETTING,
    Event,
    feed_interview,
    key,
    of_types,
)
from quizapp.core.wording import count
from quizapp.services import answering, journal
from quizapp.services.collection import Collection
from quizapp.storage import feed_rows, merge_writer, repo, sync_history_rows, sync_rows
from quizapp.storage.codec import card_from_json

HELD_FLAGS_KEY = "sync_held_flags"
"""Setting: suspensions waiting for their card, {card uuid: [clock, suspended]}."""
_FEW = 2000
"""More changed cards than this and the merge's `Changes` names none (views redraw all)."""


@dataclass
class SyncReport:
    folder: Path
    device: str
    events: dict[str, int] = field(default_factory=dict)
    """New events read per other device."""
    reviews_added: int = 0
    reviews_removed: int = 0
    reviews_parked: int = 0
    """Answers of a mock interview fed on two machines set aside: it counts once."""
    cards_added: int = 0
    cards_changed: int = 0
    cards_deleted: int = 0
    decks_changed: int = 0
    settings_changed: int = 0
    question_sets_changed: int = 0
    interviews_changed: int = 0
    kept_in_history: int = 0
    """Card contents that lost to a later edit, kept in `sync_card_history`."""
    rescheduled: int = 0
    backup: str = ""
    compacted: str = ""
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    """Devices whose new events were left out of this merge, and why (a bad line)."""
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)
    """(wall, CPU) seconds per step of the merge (read, backup, insert, replay, commit…)."""
    _mark: tuple[float, float] = field(default=(0.0, 0.0), repr=False)

    def lap(self, name: str | None = None) -> None:
        """End the step `name` (its time adds up), or with None only start the next."""
        now = (time.perf_counter(), time.process_time())
        if name is not None:
            wall, cpu = self.phases.get(name, (0.0, 0.0))
            self.phases[name] = (wall + now[0] - self._mark[0], cpu + now[1] - self._mark[1])
        self._mark = now

    @property
    def merged(self) -> int:
        return sum(self.events.values())

    def lines(self) -> list[str]:
        skipped = [f"  skipped: {w}" for w in self.warnings]
        devices = count(len(self.events), "other device")
        if not self.merged:
            return [f"Nothing new in {shown(str(self.folder))} ({devices}).", *skipped]
        out = [f"Merged {count(self.merged, 'event')} from {devices} in {self.seconds:.2f} s:"]
        for n, noun, what in (
            (self.reviews_added, "answer", "added"),
            (self.reviews_removed, "answer", "undone elsewhere"),
            (
                self.reviews_parked,
                "answer",
                "set aside (one interview fed on two machines counts once)",
            ),
            (self.cards_added, "card", "added"),
            (self.cards_changed, "card", "changed"),
            (self.cards_deleted, "card", "deleted"),
            (self.decks_changed, "deck", "changed"),
            (self.settings_changed, "setting", "changed"),
            (self.question_sets_changed, "question set", "saved or deleted"),
            (self.interviews_changed, "mock interview", "added or completed"),
            (self.kept_in_history, "edit", "kept in history (a later edit won)"),
            (self.rescheduled, "card", "rescheduled from the merged log"),
        ):
            if n:
                out.append(f"  {count(n, noun)} {what}")
        if len(out) == 1:  # events read, none of them new here (a joining machine's, say)
            out.append("  nothing changed: all of it was here already")
        if self.backup:
            out.append(f"  backup first: {self.backup}")
        if self.compacted:
            out.append(f"  this device's journal compacted into {self.compacted}")
        return out + skipped


@dataclass(frozen=True)
class _ReplayPlan:
    """The stored states, deck options, resets and settings a merge's replay folds from."""

    inputs: dict[int, tuple[CardUuid, int, tuple[Any, ...]]]
    options_of: dict[int, str]
    resets: dict[str, tuple[str, bool]]
    settings: Settings


_ANSWER_BATCH = 20_000
"""Answers a batch (`merge_writer`): the first is written while the next is bound."""
_CARD_BATCH = 10_000
"""Cards rescheduled a batch: their schedules are written while the next are folded."""


_LOGGED = itemgetter(2, 1, 3, 4, 7, 6)
"""A log row's (reviewed at, origin, study day, kind, quality, correct): `KeyedLogRow`."""


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_ORIGIN, _CARD, _VALUES = itemgetter("o"), itemgetter("c"), itemgetter("r")
_CLOCK, _HAS_FEED = itemgetter("h"), methodcaller("__contains__", "f")
_ANSWERS = frozenset({REVIEW})


def _by_origin(answers: list[Event]) -> dict[str, tuple[str, Any]]:
    """origin -> (card, values) of each answer, the last one's of an origin. (Built in C;
    for a year's 200,000 answers it costs what a comprehension did, 0.075 s, nearly all of
    it hashing the origins.)"""
    cards = zip(map(_CARD, answers), map(_VALUES, answers), strict=True)
    return dict(zip(map(_ORIGIN, answers), cards, strict=True))


def _logged_by_card(rows: list[tuple[Any, ...]]) -> dict[int, list[sync_rows.KeyedLogRow]]:
    """Each card's new answers as the replay reads them, sorted."""
    by_card: dict[int, list[sync_rows.KeyedLogRow]] = {}
    of_card = by_card.get
    for card_id, logged in zip(map(itemgetter(0), rows), map(_LOGGED, rows), strict=True):
        found = of_card(card_id)
        if found is None:
            by_card[card_id] = [logged]
        else:
            found.append(logged)
    for found in by_card.values():
        found.sort()
    return by_card


def card_problem(event: Event) -> str | None:
    """Why a card event's content cannot be stored, in words (it is another device's: the
    content must read as a card, and be the card the event names)."""
    try:
        card = card_from_json(event["x"])
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        return f"the card's content is not a card ({type(exc).__name__})"
    if card.id != event["c"]:
        return "the card's content names another card"
    return None


def _log_time(ms: int) -> str:
    """A clock's wall time in the review log's text form, to compare with its times."""
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Merge:
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
        self.answers = of_types(remote, _ANSWERS)
        """Other devices' answers: nearly all of a merge, and needed in clock order among
        the other events only when something removes answers (`_ordered`)."""
        self.remote = sorted(of_types(remote, _ANSWERS, keep=False), key=_CLOCK)
        self.report = report
        self.newest = max(map(_CLOCK, remote), default="")
        self.deletes_cards = any(e["t"] in (CARD_DELETED, DECK_DELETED) for e in self.remote)
        """Whether it may delete a card (whose rows then go by the foreign keys' cascade)."""
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
        self.feeds = {e["o"]: e["f"] for e in filter(_HAS_FEED, self.answers)}
        self.waiting_flags: dict[str, tuple[str, bool]] = {}
        """Suspensions of cards that were not here when their event came: (clock, value)."""
        """Which feed of a mock interview gave an answer, by origin (the few that have one)."""

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
        if undone_here or any(e["t"] in DELETES for e in self.remote):
            # Something removes answers: every answer takes its turn in clock order.
            events = sorted([*self.remote, *self.answers], key=itemgetter("h"))
        else:
            # The usual merge: answers are a plain union (no clock to compare, nothing that
            # removes one), taken in one pass; of one answer carried by two devices (a card
            # brought back with its history) the later clock's copy counts.
            events = self.remote
            reviews = _by_origin(self.answers)
            if len(reviews) < len(self.answers):
                reviews = _by_origin(sorted(self.answers, key=itemgetter("h")))
        question_sets: dict[str, Event | None] = {}
        interviews: list[tuple[Event, bool]] = []
        for event in events:
            t = event["t"]
            if t == INTERVIEW:
                # A union whatever the clocks (`_history`), except its "fed" mark: the
                # newest event's says whether it counts (an undone feed takes it back).
                k, h = key(event), event["h"]
                newest = k not in clocks or clocks[k][0] < h
                if newest:
                    clocks[k] = dirty[k] = (h, False)
                interviews.append((event, newest))
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
                else:  # its card is not here (deleted, or not arrived yet): kept for it
                    self.waiting_flags[event["c"]] = (h, bool(event["suspended"]))
            elif t == CARD_RESET:
                self.reschedule.add(event["c"])
            elif t == DECK:
                self._deck(session, event)
            elif t == DECK_DELETED:
                self._delete_deck(session, event["d"], reviews)
            elif t == SETTING:
                settings[event["k"]] = event["v"]
            elif t in (QUESTION_SET, QUESTION_SET_DELETED):
                question_sets[event["q"]] = event if t == QUESTION_SET else None
        self._flush_cards(session)
        self._history(session, question_sets, interviews)
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
                if len(values) > len(sync_rows.REVIEW_COLUMNS):
                    self.feeds[origin] = values.pop()  # held with its feed (`tag_merged`)
                reviews.setdefault(origin, (card, values))
        if self.resurrected:
            reviews.update(self._answers_of(self.resurrected))
        self._settle_flags(session, clocks)
        set_aside = self._one_feed_counts(session, reviews, interviews, undone)
        with_card = sync_rows.card_ids(set(map(_FIRST, reviews.values())), session=session)
        rescheduled = {
            *sync_rows.card_ids(self.reschedule, session=session).values(),
            *gone.values(),
            *self._reschedule_ids,
            *with_card.values(),
            *set_aside.values(),
        }
        # The logs as they were, read before the new answers go in: a merge into cards
        # with little history (the usual case) then reads back little.
        logs = sync_rows.logs_for_replay(rescheduled, self.prefix, session=session)
        if settings:
            self._settings(session, settings)
        plan = self._replay_plan(session, rescheduled)
        self.report.lap("apply events")
        rows = self._answer_rows(session, reviews, with_card)
        self.report.lap("build answer rows")
        # The answers, then the schedules, go in on another thread, a batch at a time in a
        # statement each that SQLite runs without the interpreter's lock, while this one
        # binds the next batch and reschedules the cards from the merged logs in Python
        # (nothing here touches the connection until the writer is done).
        writer = merge_writer.MergeWriter(session)
        written = 0
        try:
            for start in range(0, len(rows), _ANSWER_BATCH):
                writer.add_answers(rows[start : start + _ANSWER_BATCH])
            self.report.lap("stage answers")
            for card_id, logged in _logged_by_card(rows).items():
                old = logs.get(card_id)
                if old:
                    known = {r[1] for r in old}
                    logged = sorted([*old, *(r for r in logged if r[1] not in known)])
                logs[card_id] = logged
            inputs = list(plan.inputs.items())
            for start in range(0, len(inputs), _CARD_BATCH):
                writes = self._fold(plan, logs, inputs[start : start + _CARD_BATCH])
                writes.sort(key=itemgetter(-1))  # by card id: the state table's pages in order
                writer.set_schedules(writes)
                written += len(writes)
            self.report.lap("replay")
        finally:
            self.report.reviews_added = writer.wait()  # also when the replay failed
        self.report.lap("write answers and schedules")
        if self.report.reviews_added:
            self.flags["history"] = True
        if written:
            self.flags["schedule"] = True
        self.report.rescheduled = written
        feed_rows.tag_merged({o: t for o, t in self.feeds.items() if o in reviews}, session=session)
        return self._changes()

    def _history(
        self,
        session: Any,
        question_sets: dict[str, Event | None],
        interviews: list[tuple[Event, bool]],
    ) -> None:
        """Question sets (last writer wins, already decided by clock) and mock interviews
        (a union: `sync_history_rows.merge_interview`, the fed mark from the newest event),
        after the cards they name."""
        own = {e["q"]: e["name"] for e in self.own if e["t"] == QUESTION_SET}
        # A set deleted here may have held a name another set shares: that one is shown
        # under its own name again, as on the machines that merge the deletion.
        deleted_here = any(e["t"] == QUESTION_SET_DELETED for e in self.own)
        if question_sets or own or deleted_here:
            stored = repo.get_setting(sync_history_rows.SET_NAMES_KEY, session=session)
            names = {**(stored if isinstance(stored, dict) else {}), **own}
            for uuid, state in question_sets.items():
                if state is None:
                    changed = sync_history_rows.delete_question_set(uuid, session=session)
                else:
                    sync_history_rows.put_question_set(uuid, state, session=session)
                    names[uuid] = state["name"]
                    changed = True
                self.report.question_sets_changed += changed
            names = sync_history_rows.settle_set_names(names, session=session)
            repo.put_setting(sync_history_rows.SET_NAMES_KEY, names, session=session)
        merged: set[str] = set()  # an interview's start, answers and finish are one
        for event, newest in interviews:
            if sync_history_rows.merge_interview(
                event["i"], event, fed_from_it=newest, session=session
            ):
                merged.add(event["i"])
        self.report.interviews_changed = len(merged)
        if self.report.question_sets_changed or self.report.interviews_changed:
            self.flags["history"] = True

    def _one_feed_counts(
        self,
        session: Any,
        reviews: dict[str, tuple[str, list[Any]]],
        interviews: list[tuple[Event, bool]],
        undone: set[str],
    ) -> dict[str, int]:
        """Of each mock interview this merge touches, only the answers of its counting feed
        (the one its "fed" mark names, after `_history`) stay in the log and in `reviews`;
        the rest are parked, and parked answers of a feed that counts now come back.
        Returns the card id of each answer moved out of the log (to reschedule).

        Whatever the order in which feeds and marks arrive, every machine ends with the
        answers of the newest feed only: the same rows a replay from nothing gives."""
        feed_rows.drop_parked(undone, session=session)
        touched = {e["i"] for e, _newest in interviews}
        touched.update(feed_interview(t) for o, t in self.feeds.items() if o in reviews)
        if not touched:
            return {}
        stored = feed_rows.current_tags(touched, session=session)
        counting = {i: stored.get(i) for i in touched}
        moved = feed_rows.park_replaced(counting, self.prefix, session=session)
        parked = []
        for origin, tag in self.feeds.items():
            if origin in reviews and tag != counting[feed_interview(tag)]:
                card, values = reviews.pop(origin)
                parked.append((origin, tag, card, values))
        feed_rows.park(parked, session=session)
        tags = [t for t in counting.values() if t is not None]
        for origin, tag, card, values in feed_rows.unpark(tags, session=session):
            reviews.setdefault(origin, (card, values))
            self.feeds[origin] = tag
        self.report.reviews_parked = len(moved) + len(parked)
        if moved:
            self.flags["history"] = True
        return moved

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

    def _answer_rows(
        self, session: Any, reviews: dict[str, tuple[str, list[Any]]], ids: dict[str, int]
    ) -> list[tuple[Any, ...]]:
        """The log rows (card id, origin, *REVIEW_COLUMNS) of the answers whose card is
        here, by origin key; the others are held, for their card to come."""
        # Sorted by origin key: the origin index fills in order (0.04 s less SQLite than
        # the journals' order, which has "d:10" after "d:9"; the sort costs less).
        origins = sorted(reviews)
        found = list(map(reviews.__getitem__, origins))
        card_ids = list(map(ids.get, map(_FIRST, found)))
        values = list(map(tuple, map(_SECOND, found)))
        if None in card_ids:
            sync_rows.hold(
                [
                    (origin, card, value)
                    for origin, (card, value), card_id in zip(origins, found, card_ids, strict=True)
                    if card_id is None
                ],
                session=session,
            )
            here = [i for i, card_id in enumerate(card_ids) if card_id is not None]
            origins = [origins[i] for i in here]
            card_ids = [card_ids[i] for i in here]
            values = [values[i] for i in here]
        # (card id, origin) + values, all in C: a loop here cost 0.1 s a year's answers.
        return list(map(add, zip(card_ids, origins, strict=True), values))

    def _answers_of(self, cards: set[str]) -> dict[str, tuple[str, list[Any]]]:
        """Every answer any journal in the folder holds for these cards, undone ones left
        out: a card deleted here and brought back by a later edit elsewhere gets back all
        its history, its deleter's included (rare: a delete and an edit at once)."""
        latest: dict[str, Event] = {}
        for device in journal.devices(self.folder):
            try:
                events, _cursor = journal.read_device(
                    self.folder / device, journal.Cursor(), strict=device != self.device
                )
            except journal.BadLine:
                continue  # this merge skips that device (`sync.read_other` said why)
            for event in events:
                if event["t"] in (REVIEW, REVIEW_DELETED) and event.get("c") in cards:
                    held = latest.get(event["o"])
                    if held is None or held["h"] < event["h"]:
                        latest[event["o"]] = event
                    if "f" in event:
                        self.feeds[event["o"]] = event["f"]
                elif event["t"] == CARD_FLAGS and event["c"] in cards:
                    # Its suspension too: the newest counts once the card is back.
                    waiting = self.waiting_flags.get(event["c"])
                    if waiting is None or waiting[0] < event["h"]:
                        self.waiting_flags[event["c"]] = (event["h"], bool(event["suspended"]))
                elif (
                    event["t"] == REVIEW_DELETED
                    and event["o"] in latest
                    and latest[event["o"]]["h"] < event["h"]
                ):
                    latest[event["o"]] = event
        return {o: (e["c"], e["r"]) for o, e in latest.items() if e["t"] == REVIEW}

    def _settle_flags(self, session: Any, clocks: dict[str, tuple[str, bool]]) -> None:
        """Suspensions whose card was missing when they came (deleted here and brought back
        by a later edit elsewhere, or not arrived yet from its own device): set now that
        the card is here, if still the newest; kept (`HELD_FLAGS_KEY`) until it comes.
        Without this, a card suspended on one machine came back unsuspended on the others.
        """
        stored = repo.get_setting(HELD_FLAGS_KEY, session=session)
        held: dict[str, tuple[str, bool]] = {
            u: (str(v[0]), bool(v[1]))
            for u, v in (stored.items() if isinstance(stored, dict) else ())
            if isinstance(v, list) and len(v) == 2
        }
        held.update(self.waiting_flags)
        if not held:
            return
        here = sync_rows.card_ids(held, session=session)
        values = []
        for uuid, card_id in here.items():
            h, suspended = held.pop(uuid)
            newest = clocks.get(f"flags:{uuid}")
            if newest is None or newest[0] <= h:
                values.append((suspended, card_id))
                self.updated.append(CardUuid(uuid))
        if values:
            sync_rows.set_suspended(values, session=session)
            self.flags["schedule"] = True
        if held or stored:
            repo.put_setting(
                HELD_FLAGS_KEY, {u: [h, v] for u, (h, v) in held.items()}, session=session
            )

    def _settings(self, session: Any, changed: dict[str, Any]) -> None:
        stored = repo.get_setting("settings", session=session)
        values = dict(stored) if isinstance(stored, dict) else Settings().to_dict()
        values.update(changed)
        settings, _problems = settings_from_dict(values)
        repo.put_setting("settings", settings.to_dict(), session=session)
        self.report.settings_changed = len(changed)
        self.flags["settings"] = True

    def _replay_plan(self, session: Any, card_ids: set[int]) -> _ReplayPlan:
        """What the replay reads from the collection, read before the answers go in."""
        inputs, options_of = (
            sync_rows.replay_inputs(sorted(card_ids), session=session) if card_ids else ({}, {})
        )
        resets = sync_rows.clocks_with_prefix("reset:", session=session) if card_ids else {}
        settings = self.col.settings
        if self.flags["settings"]:
            stored = repo.get_setting("settings", session=session)
            settings = settings_from_dict(stored)[0]
        return _ReplayPlan(inputs, options_of, resets, settings)

    def _fold(
        self,
        plan: _ReplayPlan,
        logs: dict[int, list[sync_rows.KeyedLogRow]],
        inputs: list[tuple[int, tuple[CardUuid, int, tuple[Any, ...]]]],
    ) -> list[tuple[Any, ...]]:
        """The state of each of these cards (`plan.inputs`' items) from its merged log,
        where it differs from the stored one: (*STATE_COLUMNS, card id) rows. Pure Python:
        it runs while the answers go in."""
        added = set(self.added)
        resets = plan.resets
        writes: list[tuple[Any, ...]] = []
        no_logs: list[sync_rows.KeyedLogRow] = []
        schedulers: dict[int, Any] = {}  # per deck: a few, for 75,000 cards
        sm2_fold, write, updated = log_replay.sm2_fold, writes.append, self.updated.append
        for card_id, (uuid, deck_id, state) in inputs:
            scheduler = schedulers.get(deck_id)
            if scheduler is None:
                scheduler = schedulers[deck_id] = answering.deck_scheduler(
                    self.col, plan.options_of[deck_id]
                )
            reset = resets.get(f"reset:{uuid}") if resets else None
            if isinstance(scheduler, Sm2Scheduler):
                # Most decks: the fold straight from the merge's rows, no objects per card.
                row = sm2_fold(  # in STATE_COLUMNS' order
                    logs.get(card_id, no_logs),
                    _log_time(wall_ms(reset[0])) if reset else None,
                    scheduler.max_interval,
                )
                if row != state:
                    write((*row, card_id))
                    if uuid not in added:
                        updated(uuid)
                continue
            schedule = log_replay.replay(
                [(r[0], r[2], r[3], r[4], r[5]) for r in logs.get(card_id, ())],
                reset_at=_log_time(wall_ms(reset[0])) if reset else None,
                scheduler=scheduler,
                max_interval=plan.settings.max_interval,
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
                write((*values, card_id))
                if uuid not in added:
                    updated(uuid)
        return writes

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
