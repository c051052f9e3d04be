"""A deck's name and section come from its file: Qt must show them as text, never as markup.

QLabel, tooltips and message boxes guess from the first line whether a text is HTML. A deck
sectioned `X<img src="/dev/zero">` made the deck list's label load that "image", a read
that never ends: the window hung as it opened. Found in the re-audit of issue 13 (item 9's
`![x](/dev/zero)` in a card, through a deck's name instead).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from quizapp.core.model import Kind
from quizapp.services import cards
from quizapp.services.collection import Collection
from quizapp.services.exchange import apply_import, find_deck, plan_import
from quizapp.services.importers import read_bundle
from quizapp.ui import deck_actions
from quizapp.ui.interview import InterviewSetupDialog, QuestionSetDialog
from quizapp.ui.main_window import MainWindow
from quizapp.ui.stats_window import StatsWindow
from tests.helpers.window import make_window

HANG = '<img src="/dev/zero">'
BOLD = "<b>bold</b>"


def import_deck(col: Collection, tmp_path: Path, markup: str) -> str:
    q = markup.replace('"', '\\"')
    path = tmp_path / "marked.toml"
    path.write_text(
        'format = 1\n\n[deck]\nid = "81111111-2222-4333-8444-555555555555"\n'
        f'name = "Deck {q}"\nsection = "Section {q}"\n\n[[cards]]\n'
        'id = "81111111-2222-4333-8444-000000000001"\nkind = "short"\n'
        'prompt = "Which keyword?"\nanswer = ["mut"]\n',
        encoding="utf-8",
    )
    apply_import(col, plan_import(col, read_bundle(path)))
    return find_deck(col, f"Deck {markup}")


def select(window: MainWindow, deck: str) -> QTreeWidgetItem:
    tree = window.decks.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    [item] = [i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == deck]
    tree.setCurrentItem(item)
    return item


def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "no-shipped-decks"
    folder.mkdir()
    return folder


def test_a_name_and_section_that_look_like_html_are_shown_as_written(
    qtbot: QtBot, team_col: Collection, tmp_path: Path
) -> None:
    deck = import_deck(team_col, tmp_path, BOLD)
    window = make_window(qtbot, team_col, empty_folder(tmp_path))
    page = window.decks
    item = select(window, deck)
    assert page.description.text() == f"Section {BOLD}"
    assert page.description.textFormat() == Qt.TextFormat.PlainText
    tip = item.toolTip(0)
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip and BOLD not in tip

    box = deck_actions.delete_deck(window, deck)
    assert f"Delete “Deck {BOLD}”" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.reject()
    dialog = deck_actions.rename_deck(window, deck)
    assert dialog is not None
    labels = [lab for lab in dialog.findChildren(QLabel) if BOLD in lab.text()]
    assert labels and all(lab.textFormat() == Qt.TextFormat.PlainText for lab in labels)
    dialog.reject()

    window.start_study([deck])
    assert window.study.deck_label.text().startswith(f"Deck {BOLD}")
    assert window.study.deck_label.textFormat() == Qt.TextFormat.PlainText


def test_an_endless_image_in_a_section_does_not_hang_the_window(
    qtbot: QtBot, team_col: Collection, tmp_path: Path
) -> None:
    deck = import_deck(team_col, tmp_path, HANG)
    window = make_window(qtbot, team_col, empty_folder(tmp_path))
    select(window, deck)
    window.decks.description.grab()  # drawn: with markup, this read /dev/zero for ever
    window.start_study([deck])
    window.study.deck_label.grab()
    QApplication.processEvents()
    assert window.study.deck_label.text().startswith(f"Deck {HANG}")


def test_the_statistics_charts_show_a_marked_up_name_as_text(
    qtbot: QtBot, team_col: Collection, tmp_path: Path
) -> None:
    """Qt Charts draws axis labels as HTML: the endless image hung the statistics window."""
    deck = import_deck(team_col, tmp_path, HANG)
    cards.add_card(
        team_col, deck, {**cards.new_card_data(Kind.SHORT), "prompt": "Q?", "answer": ["a"]}
    )
    window = StatsWindow(team_col)
    qtbot.add_widget(window)
    window.show()
    with qtbot.wait_signal(window.loaded, timeout=20_000):
        pass
    splitter = window.tabs.widget(1).widget()  # type: ignore[attr-defined]
    chart = splitter.widget(0).chart()
    axis = next(a for a in chart.axes() if hasattr(a, "categories"))
    assert f"Deck {html.escape(HANG, quote=False)}" in axis.categories()
    splitter.widget(0).grab()  # drawn


def test_a_question_sets_name_is_shown_as_written_in_the_interview(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    """A question set may come from someone else's file; its name titles the interview."""
    window = make_window(qtbot, col, sample_decks)
    picker = QuestionSetDialog(col, window)
    qtbot.add_widget(picker)
    picker.name.setText(f"Set {BOLD}")
    picker.check(["a0000000-0000-4000-8000-000000000004"])
    picker.save()
    setup = InterviewSetupDialog(col, window)
    qtbot.add_widget(setup)
    setup.source.setCurrentIndex(1)
    window.study_menu.start_interview(setup.config())
    title = window.study_menu.interview_page.title
    assert title.text() == f"Set {BOLD}" and title.textFormat() == Qt.TextFormat.PlainText


def test_the_browsers_prompt_tooltip_shows_markup_as_text(
    qtbot: QtBot, team_col: Collection, tmp_path: Path
) -> None:
    """Hovering a prompt `<img src="/dev/zero"> …` in the browser hung the window."""
    deck = import_deck(team_col, tmp_path, BOLD)
    cards.add_card(
        team_col, deck, {**cards.new_card_data(Kind.SHORT), "prompt": f"{HANG} Q", "answer": ["a"]}
    )
    window = make_window(qtbot, team_col, empty_folder(tmp_path))
    browser = window.browse_cards()
    model = browser.table.model()
    qtbot.wait_until(lambda: model.rowCount() > 0, timeout=10_000)
    tips = [
        str(model.data(model.index(r, 2), Qt.ItemDataRole.ToolTipRole))
        for r in range(model.rowCount())
    ]
    [tip] = [t for t in tips if "/dev/zero" in t]
    assert "&lt;img src=&quot;/dev/zero&quot;&gt; Q" in tip
    QToolTip.showText(browser.table.mapToGlobal(QPoint(5, 5)), tip, browser.table)
    QApplication.processEvents()  # drawn: the raw prompt read /dev/zero for ever here
    QToolTip.hideText()
