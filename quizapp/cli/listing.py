"""`quizapp list`: the deck list with today's counts, as the window shows it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli.common import open_for_cli


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "list", help="list decks with their new and due counts"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.services.study import deck_overview

    with open_for_cli(args) as col:
        if col is None:
            return 1
        rows = deck_overview(col)
    width = max([len(r.name) for r in rows] + [4])
    print(f"{'Deck':<{width}}  {'New':>5}  {'Learn':>5}  {'Due':>5}  {'Cards':>5}")
    for r in rows:
        c = r.counts
        print(f"{r.name:<{width}}  {c.new:>5}  {c.learning:>5}  {c.due:>5}  {r.cards:>5}")
    if not rows:
        print("No decks.", file=sys.stderr)
    return 0
