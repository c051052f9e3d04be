"""Coverage-guided fuzzing of the deck parser with atheris (libFuzzer for Python).

    pip install -e '.[fuzz]'
    python scripts/fuzz_deckfile.py -atheris_runs=200000 tests/data  # seeds: any deck files

The property: any bytes either parse to a `Deck` or raise `DeckFileError` whose message
starts with the file name. Anything else is a crash atheris reports with the input.
See docs/fuzzing.md for what runs found.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from quizapp.core.deckfile import DeckFileError, parse_deck_bytes


def one_input(data: bytes) -> None:
    try:
        parse_deck_bytes(data, "fuzzed.toml")
    except DeckFileError as exc:
        if not str(exc).startswith("fuzzed.toml"):
            raise AssertionError(f"error does not name the file: {exc}") from exc


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
