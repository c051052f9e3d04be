"""`quizapp sync [DIR] [--status] [--compact]`: merge the learner's other machines.

DIR is a folder something else keeps in sync between the machines (Syncthing, Dropbox, a
network share, a git repository); the first `quizapp sync DIR` chooses it, and afterwards
`quizapp sync` alone uses it. See docs/sync.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import open_for_cli


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "sync",
        help="merge study, edits and settings from your other machines through a synced folder",
        description="Each machine appends what it does to its own files in DIR and merges "
        "the others'; no file is written by two machines, so the folder never conflicts.",
    )
    p.add_argument("folder", nargs="?", type=Path, metavar="DIR", help="the shared folder")
    p.add_argument("--status", action="store_true", help="what is merged and what waits")
    p.add_argument(
        "--compact",
        action="store_true",
        help="replace this machine's older journal files by one snapshot now",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.services import sync

    with open_for_cli(args, sync_decks=args.folder is not None or not args.status) as col:
        if col is None:
            return 1
        if args.status and args.folder is None:
            for line in sync.status(col).lines():
                print(line)
            return 0
        try:
            report = sync.sync(col, args.folder, compact=True if args.compact else None)
        except sync.SyncError as exc:
            print(f"quizapp: {exc}", file=sys.stderr)
            return 1
        for line in report.lines():
            print(line)
        if args.status:
            for line in sync.status(col).lines():
                print(line)
    return 0
