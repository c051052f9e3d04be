"""What a link in a card does when clicked: an http(s) address opens in the system
browser, and nothing else opens at all.

Card text comes from decks other people wrote. Markdown rendering (`core.render`) already
keeps only http(s) targets as links; this is the click side, so a learner can follow a
card's reference to the Reference or the std docs without the app ever loading a local
file or another scheme inside itself.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_if_web(url: QUrl) -> bool:
    """Hand an http(s) link to the system browser; True if it was one."""
    if url.scheme() in ("http", "https") and url.host():
        return QDesktopServices.openUrl(url)
    return False
