"""The window paints its deck list before the integrity check ends, and still never writes
to a file the check has not passed: a damaged one gets the dialog over the painted window."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.services import backup, guidance
from quizapp.services.collection import Collection, CollectionCorrupt, open_collection
from quizapp.services.decks import sync_shipped_decks
from quizapp.services.settings import save_settings
from quizapp.storage.database import DB_NAME
from quizapp.ui.launch import Started
from tests.conftest import FakeClock
from tests.helpers.damage import add_filler, damage_last_pages, held_check


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path, clock: FakeClock, sample_decks: Path) -> Path:
    """A closed collection holding the sample deck, past its welcome, with a good backup."""
    folder = tmp_path / "data"
    col = open_collection(folder, clock=clock)
    sync_shipped_decks(col, sample_decks)
    guidance.mark_welcome_shown(col)
    backup.take_backup(col, "manual")
    col.close()
    add_filler(folder)
    return folder


def start(qtbot: QtBot, data: Path, decks: Path, quits: list[int] | None = None) -> Started:
    """What `run_window` does up to the event loop, with the test's decks folder; `quits`
    hears the exit status the app would quit with."""
    col = open_collection(data, check_behind=True)
    started = Started(
        data,
        col,
        lambda _text: None,
        decks_dir=decks,
        quit=(quits if quits is not None else []).append,
    )
    assert started.show(col)
    assert started.window is not None
    qtbot.add_widget(started.window)
    return started


def painted_rows(started: Started) -> int:
    assert started.window is not None
    return int(started.window.decks.tree.topLevelItemCount())


def test_the_deck_list_paints_before_the_check_starts(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    started = start(qtbot, data, sample_decks)
    gate = started.col.db.gate
    assert gate is not None
    assert not gate.check.started  # nothing read the whole file before the window showed
    assert painted_rows(started) > 0
    qtbot.wait_until(lambda: gate.check.done)
    qtbot.wait_until(lambda: started.relay.heard)  # type: ignore[attr-defined]
    assert started.relay.verdict is None  # type: ignore[attr-defined]
    started.col.close()


def test_a_write_before_the_verdict_waits_for_it_then_is_saved(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    release = held_check(data)  # started early, as the command line does, and held
    started = start(qtbot, data, sample_decks)
    col: Collection = started.col
    gate = col.db.gate
    assert gate is not None and not gate.settled
    order: list[str] = []

    def waiting() -> None:
        order.append("waiting")
        release.set()

    gate.on_wait(waiting)
    settings = col.settings
    save_settings(col, settings)  # the first write, 'within 200 ms of start'
    order.append("saved")
    assert order == ["waiting", "saved"] and gate.passed
    qtbot.wait_until(lambda: started.relay.heard)  # type: ignore[attr-defined]
    assert started.damaged_box is None
    col.close()


def test_a_damaged_file_shows_the_dialog_over_the_painted_window_and_refuses_writes(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    damage_last_pages(data)
    before = digest(data / DB_NAME)
    quits: list[int] = []
    started = start(qtbot, data, sample_decks, quits)
    window = started.window
    assert window is not None and painted_rows(started) > 0
    col = started.col
    qtbot.wait_until(lambda: started.damaged_box is not None)
    box = started.damaged_box
    assert box is not None and box.isVisible() and box.parent() is window
    assert window.isVisible()  # the dialog is over the window, not instead of it
    assert "damaged" in box.text() and "damaged" in box.informativeText()
    with pytest.raises(CollectionCorrupt, match="damaged"):
        save_settings(col, col.settings)
    assert digest(data / DB_NAME) == before  # nothing written, nothing checkpointed over it
    assert quits == []
    box.reject()  # Quit
    qtbot.wait_until(lambda: quits == [1])
    assert digest(data / DB_NAME) == before


def test_restoring_from_the_dialog_opens_the_backup_in_a_new_window(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    damage_last_pages(data)
    damaged = digest(data / DB_NAME)
    started = start(qtbot, data, sample_decks)
    first = started.window
    qtbot.wait_until(lambda: started.damaged_box is not None)
    box = started.damaged_box
    assert isinstance(box, QMessageBox)
    restore = box.restore_button  # type: ignore[attr-defined]
    assert restore is not None
    restore.click()
    qtbot.wait_until(lambda: started.window is not first and started.window is not None)
    assert started.window is not None
    qtbot.add_widget(started.window)
    assert painted_rows(started) > 0
    aside = list(data.glob(f"{DB_NAME}.damaged-*"))
    assert len(aside) == 1 and digest(aside[0]) == damaged  # kept, never overwritten
    save_settings(started.col, started.col.settings)  # the restored file takes writes
    started.col.close()
    assert QApplication.instance() is not None


def test_a_changed_shipped_deck_is_loaded_after_the_first_paint(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    shipped = sorted((Path(__file__).parents[2] / "decks").glob("*.toml"))[0]
    (sample_decks / shipped.name).write_bytes(shipped.read_bytes())  # a new shipped deck
    started = start(qtbot, data, sample_decks)
    assert started.window is not None and started.window.sync_shipped is not None
    before = painted_rows(started)  # painted from the collection as it was
    qtbot.wait_until(lambda: painted_rows(started) == before + 1)
    assert started.window.load_problems is None
    started.col.close()


def test_a_window_gone_before_the_verdict_leaves_the_check_nobody_to_tell(
    qtbot: QtBot, data: Path, sample_decks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting while the check still reads (seconds at 300,000 cards) deletes the relay the
    verdict would go to: the check's thread then ends quietly, with no traceback."""
    import threading

    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    release = held_check(data)
    started = start(qtbot, data, sample_decks)
    gate = started.col.db.gate
    assert gate is not None and not gate.settled
    shiboken6.delete(started.relay)  # type: ignore[arg-type]
    release.set()
    gate.check._thread.join(timeout=60)
    assert gate.check.done and failures == []
    started.col.close()


def test_a_window_gone_before_its_daily_backup_ends_is_not_told(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    """The day's backup reports in the window's status bar when it ends; a window closed
    meanwhile (a quick quit) has none, and the backup's end must not raise over it."""
    said: list[str] = []
    col = open_collection(data, check_behind=True)
    started = Started(data, col, said.append, decks_dir=sample_decks, quit=[].append)
    assert started.show(col)
    assert started.window is not None and col.db.gate is not None
    qtbot.wait_until(lambda: started.relay.heard)  # type: ignore[attr-defined]
    # The verdict started the day's backup: it ends first (removing its file while SQLite
    # still wrote it failed that backup, and the test with it, when run on its own).
    qtbot.wait_until(lambda: any(text.startswith("Backed up") for text in said))
    said.clear()
    for taken in backup.list_backups(data):  # so that the day's backup is due again
        taken.path.unlink()
    shiboken6.delete(started.window)
    started._passed()  # the verdict's handler, over the closed window
    qtbot.wait_until(lambda: any(text.startswith("Backed up") for text in said))
    col.close()
