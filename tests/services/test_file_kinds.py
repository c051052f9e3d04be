"""`import` of something that is not a regular file says what it is (issue 13.9)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.core.bundle import ImportFailed
from quizapp.services.importers import read_bundle


@pytest.mark.parametrize("suffix", [".toml", ".csv", ".apkg"])
def test_a_fifo_is_named_and_never_opened(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)  # opening it would block until a writer came
    with pytest.raises(ImportFailed, match=r"this is a named pipe \(FIFO\), not a regular file"):
        read_bundle(fifo)


def test_a_folder_and_a_device_are_named(tmp_path: Path) -> None:
    folder = tmp_path / "deck.toml"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="this is a folder, not a file"):
        read_bundle(folder)
    device = Path("/dev/null.csv")
    if not device.exists():
        device = tmp_path / "null.csv"
        device.symlink_to("/dev/null")
    with pytest.raises(ImportFailed, match="this is a device, not a regular file"):
        read_bundle(device)


def test_the_cli_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cards.csv"
    folder.mkdir()
    assert main(["--data-dir", str(tmp_path / "data"), "import", "--yes", str(folder)]) == 1
    assert f"{folder}: this is a folder, not a file" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["decks", "/dev/zero"])
def test_without_an_extension_it_still_says_what_it_is(tmp_path: Path, name: str) -> None:
    """A folder or device named without an extension was refused for its name alone, as
    "files without an extension files", never saying what it was."""
    path = Path(name) if name.startswith("/") else tmp_path / name
    if not path.exists():
        path.mkdir()
    with pytest.raises(ImportFailed, match=r"this is a (folder, not a file|device, not a)"):
        read_bundle(path)


def test_an_unknown_extension_is_named_once(tmp_path: Path) -> None:
    for name, words in (
        ("deck.txt", "cannot import .txt files;"),
        ("deck", "without an extension;"),
    ):
        path = tmp_path / name
        path.write_text("x", encoding="utf-8")
        with pytest.raises(ImportFailed, match=words):
            read_bundle(path)
