"""The digest must move with what rustc judges and only with that, or stored results lie."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp.core.checked import card_digest, checked_is_current
from quizapp.core.model import Card, Checked, Kind

COMPILES = Card(
    id="a0000000-0000-4000-8000-000000000001",
    kind=Kind.COMPILES,
    prompt="Does this compile?",
    code="fn main() {}\n",
    compiles=False,
    errors=("E0382", "E0499"),
)
OUTPUT = Card(
    id="a0000000-0000-4000-8000-000000000002",
    kind=Kind.OUTPUT,
    prompt="What does it print?",
    code='fn main() { println!("1"); }\n',
    stdout="1\n",
)


def test_digest_is_a_stable_sha256_hex() -> None:
    digest = card_digest(COMPILES)
    assert digest == card_digest(replace(COMPILES))
    assert len(digest) == 64
    int(digest, 16)


@pytest.mark.parametrize(
    "change",
    [
        {"code": "fn main() { }\n"},
        {"edition": "2018"},
        {"compiles": True, "errors": ()},
        {"errors": ("E0382",)},
    ],
)
def test_digest_changes_with_what_rustc_judges_on_compiles_cards(change: dict[str, object]) -> None:
    assert card_digest(replace(COMPILES, **change)) != card_digest(COMPILES)  # type: ignore[arg-type]


@pytest.mark.parametrize("change", [{"stdout": "2\n"}, {"panics": True}, {"stdout": None}])
def test_digest_changes_with_the_expected_output(change: dict[str, object]) -> None:
    assert card_digest(replace(OUTPUT, **change)) != card_digest(OUTPUT)  # type: ignore[arg-type]


def test_digest_ignores_wording_and_the_order_of_error_codes() -> None:
    reworded = replace(
        COMPILES, prompt="Compiles?", explanation="Because.", tags=("x",), ask_error=True
    )
    assert card_digest(reworded) == card_digest(COMPILES)
    assert card_digest(replace(COMPILES, errors=("E0499", "E0382"))) == card_digest(COMPILES)


def test_same_code_as_another_kind_is_another_digest() -> None:
    as_output = replace(OUTPUT, code=COMPILES.code)
    as_compiles = replace(COMPILES, compiles=True, errors=())
    assert card_digest(as_output) != card_digest(as_compiles)


def test_cards_without_code_have_no_digest() -> None:
    card = Card(id="x", kind=Kind.FLASHCARD, prompt="?", back="!")
    with pytest.raises(ValueError, match="flashcard"):
        card_digest(card)


def test_checked_is_current_only_for_a_matching_digest() -> None:
    assert not checked_is_current(OUTPUT)
    fresh = replace(
        OUTPUT, checked=Checked(rustc="rustc 1", output="1\n", digest=card_digest(OUTPUT))
    )
    assert checked_is_current(fresh)
    assert not checked_is_current(replace(fresh, stdout="2\n"))
