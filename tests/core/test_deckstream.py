"""The streamed deck-file reader gives what the whole-file reader gives, problems included.

`core.deckstream` cuts the text before `[[cards]]` lines and checks each card alone; these
tests hold it to `deckfile.parse_deck_text` on generated decks, on the shipped decks and on
the layouts where cutting could go wrong, with the text fed in chunks as small as a line.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core import deckstream
from quizapp.core.deckfile import (
    CARD_FIELD_ORDER,
    DeckFileError,
    _card_schema_accepts,
    card_plainly_valid,
    parse_deck_text,
)
from quizapp.core.deckstream import read_deck_stream
from quizapp.core.deckwriter import card_to_data, write_deck
from quizapp.core.model import Card, Deck, Kind
from tests.helpers.deck_strategies import cards, decks

DECKS = Path(__file__).parents[2] / "decks"
DECK_ID = "5b0c1c9e-6f6b-4f6e-9d0e-6a1f4f1c2a10"


def by_lines(text: str) -> Iterator[str]:
    """The text one line per chunk: every chunk boundary the reader can meet."""
    return iter(text.splitlines(keepends=True))


def both(text: str) -> tuple[object, object]:
    """What each reader makes of `text`: the deck, or the error's message."""
    results = []
    for read in (
        lambda: parse_deck_text(text, "d.toml"),
        lambda: read_deck_stream(by_lines(text), "d.toml"),
        lambda: read_deck_stream([text], "d.toml"),
    ):
        try:
            results.append(read())
        except DeckFileError as exc:
            results.append(str(exc))
    assert results[1] == results[2]
    return results[0], results[1]


def flashcard(n: int, **extra: object) -> Card:
    return Card(
        id=str(uuid.UUID(int=n, version=4)),
        kind=Kind.FLASHCARD,
        prompt=f"question {n}",
        back=f"answer {n}",
        **extra,  # type: ignore[arg-type]
    )


def deck_of(count: int) -> Deck:
    return Deck(id=DECK_ID, name="Big", cards=tuple(flashcard(n) for n in range(count)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_a_written_deck_reads_the_same_streamed(deck: Deck) -> None:
    whole, streamed = both(write_deck(deck))
    assert streamed == whole == deck


def test_every_shipped_deck_reads_the_same_streamed() -> None:
    for path in sorted(DECKS.glob("*.toml")):
        whole, streamed = both(path.read_text(encoding="utf-8"))
        assert streamed == whole, path.name


CORPUS = Path(__file__).parents[1] / "data" / "fuzz" / "deckfile"


def test_every_fuzz_corpus_file_gives_the_same_deck_or_the_same_problems() -> None:
    """The deck-file fuzzer's kept inputs: hostile layouts, each refused (or read) alike."""
    checked = 0
    for path in sorted(CORPUS.iterdir()):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # refused before either reader (the importer's own test)
        whole, streamed = both(text)
        assert streamed == whole, path.name
        checked += 1
    assert checked > 50


def test_a_cards_header_inside_code_is_code() -> None:
    code = "fn main() {}\n[[cards]]\nid = 'not a card'\n[[cards]]\n"
    deck = Deck(
        id=DECK_ID,
        name="Toml",
        cards=(flashcard(1, code=code), flashcard(2), flashcard(3, code=code * 40)),
    )
    text = write_deck(deck)
    assert text.count("\n[[cards]]\n") > 3  # the cut really falls inside the strings
    whole, streamed = both(text)
    assert streamed == whole == deck


def test_a_deck_table_after_the_cards_is_the_deck() -> None:
    text = write_deck(deck_of(3))
    head, cards = text.split("\n[[cards]]", 1)
    moved = head.replace("\n[deck]", "").split("\n")
    deck_lines = [line for line in moved if not line.startswith("format")]
    text = "format = 1\n\n[[cards]]" + cards + "\n[deck]\n" + "\n".join(deck_lines) + "\n"
    whole, streamed = both(text)
    assert streamed == whole == deck_of(3)


def test_a_cards_line_inside_a_string_is_text() -> None:
    """The file opens with a card whose code has a `cards = ` line: not a static list."""
    first = flashcard(99, code="let x = 1;\ncards = 3\n")
    deck = Deck(id=DECK_ID, name="x", cards=(first, *deck_of(1000).cards[1:]))  # > a batch
    head, cards = write_deck(deck).split("\n[[cards]]", 1)
    assert "\ncards = 3\n" in cards
    text = "[[cards]]" + cards + "\n[deck]" + head.split("[deck]", 1)[1] + "\n"
    whole, streamed = both(text)
    assert streamed == whole
    assert "'format' is a required property" in str(streamed)  # and nothing else is wrong


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (f'format = 1\ncards = []\n[deck]\nid = "{DECK_ID}"\nname = "x"\n[[cards]]\n', "twice"),
        (f'format = 1\n[deck]\nid = "{DECK_ID}"\nname = "x"\n[[cards]]\n[deck]\n', "twice"),
        (
            f'format = 1\n[deck]\nid = "{DECK_ID}"\nname = "x"\n[[cards]]\ncode = """\n',
            "Unterminated",
        ),
        ('format = 2\n[deck]\nname = ""\n', "deck"),
    ],
)
def test_a_broken_layout_is_refused_by_both(text: str, words: str) -> None:
    whole, streamed = both(text)
    assert isinstance(whole, str) and isinstance(streamed, str)
    assert words in streamed


