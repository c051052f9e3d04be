"""Cram in the window: choose a deck, a section or a tag, then study it on the study page.

`CramPage` is the study page with three things swapped: answers go to `cram.answer_cram`
(logged, never rescheduled), undo to `cram.undo_cram`, and the grade buttons say nothing
about intervals, because a cram answer does not change them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.core import sm2
from quizapp.core.grading import GradeOption
from quizapp.services import cram
from quizapp.services.collection import Collection
from quizapp.ui.study_page import StudyPage


class CramDialog(QDialog):
    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cram")
        targets = cram.cram_targets(col)
        self.by_deck = QRadioButton("Deck")
        self.by_section = QRadioButton("Section")
        self.by_tag = QRadioButton("Tag")
        self.by_deck.setChecked(True)
        self.deck = QComboBox()
        for uuid, name in targets.decks:
            self.deck.addItem(name, uuid)
        self.section = QComboBox()
        self.section.addItems(targets.sections)
        self.tag = QComboBox()
        self.tag.addItems(targets.tags)
        self.by_tag.setEnabled(bool(targets.tags))
        self.limit = QSpinBox()
        self.limit.setRange(0, 9999)
        self.limit.setSpecialValueText("all")
        self.limit.setValue(0)
        form = QFormLayout()
        form.addRow(self.by_deck, self.deck)
        form.addRow(self.by_section, self.section)
        form.addRow(self.by_tag, self.tag)
        form.addRow("At most", self.limit)
        note = QLabel(
            "Cramming studies these cards now, ahead of schedule. Your answers are kept in "
            "the history but do not change when cards are due."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Cram")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def target(self) -> dict[str, str | int | None]:
        """Keyword arguments for `cram.start_cram`."""
        chosen: dict[str, str | int | None] = {"limit": self.limit.value() or None}
        if self.by_deck.isChecked():
            chosen["deck_uuid"] = self.deck.currentData()
        elif self.by_section.isChecked():
            chosen["section"] = self.section.currentText()
        else:
            chosen["tag"] = self.tag.currentText()
        return chosen


class CramPage(StudyPage):
    """The study page, answering through the cram service."""

    def start(self, session: cram.CramSession) -> None:  # type: ignore[override]
        super().start(session)

    def show_current(self) -> None:
        super().show_current()
        if self.view is not None and isinstance(self.session, cram.CramSession):
            self.deck_label.setText(f"Cram · {self.session.label or self.view.deck_name}")

    def _grade_label(self, option: GradeOption, outcomes: dict[int, sm2.Sm2State]) -> str:
        if option.quality is None:
            return f"{option.label}  ({option.key})"
        again = " · again now" if option.quality < sm2.DRILL_THRESHOLD else ""
        return f"{option.label}  ({option.key})\nschedule unchanged{again}"

    def commit_grade(self, quality: int) -> None:
        assert isinstance(self.session, cram.CramSession)
        assert self.view is not None and self.answer is not None
        cram.answer_cram(
            self.col, self.session, self.view, self.answer, quality, seconds=self.seconds_to_answer
        )
        self.changed.emit()
        self.show_current()

    def undo(self) -> bool:
        if not isinstance(self.session, cram.CramSession) or not self.session.cram_log:
            return False
        cram.undo_cram(self.col, self.session)
        self.changed.emit()
        self.show_current()
        return True
