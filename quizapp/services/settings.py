"""Changing the learner's settings: an operation like any other write."""

from __future__ import annotations

from quizapp.core.changes import Changes
from quizapp.core.settings import SPEC_BY_NAME, Settings, validate_settings
from quizapp.services import ops
from quizapp.services.collection import Collection
from quizapp.storage import repo


def save_settings(col: Collection, settings: Settings) -> Settings:
    """Validate and store; refuses invalid values instead of storing them."""
    problems = validate_settings(settings)
    if problems:
        raise ValueError("; ".join(problems))

    def write(op: ops.Op) -> Settings:
        repo.put_setting("settings", settings.to_dict(), session=op.session)
        op.changed(Changes(settings=True))
        return settings

    ops.run(col, "Change settings", write)
    col.settings = settings
    return settings


def set_setting(col: Collection, name: str, text: str) -> Settings:
    """`quizapp settings set NAME VALUE`: one value, parsed and checked by its spec."""
    spec = SPEC_BY_NAME.get(name)
    if spec is None:
        raise ValueError(f"no setting named {name!r}; `quizapp settings` lists them")
    values = {**col.settings.to_dict(), name: spec.parse(text)}
    return save_settings(col, Settings(**values))
