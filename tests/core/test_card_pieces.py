"""`deckstream.card_pieces` jumps from batch end to batch end instead of visiting every
`[[cards]]` header: each batch must still end at the first header `BATCH_BYTES` or more into
it, whatever the chunks, and the pieces must make up the text."""

from __future__ import annotations

import pytest

from quizapp.core import deckstream
from quizapp.core.deckwriter import write_deck
from quizapp.core.model import Card, Deck, Kind


def text_of(count: int) -> str:
    cards = tuple(
        Card(
            id=f"90000000-0000-4000-8000-{n:012d}", kind=Kind.FLASHCARD,
            prompt="q" * (n % 37 + 1), back="[[cards]]\nnot a header in a string" * (n % 3),
        )
        for n in range(count)
    )  # fmt: skip
    return write_deck(Deck(id="91000000-0000-4000-8000-000000000000", name="D", cards=cards))


@pytest.mark.parametrize("batch", [1, 200, 1000, 5000])
@pytest.mark.parametrize("chunking", ["whole", "lines", "sevens"])
def test_each_batch_ends_at_the_first_header_past_the_batch_size(
    batch: int, chunking: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deckstream, "BATCH_BYTES", batch)
    text = text_of(120)
    lines = text.splitlines(keepends=True)
    chunks = {
        "whole": [text],
        "lines": lines,
        "sevens": ["".join(lines[i : i + 7]) for i in range(0, len(lines), 7)],
    }[chunking]
    pieces = list(deckstream.card_pieces(iter(chunks)))
    assert "".join(t for _, t in pieces) == text
    assert [line for line, _ in pieces] == [
        1 + sum(t.count("\n") for _, t in pieces[:i]) for i in range(len(pieces))
    ]
    head, *batches = [t for _, t in pieces]
    assert "[[cards]]" not in head
    for i, piece in enumerate(batches):
        assert piece.startswith("[[cards]]\n")
        headers = [at for at in _header_starts(piece) if at > 0]
        assert all(at < batch for at in headers)  # not cut before the batch was full
        if i < len(batches) - 1:
            assert len(piece) >= batch  # the next header was the first past it


def _header_starts(piece: str) -> list[int]:
    return [m.start() for m in deckstream._HEADER.finditer(piece)]
