"""The main window: deck list, study page and summary in one stack, with menus and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QStackedWidget, QWidget

from quizapp import __version__
from quizapp.services import study
from quizapp.services.collection import Collection, save_settings
from quizapp.ui.deck_list import DeckListPage
from quizapp.ui.settings_dialog import SettingsDialog
from quizapp.ui.study_page import StudyPage
from quizapp.ui.summary_page import SummaryPage
from quizapp.ui.theme import apply_theme, effective_theme


class MainWindow(QMainWindow):
    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.load_problems: QMessageBox | None = None
        """The dialog listing deck files that failed to load, while it is open."""
        self.setWindowTitle("quizapp")
        self.resize(1000, 760)
        self.stack = QStackedWidget()
        self.decks = DeckListPage()
        self.study = StudyPage(col)
        self.summary = SummaryPage()
        for page in (self.decks, self.study, self.summary):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.decks.study_requested.connect(self.start_study)
        self.study.finished.connect(self.show_summary)
        self.summary.back_requested.connect(self.show_decks)
        self._build_menus()
        self.show_decks()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction(
            "&Undo last answer", self, shortcut=QKeySequence.StandardKey.Undo
        )
        self.undo_action.triggered.connect(self.undo)
        edit_menu.addAction(self.undo_action)
        go_menu = self.menuBar().addMenu("&Go")
        decks_action = QAction("&Decks", self, shortcut=QKeySequence("Ctrl+D"))
        decks_action.triggered.connect(self.show_decks)
        go_menu.addAction(decks_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About quizapp", self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "About quizapp",
                f"quizapp {__version__}\nSpaced repetition (SM-2) for Rust systems programming.\n"
                f"Collection: {self.col.db.path}",
            )
        )
        help_menu.addAction(about)

    def show_decks(self) -> None:
        self.decks.show_decks(study.deck_overview(self.col))
        self.stack.setCurrentWidget(self.decks)
        self.decks.tree.setFocus()

    def start_study(self, deck_uuids: list[str]) -> None:
        session = study.start_session(self.col, deck_uuids or None)
        self.stack.setCurrentWidget(self.study)
        self.study.start(session)

    def show_summary(self) -> None:
        session = self.study.session
        assert session is not None
        self.summary.show_summary(study.summarize(self.col, session), self.col.today())
        self.stack.setCurrentWidget(self.summary)
        self.summary.setFocus()

    def undo(self) -> None:
        if (
            self.stack.currentWidget() is self.summary
            and self.study.session
            and self.study.session.undo_stack
        ):
            self.stack.setCurrentWidget(self.study)
        if self.stack.currentWidget() is self.study and self.study.undo():
            self.statusBar().showMessage("Last answer undone", 3000)
        else:
            self.statusBar().showMessage("Nothing to undo", 3000)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.col.settings, self)
        if dialog.exec():
            save_settings(self.col, dialog.settings())
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, effective_theme(self.col.settings.theme))
            if self.stack.currentWidget() is self.decks:
                self.show_decks()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()


__all__ = ["MainWindow", "Qt"]
