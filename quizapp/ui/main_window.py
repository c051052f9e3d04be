"""The main window: deck list, study page and summary in one stack, with menus and keys.

Start-up shows the deck list and nothing else, so only what that needs is imported and
built before the first paint: the study page (markdown-it, pygments, the answer inputs),
the import dialog, the browser, the editor and the Study menu's pages come on first use.

The window writes nothing itself: its slots call services, every write is an operation
(`services.ops`), and the window, like each of its views, hears what changed through the
collection's `Changes` (`ui.changes_relay`) and redraws only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QStackedWidget, QWidget

from quizapp.core.changes import Changes
from quizapp.services import study
from quizapp.services.collection import Collection
from quizapp.services.settings import save_settings
from quizapp.ui import menu_titles, plain
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.deck_list import DeckListPage
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.help import add_help_menu
from quizapp.ui.settings_dialog import SettingsDialog
from quizapp.ui.study_menu import StudyMenu
from quizapp.ui.summary_page import SummaryPage
from quizapp.ui.theme import apply_theme, effective_theme
from quizapp.ui.tools_menu import add_tools_menu

if TYPE_CHECKING:
    from quizapp.ui.browser import BrowserWindow
    from quizapp.ui.editor import CardEditor
    from quizapp.ui.study_page import StudyPage


class MainWindow(QMainWindow):
    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.load_problems: QMessageBox | None = None
        """The dialog listing deck files that failed to load, while it is open."""
        self.sync_shipped: Callable[[], None] | None = None
        """The shipped decks' check, when the start left it until after the first paint."""
        self.setWindowTitle("quizapp")
        resize_to_fit(self, 1000, 760)
        self.stack = QStackedWidget()
        self.decks = DeckListPage()
        self._study: StudyPage | None = None
        self.summary = SummaryPage()
        for page in (self.decks, self.summary):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.decks.study_requested.connect(self.start_study)
        from quizapp.ui.deck_actions import connect_deck_actions

        connect_deck_actions(self, self.decks)  # the deck list's context menu
        self.summary.back_requested.connect(self.show_decks)
        self.browser: BrowserWindow | None = None
        self._build_menus()
        listen_for_changes(col, self, self.on_changes)
        self.show_decks()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(menu_titles.FILE)
        self.import_action = QAction("&Import…", self, shortcut=QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_and_import)
        self.export_action = QAction("&Export deck…", self)
        self.export_action.triggered.connect(self.choose_and_export)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        from quizapp.ui.subscriptions import add_subscription_actions

        add_subscription_actions(file_menu, self)
        file_menu.addSeparator()
        from quizapp.ui.sync_ui import add_sync_actions

        self.sync_controller = add_sync_actions(file_menu, self)
        file_menu.addSeparator()
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        self.backups_action = QAction("&Backups…", self)
        self.backups_action.triggered.connect(self.open_backups)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu(menu_titles.EDIT)
        from quizapp.ui.undo_action import RedoAction, UndoAction  # following the stack

        self.undo_action = UndoAction(self.col, self)
        self.undo_action.triggered.connect(self.undo)
        edit_menu.addAction(self.undo_action)
        self.redo_action = RedoAction(self.col, self)
        self.redo_action.triggered.connect(self.redo)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        new_deck = QAction("&New deck…", self)
        new_deck.triggered.connect(self.new_deck)
        edit_menu.addAction(new_deck)
        self.add_card_action = QAction("&Add card…", self, shortcut=QKeySequence("Ctrl+N"))
        self.add_card_action.triggered.connect(self.add_card)
        edit_menu.addAction(self.add_card_action)
        self.edit_card_action = QAction("&Edit current card", self, shortcut=QKeySequence("Ctrl+E"))
        self.edit_card_action.triggered.connect(self.edit_current_card)
        edit_menu.addAction(self.edit_card_action)
        go_menu = self.menuBar().addMenu(menu_titles.GO)
        decks_action = QAction("&Decks", self, shortcut=QKeySequence("Ctrl+D"))
        decks_action.triggered.connect(self.show_decks)
        go_menu.addAction(decks_action)
        browse_action = QAction("&Browse cards…", self, shortcut=QKeySequence("Ctrl+B"))
        browse_action.triggered.connect(self.browse_cards)
        go_menu.addAction(browse_action)
        self.study_menu = StudyMenu(self)  # Study: mock interview, cram, statistics, history
        add_tools_menu(self)  # Tools: deck options, Optimize FSRS
        self.help_menu = add_help_menu(self)  # Help, `?`, Esc out of a session, the welcome

    @property
    def study(self) -> StudyPage:
        """The study page, built when first needed (it imports the card renderer)."""
        if self._study is None:
            from quizapp.ui.study_page import StudyPage

            self._study = StudyPage(self.col)
            self._study.finished.connect(self.show_summary)
            self._study.brought_back.connect(lambda: self.stack.setCurrentWidget(self.study))
            self.stack.insertWidget(1, self._study)
        return self._study

    def choose_and_import(self) -> None:
        from quizapp.ui import import_dialog

        import_dialog.choose_and_import(self)

    def choose_and_export(self) -> None:
        from quizapp.ui import import_dialog

        import_dialog.choose_and_export(self)

    def show_decks(self) -> None:
        self.decks.show_decks(study.deck_overview(self.col))
        self.stack.setCurrentWidget(self.decks)
        self.decks.tree.setFocus()

    def start_study(self, deck_uuids: list[str]) -> None:
        session = study.start_sitting(self.col, deck_uuids or None)
        self.stack.setCurrentWidget(self.study)
        self.study.start(session)

    def widget(self) -> QWidget:
        return self

    def selected_deck(self) -> tuple[str, str] | None:
        item = self.decks.tree.currentItem()
        if item is None:
            return None
        return item.data(0, Qt.ItemDataRole.UserRole), item.text(0)

    def show_summary(self) -> None:
        sitting = self.study.sitting
        assert sitting is not None
        self.summary.show_summary(study.summarize(self.col, sitting), self.col.today())
        self.stack.setCurrentWidget(self.summary)
        self.summary.setFocus()

    def undo(self) -> None:
        """Edit → Undo, Ctrl+Z anywhere in the app: the newest answer or operation goes.

        Whatever it was, it is undone the same way (`services.undo`); the views hear of it
        through the `Changes` it publishes, and a sitting whose answer it took back shows
        that card again and comes to the front (`StudyPage.brought_back`).
        """
        from quizapp.services import undo

        try:
            undone = undo.undo_last(self.col)
        except undo.UndoFailed as exc:
            plain.warning(self, "Undo", str(exc))
            return
        if undone is None:
            self.statusBar().showMessage("Nothing to undo", 3000)
            return
        self.statusBar().showMessage(f"Undone: {undone.label}", 4000)

    def redo(self) -> None:
        """Edit → Redo, Ctrl+Shift+Z anywhere in the app: the newest undone operation again."""
        from quizapp.services import undo

        try:
            redone = undo.redo_last(self.col)
        except undo.RedoFailed as exc:
            plain.warning(self, "Redo", str(exc))
            return
        if redone is None:
            self.statusBar().showMessage("Nothing to redo", 3000)
            return
        self.statusBar().showMessage(f"Redone: {redone.label}", 4000)

    def on_changes(self, changes: Changes) -> None:
        """The deck list is this window's own view: redraw its counts when they may differ."""
        if changes.collection or changes.settings:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, effective_theme(self.col.settings.theme))
        if self.stack.currentWidget() is self.decks and changes.study_queue:
            self.show_decks()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.col.settings, self)
        if dialog.exec():
            save_settings(self.col, dialog.settings())

    def browse_cards(self) -> BrowserWindow:
        if self.browser is None:
            from quizapp.ui.browser import BrowserWindow  # on first use: start-up stays light

            self.browser = BrowserWindow(self.col, self)
            self.browser.setWindowFlag(Qt.WindowType.Window)
        self.browser.show()
        self.browser.activateWindow()
        return self.browser

    def new_deck(self) -> None:
        from quizapp.ui.editor import new_deck_dialog

        new_deck_dialog(self.col, self)

    def add_card(self) -> CardEditor:
        """The editor for a new card, in the selected deck when it is one of the learner's own."""
        item = self.decks.tree.currentItem()
        selected = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        from quizapp.ui.editor import CardEditor

        return self._open_editor(CardEditor(self.col, deck_uuid=selected, parent=self))

    def edit_current_card(self) -> CardEditor | None:
        view = self.study.view if self.stack.currentWidget() is self.study else None
        if view is None:
            self.statusBar().showMessage("No card on screen to edit (study a deck first)", 3000)
            return None
        from quizapp.ui.editor import CardEditor

        return self._open_editor(CardEditor(self.col, card_uuid=view.card.id, parent=self))

    def _open_editor(self, editor: CardEditor) -> CardEditor:
        editor.show()
        return editor

    def open_backups(self) -> None:
        from quizapp.ui.backups import BackupsDialog

        self.backups_dialog = BackupsDialog(
            self.col, self, on_restored=lambda _r: self.show_decks()
        )
        self.backups_dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()


__all__ = ["MainWindow", "Qt"]
