"""`quizapp import`, `export`, `export-progress` and `import-progress`: decks and progress in and out.

`import` prints the plan first (what will be added, changed, removed) and, at a terminal,
asks before changing anything; in a script (stdin not a terminal) or with `--yes` it goes
ahead. An mdbook-quiz program that does not compile is read without rustc's error codes
(reading compiles nothing); after the preview, `--compile` or a yes at the terminal's
question has rustc name them, sandboxed and limited, and the cards left without are listed. Every file is read and planned before the first is applied, so a bad file stops the
run with the collection unchanged. Exit codes: 0 done, 1 refused or failed, 2 declined.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli.common import EXIT_DECLINED, EXIT_FAILED, EXIT_OK, open_for_cli
from quizapp.cli.printing import say
from quizapp.core.shown import MAX_ECHO, clip, shown
from quizapp.core.wording import count

SHOWN_ERRORS = 40
ERROR_LINE_LIMIT = 3 * MAX_ECHO
"""An error line: where (file, place) and what, with the value it quotes cut to size."""


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "import",
        help="import deck files (.toml, mdbook-quiz .toml, .csv, .tsv, ...)",
        description="Import decks. Shows what will be added, changed and removed first; cards "
        "already in the collection keep their history.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--delete-removed",
        action="store_true",
        help="delete cards no longer in the file, WITH their review history "
        "(default: hide them and keep it)",
    )
    p.add_argument(
        "--with-progress",
        action="store_true",
        help="also take the scheduling the file carries (only for cards never reviewed here)",
    )
    p.add_argument("--yes", "-y", action="store_true", help="do not ask before importing")
    p.add_argument(
        "--compile",
        action="store_true",
        help="compile an mdbook-quiz file's programs that do not compile with your rustc "
        "(sandboxed and limited; never run) so their cards name rustc's errors "
        "(at a terminal, quizapp asks after the preview)",
    )
    naming = p.add_mutually_exclusive_group()
    naming.add_argument(
        "--name",
        metavar="NAME",
        help="what to call the deck of a one-deck file (a CSV is otherwise named after the file)",
    )
    naming.add_argument(
        "--into",
        metavar="DECK",
        help="add a one-deck file's cards to this deck of yours (name or id) instead",
    )
    p.set_defaults(handler=run_import)

    e: argparse.ArgumentParser = commands.add_parser(
        "export",
        help="export a deck to a file (format by extension)",
        description="Write a deck to FILE; the extension chooses the format.",
    )
    e.add_argument("deck", metavar="DECK", help="the deck's name or id")
    e.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    e.set_defaults(handler=run_export)

    ep: argparse.ArgumentParser = commands.add_parser(
        "export-progress",
        help="write your schedule and review history to a JSON file",
        description="Write every card's schedule and review log, keyed by card id, to FILE.",
    )
    ep.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    ep.set_defaults(handler=run_export_progress)

    ip: argparse.ArgumentParser = commands.add_parser(
        "import-progress",
        help="merge a progress file written by export-progress",
        description="Merge a progress file: adds the reviews this collection lacks, never "
        "removes any, and takes a card's schedule when the file's last review is newer.",
    )
    ip.add_argument("file", type=Path, metavar="FILE")
    ip.set_defaults(handler=run_import_progress)


def run_import(args: argparse.Namespace) -> int:
    from quizapp.services.collection import CollectionError
    from quizapp.services.exchange import (
        ImportFailed,
        apply_import,
        find_deck,
        plan_import,
        summarize_plan,
    )
    from quizapp.services.importers import read_bundle

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        naming: dict[str, str] = {}
        if args.name is not None or args.into is not None:
            if len(args.files) != 1:
                _fail("--name and --into take one file")
                return EXIT_FAILED
            try:
                naming = (
                    {"deck_name": args.name}
                    if args.name is not None
                    else {"target_deck": find_deck(col, args.into)}
                )
            except LookupError as exc:
                _fail(str(exc))
                return EXIT_FAILED
        plans = []
        for path in args.files:
            try:
                plan = plan_import(col, read_bundle(path), **naming)
            except ImportFailed as exc:
                _fail(str(exc))
                return EXIT_FAILED
            if not plan.ok:
                _fail("\n".join(plan.errors))
                return EXIT_FAILED
            plans.append(plan)
            say(f"{path}:")
            for line in summarize_plan(plan):
                say(f"  {line}")
        if any(p.bundle.uncompiled for p in plans):
            compiled = _compile_programs(col, args, plans, naming)
            if compiled is None:
                return EXIT_FAILED
            plans = compiled
        if args.delete_removed and any(d.removed for p in plans for d in p.decks):
            lost = sum(d.removed_reviews for p in plans for d in p.decks)
            say(f"--delete-removed: removed cards will be deleted with {count(lost, 'review')}.")
        if not args.yes and sys.stdin.isatty() and not _confirm("Import? [y/N] "):
            say("Nothing imported.", file=sys.stderr)
            return EXIT_DECLINED
        for path, plan in zip(args.files, plans, strict=True):
            try:
                result = apply_import(
                    col,
                    plan,
                    delete_removed=args.delete_removed,
                    with_progress=args.with_progress,
                )
            except (ImportFailed, CollectionError) as exc:
                _fail(f"{path}: {exc}" if isinstance(exc, CollectionError) else str(exc))
                return EXIT_FAILED
            for d in result.decks:
                gone = f"{d.deleted} deleted" if d.deleted else f"{d.retired} hidden"
                say(f"{path}: {shown(d.name)}: {d.added} added, {d.changed} changed, {gone}")
            if result.progress_applied or result.progress_kept_local:
                say(
                    f"{path}: scheduling taken for {count(result.progress_applied, 'card')}, "
                    f"kept yours for {result.progress_kept_local}"
                )
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from quizapp.services.exchange import export_deck, find_deck

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            exported = export_deck(col, find_deck(col, args.deck), args.output)
        except (LookupError, ValueError, OSError) as exc:
            _fail(str(exc))
            return EXIT_FAILED
    say(f"{args.output}: {exported.deck.name}, {count(exported.cards, 'card')}")
    return EXIT_OK


def run_export_progress(args: argparse.Namespace) -> int:
    from quizapp.services.exchange import export_progress

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            cards = export_progress(col, args.output)
        except OSError as exc:
            _fail(f"{args.output}: {exc.strerror}")
            return EXIT_FAILED
        except ValueError as exc:
            _fail(f"{args.output}: {exc}")
            return EXIT_FAILED
    say(f"{args.output}: progress of {count(cards, 'card')}")
    return EXIT_OK


def run_import_progress(args: argparse.Namespace) -> int:
    from quizapp.services.collection import CollectionError
    from quizapp.services.exchange import ImportFailed, import_progress

    with open_for_cli(args) as col:
        if col is None:
            return EXIT_FAILED
        try:
            result = import_progress(col, args.file)
        except ImportFailed as exc:
            _fail(str(exc))
            return EXIT_FAILED
        except CollectionError as exc:
            _fail(f"{args.file}: {exc}")
            return EXIT_FAILED
    say(
        f"{args.file}: {count(result.cards, 'card')}, {count(result.reviews_added, 'review')}"
        f" added, {count(result.states_taken, 'schedule')} taken from the file"
    )
    return EXIT_OK


def _compile_programs(
    col: Any, args: argparse.Namespace, plans: list[Any], naming: dict[str, str]
) -> list[Any] | None:
    """After the preview: with consent (`--compile`, or yes at a terminal), rustc names the
    errors of each mdbook-quiz program that does not compile; the plans are made again from
    the filled-in files. Without consent nothing is compiled. Either way the cards left
    without an error code are listed, with their place in the file. None: a plan failed."""
    from quizapp import rustc
    from quizapp.services.exchange import plan_import
    from quizapp.services.quiz_errors import compile_consent_text, compile_uncompiled, left_lines

    pending = sum(len(p.bundle.uncompiled) for p in plans)
    consent = bool(args.compile)
    if consent:
        say(f"--compile: {compile_consent_text(pending)}", file=sys.stderr)
    elif not args.yes and sys.stdin.isatty():
        say(f"{compile_consent_text(pending)}")
        consent = _confirm("Compile them to name their errors? [y/N] ")
    done = []
    for path, plan in zip(args.files, plans, strict=True):
        if not plan.bundle.uncompiled:
            done.append(plan)
            continue
        compiled = None
        if consent:
            try:
                compiled = compile_uncompiled(plan.bundle)
            except rustc.Cancelled:
                return None
            plan = plan_import(col, compiled.bundle, **naming)
            if not plan.ok:
                _fail("\n".join(plan.errors))
                return None
            say(f"{path}: rustc named the errors of {count(compiled.filled, 'card')}")
        left = compiled.left if compiled is not None else tuple(plan.bundle.uncompiled)
        if left:
            say(
                f"{path}: {count(len(left), 'card')} left without rustc's error code (they ask on "
                "which line rustc reports the error, or whether the program compiles):"
            )
            for line in left_lines(compiled, plan.bundle):
                say(f"  {shown(line, ERROR_LINE_LIMIT)}")
            if compiled is None:
                say("  quizapp import --compile has rustc name them.")
        done.append(plan)
    return done


def _confirm(question: str) -> bool:
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _fail(message: str) -> None:
    lines = message.splitlines()
    for line in lines[:SHOWN_ERRORS]:
        say(f"quizapp: {clip(line, ERROR_LINE_LIMIT)}", file=sys.stderr)
    if len(lines) > SHOWN_ERRORS:
        say(f"quizapp: ... and {len(lines) - SHOWN_ERRORS} more", file=sys.stderr)
    say("quizapp: nothing was changed.", file=sys.stderr)
