"""The study page: one card at a time, answered from the keyboard.

Question phase: the card's input has the keys (digits, Enter, Space for flashcards).
Answer phase: the verdict and explanation appear under the question, and the grade
buttons are enabled only within the band the answer earned; 1-4 grade, Enter or Space
take the default grade, D folds rustc's diagnostic, and T opens Try it on a code card when
rustc is installed. Ctrl+Z (the window's Edit menu) undoes the last answer: the page hears
of it, like of any change, through the collection's `Changes` (`on_changes`), and shows the
card again. Esc (the window's, `ui.help`) goes back to the deck list; every answer given is
already stored.

The page is one centred column of readable width (`COLUMN_WIDTH`) that scrolls as a
whole: the question, its input right under it, then the verdict and explanation, the
grades, and rustc's diagnostic in a block the learner can fold (its state is remembered).
Each text view is as tall as its text (`FitBrowser`), so nothing is pinned to the window's
bottom and no view scrolls inside the page.

The cram page is this page over a sitting in cram mode: the same answer operation, which
leaves the schedule alone in that mode.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.core import sm2
from quizapp.core.cardhtml import KIND_LABELS, answer_parts, question_html
from quizapp.core.changes import Changes
from quizapp.core.grade_preview import GradePreview, fail_grades_alike, preview_grades
from quizapp.core.grading import (
    Answer,
    GradeOption,
    Verdict,
    default_quality,
    grade,
    grade_options,
)
from quizapp.core.option_order import Shown, showing_seed, shuffled
from quizapp.core.render import page
from quizapp.services import answering, guidance, study, tryit
from quizapp.services.collection import Collection
from quizapp.ui.answer_inputs import AnswerInput, input_for
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.geometry import vertical_scroll
from quizapp.ui.input_slot import swap_input
from quizapp.ui.links import open_if_web
from quizapp.ui.plain import plain_label
from quizapp.ui.theme import current_theme
from quizapp.ui.try_it import TryItDialog

COLUMN_WIDTH = 760
"""The column's widest: about 90 characters of prose, the measure that still reads well."""

GRADE_MEANING = {
    "No idea": "Wrong, and you did not know it. A fail: the card starts over tomorrow and "
    "comes back today; the log keeps that you had no idea.",
    "Wrong": "Wrong, though you thought you knew it. A fail: the card starts over tomorrow "
    "and comes back today.",
    "Slip": "Wrong by a slip (a typo, a misread line) though you knew it. Still a fail: the "
    "card starts over tomorrow and comes back today; the log keeps that it was a slip.",
    "Again": "You did not remember it. A fail: the card starts over tomorrow and comes back today.",
    "Hard": "Right, with effort. A pass: the interval grows, the ease drops a little, and "
    "the card comes back once more today.",
    "Good": "Right. A pass: the interval grows as planned; the ease stays.",
    "Easy": "Right at once. A pass: the ease rises, so its intervals grow faster.",
}
FSRS_MEANING = {
    "Hard": "Right, with effort. A pass: FSRS lengthens the interval less than for Good, "
    "and the card comes back once more today.",
    "Good": "Right. A pass: FSRS plans the next review for the deck's desired retention.",
    "Easy": "Right at once. A pass: FSRS counts the memory as stronger, so the interval grows "
    "more.",
}
"""The pass grades' meaning under FSRS, which has no ease to speak of."""
LEGEND = (
    "Red grades are fails: the card starts over. Hard, Good and Easy pass it on. "
    "“1d, then 6d”: it comes back in a day, and six days after that if you answer Good "
    "then; ease is how fast its intervals grow."
)
FSRS_LEGEND = (
    "Red grades are fails: the card starts over. Hard, Good and Easy pass it on. "
    "“1d, then 6d”: it comes back in a day, and six days after that if you answer Good "
    "then; FSRS sets each interval for the deck's desired retention."
)
"""The legend of a deck under FSRS, which has no ease to speak of."""
FAIL_RECORDS = {
    "No idea": "did not know it",
    "Wrong": "thought I knew it",
    "Slip": "knew it, slipped",
}
"""What a wrong answer's fail grades differ in: what the review history keeps (q 0, 1, 2)."""


