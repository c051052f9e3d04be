"""The browser marks what the search matched and says which cards were never answered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.core.palette import palette
from quizapp.services import study
from quizapp.services.collection import Collection
from quizapp.ui.match_highlight import marked_html, search_words
from tests.helpers.study import answer_current
from tests.helpers.window import make_window, searched


def test_words_are_marked_where_a_word_starts_as_the_search_matches() -> None:
    assert search_words("Box<T> own") == ["Box", "T", "own"]
    html = marked_html("What does Box<T> own? unknown", ["own", "box"], "#ff0")
    assert html.count('<span style="background-color:#ff0; font-weight:600;">') == 2
    assert ">Box</span>&lt;T&gt;" in html and ">own</span>?" in html
    assert "unknown" in html  # "own" inside a word is no match, as in the search
    assert marked_html("a <b>", [], "#ff0") == "a &lt;b&gt;"


def test_the_browser_marks_matches_and_never_answered_cards(
    qtbot: QtBot, col: Collection, sample_decks: Path
) -> None:
    sitting = study.start_sitting(col)
    answered = answer_current(col, sitting).card_uuid
    window = make_window(qtbot, col, sample_decks)
    browser = window.browse_cards()
    qtbot.wait_exposed(browser)
    searched(qtbot, browser)
    model = browser.model
    rows = {model.uuid_at(i): i for i in range(model.rowCount())}
    for uuid, row in rows.items():
        due = model.data(model.index(row, 4))
        ease = model.data(model.index(row, 6))
        if uuid == answered:
            assert due not in ("never answered", "new (reset)") and ease != "—"
        else:
            assert (due, ease) == ("never answered", "—")
            muted = model.data(model.index(row, 4), Qt.ItemDataRole.ForegroundRole)
            assert muted.color().name() == palette("light").muted
    browser.search_box.setText("print")
    browser.run_search()
    searched(qtbot, browser)
    assert browser.matches.words == ["print"]
    assert browser.table.itemDelegateForColumn(2) is browser.matches
    # Drawn: the marked cell holds the mark colour somewhere along its text.
    printing = next(i for i in range(model.rowCount()) if "print?" in model.data(model.index(i, 2)))
    browser.table.clearSelection()
    rect = browser.table.visualRect(model.index(printing, 2))
    image = browser.table.viewport().grab(rect).toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    assert palette("light").mark in colours


def test_a_mark_keeps_the_palette_text_colour_even_in_a_selected_row() -> None:
    from quizapp.core.palette import DARK, LIGHT, WCAG_TEXT, contrast

    for pal in (LIGHT, DARK):
        html = marked_html("a mutex guard", ["mutex"], pal.mark, pal.text)
        assert f"background-color:{pal.mark}; color:{pal.text};" in html
        assert contrast(pal.text, pal.mark) >= WCAG_TEXT
