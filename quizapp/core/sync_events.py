"""The events a device writes to its journal in a sync folder, and how they compact.

Each event is one JSON object on one line: `s` the device's sequence number (1, 2, 3, …
without gaps, which is how a reader knows it has not skipped a file), `h` its hybrid
logical clock (`core.hlc`), `t` its type, and the thing's current state. Events carry
state, not commands ("card X now reads …", not "change the prompt of X to …"), so applying
one twice, or an older one after a newer one, is harmless: last-writer-wins compares
clocks per thing (`key`), and answers are a union by their origin key.

Every event is about one thing, named by `key`; of two events with one key the later
clock wins. Compaction therefore keeps, of a device's own events, only the last one per
key: that keeps every answer not since undone and every tombstone (a delete, an undone
answer), which a device that had seen the older event still needs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import datetime
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from quizapp.core.bundle import (
    FIRST_DAY,
    LAST_DAY,
    MAX_COUNT,
    MAX_EASINESS,
    MAX_INTERVAL,
    MAX_SECONDS,
)
from quizapp.core.deck_options import MAX_OPTIONS_BYTES
from quizapp.core.sm2 import MIN_EASINESS

Event = dict[str, Any]

REVIEW = "review"
REVIEW_DELETED = "review_deleted"
CARD = "card"
CARD_DELETED = "card_deleted"
CARD_FLAGS = "card_flags"
CARD_RESET = "card_reset"
DECK = "deck"
DECK_DELETED = "deck_deleted"
SETTING = "setting"
QUESTION_SET = "question_set"
QUESTION_SET_DELETED = "question_set_deleted"
INTERVIEW = "interview"

TYPES = frozenset(
    {
        REVIEW,
        REVIEW_DELETED,
        CARD,
        CARD_DELETED,
        CARD_FLAGS,
        CARD_RESET,
        DECK,
        DECK_DELETED,
        SETTING,
        QUESTION_SET,
        QUESTION_SET_DELETED,
        INTERVIEW,
    }
)
DELETES = frozenset({REVIEW_DELETED, CARD_DELETED, DECK_DELETED, QUESTION_SET_DELETED})


_TYPE = itemgetter("t")


def of_types(events: list[Event], types: frozenset[str], *, keep: bool = True) -> list[Event]:
    """The events of these types (with `keep=False`: of any other type), in order. A
    merge sorts a year's 200,000 events this way several times: in C, not a loop here."""
    found = map(types.__contains__, map(_TYPE, events))
    return list(compress(events, found if keep else map(not_, found)))


def key(event: Event) -> str:
    """The thing an event is about (also its row in the `sync_clock` table)."""
    t = event["t"]
    if t in (REVIEW, REVIEW_DELETED):
        return f"review:{event['o']}"
    if t in (CARD, CARD_DELETED):
        return f"card:{event['c']}"
    if t == CARD_FLAGS:
        return f"flags:{event['c']}"
    if t == CARD_RESET:
        return f"reset:{event['c']}"
    if t in (DECK, DECK_DELETED):
        return f"deck:{event['d']}"
    if t == SETTING:
        return f"setting:{event['k']}"
    if t in (QUESTION_SET, QUESTION_SET_DELETED):
        return f"qset:{event['q']}"
    if t == INTERVIEW:
        return f"interview:{event['i']}"
    raise ValueError(f"unknown event type {t!r}")


_NEEDS = {
    REVIEW: ("o", "c", "r"),
    REVIEW_DELETED: ("o",),
    CARD: ("c", "d", "p", "x"),
    CARD_DELETED: ("c",),
    CARD_FLAGS: ("c", "suspended"),
    CARD_RESET: ("c",),
    DECK: ("d", "name", "section", "description", "source", "source_digest", "position", "options"),
    DECK_DELETED: ("d",),
    SETTING: ("k", "v"),
    QUESTION_SET: ("q", "name", "description", "created", "cards"),
    QUESTION_SET_DELETED: ("q",),
    INTERVIEW: ("i", "title", "config", "started", "finished", "fed", "answers"),
}


def well_formed(event: object) -> bool:
    """Whether a line read from a journal is an event this version understands (one from
    a newer quizapp, of a type unknown here, stops that device's reading until upgraded)."""
    if not isinstance(event, dict):
        return False
    t = event.get("t")
    needs = _NEEDS.get(t) if type(t) is str else None  # a list or an object is no type
    if needs is None or not isinstance(event.get("s"), int) or not isinstance(event.get("h"), str):
        return False
    return all(k in event for k in needs)


def compact(events: Iterable[Event]) -> list[Event]:
    """The last event per key, in sequence order: what a snapshot keeps."""
    last: dict[str, Event] = {}
    for event in events:
        k = key(event)
        last.pop(k, None)  # re-inserted at the end: the dict stays in sequence order
        last[k] = event
    return sorted(last.values(), key=lambda e: e["s"])


