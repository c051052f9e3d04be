"""Another device's journal is outside input (issues 13 and 16): a line that is not JSON,
an id that is not canonical, a number or a string out of its bound is named by file and
line, that device's new events are left out of the merge (the others' are merged), the
collection is not touched by it, and nothing raises."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from quizapp.app import main
from quizapp.services import sync
from tests.helpers.sync_devices import (
    Device,
    add_deck,
    answers,
    carry,
    let_everything_be_studied,
    make_device,
    state_of,
    study_some,
)

EVIL = "e" * 32


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    a, b = make_device(tmp_path, "a", 0), make_device(tmp_path, "b", 1)
    for d in (a, b):
        let_everything_be_studied(d)
        d.sync()
    add_deck(a, "Hostile", 4)
    study_some(a, 2)
    a.sync()
    carry(a, b)
    b.sync()
    yield a, b
    a.close()
    b.close()


def a_review(a: Device) -> dict[str, Any]:
    """One of `a`'s answers, as the evil device would have written it."""
    own = a.view / a.device_id
    for path in sorted(own.glob("journal-*.jsonl")):
        for line in path.read_bytes().splitlines():
            event = json.loads(line)
            if event["t"] == "review":
                event["o"] = f"{EVIL}:1"
                event["h"] = event["h"].replace(a.device_id, EVIL)
                event["s"] = 1
                return dict(event)
    raise AssertionError("a answered nothing")


def a_card(a: Device) -> dict[str, Any]:
    own = a.view / a.device_id
    for path in sorted(own.glob("journal-*.jsonl")):
        for line in path.read_bytes().splitlines():
            event = json.loads(line)
            if event["t"] == "card":
                event["h"] = event["h"].replace(a.device_id, EVIL)
                return dict(event)
    raise AssertionError("a made no card")


def forge(b: Device, lines: list[bytes]) -> Path:
    directory = b.view / EVIL
    directory.mkdir(exist_ok=True)
    path = directory / "journal-000001.jsonl"
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def answer_count(device: Device) -> int:
    with device.col.db.session() as session:
        found = session.connection().exec_driver_sql("SELECT count(*) FROM review_log")
        return int(found.scalar_one())


def dumps(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event)


