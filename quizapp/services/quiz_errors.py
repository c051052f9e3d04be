"""What rustc says about an mdbook-quiz program, in the shape a `compiles` card states it.

A Tracing question that does not compile becomes a `compiles` card only when its errors
are known: codes, the messages of errors without a code ("lifetime may not live long
enough"), and the line the first error blames. Reading a file never compiles its code (the
importer passes no `error_codes`); a caller that has the learner's go-ahead passes
`rustc_errors` to `mdbook_quiz.quiz_to_deck`. Compiling is not running: nothing from the
file is executed.
"""

from __future__ import annotations

from quizapp import rustc
from quizapp.core.mdbook_quiz import RustcErrors

RUSTC_TIMEOUT = 30.0
"""Per program."""


def rustc_errors(code: str) -> RustcErrors:
    """rustc's errors for `code`; empty when rustc is missing or the program compiles."""
    try:
        result = rustc.check(code, timeout=RUSTC_TIMEOUT)
    except rustc.RustcError:
        return RustcErrors()
    if result.success:
        return RustcErrors()
    first = result.primary_lines[0] if result.primary_lines else 0
    return RustcErrors(
        codes=result.error_codes,
        messages=tuple(m.strip() for m in result.uncoded_errors),
        line=first or None,
    )
