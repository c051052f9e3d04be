"""The Study menu: mock interview, cram, statistics and interview history.

Kept out of `main_window.py` so the window only has to call `StudyMenu(host)` from its
`_build_menus`: this object adds the menu, puts its pages into the window's stack and moves
between them. It sees the window only as a `ui.host.Host`. The pages and their services are imported and built the first time they are
used, not at start-up: the learner's first sight is the deck list, and these modules cost
~60 ms before it could be painted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from quizapp.ui import menu_titles, worker
from quizapp.ui.busy import busy_cursor
from quizapp.ui.host import Host

if TYPE_CHECKING:
    from quizapp.services import interview
    from quizapp.ui.cram import CramPage
    from quizapp.ui.interview import InterviewPage, ReportPage
    from quizapp.ui.stats_window import StatsWindow


class StudyMenu(QObject):
    interview_started = Signal()
    """The interview page shows its first question (its questions are drawn on a worker)."""

    def __init__(self, host: Host) -> None:
        window = host.widget()
        super().__init__(window)
        self.host = host
        self.window = window
        self._interview_page: InterviewPage | None = None
        self._report_page: ReportPage | None = None
        self._cram_page: CramPage | None = None
        self.stats_window: StatsWindow | None = None
        self._draw_job: worker.Worker | None = None

        menu = host.menuBar().addMenu(menu_titles.STUDY)
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

    # --- the pages, built on first use ------------------------------------------------------

    @property
    def interview_page(self) -> InterviewPage:
        if self._interview_page is None:
            from quizapp.ui.interview import InterviewPage

            self._interview_page = InterviewPage(self.host.col)
            self._interview_page.finished.connect(self.show_report)
            self.host.stack.addWidget(self._interview_page)
        return self._interview_page

    @property
    def report_page(self) -> ReportPage:
        if self._report_page is None:
            from quizapp.ui.interview import ReportPage

            self._report_page = ReportPage(self.host.col)
            self._report_page.back_requested.connect(self.host.show_decks)
            self._report_page.cram_requested.connect(
                lambda section: self.start_cram(section=section)
            )
            self.host.stack.addWidget(self._report_page)
        return self._report_page

    @property
    def cram_page(self) -> CramPage:
        if self._cram_page is None:
            from quizapp.ui.cram import CramPage

            self._cram_page = CramPage(self.host.col)
            self._cram_page.finished.connect(self.show_cram_summary)
            self._cram_page.brought_back.connect(
                lambda: self.host.stack.setCurrentWidget(self.cram_page)
            )
            self.host.stack.addWidget(self._cram_page)
        return self._cram_page

    # --- mock interviews -------------------------------------------------------------------

    def open_interview_setup(self) -> None:
        from quizapp.ui.interview import InterviewSetupDialog

        dialog = InterviewSetupDialog(self.host.col, self.window)
        if dialog.exec():
            self.start_interview(dialog.config(), readiness=dialog.readiness)

    def start_interview(
        self, config: interview.InterviewConfig, *, readiness: Mapping[str, float] | None = None
    ) -> None:
        """Draw on a worker, then start; `readiness` is the setup's (None: worked out at the
        start). A saved question set needs no draw and starts at once. `interview_started`
        says the interview page is showing."""
        from quizapp.services import interview

        col = self.host.col
        if config.set_name:
            self._begin(
                lambda: interview.start_question_set(
                    col, config.set_name or "", config, readiness=readiness
                )
            )
            return
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self.host.statusBar().showMessage("Drawing the interview's questions…")
        job = worker.start(lambda _progress, _cancel: interview.draw_interview(col, config))
        self._draw_job = job

        def drawn(uuids: list[str]) -> None:
            if self._draw_job is job:
                self._drawing_ended()
                self._begin(
                    lambda: interview.start_interview(col, config, readiness=readiness, drawn=uuids)
                )

        def failed(exc: object) -> None:
            if self._draw_job is job:
                self._drawing_ended()
                self._refuse(exc)

        job.signals.finished.connect(drawn)
        job.signals.failed.connect(failed)

    def _drawing_ended(self) -> None:
        self._draw_job = None
        QApplication.restoreOverrideCursor()
        self.host.statusBar().clearMessage()

    def _refuse(self, exc: object) -> None:
        from quizapp.services import interview

        if isinstance(exc, interview.NoQuestions | interview.QuestionSetError):
            QMessageBox.information(self.window, "Mock interview", str(exc))
        else:
            QMessageBox.warning(
                self.window, "Mock interview", f"The interview could not start: {exc}"
            )

    def _begin(self, start: Callable[[], interview.InterviewRun]) -> None:
        from quizapp.services import interview

        try:
            with busy_cursor():
                run = start()
        except (interview.NoQuestions, interview.QuestionSetError) as exc:
            self._refuse(exc)
            return
        self.host.stack.setCurrentWidget(self.interview_page)
        self.interview_page.start(run)
        self.interview_started.emit()

    def show_report(self, interview_uuid: str) -> None:
        self.report_page.show_report(interview_uuid)
        self.host.stack.setCurrentWidget(self.report_page)

    def open_history(self) -> None:
        from quizapp.ui.interview import HistoryDialog

        dialog = HistoryDialog(self.host.col, self.window)
        if dialog.exec() and dialog.chosen():
            self.show_report(dialog.chosen() or "")

    # --- cram ------------------------------------------------------------------------------

    def open_cram_setup(self) -> None:
        from quizapp.ui.cram import CramDialog

        dialog = CramDialog(self.host.col, self.window)
        if dialog.exec():
            self.start_cram(**dialog.target())

    def start_cram(self, **target: object) -> None:
        from quizapp.services import cram

        if not self._may_replace_cram():
            return
        try:
            with busy_cursor():
                sitting = cram.start_cram(self.host.col, **target)  # type: ignore[arg-type]
        except cram.NothingToCram as exc:
            QMessageBox.information(self.window, "Cram", str(exc))
            return
        self.host.stack.setCurrentWidget(self.cram_page)
        self.cram_page.start(sitting)

    def _may_replace_cram(self) -> bool:
        """A cram sitting left half-way is replaced only if the learner says so (its answers
        are kept either way: each was committed when given)."""
        page = self._cram_page
        sitting = page.sitting if page is not None else None
        if sitting is None or sitting.finished or not sitting.answered:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Cram",
            f"Start a new cram session? The one you left has {sitting.queue.remaining} "
            f"card(s) to go; its {sitting.answered} answer(s) are kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.replace_box = box
        return box.exec() == QMessageBox.StandardButton.Yes

    def show_cram_summary(self) -> None:
        from quizapp.services import study

        sitting = self.cram_page.sitting
        assert sitting is not None
        summary = self.host.summary
        summary.show_summary(study.summarize(self.host.col, sitting), self.host.col.today())
        summary.title.setText("Cram complete: your schedule is unchanged")
        self.host.stack.setCurrentWidget(summary)
        summary.setFocus()

    # --- statistics ------------------------------------------------------------------------

    def open_statistics(self) -> StatsWindow:
        if self.stats_window is None:
            from quizapp.ui.stats_window import StatsWindow

            self.stats_window = StatsWindow(self.host.col, self.window)
            self.stats_window.setWindowFlag(Qt.WindowType.Window)
        else:
            self.stats_window.refresh()
        self.stats_window.show()
        self.stats_window.activateWindow()
        return self.stats_window
