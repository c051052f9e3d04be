"""A deck's own options: which scheduler plans its reviews, and that scheduler's settings.

Stored as JSON on the deck row, which may come from an imported or damaged file, so every
value is checked on the way in: an unknown scheduler, a retention outside Anki's bounds or a
parameter list of the wrong length or with a non-finite number falls back to the default
and is reported, never used.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace

from quizapp.core.queue import NEW_ORDERS, Limits
from quizapp.core.scheduler import (
    DEFAULT_DESIRED_RETENTION,
    DEFAULT_SCHEDULER,
    DESIRED_RETENTION_RANGE,
    FSRS_PARAMETER_COUNT,
    SCHEDULER_NAMES,
)

MAX_OPTIONS_BYTES = 16_384
DEFAULT_NEW_ORDER = NEW_ORDERS[0]
DAILY_LIMIT_RANGE = (0, 9999)
"""A deck's own daily limits: Anki's bounds (it keeps its old value above 9999)."""
DAILY_LIMITS = ("new_per_day", "reviews_per_day")


@dataclass(frozen=True)
class DeckOptions:
    scheduler: str = DEFAULT_SCHEDULER
    """"sm2" (the default) or "fsrs"."""
    desired_retention: float = DEFAULT_DESIRED_RETENTION
    """FSRS: the recall the schedule aims for when a card comes due."""
    fsrs_parameters: tuple[float, ...] | None = None
    """FSRS: fitted to the learner's log by the optimizer; None for FSRS-6's defaults."""
    optimized_on: str = ""
    """ISO date of the last fit, shown beside the parameters."""
    optimized_reviews: int = 0
    """How many reviews the last fit learned from ("fitted to your 812 reviews on ...")."""
    new_order: str = DEFAULT_NEW_ORDER
    """How new cards come: "mixed" (kinds interleaved, seeded per day) or "file"."""
    new_per_day: int | None = None
    """This deck's own limit of new cards a day; None follows Settings."""
    reviews_per_day: int | None = None
    """This deck's own limit of reviews a day; None follows Settings."""

    def limits(self, default: Limits) -> Limits:
        """The deck's daily limits: its own where it has them, Settings' otherwise."""
        return Limits(
            default.new_per_day if self.new_per_day is None else self.new_per_day,
            default.reviews_per_day if self.reviews_per_day is None else self.reviews_per_day,
        )

    def to_json(self) -> str:
        data: dict[str, object] = {"scheduler": self.scheduler}
        if self.desired_retention != DEFAULT_DESIRED_RETENTION:
            data["desired_retention"] = self.desired_retention
        if self.fsrs_parameters is not None:
            data["fsrs_parameters"] = list(self.fsrs_parameters)
            data["optimized_on"] = self.optimized_on
            if self.optimized_reviews:
                data["optimized_reviews"] = self.optimized_reviews
        if self.new_order != DEFAULT_NEW_ORDER:
            data["new_order"] = self.new_order
        for name in DAILY_LIMITS:
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        return json.dumps(data, sort_keys=True)


def check_options(options: DeckOptions) -> list[str]:
    """Why these options cannot be stored (empty when they can)."""
    problems = []
    if options.scheduler not in SCHEDULER_NAMES:
        problems.append(
            f"scheduler: {options.scheduler[:40]!r} is not one of {', '.join(SCHEDULER_NAMES)}"
        )
    low, high = DESIRED_RETENTION_RANGE
    r = options.desired_retention
    if isinstance(r, bool) or not isinstance(r, int | float) or not low <= r <= high:
        problems.append(f"desired_retention: {str(r)[:40]} is not a number from {low} to {high}")
    if options.new_order not in NEW_ORDERS:
        problems.append(
            f"new_order: {str(options.new_order)[:40]!r} is not one of {', '.join(NEW_ORDERS)}"
        )
    low, high = DAILY_LIMIT_RANGE
    for name in DAILY_LIMITS:
        limit = getattr(options, name)
        if limit is not None and (type(limit) is not int or not low <= limit <= high):
            problems.append(f"{name}: {str(limit)[:40]} is not a whole number from {low} to {high}")
    params = options.fsrs_parameters
    if params is not None and (
        len(params) != FSRS_PARAMETER_COUNT
        or not all(
            isinstance(p, int | float) and not isinstance(p, bool) and math.isfinite(p)
            for p in params
        )
    ):
        problems.append(f"fsrs_parameters: not {FSRS_PARAMETER_COUNT} finite numbers")
    return problems


def options_from_json(text: str) -> tuple[DeckOptions, list[str]]:
    """The stored options, with a note for each value that had to fall back."""
    if len(text) > MAX_OPTIONS_BYTES:
        return DeckOptions(), ["options: too long; defaults used"]
    try:
        data = json.loads(text or "{}")
    except (ValueError, RecursionError):
        return DeckOptions(), ["options: not JSON; defaults used"]
    if not isinstance(data, dict):
        return DeckOptions(), ["options: not a table; defaults used"]
    options, problems = DeckOptions(), []
    for name, value in (
        ("scheduler", data.get("scheduler", DEFAULT_SCHEDULER)),
        ("desired_retention", data.get("desired_retention", DEFAULT_DESIRED_RETENTION)),
        ("fsrs_parameters", data.get("fsrs_parameters")),
        ("new_order", data.get("new_order", DEFAULT_NEW_ORDER)),
        *((name, data.get(name)) for name in DAILY_LIMITS),
    ):
        if name == "fsrs_parameters" and value is not None:
            value = tuple(value) if isinstance(value, list) else ("bad",)
        candidate = replace(options, **{name: value})
        found = check_options(candidate)
        if found:
            problems += found
        else:
            options = candidate
    optimized = data.get("optimized_on", "")
    if options.fsrs_parameters is not None and isinstance(optimized, str):
        options = replace(options, optimized_on=optimized[:10])
    reviews = data.get("optimized_reviews", 0)
    if options.fsrs_parameters is not None and type(reviews) is int and reviews > 0:
        options = replace(options, optimized_reviews=reviews)
    return options, problems
