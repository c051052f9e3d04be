"""Every open view follows every write, without being told by hand.

The deck list, the browser and the statistics window are open while a deck is imported
(on a worker thread, as the import dialog does it), a card is answered on the study page
and the answer is undone. Nothing in the test calls a refresh: each view hears the
collection's `Changes` and redraws what it shows.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.services import cards
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, plan_import
from quizapp.services.importers import read_bundle
from quizapp.ui.main_window import MainWindow
from tests.helpers.study import in_file_order
from tests.helpers.window import key, make_window, type_text

TEAM_DECK = """\
format = 1

[deck]
id = "3a1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e99"
name = "Team errors"

[[cards]]
id = "b0000000-0000-4000-8000-000000000001"
kind = "short"
prompt = "Which trait lets a type be moved to another thread?"
answer = ["Send"]

[[cards]]
id = "b0000000-0000-4000-8000-000000000002"
kind = "flashcard"
prompt = "What does `Sync` promise?"
back = "`&T` may be shared between threads."
"""


def deck_rows(window: MainWindow) -> dict[str, list[str]]:
    tree = window.decks.tree
    rows = {}
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        rows[item.text(0)] = [item.text(c) for c in range(1, tree.columnCount())]
    return rows


def test_open_views_follow_an_import_an_answer_and_its_undo(
    qtbot: QtBot, col: Collection, sample_decks: Path, tmp_path: Path
) -> None:
    window = make_window(qtbot, col, sample_decks)
    browser = window.browse_cards()
    qtbot.add_widget(browser)
    stats = window.study_menu.open_statistics()
    qtbot.add_widget(stats)
    qtbot.wait_until(lambda: stats.stats is not None)
    assert stats.stats is not None
    answers_before = stats.stats.answers
    assert list(deck_rows(window)) == ["Sample"]
    assert len(browser.model.uuids) == 5

    # An import on a worker thread, as the import dialog runs it.
    path = tmp_path / "team.toml"
    path.write_text(TEAM_DECK, encoding="utf-8")
    plan = plan_import(col, read_bundle(path))
    worker = threading.Thread(target=lambda: apply_import(col, plan))
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: "Team errors" in deck_rows(window))
    assert deck_rows(window)["Team errors"][0] == "2"  # two new cards today
    qtbot.wait_until(lambda: len(browser.model.uuids) == 7)
    decks_in_filter = [browser.deck_filter.itemText(i) for i in range(browser.deck_filter.count())]
    assert "Team errors" in decks_in_filter

    # One answer on the study page, by the keyboard.
    window.activateWindow()
    qtbot.wait_until(window.isActiveWindow)
    in_file_order(col)
    window.start_study([plan.decks[0].deck.id])
    page = window.study
    assert page.view is not None and page.view.card.kind.value == "short"
    answered = page.view.card.id
    type_text(qtbot, "Send")  # the answer field has the focus
    key(qtbot, Qt.Key.Key_Return)
    assert page.verdict is not None and page.verdict.correct
    with qtbot.wait_signal(stats.loaded, timeout=10_000):
        qtbot.keyClick(page, Qt.Key.Key_3)  # Good
    assert stats.stats.answers == answers_before + 1
    row = browser.model.uuids.index(answered)
    assert browser.model.row_at(row).reviews == 1  # type: ignore[union-attr]

    # Ctrl+Z from the deck list: the study page takes the answer back and comes forward.
    window.show_decks()
    assert deck_rows(window)["Team errors"][0] == "1"
    with qtbot.wait_signal(stats.loaded, timeout=10_000):
        window.undo()
    assert window.stack.currentWidget() is page
    assert page.view is not None and page.view.card.id == answered and page.verdict is None
    assert stats.stats.answers == answers_before
    assert browser.model.row_at(row).reviews == 0  # type: ignore[union-attr]

    # A deck renamed elsewhere (the editor, say) is renamed in the browser's filter too.
    cards.rename_deck(col, plan.decks[0].deck.id, "Team errors, 2nd ed.")
    names = [browser.deck_filter.itemText(i) for i in range(browser.deck_filter.count())]
    assert "Team errors, 2nd ed." in names
    window.show_decks()
    assert "Team errors, 2nd ed." in deck_rows(window)