# --- bounds: a journal comes from another machine, so from outside (issue 13) -------------

MAX_SEQ = 10**15
MAX_POSITION = 10**9
MAX_CARD_JSON = 2_000_000
"""A card's stored content, as JSON: a deck file's card holds a few 100,000-character fields."""
MAX_NAME = 1000
MAX_TEXT = 100_000
MAX_SETTING = 10_000
KINDS = frozenset({"new", "review", "drill", "cram"})
_FIRST, _LAST = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
_LOW_EF, _HIGH_EF = int(MIN_EASINESS * 100), MAX_EASINESS * 100
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""Canonical (lower-case) ids only: a journal is written by quizapp, which stores them so;
an upper-case twin of a known id would otherwise be a second card."""
_ORIGIN = re.compile(r"[0-9a-f]{32}:[0-9]{1,18}")
_HLC = re.compile(r"[0-9]{13}\.[0-9]{6}\.[0-9a-f]{32}")
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?")


def feed_tag(interview: str, fed: str) -> str:
    """Which feed of a mock interview gave an answer: the interview and the feed's time (an
    interview fed on two machines before they sync has two; the newer one counts)."""
    return f"{interview}@{fed}"


def feed_interview(tag: str) -> str:
    """The interview a `feed_tag` names."""
    return tag.partition("@")[0]


def _feed_ok(tag: object) -> bool:
    if type(tag) is not str:
        return False
    interview, at, fed = tag.partition("@")
    return (
        bool(at)
        and _UUID.fullmatch(interview) is not None
        and _AT.fullmatch(fed) is not None
        and _real_time(fed)
    )


def _is_int(v: object, low: int, high: int) -> bool:
    return type(v) is int and low <= v <= high


def _is_number(v: object, low: float, high: float) -> bool:
    return (
        isinstance(v, int | float) and type(v) is not bool and math.isfinite(v) and low <= v <= high
    )


def _is_text(v: object, high: int) -> bool:
    return type(v) is str and len(v) <= high


def _real_time(at: str) -> bool:
    """Whether a time of the log's form names a real moment (no 30 February): the log's
    reader parses each one, and one that does not parse would break every later read."""
    try:
        datetime.fromisoformat(at)
    except ValueError:
        return False
    return True


def _review_ok(r: object) -> bool:
    """The fast check of one answer's values (a year of study is 200,000 of them)."""
    if type(r) is not list or len(r) != 17:
        return False
    at, day, kind, answer, correct, q, rb, ra, eb, ea, ib, ia, db, da, xb, secs, pr = r
    return (
        type(at) is str
        and _AT.fullmatch(at) is not None
        and _real_time(at)
        and type(day) is int
        and _FIRST <= day <= _LAST
        and type(kind) is str
        and kind in KINDS
        and type(answer) is str
        and len(answer) <= MAX_TEXT
        and (correct is None or (type(correct) in (bool, int) and (correct == 0 or correct == 1)))
        and type(q) is int
        and 0 <= q <= 5
        and type(rb) is int
        and 0 <= rb <= MAX_COUNT
        and type(ra) is int
        and 0 <= ra <= MAX_COUNT
        and type(eb) is int
        and _LOW_EF <= eb <= _HIGH_EF
        and type(ea) is int
        and _LOW_EF <= ea <= _HIGH_EF
        and type(ib) is int
        and 0 <= ib <= MAX_INTERVAL
        and type(ia) is int
        and 0 <= ia <= MAX_INTERVAL
        and (db is None or (type(db) is int and _FIRST <= db <= _LAST))
        and (da is None or (type(da) is int and _FIRST <= da <= _LAST))
        and (xb is None or (type(xb) is int and _FIRST <= xb <= _LAST))
        and type(secs) in (int, float)
        and 0 <= secs <= MAX_SECONDS
        and (pr is None or (type(pr) in (int, float) and 0 <= pr <= 1))
    )


