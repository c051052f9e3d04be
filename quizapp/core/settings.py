"""The learner's preferences, declared once.

Each setting is one `Spec`: its type, default, allowed values, label and description. The
settings dialog builds its rows from these, the validation of stored or typed values
reads their ranges, `quizapp settings` lists and sets them, and docs/settings.md is
written from them (`scripts/settings_doc.py`; a test fails when the page is stale). This
is qutebrowser's `configdata.yml` idea: nothing about a setting is said twice, so the
dialog cannot offer a value the validation refuses.

A hand-edited or damaged stored value never crashes the app: it falls back to the
default with a warning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    """As the settings dialog shows it."""
    description: str
    default: int | str
    low: int = 0
    high: int = 0
    """Inclusive bounds of a whole-number setting."""
    choices: tuple[str, ...] = ()
    """The values of a setting that is one of a few words."""
    suffix: str = ""
    """Shown after the number in the dialog (":00" for an hour)."""

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)

    def check(self, value: object) -> str | None:
        """Why `value` is not allowed, or None when it is."""
        if self.is_choice:
            if value in self.choices:
                return None
            return f"{self.name}: {_short(value)} is not one of {', '.join(self.choices)}"
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        ):
            return None
        return f"{self.name}: {_short(value)} is not a whole number from {self.low} to {self.high}"

    def parse(self, text: str) -> int | str:
        """A value typed on the command line; raises ValueError saying what is allowed."""
        value: int | str = text.strip()
        if not self.is_choice:
            try:
                value = int(text)
            except ValueError:
                value = text
        problem = self.check(value)
        if problem:
            raise ValueError(problem)
        return value


SPECS: tuple[Spec, ...] = (
    Spec(
        "new_per_day",
        "New cards per day, per deck",
        "How many cards you have never seen each deck brings into a day's study.",
        20,
        0,
        9999,
    ),
    Spec(
        "reviews_per_day",
        "Reviews per day, per deck",
        "The most due reviews each deck brings into a day's study; the rest wait a day.",
        200,
        0,
        99999,
    ),
    Spec(
        "day_start_hour",
        "A new day starts at",
        "The hour (local time) at which a new study day begins, as in Anki: a review "
        "after midnight but before this hour still counts for the evening before.",
        4,
        0,
        23,
        suffix=":00",
    ),
    Spec(
        "theme",
        "Theme",
        "Light or dark colours, or whatever the system uses.",
        "system",
        choices=THEMES,
    ),
    Spec(
        "max_interval",
        "Longest interval (days)",
        "No card is scheduled further ahead than this many days (SM-2's cap).",
        36500,
        1,
        36500,
    ),
)
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}


@dataclass(frozen=True)
class Settings:
    """The values in force; the defaults are the specs' (a test keeps the two equal)."""

    new_per_day: int = 20
    reviews_per_day: int = 200
    day_start_hour: int = 4
    theme: str = "system"
    max_interval: int = 36500

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def settings_from_dict(data: object) -> tuple[Settings, list[str]]:
    """Settings from stored data, and a note for every value that had to fall back."""
    if not isinstance(data, dict):
        return Settings(), [] if data is None else ["settings were not a table; defaults used"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        problem = SPEC_BY_NAME[f.name].check(data[f.name])
        if problem:
            problems.append(problem)
        else:
            values[f.name] = data[f.name]
    return Settings(**values), problems


def validate_settings(settings: Settings) -> list[str]:
    return settings_from_dict(settings.to_dict())[1]


def _short(value: object, width: int = 40) -> str:
    """A bad value as an error may echo it: never more than a short excerpt."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"
