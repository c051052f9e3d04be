"""The `.apkg` container: the zip, its SQLite collection, and the temporary file between.

Reading: opening an `.apkg` someone handed us, without trusting a byte of it.

An `.apkg` is a zip. Current Anki puts a zstd-compressed SQLite collection in
`collection.anki21b` and says so in `meta` (a protobuf: version 3); Anki 2.1.x wrote
`collection.anki21` (plain SQLite) and older versions `collection.anki2`. Current packages
also carry a dummy `collection.anki2` that only tells old versions to update, so the newest
collection present wins. Media files (`media` and the numbered members) are never read and
never written to disk.

What a hostile archive is refused for, before anything is decompressed: a member path that
is absolute or climbs out with `..`, duplicate member names, too many members, a declared
total size or a compression ratio of a zip bomb. What is read is then read in chunks with a
hard cap, because the sizes in a zip header are only claims; the zstd layer is capped the
same way. The collection goes to a private temporary file and is opened read-only with
`trusted_schema` off, so a crafted database can run no triggers or views on us.

What the rows mean is `quizapp.core.anki`'s business: `reader` maps them to cards and
`writer` decides the rows an export holds; this module only moves them in and out of SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import zstandard

from quizapp.core.anki.protobuf import read_varint_field
from quizapp.core.anki.reader import bundle_from_collection
from quizapp.core.anki.writer import collection_content
from quizapp.core.bundle import Bundle, ImportFailed

MAX_MEMBERS = 200_000
MAX_DECLARED_TOTAL = 4 * 1024**3
"""All members together, as the zip claims (media included, though media is never read)."""
MAX_COLLECTION_BYTES = 512 * 1024**2
"""The SQLite collection after decompression."""
MAX_RATIO = 100
"""Uncompressed/compressed; SQLite collections with real content compress 3-30 times."""
RATIO_CHECK_ABOVE = 1024**2
"""Small members may compress a lot (an empty SQLite page), and cannot hurt anyway."""
MAX_META_BYTES = 4096
SQLITE_MAGIC = b"SQLite format 3\x00"

COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Newest first: the first one present is the real collection."""
LATEST_VERSION = 3


@dataclass(frozen=True)
class OpenCollection:
    """An opened collection; serves `quizapp.core.anki.reader.CollectionRows`."""

    db: sqlite3.Connection
    member: str
    """The member it came from, for messages."""
    legacy: bool
    """True for the schema 11 layout (note types and decks as JSON in `col`); schema 15
    and later keep them in tables of their own (`notetypes`, `fields`, `templates`, `decks`)."""

    def columns(self, table: str) -> set[str]:
        return {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}

    def select(self, table: str, columns: str, order_by: str = "") -> Iterable[tuple[Any, ...]]:
        order = f" ORDER BY {order_by}" if order_by else ""
        return self.db.execute(f"SELECT {columns} FROM {table}{order}")


def read_apkg(path: Path, *, with_progress: bool = False) -> Bundle:
    """The decks in an `.apkg`; raises `ImportFailed` naming the file and place."""
    with open_package(path) as col:
        try:
            return bundle_from_collection(col, str(path), with_progress=with_progress)
        except sqlite3.Error as err:
            raise ImportFailed(f"{path}: {col.member}: damaged database ({err})") from err


