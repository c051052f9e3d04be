"""Which reader or writer handles a file: plain dicts by extension, so a format plugs in.

A reader turns a file into a `Bundle` (or raises `ImportFailed` naming the file and the
place); a writer puts a `Bundle` into a file. Adding a format is one entry in each dict,
e.g. `READERS[".apkg"] = read_apkg` from the Anki module. `.toml` looks at the content:
a quizapp deck, or an mdbook-quiz file (`[[questions]]`).

The window imports this module at start-up (its File menu lists the formats), so each
format's module (Anki, CSV, mdbook-quiz, the deck writer) is imported by its reader or
writer when a file of that format is used, not here: that keeps ~0.1 s off every start.

A deck the deck-file reader has parsed has passed the deck-file rules; it is remembered
(`was_checked`) so `services.exchange` does not validate its 10,000 cards a second time.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.deckfile import MAX_DECK_FILE_BYTES
from quizapp.core.model import Deck

Reader = Callable[[Path], Bundle]
Writer = Callable[[Bundle, Path], None]

RUSTC_TIMEOUT = 30.0
"""Per program, when asking rustc for an mdbook-quiz question's error codes."""


_CHECKED: weakref.WeakValueDictionary[int, Deck] = weakref.WeakValueDictionary()


def mark_checked(deck: Deck) -> Deck:
    """Remember that `deck` passed the deck-file rules (it is immutable, so it stays valid)."""
    _CHECKED[id(deck)] = deck
    return deck


def was_checked(deck: Deck) -> bool:
    """Whether this very deck object passed the deck-file rules when its file was read."""
    return _CHECKED.get(id(deck)) is deck


def read_toml(path: Path) -> Bundle:
    """A quizapp deck or an mdbook-quiz file, parsed once and validated once."""
    import tomli  # the mypyc-compiled twin of tomllib, ~3x faster on big decks

    from quizapp.core.deckfile import (
        DeckFileError,
        deck_from_data,
        parse_deck_text,
        validate_deck_data,
    )
    from quizapp.core.mdbook_quiz import is_mdbook_quiz, quiz_to_deck

    text = read_text(path)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        data = {}
    if is_mdbook_quiz(data):
        deck = quiz_to_deck(data, text, str(path), name=path.stem, error_codes=rustc_error_codes)
        return Bundle(decks=(deck,), source=str(path))
    try:
        if data and not validate_deck_data(data):
            deck = deck_from_data(data)
        else:  # parsed again only to report each problem with its line
            deck = parse_deck_text(text, str(path))
    except DeckFileError as exc:
        raise ImportFailed(str(exc)) from exc
    return Bundle(decks=(mark_checked(deck),), source=str(path))


def read_csv(path: Path) -> Bundle:
    from quizapp.core.csv_import import parse_csv

    delimiter = "\t" if path.suffix.lower() == ".tsv" else None
    deck = parse_csv(read_text(path), str(path), name=path.stem, delimiter=delimiter)
    return Bundle(decks=(deck,), source=str(path))


def read_apkg(path: Path) -> Bundle:
    """Anki: scheduling is always read; `apply_import(with_progress=...)` decides its use."""
    from quizapp.core.anki import read_apkg as read

    return read(path, with_progress=True)


def write_toml(bundle: Bundle, path: Path) -> None:
    from quizapp.core.deckwriter import write_deck

    if len(bundle.decks) != 1:
        raise ValueError("a deck file holds exactly one deck")
    write_atomically(path, write_deck(bundle.decks[0]).encode("utf-8"))


def write_apkg(bundle: Bundle, path: Path) -> None:
    from quizapp.core.anki import write_apkg as write

    write(bundle, path)


READERS: dict[str, Reader] = {
    ".toml": read_toml,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".apkg": read_apkg,
}
WRITERS: dict[str, Writer] = {".toml": write_toml, ".apkg": write_apkg}


def read_bundle(path: Path) -> Bundle:
    """The file's decks, by the reader its extension names."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ImportFailed(
            f"{path}: quizapp cannot import {path.suffix or 'files without an extension'!s} "
            f"files; it reads {', '.join(sorted(READERS))}"
        )
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    return reader(path)


def writer_for(path: Path) -> Writer:
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(
            f"{path}: quizapp cannot export to {path.suffix or 'a file without an extension'}; "
            f"it writes {', '.join(sorted(WRITERS))}"
        )
    return writer


def rustc_error_codes(code: str) -> tuple[str, ...]:
    """The error codes rustc gives for a program, or () when rustc is missing or it compiles.

    Compiling is not running: nothing from the file is executed.
    """
    from quizapp import rustc

    try:
        result = rustc.check(code, timeout=RUSTC_TIMEOUT)
    except rustc.RustcError:
        return ()
    return () if result.success else result.error_codes


def read_text(path: Path, limit: int = MAX_DECK_FILE_BYTES) -> str:
    """The file as UTF-8 text, refused unread when larger than `limit` or binary."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ImportFailed(f"{path}: the file is {size} bytes; the limit is {limit}")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read the file: {exc.strerror}") from exc
    if b"\x00" in raw[:8192]:
        raise ImportFailed(f"{path}: this is a binary file, not a {path.suffix} text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{path}:{line}: the file is not UTF-8 text") from exc


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a crash never leaves half a file under its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
