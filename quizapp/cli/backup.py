"""`quizapp backup list|now|restore ID|keep N`: the collection's backups from the command line.

`restore` backs up the current state first, so it can itself be undone. When the
collection is too damaged to open, `restore` moves the damaged file aside and puts the
backup in its place.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli.common import open_for_cli
from quizapp.cli.printing import say
from quizapp.core.wording import count


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "backup", help="list, take and restore backups of the collection"
    )
    actions = p.add_subparsers(dest="backup_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="the backups, newest first").set_defaults(handler=run_list)
    actions.add_parser("now", help="take a backup now").set_defaults(handler=run_now)
    restore = actions.add_parser(
        "restore", help="replace the collection with a backup (after backing up the current one)"
    )
    restore.add_argument("id", help="a backup id from `quizapp backup list` (or its start)")
    restore.set_defaults(handler=run_restore)
    keep = actions.add_parser(
        "keep", help="how many backups to keep (default 10; the newest of each kind stays too)"
    )
    keep.add_argument("count", type=int)
    keep.set_defaults(handler=run_keep)


# The services are imported when a command runs: parsing the window's arguments needs none.


def run_list(args: argparse.Namespace) -> int:
    from quizapp.services import backup
    from quizapp.services.collection import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    found = backup.list_backups(data_dir)
    if not found:
        say(f"No backups yet in {backup.backups_dir(data_dir)}.", file=sys.stderr)
        return 0
    width = max(len(b.id) for b in found)
    say(f"{'ID':<{width}}  {'Taken':<19}  {'Reason':<24}  {'Size':>9}")
    for b in found:
        say(
            f"{b.id:<{width}}  {b.taken_at:%Y-%m-%d %H:%M:%S}  {b.reason:<24}  "
            f"{b.bytes / 2**20:>7.1f} M"
        )
    return 0


def run_now(args: argparse.Namespace) -> int:
    from quizapp.services import backup
    from quizapp.services.collection import CollectionError

    with open_for_cli(args, sync_decks=False) as col:
        if col is None:
            return 1
        try:
            info = backup.take_backup(col)
        except CollectionError as exc:
            say(f"quizapp: {exc}", file=sys.stderr)
            return 1
    say(f"Backed up to {info.path} (id {info.id}).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from quizapp.services import backup
    from quizapp.services.collection import (
        CollectionCorrupt,
        CollectionError,
        open_collection,
        resolve_data_dir,
    )

    data_dir = resolve_data_dir(args.data_dir)
    try:
        col = open_collection(data_dir)
    except CollectionCorrupt as exc:
        return _restore_damaged(data_dir, args.id, exc)
    except CollectionError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        return 1
    try:
        result = backup.restore_backup(col, args.id)
    except LookupError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        return 2
    except CollectionError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        return 1
    finally:
        col.close()
    say(f"Restored {result.restored.id}.")
    if result.safety is not None:
        say(f"The state before the restore is backup {result.safety.id}.")
    return 0


def _restore_damaged(data_dir: Any, backup_id: str, why: Exception) -> int:
    from quizapp.services import backup
    from quizapp.services.collection import CollectionError

    say(f"quizapp: {why}", file=sys.stderr)
    try:
        result = backup.restore_damaged(data_dir, backup_id)
    except LookupError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        return 2
    except CollectionError as exc:
        say(f"quizapp: {exc}", file=sys.stderr)
        return 1
    say(f"Restored {result.restored.id}; the damaged file is kept as {result.damaged_moved_to}.")
    return 0


def run_keep(args: argparse.Namespace) -> int:
    from quizapp.services import backup

    with open_for_cli(args, sync_decks=False) as col:
        if col is None:
            return 1
        try:
            backup.set_keep_count(col, args.count)
        except ValueError as exc:
            say(f"quizapp: {exc}", file=sys.stderr)
            return 2
    say(
        f"Keeping the last {count(args.count, 'backup')}."
        if args.count != 1
        else "Keeping the last backup."
    )
    return 0
