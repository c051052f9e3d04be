"""The browser's Recall column on a real collection: typed `r<0.5` and a click on the
column's header, against recall computed here from the stored states."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from quizapp.core.scheduler import SM2_RECALL_AT_INTERVAL
from quizapp.services.collection import Collection
from quizapp.storage.tables import CardRow, CardState
from quizapp.ui.browser import COLUMNS, PROMPT_MIN, BrowserWindow
from tests.helpers.window import searched

RECALL = COLUMNS.index("Recall")
INTERVALS = {
    "a0000000-0000-4000-8000-000000000001": 1,
    "a0000000-0000-4000-8000-000000000002": 2,
    "a0000000-0000-4000-8000-000000000003": 6,
    "a0000000-0000-4000-8000-000000000004": 30,
}
FLASH = "a0000000-0000-4000-8000-000000000005"


def reviewed_ten_days_ago(collection: Collection) -> dict[str, float]:
    """Four cards reviewed 10 days ago at different intervals; their SM-2 recall, by hand."""
    today = collection.today().toordinal()
    with collection.db.session() as session:
        for card in session.exec(select(CardRow).where(col(CardRow.uuid).in_(list(INTERVALS)))):
            state = session.get(CardState, card.id)
            assert state is not None
            state.repetitions, state.interval = 2, INTERVALS[card.uuid]
            state.last_review_day = today - 10
            state.due_day = today - 10 + state.interval
            session.add(state)
        session.commit()
    return {u: SM2_RECALL_AT_INTERVAL ** (10 / i) for u, i in INTERVALS.items()}


def test_typed_recall_filter_and_header_sort(qtbot: QtBot, col: Collection) -> None:
    recall = reviewed_ten_days_ago(col)
    browser = BrowserWindow(col)
    qtbot.add_widget(browser)
    browser.show()
    searched(qtbot, browser)
    model = browser.model
    shown = {model.uuid_at(i): model.data(model.index(i, RECALL)) for i in range(model.rowCount())}
    assert shown == {**{u: f"{r * 100:.0f} %" for u, r in recall.items()}, FLASH: ""}

    browser.search_box.setText("r<0.5")
    browser.run_search()
    searched(qtbot, browser)
    assert model.uuids == [u for u, r in recall.items() if r < 0.5]
    assert browser.status.text() == "1 card match"

    browser.search_box.setText("")
    browser.run_search()
    searched(qtbot, browser)
    browser.table.sortByColumn(RECALL, Qt.SortOrder.AscendingOrder)
    searched(qtbot, browser)
    assert model.query.sort == "recall"
    assert model.uuids == [*sorted(recall, key=recall.__getitem__), FLASH]
    browser.table.sortByColumn(RECALL, Qt.SortOrder.DescendingOrder)
    searched(qtbot, browser)
    assert model.uuids == [*sorted(recall, key=recall.__getitem__, reverse=True), FLASH]


def test_every_column_is_on_screen_at_the_first_size(qtbot: QtBot, col: Collection) -> None:
    """Recall, the last column, was off to the right at the window's first size: the
    columns added up to more than the table's width beside the preview. The prompt takes
    what the others leave; in a narrower window it keeps PROMPT_MIN and the table scrolls."""
    for width in (1400, 1100):
        browser = BrowserWindow(col)
        qtbot.add_widget(browser)
        browser.resize(width, 800)
        browser.show()
        searched(qtbot, browser)
        header = browser.table.horizontalHeader()
        prompt = COLUMNS.index("Prompt")
        qtbot.waitUntil(lambda: header.sectionSize(prompt) >= PROMPT_MIN)  # noqa: B023
        if width == 1400:
            assert header.length() == browser.table.viewport().width()
            recall = header.sectionViewportPosition(RECALL) + header.sectionSize(RECALL)
            assert 0 < recall <= browser.table.viewport().width()
        else:
            assert header.sectionSize(prompt) == PROMPT_MIN
        browser.close()


def test_each_column_title_fits_its_column(qtbot: QtBot, col: Collection) -> None:
    browser = BrowserWindow(col)
    qtbot.add_widget(browser)
    browser.resize(1400, 800)
    browser.show()
    header = browser.table.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)  # as the theme draws them
    titles = QFontMetrics(bold)
    for column, title in enumerate(COLUMNS):
        assert header.sectionSize(column) >= titles.horizontalAdvance(title), title
