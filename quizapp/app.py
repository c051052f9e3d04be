"""Composition root: parses the command line, then runs a headless command or the window.

Qt is imported only when the window is wanted, so `quizapp list` and `quizapp verify`
start fast and run where no display libraries are installed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from quizapp.adapters.paths import data_dir_from
from quizapp.cli import COLLECTION_COMMANDS
from quizapp.storage import early_check


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    _check_collection_early(words)
    _contain_children()
    from quizapp.cli import build_parser, run_command

    args = build_parser().parse_args(words)
    try:
        status = run_command(args)
    except BrokenPipeError:
        # `quizapp list | head`: the reader left; that is not an error worth a traceback.
        # Point stdout at /dev/null so Python's own flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    if status is not None:
        return status
    from quizapp.services.startup import warm_deck_list

    warm_deck_list(data_dir_from(args.data_dir))  # its reads go on while Qt loads
    from quizapp.ui.launch import run_window  # Qt only when the window is wanted

    return run_window(args.data_dir, verbose=args.verbose, warmed=True)


def _check_collection_early(words: list[str]) -> None:
    """When the collection will be opened, start its integrity check before anything heavy loads.

    Only `--data-dir` is read here (the real parser runs next). The subcommands that open
    the collection get the check started now, so it reads the file (0.45 s at 100,000 cards)
    while SQLAlchemy imports; `--help`, `--version`, `verify` and the like open nothing, so
    nothing is started. Nor does the window: it paints first and checks behind the paint.
    """
    import argparse

    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--data-dir")
    early.add_argument("-v", "--verbose", action="store_true")
    try:
        known, rest = early.parse_known_args(words)
    except SystemExit:
        return
    if not rest or rest[0] not in COLLECTION_COMMANDS:
        return  # the window starts its own check once it has painted (ui.start_check)
    early_check.start(data_dir_from(known.data_dir))


def _contain_children() -> None:
    """rustc and deck programs end with quizapp, and what a killed quizapp left is removed."""
    from quizapp import rustc

    rustc.install_exit_cleanup()
    rustc.clean_stale_temp_dirs()


if __name__ == "__main__":
    sys.exit(main())