def _review_problem(r: object) -> str:
    """In words, which value of an answer `_review_ok` refused."""
    if type(r) is not list or len(r) != 17:
        return "an answer's values must be a list of 17"
    at, day, kind, answer, correct, q = r[:6]
    if type(at) is not str or _AT.fullmatch(at) is None or not _real_time(at):
        return "the answer's time is not a time (YYYY-MM-DD HH:MM:SS)"
    for name, value in (
        ("study day", day),
        *zip(("due day before", "due day after", "drill day"), r[12:15], strict=True),
    ):
        if value is None and name != "study day":
            continue
        if type(value) is not int:
            return f"the {name} must be a whole number"
        if not _FIRST <= value <= _LAST:
            return f"the {name} is out of range ({FIRST_DAY} to {LAST_DAY})"
    if type(kind) is not str or kind not in KINDS:
        return f"kind must be one of {', '.join(sorted(KINDS))}"
    if not _is_text(answer, MAX_TEXT):
        return f"the answer must be text of at most {MAX_TEXT} characters"
    if not (correct is None or (type(correct) in (bool, int) and correct in (0, 1))):
        return "correct must be true, false or null"
    if not _is_int(q, 0, 5):
        return "quality must be a whole number from 0 to 5"
    for name, value, low, high in (
        ("repetitions before", r[6], 0, MAX_COUNT),
        ("repetitions after", r[7], 0, MAX_COUNT),
        ("easiness before", r[8], _LOW_EF, _HIGH_EF),
        ("easiness after", r[9], _LOW_EF, _HIGH_EF),
        ("interval before", r[10], 0, MAX_INTERVAL),
        ("interval after", r[11], 0, MAX_INTERVAL),
    ):
        if not _is_int(value, low, high):
            return f"{name} must be a whole number from {low} to {high}"
    if not _is_number(r[15], 0, MAX_SECONDS):
        return f"seconds must be a finite number from 0 to {MAX_SECONDS:g}"
    if r[16] is not None and not _is_number(r[16], 0, 1):
        return "the predicted recall must be a finite number from 0 to 1, or null"
    return "an answer's values are out of range"


def _uuid_problem(event: Event, field: str, what: str) -> str | None:
    value = event.get(field)
    if type(value) is not str or _UUID.fullmatch(value) is None:
        return f"{what} must be a lower-case UUID"
    return None


def event_problem(event: Event) -> str | None:
    """Why a `well_formed` event from another device cannot be merged, in words; None when
    every id is canonical and every number and string is within its bound."""
    s, h = event["s"], event["h"]
    if not _is_int(s, 1, MAX_SEQ):
        return f"its sequence number must be from 1 to {MAX_SEQ}"
    if _HLC.fullmatch(h) is None:
        return "its clock is not a quizapp clock"
    t = event["t"]
    if t in (REVIEW, REVIEW_DELETED):
        if type(event["o"]) is not str or _ORIGIN.fullmatch(event["o"]) is None:
            return "an answer's origin must be <device id>:<number>"
        if (t == REVIEW or "c" in event) and (p := _uuid_problem(event, "c", "the card id")):
            return p
        if t == REVIEW and not _review_ok(event["r"]):
            return _review_problem(event["r"])
        if t == REVIEW and "f" in event and not _feed_ok(event["f"]):
            return "an answer's feed must be <interview id>@<time>"
        return None
    if t in (CARD, CARD_DELETED, CARD_FLAGS, CARD_RESET):
        if p := _uuid_problem(event, "c", "the card id"):
            return p
        if t == CARD_FLAGS and type(event["suspended"]) is not bool:
            return "suspended must be true or false"
        if t != CARD:
            return None
        if p := _uuid_problem(event, "d", "the deck id"):
            return p
        if not _is_int(event["p"], 0, MAX_POSITION):
            return f"the card's place must be a whole number from 0 to {MAX_POSITION}"
        if not _is_text(event["x"], MAX_CARD_JSON):
            return f"the card's content must be text of at most {MAX_CARD_JSON} characters"
        if type(event.get("retired", False)) is not bool:
            return "retired must be true or false"
        return None
    if t in (DECK, DECK_DELETED):
        if p := _uuid_problem(event, "d", "the deck id"):
            return p
        if t == DECK_DELETED:
            return None
        for name, high in (("name", MAX_NAME), ("section", MAX_NAME), ("description", MAX_TEXT)):
            if not _is_text(event[name], high):
                return f"the deck's {name} must be text of at most {high} characters"
        for name in ("source", "source_digest"):
            if event[name] is not None and not _is_text(event[name], MAX_NAME):
                return f"the deck's {name} must be text of at most {MAX_NAME} characters"
        if not _is_int(event["position"], -MAX_POSITION, MAX_POSITION):
            return f"the deck's place must be a whole number of at most {MAX_POSITION}"
        if not _is_text(event["options"], MAX_OPTIONS_BYTES):
            return f"the deck's options must be text of at most {MAX_OPTIONS_BYTES} characters"
        return None
    if t in (QUESTION_SET, QUESTION_SET_DELETED, INTERVIEW):
        return _history_problem(event)
    # SETTING
    k, v = event["k"], event["v"]
    if not _is_text(k, 100):
        return "a setting's name must be short text"
    if not (
        v is None
        or type(v) is bool
        or _is_int(v, -(2**53), 2**53)
        or (type(v) is float and math.isfinite(v))
        or _is_text(v, MAX_SETTING)
    ):
        return f"the setting {k!r} must be a number, a truth value or text of at most {MAX_SETTING} characters"
    return None


