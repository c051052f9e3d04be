"""A styled spin box keeps visible arrows, at control contrast on either theme."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QSpinBox
from pytestqt.qtbot import QtBot

from quizapp.adapters.paths import resources_dir
from quizapp.core.palette import contrast, palette
from quizapp.ui.theme import apply_theme

ARROW = "#7d8590"


@pytest.mark.parametrize("arrow", ["up", "down"])
def test_the_arrows_reach_3_to_1_on_both_bases(arrow: str) -> None:
    svg = (resources_dir() / "indicators" / f"{arrow}.svg").read_text(encoding="utf-8")
    stroke = re.search(r'stroke="(#[0-9a-f]{6})"', svg)
    assert stroke is not None and stroke.group(1) == ARROW
    for theme in ("light", "dark"):
        assert contrast(ARROW, palette(theme).base) >= 3.0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_spin_box_draws_its_arrows(qtbot: QtBot, theme: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = (app.palette(), app.styleSheet(), app.property("quizapp_theme"))
    try:
        apply_theme(app, theme)
        box = QSpinBox()
        qtbot.add_widget(box)
        box.resize(160, 40)
        box.show()
        qtbot.wait_exposed(box)
        image = box.grab().toImage()
        # the right-hand strip holds the arrows, drawn in the svg's grey
        strip = [
            image.pixelColor(x, y)
            for x in range(box.width() - 22, box.width() - 2)
            for y in range(2, box.height() - 2)
        ]
        grey = QColor(ARROW)
        assert any(
            abs(c.red() - grey.red()) + abs(c.green() - grey.green()) + abs(c.blue() - grey.blue())
            < 24
            for c in strip
        )
    finally:
        app.setPalette(before[0])
        app.setStyleSheet(before[1])
        app.setProperty("quizapp_theme", before[2])
