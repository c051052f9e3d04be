"""Try it: compile or run a learner's edit of a code card's snippet with the local rustc.

After answering, a learner often wants to poke the snippet: fix the borrow error, add a
`println!`, see what rustc says then. This is that use case, headless, so the window stays a
thin dialog. It reads nothing but the card's deck and writes nothing at all.

Running is running code on the learner's machine. A shipped deck's snippets were written and
reviewed with quizapp; a deck someone imported was written by someone else, so the dialog
asks first and says so (`deck_is_shipped`), and says how the run is contained here
(`containment_text`): in bubblewrap's sandbox, or, where there is none, only under limits.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass

from quizapp import rustc
from quizapp.core.sources import SHIPPED_PREFIX
from quizapp.rustc import CompileResult, RunResult
from quizapp.services.collection import Collection
from quizapp.storage import repo
from quizapp.storage.tables import DeckRow

RUN_TIMEOUT = rustc.DEFAULT_RUN_TIMEOUT


def rustc_available() -> bool:
    """Whether Try it can be offered: a rustc on the PATH (checked now, not at start-up)."""
    return shutil.which("rustc") is not None


def containment_text(timeout: float = RUN_TIMEOUT) -> str:
    """What a run may do on this machine, plainly, for a consent question.

    Asks `rustc.containment()` (the first time it starts a trial sandbox: ~0.1 s).
    """
    found = rustc.containment()
    limits = (
        f"a {timeout:g} s timeout, {rustc.MEMORY_LIMIT >> 30} GiB of memory, files up to "
        f"{rustc.FILE_SIZE_LIMIT >> 20} MiB, at most {rustc.PROCESS_LIMIT} processes, "
        "no input and capped output"
    )
    if found.sandboxed:
        return (
            f"It runs in a sandbox ({found.detail}): no network, your files read-only and "
            f"your home folder hidden, a private {rustc.WRITABLE_LIMIT >> 20} MiB folder to "
            f"write in, nothing left running afterwards; and {limits}."
        )
    hint = " Install bubblewrap to run it in a sandbox." if "not installed" in found.detail else ""
    return (
        f"There is no sandbox on this computer ({found.detail}). The program runs as you: "
        f"it can read and change your files and use the network. quizapp only limits it: "
        f"{limits}.{hint}"
    )


def deck_is_shipped(col: Collection, card_uuid: str) -> bool:
    """Whether the card's deck came with quizapp (rather than from a file someone gave us)."""
    with col.db.session() as session:
        found = repo.get_cards_by_uuid([card_uuid], session=session).get(card_uuid)
        # A retired card is one its deck's file no longer holds: not the deck's, not trusted.
        deck = (
            session.get(DeckRow, found.deck_id) if found is not None and not found.retired else None
        )
        return deck is not None and deck.source.startswith(SHIPPED_PREFIX)


@dataclass(frozen=True)
class Tried:
    """What rustc (and the program, when run) did with the learner's code."""

    rustc: str
    """`rustc --version` of the compiler that answered."""
    compile: CompileResult
    run: RunResult | None = None
    """None when only compiled, or when it did not compile."""


def compile_snippet(
    code: str, edition: str = "2021", *, cancel: threading.Event | None = None
) -> Tried:
    """rustc's verdict on `code` as a binary crate. Slow: call it off the GUI thread.

    Raises `rustc.RustcError` (missing, timed out, `Cancelled`) for problems that are the
    environment's, not the snippet's.
    """
    version = rustc.rustc_version()
    return Tried(version, rustc.check(code, edition, cancel=cancel))


def run_snippet(
    code: str,
    edition: str = "2021",
    *,
    cancel: threading.Event | None = None,
    timeout: float = RUN_TIMEOUT,
) -> Tried:
    """Compile `code` and, if it compiled, run it once in an empty temporary folder.

    Only with the learner's consent: this runs the code. Raises as `compile_snippet`.
    """
    version = rustc.rustc_version()
    done = rustc.run(code, edition, timeout=timeout, cancel=cancel)
    return Tried(version, done.compile, done.run)


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended, in words, and whether that is the good ending."""

    text: str
    ok: bool


def describe_run(ran: rustc.RunResult, timeout: float = RUN_TIMEOUT) -> RunOutcome:
    if ran.timed_out:
        return RunOutcome(f"stopped: it did not finish within {timeout:g} s", False)
    if ran.truncated:
        return RunOutcome(f"stopped: it printed more than {rustc.OUTPUT_CAP >> 20} MiB", False)
    if ran.panicked:
        return RunOutcome(f"it panicked (exit status {ran.exit_code})", False)
    if ran.exit_code is not None and ran.exit_code < 0:
        return RunOutcome(f"killed by signal {-ran.exit_code}", False)
    return RunOutcome(f"exit status {ran.exit_code}", ran.exit_code == 0)
