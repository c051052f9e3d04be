"""Daily limits, the hour a new day starts, and the theme."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from quizapp.core.settings import THEMES, Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.new_per_day = self._spin(0, 9999, settings.new_per_day)
        self.reviews_per_day = self._spin(0, 99999, settings.reviews_per_day)
        self.day_start_hour = self._spin(0, 23, settings.day_start_hour)
        self.day_start_hour.setSuffix(":00")
        self.theme = QComboBox()
        self.theme.addItems([t.capitalize() for t in THEMES])
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        self.max_interval = settings.max_interval
        form = QFormLayout(self)
        form.addRow("New cards per day, per deck", self.new_per_day)
        form.addRow("Reviews per day, per deck", self.reviews_per_day)
        form.addRow("A new day starts at", self.day_start_hour)
        form.addRow("Theme", self.theme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _spin(low: int, high: int, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setValue(value)
        return box

    def settings(self) -> Settings:
        return Settings(
            new_per_day=self.new_per_day.value(),
            reviews_per_day=self.reviews_per_day.value(),
            day_start_hour=self.day_start_hour.value(),
            theme=THEMES[self.theme.currentIndex()],
            max_interval=self.max_interval,
        )
