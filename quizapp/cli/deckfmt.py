"""`quizapp fmt` and `quizapp new-card`: deck files laid out one way, cards started right.

`fmt` is for deck authors and their CI, like `cargo fmt`: it rewrites files into the
canonical form (docs/deck-format.md) and says nothing when all went well; `--check` writes
nothing, lists the files that would change and exits 1. Exit codes: 0 done (or already
canonical), 1 files would change (`--check`), 2 a file could not be read or formatted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.printing import say
from quizapp.core.model import Kind
from quizapp.core.shown import MAX_ECHO, clip

EXIT_OK = 0
EXIT_WOULD_CHANGE = 1
EXIT_ERROR = 2


def add_parser(commands: Any) -> None:
    f: argparse.ArgumentParser = commands.add_parser(
        "fmt",
        help="rewrite deck files in the canonical layout (--check for CI)",
        description="Rewrite deck files in the one layout docs/deck-format.md defines: field "
        "order, string styles, blank lines. Values and comments are kept. Directories are "
        "searched for *.toml.",
    )
    f.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="deck files or folders")
    f.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that are not canonical and exit 1 if any",
    )
    f.set_defaults(handler=run_fmt)

    n: argparse.ArgumentParser = commands.add_parser(
        "new-card",
        help="append a card skeleton with a fresh id to a deck file",
        description="Append an empty card of KIND to the end of FILE, leaving every byte "
        "before it as it was. Fill in the texts left empty; `quizapp verify` names them.",
    )
    n.add_argument("file", type=Path, metavar="FILE")
    n.add_argument(
        "--kind",
        required=True,
        choices=[kind.value for kind in Kind],
        help="the kind of card",
    )
    n.set_defaults(handler=run_new_card)


def deck_files(paths: list[Path]) -> list[Path]:
    """The files named, and the *.toml files under the folders named, in a stable order."""
    out: list[Path] = []
    for path in paths:
        out += sorted(path.rglob("*.toml")) if path.is_dir() else [path]
    return out


def run_fmt(args: argparse.Namespace) -> int:
    from quizapp.services.deckfmt import FormatError, format_text
    from quizapp.services.importers import write_atomically

    status = EXIT_OK
    for path in deck_files(args.paths):
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            canonical = format_text(text, str(path))
        except (OSError, UnicodeDecodeError, FormatError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            # The reason may quote the file's own keys: escaped and cut, as every echo is.
            said = reason if isinstance(exc, FormatError) else f"{path}: {reason}"
            say(f"quizapp fmt: {clip(said, 3 * MAX_ECHO)}", file=sys.stderr)
            status = EXIT_ERROR
            continue
        if canonical.encode("utf-8") == raw:
            continue
        if args.check:
            say(path)
            status = max(status, EXIT_WOULD_CHANGE)
        else:
            write_atomically(path, canonical.encode("utf-8"))
    return status


def run_new_card(args: argparse.Namespace) -> int:
    from quizapp.services.deckfmt import FormatError, append_card
    from quizapp.services.importers import write_atomically

    path: Path = args.file
    try:
        text = path.read_bytes().decode("utf-8")
        out, card_id = append_card(text, args.kind, str(path))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        say(f"quizapp new-card: {path}: {clip(str(reason), 3 * MAX_ECHO)}", file=sys.stderr)
        return 1
    except FormatError as exc:
        say(f"quizapp new-card: {clip(str(exc), 3 * MAX_ECHO)}", file=sys.stderr)
        return 1
    write_atomically(path, out.encode("utf-8"))
    print(card_id)
    return 0
