"""The integrity check starts before the heavy imports when the command will open the collection."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp import app
from quizapp.services.collection import Collection
from quizapp.storage import early_check


@pytest.mark.parametrize(
    ("words", "started"),
    [
        ([], False),  # the window: it starts its own check after its first paint
        (["list"], True),
        (["stats", "--json"], True),
        (["backup", "list"], True),
        (["verify", "deck.toml"], False),
        (["--version"], False),
        (["--help"], False),
    ],
)
def test_which_commands_start_the_check_early(
    col: Collection, words: list[str], started: bool
) -> None:
    data = col.data_dir
    app._check_collection_early(["--data-dir", str(data), *words])
    path = data / early_check.DB_NAME
    assert (path in early_check._STARTED) is started
    if started:
        # The caller that opens the collection takes the early result.
        version, check = early_check.result(path)
        assert check == "ok" and version > 0
    assert path not in early_check._STARTED


def test_no_collection_yet_starts_nothing(tmp_path: Path) -> None:
    app._check_collection_early(["--data-dir", str(tmp_path / "new"), "list"])
    assert not any(str(tmp_path) in str(p) for p in early_check._STARTED)