def grade_style(option: GradeOption) -> str:
    """The colour a grade button takes: every fail grade red, the pass grades by strength."""
    if option.quality is None:
        return ""
    if option.quality < sm2.PASS_THRESHOLD:
        return "again"
    return {3: "hard", 4: "good"}.get(option.quality, "easy")


def interval_text(days: int) -> str:
    if days < 30:
        return f"{days}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def _schedule_lines(preview: GradePreview) -> list[str]:
    """A grade's effect on the schedule: "1d, then 6d" and, under SM-2, "ease −0.14"."""
    lines = [f"{interval_text(preview.interval)}, then {interval_text(preview.then)}"]
    if preview.ease_change is not None:
        lines.append(ease_text(preview.ease_change))
    return lines


def ease_text(hundredths: int) -> str:
    """A change of SM-2's easiness: "ease +0.10", "ease −0.14" (a real minus sign)."""
    if hundredths == 0:
        return "ease ±0"
    sign = "+" if hundredths > 0 else "−"
    return f"ease {sign}{abs(hundredths) / 100:.2f}"


class FitBrowser(QTextBrowser):
    """Rich text exactly as tall as its text at the width it is given: the page scrolls,
    never the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.anchorClicked.connect(open_if_web)  # a card's http(s) reference, in the browser
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.horizontalScrollBar().rangeChanged.connect(self._fit)

    def _fit(self, *_args: object) -> None:
        height = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        bar = self.horizontalScrollBar()
        if bar.maximum() > 0:  # a code line wider than the column scrolls sideways
            height += bar.sizeHint().height()
        if height != self.height():
            self.setFixedHeight(height)


class StudyPage(QWidget):
    legend_text = LEGEND
    """The one-line legend under the grades (the cram page has its own)."""
    finished = Signal()
    brought_back = Signal()
    """Edit → Undo took back one of this sitting's answers: the page shows that card again
    and wants to be the one on screen."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.sitting: study.Sitting | None = None
        self.view: study.CardView | None = None
        self.shown: Shown | None = None
        """The card as shown (a choice card's options in this showing's order)."""
        self.input: AnswerInput | None = None
        self.graded: answering.Graded | None = None
        self.shown_verdict: Verdict | None = None
        self.timer = QElapsedTimer()
        self.seconds_to_answer = 0.0
        self.guidance = guidance.read_guidance(col)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.deck_label = plain_label(QLabel(""))  # a deck's name comes from its file
        self.deck_label.setObjectName("muted")
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("muted")
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.question = FitBrowser()
        self.question.anchorClicked.connect(self._line_clicked)
        self.input_holder = QVBoxLayout()
        self.input_holder.setContentsMargins(0, 0, 0, 0)
        self.answer_view = FitBrowser()

        self.grade_buttons: list[QPushButton] = []
        grades = QHBoxLayout()
        grades.setContentsMargins(0, 4, 0, 0)
        for key in range(1, 5):
            button = QPushButton(str(key))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, k=key: self.grade_key(k))
            grades.addWidget(button, 1)
            self.grade_buttons.append(button)
        self.grade_row = QWidget()
        self.grade_row.setLayout(grades)
        self.fail_note = QLabel("")
        self.fail_note.setObjectName("muted")
        self.fail_note.setWordWrap(True)
        self.legend = QLabel(self.legend_text)
        self.legend.setObjectName("muted")
        self.legend.setWordWrap(True)

        self.diagnostic_toggle = QToolButton()
        self.diagnostic_toggle.setCheckable(True)
        self.diagnostic_toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.diagnostic_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.diagnostic_toggle.setAutoRaise(True)
        self.diagnostic_toggle.setToolTip("Show or hide rustc's full diagnostic (D)")
        self.diagnostic_toggle.clicked.connect(self._diagnostic_clicked)
        self.diagnostic = FitBrowser()
        self.try_button = QPushButton("Try it  (T)")
        self.try_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.try_button.setToolTip("Edit this snippet, compile it and run it with your rustc")
        self.try_button.clicked.connect(self.open_try_it)
        self.try_dialog: TryItDialog | None = None
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.diagnostic_toggle)
        tools.addStretch(1)
        tools.addWidget(self.try_button)
        self.tools_row = QWidget()
        self.tools_row.setLayout(tools)

        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(self.deck_label)
        top.addStretch(1)
        top.addWidget(self.kind_label)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.column = QWidget()
        self.column.setMaximumWidth(COLUMN_WIDTH)
        self.column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addLayout(top)
        column.addWidget(self.progress)
        column.addWidget(self.question)
        column.addLayout(self.input_holder)
        column.addWidget(self.answer_view)
        column.addWidget(self.grade_row)
        column.addWidget(self.fail_note)
        column.addWidget(self.legend)
        column.addWidget(self.hint)
        column.addWidget(self.tools_row)
        column.addWidget(self.diagnostic)
        column.addStretch(1)
        holder = QWidget()
        centred = QHBoxLayout(holder)
        centred.setContentsMargins(20, 12, 20, 16)
        centred.addStretch(1)
        centred.addWidget(self.column, 1000)
        centred.addStretch(1)
        self.scroll = vertical_scroll(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._show_answer_part(False)
        listen_for_changes(col, self, self.on_changes)

    @property
    def answer(self) -> Answer | None:
        return self.graded.answer if self.graded is not None else None

    @property
    def verdict(self) -> Verdict | None:
        return self.graded.verdict if self.graded is not None else None

    def shown_text(self) -> str:
        """Everything the page shows as text, the folded diagnostic included (for tests
        and for a screen reader's summary)."""
        parts = [self.question.toPlainText()]
        if self.graded is not None:
            parts += [self.answer_view.toPlainText(), self.diagnostic.toPlainText()]
        return "\n".join(parts)

    # --- session flow -------------------------------------------------------------

    def start(self, sitting: study.Sitting) -> None:
        self.sitting = sitting
        self.guidance = guidance.read_guidance(self.col)
        self.show_current()

    def show_current(self) -> None:
        assert self.sitting is not None
        self.view = study.current_card(self.col, self.sitting)
        self.graded = None
        self.shown_verdict = None
        self._update_progress()
        if self.view is None:
            self.finished.emit()
            return
        card = self.view.card
        seed = showing_seed(card.id, self.col.today().toordinal(), self.sitting.queue.step)
        self.shown = shuffled(card, seed)
        theme = current_theme()
        self.deck_label.setText(
            self.view.deck_name + ("  · again today" if self.view.is_drill else "")
        )
        self.kind_label.setText(KIND_LABELS[card.kind])
        self.question.setHtml(page(question_html(card, theme), theme))
        self._show_answer_part(False)
        self._set_input(
            input_for(self.shown.card, lambda: tryit.deck_is_shipped(self.col, card.id))
        )
        self.hint.setText(self._question_hint())
        self.scroll.verticalScrollBar().setValue(0)
        self.timer.start()

    def _show_answer_part(self, shown: bool) -> None:
        self.answer_view.setVisible(shown)
        self.grade_row.setVisible(shown)
        self.fail_note.setVisible(shown and bool(self.fail_note.text()))
        self.legend.setVisible(shown and self.guidance.show_legend)
        has_diagnostic = shown and bool(self.diagnostic.toPlainText().strip())
        has_code = shown and self.view is not None and self.view.card.kind.has_code
        # Try it needs a rustc; without one the stored diagnostic is what there is.
        self.try_button.setVisible(bool(has_code) and tryit.rustc_available())
        self.diagnostic_toggle.setVisible(has_diagnostic)
        self.tools_row.setVisible(has_diagnostic or self.try_button.isVisibleTo(self.tools_row))
        self._set_diagnostic_open(self.guidance.diagnostic_open, visible=has_diagnostic)

    def _set_diagnostic_open(self, is_open: bool, *, visible: bool = True) -> None:
        self.diagnostic_toggle.setChecked(is_open)
        self.diagnostic_toggle.setArrowType(
            Qt.ArrowType.DownArrow if is_open else Qt.ArrowType.RightArrow
        )
        self.diagnostic_toggle.setText(
            "Hide rustc's diagnostic  (D)" if is_open else "Show rustc's diagnostic  (D)"
        )
        self.diagnostic.setVisible(visible and is_open)

    def _diagnostic_clicked(self, checked: bool) -> None:
        self.guidance = guidance.set_diagnostic_open(self.col, checked)
        self._set_diagnostic_open(checked)

    def toggle_diagnostic(self) -> None:
        if self.diagnostic_toggle.isVisible():
            self._diagnostic_clicked(not self.diagnostic_toggle.isChecked())

    def _question_hint(self) -> str:
        assert self.view is not None
        kind = self.view.card.kind.value
        return {
            "compiles": "1 compiles · 2 does not compile · Esc back to decks",
            "output": "Type the output · Ctrl+P it panics · Ctrl+Enter check · Esc back to decks",
            "choice": "Esc back to decks",
            "short": "Type and press Enter · Esc back to decks",
            "flashcard": "Space shows the answer · Esc back to decks",
            "fix": "Edit the code · Ctrl+Enter check with rustc · Esc back to decks",
        }.get(kind, "Esc back to decks")

    def _set_input(self, widget: AnswerInput) -> None:
        self.input = swap_input(self.input_holder, self.input, widget, self, self.on_submitted)

    def _line_clicked(self, url: QUrl) -> None:
        """Line numbers of a card that asks which line rustc blames are `line:N` links."""
        line = url.path() if url.scheme() == "line" else ""
        if line.isdigit() and self.input is not None and self.answer is None:
            self.input.line_clicked(int(line))

    def on_submitted(self, answer: Answer) -> None:
        if self.view is None or self.graded is not None or self.shown is None:
            return
        self.seconds_to_answer = self.timer.elapsed() / 1000.0
        # Graded and recorded as the card file has it; shown in the order the learner saw.
        self.graded = graded = answering.check(self.view.card, self.shown.to_original(answer))
        self.shown_verdict = grade(self.shown.card, answer)
        theme = current_theme()
        parts = answer_parts(self.shown.card, answer, self.shown_verdict, theme)
        self.answer_view.setHtml(page(parts.main, theme))
        self.diagnostic.setHtml(page(parts.diagnostic, theme) if parts.diagnostic else "")
        if self.input is not None:
            self.input.lock()
            # The answer view repeats a choice (every option, marked) and an output (the
            # diff): only a one-line input stays, as a compact record of what was given.
            self.input.setVisible(self.view.card.kind.value in ("compiles", "short"))
        self._show_answer_part(True)
        self._show_grades(graded.verdict)
        self.setFocus()

    def _show_grades(self, verdict: Verdict) -> None:
        assert self.view is not None
        previews = preview_grades(self.view.schedule, self.view.scheduler, self.col.today())
        default = default_quality(verdict)
        options = grade_options(verdict)
        for button, option in zip(self.grade_buttons, options, strict=True):
            button.setEnabled(option.enabled)
            button.setProperty("default_grade", option.quality == default)
            button.setProperty("grade", grade_style(option))
            button.setText(self._grade_label(option, previews))
            button.setToolTip(self._meaning(option) if option.enabled else "")
            button.style().unpolish(button)
            button.style().polish(button)
        self.fail_note.setText(self._fail_note(options, previews))
        self.fail_note.setVisible(bool(self.fail_note.text()))
        if self.legend_text == LEGEND:  # the study page's own, not the cram page's
            fsrs = self.view.scheduler.name == "fsrs"
            self.legend.setText(FSRS_LEGEND if fsrs else LEGEND)
        self.hint.setText(self._answer_hint())

    def _meaning(self, option: GradeOption) -> str:
        assert self.view is not None
        if self.view.scheduler.name == "fsrs" and option.label in FSRS_MEANING:
            return FSRS_MEANING[option.label]
        return GRADE_MEANING.get(option.label, "")

    def _answer_hint(self) -> str:
        keys = "1-4 grade · Enter or Space: the highlighted grade"
        if self.diagnostic_toggle.isVisibleTo(self):
            keys += " · D diagnostic"
        if self.try_button.isVisibleTo(self):
            keys += " · T try it"
        return keys + " · Ctrl+Z undo"

    def _grade_label(self, option: GradeOption, previews: dict[int, GradePreview]) -> str:
        head = f"{option.label}  ({option.key})"
        if option.quality is None:
            return head
        return "\n".join([head, *self._grade_detail(option, previews)])

    def _drilling(self) -> bool:
        """A re-try of a card failed today: a grade decides only whether it comes back."""
        assert self.view is not None
        return self.view.is_drill or self.view.schedule.drilling(self.col.today())

    def _grade_detail(self, option: GradeOption, previews: dict[int, GradePreview]) -> list[str]:
        """The lines under a grade's name: what this grade changes that the others do not.

        A pass shows the next interval, the one after it (if answered Good then) and, under
        SM-2, the change in ease. The three fail grades of a wrong answer schedule alike
        (SM-2 keeps the ease on any fail), so each says what the history records instead
        and `fail_note` states once what they all do.
        """
        assert option.quality is not None
        quality = option.quality
        if option.label in FAIL_RECORDS:
            return [FAIL_RECORDS[option.label]]
        if self._drilling():
            if quality < sm2.DRILL_THRESHOLD:
                return ["again today"]
            assert self.view is not None
            if self.view.scheduler.name == "fsrs":
                # FSRS takes a drill answer as a same-day review: the one that ends the
                # drill sets the next interval, which the learner should see.
                return ["done today", *_schedule_lines(previews[quality])]
            return ["done today"]
        return _schedule_lines(previews[quality])

    def _fail_note(
        self, options: tuple[GradeOption, ...], previews: dict[int, GradePreview]
    ) -> str:
        """One line under a wrong answer's grades: what its fail grades all do, said once."""
        fails = [o for o in options if o.label in FAIL_RECORDS and o.quality is not None]
        if not fails:
            return ""
        effect = self._fail_effect([o.quality for o in fails if o.quality is not None], previews)
        if effect is None:
            return ""
        names = ", ".join(o.label for o in fails[:-1]) + f" and {fails[-1].label}"
        return f"{names} all {effect}; they differ only in what your review history records."

    def _fail_effect(self, qualities: list[int], previews: dict[int, GradePreview]) -> str | None:
        """What every one of these fail grades does to the card, or None if they differ."""
        if self._drilling():
            return "bring the card back again today"
        if not fail_grades_alike(previews, qualities):
            return None  # not so under SM-2 or FSRS as they stand; say nothing untrue
        shared = ", ".join(_schedule_lines(previews[qualities[0]]))
        return f"restart the card alike ({shared}) and bring it back today"

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
        if self.guidance.show_legend:
            self.guidance = guidance.note_grade_used(self.col)
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
            if key == Qt.Key.Key_D:
                self.toggle_diagnostic()
                return
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.scroll.keyPressEvent(event)  # read the rest without the mouse
                return
        elif self.input is not None and self.input.handle_key(event):
            return
        super().keyPressEvent(event)
