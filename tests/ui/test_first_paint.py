"""The deck list painted before SQLAlchemy is imported (`ui.first_paint`), then replaced by
the main window once the collection is open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from quizapp.core.model import Card, Deck, Kind
from quizapp.services import guidance
from quizapp.services.collection import Collection, open_collection
from quizapp.services.decks import import_deck, sync_shipped_decks
from quizapp.ui import menu_titles
from quizapp.ui.first_paint import first_glance
from quizapp.ui.launch import Started, open_window
from quizapp.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.helpers.fresh_process import run_fresh


@pytest.fixture
def data(tmp_path: Path, clock: FakeClock, sample_decks: Path) -> Path:
    folder = tmp_path / "data"
    col = open_collection(folder, clock=clock)
    sync_shipped_decks(col, sample_decks)
    guidance.mark_welcome_shown(col)
    col.close()
    return folder


def rows(tree: object) -> list[list[str]]:
    count = tree.topLevelItemCount()  # type: ignore[attr-defined]
    return [[tree.topLevelItem(i).text(c) for c in range(5)] for i in range(count)]  # type: ignore[attr-defined]


def glimpse_of(qtbot: QtBot, data: Path) -> QMainWindow:
    """The deck list painted early, as `run_window` paints it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    glimpse = first_glance(app, data)
    assert glimpse is not None
    qtbot.addWidget(glimpse)
    return glimpse


def replace_glimpse(
    qtbot: QtBot, data: Path, sample_decks: Path, glimpse: QMainWindow
) -> tuple[Collection, MainWindow]:
    """Open the collection and show the main window in the painted list's place, as
    `run_window` does; the caller closes the collection."""
    col = open_collection(data, check_behind=True)
    started = Started(data, col, lambda _text: None, decks_dir=sample_decks, quit=[].append)
    started.replaces = glimpse
    assert started.show(col)
    assert started.window is not None
    qtbot.addWidget(started.window)
    return col, started.window


def test_the_deck_list_paints_before_sqlalchemy_is_imported(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from quizapp.ui.launch import make_app\n"
        "from quizapp.ui.first_paint import first_glance\n"
        "app = make_app()\n"
        "window = first_glance(app, Path(sys.argv[1]))\n"
        "tree = window.centralWidget().tree\n"
        "print([m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules])\n"
        "print(tree.topLevelItem(0).text(0), tree.topLevelItem(0).text(1))\n"
    )
    imported, first_row = run_fresh(code, str(data)).splitlines()
    assert imported == "[]"
    col = open_collection(data)
    try:
        window = open_window(col, sample_decks, sync_later=True)
        qtbot.addWidget(window)
        assert first_row == " ".join(rows(window.decks.tree)[0][:2])
    finally:
        col.close()


def titles(window: QMainWindow) -> list[str]:
    return [action.text() for action in window.menuBar().actions()]


