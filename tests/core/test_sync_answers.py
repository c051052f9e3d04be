"""The fast decoder of another device's answers says yes exactly where the bound checks do.

`sync_answers.decode_answers` may only ever accept a line `sync_events.first_bad` accepts,
with the same values; a line it declines goes the general way, which names it. Each case
below is one good answer with one value replaced by an awkward one.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.sync_answers import decode_answers
from quizapp.core.sync_events import first_bad

GOOD: dict[str, Any] = {
    "t": "review",
    "o": "5ba1ed73a59b48899addcad5ac551a65:10001",
    "c": "00000000-0000-0000-0000-00000000bca4",
    "r": [
        "2025-02-11 19:05:16.000000",
        739293,
        "new",
        "{}",
        None,
        5,
        0,
        1,
        250,
        250,
        0,
        1,
        None,
        739294,
        None,
        4.5,
        None,
    ],
    "h": "1739300716000.000000.5ba1ed73a59b48899addcad5ac551a65",
    "s": 10001,
}

TIMES = (
    "2025-02-28 10:00:00.123456",
    "2025-02-28 10:00:00",
    "2025-02-28 10:00:00.1",
    "2025-02-28 10:00:00.000001",
    "2025-02-28 10:00:00,123456",
    "2025-02-28 10:00:00.12345a",
    "2025-02-28 10:00:00.1234-5",
    "2025:02-28 10-00:00.123456",
    "2025-02-28 10:00:00.12345\u0661",
    "2025-02-28T10:00:00.123456",
    "2025-02-28 10:00:00.1234567",
    "2025-02-30 10:00:00.123456",
)
"""Answer times, good and bad, of the usual length (checked all at once) and others."""

AWKWARD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from([0, 1, 5, 6, 130, 1000, 100_000, 86_400, 86_401, 10**15, 10**15 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, 86_400.0, 86_400.5]),
    st.text(max_size=8),
    st.sampled_from(
        [
            "2025-02-30 10:00:00",
            "2025-02-28 10:00:00",
            "2025-02-28 24:00:00",
            "2025-02-28 10:00:00.1234567",
            "2025-02-28T10:00:00",
            *TIMES,
            "2025-02-28 10:00:00\n",
            "new",
            "review",
            "drill",
            "cram",
            "NEW",
            "00000000-0000-0000-0000-00000000BCA4",
            "00000000-0000-0000-0000-00000000bca4\n",
            "00000000-0000-0000-0000-00000000bca",
            "000000000-0000-0000-0000-00000000bca4",
            "00000000-0000-0000-0000-00000000bcaz",
            "00000000-0000-0000-0000-0000000-bca4",
            "5ba1ed73a59b48899addcad5ac551a65:1",
            "5ba1ed73a59b48899addcad5ac551a65:1234567890123456789",
            "5ba1ed73a59b48899addcad5ac551a65:١",
            "1739300716000.000000.5ba1ed73a59b48899addcad5ac551a65",
            "1739300716000.000000.5BA1ED73A59B48899ADDCAD5AC551A65",
            "1739300716000.000000.5ba1ed73a59b48899addcad5ac551a6",
            "1739300716000.000000.5ba1ed73a59b48899addcad5ac551a650",
            "17393.0716000000000.5ba1ed73a59b48899addcad5ac551a65",
            "1739300716000.00.000.5ba1ed73a59b48899addcad5ac551a65",
            "1739300716000.000000:5ba1ed73a59b48899addcad5ac551a65",
            "173930071600\u0661.000000.5ba1ed73a59b48899addcad5ac551a65",
            "5ba1ed73a59b48899addcad5ac551a65:",
            "5ba1ed73a59b48899addcad5ac551a65:12a",
            "5ba1ed73a59b48899addcad5ac551a65:1\n",
            "5ba1ed73a59b48899addcad5ac551a65:123456789012345678",
            "5ba1ed73a59b48899addcad5ac551a6:12",
            "5ba1ed73a59b48899addcad5ac551a65::1",
            "x" * 100_001,
            "00000000-0000-0000-0000-00000000bca4@2025-02-28 10:00:00.123456",
            "00000000-0000-0000-0000-00000000bca4@2025-02-28 10:00:00",
            "00000000-0000-0000-0000-00000000bca4@2025-02-30 10:00:00",
            "00000000-0000-0000-0000-00000000BCA4@2025-02-28 10:00:00",
            "00000000-0000-0000-0000-00000000bca4@2025-02-28 10:00:00\n",
            "00000000-0000-0000-0000-00000000bca4@",
            "00000000-0000-0000-0000-00000000bca4 2025-02-28 10:00:00",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)

PLACES = st.one_of(
    st.sampled_from(["t", "o", "c", "r", "h", "s", "f", "extra"]),
    st.integers(min_value=0, max_value=17),
)


def lines_of(events: list[dict[str, Any]]) -> bytes:
    """The events as a journal's lines (stdlib JSON: it writes integers beyond 64 bits)."""
    return b"".join(json.dumps(e).encode() + b"\n" for e in events)


