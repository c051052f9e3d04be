"""The only package that talks to SQLite (through SQLModel). Repositories never commit."""

from quizapp.storage import sqlite_library

# Before any connection: importing any storage module comes through here first.
sqlite_library.tune()
