"""Mock interviews in the window: the setup dialog, the timed questions, the report, history.

The countdown is a QTimer that calls `tick()` a few times a second; `tick()` reads the
collection's clock, so the times recorded are the clock's, and a test can move a fake
clock and call `tick()` itself. No verdict or explanation shows until the report.
"""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.cardhtml import KIND_LABELS, question_html
from quizapp.core.grading import Answer
from quizapp.core.interview import InterviewConfig, InterviewReport, report_markdown
from quizapp.core.option_order import Shown, showing_seed, shuffled
from quizapp.core.palette import palette
from quizapp.core.render import page, render_markdown
from quizapp.core.wording import count
from quizapp.services import interview, memory, stats
from quizapp.services.collection import Collection
from quizapp.ui import plain, worker
from quizapp.ui.answer_inputs import AnswerInput, input_for
from quizapp.ui.closing import add_close_keys
from quizapp.ui.geometry import vertical_scroll
from quizapp.ui.input_slot import swap_input
from quizapp.ui.links import open_if_web
from quizapp.ui.plain import plain_label, plain_tip
from quizapp.ui.study_page import FitBrowser
from quizapp.ui.theme import current_theme

TICK_MS = 200
DRAWN = "Drawn for me: weak sections and failed cards first"


def countdown_text(seconds: float) -> str:
    whole = math.ceil(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


# --- setup ---------------------------------------------------------------------------------


class InterviewSetupDialog(QDialog):
    """Sections, number of questions, time limits, or a saved question set."""

    readiness_shown = Signal()
    """Each section's readiness is beside its name (computed off the GUI thread: it reads
    every card's memory, ~0.7 s at 100,000 cards). The dialog shows at once without it; a
    Start pressed before it arrives waits for it ("Working out readiness…"), since the
    interview keeps the readiness it predicted (`readiness`, handed to the service so the
    start does not compute it again on the GUI thread)."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.setWindowTitle("Mock interview")
        self.all_sections = QCheckBox("All decks")
        self.all_sections.setChecked(True)
        self.sections = QListWidget()
        self.deck_names = stats.section_labels(col)
        """Each section (what the draw filters on) by its deck's name, which is shown."""
        for name in interview.list_sections(col):
            item = QListWidgetItem(self.deck_names.get(name, name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(plain_tip(name))  # a section comes from a deck's file
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sections.addItem(item)
        self.sections.setEnabled(False)
        self.all_sections.toggled.connect(lambda on: self.sections.setEnabled(not on))
        self.source = QComboBox()
        self.count = QSpinBox()
        self.count.setRange(1, 200)
        self.count.setValue(10)
        self.per_question = QSpinBox()
        self.per_question.setRange(0, 3600)
        self.per_question.setValue(60)
        self.per_question.setSuffix(" s")
        self.per_question.setSpecialValueText("no limit")
        self.per_session = QSpinBox()
        self.per_session.setRange(0, 600)
        self.per_session.setSuffix(" min")
        self.per_session.setSpecialValueText("no limit")
        self.source.currentIndexChanged.connect(self._source_changed)

        new_set = QPushButton("New set…")
        new_set.clicked.connect(self.new_set)
        import_set = QPushButton("Import set…")
        import_set.clicked.connect(self.import_set)
        self.export_button = QPushButton("Share as deck file…")
        self.export_button.clicked.connect(self.export_set)
        self.delete_button = QPushButton("Delete set")
        self.delete_button.clicked.connect(self.delete_set)
        set_row = QHBoxLayout()
        for button in (new_set, import_set, self.export_button, self.delete_button):
            set_row.addWidget(button)

        form = QFormLayout()
        form.addRow("Questions from", self.source)
        form.addRow("", set_row)
        form.addRow("Decks", self.all_sections)
        form.addRow("", self.sections)
        self.readiness_label = QLabel("Working out each deck's readiness…")
        self.readiness_label.setObjectName("muted")
        self.readiness_label.setWordWrap(True)
        form.addRow("", self.readiness_label)
        form.addRow("Number of questions", self.count)
        form.addRow("Time per question", self.per_question)
        form.addRow("Time for the whole interview", self.per_session)
        note = QLabel(
            "Nothing is explained until the end, and your schedule is not touched unless "
            "you choose so in the report."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 560)
        self._fill_sets()
        self.readiness: dict[str, float] | None = None
        """Each section's readiness once the worker has it; None until then (or if it failed:
        the interview's start then computes it itself)."""
        self.readiness_done = False
        self._start_waiting = False
        self.readiness_job = worker.start(lambda _p, _c: memory.section_readiness(col))
        self.readiness_job.signals.finished.connect(self._show_readiness)
        self.readiness_job.signals.failed.connect(self._readiness_failed)

    def accept(self) -> None:
        if self.readiness_done:
            super().accept()
            return
        self._start_waiting = True
        self.start_button.setEnabled(False)
        self.start_button.setText("Working out readiness…")

    def _readiness_failed(self, exc: object) -> None:
        self.readiness_done = True
        self.readiness_label.setText(f"Readiness could not be worked out: {exc}")
        if self._start_waiting and self.isVisible():  # not if closed meanwhile
            super().accept()

    def _show_readiness(self, readiness: dict[str, float]) -> None:
        """ "Ownership — 82 % ready": the predicted share of its questions answered right today."""
        self.readiness = readiness
        self.readiness_done = True
        self.readiness_label.setText(
            "Readiness: the predicted chance of answering a random question of that deck "
            "right today."
        )
        for i in range(self.sections.count()):
            item = self.sections.item(i)
            name = item.data(Qt.ItemDataRole.UserRole)
            if name in readiness:
                shown_name = self.deck_names.get(name, name)
                item.setText(f"{readiness[name]:>4.0%} ready · {shown_name}")  # seen however long
                item.setToolTip(
                    "Readiness: the predicted chance of answering a random question of this "
                    "section right today"
                )
        self.readiness_shown.emit()
        if self._start_waiting and self.isVisible():  # not if closed meanwhile
            super().accept()

    def _fill_sets(self, select: str | None = None) -> None:
        self.source.blockSignals(True)
        self.source.clear()
        self.source.addItem(DRAWN, None)
        for info in interview.list_question_sets(self.col):
            self.source.addItem(f"Set: {info.name} ({count(info.size, 'question')})", info.name)
            if info.name == select:
                self.source.setCurrentIndex(self.source.count() - 1)
        self.source.blockSignals(False)
        self._source_changed()

    def set_name(self) -> str | None:
        data = self.source.currentData()
        return data if isinstance(data, str) else None

    def _source_changed(self) -> None:
        drawn = self.set_name() is None
        for widget in (self.all_sections, self.count):
            widget.setEnabled(drawn)
        self.sections.setEnabled(drawn and not self.all_sections.isChecked())
        self.export_button.setEnabled(not drawn)
        self.delete_button.setEnabled(not drawn)

    def config(self) -> InterviewConfig:
        chosen = ()
        if not self.all_sections.isChecked():
            chosen = tuple(
                self.sections.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.sections.count())
                if self.sections.item(i).checkState() == Qt.CheckState.Checked
            )
        return InterviewConfig(
            sections=chosen,
            count=self.count.value(),
            seconds_per_question=self.per_question.value() or None,
            seconds_per_session=self.per_session.value() * 60 or None,
            set_name=self.set_name() or "",
        )

    def new_set(self) -> None:
        dialog = QuestionSetDialog(self.col, self)
        if dialog.exec():
            self._fill_sets(select=dialog.saved_name)

    def import_set(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a question set", "", "Deck files (*.toml)"
        )
        if not path:
            return
        try:
            info = interview.import_question_set(self.col, Path(path))
        except interview.QuestionSetError as exc:
            plain.warning(self, "Question set not imported", str(exc))  # quotes the file
            return
        self._fill_sets(select=info.name)

    def export_set(self) -> None:
        name = self.set_name()
        if name is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Share the question set", f"{name}.toml", "Deck files (*.toml)"
        )
        if not path:
            return
        try:
            interview.export_question_set(self.col, name, Path(path))
        except interview.QuestionSetError as exc:
            plain.warning(self, "Question set not written", str(exc))

    def delete_set(self) -> None:
        name = self.set_name()
        if name is not None:
            interview.delete_question_set(self.col, name)
            self._fill_sets()


class QuestionSetDialog(QDialog):
    """Hand-pick questions, deck by deck, and save them under a name."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.col = col
        self.saved_name = ""
        self.setWindowTitle("New question set")
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Ownership screen for juniors")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter questions")
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Question", "Kind"])
        self.tree.setColumnWidth(0, 560)
        decks: dict[str, QTreeWidgetItem] = {}
        for q in interview.pickable_questions(col):
            parent_item = decks.get(q.deck_name)
            if parent_item is None:
                parent_item = QTreeWidgetItem([q.deck_name, ""])
                self.tree.addTopLevelItem(parent_item)
                decks[q.deck_name] = parent_item
            first = next((ln for ln in q.prompt.splitlines() if ln.strip()), q.prompt)
            item = QTreeWidgetItem([first, q.kind])
            item.setData(0, Qt.ItemDataRole.UserRole, q.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            parent_item.addChild(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Find", self.filter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def _items(self) -> list[QTreeWidgetItem]:
        return [
            self.tree.topLevelItem(i).child(j)
            for i in range(self.tree.topLevelItemCount())
            for j in range(self.tree.topLevelItem(i).childCount())
        ]

    def _filter(self, text: str) -> None:
        needle = text.casefold()
        for i in range(self.tree.topLevelItemCount()):
            deck = self.tree.topLevelItem(i)
            shown = 0
            for j in range(deck.childCount()):
                child = deck.child(j)
                hide = bool(needle) and needle not in child.text(0).casefold()
                child.setHidden(hide)
                shown += not hide
            deck.setHidden(shown == 0)
            deck.setExpanded(bool(needle))

    def check(self, uuids: list[str]) -> None:
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) in uuids:
                item.setCheckState(0, Qt.CheckState.Checked)

    def chosen(self) -> list[str]:
        return [
            item.data(0, Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def save(self) -> None:
        try:
            info = interview.save_question_set(self.col, self.name.text(), self.chosen())
        except interview.QuestionSetError as exc:
            plain.warning(self, "Question set not saved", str(exc))
            return
        self.saved_name = info.name
        self.accept()


# --- the interview ---------------------------------------------------------------------------


def _say_what_submitting_does(widget: AnswerInput | None, *, last: bool) -> None:
    """The inputs' "Check" promises a verdict, which an interview keeps for its report:
    here the button says that it records the answer and moves on (or ends)."""
    if widget is None:
        return
    then = "finish" if last else "next question"
    for button in widget.findChildren(QPushButton):
        if button.text().startswith("Check"):
            button.setText(button.text().replace("Check", f"Record answer, {then}", 1))
            button.setToolTip("No verdict now: every answer is marked in the report at the end")


class InterviewPage(QWidget):
    """One question at a time under a countdown; answers are recorded without a verdict."""

    finished = Signal(str)
    """The interview's uuid, once its report is ready."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.run: interview.InterviewRun | None = None
        self.input: AnswerInput | None = None
        self.shown: Shown | None = None
        """The question as shown (a choice card's options shuffled)."""
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)

        self.title = plain_label(QLabel(""))  # a question set's name may come from a file
        self.title.setObjectName("muted")
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("muted")
        self.position_label = QLabel("")
        self.position_label.setObjectName("muted")
        self.countdown = QLabel("")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.session_label = QLabel("")
        self.session_label.setObjectName("muted")
        self.session_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_bar = QProgressBar()
        self.time_bar.setTextVisible(False)
        self.time_bar.setMaximumHeight(8)
        # The question is as tall as its text and its input right under it, as on the
        # study page; the pair scrolls as one when a long snippet needs it.
        self.browser = FitBrowser()
        self.browser.document().setDocumentMargin(16)
        self.input_holder = QVBoxLayout()
        self.input_holder.setContentsMargins(16, 0, 16, 0)
        question = QWidget()
        question_column = QVBoxLayout(question)
        question_column.setContentsMargins(0, 0, 0, 0)
        question_column.addWidget(self.browser)
        question_column.addLayout(self.input_holder)
        question_column.addStretch(1)
        self.question_scroll = vertical_scroll(question)
        self.end_button = QPushButton("End interview now")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.end_button.clicked.connect(self.end_now)
        self.hint = QLabel("Answer and move on: no verdict until the report.")
        self.hint.setObjectName("muted")

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.kind_label)
        top.addStretch(1)
        top.addWidget(self.position_label)
        clock_row = QVBoxLayout()
        clock_row.addWidget(self.countdown)
        clock_row.addWidget(self.session_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.addLayout(top)
        layout.addLayout(clock_row)
        layout.addWidget(self.time_bar)
        layout.addWidget(self.question_scroll, 1)
        layout.addLayout(bottom)

    def start(self, run: interview.InterviewRun) -> None:
        self.run = run
        self.title.setText(run.config.set_name or "Mock interview")
        self.show_question()
        self.timer.start()

    def show_question(self) -> None:
        assert self.run is not None
        question = interview.begin_question(self.col, self.run)
        if question is None:
            self._finish()
            return
        theme = current_theme()
        # A choice card's options in a fresh order, as in study: an interview asks what the
        # learner knows, not where the right option sat in the file.
        seed = showing_seed(question.card.id, self.col.today().toordinal(), question.position)
        self.shown = shuffled(question.card, seed)
        card = self.shown.card
        self.kind_label.setText(KIND_LABELS[card.kind])
        self.position_label.setText(f"Question {question.position} of {len(self.run.questions)}")
        self.browser.setHtml(page(question_html(card, theme), theme))
        self._set_input(input_for(card))
        _say_what_submitting_does(self.input, last=question.position == len(self.run.questions))
        self.tick()

    def _set_input(self, widget: AnswerInput) -> None:
        self.input = swap_input(self.input_holder, self.input, widget, self, self.on_submitted)

    def on_submitted(self, answer: Answer) -> None:
        if self.run is None or self.run.current is None:
            return
        if self.shown is not None:
            answer = self.shown.to_original(answer)  # graded and kept as the file's options
        interview.answer_question(self.col, self.run, answer)
        self.show_question()

    def tick(self) -> None:
        """Redraw the countdown; when time is up, the question is missed and the next comes."""
        run = self.run
        if run is None or run.current is None:
            return
        if interview.time_up(self.col, run):
            self.show_question()
            return
        now = self.col.now()
        left = run.remaining(now)
        limit = run.config.seconds_per_question
        if left is None:
            self.countdown.setText("no time limit")
            self.time_bar.setVisible(False)
        else:
            self.countdown.setText(countdown_text(left))
            self.time_bar.setVisible(True)
            total = limit or run.config.seconds_per_session or 1
            self.time_bar.setMaximum(total * 1000)
            self.time_bar.setValue(int(min(left, total) * 1000))
        urgent = left is not None and left <= 10
        colour = palette(current_theme()).bad if urgent else palette(current_theme()).text
        self.countdown.setStyleSheet(f"font-size: 26px; font-weight: 600; color: {colour};")
        session_left = run.session_remaining(now)
        self.session_label.setText(
            ""
            if session_left is None or limit is None
            else f"{countdown_text(session_left)} left in all"
        )

    def end_now(self) -> None:
        if self.run is not None:
            self._finish()

    def _finish(self) -> None:
        self.timer.stop()
        assert self.run is not None
        interview.finish_interview(self.col, self.run)
        uuid = self.run.uuid
        self.run = None
        self.finished.emit(uuid)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.input is not None and self.input.handle_key(event):
            return
        super().keyPressEvent(event)


# --- the report ----------------------------------------------------------------------------


class ReportPage(QWidget):
    """The report, with links that start cramming a weak section, feeding SM-2, and saving."""

    cram_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.uuid = ""
        self.report: InterviewReport | None = None
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(16)
        self.browser.anchorClicked.connect(self.follow_link)
        self.feed_button = QPushButton("Count these answers as reviews")
        self.feed_button.setToolTip(
            "Feed the results into your SM-2 schedule: right answers as Good, wrong ones as "
            "Wrong. Timed-out questions are left alone. Only once per interview."
        )
        self.feed_button.clicked.connect(self.feed)
        self.markdown_button = QPushButton("Save as Markdown…")
        self.markdown_button.clicked.connect(lambda: self.save_dialog(".md"))
        self.html_button = QPushButton("Save as HTML…")
        self.html_button.clicked.connect(lambda: self.save_dialog(".html"))
        self.back_button = QPushButton("Back to decks")
        self.back_button.setObjectName("primary")
        self.back_button.clicked.connect(self.back_requested.emit)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        row = QHBoxLayout()
        row.addWidget(self.feed_button)
        row.addWidget(self.markdown_button)
        row.addWidget(self.html_button)
        row.addStretch(1)
        row.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)

    def show_report(self, interview_uuid: str) -> None:
        self.uuid = interview_uuid
        self.report = interview.load_report(self.col, interview_uuid)
        theme = current_theme()
        markdown = report_markdown(self.report, links=True)
        body = render_markdown(markdown, theme, app_links=True).replace(
            "<table>", '<table cellspacing="0" cellpadding="4">'
        )
        self.browser.setHtml(page(body, theme))
        fed = any(h.fed for h in interview.list_history(self.col) if h.uuid == interview_uuid)
        self.feed_button.setEnabled(not fed)
        self.status.setText("These answers already count as reviews." if fed else "")

    def follow_link(self, url: QUrl) -> None:
        if open_if_web(url):
            return
        parsed = urlparse(url.toString())
        if parsed.scheme == "quizapp" and parsed.path == "cram":
            section = parse_qs(parsed.query).get("section", [""])[0]
            if section:
                self.cram_requested.emit(section)

    def feed(self) -> None:
        result = interview.feed_results(self.col, self.uuid)
        self.feed_button.setEnabled(False)
        skipped = (
            f"; {result.skipped_timeouts} timed-out question(s) left on their schedule"
            if result.skipped_timeouts
            else ""
        )
        self.status.setText(f"{result.fed} answer(s) now count as reviews{skipped}.")

    def save(self, path: Path) -> Path | None:
        try:
            return interview.save_report(self.col, self.uuid, path)
        except interview.ReportNotSaved as exc:
            plain.warning(self, "Report not saved", str(exc))
            return None

    def save_dialog(self, suffix: str) -> None:
        kind = "Markdown (*.md)" if suffix == ".md" else "HTML (*.html)"
        stamp = self.report.started_at.strftime("%Y-%m-%d-%H%M") if self.report else "report"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report", f"interview-{stamp}{suffix}", kind
        )
        if path:
            saved = self.save(Path(path))
            if saved is not None:
                self.status.setText(f"Saved {saved}")


class HistoryDialog(QDialog):
    """Past interviews, newest first; Open shows one's report again."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.setWindowTitle("Interview history")
        self.list = QListWidget()
        for entry in interview.list_history(col):
            when = entry.started_at.strftime("%Y-%m-%d %H:%M")
            fed = " · counted as reviews" if entry.fed else ""
            item = QListWidgetItem(f"{when}   {entry.title}   {entry.score.text()}{fed}")
            item.setData(Qt.ItemDataRole.UserRole, entry.uuid)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem("No interviews yet.")
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 400)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item else None
        return data if isinstance(data, str) else None
