"""Grading a fix card's attempt: rustc compiles (and, when asked, runs) the learner's edit.

The window calls `try_fix` on a worker thread (it is slow) and hands the `FixAttempt` to
core grading, which stays pure. Running needs the same consent as Try it for decks that
did not ship with quizapp (`tryit.deck_is_shipped`); without a run the attempt says so, and
the learner judges the output themselves.
"""

from __future__ import annotations

import threading

from quizapp.core.grading import FixAttempt
from quizapp.core.model import Card
from quizapp.services import tryit


def try_fix(
    card: Card, code: str, *, run: bool, cancel: threading.Event | None = None
) -> FixAttempt:
    """rustc's verdict on `code` as a fix of `card`. Raises `rustc.RustcError` as Try it does."""
    if run and card.stdout is not None:
        tried = tryit.run_snippet(code, card.edition, cancel=cancel)
    else:
        tried = tryit.compile_snippet(code, card.edition, cancel=cancel)
    ran = tried.run
    return FixAttempt(
        compiled=tried.compile.success,
        diagnostic="" if tried.compile.success else tried.compile.diagnostic,
        ran=ran is not None,
        stdout=ran.stdout if ran is not None else "",
        run_ok=ran is None or tryit.describe_run(ran).ok,
        rustc=tried.rustc,
    )
