"""The Backups dialog and the offer of a good backup when the collection is damaged (qtbot)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from quizapp.services import backup, study
from quizapp.services.collection import Collection
from quizapp.ui.backups import BackupsDialog, damaged_collection_box
from tests.conftest import FakeClock


def reviews(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        conn.close()


def answer_first(col: Collection) -> None:
    from tests.helpers.study import answer_current

    answer_current(col, study.start_sitting(col))


def test_the_dialog_restores_the_chosen_backup_after_backing_up(
    qtbot: object, col: Collection, clock: FakeClock
) -> None:
    before = backup.take_backup(col)
    clock.advance(minutes=1)
    answer_first(col)
    restored: list[backup.RestoreResult] = []
    dialog = BackupsDialog(col, on_restored=restored.append)
    qtbot.add_widget(dialog)  # type: ignore[attr-defined]
    assert dialog.list.count() == 1 and dialog.selected_id() == before.id
    dialog.restore_selected(confirmed=True)
    qtbot.wait_until(lambda: bool(restored))  # type: ignore[attr-defined]
    assert reviews(col.db.path) == 0
    assert "Restored" in dialog.status.text()
    assert dialog.list.count() == 2  # the state before the restore is a backup too
    assert restored[0].safety is not None and reviews(restored[0].safety.path) == 1


def test_back_up_now_adds_one(qtbot: object, col: Collection) -> None:
    dialog = BackupsDialog(col)
    qtbot.add_widget(dialog)  # type: ignore[attr-defined]
    assert dialog.list.count() == 0 and not dialog.restore_button.isEnabled()
    dialog.back_up_now()
    qtbot.wait_until(lambda: dialog.list.count() == 1)  # type: ignore[attr-defined]
    assert dialog.restore_button.isEnabled()


def test_a_damaged_collection_offers_the_latest_good_backup(qtbot: object, col: Collection) -> None:
    info = backup.take_backup(col)
    box = damaged_collection_box("collection.sqlite3 is damaged: page 3", info)
    qtbot.add_widget(box)  # type: ignore[attr-defined]
    assert box.restore_button is not None  # type: ignore[attr-defined]
    assert info.taken_at.strftime("%Y-%m-%d %H:%M") in box.informativeText()
    assert "renamed" in box.informativeText()


def test_without_a_backup_it_only_says_nothing_was_changed(qtbot: object) -> None:
    box = damaged_collection_box("collection.sqlite3 is damaged", None)
    qtbot.add_widget(box)  # type: ignore[attr-defined]
    assert box.restore_button is None  # type: ignore[attr-defined]
    assert box.standardButtons() == QMessageBox.StandardButton.Close
    assert "Nothing has been changed" in box.informativeText()
