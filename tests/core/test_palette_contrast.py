"""Both themes meet WCAG 2.x AA: 4.5:1 for text, 3:1 for the boundary and state of
controls (checkboxes, radio buttons, the selected row), computed from the palette the
window is drawn with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.core.palette import DARK, LIGHT, WCAG_CONTROL, WCAG_TEXT, Palette, contrast

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
"""The repository's resources folder (the themes' sheets and the indicator icons)."""

THEMES = pytest.mark.parametrize("pal", [LIGHT, DARK], ids=["light", "dark"])


def test_the_ratio_is_wcags() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the known AA grey


@THEMES
def test_text_is_readable_on_every_background_it_sits_on(pal: Palette) -> None:
    for name in ("text", "muted", "good", "bad", "accent"):
        for ground in ("window", "base", "alternate"):
            ratio = contrast(getattr(pal, name), getattr(pal, ground))
            assert ratio >= WCAG_TEXT, f"{pal.name}: {name} on {ground} is {ratio:.2f}:1"
    assert contrast(pal.on_selection, pal.selection) >= WCAG_TEXT  # the selected deck row
    assert contrast(pal.text, pal.mark) >= WCAG_TEXT  # a search match in the browser


@THEMES
def test_controls_stand_out_from_what_is_behind_them(pal: Palette) -> None:
    for ground in ("window", "base", "alternate"):
        ratio = contrast(pal.control, getattr(pal, ground))
        assert ratio >= WCAG_CONTROL, f"{pal.name}: unchecked outline on {ground}: {ratio:.2f}"
        checked = contrast(pal.selection, getattr(pal, ground))
        assert checked >= WCAG_CONTROL, f"{pal.name}: checked fill on {ground}: {checked:.2f}"
    assert contrast(pal.on_selection, pal.selection) >= WCAG_CONTROL  # the tick and the dot


@THEMES
def test_the_style_sheets_and_icons_use_the_palettes_colours(pal: Palette) -> None:
    sheet = (RESOURCES / f"{pal.name}.qss").read_text(encoding="utf-8")
    muted = re.search(r"QLabel#muted \{ color: (#[0-9a-f]{6}); \}", sheet)
    assert muted is not None and muted.group(1) == pal.muted
    for icon in ("tick.svg", "dot.svg"):
        svg = (RESOURCES / "indicators" / icon).read_text(encoding="utf-8")
        colours = set(re.findall(r'(?:stroke|fill)="(#[0-9a-f]{6})"', svg))
        assert colours == {pal.on_selection}, icon