def review_with(index: int, value: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(e: dict[str, Any]) -> dict[str, Any]:
        e["r"] = list(e["r"])
        e["r"][index] = value
        return e

    return change


BAD: dict[str, tuple[Callable[[dict[str, Any]], Any], str]] = {
    "repetitions of 2^63-1": (review_with(6, 2**63 - 1), "repetitions before must be"),
    "quality 9": (review_with(5, 9), "quality must be"),
    "a negative study day": (review_with(1, -5), "study day is out of range"),
    "the 30th of February": (review_with(0, "2026-02-30 10:00:00.000000"), "not a time"),
    "seconds as a string": (review_with(15, "5"), "seconds must be"),
    "an upper-case card id": (lambda e: {**e, "c": e["c"].upper()}, "lower-case UUID"),
    "a clock that is no clock": (lambda e: {**e, "h": "tomorrow"}, "not a quizapp clock"),
    "an origin of another shape": (lambda e: {**e, "o": "me"}, "origin must be"),
    "a feed that names no interview": (lambda e: {**e, "f": "me@2026-01-01 10:00:00"}, "feed"),
    "a feed at no time": (
        lambda e: {**e, "f": "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "@2026-02-30 10:00:00"},
        "feed must be",
    ),
    "a feed that is a number": (lambda e: {**e, "f": 7}, "feed must be"),
    "a sequence number of 0": (lambda e: {**e, "s": 0}, "sequence number"),
    "NaN seconds": (
        lambda e: dumps(review_with(15, 1.5)(e)).replace(b"1.5", b"NaN"),
        "not a journal line",
    ),
    "1e400 seconds": (
        lambda e: dumps(review_with(15, 1.5)(e)).replace(b"1.5", b"1e400"),
        "not a journal line",
    ),
    "a line that is not JSON": (lambda e: b'{"t": "review", ', "not a journal line"),
    "a blank line": (lambda e: b"", "not a journal line"),
    "a list instead of an event": (lambda e: b"[1, 2, 3]", "not an event of this journal"),
}


FIRST_LINES = {
    "an answer without its clock or values": (b'{"t": "review", "s": 1}', "not an event of"),
    "a line that is not JSON": (b'{"t": "review", ', "not a journal line"),
    "a list instead of an event": (b"[1, 2, 3]", "not an event of this journal"),
}


@pytest.mark.parametrize("case", sorted(FIRST_LINES))
def test_a_bad_first_line_is_named_too(pair: tuple[Device, Device], case: str) -> None:
    """A journal's first line says where it starts; a bad one left the device out of every
    merge without a word, in the merge's warnings and in `sync --status` alike."""
    _a, b = pair
    line, message = FIRST_LINES[case]
    path = forge(b, [line])
    before = answer_count(b)
    (warning,) = b.sync().warnings
    assert f"{path}:1: " in warning and message in warning, warning
    (held,) = [d for d in sync.status(b.col).others if d.device == EVIL]
    assert f"{path}:1: " in held.problem and message in held.problem
    assert answer_count(b) == before


def test_a_first_line_torn_mid_copy_or_from_a_newer_quizapp_waits_quietly(
    pair: tuple[Device, Device],
) -> None:
    _a, b = pair
    directory = b.view / EVIL
    directory.mkdir()
    (directory / "journal-000001.jsonl").write_bytes(b'{"t": "review", "s": 1, "h"')
    assert b.sync().warnings == []
    (directory / "journal-000001.jsonl").write_bytes(b'{"t": "from-2030", "s": 1, "h": "x"}\n')
    assert b.sync().warnings == []
    (held,) = [d for d in sync.status(b.col).others if d.device == EVIL]
    assert held.problem == "" and held.waiting == 0


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_line_is_named_and_its_device_is_left_out(
    pair: tuple[Device, Device], tmp_path: Path, case: str
) -> None:
    a, b = pair
    change, message = BAD[case]
    good = a_review(a)
    bad = change(a_review(a) | {"s": 2, "o": f"{EVIL}:2"})
    path = forge(b, [dumps(good), bad if isinstance(bad, bytes) else dumps(bad)])
    before = state_of(b, tmp_path / "before")
    study_some(a, 1)  # the good device has something new in the same merge
    carry(a, b)
    report = b.sync()
    (warning,) = report.warnings
    assert f"{path}:2: " in warning and message in warning, warning
    assert report.events.get(EVIL) is None  # not even its good first line
    assert answers(b) == answers(a)  # a's new answer merged all the same
    assert answer_count(b) == answer_count(a)  # and the evil device's good line was not
    after = state_of(b, tmp_path / "after")
    assert after["decks"].keys() == before["decks"].keys()
    (evil,) = [d for d in sync.status(b.col).others if d.device == EVIL]
    assert f"{path}:2: " in evil.problem  # --status says what holds it back
    # Fixed (the device rewrote its line), the next merge takes it.
    forge(b, [dumps(good)])
    again = b.sync()
    assert not again.warnings and again.events[EVIL] == 1


def test_card_and_deck_events_are_held_to_their_bounds(pair: tuple[Device, Device]) -> None:
    a, b = pair
    card = a_card(a)
    cases = {
        "the card's content is not a card": {**card, "x": '{"kind": "nonsense"}'},
        "names another card": {**card, "c": "0" * 8 + "-0000-4000-8000-" + "0" * 12},
        "the deck's name must be text of at most 1000": {
            "t": "deck",
            "d": card["d"],
            "name": "x" * 2_000_000,
            "section": "",
            "description": "",
            "source": None,
            "source_digest": None,
            "position": 0,
            "options": "{}",
            "h": card["h"],
        },
        "must be a number, a truth value or text": {
            "t": "setting",
            "k": "max_interval",
            "v": {"deep": [1, 2, 3]},
            "h": card["h"],
        },
        "suspended must be true or false": {
            "t": "card_flags",
            "c": card["c"],
            "suspended": "yes",
            "h": card["h"],
        },
    }
    for message, event in cases.items():
        path = forge(b, [dumps({**event, "s": 1})])
        report = b.sync()
        (warning,) = report.warnings
        assert f"{path}:1: " in warning and message in warning, warning


def test_the_command_line_shows_a_bad_line_escaped_and_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, data = tmp_path / "Sync", str(tmp_path / "laptop")
    assert main(["sync", str(folder), "--data-dir", data]) == 0
    capsys.readouterr()
    evil = folder / EVIL
    evil.mkdir()
    line = {"t": "setting", "k": "\x1b]0;owned\x07\x1b[2J", "v": [1], "s": 1}
    line["h"] = f"{1:013d}.{0:06d}.{EVIL}"
    (evil / "journal-000001.jsonl").write_bytes(orjson.dumps(line) + b"\n")
    assert main(["sync", "--data-dir", data]) == 0
    out, err = capsys.readouterr()
    assert "journal-000001.jsonl:1: the setting" in out
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Traceback" not in out + err
    assert main(["sync", "--status", "--data-dir", data]) == 0
    status = capsys.readouterr().out
    assert "not merged until fixed" in status and "\x1b" not in status
