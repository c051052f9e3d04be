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
same way, and streamed to the temporary file, so memory never holds more than a chunk of
it. The collection is opened read-only with `trusted_schema` off, and only plain tables
with the expected names are read: a view, a trigger, a virtual table or a generated column
in their place is refused before the first query (a 2.4 KB package whose `notes` was a
recursive view used to run forever, its sort spilling gigabytes into the temp folder).
Every query then runs under budgets: SQLite steps and wall time (a progress handler), rows
per table, the length of one value, and temporary storage kept in memory under a heap cap
instead of in the temp folder.

What the rows mean is `quizapp.core.anki`'s business: `reader` maps them to cards and
`writer` decides the rows an export holds; this module only moves them in and out of SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import zstandard

from quizapp.adapters.files import UnreadableFile, regular_file_size
from quizapp.core.anki.protobuf import read_varint_field
from quizapp.core.anki.reader import bundle_from_collection
from quizapp.core.anki.writer import collection_content
from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.shown import shown

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

TABLES = ("col", "notes", "cards", "notetypes", "fields", "templates", "decks")
"""Every table the reader may select from (`quizapp.core.anki.reader.COLUMNS`)."""
MAX_SQLITE_STEPS = 20_000_000_000
"""SQLite virtual machine steps for the whole read: about a minute of work; a 512 MB
collection of real notes needs a few percent of it."""
MAX_READ_SECONDS = 300.0
MAX_ROWS = 5_000_000
"""Per table; Anki's largest shared collections hold a few hundred thousand cards."""
MAX_VALUE_BYTES = 64 * 1024**2
"""One string or blob (SQLITE_LIMIT_LENGTH); a note's fields are refused far below this."""
MAX_SQLITE_HEAP = 1024**3
"""What SQLite may allocate while the package is read, process-wide; enforced by SQLite
only with its allocation statistics on (quizapp turns them off on Linux for speed)."""
_STEP_GRANULARITY = 100_000

COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Newest first: the first one present is the real collection."""
LATEST_VERSION = 3


class OverBudget(Exception):
    """A query went over one of the read's budgets; the message says which."""


class _Budget:
    """The progress handler: stops SQLite when the steps or the wall time run out."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_READ_SECONDS
        self.exceeded: str | None = None

    def __call__(self) -> int:
        self.steps += _STEP_GRANULARITY
        if self.steps > MAX_SQLITE_STEPS:
            self.exceeded = f"more than {MAX_SQLITE_STEPS} SQLite steps"
        elif time.monotonic() > self.deadline:
            self.exceeded = f"more than {MAX_READ_SECONDS:g} seconds"
        return 1 if self.exceeded else 0


def _over_budget(place: str, what: str) -> ImportFailed:
    return ImportFailed(f"{place}: refused: reading it took {what} (a crafted collection?)")


class _CountedRows:
    """A cursor that refuses to yield more than `MAX_ROWS` rows."""

    def __init__(self, cursor: sqlite3.Cursor, table: str) -> None:
        self._cursor, self._table, self._count = cursor, table, 0

    def __iter__(self) -> _CountedRows:
        return self

    def __next__(self) -> tuple[Any, ...]:
        row: tuple[Any, ...] = next(self._cursor)
        self._count += 1
        if self._count > MAX_ROWS:
            raise OverBudget(f"table {self._table!r} holds more than {MAX_ROWS} rows")
        return row


@dataclass(frozen=True)
class OpenCollection:
    """An opened collection; serves `quizapp.core.anki.reader.CollectionRows`."""

    db: sqlite3.Connection
    member: str
    """The member it came from, for messages."""
    legacy: bool
    """True for the schema 11 layout (note types and decks as JSON in `col`); schema 15
    and later keep them in tables of their own (`notetypes`, `fields`, `templates`, `decks`)."""
    budget: _Budget

    def columns(self, table: str) -> set[str]:
        if table not in TABLES:
            raise ValueError(f"not a table the reader reads: {table!r}")
        return {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}

    def select(self, table: str, columns: str, order_by: str = "") -> Iterable[tuple[Any, ...]]:
        if table not in TABLES:
            raise ValueError(f"not a table the reader reads: {table!r}")
        order = f" ORDER BY {order_by}" if order_by else ""
        return _CountedRows(self.db.execute(f"SELECT {columns} FROM {table}{order}"), table)


def read_apkg(path: Path, *, with_progress: bool = False) -> Bundle:
    """The decks in an `.apkg`; raises `ImportFailed` naming the file and place."""
    with open_package(path) as col:
        try:
            return bundle_from_collection(col, str(path), with_progress=with_progress)
        except OverBudget as err:
            raise ImportFailed(f"{path}: {col.member}: refused: {err}") from err
        except (sqlite3.Error, UnicodeDecodeError) as err:  # bad UTF-8 in a name or text
            if col.budget.exceeded:
                raise _over_budget(f"{path}: {col.member}", col.budget.exceeded) from err
            raise ImportFailed(f"{path}: {col.member}: damaged database ({_reason(err)})") from err


@contextmanager
def open_package(path: Path) -> Iterator[OpenCollection]:
    """The package's collection as a read-only SQLite connection, for the `with` block."""
    source = str(path)
    try:
        regular_file_size(path)  # a FIFO would block the zip reader, a device never end
    except UnreadableFile as err:
        raise ImportFailed(f"{source}: {err}") from err
    try:
        archive = zipfile.ZipFile(path)
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,  # "zip file version 23.5" (found by scripts/fuzz_importers.py)
    ) as err:
        raise ImportFailed(f"{source}: not a readable zip archive ({_reason(err)})") from err
    with archive, tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
        member = _check_members(archive, source)
        db_path = Path(tmp) / "collection.sqlite"
        _extract_capped(archive, member, db_path, source)
        with db_path.open("rb") as head:
            if head.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise ImportFailed(f"{source}: {member}: not an SQLite database")
        try:
            db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro&immutable=1", uri=True)
        except (sqlite3.Error, UnicodeDecodeError) as err:  # bad UTF-8 in a name or text
            raise ImportFailed(
                f"{source}: {member}: cannot open the database ({_reason(err)})"
            ) from err
        with closing(db), _heap_capped(db):
            budget = _Budget()
            try:
                db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
                db.execute("PRAGMA trusted_schema = OFF")
                db.execute("PRAGMA query_only = ON")
                # A sort beyond SQLite's small page cache spills to an unlinked temporary
                # file (at most about the collection's 512 MiB: views that run for ever
                # are refused above), not to memory: the heap cap below is enforced only
                # where SQLite keeps allocation statistics (`storage.sqlite_library`).
                db.execute("PRAGMA temp_store = FILE")
                db.set_progress_handler(budget, _STEP_GRANULARITY)
                tables = _plain_tables(db, f"{source}: {member}")
            except (sqlite3.Error, UnicodeDecodeError) as err:  # bad UTF-8 in a name or text
                if budget.exceeded:
                    raise _over_budget(f"{source}: {member}", budget.exceeded) from err
                raise ImportFailed(
                    f"{source}: {member}: not an SQLite database ({_reason(err)})"
                ) from err
            yield OpenCollection(db, member, legacy="notetypes" not in tables, budget=budget)


