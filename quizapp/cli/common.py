"""What every headless command does first: open the collection and load the shipped decks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from quizapp.cli.printing import say

if TYPE_CHECKING:  # imported when a command runs: parsing the window's arguments needs none
    from quizapp.services.collection import Collection

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_DECLINED = 2
"""The learner answered no to a command's question (import, deck delete, decks update)."""


@contextmanager
def open_for_cli(
    args: argparse.Namespace, *, sync_decks: bool = True
) -> Iterator[Collection | None]:
    """Yields None (after saying why on stderr) when the collection cannot be opened.

    `sync_decks=False` for commands about the file itself (backups), which should not
    write anything else first.
    """
    from quizapp.services.collection import CollectionError, open_collection, resolve_data_dir
    from quizapp.services.decks import sync_shipped_decks
    from quizapp.services.sync import attach as attach_journal
    from quizapp.services.sync import detach as detach_journal

    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    try:
        col = open_collection(data_dir)
    except CollectionError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        yield None
        return
    try:
        for warning in col.warnings:
            say(f"quizapp: warning: {warning}", file=sys.stderr)
        attach_journal(col)  # a command's writes reach the learner's other machines too
        if sync_decks:
            report = sync_shipped_decks(col)
            for error in report.errors:
                say(f"quizapp: skipped a deck: {error}", file=sys.stderr)
            if report.unwritable:
                say(
                    "quizapp: the collection cannot be written; nothing else was done.",
                    file=sys.stderr,
                )
                yield None
                return
        yield col
    finally:
        detach_journal(col)
        col.close()
