"""Putting a card's answer input in place of the previous one, for every page that asks.

The study page and the interview page both show one input at a time under the question.
Swapping it has one trap, fixed here once: `deleteLater` alone leaves the old input on
screen until the event loop runs, overlapping the new one, so the old one is detached at
once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QWidget

from quizapp.core.grading import Answer
from quizapp.ui.answer_inputs import AnswerInput


def swap_input(
    holder: QBoxLayout,
    old: AnswerInput | None,
    new: AnswerInput,
    page: QWidget,
    on_submitted: Callable[[Answer], None],
) -> AnswerInput:
    """Show `new` where `old` was, wired to `on_submitted`, with the keyboard focus."""
    if old is not None:
        holder.removeWidget(old)
        old.hide()
        old.setParent(None)
        old.deleteLater()
    holder.addWidget(new)
    new.submitted.connect(on_submitted)
    new.show()
    if not new.focus_first():
        page.setFocus()
    return new
