"""The `quizapp` command: the window by default, headless subcommands on the same services."""

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
        "settings",
    }
)
"""Subcommands that open the collection: `app.main` starts its integrity check early."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Spaced repetition for Rust systems programming. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the collection lives (default: $QUIZAPP_DATA_DIR, else the user data directory)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="the window says on stderr what it does at start-up: the collection it opened, "
        "that it listens for a second start, the day's backup",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    from quizapp.cli import backup, exchange, listing, settings, stats, verify

    listing.add_parser(commands)
    verify.add_parser(commands)
    stats.add_parser(commands)
    exchange.add_parser(commands)
    backup.add_parser(commands)
    settings.add_parser(commands)
    return parser


def run_command(args: argparse.Namespace) -> int | None:
    """Run a headless subcommand; None when no subcommand was given (the window's turn)."""
    handler = getattr(args, "handler", None)
    return None if handler is None else int(handler(args))
