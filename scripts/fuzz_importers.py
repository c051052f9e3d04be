#!/usr/bin/env python3
"""Coverage-guided fuzzing of every importer with atheris (libFuzzer for Python).

    pip install -e '.[fuzz]'
    python scripts/fuzz_importers.py TARGET -atheris_runs=20000 -max_len=8192 \\
        tests/data/fuzz/TARGET

(or `QUIZAPP_FUZZ_TARGET=TARGET scripts/fuzz_importers.py ...`, which libFuzzer's `-merge=1`
needs: it runs the script again with only its own options). TARGET is one of `deckfile`, `csv`, `mdbook`, `apkg`, `anki-db`, `progress`. Each feeds the
bytes to the importer the app uses for that format, through a real file where the importer
reads one. `anki-db` fuzzes the SQLite collection inside a well-formed package (most
mutations of a whole `.apkg` stop at the zip's checksums, before SQLite). The
property: the importer returns its result, or refuses with its own error (`ImportFailed`,
`DeckFileError`) whose message starts with the file's name. Any other exception, or a
message naming something else, is a crash: libFuzzer saves the input as `crash-*`.

The corpus of each target lives in `tests/data/fuzz/<target>/`, and
`tests/robustness/test_fuzz_corpus.py` replays every file there (crashers included, once
fixed) through `check` below, so what a campaign found stays found. docs/security.md has the
figures of the last campaign.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

TARGETS = ("deckfile", "csv", "mdbook", "apkg", "anki-db", "progress")
SOURCE = "fuzzed"
_WORK = Path(tempfile.mkdtemp(prefix="quizapp-fuzz-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)  # the suite imports this too


def _deckfile(data: bytes) -> None:
    from quizapp.core.deckfile import DeckFileError, parse_deck_bytes

    try:
        parse_deck_bytes(data, SOURCE)
    except DeckFileError as exc:
        _names_the_file(str(exc), SOURCE)


def _through_file(suffix: str, data: bytes) -> None:
    from quizapp.core.bundle import ImportFailed
    from quizapp.services.importers import read_bundle

    path = _WORK / f"{SOURCE}{suffix}"
    path.write_bytes(data)
    try:
        read_bundle(path)
    except ImportFailed as exc:
        _names_the_file(str(exc), str(path))


def _csv(data: bytes) -> None:
    _through_file(".csv", data)  # the CSV reader sniffs tab-separated text too


def _mdbook(data: bytes) -> None:
    # The parser itself: the reader would also ask rustc for error codes, which is slow
    # and is the compiler's business (tested in tests/rustc), not the parser's.
    from quizapp.core.bundle import ImportFailed
    from quizapp.core.mdbook_quiz import parse_mdbook_quiz

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the reader refuses such bytes before the parser (services.importers)
    try:
        parse_mdbook_quiz(text, SOURCE, name="quiz")
    except ImportFailed as exc:
        _names_the_file(str(exc), SOURCE)


def _apkg(data: bytes) -> None:
    _through_file(".apkg", data)


def _anki_db(data: bytes) -> None:
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki2", data)
    _through_file(".apkg", packed.getvalue())


def _progress(data: bytes) -> None:
    from quizapp.core.bundle import ImportFailed
    from quizapp.core.progressfile import parse_progress

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # read_text refuses these first (services.importers)
    try:
        parse_progress(text, SOURCE)
    except ImportFailed as exc:
        _names_the_file(str(exc), SOURCE)


def _names_the_file(message: str, source: str) -> None:
    if not all(line.startswith(source) for line in message.splitlines()):
        raise AssertionError(f"a refusal that does not name the file: {message[:300]!r}")


CHECKS: dict[str, Callable[[bytes], None]] = {
    "deckfile": _deckfile,
    "csv": _csv,
    "mdbook": _mdbook,
    "apkg": _apkg,
    "anki-db": _anki_db,
    "progress": _progress,
}


def check(target: str, data: bytes) -> None:
    """One input through one importer; raises only if the property does not hold."""
    CHECKS[target](data)


def main() -> None:
    import atheris

    if len(sys.argv) > 1 and sys.argv[1] in TARGETS:
        target = sys.argv.pop(1)
    elif os.environ.get("QUIZAPP_FUZZ_TARGET") in TARGETS:
        target = os.environ["QUIZAPP_FUZZ_TARGET"]
    else:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [corpus]")
    with atheris.instrument_imports():
        import quizapp.adapters.apkg
        import quizapp.core.anki.reader
        import quizapp.core.csv_import
        import quizapp.core.deckfile
        import quizapp.core.mdbook_quiz
        import quizapp.core.progressfile
        import quizapp.services.importers  # noqa: F401
    atheris.Setup(sys.argv, lambda data: check(target, data))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
