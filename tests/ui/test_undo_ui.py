"""Edit → Undo in the window: the menu says what it will undo, Ctrl+Z works in every window."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards, study
from quizapp.services.collection import Collection
from quizapp.ui.browser import BrowserWindow
from quizapp.ui.main_window import MainWindow
from tests.helpers.window import make_window, searched

CTRL = Qt.KeyboardModifier.ControlModifier


def open_browser(qtbot: QtBot, window: MainWindow) -> BrowserWindow:
    browser = window.browse_cards()
    qtbot.wait_exposed(browser)
    searched(qtbot, browser)
    browser.activateWindow()
    qtbot.wait_until(browser.isActiveWindow)
    browser.table.setFocus()
    return browser


def select_rows(browser: BrowserWindow, rows: range) -> list[str]:
    model = browser.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    model.clearSelection()
    for row in rows:
        model.select(browser.model.index(row, 0), flags)
    return browser.selected_uuids()


def suspended(browser: BrowserWindow) -> set[str]:
    rows = (browser.model.row_at(i) for i in range(browser.model.rowCount()))
    return {r.uuid for r in rows if r is not None and r.suspended}


def new_count(window: MainWindow) -> str:
    return window.decks.tree.topLevelItem(0).text(1)


def test_browser_suspend_is_undone_by_ctrl_z_in_the_browser_and_in_the_main_window(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    assert window.undo_action.text() == "&Undo" and not window.undo_action.isEnabled()
    assert new_count(window) == "5"
    browser = open_browser(qtbot, window)
    chosen = select_rows(browser, range(3))
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert suspended(browser) == set(chosen)
    assert window.undo_action.text() == "&Undo Suspend 3 cards"
    assert window.undo_action.isEnabled()
    assert browser.statusBar().currentMessage() == "Suspended 3 cards (Ctrl+Z to undo)"
    assert window.undo_action in browser.menuBar().actions()[0].menu().actions()
    assert new_count(window) == "2"

    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)  # in the browser
    assert suspended(browser) == set()
    assert window.undo_action.text() == "&Undo" and not window.undo_action.isEnabled()
    assert new_count(window) == "5"  # the deck list refreshed too

    select_rows(browser, range(3))
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert new_count(window) == "2"
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    window.decks.tree.setFocus()
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_Z, CTRL)  # in the main window
    assert suspended(browser) == set()
    assert new_count(window) == "5"
    assert window.statusBar().currentMessage() == "Undone: Suspend 3 cards"


def test_a_deleted_card_comes_back_in_the_browser(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    browser = open_browser(qtbot, window)
    [gone] = select_rows(browser, range(1))
    qtbot.keyClick(browser.table, Qt.Key.Key_Delete)  # no history: no question
    assert gone not in browser.model.uuids and len(browser.model.uuids) == 4
    assert browser.statusBar().currentMessage() == "Deleted 1 card (Ctrl+Z to undo)"
    assert window.undo_action.text() == "&Undo Delete 1 card"
    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    searched(qtbot, browser)  # a card that came back needs a new search to find its place
    assert gone in browser.model.uuids and len(browser.model.uuids) == 5
    assert window.decks.tree.topLevelItem(0).text(4) == "5"


def test_answers_and_operations_are_undone_newest_first(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_A)  # study all due
    page = window.study
    assert page.view is not None and page.sitting is not None
    first = page.view.card.id
    study.answer_card(
        col, page.sitting, page.view, cards.model_answer(page.view.card), 4, seconds=1.0
    )
    page.show_current()
    assert window.undo_action.text() == "&Undo last answer"
    cards.set_suspended(col, [first], True)  # as the browser would
    assert window.undo_action.text() == "&Undo Suspend 1 card"
    window.undo()
    assert window.undo_action.text() == "&Undo last answer"
    window.undo()  # the study page takes its answer back and shows the card again
    assert window.stack.currentWidget() is page
    assert page.view is not None and page.view.card.id == first and page.verdict is None
    assert not window.undo_action.isEnabled()


def test_the_menu_follows_a_step_recorded_on_a_worker_thread(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    worker = threading.Thread(target=lambda: cards.create_deck(col, "From a thread"))
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: window.undo_action.text() == "&Undo New deck From a thread")
    window.undo()
    assert window.decks.tree.topLevelItemCount() == 1
    assert window.decks.tree.topLevelItem(0).text(0) == "Sample"


def test_the_editor_offers_undo_of_the_card_it_added(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    deck = cards.create_deck(col, "Mine").decks[0]
    window.show_decks()
    editor = window.add_card()
    qtbot.add_widget(editor)
    editor._fill_decks(deck)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData(Kind.FLASHCARD.value))
    editor.prompt.setPlainText("What does `Pin` promise?")
    editor.back.setPlainText("The value will not move again.")
    changes = editor.save()
    assert changes is not None
    assert editor.undo_button.isVisible() and editor.undo_button.text() == "Undo Add card"
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert cards.search_cards(col, cards.CardQuery(text="Pin promise")) == []
    assert editor.undo_button.text() == "Undo New deck Mine"


SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_z_in_the_browser_redoes_the_undone_suspend(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    assert window.redo_action.text() == "&Redo" and not window.redo_action.isEnabled()
    browser = open_browser(qtbot, window)
    assert window.redo_action in browser.menuBar().actions()[0].menu().actions()
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.redo_action in edit.actions()
    chosen = select_rows(browser, range(2))
    qtbot.keyClick(browser.table, Qt.Key.Key_J, CTRL)
    assert suspended(browser) == set(chosen)
    assert not window.redo_action.isEnabled()

    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    assert suspended(browser) == set()
    assert window.redo_action.text() == "&Redo Suspend 2 cards"
    assert window.redo_action.isEnabled() and window.undo_action.text() == "&Undo"

    qtbot.keyClick(browser.table, Qt.Key.Key_Z, SHIFT_CTRL)
    assert suspended(browser) == set(chosen)
    assert new_count(window) == "3"  # the deck list refreshed too
    assert window.statusBar().currentMessage() == "Redone: Suspend 2 cards"
    assert window.undo_action.text() == "&Undo Suspend 2 cards"
    assert window.redo_action.text() == "&Redo" and not window.redo_action.isEnabled()

    qtbot.keyClick(browser.table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(browser.table, Qt.Key.Key_Y, CTRL)  # the other Redo key
    assert suspended(browser) == set(chosen)
