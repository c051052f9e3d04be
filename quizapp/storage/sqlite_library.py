"""SQLite's allocation statistics turned off for the process, as SQLite itself recommends
building it (SQLITE_DEFAULT_MEMSTATUS=0), which the libraries Python links against
usually are not.

Why: with the statistics on, every allocation SQLite makes takes one process-wide lock. Two
threads working in SQLite at once then wait on each other at every allocation: a sync
merge binding a batch of answers (four strings an answer, an allocation each) while the
writer thread moves the last batch into the collection spent 0.13 s of its 2 s so, and
binding alone is a tenth slower (docs/sync.md, "Sizes and speed").

How: the option can only be set while SQLite is shut down, and Python's module starts
SQLite as it is imported; so `tune` shuts it down and starts it again with the option.
Only when that cannot hurt: once, before SQLite holds any memory at all (the statistics,
still on, say so: no connection is open anywhere in the process), on Linux, where
Python's module links the shared library whose functions ctypes reaches. Anywhere else,
or on any surprise, nothing changes and everything works as before, a little slower.

The price: SQLite enforces its heap limits (`PRAGMA hard_heap_limit`) only with the
statistics on. quizapp's own collection does not use them; the Anki package reader, which
reads a file from outside, bounds SQLite's memory by other means too (`adapters.apkg`).
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
import threading

_SQLITE_CONFIG_MEMSTATUS = 9
_SQLITE_STATUS_MEMORY_USED = 0

_lock = threading.Lock()
_tried = False
_off = False


def tune() -> bool:
    """Turn the statistics off if it is safe now (see the module); returns whether they
    are off. Called as the storage package is first imported; later calls only answer."""
    global _tried, _off
    with _lock:
        if not _tried:
            _tried = True
            _off = _statistics_off()
        return _off


def statistics_off() -> bool:
    """Whether `tune` turned SQLite's allocation statistics (and its heap limits) off."""
    return _off


def _statistics_off() -> bool:
    if sys.platform != "linux":
        return False
    try:
        import _sqlite3

        library = ctypes.CDLL(_sqlite3.__file__)  # with it, the libsqlite3 it links
        status = library.sqlite3_status64
        shutdown, config, initialize = (
            library.sqlite3_shutdown,
            library.sqlite3_config,
            library.sqlite3_initialize,
        )
    except (ImportError, OSError, AttributeError):
        return False
    status.argtypes = [
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int64),
        ctypes.POINTER(ctypes.c_int64),
        ctypes.c_int,
    ]
    used, peak = ctypes.c_int64(), ctypes.c_int64()
    if status(_SQLITE_STATUS_MEMORY_USED, ctypes.byref(used), ctypes.byref(peak), 0) != 0:
        return False
    if used.value != 0:
        return False  # something holds SQLite memory (an open connection): leave it be
    if shutdown() != sqlite3.SQLITE_OK:
        return False
    done: bool = config(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == sqlite3.SQLITE_OK
    initialize()  # as the next connection would anyway; the defaults if config refused
    return done
