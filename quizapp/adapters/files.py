"""Reading a file someone named on the command line or in a dialog: regular files only, capped.

A path may name a folder, a FIFO (opening one blocks until someone writes to it), a device
(`/dev/zero` never ends) or a socket; each is refused with what it is, before it is opened.
A regular file is refused unread when its size is over the caller's limit, and read with the
limit enforced again, since a file can grow between `stat` and `read`.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

from quizapp.core.model import Deck


class UnreadableFile(Exception):
    """The file cannot be read; the message says why, without the path (callers add it)."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def regular_file_size(path: Path) -> int:
    """The size of `path` if it is a regular file; raises `UnreadableFile` saying what it is."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from exc
    kind = _kind(info.st_mode)
    if kind is not None:
        raise UnreadableFile(f"this is {kind}")
    return info.st_size


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of a regular file no larger than `limit`; raises `UnreadableFile`."""
    size = regular_file_size(path)
    try:
        if size > limit:
            raise UnreadableFile(f"the file is {size} bytes; the limit is {limit}")
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from exc
    if len(raw) > limit:
        raise UnreadableFile(f"the file grew past the limit of {limit} bytes while being read")
    return raw


def load_deck_file(path: Path) -> Deck:
    """A deck file from disk; every problem raises `DeckFileError` naming the file."""
    # here, not at the top: the deck-file rules and their schema and TOML libraries are not
    # needed by the readers that only use the capped reads below (an export imports this)
    from quizapp.core.deckfile import MAX_DECK_FILE_BYTES, DeckFileError, Problem, parse_deck_bytes

    source = str(path)
    try:
        raw = read_capped(path, MAX_DECK_FILE_BYTES)
    except UnreadableFile as exc:
        raise DeckFileError(source, [Problem(None, "", str(exc))]) from exc
    return parse_deck_bytes(raw, source)


def read_capped_lines(path: Path, limit: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of a regular file no larger than `limit`, in pieces of about `chunk` that
    end at a line end (the last may not): for readers that stream a big file instead of
    holding it. Raises `UnreadableFile` as `read_capped` does, the growth check included."""
    size = regular_file_size(path)
    if size > limit:
        raise UnreadableFile(f"the file is {size} bytes; the limit is {limit}")
    try:
        with path.open("rb") as stream:
            carry = b""
            total = 0
            while raw := stream.read(chunk):
                total += len(raw)
                if total > limit:
                    raise UnreadableFile(
                        f"the file grew past the limit of {limit} bytes while being read"
                    )
                data = carry + raw if carry else raw
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data  # one long line: it is bounded by `limit` like the file
                    continue
                carry = data[cut:]
                yield data[:cut]
            if carry:
                yield carry
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from exc
