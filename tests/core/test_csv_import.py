"""CSV/TSV rows become cards; HTML is sanitized; errors name file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.bundle import ImportFailed
from quizapp.core.csv_import import markdown, parse_csv
from quizapp.core.deckfile import validate_deck_data
from quizapp.core.deckwriter import deck_to_data
from quizapp.core.model import Kind

DATA = Path(__file__).parents[1] / "data"
CSV = (DATA / "cards.csv").read_text(encoding="utf-8")


def test_rows_become_cards_of_their_kind() -> None:
    deck = parse_csv(CSV, "cards.csv", name="cards")
    assert validate_deck_data(deck_to_data(deck)) == []
    box, short, choice, html = deck.cards
    assert (box.kind, box.back, box.tags) == (
        Kind.FLASHCARD,
        "A heap allocation holding a `T`.",
        ("smart-pointers", "heap"),
    )
    assert short.accepted == ("E0382", "`E0382`") and short.explanation.startswith("E0382")
    assert choice.options == ("`Sync`", "`Send + 'static`", "`Copy`") and choice.answer_indexes == (
        1,
    )
    assert html.prompt == "Multi-line **HTML**\\\nfrom another app"
    assert html.back == "*back* side & more"


def test_tsv_by_extension_and_the_front_alias() -> None:
    deck = parse_csv(
        (DATA / "cards.tsv").read_text(encoding="utf-8"), "cards.tsv", name="t", delimiter="\t"
    )
    assert deck.cards[0].prompt == "What is `?` sugar for?"
    assert deck.cards[1].back == "A generic parameter with that bound."


def test_ids_are_stable_across_reimports_and_edits_of_the_back() -> None:
    first = parse_csv(CSV, "cards.csv", name="cards")
    edited = parse_csv(
        CSV.replace("A heap allocation", "One heap allocation"), "cards.csv", name="cards"
    )
    assert [c.id for c in first.cards] == [c.id for c in edited.cards]
    assert first.id == edited.id


def test_scripts_and_event_handlers_are_removed() -> None:
    text = 'prompt,back\n"<script>alert(1)</script>Hi <img src=x onerror=alert(2)>","<b onclick=""steal()"">bold</b>"\n'
    [card] = parse_csv(text, "x.csv", name="x").cards
    assert (
        "script" not in card.prompt and "alert" not in card.prompt and "onerror" not in card.prompt
    )
    assert card.prompt.strip() == "Hi"
    assert card.back == "**bold**"


def test_rust_generics_are_not_mistaken_for_html() -> None:
    assert markdown("Why is `Vec<String>` not `Copy`?") == "Why is `Vec<String>` not `Copy`?"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("prompt,back\nq1,a1\nq2,a2,extra\n", "x.csv:3: the row has 3 cells"),
        ("prompt,back,kind\nq1,a1,essay\n", "x.csv:2: column 'kind': unknown kind 'essay'"),
        ("prompt,colour\nq,red\n", "x.csv:1: column 'colour': unknown column"),
        ("back\nx\n", "x.csv:1: there is no `prompt`"),
        ('prompt,back\nq1,a1\n"q2,a2\n', "x.csv:3: the row is broken"),
        (
            "prompt,kind,answer,options\nq,choice,C,A|B\n",
            "x.csv:2: column 'answer': 'C' is not one of the options",
        ),
        ("prompt,id\nq,not-a-uuid\n", "x.csv:2: column 'id'"),
        ("prompt,back\nsame,a\nsame,b\n", "x.csv:3: column 'id': the same card as line 2"),
        ("prompt,kind,code,answer,errors\nq,compiles,fn main() {},no,borrow\n", "column 'errors'"),
        ("", "x.csv:1: the first row must name the columns"),
    ],
)
def test_bad_rows_name_file_line_and_column(text: str, words: str) -> None:
    with pytest.raises(ImportFailed) as info:
        parse_csv(text, "x.csv", name="x")
    assert words in str(info.value)
