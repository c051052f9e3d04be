"""Anki packages (`.apkg`): what their rows mean, in both directions, as pure functions.

`reader` maps a collection's rows to quizapp decks, `writer` decides the rows of an export;
the zip, the temporary file and SQLite live in `quizapp.adapters.apkg`, which is what
callers use (`read_apkg`, `write_apkg`).

quizapp never imports the `anki` package (it is AGPL; an import-linter contract checks
this); the tests use it to prove that what we write, Anki reads, and the other way round.
"""
