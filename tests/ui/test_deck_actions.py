"""The deck list's context menu: rename and delete through the real window, undone by
Ctrl+Z, with the open views following; shipped decks refused with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards
from quizapp.services.collection import Collection
from quizapp.ui import deck_actions
from quizapp.ui.main_window import MainWindow
from tests.helpers.window import make_window

SAMPLE = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
CTRL = Qt.KeyboardModifier.ControlModifier


def own_deck_with_cards(col: Collection, name: str = "Team errors") -> str:
    deck = cards.create_deck(col, name).decks[0]
    for prompt in ("Which trait makes `?` convert errors?", "What does `Box<dyn Error>` erase?"):
        data = cards.new_card_data(Kind.SHORT)
        data.update(prompt=prompt, answer=["From"])
        cards.add_card(col, deck, data)
    return deck


def deck_names(window: MainWindow) -> list[str]:
    tree = window.decks.tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def select_deck(window: MainWindow, uuid: str) -> None:
    tree = window.decks.tree
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == uuid:
            tree.setCurrentItem(tree.topLevelItem(i))
            return
    raise AssertionError(f"{uuid} not in the deck list")


def test_the_context_menu_offers_what_anki_does(
    qtbot: QtBot, col: Collection, sample_decks: Path, tmp_path: Path
) -> None:
    mine = own_deck_with_cards(col)
    window = make_window(qtbot, col, sample_decks)
    menu = window.decks.deck_menu(mine)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Study", "Rename…", "Delete…", "Options…", "Export…"]
    assert menu.actions()[0].isEnabled()  # two new cards to study
    asked: list[str] = []
    window.decks.rename_requested.connect(asked.append)
    next(a for a in menu.actions() if a.text() == "Rename…").trigger()
    assert asked == [mine]
    menu.adjustSize()  # drawn without popping up: offscreen has no keyboard grab to give
    shot = menu.grab()
    assert shot.width() > 100 and shot.height() > 5 * menu.fontMetrics().height()
    shot.save(str(tmp_path / "deck-context-menu.png"))


def test_rename_through_the_window_is_undone_and_every_view_follows(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    mine = own_deck_with_cards(col)
    window = make_window(qtbot, col, sample_decks)
    browser = window.browse_cards()
    select_deck(window, mine)
    window.activateWindow()
    window.decks.tree.setFocus()
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_F2)
    dialog = QApplication.activeModalWidget()
    assert dialog is not None and dialog.windowTitle() == "Rename deck"
    assert dialog.textValue() == "Team errors"  # type: ignore[attr-defined]
    dialog.setTextValue("Team errors, 2nd ed.")  # type: ignore[attr-defined]
    dialog.accept()  # type: ignore[attr-defined]
    assert "Team errors, 2nd ed." in deck_names(window)
    filter_names = [browser.deck_filter.itemText(i) for i in range(browser.deck_filter.count())]
    assert "Team errors, 2nd ed." in filter_names
    assert window.undo_action.text() == "&Undo Rename deck"
    window.activateWindow()
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_Z, CTRL)
    assert "Team errors" in deck_names(window)
    assert "Team errors, 2nd ed." not in deck_names(window)


def test_delete_through_the_window_says_what_goes_and_ctrl_z_brings_it_back(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    mine = own_deck_with_cards(col)
    window = make_window(qtbot, col, sample_decks)
    select_deck(window, mine)
    window.decks.tree.setFocus()
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_Delete)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    assert "“Team errors” with its 2 cards and 0 reviews" in box.text()
    assert "Undo" in box.informativeText()
    # Cancel is the default: Enter keeps the deck.
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "Team errors" in deck_names(window)

    box = deck_actions.delete_deck(window, mine)
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    assert "Team errors" not in deck_names(window)
    assert window.undo_action.text() == "&Undo Delete deck Team errors"
    window.activateWindow()
    qtbot.keyClick(window.decks.tree, Qt.Key.Key_Z, CTRL)
    assert "Team errors" in deck_names(window)
    assert len(cards.search_cards(col, cards.CardQuery(deck_uuid=mine))) == 2


def test_shipped_decks_are_refused_before_anything_is_asked(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    name = deck_names(window)[0]
    assert deck_actions.rename_deck(window, SAMPLE) is None
    refusal = QApplication.activeModalWidget()
    assert isinstance(refusal, QMessageBox) and "cannot be renamed" in refusal.text()
    refusal.accept()
    box = deck_actions.delete_deck(window, SAMPLE)
    assert "would come back at the next start" in box.text()
    assert not any(b.text() == "Delete" for b in box.buttons())
    box.accept()
    assert deck_names(window)[0] == name


def test_options_say_so_when_their_dialog_is_not_in_the_build(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    shown = deck_actions.open_options(window, SAMPLE)
    if isinstance(shown, QMessageBox):
        assert shown.text() == deck_actions.OPTIONS_MISSING
        shown.accept()


def test_the_export_file_name_follows_the_chosen_format(
    qtbot: QtBot, col: Collection, sample_decks: Path, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from quizapp.ui.import_dialog import export_file_dialog, export_path

    window = make_window(qtbot, col, sample_decks)
    dialog = export_file_dialog(window, "Team Errors")
    qtbot.add_widget(dialog)
    dialog.setDirectory(str(tmp_path))
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    formats = dialog.findChild(QComboBox, "fileTypeCombo")
    assert name is not None and formats is not None
    assert name.text() == "Team Errors.apkg"
    assert dialog.selectedNameFilter().endswith("(*.apkg)")
    formats.setCurrentIndex(1)  # the deck file format, as a click on the list would
    formats.activated.emit(1)
    assert name.text() == "Team Errors.toml"
    assert export_path(dialog).name == "Team Errors.toml"
    name.setText("renamed")  # typed without an extension: the chosen format's is added
    assert export_path(dialog).name == "renamed.toml"


def test_study_all_says_it_brings_new_cards_too(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    assert "new" in window.decks.all_button.text() and "due" in window.decks.all_button.text()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_menu_key_opens_the_selected_decks_menu(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent

    mine = own_deck_with_cards(col)
    window = make_window(qtbot, col, sample_decks)
    select_deck(window, mine)
    tree = window.decks.tree
    # From the keyboard the event carries no useful place: the selected row is meant.
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), QPoint(1, 1))
    QApplication.sendEvent(tree, event)
    menu = window.decks.menu
    assert menu is not None
    qtbot.wait_until(menu.isVisible)
    assert tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == mine
    asked: list[str] = []
    window.decks.delete_requested.connect(asked.append)
    next(a for a in menu.actions() if a.text() == "Delete…").trigger()
    menu.close()
    assert asked == [mine]


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_right_click_opens_the_menu_of_the_row_under_the_mouse(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    from PySide6.QtGui import QContextMenuEvent

    mine = own_deck_with_cards(col)
    window = make_window(qtbot, col, sample_decks)
    select_deck(window, mine)
    tree = window.decks.tree
    first = tree.topLevelItem(0)
    at = tree.visualItemRect(first).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, tree.viewport().mapToGlobal(at))
    QApplication.sendEvent(tree.viewport(), event)
    menu = window.decks.menu
    assert menu is not None
    qtbot.wait_until(menu.isVisible)
    menu.close()
    assert tree.currentItem() is first  # the row clicked, not the one selected before


def test_the_deck_list_groups_the_digits_of_big_totals(qtbot) -> None:  # type: ignore[no-untyped-def]
    """ "300743 cards" read as one run of digits at 300,000 cards."""
    from quizapp.core.queue import DeckCounts
    from quizapp.services.overview import DeckSummary
    from quizapp.ui.deck_list import DeckListPage

    page = DeckListPage()
    qtbot.addWidget(page)
    big = DeckSummary("u1", "Synthetic", "", "", 300_743, DeckCounts(20, 1_200, 2_139))
    page.show_decks([big])
    assert page.subtitle.text() == "1 deck · 300,743 cards · 3,359 to study today"