def with_value(place: str | int, value: Any) -> dict[str, Any]:
    event = {**GOOD, "r": list(GOOD["r"])}
    if isinstance(place, int):
        if place == 17:
            event["r"].append(value)  # 18 values
        else:
            event["r"][place] = value
    else:
        event[place] = value
    return event


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(PLACES, AWKWARD), min_size=1, max_size=2))
def test_an_answer_is_taken_fast_only_where_the_bound_checks_take_it(
    changes: list[tuple[str | int, Any]],
) -> None:
    events = [with_value(place, value) for place, value in changes]
    array = json.dumps(events).encode()  # stdlib: it writes integers beyond 64 bits too
    fast = decode_answers(lines_of(events))
    try:
        slow = orjson.loads(array)
    except orjson.JSONDecodeError:
        assert fast is None  # the general path names it "not a journal line"
        return
    if fast is None:
        # Declined: fine only where the general path finds a problem or the event carries
        # more than an answer's keys (a newer quizapp's, which that path accepts as is).
        assert first_bad(slow) is not None or any(set(e) - {*GOOD, "f"} for e in slow)
        return
    assert first_bad(slow) is None
    assert [{**e, "r": list(e["r"])} for e in fast] == [
        {k: v for k, v in e.items() if k in GOOD or k == "f"} for e in slow
    ]
    for got, expected in zip(fast, slow, strict=True):
        # The same types too (a 4 is not a 4.0, a true is not a 1): they go into SQLite.
        assert [type(v) for v in got["r"]] == [type(v) for v in expected["r"]]


def test_a_run_of_good_answers_is_decoded_whole() -> None:
    events = [{**GOOD, "s": n, "o": f"5ba1ed73a59b48899addcad5ac551a65:{n}"} for n in (1, 2)]
    fast = decode_answers(lines_of(events))
    assert fast is not None
    assert [e["s"] for e in fast] == [1, 2]


def test_a_fed_interview_s_answer_keeps_its_feed() -> None:
    """The feed says which feed of an interview gave the answer (one interview fed on two
    machines counts once): dropped here, both feeds' answers would count."""
    feed = "00000000-0000-0000-0000-00000000bca4@2025-02-28 10:00:00.123456"
    fast = decode_answers(lines_of([{**GOOD, "f": feed}, GOOD]))
    assert fast is not None and fast[0]["f"] == feed and "f" not in fast[1]


def test_a_run_with_any_other_event_goes_the_general_way() -> None:
    card = {"t": "card_deleted", "c": GOOD["c"], "h": GOOD["h"], "s": 2}
    assert decode_answers(lines_of([GOOD, card])) is None
    assert decode_answers(b"[\n") is None


@pytest.mark.parametrize(
    "cards",
    [
        # Each card id is checked, not only their sum: one short and one long by a
        # character line their dashes up in the joined text, and must still be refused.
        ("00000000-0000-0000-0000-00000000bca", "000000000-0000-0000-0000-00000000bca4"),
        ("00000000-0000-0000-0000-00000000bca4", "00000000-0000-0000-0000-00000000bcaG"),
        ("00000000-0000-0000-0000-00000000bca4", "00000000-0000-0000-0000-0000000-bca4"),
        ("00000000-0000-0000-0000-00000000bca4", "00000000-0000-0000-0000-00000000bc\u00e9"),
    ],
)
def test_a_run_with_any_bad_card_id_goes_the_general_way(cards: tuple[str, str]) -> None:
    events = [
        {**GOOD, "s": n, "c": card, "o": f"5ba1ed73a59b48899addcad5ac551a65:{n}"}
        for n, card in enumerate(cards, 1)
    ]
    assert decode_answers(lines_of(events)) is None
    assert first_bad(events) is not None


@pytest.mark.parametrize("at", TIMES)
def test_a_time_is_taken_fast_exactly_where_the_bound_checks_take_it(at: str) -> None:
    """Times of quizapp's usual length are checked all at once, others one by one: either
    way, the fast path takes a run exactly when the general path would."""
    events = [
        {**GOOD, "s": n, "o": f"5ba1ed73a59b48899addcad5ac551a65:{n}", "r": [at, *GOOD["r"][1:]]}
        for n in (1, 2)
    ]
    events[0]["r"][0] = GOOD["r"][0]  # a good one beside it: the check is of every answer
    fast = decode_answers(lines_of(events))
    assert (fast is not None) == (first_bad(events) is None)
