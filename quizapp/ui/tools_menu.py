"""Tools → Deck options… and Tools → Optimize FSRS…, for the deck selected in the deck list.

The dialog (QtCharts, the FSRS optimizer) is imported on first use: start-up builds only
what the deck list needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from quizapp.ui import menu_titles
from quizapp.ui.host import Host

if TYPE_CHECKING:
    from quizapp.ui.deck_options_dialog import DeckOptionsDialog


def add_tools_menu(host: Host) -> None:
    menu = host.menuBar().addMenu(menu_titles.TOOLS)
    parent = host.widget()
    options_action = QAction("&Deck options…", parent)
    options_action.triggered.connect(lambda: _for_selected(host, optimize_now=False))
    optimize_action = QAction("&Optimize FSRS…", parent)
    optimize_action.triggered.connect(lambda: _for_selected(host, optimize_now=True))
    menu.addAction(options_action)
    menu.addAction(optimize_action)


def _for_selected(host: Host, *, optimize_now: bool) -> DeckOptionsDialog | None:
    selected = host.selected_deck()
    if selected is None or not selected[0]:
        host.statusBar().showMessage("Select a deck in the deck list first", 4000)
        return None
    from quizapp.ui.deck_options_dialog import open_deck_options

    dialog = open_deck_options(host, selected[0])
    if optimize_now:
        dialog.optimize()
    return dialog
