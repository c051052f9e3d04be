"""The statistics window: activity, forecast, retention, mastery, distributions, the
cards that need attention (misconceptions and leeches), and memory: readiness per section
and whether the predicted recall and readiness have held (`services.memory`).

Figures come from `services.stats.collection_stats` (defined in `core.stats`); this module
only draws them: QtCharts for the charts, a small painted widget for the calendar heatmap
(QtCharts has none). Adding up a million answers takes a second or two, so the figures are
computed in a worker (`ui.worker`) while the window shows that it is busy; `loaded` is
emitted once they are drawn. At 300,000 cards and 3,000,000 answers everything takes
several seconds, so the worker first sends what is cheap (`stats.first_figures`: the
streak, today's work and the heatmap, about 0.2 s), shown at once on the busy page
(`first_shown`), and the tabs fill in behind it.
"""

from __future__ import annotations

import contextlib
import html
import threading
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QMargins,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QCursor,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from quizapp.core import stats as core
from quizapp.core.cardhtml import question_html
from quizapp.core.changes import Changes
from quizapp.core.palette import palette
from quizapp.core.readiness import CalibrationBin, InterviewCalibration
from quizapp.core.render import page, render_markdown
from quizapp.core.wording import count
from quizapp.services import interview, memory, stats
from quizapp.services.collection import Collection, CollectionError
from quizapp.ui import worker
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.closing import add_close_keys
from quizapp.ui.geometry import resize_to_fit
from quizapp.ui.theme import current_theme

HEATMAP_WEEKS = core.HEATMAP_WEEKS
MASTERY_COLOURS = {"new": "#8c959f", "learning": "#d4a72c", "young": "#54aeff", "mature": "#1a7f37"}


class Heatmap(QWidget):
    """Answers per day, one square a day, weeks as columns (Monday on top), like GitHub's."""

    CELL = 15
    GAP = 3
    LEFT = 40
    TOP = 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.per_day: dict[int, int] = {}
        self.today = date.today().toordinal()
        self.setMouseTracking(True)

    def set_data(self, per_day: dict[int, int], today: int) -> None:
        """Only the days drawn are kept, so the shades (by the busiest day) are the same
        whether given the whole log (the Overview) or only these weeks (the first figures)."""
        first = core.heatmap_first_day(today)
        self.per_day = {day: n for day, n in per_day.items() if day >= first}
        self.today = today
        self.update()

    def sizeHint(self) -> QSize:
        step = self.CELL + self.GAP
        return QSize(self.LEFT + HEATMAP_WEEKS * step, self.TOP + 7 * step)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def first_day(self) -> int:
        return core.heatmap_first_day(self.today)

    def cell_rect(self, day: int) -> QRectF:
        offset = day - self.first_day()
        step = self.CELL + self.GAP
        return QRectF(
            self.LEFT + (offset // 7) * step, self.TOP + (offset % 7) * step, self.CELL, self.CELL
        )

    def level(self, count: int) -> int:
        """0 for no answers, then four shades by the share of the busiest day."""
        if count <= 0:
            return 0
        busiest = max(self.per_day.values(), default=1)
        return min(4, 1 + (4 * count - 1) // max(busiest, 1))

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = palette(current_theme())
        shades = [
            QColor(pal.border),
            QColor("#9be9a8"),
            QColor("#40c463"),
            QColor("#30a14e"),
            QColor("#216e39"),
        ]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(pal.muted))
        step = self.CELL + self.GAP
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            painter.drawText(QPointF(0, self.TOP + row * step + self.CELL - 3), name)
        first = self.first_day()
        shown_month = None
        for week in range(HEATMAP_WEEKS):
            monday = date.fromordinal(first + 7 * week)
            if monday.month != shown_month:
                shown_month = monday.month
                painter.drawText(
                    QPointF(self.LEFT + week * step, self.TOP - 5), monday.strftime("%b")
                )
        painter.setPen(Qt.PenStyle.NoPen)
        for day in range(first, self.today + 1):
            painter.setBrush(shades[self.level(self.per_day.get(day, 0))])
            painter.drawRoundedRect(self.cell_rect(day), 3, 3)
        painter.end()

    def day_at(self, x: float, y: float) -> int | None:
        for day in range(self.first_day(), self.today + 1):
            if self.cell_rect(day).contains(QPointF(x, y)):
                return day
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos().x(), event.pos().y())
            if day is None:
                QToolTip.hideText()
            else:
                answers = count(self.per_day.get(day, 0), "answer")
                when = date.fromordinal(day).isoformat()
                QToolTip.showText(event.globalPos(), f"{when}: {answers}", self)
            return True
        return super().event(event)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    if current_theme() == "dark":
        chart.setTheme(QChart.ChartTheme.ChartThemeDark)
    return chart


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(230)
    return view


