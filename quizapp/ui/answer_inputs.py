"""One input per kind of card. Each emits `submitted(answer)` with a core answer value.

Keyboard first: digits pick (Compiles is 1, Does not compile 2; options are 1-9), Enter
submits a typed answer, Ctrl+Enter submits the multi-line output box. Buttons take no
focus, so Space and Enter always reach the study page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.grading import (
    Answer,
    ChoiceAnswer,
    CompilesAnswer,
    OutputAnswer,
    SelfGraded,
    ShortAnswer,
    letter,
)
from quizapp.core.model import Card, Kind
from quizapp.core.render import render_inline_markdown
from quizapp.ui.theme import current_theme


class AnswerInput(QWidget):
    submitted = Signal(object)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Keys the study page passes down while the question is open; True if used."""
        return False

    def focus_first(self) -> bool:
        """Put the cursor where typing starts; False leaves the keys with the study page."""
        return False

    def lock(self) -> None:
        """After answering, the input stays visible (what you said) but cannot change."""
        for child in self.findChildren(QWidget):
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


class CompilesInput(AnswerInput):
    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card
        self.yes = _button("Compiles  (1)")
        self.no = _button("Does not compile  (2)")
        self.error = _LineEdit()
        self.error.setPlaceholderText(
            "Which error? e.g. E0382" if card.ask_error else "Error code (optional)"
        )
        self.error.setMinimumWidth(300)
        self.error.submit.connect(lambda: self._submit(False))
        self.yes.clicked.connect(lambda: self._submit(True))
        self.no.clicked.connect(lambda: self._choose_no())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        row.addWidget(self.error)
        row.addStretch(1)

    def _choose_no(self) -> None:
        if self.card.ask_error and not self.error.text().strip():
            self.error.setFocus()
            return
        self._submit(False)

    def _submit(self, compiles: bool) -> None:
        self.submitted.emit(CompilesAnswer(compiles=compiles, error_code=self.error.text().strip()))

    def handle_key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_1, Qt.Key.Key_Y, Qt.Key.Key_C):
            self._submit(True)
            return True
        if event.key() in (Qt.Key.Key_2, Qt.Key.Key_N):
            self._choose_no()
            return True
        return False


class _OutputEdit(QPlainTextEdit):
    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
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


def input_for(card: Card) -> AnswerInput:
    kinds: dict[Kind, type[AnswerInput]] = {
        Kind.COMPILES: CompilesInput,
        Kind.OUTPUT: OutputInput,
        Kind.CHOICE: ChoiceInput,
        Kind.SHORT: ShortInput,
        Kind.FLASHCARD: FlashcardInput,
    }
    return kinds[card.kind](card)  # type: ignore[call-arg]


__all__ = ["Answer", "AnswerInput", "input_for"]
