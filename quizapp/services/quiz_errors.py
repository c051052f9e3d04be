"""What rustc says about an mdbook-quiz program, in the shape a `compiles` card states it.

A Tracing question that does not compile becomes a `compiles` card only when its errors
are known: codes, the messages of errors without a code ("lifetime may not live long
enough"), and the line the first error blames. Reading a file never compiles its code: the
reader lists those cards in `Bundle.uncompiled` and the preview shows them as the quiz asks
them (which line?). Once the learner has seen the preview and said yes (the window's
consent box, `quizapp import --compile` or its question), `compile_uncompiled` asks the
local rustc, with the same limits and sandbox as every other compile (`quizapp.rustc`),
and gives back the bundle with each card's verdict and codes filled in, and the cards it
could not fill, each with its place in the file and why. Compiling is not running:
nothing from the file is executed. Nothing here writes: the import that follows does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from quizapp import rustc
from quizapp.core.bundle import Bundle
from quizapp.core.mdbook_quiz import RustcErrors, with_rustc_errors
from quizapp.core.model import Card, Kind
from quizapp.core.wording import count as counted
from quizapp.storage import repo
from quizapp.storage.codec import card_from_json

RUSTC_TIMEOUT = 30.0
"""Per program: a quiz's programs are a screen long; one that takes longer is left out."""


def rustc_errors(code: str) -> RustcErrors:
    """rustc's errors for `code`; empty when rustc is missing or the program compiles."""
    try:
        result = rustc.check(code, timeout=RUSTC_TIMEOUT)
    except rustc.RustcError:
        return RustcErrors()
    return _said(result)


def _said(result: rustc.CompileResult) -> RustcErrors:
    if result.success:
        return RustcErrors()
    first = result.primary_lines[0] if result.primary_lines else 0
    return RustcErrors(
        codes=result.error_codes,
        messages=tuple(m.strip() for m in result.uncoded_errors),
        line=first or None,
    )


def compile_consent_text(count: int) -> str:
    """What compiling `count` programs does on this machine, plainly, for a consent question."""
    found = rustc.containment()
    programs = counted(count, "program")
    what = (
        f"quizapp would compile {programs} from this file with your rustc, to learn which "
        "errors rustc gives; it never runs them. The code was written by whoever made the "
        "file, and rustc reads it as it compiles."
    )
    limits = (
        f"at most {RUSTC_TIMEOUT:g} s, {rustc.COMPILE_MEMORY_LIMIT >> 30} GiB of memory and "
        f"{rustc.COMPILE_PROCESS_LIMIT} processes per program"
    )
    if found.sandboxed:
        return (
            f"{what} rustc runs in a sandbox ({found.detail}): no network, your files "
            f"read-only, only its build folder writable; and {limits}."
        )
    return (
        f"{what} There is no sandbox on this computer ({found.detail}): rustc runs as you, "
        f"limited to {limits}."
    )


@dataclass(frozen=True)
class Left:
    """A card rustc could not give an error for, and why."""

    card_uuid: str
    place: str
    """Where its question is in the file (`quiz.toml:12: questions[3]`)."""
    why: str


@dataclass(frozen=True)
class Compiled:
    bundle: Bundle
    """The bundle with every card rustc answered for in its `compiles` form."""
    filled: int
    left: tuple[Left, ...]


Progress = Callable[[int, int], None]


def compile_uncompiled(
    bundle: Bundle,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    timeout: float = RUSTC_TIMEOUT,
) -> Compiled:
    """Ask rustc about each card of `bundle.uncompiled` (only with the learner's go-ahead).

    Slow: call it off the GUI thread. Raises `rustc.Cancelled` when `cancel` is set; every
    other problem (no rustc, a program rustc compiles after all, rustc stopped by its
    limits) leaves that card as the quiz asks it, in `left`, with the reason.
    """
    todo = [c for d in bundle.decks for c in d.cards if c.id in bundle.uncompiled]
    answered: dict[str, Card] = {}
    left: list[Left] = []
    missing: str | None = None
    for done, card in enumerate(todo):
        if progress is not None:
            progress(done, len(todo))
        why = missing
        if why is None:
            try:
                result = rustc.check(card.code, card.edition, timeout=timeout, cancel=cancel)
            except rustc.Cancelled:
                raise
            except rustc.RustcMissing as exc:
                why = missing = str(exc)
            except rustc.RustcTimeout:
                why = f"rustc did not finish within {timeout:g} s"
            except rustc.RustcError as exc:
                why = str(exc)
            else:
                filled = with_rustc_errors(card, _said(result))
                if filled is not None:
                    answered[card.id] = filled
                    continue
                why = (
                    "rustc compiles it, though the quiz says it does not"
                    if result.success
                    else "rustc rejected it without naming an error"
                )
        left.append(Left(card.id, bundle.uncompiled[card.id], why))
    if progress is not None:
        progress(len(todo), len(todo))
    decks = tuple(
        replace(d, cards=tuple(answered.get(c.id, c) for c in d.cards)) for d in bundle.decks
    )
    still = {k: v for k, v in bundle.uncompiled.items() if k not in answered}
    return Compiled(
        bundle=replace(bundle, decks=decks, uncompiled=still, validated=False),
        filled=len(answered),
        left=tuple(left),
    )


def known_verdicts(session: Any, bundle: Bundle) -> Bundle:
    """`bundle` with each uncompiled card rustc already answered for, on an earlier import
    of the same program, in that `compiles` form: re-importing a quiz without compiling
    again must not turn its compiled cards back into line questions."""
    if not bundle.uncompiled:
        return bundle
    stored = repo.get_cards_by_uuid(list(bundle.uncompiled), session=session)
    known: dict[str, Card] = {}
    for deck in bundle.decks:
        for card in deck.cards:
            row = stored.get(card.id)
            if row is None:
                continue
            before = card_from_json(row.content)
            if before.kind is not Kind.COMPILES or before.compiles is not False:
                continue
            if (before.code, before.edition) != (card.code, card.edition):
                continue
            said = RustcErrors(codes=before.errors, messages=before.messages, line=before.line)
            filled = with_rustc_errors(card, said)
            if filled is not None:
                known[card.id] = filled
    if not known:
        return bundle
    decks = tuple(
        replace(d, cards=tuple(known.get(c.id, c) for c in d.cards)) for d in bundle.decks
    )
    still = {k: v for k, v in bundle.uncompiled.items() if k not in known}
    return replace(bundle, decks=decks, uncompiled=still, validated=False)


def left_lines(compiled: Compiled | None, bundle: Bundle, most: int = 10) -> list[str]:
    """Which cards are left without rustc's error, one line each, for the CLI and the window.

    Before any compile (`compiled` None) every uncompiled card is listed, without a reason.
    """
    if compiled is not None:
        items = [f"{x.place}: {x.why}" for x in compiled.left]
    else:
        items = list(bundle.uncompiled.values())
    lines = items[:most]
    if len(items) > most:
        lines.append(f"... and {len(items) - most} more")
    return lines
