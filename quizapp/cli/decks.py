"""`quizapp decks subscribe|update|publish|list|unsubscribe`: a team's decks from git.

`subscribe` and `update` print the import preview (what each deck gains, changes and
loses) and then ask at a terminal. Without a terminal (a script, CI) they apply only with
`--yes`: taking another team's changes unseen is the learner's choice, never a default.
Exit codes: 0 done (or nothing to do), 1 failed or refused, 2 declined.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import EXIT_DECLINED, EXIT_FAILED, EXIT_OK, open_for_cli
from quizapp.core.wording import count


def add_parser(commands: Any) -> None:
    top: argparse.ArgumentParser = commands.add_parser(
        "decks",
        help="subscribe to a team's deck repository (git), update from it, publish to one",
        description="Team decks kept in git: see docs/teams.md.",
    )
    sub = top.add_subparsers(dest="decks_command", metavar="ACTION", required=True)

    s = sub.add_parser(
        "subscribe",
        help="clone a deck repository and import its decks",
        description="Clone URL (or a local PATH) and import its deck files (the ones its "
        "quizapp-decks.toml lists, else every *.toml deck file), showing the preview first.",
    )
    s.add_argument("url", metavar="URL|PATH")
    s.add_argument("--branch", "-b", default="", metavar="B", help="the branch to follow")
    s.add_argument("--name", default="", help="what to call the subscription")
    s.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    s.set_defaults(handler=run_subscribe)

    u = sub.add_parser(
        "update",
        help="fetch subscriptions and show what changed before applying it",
        description="Fetch each subscription (or NAME), show what its decks gain, change and "
        "lose, and apply when you say so. Removed cards are hidden and keep their history.",
    )
    u.add_argument("name", nargs="?", metavar="NAME")
    u.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    u.set_defaults(handler=run_update)

    p = sub.add_parser(
        "publish",
        help="write your own decks into a git repository folder and commit them",
        description="Write your decks (not the shipped ones, not subscribed ones unless "
        "named) as canonical deck files into DIR and commit them. Pushing is up to you.",
    )
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument("--deck", action="append", default=[], metavar="NAME", help="only this deck")
    p.add_argument("--message", "-m", default="", help="the commit message")
    p.set_defaults(handler=run_publish)

    ls = sub.add_parser("list", help="list subscriptions and when each was last updated")
    ls.set_defaults(handler=run_list)

    un = sub.add_parser(
        "unsubscribe",
        help="stop following a repository (its decks and your progress stay)",
    )
    un.add_argument("name", metavar="NAME")
    un.set_defaults(handler=run_unsubscribe)


def run_subscribe(args: argparse.Namespace) -> int:
    from quizapp.services import subscriptions as subs

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            pending = subs.prepare_subscribe(col, args.url, branch=args.branch, name=args.name)
        except subs.SubscriptionError as exc:
            return _fail(str(exc))
        return _preview_and_apply(col, pending, yes=args.yes)


def run_update(args: argparse.Namespace) -> int:
    from quizapp.services import subscriptions as subs

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            chosen = (
                [subs.find_subscription(col, args.name)]
                if args.name
                else subs.list_subscriptions(col)
            )
        except subs.SubscriptionError as exc:
            return _fail(str(exc))
        if not chosen:
            print("No subscriptions (see `quizapp decks subscribe`).", file=sys.stderr)
            return EXIT_OK
        status = EXIT_OK
        for sub in chosen:
            try:
                pending = subs.prepare_update(col, sub)
            except subs.SubscriptionError as exc:
                status = max(status, _fail(str(exc)))
                continue
            status = max(status, _preview_and_apply(col, pending, yes=args.yes))
        return status


def _preview_and_apply(col: Any, pending: Any, *, yes: bool) -> int:
    from quizapp.services import subscriptions as subs
    from quizapp.services.exchange import ImportFailed

    for line in pending.summary():
        print(line)
    if not pending.changes_anything:
        subs.mark_up_to_date(col, pending)
        return EXIT_OK
    if not yes:
        if not sys.stdin.isatty():
            print(
                "quizapp: not applied: no terminal to ask; run again with --yes to apply",
                file=sys.stderr,
            )
            subs.discard(col, pending)
            return EXIT_FAILED
        if not _confirm("Apply? [y/N] "):
            print("Nothing changed.", file=sys.stderr)
            subs.discard(col, pending)
            return EXIT_DECLINED
    try:
        result = subs.apply_subscription(col, pending)
    except ImportFailed as exc:
        subs.discard(col, pending)
        return _fail(str(exc))
    for d in result.decks:
        print(f"{d.name}: {d.added} added, {d.changed} changed, {d.retired} hidden")
    return EXIT_OK


def run_publish(args: argparse.Namespace) -> int:
    from quizapp.services import subscriptions as subs
    from quizapp.services.exchange import find_deck

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            uuids = [find_deck(col, name) for name in args.deck] or None
            published = subs.publish(col, args.folder, uuids, message=args.message)
        except (LookupError, subs.SubscriptionError) as exc:
            return _fail(str(exc))
    for path in published.written:
        print(f"wrote {path}")
    if published.commit is None:
        print("Nothing to publish: the deck files are up to date.", file=sys.stderr)
    else:
        print(f"committed {published.commit[:12]}; push it with git when you are ready")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    from quizapp.services import subscriptions as subs

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        rows = subs.list_subscriptions(col)
    if not rows:
        print("No subscriptions (see `quizapp decks subscribe`).", file=sys.stderr)
        return EXIT_OK
    for sub in rows:
        branch = f" [{sub.branch}]" if sub.branch else ""
        when = sub.updated_at or "never"
        print(
            f"{sub.name}  {sub.url}{branch}  {count(len(sub.decks), 'deck')}  "
            f"at {sub.commit[:12] or '-'}  updated {when}"
        )
    return EXIT_OK


def run_unsubscribe(args: argparse.Namespace) -> int:
    from quizapp.services import subscriptions as subs

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        if not subs.forget_subscription(col, args.name):
            return _fail(f"no subscription called {args.name!r}")
    print(f"{args.name}: unsubscribed; its decks and your progress in them stay")
    return EXIT_OK


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _fail(message: str) -> int:
    for line in message.splitlines():
        print(f"quizapp: {line}", file=sys.stderr)
    print("quizapp: nothing was changed.", file=sys.stderr)
    return EXIT_FAILED