def test_a_bad_card_near_the_end_is_named_by_line_and_field() -> None:
    deck = deck_of(3000)  # ~300 KB: many batches and chunks before it
    text = write_deck(deck)
    bad = text.rfind('back = "answer 2990"')
    text = text[:bad] + 'back = 42\nsurprise = "x"' + text[bad + len('back = "answer 2990"') :]
    line = text[:bad].count("\n") + 1
    whole, streamed = both(text)
    assert streamed == whole
    assert f"d.toml:{line}: cards[2990].back: 42 is not of type 'string'" in str(streamed)
    assert f"d.toml:{line + 1}: cards[2990].surprise: unknown field" in str(streamed)


def test_duplicate_ids_far_apart_are_found() -> None:
    cards = [*deck_of(2000).cards, flashcard(7)]
    whole, streamed = both(write_deck(Deck(id=DECK_ID, name="Big", cards=tuple(cards))))
    assert streamed == whole
    assert "cards[2000].id: duplicate id" in str(streamed) and "cards[7]" in str(streamed)


def test_too_many_problems_are_counted_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deckstream, "MAX_PROBLEMS", 30)
    text = write_deck(deck_of(100)).replace('back = "answer', 'back = 1\nx = "answer')
    with pytest.raises(DeckFileError) as info:
        read_deck_stream(by_lines(text), "d.toml")
    assert len(info.value.problems) == 30
    assert "... and 180 more problems" in str(info.value)  # 200 problems, 20 shown


def test_a_card_past_the_size_bound_is_refused_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deckstream, "MAX_CARD_BYTES", 10_000)
    huge = Deck(id=DECK_ID, name="x", cards=(flashcard(1), flashcard(2, explanation="y" * 20_000)))
    with pytest.raises(DeckFileError, match=r"d.toml:\d+: a card longer than"):
        read_deck_stream(by_lines(write_deck(huge)), "d.toml")


