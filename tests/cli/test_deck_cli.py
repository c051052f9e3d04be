"""`quizapp deck rename|delete`: a deck of one's own by name; shipped decks refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.services import backup
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def deck_names(capsys: pytest.CaptureFixture[str], data: Path) -> list[str]:
    _, out, _ = run(capsys, "list", "--data-dir", str(data))
    return [line.rsplit(None, 4)[0] for line in out.splitlines()[1:] if line.strip()]


def test_rename_then_delete_a_deck_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert run(capsys, "import", "--yes", str(DATA / "cards.csv"), "--data-dir", str(data))[0] == 0
    status, out, _ = run(capsys, "deck", "rename", "cards", "Team cards", "--data-dir", str(data))
    assert status == 0 and "Team cards" in out
    assert "Team cards" in deck_names(capsys, data) and "cards" not in deck_names(capsys, data)

    # No terminal and no --yes: refused, nothing deleted (pytest's stdin is not a terminal).
    status, _, err = run(capsys, "deck", "delete", "team cards", "--data-dir", str(data))
    assert status == 1 and "--yes" in err and "4 cards" in err
    assert "Team cards" in deck_names(capsys, data)

    status, out, _ = run(capsys, "deck", "delete", "Team cards", "--yes", "--data-dir", str(data))
    assert status == 0 and "4 cards" in out
    assert "Team cards" not in deck_names(capsys, data)
    assert [b.reason for b in backup.list_backups(data)][:1] == ["before-delete"]


def test_shipped_decks_are_refused_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shipped = deck_names(capsys, data)[0]
    status, _, err = run(capsys, "deck", "delete", shipped, "--yes", "--data-dir", str(data))
    assert status == 1 and "would come back at the next start" in err
    status, _, err = run(capsys, "deck", "rename", shipped, "Mine", "--data-dir", str(data))
    assert status == 1 and "cannot be renamed" in err
    assert deck_names(capsys, data)[0] == shipped
    status, _, err = run(capsys, "deck", "delete", "no such deck", "--yes", "--data-dir", str(data))
    assert status == 1 and "no deck called" in err


def test_import_names_the_deck_or_adds_to_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    csv = str(DATA / "cards.csv")
    status, out, _ = run(capsys, "import", "--yes", csv, "--name", "Team", "--data-dir", str(data))
    assert status == 0 and "Team: new deck" in out
    assert "Team" in deck_names(capsys, data) and "cards" not in deck_names(capsys, data)
    status, _, _ = run(
        capsys,
        "import",
        "--yes",
        str(DATA / "cards.tsv"),
        "--into",
        "team",
        "--data-dir",
        str(data),
    )
    assert status == 0
    assert "cards" not in deck_names(capsys, data)  # the TSV's cards went into Team
    status, _, err = run(
        capsys, "import", "--yes", csv, "--into", "nowhere", "--data-dir", str(data)
    )
    assert status == 1 and "no deck called" in err
