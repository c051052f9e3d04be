"""A line of another device's journal whose type or kind is a list or an object (not a
name) is a bad line named by file and line, like any other; it used to raise a TypeError
out of the merge (a list cannot be looked up in a set), found by the property test of the
fast answer decoder (tests/core/test_sync_answers.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from quizapp.services import journal

DEVICE = "5ba1ed73a59b48899addcad5ac551a65"


def an_answer(seq: int) -> dict[str, Any]:
    return {
        "t": "review",
        "o": f"{DEVICE}:{seq}",
        "c": "00000000-0000-0000-0000-00000000bca4",
        "r": [
            *("2025-02-11 19:05:16.000000", 739293, "new", "{}", None, 5, 0, 1),
            *(250, 250, 0, 1, None, 739294, None, 4.5, None),
        ],
        "h": f"1739300716000.00000{seq}.{DEVICE}",
        "s": seq,
    }


def with_kind(kind: object) -> dict[str, Any]:
    event = an_answer(2)
    event["r"][2] = kind
    return event


ODD = {
    "a type that is a list": ({**an_answer(2), "t": []}, "not an event of this journal"),
    "a type that is an object": ({**an_answer(2), "t": {}}, "not an event of this journal"),
    "a kind that is a list": (with_kind([]), "kind must be one of"),
    "a kind that is an object": (with_kind({}), "kind must be one of"),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_an_odd_type_is_a_bad_line_named_by_file_and_line(tmp_path: Path, case: str) -> None:
    bad, message = ODD[case]
    directory = tmp_path / DEVICE
    directory.mkdir()
    path = directory / journal.journal_name(1)
    path.write_bytes(orjson.dumps(an_answer(1)) + b"\n" + orjson.dumps(bad) + b"\n")
    with pytest.raises(journal.BadLine) as caught:
        journal.read_device(directory, journal.Cursor(), strict=True)
    assert caught.value.line == 2
    assert f"{path}:2: {message}" in str(caught.value)


def test_a_run_of_good_answers_reads_whole(tmp_path: Path) -> None:
    directory = tmp_path / DEVICE
    directory.mkdir()
    path = directory / journal.journal_name(1)
    path.write_bytes(b"".join(orjson.dumps(an_answer(s)) + b"\n" for s in (1, 2, 3)))
    events, cursor = journal.read_device(directory, journal.Cursor(), strict=True)
    assert [e["s"] for e in events] == [1, 2, 3]
    assert cursor == journal.Cursor(3, path.name, path.stat().st_size)
