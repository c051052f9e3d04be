"""A card's web link opens in the system browser; any other link opens nothing."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from quizapp.ui.study_page import FitBrowser


class Catcher(QObject):
    """Stands where the system browser would be: Qt's own hook for a URL scheme."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_web_links_go_to_the_system_browser_and_nothing_else_opens(qtbot: QtBot) -> None:
    catcher = Catcher()
    for scheme in ("http", "https", "file"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        view = FitBrowser()
        qtbot.add_widget(view)
        for target in (
            "https://doc.rust-lang.org/std/cell/struct.UnsafeCell.html",
            "file:///etc/hostname",
            "/etc/hostname",
            "line:4",
        ):
            view.anchorClicked.emit(QUrl(target))
        assert catcher.opened == ["https://doc.rust-lang.org/std/cell/struct.UnsafeCell.html"]
        assert view.source().isEmpty()  # nothing was loaded into the card's own view
    finally:
        for scheme in ("http", "https", "file"):
            QDesktopServices.unsetUrlHandler(scheme)
