"""What the app tells a new learner, and what it remembers about having told them.

Three small facts, kept in the settings table under one key: whether the first-run
welcome was shown, how many answers the learner has graded so far (the grade legend shows
until they have used the grades a few times) and whether rustc's diagnostic block is open
on the answer screen. Each change is an operation (`services.ops`) with no undo step: they
are the app's memory of the learner's first hour, not study data to take back.

The welcome's sampler is a cram sitting over one card of each kind from the shipped decks:
cram leaves the schedule alone, so trying the kinds costs nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from quizapp.core.changes import Changes
from quizapp.core.queue import SessionQueue
from quizapp.core.review import Mode
from quizapp.services import ops, study
from quizapp.services.collection import Collection
from quizapp.storage import repo

KEY = "guidance"
LEGEND_UNTIL = 5
"""The grade legend shows until this many answers were graded."""
SAMPLER_KINDS = ("compiles", "output", "choice", "short", "flashcard")


@dataclass(frozen=True)
class Guidance:
    welcome_shown: bool = False
    grades_used: int = 0
    diagnostic_open: bool = True

    @property
    def show_legend(self) -> bool:
        return self.grades_used < LEGEND_UNTIL


def _from_stored(value: Any) -> Guidance:
    """A damaged or hand-edited value falls back field by field, never crashes."""
    data = value if isinstance(value, dict) else {}
    default = Guidance()
    used = data.get("grades_used", 0)
    return Guidance(
        welcome_shown=data.get("welcome_shown") is True,
        grades_used=used
        if isinstance(used, int) and not isinstance(used, bool) and used >= 0
        else 0,
        diagnostic_open=data.get("diagnostic_open", default.diagnostic_open) is not False,
    )


def read_guidance(col: Collection) -> Guidance:
    with col.db.session() as session:
        return _from_stored(repo.get_setting(KEY, session=session))


def _update(col: Collection, label: str, **values: Any) -> Guidance:
    def write(op: ops.Op) -> Guidance:
        now = replace(_from_stored(repo.get_setting(KEY, session=op.session)), **values)
        repo.put_setting(KEY, asdict(now), session=op.session)
        op.changed(Changes())  # nothing a view draws from; no undo step (no capture)
        return now

    return ops.run(col, label, write)


def mark_welcome_shown(col: Collection) -> Guidance:
    """Writes: the welcome is shown once per collection."""
    return _update(col, "Welcome shown", welcome_shown=True)


def note_grade_used(col: Collection) -> Guidance:
    """Writes (until the legend is gone): one more graded answer."""
    now = read_guidance(col)
    if not now.show_legend:
        return now
    return _update(col, "Grade legend", grades_used=now.grades_used + 1)


def set_diagnostic_open(col: Collection, is_open: bool) -> Guidance:
    """Writes: the diagnostic block stays as the learner left it."""
    return _update(col, "Diagnostic block", diagnostic_open=is_open)


class NothingToSample(Exception):
    """No shipped deck is loaded (a collection of the learner's own decks only)."""


def start_sampler(col: Collection) -> study.Sitting:
    """A cram sitting over one card of each kind, the first of each in the shipped decks."""
    with col.db.session() as session:
        decks = repo.list_decks(session=session)
        shipped = [d.id for d in decks if d.id is not None and d.source.startswith("shipped:")]
        found = repo.first_card_of_each_kind(shipped, session=session)
    uuids = [found[kind] for kind in SAMPLER_KINDS if kind in found]
    if not uuids:
        raise NothingToSample("No shipped deck is loaded, so there is nothing to sample.")
    return study.Sitting(
        deck_uuids=tuple(d.uuid for d in decks if d.id in shipped),
        queue=SessionQueue(pending=tuple(uuids)),
        total=len(uuids),
        mode=Mode.CRAM,
        label="Sampler: one card of each kind",
    )
