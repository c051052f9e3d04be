"""File → Sync folder… in a real window: merges on a worker, views redraw from the Changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.services import sync
from quizapp.services.collection import Collection
from quizapp.ui.launch import open_window
from quizapp.ui.main_window import MainWindow
from tests.helpers.sync_devices import Device, add_deck, make_device


@pytest.fixture
def window(qtbot: QtBot, col: Collection, sample_decks: Path) -> MainWindow:
    win = open_window(col, sample_decks)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


@pytest.fixture
def laptop(tmp_path: Path) -> Device:
    device = make_device(tmp_path, "laptop")
    yield device
    device.close()


def deck_names(window: MainWindow) -> list[str]:
    tree = window.decks.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_the_file_menu_syncs_and_the_deck_list_shows_what_came(
    qtbot: QtBot, window: MainWindow, col: Collection, laptop: Device
) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "S&ync folder…" in texts and "Sync &now" in texts
    add_deck(laptop, "Studied on the laptop", 2)
    laptop.sync()
    controller = window.sync_controller
    running = controller.sync_now(laptop.view)  # the folder the laptop writes to
    assert running is not None
    qtbot.wait_until(lambda: controller.running is None, timeout=20_000)
    assert controller.last_error == ""
    assert controller.last_report is not None and controller.last_report.cards_added == 2
    assert any("Studied on the laptop" in name for name in deck_names(window))
    assert controller.timer.isActive() and controller.timer.interval() == 5 * 60 * 1000


def test_closing_the_window_merges_once_more(
    qtbot: QtBot, window: MainWindow, col: Collection, laptop: Device
) -> None:
    laptop.sync()
    controller = window.sync_controller
    controller.sync_now(laptop.view)
    qtbot.wait_until(lambda: controller.running is None, timeout=20_000)
    add_deck(laptop, "Added while the window was open", 1)
    window.close()
    with col.db.session() as session:
        from quizapp.storage import sync_rows

        names = [d["name"] for d in sync_rows.deck_rows(session=session).values()]
    assert "Added while the window was open" in names
    assert sync.attach(col) is not None  # the folder stays chosen for the next start
    sync.detach(col)


def test_a_bad_journal_line_is_named_in_the_status_bar_escaped(
    qtbot: QtBot, window: MainWindow, laptop: Device
) -> None:
    laptop.sync()
    evil = laptop.view / ("e" * 32)
    evil.mkdir()
    line = (
        b'{"t":"setting","k":"\\u001b[2Jx","v":[1],"s":1,"h":"0000000000001.000000.'
        + b"e" * 32
        + b'"}\n'
    )
    (evil / "journal-000001.jsonl").write_bytes(line)
    controller = window.sync_controller
    controller.sync_now(laptop.view)
    qtbot.wait_until(lambda: controller.running is None, timeout=20_000)
    assert controller.last_report is not None and controller.last_report.warnings
    shown = window.statusBar().currentMessage()
    assert "journal-000001.jsonl:1:" in shown and "\x1b" not in shown
