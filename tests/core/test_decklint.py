"""`verify --lint`'s checks on small decks built in the test."""

from __future__ import annotations

from dataclasses import replace

from quizapp.core.checked import card_digest
from quizapp.core.decklint import hand_quoted_rustc, lint_decks, right_is_longest
from quizapp.core.model import Card, Checked, Deck, Kind

CODE = 'fn main() {\n    let s = String::from("hi");\n    let t = s;\n    println!("{s}");\n}\n'
DIAG = "error[E0382]: borrow of moved value: `s`\n --> main.rs:4:15\n"


def uid(n: int) -> str:
    return f"a0000000-0000-4000-8000-{n:012d}"


def compiles_card(n: int, explanation: str = "Moved.", rustc: str = "rustc 1.95.0") -> Card:
    card = Card(
        id=uid(n),
        kind=Kind.COMPILES,
        prompt="Does it compile?",
        code=CODE,
        compiles=False,
        errors=("E0382",),
        explanation=explanation,
    )
    return replace(card, checked=Checked(rustc, DIAG, "", card_digest(card)))


def choice(n: int, options: tuple[str, ...], right: int) -> Card:
    return Card(
        id=uid(n),
        kind=Kind.CHOICE,
        prompt=f"Question {n}?",
        options=options,
        answer_indexes=(right,),
        explanations=("why",) * len(options),
    )


def messages(decks: list[tuple[str, Deck]], local: str | None = "rustc 1.95.0") -> list[str]:
    return [f"{f.where} {f.card_id} {f.message}" for f in lint_decks(decks, local)]


def test_a_clean_deck_has_no_findings() -> None:
    deck = Deck(id=uid(0), name="A", cards=(compiles_card(1),))
    assert messages([("a.toml", deck)]) == []


def test_the_same_code_in_two_decks_is_flagged_but_not_under_another_edition() -> None:
    a = Deck(id=uid(0), name="A", cards=(compiles_card(1),))
    b = Deck(id=uid(9), name="B", cards=(compiles_card(2),))
    [found] = messages([("a.toml", a), ("b.toml", b)])
    assert found.startswith(f"b.toml {uid(2)} same code as card {uid(1)} in a.toml")
    other = Deck(id=uid(9), name="B", cards=(replace(compiles_card(2), edition="2015"),))
    assert messages([("a.toml", a), ("b.toml", other)]) == []


def test_the_same_prompt_without_code_is_flagged() -> None:
    one = Card(id=uid(1), kind=Kind.FLASHCARD, prompt="What is  Pin?", back="b")
    two = replace(one, id=uid(2), prompt="what is pin?")
    [found] = messages([("a.toml", Deck(id=uid(0), name="A", cards=(one, two)))])
    assert "same prompt" in found


def test_a_deck_whose_right_options_are_mostly_the_longest_is_flagged_with_its_cards() -> None:
    cards = [choice(i, ("a", "bb", "the longest one"), 2) for i in range(1, 5)]
    cards.append(choice(5, ("the longest one", "b"), 1))
    deck = Deck(id=uid(0), name="A", cards=tuple(cards))
    found = messages([("a.toml", deck)])
    assert found[0] == "a.toml None 4 of 5 single-answer choice cards have the longest option right"
    assert len(found) == 5 and all("longest" in f for f in found)
    cards[0] = choice(1, ("a much longer wrong one", "bb", "short"), 2)
    assert messages([("a.toml", replace(deck, cards=tuple(cards)))]) == []


def test_ties_do_not_count_as_longest() -> None:
    assert not right_is_longest(choice(1, ("abc", "xyz"), 0))
    assert right_is_longest(choice(1, ("abcd", "xyz"), 0))


def test_a_card_without_any_explanation_is_flagged() -> None:
    bare = replace(compiles_card(1), explanation="")
    assert messages([("a.toml", Deck(id=uid(0), name="A", cards=(bare,)))]) == [
        f"a.toml {uid(1)} no explanation"
    ]
    options_only = choice(2, ("a", "bbbbb", "c"), 0)  # every option says why: enough
    assert messages([("a.toml", Deck(id=uid(0), name="A", cards=(options_only,)))]) == []


def test_rustc_quoted_by_hand_must_match_the_stored_diagnostic() -> None:
    right = compiles_card(1, 'E0382 "borrow of moved value": `t` took it.')
    assert hand_quoted_rustc(right) == []
    wrong = compiles_card(1, 'It is E0382 "use of moved value: `s`".')
    [found] = hand_quoted_rustc(wrong)
    assert "use of moved value" in found
    backticked = compiles_card(1, "rustc prints `error[E0382]: borrow of a moved value`.")
    assert len(hand_quoted_rustc(backticked)) == 1
    warning = compiles_card(1, 'There is also an "unused variable" warning.')
    assert len(hand_quoted_rustc(warning)) == 1, "warnings are not stored: the learner can't see it"


def test_diagnostics_from_another_rustc_are_flagged_per_deck() -> None:
    deck = Deck(
        id=uid(0),
        name="A",
        cards=(compiles_card(1, rustc="rustc 1.80.0"), replace(compiles_card(2), code=CODE * 2)),
    )
    [found] = messages([("a.toml", deck)])
    assert "1 stored diagnostics were made by rustc 1.80.0, not the local rustc 1.95.0" in found
    assert messages([("a.toml", deck)], local=None) == []
