"""`quizapp import` / `export` / `export-progress` / `import-progress` through the real entry point."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quizapp.adapters.files import load_deck_file
from quizapp.app import main
from quizapp.core.deckwriter import write_deck
from tests.conftest import DATA


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def table_rows(data_dir: Path) -> list[object]:
    conn = sqlite3.connect(data_dir / "collection.sqlite3")
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_export_then_import_into_a_fresh_data_dir_reproduces_the_deck(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, fresh = tmp_path / "first", tmp_path / "fresh"
    status, out, _ = run(capsys, "--data-dir", str(first), "import", str(DATA / "cards.csv"))
    assert status == 0 and "4 to add" in out and "cards: 4 added" in out
    exported = tmp_path / "cards.toml"
    status, out, _ = run(capsys, "--data-dir", str(first), "export", "cards", "-o", str(exported))
    assert status == 0 and "4 cards" in out
    status, out, _ = run(capsys, "--data-dir", str(fresh), "import", str(exported))
    assert status == 0
    again = tmp_path / "again.toml"
    deck_id = load_deck_file(exported).id
    status, _, _ = run(capsys, "--data-dir", str(fresh), "export", deck_id, "-o", str(again))
    assert status == 0
    assert again.read_bytes() == exported.read_bytes()
    assert write_deck(load_deck_file(again)) == exported.read_text(encoding="utf-8")


def test_a_bad_file_among_several_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    run(capsys, "--data-dir", str(data), "list")
    before = table_rows(data)
    bad = tmp_path / "broken.csv"
    bad.write_text("prompt,back\nq1,a1\nq2,a2,extra\n", encoding="utf-8")
    status, _, err = run(
        capsys, "--data-dir", str(data), "import", str(DATA / "cards.csv"), str(bad)
    )
    assert status == 1
    assert f"{bad}:3: the row has 3 cells" in err and "nothing was changed" in err
    assert table_rows(data) == before


def test_removed_cards_are_kept_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    csv = tmp_path / "team.csv"
    csv.write_text("prompt,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    assert run(capsys, "--data-dir", str(data), "import", str(csv))[0] == 0
    csv.write_text("prompt,back\nq1,a1\n", encoding="utf-8")
    status, out, _ = run(capsys, "--data-dir", str(data), "import", str(csv))
    assert status == 0 and "- q2" in out and "team: 0 added, 0 changed, 1 hidden" in out
    csv.write_text("prompt,back\nq1,a1\nq2,a2\n", encoding="utf-8")
    run(capsys, "--data-dir", str(data), "import", str(csv))  # q2 comes back from hiding
    csv.write_text("prompt,back\n", encoding="utf-8")
    status, out, _ = run(capsys, "--data-dir", str(data), "import", "--delete-removed", str(csv))
    assert status == 0 and "2 deleted" in out and "deleted with 0 reviews" in out


def test_progress_round_trip_and_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    out_file = tmp_path / "progress.json"
    status, out, _ = run(capsys, "--data-dir", str(data), "export-progress", "-o", str(out_file))
    assert status == 0 and json.loads(out_file.read_text())["format"] == "quizapp-progress"
    status, out, _ = run(capsys, "--data-dir", str(data), "import-progress", str(out_file))
    assert status == 0 and "0 reviews added" in out
    out_file.write_text("{not json", encoding="utf-8")
    status, _, err = run(capsys, "--data-dir", str(data), "import-progress", str(out_file))
    assert status == 1 and f"{out_file}:1: not a quizapp progress file" in err


def test_unknown_deck_and_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    status, _, err = run(capsys, "--data-dir", str(data), "export", "Nope", "-o", "x.toml")
    assert status == 1 and "no deck called 'Nope'" in err
    status, _, err = run(capsys, "--data-dir", str(data), "import", str(tmp_path / "notes.docx"))
    assert status == 1 and "cannot import .docx files" in err
