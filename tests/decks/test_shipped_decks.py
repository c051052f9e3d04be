"""Every shipped deck passes `verify`: its answers are what the local rustc says."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp import rustc
from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.decklint import lint_decks
from quizapp.core.model import Kind
from quizapp.services.verify import verify_paths

EXPECTED_DECKS = 14
"""One deck per `##` section of the guide."""


def test_there_is_one_deck_per_guide_section() -> None:
    assert len(sorted(shipped_decks_dir().glob("*.toml"))) == EXPECTED_DECKS


@pytest.mark.rustc
@pytest.mark.slow
def test_every_shipped_deck_verifies(tmp_path: Path) -> None:
    report = verify_paths([shipped_decks_dir()], jobs=2, cache_dir=tmp_path / "cache")
    failures = "\n".join(f.render() for f in report.failures)
    assert report.failed == 0, f"{report.summary()}\n{failures}"
    assert report.skipped == 0, "shipped decks run their programs"
    assert report.decks == EXPECTED_DECKS


def test_at_least_forty_fix_cards_with_lines_to_check() -> None:
    """`verify` (above) proves each one: the code fails as stated, at the stated line, and
    the model fix compiles and prints its `stdout`."""
    cards = [c for p in shipped_decks_dir().glob("*.toml") for c in load_deck_file(p).cards]
    fixes = [c for c in cards if c.kind is Kind.FIX]
    assert len(fixes) >= 40
    assert all(c.fixed.strip() and (c.errors or c.messages) for c in fixes)
    assert sum(c.line is not None for c in cards) >= 15
    assert any(c.messages for c in fixes), "codeless errors are covered"


KNOWN_LINT: set[str | None] = set()
"""Card ids (None for a deck-level line) whose lint is accepted, each with its reason.
Empty: the shipped decks pass `quizapp verify --lint`."""


@pytest.mark.rustc
def test_the_shipped_decks_add_no_new_lint() -> None:
    decks = [(p.name, load_deck_file(p)) for p in sorted(shipped_decks_dir().glob("*.toml"))]
    found = lint_decks(decks, rustc.rustc_version())
    new = [f"{f.where} {f.card_id}: {f.message}" for f in found if f.card_id not in KNOWN_LINT]
    assert new == []