def test_the_main_window_takes_the_painted_lists_place(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    glimpse = glimpse_of(qtbot, data)
    painted = rows(glimpse.centralWidget().tree)  # type: ignore[attr-defined]
    glimpse.move(40, 30)
    col, window = replace_glimpse(qtbot, data, sample_decks, glimpse)
    try:
        assert not glimpse.isVisible() and window.isVisible()
        assert window.geometry() == glimpse.geometry()
        assert rows(window.decks.tree) == painted
        # the list stays where it was painted: the same menu bar above it
        assert titles(window) == titles(glimpse) == list(menu_titles.IN_ORDER)
        origin = QPoint(0, 0)
        assert window.decks.tree.mapTo(window, origin) == (
            glimpse.centralWidget().tree.mapTo(glimpse, origin)  # type: ignore[attr-defined]
        )
    finally:
        col.close()


def test_nothing_paints_early_beside_another_quizapp_on_the_collection(
    qtbot: QtBot, data: Path
) -> None:
    col = open_collection(data)
    try:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        assert first_glance(app, data) is None  # this start hands over to the open one
    finally:
        col.close()


def test_the_integrity_check_waits_until_the_deck_list_has_painted(data: Path) -> None:
    """The check reads the whole file (708 MB at 300,000 cards): started with the window, it
    took the cold disk from Qt's loading and from the deck list's own reads. `run_window`
    as `quizapp` runs it, in a fresh process: at the first paint, no check has begun."""
    code = (
        "import sys\n"
        "from quizapp.services.startup import warm_deck_list\n"
        "from quizapp.storage import early_check\n"
        "from pathlib import Path\n"
        "warm_deck_list(Path(sys.argv[1]))\n"
        "from PySide6.QtCore import QEvent, QObject, QTimer\n"
        "from quizapp.ui.launch import make_app, run_window\n"
        "app = make_app()\n"
        "seen = []\n"
        "quitting = QTimer()\n"
        "quitting.timeout.connect(app.quit)\n"
        "class Spy(QObject):\n"
        "    def eventFilter(self, watched, event):\n"
        "        if event.type() == QEvent.Type.Paint and not seen:\n"
        "            seen.append([c.started for c in early_check._STARTED.values()])\n"
        "            quitting.start(20)\n"
        "        return False\n"
        "spy = Spy()\n"
        "app.installEventFilter(spy)\n"
        "status = run_window(sys.argv[1], warmed=True)\n"
        "print(status, seen)\n"
    )
    assert run_fresh(code, str(data)) == "0 [[]]"


def test_what_is_done_to_the_painted_list_carries_over_to_the_main_window(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    """The painted list looks ready, so it is used: the deck moved to stays selected, and a
    study asked for (Enter) starts in the main window, on that deck."""
    col = open_collection(data)
    deck = Deck(
        id="7d2c4a1e-5b3f-4c6d-8e9f-0a1b2c3d4e5f",
        name="Zeta",
        cards=(Card(id="7d2c4a1e-5b3f-4c6d-8e9f-000000000001", kind=Kind.FLASHCARD, prompt="Q?"),),
    )
    import_deck(col, deck, source="test")
    col.close()
    glimpse = glimpse_of(qtbot, data)
    tree = glimpse.centralWidget().tree  # type: ignore[attr-defined]
    uuids = [tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) for i in range(2)]
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Down)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    col, window = replace_glimpse(qtbot, data, sample_decks, glimpse)
    try:
        assert window.selected_deck() is not None
        assert window.selected_deck()[0] == uuids[1]  # type: ignore[index]
        qtbot.wait_until(lambda: window.stack.currentWidget() is window.study)
        assert window.study.sitting is not None
        assert window.study.sitting.deck_uuids == (uuids[1],)
    finally:
        col.close()


def test_a_painted_list_left_alone_starts_nothing(
    qtbot: QtBot, data: Path, sample_decks: Path
) -> None:
    col, window = replace_glimpse(qtbot, data, sample_decks, glimpse_of(qtbot, data))
    try:
        for _ in range(3):  # a study queued by the hand-over would start here
            QApplication.processEvents()
        assert window.stack.currentWidget() is window.decks
    finally:
        col.close()


def test_a_study_asked_of_the_painted_list_waits_for_the_first_starts_welcome(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, sample_decks: Path
) -> None:
    """A collection made by the command line is painted early on the window's first start,
    which opens with the welcome: Enter on the painted list keeps its deck selected but
    starts no study under the welcome (seen by hand under Xvfb)."""
    data = tmp_path / "fresh"
    col = open_collection(data, clock=clock)
    sync_shipped_decks(col, sample_decks)
    col.close()
    glimpse = glimpse_of(qtbot, data)
    tree = glimpse.centralWidget().tree  # type: ignore[attr-defined]
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Return)
    col, window = replace_glimpse(qtbot, data, sample_decks, glimpse)
    try:
        qtbot.wait_until(lambda: window.help_menu.welcome is not None)
        for _ in range(3):  # a study queued by the hand-over would start here
            QApplication.processEvents()
        assert window.stack.currentWidget() is window.decks
    finally:
        if window.help_menu.welcome is not None:
            window.help_menu.welcome.reject()
        col.close()
