"""The app's two colour palettes, shared by rendered cards and by widgets.

Its own module, apart from `render`, so the window can colour the deck list at start-up
without importing markdown-it and pygments (~60 ms) before the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    name: str
    pygments_style: str
    text: str
    muted: str
    code_bg: str
    border: str
    good: str
    bad: str
    accent: str
    window: str
    """Behind pages and dialogs."""
    base: str
    """Behind lists, trees and text fields."""
    alternate: str
    """Every other row of a list, and buttons."""
    selection: str
    """A selected row or item, and a checked box or radio button's fill."""
    on_selection: str
    """Text and the tick on `selection`."""
    control: str
    """The outline of checkboxes and radio buttons: what says "here is a control"."""
    mark: str
    """Behind the words a search matched (in `text`, and bold: not colour alone)."""


WCAG_TEXT = 4.5
"""WCAG 2.x AA: text against what is behind it."""
WCAG_CONTROL = 3.0
"""WCAG 2.x AA (1.4.11): a control's boundary and state against what is behind it."""

LIGHT = Palette(
    name="light",
    pygments_style="friendly",
    text="#1f2328",
    muted="#656d76",
    code_bg="#f6f8fa",
    border="#d0d7de",
    good="#1a7f37",
    bad="#cf222e",
    accent="#0969da",
    window="#ffffff",
    base="#ffffff",
    alternate="#f6f8fa",
    selection="#0969da",
    on_selection="#ffffff",
    control="#6e7781",
    mark="#fff1a8",
)
DARK = Palette(
    name="dark",
    pygments_style="github-dark",
    text="#e6edf3",
    muted="#8b949e",
    code_bg="#161b22",
    border="#30363d",
    good="#3fb950",
    bad="#f85149",
    accent="#58a6ff",
    window="#0d1117",
    base="#161b22",
    alternate="#21262d",
    # Not `accent`: white on #58a6ff is 2.5:1; the selected deck row was hard to read.
    selection="#1f6feb",
    on_selection="#ffffff",
    # Not `border` (1.4:1 on `base`): unchecked boxes and radio buttons all but vanished.
    control="#6e7681",
    mark="#6b5a1e",
)


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2.x contrast ratio of two `#rrggbb` colours, from 1 to 21."""

    def luminance(colour: str) -> float:
        channels = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palette(theme: str) -> Palette:
    return DARK if theme == "dark" else LIGHT