def bar_chart(
    title: str,
    labels: list[str],
    values: list[float],
    colour: str,
    *,
    days_axis: str = "",
) -> QChartView:
    chart = _chart(title)
    bars = QBarSet(title)
    bars.append([float(v) for v in values])
    bars.setColor(QColor(colour))
    bars.setBorderColor(QColor(colour))
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    x: QBarCategoryAxis | QValueAxis
    if days_axis:
        # 30 category labels do not fit; a value axis marks every fifth day instead
        x = QValueAxis()
        x.setRange(-0.5, len(values) - 0.5)
        x.setTickType(QValueAxis.TickType.TicksDynamic)
        x.setTickAnchor(0)
        x.setTickInterval(5)
        x.setLabelFormat("%d")
        x.setTitleText(days_axis)
    else:
        x = QBarCategoryAxis()
        x.append(labels)
    y = QValueAxis()
    y.setRange(0, max([*values, 1.0]))
    y.applyNiceNumbers()
    y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return _view(chart)


def retention_sections_chart(by_section: dict[str, core.Retention]) -> QChartView:
    """`by_section` keyed by what to show (deck names), in the order to show them."""
    title = "Retention by deck (share of scheduled answers passed)"
    if not by_section:
        title += " — nothing yet: it counts answers to cards that came due, from day two on"
    chart = _chart(title)
    names = list(by_section)
    bars = QBarSet("Retention")
    bars.append([float(round(by_section[n].percent or 0.0)) for n in names])
    bars.setColor(QColor(palette(current_theme()).accent))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value %")
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append([chart_label(n) for n in names] or [" "])
    x = QValueAxis()
    x.setRange(0, 100)
    x.setLabelFormat("%d %%")
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    view = _view(chart)
    view.setMinimumHeight(max(230, 32 * len(names) + 80))
    return view


def retention_weeks_chart(by_week: list[tuple[int, core.Retention]]) -> QChartView:
    chart = _chart("Retention over time (by week)")
    series = QLineSeries()
    series.setPointsVisible(True)
    series.setColor(QColor(palette(current_theme()).good))
    for week, ret in by_week:
        monday = date.fromordinal(week)
        moment = QDateTime(QDate(monday.year, monday.month, monday.day), QTime(0, 0))
        series.append(float(moment.toMSecsSinceEpoch()), ret.percent or 0.0)
    chart.addSeries(series)
    # A date axis with a few ticks, not a label per week: 91 weeks of labels did not fit
    # and each was drawn as "…".
    x = QDateTimeAxis()
    x.setFormat("d MMM yy" if len(by_week) > 52 else "d MMM")
    x.setTickCount(min(6, max(2, len(by_week))))
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%d %%")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return _view(chart)


