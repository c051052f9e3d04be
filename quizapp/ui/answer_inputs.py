"""One input per kind of card. Each emits `submitted(answer)` with a core answer value.

Keyboard first: digits pick (Compiles is 1, Does not compile 2; options are 1-9), Enter
submits a typed answer, Ctrl+Enter submits the multi-line output box and a fix. Buttons take
no focus, so Space and Enter always reach the study page.

After "Does not compile" an error picker takes the keys, and only then: it completes over
rustc's error index by code or by words ("E0382 borrow of moved value", "an error without a
code"), Enter answers and Esc skips naming the error. A card that asks which line rustc
blames then takes the line number. So a digit meant as a shortcut never lands in a text
field the learner did not see open. After answering, E shows the `rustc --explain` text of
the card's error codes.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp import rustc
from quizapp.core.grading import (
    NO_CODE,
    Answer,
    ChoiceAnswer,
    CompilesAnswer,
    FixAnswer,
    FixAttempt,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
    letter,
    normalize_error_code,
)
from quizapp.core.model import Card, Kind
from quizapp.core.render import page, render_inline_markdown, render_markdown
from quizapp.services import fixit, tryit
from quizapp.services.error_index import error_index
from quizapp.ui import worker
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.theme import current_theme
from quizapp.ui.try_it import CONSENT_QUESTION, FOREIGN_DETAIL, CodeEditor


class AnswerInput(QWidget):
    submitted = Signal(object)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Keys the study page passes down while the question is open; True if used."""
        return False

    def focus_first(self) -> bool:
        """Put the cursor where typing starts; False leaves the keys with the study page."""
        return False

    def handle_answered_key(self, event: QKeyEvent) -> bool:
        """Keys the study page passes down after answering (E: explain the error codes)."""
        codes = _explainable(self.card) if isinstance(self.card, Card) else ()
        if event.key() == Qt.Key.Key_E and codes:
            self.explain_dialog = ExplainDialog(codes, parent=self)
            self.explain_dialog.open()
            return True
        return False

    def line_clicked(self, line: int) -> None:
        """The learner clicked line `line` of the question's code (on a card with `line`)."""

    card: Card | None = None
    explain_dialog: QDialog | None = None

    def lock(self) -> None:
        """After answering, the input stays visible (what you said) but cannot change."""
        for child in self.findChildren(QWidget):
            if isinstance(child, QLineEdit) and not child.text():
                child.setPlaceholderText("(none given)")  # no longer an invitation to type
            if isinstance(child, QLineEdit | QPlainTextEdit):
                child.setReadOnly(True)
            elif isinstance(child, QAbstractButton):
                child.setEnabled(False)


