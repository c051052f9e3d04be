"""`quizapp deck-options`, `quizapp optimize` and `quizapp workload`: a deck's scheduler,
fitting FSRS to your log, and what a desired retention would cost in reviews a day."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from quizapp.cli.common import open_for_cli
from quizapp.core.deck_options import DEFAULT_NEW_ORDER
from quizapp.core.queue import NEW_ORDERS
from quizapp.core.shown import shown
from quizapp.core.wording import count


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "deck-options",
        help="show or change a deck's daily limits, new-card order, scheduler (sm2 or fsrs) "
        "and desired retention",
        description="Switching the scheduler replays every card's review log through the "
        "new one; nothing is lost, and switching back restores the old state.",
    )
    p.add_argument("deck", help="the deck's name or id")
    p.add_argument("--scheduler", choices=["sm2", "fsrs"])
    p.add_argument("--retention", type=float, help="FSRS's desired retention, 0.7 to 0.99")
    for name, what in (("new-per-day", "new cards"), ("reviews-per-day", "reviews")):
        p.add_argument(
            f"--{name}",
            type=daily_limit,
            metavar="N|settings",
            help=f"this deck's own limit of {what} a day (0 to 9999), or 'settings' to follow "
            "Settings",
        )
    p.add_argument(
        "--new-order", choices=NEW_ORDERS, help="new cards mixed by kind, or in file order"
    )
    p.set_defaults(handler=run_options)

    p = commands.add_parser(
        "optimize",
        help="fit FSRS's parameters to your own review log (needs a few hundred reviews)",
    )
    p.add_argument("--deck", help="one deck (by name or id); default: every FSRS deck")
    p.set_defaults(handler=run_optimize)

    p = commands.add_parser(
        "workload",
        help="expected reviews per day over the next year for a deck, at a desired retention",
    )
    p.add_argument("deck", help="the deck's name or id")
    p.add_argument("--retention", type=float, help="simulate FSRS at this retention")
    p.add_argument("--days", type=int, default=365, help="how far ahead (1 to 3650 days)")
    p.set_defaults(handler=run_workload)


FOLLOW_SETTINGS = "settings"


def daily_limit(text: str) -> int | str:
    """A whole number (bounded when the options are checked), or 'settings'."""
    if text == FOLLOW_SETTINGS:
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a whole number or 'settings': {shown(text)}"
        ) from None


def run_options(args: argparse.Namespace) -> int:
    from quizapp.services.deck_options import DeckOptionsError, deck_options, set_deck_options
    from quizapp.services.exchange import find_deck

    with open_for_cli(args) as col:
        if col is None:
            return 1
        try:
            uuid = find_deck(col, args.deck)
            options = deck_options(col, uuid)
            wanted = options
            if args.scheduler:
                wanted = replace(wanted, scheduler=args.scheduler)
            if args.retention is not None:
                wanted = replace(wanted, desired_retention=args.retention)
            for name in ("new_per_day", "reviews_per_day"):
                limit = getattr(args, name)
                if limit is not None:
                    wanted = replace(wanted, **{name: None if limit == FOLLOW_SETTINGS else limit})
            if args.new_order:
                wanted = replace(wanted, new_order=args.new_order)
            if wanted != options:
                set_deck_options(col, uuid, wanted)
        except (DeckOptionsError, LookupError, ValueError) as exc:
            print(f"quizapp: {exc}")
            return 1
    fitted = (
        f"fitted on {wanted.optimized_on}" if wanted.fsrs_parameters is not None else "defaults"
    )
    for name, label in (("new_per_day", "new cards a day"), ("reviews_per_day", "reviews a day")):
        own = getattr(wanted, name)
        if own is not None:
            print(f"{label}: {own}")
    if wanted.new_order != DEFAULT_NEW_ORDER:
        print(f"new cards come in: {wanted.new_order} order")
    print(f"scheduler: {wanted.scheduler}")
    if wanted.scheduler == "fsrs":
        print(f"desired retention: {wanted.desired_retention}")
        print(f"parameters: {fitted}")
    return 0


def run_optimize(args: argparse.Namespace) -> int:
    from quizapp.services import optimize
    from quizapp.services.deck_options import deck_options
    from quizapp.services.exchange import find_deck
    from quizapp.services.study import deck_overview

    with open_for_cli(args) as col:
        if col is None:
            return 1
        try:
            decks = (
                [find_deck(col, args.deck)]
                if args.deck
                else [
                    d.uuid
                    for d in deck_overview(col)
                    if deck_options(col, d.uuid).scheduler == "fsrs"
                ]
            )
        except LookupError as exc:
            print(f"quizapp: {exc}")
            return 1
        if not decks:
            print("No deck uses FSRS; choose one with: quizapp deck-options DECK --scheduler fsrs")
            return 1
        names = {d.uuid: d.name for d in deck_overview(col)}
        status = 0
        for uuid in decks:
            try:
                options = optimize.optimize_deck(col, uuid)
            except (optimize.NotEnoughReviews, optimize.OptimizerUnavailable) as exc:
                print(f"{shown(names.get(uuid, uuid))}: {exc}")
                status = 1
                continue
            print(
                f"{shown(names.get(uuid, uuid))}: FSRS fitted to your reviews on {options.optimized_on}"
            )
    return status


def run_workload(args: argparse.Namespace) -> int:
    from quizapp.services import optimize
    from quizapp.services.deck_options import DeckOptionsError
    from quizapp.services.exchange import find_deck

    if not 1 <= args.days <= 3650:
        print("quizapp: --days is a whole number from 1 to 3650")
        return 1
    with open_for_cli(args) as col:
        if col is None:
            return 1
        try:
            forecast = optimize.forecast_workload(
                col, find_deck(col, args.deck), desired_retention=args.retention, days=args.days
            )
        except (DeckOptionsError, LookupError, ValueError) as exc:
            print(f"quizapp: {exc}")
            return 1
    print(f"Expected reviews over {count(args.days, 'day')}: {forecast.total_reviews:.0f}")
    month = 30
    for start in range(0, len(forecast.reviews), month):
        chunk = forecast.reviews[start : start + month]
        day = forecast.days[start].isoformat()
        print(f"  from {day}: {sum(chunk) / len(chunk):6.1f} reviews a day")
    return 0