def mastery_chart(by_section: dict[str, core.Mastery]) -> QChartView:
    """`by_section` keyed by what to show (deck names), in the order to show them."""
    title = "Mastery by deck (mature: interval ≥ 21 days)"
    if not by_section:
        title += " — no cards yet: import or add a deck"
    chart = _chart(title)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    names = list(by_section)
    series = QHorizontalStackedBarSeries()
    for level in ("mature", "young", "learning", "new"):
        bars = QBarSet(level)
        bars.append([float(getattr(by_section[n], level)) for n in names])
        bars.setColor(QColor(MASTERY_COLOURS[level]))
        bars.setBorderColor(QColor(MASTERY_COLOURS[level]))
        series.append(bars)
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append([chart_label(n) for n in names] or [" "])
    x = QValueAxis()
    x.setLabelFormat("%d")
    x.setRange(0, max([m.total for m in by_section.values()] + [1]))
    x.applyNiceNumbers()
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    view = _view(chart)
    view.setMinimumHeight(max(260, 32 * len(names) + 110))
    return view


def _moment(day: date) -> float:
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).toMSecsSinceEpoch())


def readiness_chart(readiness: dict[str, float]) -> QChartView:
    """Readiness per section, first deck on top (Qt draws the first category at the bottom)."""
    chart = _chart("Readiness today: the chance of answering a random question of the section")
    names = list(reversed(readiness))
    bars = QBarSet("Readiness")
    bars.append([float(round(readiness[n] * 100)) for n in names])
    bars.setColor(QColor(palette(current_theme()).good))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value %")
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append([chart_label(n) for n in names] or [" "])
    x = QValueAxis()
    x.setRange(0, 100)
    x.setLabelFormat("%d %%")
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    view = _view(chart)
    view.setMinimumHeight(max(230, 32 * len(names) + 80))
    return view


NO_PREDICTIONS = "no reviews with a prediction yet"
NO_INTERVIEWS = "no mock interviews with a readiness prediction yet"


def calibration_chart(bins: list[CalibrationBin], rmse: float | None, answers: int) -> QChartView:
    """Predicted recall in bins against the share actually remembered, with the diagonal a
    perfectly calibrated model would sit on."""
    if rmse is None or not bins:
        title = f"Recall calibration: {NO_PREDICTIONS}"
    else:
        title = f"Recall calibration · RMSE over bins {rmse:.3f} · {answers:,} answers"
    chart = _chart(title)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    pal = palette(current_theme())
    diagonal = QLineSeries()
    diagonal.setName("perfect calibration")
    pen = QPen(QColor(pal.muted))
    pen.setStyle(Qt.PenStyle.DashLine)
    diagonal.setPen(pen)
    diagonal.append(0.0, 0.0)
    diagonal.append(100.0, 100.0)
    observed = QLineSeries()
    observed.setName("remembered (share of answers passed)")
    observed.setColor(QColor(pal.accent))
    points = QScatterSeries()
    points.setName("bins (tooltip: answers in the bin)")
    points.setColor(QColor(pal.accent))
    points.setMarkerSize(9)
    for b in bins:
        observed.append(b.mean_predicted * 100, b.observed * 100)
        points.append(b.mean_predicted * 100, b.observed * 100)
    points.hovered.connect(lambda point, on: _bin_tip(bins, point, on))
    x = QValueAxis()
    x.setRange(0, 100)
    x.setLabelFormat("%d %%")
    x.setTitleText("predicted recall")
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%d %%")
    y.setTitleText("remembered")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for series in (diagonal, observed, points):
        chart.addSeries(series)
        series.attachAxis(x)
        series.attachAxis(y)
    chart.legend().markers(points)[0].setVisible(False)
    view = _view(chart)
    view.setMinimumHeight(320)
    return view


def _bin_tip(bins: list[CalibrationBin], point: QPointF, on: bool) -> None:
    if not on:
        QToolTip.hideText()
        return
    for b in bins:
        if abs(b.mean_predicted * 100 - point.x()) < 1e-6:
            QToolTip.showText(
                QCursor.pos(),
                f"{b.lower:.0%}–{b.upper:.0%} predicted: {b.count} answers, "
                f"mean prediction {b.mean_predicted:.0%}, remembered {b.observed:.0%}",
            )
            return


