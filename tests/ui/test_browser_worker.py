"""The browser's search runs in a worker: the window keeps taking keys while a search runs,
and only the newest search's answer is ever shown."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from quizapp.core.model import Card, Deck, Kind
from quizapp.services import browse
from quizapp.services.cards import CardQuery
from quizapp.services.collection import Collection
from quizapp.services.decks import import_deck
from quizapp.ui.browser import PAGE, BrowserWindow
from tests.helpers.window import searched

CHOICE = "a0000000-0000-4000-8000-000000000003"


@pytest.fixture
def browser(qtbot: QtBot, col: Collection) -> BrowserWindow:
    window = BrowserWindow(col)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    searched(qtbot, window)
    return window


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(started, release): a search for "spawn" waits in its worker until released, as a
    slow search over a huge collection would. The real search runs after the wait."""
    started, release = threading.Event(), threading.Event()
    real = browse.first_page

    def slow(col: Collection, query: CardQuery, limit: int, **kwargs: Any) -> list[str] | None:
        if "spawn" in query.text:
            started.set()
            assert release.wait(20), "never released: the test's GUI thread was blocked"
        return real(col, query, limit, **kwargs)

    monkeypatch.setattr(browse, "first_page", slow)
    return started, release


def add_big_deck(col: Collection, count: int) -> None:
    """A deck of `count` short cards: a result of more than one screen."""
    made = tuple(
        Card(
            id=f"d0000000-0000-4000-8000-{i:012d}",
            kind=Kind.SHORT,
            prompt=f"Q {i}",
            accepted=("x",),
        )
        for i in range(count)
    )
    import_deck(
        col, Deck(id="d0000000-0000-4000-8000-ffffffffffff", name="Big", cards=made), source="test"
    )


