"""`quizapp stats` and `quizapp stats --json` on a collection with a known log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.core.grading import ChoiceAnswer, ShortAnswer
from quizapp.core.queue import SessionQueue
from quizapp.services import study
from quizapp.services.collection import open_collection
from quizapp.services.decks import sync_shipped_decks

CHOICE = "a0000000-0000-4000-8000-000000000003"
SHORT = "a0000000-0000-4000-8000-000000000004"


@pytest.fixture
def data_dir(tmp_path: Path, sample_decks: Path) -> Path:
    """The sample deck, answered twice today (one pass, one wrong pick) on the real clock."""
    folder = tmp_path / "data"
    col = open_collection(folder)
    try:
        assert sync_shipped_decks(col, sample_decks).errors == []
        for uuid, answer, quality in (
            (SHORT, ShortAnswer("E0382"), 4),
            (CHOICE, ChoiceAnswer(frozenset({0})), 1),
        ):
            sitting = study.Sitting((), SessionQueue(pending=(uuid,)), 1)
            view = study.current_card(col, sitting)
            assert view is not None
            study.answer_card(col, sitting, view, answer, quality, seconds=2)
    finally:
        col.close()
    return folder


def test_stats_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answers"] == data["answers_today"] == 2
    assert data["retention"] == {"passed": 1, "total": 2, "percent": 50.0}
    assert data["retention_by_section"]["Testing"]["total"] == 2
    assert data["streak"] == {"current": 1, "longest": 1, "study_days": 1}
    assert data["mastery_by_section"]["Testing"] == {
        "new": 3,
        "learning": 2,
        "young": 0,
        "mature": 0,
    }
    assert data["due_forecast"][1]["due"] == 2
    assert data["misconceptions"][0]["sentence"] == (
        "you chose `T: Sync` where `T: Send + 'static` was needed, once"
    )


def test_stats_text(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Retention: 50 % (1/2)" in out
    assert "Streak: 1 day (longest 1 day, 1 study day)" in out
    assert "Testing: you chose `T: Sync` where `T: Send + 'static` was needed, once" in out
    assert "Leeches (failed 8 times or more): 0" in out


def test_settings_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "settings", "set", "new_per_day", "35"]) == 0
    assert main(["--data-dir", data, "settings", "get", "new_per_day"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "35"
    assert main(["--data-dir", data, "settings", "set", "day_start_hour", "24"]) == 1
    assert "0 to 23" in capsys.readouterr().out
    assert main(["--data-dir", data, "settings"]) == 0
    listing = capsys.readouterr().out
    assert "new_per_day = 35  (default 20; 0..9999)" in listing
    assert "day_start_hour = 4  (default 4; 0..23)" in listing


def test_stats_text_names_decks_as_the_deck_list_does(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(out) if line.startswith("Deck "))
    end = out.index("", header)
    rows = [line.split("  ")[0].rstrip() for line in out[header + 1 : end]]
    assert "Sample" in rows  # by name; its section, "Testing", is the guide's chapter
    assert not any(line.startswith("Testing ") for line in out)
    assert main(["--data-dir", str(data_dir), "list"]) == 0
    listed = [line.rsplit(None, 4)[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert rows == [name for name in listed if name in rows]  # in the deck list's order