def interviews_chart(points: list[InterviewCalibration]) -> QChartView:
    """Each mock interview's readiness predicted before it beside its score, and the running
    Brier score (0 is perfect; always saying 50 % scores 0.25)."""
    if points:
        title = f"Readiness against interview scores · running Brier {points[-1].running_brier:.3f}"
    else:
        title = f"Readiness against interview scores: {NO_INTERVIEWS}"
    chart = _chart(title)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    pal = palette(current_theme())
    predicted = QLineSeries()
    predicted.setName("readiness predicted")
    predicted.setColor(QColor(pal.accent))
    scored = QLineSeries()
    scored.setName("score")
    scored.setColor(QColor(pal.good))
    brier = QLineSeries()
    brier.setName("running Brier score (right axis)")
    pen = QPen(QColor(pal.bad))
    pen.setStyle(Qt.PenStyle.DashLine)
    pen.setWidth(2)
    brier.setPen(pen)
    for series in (predicted, scored):
        series.setPointsVisible(True)
        thick = series.pen()
        thick.setWidth(2)
        series.setPen(thick)
    for p in points:
        moment = _moment(p.day)
        predicted.append(moment, p.predicted * 100)
        scored.append(moment, p.score * 100)
        brier.append(moment, p.running_brier)
    x = QDateTimeAxis()
    x.setFormat("d MMM")
    x.setTickCount(min(6, max(2, len(points))))
    if len(points) < 2:  # one point (or none) has no range: show a week around it
        day = points[0].day if points else date.today()
        x.setRange(
            QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).addDays(-3),
            QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0)).addDays(3),
        )
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%d %%")
    right = QValueAxis()
    right.setRange(0, max([0.25, *(p.running_brier for p in points)]))
    right.applyNiceNumbers()
    right.setLabelFormat("%.2f")
    right.setTitleText("Brier")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
    for series, axis in ((predicted, y), (scored, y), (brier, right)):
        chart.addSeries(series)
        series.attachAxis(x)
        series.attachAxis(axis)
    view = _view(chart)
    view.setMinimumHeight(300)
    return view


def _scrollable(content: QWidget) -> QScrollArea:
    """A tab's content in a scroll area: a chart sized for 28 sections is ~1,000 px tall,
    and without this the tab's minimum size made the window taller than the screen."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def chart_label(name: str) -> str:
    """A deck's name as a chart's axis shows it: Qt Charts draws labels as HTML, and a deck
    named `X<img src="/dev/zero">` (any imported file may name one so) hung the window."""
    return html.escape(name, quote=False)


def by_deck(by_section: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Figures keyed by section, re-keyed by deck name in the deck list's order (top
    first: a horizontal chart draws its first category at the bottom, so reversed);
    a section no deck has any more (its cards moved) keeps its own name, after them."""
    order = [k for k in labels if k in by_section] + sorted(
        k for k in by_section if k not in labels
    )
    return {labels.get(k, k): by_section[k] for k in reversed(order)}


