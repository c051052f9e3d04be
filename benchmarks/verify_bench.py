"""Time `verify` over the shipped decks twice: cold (empty cache), then warm.

The cache is what makes re-verifying cheap enough to run on every change; this shows by how
much. Speed is measured here, never asserted in tests (see DESIGN.md).

    python benchmarks/verify_bench.py [--jobs N] [DECKS_DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.adapters.paths import shipped_decks_dir
from quizapp.services.verify import VerifyReport, verify_paths


def timed(decks: Path, jobs: int | None, cache: Path) -> tuple[float, VerifyReport]:
    start = time.perf_counter()
    report = verify_paths([decks], jobs=jobs, cache_dir=cache)
    return time.perf_counter() - start, report


def main() -> int:
    parser = argparse.ArgumentParser(description="cold vs warm `quizapp verify`")
    parser.add_argument("decks", nargs="?", type=Path, default=shipped_decks_dir())
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as cache:
        for label in ("cold", "warm"):
            seconds, report = timed(args.decks, args.jobs, Path(cache))
            print(
                f"{label}: {seconds:6.2f} s  {report.decks} decks, {report.summary()}; "
                f"{report.compiles} rustc runs, {report.cache_hits} cache hits"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