def _plain_tables(db: sqlite3.Connection, place: str) -> set[str]:
    """The names of the plain tables among `TABLES`; refuses anything else under those names.

    A view runs a query of the file's choosing on every read, a trigger or a virtual table
    code of its choosing, and a generated column an expression: none belongs in a collection.
    """
    tables: set[str] = set()
    for kind, name, table, sql in db.execute(
        "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"
    ):
        wanted = str(name).lower() in TABLES
        if kind == "trigger" and str(table).lower() in TABLES:
            raise ImportFailed(f"{place}: refused: a trigger ({name!r}) on table {table!r}")
        if not wanted:
            continue
        if kind != "table":
            raise ImportFailed(f"{place}: refused: {name!r} is a {kind}, not a plain table")
        if str(sql).lstrip().upper().startswith("CREATE VIRTUAL"):
            raise ImportFailed(f"{place}: refused: {name!r} is a virtual table")
        for column in db.execute(f"PRAGMA table_xinfo({name})"):
            if column[-1] in (2, 3):  # hidden: 2 virtual generated, 3 stored generated
                raise ImportFailed(
                    f"{place}: refused: {name!r} has a generated column ({column[1]!r})"
                )
        tables.add(str(name).lower())
    return tables


@contextmanager
def _heap_capped(db: sqlite3.Connection) -> Iterator[None]:
    """SQLite's heap capped at `MAX_SQLITE_HEAP` for the block, then the old limit back.

    The limit is process-wide; a lower one set by someone else is kept.
    """
    (before,) = db.execute("PRAGMA hard_heap_limit").fetchone()
    if before == 0 or before > MAX_SQLITE_HEAP:
        db.execute(f"PRAGMA hard_heap_limit = {MAX_SQLITE_HEAP}")
    try:
        yield
    finally:
        db.set_progress_handler(None, 0)  # or it would stop this statement too
        db.execute(f"PRAGMA hard_heap_limit = {int(before)}")


def _extract_capped(archive: zipfile.ZipFile, member: str, dest: Path, source: str) -> None:
    """The collection member written to `dest`, zstd-decompressed if it is `.anki21b`.

    Streams chunk by chunk: the cap holds whatever the headers claim, and memory holds one
    chunk, not the collection.
    """
    place = f"{source}: {member}"
    try:
        with archive.open(member) as stream, dest.open("wb") as out:
            if member.endswith(".anki21b"):
                claimed = archive.getinfo(member).file_size  # zipfile reads no more than this
                cap = min(MAX_COLLECTION_BYTES, max(RATIO_CHECK_ABOVE, MAX_RATIO * claimed))
                reader = zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True)
                over = f"{place}: decompresses to more than {cap} bytes (a zip bomb?)"
                with reader:
                    _copy_capped(reader, out, cap, over)
            else:
                cap = MAX_COLLECTION_BYTES
                _copy_capped(stream, out, cap, f"{place}: larger than {cap} bytes")
    except zstandard.ZstdError as err:
        raise ImportFailed(f"{place}: not valid zstd data ({_reason(err)})") from err
    except _WriteFailed as err:
        raise ImportFailed(
            f"{place}: cannot write the temporary copy ({_reason(err.__cause__ or err)})"
        ) from err
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        ValueError,
    ) as err:
        raise ImportFailed(f"{place}: damaged member ({_reason(err)})") from err


class _WriteFailed(Exception):
    """Writing the temporary copy failed (a full disk): not the package's fault."""


def _copy_capped(stream: Any, out: Any, cap: int, over: str) -> None:
    size = 0
    while chunk := stream.read(1024 * 1024):
        size += len(chunk)
        if size > cap:
            raise ImportFailed(over)
        try:
            out.write(chunk)
        except OSError as err:
            raise _WriteFailed() from err


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


def _reason(err: BaseException) -> str:
    """The library's words, which may quote the file (a table's SQL, with its line breaks):
    on one line, control characters escaped, cut to size (found by scripts/fuzz_importers.py)."""
    return shown(str(err) or type(err).__name__)


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
