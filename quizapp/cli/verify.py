"""`quizapp verify [PATH...]`: check deck files against the schema and the local rustc.

Made for two readers: a deck author in a terminal (a live counter, one line per problem that
names the file and card) and CI (plain lines, the `N passed, M failed` summary last, a
non-zero exit on any failure, exit 2 when rustc is missing so that reads as "set up the
machine", not "the deck is wrong").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from quizapp.cli.printing import say

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_ENVIRONMENT = 2


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "verify",
        help="check deck files against the schema and the local rustc",
        description="Check deck files: schema, unique ids, and every code card's answer "
        "against the local rustc. With no PATH, checks the decks shipped with quizapp.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", type=Path, help="deck files or directories of them"
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=None,
        metavar="N",
        help="compile N snippets at once (default: the number of CPUs)",
    )
    p.add_argument(
        "--run",
        action="store_true",
        help="also run the programs of decks not shipped with quizapp (this runs their "
        "author's code on this machine: in bubblewrap's sandbox where it works, otherwise "
        "only under time, memory, file-size and process limits)",
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="rewrite [cards.checked] in the deck files with what rustc says now",
    )
    p.add_argument("--no-cache", action="store_true", help="ask rustc again for every card")
    p.add_argument(
        "--lint",
        action="store_true",
        help="also flag duplicate questions, choice cards whose right option is the longest, "
        "missing explanations, rustc quoted by hand, and diagnostics from another rustc",
    )
    p.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from quizapp import rustc
    from quizapp.services.verify import verify_paths

    progress = _Progress(sys.stderr)
    if args.run:
        from quizapp.services.tryit import containment_text

        print(f"verify --run: {containment_text()}", file=sys.stderr)
    try:
        report = verify_paths(
            args.paths,
            jobs=args.jobs,
            run_foreign=args.run,
            write=args.write,
            progress_callback=progress,
            use_cache=not args.no_cache,
            lint=args.lint,
        )
    except rustc.RustcError as exc:
        # Missing, or there but unusable: rustup without a default toolchain fails
        # `rustc --version` ("no default toolchain configured"). The machine's problem, not
        # the deck's: said in one message, no traceback.
        progress.finish()
        say(f"quizapp verify: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    progress.finish()
    for finding in report.failures:
        say(finding.render())
    for finding in report.skips:
        say(f"{finding.render()} (skipped)")
    for path in report.written:
        say(f"wrote {path}", file=sys.stderr)
    if report.rustc_version:
        say(
            f"checked with {report.rustc_version}: {report.compiles} compiled, "
            f"{report.cache_hits} from the cache",
            file=sys.stderr,
        )
    say(report.summary())
    return EXIT_OK if report.ok else EXIT_FAILED


class _Progress:
    """A counter redrawn in place on a terminal, and nothing elsewhere.

    In a pipe or a CI log a progress line is noise between the findings (and `\r` redraws
    pile up as garbage), so only a terminal on stderr gets one, as cargo does.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if self.tty:
            self.stream.write(f"\rverify: {done}/{total} code cards")
            self.stream.flush()
            self.shown = True

    def finish(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
