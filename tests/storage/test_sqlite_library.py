"""SQLite's allocation statistics are turned off as the storage package is first imported
(`storage.sqlite_library`), only while nothing holds SQLite memory, and SQLite works as
before either way. Each case runs in a fresh interpreter: this one tuned SQLite long ago."""

from __future__ import annotations

import sys

import pytest

from tests.helpers.fresh_process import run_fresh

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="tuned on Linux only")

# What SQLite says it holds once a connection is open and has worked: with the statistics
# off it keeps no count, so it says 0.
_HELD = """
import ctypes, sqlite3, _sqlite3
def held():
    library = ctypes.CDLL(_sqlite3.__file__)
    used, peak = ctypes.c_int64(), ctypes.c_int64()
    library.sqlite3_status64(0, ctypes.byref(used), ctypes.byref(peak), 0)
    return used.value
"""


# One connection opened, used before and after the storage package's first import (where
# `tune` runs), or only after it.
_USE = """
{before}
from quizapp.storage import sqlite_library
from quizapp.storage.database import Database
db = db if "db" in dir() else sqlite3.connect(":memory:")
db.execute("CREATE TABLE IF NOT EXISTS t (x)")
db.executemany("INSERT INTO t VALUES (?)", [("x" * 100,)] * 1000)
print(sqlite_library.statistics_off(), held() == 0, db.execute("SELECT count(*) FROM t").fetchone()[0])
"""


@pytest.mark.parametrize(
    ("connection_first", "expected"),
    [
        (False, "True True 1000"),  # nothing open yet: the statistics go off, SQLite works
        (True, "False False 1001"),  # a connection open: left on, and that one keeps working
    ],
)
def test_the_statistics_go_off_only_before_the_first_connection(
    connection_first: bool, expected: str
) -> None:
    before = (
        'db = sqlite3.connect(":memory:")\n'
        'db.execute("CREATE TABLE t (x)")\n'
        'db.execute("INSERT INTO t VALUES (1)")'
        if connection_first
        else ""
    )
    assert run_fresh(_HELD + _USE.format(before=before)) == expected
