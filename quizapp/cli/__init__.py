"""The `quizapp` command: the window by default, headless subcommands on the same services.

Global options (`--data-dir`, `--verbose`) are accepted before or after the subcommand, as
cargo and git accept theirs: `quizapp --data-dir X list` and `quizapp list --data-dir X`
mean the same. Each subcommand's parser gets a copy of them whose default is "not given",
so a value written before the subcommand is never overwritten by the copy's default.
"""

from __future__ import annotations

import argparse

from quizapp import __version__

COLLECTION_COMMANDS = frozenset(
    {
        "list",
        "stats",
        "import",
        "export",
        "export-progress",
        "import-progress",
        "backup",
        "decks",
        "deck",
        "settings",
        "sync",
        "deck-options",
        "optimize",
        "workload",
    }
)
"""Subcommands that open the collection: `app.main` starts its integrity check early."""

DATA_DIR_HELP = (
    "where the collection lives (default: $QUIZAPP_DATA_DIR, else the user data directory)"
)
VERBOSE_HELP = (
    "the window says on stderr what it does at start-up: the collection it opened, "
    "that it listens for a second start, the day's backup"
)


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """`--data-dir` and `--verbose`; `suppress` leaves them out of the namespace when not given."""
    default: dict[str, object] = {"default": argparse.SUPPRESS} if suppress else {}
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP, **default)  # type: ignore[arg-type]
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP, **default)  # type: ignore[arg-type]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Spaced repetition for Rust systems programming. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from quizapp.cli import (
        backup,
        deck,
        deckfmt,
        decks,
        exchange,
        listing,
        memory,
        settings,
        stats,
        sync,
        verify,
    )

    listing.add_parser(commands)
    verify.add_parser(commands)
    stats.add_parser(commands)
    exchange.add_parser(commands)
    backup.add_parser(commands)
    settings.add_parser(commands)
    memory.add_parser(commands)
    deckfmt.add_parser(commands)
    decks.add_parser(commands)
    deck.add_parser(commands)
    sync.add_parser(commands)
    _globals_after_commands(commands)
    return parser


def _globals_after_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Give every subcommand (and sub-subcommand) its own copy of the global options."""
    for sub in set(commands.choices.values()):
        add_global_options(sub, suppress=True)
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _globals_after_commands(action)


def run_command(args: argparse.Namespace) -> int | None:
    """Run a headless subcommand; None when no subcommand was given (the window's turn)."""
    handler = getattr(args, "handler", None)
    return None if handler is None else int(handler(args))