def _button(text: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if primary:
        button.setObjectName("primary")
    return button


class _LineEdit(QLineEdit):
    """A line edit that keeps its Enter: QLineEdit passes Return on to its parent, where the
    study page would read it as "take the default grade" for the answer it just submitted."""

    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.isReadOnly():
                self.submit.emit()
            event.accept()
            return
        super().keyPressEvent(event)


NO_CODE_LABEL = "an error without a code"
"""The picker's entry for rustc errors that have no `E0000` code (`Card.messages`)."""


def picker_entries() -> list[str]:
    """What the error picker completes over: every code rustc still emits, with its title."""
    return [NO_CODE_LABEL] + [e.label for e in error_index().codes if e.emitted]


def code_of_entry(text: str) -> str:
    """`E0382` from "E0382 borrow of moved value", `NO_CODE` from the codeless entry."""
    text = text.strip()
    if not text:
        return ""
    if text.casefold() in (NO_CODE_LABEL, NO_CODE) or text.casefold().startswith("an error w"):
        return NO_CODE
    head = text.split()[0]
    if any(ch.isdigit() for ch in head):
        return normalize_error_code(head)
    return ""


def _keeps_escape(widget: QWidget, event: QEvent) -> bool:
    """Claim Esc before the window's Esc (leave the session) sees it: a field that takes Esc
    to skip or cancel must get the key, as a text field gets Ctrl+Z before Edit → Undo."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_Escape
    ):
        event.accept()
        return True
    return False


class ErrorPicker(_LineEdit):
    """A line edit that completes over rustc's error index; Enter picks, Esc skips."""

    chosen = Signal(str)

    def event(self, event: QEvent) -> bool:
        if not self.isReadOnly() and _keeps_escape(self, event):
            return True
        return super().event(event)

    """The error code (or `NO_CODE`, or "" when nothing matched) the learner answered."""
    skipped = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.entries = picker_entries()
        completer = QCompleter(QStringListModel(self.entries, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(8)
        self.setCompleter(completer)
        self.setAccessibleName("Error code")

    def resolve(self) -> str:
        """The code the text means: the highlighted completion, a typed code, or the first match."""
        completer = self.completer()
        popup = completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            return code_of_entry(str(popup.currentIndex().data()))
        typed = self.text().strip()
        direct = code_of_entry(typed)
        if direct or not typed:
            return direct
        needle = typed.casefold()
        match = next((e for e in self.entries if needle in e.casefold()), "")
        return code_of_entry(match)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code = self.resolve()
            self.completer().popup().hide()
            if code:
                self.setText(NO_CODE_LABEL if code == NO_CODE else _label_of(code))
            self.chosen.emit(code)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.completer().popup().hide()
            self.clear()
            self.skipped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def _label_of(code: str) -> str:
    return next((e.label for e in error_index().codes if e.code == code), code)


class _LineNumberEdit(_LineEdit):
    skipped = Signal()

    def event(self, event: QEvent) -> bool:
        if not self.isReadOnly() and _keeps_escape(self, event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.isReadOnly():
            self.skipped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CompilesInput(AnswerInput):
    """Compiles / Does not compile; then, for the latter, the error picker and the line."""

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card
        self.code = ""
        self.chose_no = False
        self.picked = False
        self.yes = _button("Compiles  (1)")
        self.no = _button("Does not compile  (2)")
        self.picker = ErrorPicker()
        self.picker.setPlaceholderText(
            "Which error? Type a code or words, Enter answers"
            if card.ask_error
            else "Which error? (optional) Type a code or words · Esc skips"
        )
        self.picker.setMinimumWidth(360)
        self.picker.chosen.connect(self._picked)
        self.picker.skipped.connect(lambda: self._picked(""))
        self.line_edit = _LineNumberEdit()
        self.line_edit.setValidator(QIntValidator(1, 100_000, self.line_edit))
        self.line_edit.setPlaceholderText("number, Enter")
        self.line_edit.setToolTip("The line rustc blames: type it, or click its number in the code")
        self.line_edit.setAccessibleName("Line number")
        self.line_edit.setMaximumWidth(140)
        self.line_edit.submit.connect(self._line_entered)
        self.line_edit.skipped.connect(lambda: self._submit(False))
        self.yes.clicked.connect(lambda: self._submit(True))
        self.no.clicked.connect(lambda: self._choose_no())
        self.detail = QWidget()
        detail = QHBoxLayout(self.detail)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.picker, 1)
        if card.line is not None:
            detail.addWidget(QLabel("Line rustc blames:"))
            detail.addWidget(self.line_edit)
        self.detail.setVisible(False)
        self.after = QLabel("")
        self.after.setObjectName("muted")
        self.after.setVisible(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        row.addWidget(self.detail, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.after)

    def _choose_no(self, typed: str = "") -> None:
        """Open the picker with the keys in it; it stays closed for a card that compiles."""
        self.chose_no = True
        self.no.setProperty("chosen", True)
        self.detail.setVisible(True)
        self.picker.setFocus()
        if typed:
            self.picker.setText(typed)
            self.picker.completer().setCompletionPrefix(typed)
            self.picker.completer().complete()

    def _picked(self, code: str) -> None:
        self.code = code
        self.picked = True
        if self.card.line is not None and not self.line_edit.text().strip():
            self.line_edit.setFocus()
            return
        self._submit(False)

    def line_clicked(self, line: int) -> None:
        """A click on a line number says "does not compile, here"; the error comes next
        (or now, when it was already picked)."""
        if self.card.line is None or self.line_edit.isReadOnly():
            return
        self.line_edit.setText(str(line))
        if not self.chose_no:
            self._choose_no()
        elif self.picked:
            self._submit(False)

    def _line_entered(self) -> None:
        if self.line_edit.text().strip():
            self._submit(False)

    def _submit(self, compiles: bool) -> None:
        line = self.line_edit.text().strip()
        self.submitted.emit(
            CompilesAnswer(
                compiles=compiles,
                error_code="" if compiles else self.code,
                line=int(line) if line.isdigit() and not compiles else None,
            )
        )

    def handle_key(self, event: QKeyEvent) -> bool:
        if self.chose_no:
            return False
        if event.key() in (Qt.Key.Key_1, Qt.Key.Key_Y, Qt.Key.Key_C):
            self._submit(True)
            return True
        if event.key() in (Qt.Key.Key_2, Qt.Key.Key_N):
            self._choose_no()
            return True
        if event.key() == Qt.Key.Key_E:  # typing a code first means "does not compile"
            self._choose_no(event.text() or "E")
            return True
        return False

    def lock(self) -> None:
        super().lock()
        if _explainable(self.card):
            self.after.setText("E: what rustc --explain says about " + ", ".join(self.card.errors))
            self.after.setVisible(True)


def _explainable(card: Card) -> tuple[str, ...]:
    """The card's error codes the shipped index can explain (none for a card that compiles)."""
    if not card.does_not_compile:
        return ()
    index = error_index()
    return tuple(c for c in card.errors if index.explain(c) is not None)


class ExplainDialog(QDialog):
    """`rustc --explain` for one or more codes, from the shipped index (no rustc needed)."""

    def __init__(self, codes: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        index = error_index()
        self.setWindowTitle("rustc --explain " + " ".join(codes))
        resize_to_fit(self, 760, 640)
        theme = current_theme()
        parts = []
        for code in codes:
            text = index.explain(code) or f"No explanation of {code} is shipped."
            parts.append(f"<h2>{html.escape(code)}</h2>" + render_markdown(text, theme))
        note = f"<p><i>From {html.escape(index.rustc)}.</i></p>" if index.rustc else ""
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(page("".join(parts) + note, theme))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)


def _is_ctrl_enter(event: QKeyEvent) -> bool:
    """Ctrl+Enter submits a multi-line answer; a plain Enter is a new line in it."""
    ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
    return bool(ctrl) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _FixEditor(CodeEditor):
    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_ctrl_enter(event):
            self.submit.emit()
            return
        super().keyPressEvent(event)


class FixInput(AnswerInput):
    """Make it compile: the snippet in an editor, graded by rustc on a worker thread.

    Without rustc the learner edits, then reveals the model fix and grades themselves. A
    card with `stdout` is also run, which for a deck that did not ship with quizapp needs
    the learner's consent (asked once per card, as Try it does); refused, it is only
    compiled and the learner judges the output.
    """

    def __init__(self, card: Card, shipped: Callable[[], bool] = lambda: False) -> None:
        super().__init__()
        self.card = card
        self.shipped = shipped
        self.job: worker.Worker | None = None
        self.consent_box: QMessageBox | None = None
        self.has_rustc = tryit.rustc_available()
        self.editor = _FixEditor(current_theme())
        self.editor.setPlainText(card.code)
        self.editor.setAccessibleName("Your fix")
        lines = min(card.code.count("\n") + 2, 18)
        self.editor.setFixedHeight(lines * self.editor.fontMetrics().lineSpacing() + 14)
        self.editor.submit.connect(self.check)
        self.check_button = _button(
            "Check with rustc  (Ctrl+Enter)" if self.has_rustc else "Show the fix  (Ctrl+Enter)",
            primary=True,
        )
        self.check_button.clicked.connect(self.check)
        self.reveal_button = _button("Show the fix")
        self.reveal_button.clicked.connect(self.reveal)
        self.reveal_button.setVisible(self.has_rustc)
        self.status = QLabel(
            "Edit the code until it compiles."
            if self.has_rustc
            else "No rustc here: edit, then compare with the model fix and grade yourself."
        )
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.reveal_button)
        row.addWidget(self.check_button)
        layout.addLayout(row)

    def focus_first(self) -> bool:
        self.editor.setFocus()
        return True

    def reveal(self) -> None:
        """Give up (with rustc) or self-grade (without): the answer view shows the fix."""
        if self.job is None:
            self.submitted.emit(FixAnswer(self.editor.toPlainText(), None))

    def check(self) -> None:
        if self.job is not None or self.consent_box is not None:
            return
        if not self.has_rustc:
            self.reveal()
            return
        if self.card.stdout is not None and not self.shipped():
            self.consent_box = self._consent_box()
            self.consent_box.finished.connect(self._consent_answered)
            self.consent_box.open()
            return
        self._start(run=self.card.stdout is not None)

    def _consent_box(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Run this program?")
        box.setText(CONSENT_QUESTION)
        box.setInformativeText(
            f"{FOREIGN_DETAIL}\n\n{tryit.containment_text()}\n\nNot run, your fix is only compiled."
        )
        run_it = box.addButton("Run it", QMessageBox.ButtonRole.AcceptRole)
        dont = box.addButton("Only compile", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(dont)
        box.setEscapeButton(dont)
        box.setProperty("run_button", run_it)
        return box

    def _consent_answered(self, _result: int) -> None:
        box = self.consent_box
        self.consent_box = None
        if box is None:
            return
        agreed = box.clickedButton() is box.property("run_button")
        box.deleteLater()
        if agreed:
            self.shipped = lambda: True  # asked once per card
        self._start(run=agreed)

    def _start(self, *, run: bool) -> None:
        card, code = self.card, self.editor.toPlainText()
        self.job = worker.start(
            lambda _p, cancel: fixit.try_fix(card, code, run=run, cancel=cancel)
        )
        self.job.signals.finished.connect(lambda attempt: self._finished(code, attempt))
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._cancelled)
        self.check_button.setEnabled(False)
        self.status.setText("rustc is checking your fix…  (Esc cancels)")

    def _finished(self, code: str, attempt: FixAttempt) -> None:
        if not shiboken6.isValid(self):  # the card was left while rustc worked
            return
        self.job = None
        self.check_button.setEnabled(True)
        self.submitted.emit(FixAnswer(code, attempt))

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self.job = None
        self.check_button.setEnabled(True)
        known = isinstance(error, rustc.RustcError | OSError)
        what = str(error) if known else f"{type(error).__name__}: {error}"
        self.status.setText(f"rustc could not answer: {what}  Show the fix grades it yourself.")

    def _cancelled(self) -> None:
        if not shiboken6.isValid(self):
            return
        self.job = None
        self.check_button.setEnabled(True)
        self.status.setText("Cancelled.")

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape and self.job is not None:
            self.job.cancel()
            return True
        return False

    def lock(self) -> None:
        super().lock()
        self.editor.setReadOnly(True)
        if self.job is not None:
            self.job.cancel()
        if _explainable(self.card):
            self.status.setText("E: what rustc --explain says about " + ", ".join(self.card.errors))


class _OutputEdit(QPlainTextEdit):
    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_ctrl_enter(event):
            self.submit.emit()
            return
        super().keyPressEvent(event)


class OutputInput(AnswerInput):
    def __init__(self, card: Card) -> None:
        super().__init__()
        self.edit = _OutputEdit()
        self.edit.setPlaceholderText("What does it print? One line per line of output.")
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(130)
        self.panics = QCheckBox("It panics  (Ctrl+P)")
        self.panics.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.check = _button("Check  (Ctrl+Enter)", primary=True)
        self.check.clicked.connect(self._submit)
        self.edit.submit.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        row = QHBoxLayout()
        row.addWidget(self.panics)
        row.addStretch(1)
        row.addWidget(self.check)
        layout.addLayout(row)

    def focus_first(self) -> bool:
        self.edit.setFocus()
        return True

    def _submit(self) -> None:
        self.submitted.emit(
            OutputAnswer(stdout=self.edit.toPlainText(), panics=self.panics.isChecked())
        )

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_P and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.panics.toggle()
            return True
        return False


class ChoiceInput(AnswerInput):
    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card
        self.multi = card.is_multi_select
        self.group = QButtonGroup(self)
        self.group.setExclusive(not self.multi)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        theme = current_theme()
        self.buttons: list[QAbstractButton] = []
        for i, option in enumerate(card.options):
            button: QAbstractButton = (
                QCheckBox(f"{i + 1}") if self.multi else QRadioButton(f"{i + 1}")
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.group.addButton(button, i)
            label = QLabel(f"<b>{letter(i)}.</b> {render_inline_markdown(option, theme)}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.mousePressEvent = lambda _e, b=button: b.click()  # type: ignore[method-assign]
            grid.addWidget(button, i, 0)
            grid.addWidget(label, i, 1)
            self.buttons.append(button)
        hint = (
            "Pick every right option (1-9 toggles), then Enter"
            if self.multi
            else "Pick one (1-9), then Enter"
        )
        self.check = _button("Check  (Enter)", primary=True)
        self.check.clicked.connect(self._submit)
        self.hint = QLabel(hint)
        self.hint.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        row = QHBoxLayout()
        row.addWidget(self.hint)
        row.addStretch(1)
        row.addWidget(self.check)
        layout.addLayout(row)

    def selected(self) -> frozenset[int]:
        return frozenset(i for i, b in enumerate(self.buttons) if b.isChecked())

    def _submit(self) -> None:
        if self.selected():
            self.submitted.emit(ChoiceAnswer(self.selected()))

    def handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            index = key - Qt.Key.Key_1
            if index < len(self.buttons):
                self.buttons[index].click()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return True
        return False


class ShortInput(AnswerInput):
    def __init__(self, card: Card) -> None:
        super().__init__()
        self.edit = _LineEdit()
        self.edit.setPlaceholderText("Your answer, then Enter")
        self.edit.submit.connect(self._submit)
        self.check = _button("Check  (Enter)", primary=True)
        self.check.clicked.connect(self._submit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.check)

    def focus_first(self) -> bool:
        self.edit.setFocus()
        return True

    def _submit(self) -> None:
        if self.edit.text().strip():
            self.submitted.emit(ShortAnswer(self.edit.text()))


class FlashcardInput(AnswerInput):
    def __init__(self, card: Card) -> None:
        super().__init__()
        self.show_button = _button("Show answer  (Space)", primary=True)
        self.show_button.clicked.connect(lambda: self.submitted.emit(SelfGraded()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(self.show_button)
        row.addStretch(1)

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit(SelfGraded())
            return True
        return False


def input_for(card: Card, shipped: Callable[[], bool] = lambda: False) -> AnswerInput:
    """The input for `card`; `shipped` says (when asked) whether its deck came with quizapp,
    which lets a fix card run its program without asking first."""
    if card.kind is Kind.FIX:
        return FixInput(card, shipped)
    kinds: dict[Kind, type[AnswerInput]] = {
        Kind.COMPILES: CompilesInput,
        Kind.OUTPUT: OutputInput,
        Kind.CHOICE: ChoiceInput,
        Kind.SHORT: ShortInput,
        Kind.FLASHCARD: FlashcardInput,
    }
    return kinds[card.kind](card)  # type: ignore[call-arg]


__all__ = ["Answer", "AnswerInput", "input_for"]