@contextmanager
def open_package(path: Path) -> Iterator[OpenCollection]:
    """The package's collection as a read-only SQLite connection, for the `with` block."""
    source = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ImportFailed(f"{source}: not a readable zip archive ({_reason(err)})") from err
    with archive, tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
        member = _check_members(archive, source)
        raw = _read_capped(archive, member, MAX_COLLECTION_BYTES, source)
        if member.endswith(".anki21b"):
            raw = _zstd_capped(raw, f"{source}: {member}")
        if not raw.startswith(SQLITE_MAGIC):
            raise ImportFailed(f"{source}: {member}: not an SQLite database")
        db_path = Path(tmp) / "collection.sqlite"
        db_path.write_bytes(raw)
        del raw
        try:
            db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as err:
            raise ImportFailed(f"{source}: {member}: cannot open the database ({err})") from err
        with closing(db):
            try:
                db.execute("PRAGMA trusted_schema = OFF")
                db.execute("PRAGMA query_only = ON")
                tables = {
                    row[0]
                    for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
            except sqlite3.Error as err:
                raise ImportFailed(f"{source}: {member}: not an SQLite database ({err})") from err
            yield OpenCollection(db, member, legacy="notetypes" not in tables)


def _check_members(archive: zipfile.ZipFile, source: str) -> str:
    """Refuse a hostile member list; the name of the collection member to read."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportFailed(f"{source}: {len(infos)} members, more than {MAX_MEMBERS}")
    names: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if _escapes(name):
            raise ImportFailed(f"{source}: member {name!r}: path leaves the package's folder")
        if name in names:
            raise ImportFailed(f"{source}: member {name!r} appears twice")
        names.add(name)
        total += info.file_size
        if info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ImportFailed(
                f"{source}: member {name!r}: compressed {info.compress_size} bytes to "
                f"{info.file_size}, a ratio over {MAX_RATIO} (a zip bomb?)"
            )
    if total > MAX_DECLARED_TOTAL:
        raise ImportFailed(f"{source}: members add up to {total} bytes, over {MAX_DECLARED_TOTAL}")
    version = _meta_version(archive, source) if "meta" in names else None
    if version is not None and version >= LATEST_VERSION:
        if "collection.anki21b" not in names:
            raise ImportFailed(f"{source}: meta announces collection.anki21b but it is missing")
        return "collection.anki21b"
    for name in COLLECTION_NAMES:
        if name in names:
            return name
    raise ImportFailed(
        f"{source}: not an Anki package (no collection.anki21b, collection.anki21 or collection.anki2)"
    )


def _escapes(name: str) -> bool:
    posix, windows = PurePosixPath(name), PureWindowsPath(name)
    return (
        posix.is_absolute()
        or windows.is_absolute()
        or bool(windows.drive)
        or name.startswith(("/", "\\"))
        or ".." in posix.parts
        or ".." in windows.parts
    )


def _meta_version(archive: zipfile.ZipFile, source: str) -> int | None:
    raw = _read_capped(archive, "meta", MAX_META_BYTES, source)
    try:
        return read_varint_field(raw, 1)
    except ValueError as err:
        raise ImportFailed(f"{source}: meta: {err}") from err


def _read_capped(archive: zipfile.ZipFile, name: str, cap: int, source: str) -> bytes:
    """The member's bytes, stopping at `cap` whatever its header claims."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                if size > cap:
                    raise ImportFailed(f"{source}: {name}: larger than {cap} bytes")
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,  # a damaged deflate stream (found by tests/robustness/test_fuzz_importers.py)
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as err:
        raise ImportFailed(f"{source}: {name}: damaged member ({_reason(err)})") from err
    return b"".join(chunks)


def _zstd_capped(raw: bytes, place: str) -> bytes:
    """zstd-decompress with an output cap, streaming (frames need not declare their size)."""
    cap = min(MAX_COLLECTION_BYTES, max(RATIO_CHECK_ABOVE, MAX_RATIO * len(raw)))
    chunks: list[bytes] = []
    size = 0
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        with reader:
            while chunk := reader.read(1024 * 1024):
                size += len(chunk)
                if size > cap:
                    raise ImportFailed(
                        f"{place}: decompresses to more than {cap} bytes (a zip bomb?)"
                    )
                chunks.append(chunk)
    except zstandard.ZstdError as err:
        raise ImportFailed(f"{place}: not valid zstd data ({err})") from err
    return b"".join(chunks)


def _reason(err: BaseException) -> str:
    return str(err) or type(err).__name__


# Writing -----------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""


def write_apkg(bundle: Bundle, path: Path, *, now: datetime | None = None) -> None:
    """Write the bundle's decks (and its progress, if any) to `path`, replacing it atomically.

    `now` stamps the notes (see `core.anki.writer.collection_content`).
    """
    content = collection_content(bundle, now or datetime.now())
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with closing(sqlite3.connect(db_path)) as db:
            db.executescript(SCHEMA)
            db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", content.notes)
            db.executemany(
                "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", content.cards
            )
            db.execute("INSERT INTO col VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?)", content.col)
            db.commit()
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                archive.writestr("media", "{}")
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
