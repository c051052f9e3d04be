"""Cram in the window: choose a deck, a section or a tag, then study it on the study page.

`CramPage` is the study page over a sitting in cram mode: answers go through the same
answer operation, which logs them and leaves the schedule alone, and undo is the same
Edit → Undo. Only the grade buttons differ: they say nothing about intervals, because a
cram answer does not change them.
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
from quizapp.core.grade_preview import GradePreview
from quizapp.core.grading import GradeOption
from quizapp.services import cram
from quizapp.services.collection import Collection
from quizapp.ui.study_page import FAIL_RECORDS, StudyPage


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
    """The study page, labelled for cramming: a grade changes no interval here, only
    whether the card comes back in this sitting."""

    legend_text = (
        "Red grades are fails: the card comes back in this sitting, as does Hard. Cramming "
        "never changes when a card is due; every answer is kept in your history."
    )

    def show_current(self) -> None:
        super().show_current()
        if self.view is not None and self.sitting is not None:
            self.deck_label.setText(f"Cram · {self.sitting.label or self.view.deck_name}")

    def _grade_detail(self, option: GradeOption, previews: dict[int, GradePreview]) -> list[str]:
        if option.label in FAIL_RECORDS:
            return [FAIL_RECORDS[option.label]]
        assert option.quality is not None
        return ["comes back soon" if option.quality < sm2.DRILL_THRESHOLD else "schedule kept"]

    def _fail_effect(self, qualities: list[int], previews: dict[int, GradePreview]) -> str:
        return "bring the card back in this sitting and keep its schedule"

    def _answer_hint(self) -> str:
        return "Cramming: grades are logged, the schedule is unchanged · " + super()._answer_hint()
