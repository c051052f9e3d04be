"""The browser on a real collection: search as you type, lazy pages, actions on the selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from quizapp.core.model import Card, Deck, Kind
from quizapp.services import cards, study
from quizapp.services.cards import BrowserRow
from quizapp.services.collection import Collection
from quizapp.services.decks import import_deck
from quizapp.ui.browser import CACHED_PAGES, PAGE, BrowserWindow
from quizapp.ui.launch import open_window
from tests.helpers.window import searched

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
CHOICE = "a0000000-0000-4000-8000-000000000003"


@pytest.fixture
def browser(qtbot: QtBot, col: Collection) -> BrowserWindow:
    window = BrowserWindow(col)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    searched(qtbot, window)
    return window


def select_row(browser: BrowserWindow, row: int) -> None:
    browser.table.selectionModel().setCurrentIndex(
        browser.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def row(browser: BrowserWindow, index: int) -> BrowserRow:
    found = browser.model.row_at(index)
    assert found is not None, f"row {index} has no card"
    return found


def big_deck(col: Collection, n: int) -> None:
    """Many cards in one transaction, as an import would bring them."""
    made = tuple(
        Card(
            id=f"d0000000-0000-4000-8000-{i:012d}",
            kind=Kind.SHORT,
            prompt=f"Generated question {i}",
            accepted=("x",),
        )
        for i in range(n)
    )
    deck = Deck(id="d0000000-0000-4000-8000-ffffffffffff", name="Big", cards=made)
    import_deck(col, deck, source="test")


def test_typing_in_the_search_box_filters_the_table(qtbot: QtBot, browser: BrowserWindow) -> None:
    assert browser.model.rowCount() == 5
    qtbot.keyClicks(browser.search_box, "spawn")
    qtbot.wait_until(lambda: browser.model.rowCount() == 1)
    assert browser.model.uuid_at(0) == CHOICE
    assert "1 card match" in browser.status.text()
    qtbot.wait_until(lambda: "spawn" in browser.preview.toPlainText())
    browser.search_box.clear()
    qtbot.wait_until(lambda: browser.model.rowCount() == 5)
    browser.kind_filter.setCurrentIndex(browser.kind_filter.findData("flashcard"))
    searched(qtbot, browser)
    assert browser.model.rowCount() == 1
    browser.suspended_filter.setCurrentIndex(browser.suspended_filter.findData(True))
    searched(qtbot, browser)
    assert browser.model.rowCount() == 0


def test_rows_are_read_a_page_at_a_time_as_they_are_drawn(
    qtbot: QtBot, col: Collection, browser: BrowserWindow
) -> None:
    total = (CACHED_PAGES + 3) * PAGE  # whole pages: the last screen lies in the last page
    big_deck(col, total - 5)  # the sample deck has 5 cards
    browser.run_search()
    searched(qtbot, browser)
    # Every match has a row from the start, but only the drawn rows were read.
    assert browser.model.rowCount() == total
    qtbot.wait_until(lambda: browser.model.pages_loaded >= 1)
    assert browser.model.pages_loaded == 1
    # Jumping to the end reads the last page only, not everything in between.
    browser.table.scrollToBottom()
    qtbot.wait_until(lambda: browser.model.pages_loaded == 2)
    last = browser.model.index(total - 1, 2)
    assert browser.model.data(last) == row(browser, total - 1).prompt.splitlines()[0]
    assert browser.model.pages_loaded == 2
    # Reading every row keeps only the last few pages in memory.
    prompts = [row(browser, i).prompt for i in range(total)]
    assert len(set(prompts)) == total
    assert browser.model.cached_pages() == CACHED_PAGES
    assert browser.model.pages_loaded == 2 + total // PAGE - 1  # the last page was evicted


def test_header_click_sorts(qtbot: QtBot, browser: BrowserWindow) -> None:
    browser.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # kind
    searched(qtbot, browser)
    kinds = [row(browser, i).kind for i in range(browser.model.rowCount())]
    assert kinds == sorted(kinds)
    browser.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    searched(qtbot, browser)
    assert row(browser, 0).kind == "short"


def test_suspending_from_the_browser_takes_the_card_out_of_the_deck_counts(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = open_window(col, sample_decks)
    qtbot.add_widget(window)
    window.show()
    assert window.decks.tree.topLevelItem(0).text(1) == "5"  # new
    browser = window.browse_cards()
    qtbot.wait_exposed(browser)
    searched(qtbot, browser)
    qtbot.keyClicks(browser.search_box, "spawn")
    qtbot.wait_until(lambda: browser.model.rowCount() == 1)
    select_row(browser, 0)
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: row(browser, 0).suspended)
    assert browser.model.data(browser.model.index(0, 9)) == "yes"
    assert window.decks.tree.topLevelItem(0).text(1) == "4"
    assert next(s for s in study.deck_overview(col) if s.uuid == SAMPLE).counts.new == 4
    qtbot.keyClick(browser.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: not row(browser, 0).suspended)
    assert window.decks.tree.topLevelItem(0).text(1) == "5"


def test_move_and_reset_act_on_the_selection(
    qtbot: QtBot, col: Collection, browser: BrowserWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = cards.create_deck(col, "Mine").decks[0]
    data = cards.new_card_data(Kind.SHORT)
    data.update(prompt="Which keyword moves captures into a closure?", answer=["move"])
    (mine,) = cards.add_card(col, deck, data).added
    other = cards.create_deck(col, "Other").decks[0]
    browser.reload_filters()
    browser.deck_filter.setCurrentIndex(browser.deck_filter.findData(deck))
    searched(qtbot, browser)
    assert browser.model.rowCount() == 1
    select_row(browser, 0)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *_args: ("Other", True))
    browser.move_to_deck()
    assert row(browser, 0).deck_name == "Other"
    assert cards.load_card(col, mine).deck_uuid == other


def test_acting_on_a_selection_reads_only_its_rows(
    qtbot: QtBot, col: Collection, browser: BrowserWindow
) -> None:
    """Suspending one card of a long result must not read every page of it."""
    big_deck(col, (CACHED_PAGES + 3) * PAGE)
    browser.run_search()
    searched(qtbot, browser)
    qtbot.wait_until(lambda: browser.model.pages_loaded >= 1)
    select_row(browser, 0)
    before = browser.model.pages_loaded
    browser.toggle_suspended()
    qtbot.wait_until(lambda: row(browser, 0).suspended)
    assert browser.model.pages_loaded - before <= 2  # the changed row's page, read again


def test_ctrl_w_closes_the_browser(qtbot: QtBot, browser: BrowserWindow) -> None:
    qtbot.wait_exposed(browser)
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait_until(lambda: not browser.isVisible())
