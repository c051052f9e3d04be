"""Where quizapp's files are: the ones it ships (installed or in a checkout) and the learner's.

A wheel carries `decks/`, `resources/` and the deck schema inside the package
(`quizapp/_data/`, see pyproject.toml); a checkout or editable install has them at the top of
the repository. Both layouts must work, so lookups try the packaged copy first.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
_CHECKOUT = _PACKAGE.parent


def _shipped(packaged: str, checkout: str) -> Path:
    inside = _PACKAGE / "_data" / packaged
    return inside if inside.exists() else _CHECKOUT / checkout


def shipped_decks_dir() -> Path:
    return _shipped("decks", "decks")


def resources_dir() -> Path:
    return _shipped("resources", "resources")


def data_dir_from(cli_value: str | None = None) -> Path:
    """--data-dir wins, then $QUIZAPP_DATA_DIR, then the platform's user data directory."""
    from platformdirs import user_data_dir

    chosen = (
        cli_value or os.environ.get("QUIZAPP_DATA_DIR") or user_data_dir("quizapp", appauthor=False)
    )
    return Path(chosen).expanduser()