def test_the_window_takes_keys_while_a_search_runs(
    qtbot: QtBot, browser: BrowserWindow, held: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held
    browser.search_box.setText("spawn")
    browser.run_search()
    qtbot.wait_until(started.is_set)
    # The search is stuck in its worker; the GUI thread still handles typing and redraws.
    browser.search_box.clear()
    qtbot.keyClicks(browser.search_box, "still typing")
    assert browser.search_box.text() == "still typing"
    assert browser.model.searching and browser.model.rowCount() == 5  # the old result stays
    browser.search_box.setText("spawn")
    release.set()
    browser.run_search()
    searched(qtbot, browser)
    assert browser.model.uuids == [CHOICE]


def test_a_superseded_search_never_replaces_the_newer_result(
    qtbot: QtBot, browser: BrowserWindow, held: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held
    browser.search_box.setText("spawn")
    browser.run_search()
    qtbot.wait_until(started.is_set)
    first = browser.model._job
    assert first is not None
    browser.search_box.setText("")  # every card: the newer search, not held
    browser.run_search()
    searched(qtbot, browser)
    assert browser.model.rowCount() == 5
    # Now the older search finishes; what it found must not be shown.
    with qtbot.wait_signal(first.signals.cancelled, timeout=20_000):
        release.set()
    qtbot.wait(50)  # let any signal of the old search still queued be delivered
    assert browser.model.rowCount() == 5
    assert "5 cards match" in browser.status.text()


def test_the_first_screen_comes_before_the_count(
    qtbot: QtBot, col: Collection, browser: BrowserWindow
) -> None:
    """A result longer than a screen is shown in two steps: its first page, then the rest
    appended (the selection stays), the count said only once it is known."""
    add_big_deck(col, 3 * PAGE)
    searched(qtbot, browser)  # the import ran the search again
    seen: list[tuple[int, str]] = []
    browser.model.modelReset.connect(
        lambda: seen.append((browser.model.rowCount(), browser.status.text()))
    )
    browser.run_search()
    searched(qtbot, browser)
    assert seen == [(PAGE, f"{PAGE}+ cards match (counting the rest…)")]
    assert browser.model.rowCount() == 3 * PAGE + 5
    assert browser.status.text() == f"{3 * PAGE + 5:,} cards match"
    assert browser.selected_uuids() == [browser.model.uuid_at(0)]


def test_a_search_that_fits_one_screen_is_shown_once(qtbot: QtBot, browser: BrowserWindow) -> None:
    seen: list[int] = []
    browser.model.modelReset.connect(lambda: seen.append(browser.model.rowCount()))
    browser.search_box.setText("spawn")
    browser.run_search()
    searched(qtbot, browser)
    assert seen == [1] and browser.status.text() == "1 card match"


def test_a_search_longer_than_the_cap_says_what_was_searched(
    qtbot: QtBot, browser: BrowserWindow
) -> None:
    """20,000 one-letter words took 6 s a query: only the first 16 are searched, and the
    status line says so."""
    browser.search_box.setText("spawn " + "a " * 200)
    browser.run_search()
    searched(qtbot, browser)
    assert browser.status.text() == "1 card match (only the first 16 words are searched)"
    browser.search_box.setText("spawn")
    browser.run_search()
    searched(qtbot, browser)
    assert browser.status.text() == "1 card match"


def test_a_search_finishes_while_the_window_is_closed(
    qtbot: QtBot, browser: BrowserWindow, held: tuple[threading.Event, threading.Event]
) -> None:
    """The main window keeps its browser: closed mid-search and opened again, it shows the
    whole result of the last search, not half of it."""
    started, release = held
    browser.search_box.setText("spawn")
    browser.run_search()
    qtbot.wait_until(started.is_set)
    browser.close()
    release.set()
    searched(qtbot, browser)
    browser.show()
    assert browser.model.uuids == [CHOICE] and browser.status.text() == "1 card match"


def test_typing_searches_at_once_and_shows_the_result_when_the_typing_pauses(
    qtbot: QtBot, browser: BrowserWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key starts the search in the worker, but the table keeps the old result until
    the pause; the pause then shows what was found, without searching again."""
    searches: list[str] = []
    real = browse.first_page

    def counted(col: Collection, query: CardQuery, limit: int, **kwargs: Any) -> list[str] | None:
        searches.append(query.text)
        return real(col, query, limit, **kwargs)

    monkeypatch.setattr(browse, "first_page", counted)
    browser.search_box.setText("spawn")
    browser.debounce.stop()  # still typing: the pause has not come
    job = browser.model._job
    assert job is not None
    with qtbot.wait_signal(job.signals.finished, timeout=10_000):
        pass
    qtbot.wait(20)  # anything it sent is delivered, and held
    assert searches == ["spawn"]
    assert browser.model.rowCount() == 5 and browser.model.searching  # the old result stays
    browser.run_search()  # the pause
    searched(qtbot, browser)
    assert browser.model.uuids == [CHOICE] and browser.status.text() == "1 card match"
    assert searches == ["spawn"]  # shown from the search already done


def test_a_key_before_the_pause_drops_the_held_search(
    qtbot: QtBot, browser: BrowserWindow, held: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held
    browser.search_box.setText("spawn")
    qtbot.wait_until(started.is_set)
    stale = browser.model._job
    assert stale is not None
    browser.search_box.setText("spawn x")  # the next key: "spawn" alone is stale now
    with qtbot.wait_signal(stale.signals.cancelled, timeout=20_000):
        release.set()
    browser.run_search()
    searched(qtbot, browser)
    assert browser.model.rowCount() == 0 and browser.model.query.text == "spawn x"
    assert browser.status.text() == "0 cards match"


def test_the_first_screen_is_read_and_drawn_before_the_rest_is_searched(
    qtbot: QtBot, col: Collection, browser: BrowserWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker reads the first screen's rows itself, so the GUI thread only draws them;
    and it searches for the rest only once they are drawn (the two would share the GIL)."""
    add_big_deck(col, 2 * PAGE)
    searched(qtbot, browser)
    events: list[str] = []
    real_rows, real_search, real_draw = browse.browser_rows, browse.search_cards, browser._draw_now

    def rows(collection: Collection, uuids: Any) -> Any:
        on_gui = threading.current_thread() is threading.main_thread()
        events.append("rows read on the GUI thread" if on_gui else "rows read in the worker")
        return real_rows(collection, uuids)

    def search(collection: Collection, query: CardQuery, **kwargs: Any) -> list[str]:
        events.append("the rest searched")
        return real_search(collection, query, **kwargs)

    def draw() -> None:
        events.append("drawn")
        real_draw()

    monkeypatch.setattr(browse, "browser_rows", rows)
    monkeypatch.setattr(browse, "search_cards", search)
    browser.model.draw_now = draw
    browser.run_search()
    searched(qtbot, browser)
    assert events == ["rows read in the worker", "drawn", "the rest searched"]
    assert browser.model.rowCount() == 2 * PAGE + 5
    assert browser.model.row_at(0) is not None and browser.model.pages_loaded == 1


def test_the_status_says_searching_until_the_first_answer_comes(
    qtbot: QtBot, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "0 cards match" while the opening search was still running."""
    started, release = threading.Event(), threading.Event()
    real = browse.first_page

    def slow(col: Collection, query: CardQuery, limit: int, **kwargs: Any) -> list[str] | None:
        started.set()
        assert release.wait(20), "never released: the test's GUI thread was blocked"
        return real(col, query, limit, **kwargs)

    monkeypatch.setattr(browse, "first_page", slow)
    window = BrowserWindow(col)
    qtbot.add_widget(window)
    window.show()
    qtbot.waitUntil(started.is_set)  # the worker starts on the event loop's next turn
    assert window.status.text() == "Searching…"
    release.set()
    searched(qtbot, window)
    assert window.status.text() == f"{window.model.rowCount()} cards match"
    assert window.model.rowCount() > 0
