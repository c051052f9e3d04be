"""Inputs that used to end in a traceback now end in one clear message (issue 13.8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.app import main
from quizapp.services.collection import open_collection
from tests.conftest import DATA


def deep_toml(path: Path, depth: int) -> Path:
    path.write_text(
        'format = 1\n\n[deck]\nid = "11111111-2222-4333-8444-555555555555"\nname = "n"\n'
        f"x = {'[' * depth}{']' * depth}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("depth", [450, 5000])
def test_toml_nested_hundreds_deep_is_refused_by_import_and_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    path = deep_toml(tmp_path / "deep.toml", depth)
    assert main(["--data-dir", str(tmp_path / "data"), "import", "--yes", str(path)]) == 1
    assert main(["verify", str(path)]) == 1
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "Traceback" not in text and "RecursionError" not in text
    assert f"{path}: arrays or tables nested more than 32 deep" in err
    assert f"{path}: arrays or tables nested more than 32 deep" in out


def test_an_mdbook_quiz_nested_deep_is_refused(tmp_path: Path) -> None:
    from quizapp.core.bundle import ImportFailed
    from quizapp.core.mdbook_quiz import parse_mdbook_quiz

    text = f"[[questions]]\ntype = 'ShortAnswer'\nx = {'[' * 3000}{']' * 3000}\n"
    with pytest.raises(ImportFailed, match="nested more than 32 deep"):
        parse_mdbook_quiz(text, "q.toml", name="q")


def test_a_settings_row_that_is_not_json_falls_back_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    open_collection(data).close()
    with sqlite3.connect(data / "collection.sqlite3") as db:
        db.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('settings', '{oops')")
    db.close()
    col = open_collection(data)
    try:
        assert col.warnings and "defaults used" in col.warnings[0]
        assert col.settings == type(col.settings)()
    finally:
        col.close()
    assert main(["--data-dir", str(data), "list"]) == 0
    assert "warning:" in capsys.readouterr().err


def test_rustup_without_a_default_toolchain_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "rustc"
    fake.write_text(
        "#!/bin/sh\necho 'error: rustup could not choose a version of rustc to run, because one"
        " wasn'\\''t specified explicitly, and no default is configured.' >&2\nexit 1\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    status = main(["verify", "--no-cache", str(DATA / "sample.toml")])
    err = capsys.readouterr().err
    assert status == 2  # verify's status for "the machine, not the deck"
    assert "no default is configured" in err and "Traceback" not in err
