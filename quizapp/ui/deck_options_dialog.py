"""A deck's options: its daily limits and new-card order, its scheduler, FSRS's desired
retention and fitted parameters, and the workload the choice will cost (Tools → Deck options…, `ui.tools_menu`).

The dialog writes only when the learner presses Save (one operation, one undo step:
`services.deck_options.set_deck_options`), except Optimize, which keeps what it fitted at
once (`services.optimize.optimize_deck`, its own undo step), as the CLI does. Fitting and
the workload simulation take seconds, so both run on a worker (`ui.worker`); the dialog
draws only the newest forecast, so turning the retention quickly never shows a stale one.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.core.changes import Changes
from quizapp.core.deck_options import DAILY_LIMIT_RANGE, DeckOptions
from quizapp.core.palette import palette
from quizapp.core.queue import NEW_ORDERS, Limits
from quizapp.core.workload import WorkloadForecast
from quizapp.services import deck_options, optimize
from quizapp.services.collection import Collection
from quizapp.ui import plain, worker
from quizapp.ui.changes_relay import listen_for_changes
from quizapp.ui.host import Host
from quizapp.ui.theme import current_theme

FORECAST_DAYS = 365
FORECAST_DELAY_MS = 300
"""How long after the retention last moved the workload is simulated again."""
FOLLOWS_SETTINGS = -1
"""A limit box's value when the deck follows Settings (shown as "Settings (20)")."""
NEW_ORDER_NAMES = {
    "mixed": "Mixed: kinds interleaved, a new mix each day",
    "file": "File order: as the deck is written",
}
SWITCH_NOTE = (
    "Switching replays every card's review history through the other scheduler: nothing is "
    "lost, and switching back (or Edit → Undo) gives each card exactly the schedule it had."
)


def parameters_text(options: DeckOptions) -> str:
    """What the FSRS parameters are, in words."""
    if options.fsrs_parameters is None:
        return "FSRS-6 defaults (trained on many Anki users' reviews)"
    when = _day(options.optimized_on)
    if options.optimized_reviews:
        return f"fitted to your {options.optimized_reviews:,} reviews on {when}"
    return f"fitted to your reviews on {when}"


