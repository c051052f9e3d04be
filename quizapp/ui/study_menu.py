"""The Study menu: mock interview, cram, statistics and interview history.

Kept out of `main_window.py` so the window only has to call `StudyMenu(window)` from its
`_build_menus`: this object adds the menu, puts its pages into the window's stack and moves
between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from quizapp.services import cram, interview, study
from quizapp.ui.cram import CramDialog, CramPage
from quizapp.ui.interview import HistoryDialog, InterviewPage, InterviewSetupDialog, ReportPage
from quizapp.ui.stats_window import StatsWindow

if TYPE_CHECKING:
    from quizapp.ui.main_window import MainWindow


class StudyMenu(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        col = window.col
        self.interview_page = InterviewPage(col)
        self.report_page = ReportPage(col)
        self.cram_page = CramPage(col)
        for page in (self.interview_page, self.report_page, self.cram_page):
            window.stack.addWidget(page)
        self.interview_page.finished.connect(self.show_report)
        self.report_page.back_requested.connect(window.show_decks)
        self.report_page.cram_requested.connect(lambda section: self.start_cram(section=section))
        self.cram_page.finished.connect(self.show_cram_summary)
        window.undo_action.triggered.connect(self.undo_cram)
        self.stats_window: StatsWindow | None = None

        menu = window.menuBar().addMenu("S&tudy")
        self.interview_action = QAction("&Mock interview…", window, shortcut=QKeySequence("Ctrl+M"))
        self.interview_action.triggered.connect(self.open_interview_setup)
        self.cram_action = QAction("&Cram…", window)
        self.cram_action.triggered.connect(self.open_cram_setup)
        self.stats_action = QAction("&Statistics…", window, shortcut=QKeySequence("Ctrl+S"))
        self.stats_action.triggered.connect(self.open_statistics)
        self.history_action = QAction("Interview &history…", window)
        self.history_action.triggered.connect(self.open_history)
        for action in (self.interview_action, self.cram_action, self.stats_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.history_action)

    # --- mock interviews -------------------------------------------------------------------

    def open_interview_setup(self) -> None:
        dialog = InterviewSetupDialog(self.window.col, self.window)
        if dialog.exec():
            self.start_interview(dialog.config())

    def start_interview(self, config: interview.InterviewConfig) -> None:
        col = self.window.col
        try:
            run = (
                interview.start_question_set(col, config.set_name, config)
                if config.set_name
                else interview.start_interview(col, config)
            )
        except (interview.NoQuestions, interview.QuestionSetError) as exc:
            QMessageBox.information(self.window, "Mock interview", str(exc))
            return
        self.window.stack.setCurrentWidget(self.interview_page)
        self.interview_page.start(run)

    def show_report(self, interview_uuid: str) -> None:
        self.report_page.show_report(interview_uuid)
        self.window.stack.setCurrentWidget(self.report_page)

    def open_history(self) -> None:
        dialog = HistoryDialog(self.window.col, self.window)
        if dialog.exec() and dialog.chosen():
            self.show_report(dialog.chosen() or "")

    # --- cram ------------------------------------------------------------------------------

    def open_cram_setup(self) -> None:
        dialog = CramDialog(self.window.col, self.window)
        if dialog.exec():
            self.start_cram(**dialog.target())

    def start_cram(self, **target: object) -> None:
        try:
            sitting = cram.start_cram(self.window.col, **target)  # type: ignore[arg-type]
        except cram.NothingToCram as exc:
            QMessageBox.information(self.window, "Cram", str(exc))
            return
        self.window.stack.setCurrentWidget(self.cram_page)
        self.cram_page.start(sitting)

    def show_cram_summary(self) -> None:
        sitting = self.cram_page.session
        assert sitting is not None
        summary = self.window.summary
        summary.show_summary(study.summarize(self.window.col, sitting), self.window.col.today())
        summary.title.setText("Cram complete: your schedule is unchanged")
        self.window.stack.setCurrentWidget(summary)
        summary.setFocus()

    def undo_cram(self) -> None:
        """Edit → Undo while cramming (the window's own undo handles the study page)."""
        if self.window.stack.currentWidget() is self.cram_page and self.cram_page.undo():
            self.window.statusBar().showMessage("Last cram answer undone", 3000)

    # --- statistics ------------------------------------------------------------------------

    def open_statistics(self) -> StatsWindow:
        if self.stats_window is None:
            self.stats_window = StatsWindow(self.window.col, self.window)
            self.stats_window.setWindowFlag(Qt.WindowType.Window)
        else:
            self.stats_window.refresh()
        self.stats_window.show()
        self.stats_window.activateWindow()
        return self.stats_window
