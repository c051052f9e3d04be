"""Every shipped deck passes `verify`: its answers are what the local rustc says."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.adapters.paths import shipped_decks_dir
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
