"""A learner's progress on its own, as a JSON file: for moving to another machine.

The file is keyed by card UUID, so it applies to any collection holding the same decks::

    {"format": "quizapp-progress", "version": 1, "exported_at": "2026-11-24T11:00:00+00:00",
     "cards": {"<card uuid>": {"repetitions": 2, "easiness_hundredths": 260, "interval": 6,
                               "due": "2026-11-30", "lapses": 0, "reviews": 2,
                               "suspended": false, "log": [{...one review...}]}}}

Easiness is in whole hundredths (as stored; SM-2 moves it in steps of 0.02) and days are
ISO dates rather than the database's ordinals. The file is checked whole against the
schema below before anything is used, and a problem is reported with its JSON path. Every
number has a bound (`core.bundle`), NaN and infinities are refused, card ids are compared in
lower case (a file naming one card twice is refused), and one bad record refuses the file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction
from functools import cache
from typing import Any

from quizapp.core.bundle import (
    FIRST_DAY,
    LAST_DAY,
    MAX_COUNT,
    MAX_INTERVAL,
    MAX_SECONDS,
    CardProgress,
    ImportFailed,
    day_problem,
    progress_problem,
)
from quizapp.core.deckfile import too_deep
from quizapp.core.sm2 import MIN_EASINESS, Sm2State

FORMAT = "quizapp-progress"
VERSION = 1
MAX_PROGRESS_FILE_BYTES = 256 * 1024 * 1024
"""Years of daily reviews over 100,000 cards stay well under this."""


@dataclass(frozen=True)
class LoggedReview:
    """One row of the review log, without database ids."""

    reviewed_at: datetime
    study_day: date
    kind: str
    quality: int
    repetitions_before: int
    repetitions_after: int
    easiness_before: int
    easiness_after: int
    interval_before: int
    interval_after: int
    due_before: date | None = None
    due_after: date | None = None
    answer: str = ""
    correct: bool | None = None
    seconds: float = 0.0

    @property
    def key(self) -> tuple[str, str, int]:
        """What makes two log rows the same review: merging skips rows already present."""
        return (self.reviewed_at.astimezone(UTC).isoformat(), self.kind, self.quality)


@dataclass(frozen=True)
class CardRecord:
    progress: CardProgress
    log: tuple[LoggedReview, ...] = ()


def progress_to_json(cards: dict[str, CardRecord], exported_at: datetime) -> str:
    body = {uuid: _record_data(record) for uuid, record in sorted(cards.items())}
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.astimezone(UTC).isoformat(),
        "cards": body,
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _record_data(record: CardRecord) -> dict[str, Any]:
    p = record.progress
    return {
        "repetitions": p.state.repetitions,
        "easiness_hundredths": int(p.state.easiness * 100),
        "interval": p.state.interval,
        "due": _day(p.due),
        "lapses": p.lapses,
        "reviews": p.reviews,
        "suspended": p.suspended,
        "log": [_review_data(r) for r in record.log],
    }


def _review_data(r: LoggedReview) -> dict[str, Any]:
    return {
        "reviewed_at": r.reviewed_at.astimezone(UTC).isoformat(),
        "study_day": r.study_day.isoformat(),
        "kind": r.kind,
        "quality": r.quality,
        "correct": r.correct,
        "answer": r.answer,
        "repetitions_before": r.repetitions_before,
        "repetitions_after": r.repetitions_after,
        "easiness_before": r.easiness_before,
        "easiness_after": r.easiness_after,
        "interval_before": r.interval_before,
        "interval_after": r.interval_after,
        "due_before": _day(r.due_before),
        "due_after": _day(r.due_after),
        "seconds": r.seconds,
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def parse_progress(text: str, source: str) -> dict[str, CardRecord]:
    """Every card's record, or `ImportFailed` naming the file and the JSON path at fault."""
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{source}:{exc.lineno}: not a quizapp progress file (not JSON: {exc.msg})"
        ) from exc
    except _NotFinite as exc:
        raise ImportFailed(f"{source}: {exc}: numbers must be finite") from exc
    except RecursionError as exc:
        raise ImportFailed(
            f"{source}: not a quizapp progress file (JSON nested too deeply to read)"
        ) from exc
    if too_deep(data, 8):  # a progress file nests five deep: cards, card, log, review
        raise ImportFailed(f"{source}: not a quizapp progress file (JSON nested too deeply)")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFailed(f'{source}: not a quizapp progress file (no "format": "{FORMAT}")')
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ImportFailed(
            "\n".join(f"{source}: {_path(e.absolute_path)}: {e.message}" for e in errors[:20])
        )
    out: dict[str, CardRecord] = {}
    spelled: dict[str, str] = {}
    for uuid, item in data["cards"].items():
        place = f"cards[{uuid!r}]"
        key = uuid.lower()
        if key in spelled:
            raise ImportFailed(
                f"{source}: {place}: the same card as cards[{spelled[key]!r}] (ids are not "
                "case-sensitive)"
            )
        spelled[key] = uuid
        try:
            out[key] = _record(item, place)
        except (ValueError, OverflowError) as exc:
            raise ImportFailed(f"{source}: {exc}") from exc
    return out


