"""The settings dialog, built from the settings' one declaration (`core.settings.SPECS`):
a row per setting, its label, range and description as declared, so the dialog can offer
no value the validation would refuse."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from quizapp.core.settings import SPECS, Settings, Spec
from quizapp.ui.closing import add_close_keys


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.setWindowTitle("Settings")
        self.fields: dict[str, QSpinBox | QComboBox] = {}
        values = settings.to_dict()
        form = QFormLayout(self)
        for spec in SPECS:
            field = self._field(spec, values[spec.name])
            field.setToolTip(spec.description)
            self.fields[spec.name] = field
            form.addRow(spec.label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @staticmethod
    def _field(spec: Spec, value: object) -> QSpinBox | QComboBox:
        if spec.is_choice:
            combo = QComboBox()
            combo.addItems([c.capitalize() for c in spec.choices])
            combo.setCurrentIndex(spec.choices.index(str(value)))
            return combo
        box = QSpinBox()
        box.setRange(spec.low, spec.high)
        box.setSuffix(spec.suffix)
        box.setValue(int(str(value)))
        return box

    def settings(self) -> Settings:
        values: dict[str, object] = {}
        for spec in SPECS:
            field = self.fields[spec.name]
            if isinstance(field, QComboBox):
                values[spec.name] = spec.choices[field.currentIndex()]
            else:
                values[spec.name] = field.value()
        return Settings(**values)  # type: ignore[arg-type]
