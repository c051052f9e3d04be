"""Light and dark themes that follow the system unless the learner picks one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from quizapp.adapters.paths import resources_dir
from quizapp.core.palette import palette


def effective_theme(setting: str) -> str:
    """'light' or 'dark': the setting, or what the system prefers when it says 'system'."""
    if setting in ("light", "dark"):
        return setting
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, theme: str) -> None:
    pal = palette(theme)
    qp = QPalette()
    window = QColor("#0d1117" if theme == "dark" else "#ffffff")
    base = QColor("#161b22" if theme == "dark" else "#ffffff")
    button = QColor("#21262d" if theme == "dark" else "#f6f8fa")
    text = QColor(pal.text)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        qp.setColor(group, QPalette.ColorRole.Window, window)
        qp.setColor(group, QPalette.ColorRole.WindowText, text)
        qp.setColor(group, QPalette.ColorRole.Base, base)
        qp.setColor(group, QPalette.ColorRole.AlternateBase, button)
        qp.setColor(group, QPalette.ColorRole.Text, text)
        qp.setColor(group, QPalette.ColorRole.Button, button)
        qp.setColor(group, QPalette.ColorRole.ButtonText, text)
        qp.setColor(group, QPalette.ColorRole.Highlight, QColor(pal.accent))
        qp.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        qp.setColor(group, QPalette.ColorRole.ToolTipBase, button)
        qp.setColor(group, QPalette.ColorRole.ToolTipText, text)
        qp.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(pal.muted))
        qp.setColor(group, QPalette.ColorRole.Link, QColor(pal.accent))
    muted = QColor(pal.muted)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        qp.setColor(QPalette.ColorGroup.Disabled, role, muted)
    app.setPalette(qp)
    sheet = resources_dir() / f"{theme}.qss"
    app.setStyleSheet(sheet.read_text(encoding="utf-8") if sheet.exists() else "")
    app.setProperty("quizapp_theme", theme)


def follow_system(app: QApplication, setting: Callable[[], str]) -> None:
    """Re-theme live when the system switches light/dark, while the setting says 'system'."""

    def on_change(_scheme: object) -> None:
        if setting() == "system":
            apply_theme(app, effective_theme("system"))

    QGuiApplication.styleHints().colorSchemeChanged.connect(on_change)


def current_theme() -> str:
    app = QApplication.instance()
    value = app.property("quizapp_theme") if app is not None else None
    return value if value in ("light", "dark") else "light"
