"""The import preview on a real collection: what will change, then import or cancel off-thread."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.services import study
from quizapp.services.collection import Collection
from quizapp.ui.import_dialog import ImportDialog, open_import_dialog
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow
from tests.conftest import DATA
from tests.helpers.decks import edited_sample
from tests.helpers.study import study_everything


def db_hash(col: Collection) -> str:
    conn = sqlite3.connect(col.db.path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    win = open_window(col, sample_decks)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


@pytest.fixture
def team_window(qtbot: QtBot, team_col: Collection, tmp_path: Path) -> MainWindow:
    """A window over `team_col`: the sample is the learner's import, so a file may update it."""
    no_shipped = tmp_path / "no-shipped-decks"
    no_shipped.mkdir()
    win = open_window(team_col, no_shipped)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


def planned(qtbot: QtBot, window: MainWindow, path: Path) -> ImportDialog:
    dialog = open_import_dialog(window, path)
    qtbot.wait_until(lambda: dialog.plan is not None, timeout=10_000)
    return dialog


def texts(dialog: ImportDialog) -> list[str]:
    out = []
    for i in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(i)
        out.append(top.text(0))
        for j in range(top.childCount()):
            group = top.child(j)
            out.append(group.text(0))
            out += [group.child(k).text(0) for k in range(group.childCount())]
    return out


def test_preview_then_import_refreshes_the_deck_list(
    qtbot: QtBot, team_window: MainWindow, team_col: Collection, tmp_path: Path
) -> None:
    window, col = team_window, team_col
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    study_everything(col)
    before = db_hash(col)
    dialog = planned(qtbot, window, edited_sample(tmp_path))
    assert db_hash(col) == before  # the preview changed nothing
    lines = texts(dialog)
    assert lines[0].startswith("Sample  (update)")
    assert "1 added · 1 changed · 1 removed · 3 unchanged" in lines[0]
    assert "+ Trait for types that can be sent to another thread?" in lines
    assert "Removed from the file: hidden, history kept (1) — 1 review" in lines
    assert "− What does `Drop` order look like for struct fields?   (1 review)" in lines
    assert dialog.delete_removed.isVisible() and not dialog.delete_removed.isChecked()
    assert dialog.import_button.isEnabled()
    with qtbot.wait_signal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert dialog.result is not None and dialog.result.decks[0].retired == 1
    qtbot.wait_until(lambda: window.decks.tree.topLevelItem(0).text(4) == "5")
    [deck] = study.deck_overview(col)
    assert deck.cards == 5


def test_cancel_leaves_nothing_behind(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_text(
        "prompt,back\n" + "".join(f"question {i},answer {i}\n" for i in range(3000)),
        encoding="utf-8",
    )
    dialog = planned(qtbot, window, big)
    before = db_hash(col)
    with qtbot.wait_signal(dialog.rejected, timeout=20_000):
        dialog.start_import()
        assert dialog.progress.isVisible()
        dialog.cancel_button.click()
    assert dialog.result is None
    assert db_hash(col) == before
    assert [d.name for d in study.deck_overview(col)] == ["Sample"]


def test_a_bad_file_shows_where_and_cannot_be_imported(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text((DATA / "sample.toml").read_text().replace("answer = [1]", "answer = [7]"))
    before = db_hash(col)
    dialog = open_import_dialog(window, bad)
    qtbot.wait_until(dialog.errors.isVisible, timeout=10_000)
    assert f"{bad}:44: cards[2].answer: index 7 is out of range" in dialog.errors.text()
    assert not dialog.import_button.isEnabled()
    assert "Nothing was changed" in dialog.heading.text()
    dialog.cancel_button.click()
    assert db_hash(col) == before


def test_a_huge_bad_value_and_markup_are_shown_cut_and_as_text(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A 3 MB prompt used to become a 3-million-character label (issue 13.7)."""
    path = tmp_path / "huge.toml"
    path.write_text(
        'format = 1\n\n[deck]\nid = "11111111-2222-4333-8444-555555555555"\n'
        'name = "<b>bold</b>"\n\n[[cards]]\nid = "11111111-2222-4333-8444-000000000001"\n'
        f'kind = "flashcard"\nprompt = "{"x" * 3_000_000}"\nback = "b"\n',
        encoding="utf-8",
    )
    dialog = open_import_dialog(window, path)
    qtbot.wait_until(lambda: dialog.errors.isVisible(), timeout=20_000)
    assert "is too long" in dialog.errors.text()
    assert len(dialog.errors.text()) < 2000 and len(dialog.errors.toolTip()) < 20_000
    assert dialog.errors.textFormat() == Qt.TextFormat.PlainText


def test_a_csv_import_asks_for_the_decks_name_or_a_deck_of_ones_own(
    qtbot: QtBot, window: MainWindow, col: Collection, tmp_path: Path
) -> None:
    from quizapp.services import cards

    mine = cards.create_deck(col, "Mine").decks[0]
    dialog = planned(qtbot, window, DATA / "cards.csv")
    assert dialog.deck_choice.isVisible() and dialog.new_deck.isChecked()
    assert dialog.deck_name.text() == "cards"
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == ["Mine"]
    dialog.deck_name.setFocus()
    dialog.deck_name.selectAll()
    qtbot.keyClicks(dialog.deck_name, "Team errors")
    qtbot.keyClick(dialog.deck_name, Qt.Key.Key_Tab)
    assert texts(dialog)[0].startswith("Team errors  (new deck)")
    dialog.grab().save(str(tmp_path / "import-name-choice.png"))

    dialog.into_deck.click()
    assert not dialog.deck_name.isEnabled() and dialog.target.isEnabled()
    assert texts(dialog)[0].startswith("Mine  (add to)")
    assert dialog.chosen() == {"target_deck": mine}
    dialog.new_deck.click()
    dialog.deck_name.setText("   ")
    assert dialog.errors.isVisible() and not dialog.import_button.isEnabled()
    dialog.deck_name.setText("Team errors")
    assert dialog.errors.isHidden() and dialog.import_button.isEnabled()
    with qtbot.wait_signal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    names = {c.name for c in cards.list_deck_choices(col)}
    assert "Team errors" in names and "cards" not in names


def test_a_deck_file_import_keeps_its_own_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = planned(qtbot, window, edited_sample(tmp_path))
    assert dialog.deck_choice.isHidden() and dialog.notice.isHidden()
