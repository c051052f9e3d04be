"""Another device's answers decoded and held to their bounds in one pass, in C.

Nearly all of a year of study is answers (`review` events): 200,000 lines for two devices.
Parsing them to dicts and then checking each value in Python (`sync_events.first_bad`)
cost 0.6 s of a merge; msgspec does both at once from the same bounds, about twice as
fast. It only ever says yes: when any line of a run is not an answer, or breaks a bound,
`decode_answers` returns None and the caller takes the general path, which accepts what
it accepted before and names a bad line exactly as before. So an answer accepted here is
one `first_bad` accepts, with the same values (its `r` a tuple instead of a list).

An answer that carries keys besides the six it needs and its optional feed (`f`, a fed
mock interview's answer) loses them here: a newer quizapp's, which nothing reads
(`well_formed` lets them pass, the merge ignores them).
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import compress, repeat
from operator import eq, itemgetter, methodcaller, ne
from typing import Annotated, Any, Literal, NotRequired, TypedDict

import msgspec
from msgspec import Meta

from quizapp.core.bundle import MAX_COUNT, MAX_INTERVAL, MAX_SECONDS
from quizapp.core.sync_events import (
    _FIRST,
    _HIGH_EF,
    _LAST,
    _LOW_EF,
    MAX_SEQ,
    MAX_TEXT,
    Event,
)

_CLOCK_DEVICE = re.compile(r"\.[0-9a-f]{32}")
_ORIGIN_DEVICE = re.compile(r"[0-9a-f]{32}:")
# The answer's time as `sync_events._AT` (msgspec searches: anchored at both ends; `\Z`,
# not `$`, which would let a trailing newline through).
_AT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?\Z"
_AT_PATTERN = re.compile(_AT)

_Day = Annotated[int, Meta(ge=_FIRST, le=_LAST)]
_Count = Annotated[int, Meta(ge=0, le=MAX_COUNT)]
_Easiness = Annotated[int, Meta(ge=_LOW_EF, le=_HIGH_EF)]
_Interval = Annotated[int, Meta(ge=0, le=MAX_INTERVAL)]
_Unit = Annotated[int, Meta(ge=0, le=1)]

_Values = tuple[
    str,  # reviewed at: of the form `_AT` (`_times_ok`), a real moment (checked after)
    _Day,  # study day
    Literal["new", "review", "drill", "cram"],  # sync_events.KINDS
    Annotated[str, Meta(max_length=MAX_TEXT)],  # the answer
    bool | _Unit | None,  # correct
    Annotated[int, Meta(ge=0, le=5)],  # quality
    _Count,  # repetitions before
    _Count,  # repetitions after
    _Easiness,  # easiness before
    _Easiness,  # easiness after
    _Interval,  # interval before
    _Interval,  # interval after
    _Day | None,  # due day before
    _Day | None,  # due day after
    _Day | None,  # drill day before
    Annotated[int, Meta(ge=0, le=int(MAX_SECONDS))]
    | Annotated[float, Meta(ge=0, le=MAX_SECONDS)],  # seconds
    _Unit | Annotated[float, Meta(ge=0, le=1)] | None,  # predicted recall
]
"""`sync_events._review_ok`, value by value (REVIEW_COLUMNS' order)."""


_FEED = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@" + _AT.removeprefix("^")
"""`sync_events.feed_tag`: the interview and the feed's time (a real moment: checked after)."""


class _Answer(TypedDict):
    t: Literal["review"]
    s: Annotated[int, Meta(ge=1, le=MAX_SEQ)]
    h: str  # the ids' shapes: `_ids_ok`
    o: str
    c: str
    r: _Values
    f: NotRequired[Annotated[str, Meta(pattern=_FEED)]]  # an interview's answer


_CARD, _CLOCK, _ORIGIN = itemgetter("c"), itemgetter("h"), itemgetter("o")
_VALUES, _AT_VALUE, _HAS_FEED = itemgetter("r"), itemgetter(0), methodcaller("__contains__", "f")
_HEAD, _TAIL = itemgetter(slice(None, 21)), itemgetter(slice(20, None))
_DEVICE, _NUMBER = itemgetter(slice(None, 33)), itemgetter(slice(33, None))

_DECODER = msgspec.json.Decoder(_Answer)
_HEX_OR_DASH = b"0123456789abcdef-"


def decode_answers(lines: bytes | memoryview) -> list[Event] | None:
    """The events of `lines` (a journal's complete lines, each ending in a newline) when
    every one is an answer within its bounds; None otherwise (the caller's general path
    decides, as it does when fewer events than lines come back)."""
    try:
        events: list[Any] = _DECODER.decode_lines(lines)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    times = list(map(_AT_VALUE, map(_VALUES, events)))
    if not _times_ok(times):
        return None
    parse = datetime.fromisoformat
    try:
        # No 30 February (`sync_events._real_time`); in C, a loop here cost twice as much.
        for _ in map(parse, times):
            pass
        for event in filter(_HAS_FEED, events):
            parse(event["f"][37:])
    except ValueError:
        return None
    return events if _ids_ok(events) else None


_USUAL_TIME = 26
"""The length of a time as quizapp writes it: "2025-02-28 10:00:00.123456"."""
_TIME_MARKS = ((4, "-"), (7, "-"), (10, " "), (13, ":"), (16, ":"), (19, "."))
_TIME_CHARS = b"0123456789-: ."


def _times_ok(times: list[str]) -> bool:
    """Every answer's time of the form `_AT`. msgspec's pattern cost 0.09 s a year's
    answers: the usual form (`_USUAL_TIME` characters) is checked all at once instead,
    each of the few others by the pattern."""
    lengths = list(map(len, times))
    odd = list(compress(times, map(ne, lengths, repeat(_USUAL_TIME))))
    if not all(map(_AT_PATTERN.search, odd)):
        return False
    usual = "".join(compress(times, map(eq, lengths, repeat(_USUAL_TIME))))
    n = len(times) - len(odd)
    return (
        usual.isascii()
        and all(usual[at::_USUAL_TIME] == mark * n for at, mark in _TIME_MARKS)
        and usual.count("-") == 2 * n
        and usual.count(":") == 2 * n
        and usual.count(" ") == n
        and usual.count(".") == n
        and not usual.encode().translate(None, _TIME_CHARS)
    )


def _ids_ok(events: list[Any]) -> bool:
    """Every clock, origin and card id of the shape `sync_events` holds them to.

    A pattern per value (msgspec's) cost 0.07 s per 200,000 values each; a clock and an
    origin repeat their device part (a device's answers share its id), so the distinct
    device parts are matched once and the rest are digits checked all at once.
    """
    n = len(events)
    # map and itemgetter: the loops run in C (comprehensions cost twice as much here).
    clocks = list(map(_CLOCK, events))
    origins = list(map(_ORIGIN, events))
    # A clock: 13 digits "." 6 digits "." 32 hex digits (the device).
    heads = "".join(map(_HEAD, clocks))
    tails = set(map(_TAIL, clocks))
    # An origin: 32 hex digits (the device) ":" 1 to 18 digits.
    devices = set(map(_DEVICE, origins))
    numbers = list(map(_NUMBER, origins))
    digits = "".join(numbers)
    # A card id: 36 characters, 8-4-4-4-12 lower-case hex digits (`sync_events._UUID`),
    # checked all at once (a pattern per id cost 0.04 s a year's answers).
    card_ids = list(map(_CARD, events))
    cards = "".join(card_ids)
    return (
        set(map(len, card_ids)) <= {36}
        and all(cards[at::36] == "-" * n for at in (8, 13, 18, 23))
        and cards.count("-") == 4 * n
        and cards.isascii()
        and not cards.encode().translate(None, _HEX_OR_DASH)
        and len(heads) == 21 * n
        and heads[13::21] == "." * n
        and heads[20::21] == "." * n
        and heads.count(".") == 2 * n
        and heads.isascii()
        and heads.replace(".", "").isdigit()
        and all(_CLOCK_DEVICE.fullmatch(t) for t in tails)
        and all(_ORIGIN_DEVICE.fullmatch(d) for d in devices)
        and min(map(len, numbers), default=1) >= 1
        and max(map(len, numbers), default=1) <= 18
        and digits.isascii()
        and (digits.isdigit() or not digits)
    )
