"""`quizapp sync DIR`, `quizapp sync`, `quizapp sync --status`: two machines from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.services.collection import open_collection


def test_a_setting_changed_from_the_shell_reaches_the_other_machine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Sync"
    desk, laptop = str(tmp_path / "desk"), str(tmp_path / "laptop")
    assert main(["sync", str(folder), "--data-dir", desk]) == 0
    assert main(["sync", str(folder), "--data-dir", laptop]) == 0
    capsys.readouterr()
    assert main(["settings", "set", "max_interval", "200", "--data-dir", desk]) == 0
    assert main(["sync", "--data-dir", laptop]) == 0  # the folder chosen before
    out = capsys.readouterr().out
    assert "Merged 1 event from 1 other device" in out and "  1 setting changed" in out
    col = open_collection(Path(laptop))
    try:
        assert col.settings.max_interval == 200
    finally:
        col.close()
    assert main(["sync", "--status", "--data-dir", laptop]) == 0
    status = capsys.readouterr().out
    assert f"Sync folder: {folder.resolve()}" in status
    assert "0 waiting" in status


def test_sync_without_a_folder_says_how_to_choose_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert main(["sync", "--data-dir", data]) == 1
    assert "no sync folder chosen" in capsys.readouterr().err
    assert main(["sync", "--status", "--data-dir", data]) == 0
    assert "No sync folder chosen" in capsys.readouterr().out
