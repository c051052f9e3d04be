"""Numbers from outside have bounds; a bad one refuses the whole file, naming its place (13.3, 13.8)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from quizapp.app import main
from quizapp.core.bundle import ImportFailed
from quizapp.services.collection import Collection
from quizapp.services.exchange import export_progress, import_progress
from quizapp.services.importers import read_bundle
from tests.anki.test_bad_input import edited_collection, package
from tests.services.test_exchange import db_hash, study_everything

CARD = "a0000000-0000-4000-8000-000000000001"


@pytest.fixture
def progress(col: Collection, tmp_path: Path) -> dict[str, Any]:
    """A real progress file's data, from a collection where every card was studied once."""
    study_everything(col)
    path = tmp_path / "real.json"
    export_progress(col, path)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "progress.json"
    path.write_text(text, encoding="utf-8")
    return path


def refused(col: Collection, path: Path) -> str:
    before = db_hash(col)
    with pytest.raises(ImportFailed) as info:
        import_progress(col, path)
    assert db_hash(col) == before
    message = str(info.value)
    assert message.startswith(f"{path}"), message
    return message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("reviews", 2**63 - 1, f"cards.{CARD}.reviews: {2**63 - 1} is greater than the maximum"),
        ("lapses", 10**30, "is greater than the maximum of 1000000"),
        ("repetitions", 10**30, "is greater than the maximum of 1000000"),
        ("interval", 10**9, "is greater than the maximum of 36500"),
        ("due", "9999-12-31", f"cards['{CARD}']: due 9999-12-31 is out of range"),
    ],
)
def test_a_card_number_out_of_bounds_refuses_the_file(
    col: Collection, tmp_path: Path, progress: dict[str, Any], field: str, value: object, words: str
) -> None:
    progress["cards"][CARD][field] = value
    assert words in refused(col, written(tmp_path, json.dumps(progress)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('"seconds": NaN', "NaN: numbers must be finite"),
        ('"seconds": Infinity', "Infinity: numbers must be finite"),
        ('"seconds": 1e400', "1e400: numbers must be finite"),
        ('"seconds": 1e30', "is greater than the maximum of 86400"),
    ],
)
def test_non_finite_and_huge_seconds_are_refused(
    col: Collection, tmp_path: Path, progress: dict[str, Any], text: str, words: str
) -> None:
    progress["cards"][CARD]["log"][0]["seconds"] = 12345.5
    raw = json.dumps(progress).replace('"seconds": 12345.5', text)
    assert words in refused(col, written(tmp_path, raw))


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("reviewed_at", "0001-01-01T00:00:00+05:00", "reviewed_at: 0001-01-01 is out of range"),
        ("study_day", "0001-01-01", "study_day 0001-01-01 is out of range"),
        ("due_after", "9999-12-31", "due_after 9999-12-31 is out of range"),
        ("reviewed_at", "yesterday-ish", "reviewed_at: 'yesterday-ish' is not a date and time"),
    ],
)
def test_dates_out_of_range_are_refused_naming_the_review(
    col: Collection, tmp_path: Path, progress: dict[str, Any], field: str, value: str, words: str
) -> None:
    progress["cards"][CARD]["log"][0][field] = value
    message = refused(col, written(tmp_path, json.dumps(progress)))
    assert f"cards['{CARD}'].log[0]: {words}" in message


def test_one_card_named_twice_in_different_case_is_refused(
    col: Collection, tmp_path: Path, progress: dict[str, Any]
) -> None:
    progress["cards"][CARD.upper()] = progress["cards"][CARD]
    message = refused(col, written(tmp_path, json.dumps(progress)))
    assert "the same card as" in message and "ids are not case-sensitive" in message


def test_json_nested_100000_deep_is_refused(col: Collection, tmp_path: Path) -> None:
    message = refused(col, written(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert "nested too deeply" in message


def test_the_cli_says_so_with_status_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    path = written(tmp_path, '{"format": "quizapp-progress", "version": 1, "x": NaN}')
    assert main(["--data-dir", str(data), "import-progress", str(path)]) == 1
    err = capsys.readouterr().err
    assert "NaN: numbers must be finite" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("UPDATE cards SET type = 2, queue = 2, ivl = 10, reps = 9223372036854775807", "reps"),
        ("UPDATE cards SET type = 2, queue = 2, ivl = 10, lapses = 9223372036854775807", "lapses"),
        (
            "UPDATE cards SET type = 2, queue = 2, ivl = 10, factor = 9223372036854775807",
            "easiness",
        ),
        ("UPDATE cards SET type = 2, queue = 2, ivl = 10, due = 9223372036854775807", "due"),
    ],
)
def test_an_apkg_with_a_poisoned_count_is_refused(tmp_path: Path, sql: str, words: str) -> None:
    path = package(tmp_path / "p.apkg", {"collection.anki2": edited_collection(tmp_path, sql)})
    with pytest.raises(ImportFailed, match=r"notes row 1 \(id \d+\): card 1: ") as info:
        read_bundle(path)
    assert words.replace("reps", "reviews") in str(info.value)


def test_export_progress_names_a_stored_day_out_of_range(
    col: Collection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study_everything(col)
    data = Path(col.db.path).parent
    col.close()
    with sqlite3.connect(data / "collection.sqlite3") as db:
        db.execute("UPDATE card_state SET due_day = 99999999999")
    db.close()
    out = tmp_path / "p.json"
    assert main(["--data-dir", str(data), "export-progress", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "a stored day or value is out of range" in err and "Traceback" not in err
    assert not out.exists()
