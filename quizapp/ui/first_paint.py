"""The deck list painted before SQLAlchemy is imported: what a desktop start shows first.

Importing SQLAlchemy, SQLModel and pydantic, and with them every service, took about half
of a warm start before the deck list could paint. The deck list needs none of them: it is
read in plain SQLite (`services.startup.first_deck_list`, the same counting as the open
collection's) and painted here, in a window dressed like the main window (title, size,
theme, the menu bar's titles) holding the same `DeckListPage`. `ui.launch` then imports the
rest, opens the collection (lock, integrity check behind, one writer: as before) and shows
the main window in its place. What the learner does to the painted list meanwhile is kept: the deck they
move to is the main window's selected deck, and a study they ask for (Enter, a double
click, the buttons) starts in the main window (`EarlyWindow`, `early_input`), unless the
main window opens with the first start's welcome.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from quizapp.services.startup import first_deck_list
from quizapp.ui import menu_titles
from quizapp.ui.deck_list import DeckListPage
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.theme import apply_theme, effective_theme

PAINT_PATIENCE = 0.2
"""Seconds to wait for the window system to let the list paint before going on."""


class _Painted(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.done = True
        return False


class EarlyWindow(QMainWindow):
    """The painted deck list, which remembers the study asked of it until the main window
    can start it."""

    def __init__(self, page: DeckListPage) -> None:
        super().__init__()
        self.page = page
        self.study_asked: list[str] | None = None
        """The decks of the study asked for (empty: all of them); None: none asked."""
        page.study_requested.connect(self._ask)
        self.setCentralWidget(page)

    def _ask(self, deck_uuids: list[str]) -> None:
        if self.study_asked is None:  # the first ask is what the learner meant
            self.study_asked = list(deck_uuids)

    def selected_deck(self) -> str | None:
        item = self.page.tree.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))


def early_input(early: QWidget) -> tuple[str | None, list[str] | None]:
    """What was done to the painted list while the collection opened: the deck selected,
    and the study asked for (None: none). Input still queued (keys and clicks made while
    the main thread was busy opening) is handed to the painted list first."""
    if not isinstance(early, EarlyWindow):
        return None, None
    QApplication.processEvents()
    return early.selected_deck(), early.study_asked


def first_glance(app: QApplication, data_dir: Path) -> QMainWindow | None:
    """The deck list of `data_dir`, shown and painted; None when there is nothing to paint
    before opening (another quizapp holds the collection, a new or older or damaged file,
    no decks yet)."""
    found = first_deck_list(data_dir)
    if found is None or not found[1]:
        return None
    settings, summaries = found
    apply_theme(app, effective_theme(settings.theme))
    page = DeckListPage()
    page.show_decks(summaries)
    window = EarlyWindow(page)
    window.setWindowTitle("quizapp")
    resize_to_fit(window, 1000, 760)
    for title in menu_titles.IN_ORDER:  # the main window's bar, so the list stays put
        window.menuBar().addMenu(title)
    painted = _Painted()
    page.tree.viewport().installEventFilter(painted)
    window.show()
    deadline = time.monotonic() + PAINT_PATIENCE
    while not painted.done and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
    page.tree.viewport().removeEventFilter(painted)
    return window
