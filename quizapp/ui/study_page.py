"""The study page: one card at a time, answered from the keyboard.

Question phase: the card's input has the keys (digits, Enter, Space for flashcards).
Answer phase: the verdict and explanation appear under the question, and the grade
buttons are enabled only within the band the answer earned; 1-4 grade, Enter or Space
take the default grade, and T opens Try it on a code card when rustc is installed.
Ctrl+Z (the window's Edit menu) undoes the last answer: the page hears of it, like of any
change, through the collection's `Changes` (`on_changes`), and shows the card again.

The cram page is this page over a sitting in cram mode: the same answer operation, which
leaves the schedule alone in that mode.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp.core import sm2
from quizapp.core.cardhtml import KIND_LABELS, answer_html, full_page
from quizapp.core.changes import Changes
from quizapp.core.grading import Answer, GradeOption, Verdict, default_quality, grade_options
from quizapp.core.review import Schedule, next_schedules
from quizapp.services import answering, study, tryit
from quizapp.services.collection import Collection
from quizapp.ui.answer_inputs import AnswerInput, input_for
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.input_slot import swap_input
from quizapp.ui.theme import current_theme
from quizapp.ui.try_it import TryItDialog

GRADE_STYLE = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def interval_text(days: int) -> str:
    if days < 30:
        return f"{days}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


class StudyPage(QWidget):
    finished = Signal()
    brought_back = Signal()
    """Edit → Undo took back one of this sitting's answers: the page shows that card again
    and wants to be the one on screen."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.sitting: study.Sitting | None = None
        self.view: study.CardView | None = None
        self.input: AnswerInput | None = None
        self.graded: answering.Graded | None = None
        self.timer = QElapsedTimer()
        self.seconds_to_answer = 0.0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.deck_label = QLabel("")
        self.deck_label.setObjectName("muted")
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("muted")
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._line_clicked)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.document().setDocumentMargin(16)
        self.input_holder = QVBoxLayout()
        self.grade_buttons: list[QPushButton] = []
        grades = QHBoxLayout()
        grades.addStretch(1)
        for key in range(1, 5):
            button = QPushButton(str(key))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("grade", GRADE_STYLE[key])
            button.setMinimumWidth(120)
            button.clicked.connect(lambda _=False, k=key: self.grade_key(k))
            grades.addWidget(button)
            self.grade_buttons.append(button)
        grades.addStretch(1)
        self.try_button = QPushButton("Try it  (T)")
        self.try_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.try_button.setToolTip("Edit this snippet, compile it and run it with your rustc")
        self.try_button.clicked.connect(self.open_try_it)
        self.try_button.setVisible(False)
        grades.addWidget(self.try_button)
        self.try_balance = QWidget()  # as wide as Try it, on the left: grades stay centred
        grades.insertWidget(0, self.try_balance)
        self.try_dialog: TryItDialog | None = None
        self.grade_row = QWidget()
        self.grade_row.setLayout(grades)
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(self.deck_label)
        top.addStretch(1)
        top.addWidget(self.kind_label)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.browser, 1)
        layout.addLayout(self.input_holder)
        layout.addWidget(self.grade_row)
        layout.addWidget(self.hint)
        listen_for_changes(col, self, self.on_changes)

    @property
    def answer(self) -> Answer | None:
        return self.graded.answer if self.graded is not None else None

    @property
    def verdict(self) -> Verdict | None:
        return self.graded.verdict if self.graded is not None else None

    # --- session flow -------------------------------------------------------------

    def start(self, sitting: study.Sitting) -> None:
        self.sitting = sitting
        self.show_current()

    def show_current(self) -> None:
        assert self.sitting is not None
        self.view = study.current_card(self.col, self.sitting)
        self.graded = None
        self._update_progress()
        if self.view is None:
            self.finished.emit()
            return
        card = self.view.card
        theme = current_theme()
        self.deck_label.setText(
            self.view.deck_name + ("  · again today" if self.view.is_drill else "")
        )
        self.kind_label.setText(KIND_LABELS[card.kind])
        self.browser.setHtml(full_page(card, theme))
        self._set_input(input_for(card, lambda: tryit.deck_is_shipped(self.col, card.id)))
        self.grade_row.setVisible(False)
        self.hint.setText(self._question_hint())
        self.timer.start()

    def _question_hint(self) -> str:
        assert self.view is not None
        kind = self.view.card.kind.value
        return {
            "compiles": "1 compiles · 2 does not compile · Ctrl+Z undo",
            "output": "Type the output · Ctrl+P it panics · Ctrl+Enter check",
            "choice": "1-9 pick · Enter check",
            "short": "Type and press Enter",
            "flashcard": "Space shows the answer",
            "fix": "Edit the code · Ctrl+Enter check with rustc · Esc cancels a check",
        }[kind]

    def _set_input(self, widget: AnswerInput) -> None:
        self.input = swap_input(self.input_holder, self.input, widget, self, self.on_submitted)

    def _line_clicked(self, url: QUrl) -> None:
        """Line numbers of a card that asks which line rustc blames are `line:N` links."""
        line = url.path() if url.scheme() == "line" else ""
        if line.isdigit() and self.input is not None and self.answer is None:
            self.input.line_clicked(int(line))

    def on_submitted(self, answer: Answer) -> None:
        if self.view is None or self.graded is not None:
            return
        self.seconds_to_answer = self.timer.elapsed() / 1000.0
        self.graded = graded = answering.check(self.view.card, answer)
        theme = current_theme()
        self.browser.setHtml(
            full_page(
                self.view.card, theme, answer_html(self.view.card, answer, graded.verdict, theme)
            )
        )
        if self.input is not None:
            self.input.lock()
            # The answer view lists every option with its mark; the inputs would repeat it.
            self.input.setVisible(self.view.card.kind.value not in ("choice", "flashcard"))
        self._show_grades(graded.verdict)
        # Try it needs a rustc; without one the stored diagnostic above is what there is.
        self.try_button.setVisible(self.view.card.kind.has_code and tryit.rustc_available())
        self.try_balance.setFixedWidth(self.try_button.sizeHint().width())
        self.try_balance.setVisible(self.try_button.isVisibleTo(self))
        self.setFocus()

    def _show_grades(self, verdict: Verdict) -> None:
        assert self.view is not None
        outcomes = next_schedules(
            self.view.schedule,
            today=self.col.today(),
            max_interval=self.col.settings.max_interval,
            scheduler=self.view.scheduler,
        )
        default = default_quality(verdict)
        for button, option in zip(self.grade_buttons, grade_options(verdict), strict=True):
            button.setEnabled(option.enabled)
            button.setProperty("default_grade", option.quality == default)
            button.setText(self._grade_label(option, outcomes))
            button.style().unpolish(button)
            button.style().polish(button)
        self.grade_row.setVisible(True)
        self.hint.setText("1-4 grade · Enter or Space: the highlighted grade · Ctrl+Z undo")

    def _grade_label(self, option: GradeOption, outcomes: dict[int, Schedule]) -> str:
        if option.quality is None or self.view is None:
            return f"{option.label}  ({option.key})"
        if self.view.is_drill:
            when = "again today" if option.quality < sm2.DRILL_THRESHOLD else "done today"
        else:
            days = outcomes[option.quality].interval
            when = interval_text(days) + (
                " · again today" if option.quality < sm2.DRILL_THRESHOLD else ""
            )
        return f"{option.label}  ({option.key})\n{when}"

    def grade_key(self, key: int) -> None:
        if self.graded is None:
            return
        option = grade_options(self.graded.verdict)[key - 1]
        if option.quality is not None:
            self.commit_grade(option.quality)

    def commit_grade(self, quality: int) -> None:
        assert self.sitting is not None and self.graded is not None
        study.answer_current(
            self.col, self.sitting, self.graded, quality, seconds=self.seconds_to_answer
        )
        self.show_current()

    def on_changes(self, changes: Changes) -> None:
        """Every committed change reaches here; most need nothing from this page.

        An undo that removed one of this sitting's answers puts its card back on screen;
        an edit of the card on screen (before it is answered) shows the new text.
        """
        sitting = self.sitting
        if sitting is None:
            return
        if sitting.owns(changes):
            sitting.take_back(changes)
            self.show_current()
            self.brought_back.emit()
            return
        if (
            self.view is not None
            and self.graded is None
            and (changes.card or changes.collection)
            and changes.touches(self.view.card.id)
        ):
            self.show_current()

    def open_try_it(self) -> None:
        """The answered card's snippet in an editor, to change, compile and run."""
        if self.view is None or self.verdict is None or not self.view.card.kind.has_code:
            return
        card = self.view.card
        dialog = TryItDialog(card, shipped=tryit.deck_is_shipped(self.col, card.id), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._try_it_closed)
        self.try_dialog = dialog
        dialog.open()

    def _try_it_closed(self, _result: int) -> None:
        self.try_dialog = None
        self.setFocus()

    def _update_progress(self) -> None:
        if self.sitting is None:
            return
        done, total = self.sitting.progress
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.count_label.setText(f"{done} / {total}")

    # --- keys ---------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.verdict is not None:
            key = event.key()
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_4:
                self.grade_key(key - Qt.Key.Key_0)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self.commit_grade(default_quality(self.verdict))
                return
            if key == Qt.Key.Key_T and self.try_button.isVisible():
                self.open_try_it()
                return
            if self.input is not None and self.input.handle_answered_key(event):
                return
        elif self.input is not None and self.input.handle_key(event):
            return
        super().keyPressEvent(event)
