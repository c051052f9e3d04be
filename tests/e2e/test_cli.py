"""The installed `quizapp` command, as a newcomer runs it, on a fresh data directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp import __version__

ROOT = Path(__file__).resolve().parents[2]


def quizapp_command() -> str:
    beside = Path(sys.executable).parent / "quizapp"
    found = str(beside) if beside.exists() else shutil.which("quizapp")
    assert found, "the quizapp console script is not installed (pip install -e '.[test]')"
    return found


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [quizapp_command(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"quizapp {__version__}"
    help_text = run("--help").stdout
    for word in ("--data-dir", "list", "verify"):
        assert word in help_text


def test_list_shows_every_shipped_deck_with_counts(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "fresh"), "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].split() == ["Deck", "New", "Learn", "Due", "Cards"]
    decks = lines[1:]
    assert len(decks) == len(list((ROOT / "decks").glob("*.toml"))) == 14
    for line in decks:
        new, learn, due, cards = (int(x) for x in line.split()[-4:])
        assert (new, learn, due) == (min(20, cards), 0, 0)
    assert (tmp_path / "fresh" / "collection.sqlite3").exists()
    assert result.stderr == ""


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    result = run("list", env={"QUIZAPP_DATA_DIR": str(tmp_path / "env")})
    assert result.returncode == 0
    assert (tmp_path / "env" / "collection.sqlite3").exists()


def test_a_file_that_is_not_a_collection_is_refused_and_kept(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "collection.sqlite3").write_text("not sqlite")
    result = run("--data-dir", str(data), "list")
    assert result.returncode == 1
    assert "not a quizapp collection" in result.stderr
    assert (data / "collection.sqlite3").read_text() == "not sqlite"


def test_python_dash_m_works(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "--data-dir", str(tmp_path), "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "Ownership" in result.stdout


@pytest.mark.slow
def test_wheel_carries_decks_resources_and_schema(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("quizapp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    decks = [n for n in names if n.startswith("quizapp/_data/decks/") and n.endswith(".toml")]
    assert len(decks) == 14
    assert "quizapp/_data/deck-format.schema.json" in names
    assert "quizapp/_data/resources/dark.qss" in names


def test_output_cut_short_by_a_pipe_is_not_an_error(tmp_path: Path) -> None:
    """`quizapp list | head -1`: the reader leaves early; no traceback."""
    proc = subprocess.Popen(
        [quizapp_command(), "--data-dir", str(tmp_path), "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before quizapp writes its first line
    stderr = proc.stderr.read()
    proc.stderr.close()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
