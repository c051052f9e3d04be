"""rustc's error codes with a title and their `rustc --explain` text, without rustc.

The study page's error picker completes over these ("E0382 borrow of moved value"), and
after answering the learner can read a code's explanation. Both must work on a machine
with no Rust installed, so the index is data generated from rustc by
`scripts/error_index.py` and shipped in `resources/`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from quizapp.adapters.paths import resources_dir

INDEX_FILE = "rustc-error-index.json"


@dataclass(frozen=True)
class ErrorCode:
    code: str
    title: str
    emitted: bool
    """False for codes today's rustc no longer emits; the picker leaves them out."""

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"


@dataclass(frozen=True)
class ErrorIndex:
    rustc: str
    codes: tuple[ErrorCode, ...]
    explanations: dict[str, str]

    def explain(self, code: str) -> str | None:
        return self.explanations.get(code)


@cache
def error_index() -> ErrorIndex:
    """The shipped index, read once; an empty one when the file is missing or broken."""
    try:
        data = json.loads((resources_dir() / INDEX_FILE).read_text(encoding="utf-8"))
        entries = data["codes"]
        codes = tuple(
            ErrorCode(code, str(e["title"]), bool(e["emitted"]))
            for code, e in sorted(entries.items())
        )
        return ErrorIndex(
            str(data["rustc"]), codes, {c: str(e["explain"]) for c, e in entries.items()}
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ErrorIndex("", (), {})