class _NotFinite(ValueError):
    pass


def _no_constant(name: str) -> float:
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def _record(item: dict[str, Any], place: str) -> CardRecord:
    try:
        state = Sm2State(
            repetitions=item["repetitions"],
            easiness=Fraction(item["easiness_hundredths"], 100),
            interval=item["interval"],
        )
    except ValueError as exc:
        raise ValueError(f"{place}: {exc}") from exc
    log = []
    for i, row in enumerate(item["log"]):
        try:
            log.append(_review(row))
        except ValueError as exc:
            raise ValueError(f"{place}.log[{i}]: {exc}") from exc
    progress = CardProgress(
        state=state,
        due=_parse_day(item["due"], f"{place}.due"),
        lapses=item["lapses"],
        reviews=item["reviews"],
        suspended=item["suspended"],
    )
    if (problem := progress_problem(progress)) is not None:
        raise ValueError(f"{place}: {problem}")
    return CardRecord(progress=progress, log=tuple(log))


def _review(row: dict[str, Any]) -> LoggedReview:
    try:
        at = datetime.fromisoformat(row["reviewed_at"])
    except ValueError as exc:
        raise ValueError(f"reviewed_at: {row['reviewed_at']!r} is not a date and time") from exc
    if at.tzinfo is None:
        raise ValueError("reviewed_at: needs a time zone")
    if not FIRST_DAY <= at.date() <= LAST_DAY:
        raise ValueError(f"reviewed_at: {at.date()} is out of range ({FIRST_DAY} to {LAST_DAY})")
    study_day = _parse_day(row["study_day"], "study_day")
    due_before = _parse_day(row.get("due_before"), "due_before")
    due_after = _parse_day(row.get("due_after"), "due_after")
    for name, day in (
        ("study_day", study_day),
        ("due_before", due_before),
        ("due_after", due_after),
    ):
        if (problem := day_problem(day, name)) is not None:
            raise ValueError(problem)
    assert study_day is not None  # required by the schema
    return LoggedReview(
        reviewed_at=at.astimezone(UTC),
        study_day=study_day,
        kind=row["kind"],
        quality=row["quality"],
        correct=row.get("correct"),
        answer=row.get("answer", ""),
        repetitions_before=row["repetitions_before"],
        repetitions_after=row["repetitions_after"],
        easiness_before=row["easiness_before"],
        easiness_after=row["easiness_after"],
        interval_before=row["interval_before"],
        interval_after=row["interval_after"],
        due_before=due_before,
        due_after=due_after,
        seconds=float(row.get("seconds", 0.0)),
    )


def _parse_day(value: str | None, place: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{place}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _path(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


_COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
_DAYS = {"type": "integer", "minimum": 0, "maximum": MAX_INTERVAL}
_DAY = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_EASINESS = {"type": "integer", "minimum": int(MIN_EASINESS * 100), "maximum": 100_000}
_REVIEW = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "reviewed_at",
        "study_day",
        "kind",
        "quality",
        "repetitions_before",
        "repetitions_after",
        "easiness_before",
        "easiness_after",
        "interval_before",
        "interval_after",
    ],
    "properties": {
        "reviewed_at": {"type": "string", "minLength": 10},
        "study_day": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "kind": {"enum": ["new", "review", "drill"]},
        "quality": {"type": "integer", "minimum": 0, "maximum": 5},
        "correct": {"type": ["boolean", "null"]},
        "answer": {"type": "string", "maxLength": 100_000},
        "repetitions_before": _COUNT,
        "repetitions_after": _COUNT,
        "easiness_before": _EASINESS,
        "easiness_after": _EASINESS,
        "interval_before": _DAYS,
        "interval_after": _DAYS,
        "due_before": _DAY,
        "due_after": _DAY,
        "seconds": {"type": "number", "minimum": 0, "maximum": MAX_SECONDS},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["format", "version", "cards"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "exported_at": {"type": "string"},
        "cards": {
            "type": "object",
            "propertyNames": {
                "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
            },
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "repetitions",
                    "easiness_hundredths",
                    "interval",
                    "due",
                    "lapses",
                    "reviews",
                    "suspended",
                    "log",
                ],
                "properties": {
                    "repetitions": _COUNT,
                    "easiness_hundredths": _EASINESS,
                    "interval": _DAYS,
                    "due": _DAY,
                    "lapses": _COUNT,
                    "reviews": _COUNT,
                    "suspended": {"type": "boolean"},
                    "log": {"type": "array", "items": _REVIEW},
                },
            },
        },
    },
}


@cache
def _validator() -> Any:
    """Built on first use: jsonschema costs 60 ms to import, and start-up needs none of it."""
    import jsonschema

    return jsonschema.Draft202012Validator(SCHEMA)
