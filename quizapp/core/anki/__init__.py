"""Anki packages (`.apkg`) in and out, in pure Python (zipfile, sqlite3, zstandard).

quizapp never imports the `anki` package (it is AGPL; an import-linter contract checks
this); the tests use it to prove that what we write, Anki reads, and the other way round.
"""

from quizapp.core.anki.reader import read_apkg
from quizapp.core.anki.writer import write_apkg

__all__ = ["read_apkg", "write_apkg"]