def _figure(value: str, caption: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    big = QLabel(value)
    big.setStyleSheet("font-size: 24px; font-weight: 600;")
    small = QLabel(caption)
    small.setObjectName("muted")
    layout.addWidget(big)
    layout.addWidget(small)
    return box


def _busy_page() -> tuple[QWidget, QLabel, QProgressBar]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    label = QLabel("Adding up your answers…")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    bar = QProgressBar()
    bar.setRange(0, 0)  # no steps to count: SQLite sums the log in a few statements
    bar.setMaximumWidth(360)
    layout.addWidget(label)
    layout.addWidget(bar, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return page, label, bar


def _leech_text(view: stats.LeechView) -> str:
    first = next((ln for ln in view.card.prompt.splitlines() if ln.strip()), "")
    mark = " (suspended)" if view.suspended else ""
    return f"{first[:60]}\n{view.deck_name} · failed {view.failures} times{mark}"


Figures = tuple[core.Stats, list[stats.LeechView], memory.MemoryReport]
"""What the worker hands back: the statistics, the leeches shown, and the memory report."""

STALE_DELAY_MS = 300
"""How long after the last change the statistics are recomputed."""


class StatsWindow(QMainWindow):
    loaded = Signal()
    """The figures are drawn (after opening, and after each refresh)."""
    first_shown = Signal()
    """On opening: the first figures are drawn, before the rest is added up."""
    _first_found = Signal(object)
    """(the refresh's worker, its first figures), emitted from the worker thread."""
    _stats_found = Signal(object)
    """(the refresh's worker, the statistics, the leeches), emitted from the worker thread."""

    def __init__(self, col: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.col = col
        self.setWindowTitle("Statistics")
        resize_to_fit(self, 1180, 900)
        self.tabs = QTabWidget()
        self.busy, self.busy_label, self.busy_bar = _busy_page()
        self.busy_figures = QHBoxLayout()
        self.busy_heatmap = Heatmap()
        self.busy_heatmap.hide()
        top = self.busy.layout()
        assert isinstance(top, QVBoxLayout)
        top.insertLayout(0, self.busy_figures)
        top.insertWidget(1, self.busy_heatmap, 0, Qt.AlignmentFlag.AlignHCenter)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.busy)
        self.pages.addWidget(self.tabs)
        self.setCentralWidget(self.pages)
        add_close_keys(self, escape=True)
        self.stats: core.Stats | None = None
        self.memory: memory.MemoryReport | None = None
        self.leech_views: list[stats.LeechView] = []
        self.job: worker.Worker | None = None
        self.first: stats.FirstFigures | None = None
        self._first_found.connect(self._show_first)
        self._stats_found.connect(self._show_stats)
        self._drawn_by: worker.Worker | None = None
        """The job whose statistics are drawn, all tabs but Memory, before it finished."""
        self._restore: tuple[int, int] = (0, -1)
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(STALE_DELAY_MS)
        self._stale.timeout.connect(lambda: self.refresh())
        listen_for_changes(col, self, self.on_changes)
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        """Answers, imports, deletes and undos move the figures: recompute once they settle
        (a burst of answers costs one recomputation, not one each)."""
        if changes.history or changes.schedule or changes.card or changes.collection:
            self._stale.start()

    def refresh(self, tab: int | None = None, leech_row: int = -1) -> None:
        """Recompute the figures off the GUI thread; the figures shown so far stay, greyed,
        until the new ones are drawn (on the tab shown, or `tab`)."""
        self._restore = (self.tabs.currentIndex() if tab is None else tab, leech_row)
        if self.stats is None:
            self.pages.setCurrentWidget(self.busy)
        else:
            self.tabs.setEnabled(False)
            self.statusBar().showMessage("Updating the figures…")
        col, first_found, opening = self.col, self._first_found, self.stats is None
        stats_found = self._stats_found
        started: list[worker.Worker] = []

        def job(_progress: Any, _cancel: Any) -> Figures:
            if opening:
                first, shown = stats.first_figures(col), threading.Event()
                with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                    first_found.emit((started[0], first, shown))
                # The sums below start once those are drawn: sharing the GIL with them
                # would hold up the drawing the learner is waiting for.
                shown.wait(1)
            figures = stats.collection_stats(col)
            leeches = stats.leech_views(col, figures.leeches)
            if opening:  # the tabs but Memory now: predicted recall of every card is next
                drawn = threading.Event()
                with contextlib.suppress(RuntimeError):
                    stats_found.emit((started[0], figures, leeches, drawn))
                # Let the GUI thread draw them alone: the recall loop below is pure Python,
                # and sharing the GIL with it made the drawing hold the window 0.8 s.
                drawn.wait(2)
            report = memory.memory_report(col)
            order = {name: i for i, name in enumerate(interview.list_sections(col))}
            ready = sorted(report.readiness.items(), key=lambda kv: order.get(kv[0], len(order)))
            report = replace(report, readiness=dict(ready))  # deck order, as the deck list
            return figures, leeches, report

        self.job = worker.start(job)
        started.append(self.job)
        self.job.signals.finished.connect(self._computed)
        self.job.signals.failed.connect(self._failed)

    def closeEvent(self, event: QCloseEvent) -> None:
        """A refresh still running is left to finish; its result is not drawn."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
        super().closeEvent(event)

    def _show_first(self, found: tuple[worker.Worker, stats.FirstFigures, threading.Event]) -> None:
        job, first, shown = found
        try:
            if job is not self.job or self.stats is not None:
                return
            self._draw_first(first)
        finally:
            shown.set()

    def _draw_first(self, first: stats.FirstFigures) -> None:
        """The figures on the busy page, drawn now (the worker waits for them)."""
        self.first = first
        for value, caption in (
            (count(first.streak.current, "day"), f"streak (longest {first.streak.longest})"),
            (str(first.answers_today), "answers today"),
            (str(first.streak.study_days), "days studied"),
            (f"{first.cards:,}", "cards"),
            (str(first.due_today), "due today"),
        ):
            self.busy_figures.addWidget(_figure(value, caption))
        self.busy_heatmap.set_data(first.answers_per_day, first.today)
        self.busy_heatmap.show()
        self.busy_label.setText("Adding up the rest of your answers…")
        if (layout := self.busy.layout()) is not None:
            layout.activate()
        self.busy.repaint()
        self.first_shown.emit()

    def _is_current(self) -> bool:
        """Only the latest refresh's result is drawn."""
        return self.job is not None and self.sender() is self.job.signals

    def _show_stats(
        self, found: tuple[worker.Worker, core.Stats, list[stats.LeechView], threading.Event]
    ) -> None:
        """On opening, every tab but Memory as soon as its figures are in."""
        job, figures, leeches, drawn = found
        try:
            if job is not self.job or self.stats is not None:
                return
            self.stats, self.leech_views = figures, leeches
            self._draw_tabs(None)
            self._drawn_by = job
            self.statusBar().showMessage("Working out the predicted recall of every card…")
            self.pages.setCurrentWidget(self.tabs)
            self.tabs.repaint()
        finally:
            drawn.set()

    def _computed(self, result: Figures) -> None:
        if not self._is_current():
            return
        done, self.job = self.job, None
        self.stats, self.leech_views, self.memory = result
        if done is not None and done is self._drawn_by:  # only Memory is new
            shown = self.tabs.currentIndex()
            self.tabs.removeTab(5)
            self.tabs.insertTab(5, _scrollable(self._memory(self.memory)), "Memory")
            self.tabs.setCurrentIndex(shown)
        else:
            self._draw_tabs(self.memory)
        self._drawn_by = None
        self.tabs.setEnabled(True)
        self.statusBar().clearMessage()
        self.pages.setCurrentWidget(self.tabs)
        self.loaded.emit()

    def _draw_tabs(self, report: memory.MemoryReport | None) -> None:
        """Every tab, Memory a placeholder while `report` is None."""
        assert self.stats is not None
        tab, leech_row = self._restore
        self.tabs.clear()
        s = self.stats
        self.tabs.addTab(_scrollable(self._overview(s)), "Overview")
        self.tabs.addTab(_scrollable(self._sections(s)), "Sections")
        self.tabs.addTab(_scrollable(self._cards(s)), "Intervals and easiness")
        self.tabs.addTab(self._misconceptions(s), f"Misconceptions ({len(s.misconceptions)})")
        self.tabs.addTab(self._leeches(s), f"Leeches ({len(s.leeches)})")
        if report is None:
            waiting = QLabel("Working out the predicted recall of every card…")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(waiting, "Memory")
        else:
            self.tabs.addTab(_scrollable(self._memory(report)), "Memory")
        self.tabs.setCurrentIndex(max(tab, 0))
        if 0 <= leech_row < len(self.leech_views):
            self.leech_list.setCurrentRow(leech_row)

    def _failed(self, exc: object) -> None:
        if not self._is_current():
            return
        self.job = None
        if not isinstance(exc, CollectionError):
            raise exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.busy_label.setText(f"The statistics could not be read: {exc}")
        self.busy_bar.hide()
        self.pages.setCurrentWidget(self.busy)

    def _overview(self, s: core.Stats) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        figures = QHBoxLayout()
        retention = "—" if s.retention.percent is None else f"{s.retention.percent:.0f} %"
        for value, caption in (
            (count(s.streak.current, "day"), f"streak (longest {s.streak.longest})"),
            (str(s.answers_today), "answers today"),
            (str(s.streak.study_days), "days studied"),
            (retention, f"retention ({s.retention.passed}/{s.retention.total})"),
            (str(s.mastery.mature), f"mature of {s.cards} cards"),
            (str(s.forecast[0] if s.forecast else 0), "due today"),
        ):
            figures.addWidget(_figure(value, caption))
        layout.addLayout(figures)
        heat_title = QLabel(f"Answers per day, last {HEATMAP_WEEKS} weeks")
        heat_title.setObjectName("muted")
        layout.addWidget(heat_title)
        self.heatmap = Heatmap()
        self.heatmap.set_data(s.reviews_per_day, s.today)
        layout.addWidget(self.heatmap, 0, Qt.AlignmentFlag.AlignLeft)
        grid = QGridLayout()
        self.forecast_view = bar_chart(
            "Due in the next 30 days (0 = today, overdue included)",
            [],
            [float(n) for n in s.forecast],
            palette(current_theme()).accent,
            days_axis="days from today",
        )
        grid.addWidget(self.forecast_view, 0, 0)
        grid.addWidget(retention_weeks_chart(s.retention_by_week), 0, 1)
        layout.addLayout(grid, 1)
        return tab

    def _memory(self, m: memory.MemoryReport) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        figures = QHBoxLayout()
        ready = list(m.readiness.values())
        brier = m.interviews[-1].running_brier if m.interviews else None
        for value, caption in (
            (f"{sum(ready) / len(ready):.0%}" if ready else "—", "mean readiness of the sections"),
            (f"{m.new_card_recall:.0%}", "expected on a card never seen"),
            ("—" if m.rmse is None else f"{m.rmse:.3f}", f"RMSE over bins ({m.predictions:,})"),
            ("—" if m.log_loss is None else f"{m.log_loss:.3f}", "log loss of predicted recall"),
            ("—" if brier is None else f"{brier:.3f}", f"Brier, {len(m.interviews)} interviews"),
        ):
            figures.addWidget(_figure(value, caption))
        layout.addLayout(figures)
        # by deck name, in deck-list order (by_deck gives Qt's bottom-up order: undo it)
        named = by_deck(m.readiness, stats.section_labels(self.col))
        self.readiness_view = readiness_chart(dict(reversed(list(named.items()))))
        self.calibration_view = calibration_chart(m.calibration, m.rmse, m.predictions)
        self.interviews_view = interviews_chart(m.interviews)
        layout.addWidget(self.readiness_view)
        pair = QHBoxLayout()
        pair.addWidget(self.calibration_view, 1)
        pair.addWidget(self.interviews_view, 1)
        layout.addLayout(pair)
        note = QLabel(
            "Each review stores the recall its scheduler predicted just before it; each mock "
            "interview stores the readiness it was started under. A model that deserves trust "
            "keeps the points near the diagonal and the Brier score low (0.25 is what always "
            "saying 50 % would score)."
        )
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        return tab

    def _sections(self, s: core.Stats) -> QWidget:
        labels = stats.section_labels(self.col)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(mastery_chart(by_deck(s.mastery_by_section, labels)))
        splitter.addWidget(retention_sections_chart(by_deck(s.retention_by_section, labels)))
        return splitter

    def _cards(self, s: core.Stats) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            bar_chart(
                "Intervals (cards answered at least once)",
                [b.label for b in s.intervals],
                [float(b.count) for b in s.intervals],
                palette(current_theme()).accent,
            )
        )
        layout.addWidget(
            bar_chart(
                "Easiness (EF)",
                [b.label for b in s.easiness],
                [float(b.count) for b in s.easiness],
                "#8250df",
            )
        )
        return tab

    def _misconceptions(self, s: core.Stats) -> QWidget:
        browser = QTextBrowser()
        browser.setOpenLinks(False)
        theme = current_theme()
        muted = palette(theme).muted
        if not s.misconceptions:
            body = "<p>No wrong picks on choice cards yet.</p>"
        else:
            parts = ["<h3>Wrong options you pick most often</h3>"]
            for m in s.misconceptions[:50]:
                prompt = render_markdown(m.prompt, theme)
                parts.append(
                    f"<p style='margin-bottom:0'><b>{render_markdown(m.sentence[0].upper() + m.sentence[1:], theme)}</b></p>"
                    f"<div style='color:{muted}'>{html.escape(m.section)}</div>{prompt}"
                    f"<p><i>Why not:</i> {render_markdown(m.why or '(no explanation given)', theme)}</p><hr/>"
                )
            body = "".join(parts)
        browser.setHtml(page(body, theme))
        return browser

    def _leeches(self, s: core.Stats) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel(
            f"A card failed {core.LEECH_FAILURES} times is a leech: more reviews will not fix it. "
            "Read its section of the guide, then suspend it or rewrite it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.leech_list = QListWidget()
        for view in self.leech_views:
            self.leech_list.addItem(QListWidgetItem(_leech_text(view)))
        if not self.leech_views:
            self.leech_list.addItem("No leeches.")
        self.leech_detail = QTextBrowser()
        self.leech_detail.setOpenLinks(False)
        splitter.addWidget(self.leech_list)
        splitter.addWidget(self.leech_detail)
        splitter.setSizes([440, 680])
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.suspend_button = QPushButton("Suspend")
        self.suspend_button.clicked.connect(self.toggle_suspend)
        self.edit_button = QPushButton("Rewrite in the editor…")
        self.edit_button.clicked.connect(self.edit_leech)
        row.addStretch(1)
        row.addWidget(self.suspend_button)
        row.addWidget(self.edit_button)
        layout.addLayout(row)
        self.leech_list.currentRowChanged.connect(self._show_leech)
        if self.leech_views:
            self.leech_list.setCurrentRow(0)
        self._show_leech(self.leech_list.currentRow())
        return tab

    def current_leech(self) -> stats.LeechView | None:
        row = self.leech_list.currentRow()
        return self.leech_views[row] if 0 <= row < len(self.leech_views) else None

    def _show_leech(self, _row: int) -> None:
        view = self.current_leech()
        self.suspend_button.setEnabled(view is not None)
        self.edit_button.setEnabled(view is not None)
        if view is None:
            self.leech_detail.clear()
            return
        theme = current_theme()
        self.suspend_button.setText("Unsuspend" if view.suspended else "Suspend")
        guide = (
            render_markdown(view.guide, theme)
            if view.guide
            else f"<p><i>The guide has no section named {html.escape(view.section)}.</i></p>"
        )
        self.leech_detail.setHtml(page(question_html(view.card, theme) + "<hr/>" + guide, theme))

    def toggle_suspend(self) -> None:
        """Suspend (or unsuspend) the leech at once, then bring every figure up to date."""
        view = self.current_leech()
        if view is None:
            return
        row = self.leech_list.currentRow()
        change = stats.suspend_card(self.col, view.card.id, not view.suspended)
        self.leech_views[row] = replace(view, suspended=change.suspended)
        self.leech_list.item(row).setText(_leech_text(self.leech_views[row]))
        self._show_leech(row)
        self.refresh(tab=4, leech_row=row)

    def edit_leech(self) -> None:
        view = self.current_leech()
        if view is None:
            return
        from quizapp.ui.editor import CardEditor

        editor = CardEditor(self.col, card_uuid=view.card.id, parent=self)
        editor.show()
