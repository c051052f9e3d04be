"""How every command prints: outside text never reaches the terminal as control codes.

Kept apart from `cli.common` so that printing costs no import of the collection's modules
(`verify` runs without a collection).
"""

from __future__ import annotations

import sys
from typing import TextIO

from quizapp.core.shown import visible


def say(text: object = "", *, file: TextIO | None = None) -> None:
    """`print` for every command: outside text never reaches the terminal as control codes.

    Line breaks are kept (the lines are the command's own); every other control character
    (ESC, OSC sequences, bidi overrides) prints as a visible escape such as `\\x1b`.
    """
    print(visible(str(text), keep_newlines=True), file=file or sys.stdout)