def _day(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%-d %B %Y")
    except ValueError:
        return iso or "an unknown day"


class DeckOptionsDialog(QDialog):
    forecast_drawn = Signal()
    """A workload forecast is on screen (after opening and after each change)."""
    optimize_done = Signal()
    """Optimize finished: fitted and kept, or refused with its reason shown."""

    def __init__(
        self, col: Collection, deck_uuid: str, deck_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.col = col
        self.deck_uuid = deck_uuid
        self.setWindowTitle(f"Options of {deck_name}")
        self.options = deck_options.deck_options(col, deck_uuid)
        self.forecast: WorkloadForecast | None = None
        self.forecast_job: worker.Worker | None = None
        self.optimize_job: worker.Worker | None = None

        self.settings_limits = Limits(col.settings.new_per_day, col.settings.reviews_per_day)
        self.new_limit = self._limit_box(
            self.options.new_per_day, self.settings_limits.new_per_day, "new cards"
        )
        self.review_limit = self._limit_box(
            self.options.reviews_per_day, self.settings_limits.reviews_per_day, "reviews"
        )
        self.new_order = QComboBox()
        for order in NEW_ORDERS:
            self.new_order.addItem(NEW_ORDER_NAMES[order], order)
        self.new_order.setCurrentIndex(NEW_ORDERS.index(self.options.new_order))
        self.new_order.setToolTip(
            "Mixed spreads the deck's kinds of question through each day's new cards; file "
            "order suits a deck written as a sequence, where each card builds on the last."
        )
        daily_box = QGroupBox("Daily limits and new cards")
        daily = QFormLayout(daily_box)
        daily.addRow("New cards a day", self.new_limit)
        daily.addRow("Reviews a day", self.review_limit)
        daily.addRow("New cards come", self.new_order)

        self.sm2 = QRadioButton("SM-2: the classic algorithm, fixed steps (the default)")
        self.fsrs = QRadioButton("FSRS-6: plans each card from a model of your own memory")
        self.schedulers = QButtonGroup(self)
        for button in (self.sm2, self.fsrs):
            self.schedulers.addButton(button)
        (self.fsrs if self.options.scheduler == "fsrs" else self.sm2).setChecked(True)
        note = QLabel(SWITCH_NOTE)
        note.setWordWrap(True)
        note.setObjectName("muted")
        scheduler_box = QGroupBox("Scheduler")
        box_layout = QVBoxLayout(scheduler_box)
        box_layout.addWidget(self.sm2)
        box_layout.addWidget(self.fsrs)
        box_layout.addWidget(note)

        self.retention = QDoubleSpinBox()
        self.retention.setRange(0.70, 0.99)
        self.retention.setSingleStep(0.01)
        self.retention.setDecimals(2)
        self.retention.setMaximumWidth(110)
        self.retention.setValue(self.options.desired_retention)
        self.retention.setToolTip(
            "The chance of remembering a card when it comes due. Higher means more reviews."
        )
        self.parameters = QLabel(parameters_text(self.options))
        self.parameters.setWordWrap(True)
        self.optimize_button = QPushButton("Optimize")
        self.optimize_button.setToolTip("Fit FSRS's parameters to this deck's review log")
        self.optimize_button.clicked.connect(self.optimize)
        params_row = QHBoxLayout()
        params_row.addWidget(self.parameters, 1)
        params_row.addWidget(self.optimize_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the optimizer reports no steps
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.optimize_status = QLabel("")
        self.optimize_status.setWordWrap(True)
        self.optimize_status.hide()
        fsrs_box = QGroupBox("FSRS")
        form = QFormLayout(fsrs_box)
        form.addRow("Desired retention", self.retention)
        form.addRow("Parameters", params_row)
        form.addRow("", self.progress)
        form.addRow("", self.optimize_status)
        self.fsrs_box = fsrs_box

        self.chart = QChart()
        self.chart.legend().setVisible(False)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        if current_theme() == "dark":
            self.chart.setTheme(QChart.ChartTheme.ChartThemeDark)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(180)
        self.workload_status = QLabel("Simulating the next year of reviews…")
        self.workload_status.setObjectName("muted")
        self.workload_status.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

        layout = QVBoxLayout(self)
        layout.addWidget(daily_box)
        layout.addWidget(scheduler_box)
        layout.addWidget(fsrs_box)
        layout.addWidget(self.chart_view, 1)
        layout.addWidget(self.workload_status)
        layout.addWidget(buttons)
        self.resize(680, 690)

        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(FORECAST_DELAY_MS)
        self._stale.timeout.connect(self.recompute_forecast)
        self.retention.valueChanged.connect(lambda _v: self._stale.start())
        self.new_limit.valueChanged.connect(lambda _v: self._stale.start())
        self.review_limit.valueChanged.connect(lambda _v: self._stale.start())
        self.schedulers.buttonToggled.connect(self._scheduler_toggled)
        self._scheduler_toggled()
        listen_for_changes(col, self, self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        """An undo of a fit (or of a switch) elsewhere: show the parameters as stored now;
        the choices on screen are the learner's and stay."""
        if changes.deck and self.deck_uuid in changes.decks:
            self.options = deck_options.deck_options(self.col, self.deck_uuid)
            self.parameters.setText(parameters_text(self.options))

    # --- what is chosen -------------------------------------------------------------------

    def _limit_box(self, own: int | None, from_settings: int, what: str) -> QSpinBox:
        """A daily limit: the deck's own number, or (the lowest step) Settings' number."""
        box = QSpinBox()
        box.setRange(FOLLOWS_SETTINGS, DAILY_LIMIT_RANGE[1])
        box.setSpecialValueText(f"Settings ({from_settings})")
        box.setValue(FOLLOWS_SETTINGS if own is None else own)
        box.setMaximumWidth(140)
        box.setToolTip(
            f"How many {what} this deck brings a day. The lowest step follows Settings, "
            "so changing Settings changes this deck too."
        )
        return box

    def chosen_limits(self) -> tuple[int | None, int | None]:
        """The deck's own limits as on screen (None where it follows Settings)."""
        new, reviews = (
            None if box.value() == FOLLOWS_SETTINGS else box.value()
            for box in (self.new_limit, self.review_limit)
        )
        return new, reviews

    def chosen_scheduler(self) -> str:
        return "fsrs" if self.fsrs.isChecked() else "sm2"

    def chosen_options(self) -> DeckOptions:
        """The stored options (with whatever Optimize kept) changed as the dialog shows."""
        stored = deck_options.deck_options(self.col, self.deck_uuid)
        retention = round(self.retention.value(), 2)
        new_per_day, reviews_per_day = self.chosen_limits()
        return replace(
            stored,
            scheduler=self.chosen_scheduler(),
            desired_retention=retention,
            new_per_day=new_per_day,
            reviews_per_day=reviews_per_day,
            new_order=str(self.new_order.currentData()),
        )

    def _scheduler_toggled(self, *_args: Any) -> None:
        fsrs = self.fsrs.isChecked()
        self.retention.setEnabled(fsrs)
        self.fsrs_box.setTitle("FSRS" if fsrs else "FSRS (used when FSRS is chosen)")
        self.recompute_forecast()

    def accept(self) -> None:
        """Save: one operation (a switch replays the logs), then close."""
        wanted = self.chosen_options()
        if wanted != deck_options.deck_options(self.col, self.deck_uuid):
            try:
                deck_options.set_deck_options(self.col, self.deck_uuid, wanted)
            except deck_options.DeckOptionsError as exc:
                plain.warning(self, "Deck options", str(exc))
                return
        super().accept()

    def done(self, result: int) -> None:
        """A forecast still running is left to finish unseen; a fit still running is kept
        (it stores its parameters when done) but no longer shown."""
        self._stale.stop()
        self.forecast_job = None
        self.optimize_job = None
        super().done(result)

    # --- the workload ---------------------------------------------------------------------

    def recompute_forecast(self) -> None:
        """Simulate the chosen scheduler's year off the GUI thread; the last chart stays,
        captioned as updating, until the new one comes."""
        self._stale.stop()
        col, uuid = self.col, self.deck_uuid
        scheduler = self.chosen_scheduler()
        retention = round(self.retention.value(), 2) if scheduler == "fsrs" else None
        new_per_day, reviews_per_day = self.chosen_limits()
        own = replace(self.options, new_per_day=new_per_day, reviews_per_day=reviews_per_day)
        limits = own.limits(self.settings_limits)

        def job(_progress: Any, _cancel: threading.Event) -> WorkloadForecast:
            return optimize.forecast_workload(
                col,
                uuid,
                desired_retention=retention,
                scheduler=scheduler,
                days=FORECAST_DAYS,
                limits=limits,
            )

        self.workload_status.setText("Simulating the next year of reviews…")
        self.forecast_job = worker.start(job)
        self.forecast_job.signals.finished.connect(self._forecast_computed)
        self.forecast_job.signals.failed.connect(self._forecast_failed)
        self._forecast_for = (scheduler, retention)

    def _is_current_forecast(self) -> bool:
        return self.forecast_job is not None and self.sender() is self.forecast_job.signals

    def _forecast_computed(self, forecast: WorkloadForecast) -> None:
        if not self._is_current_forecast():
            return
        self.forecast_job = None
        self.forecast = forecast
        scheduler, retention = self._forecast_for
        self.draw_forecast(forecast, scheduler, retention)
        self.forecast_drawn.emit()

    def _forecast_failed(self, exc: object) -> None:
        if not self._is_current_forecast():
            return
        self.forecast_job = None
        self.workload_status.setText(f"The workload could not be simulated: {exc}")

    def draw_forecast(
        self, forecast: WorkloadForecast, scheduler: str, retention: float | None
    ) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        pal = palette(current_theme())
        reviews = QLineSeries()
        reviews.setName("reviews")
        reviews.setColor(QColor(pal.accent))
        new = QLineSeries()
        new.setName("new cards")
        new.setColor(QColor(pal.muted))
        for day, (r, n) in enumerate(zip(forecast.reviews, forecast.new, strict=True)):
            reviews.append(float(day), r)
            new.append(float(day), n)
        chart.addSeries(reviews)
        chart.addSeries(new)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        x = QValueAxis()
        x.setRange(0, max(len(forecast.reviews) - 1, 1))
        x.setTickType(QValueAxis.TickType.TicksDynamic)
        x.setTickAnchor(0)
        x.setTickInterval(30 if len(forecast.reviews) > 60 else 5)
        x.setLabelFormat("%d")
        x.setTitleText("days from today")
        y = QValueAxis()
        y.setRange(0, max([*forecast.reviews, *forecast.new, 1.0]))
        y.applyNiceNumbers()
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in (reviews, new):
            series.attachAxis(x)
            series.attachAxis(y)
        under = "SM-2" if retention is None else f"FSRS at {retention:.0%} retention"
        chart.setTitle(f"Expected reviews per day, next {len(forecast.reviews)} days ({under})")
        total = forecast.total_reviews
        days = max(len(forecast.reviews), 1)
        self.workload_status.setText(
            f"{total:,.0f} reviews in all, {total / days:.1f} a day on average, "
            f"and {sum(forecast.new):,.0f} new cards (a simulation with the daily limits "
            "above, assuming the model's predictions hold)."
        )

    # --- the optimizer --------------------------------------------------------------------

    def optimize(self) -> None:
        """Fit FSRS to this deck's log off the GUI thread; a log too short is said politely."""
        if self.optimize_job is not None:
            return
        col, uuid = self.col, self.deck_uuid

        def job(_progress: Any, _cancel: threading.Event) -> DeckOptions:
            return optimize.optimize_deck(col, uuid)

        self.optimize_button.setEnabled(False)
        self.progress.show()
        self.optimize_status.setText("Fitting FSRS to this deck's reviews…")
        self.optimize_status.show()
        self.optimize_job = worker.start(job)
        self.optimize_job.signals.finished.connect(self._optimized)
        self.optimize_job.signals.failed.connect(self._optimize_failed)

    def _is_current_fit(self) -> bool:
        return self.optimize_job is not None and self.sender() is self.optimize_job.signals

    def _optimized(self, options: DeckOptions) -> None:
        if not self._is_current_fit():
            return
        self._fit_ended()
        self.options = options
        self.parameters.setText(parameters_text(options))
        self.optimize_status.setText(
            "Done: FSRS now uses parameters fitted to your memory (Edit → Undo takes them back)."
            if options.scheduler == "fsrs"
            else "Done. They are used once you choose FSRS above and save."
        )
        self.recompute_forecast()
        self.optimize_done.emit()

    def _optimize_failed(self, exc: object) -> None:
        if not self._is_current_fit():
            return
        self._fit_ended()
        if isinstance(exc, optimize.NotEnoughReviews):
            text = f"Not yet: {exc}"
        elif isinstance(exc, optimize.OptimizerUnavailable):
            text = f"The optimizer cannot run here: {exc}. The defaults work well meanwhile."
        else:
            text = f"The optimizer failed: {exc}. Nothing was changed."
        self.optimize_status.setText(text)
        self.optimize_done.emit()

    def _fit_ended(self) -> None:
        self.optimize_job = None
        self.progress.hide()
        self.optimize_button.setEnabled(True)


def open_deck_options(host: Host, deck_uuid: str) -> DeckOptionsDialog:
    """The deck's options dialog, open (not modal to the app: the learner may look at the
    statistics beside it)."""
    names = {deck: name for deck, name in _deck_names(host.col)}
    dialog = DeckOptionsDialog(host.col, deck_uuid, names.get(deck_uuid, "deck"), host.widget())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _deck_names(col: Collection) -> list[tuple[str, str]]:
    from quizapp.services import cards

    return [(d.uuid, d.name) for d in cards.list_deck_choices(col)]
