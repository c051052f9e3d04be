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
    window, base, button = QColor(pal.window), QColor(pal.base), QColor(pal.alternate)
    text = QColor(pal.text)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        qp.setColor(group, QPalette.ColorRole.Window, window)
        qp.setColor(group, QPalette.ColorRole.WindowText, text)
        qp.setColor(group, QPalette.ColorRole.Base, base)
        qp.setColor(group, QPalette.ColorRole.AlternateBase, button)
        qp.setColor(group, QPalette.ColorRole.Text, text)
        qp.setColor(group, QPalette.ColorRole.Button, button)
        qp.setColor(group, QPalette.ColorRole.ButtonText, text)
        qp.setColor(group, QPalette.ColorRole.Highlight, QColor(pal.selection))
        qp.setColor(group, QPalette.ColorRole.HighlightedText, QColor(pal.on_selection))
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
    own = sheet.read_text(encoding="utf-8") if sheet.exists() else ""
    app.setStyleSheet(own + indicator_sheet(theme))
    app.setProperty("quizapp_theme", theme)


def indicator_sheet(theme: str) -> str:
    """Checkboxes and radio buttons drawn from the palette, at WCAG AA contrast, and the
    spin boxes' arrows (a styled QSpinBox loses the style's own; a grey that keeps 3:1 on
    either theme's base).

    The style's own indicators take their outline from the window colour made darker,
    which on the dark window is nearly the window itself; these take `control` for the
    outline and `selection` with a tick or dot in `on_selection` when checked.
    """
    pal = palette(theme)
    tick = (resources_dir() / "indicators" / "tick.svg").as_posix()
    dot = (resources_dir() / "indicators" / "dot.svg").as_posix()
    up = (resources_dir() / "indicators" / "up.svg").as_posix()
    down = (resources_dir() / "indicators" / "down.svg").as_posix()
    views = "QListView::indicator, QTreeView::indicator, QTableView::indicator"
    return f"""
QCheckBox::indicator, QRadioButton::indicator, {views} {{
    width: 14px; height: 14px; border: 1px solid {pal.control}; background: {pal.base};
}}
QCheckBox::indicator, {views} {{ border-radius: 3px; }}
QRadioButton::indicator {{ border-radius: 8px; }}
QCheckBox::indicator:checked, {views.replace("indicator", "indicator:checked")} {{
    background: {pal.selection}; border-color: {pal.selection}; image: url({tick});
}}
QRadioButton::indicator:checked {{
    background: {pal.selection}; border-color: {pal.selection}; image: url({dot});
}}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{
    border-color: {pal.border}; background: {pal.alternate};
}}
QSpinBox::up-button, QSpinBox::down-button {{ width: 18px; border: none; }}
QSpinBox::up-arrow {{ image: url({up}); width: 10px; height: 6px; }}
QSpinBox::down-arrow {{ image: url({down}); width: 10px; height: 6px; }}
"""


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
