"""Deck-file errors name the file, the line and the field; good files load whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.adapters.files import load_deck_file
from quizapp.core.deckfile import (
    MAX_DECK_FILE_BYTES,
    DeckFileError,
    parse_deck_bytes,
    parse_deck_text,
)
from quizapp.core.model import Kind

SAMPLE = (Path(__file__).parents[1] / "data" / "sample.toml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def problem(text: str) -> str:
    with pytest.raises(DeckFileError) as info:
        parse_deck_text(text, "team/deck.toml")
    return str(info.value)


def test_sample_loads_every_kind() -> None:
    deck = parse_deck_text(SAMPLE, "sample.toml")
    assert deck.name == "Sample"
    assert [c.kind for c in deck.cards] == [k for k in Kind if k is not Kind.FIX]
    choice = deck.cards[2]
    assert choice.answer_indexes == (1,) and len(choice.explanations) == 3
    assert deck.cards[3].accepted == ("E0382",)
    assert deck.cards[0].errors == ("E0382",) and deck.cards[0].compiles is False


@pytest.mark.parametrize(
    ("old", "new", "field", "anchor", "words"),
    [
        ("answer = [1]", "answer = [7]", "cards[2].answer", "answer = [7]", "out of range"),
        ('kind = "short"', 'kind = "essay"', "cards[3].kind", 'kind = "essay"', "is not one of"),
        (
            'errors = ["E0382"]',
            'errors = ["borrow"]',
            "cards[0].errors[0]",
            "errors = [",
            "error code",
        ),
        ("compiles = false", 'compiles = "no"', "cards[0].compiles", 'compiles = "no"', "boolean"),
        ('stdout = "0\\n1\\n2\\n"', 'stdoot = "0"', "cards[1].stdoot", "stdoot", "unknown field"),
        (
            'id = "a0000000-0000-4000-8000-000000000004"',
            'id = "not-a-uuid"',
            "cards[3].id",
            "not-a-uuid",
            "UUID",
        ),
        (
            'id = "a0000000-0000-4000-8000-000000000005"',
            'id = "a0000000-0000-4000-8000-000000000001"',
            "cards[4].id",
            'kind = "flashcard"',
            "duplicate",
        ),
        ('back = "Fields', 'front = "Fields', "cards[4]", "000000000005", "back"),
    ],
)
def test_error_names_file_line_and_field(
    old: str, new: str, field: str, anchor: str, words: str
) -> None:
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1)
    message = problem(text)
    assert f"{field}" in message
    assert words in message
    named = next(line for line in message.splitlines() if f": {field}:" in line)
    assert named.startswith("team/deck.toml:")
    line = int(named.split(":")[1])
    expected = line_of(text, anchor)
    # the duplicate id is reported on the id line just above `kind`
    assert abs(line - expected) <= 1, (line, expected, message)


def test_toml_syntax_error_has_a_line() -> None:
    text = SAMPLE.replace("[deck]", "[deck", 1)
    assert problem(text).startswith(f"team/deck.toml:{line_of(text, '[deck')}: not valid TOML")


def test_missing_format_and_wrong_version() -> None:
    assert "format" in problem(SAMPLE.replace("format = 1\n", "", 1))
    assert "format" in problem(SAMPLE.replace("format = 1", "format = 2", 1))


def test_all_problems_are_reported_at_once() -> None:
    text = SAMPLE.replace("answer = [1]", "answer = [9]").replace('kind = "short"', 'kind = "x"')
    message = problem(text)
    assert "cards[2].answer" in message and "cards[3].kind" in message


def test_not_utf8_and_too_big(tmp_path: Path) -> None:
    with pytest.raises(DeckFileError, match="not valid UTF-8"):
        parse_deck_bytes(b"format = 1\n\xff\xfe", "bad.toml")
    big = tmp_path / "big.toml"
    with big.open("wb") as f:
        f.truncate(MAX_DECK_FILE_BYTES + 1)
    with pytest.raises(DeckFileError, match="limit"):
        load_deck_file(big)


def test_missing_file_is_a_deck_error(tmp_path: Path) -> None:
    with pytest.raises(DeckFileError, match="cannot read"):
        load_deck_file(tmp_path / "nope.toml")


def test_semantic_rules() -> None:
    assert "names its error codes" in problem(SAMPLE.replace('errors = ["E0382"]\n', "", 1))
    text = SAMPLE.replace('explanations = [\n  "`Sync`', 'explanations = [\n  "x",\n  "`Sync`', 1)
    assert "4 entries for 3 options" in problem(text)
