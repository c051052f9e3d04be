"""What the window's helpers (the Study menu, the import and export dialogs) may ask of the
main window, and nothing more.

They used to take the main window itself (`window: Any`) and set attributes on it; now
they take a `Host`, which the main window is, so what they depend on is written down and
the main window and its helpers no longer import each other.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QMenuBar, QStackedWidget, QStatusBar, QWidget

from quizapp.services.collection import Collection
from quizapp.ui.summary_page import SummaryPage


class Host(Protocol):
    col: Collection
    stack: QStackedWidget
    """The pages of the window; a helper adds its own and switches to them."""
    summary: SummaryPage

    def show_decks(self) -> None: ...

    def selected_deck(self) -> tuple[str, str] | None:
        """(uuid, name) of the deck selected in the deck list, if any."""
        ...

    def statusBar(self) -> QStatusBar: ...

    def menuBar(self) -> QMenuBar: ...

    def widget(self) -> QWidget:
        """The window, as a parent for dialogs."""
        ...
