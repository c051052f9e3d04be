"""The end of a session: what was done, how well, and when to come back."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from quizapp.core.wording import count
from quizapp.services.study import SessionSummary


def describe_due(day: date | None, today: date) -> str:
    """When the next review falls, in words (the summary's next-review line)."""
    if day is None:
        return "nothing scheduled"
    delta = (day - today).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {count(delta, 'day')} ({day.isoformat()})"


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class SummaryPage(QWidget):
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.title = QLabel("Session complete")
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, (key, label) in enumerate(
            [
                ("answered", "Cards answered"),
                ("correct", "Correct"),
                ("time", "Time spent"),
                ("left", "Still to study today"),
                ("next", "Next cards due"),
            ]
        ):
            name = QLabel(label)
            name.setObjectName("muted")
            value = QLabel("")
            value.setStyleSheet("font-size: 18px; font-weight: 600;")
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignLeft)
            self.values[key] = value
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(12)
        self.back = QPushButton("Back to decks  (Enter)")
        self.back.setObjectName("primary")
        self.back.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back.clicked.connect(self.back_requested.emit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addSpacing(20)
        holder = QWidget()
        holder.setLayout(grid)
        layout.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(20)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_summary(self, summary: SessionSummary, today: date) -> None:
        self.title.setText("Session complete" if summary.answered else "Nothing to study right now")
        self.values["answered"].setText(str(summary.answered))
        self.values["correct"].setText(
            "—" if summary.correct_percent is None else f"{summary.correct_percent:.0f} %"
        )
        self.values["time"].setText(format_duration(summary.seconds))
        self.values["left"].setText(str(summary.due_left_today))
        self.values["next"].setText(describe_due(summary.next_due, today))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
            Qt.Key.Key_Escape,
        ):
            self.back_requested.emit()
            return
        super().keyPressEvent(event)