def test_an_open_string_to_the_end_is_refused_in_few_parses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A `'''` never closed makes every later piece join the first: twice as many per try."""
    text = write_deck(deck_of(2000)).replace('back = "answer 5"', "back = '''", 1)
    calls = []
    real = deckstream.tomllib.loads

    def counting(text: str) -> dict[str, object]:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(deckstream.tomllib, "loads", counting)
    with pytest.raises(DeckFileError, match="not valid TOML"):
        read_deck_stream(by_lines(text), "d.toml")
    assert len(calls) < 20


def test_more_cards_than_the_bound_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deckstream, "MAX_CARDS", 50)
    with pytest.raises(DeckFileError, match="more than 50 cards"):
        read_deck_stream(by_lines(write_deck(deck_of(51))), "d.toml")


def test_deep_nesting_in_a_card_is_refused() -> None:
    text = write_deck(deck_of(2)) + "tags = " + "[" * 40 + "]" * 40 + "\n"
    whole, streamed = both(text)
    assert "nested more than 32 deep" in str(streamed) and "nested more" in str(whole)


MUTATIONS = [
    None,
    True,
    1.0,
    2,
    -1,
    0,
    "",
    " ",
    "x\n",
    "E0382",
    "e0382",
    [],
    [1],
    [""],
    ["a b"],
    ["a\n"],
    [1.0],
    [True],
    {},
    {"rustc": ""},
    "x" * 100_001,
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cards(),
    st.sampled_from(
        [
            "id kind prompt code edition explanation tags compiles errors ask_error messages "
            "line fixed stdout panics options answer multiple explanations back checked "
            "other"
        ][0].split()
    ),
    st.sampled_from(range(len(MUTATIONS))),
    st.booleans(),
)
def test_the_plain_check_never_passes_what_the_schema_refuses(
    card: Card, field: str, which: int, drop: bool
) -> None:
    data = copy.deepcopy(card_to_data(card))
    if drop:
        data.pop(field, None)
    else:
        data[field] = copy.deepcopy(MUTATIONS[which])
    if card_plainly_valid(data):
        assert _card_schema_accepts(data), data


def _parsed_or_message(parse: Callable[[str], object], text: str) -> str:
    """What a parser makes of `text`, compared by repr (so a tzinfo class would show)."""
    try:
        return repr(parse(text))
    except tomli.TOMLDecodeError as exc:
        return f"refused: {exc}"


def test_the_fast_parser_reads_every_corpus_file_as_tomli_does() -> None:
    """`_loads` (rtoml where it can) and tomli on every kept fuzz input and shipped deck:
    the same tables, or tomli's own message."""
    fuzz = Path(__file__).parents[1] / "data" / "fuzz"
    checked = 0
    for path in sorted([*fuzz.rglob("*"), *DECKS.glob("*.toml")]):
        if not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            expected = _parsed_or_message(tomli.loads, text)
        except RecursionError:
            continue  # deckstream reports it as too deep either way
        assert _parsed_or_message(deckstream._loads, text) == expected, path
        checked += 1
    assert checked > 300


TOML_BITS = [
    *'"\'\\\n[]=.,{}# \t\r\x7f\x00\x1fux01-+:TZ_é\u2028\ufeff\u00a0',
    '"""', "'''", "\\u00e9", "\\U0001F600", "\\e", "\\x41", "\\uD800", "\\U00110000",
    "true", "inf", "nan", "-0.0", "1e5", "1_000", "0x1f", "0o17", "9223372036854775808",
    "1979-05-27", "07:32", "00:00:00", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00.5+01:00",
    "a.b", '""', "[[cards]]\n", "x = 1\n", "\r\n",
]  # fmt: skip


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(CORPUS.iterdir())),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(TOML_BITS), st.booleans()), max_size=4),
)
def test_the_fast_parser_reads_mutated_deck_files_as_tomli_does(
    path: Path, edits: list[tuple[float, str, bool]]
) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    for where, bit, insert in edits:
        at = int(where * len(text))
        text = text[:at] + bit + text[at:] if insert else text[:at] + text[at + len(bit) :]
    try:
        expected = _parsed_or_message(tomli.loads, text)
    except RecursionError:
        return
    assert _parsed_or_message(deckstream._loads, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'code = """\r\nfn main() {}\r\n"""\n',  # tomli makes CRLF into LF in a multi-line string
        '\ufeffa = "b"\n',  # tomli refuses a second byte-order mark
        "when = 1979-05-27T07:32:00+01:00\n",  # rtoml's own tzinfo class
        "when = 1979-05-27T07:32:00Z\n",
    ],
)
def test_where_the_parsers_differ_tomli_answers(text: str) -> None:
    assert _parsed_or_message(deckstream._loads, text) == _parsed_or_message(tomli.loads, text)


def test_cards_are_made_with_their_fields_in_the_class_order() -> None:
    """`card_from_data` passes fields by position: a field added to `Card` must be added there."""
    assert [f.name for f in fields(Card)] == CARD_FIELD_ORDER
