"""`quizapp deck-options`, `optimize`, `workload` and the memory figures of `stats --json`."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.services.collection import open_collection
from quizapp.services.decks import sync_shipped_decks

DECK = "Sample"


@pytest.fixture
def data(tmp_path: Path, sample_decks: Path) -> str:
    folder = tmp_path / "data"
    col = open_collection(folder)
    assert sync_shipped_decks(col, sample_decks).errors == []
    col.close()
    return str(folder)


def add_history(data: str, days: int) -> None:
    """Every card of the sample reviewed every third day for `days` days: 500 real rows,
    enough for the optimizer (it needs 400 reviews after a first answer)."""
    conn = sqlite3.connect(Path(data) / "collection.sqlite3")
    start = date.today() - timedelta(days=days)
    with conn:
        sample = "SELECT c.id FROM card c JOIN deck d ON d.id = c.deck_id WHERE d.name = 'Sample'"
        for (card_id,) in conn.execute(sample).fetchall():
            for n, day in enumerate(range(0, days, 3)):
                when = start + timedelta(days=day)
                quality = 1 if (card_id + n) % 5 == 0 else 4
                conn.execute(
                    "INSERT INTO review_log (card_id, reviewed_at, study_day, kind, answer, quality, "
                    "repetitions_before, repetitions_after, easiness_before, easiness_after, "
                    "interval_before, interval_after, seconds) "
                    "VALUES (?, ?, ?, ?, '', ?, 0, 0, 250, 250, 0, 0, 1.0)",
                    (
                        card_id,
                        datetime.combine(when, datetime.min.time(), UTC).isoformat(" "),
                        when.toordinal(),
                        "new" if n == 0 else "review",
                        quality,
                    ),
                )
    conn.close()


def test_switch_a_deck_to_fsrs_and_back(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deck-options", DECK, "--data-dir", data, "--scheduler", "fsrs"]) == 0
    assert (
        "scheduler: fsrs\ndesired retention: 0.9\nparameters: defaults" in capsys.readouterr().out
    )
    assert main(["deck-options", DECK, "--data-dir", data, "--retention", "0.5"]) == 1
    assert "0.7 to 0.99" in capsys.readouterr().out
    assert main(["deck-options", DECK, "--data-dir", data, "--scheduler", "sm2"]) == 0
    assert capsys.readouterr().out == "scheduler: sm2\n"


def test_optimize_refuses_a_short_log_politely_then_fits_a_long_one(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["optimize", "--data-dir", data]) == 1
    assert "No deck uses FSRS" in capsys.readouterr().out
    assert main(["deck-options", DECK, "--data-dir", data, "--scheduler", "fsrs"]) == 0
    assert main(["optimize", "--deck", DECK, "--data-dir", data]) == 1
    assert "at least 400 are needed" in capsys.readouterr().out
    add_history(data, days=300)
    assert main(["optimize", "--data-dir", data]) == 0
    assert "FSRS fitted to your reviews on" in capsys.readouterr().out
    assert main(["deck-options", DECK, "--data-dir", data]) == 0
    assert "parameters: fitted on" in capsys.readouterr().out


def test_workload_and_the_memory_figures(data: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workload", DECK, "--data-dir", data, "--days", "60", "--retention", "0.8"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Expected reviews over 60 days: ")
    assert main(["workload", DECK, "--data-dir", data, "--days", "0"]) == 1
    capsys.readouterr()
    assert main(["stats", "--json", "--data-dir", data]) == 0
    figures = json.loads(capsys.readouterr().out)["memory"]
    assert figures["readiness"]["Testing"] == 0.35  # nothing reviewed: the stated prior
    assert figures["predicted_recall"] == {"cards": 0, "mean": None, "below_0.8": 0}
    assert figures["recall_calibration"]["predictions"] == 0


def test_a_decks_own_daily_limits_from_the_command_line(
    data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["deck-options", DECK, "--data-dir", data]
    assert main([*args, "--new-per-day", "3", "--new-order", "file"]) == 0
    out = capsys.readouterr().out
    assert "new cards a day: 3\nnew cards come in: file order\n" in out
    assert main(["list", "--data-dir", data]) == 0
    assert main([*args, "--new-per-day", "settings"]) == 0
    assert "new cards a day" not in capsys.readouterr().out
    assert main([*args, "--reviews-per-day", "10000"]) == 1
    assert "reviews_per_day: 10000 is not a whole number from 0 to 9999" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([*args, "--new-per-day", "\x1b[2Jmany"])
    assert "\x1b" not in capsys.readouterr().err
