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


LIGHT = Palette(
    "light", "friendly", "#1f2328", "#6e7781", "#f6f8fa", "#d0d7de", "#1a7f37", "#cf222e", "#0969da"
)
DARK = Palette(
    "dark",
    "github-dark",
    "#e6edf3",
    "#8b949e",
    "#161b22",
    "#30363d",
    "#3fb950",
    "#f85149",
    "#58a6ff",
)


def palette(theme: str) -> Palette:
    return DARK if theme == "dark" else LIGHT
