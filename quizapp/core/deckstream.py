"""Reading a deck file card block by card block, checking each card as it is read.

`deckfile.parse_deck_text` parses the whole file into one dict before the first card is
checked: a 100,000-card file (37 MB) held ~300 MiB of tables at once, and the 64 MiB cap
kept a 300,000-card file out. Here the text arrives in chunks (`chunks`, cut at line ends
by the caller, which does the file IO), is cut before each `[[cards]]` header line, and
each piece is parsed, schema-checked and turned into a `Card` on its own; its tables are
dropped before the next piece is read. Memory per card is bounded (`MAX_CARD_BYTES`), and
the whole by the file's size cap and `MAX_CARDS`.

The result is the value `deckfile.parse_deck_text` gives for the same text, and a bad file
is refused with the same problems at the same lines (tests/core/test_deckstream.py holds
the two equal on the corpus and on generated decks):

- a `[[cards]]` line inside a multi-line string is not a header: the piece before it then
  ends inside the string, which TOML reports "at end of document"; such a piece is joined
  with the pieces after it (twice as many each time, so a string over many pieces costs a
  few parses, not one per piece) until it parses or passes `MAX_CARD_BYTES`;
- a piece that is not a card's (`[deck]` written after the cards) joins the head's tables;
  a table declared twice is refused as TOML refuses it;
- the rules across cards (unique ids) are kept in one dict of the ids seen so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import rtoml

# The same parser as deckfile: its messages are the ones users already see.
import tomli as tomllib

from quizapp.core.deckfile import (
    MAX_NESTING,
    TOO_DEEP,
    DeckFileError,
    Problem,
    _LineFinder,
    card_from_data,
    card_plainly_valid,
    card_problems,
    too_deep,
    validate_deck_data,
)
from quizapp.core.gcpause import collector_paused
from quizapp.core.model import Card, Deck
from quizapp.core.quickcard import quick_card

MAX_CARD_BYTES = 8 * 1024 * 1024
"""One card's text, header to next header. The schema allows ~100,000 characters per text
field (a few hundred KB of UTF-8 each); a longer card is refused without being parsed."""
BATCH_BYTES = 64 * 1024
"""Cards are parsed a batch at a time, each batch ending at the first header past this
size: one parser call per card cost 1.6x a whole-file parse; per 64 KiB it costs the same."""
MAX_CARDS = 500_000
"""Cards in one file (the schema's `maxItems` says the same)."""
MAX_PROBLEMS = 1000
"""Problems kept for the message (it shows 20); the rest are only counted, so a file of
300,000 bad cards does not hold 300,000 messages."""

_HEADER = re.compile(r"^\[\[cards\]\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)
"""A `[[cards]]` header as deck files write it; any other spelling stays inside the piece
before it, which then parses to two cards: correct either way, only less streamed."""
_TOML_POS = re.compile(r"\(at line (\d+), column \d+\)")
_OFFSET_TIME = re.compile(r":[0-9][0-9](?::[0-9][0-9])?(?:\.[0-9]+)?[Zz+-]")
"""Text that may hold a time with a UTC offset (`07:32:00Z`, `07:32:00.5+01:00`): `_loads`
leaves it to tomli. It starts at the colon, which the regex engine finds by a plain search:
begun at a digit, it cost 0.3 s over 100,000 cards."""


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def card_pieces(chunks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(first line, text): the head before the first header, then batches of cards, each
    from a header up to the first header past `BATCH_BYTES`.

    Every chunk must end at a line end (the last may end anywhere). A piece longer than
    `MAX_CARD_BYTES` characters raises `_TooLarge` before it is all held.
    """
    pending: list[str] = []
    size = 0
    line = 1
    batching = False  # after the head, cards are gathered into batches
    for chunk in chunks:
        pos = 0
        while True:
            # The next header that ends the batch: one that starts `BATCH_BYTES` into it or
            # later (searched for from there: the headers before it all join the batch, and
            # visiting each of 100,000 was 0.1 s). `^` matches only at a line's start.
            at = pos + max(0, BATCH_BYTES - size) if batching else pos
            match = _HEADER.search(chunk, at)
            if match is None:
                break
            start = match.start()
            if start or pending:
                pending.append(chunk[pos:start])
                text = "".join(pending)
                if len(text) > MAX_CARD_BYTES:
                    raise _TooLarge(line)
                yield line, text
                line += text.count("\n")
            pending, size, pos, batching = [], 0, start, True
        rest = chunk[pos:]
        size += len(rest)
        if size > MAX_CARD_BYTES:
            raise _TooLarge(line)
        pending.append(rest)
    text = "".join(pending)
    if text or line == 1:
        yield line, text


def read_deck_stream(chunks: Iterable[str], source: str) -> Deck:
    """The deck in the text `chunks` make up; `DeckFileError` names every problem's line."""
    reader = _Reader(source)
    try:
        with collector_paused():
            reader.read(chunks)
    except _TooLarge as exc:
        raise DeckFileError(
            source,
            [Problem(exc.line, "", f"a card longer than {MAX_CARD_BYTES >> 20} MiB; not a card")],
        ) from None
    return reader.deck()


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.head: dict[str, Any] = {}
        self.head_text = ""
        self.cards: list[Card] = []
        self.count = 0
        self.seen: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.more = 0
        self.had_cards = False
        self.places: dict[str, tuple[int, str]] = {}
        """Tables of the head written after the cards: the piece each came in, for lines."""

    def read(self, chunks: Iterable[str]) -> None:
        first = True
        static = False  # `cards = [...]` in the head: no `[[cards]]` may follow
        for line, text, data in self._parsed(card_pieces(chunks)):
            cards = data.pop("cards", None)
            if too_deep(data):  # the cards are checked one by one below
                self._too_deep()
            if first:
                first = False
                self.head, self.head_text = data, text
                deck = data.get("deck")
                if isinstance(deck, dict) and isinstance(deck.get("id"), str):
                    self.seen[deck["id"].lower()] = -1
                static = cards is not None and not _takes_more_cards(text)
                if cards is not None and not isinstance(cards, list):
                    self.head["cards"] = cards  # the schema says what is wrong with it
            else:
                if static or not isinstance(cards, list):
                    self._toml_error(line, "Cannot declare ('cards',) twice")
                for key, value in data.items():
                    if key in self.head:
                        self._toml_error(line, f"Cannot declare ({key!r},) twice")
                    self.head[key] = value
                    self.places[key] = (line, text)
            if cards is not None:
                self.had_cards = True
            if isinstance(cards, list):
                self._cards(line, text, cards)

    def _cards(self, line: int, text: str, cards: list[Any]) -> None:
        finder: _LineFinder | None = None
        for j, card in enumerate(cards):
            index = self.count
            self.count += 1
            if self.count > MAX_CARDS:
                self._add(Problem(line, "cards", f"more than {MAX_CARDS} cards"))
                raise DeckFileError(self.source, self.problems, more=self.more)
            quick = quick_card(card, index, self.seen)
            if quick is not None:
                self.cards.append(quick)
                continue
            plain = card_plainly_valid(card)
            if not plain and too_deep(card, MAX_NESTING - 2):
                self._too_deep()  # a card is two levels down: the file, its `cards`
            found = card_problems(card, index, self.seen, plainly_valid=plain)
            if not found:
                self.cards.append(card_from_data(card))
                continue
            finder = finder or _LineFinder(text)
            for problem in found:
                where = finder.line_of(["cards", j, *problem.path])
                at = where + line - 1 if where else line
                self._add(Problem(at, problem.field, problem.message))

    def deck(self) -> Deck:
        shell = dict(self.head)
        if self.had_cards and "cards" not in shell:
            shell["cards"] = []  # they were checked one by one; a file without is refused
        for problem in validate_deck_data(shell, _PlacedFinder(self.head_text, self.places)):
            self._add(problem)
        if self.problems or self.more:
            raise DeckFileError(self.source, self.problems, more=self.more)
        deck = self.head["deck"]
        return Deck(
            id=deck["id"].lower(),
            name=deck["name"],
            section=deck.get("section", ""),
            description=deck.get("description", ""),
            cards=tuple(self.cards),
        )

    def _add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1

    def _too_deep(self) -> None:
        raise DeckFileError(self.source, [Problem(None, "", TOO_DEEP)])

    def _toml_error(self, line: int, message: str) -> None:
        raise DeckFileError(self.source, [Problem(line, "", f"not valid TOML: {message}")])

    def _parsed(
        self, pieces: Iterator[tuple[int, str]]
    ) -> Iterator[tuple[int, str, dict[str, Any]]]:
        """Each piece parsed; a piece cut inside a multi-line string is joined to the next."""
        for line, text in pieces:
            extra = 1
            while True:
                try:
                    data = _loads(text)
                    break
                except tomllib.TOMLDecodeError as exc:
                    ended_early = exc.pos >= len(text)  # e.g. a string still open
                    joined = _take(pieces, extra) if ended_early else []
                    if not joined:
                        match = _TOML_POS.search(str(exc))
                        at = int(match.group(1)) + line - 1 if match else None
                        message = _TOML_POS.sub("", str(exc)).strip()
                        problem = Problem(at, "", f"not valid TOML: {message}")
                        raise DeckFileError(self.source, [problem]) from None
                    text = "".join([text, *(t for _, t in joined)])
                    if len(text) > MAX_CARD_BYTES:
                        raise _TooLarge(line) from None
                    extra *= 2
                except RecursionError:
                    raise DeckFileError(self.source, [Problem(None, "", TOO_DEEP)]) from None
            yield line, text, data


def _loads(text: str) -> dict[str, Any]:
    """`tomli.loads(text)`, through rtoml (Rust, ~4x faster on a batch of cards) when it can.

    Whatever rtoml refuses goes to tomli, whose result or message is then the answer, so a
    bad file is refused with the message users already see. Where the two parsers differ on
    text both accept, tomli is asked instead: a carriage return (tomli turns CRLF into LF
    inside multi-line strings, rtoml keeps it), a byte-order mark (tomli refuses one, rtoml
    skips it) and what may be a time with an offset (equal values, but rtoml's own tzinfo
    class, which a message quoting the value would show). tests/core/test_deckstream.py holds the two equal on the fuzz corpus,
    the shipped decks and mutated deck files.
    """
    if "\r" not in text and not text.startswith("\ufeff") and not _OFFSET_TIME.search(text):
        try:
            data: dict[str, Any] = rtoml.loads(text)
        except ValueError:  # TomlParsingError, or a lone surrogate it cannot encode
            pass  # tomli says why, in its own words (or, rarely, accepts it)
        else:
            return data
    return tomllib.loads(text)


def _takes_more_cards(text: str) -> bool:
    """Whether `[[cards]]` tables may follow `text`: not after `cards = [...]`, which TOML
    refuses to extend. Asked of the parser itself, once, rather than guessed from lines (a
    `cards =` line may sit inside a multi-line string)."""
    try:
        tomllib.loads(text + "\n[[cards]]\n")
    except tomllib.TOMLDecodeError:
        return False
    return True


class _PlacedFinder(_LineFinder):
    """Lines in the head, or in the later piece a top-level table came in."""

    def __init__(self, text: str, places: dict[str, tuple[int, str]]) -> None:
        super().__init__(text)
        self.places = places

    def line_of(self, path: Sequence[Any]) -> int | None:
        if path and path[0] in self.places:
            start, text = self.places[path[0]]
            found = _LineFinder(text).line_of(path)
            return found + start - 1 if found else None
        return super().line_of(path)


def _take(pieces: Iterator[tuple[int, str]], n: int) -> list[tuple[int, str]]:
    out = []
    for piece in pieces:
        out.append(piece)
        if len(out) == n:
            break
    return out
