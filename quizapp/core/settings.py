"""The learner's preferences, validated: a hand-edited or damaged value never crashes the app."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Settings:
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_start_hour: int = 4
    theme: str = "system"
    max_interval: int = 36500

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_RANGES = {
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "day_start_hour": (0, 23),
    "max_interval": (1, 36500),
}


def settings_from_dict(data: object) -> tuple[Settings, list[str]]:
    """Settings from stored data, and a note for every value that had to fall back."""
    if not isinstance(data, dict):
        return Settings(), [] if data is None else ["settings were not a table; defaults used"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "theme":
            if value in THEMES:
                values[f.name] = value
            else:
                problems.append(f"theme: {value!r} is not one of {', '.join(THEMES)}")
            continue
        low, high = _RANGES[f.name]
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            values[f.name] = value
        else:
            problems.append(f"{f.name}: {value!r} is not a whole number from {low} to {high}")
    return Settings(**values), problems


def validate_settings(settings: Settings) -> list[str]:
    return settings_from_dict(settings.to_dict())[1]
