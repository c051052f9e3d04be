"""The window is drawn with the palette the contrast test checks."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from quizapp.core.palette import palette
from quizapp.ui.theme import apply_theme


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_selection_and_indicators_come_from_the_palette(qtbot: QtBot, theme: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.palette(), app.styleSheet(), app.property("quizapp_theme"))
    try:
        apply_theme(app, theme)
        pal = palette(theme)
        qp = app.palette()
        assert qp.color(QPalette.ColorRole.Highlight).name() == pal.selection
        assert qp.color(QPalette.ColorRole.HighlightedText).name() == pal.on_selection
        assert qp.color(QPalette.ColorRole.Window).name() == pal.window
        sheet = app.styleSheet()
        assert f"border: 1px solid {pal.control}" in sheet
        box = QCheckBox("Delete removed cards")
        qtbot.add_widget(box)
        box.setChecked(True)
        box.show()
        qtbot.wait_exposed(box)
        # The checked box is filled with the selection colour, as the sheet says.
        image = box.grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(2, 16) for y in range(2, 16)}
        assert pal.selection in colours
    finally:
        app.setPalette(before[0])
        app.setStyleSheet(before[1])
        app.setProperty("quizapp_theme", before[2])
