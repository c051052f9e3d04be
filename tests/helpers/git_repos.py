"""Real git repositories on disk for the subscription tests: a bare "remote", the author's
clone, and deck files to commit into it (no network)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

DECK_ID = "7e57d3c0-0000-4000-8000-000000000001"
OTHER_DECK_ID = "7e57d3c0-0000-4000-8000-000000000002"


def card_id(n: int) -> str:
    return f"c0ffee00-0000-4000-8000-{n:012d}"


def deck_text(deck_id: str, name: str, cards: dict[int, str]) -> str:
    out = f'format = 1\n\n[deck]\nid = "{deck_id}"\nname = "{name}"\n'
    for n, prompt in cards.items():
        out += (
            f'\n[[cards]]\nid = "{card_id(n)}"\nkind = "flashcard"\n'
            f'prompt = "{prompt}"\nback = "The back of {n}"\n'
        )
    return out


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def use_backend(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """A git identity for the commits, no user config, and the git implementation to test."""
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(var, "Deck Author")
    for var in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(var, "author@example.invalid")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    if name == "dulwich":
        monkeypatch.setenv("QUIZAPP_GIT", "dulwich")
    else:
        monkeypatch.delenv("QUIZAPP_GIT", raising=False)


def make_remote(tmp_path: Path) -> Path:
    bare = tmp_path / "team-decks.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    return bare


def clone(remote: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(where)], check=True, capture_output=True)
    git(where, "checkout", "-q", "-B", "main")
    return where


def push(work: Path, message: str) -> None:
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
    git(work, "push", "-q", "origin", "main")


def make_author(remote: Path, tmp_path: Path) -> Path:
    """The author's clone, with two deck files and a .toml that is not a deck, pushed."""
    work = clone(remote, tmp_path / "author")
    (work / "decks").mkdir()
    (work / "decks" / "ownership.toml").write_text(
        deck_text(DECK_ID, "Team ownership", {1: "One", 2: "Two", 3: "Three"}), encoding="utf-8"
    )
    (work / "decks" / "extra.toml").write_text(
        deck_text(OTHER_DECK_ID, "Team extra", {10: "Ten"}), encoding="utf-8"
    )
    (work / "Cargo.toml").write_text('[package]\nname = "not-a-deck"\n', encoding="utf-8")
    push(work, "first decks")
    return work
