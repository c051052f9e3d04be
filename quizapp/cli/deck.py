"""`quizapp deck rename OLD NEW` and `quizapp deck delete NAME [--yes]`: one deck, by name.

A deck is named as `quizapp list` shows it (exactly, then ignoring case) or by its id.
`delete` says what it takes (cards, reviews) and asks at a terminal; without a terminal it
deletes only with `--yes`, since losing a deck's history unseen is never a default. A
backup is taken first either way (`quizapp backup list` shows it). Shipped decks are
refused by both: their file would bring the old name, or the whole deck, back.
Exit codes: 0 done, 1 failed or refused, 2 declined.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli.common import EXIT_DECLINED, EXIT_FAILED, EXIT_OK, open_for_cli
from quizapp.core.wording import count


def add_parser(commands: Any) -> None:
    top: argparse.ArgumentParser = commands.add_parser(
        "deck",
        help="rename or delete one of your decks",
        description="Rename or delete a deck of your own (shipped decks are refused).",
    )
    sub = top.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    r = sub.add_parser("rename", help="give a deck another name (one undo step in the window)")
    r.add_argument("old", metavar="OLD", help="the deck's name or id")
    r.add_argument("new", metavar="NEW", help="its new name")
    r.set_defaults(handler=run_rename)
    d = sub.add_parser(
        "delete",
        help="delete a deck with its cards and their history (a backup is taken first)",
    )
    d.add_argument("name", metavar="NAME", help="the deck's name or id")
    d.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    d.set_defaults(handler=run_delete)


def run_rename(args: argparse.Namespace) -> int:
    from quizapp.services import cards
    from quizapp.services.exchange import find_deck

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            uuid = find_deck(col, args.old)
            before = cards.deck_contents(col, uuid).name
            cards.rename_deck(col, uuid, args.new)
        except (LookupError, cards.CardError) as exc:
            return _fail(str(exc))
        print(f"Renamed “{before}” to “{args.new.strip()}”.")
        return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    from quizapp.services import cards
    from quizapp.services.exchange import find_deck

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            uuid = find_deck(col, args.name)
            contents = cards.deck_contents(col, uuid)
        except (LookupError, cards.CardError) as exc:
            return _fail(str(exc))
        if contents.shipped:
            return _fail(_shipped(contents.name))
        what = (
            f"“{contents.name}”: {count(contents.cards, 'card')}, "
            f"{count(contents.reviews, 'review')} in their history"
        )
        if not args.yes:
            if not sys.stdin.isatty():
                return _fail(f"not deleted {what}: no terminal to ask; run again with --yes")
            if not _confirm(f"Delete {what}? A backup is taken first. [y/N] "):
                print("Nothing changed.", file=sys.stderr)
                return EXIT_DECLINED
        try:
            cards.delete_deck(col, uuid)
        except cards.CardError as exc:
            return _fail(str(exc))
        print(f"Deleted {what} (a backup was taken first: `quizapp backup list`).")
        return EXIT_OK


def _shipped(name: str) -> str:
    return (
        f"“{name}” ships with quizapp and would come back at the next start; "
        "it cannot be deleted. To keep it out of study, suspend its cards in the browser."
    )


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _fail(message: str) -> int:
    print(f"quizapp: {message}", file=sys.stderr)
    return EXIT_FAILED
