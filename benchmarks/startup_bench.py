"""Desktop start to the painted deck list at several collection sizes, warm and evicted.

    python benchmarks/startup_bench.py --data DIR10K --data DIR300K [--runs 5] \\
        [--against OTHER_CHECKOUT] [--evicted]

Each DIR holds a built collection (benchmarks/_builders.build_collection; copy it first:
starting writes to it). Every run starts `collection_bench.py --task window` in a fresh
process, for each DIR and each checkout in turn (this one, then `--against`, e.g. a copy
of an earlier commit made with `git archive`), alternating, so the figures share the
machine's load. `--evicted` first drops the collection, the checkout and the whole Python
environment from the page cache (`_evict.py`), as after a reboot. Each (DIR, checkout)
gets one unmeasured first start (it loads the shipped decks). Prints one JSON object: the
median seconds per DIR and checkout, per-run ratios against the first DIR (flatness) and
against `--against` (before/after).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks")]

from _evict import evict, interpreter_roots  # noqa: E402


def compile_checkout(checkout: Path) -> None:
    """Bytecode for the app's own modules, as an installed wheel has it (pip compiles at
    install): a sandbox with PYTHONDONTWRITEBYTECODE would compile 80 modules every start."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(checkout / "quizapp")], check=True
    )


def window(checkout: Path, data: Path) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.time()
    proc = subprocess.run(
        [sys.executable, str(checkout / "benchmarks" / "collection_bench.py"), "--task",
         "window", "--data", str(data), "--started", repr(started)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout: before/after")
    parser.add_argument("--evicted", action="store_true", help="drop the page cache first")
    args = parser.parse_args()
    checkouts = {"this": ROOT} | ({"against": args.against} if args.against else {})
    for checkout in checkouts.values():
        compile_checkout(checkout)
    python_roots = interpreter_roots()
    seconds: dict[str, dict[str, list[float]]] = {
        str(d): {name: [] for name in checkouts} for d in args.data
    }
    for data in args.data:
        for checkout in checkouts.values():
            window(checkout, data)  # the first start: loads the shipped decks
    for _ in range(args.runs):
        for data in args.data:
            for name, checkout in checkouts.items():
                if args.evicted:
                    evict([data, checkout, *python_roots])
                got = window(checkout, data)
                if "seconds" in got:
                    seconds[str(data)][name].append(got["seconds"])
    report: dict[str, Any] = {"runs": args.runs, "evicted": args.evicted, "seconds": seconds}
    report["median"] = {
        d: {n: round(statistics.median(v), 3) for n, v in by.items() if v}
        for d, by in seconds.items()
    }
    first = str(args.data[0])
    report["ratio_to_first_dir"] = {
        d: {
            n: round(statistics.median(b / a for a, b in zip(seconds[first][n], v, strict=False)), 3)
            for n, v in by.items() if v
        }
        for d, by in seconds.items()
    }  # fmt: skip
    if args.against:
        report["this_over_against"] = {
            d: round(statistics.median(t / a for t, a in zip(by["this"], by["against"], strict=False)), 3)
            for d, by in seconds.items() if by["this"] and by["against"]
        }  # fmt: skip
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
