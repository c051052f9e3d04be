"""Which reader or writer handles a file: plain dicts by extension, so a format plugs in.

A reader turns a file into a `Bundle` (or raises `ImportFailed` naming the file and the
place); a writer puts a `Bundle` into a file. Adding a format is one entry in each dict,
e.g. `READERS[".apkg"] = read_apkg` from the Anki module. `.toml` looks at the content:
a quizapp deck, or an mdbook-quiz file (`[[questions]]`).

The window imports this module at start-up (its File menu lists the formats), so each
format's module (Anki, CSV, mdbook-quiz, the deck writer) is imported by its reader or
writer when a file of that format is used, not here: that keeps ~0.1 s off every start.

A deck the deck-file reader has parsed has passed the deck-file rules; it is remembered
(`Bundle.validated`) so `services.exchange` does not validate its 10,000 cards a second time.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from quizapp.adapters.files import (
    UnreadableFile,
    read_capped,
    read_capped_lines,
    regular_file_size,
)
from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.model import Card, Deck

Reader = Callable[[Path], Bundle]
Writer = Callable[[Bundle, Path], None]


def read_toml(path: Path) -> Bundle:
    """A quizapp deck, read card by card (`core.deckstream`), or an mdbook-quiz file.

    A deck file is never held whole: its text is decoded a chunk at a time and each card is
    parsed and checked as it arrives, so its size cap is what a card-by-card read makes
    safe (`MAX_STREAMED_DECK_BYTES`). An mdbook-quiz file (`[[questions]]` and no `[deck]`
    or `format` in its first chunk) is parsed whole, under the whole-file cap.
    """
    from quizapp.core.deckfile import DeckFileError
    from quizapp.core.deckstream import read_deck_stream

    chunks = read_text_chunks(path, MAX_STREAMED_DECK_BYTES)
    first = next(chunks, "")
    if _QUIZ_HINT.search(first) and not _DECK_HINT.search(first):
        return _read_toml_whole(path)
    try:
        deck = read_deck_stream(itertools.chain([first], chunks), str(path))
    except DeckFileError as exc:
        raise ImportFailed(str(exc)) from exc
    return Bundle(decks=(deck,), source=str(path), validated=True)


_QUIZ_HINT = re.compile(r"^\s*\[\[\s*questions\s*\]\]", re.MULTILINE)
_DECK_HINT = re.compile(r"^\s*(\[\s*deck\s*\]|format\s*=)", re.MULTILINE)
MAX_STREAMED_DECK_BYTES = 256 * 1024 * 1024
"""A deck file read card by card holds one batch of its text and tables at a time, plus
the `Card` values made so far, which the preview needs: a 300,000-card file (110 MB) peaked
at 514 MiB through the whole import (docs/performance.md). 256 MiB leaves room for a real
deck over twice that size while `deckstream.MAX_CARDS` (500,000) and this cap keep a
hostile file to about a gigabyte."""


def _read_toml_whole(path: Path) -> Bundle:
    """A `.toml` file that looks like an mdbook quiz, parsed whole as before streaming."""
    import tomli  # the mypyc-compiled twin of tomllib, ~3x faster on big decks

    from quizapp.core.deckfile import (
        TOO_DEEP,
        DeckFileError,
        deck_from_data,
        parse_deck_text,
        too_deep,
        validate_deck_data,
    )
    from quizapp.core.mdbook_quiz import is_mdbook_quiz, quiz_bundle

    text = read_text(path)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        data = {}
    except RecursionError as exc:
        raise ImportFailed(f"{path}: {TOO_DEEP}") from exc
    if too_deep(data):
        raise ImportFailed(f"{path}: {TOO_DEEP}")
    if is_mdbook_quiz(data):
        # No rustc here: the file is only being read, before any preview or consent.
        return quiz_bundle(data, text, str(path), name=path.stem)
    try:
        if data and not validate_deck_data(data):
            deck = deck_from_data(data)
        else:  # parsed again only to report each problem with its line
            deck = parse_deck_text(text, str(path))
    except DeckFileError as exc:
        raise ImportFailed(str(exc)) from exc
    return Bundle(decks=(deck,), source=str(path), validated=True)


def read_text_chunks(path: Path, limit: int) -> Iterator[str]:
    """The file as UTF-8 text in pieces that end at line ends; refused as `read_text` refuses."""
    try:
        pieces = read_capped_lines(path, limit)
        start: list[bytes] = []
        for raw in pieces:  # the binary check looks at the first 8 KB, as read_text does
            start.append(raw)
            if sum(map(len, start)) >= 8192:
                break
        first = b"".join(start)
        if b"\x00" in first[:8192]:
            raise ImportFailed(f"{path}: this is a binary file, not a {path.suffix} text file")
        if first.startswith(codecs.BOM_UTF8):
            first = first[len(codecs.BOM_UTF8) :]
        line = 1
        for raw in itertools.chain([first], pieces):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                at = line + raw[: exc.start].count(b"\n")
                raise ImportFailed(f"{path}:{at}: the file is not UTF-8 text") from exc
            line += text.count("\n")
            yield text
    except UnreadableFile as exc:
        raise ImportFailed(f"{path}: {exc}") from exc


def read_csv(path: Path) -> Bundle:
    from quizapp.core.csv_import import parse_csv

    delimiter = "\t" if path.suffix.lower() == ".tsv" else None
    deck = parse_csv(read_text(path), str(path), name=path.stem, delimiter=delimiter)
    return Bundle(decks=(deck,), source=str(path))


def read_apkg(path: Path) -> Bundle:
    """Anki: scheduling is always read; `apply_import(with_progress=...)` decides its use."""
    from quizapp.adapters.apkg import read_apkg as read

    return read(path, with_progress=True)


def write_toml(bundle: Bundle, path: Path) -> None:
    from quizapp.core.deckwriter import write_deck

    if len(bundle.decks) != 1:
        raise ValueError("a deck file holds exactly one deck")
    write_atomically(path, write_deck(bundle.decks[0]).encode("utf-8"))


def write_apkg(bundle: Bundle, path: Path) -> None:
    from quizapp.adapters.apkg import write_apkg as write

    mode = _mode_for(path)
    write(bundle, path)
    os.chmod(path, mode)  # the package is zipped in a private temporary file first


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
    try:
        # Says what a folder, FIFO or device is, before any reader and whatever its name:
        # `/dev/zero` or a folder `decks` has no extension, and is no file to import either.
        if reader is not None or path.exists():
            regular_file_size(path)
    except UnreadableFile as exc:
        raise ImportFailed(f"{path}: {exc}") from exc
    if reader is None:
        what = f"{path.suffix} files" if path.suffix else "files without an extension"
        raise ImportFailed(
            f"{path}: quizapp cannot import {what}; it reads {', '.join(sorted(READERS))}"
        )
    return reader(path)


def writer_for(path: Path) -> Writer:
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(
            f"{path}: quizapp cannot export to {path.suffix or 'a file without an extension'}; "
            f"it writes {', '.join(sorted(WRITERS))}"
        )
    return writer


def read_text(path: Path, limit: int | None = None) -> str:
    """The file as UTF-8 text, refused unread when larger than `limit` (by default a deck
    file's cap, `deckfile.MAX_DECK_FILE_BYTES`) or binary."""
    if limit is None:
        from quizapp.core.deckfile import MAX_DECK_FILE_BYTES

        limit = MAX_DECK_FILE_BYTES
    try:
        raw = read_capped(path, limit)
    except UnreadableFile as exc:
        raise ImportFailed(f"{path}: {exc}") from exc
    if b"\x00" in raw[:8192]:
        raise ImportFailed(f"{path}: this is a binary file, not a {path.suffix} text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{path}:{line}: the file is not UTF-8 text") from exc


def write_toml_stream(deck: Deck, cards: Iterable[Card], path: Path) -> None:
    """A deck file written card by card from `cards` (an iterator over the collection):
    the bytes `write_toml` writes, without the whole deck or text in memory."""
    from quizapp.core.deckwriter import iter_deck_text

    write_atomically(path, (piece.encode("utf-8") for piece in iter_deck_text(deck, cards)))


def write_toml_pieces(deck: Deck, pieces: Iterable[str], path: Path) -> None:
    """`write_toml_stream` over cards already written as text (`deckwriter.card_piece`), each
    piece the text of a batch of cards (an export's 2,000 rows), encoded and written as it
    comes: one call per batch rather than one per card. No piece may be empty."""
    from quizapp.core.deckwriter import iter_deck_pieces

    write_atomically(path, (piece.encode("utf-8") for piece in iter_deck_pieces(deck, pieces)))


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write beside the target, then rename: a crash never leaves half a file under its name.

    The temporary file is created private (0600), so it is given the mode the file would
    have had if written in place: an existing file's own mode, else 0666 less the umask,
    like `open(path, "w")`. Exports are meant to be shared and committed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as f:
            os.fchmod(f.fileno(), mode)
            for piece in [data] if isinstance(data, bytes) else data:
                f.write(piece)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The mode `path` keeps when rewritten: its own, or a new file's (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask: setting it is the only portable way to read it, so set it back."""
    current = os.umask(0o022)
    os.umask(current)
    return current