MAX_QUESTIONS = 10_000
"""Questions of one interview or set: an interview of a whole 10,000-card deck is the most
anyone would sit (the window draws 10 to 50)."""


def _time_problem(value: object, what: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if type(value) is not str or _AT.fullmatch(value) is None or not _real_time(value):
        return f"{what} is not a time (YYYY-MM-DD HH:MM:SS)"
    return None


def _json_object(text: str) -> bool:
    """Whether `text` reads as a JSON object: the report and the statistics read an
    interview's settings back, and a nesting too deep to parse would break them."""
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def _history_problem(event: Event) -> str | None:
    """The bounds of a question set's or a mock interview's event (`event_problem`)."""
    t = event["t"]
    if t == INTERVIEW:
        if p := _uuid_problem(event, "i", "the interview id"):
            return p
    elif p := _uuid_problem(event, "q", "the question set id"):
        return p
    if t == QUESTION_SET_DELETED:
        return None
    if t == QUESTION_SET:
        name, cards = event["name"], event["cards"]
        if not _is_text(name, MAX_NAME) or not name.strip():
            return f"the question set's name must be text of 1 to {MAX_NAME} characters"
        if not _is_text(event["description"], MAX_TEXT):
            return f"the question set's description must be text of at most {MAX_TEXT} characters"
        if p := _time_problem(event["created"], "the question set's creation time"):
            return p
        if type(cards) is not list or len(cards) > MAX_QUESTIONS:
            return f"the question set's cards must be a list of at most {MAX_QUESTIONS}"
        for card in cards:
            if type(card) is not str or _UUID.fullmatch(card) is None:
                return "a card id of the question set must be a lower-case UUID"
        return None
    # INTERVIEW
    if not _is_text(event["title"], MAX_NAME):
        return f"the interview's title must be text of at most {MAX_NAME} characters"
    if not _is_text(event["config"], MAX_TEXT):  # with a predicted recall per question
        return f"the interview's settings must be text of at most {MAX_TEXT} characters"
    if not _json_object(event["config"]):
        return "the interview's settings must be a JSON object"
    for name, optional in (("started", False), ("finished", True), ("fed", True)):
        if p := _time_problem(event[name], f"the interview's {name} time", optional=optional):
            return p
    answers = event["answers"]
    if type(answers) is not list or len(answers) > MAX_QUESTIONS:
        return f"the interview's answers must be a list of at most {MAX_QUESTIONS}"
    for number, a in enumerate(answers, start=1):
        if type(a) is not list or len(a) != 7:
            return f"question {number}: an interview answer must be a list of 7"
        position, card, answer, correct, timed_out, seconds, at = a
        if not _is_int(position, 1, MAX_QUESTIONS):
            return f"question {number}: its place must be a whole number from 1 to {MAX_QUESTIONS}"
        if type(card) is not str or _UUID.fullmatch(card) is None:
            return f"question {number}: the card id must be a lower-case UUID"
        if not _is_text(answer, MAX_TEXT):
            return f"question {number}: the answer must be text of at most {MAX_TEXT} characters"
        if not (correct is None or type(correct) is bool) or type(timed_out) is not bool:
            return f"question {number}: correct and timed out must be true or false"
        if not _is_number(seconds, 0, MAX_SECONDS):
            return f"question {number}: seconds must be a finite number from 0 to {MAX_SECONDS:g}"
        if p := _time_problem(at, f"question {number}: the answer's time", optional=True):
            return p
    return None


def history_cards(event: Event) -> list[str]:
    """The cards a question set's or an interview's event names (the merge checks that
    each is known: a hostile device could name cards no one has)."""
    if event["t"] == QUESTION_SET:
        return list(event["cards"])
    if event["t"] == INTERVIEW:
        return [a[1] for a in event["answers"]]
    return []


def first_bad(events: list[Any]) -> tuple[int, str] | None:
    """The index of the first event of `events` that is not `well_formed` or has a
    `event_problem`, with the problem ("" for an event this version does not know);
    None when all are good. Answers, nearly all of a year, take a check written inline."""
    for index, e in enumerate(events):
        if (
            type(e) is dict
            and e.get("t") == REVIEW
            and len(e) == 6
            and type(e.get("s")) is int
            and 0 < e["s"] <= MAX_SEQ
            and type(e.get("h")) is str
            and _HLC.fullmatch(e["h"]) is not None
            and type(e.get("o")) is str
            and _ORIGIN.fullmatch(e["o"]) is not None
            and type(e.get("c")) is str
            and _UUID.fullmatch(e["c"]) is not None
            and _review_ok(e.get("r"))
        ):
            continue
        if not well_formed(e):
            return index, ""
        problem = event_problem(e)
        if problem is not None:
            return index, problem
    return None
