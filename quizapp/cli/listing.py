"""`quizapp list`: the deck list with today's counts, as the window shows it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli.common import open_for_cli
from quizapp.cli.printing import say
from quizapp.core.shown import shown


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
    names = [shown(r.name) for r in rows]  # a deck's name is whatever its file said
    width = max([len(n) for n in names] + [4])
    say(f"{'Deck':<{width}}  {'New':>5}  {'Learn':>5}  {'Due':>5}  {'Cards':>5}")
    for r, name in zip(rows, names, strict=True):
        c = r.counts
        say(f"{name:<{width}}  {c.new:>5}  {c.learning:>5}  {c.due:>5}  {r.cards:>5}")
    if not rows:
        say("No decks.", file=sys.stderr)
    return 0
