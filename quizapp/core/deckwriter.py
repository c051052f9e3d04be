"""Writing a `Deck` as a deck file (TOML, format 1) that reads back to the same `Deck`.

Exported decks are committed to git and reviewed like code, so the output is fixed by the
value alone: the same deck always gives the same bytes (`write(parse(write(d))) == write(d)`),
fields come in the order `docs/deck-format.md` shows them, defaults are left out, and code
is a literal `'''` block that reads exactly like the source it holds.

The layout is written here rather than by a TOML library because the layout *is* the
format's promise (one field per line, code blocks verbatim, one option explanation per
line). Each value is written by the canonical layout's rules (`core.deck_layout`, which
`quizapp fmt` follows too), so an exported file is already canonical; the only part with
pitfalls is quoting strings, which `deck_layout.toml_string` does by the TOML 1.0 rules and
the property tests check against `tomllib`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from quizapp.core.deck_layout import card_value_text, checked_text, value_text
from quizapp.core.model import Card, Checked, Deck, Kind

FORMAT = 1


def write_deck(deck: Deck) -> str:
    """The deck file text for `deck`; `parse_deck_text` reads it back to an equal value."""
    return "".join(iter_deck_text(deck, deck.cards))


def iter_deck_text(deck: Deck, cards: Iterable[Card]) -> Iterator[str]:
    """`write_deck`'s text in pieces, one per card, for `deck`'s head and `cards` (the
    deck's own `cards` are not read): an export streams a 100,000-card deck into its file
    without holding the cards or the text (they were ~150 MiB of its peak)."""
    return iter_deck_pieces(deck, (card_piece(card) for card in cards))


def iter_deck_pieces(deck: Deck, pieces: Iterable[str]) -> Iterator[str]:
    """`iter_deck_text` over cards already written as `card_piece` text: an export writes
    its stored cards straight to text (`core.card_text`) without making `Card`s."""
    pieces = iter(pieces)
    first = next(pieces, None)
    head = [f"format = {FORMAT}"]
    if first is None:
        head.append("cards = []")  # a top-level key must come before the first table
    head += ["", "[deck]"]
    head += [f"{k} = {value_text(k, v)}" for k, v in _deck_head(deck).items()]
    yield "\n".join(head)
    if first is None:
        yield "\n"
        return
    yield first
    yield from pieces
    yield "\n"


def card_piece(card: Card) -> str:
    """One card's text in a deck file, from the blank line before its `[[cards]]` on."""
    return "\n" + _render_card(card_to_data(card))


def deck_to_data(deck: Deck) -> dict[str, Any]:
    """The parsed-TOML shape of a deck (the inverse of `deckfile.deck_from_data`).

    Importers validate their decks with `deckfile.validate_deck_data` on this, so a deck
    from CSV or Anki obeys exactly the rules a deck file does.
    """
    return {
        "format": FORMAT,
        "deck": _deck_head(deck),
        "cards": [card_to_data(c) for c in deck.cards],
    }


def _deck_head(deck: Deck) -> dict[str, Any]:
    head: dict[str, Any] = {"id": deck.id, "name": deck.name}
    if deck.section:
        head["section"] = deck.section
    if deck.description:
        head["description"] = deck.description
    return head


def card_to_data(card: Card) -> dict[str, Any]:
    """One card's fields in the file's order, only those its kind uses and not at default."""
    out: dict[str, Any] = {"id": card.id, "kind": card.kind.value, "prompt": card.prompt}
    if card.code or card.kind.has_code:
        out["code"] = card.code
    if card.edition != "2021":
        out["edition"] = card.edition
    match card.kind:
        case Kind.COMPILES:
            out["compiles"] = bool(card.compiles)
            if card.errors:
                out["errors"] = list(card.errors)
            if card.messages:
                out["messages"] = list(card.messages)
            if card.line is not None:
                out["line"] = card.line
            if card.ask_error:
                out["ask_error"] = True
        case Kind.OUTPUT:
            if card.stdout is not None:
                out["stdout"] = card.stdout
            if card.panics:
                out["panics"] = True
        case Kind.CHOICE:
            out["options"] = list(card.options)
            out["answer"] = list(card.answer_indexes)
            out["explanations"] = list(card.explanations)
            if card.multiple:
                out["multiple"] = True
        case Kind.SHORT:
            out["answer"] = list(card.accepted)
        case Kind.FLASHCARD:
            out["back"] = card.back
        case Kind.FIX:
            out["errors"] = list(card.errors)
            if card.messages:
                out["messages"] = list(card.messages)
            if card.line is not None:
                out["line"] = card.line
            out["fixed"] = card.fixed
            if card.stdout is not None:
                out["stdout"] = card.stdout
    if card.explanation:
        out["explanation"] = card.explanation
    if card.tags:
        out["tags"] = list(card.tags)
    if card.checked is not None:
        out["checked"] = _checked_to_data(card.checked)
    return out


def _checked_to_data(checked: Checked) -> dict[str, str]:
    out = {"rustc": checked.rustc}
    for key in ("diagnostic", "output", "digest"):
        value = getattr(checked, key)
        if value:
            out[key] = value
    return out


def render_deck_data(data: dict[str, Any]) -> str:
    cards: list[dict[str, Any]] = data["cards"]
    return _render(data["format"], data["deck"], cards, has_cards=bool(cards))


def _render(
    format_version: int,
    head: dict[str, Any],
    cards: Iterable[dict[str, Any]],
    *,
    has_cards: bool,
) -> str:
    lines = [f"format = {format_version}"]
    if not has_cards:
        lines.append("cards = []")  # a top-level key must come before the first table
    lines += ["", "[deck]"]
    lines += [f"{k} = {value_text(k, v)}" for k, v in head.items()]
    # One string per card, not per line: a 100,000-card deck is a million lines, and a
    # list of them held ~150 MiB until the final join.
    lines += [_render_card(card) for card in cards]
    return "\n".join(lines) + "\n"


def _render_card(card: dict[str, Any]) -> str:
    lines = ["", "[[cards]]"]
    checked = card.get("checked")
    for key, value in card.items():
        if key != "checked":
            lines.append(f"{key} = {card_value_text(key, value)}")
    if checked is not None:
        lines += ["", "[cards.checked]"]
        lines += [f"{k} = {checked_text(k, v)}" for k, v in checked.items()]
    return "\n".join(lines)
